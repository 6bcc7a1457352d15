"""PDF sources: a city's published plan as the engine's lines, read with pdfplumber.

Page by page, top to bottom: a line per ruled table row (cells joined by TAB), a one-cell
line per line of text outside tables, cells merged with the row above in
``merged_above``; a table going on from the page before goes on. Lines are numbered
through the document; ``pages[i]`` is line ``i``'s page. Every character is in a line
or counted in a warning. At most :data:`~kcdata.limits.MAX_PDF_PAGES` pages and
:data:`~kcdata.limits.MAX_LINES` lines.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from kcdata.io.errors import ParseError, PlanWarning
from kcdata.io.sheets import HeaderWords, SourceTable, join_line_breaks
from kcdata.limits import MAX_LINES, MAX_PDF_PAGES
from kcdata.messages import translate as _
from kcdata.text import text_key, unify_ideographs

if TYPE_CHECKING:
    from kcdata.io.sheets import LayoutArg

__all__ = ["read_pdf_table"]

_PAGE_NUMBER = re.compile(r"[-－―—–(（\s]*(?:[pP]\.?\s*)?[0-9０-９]{1,4}"
                          r"(?:\s*[/／]\s*[0-9０-９]{1,4})?[-－―—–)）\s]*")
_DIGITS = re.compile(r"[0-9０-９\s]+")


@dataclass
class _Row:
    """A table row (``None``: a cell covered by a merged one) or a text line, of one page."""

    top: float
    cells: list[str | None]
    table: int | None = None  # the table's index on its page; None for text
    left: frozenset[int] = frozenset()  # columns covered by the cell on their left
    problem: str = ""  # what the table this row starts lost


#: A page's rows, top to bottom, and the columns whose text may run on into the next page.
_Page = tuple[list[_Row], frozenset[int]]


@dataclass
class _Run:
    """A table being read, over one page or more."""

    width: int
    page: int
    ran_on: frozenset[int] = frozenset()  # cells at the page's end filled to the right edge
    top_of_page: bool = False
    measure: int | None = None
    departments: int | None = None
    owners: dict[int, int] = field(default_factory=dict)  # column -> the line holding its text


def read_pdf_table(data: bytes, *, layout: LayoutArg = None) -> SourceTable:
    """A PDF's tables and text as the engine's lines; the warnings owed in ``.warnings``.

    ``layout`` adds its header words to the built-in ones. :class:`ParseError` for a
    damaged, encrypted or text-less PDF, or one past the limits.
    """
    return _assemble(_read_pages(data), HeaderWords.of(layout))


def _read_pages(data: bytes) -> list[_Page]:
    import pdfplumber
    from pdfminer.psexceptions import PSException
    from pdfplumber.utils.exceptions import PdfminerException

    pages, lines = [], 0
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            if len(pdf.pages) > MAX_PDF_PAGES:
                raise ParseError(_("the PDF has {pages:,} pages: kcdata reads at most {max:,}")
                                 .format(pages=len(pdf.pages), max=MAX_PDF_PAGES))
            for page in pdf.pages:
                pages.append(_read_page(page))
                page.close()  # its layout objects go; the rows keep the text
                lines += len(pages[-1][0])
                if lines > MAX_LINES:
                    raise ParseError(_("the PDF has more than {max:,} lines by page {page}: "
                                       "kcdata reads at most {max:,}").format(
                        max=MAX_LINES, page=page.page_number))
    except (PdfminerException, PSException, KeyError, ValueError, TypeError, AttributeError,
            IndexError, AssertionError, ZeroDivisionError, OverflowError, EOFError) as err:
        if isinstance(err, ParseError):
            raise
        cause = err.args[0] if isinstance(err, PdfminerException) and err.args else err
        if type(cause).__name__ == "PDFPasswordIncorrect":
            raise ParseError(_("the PDF is encrypted (it needs a password to open): save or "
                               "print it again without a password")) from None
        raise ParseError(_("not a readable PDF ({kind}: {err}); print it to PDF again from a "
                           "PDF viewer, or copy its tables into an .xlsx workbook").format(
            kind=type(cause).__name__, err=err)) from None
    return pages


def _read_page(page: Any) -> _Page:
    """A page's rows, top to bottom, and the columns its last table may run on with."""
    tables = page.find_tables()
    rows: list[_Row] = []
    for t, table in enumerate(tables):
        starts = sorted({cell[0] for cell in table.cells})  # the columns' left edges
        first = len(rows)
        for row, cells in zip(table.rows, table.extract(), strict=True):
            left = frozenset(j for j, box in enumerate(row.cells) if box is None and any(
                o is not None and o[2] > starts[j] + 1 for o in row.cells[:j]))
            rows.append(_Row(row.bbox[1], cells, t, left))
        printed = sum(not c["text"].isspace() and _inside(c, table.bbox) for c in page.chars)
        read = sum(len("".join(cell.split())) for r in rows[first:] for cell in r.cells if cell)
        if read < printed:
            rows[first].problem = _("{n} character(s) inside the table but in none of its "
                                    "cells ignored").format(n=printed - read)
    boxes = [t.bbox for t in tables]
    outside = page.filter(lambda o: o.get("object_type") != "char"
                          or not any(_inside(o, box) for box in boxes))
    rows += [_Row(line["top"], [line["text"]]) for line in
             outside.extract_text_lines(return_chars=False)]
    rows.sort(key=lambda row: row.top)
    return rows, (_ran_on(page, tables[-1]) if tables else frozenset())


def _inside(obj: dict[str, Any], box: tuple[float, float, float, float]) -> bool:
    # pdfplumber's rule for a cell's text: the character's centre is in the cell
    x, y = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
    return box[0] <= x < box[2] and box[1] <= y < box[3]


def _ran_on(page: Any, table: Any) -> frozenset[int]:
    """Columns whose last cell's last line reaches its right edge (padding + 1 character)."""
    found = set()
    for j in range(len(table.rows[0].cells)):
        box = next(r.cells[j] for r in reversed(table.rows) if r.cells[j] is not None)
        chars = [c for c in page.chars if not c["text"].isspace() and _inside(c, box)]
        if chars:
            bottom = max(c["top"] for c in chars)
            last = max((c for c in chars if c["top"] > bottom - 2), key=lambda c: c["x1"])
            padding = min(c["x0"] for c in chars) - box[0]
            if box[2] - last["x1"] < padding + last["x1"] - last["x0"]:
                found.add(j)
    return frozenset(found)


def _assemble(pages: list[_Page], words: HeaderWords) -> SourceTable:
    """The pages' rows as numbered lines. A page's first table goes on from the page
    before when it is as wide and only page numbers or lines repeated on several pages
    come between. A row naming a 事業名 and a 所管する課 column is a header row."""
    texts = {(n, _DIGITS.sub("", str(r.cells[0]))) for n, (rows, _) in enumerate(pages, 1)
             for r in rows if r.table is None}  # running headers and footers: on many pages
    repeated = {text for text, n in Counter(text for _, text in texts).items() if text and n > 1}
    grid = _Grid()
    for number, (rows, ran_on) in enumerate(pages, 1):
        table = None
        for k, row in enumerate(rows):
            if row.problem:
                grid.warn(number, row.problem)
            if row.table is None:
                text = unify_ideographs(str(row.cells[0]).replace("\t", " "))
                if not _PAGE_NUMBER.fullmatch(text) and _DIGITS.sub("", text) not in repeated:
                    grid.run = None  # text between two tables: the second is one of its own
                grid.add(number, [text], {})
                continue
            run = grid.run
            if row.table != table:  # a new table: does it go on from the page before?
                first_on_page, table = table is None, row.table
                if (first_on_page and run is not None and run.page == number - 1
                        and run.width == len(row.cells)):
                    run.page, run.top_of_page = number, True
                else:
                    run = grid.run = _Run(len(row.cells), number)
            cells = [c if c is None else join_line_breaks(unify_ideographs(c),
                                                          separate=j == run.departments)
                     for j, c in enumerate(row.cells)]
            keys = [text_key(c or "") for c in cells]
            measure = [j for j, key in enumerate(keys) if key in words.measure]
            departments = [j for j, key in enumerate(keys) if key in words.departments]
            if measure and departments:  # a header row: where the columns are
                run.measure, run.departments = measure[0], departments[0]
                grid.add(number, cells, {})
            else:
                grid.table_row(number, cells, rows, k)
        if grid.run is not None:
            grid.run.ran_on = ran_on
    if not any(cell.strip() for line in grid.cells for cell in line):
        raise ParseError(_("the PDF has no text (a scanned image?): run OCR on it first, or "
                           "type its tables into an .xlsx workbook"))
    for i, copy in enumerate(grid.copies):  # merged cells take the text above, now final
        for j, owner in copy.items():
            grid.cells[i][j] = grid.cells[owner][j]
    return SourceTable(["\t".join(cells) for cells in grid.cells],
                       list(range(1, len(grid.cells) + 1)), [frozenset(f) for f in grid.fills],
                       None, warnings=grid.warnings, pages=grid.pages)


class _Grid:
    """The lines made so far: their cells, merged cells, pages and warnings."""

    def __init__(self) -> None:
        self.cells: list[list[str]] = []
        self.fills: list[dict[int, int]] = []  # per line: merged column -> line with its text
        self.copies: list[dict[int, int]] = []  # the same, for the cells that take that text
        self.pages: list[int] = []
        self.warnings: list[PlanWarning] = []
        self.run: _Run | None = None  # the table being read

    def warn(self, page: int, message: str) -> None:  # about the next line
        self.warnings.append(PlanWarning(f"p.{page}: {message}", len(self.cells) + 1))

    def add(self, page: int, cells: list[str | None], fill: dict[int, int]) -> None:
        self.cells.append([c or "" for c in cells])
        self.fills.append(fill)
        self.copies.append({} if self.run is None or self.run.measure in fill else fill)
        self.pages.append(page)

    def table_row(self, page: int, own: list[str | None], rows: list[_Row], k: int) -> None:
        """A table row. A cell merged with the one above (``None``) takes its text, unless
        the 事業名 is merged: then the row continues the listing above. In the first row
        of a table going on, an empty 事業名 continues the listing above, and a cell merged
        down whose cell above was filled to its right edge is the rest of that text
        (joined, with a warning). A row that is one cell across the table is one cell."""
        run, row, i, fill = self.run, rows[k], len(self.cells), {}
        if run.top_of_page:  # the first row of a table continued from the page before
            below = next((r for r in rows[k + 1:] if r.table == row.table), None)
            for j, cell in enumerate(own):
                owner = run.owners.get(j)
                merged_down = below is not None and below.cells[j] is None and j not in below.left
                if cell and merged_down and j in run.ran_on and owner is not None:
                    above = self.cells[owner][j]
                    self.cells[owner][j] = join_line_breaks(f"{above}\n{cell}",
                                                            separate=j == run.departments)
                    self.warn(page, _("「{cell}」 continues 「{above}」 of line {line}, cut by "
                                      "the page break: joined").format(
                        cell=cell, above=above, line=owner + 1))
                    own[j], fill[j] = "", owner
            if run.measure is not None and not own[run.measure]:
                fill.update({j: run.owners[j] for j, cell in enumerate(own)
                             if cell == "" and j in run.owners and j not in fill})
            run.top_of_page = False
        for j, cell in enumerate(own):
            if cell is None and j not in row.left and j in run.owners:
                fill[j] = run.owners[j]
            elif cell is not None and j not in fill:
                run.owners[j] = i
        if len(own) > 1 and len(row.left) == len(own) - 1:  # one cell across the table
            del own[1:]
        self.add(page, own, fill)

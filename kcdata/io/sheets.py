"""Spreadsheets as sources: an .xlsx sheet or a .csv file as the parser's lines.

:func:`read_source_table` turns a sheet into what the layout engine reads from
a text document: one line per row, its cells joined by TAB, with the row's
number, the columns whose cell belongs to a merged range that starts in a row
above, and the sheet's name (:class:`SourceTable`). :func:`read_spreadsheet`
hands that to the engine, so rows get the same checks, warnings and errors as
text lines; ``kcdata.read_measures`` calls it for these suffixes.

What a row becomes (the counting conventions):

* **every cell is read as the text the sheet shows**: dates and numbers that
  Excel made of codes come back through the cell's number format (「1-2」,
  「00123」, 「11111」; see :mod:`kcdata.io.cellformat`); a formula gives its
  cached value, or, when the workbook holds none, its formula text with a
  warning (:mod:`kcdata.io.xlsx`);
* **merged cells fill every cell they cover** with their value; a row whose
  only text comes from merges above is blank. A row whose 事業名 cell is
  merged with the row above continues that listing (one row per department
  under a merged 事業名): the engine is told so (``merged_above``) and gets
  only the row's own cells (its department), the shared ones left empty. A
  row whose cells all hold one text (a heading merged across the table) is
  one text line, as in a text document;
* **line breaks inside a cell** become what a PDF line gives: a break next to
  a Japanese character disappears, one between Latin words becomes a space.
  In the 所管する課 column a break separates two departments (a space); a
  TAB inside a cell becomes a space;
* **the header row** (the first row naming a 事業名 column and a 所管する課
  column, in any built-in layout's words: :mod:`kcdata.io.header`) fixes the
  table's columns; rows above it (a title block) are text lines, their cells
  joined by a space; cells outside the header's columns are ignored with a
  warning; when the table starts with its 事業名 column, a row with text in
  that column only is passed as that one cell (a heading line, as in a text
  document);
* **hidden rows and columns are read**, with a warning naming them;
* **kcdata's own listing sheet** (事業一覧 of the summary workbook, or
  ``measures.csv``) is read back as the table it was written from
  (:mod:`kcdata.io.own_sheet`).

Errors are :class:`kcdata.ParseError` naming the sheet and row; formats not
read (.xls, .ods, encrypted or corrupt workbooks) are refused with the way to
convert them.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import os
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from kcdata.io.departments import CHILD_SUFFIXES, UNIT_SUFFIXES
from kcdata.io.errors import ParseError, PlanWarning
from kcdata.io.grid import decode_document
from kcdata.io.header import HeaderWords, header_index
from kcdata.io.layout import Layout
from kcdata.io.own_sheet import own_sheet_lines
from kcdata.io.parse import parse_lines
from kcdata.io.source import read_source
from kcdata.io.xlsx import DEFAULT_SHEET, SheetGrid, check_package, read_xlsx
from kcdata.messages import translate
from kcdata.messages import translate as _
from kcdata.text import JAPANESE_RANGES, text_key, unify_ideographs

if TYPE_CHECKING:
    from collections.abc import Callable

    import pandas as pd

    LayoutArg = str | os.PathLike[str] | Layout | None

__all__ = [
    "DEFAULT_SHEET",
    "READ_SUFFIXES",
    "REFUSED_SUFFIXES",
    "SHEET_SUFFIXES",
    "HeaderWords",
    "SourceTable",
    "check_package",
    "is_sheet_source",
    "join_line_breaks",
    "read_source_table",
    "read_spreadsheet",
]

#: Suffixes read by this module.
SHEET_SUFFIXES = (".xlsx", ".xlsm", ".csv")
#: Every suffix kcdata reads (text documents are any other suffix, usually .txt; PDF:
#: :mod:`kcdata.io.pdf`).
READ_SUFFIXES = (".txt", *SHEET_SUFFIXES, ".pdf")


def _refused(suffix: str, _: Callable[[str], str] = translate) -> str:
    """Why a file of this suffix is not read as a spreadsheet, and how to convert it.

    ``_`` translates (the user's language); :data:`REFUSED_SUFFIXES` holds the English.
    """
    convert = _("kcdata reads .txt, .csv (UTF-8 or CP932) and .xlsx; save it as an Excel "
                "workbook (.xlsx) or as CSV UTF-8")
    refused = {
        ".xls": _("an Excel 97-2003 workbook (.xls) is not read: {convert} "
                  "(Excel: ファイル > 名前を付けて保存 > Excel ブック (*.xlsx))"),
        ".xlsb": _("an Excel binary workbook (.xlsb) is not read: {convert} "
                   "(Excel: ファイル > 名前を付けて保存 > Excel ブック (*.xlsx))"),
        ".ods": _("an OpenDocument spreadsheet (.ods) is not read: {convert} "
                  "(LibreOffice: ファイル > 名前を付けて保存 > Excel 2007-365 (.xlsx))"),
        ".numbers": _("a Numbers spreadsheet is not read: {convert} "
                      "(Numbers: ファイル > 書き出す > Excel)"),
    }
    if suffix in refused:
        return refused[suffix].format(convert=convert)
    return _("{suffix} is not a spreadsheet: {convert}").format(
        suffix=suffix or _("a file without suffix"), convert=convert)


#: Spreadsheet formats refused, with how to convert them (the English of :func:`_refused`).
REFUSED_SUFFIXES: dict[str, str] = {
    suffix: _refused(suffix, str) for suffix in (".xls", ".xlsb", ".ods", ".numbers")
}

_JAPANESE = "".join(f"\\u{lo:04x}-\\u{hi:04x}" for lo, hi in JAPANESE_RANGES)
_JAPANESE_CHAR = re.compile(f"[{_JAPANESE}]")
_BREAK = re.compile(r"[ \t\u3000]*(?:\r\n|\r|\n)[ \t\u3000\r\n]*")
_NAME_ENDINGS = UNIT_SUFFIXES + CHILD_SUFFIXES


@dataclass(frozen=True)
class SourceTable:
    """A sheet as the engine's input: the ``parse_lines`` arguments.

    ``lines[i]`` is row ``numbers[i]`` of the sheet (or CSV line), its cells
    joined by TAB; ``merged_above[i]`` the 0-based columns of that line whose
    cell belongs to a merged range starting in a row above; ``sheet`` the
    sheet's name (``None`` for CSV). ``header_row`` is the number of the row
    taken as the table's header; ``kcdata_sheet`` says the sheet was
    recognised as kcdata's own listing sheet (and turned into the document's
    form); ``warnings`` are the :class:`PlanWarning` s owed, not yet issued.
    ``pages`` gives, for a PDF (:func:`kcdata.io.pdf.read_pdf_table`), the
    page of each line (``None`` for other sources).
    """

    lines: list[str]
    numbers: list[int]
    merged_above: list[frozenset[int]]
    sheet: str | None
    header_row: int | None = None
    kcdata_sheet: bool = False
    warnings: list[PlanWarning] = field(default_factory=list, compare=False)
    pages: list[int] | None = None


def is_sheet_source(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` is read by this module (a spreadsheet read or refused) by its suffix.

    >>> is_sheet_source("plan.xlsx"), is_sheet_source("plan.XLS"), is_sheet_source("plan.txt")
    (True, True, False)
    """
    suffix = Path(path).suffix.lower()
    return suffix in SHEET_SUFFIXES or suffix in REFUSED_SUFFIXES


def read_spreadsheet(
    path: str | os.PathLike[str],
    layout: LayoutArg = None,
    *,
    sheet: str | None = None,
    encoding: str | None = None,
    data: bytes | None = None,
) -> pd.DataFrame:
    """Read a plan from an .xlsx sheet or a .csv file into the listing table.

    The rows go through the layout engine like the lines of a text document
    (see :func:`kcdata.read_measures`); ``line`` holds the sheet row (for CSV,
    the line where the row starts) and a ``sheet`` column names the sheet of a
    workbook. ``layout`` as in :func:`kcdata.io.parse.parse_lines` (its header
    words also find the header row). ``sheet=None``: the only sheet, else the
    one named 事業一覧, else :class:`ParseError` listing the sheet names.
    ``encoding`` is for CSV (default: UTF-8 with or without BOM, else CP932).
    Warnings (:class:`PlanWarning`) name the row and sheet. ``data``: the
    file's bytes when they have been read already (see :func:`read_source_table`).
    """
    table = read_source_table(path, sheet=sheet, encoding=encoding, layout=layout, data=data)
    for warning in table.warnings:
        warnings.warn(warning, stacklevel=2)
    return parse_lines(table.lines, layout=layout, numbers=table.numbers,
                       merged_above=table.merged_above, sheet=table.sheet)


def read_source_table(
    path: str | os.PathLike[str],
    sheet: str | None = None,
    *,
    encoding: str | None = None,
    layout: LayoutArg = None,
    data: bytes | None = None,
) -> SourceTable:
    """Read a sheet of an .xlsx workbook or a .csv file as the engine's lines.

    See the module docstring for what each row becomes. The warnings owed are
    in ``.warnings`` (not yet issued). Raises :class:`ParseError` for a format
    that is not read, an unreadable workbook, an unknown or ambiguous sheet,
    an empty sheet or one without a header row; ``OSError`` when the file
    cannot be opened. ``layout`` adds its header words to the built-in ones
    for finding the header row.

    The file is read once, by :func:`kcdata.io.source.read_source` (a regular
    file of bounded size), unless its bytes are given as ``data``; the
    workbook is opened from those bytes, so what is parsed is what was read
    (and what a SHA-256 of ``data`` describes).
    """
    words = HeaderWords.of(layout)
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in REFUSED_SUFFIXES:
        raise ParseError(_refused(suffix))
    if suffix not in SHEET_SUFFIXES:
        raise ParseError(_refused(suffix))
    if data is None:
        data = read_source(path).data
    grid = _csv_grid(data, encoding) if suffix == ".csv" else read_xlsx(data, sheet)
    return _source_table(grid, words)


def join_line_breaks(text: str, *, separate: bool = False) -> str:
    """A cell's lines joined as a PDF line gives them.

    A break (with the white space around it) next to a Japanese character
    disappears; between two other characters it becomes one space. With
    ``separate=True`` (a 所管する課 cell: departments one per line) a break
    after a department name's ending (課, 室, 部, センター, …:
    :data:`~kcdata.io.departments.UNIT_SUFFIXES`) separates two names (a space),
    unless the next line is a bare ending; any other break is inside a name, a
    cell too narrow for it (「市民協働推進」 / 「課」). A TAB becomes a space.

    >>> join_line_breaks("地域コミュニティの\\n醸成"), join_line_breaks("HUB\\nProject")
    ('地域コミュニティの醸成', 'HUB Project')
    >>> join_line_breaks("市民協働推進課\\n緑と花の課", separate=True)
    '市民協働推進課 緑と花の課'
    >>> join_line_breaks("市民協働推進\\n課 緑と花の課", separate=True)
    '市民協働推進課 緑と花の課'
    """
    if "\n" in text or "\r" in text:
        text = text.strip()

        def joined(match: re.Match[str]) -> str:
            rest = text[match.end():].split(maxsplit=1)  # a bare ending finishes the name
            if separate and text[: match.start()].endswith(_NAME_ENDINGS) and (
                    not rest or rest[0] not in _NAME_ENDINGS):
                return " "
            before = text[match.start() - 1] if match.start() else ""
            after = text[match.end()] if match.end() < len(text) else ""
            return "" if _JAPANESE_CHAR.match(before) or _JAPANESE_CHAR.match(after) else " "

        text = _BREAK.sub(joined, text)
    return text.replace("\t", " ")


def _csv_grid(data: bytes, encoding: str | None) -> SheetGrid:
    """A CSV file's rows; ``numbers`` are the lines where they start (a cell may hold breaks)."""
    text = decode_document(data, encoding=encoding)  # the text documents' rule
    reader = csv.reader(io.StringIO(text, newline=""))
    rows: list[list[str]] = []
    numbers: list[int] = []
    start = 1
    try:
        for row in reader:
            while row and not row[-1].strip():  # trailing empty cells widen nothing
                row.pop()
            rows.append(row)
            numbers.append(start)
            start = reader.line_num + 1
    except csv.Error as err:
        raise ParseError(_("not a readable CSV file: {err}").format(err=err), start) from None
    width = max(map(len, rows), default=0)
    return SheetGrid([r + [""] * (width - len(r)) for r in rows], numbers, [set() for _ in rows])


def _source_table(grid: SheetGrid, words: HeaderWords) -> SourceTable:
    """The grid as the engine's lines: a title block, the header, the table's rows."""
    sheet, rows, merged_above = grid.sheet, grid.rows, grid.merged_above
    if not any(cell.strip() for row in rows for cell in row):
        raise ParseError(_("the sheet is empty") if sheet else _("the file is empty"), None, sheet)
    header = header_index(rows, words)
    if header is None:
        raise ParseError(_(
            "no header row found: the table needs a row naming its columns, such as "
            "事業名 | 事業概要 | 所管する課 (or 事業 / 取組 and 担当課 / 所管課 / 担当)"),
            None, sheet)
    header_cells = [join_line_breaks(c).strip() for c in rows[header]]
    keys = [text_key(c) for c in header_cells]
    measure = next(j for j, k in enumerate(keys) if k in words.measure)
    departments = {j for j, k in enumerate(keys) if k in words.departments}
    # A header of two or more rows (its 事業名 cell merged down): the rows below add their
    # own texts to the header's (事業費 over 令和6年度 | 令和7年度 -> 事業費令和6年度 …).
    body = header + 1
    while body < len(rows) and measure in merged_above[body]:
        for j, cell in enumerate(rows[body]):
            if j not in merged_above[body] and cell.strip():
                header_cells[j] += join_line_breaks(cell).strip()
        body += 1
    filled = [j for j, c in enumerate(header_cells) if c]
    first, last = filled[0], filled[-1]
    # A table that starts with its 事業名 column has its headings on lines of their own.
    headings_inline = measure == first

    lines = []  # the title block: text lines
    for row in rows[:header]:
        cells = (join_line_breaks(unify_ideographs(c)).strip() for c in row)
        lines.append(" ".join(dict.fromkeys(c for c in cells if c)))
    lines += ["\t".join(header_cells[first : last + 1]), *[""] * (body - header - 1)]
    above: list[frozenset[int]] = [frozenset()] * body
    found = list(grid.warnings)
    for i in range(body, len(rows)):
        merged = merged_above[i]
        cells = [join_line_breaks(unify_ideographs(c), separate=j in departments)
                 for j, c in enumerate(rows[i])]
        own = [j for j, c in enumerate(cells) if c.strip() and j not in merged]
        outside = [j for j in own if j < first or j > last]
        if outside:
            found.append(PlanWarning(_(
                "{n} cell(s) outside the table's columns (right or left of its header) "
                "ignored: {cell!r}").format(n=len(outside), cell=cells[outside[0]].strip()),
                grid.numbers[i], sheet))
        if measure in merged:
            # One listing over several rows (one per department): the engine adds this
            # row's own cells to the listing above, so the ones it shares are left empty.
            cells = ["" if j in merged else c for j, c in enumerate(cells)]
        inside = cells[first : last + 1]
        shared = frozenset(j - first for j in merged if first <= j <= last)
        own_inside = [j for j in own if first <= j <= last]
        if not own_inside:
            lines.append("")  # nothing of its own: blank (merges from above only)
            above.append(frozenset())
        elif own_inside == [first] and not shared and headings_inline:
            lines.append(inside[0])  # text in the 事業名 column only: a heading or text line
            above.append(frozenset())
        elif len({cells[j].strip() for j in own_inside}) == 1 < len(own_inside) and not shared:
            lines.append(cells[own_inside[0]].strip())  # one text merged across the table
            above.append(frozenset())
        else:
            lines.append("\t".join(inside))
            above.append(shared)
    found += grid.hidden_warnings(grid.numbers[header])
    table = SourceTable(lines, list(grid.numbers), above, sheet, grid.numbers[header],
                        warnings=found)
    own_sheet = own_sheet_lines(header_cells[first : last + 1], lines[header + 1 :],
                                table.numbers[header + 1 :], sheet, words)
    if own_sheet is None:
        return table
    return dataclasses.replace(table, lines=[*lines[:header], *own_sheet],
                               merged_above=[frozenset()] * len(lines), kcdata_sheet=True)

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
  warning;
* **merged cells fill every cell they cover** with their value; a row whose
  only text comes from merges above is blank. A row whose 事業名 cell is
  merged with the row above continues that listing (one row per department
  under a merged 事業名): the engine is told so (``merged_above``) and gets
  only the row's own cells (its department), the shared ones left empty;
* **line breaks inside a cell** become what a PDF line gives: a break next to
  a Japanese character disappears, one between Latin words becomes a space.
  In the 所管する課 column a break separates two departments (a space); a
  TAB inside a cell becomes a space;
* **the header row** (the first row naming a 事業名 column and a 所管する課
  column, in any built-in layout's words) fixes the table's columns; rows
  above it (a title block) are text lines, their cells joined by a space;
  cells outside the header's columns are ignored with a warning; when the
  table starts with its 事業名 column, a row with text in that column only
  is passed as that one cell (a heading line, as in a text document);
* **hidden rows and columns are read**, with a warning naming them;
* **kcdata's own listing sheet** (事業一覧 of the summary workbook, or
  ``measures.csv``: a number and a title column per level, 再掲 as a column)
  is recognised by its header, in the plan's own words, and turned into the
  engine's form (one level column of 「1 title」 cells per level, 【再掲】
  before the name, placeholders back beside the departments), so that a
  workbook kcdata wrote reads back as the table it was written from.

Errors are :class:`kcdata.ParseError` naming the sheet and row; formats not
read (.xls, .ods, encrypted or corrupt workbooks) are refused with the way to
convert them. Cost: openpyxl reads the chosen sheet only (read-only mode,
public API), and one streaming pass over that sheet's XML with the standard
library finds what read-only mode does not show (merged cells, hidden rows
and columns, formulas without a cached value).
"""

from __future__ import annotations

import csv
import errno
import io
import os
import posixpath
import re
import warnings
import zipfile
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kcdata.io.cellformat import JAPANESE_BUILTIN_FORMATS, shown_text
from kcdata.io.departments import CHILD_SUFFIXES, UNIT_SUFFIXES
from kcdata.io.errors import ParseError, PlanWarning
from kcdata.io.layout import HEADER_WORDS, Layout
from kcdata.io.layout_file import get_layout
from kcdata.io.parse import decode_document, parse_lines
from kcdata.io.source import read_source
from kcdata.limits import (
    MAX_GRID_CELLS,
    MAX_XLSX_BYTES,
    MAX_XLSX_ENTRIES,
    MAX_XLSX_PART_BYTES,
)
from kcdata.text import JAPANESE_RANGES, text_key, unify_ideographs
from kcdata.vocab import LABELS

if TYPE_CHECKING:
    import pandas as pd

    LayoutArg = str | os.PathLike[str] | Layout | None

__all__ = [
    "READ_SUFFIXES",
    "REFUSED_SUFFIXES",
    "SHEET_SUFFIXES",
    "HeaderWords",
    "SourceTable",
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
_CONVERT = (
    "kcdata reads .txt, .csv (UTF-8 or CP932) and .xlsx; "
    "save it as an Excel workbook (.xlsx) or as CSV UTF-8"
)
#: Spreadsheet formats refused, with how to convert them.
REFUSED_SUFFIXES: dict[str, str] = {
    ".xls": f"an Excel 97-2003 workbook (.xls) is not read: {_CONVERT} "
    "(Excel: ファイル > 名前を付けて保存 > Excel ブック (*.xlsx))",
    ".xlsb": f"an Excel binary workbook (.xlsb) is not read: {_CONVERT} "
    "(Excel: ファイル > 名前を付けて保存 > Excel ブック (*.xlsx))",
    ".ods": f"an OpenDocument spreadsheet (.ods) is not read: {_CONVERT} "
    "(LibreOffice: ファイル > 名前を付けて保存 > Excel 2007-365 (.xlsx))",
    ".numbers": f"a Numbers spreadsheet is not read: {_CONVERT} "
    "(Numbers: ファイル > 書き出す > Excel)",
}
#: The sheet chosen when a workbook has several.
DEFAULT_SHEET = "事業一覧"

_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_JAPANESE = "".join(f"\\u{lo:04x}-\\u{hi:04x}" for lo, hi in JAPANESE_RANGES)
_BREAK = re.compile(r"[ \t\u3000]*(?:\r\n|\r|\n)[ \t\u3000\r\n]*")
_JAPANESE_CHAR = re.compile(f"[{_JAPANESE}]")
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
    return _parse_table(table, layout)


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
        raise ParseError(REFUSED_SUFFIXES[suffix])
    if suffix not in (".csv", ".xlsx", ".xlsm"):
        raise ParseError(f"{suffix or 'a file without suffix'} is not a spreadsheet: {_CONVERT}")
    if data is None:
        data = read_source(path).data
    if suffix == ".csv":
        return _csv_table(data, encoding, words)
    return _xlsx_table(data, sheet, words)


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


# --- the grid: every cell as shown text, merges filled -------------------------------------


@dataclass
class _Grid:
    """A sheet's cells as text, top to bottom; ``numbers`` are the rows' numbers."""

    rows: list[list[str]]
    numbers: list[int]
    merged_above: list[set[int]]
    hidden_rows: set[int] = field(default_factory=set)
    hidden_columns: set[int] = field(default_factory=set)
    warnings: list[PlanWarning] = field(default_factory=list)


def _csv_table(data: bytes, encoding: str | None, words: HeaderWords) -> SourceTable:
    text = decode_document(data, encoding=encoding)  # the text documents' rule
    reader = csv.reader(io.StringIO(text, newline=""))
    rows: list[list[str]] = []
    numbers: list[int] = []
    start = 1
    try:
        for row in reader:
            rows.append(row)
            numbers.append(start)
            start = reader.line_num + 1
    except csv.Error as err:
        raise ParseError(f"not a readable CSV file: {err}", start) from None
    for row in rows:  # trailing empty cells widen nothing: work grows with the data
        while row and not row[-1].strip():
            row.pop()
    width = max((len(r) for r in rows), default=0)
    grid = _Grid([r + [""] * (width - len(r)) for r in rows], numbers, [set() for _ in rows])
    return _source_table(grid, None, words)


def check_package(data: bytes) -> None:
    """Refuse an .xlsx package whose parts would inflate past the limits, before reading any.

    :data:`kcdata.limits.MAX_XLSX_ENTRIES` parts at most, each at most
    :data:`kcdata.limits.MAX_XLSX_PART_BYTES` and all together at most
    :data:`kcdata.limits.MAX_XLSX_BYTES` uncompressed (the sizes the package
    declares, which bound what can be read from it). A :class:`ParseError`
    names the limit. Cost: the package's directory only.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            parts = package.infolist()
    except (zipfile.BadZipFile, ValueError, EOFError):
        return  # not a zip at all: openpyxl says so in its own words
    if len(parts) > MAX_XLSX_ENTRIES:
        raise ParseError(f"the workbook package has {len(parts):,} parts: kcdata reads at "
                         f"most {MAX_XLSX_ENTRIES:,}")
    for part in parts:
        if part.file_size > MAX_XLSX_PART_BYTES:
            raise ParseError(f"the workbook part {part.filename} inflates to "
                             f"{part.file_size:,} bytes: kcdata reads parts of at most "
                             f"{MAX_XLSX_PART_BYTES:,} bytes ({MAX_XLSX_PART_BYTES >> 20} MiB)")
    total = sum(part.file_size for part in parts)
    if total > MAX_XLSX_BYTES:
        raise ParseError(f"the workbook inflates to {total:,} bytes: kcdata reads workbooks "
                         f"of at most {MAX_XLSX_BYTES:,} bytes ({MAX_XLSX_BYTES >> 20} MiB)")


def _xlsx_table(data: bytes, sheet: str | None, words: HeaderWords) -> SourceTable:
    from openpyxl import load_workbook

    if data.startswith(_OLE2_MAGIC):
        raise ParseError(
            "a password-protected (encrypted) workbook, or an .xls file named .xlsx: "
            "remove the password (Excel: ファイル > 情報 > ブックの保護 > "
            "パスワードを使用して暗号化) "
            "and save it as an Excel workbook (.xlsx)"
        )
    check_package(data)  # bounded before any part is inflated
    try:
        with warnings.catch_warnings():
            # openpyxl warns about extensions it drops (data validation, conditional formats).
            warnings.simplefilter("ignore", UserWarning)
            # Read-only: only the chosen sheet is parsed (the summary workbook has six).
            wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            try:
                ws = _choose_sheet(wb, sheet)
                # A stale <dimension> would end the rows early: read every row there is.
                ws.reset_dimensions()
                grid = _xlsx_grid(data, ws, wb.epoch)
            finally:
                wb.close()
    except ParseError:
        raise
    except OSError as err:
        if err.errno not in (None, errno.EINVAL):  # the system's: the file cannot be read
            raise
        raise ParseError(  # openpyxl's ("File contains no valid workbook part"), or a seek
            # into a damaged archive (EINVAL)
            f"not a readable .xlsx workbook ({err}); "
            "open it in Excel and save it again as an Excel workbook (.xlsx)"
        ) from None
    except (zipfile.BadZipFile, zlib.error, KeyError, ValueError, TypeError, AttributeError,
            IndexError, EOFError, SyntaxError, OverflowError, NotImplementedError) as err:
        # A broken zip, missing parts or malformed XML (openpyxl raises many kinds).
        raise ParseError(
            f"not a readable .xlsx workbook ({type(err).__name__}: {err}); "
            "open it in Excel and save it again as an Excel workbook (.xlsx)"
        ) from None
    return _source_table(grid, ws.title, words)


def _choose_sheet(wb: Any, sheet: str | None) -> Any:
    names = [ws.title for ws in wb.worksheets]
    listed = "、".join(names)
    if sheet is not None:
        if sheet not in names:
            raise ParseError(f"no sheet named {sheet!r}; the sheets are: {listed}")
        return wb[sheet]
    if len(names) == 1:
        return wb.worksheets[0]
    if DEFAULT_SHEET in names:
        return wb[DEFAULT_SHEET]
    raise ParseError(
        f"the workbook has {len(names)} sheets and none is named {DEFAULT_SHEET}: "
        f"choose one with --sheet NAME (sheet=); the sheets are: {listed}",
    )


_MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"


@dataclass
class _SheetFacts:
    """What openpyxl's read-only mode does not show of a sheet, read from its XML.

    Merged ranges, hidden rows and columns, formula cells without a cached
    value (their formula text) and, for cells styled with one of Japanese
    Excel's built-in date formats (27-58, unknown to openpyxl), that format's
    id. Read with the standard library from the sheet's part of the package
    (ECMA-376, SpreadsheetML), in one streaming pass.
    """

    merges: list[str] = field(default_factory=list)
    hidden_rows: set[int] = field(default_factory=set)
    hidden_columns: list[tuple[int, int]] = field(default_factory=list)  # 1-based ranges
    formulas: dict[str, str] = field(default_factory=dict)  # "B3" -> formula text
    builtin_formats: dict[str, int] = field(default_factory=dict)  # "B3" -> numFmtId


def _sheet_facts(data: bytes, title: str) -> _SheetFacts:
    """See :class:`_SheetFacts`. The file has been opened already, so any error here,
    an ``OSError`` from a damaged archive included, is a damaged workbook."""
    try:
        return _read_sheet_facts(data, title)
    except (OSError, zipfile.BadZipFile, zlib.error, KeyError, ValueError, SyntaxError,
            EOFError) as err:
        raise ParseError(
            f"not a readable .xlsx workbook ({type(err).__name__}: {err}); "
            "open it in Excel and save it again as an Excel workbook (.xlsx)"
        ) from None


def _read_sheet_facts(data: bytes, title: str) -> _SheetFacts:
    from defusedxml import ElementTree as ET

    facts = _SheetFacts()
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        part = _sheet_part(package, title)
        style_formats = _style_formats(package)
        with package.open(part) as xml:
            for _, element in ET.iterparse(xml):
                tag = element.tag.removeprefix(_MAIN_NS)
                if tag == "c":
                    ref = element.get("r", "")
                    formula, value = element.find(f"{_MAIN_NS}f"), element.find(f"{_MAIN_NS}v")
                    if formula is not None and (value is None or value.text is None):
                        facts.formulas[ref] = "=" + (formula.text or "(shared formula)")
                    style = int(element.get("s", "0"))
                    number_format = style_formats[style] if style < len(style_formats) else 0
                    if number_format in JAPANESE_BUILTIN_FORMATS:
                        facts.builtin_formats[ref] = number_format
                    element.clear()
                elif tag == "row":
                    if element.get("hidden") in ("1", "true"):
                        facts.hidden_rows.add(int(element.get("r", "0")))
                    element.clear()
                elif tag == "col" and element.get("hidden") in ("1", "true"):
                    first, last = int(element.get("min", "0")), int(element.get("max", "0"))
                    facts.hidden_columns.append((first, max(first, last)))
                elif tag == "mergeCell":
                    facts.merges.append(element.get("ref", ""))
    return facts


def _sheet_part(package: zipfile.ZipFile, title: str) -> str:
    """The package part (file inside the .xlsx) of the sheet named ``title``.

    The target is normalised (``xl/worksheets/./sheet1.xml`` is ``xl/worksheets/sheet1.xml``),
    so this pass reads the part openpyxl reads, never another one.
    """
    from defusedxml import ElementTree as ET

    workbook = ET.fromstring(package.read("xl/workbook.xml"))
    rels = ET.fromstring(package.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{_PKG_REL_NS}Relationship")}
    for sheet in workbook.iter(f"{_MAIN_NS}sheet"):
        if sheet.get("name") == title:
            target = targets[sheet.get(f"{_REL_NS}id")]
            return posixpath.normpath(target.lstrip("/") if target.startswith("/")
                                      else f"xl/{target}")
    raise KeyError(title)


def _style_formats(package: zipfile.ZipFile) -> list[int]:
    """The numFmtId of each cell style (cellXfs), in order."""
    from defusedxml import ElementTree as ET

    try:
        styles = ET.fromstring(package.read("xl/styles.xml"))
    except KeyError:  # a package without styles
        return []
    xfs = styles.find(f"{_MAIN_NS}cellXfs")
    return [] if xfs is None else [int(xf.get("numFmtId", "0")) for xf in xfs]


def _xlsx_grid(data: bytes, ws: Any, epoch: Any) -> _Grid:
    """The chosen sheet's cells as shown text, merges filled (openpyxl read-only + the XML)."""
    from openpyxl.utils import get_column_letter
    from openpyxl.utils.cell import range_boundaries
    from openpyxl.utils.datetime import from_excel

    sheet = ws.title
    facts = _sheet_facts(data, sheet)
    cells: dict[tuple[int, int], str] = {}
    found_warnings: list[PlanWarning] = []
    for row in ws.iter_rows():
        for cell in row:
            value = cell.value
            if value is None:
                continue
            r, c = cell.row, cell.column
            number_format = cell.number_format
            builtin = facts.builtin_formats.get(f"{get_column_letter(c)}{r}")
            if builtin is not None and isinstance(value, int | float) and not isinstance(
                value, bool
            ):
                number_format = JAPANESE_BUILTIN_FORMATS[builtin]
                value = from_excel(value, epoch)
            text, understood = shown_text(value, number_format)
            if not understood:
                found_warnings.append(PlanWarning(
                    f"cell {get_column_letter(c)}{r}: number format {number_format!r} is "
                    f"not understood; read as {text!r}", r, sheet))
            cells[r, c] = text
    for ref, formula in facts.formulas.items():
        c, r, _, _ = range_boundaries(ref)
        if (r, c) not in cells:
            found_warnings.append(PlanWarning(
                f"cell {ref} holds the formula {formula} without a cached value (the "
                "workbook was not saved by a spreadsheet program): kept as its formula text",
                r, sheet))
            cells[r, c] = formula
    if not cells:
        raise ParseError("the sheet is empty", None, sheet)
    # The grid spans the cells that hold data; a merge reaching past them (a title merged
    # over the whole row, A1:XFD1) is clipped to them, so work grows with the data.
    max_row = max(r for r, _ in cells)
    max_col = max(c for _, c in cells)
    if max_row * max_col > MAX_GRID_CELLS:
        raise ParseError(f"the sheet's data spans {max_row:,} rows x {max_col:,} columns: "
                         f"kcdata reads sheets of at most {MAX_GRID_CELLS:,} cells", None, sheet)
    merges = [(min_c, min_r, min(max_c, max_col), min(max_r, max_row))
              for min_c, min_r, max_c, max_r in
              (range_boundaries(ref) for ref in facts.merges if ref)
              if min_r <= max_row and min_c <= max_col]
    rows = [[cells.get((r, c), "") for c in range(1, max_col + 1)] for r in range(1, max_row + 1)]
    merged_above: list[set[int]] = [set() for _ in rows]
    for min_col, min_row, max_c, max_r in merges:
        top = rows[min_row - 1][min_col - 1]
        for r in range(min_row, max_r + 1):
            for c in range(min_col, max_c + 1):
                rows[r - 1][c - 1] = top
                if r > min_row:
                    merged_above[r - 1].add(c - 1)
    hidden_rows = {r for r in facts.hidden_rows if r <= max_row}
    hidden_columns = {c - 1 for first, last in facts.hidden_columns
                      for c in range(first, min(last, max_col) + 1)}
    return _Grid(rows, list(range(1, len(rows) + 1)), merged_above, hidden_rows,
                 hidden_columns, found_warnings)


# --- the grid as the engine's lines -----------------------------------------------------------


def _source_table(grid: _Grid, sheet: str | None, words: HeaderWords) -> SourceTable:
    found = list(grid.warnings)
    if not any(cell.strip() for row in grid.rows for cell in row):
        raise ParseError("the sheet is empty" if sheet else "the file is empty", None, sheet)
    header = _header_index(grid.rows, words)
    if header is None:
        raise ParseError(
            "no header row found: the table needs a row naming its columns, such as "
            "事業名 | 事業概要 | 所管する課 (or 事業 / 取組 and 担当課 / 所管課 / 担当)",
            None, sheet)
    header_cells = [join_line_breaks(c).strip() for c in grid.rows[header]]
    keys = [text_key(c) for c in header_cells]
    measure = next(j for j, k in enumerate(keys) if k in words.measure)
    # A header of two or more rows (its 事業名 cell merged down): the rows below add their
    # own texts to the header's (事業費 over 令和6年度 | 令和7年度 -> 事業費令和6年度 …).
    sub_headers = []
    for i in range(header + 1, len(grid.rows)):
        if measure not in grid.merged_above[i]:
            break
        sub_headers.append(i)
        for j, cell in enumerate(grid.rows[i]):
            if j not in grid.merged_above[i] and cell.strip():
                header_cells[j] += join_line_breaks(cell).strip()
    filled = [j for j, c in enumerate(header_cells) if c]
    first, last = filled[0], filled[-1]
    departments = {j for j, k in enumerate(keys) if k in words.departments}
    # A table that starts with its 事業名 column has its headings on lines of their own.
    headings_inline = measure == first

    lines: list[str] = []
    merged_above: list[frozenset[int]] = []
    for i, (row, number) in enumerate(zip(grid.rows, grid.numbers, strict=True)):
        cells = [join_line_breaks(unify_ideographs(c), separate=i > header and j in departments)
                 for j, c in enumerate(row)]
        own = [j for j, c in enumerate(cells) if c.strip() and j not in grid.merged_above[i]]
        if i < header:  # a title block: text lines
            lines.append(" ".join(dict.fromkeys(c.strip() for c in cells if c.strip())))
            merged_above.append(frozenset())
            continue
        if i == header or i in sub_headers:
            lines.append("\t".join(header_cells[first : last + 1]) if i == header else "")
            merged_above.append(frozenset())
            continue
        outside = [j for j in own if j < first or j > last]
        if outside:
            found.append(PlanWarning(
                f"{len(outside)} cell(s) outside the table's columns (right or left of its "
                f"header) ignored: {cells[outside[0]].strip()!r}", number, sheet))
        if measure in grid.merged_above[i]:
            # One listing over several rows (one per department): the engine adds this
            # row's own cells to the listing above, so the ones it shares are left empty.
            cells = ["" if j in grid.merged_above[i] else c for j, c in enumerate(cells)]
        inside = cells[first : last + 1]
        above = frozenset(j - first for j in grid.merged_above[i] if first <= j <= last)
        own_inside = [j for j in own if first <= j <= last]
        if not own_inside:
            lines.append("")  # nothing of its own: blank (merges from above only)
            merged_above.append(frozenset())
        elif own_inside == [first] and not above and headings_inline:
            lines.append(inside[0])  # text in the 事業名 column only: a heading or text line
            merged_above.append(frozenset())
        else:
            lines.append("\t".join(inside))
            merged_above.append(above)
    found.extend(_hidden_warnings(grid, sheet, header))
    table = SourceTable(lines, list(grid.numbers), merged_above, sheet, grid.numbers[header],
                        warnings=found)
    return _from_kcdata_sheet(table, header, header_cells[first : last + 1], words)


@dataclass(frozen=True)
class HeaderWords:
    """The comparison keys (:func:`kcdata.text.text_key`) of the header words."""

    measure: frozenset[str]
    summary: frozenset[str]
    departments: frozenset[str]
    needs_departments: bool = True  # False for a layout without a department column

    @classmethod
    def of(cls, layout: LayoutArg = None) -> HeaderWords:
        """Every built-in layout's words, ``layout``'s own, and kcdata's column names."""
        words = {role: [*HEADER_WORDS[role], role] for role in ("measure", "summary",
                                                                 "departments")}
        needs_departments = True
        if layout is not None:
            chosen = get_layout(layout)
            needs_departments = chosen.has_departments
            for role, own in chosen.columns.items():
                words.get(role, []).extend(own)
        return cls(*(frozenset(map(text_key, words[role]))
                     for role in ("measure", "summary", "departments")), needs_departments)


def _header_index(rows: Sequence[Sequence[str]], words: HeaderWords) -> int | None:
    """The first row naming a 事業名 column and a 所管する課 column (only the first for a
    layout without departments), or ``None``.

    Header cells are compared by their :func:`~kcdata.text.text_key`
    (width and white space do not count; a line break inside a cell neither).
    """
    for i, row in enumerate(rows):
        cells = {text_key(c) for c in row if c}
        if cells & words.measure and (cells & words.departments
                                      or not words.needs_departments):
            return i
    return None


def _hidden_warnings(grid: _Grid, sheet: str | None, header: int) -> list[PlanWarning]:
    out = []
    from openpyxl.utils import get_column_letter

    def filled(cells: Sequence[str]) -> bool:
        return any(c.strip() for c in cells)

    rows = [r for r in grid.hidden_rows if filled(grid.rows[r - 1])]
    columns = [c for c in grid.hidden_columns if filled([row[c] for row in grid.rows])]
    for r in _runs(sorted(rows)):
        what = f"row {r[0]}" if len(r) == 1 else f"rows {r[0]}-{r[-1]}"
        out.append(PlanWarning(f"{what} hidden in the sheet: read all the same", r[0], sheet))
    for cols in _runs(sorted(columns)):
        letters = [get_column_letter(c + 1) for c in cols]
        what = f"column {letters[0]}" if len(cols) == 1 else f"columns {letters[0]}-{letters[-1]}"
        out.append(PlanWarning(f"{what} hidden in the sheet: read all the same",
                            grid.numbers[header], sheet))
    return out


def _runs(values: list[int]) -> list[list[int]]:
    runs: list[list[int]] = []
    for v in values:
        if runs and runs[-1][-1] == v - 1:
            runs[-1].append(v)
        else:
            runs.append([v])
    return runs


# --- kcdata's own listing sheet ---------------------------------------------------------------

#: measures.csv's column names as the 事業一覧 sheet's headers.
_ENGLISH = {name: LABELS[name] for name in (
    "policy_no", "policy", "direction_no", "direction", "measure", "summary", "departments",
    "relisted", "line", "department_notes", "page")} | {"sheet": "シート"}
_TRUE = {"○", "〇", "TRUE", "True", "true", "1", "再掲", "【再掲】"}
_FALSE = {"", "FALSE", "False", "false", "0"}


@dataclass(frozen=True)
class _OwnColumns:
    """Where each column of kcdata's own listing sheet is (0-based, within the table)."""

    levels: tuple[tuple[str, int, int], ...]  # (label, number column, title column)
    measure: int
    summary: int | None
    departments: int
    relisted: int
    notes: int | None
    extras: tuple[int, ...]

    @classmethod
    def find(cls, headers: list[str], words: HeaderWords) -> _OwnColumns | None:
        """The columns, when ``headers`` are those of kcdata's own listing sheet, else None.

        That is: one or more levels as a pair of columns 「X」 and 「X名」 (number
        and title), a 事業名 column, a 所管する課 column and a 再掲 column (each
        in any built-in layout's words, or in the plan's own, as the summary
        workbook writes them), or the column names of ``measures.csv``.
        """
        headers = [_ENGLISH.get(h, h) for h in headers]
        keys = [text_key(h) for h in headers]
        levels = tuple((h, j, j + 1) for j, h in enumerate(headers[:-1])
                       if h and headers[j + 1] == f"{h}名")
        paired = {j for _, no, title in levels for j in (no, title)}

        def first(found: frozenset[str] | set[str]) -> int | None:
            return next((j for j, k in enumerate(keys) if k in found and j not in paired), None)

        measure, departments = first(words.measure), first(words.departments)
        relisted = first({"再掲"})
        if not levels or measure is None or departments is None or relisted is None:
            return None
        summary, notes = first(words.summary), first({text_key(LABELS["department_notes"])})
        dropped = {first({"行"}), first({"シート", "sheet"}), first({"ページ"})}
        taken = paired | {measure, summary, departments, relisted, notes} | dropped
        extras = tuple(j for j, h in enumerate(headers) if h and j not in taken)
        return cls(levels, measure, summary, departments, relisted, notes, extras)

    def header(self, headers: list[str]) -> list[str]:
        headers = [_ENGLISH.get(h, h) for h in headers]
        roles = [self.measure, self.summary, self.departments, *self.extras]
        return [label for label, _, _ in self.levels] + [headers[j] for j in roles
                                                         if j is not None]

    def row(self, cells: list[str], number: int, sheet: str | None) -> list[str]:
        """One listing in the engine's form: 「N title」 level cells, 【再掲】 before the name."""
        out = []
        for _, no, title in self.levels:
            level = f"{cells[no].strip()} {cells[title].strip()}".strip()
            out.append(level)  # empty: same as above
        mark = cells[self.relisted].strip()
        if mark not in _TRUE and mark not in _FALSE:
            raise ParseError(f"再掲 must be ○ or empty, found 「{mark}」", number, sheet)
        out.append(("【再掲】" if mark in _TRUE else "") + cells[self.measure])
        if self.summary is not None:
            out.append(cells[self.summary])
        departments = cells[self.departments]
        if self.notes is not None:  # placeholders (関係各課) go back beside the departments
            departments += " " + cells[self.notes]
        out.append(" ".join(re.split(r"[、\s]+", departments.strip())))
        return out + [cells[j] for j in self.extras]


def _from_kcdata_sheet(
    table: SourceTable, header: int, headers: list[str], words: HeaderWords
) -> SourceTable:
    """kcdata's own listing sheet (事業一覧 or measures.csv) in the engine's form.

    Recognised by its header (:meth:`_OwnColumns.find`). Each level's number
    and title columns become one level column whose cells read 「N title」
    (both blank: same as above, as in a row a colleague inserted); a 再掲
    cell that is ○ (or TRUE, 1) puts 【再掲】 before the name, empty (or
    FALSE, 0) does not, anything else is a :class:`ParseError` for its row;
    departments joined with 「、」 are joined with a space, and the
    placeholders column (関係各課 …) goes back into them; the 行 and sheet
    columns are dropped (``line`` is the sheet row); any other column is
    passed on under its header. So a summary workbook reads back as the table
    it was written from.
    """
    columns = _OwnColumns.find(headers, words)
    if columns is None:
        return table
    lines = [*table.lines[:header], "\t".join(columns.header(headers))]
    for line, number in zip(table.lines[header + 1 :], table.numbers[header + 1 :], strict=True):
        if not line.strip():
            lines.append("")
            continue
        cells = (line.split("\t") + [""] * len(headers))[: len(headers)]
        lines.append("\t".join(columns.row(cells, number, table.sheet)))
    return SourceTable(lines, table.numbers, [frozenset()] * len(lines), table.sheet,
                       table.header_row, kcdata_sheet=True, warnings=table.warnings)


# --- the engine --------------------------------------------------------------------------------


def _parse_table(table: SourceTable, layout: LayoutArg) -> pd.DataFrame:
    """Run the layout engine (:func:`kcdata.io.parse.parse_lines`) on a sheet's lines."""
    return parse_lines(table.lines, layout=layout, numbers=table.numbers,
                       merged_above=table.merged_above, sheet=table.sheet)

"""Spreadsheets as sources: an .xlsx sheet or a .csv file as the parser's lines.

:func:`read_source_table` gives one line per row (cells joined by TAB) with the row's
number and the columns merged with a row above; :func:`read_spreadsheet` parses them
like a text document's lines. What a row becomes:

* every cell is read as the text the sheet shows (:mod:`kcdata.io.cellformat`); a
  formula without a cached value is kept as its formula text, with a warning;
* a merged cell fills every cell it covers; a row whose 事業名 is merged with the row
  above continues that listing (one row per department) and gives only its own cells;
  a row whose cells all hold one text is one text line;
* line breaks inside a cell are joined as a PDF line gives them (:func:`join_line_breaks`);
* the header row is the first naming a 事業名 and a 所管する課 column; rows above it are
  text lines; cells outside its columns are ignored with a warning;
* hidden rows and columns are read, with a warning;
* kcdata's own listing sheet (事業一覧, ``measures.csv``) is read back as the table it
  was written from.
"""

from __future__ import annotations

import csv
import io
import os
import re
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from kcdata.io.departments import CHILD_SUFFIXES, UNIT_SUFFIXES
from kcdata.io.errors import ParseError, PlanWarning
from kcdata.io.grid import decode_document
from kcdata.io.layout import HEADER_WORDS, Layout
from kcdata.io.layout_file import get_layout
from kcdata.io.parse import parse_lines
from kcdata.io.source import read_source
from kcdata.io.xlsx import SheetGrid, read_xlsx
from kcdata.messages import translate as _
from kcdata.text import JAPANESE_RANGES, text_key, unify_ideographs
from kcdata.vocab import label

if TYPE_CHECKING:
    import pandas as pd

    LayoutArg = str | os.PathLike[str] | Layout | None

__all__ = [
    "REFUSED_SUFFIXES",
    "SHEET_SUFFIXES",
    "HeaderWords",
    "SourceTable",
    "header_index",
    "is_sheet_source",
    "join_line_breaks",
    "read_source_table",
    "read_spreadsheet",
]

#: Suffixes read by this module.
SHEET_SUFFIXES = (".xlsx", ".xlsm", ".csv")
#: Spreadsheet formats refused, with how to convert them.
REFUSED_SUFFIXES = (".xls", ".xlsb", ".ods", ".numbers")

_JAPANESE = "".join(f"\\u{lo:04x}-\\u{hi:04x}" for lo, hi in JAPANESE_RANGES)
_JAPANESE_CHAR = re.compile(f"[{_JAPANESE}]")
_BREAK = re.compile(r"[ \t\u3000]*(?:\r\n|\r|\n)[ \t\u3000\r\n]*")
_NAME_ENDINGS = UNIT_SUFFIXES + CHILD_SUFFIXES
_ROLES = ("measure", "summary", "departments")
#: measures.csv's column names as the 事業一覧 sheet's headers.
_ENGLISH = {name: label(name) for name in (
    "policy_no", "policy", "direction_no", "direction", "measure", "summary", "departments",
    "relisted", "line", "department_notes", "page")} | {"sheet": "シート"}
_TRUE = {"○", "〇", "TRUE", "True", "true", "1", "再掲", "【再掲】"}
_FALSE = {"", "FALSE", "False", "false", "0"}


@dataclass(frozen=True)
class SourceTable:
    """A sheet (or a PDF) as the engine's input: the ``parse_lines`` arguments.

    ``lines[i]`` is row ``numbers[i]``, its cells joined by TAB; ``merged_above[i]``
    its 0-based columns merged with a row above; ``sheet`` ``None`` for CSV and PDF;
    ``header_row`` the number of the header row; ``warnings`` the :class:`PlanWarning`
    s owed, not yet issued; ``pages`` the page of each line of a PDF.
    """

    lines: list[str]
    numbers: list[int]
    merged_above: list[frozenset[int]]
    sheet: str | None
    header_row: int | None = None
    warnings: list[PlanWarning] = field(default_factory=list, compare=False)
    pages: list[int] | None = None


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
        chosen = get_layout(layout) if layout is not None else None
        own = chosen.columns if chosen is not None else {}
        keys = [frozenset(map(text_key, [*HEADER_WORDS[role], role, *own.get(role, ())]))
                for role in _ROLES]
        return cls(*keys, chosen is None or chosen.has_departments)


def header_index(rows: Sequence[Sequence[str]], words: HeaderWords) -> int | None:
    """The first row naming a 事業名 and a 所管する課 column (only the first for a layout
    without departments), or ``None``; cells compared by :func:`~kcdata.text.text_key`."""
    for i, row in enumerate(rows):
        cells = {text_key(c) for c in row if c}
        if cells & words.measure and (cells & words.departments
                                      or not words.needs_departments):
            return i
    return None


def is_sheet_source(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` is read (or refused) by this module, by its suffix.

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

    ``line`` holds the sheet row (for CSV, the line where the row starts) and a
    ``sheet`` column names the sheet. ``sheet=None``: the only sheet, else 事業一覧.
    ``encoding`` is for CSV (default: UTF-8 with or without BOM, else CP932);
    ``data``: the file's bytes when they have been read already.
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
    """A sheet of an .xlsx workbook or a .csv file as the engine's lines (see the module).

    The file is read once (:func:`kcdata.io.source.read_source`) unless its bytes are
    given as ``data``. :class:`ParseError` for a format not read, an unreadable
    workbook, an unknown sheet, an empty sheet or one without a header row.
    """
    words = HeaderWords.of(layout)
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SHEET_SUFFIXES:
        raise ParseError(_refused(suffix))
    if data is None:
        data = read_source(path).data
    grid = _csv_grid(data, encoding) if suffix == ".csv" else read_xlsx(data, sheet)
    return _source_table(grid, words)


def _refused(suffix: str) -> str:
    """Why a file of this suffix is not read as a spreadsheet, and how to convert it."""
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


def join_line_breaks(text: str, *, separate: bool = False) -> str:
    """A cell's lines joined as a PDF line gives them; a TAB becomes a space.

    A break next to a Japanese character disappears, else it becomes one space. With
    ``separate=True`` (a 所管する課 cell) a break after a department name's ending (課,
    室, …) separates two names, unless the next line is a bare ending (「推進」/「課」).

    >>> join_line_breaks("地域コミュニティの\\n醸成"), join_line_breaks("HUB\\nProject")
    ('地域コミュニティの醸成', 'HUB Project')
    >>> join_line_breaks("市民協働推進\\n課\\n緑と花の課", separate=True)
    '市民協働推進課 緑と花の課'
    """
    if "\n" in text or "\r" in text:
        text = text.strip()

        def joined(match: re.Match[str]) -> str:
            rest = text[match.end():].split(maxsplit=1)  # a bare ending finishes the name
            if separate and text[: match.start()].endswith(_NAME_ENDINGS) and (
                    not rest or rest[0] not in _NAME_ENDINGS):
                return " "
            around = text[match.start() - 1 : match.start()] + text[match.end() : match.end() + 1]
            return "" if _JAPANESE_CHAR.search(around) else " "

        text = _BREAK.sub(joined, text)
    return text.replace("\t", " ")


def _csv_grid(data: bytes, encoding: str | None) -> SheetGrid:
    """A CSV file's rows; ``numbers`` are the lines where they start (a cell may hold breaks)."""
    reader = csv.reader(io.StringIO(decode_document(data, encoding=encoding), newline=""))
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
        if measure in merged:  # one listing over several rows: only this row's own cells
            cells = ["" if j in merged else c for j, c in enumerate(cells)]
        inside = cells[first : last + 1]
        shared = frozenset(j - first for j in merged if first <= j <= last)
        own_inside = [j for j in own if first <= j <= last]
        if not own_inside:
            line, shared = "", frozenset()  # nothing of its own: merges from above only
        elif own_inside == [first] and not shared and measure == first:
            line = inside[0]  # text in the leading 事業名 column only: a heading line
        elif len({cells[j].strip() for j in own_inside}) == 1 < len(own_inside) and not shared:
            line = cells[own_inside[0]].strip()  # one text merged across the table
        else:
            line = "\t".join(inside)
        lines.append(line)
        above.append(shared)
    found += grid.hidden_warnings(grid.numbers[header])
    own_sheet = _own_sheet_lines(header_cells[first : last + 1], lines[header + 1 :],
                                 grid.numbers[header + 1 :], sheet, words)
    if own_sheet is not None:
        lines, above = [*lines[:header], *own_sheet], [frozenset()] * len(lines)
    return SourceTable(lines, list(grid.numbers), above, sheet, grid.numbers[header],
                       warnings=found)


def _own_sheet_lines(headers: list[str], lines: list[str], numbers: list[int],
                     sheet: str | None, words: HeaderWords) -> list[str] | None:
    """kcdata's own listing sheet (事業一覧, measures.csv) in the engine's form, else None.

    It has level pairs 「X」「X名」 (number, title) and a 事業名, a 所管する課 and a 再掲
    column. Each pair becomes one level cell 「N title」 (both blank: same as above); a
    再掲 of ○ (TRUE, 1) puts 【再掲】 before the name, empty (FALSE, 0) does not, anything
    else is a :class:`ParseError`; departments joined by 「、」 are joined by a space, with
    the placeholders column; 行, シート and ページ are dropped; other columns pass on.
    """
    headers = [_ENGLISH.get(h, h) for h in headers]
    keys = [text_key(h) for h in headers]
    levels = [(h, j) for j, h in enumerate(headers[:-1]) if h and headers[j + 1] == f"{h}名"]
    paired = {j + k for _, j in levels for k in (0, 1)}

    def first(found: frozenset[str] | set[str]) -> int | None:
        return next((j for j, k in enumerate(keys) if k in found and j not in paired), None)

    measure, departments = first(words.measure), first(words.departments)
    relisted = first({"再掲"})
    if not levels or measure is None or departments is None or relisted is None:
        return None
    summary, notes = first(words.summary), first({text_key(label("department_notes"))})
    dropped = {first({"行"}), first({"シート", "sheet"}), first({"ページ"})}
    taken = paired | {measure, summary, departments, relisted, notes} | dropped
    extras = [j for j, h in enumerate(headers) if h and j not in taken]
    columns = [j for j in (measure, summary, departments, *extras) if j is not None]
    out = ["\t".join([label for label, _ in levels] + [headers[j] for j in columns])]
    for line, number in zip(lines, numbers, strict=True):
        if not line.strip():
            out.append("")
            continue
        cells = (line.split("\t") + [""] * len(headers))[: len(headers)]
        mark = cells[relisted].strip()
        if mark not in _TRUE and mark not in _FALSE:
            raise ParseError(_("再掲 must be ○ or empty, found 「{mark}」").format(mark=mark),
                             number, sheet)
        row = [f"{cells[j].strip()} {cells[j + 1].strip()}".strip() for _, j in levels]
        row.append(("【再掲】" if mark in _TRUE else "") + cells[measure])
        if summary is not None:
            row.append(cells[summary])
        names = cells[departments] + (" " + cells[notes] if notes is not None else "")
        row.append(" ".join(re.split(r"[、\s]+", names.strip())))
        out.append("\t".join(row + [cells[j] for j in extras]))
    return out

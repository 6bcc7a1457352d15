"""Excel workbooks: safe cell writing, styled sheets, native bar charts, atomic save.

The building blocks are general, so any workbook of the project (the summary
workbook here, a 新旧対照表 elsewhere) is made the same way::

    wb = new_workbook()
    log = CleanLog()
    ws = write_sheet(wb, "所管課別", table, log=log)
    add_bar_chart(ws, categories="所管する課", values=["掲載数"], title="所管課別の掲載数")
    rows = [("題名", None), (None, None), *source_rows("元の文書", path), *made_rows()]
    write_overview(wb.create_sheet("概要", 0), rows, log=log)
    save_workbook(wb, "reports/x.xlsx")

Safety rules applied to every cell written through :func:`write_cell`:

* text is always stored as text: a value beginning with ``=``, ``+``, ``-`` or
  ``@`` shows exactly as the document has it and is never a formula (openpyxl
  would otherwise turn a string beginning with ``=`` into one);
* characters Excel forbids (control characters 0x00-0x1F other than tab, LF
  and CR; lone surrogates; U+FFFE, U+FFFF) are removed and counted in a
  :class:`CleanLog`, and text past Excel's 32,767 characters per cell is cut
  and counted; nothing raises.

openpyxl is imported inside the functions only: ``import kcdata`` stays light.
"""

from __future__ import annotations

import contextlib
import math
import os
import re
import warnings
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from numbers import Integral, Real
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from kcdata.analysis.summaries import plan_totals
from kcdata.files import atomic_path, sha256_of
from kcdata.vocab import LABELS, PlanWords, display_width, plan_words
from kcdata.vocab import label as _label

if TYPE_CHECKING:  # pragma: no cover
    from openpyxl.cell.cell import Cell
    from openpyxl.chart import BarChart
    from openpyxl.workbook import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

__all__ = [
    "EXCEL_MAX_CELL_CHARS",
    "FORMULA_PREFIXES",
    "ILLEGAL_CHARACTERS_RE",
    "SUMMARY_LABELS",
    "SUMMARY_SHEETS",
    "TOTAL_LABELS",
    "CleanLog",
    "OverviewRow",
    "add_bar_chart",
    "clean_cell_text",
    "display_width",
    "japanese_headers",
    "made_rows",
    "new_cell",
    "new_workbook",
    "save_workbook",
    "sheet_headers",
    "source_rows",
    "summary_tables",
    "summary_workbook",
    "wrapped_lines",
    "write_cell",
    "write_overview",
    "write_sheet",
    "write_summary_workbook",
]

#: Excel's limit on the characters in one cell.
EXCEL_MAX_CELL_CHARS = 32_767
#: A cell whose text begins with one of these would be read as a formula by a spreadsheet.
FORMULA_PREFIXES = ("=", "+", "-", "@")
#: Characters an .xlsx cell cannot hold: openpyxl's ``ILLEGAL_CHARACTERS_RE``
#: (0x00-0x08, 0x0B-0x0C, 0x0E-0x1F) plus what XML 1.0 forbids besides
#: (lone surrogates, U+FFFE, U+FFFF), which would break the file instead.
ILLEGAL_CHARACTERS_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

#: Sheet names of the summary workbook, in order (the last two: :mod:`kcdata.outputs.theme_sheets`).
SUMMARY_SHEETS = ("概要", "事業一覧", "基本方針別", "所管課別", "所管課×基本方針", "再掲",
                  "テーマ別", "テーマ該当事業")

HEADER_FILL = "DDEBF7"
HEADER_BORDER = "9BC2E6"
#: Column width cap (in Excel's character units); longer text wraps.
MAX_COLUMN_WIDTH = 60
#: Width of the 概要 sheet's text column.
OVERVIEW_WIDTH = 90
#: Height in points of one line of 11-point text, for rows of wrapped text.
LINE_HEIGHT = 15.0
_INVALID_TITLE_RE = re.compile(r"[\[\]:*?/\\]")
_INTEGER_FORMAT = "#,##0"
_FLOAT_FORMAT = "0.00"
_PERCENT_FORMAT = "0.0%"
_PAPER_A4 = "9"  # openpyxl's Worksheet.PAPERSIZE_A4, which a write-only sheet lacks


@dataclass
class CleanLog:
    """What was changed to make text fit in a workbook (see :func:`clean_cell_text`).

    ``removed`` counts the forbidden characters taken out, ``truncated`` the
    cells cut to Excel's limit, ``cells`` names the cells touched
    (``シート名!A1``).
    """

    removed: int = 0
    truncated: int = 0
    cells: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.removed or self.truncated)

    def note(self, limit: int = 10) -> str:
        """A sentence in Japanese for the 概要 sheet ('' when nothing was changed)."""
        if not self:
            return ""
        parts = []
        if self.removed:
            parts.append(f"Excelで使えない文字（制御文字など）{self.removed}文字を取り除きました")
        if self.truncated:
            parts.append(
                f"{self.truncated}個のセルを1セルの上限{EXCEL_MAX_CELL_CHARS:,}文字で切りました"
            )
        where = "、".join(self.cells[:limit])
        if len(self.cells) > limit:
            where += f" ほか{len(self.cells) - limit}セル"
        return "。".join(parts) + f"（{where}）。"


def clean_cell_text(text: str) -> tuple[str, int, bool]:
    """Text an .xlsx cell can hold: ``(text, characters removed, truncated?)``.

    Forbidden characters (:data:`ILLEGAL_CHARACTERS_RE`) are removed, then text
    longer than :data:`EXCEL_MAX_CELL_CHARS` is cut. Tabs, line feeds and
    carriage returns are kept. Pure: the input is not changed.

    >>> clean_cell_text("A\\x00B\\x1f\\tC")
    ('AB\\tC', 2, False)
    """
    cleaned, removed = ILLEGAL_CHARACTERS_RE.subn("", text)
    truncated = len(cleaned) > EXCEL_MAX_CELL_CHARS
    if truncated:
        cleaned = cleaned[:EXCEL_MAX_CELL_CHARS]
    return cleaned, removed, truncated


def wrapped_lines(text: str, width: float) -> int:
    """How many lines ``text`` takes in a wrapping cell ``width`` characters wide (estimate).

    Each line of the text wraps every ``width - 1`` half-width units (see
    :func:`display_width`); used to set the heights of rows with wrapped text.

    >>> wrapped_lines("事業" * 10, 12)  # 40 units in 11-unit lines
    4
    """
    usable = max(int(width) - 1, 1)
    return sum(max(1, math.ceil(display_width(line) / usable)) for line in str(text).split("\n"))


def new_workbook(*, title: str | None = None, write_only: bool = False) -> Workbook:
    """An empty openpyxl Workbook (no sheets) with kcdata as its author.

    ``write_only=True``: openpyxl's write-only workbook, whose sheets send each
    row to disk as it is appended. Memory stays small whatever the size of the
    tables, but nothing written can be read back and the workbook can be saved
    once. :func:`write_sheet` and :func:`write_overview` write either kind.
    """
    from openpyxl import Workbook

    from kcdata import __version__

    wb = Workbook(write_only=write_only)
    if not write_only:  # a write-only workbook starts without a sheet
        wb.remove(wb.active)
    wb.properties.creator = f"kcdata {__version__}"
    wb.properties.lastModifiedBy = f"kcdata {__version__}"
    wb.properties.language = "ja-JP"
    if title:
        wb.properties.title = title
    return wb


def write_cell(
    ws: Worksheet, row: int, column: int, value: Any, *, log: CleanLog | None = None
) -> Cell:
    """Write one value safely; return the cell.

    * ``None``, NaN and ``pd.NA`` leave the cell empty;
    * booleans, integers and floats are written as numbers (NumPy scalars included);
    * tuples and lists are joined with 「、」;
    * anything else is written as text: forbidden characters removed (counted in
      ``log``), and always stored as a string, never a formula. Text that a
      spreadsheet would read as a formula (see :data:`FORMULA_PREFIXES`) also
      gets Excel's quote prefix, so it stays text when the cell is edited.

    A sheet of a write-only workbook takes whole rows instead: :func:`new_cell`.
    """
    cell = ws.cell(row=row, column=column)
    _fill(cell, _safe_value(value, log, ws.title, row, column))
    return cell


def new_cell(
    ws: Worksheet, row: int, column: int, value: Any, *, log: CleanLog | None = None
) -> Cell:
    """A cell of ``ws`` holding ``value`` under :func:`write_cell`'s rules, not yet in the sheet.

    For ``ws.append([...])``, which any sheet takes (a write-only one only
    takes rows): ``row`` and ``column`` are where the cell will land, named in
    ``log`` when text had to be cleaned.
    """
    from openpyxl.cell.cell import Cell

    cell = Cell(ws, row=row, column=column)
    _fill(cell, _safe_value(value, log, ws.title, row, column))
    return cell


def _safe_value(value: Any, log: CleanLog | None, sheet: str, row: int, column: int) -> Any:
    """What a cell holds for ``value``: None, a number, or text that an .xlsx cell can hold."""
    value = _cell_value(value)
    if value is None or isinstance(value, bool | int | float):
        return value
    text, removed, truncated = clean_cell_text(value)
    if log is not None and (removed or truncated):
        from openpyxl.utils import get_column_letter

        log.removed += removed
        log.truncated += int(truncated)
        log.cells.append(f"{sheet}!{get_column_letter(column)}{row}")
    return text


def _fill(cell: Cell, value: Any) -> None:
    """Put a safe value (:func:`_safe_value`) in ``cell``; text stays text, never a formula."""
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"  # openpyxl makes any "=..." a formula: keep it the document's text
        if value.startswith(FORMULA_PREFIXES):
            cell.quotePrefix = True


def _cell_value(value: Any) -> Any:
    """A Python scalar for a cell: None, bool, int, float or str."""
    if value is None:
        return None
    if isinstance(value, tuple | list):
        return "、".join(str(v) for v in value)
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, Integral):
        return int(value)
    if isinstance(value, Real):
        number = float(value)
        return None if math.isinf(number) else number
    if isinstance(value, str):
        return value
    return str(value)


def write_sheet(
    wb: Workbook,
    title: str,
    df: pd.DataFrame,
    *,
    index: bool = False,
    labels: Mapping[str, str] | None = None,
    wrap: Iterable[str] = ("summary",),
    formats: Mapping[str, str] | None = None,
    max_width: int = MAX_COLUMN_WIDTH,
    freeze_columns: int = 0,
    as_table: bool = False,
    table_name: str | None = None,
    log: CleanLog | None = None,
) -> Worksheet:
    """Add a sheet holding ``df`` as a finished table; return the worksheet.

    * headers in Japanese: ``labels`` first, then :func:`kcdata.vocab.label`
      (tuple column names are joined with "-"); made unique if two collide;
    * a bold, filled header row, frozen under it (and left of
      ``freeze_columns`` columns), an autofilter over the data — or, with
      ``as_table=True``, an Excel table with a name unique in the workbook;
    * column widths fitted to the text (full-width characters count as two),
      capped at ``max_width``; columns named in ``wrap`` and any text wider
      than the cap wrap;
    * number formats: a column named ``share`` as 0.0 %, integers with a
      thousands separator, floats with two decimals; ``formats`` maps column
      names to Excel formats and overrides these;
    * page set-up for printing: A4 landscape, fit to width, header row repeated.

    With ``index=True`` the index is written as the first column(s). Every value
    follows :func:`write_cell`'s rules. The rows are appended in order, so
    the sheet may belong to a write-only workbook (:func:`new_workbook`):
    widths and row heights are worked out from the values first. ``df`` is
    not modified. A table larger than a sheet (1,048,576 rows, 16,384
    columns) raises :class:`kcdata.limits.ExcelLimitError` before anything
    is written. Cost: linear in the cells, a few microseconds each.
    """
    from openpyxl.cell.cell import Cell
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    from kcdata.limits import check_sheet_size

    data = df.reset_index() if index else df
    names = list(data.columns)
    check_sheet_size(title, len(data) + 1, len(names))
    headers = _unique_headers(names, labels or {})
    formats = dict(formats or {})
    wrap = set(wrap)

    ws = wb.create_sheet(_unique_sheet_title(wb, title))
    sheet = ws.title
    header_row = [new_cell(ws, 1, j, header, log=log) for j, header in enumerate(headers, start=1)]
    columns = [
        [_safe_value(value, log, sheet, i, j) for i, value in enumerate(data[name].tolist(), 2)]
        for j, name in enumerate(names, start=1)
    ]

    # widths: the widest text (capped) or number of each column; longer text wraps
    number_formats = [formats.get(str(n)) or _default_format(str(n), data[n]) for n in names]
    column_widths, wrapped = [], []
    for j, values in enumerate(columns):
        width = display_width(headers[j])
        long_text = False
        for value in values:
            if isinstance(value, str):
                text_width = display_width(value)
                long_text = long_text or text_width > max_width
                width = max(width, min(text_width, max_width))
            elif value is not None:
                width = max(width, _number_width(value, number_formats[j]))
        wrapped.append(names[j] in wrap or long_text)
        column_widths.append(max_width + 2 if wrapped[j] else min(width + 2, max_width + 2))
    # Neither Excel nor LibreOffice reliably grows rows of wrapped text on opening.
    row_lines = [1] * (len(data) + 2)
    for j, values in enumerate(columns):
        if wrapped[j]:
            for i, value in enumerate(values, start=2):
                if isinstance(value, str):
                    row_lines[i] = max(row_lines[i], wrapped_lines(value, column_widths[j]))

    # a write-only sheet writes its widths, frozen panes and fit-to-page with its first row
    for j, width in enumerate(column_widths, start=1):
        ws.column_dimensions[get_column_letter(j)].width = width
    ws.freeze_panes = f"{get_column_letter(freeze_columns + 1)}2"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    fill = PatternFill("solid", start_color=HEADER_FILL, end_color=HEADER_FILL)
    border = Border(bottom=Side(style="thin", color=HEADER_BORDER))
    centred = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for cell in header_row:
        cell.font = Font(bold=True)
        cell.fill = fill
        cell.border = border
        cell.alignment = centred
    ws.append(header_row)
    top = Alignment(vertical="top")
    top_wrapped = Alignment(vertical="top", wrap_text=True)
    alignments = [top_wrapped if w else top for w in wrapped]
    for i, values in enumerate(zip(*columns, strict=True), start=2):
        if row_lines[i] > 1:
            ws.row_dimensions[i].height = row_lines[i] * LINE_HEIGHT
        row = []
        for j, value in enumerate(values):
            cell = Cell(ws, row=i, column=j + 1)
            _fill(cell, value)  # a safe value already (columns above)
            cell.alignment = alignments[j]
            if number_formats[j] and isinstance(value, int | float) and not isinstance(value, bool):
                cell.number_format = number_formats[j]
            row.append(cell)
        ws.append(row)

    last = f"{get_column_letter(max(len(names), 1))}{len(data) + 1}"
    if names:
        if as_table and len(data):
            _add_table(wb, ws, f"A1:{last}", table_name, [cell.value for cell in header_row])
        else:
            ws.auto_filter.ref = f"A1:{last}"
    ws.print_title_rows = "1:1"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = _PAPER_A4
    ws.page_setup.fitToHeight = 0
    ws.page_setup.fitToWidth = 1
    return ws


def japanese_headers(df: pd.DataFrame, labels: Mapping[str, str] | None = None) -> pd.DataFrame:
    """A copy of ``df`` with the Japanese headers :func:`write_sheet` would give it.

    For showing a table in a notebook as it appears in the workbook.

    >>> japanese_headers(pd.DataFrame({"measure": ["A事業"], "listings": [1]})).columns.tolist()
    ['事業名', '掲載数']
    """
    out = df.copy()
    out.columns = _unique_headers(list(df.columns), labels or {})
    return out


def _unique_headers(names: Sequence[Any], labels: Mapping[str, str]) -> list[str]:
    headers: list[str] = []
    for name in names:
        key = "-".join(str(n) for n in name) if isinstance(name, tuple) else str(name)
        text = labels.get(key) or _label(key)
        candidate, k = text, 2
        while candidate in headers:
            candidate, k = f"{text}({k})", k + 1
        headers.append(candidate)
    return headers


def _unique_sheet_title(wb: Workbook, title: str) -> str:
    """A valid sheet title (no []:*?/\\, at most 31 characters) not yet in ``wb``."""
    base = ILLEGAL_CHARACTERS_RE.sub("", _INVALID_TITLE_RE.sub("_", title)).strip("'")[:31]
    base = base or "Sheet"
    candidate, k = base, 2
    while candidate in wb.sheetnames:
        suffix = f"({k})"
        candidate, k = base[: 31 - len(suffix)] + suffix, k + 1
    return candidate


def _default_format(name: str, column: pd.Series) -> str | None:
    if name == "share":
        return _PERCENT_FORMAT
    if pd.api.types.is_bool_dtype(column):
        return None
    if pd.api.types.is_integer_dtype(column):
        return _INTEGER_FORMAT
    if pd.api.types.is_float_dtype(column):
        return _FLOAT_FORMAT
    return None


def _number_width(value: float | int | bool, number_format: str | None) -> int:
    if isinstance(value, bool):
        return 5
    if number_format == _PERCENT_FORMAT:
        return len(f"{value:.1%}")
    if isinstance(value, int):
        return len(f"{value:,}")
    return len(f"{value:,.2f}")


def _add_table(
    wb: Workbook, ws: Worksheet, ref: str, name: str | None, headers: Sequence[str]
) -> None:
    """An Excel table over ``ref``, its columns named ``headers`` (the header row as written:
    openpyxl would read them back from the cells, which a write-only sheet cannot do)."""
    from openpyxl.worksheet.filters import AutoFilter
    from openpyxl.worksheet.table import Table, TableColumn, TableStyleInfo

    taken = {t.lower() for sheet in wb.worksheets for t in sheet.tables}
    base = re.sub(r"[^0-9A-Za-z_]", "_", name or "Table")
    if not re.match(r"[A-Za-z_]", base):
        base = f"T_{base}"
    candidate, k = base, 1
    while candidate.lower() in taken or re.fullmatch(r"[A-Za-z]{1,3}[0-9]+|[RrCc]", candidate):
        k += 1
        candidate = f"{base}{k}"
    table = Table(displayName=candidate, ref=ref)
    table.tableColumns = [TableColumn(id=k, name=str(h)) for k, h in enumerate(headers, start=1)]
    table.autoFilter = AutoFilter(ref=ref)
    table.tableStyleInfo = TableStyleInfo(name="TableStyleLight9", showRowStripes=True)
    with warnings.catch_warnings():  # said of every write-only table: its columns are set above
        warnings.filterwarnings("ignore", "In write-only mode you must add table columns")
        ws.add_table(table)


def add_bar_chart(
    ws: Worksheet,
    *,
    categories: str,
    values: Sequence[str],
    title: str,
    anchor: str | None = None,
    horizontal: bool = True,
    stacked: bool = False,
    axis_title: str | None = None,
    header_row: int = 1,
    last_row: int | None = None,
    width: float = 18.0,
    height: float | None = None,
    headers: Sequence[str] | None = None,
) -> BarChart:
    """Add a native Excel bar chart over the sheet's own cells; return it.

    ``categories`` and ``values`` name header cells (the Japanese header shown,
    or a column name that :func:`kcdata.vocab.label` turns into it). The chart
    references the cells below them (down to ``last_row``, default the last
    row), so it can be restyled in Excel and follows edits to the data. Bars are
    horizontal by default, categories top to bottom in sheet order; with
    ``stacked=True`` the series are stacked. The chart is placed at ``anchor``
    (default: two columns right of the data) and sized in centimetres; the
    height grows with the number of categories when not given. The sheet of a
    write-only workbook cannot be read back: give its ``headers`` (the header
    row's texts) and ``last_row``.
    """
    from openpyxl.chart import BarChart, Reference
    from openpyxl.utils import get_column_letter

    if headers is None:  # read from the sheet
        headers = [cell.value for cell in ws[header_row]]
    last_row = ws.max_row if last_row is None else last_row
    if last_row <= header_row:
        raise ValueError(f"sheet {ws.title!r} has no data rows for a chart")
    category_col = _header_column(ws, headers, categories)
    chart = BarChart()
    chart.type = "bar" if horizontal else "col"
    chart.style = 10
    chart.gapWidth = 60  # bars wider than the thin default (150)
    chart.title = title
    if stacked:
        chart.grouping = "stacked"
        chart.overlap = 100
    for name in values:
        col = _header_column(ws, headers, name)
        ref = Reference(ws, min_col=col, min_row=header_row, max_row=last_row)
        chart.add_data(ref, titles_from_data=True)
    chart.set_categories(
        Reference(ws, min_col=category_col, min_row=header_row + 1, max_row=last_row)
    )
    # openpyxl 3.1 leaves axes' "delete" unset, which newer Excel reads as hidden axes.
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.y_axis.number_format = "0"
    if axis_title:
        chart.y_axis.title = axis_title
    if horizontal:
        chart.x_axis.axPos, chart.y_axis.axPos = "l", "b"
        chart.x_axis.scaling.orientation = "maxMin"  # first row at the top, as in the sheet
        chart.y_axis.crosses = "max"  # value axis at the bottom once categories are reversed
    else:
        chart.x_axis.axPos, chart.y_axis.axPos = "b", "l"
    if len(values) == 1:
        chart.legend = None
    else:
        chart.legend.position = "b"
    n = last_row - header_row
    chart.width = width
    # At most 100 cm tall: the numbers of a longer table stay in the sheet.
    chart.height = height if height is not None else min(max(7.5, 2.0 + 0.55 * n), 100.0)
    if anchor is None:
        anchor = f"{get_column_letter(len(headers) + 2)}{header_row + 1}"
    ws.add_chart(chart, anchor)
    return chart


def _header_column(ws: Worksheet, headers: Sequence[Any], name: str) -> int:
    """The 1-based column of ``name`` (a header, or a column name it labels) in ``headers``."""
    wanted = (name, _label(name))
    for column, header in enumerate(headers, start=1):
        if header in wanted:
            return column
    raise KeyError(f"no column {name!r} in the header row of sheet {ws.title!r}: "
                   f"{list(headers)}")


def save_workbook(wb: Workbook, path: str | os.PathLike[str]) -> Path:
    """Save ``wb`` to ``path`` atomically; return the path.

    The workbook is written to a temporary file beside ``path`` and renamed
    into place: a failure leaves any previous file untouched and no temporary
    file behind; the file gets ordinary permissions; ``data/raw/`` is refused
    (see :func:`kcdata.files.atomic_path`).

    With ``SOURCE_DATE_EPOCH`` set, the zip entries' times and the document
    properties' created/modified dates all come from it
    (:func:`kcdata.stamps.restamp_zip`), so the same workbook gives the same
    bytes on every run.
    """
    from kcdata.stamps import restamp_zip, source_date_epoch

    fixed = source_date_epoch()
    with atomic_path(path) as tmp:
        wb.save(tmp)
        if fixed is not None:
            restamp_zip(tmp, fixed)
    return Path(path)


# --- the 概要 sheet of any workbook ------------------------------------------------------

#: A row of a 概要 sheet: (key, value). A key without a value is a section heading
#: (bold); a row of two ``None`` is a blank line. The first row is the title.
OverviewRow = tuple[str | None, Any]


def source_rows(
    label: str, source: str | os.PathLike[str] | None, sha256: str | None = None
) -> list[OverviewRow]:
    """The 概要 rows naming a source document: its file name and its SHA-256.

    ``label`` names the document (「元の文書」, 「旧の文書」); without a
    ``source`` one row says it was not given. ``sha256`` is the hash of the
    bytes that were parsed (:attr:`kcdata.io.source.Source.sha256`); only when it
    is not given is the file read again to compute it.

    >>> source_rows("元の文書", None)
    [('元の文書', '（指定なし）')]
    """
    if source is None:
        return [(label, "（指定なし）")]
    return [(label, Path(source).name), (f"{label}のSHA-256", sha256 or sha256_of(source))]


def made_rows(made_at: datetime | None = None) -> list[OverviewRow]:
    """The 概要 rows saying when and by what a file was made.

    ``made_at`` defaults to :func:`kcdata.stamps.made_time`: ``SOURCE_DATE_EPOCH``
    in UTC when set, else now in local time. It is shown to the minute with its
    UTC offset (「2026-11-29 22:10 (+09:00)」); a naive ``made_at`` is taken as
    local time. The program is kcdata with its version.

    >>> from datetime import timedelta, timezone
    >>> made_rows(datetime(2026, 11, 29, 22, 10, tzinfo=timezone(timedelta(hours=9))))[0]
    ('作成日時', '2026-11-29 22:10 (+09:00)')
    """
    from kcdata import __version__
    from kcdata.stamps import format_made_time, made_time

    made_at = made_at or made_time()
    return [
        ("作成日時", format_made_time(made_at)),
        ("作成したプログラム", f"kcdata {__version__}"),
    ]


def write_overview(
    ws: Worksheet,
    rows: Sequence[OverviewRow],
    *,
    log: CleanLog | None = None,
    key_fills: Mapping[str, str] | None = None,
    width: float = OVERVIEW_WIDTH,
) -> Worksheet:
    """Write a 概要 sheet of key/value rows into ``ws``; return it.

    The first row is the title (bold, 14 pt); a key without a value is a
    section heading (bold); values wrap in a column ``width`` wide, top- and
    left-aligned, rows made tall enough for their lines; integers get a
    thousands separator. A key named in ``key_fills`` gets that fill colour
    (RGB), for a legend. When ``log`` (the :class:`CleanLog` of the workbook's
    other sheets) recorded changes, a 「注意」 row with its note is added last.
    The key column is fitted to the widest key after the title; the sheet
    prints on A4, fitted to the page width. Every value follows
    :func:`write_cell`'s rules; the rows are appended in order (``ws`` may be
    a sheet of a write-only workbook, see :func:`new_workbook`).
    """
    from openpyxl.styles import Alignment, Font, PatternFill

    rows = list(rows)
    if log:
        rows += [(None, None), ("注意", log.note())]
    key_fills = key_fills or {}
    key_alignment = Alignment(vertical="top")
    value_alignment = Alignment(wrap_text=True, vertical="top", horizontal="left")
    keys = [key for key, _ in rows[1:] if key]
    ws.column_dimensions["A"].width = max(map(display_width, keys), default=8) + 2
    ws.column_dimensions["B"].width = width
    ws.sheet_properties.pageSetUpPr.fitToPage = True  # before the rows: see write_sheet
    for i, (key, value) in enumerate(rows, start=1):
        key_cell = value_cell = None
        if key is not None:
            key_cell = new_cell(ws, i, 1, key)
            key_cell.font = Font(bold=True, size=14) if i == 1 else Font(bold=value is None)
            key_cell.alignment = key_alignment
            if key in key_fills:
                color = key_fills[key]
                key_cell.fill = PatternFill("solid", start_color=color, end_color=color)
        if value is not None:
            value_cell = new_cell(ws, i, 2, value)
            value_cell.alignment = value_alignment
            if isinstance(value_cell.value, str):
                lines = wrapped_lines(value_cell.value, width)
                if lines > 1:
                    ws.row_dimensions[i].height = lines * LINE_HEIGHT
            elif isinstance(value_cell.value, int) and not isinstance(value_cell.value, bool):
                value_cell.number_format = _INTEGER_FORMAT
        ws.append([key_cell, value_cell])
    ws.page_setup.paperSize = _PAPER_A4
    ws.page_setup.fitToHeight = 0
    ws.page_setup.fitToWidth = 1
    return ws


# --- the summary workbook ---------------------------------------------------------------

#: Headers of the summary tables where a column means something else than in the
#: listing table (``departments`` is a count there, ``relisted`` a count of 【再掲】).
SUMMARY_LABELS = {
    "departments": "所管課の数",
    "relisted": "うち再掲",
    "total": "計",
}
#: The summary sheets whose headers use :data:`SUMMARY_LABELS`.
_SUMMARY_LABELLED = ("基本方針別", "所管課別", "所管課×基本方針")

#: The totals of :func:`kcdata.analysis.summaries.plan_totals` as the 概要 sheet names them.
TOTAL_LABELS = {
    "listings": "掲載数（【再掲】を含む表の行の数）",
    "relisted": "うち【再掲】",
    "measures": "事業数（【再掲】を除く事業名の種類）",
    "departments": "所管課の数",
    "pairs": "掲載と所管課の組の数",
    "co_managed": "共管の掲載数（2つ以上の課が所管）",
    "policies": "基本方針の数",
    "directions": "施策の方向性の数",
}

CONVENTIONS = (
    "掲載数：計画の表の行を1件と数えます。【再掲】の行も1件です。",
    "事業数：「概要」の集計では【再掲】の行を除いた事業名の種類の数、「基本方針別」では"
    "【再掲】を除いた掲載の数、「所管課別」では課の掲載のうち同じ名前の事業"
    "（【再掲】とその元の掲載など）を1事業と数えた数です。",
    "所管課の数：「所管する課」の欄に現れる課の名前の種類の数です。",
    "掲載と所管課の組：2つ以上の課が所管する（共管の）掲載は、課ごとに1件と数えます。"
    "「所管課別」の掲載数の合計はこの数になります。",
    "構成比：「所管課別」の掲載数を、掲載と所管課の組の数で割った割合です。",
    "「所管課×基本方針」：課ごと・基本方針ごとの掲載数（共管は課ごとに1件）です。",
    "「再掲」：【再掲】の行と、同じ事業名の元の掲載の位置です。"
    "「内容の一致」は事業概要と所管する課が元の掲載と同じかどうかです。",
    "行：元の文書での行番号です。",
)


def summary_tables(
    df: pd.DataFrame,
    *,
    japanese: bool = False,
    themes: Any = None,
    sheets: Iterable[str] | None = None,
) -> dict[str, pd.DataFrame]:
    """The tables of the summary workbook's data sheets, keyed by sheet name.

    DataFrames with the project's column names (the headers become Japanese
    when written; ``japanese=True`` gives them the workbook's headers already):
    事業一覧 (every listing, departments joined with 「、」, 【再掲】 as 「○」),
    基本方針別 (:func:`kcdata.analysis.summaries.policy_summary`), 所管課別
    (``department_summary``), 所管課×基本方針 (``department_matrix`` with a
    計 column), 再掲 (``relisted_links``, 「一致」/「不一致」), テーマ別 and
    テーマ該当事業 (:func:`kcdata.outputs.theme_sheets.theme_tables` with ``themes``,
    default kcdata's own dictionary). ``sheets``: only these sheets (named in
    the default words, as in :data:`SUMMARY_SHEETS`), in workbook order; the
    theme dictionary is searched only when a theme sheet is asked for.
    Pure: ``df`` is not modified.
    """
    from kcdata.analysis import summaries as analysis
    from kcdata.outputs.theme_sheets import THEME_SHEETS, theme_tables

    wanted = set(SUMMARY_SHEETS[1:] if sheets is None else sheets)
    words = plan_words(df)
    listings = df.copy()
    listings["departments"] = listings["departments"].map("、".join)
    listings["relisted"] = listings["relisted"].map({True: "○", False: ""})

    policies = analysis.policy_summary(df).reset_index()

    departments = analysis.department_summary(df).reset_index()

    matrix = analysis.department_matrix(df)
    matrix = matrix.rename(columns=lambda no: words.section(0, no))
    matrix["total"] = matrix.sum(axis=1)
    matrix = matrix.rename_axis(index="department", columns=None).reset_index()

    links = analysis.relisted_links(df).copy()
    links["consistent"] = links["consistent"].map({True: "一致", False: "不一致"})

    tables = {
        "事業一覧": listings,
        "基本方針別": policies,
        "所管課別": departments,
        "所管課×基本方針": matrix,
        "再掲": links,
        **(theme_tables(df, themes) if wanted & set(THEME_SHEETS) else {}),
    }
    tables = {name: table for name, table in tables.items() if name in wanted}
    if japanese:
        tables = {name: japanese_headers(t, _sheet_labels(name, words))
                  for name, t in tables.items()}
    return {words.say(name): table for name, table in tables.items()}


def sheet_headers(
    sheet: str, table: pd.DataFrame, words: PlanWords | None = None
) -> dict[str, str]:
    """The workbook's header of each column of a summary ``table``: column -> header.

    ``sheet`` is the table's sheet, named in the default words (as in
    :data:`SUMMARY_SHEETS`); ``words`` the plan's words (default the usual ones).
    The headers are those of ``summary_tables(df, japanese=True)``.

    >>> sheet_headers("所管課別", pd.DataFrame(columns=["department", "listings"]))
    {'department': '所管する課', 'listings': '掲載数'}
    """
    names = [str(c) for c in table.columns]
    return dict(zip(names, _unique_headers(names, _sheet_labels(sheet, words)), strict=True))


def _sheet_labels(sheet: str, words: PlanWords | None = None) -> Mapping[str, str]:
    """The headers of a summary sheet (named in the default words), in the plan's words."""
    from kcdata.outputs.theme_sheets import THEME_LABELS, THEME_SHEETS

    words = words or PlanWords()
    labels = {column: words.label(column) for column in LABELS}
    if sheet in _SUMMARY_LABELLED:
        labels.update({column: words.say(text) for column, text in SUMMARY_LABELS.items()})
    if sheet in THEME_SHEETS:
        labels.update({column: words.say(text) for column, text in THEME_LABELS.items()})
    return labels


def summary_workbook(
    df: pd.DataFrame,
    *,
    source: str | os.PathLike[str] | None = None,
    made_at: datetime | None = None,
    themes: Any = None,
    source_sha256: str | None = None,
    write_only: bool | None = False,
) -> Workbook:
    """The summary workbook for a listing table, as an openpyxl Workbook (not saved).

    Sheets (:data:`SUMMARY_SHEETS`): 概要 (source file name and SHA-256 when
    ``source`` is given, when it was made — ``made_at``, default now, local
    time — the kcdata version, :func:`kcdata.analysis.summaries.plan_totals`, the counting
    conventions, and a note if any text had to be cleaned), then the tables of
    :func:`summary_tables`, with native bar charts on 基本方針別, 所管課別 and
    テーマ別. ``themes``: the theme dictionary of the theme sheets (default
    kcdata's own), named with its SHA-256 on 概要. ``write_only=True`` makes
    a write-only workbook (:func:`new_workbook`): its rows are on disk already,
    so memory stays small at any size, but it can only be saved, once;
    ``None`` chooses it when the tables hold more than
    :data:`kcdata.limits.STREAMED_CELLS` cells (what
    :func:`write_summary_workbook` does). Cost: linear in the cells.
    """
    from openpyxl.formatting.rule import ColorScaleRule
    from openpyxl.utils import get_column_letter

    from kcdata.analysis.themes import load_themes
    from kcdata.outputs import theme_sheets
    from kcdata.safetext import lone_surrogates_removed, warn_removed

    df, surrogates, cleaned_columns = lone_surrogates_removed(df)
    if surrogates:
        warn_removed(surrogates, "workbook", cleaned_columns)
    words = plan_words(df)
    say = words.say
    dictionary = load_themes(themes)
    tables = dict(zip(SUMMARY_SHEETS[1:], summary_tables(df, themes=dictionary).values(),
                      strict=True))
    check_summary_size(tables)
    if write_only is None:
        from kcdata.limits import STREAMED_CELLS

        write_only = sum(table.size for table in tables.values()) > STREAMED_CELLS
    wb = new_workbook(title=f"{words.title or '計画'} 集計", write_only=write_only)
    with closed_on_failure(wb):
        log = CleanLog()
        if surrogates:  # noted on the 概要 sheet with the other characters removed
            log.removed += surrogates
            log.cells.append(f"元の表の列 {'・'.join(cleaned_columns) or '名前'}")
        overview = wb.create_sheet("概要")

        matrix_parts, matrix_note = matrix_sheets(tables["所管課×基本方針"])
        sheets, headers = {}, {}
        for name, table in tables.items():
            parts = matrix_parts if name == "所管課×基本方針" else [(name, table)]
            for title, part in parts:  # title: the canonical name, 所管課×基本方針(2) for a part
                labels = _sheet_labels(name, words)
                sheets[title] = write_sheet(
                    wb, say(title), part, labels=labels, log=log,
                    freeze_columns=1 if name in ("所管課別", "所管課×基本方針", "テーマ別") else 0,
                )
                headers[title] = _unique_headers(list(part.columns), labels)  # as written
        theme_sheets.add_theme_chart(
            sheets["テーマ別"], theme_sheets.policy_columns(tables["テーマ別"]),
            title=say("テーマ別の事業数（基本方針別）"),
            headers=headers["テーマ別"], rows=len(tables["テーマ別"]),
        )
        add_bar_chart(  # measures + relisted = listings: 【再掲】 stacked at the end of each bar
            sheets["基本方針別"], categories=words.label("policy"),
            values=["measures", SUMMARY_LABELS["relisted"]],
            title=say("基本方針別の掲載数（【再掲】を含む）"), axis_title="掲載数", stacked=True,
            headers=headers["基本方針別"], last_row=len(tables["基本方針別"]) + 1,
        )
        add_bar_chart(
            sheets["所管課別"], categories=words.label("department"), values=["listings"],
            title=say("所管課別の掲載数"), axis_title="掲載数（共管は課ごとに1件）",
            headers=headers["所管課別"], last_row=len(tables["所管課別"]) + 1,
        )
        for title, matrix in matrix_parts:
            if len(matrix) and matrix.shape[1] > 2:  # shade the counts, not the names and the 計
                counts = f"B2:{get_column_letter(matrix.shape[1] - 1)}{len(matrix) + 1}"
                sheets[title].conditional_formatting.add(
                    counts,
                    ColorScaleRule(start_type="num", start_value=0, start_color="FFFFFF",
                                   end_type="max", end_color="5B9BD5"),
                )

        totals = plan_totals(df)
        layout = df.attrs.get("layout")
        rows: list[OverviewRow] = [
            (f"{words.title or '計画'}の集計", None),
            (None, None),
            *source_rows("元の文書", source, source_sha256),
            *made_rows(made_at),
            *((("レイアウト", layout),) if layout else ()),
            *theme_sheets.overview_rows(dictionary),
            (None, None),
            ("集計", None),
            *((say(TOTAL_LABELS[k]), int(v)) for k, v in totals.items()),
            (None, None),
            ("数え方", None),
            *((f"{i}.", say(text)) for i, text in
              enumerate((*CONVENTIONS, theme_sheets.THEME_CONVENTION), start=1)),
            (None, None),
            ("シート", None),
            *((say(name), say({**_SHEET_NOTES, **theme_sheets.THEME_SHEET_NOTES}[name]
                              + (matrix_note if name == "所管課×基本方針" else "")))
              for name in SUMMARY_SHEETS[1:]),
        ]
        write_overview(overview, rows, log=log)
    return wb


@contextlib.contextmanager
def closed_on_failure(wb: Workbook) -> Iterator[None]:
    """Close the sheets of a write-only ``wb`` at once if the block fails or is interrupted.

    Each sheet of a write-only workbook writes into an open temporary file.
    Left open, the sheets would be closed by the garbage collector as Python
    exits, in no set order, which prints a traceback after Ctrl-C. Closed here,
    their temporary files are removed at exit as openpyxl arranges.
    """
    try:
        yield
    except BaseException:
        if wb.write_only:
            for ws in wb.worksheets:
                with contextlib.suppress(Exception):  # a sheet already closed or saved
                    ws.close()
        raise


def check_summary_size(tables: Mapping[str, pd.DataFrame]) -> None:
    """Refuse, before anything is written, a summary table too long for one Excel sheet.

    Raises :class:`kcdata.limits.ExcelLimitError` naming the sheet. The
    所管課×基本方針 matrix is only checked for rows: a matrix too wide is
    transposed or split (:func:`matrix_sheets`).
    """
    from kcdata.limits import check_sheet_size

    for name, table in tables.items():
        columns = 1 if name == "所管課×基本方針" else table.shape[1]
        check_sheet_size(name, len(table) + 1, columns)


def matrix_sheets(matrix: pd.DataFrame) -> tuple[list[tuple[str, pd.DataFrame]], str]:
    """The 所管課×基本方針 table as sheets that fit Excel's columns, and a note for 概要.

    ``matrix`` is :func:`summary_tables`' (a ``department`` column, one column
    per 基本方針, ``total``). Up to :data:`kcdata.limits.EXCEL_MAX_COLUMNS`
    columns it is one sheet as it is (note ``""``). Wider, it is transposed
    (one row per 基本方針, one column per department, ``total`` per 基本方針)
    when the departments fit in the columns; otherwise it is split into
    sheets 所管課×基本方針, 所管課×基本方針(2), ... of at most 16,382
    基本方針 columns each, every sheet with the departments' 計. Pure.
    """
    from kcdata.limits import EXCEL_MAX_COLUMNS, EXCEL_MAX_ROWS

    title = "所管課×基本方針"
    if matrix.shape[1] <= EXCEL_MAX_COLUMNS:
        return [(title, matrix)], ""
    counts = matrix.drop(columns=["department", "total"])
    if len(matrix) + 2 <= EXCEL_MAX_COLUMNS and counts.shape[1] + 1 <= EXCEL_MAX_ROWS:
        transposed = counts.T.set_axis(matrix["department"].astype(str).tolist(), axis=1)
        transposed = transposed.rename_axis(index="policy", columns=None).reset_index()
        transposed["total"] = counts.sum(axis=0).to_numpy()
        note = (f"基本方針が{counts.shape[1]:,}あり、Excelの列の上限を超えるため、"
                "行に基本方針、列に所管課を並べています（行と列を入れ替え）。")
        return [(title, transposed)], note
    width = EXCEL_MAX_COLUMNS - 2
    parts = []
    for k, start in enumerate(range(0, counts.shape[1], width), start=1):
        part = pd.concat(
            [matrix[["department"]], counts.iloc[:, start:start + width], matrix[["total"]]],
            axis=1,
        )
        parts.append((title if k == 1 else f"{title}({k})", part))
    note = (f"基本方針が{counts.shape[1]:,}あり、Excelの列の上限を超えるため、"
            f"{len(parts)}枚のシートに分けています（計は各課のすべての基本方針の合計）。")
    return parts, note


_SHEET_NOTES = {
    "事業一覧": "すべての掲載（文書の順）。フィルターで絞り込めます。",
    "基本方針別": "基本方針ごとの掲載数・再掲・事業数・所管課の数と棒グラフ。",
    "所管課別": "課ごとの掲載数・事業数・関わる基本方針と施策の方向性の数・共管・構成比"
    "と棒グラフ。",
    "所管課×基本方針": "課と基本方針の組ごとの掲載数（色が濃いほど多い）。",
    "再掲": "【再掲】の行と元の掲載の対応。",
}


def write_summary_workbook(
    df: pd.DataFrame,
    path: str | os.PathLike[str],
    *,
    source: str | os.PathLike[str] | None = None,
    made_at: datetime | None = None,
    themes: Any = None,
    source_sha256: str | None = None,
) -> Path:
    """Write :func:`summary_workbook` to ``path`` atomically; return the path.

    A workbook of more than :data:`kcdata.limits.STREAMED_CELLS` cells is
    written in write-only mode (``write_only=None``): each row goes to disk as
    it is made, so memory does not grow with the tables.

    ``source_sha256``: the SHA-256 of the bytes parsed, for the 概要 sheet
    (computed from the file ``source`` when not given).
    """
    wb = summary_workbook(df, source=source, made_at=made_at, themes=themes,
                          source_sha256=source_sha256, write_only=None)
    with closed_on_failure(wb):
        return save_workbook(wb, path)

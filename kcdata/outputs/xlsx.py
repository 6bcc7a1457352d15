"""Workbooks written with XlsxWriter through :class:`pandas.ExcelWriter`: the building blocks.

Text always stays text (XlsxWriter's strings_to_* options off, a quote prefix on text
beginning with ``=``, ``+``, ``-`` or ``@``); characters Excel forbids are removed and text
past 32,767 characters is cut, both counted in the book's :class:`CleanLog`. Every sheet
prints on A4 landscape. The file is saved atomically; with ``SOURCE_DATE_EPOCH`` set, the
same workbook gives the same bytes.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import pandas as pd

from kcdata.files import atomic_path
from kcdata.outputs.cells import (
    FORMULA_PREFIXES,
    ILLEGAL_CHARACTERS_RE,
    LINE_HEIGHT,
    CleanLog,
    cell_value,
    clean_cell_text,
    unique_headers,
    wrapped_lines,
)
from kcdata.vocab import display_width
from kcdata.vocab import label as vocab_label

#: XlsxWriter's options: text is never turned into a formula, a link or a number.
XLSX_OPTIONS = {"strings_to_formulas": False, "strings_to_urls": False,
                "strings_to_numbers": False}
#: Column width cap (in Excel's character units); longer text wraps.
MAX_COLUMN_WIDTH = 60
INTEGER_FORMAT = "#,##0"
PERCENT_FORMAT = "0.0%"
#: The width (in character units) that prints on A4 landscape with 11-point text at
#: 10 points or more: wider tables get narrower, wrapped text columns.
PRINT_WIDTH = 140
#: Rows (the header included) that a table sheet fits onto one printed page.
ONE_PAGE_ROWS = 50
_PIXELS_PER_CM = 96 / 2.54


@dataclass
class Book:
    """An open workbook: the :class:`pandas.ExcelWriter`, its cell formats and its CleanLog."""

    writer: pd.ExcelWriter
    log: CleanLog = field(default_factory=CleanLog)
    formats: dict[tuple, Any] = field(default_factory=dict)

    @property
    def workbook(self) -> Any:
        """The XlsxWriter Workbook (``writer.book``)."""
        return self.writer.book

    def format(self, **props: Any) -> Any:
        """The XlsxWriter format with these properties (one per set of properties)."""
        props = {k: v for k, v in props.items() if v is not None and v is not False}
        key = tuple(sorted(props.items()))
        if key not in self.formats:
            self.formats[key] = self.workbook.add_format(props)
        return self.formats[key]

    def safe(self, value: Any, sheet: str, row: int, column: int) -> Any:
        """``value`` as a cell holds it (:func:`cell_value`, text cleaned); what was changed
        is logged under ``sheet`` and the 0-based ``row`` and ``column``."""
        value = cell_value(value)
        if not isinstance(value, str):
            return value
        text, removed, truncated = clean_cell_text(value)
        if removed or truncated:
            from xlsxwriter.utility import xl_rowcol_to_cell

            self.log.removed += removed
            self.log.truncated += int(truncated)
            self.log.cells.append(f"{sheet}!{xl_rowcol_to_cell(row, column)}")
        return text


@contextlib.contextmanager
def open_workbook(path: str | os.PathLike[str], *, title: str | None = None) -> Iterator[Book]:
    """Open a workbook to be written at ``path``; save it atomically when the block ends.

    A failure leaves any previous file untouched (:func:`kcdata.files.atomic_path`). The
    author is kcdata with its version, the created date ``SOURCE_DATE_EPOCH`` when set.
    """
    from kcdata.stamps import source_date_epoch
    from kcdata.version import __version__

    created = source_date_epoch() or datetime.now(UTC)
    with atomic_path(path) as tmp:
        writer = pd.ExcelWriter(tmp, engine="xlsxwriter",
                                engine_kwargs={"options": dict(XLSX_OPTIONS)})
        writer.book.set_properties({
            "title": title or "", "author": f"kcdata {__version__}",
            "created": created.astimezone(UTC).replace(tzinfo=None),
        })
        book = Book(writer)
        yield book  # on an exception the file is never closed: atomic_path removes it
        save_workbook(book)


def save_workbook(book: Book) -> None:
    """Write ``book``'s file, every sheet printing on A4 landscape, the sheet's name and
    「page / pages」 in the footer."""
    for worksheet in book.workbook.worksheets():
        worksheet.set_paper(9)  # A4
        worksheet.set_landscape()
        worksheet.set_footer("&L&A&R&P / &N")
    book.writer.close()


def fit_print_width(widths: list[float], text: list[bool], budget: float = PRINT_WIDTH
                    ) -> list[float]:
    """Column widths adding up to at most ``budget``: the widest text columns (``text[j]``)
    are narrowed, never below 12 units (six wide characters); other columns keep theirs.

    >>> fit_print_width([10, 80, 60], [False, True, True], budget=100)
    [10, 45, 45]
    """
    def capped(cap: float) -> list[float]:
        return [min(w, cap) if is_text else w for w, is_text in zip(widths, text, strict=True)]

    cap = max(widths, default=0)
    while cap > 12 and sum(capped(cap)) > budget:
        cap -= 1
    return capped(cap)


def reserve_sheet(book: Book, title: str) -> Any:
    """Add an empty sheet now, to be written later (a 概要 sheet first in the workbook).

    The title loses []:*?/\\ and is cut to 31 characters, made unique with (2), (3)...
    """
    base = ILLEGAL_CHARACTERS_RE.sub("", re.sub(r"[\[\]:*?/\\]", "_", title)).strip("'")[:31]
    base = base or "Sheet"
    taken = {name.lower() for name in book.workbook.sheetnames}
    candidate, k = base, 2
    while candidate.lower() in taken:
        suffix = f"({k})"
        candidate, k = base[: 31 - len(suffix)] + suffix, k + 1
    return book.workbook.add_worksheet(candidate)


def set_width(worksheet: Any, column: int, width: float, cell_format: Any = None) -> None:
    """Make a column (0-based) ``width`` wide as Excel stores it (XlsxWriter adds the
    5-pixel padding to the width it is given), with ``cell_format``."""
    worksheet.set_column(column, column, (width * 7 - 5) / 7, cell_format)


@dataclass
class Sheet:
    """A table sheet as written by :func:`write_sheet`: its cells' values (cleaned) and the
    format of each column, column by column."""

    name: str
    worksheet: Any
    headers: list[str]
    rows: int
    values: list[list[Any]]
    styles: list[dict[str, Any]]


def write_sheet(
    book: Book,
    title: str,
    df: pd.DataFrame,
    *,
    index: bool = False,
    labels: Mapping[str, str] | None = None,
    wrap: Iterable[str] = ("summary",),
    max_width: int = MAX_COLUMN_WIDTH,
    freeze_columns: int = 0,
    as_table: bool = False,
    print_width: float | None = None,
) -> Sheet:
    """Add a sheet holding ``df`` as a finished table (``df`` is not modified).

    Japanese headers (:func:`unique_headers` with ``labels``) in a bold, filled row, frozen
    (and ``freeze_columns`` columns), under an autofilter or, with ``as_table``, an Excel
    table (named Table1, Table2... by XlsxWriter). Widths fit the text (full-width
    characters count as two) up to ``max_width``; columns in ``wrap`` and longer text
    wrap, rows made tall enough. ``share`` as 0.0 %, integers #,##0, floats 0.00. With
    ``print_width`` the text columns are narrowed to print at a readable size
    (:func:`fit_print_width`). A table larger than a sheet raises
    :class:`kcdata.limits.ExcelLimitError` before anything is written.
    """
    from kcdata.limits import check_sheet_size

    data = df.reset_index() if index else df
    names = list(data.columns)
    check_sheet_size(title, len(data) + 1, len(names))
    wrap = set(wrap)
    worksheet = reserve_sheet(book, title)
    name = worksheet.name
    headers = [book.safe(h, name, 0, j)
               for j, h in enumerate(unique_headers(names, labels or {}))]
    columns = [[book.safe(v, name, i, j) for i, v in enumerate(data[c].tolist(), start=1)]
               for j, c in enumerate(names)]

    widths, styles = [], []
    for j, values in enumerate(columns):
        number_format = _default_format(data.iloc[:, j], str(names[j]))
        texts = [display_width(v) for v in values if isinstance(v, str)]
        numbers = [_number_width(v, number_format) for v in values
                   if v is not None and not isinstance(v, str)]
        width = max([display_width(headers[j]), *numbers, *(min(t, max_width) for t in texts)])
        wrapped = names[j] in wrap or any(t > max_width for t in texts)
        widths.append(max_width + 2 if wrapped else min(width + 2, max_width + 2))
        styles.append({"valign": "top", "text_wrap": wrapped, "num_format": number_format})
    if print_width is not None:
        is_text = [any(isinstance(v, str) for v in values) for values in columns]
        printed = fit_print_width(widths, is_text, print_width)
        for style, before, after in zip(styles, widths, printed, strict=True):
            if after < before:  # narrowed to print at a readable size: its text wraps
                style["text_wrap"] = True
        widths = printed

    if names:
        frame = pd.DataFrame({j: pd.Series(v, dtype=object) for j, v in enumerate(columns)})
        frame.to_excel(book.writer, sheet_name=name, header=False, index=False, startrow=1)
    header = book.format(bold=True, bg_color="#DDEBF7", pattern=1, bottom=1,
                         bottom_color="#9BC2E6", align="center", valign="vcenter",
                         text_wrap=True)
    for j, text in enumerate(headers):
        worksheet.write_string(0, j, text, header)
    for j, (width, style) in enumerate(zip(widths, styles, strict=True)):
        set_width(worksheet, j, width, book.format(**style))
    # Neither Excel nor LibreOffice reliably grows rows of wrapped text on opening.
    lines = [1] * (len(data) + 1)
    for j, values in enumerate(columns):
        if styles[j]["text_wrap"]:
            for i, value in enumerate(values, start=1):
                if isinstance(value, str):
                    lines[i] = max(lines[i], wrapped_lines(value, widths[j]))
    for i, n in enumerate(lines):
        if n > 1:
            worksheet.set_row(i, n * LINE_HEIGHT)
    sheet = Sheet(name, worksheet, headers, len(data), columns, styles)
    for j, values in enumerate(columns):
        for i, value in enumerate(values):
            if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
                fill_cell(book, sheet, i, j)

    worksheet.freeze_panes(1, freeze_columns)
    last_column = max(len(names), 1) - 1
    if as_table and names and len(data):
        worksheet.add_table(0, 0, len(data), last_column, {
            "columns": [{"header": h, "header_format": header} for h in headers],
            "style": "Table Style Light 9",
        })
    else:
        worksheet.autofilter(0, 0, len(data), last_column)
    # printed with the header row on every page, one page wide (and tall, if short)
    worksheet.repeat_rows(0)
    worksheet.fit_to_pages(1, 1 if len(data) + 1 <= ONE_PAGE_ROWS else 0)
    return sheet


def fill_cell(book: Book, sheet: Sheet, row: int, column: int, color: str | None = None) -> None:
    """Rewrite data cell (``row``, ``column``) of ``sheet`` (0-based, header not counted) in
    its column's format, filled with ``color`` (RGB, ``"FFF2CC"``) if given; text a
    spreadsheet would read as a formula gets the quote prefix."""
    value = sheet.values[column][row]
    style = dict(sheet.styles[column])
    if color:
        style.update(bg_color=f"#{color}", pattern=1)
    cell_format = book.format(**style, quote_prefix=isinstance(value, str)
                              and value.startswith(FORMULA_PREFIXES))
    write_value(sheet.worksheet, row + 1, column, value, cell_format)


def write_value(worksheet: Any, row: int, column: int, value: Any, cell_format: Any) -> None:
    """Write one safe value (:meth:`Book.safe`) into a cell (0-based): text stays text
    (``write`` would leave ``""`` blank), None, bool and numbers as ``write`` types them."""
    if isinstance(value, str):
        worksheet.write_string(row, column, value, cell_format)
    else:
        worksheet.write(row, column, value, cell_format)


def _default_format(column: pd.Series, name: str) -> str | None:
    """``share`` as a percentage, integers with a thousands separator, floats 0.00."""
    if name == "share":
        return PERCENT_FORMAT
    if pd.api.types.is_bool_dtype(column):
        return None
    if pd.api.types.is_integer_dtype(column):
        return INTEGER_FORMAT
    return "0.00" if pd.api.types.is_float_dtype(column) else None


def _number_width(value: float | int | bool, number_format: str | None) -> int:
    if isinstance(value, bool):
        return 5
    if number_format == PERCENT_FORMAT:
        return len(f"{value:.1%}")
    if isinstance(value, int):
        return len(f"{value:,}")
    return len(f"{value:,.2f}")


def add_bar_chart(
    book: Book,
    sheet: Sheet,
    *,
    categories: str,
    values: Sequence[str],
    title: str,
    anchor: str | None = None,
    stacked: bool = False,
    axis_title: str | None = None,
    colors: Sequence[str] | None = None,
    per_category: float = 0.55,
) -> Any:
    """Add a native Excel bar chart over the sheet's own cells; return it.

    ``categories`` and ``values`` name header cells (the header, or a column name that
    :func:`kcdata.vocab.label` turns into it). Horizontal bars, categories top to bottom in
    sheet order, every one labelled; ``stacked`` stacks the series; ``colors``: one a series.
    Placed at ``anchor`` (default: right of the data), 18 cm wide, ``per_category`` cm
    high a category (7.5 to 100 cm).
    """
    if sheet.rows < 1:
        raise ValueError(f"sheet {sheet.name!r} has no data rows for a chart")
    category = _header_column(sheet, categories)
    columns = [_header_column(sheet, name) for name in values]
    chart = book.workbook.add_chart({"type": "bar", **({"subtype": "stacked"} if stacked else {})})
    for k, column in enumerate(columns):
        colour = {"fill": {"color": colors[k % len(colors)]},
                  "border": {"color": colors[k % len(colors)]}} if colors else {}
        chart.add_series({
            **colour,
            "name": [sheet.name, 0, column],
            "categories": [sheet.name, 1, category, sheet.rows, category],
            "values": [sheet.name, 1, column, sheet.rows, column],
            "gap": 60,  # bars wider than the thin default (150)
            **({"overlap": 100} if stacked else {}),
        })
    chart.set_title({"name": title})
    chart.set_style(10)
    value_axis = {"num_format": "0", "major_gridlines": {"visible": True}}
    if axis_title:
        value_axis["name"] = axis_title
    chart.set_x_axis(value_axis)  # a bar chart's x axis is its value axis
    # first row at the top, as in the sheet; the value axis stays at the bottom
    chart.set_y_axis({"reverse": True, "crossing": "max", "interval_unit": 1})
    chart.set_legend({"none": True} if len(columns) == 1 else {"position": "bottom"})
    height = min(max(7.5, 2.0 + per_category * sheet.rows), 100.0)
    chart.set_size({"width": round(18.0 * _PIXELS_PER_CM),
                    "height": round(height * _PIXELS_PER_CM)})
    if anchor is None:
        sheet.worksheet.insert_chart(1, len(sheet.headers) + 1, chart)
    else:
        sheet.worksheet.insert_chart(anchor, chart)
    return chart


def _header_column(sheet: Sheet, name: str) -> int:
    """The 0-based column of ``name`` (a header, or a column name it labels)."""
    wanted = (name, vocab_label(name))
    for column, header in enumerate(sheet.headers):
        if header in wanted:
            return column
    raise KeyError(f"no column {name!r} in the header row of sheet {sheet.name!r}: "
                   f"{sheet.headers}")

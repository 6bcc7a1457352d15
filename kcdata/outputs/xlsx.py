"""Excel workbooks written with XlsxWriter through :class:`pandas.ExcelWriter`.

The building blocks of every workbook the project writes (the summary
workbook, the 新旧対照表, the corpus workbook)::

    with open_workbook("reports/x.xlsx", title="集計") as book:
        reserve_sheet(book, "概要")                    # first in the workbook, written last
        sheet = write_sheet(book, "所管課別", table)
        add_bar_chart(book, sheet, categories="所管する課", values=["掲載数"], title="…")
        rows = [("題名", None), (None, None), *source_rows("元の文書", path), *made_rows()]
        write_overview(book, "概要", rows)        # kcdata.outputs.overview

Safety rules applied to every cell written here:

* text is always stored as text: XlsxWriter's ``strings_to_formulas``,
  ``strings_to_urls`` and ``strings_to_numbers`` are off, and a value beginning
  with ``=``, ``+``, ``-`` or ``@`` also gets Excel's quote prefix, so it stays
  text when the cell is edited;
* characters Excel forbids (control characters 0x00-0x1F other than tab, LF
  and CR; lone surrogates; U+FFFE, U+FFFF) are removed and counted in the
  book's :class:`kcdata.outputs.cells.CleanLog`, and text past Excel's 32,767 characters per cell is
  cut and counted; nothing raises.

The file is written to a temporary file beside the target and renamed into
place (:func:`kcdata.files.atomic_path`). XlsxWriter stamps every zip entry
with one fixed time; the document's created/modified date is
``SOURCE_DATE_EPOCH`` when set (:func:`kcdata.stamps.source_date_epoch`),
else the time of saving: with the variable set, the same workbook gives the
same bytes on every run. XlsxWriter is imported when a workbook is opened.
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
from kcdata.outputs.printing import fit_print_width, print_on_a4
from kcdata.vocab import display_width
from kcdata.vocab import label as vocab_label

__all__ = [
    "FLOAT_FORMAT",
    "INTEGER_FORMAT",
    "MAX_COLUMN_WIDTH",
    "PERCENT_FORMAT",
    "XLSX_OPTIONS",
    "Book",
    "Sheet",
    "add_bar_chart",
    "fill_cell",
    "open_workbook",
    "reserve_sheet",
    "save_workbook",
    "set_width",
    "write_sheet",
    "write_value",
]

#: XlsxWriter's options: text is never turned into a formula, a link or a number.
XLSX_OPTIONS = {"strings_to_formulas": False, "strings_to_urls": False,
                "strings_to_numbers": False}
HEADER_FILL = "#DDEBF7"
HEADER_BORDER = "#9BC2E6"
#: Column width cap (in Excel's character units); longer text wraps.
MAX_COLUMN_WIDTH = 60
INTEGER_FORMAT = "#,##0"
FLOAT_FORMAT = "0.00"
PERCENT_FORMAT = "0.0%"
#: XlsxWriter's paper size of A4.
_INVALID_TITLE_RE = re.compile(r"[\[\]:*?/\\]")
_PIXELS_PER_CM = 96 / 2.54


# --- the workbook ----------------------------------------------------------------------------


@dataclass
class Book:
    """An open workbook: the :class:`pandas.ExcelWriter`, its cell formats and its CleanLog."""

    writer: pd.ExcelWriter
    log: CleanLog = field(default_factory=CleanLog)
    formats: dict[tuple, Any] = field(default_factory=dict)
    tables: set[str] = field(default_factory=set)

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
        """``value`` as a cell holds it (:func:`cell_value`, text cleaned); changes logged
        under ``sheet`` and the 0-based ``row`` and ``column``."""
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

    The workbook is written to a temporary file beside ``path`` and renamed into
    place (:func:`kcdata.files.atomic_path`): a failure leaves any previous file
    untouched and no temporary file behind; the file gets ordinary permissions;
    ``data/raw/`` is refused. Its author is kcdata with its version; its
    created date ``SOURCE_DATE_EPOCH`` (UTC) when set, else now.
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
    """Write ``book``'s file (its temporary path inside :func:`open_workbook`).

    Every sheet prints on A4 landscape with the sheet's name and 「ページ / 総ページ」
    in its footer (:func:`kcdata.outputs.printing.print_on_a4`).
    """
    for worksheet in book.workbook.worksheets():
        print_on_a4(worksheet)
    book.writer.close()


def reserve_sheet(book: Book, title: str) -> Any:
    """Add an empty sheet now, to be written later (a 概要 sheet first in the workbook)."""
    return book.workbook.add_worksheet(_unique_sheet_title(book, title))


def _unique_sheet_title(book: Book, title: str) -> str:
    """A valid sheet title (no []:*?/\\, at most 31 characters) not yet in the workbook."""
    base = ILLEGAL_CHARACTERS_RE.sub("", _INVALID_TITLE_RE.sub("_", title)).strip("'")[:31]
    base = base or "Sheet"
    taken = {name.lower() for name in book.workbook.sheetnames}
    candidate, k = base, 2
    while candidate.lower() in taken:
        suffix = f"({k})"
        candidate, k = base[: 31 - len(suffix)] + suffix, k + 1
    return candidate


def set_width(worksheet: Any, column: int, width: float, cell_format: Any = None) -> None:
    """Make a column (0-based) ``width`` wide as stored in the file, with ``cell_format``.

    The width is the one openpyxl stored before, which Excel shows less its
    5-pixel padding; XlsxWriter adds the padding to the width it is given.
    """
    worksheet.set_column(column, column, (width * 7 - 5) / 7, cell_format)


# --- table sheets ----------------------------------------------------------------------------


@dataclass
class Sheet:
    """A table sheet as written by :func:`write_sheet`."""

    name: str
    worksheet: Any
    headers: list[str]
    rows: int
    #: The cells' values, column by column (as written: cleaned).
    values: list[list[Any]]
    #: The cell format of each column (XlsxWriter properties).
    styles: list[dict[str, Any]]


def write_sheet(
    book: Book,
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
    print_width: float | None = None,
) -> Sheet:
    """Add a sheet holding ``df`` as a finished table (written by ``DataFrame.to_excel``).

    * headers in Japanese (:func:`unique_headers` with ``labels``);
    * a bold, filled header row, frozen under it (and left of ``freeze_columns``
      columns), an autofilter over the data — or, with ``as_table=True``, an
      Excel table with a name unique in the workbook;
    * column widths fitted to the text (full-width characters count as two),
      capped at ``max_width``; columns named in ``wrap`` and any text wider
      than the cap wrap, and their rows are made tall enough;
    * number formats: a column named ``share`` as 0.0 %, integers with a
      thousands separator, floats with two decimals; ``formats`` maps column
      names to Excel formats and overrides these;
    * page set-up for printing: A4 landscape, fit to width (a table of at most
      :data:`ONE_PAGE_ROWS` rows to one page), header row repeated; with
      ``print_width`` (e.g. :data:`PRINT_WIDTH`) the text columns are narrowed
      (:func:`fit_print_width`) so that the page is not shrunk below a
      readable size.

    Every value follows :func:`cell_value` and the module's safety rules.
    ``df`` is not modified. A table larger than a sheet raises
    :class:`kcdata.limits.ExcelLimitError` before anything is written.
    """
    from kcdata.limits import check_sheet_size

    data = df.reset_index() if index else df
    names = list(data.columns)
    check_sheet_size(title, len(data) + 1, len(names))
    formats = dict(formats or {})
    wrap = set(wrap)
    worksheet = reserve_sheet(book, title)
    name = worksheet.name
    headers = [book.safe(h, name, 0, j)
               for j, h in enumerate(unique_headers(names, labels or {}))]
    columns = [[book.safe(v, name, i, j) for i, v in enumerate(data[c].tolist(), start=1)]
               for j, c in enumerate(names)]

    number_formats = [formats.get(str(n)) or _default_format(str(n), data[n]) for n in names]
    widths, styles = [], []
    for j, values in enumerate(columns):
        width, long_text = display_width(headers[j]), False
        for value in values:
            if isinstance(value, str):
                text_width = display_width(value)
                long_text = long_text or text_width > max_width
                width = max(width, min(text_width, max_width))
            elif value is not None:
                width = max(width, _number_width(value, number_formats[j]))
        wrapped = names[j] in wrap or long_text
        widths.append(max_width + 2 if wrapped else min(width + 2, max_width + 2))
        styles.append({"valign": "top", "text_wrap": wrapped, "num_format": number_formats[j]})

    is_text = [any(isinstance(v, str) for v in values) for values in columns]
    printed = widths if print_width is None else fit_print_width(widths, is_text, print_width)
    for j, (before, after) in enumerate(zip(widths, printed, strict=True)):
        if after < before:  # narrowed to print at a readable size: its text wraps
            styles[j]["text_wrap"] = True
    widths = printed

    if names:
        frame = pd.DataFrame({j: pd.Series(v, dtype=object) for j, v in enumerate(columns)})
        frame.to_excel(book.writer, sheet_name=name, header=False, index=False, startrow=1)
    header = book.format(bold=True, bg_color=HEADER_FILL, pattern=1, bottom=1,
                         bottom_color=HEADER_BORDER, align="center", valign="vcenter",
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
    for j, values in enumerate(columns):  # text a spreadsheet would read as a formula
        for i, value in enumerate(values):
            if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
                fill_cell(book, sheet, i, j)

    worksheet.freeze_panes(1, freeze_columns)
    last_column = max(len(names), 1) - 1
    if as_table and names and len(data):
        worksheet.add_table(0, 0, len(data), last_column, {
            "name": _table_name(book, table_name),
            "columns": [{"header": h, "header_format": header} for h in headers],
            "style": "Table Style Light 9",
        })
    else:
        worksheet.autofilter(0, 0, len(data), last_column)
    print_on_a4(worksheet, rows=len(data) + 1)
    return sheet


def fill_cell(book: Book, sheet: Sheet, row: int, column: int, color: str | None = None) -> None:
    """Rewrite data cell (``row``, ``column``) of ``sheet`` (0-based, the header row not
    counted) with its column's format, filled with ``color`` (RGB, e.g. ``"FFF2CC"``)
    when given; text a spreadsheet would read as a formula keeps its quote prefix."""
    value = sheet.values[column][row]
    style = dict(sheet.styles[column])
    if color:
        style.update(bg_color=f"#{color}", pattern=1)
    cell_format = book.format(**style, quote_prefix=isinstance(value, str)
                              and value.startswith(FORMULA_PREFIXES))
    write_value(sheet.worksheet, row + 1, column, value, cell_format)


def write_value(worksheet: Any, row: int, column: int, value: Any, cell_format: Any) -> None:
    """Write one safe value (:meth:`Book.safe`) into a cell (0-based): text stays text."""
    if value is None:
        worksheet.write_blank(row, column, None, cell_format)
    elif isinstance(value, str):
        worksheet.write_string(row, column, value, cell_format)
    elif isinstance(value, bool):
        worksheet.write_boolean(row, column, value, cell_format)
    else:
        worksheet.write_number(row, column, value, cell_format)


def _table_name(book: Book, name: str | None) -> str:
    """A worksheet table name unique in the workbook, of letters, digits and underscores."""
    base = re.sub(r"[^0-9A-Za-z_]", "_", name or "Table")
    if not re.match(r"[A-Za-z_]", base):
        base = f"T_{base}"
    candidate, k = base, 1
    while candidate.lower() in book.tables or re.fullmatch(r"[A-Za-z]{1,3}[0-9]+|[RrCc]",
                                                            candidate):
        k += 1
        candidate = f"{base}{k}"
    book.tables.add(candidate.lower())
    return candidate


def _default_format(name: str, column: pd.Series) -> str | None:
    if name == "share":
        return PERCENT_FORMAT
    if pd.api.types.is_bool_dtype(column):
        return None
    if pd.api.types.is_integer_dtype(column):
        return INTEGER_FORMAT
    if pd.api.types.is_float_dtype(column):
        return FLOAT_FORMAT
    return None


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
    horizontal: bool = True,
    stacked: bool = False,
    axis_title: str | None = None,
    width: float = 18.0,
    height: float | None = None,
    colors: Sequence[str] | None = None,
    per_category: float = 0.55,
) -> Any:
    """Add a native Excel bar chart over the sheet's own cells; return it.

    ``categories`` and ``values`` name header cells (the Japanese header shown,
    or a column name that :func:`kcdata.vocab.label` turns into it). The chart
    references the cells below them, so it can be restyled in Excel and follows
    edits to the data. Bars are horizontal by default, categories top to
    bottom in sheet order; with ``stacked=True`` the series are stacked. The
    chart is placed at ``anchor`` (default: two columns right of the data) and
    sized in centimetres; the height grows by ``per_category`` cm a category
    (at most 100 cm) when not given, and every category is labelled.
    ``colors``: one colour a series (``"#E69F00"``), as in the PNG charts.
    """
    if sheet.rows < 1:
        raise ValueError(f"sheet {sheet.name!r} has no data rows for a chart")
    category = _header_column(sheet, categories)
    columns = [_header_column(sheet, name) for name in values]
    chart = book.workbook.add_chart(
        {"type": "bar" if horizontal else "column", **({"subtype": "stacked"} if stacked else {})}
    )
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
    if horizontal:  # XlsxWriter's x axis of a bar chart is the value axis
        chart.set_x_axis(value_axis)
        # first row at the top, as in the sheet; the value axis stays at the bottom
        chart.set_y_axis({"reverse": True, "crossing": "max", "interval_unit": 1})
    else:
        chart.set_y_axis(value_axis)
    chart.set_legend({"none": True} if len(columns) == 1 else {"position": "bottom"})
    n = sheet.rows
    height = height if height is not None else min(max(7.5, 2.0 + per_category * n), 100.0)
    chart.set_size({"width": round(width * _PIXELS_PER_CM),
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

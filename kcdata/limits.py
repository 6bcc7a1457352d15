"""The bounds every output respects, whatever the size of the document.

Charts show at most a fixed number of bars, rows or columns: the largest
ones, in their usual order, and the rest added up in one last entry
(「その他 K 課」), so a chart's size and its drawing time stay bounded and its
labels never overprint. The complete numbers are always in the workbook.
Workbooks respect Excel's limits: a table too long or too wide for one sheet
(a 所管課×基本方針 matrix of more than 16,382 基本方針) is refused with
:class:`ExcelLimitError` before anything is written.

==============================  =========  ======================================
limit                           value      where
==============================  =========  ======================================
:data:`MAX_LISTINGS`            100,000    listings in a document or a corpus
                                           (the scale envelope; more is refused)
:data:`MAX_LINES`               1,000,000  lines (or sheet rows) of a document,
                                           refused before it is parsed
:data:`MAX_PLANS`               2,000      plans in a corpus, refused before any
                                           is read
:data:`MAX_OPTION_FILE_BYTES`   1 MiB      a layout or theme file (--layout,
                                           --themes), read like a source
:data:`MAX_PDF_PAGES`           2,000      pages of a PDF, refused before any page
                                           is read
:data:`MAX_XLSX_ENTRIES`        10,000     parts of an .xlsx package
:data:`MAX_GRID_CELLS`          20,000,000 cells of a sheet's data area
:data:`MAX_XLSX_PART_BYTES`     256 MiB    one part, uncompressed
:data:`MAX_XLSX_BYTES`          512 MiB    all parts, uncompressed
:data:`TOP_POLICIES`            10         chart 01: 基本方針 shown
:data:`TOP_DIRECTIONS`          20         chart 01: 施策の方向性 shown
:data:`TOP_DEPARTMENTS`         40         charts 02, 03, 04: 所管課 shown
:data:`TOP_HEATMAP_POLICIES`    6          charts 03, 04, 06: 基本方針 as columns/colours
:data:`TOP_LINKS`               20         chart 05: 【再掲】 links drawn
:data:`TOP_THEMES`              40         chart 06: themes shown (no その他 bar:
                                           a measure can have several themes)
:data:`MAX_FIGURE_INCHES`       20         every chart: long side (4,000 px at 200 dpi)
:data:`EXCEL_MAX_ROWS`          1,048,576  rows of a sheet
:data:`EXCEL_MAX_COLUMNS`       16,384     columns of a sheet
:data:`PAGE_LISTINGS`           10,000     listings in the browser page's 事業一覧
==============================  =========  ======================================
"""

from __future__ import annotations

__all__ = [
    "EXCEL_MAX_COLUMNS",
    "EXCEL_MAX_ROWS",
    "MAX_FIGURE_INCHES",
    "MAX_LINES",
    "MAX_LISTINGS",
    "MAX_PDF_PAGES",
    "MAX_PLANS",
    "OTHERS",
    "PAGE_LISTINGS",
    "TOP_DEPARTMENTS",
    "TOP_DIRECTIONS",
    "TOP_HEATMAP_POLICIES",
    "TOP_LINKS",
    "TOP_POLICIES",
    "TOP_THEMES",
    "ExcelLimitError",
    "check_sheet_size",
    "others_label",
]

#: The scale envelope: kcdata is written for plans of 100-10,000 listings and corpora
#: of up to this many listings in all; a larger document or corpus is refused.
MAX_LISTINGS = 100_000
#: Lines of one document read at most (ten per listing of the envelope).
MAX_LINES = 10 * MAX_LISTINGS
#: Plans in one corpus at most.
MAX_PLANS = 2_000
#: Pages of one PDF at most: a plan's measure tables run to tens of pages, a whole plan to a
#: few hundred.
MAX_PDF_PAGES = 2_000
#: An .xlsx package: at most this many parts, each inflating to at most MAX_XLSX_PART_BYTES,
#: all together to at most MAX_XLSX_BYTES (a workbook of 100,000 listings needs about 100 MiB).
MAX_XLSX_ENTRIES = 10_000
#: The cells of a sheet's data area (last data row x last data column) read at most:
#: 100,000 listings of 200 columns.
MAX_GRID_CELLS = 20_000_000
#: Entries of an .xlsx's shared-strings table (a plan of 100,000 listings needs about 10^6).
MAX_XLSX_SHARED_STRINGS = 2_000_000
MAX_XLSX_PART_BYTES = 256 << 20
MAX_XLSX_BYTES = 512 << 20
#: A layout or theme file (an option's file) is read like a source, bounded far lower: 1 MiB.
MAX_OPTION_FILE_BYTES = 1 << 20

TOP_POLICIES = 10
TOP_DIRECTIONS = 20
TOP_DEPARTMENTS = 40
TOP_HEATMAP_POLICIES = 6
TOP_LINKS = 20
TOP_THEMES = 40
#: The long side of every chart, in inches: 4,000 px in the 200 dpi PNG.
MAX_FIGURE_INCHES = 20.0
#: Excel's rows per sheet (the header row included).
EXCEL_MAX_ROWS = 1_048_576
#: Excel's columns per sheet (A to XFD).
EXCEL_MAX_COLUMNS = 16_384
#: The browser page lists at most this many listings (the first, in document order) and says
#: so: a page of 10^5 listings (74 MB) did not open within 120 s in headless Chromium here.
PAGE_LISTINGS = 10_000
#: The label of the aggregated entry: 「その他 K 課」, 「その他 K 件」.
OTHERS = "その他"


class ExcelLimitError(ValueError):
    """A table that Excel cannot hold (too many rows or columns); the message says which."""


def others_label(count: int, unit: str) -> str:
    """The label of the entry that adds up ``count`` entries left out.

    >>> others_label(12, "課")
    'その他 12 課'
    """
    return f"{OTHERS} {count:,} {unit}"


def check_sheet_size(title: str, rows: int, columns: int) -> None:
    """Raise :class:`ExcelLimitError` if a sheet of ``rows`` x ``columns`` (header included)
    would not fit in Excel.

    >>> check_sheet_size("事業一覧", 1_048_577, 9)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    kcdata.limits.ExcelLimitError: sheet 事業一覧 would have 1,048,577 rows; Excel holds ...
    """
    if rows > EXCEL_MAX_ROWS:
        raise ExcelLimitError(
            f"sheet {title} would have {rows:,} rows; Excel holds at most "
            f"{EXCEL_MAX_ROWS:,} (one sheet cannot hold this table)"
        )
    if columns > EXCEL_MAX_COLUMNS:
        raise ExcelLimitError(
            f"sheet {title} would have {columns:,} columns; Excel holds at most "
            f"{EXCEL_MAX_COLUMNS:,}"
        )

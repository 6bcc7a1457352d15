"""The scale envelope, and the bounds of charts, workbooks and option files.

Inputs past the envelope are refused. Charts show the largest entries and add up the rest
in one 「その他 K 課」 entry, so their size stays bounded; the workbook keeps every number,
and refuses a table Excel cannot hold (:class:`ExcelLimitError`) before anything is written.
"""

from __future__ import annotations

#: Listings in one document or corpus at most (the scale envelope).
MAX_LISTINGS = 100_000
#: Lines (or sheet rows) of one document, refused before parsing.
MAX_LINES = 10 * MAX_LISTINGS
MAX_PLANS = 2_000
MAX_PDF_PAGES = 2_000
#: An .xlsx package: parts, cells of a sheet's data area, shared strings, bytes uncompressed.
MAX_XLSX_ENTRIES = 10_000
MAX_GRID_CELLS = 20_000_000
MAX_XLSX_SHARED_STRINGS = 2_000_000
MAX_XLSX_PART_BYTES = 256 << 20
MAX_XLSX_BYTES = 512 << 20
#: A layout or theme file (--layout, --themes).
MAX_OPTION_FILE_BYTES = 1 << 20

#: How many entries each chart shows (01: 基本方針, 施策の方向性; 02-04: 所管課; 03, 04, 06:
#: 基本方針 as columns or colours; 05: 【再掲】 links; 06: themes, with no その他 bar).
TOP_POLICIES = 10
TOP_DIRECTIONS = 20
TOP_DEPARTMENTS = 40
TOP_HEATMAP_POLICIES = 6
TOP_LINKS = 20
TOP_THEMES = 40
#: The long side of every chart, in inches: 4,000 px at 200 dpi.
MAX_FIGURE_INCHES = 20.0
EXCEL_MAX_ROWS = 1_048_576
EXCEL_MAX_COLUMNS = 16_384
#: Listings in the browser page's 事業一覧 (the first, in document order).
PAGE_LISTINGS = 10_000
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

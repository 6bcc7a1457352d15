"""Printing a workbook's sheets on A4: the page set-up every sheet gets, and readable widths.

Every sheet prints on A4 landscape with its name and 「page / pages」 in the
footer. A table sheet repeats its header row on every page and is one page
wide; a short one (a matrix) fits one page. A wide list (事業一覧) is not
shrunk to one page width: its text columns are narrowed and wrapped
(:func:`fit_print_width`) so that it prints at about 10 pt.
"""

from __future__ import annotations

from typing import Any

__all__ = ["FOOTER", "ONE_PAGE_ROWS", "PAPER_A4", "PRINT_WIDTH", "fit_print_width",
           "print_on_a4"]

#: XlsxWriter's paper code of A4.
PAPER_A4 = 9

#: The footer of every printed page: the sheet's name on the left, page / pages on the right.
FOOTER = "&L&A&R&P / &N"
#: The width (in Excel's character units) that prints on A4 landscape at about 98 %, so that
#: 11-point text prints at 10 points or more: wider tables get narrower, wrapped text columns.
PRINT_WIDTH = 140
#: Rows (the header included) that a matrix sheet fits onto one printed page.
ONE_PAGE_ROWS = 50


def fit_print_width(widths: list[float], text: list[bool], budget: float = PRINT_WIDTH
                    ) -> list[float]:
    """Column widths narrowed so that they add up to at most ``budget``.

    Only text columns (``text[j]``) are narrowed, the widest first, never
    below 12 units (six wide characters); numbers keep their widths. Text in a
    narrowed column wraps. When even that is too wide, the page is scaled.

    >>> fit_print_width([10, 80, 60], [False, True, True], budget=100)
    [10, 45, 45]
    """
    widths = list(widths)
    floor = 12
    while sum(widths) > budget:
        narrowable = [j for j, w in enumerate(widths) if text[j] and w > floor]
        if not narrowable:
            break
        widest = max(widths[j] for j in narrowable)
        columns = [j for j in narrowable if widths[j] == widest]
        others = [widths[j] for j in narrowable if widths[j] < widest]
        target = max(max(others, default=floor), floor,
                     widest - (sum(widths) - budget) / len(columns))
        for j in columns:
            widths[j] = target
    return [round(w) if float(w).is_integer() else w for w in widths]


def print_on_a4(worksheet: Any, *, rows: int | None = None) -> None:
    """A4 landscape with :data:`FOOTER`; with ``rows`` (a table sheet, header included) its
    header row repeated on every page, one page wide, and on one page when at most
    :data:`ONE_PAGE_ROWS` rows."""
    worksheet.set_paper(PAPER_A4)
    worksheet.set_landscape()
    worksheet.set_footer(FOOTER)
    if rows is not None:
        worksheet.repeat_rows(0)
        worksheet.fit_to_pages(1, 1 if rows <= ONE_PAGE_ROWS else 0)

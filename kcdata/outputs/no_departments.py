"""A plan without departments: one sentence where a department chart or sheet would be.

Such a plan (:func:`kcdata.schema.has_departments` is False) gets every other analysis;
charts 02-04 show their title and :func:`kcdata.vocab.no_departments_sentence`, the
所管課別 and 所管課×基本方針 sheets hold the sentence, never a table of zeros.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING

import pandas as pd

from kcdata.outputs.figures import note_figure
from kcdata.outputs.overview import OVERVIEW_WIDTH
from kcdata.outputs.xlsx import Book, Sheet, reserve_sheet, set_width
from kcdata.schema import has_departments
from kcdata.vocab import no_departments_sentence, plan_words

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure

__all__ = ["DEPARTMENT_SHEETS", "needs_departments", "write_note_sheet"]

#: The summary workbook's sheets of departments (in the default words).
DEPARTMENT_SHEETS = ("所管課別", "所管課×基本方針")

Chart = Callable[..., "Figure"]


def needs_departments(title: str) -> Callable[[Chart], Chart]:
    """Make a department chart draw ``title`` (a template of :mod:`kcdata.vocab`, said in
    the plan's words) and the reason on a plan without departments; the chart is marked
    ``needs_departments``."""

    def decorate(chart: Chart) -> Chart:
        @functools.wraps(chart)
        def drawn(df: pd.DataFrame, *args, **kwargs) -> Figure:
            if has_departments(df):
                return chart(df, *args, **kwargs)
            return note_figure(plan_words(df).say(title), no_departments_sentence(df))

        drawn.needs_departments = True  # type: ignore[attr-defined]
        return drawn

    return decorate


def write_note_sheet(book: Book, title: str, text: str) -> Sheet:
    """Add a sheet ``title`` holding only ``text`` (in A1, wrapped); a :class:`Sheet` of 0 rows."""
    worksheet = reserve_sheet(book, title)
    set_width(worksheet, 0, OVERVIEW_WIDTH)
    cell = book.format(text_wrap=True, valign="top", align="left")
    worksheet.write_string(0, 0, book.safe(text, worksheet.name, 0, 0), cell)
    return Sheet(worksheet.name, worksheet, [], 0, [], [])

"""A plan without departments in every output: a sentence where a department analysis would be.

A plan without departments is a listing table whose ``departments`` are all
``()`` (:func:`kcdata.schema.has_departments` is False): its document has no
department column, or its department cells hold only placeholders (関係各課,
…, kept in ``department_notes``). It gets every analysis that does not need
departments; each output puts one sentence,
:func:`kcdata.vocab.no_departments_sentence`, in place of what would count
departments:

* charts 02, 03 and 04 (:data:`kcdata.outputs.charts.DEPARTMENT_CHARTS`) are drawn as
  their title and the sentence (:func:`needs_departments`), never as empty axes;
* the summary workbook's 所管課別 and 所管課×基本方針 sheets hold the sentence
  instead of a table (:func:`write_note_sheet`), never a sheet of zeros;
* the browser page shows the sentence in those charts' and tables' places
  (:func:`note_html`).

The numbers that remain are the same as for any plan: the totals give 0
departments, 0 pairs and 0 co-managed listings.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING

import pandas as pd

from kcdata.outputs.figures import note_figure
from kcdata.outputs.overview import OVERVIEW_WIDTH
from kcdata.outputs.page_tables import escape
from kcdata.outputs.xlsx import Book, Sheet, reserve_sheet, set_width
from kcdata.schema import has_departments
from kcdata.vocab import no_departments_sentence, plan_words

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure

__all__ = ["DEPARTMENT_SHEETS", "needs_departments", "note_html", "write_note_sheet"]

#: The summary workbook's sheets of departments (in the default words).
DEPARTMENT_SHEETS = ("所管課別", "所管課×基本方針")

Chart = Callable[..., "Figure"]


def needs_departments(title: str) -> Callable[[Chart], Chart]:
    """Make a department chart draw ``title`` and the reason on a plan without departments.

    ``title`` is in the default words (the plan's own replace them,
    :meth:`kcdata.vocab.PlanWords.say`). A plan with departments gets the chart
    itself. The chart is marked ``needs_departments``.
    """

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
    """Add a sheet ``title`` holding only ``text`` (in A1, wrapped); a :class:`Sheet` of 0 rows.

    What a department sheet holds for a plan without departments: the reason,
    not a table. It prints on A4 as every sheet does (:func:`kcdata.outputs.xlsx.save_workbook`).
    """
    worksheet = reserve_sheet(book, title)
    set_width(worksheet, 0, OVERVIEW_WIDTH)
    cell = book.format(text_wrap=True, valign="top", align="left")
    worksheet.write_string(0, 0, book.safe(text, worksheet.name, 0, 0), cell)
    return Sheet(worksheet.name, worksheet, [], 0, [], [])


def note_html(text: str) -> str:
    """The page's stand-in for a department chart or table: the reason, escaped."""
    return f'<p class="note no-departments">{escape(text)}</p>'

"""The report model: one plan's tables (:func:`summary_tables`), their Japanese headers and
counting conventions, computed once in pandas and rendered by the workbook, the page and the
notebooks (:func:`japanese`: any table as planners read it, a pandas Styler).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd
from pandas.io.formats.style import Styler

from kcdata.analysis import summaries as analysis
from kcdata.analysis.plans import single_plan
from kcdata.outputs.cells import japanese_headers, unique_headers
from kcdata.outputs.theme_sheets import theme_tables
from kcdata.schema import has_departments
from kcdata.vocab import (
    LABELS,
    SHEET_LABELS,
    SUMMARY_LABELS,
    SUMMARY_SHEETS,
    THEME_LABELS,
    THEME_SHEETS,
    TOTAL_LABELS,
    VALUE_LABELS,
    PlanWords,
    plan_words,
)

# The vocabulary's templates it uses (CONVENTIONS, SUMMARY_LABELS, ...) live in kcdata.vocab.
__all__ = ["SUMMARY_SHEETS", "JapaneseTable", "check_summary_size", "japanese",
           "sheet_headers", "sheet_labels", "summary_tables"]

#: The summary sheets whose headers use :data:`SUMMARY_LABELS`.
SUMMARY_LABELLED = ("基本方針別", "所管課別", "所管課×基本方針")


def summary_tables(
    df: pd.DataFrame,
    *,
    japanese: bool = False,
    themes: Any = None,
    sheets: Iterable[str] | None = None,
) -> dict[str, pd.DataFrame]:
    """The tables of the summary workbook's data sheets, keyed by sheet name (plan's words).

    Project column names, or the workbook's headers with ``japanese=True``: 事業一覧 (every
    listing, departments joined with 「、」, 【再掲】 as 「○」), 基本方針別, 所管課別,
    所管課×基本方針 (with a 計 column), 再掲 (「一致」/「不一致」), テーマ別 and テーマ該当事業
    (``themes``, default kcdata's dictionary). A plan without departments has empty 所管課別
    and 所管課×基本方針 tables and no ``departments`` column elsewhere. ``sheets``: only these
    (default words), in workbook order. A ``plan`` column must hold one plan.
    """
    wanted = set(SUMMARY_SHEETS[1:] if sheets is None else sheets)
    words = plan_words(df)
    listings = df.copy()
    listings["departments"] = listings["departments"].map("、".join)
    listings["relisted"] = listings["relisted"].map({True: "○", False: ""})

    one = single_plan(df)  # the analyses of one plan, without a plan level
    policies = analysis.policy_summary(one).reset_index()
    departments = analysis.department_summary(one).reset_index()
    matrix = analysis.department_matrix(one)
    matrix = matrix.rename(columns=lambda no: words.section(0, no))
    matrix["total"] = matrix.sum(axis=1)
    matrix = matrix.rename_axis(index="department", columns=None).reset_index()

    links = analysis.relisted_links(one).copy()
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
    if not has_departments(df):  # no column of empty names or of zero counts
        tables = {name: t.drop(columns="departments", errors="ignore")
                  for name, t in tables.items()}
    if japanese:
        tables = {name: japanese_headers(t, sheet_labels(name, words))
                  for name, t in tables.items()}
    return {words.sheet(name): table for name, table in tables.items()}


def sheet_headers(
    sheet: str, table: pd.DataFrame, words: PlanWords | None = None
) -> dict[str, str]:
    """The workbook's header of each column of a summary ``table`` on ``sheet`` (default words).

    >>> sheet_headers("所管課別", pd.DataFrame(columns=["department", "listings"]))
    {'department': '所管する課', 'listings': '掲載数'}
    """
    names = [str(c) for c in table.columns]
    return dict(zip(names, unique_headers(names, sheet_labels(sheet, words)), strict=True))


def sheet_labels(sheet: str | None, words: PlanWords | None = None) -> Mapping[str, str]:
    """The headers of a workbook sheet (named in the default words; None: the listing
    table's), in the plan's words.

    >>> sheet_labels("所管課別")["departments"]
    '所管課の数'
    """
    words = words or PlanWords()
    labels = {column: words.label(column) for column in LABELS}
    return labels | words.say_all(_sheet_templates(sheet))


def _sheet_templates(sheet: str | None) -> Mapping[str, str]:
    """The headers a sheet names its own way (templates), over the columns' labels."""
    if sheet in SHEET_LABELS:  # corpus and editions sheets
        return SHEET_LABELS[sheet]
    if sheet == "概要":
        return TOTAL_LABELS
    if sheet in THEME_SHEETS:
        return THEME_LABELS
    return SUMMARY_LABELS if sheet in SUMMARY_LABELLED else {}


def check_summary_size(tables: Mapping[str, pd.DataFrame]) -> None:
    """Raise :class:`kcdata.limits.ExcelLimitError` for a table too large for an Excel sheet."""
    from kcdata.limits import check_sheet_size

    for name, table in tables.items():
        check_sheet_size(name, len(table) + 1, table.shape[1])


#: Columns that are shares of a whole (0 to 1), shown as percentages.
SHARE_COLUMNS = ("share",)


def _value_words(index: pd.Index, labels: Mapping[str, str]) -> pd.Index:
    """An index level's values in Japanese: codes of :data:`kcdata.vocab.VALUE_LABELS`,
    or column names when every value is one (a table of named values, as
    :func:`kcdata.plan_totals`)."""
    codes = VALUE_LABELS.get(index.name) if isinstance(index.name, str) else None
    if codes:
        return index.map(lambda v: codes.get(v, v) if isinstance(v, str) else v)
    values = list(index)
    if values and all(isinstance(v, str) and v in labels for v in values):
        return index.map(labels.get)
    return index


def _number(value: Any) -> str:
    """A float cell: empty when missing, a whole number without decimals, else 3 digits."""
    if pd.isna(value):
        return ""
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.3f}".rstrip("0")


class JapaneseTable(Styler):
    """What :func:`japanese` returns: a pandas Styler whose ``repr`` is the table as shown
    (a Styler's own names its memory address, which would change a notebook's output)."""

    def shown(self) -> pd.DataFrame:
        """The table as shown: every cell the text the Styler displays (21.2%, 「、」, ○)."""
        shown = self.data.astype(object)
        for c in range(shown.shape[1]):
            shown.isetitem(c, [self._display_funcs[(r, c)](value)
                               for r, value in enumerate(self.data.iloc[:, c])])
        return shown

    def __repr__(self) -> str:
        with pd.option_context("display.unicode.east_asian_width", True):
            return self.shown().to_string()


def japanese(
    table: pd.DataFrame | pd.Series,
    *,
    words: PlanWords | None = None,
    sheet: str | None = None,
) -> JapaneseTable:
    """A table as planners read it: a pandas Styler with Japanese headers and values.

    Headers in the plan's words (``words``, or the table's ``attrs``); a count column
    ``departments`` / ``relisted`` reads 所管課の数 / うち再掲; ``sheet`` picks a workbook
    sheet's headers exactly (a summary sheet, 概要, 計画一覧, 所管課×計画, 経年). An index of
    column names reads as their headers; codes (:data:`kcdata.vocab.VALUE_LABELS`) in
    Japanese; shares as 21.2%, other decimals with at most 3 digits, missing values empty;
    departments joined with 「、」, 【再掲】 as 「○」. Fixed ids: the same HTML run after run.

    >>> import kcdata
    >>> styled = japanese(kcdata.department_summary(kcdata.load_example()))
    >>> styled.data.index.name, "構成比" in styled.data.columns
    ('所管する課', True)
    """
    frame = table.to_frame() if isinstance(table, pd.Series) else table.copy()
    words = words or plan_words(frame)
    labels = dict(sheet_labels(sheet, words))  # None: the listing table's
    own = set(_sheet_templates(sheet))  # the others may read as counts, see below
    shares, decimals = [], []
    for position, column in enumerate(frame.columns):
        values = frame.iloc[:, position]
        if values.map(lambda v: isinstance(v, tuple)).any():
            values = values.map(lambda v: "、".join(v) if isinstance(v, tuple) else v)
        elif values.dtype == bool:
            values = values.map({True: "○", False: ""})
        elif isinstance(column, str) and column in VALUE_LABELS:
            codes = VALUE_LABELS[column]
            values = values.map(lambda v, codes=codes: codes.get(v, v) if isinstance(v, str) else v)
        elif column in SUMMARY_LABELS and column not in own and values.dtype.kind in "iu":
            labels[column] = words.say(SUMMARY_LABELS[column])
        elif values.dtype.kind == "f":
            (shares if column in SHARE_COLUMNS else decimals).append(position)
        frame.isetitem(position, values)
    # an index of column names holds counts (plan_totals): departments is 所管課の数
    names = labels | {column: text for column, text in words.say_all(SUMMARY_LABELS).items()
                      if column not in own}
    frame.index = pd.MultiIndex.from_arrays(
        [_value_words(frame.index.get_level_values(k), names)
         for k in range(frame.index.nlevels)]
    ) if frame.index.nlevels > 1 else _value_words(frame.index, names)
    if frame.columns.name is not None:
        frame.columns = _value_words(frame.columns, names)
    frame = frame.rename(columns=lambda c: labels.get(c, c) if isinstance(c, str) else c)
    frame.index = frame.index.set_names([labels.get(n, n) if isinstance(n, str) else n
                                         for n in frame.index.names])
    if isinstance(frame.columns.name, str):
        frame.columns.name = labels.get(frame.columns.name, frame.columns.name)
    styled = JapaneseTable(frame).set_uuid("kcdata").format(na_rep="")
    if shares:
        styled = styled.format("{:.1%}", subset=frame.columns[shares], na_rep="")
    if decimals:
        styled = styled.format(_number, subset=frame.columns[decimals])
    return styled

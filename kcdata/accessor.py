"""``df.kc``: the analyses and writers as verbs on a listing table (pyjanitor style).

Importing :mod:`kcdata` registers the accessor. It checks the table's columns
once (:func:`kcdata.validate`), then offers the same functions as the top
level, with the table as their first argument::

    import kcdata as kc
    df = kc.load_example()
    df.kc.policy_summary()              # == kc.policy_summary(df)
    df.kc.search("防災")                # == kc.search(df, "防災")
    df.kc.per_plan(my_analysis)         # == kc.per_plan(my_analysis)(df)
    df.kc.to_workbook("plan.xlsx")      # == kc.write_workbook(df, "plan.xlsx")

No verb modifies the table: each returns a new object (or writes a file and
returns its path).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from kcdata.analysis import compare, plans, similarity, summaries, themes
from kcdata.analysis.search import search as search_listings
from kcdata.io.departments import explode_departments
from kcdata.io.text_out import to_text
from kcdata.schema import validate


def _verb(function: Callable[..., Any]) -> Callable[..., Any]:
    """A method that calls ``function(df, *args, **kwargs)`` on the accessor's table."""

    def method(self: KcAccessor, *args: Any, **kwargs: Any) -> Any:
        return function(self.df, *args, **kwargs)

    method.__name__ = function.__name__
    method.__doc__ = f"``kcdata.{function.__name__}(df, ...)`` on this table (see there)."
    return method


@pd.api.extensions.register_dataframe_accessor("kc")
class KcAccessor:
    """The ``df.kc`` namespace: kcdata's analyses and writers on one listing table.

    >>> import kcdata
    >>> df = kcdata.load_example()
    >>> df.kc.plan_totals().equals(kcdata.plan_totals(df))
    True
    >>> import pandas as pd
    >>> pd.DataFrame({"x": [1]}).kc.policy_summary()
    Traceback (most recent call last):
    ...
    ValueError: not a listing table: missing columns policy_no, policy, measure, departments
    """

    def __init__(self, df: pd.DataFrame) -> None:
        self.df = validate(df)

    # analyses (kcdata.analysis)
    policy_summary = _verb(summaries.policy_summary)
    department_summary = _verb(summaries.department_summary)
    department_matrix = _verb(summaries.department_matrix)
    department_recurrence = _verb(summaries.department_recurrence)
    concentration = _verb(summaries.concentration)
    relisted_links = _verb(summaries.relisted_links)
    duplicate_candidates = _verb(similarity.duplicate_candidates)
    plan_totals = _verb(summaries.plan_totals)
    plan_summary = _verb(summaries.plan_summary)
    department_presence = _verb(summaries.department_presence)
    tag_themes = _verb(themes.tag_themes)
    untagged = _verb(themes.untagged)
    theme_matrix = _verb(themes.theme_matrix)
    theme_summary = _verb(themes.theme_summary)
    search = _verb(search_listings)
    explode_departments = _verb(explode_departments)
    to_text = _verb(to_text)

    def per_plan(self, func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """``func``, an analysis of one plan, on each plan of this table
        (:func:`kcdata.per_plan`: ``kcdata.per_plan(func)(df, *args, **kwargs)``)."""
        return plans.per_plan(func)(self.df, *args, **kwargs)

    def compare(self, new: pd.DataFrame, **kwargs: Any) -> pd.DataFrame:
        """:func:`kcdata.compare_plans` with this table as the old version."""
        return compare.compare_plans(self.df, new, **kwargs)

    # outputs (kcdata.outputs), loaded on first use
    def japanese(self, **kwargs: Any) -> Any:
        """This table as planners read it (:func:`kcdata.japanese`): a Styler."""
        from kcdata.outputs.tables import japanese

        return japanese(self.df, **kwargs)

    def explore(self, **kwargs: Any) -> Any:
        """This table to search and sort in JupyterLab (:func:`kcdata.explore`)."""
        from kcdata.outputs.explore import explore

        return explore(self.df, **kwargs)

    def to_workbook(self, path: str | os.PathLike[str], **kwargs: Any) -> Path:
        """Write the summary workbook (:func:`kcdata.write_workbook`); return its path."""
        from kcdata.outputs.workbook import write_summary_workbook

        return write_summary_workbook(self.df, path, **kwargs)

    def to_html(self, path: str | os.PathLike[str], **kwargs: Any) -> Path:
        """Write the browser page (:func:`kcdata.write_html`); return its path."""
        from kcdata.outputs.page import write_html

        return write_html(self.df, path, **kwargs)

    def write_report(self, out_dir: str | os.PathLike[str], **kwargs: Any) -> list[Path]:
        """Write charts and workbook as one unit (:func:`kcdata.write_report`)."""
        from kcdata.outputs.report import write_report

        return write_report(self.df, out_dir, **kwargs)

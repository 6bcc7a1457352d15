"""One analysis, many plans: :func:`per_plan` runs a one-plan analysis on each plan of a corpus.

How the one-plan results stack under the ``plan`` key (plans in table order):

* a table indexed by named keys (``policy_no``, ...): ``plan`` becomes the outer index level;
* a list of rows (an unnamed index, as :func:`kcdata.relisted_links`): ``plan`` becomes the
  first column and the rows are numbered afresh;
* a Series (as :func:`kcdata.plan_totals`): one row per plan, indexed by ``plan``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

import numpy as np
import pandas as pd

__all__ = ["per_plan", "single_plan"]

Result = TypeVar("Result", pd.DataFrame, pd.Series)


def per_plan(func: Callable[..., Result]) -> Callable[..., Result | pd.DataFrame]:
    """``func``, an analysis of one plan, made to run on each plan of a corpus.

    A table without a ``plan`` column is passed to ``func`` as it is; otherwise
    ``func`` runs on each plan's rows (without the ``plan`` column and ``attrs``)
    and the results are stacked as the module docstring says. The one-plan function is
    ``__wrapped__``.

    >>> import kcdata as kc
    >>> a = kc.parse_measures("基本方針1 方針\\n施策の方向性(1) 方向\\nA事業\\t\\t甲課 乙課\\n")
    >>> corpus = kc.combine_plans({"甲市": a, "乙市": a.iloc[[0, 0]]})
    >>> @per_plan
    ... def sizes(table):
    ...     return pd.Series({"listings": len(table), "pairs": table["departments"].map(len).sum()})
    >>> sizes(corpus).to_dict("index")
    {'甲市': {'listings': 1, 'pairs': 2}, '乙市': {'listings': 2, 'pairs': 4}}
    >>> sizes(a).to_dict()
    {'listings': 1, 'pairs': 2}
    """

    @functools.wraps(func)
    def for_each_plan(df: pd.DataFrame, *args: Any, **kwargs: Any) -> Result | pd.DataFrame:
        if "plan" not in df.columns:
            return func(df, *args, **kwargs)
        tables = df.drop(columns="plan")
        tables.attrs = {}  # the corpus's records are no plan's words
        results = {plan: func(table, *args, **kwargs)
                   for plan, table in tables.groupby(df["plan"], sort=False)}
        # the shape of a plan's result; a corpus without rows: one plan's, without rows
        first = next(iter(results.values())) if results else func(tables, *args, **kwargs)
        names = pd.Index(list(results), dtype="str", name="plan")
        if isinstance(first, pd.Series):
            out = pd.DataFrame(list(results.values()), index=names, columns=first.index)
            out = out.astype(first.dtype) if len(out) == 0 else out
        elif all(name is None for name in first.index.names):  # a list of rows
            frames = [r for r in results.values() if len(r)] or [first.iloc[:0]]
            out = pd.concat(frames, ignore_index=True)
            counts = [len(r) for r in results.values()]
            out.insert(0, "plan", pd.array(np.repeat(names.to_numpy(), counts), dtype="str"))
        else:
            frames = {plan: r for plan, r in results.items() if len(r)} or {"": first.iloc[:0]}
            out = pd.concat(frames, names=["plan"])
        out.attrs = {}
        return out

    return for_each_plan


def single_plan(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` as one plan's table (for its workbook, page, charts): the ``plan`` column dropped.

    Two or more plans are refused with ``ValueError``.

    >>> import kcdata as kc
    >>> a = kc.parse_measures("基本方針1 方針\\n施策の方向性(1) 方向\\nA事業\\t\\t甲課\\n")
    >>> "plan" in single_plan(kc.combine_plans({"甲市": a})).columns
    False
    """
    if "plan" not in df.columns:
        return df
    plans = pd.unique(df["plan"])
    if len(plans) > 1:
        raise ValueError(f"a table of {len(plans)} plans, where one plan is needed: take one "
                         "(df[df['plan'] == name]), or write the corpus report "
                         "(kcdata.write_corpus_report)")
    return df.drop(columns="plan")

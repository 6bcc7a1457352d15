"""One analysis, many plans: :func:`per_plan` runs an analysis written for one plan on each plan
of a corpus and stacks the results under a ``plan`` key.

Every analysis of :mod:`kcdata.analysis.summaries` is written for one plan and
published through :func:`per_plan`, so its result has one shape whatever the
data: a table with a ``plan`` column (a corpus, :func:`kcdata.read_plans`, even
one filtered down to a single plan) gives the one-plan result of each plan,
stacked; a table without one gives the one-plan result itself. How the one-plan
results stack (the ``plan`` key goes where the result's keys are):

* a table indexed by named keys (``policy_no``, ``department``, ...): ``plan``
  becomes the outermost index level (``plan, policy_no``);
* a list of rows (an index without a name, as :func:`kcdata.relisted_links`):
  ``plan`` becomes the first column, and the rows are numbered 0, 1, ... afresh;
* a Series (one value per name, as :func:`kcdata.plan_totals`): one row per
  plan, indexed by ``plan``, one column per name.

Plans come in the table's order (first appearance of each name). Each plan's
table is the corpus's rows of that plan without the ``plan`` column and
without ``attrs`` (a corpus keeps its plans' words in records, not per row).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import numpy as np
import pandas as pd

__all__ = ["per_plan", "single_plan", "stack_plans"]

Result = TypeVar("Result", pd.DataFrame, pd.Series)


def per_plan(func: Callable[..., Result]) -> Callable[..., Result | pd.DataFrame]:
    """``func``, an analysis of one plan, made to run on each plan of a corpus.

    ``per_plan(func)(df, *args, **kwargs)`` is ``func(df, *args, **kwargs)``
    when ``df`` has no ``plan`` column; otherwise ``func`` runs on each plan's
    rows (in the table's plan order, the ``plan`` column dropped) and the
    results are stacked by :func:`stack_plans`. Usable as a decorator, or on
    any analysis of your own: ``corpus.pipe(kc.per_plan(func), ...)`` or
    ``corpus.kc.per_plan(func, ...)``. The one-plan function stays reachable as
    ``__wrapped__``. Cost: one split of ``df`` (O(n)), then ``func`` once per plan.

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
        tables.attrs = {}
        results = {plan: func(table, *args, **kwargs)
                   for plan, table in tables.groupby(df["plan"], sort=False)}
        if not results:  # no plan: the shape of one plan's result, without rows
            return stack_plans({}, like=func(tables, *args, **kwargs))
        return stack_plans(results)

    return for_each_plan


def stack_plans(
    results: Mapping[str, pd.DataFrame | pd.Series], *, like: pd.DataFrame | pd.Series | None = None
) -> pd.DataFrame:
    """Each plan's result (plan name -> one-plan result, in order) stacked under a ``plan`` key.

    As the module's docstring says: an outermost ``plan`` index level, a
    leading ``plan`` column for a list of rows, or one row per plan for
    Series. ``like``: a one-plan result giving the shape when ``results`` is
    empty. The stacked table has no ``attrs``.

    >>> one = pd.DataFrame({"listings": [3, 1]}, index=pd.Index([1, 2], name="policy_no"))
    >>> stack_plans({"甲市": one, "乙市": one.iloc[:1]}).index.tolist()
    [('甲市', 1), ('甲市', 2), ('乙市', 1)]
    """
    first = next(iter(results.values()), like)
    if first is None:
        raise ValueError("stack_plans: no result, and no `like` to give the shape")
    names = pd.Index(list(results), dtype="str", name="plan")
    if isinstance(first, pd.Series):
        out = pd.DataFrame(list(results.values()), index=names, columns=first.index)
        out = out.astype(first.dtype) if len(out) == 0 else out
    elif _is_row_list(first):
        frames = [r for r in results.values() if len(r)] or [first.iloc[:0]]
        out = pd.concat(frames, ignore_index=True)
        counts = [len(r) for r in results.values()]
        out.insert(0, "plan", pd.array(np.repeat(names.to_numpy(), counts), dtype="str"))
    else:
        frames = {plan: r for plan, r in results.items() if len(r)} or {"": first.iloc[:0]}
        out = pd.concat(frames, names=["plan"])
        out = out.iloc[:0] if not results else out
    out.attrs = {}
    return out


def single_plan(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` as the table of one plan, for what only one plan has (its workbook, page, charts).

    A table without a ``plan`` column is returned as it is; a table whose
    ``plan`` column holds one plan (``corpus[corpus["plan"] == name]``) without
    that column, so that the analyses give their one-plan results. Two or more
    plans are refused with ``ValueError`` (their report is
    :func:`kcdata.write_corpus_report`). Cost: O(n) when there is a ``plan`` column.

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


def _is_row_list(result: pd.DataFrame) -> bool:
    """Whether a one-plan result is a list of rows: no level of its index has a name."""
    return all(name is None for name in result.index.names)

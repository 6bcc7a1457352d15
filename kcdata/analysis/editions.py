"""Editions: each measure's history across editions of one plan (the 経年 sheet), from
:func:`kcdata.compare_plans` of each consecutive pair (its conventions hold)."""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from kcdata.analysis.compare import RENAME_THRESHOLD, compare_plans, measure_table
from kcdata.text import nfkc_key
from kcdata.vocab import section_label

__all__ = ["EDITION_COLUMNS", "compare_editions", "edition_series", "series_key"]

#: The columns of :func:`compare_editions`' result before the one-per-edition columns.
EDITION_COLUMNS = [
    "measure", "first_edition", "last_edition", "editions", "renamed", "moved",
    "departments_changed", "dropped", "names", "similarity",
]


def compare_editions(
    editions: Mapping[str, pd.DataFrame] | Sequence[pd.DataFrame] | pd.DataFrame,
    *,
    threshold: float = RENAME_THRESHOLD,
) -> pd.DataFrame:
    """Each measure's history across editions of a plan, oldest first: one row per measure.

    ``editions``: name -> listing table, a list (named ``"1"``, ``"2"``, ...) or a
    corpus (its ``plan`` column names them). A measure is followed through its
    renames; one dropped that comes back later is a new row. Columns
    (:data:`EDITION_COLUMNS`): ``measure`` (its last name), ``first_edition``,
    ``last_edition``, ``editions`` (how many it is in), ``renamed`` / ``moved`` /
    ``departments_changed`` (at some step), ``dropped`` (not in the last edition),
    ``names`` (its distinct names), ``similarity`` (the lowest score of its renames by
    name), then one column per edition: its section there (「3-(2)」). Rows in order
    of first appearance.

    >>> from kcdata import parse_measures
    >>> head = "基本方針1 方針\\n施策の方向性(1) 方向\\n"
    >>> v1 = parse_measures(head + "研修及び研究会の実施\\t\\t教育課\\nB事業\\t\\t乙課\\n")
    >>> v2 = parse_measures(head + "教職員研修及び研究会の実施\\t\\t教育課\\n")
    >>> history = compare_editions({"2018": v1, "2025": v2})
    >>> for row in history[["measure", "renamed", "dropped", "2018", "2025"]].values.tolist():
    ...     print(row)
    ['教職員研修及び研究会の実施', True, False, '1-(1)', '1-(1)']
    ['B事業', False, True, '1-(1)', nan]
    """
    items = _editions(editions)
    names = [name for name, _ in items]
    clash = sorted(set(names) & set(EDITION_COLUMNS))
    if clash:
        raise ValueError(f"compare_editions: edition names {clash} are column names; rename them")
    chain_numbers = itertools.count()  # a chain: one measure followed through its renames
    state: dict[str, int] = {}  # each measure's NFKC key in the latest edition -> its chain
    steps = []
    for edition, (_, table) in enumerate(items):
        if edition == 0:  # every measure of the first edition is added
            step = measure_table(table, "new").rename(columns={"new_measure": "measure"})
            step = step.assign(status="added", changes=[()] * len(step), similarity=np.nan,
                               matched_by=np.nan,
                               old_measure=pd.Series(np.nan, index=step.index, dtype="str"))
        else:
            step = compare_plans(items[edition - 1][1], table, threshold=threshold)
            step = step[step["status"] != "removed"]
        old_keys = nfkc_key(step["old_measure"].fillna(step["measure"]))
        chains = [next(chain_numbers) if status == "added" else state[old_key]
                  for status, old_key in zip(step["status"], old_keys, strict=True)]
        state = dict(zip(nfkc_key(step["measure"]), chains, strict=True))
        steps.append(step.assign(
            chain=chains,
            edition=edition,
            section=[section_label(p, d) for p, d in zip(
                step["new_policy_no"], step["new_direction_no"], strict=True)],
            renamed=step["status"] == "renamed",
            moved=["location" in changes for changes in step["changes"]],
            departments_changed=["departments" in changes for changes in step["changes"]],
            similarity=step["similarity"].where(step["matched_by"] == "name"),
        ))
    long = pd.concat(steps, ignore_index=True)
    by_chain = long.groupby("chain", sort=False)  # in order of first appearance
    out = pd.DataFrame({
        "measure": by_chain["measure"].last(),
        "first_edition": by_chain["edition"].min().map(dict(enumerate(names))),
        "last_edition": by_chain["edition"].max().map(dict(enumerate(names))),
        "editions": by_chain.size(),
        "renamed": by_chain["renamed"].any(),
        "moved": by_chain["moved"].any(),
        "departments_changed": by_chain["departments_changed"].any(),
        "dropped": by_chain["edition"].max() < len(items) - 1,
        "names": by_chain["measure"].agg(lambda written: tuple(dict.fromkeys(written))),
        "similarity": by_chain["similarity"].min(),
    }).astype({"measure": "str", "first_edition": "str", "last_edition": "str",
               "editions": "int64", "renamed": bool, "moved": bool, "departments_changed": bool,
               "dropped": bool, "names": object, "similarity": "float64"})
    sections = long.pivot(index="chain", columns="edition", values="section")
    out[names] = sections.reindex(index=out.index, columns=range(len(names))).astype("str")
    return out.reset_index(drop=True)


def _editions(
    editions: Mapping[str, pd.DataFrame] | Sequence[pd.DataFrame] | pd.DataFrame,
) -> list[tuple[str, pd.DataFrame]]:
    """The editions as (name, table) pairs, in order."""
    if isinstance(editions, pd.DataFrame):
        if "plan" not in editions.columns:
            raise ValueError("compare_editions: a single table needs a plan column")
        editions = dict(list(editions.groupby("plan", sort=False)))
    elif not isinstance(editions, Mapping):
        editions = dict(enumerate(editions, start=1))
    items = [(str(name), table) for name, table in editions.items()]
    if not items:
        raise ValueError("compare_editions: no editions given")
    if len({name for name, _ in items}) != len(items):
        raise ValueError("compare_editions: edition names must be unique")
    return items


#: What may differ between the titles of two editions of one plan: years, era names, edition
#: words, white space (「第2期」「令和7年度版」「改訂版」「（案）」).
_EDITION_WORDS = re.compile(r"第\d+[期次]|\d+|令和|平成|昭和|元年|年度|年版|年|改訂版|改訂|改定|"
                            r"版|\(案\)|案|[\s_\-]")


def series_key(title: str) -> str:
    """A plan's title without what changes from edition to edition: equal keys, one plan.

    >>> series_key("金沢市地域福祉計画2025（令和7年度版）") == series_key("金沢市地域福祉計画 2021")
    True
    >>> series_key("金沢市地域福祉計画") == series_key("白山市地域福祉計画")
    False
    """
    return _EDITION_WORDS.sub("", unicodedata.normalize("NFKC", title)).replace("()", "")


def edition_series(corpus: pd.DataFrame, *, editions: bool | None = None
                   ) -> dict[str, list[str]]:
    """Which plans of a corpus are editions of one plan: series name -> its plans, in order.

    Editions by default when their titles have the same :func:`series_key` (a plan
    without a title: its name); ``editions=True``: all plans one series;
    ``False``: each plan its own. A series is named after its first plan.

    >>> import kcdata
    >>> plan = kcdata.load_example()
    >>> edition_series(kcdata.combine_plans({"2021": plan, "2025": plan}))
    {'2021': ['2021', '2025']}
    """
    plans = [str(p) for p in pd.unique(corpus["plan"])] if "plan" in corpus else []
    if editions:
        return {plans[0]: plans} if plans else {}
    titles = {r.plan: r.title for r in corpus.attrs.get("plans") or () if hasattr(r, "plan")}
    series: dict[str, list[str]] = {}
    first_of: dict[str, str] = {}
    for plan in plans:
        key = plan if editions is False else series_key(titles.get(plan) or plan)
        series.setdefault(first_of.setdefault(key, plan), []).append(plan)
    return series

"""Editions: each measure's history across three or more editions of one plan (the 経年 sheet).

Built on :func:`kcdata.compare_plans` applied to each consecutive pair of
editions, with its conventions (a measure is a 事業名 up to its NFKC key;
renames are followed by name similarity).
"""

from __future__ import annotations

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
    "measure",
    "first_edition",
    "last_edition",
    "editions",
    "renamed",
    "moved",
    "departments_changed",
    "dropped",
    "names",
    "similarity",
]


def compare_editions(
    editions: Mapping[str, pd.DataFrame] | Sequence[pd.DataFrame] | pd.DataFrame,
    *,
    threshold: float = RENAME_THRESHOLD,
) -> pd.DataFrame:
    """Each measure's history across editions of a plan, oldest first: one row per measure.

    ``editions``: an ordered mapping of edition name -> listing table, a list of
    tables (named ``"1"``, ``"2"``, …), or a corpus table (its ``plan`` column
    names the editions, in table order). Consecutive editions are compared
    with :func:`compare_plans` (same conventions: NFKC names, 【再掲】 folded,
    renames by summary or by name similarity at least ``threshold``), and a
    measure is followed through its renames. Columns (:data:`EDITION_COLUMNS`):

    * ``measure``: its name in the last edition it is in;
    * ``first_edition`` / ``last_edition``: names of the first and last
      editions it is in; ``editions``: how many it is in (a measure that is
      dropped and comes back later is a new row);
    * ``renamed``: renamed at some step; ``moved``: its (基本方針,
      施策の方向性) changed at some step; ``departments_changed``: its set of
      departments changed at some step (a 課 split into two counts);
    * ``dropped``: not in the last edition;
    * ``names``: its distinct names, in order (a tuple); ``similarity``: the
      lowest :func:`name_similarity` of its renames matched by name (missing
      when none), so a planner can check the weakest link;
    * then one column per edition, named after it: the measure's section there
      (``"3-(2)"``), missing where it is absent.

    Rows come in order of first appearance. The inputs are not modified.
    Cost: one :func:`compare_plans` per consecutive pair, linear in listings.

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
    chains: list[dict] = []
    state: dict[str, int] = {}

    def visit(chain: int, edition: int, name: str, policy_no: object, direction_no: object) -> None:
        record = chains[chain]
        record["at"][names[edition]] = section_label(policy_no, direction_no)
        record["last"] = edition
        if name not in record["names"]:
            record["names"].append(name)

    first = measure_table(items[0][1], "new")
    for row in first.itertuples(index=False):
        state[row.key] = len(chains)
        chains.append({"first": 0, "at": {}, "names": [], "renamed": False, "moved": False,
                       "departments": False, "similarity": np.nan})
        visit(state[row.key], 0, row.new_measure, row.new_policy_no, row.new_direction_no)
    for k in range(1, len(items)):
        comparison = compare_plans(items[k - 1][1], items[k][1], threshold=threshold)
        keys = nfkc_key(comparison["measure"]).tolist()
        old_names = comparison["old_measure"].fillna(comparison["measure"])
        old_keys = nfkc_key(old_names).tolist()
        next_state: dict[str, int] = {}
        for row, key, old_key in zip(comparison.itertuples(index=False), keys, old_keys,
                                     strict=True):
            if row.status == "removed":
                continue
            if row.status == "added":
                chain = len(chains)
                chains.append({"first": k, "at": {}, "names": [], "renamed": False,
                               "moved": False, "departments": False, "similarity": np.nan})
            else:
                chain = state[old_key]
                record = chains[chain]
                record["renamed"] |= row.status == "renamed"
                record["moved"] |= "location" in row.changes
                record["departments"] |= "departments" in row.changes
                if row.matched_by == "name":
                    record["similarity"] = np.fmin(record["similarity"], row.similarity)
            next_state[key] = chain
            visit(chain, k, row.measure, row.new_policy_no, row.new_direction_no)
        state = next_state
    last = len(items) - 1
    out = pd.DataFrame(
        {
            "measure": pd.Series([c["names"][-1] for c in chains], dtype="str"),
            "first_edition": pd.Series([names[c["first"]] for c in chains], dtype="str"),
            "last_edition": pd.Series([names[c["last"]] for c in chains], dtype="str"),
            "editions": pd.Series([len(c["at"]) for c in chains], dtype="int64"),
            "renamed": pd.Series([c["renamed"] for c in chains], dtype=bool),
            "moved": pd.Series([c["moved"] for c in chains], dtype=bool),
            "departments_changed": pd.Series([c["departments"] for c in chains], dtype=bool),
            "dropped": pd.Series([c["last"] < last for c in chains], dtype=bool),
            "names": pd.Series([tuple(c["names"]) for c in chains], dtype=object),
            "similarity": pd.Series([c["similarity"] for c in chains], dtype="float64"),
        }
    )
    for name in names:
        out[name] = pd.Series([c["at"].get(name) for c in chains], dtype="str")
    return out


def _editions(
    editions: Mapping[str, pd.DataFrame] | Sequence[pd.DataFrame] | pd.DataFrame,
) -> list[tuple[str, pd.DataFrame]]:
    """The editions as (name, table) pairs, in order."""
    if isinstance(editions, pd.DataFrame):
        if "plan" not in editions.columns:
            raise ValueError("compare_editions: a single table needs a plan column")
        items = [(str(name), table) for name, table in editions.groupby("plan", sort=False)]
    elif isinstance(editions, Mapping):
        items = [(str(name), table) for name, table in editions.items()]
    else:
        items = [(str(i), table) for i, table in enumerate(editions, start=1)]
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

    Documents are editions of one plan only when their titles say so (the same
    :func:`series_key`: 「地域福祉計画（令和3年度版）」 and 「地域福祉計画 2025」) or when
    the user says so (``editions=True``: every plan, one series). A plan
    without a title is known by its name (its file's stem). ``editions=False``:
    each plan is a series of its own. The series is named after its first
    plan. Other cities' plans are never editions of each other unless their
    titles are the same; a 経年 table is made per series (:func:`compare_editions`),
    so nothing is marked 廃止 between two cities.

    >>> import kcdata
    >>> plan = kcdata.load_example()
    >>> corpus = kcdata.combine_plans({"2021": plan, "2025": plan})
    >>> edition_series(corpus)
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
        first = first_of.setdefault(key, plan)
        series.setdefault(first, []).append(plan)
    return series


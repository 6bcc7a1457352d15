"""Summaries of the listing table: policies, departments, re-listings.

Counting conventions, shared by every function here:

* a **listing** is one row of the document's tables, 【再掲】 rows included;
* a **measure** is a listing that is not 【再掲】 (``policy_summary``) or a
  distinct measure name by NFKC key (``department_summary``);
* a co-managed listing (「緑と花の課 内水整備課」) counts once for **each** of
  its departments, so department counts add up to listing-department pairs
  (113 in the bundled plan), not listings (110).

A table may hold several plans (a corpus, :func:`kcdata.read_plans`): when its
``plan`` column has two or more values, every summary and matrix gains a
leading ``plan`` level (index level or column) and counts are made within each
plan (a department's share is of its own plan's pairs, duplicates and
re-listings are looked for within a plan). A table of one plan, with or
without a ``plan`` column, gives exactly the single-plan result.

Every function is pure: it returns a new DataFrame and never modifies its input.
Each docstring states its cost in n, the number of listings; none is quadratic.
Possible duplicates are looked for in :mod:`kcdata.analysis.similarity`.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

from kcdata.io.departments import explode_departments
from kcdata.text import departments_key, nfkc_key

__all__ = [
    "concentration",
    "department_matrix",
    "department_presence",
    "department_recurrence",
    "department_summary",
    "name_keys",
    "plan_level",
    "plan_summary",
    "plan_totals",
    "policy_summary",
    "relisted_links",
]

By = Literal["policy", "direction"]

#: The level columns a listing table may have, outermost first (deeper ones only when the
#: document has them).
_LEVEL_COLUMNS = ("policy_no", "direction_no", "level3_no", "level4_no")


def _keys(by: By) -> list[str]:
    if by == "policy":
        return ["policy_no"]
    if by == "direction":
        return ["policy_no", "direction_no"]
    raise ValueError(f"by must be 'policy' or 'direction', not {by!r}")


def plan_level(df: pd.DataFrame) -> list[str]:
    """``["plan"]`` when ``df`` holds two or more plans (a ``plan`` column, 2+ values), else ``[]``.

    The extra leading key every analysis groups by. Cost: O(n).

    >>> one, two = pd.DataFrame({"plan": ["a", "a"]}), pd.DataFrame({"plan": ["a", "b"]})
    >>> plan_level(one), plan_level(two)
    ([], ['plan'])
    """
    if "plan" in df.columns and df["plan"].nunique() >= 2:
        return ["plan"]
    return []


def _plan_order(df: pd.DataFrame) -> dict[object, int]:
    """Each plan's position in the table (order of first appearance)."""
    return {plan: i for i, plan in enumerate(pd.unique(df["plan"]))}


def _in_plan_order(out: pd.DataFrame, df: pd.DataFrame) -> pd.DataFrame:
    """``out`` (leading ``plan`` index level) reordered stably by the plans' order in ``df``."""
    order = _plan_order(df)
    codes = np.array([order[p] for p in out.index.get_level_values("plan")], dtype=np.int64)
    return out.iloc[np.argsort(codes, kind="stable")]


def _with_words(out: pd.DataFrame, df: pd.DataFrame) -> pd.DataFrame:
    """``out`` with the plan's ``attrs`` (its words, for :func:`kcdata.japanese`)."""
    out.attrs = dict(df.attrs)
    return out


def name_keys(values: pd.Series) -> pd.Series:
    """:func:`nfkc_key` of each name, computed once per distinct name (names repeat in a corpus)."""
    codes, uniques = pd.factorize(values)
    keys = nfkc_key(pd.Series(uniques, dtype="str")).to_numpy(dtype=object)
    return pd.Series(keys[codes], index=values.index, dtype="str")


def plan_totals(df: pd.DataFrame) -> pd.Series:
    """The plan's totals, as an int Series (the 概要 sheet, `kcdata check`).

    listings (rows, 【再掲】 included), relisted, measures (distinct names, by
    NFKC key, of the listings that are not 【再掲】), departments (distinct names), pairs
    (listing-department pairs: a co-managed listing counts once per
    department), co_managed (listings with two or more departments), policies
    and directions (distinct sections).

    For a corpus (two or more plans) the totals are over all its plans:
    measures and sections are counted within each plan and summed (a measure
    two plans share counts twice), departments are distinct names across the
    corpus. :func:`plan_summary` gives the same per plan. Cost: O(n).

    >>> from kcdata import parse_measures
    >>> doc = "基本方針1 方針\\n施策の方向性(1) 方向\\nA事業\\t\\t甲課 乙課\\nB事業\\t\\t甲課\\n"
    >>> plan_totals(parse_measures(doc))[["listings", "departments", "pairs"]].tolist()
    [2, 2, 3]
    """
    plan = plan_level(df)
    pairs = explode_departments(df[[*plan, "departments"]])
    keyed = df.loc[~df["relisted"], plan].assign(key=name_keys(df.loc[~df["relisted"], "measure"]))
    return pd.Series(
        {
            "listings": len(df),
            "relisted": int(df["relisted"].sum()),
            "measures": len(keyed.drop_duplicates()),
            "departments": pairs["department"].nunique(),
            "pairs": len(pairs),
            "co_managed": int((df["departments"].map(len) >= 2).sum()),
            "policies": len(df[[*plan, "policy_no"]].drop_duplicates()),
            "directions": len(df[[*plan, "policy_no", "direction_no"]].drop_duplicates()),
        },
        dtype="int64",
    )


def plan_summary(df: pd.DataFrame) -> pd.DataFrame:
    """One row per plan of a corpus: its size and shape, as :func:`plan_totals` counts them.

    Indexed by ``plan`` (in the table's order); columns ``listings``,
    ``relisted`` (【再掲】 listings), ``measures`` (distinct names by NFKC key,
    【再掲】 excluded), ``departments``, ``pairs`` (listing-department pairs),
    ``co_managed`` (listings with two or more departments), ``levels`` (heading
    levels of the plan: from the document's layout when recorded, in
    ``df.attrs["plans"]`` of a corpus or ``df.attrs["levels"]`` of one plan,
    else the level columns that hold a value),
    ``policies`` and ``directions`` (distinct outer and second-level
    sections; 0 second-level ones for a one-level plan). A table without a
    ``plan`` column is one plan, named by ``df.attrs["title"]`` or 「計画」.
    Cost: O(n) (a few group-bys).

    >>> from kcdata import parse_measures, combine_plans
    >>> a = parse_measures("基本方針1 方針\\n施策の方向性(1) 方向\\nA事業\\t\\t甲課 乙課\\n")
    >>> plan_summary(combine_plans({"甲市": a, "乙市": a.iloc[[0, 0]]}))["listings"].to_dict()
    {'甲市': 1, '乙市': 2}
    """
    if "plan" in df.columns:
        plan = df["plan"].astype("str")
    else:
        plan = pd.Series(str(df.attrs.get("title") or "計画"), index=df.index, dtype="str")
    table = df.assign(plan=plan)
    grouped = table.groupby("plan", sort=False)
    relisted = table["relisted"].astype(bool)
    pairs = explode_departments(table[["plan", "departments"]])
    unmarked = table.loc[~relisted, ["plan"]].assign(
        key=name_keys(table.loc[~relisted, "measure"])
    )
    levels_present = [c for c in _LEVEL_COLUMNS if c in table.columns]
    data_levels = (grouped[levels_present].count() > 0).sum(axis=1).astype("int64")
    out = pd.DataFrame(
        {
            "listings": grouped.size(),
            "relisted": grouped["relisted"].sum().astype("int64"),
            "measures": unmarked.drop_duplicates().groupby("plan", sort=False).size(),
            "departments": pairs.groupby("plan", sort=False)["department"].nunique(),
            "pairs": pairs.groupby("plan", sort=False).size(),
            "co_managed": (table["departments"].map(len) >= 2).groupby(table["plan"], sort=False)
            .sum(),
            "levels": data_levels,
        }
    )
    out = out.reindex(pd.unique(plan)).fillna(0).astype("int64")
    plans = df.attrs.get("plans")
    if isinstance(plans, tuple) and all(hasattr(r, "levels") for r in plans):
        recorded = {r.plan: r.levels for r in plans}
        out["levels"] = [len(recorded[p]) if isinstance(recorded.get(p), tuple | list)
                         else out.loc[p, "levels"] for p in out.index]
    elif df.attrs.get("levels") and "plan" not in df.columns:
        out["levels"] = len(df.attrs["levels"])
    out["policies"] = table[["plan", "policy_no"]].drop_duplicates().groupby(
        "plan", sort=False).size()
    out["directions"] = table[["plan", "policy_no", "direction_no"]].drop_duplicates().groupby(
        "plan", sort=False).size()
    out["directions"] = out["directions"].where(out["levels"] >= 2, 0)  # a one-level plan
    out.index.name = "plan"
    return out


def policy_summary(df: pd.DataFrame, by: By = "policy") -> pd.DataFrame:
    """Listings per 基本方針 (``by="policy"``) or per 施策の方向性 (``by="direction"``).

    Indexed by ``policy_no`` (or ``policy_no, direction_no``), with the titles
    (``policy``, and ``direction``) and:

    * ``listings``: rows of the section's tables, 【再掲】 included;
    * ``relisted``: of those, 【再掲】 rows;
    * ``measures``: listings that are not 【再掲】 (``listings - relisted``);
    * ``departments``: distinct departments named in the section.

    A corpus gets a leading ``plan`` index level (plans in table order).
    Cost: O(n) (group-bys).

    >>> from kcdata import read_measures
    >>> from kcdata.paths import BUNDLED_DOCUMENT
    >>> policy_summary(read_measures(BUNDLED_DOCUMENT))["listings"].tolist()
    [12, 32, 36, 30]
    """
    plan = plan_level(df)
    keys = [*plan, *_keys(by)]
    titles = ["policy", "direction"][: len(keys) - len(plan)]
    grouped = df.groupby(keys, sort=True)
    out = grouped[titles].first()
    out["listings"] = grouped.size()
    out["relisted"] = grouped["relisted"].sum().astype("int64")
    out["measures"] = out["listings"] - out["relisted"]
    pairs = explode_departments(df[[*keys, "departments"]])
    out["departments"] = pairs.groupby(keys)["department"].nunique()
    return _in_plan_order(out, df) if plan else out


def department_summary(df: pd.DataFrame) -> pd.DataFrame:
    """One row per department: how much of the plan it carries and where.

    Indexed by ``department``, sorted by ``listings`` (descending), then name:

    * ``listings``: listings that name the department (a co-managed listing
      counts once for each of its departments; 【再掲】 included);
    * ``measures``: distinct measures among them (by NFKC key of the name, so a
      measure and its 【再掲】 count once);
    * ``policies`` / ``directions``: distinct 基本方針 / 施策の方向性 it appears in;
    * ``co_managed``: its listings shared with another department;
    * ``share``: its listings over all listing-department pairs (shares sum to 1).

    The result keeps ``df.attrs`` (the plan's words), as :func:`policy_summary` does.

    A corpus is indexed by ``plan, department`` (plans in table order, then as
    above within each plan), and ``share`` is over the plan's own pairs (shares
    sum to 1 within each plan). Cost: O(n log n) (group-bys and a sort).

    >>> from kcdata import read_measures
    >>> from kcdata.paths import BUNDLED_DOCUMENT
    >>> summary = department_summary(read_measures(BUNDLED_DOCUMENT))
    >>> summary.loc["市民協働推進課", ["listings", "measures", "policies"]].tolist()
    [24, 22, 4]
    """
    plan = plan_level(df)
    keys = [*plan, "department"]
    listings = df[[*plan, "policy_no", "direction_no", "departments"]].assign(
        key=name_keys(df["measure"]), co=df["departments"].map(len) > 1
    )
    pairs = explode_departments(listings)
    grouped = pairs.groupby(keys)
    out = pd.DataFrame(
        {
            "listings": grouped.size(),
            "measures": grouped["key"].nunique(),
            "policies": grouped["policy_no"].nunique(),
            "directions": pairs.drop_duplicates([*keys, "policy_no", "direction_no"])
            .groupby(keys)
            .size(),
            "co_managed": grouped["co"].sum().astype("int64"),
        }
    )
    if plan:
        out["share"] = out["listings"] / out.groupby(level="plan")["listings"].transform("sum")
        out = out.reset_index()
        order = _plan_order(df)
        out = out.assign(_plan=out["plan"].map(order)).sort_values(
            ["_plan", "listings", "department"], ascending=[True, False, True], kind="stable"
        ).drop(columns="_plan")
        return _with_words(out.set_index(keys), df)
    out["share"] = out["listings"] / out["listings"].sum()
    out = out.reset_index().sort_values(
        ["listings", "department"], ascending=[False, True], kind="stable"
    )
    return _with_words(out.set_index("department"), df)


def department_matrix(df: pd.DataFrame, by: By = "policy") -> pd.DataFrame:
    """Departments x 基本方針 (or x 施策の方向性): listing counts, zeros filled.

    Counts follow :func:`department_summary` (co-managed listings count for each
    department, 【再掲】 included), so each row sums to the department's
    ``listings``; rows are in :func:`department_summary` order, columns by number.
    A corpus has rows ``plan, department`` (the columns are the section numbers
    of all its plans). Cost: O(n log n).
    """
    plan = plan_level(df)
    keys = _keys(by)
    pairs = explode_departments(df[[*plan, *keys, "departments"]])
    counts = pairs.groupby([*plan, "department", *keys]).size()
    matrix = counts.unstack(keys, fill_value=0).sort_index(axis=1)
    matrix = matrix.reindex(department_summary(df).index, fill_value=0).astype("int64")
    matrix.columns.names = keys
    return _with_words(matrix, df)


def department_presence(df: pd.DataFrame) -> pd.DataFrame:
    """Departments x plans: how many listings name each department in each plan.

    Rows are department names (as written; the same name in two plans is one
    row), columns the plans in table order (a table without a ``plan`` column
    is one column named as in :func:`plan_summary`); a department is *present*
    in a plan when its count is above 0. Rows are sorted by the number of plans
    the department is present in (descending), then its total listings
    (descending), then name. Listings counted as in :func:`department_summary`.
    Cost: O(n log n) (one group-by and a sort); the result has one cell per
    department and plan.

    >>> from kcdata import parse_measures, combine_plans
    >>> a = parse_measures("基本方針1 方針\\n施策の方向性(1) 方向\\nA事業\\t\\t甲課 乙課\\n")
    >>> b = parse_measures("基本方針1 方針\\n施策の方向性(1) 方向\\nB事業\\t\\t乙課\\n")
    >>> department_presence(combine_plans({"甲市": a, "乙市": b})).values.tolist()
    [[1, 1], [1, 0]]
    """
    if "plan" in df.columns:
        plan = df["plan"].astype("str")
    else:
        plan = pd.Series(str(df.attrs.get("title") or "計画"), index=df.index, dtype="str")
    pairs = explode_departments(pd.DataFrame({"plan": plan, "departments": df["departments"]}))
    matrix = pairs.groupby(["department", "plan"]).size().unstack("plan", fill_value=0)
    matrix = matrix.reindex(columns=pd.unique(plan), fill_value=0).astype("int64")
    order = pd.DataFrame({"present": (matrix > 0).sum(axis=1), "total": matrix.sum(axis=1),
                          "name": matrix.index})
    order = order.sort_values(["present", "total", "name"], ascending=[False, False, True],
                              kind="stable")
    matrix = matrix.loc[order.index]
    matrix.index.name = "department"
    matrix.columns.name = "plan"
    return matrix


def department_recurrence(df: pd.DataFrame) -> pd.DataFrame:
    """How many departments are named by 1, 2, 3, ... listings.

    Indexed by ``listings`` (ascending), column ``departments``; the counts sum
    to the number of distinct departments. Listings counted as in
    :func:`department_summary`. A corpus is indexed by ``plan, listings``.
    Cost: O(n log n).
    """
    summary = department_summary(df)
    if plan_level(df):
        counts = summary.groupby(level="plan", sort=False)["listings"].value_counts()
        counts = counts.sort_index(level="listings", sort_remaining=False, kind="stable")
        counts = _in_plan_order(counts.to_frame(), df).iloc[:, 0]
        counts.index.names = ["plan", "listings"]
        return counts.rename("departments").astype("int64").to_frame()
    counts = summary["listings"].value_counts().sort_index()
    counts.index.name = "listings"
    return counts.rename("departments").to_frame()


def concentration(df: pd.DataFrame) -> pd.Series | pd.DataFrame:
    """How concentrated the plan is on a few departments.

    From :func:`department_summary`'s ``share``: ``top3_share`` (share of
    listing-department pairs held by the three largest departments), ``hhi``
    (Herfindahl-Hirschman index, the sum of squared shares, from 1/n for an even
    spread to 1 for a single department) and ``effective_departments`` (1/hhi,
    the number of equally large departments with the same hhi).

    One plan gives a Series; a corpus a DataFrame with one row per plan (index
    ``plan``) and these four columns. A plan without departments
    (:func:`kcdata.schema.has_departments`) has 0 departments, a ``top3_share``
    of 0 and a missing (NaN) ``hhi`` and ``effective_departments``. Cost: O(n log n).
    """
    summary = department_summary(df)
    if plan_level(df):
        share = summary["share"]
        plans = share.index.get_level_values("plan")
        grouped = share.groupby(plans, sort=False)
        hhi = (share**2).groupby(plans, sort=False).sum()
        # department_summary sorts each plan by listings, descending: its first three are the top 3
        top3 = share.groupby(plans, sort=False).head(3)
        out = pd.DataFrame(
            {
                "departments": grouped.size().astype("float64"),
                "top3_share": top3.groupby(top3.index.get_level_values("plan"), sort=False).sum(),
                "hhi": hhi,
                "effective_departments": 1.0 / hhi,
            }
        )
        out = out.reindex(pd.unique(df["plan"])).fillna({"departments": 0.0, "top3_share": 0.0})
        out.index.name = "plan"
        return out
    share = summary["share"]
    hhi = float((share**2).sum()) if len(share) else np.nan
    return pd.Series(
        {
            "departments": float(len(share)),
            "top3_share": float(share.nlargest(3).sum()),
            "hhi": hhi,
            "effective_departments": 1.0 / hhi,
        }
    )


def relisted_links(df: pd.DataFrame) -> pd.DataFrame:
    """Each 【再掲】 listing with the original listing it repeats.

    One row per 【再掲】 listing, in document order: ``measure``, its
    ``policy_no``, ``direction_no``, ``line``, and ``original_policy_no``,
    ``original_direction_no``, ``original_line`` of the first listing of the
    same measure (NFKC key of the name) without the mark, wherever it stands
    (before or after the re-listing). ``consistent`` is True when the original
    has the same summary and the same departments (NFKC keys, department order
    ignored). A re-listing without an original gets missing ``original_*``
    values (nullable ``Int64``) and ``consistent`` False.

    In a corpus the original is looked for in the same plan, and a leading
    ``plan`` column says which. Cost: O(n) (one hash join).
    """
    plan = plan_level(df)
    keyed = df.assign(
        key=nfkc_key(df["measure"]),
        summary_key=nfkc_key(df["summary"]),
        departments_key=df["departments"].map(departments_key),
    )
    relisted = keyed[keyed["relisted"]]
    originals = (
        keyed[~keyed["relisted"]]
        .drop_duplicates([*plan, "key"])[[*plan, "key", "policy_no", "direction_no", "line",
                                         "summary_key", "departments_key"]]
        .rename(columns=lambda c: c if c in ("key", "plan") else f"original_{c}")
    )
    links = relisted.merge(originals, on=[*plan, "key"], how="left")
    found = links["original_line"].notna()
    links["consistent"] = (
        found
        & (links["summary_key"] == links["original_summary_key"])
        & (links["departments_key"] == links["original_departments_key"])
    ).astype(bool)
    columns = [*plan, "measure", "policy_no", "direction_no", "line",
               "original_policy_no", "original_direction_no", "original_line", "consistent"]
    out = links[columns].reset_index(drop=True)
    for c in ["original_policy_no", "original_direction_no", "original_line"]:
        out[c] = out[c].astype("Int64")
    return out

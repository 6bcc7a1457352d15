"""Summaries of the listing table: policies, departments, re-listings.

Counting conventions, shared by every function here:

* a **listing** is one row of the document's tables, 【再掲】 rows included;
* a **measure** is a listing that is not 【再掲】 (``policy_summary``) or a
  distinct measure name by NFKC key (``department_summary``);
* a co-managed listing (「緑と花の課 内水整備課」) counts once for **each** of
  its departments, so department counts add up to listing-department pairs
  (113 in the bundled plan), not listings (110).

Each analysis is written for one plan and published through
:func:`kcdata.analysis.plans.per_plan`: a table with a ``plan`` column (a
corpus, :func:`kcdata.read_plans`, even one filtered down to a single plan)
gets the one-plan result of each plan, stacked under a leading ``plan`` key (the
outermost index level; a first column for a list of rows such as
:func:`relisted_links`; one row per plan for the Series of :func:`plan_totals`
and :func:`concentration`). So a result has the same type, index names and
columns whatever the data; counts are made within each plan (a department's
share is of its own plan's pairs, re-listings are matched within a plan).
:func:`plan_summary` and :func:`department_presence` compare plans, and take
a table with or without a ``plan`` column alike.

Every function is pure: it returns a new DataFrame and never modifies its input.
Each docstring states its cost in n, the number of listings; none is quadratic.
Possible duplicates are looked for in :mod:`kcdata.analysis.similarity`.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

from kcdata.analysis.plans import per_plan
from kcdata.io.departments import explode_departments
from kcdata.text import departments_key, nfkc_key

__all__ = [
    "concentration",
    "department_matrix",
    "department_presence",
    "department_recurrence",
    "department_summary",
    "name_keys",
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


def _with_words(out: pd.DataFrame, df: pd.DataFrame) -> pd.DataFrame:
    """``out`` with the plan's ``attrs`` (its words, for :func:`kcdata.japanese`)."""
    out.attrs = dict(df.attrs)
    return out


def name_keys(values: pd.Series) -> pd.Series:
    """:func:`nfkc_key` of each name, computed once per distinct name (names repeat in a corpus)."""
    codes, uniques = pd.factorize(values)
    keys = nfkc_key(pd.Series(uniques, dtype="str")).to_numpy(dtype=object)
    return pd.Series(keys[codes], index=values.index, dtype="str")


@per_plan
def plan_totals(df: pd.DataFrame) -> pd.Series:
    """The plan's totals, as an int Series (the 概要 sheet, `kcdata check`).

    listings (rows, 【再掲】 included), relisted, measures (distinct names, by
    NFKC key, of the listings that are not 【再掲】), departments (distinct names), pairs
    (listing-department pairs: a co-managed listing counts once per
    department), co_managed (listings with two or more departments), policies
    (distinct outer sections) and directions (distinct second-level sections:
    those with a ``direction_no`` other than 0 or missing, so 0 for a one-level plan).

    A corpus (a ``plan`` column) gets one row per plan, indexed by ``plan``, with
    these columns (:func:`plan_summary` adds each plan's number of levels);
    ``plan_totals(corpus).sum()`` counts measures and sections within each plan
    (a measure two plans share counts twice). Cost: O(n).

    >>> from kcdata import parse_measures
    >>> doc = "基本方針1 方針\\n施策の方向性(1) 方向\\nA事業\\t\\t甲課 乙課\\nB事業\\t\\t甲課\\n"
    >>> plan_totals(parse_measures(doc))[["listings", "departments", "pairs"]].tolist()
    [2, 2, 3]
    """
    pairs = explode_departments(df[["departments"]])
    unmarked = ~df["relisted"].astype(bool)
    sections = df[["policy_no", "direction_no"]].drop_duplicates()
    return pd.Series(
        {
            "listings": len(df),
            "relisted": int(df["relisted"].sum()),
            "measures": len(name_keys(df.loc[unmarked, "measure"]).drop_duplicates()),
            "departments": pairs["department"].nunique(),
            "pairs": len(pairs),
            "co_managed": int((df["departments"].map(len) >= 2).sum()),
            "policies": len(sections["policy_no"].drop_duplicates()),
            "directions": int(sections["direction_no"].fillna(0).ne(0).sum()),
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
    sections, as :func:`plan_totals` counts them: 0 second-level ones for a
    one-level plan). A table without a ``plan`` column is one plan, named by
    ``df.attrs["title"]`` or 「計画」. Cost: O(n) (a few group-bys, over all
    plans at once: the corpus report's table of 2,000 plans).

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
    sections = table[["plan", "policy_no", "direction_no"]].drop_duplicates()
    out["policies"] = sections[["plan", "policy_no"]].drop_duplicates().groupby(
        "plan", sort=False).size()
    second = sections["direction_no"].fillna(0).ne(0)  # a missing number: no second level
    out["directions"] = second.groupby(sections["plan"], sort=False).sum()
    out["directions"] = out["directions"].fillna(0).astype("int64")
    out.index.name = "plan"
    return out


@per_plan
def policy_summary(df: pd.DataFrame, by: By = "policy") -> pd.DataFrame:
    """Listings per 基本方針 (``by="policy"``) or per 施策の方向性 (``by="direction"``).

    Indexed by ``policy_no`` (or ``policy_no, direction_no``), with the titles
    (``policy``, and ``direction``) and:

    * ``listings``: rows of the section's tables, 【再掲】 included;
    * ``relisted``: of those, 【再掲】 rows;
    * ``measures``: listings that are not 【再掲】 (``listings - relisted``);
    * ``departments``: distinct departments named in the section.

    A corpus gets a leading ``plan`` index level (plans in table order).
    Cost: O(n) (group-bys; a corpus: a few milliseconds per plan).

    >>> from kcdata import read_measures
    >>> from kcdata.paths import BUNDLED_DOCUMENT
    >>> policy_summary(read_measures(BUNDLED_DOCUMENT))["listings"].tolist()
    [12, 32, 36, 30]
    """
    keys = _keys(by)
    titles = ["policy", "direction"][: len(keys)]
    grouped = df.groupby(keys, sort=True)
    out = grouped[titles].first()
    out["listings"] = grouped.size()
    out["relisted"] = grouped["relisted"].sum().astype("int64")
    out["measures"] = out["listings"] - out["relisted"]
    pairs = explode_departments(df[[*keys, "departments"]])
    out["departments"] = pairs.groupby(keys)["department"].nunique()
    return out


@per_plan
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

    The result of one plan keeps ``df.attrs`` (the plan's words, for
    :func:`kcdata.japanese`); a corpus's result has no ``attrs`` (its plans' words differ).

    A corpus is indexed by ``plan, department`` (plans in table order, then as
    above within each plan), and ``share`` is over the plan's own pairs (shares
    sum to 1 within each plan). Cost: O(n log n) (group-bys and a sort).

    >>> from kcdata import read_measures
    >>> from kcdata.paths import BUNDLED_DOCUMENT
    >>> summary = department_summary(read_measures(BUNDLED_DOCUMENT))
    >>> summary.loc["市民協働推進課", ["listings", "measures", "policies"]].tolist()
    [24, 22, 4]
    """
    listings = df[["policy_no", "direction_no", "departments"]].assign(
        key=name_keys(df["measure"]), co=df["departments"].map(len) > 1
    )
    pairs = explode_departments(listings)
    grouped = pairs.groupby("department")
    out = pd.DataFrame(
        {
            "listings": grouped.size(),
            "measures": grouped["key"].nunique(),
            "policies": grouped["policy_no"].nunique(),
            "directions": pairs.drop_duplicates(["department", "policy_no", "direction_no"])
            .groupby("department")
            .size(),
            "co_managed": grouped["co"].sum().astype("int64"),
        }
    )
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
    of all its plans, 0 where a plan has no such section). Cost: O(n log n).
    """
    matrix = _department_matrix(df, by)
    if "plan" in df.columns:  # a section another plan has and this one lacks: 0 listings
        matrix = matrix.fillna(0).astype("int64").sort_index(axis=1)
    return matrix


@per_plan
def _department_matrix(df: pd.DataFrame, by: By) -> pd.DataFrame:
    """:func:`department_matrix` of one plan."""
    keys = _keys(by)
    pairs = explode_departments(df[[*keys, "departments"]])
    counts = pairs.groupby(["department", *keys]).size()
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


@per_plan
def department_recurrence(df: pd.DataFrame) -> pd.DataFrame:
    """How many departments are named by 1, 2, 3, ... listings.

    Indexed by ``listings`` (ascending), column ``departments``; the counts sum
    to the number of distinct departments. Listings counted as in
    :func:`department_summary`. A corpus is indexed by ``plan, listings``.
    Cost: O(n log n).
    """
    counts = department_summary(df)["listings"].value_counts().sort_index()
    counts.index.name = "listings"
    return counts.rename("departments").astype("int64").to_frame()


@per_plan
def concentration(df: pd.DataFrame) -> pd.Series:
    """How concentrated the plan is on a few departments.

    From :func:`department_summary`'s ``share``: ``top3_share`` (share of
    listing-department pairs held by the three largest departments), ``hhi``
    (Herfindahl-Hirschman index, the sum of squared shares, from 1/n for an even
    spread to 1 for a single department) and ``effective_departments`` (1/hhi,
    the number of equally large departments with the same hhi).

    A Series (and ``departments``, the number of departments); a corpus
    (a ``plan`` column) a DataFrame with one row per plan (index ``plan``) and
    these four columns. A plan without departments
    (:func:`kcdata.schema.has_departments`) has 0 departments, a ``top3_share``
    of 0 and a missing (NaN) ``hhi`` and ``effective_departments``. Cost: O(n log n).

    >>> from kcdata import combine_plans, load_example
    >>> plan = load_example()
    >>> concentration(plan).round(3)[["departments", "hhi"]].tolist()
    [33.0, 0.085]
    >>> corpus = combine_plans({"金沢": plan})  # one row per plan
    >>> concentration(corpus).round(3)[["departments", "hhi"]].to_dict("index")
    {'金沢': {'departments': 33.0, 'hhi': 0.085}}
    """
    share = department_summary(df)["share"]
    hhi = float((share**2).sum()) if len(share) else np.nan
    return pd.Series(
        {
            "departments": float(len(share)),
            "top3_share": float(share.nlargest(3).sum()),
            "hhi": hhi,
            "effective_departments": 1.0 / hhi,
        }
    )


@per_plan
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
    keyed = df.assign(
        key=nfkc_key(df["measure"]),
        summary_key=nfkc_key(df["summary"]),
        departments_key=df["departments"].map(departments_key),
    )
    relisted = keyed[keyed["relisted"]]
    originals = (
        keyed[~keyed["relisted"]]
        .drop_duplicates("key")[["key", "policy_no", "direction_no", "line", "summary_key",
                                 "departments_key"]]
        .rename(columns=lambda c: c if c == "key" else f"original_{c}")
    )
    links = relisted.merge(originals, on="key", how="left")
    found = links["original_line"].notna()
    links["consistent"] = (
        found
        & (links["summary_key"] == links["original_summary_key"])
        & (links["departments_key"] == links["original_departments_key"])
    ).astype(bool)
    columns = ["measure", "policy_no", "direction_no", "line",
               "original_policy_no", "original_direction_no", "original_line", "consistent"]
    out = links[columns].reset_index(drop=True)
    for c in ["original_policy_no", "original_direction_no", "original_line"]:
        out[c] = out[c].astype("Int64")
    return out

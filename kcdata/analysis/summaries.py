"""Summaries of the listing table: plans, policies, departments, re-listings.

Counting conventions, shared by every function here:

* a **listing** is one row of the document's tables, 【再掲】 rows included;
* a **measure** is a listing that is not 【再掲】 (``policy_summary``) or a distinct
  measure name by NFKC key (``department_summary``, ``plan_totals``);
* a co-managed listing counts once for **each** of its departments, so department
  counts add up to listing-department pairs (113 in the bundled plan), not listings (110).

Each analysis is written for one plan; :func:`kcdata.analysis.plans.per_plan` gives a corpus
(a ``plan`` column) the one-plan result of each plan under a leading ``plan`` key.
No function modifies its input.
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
    "plan_summary",
    "plan_totals",
    "policy_summary",
    "relisted_links",
]

By = Literal["policy", "direction"]

_LEVEL_COLUMNS = ("policy_no", "direction_no", "level3_no", "level4_no")


def _keys(by: By) -> list[str]:
    if by == "policy":
        return ["policy_no"]
    if by == "direction":
        return ["policy_no", "direction_no"]
    raise ValueError(f"by must be 'policy' or 'direction', not {by!r}")


def _plan_of_rows(df: pd.DataFrame) -> pd.Series:
    """Each row's plan: the ``plan`` column, or one plan named by its title (or 「計画」)."""
    if "plan" in df.columns:
        return df["plan"].astype("str")
    return pd.Series(str(df.attrs.get("title") or "計画"), index=df.index, dtype="str")


def plan_summary(df: pd.DataFrame) -> pd.DataFrame:
    """One row per plan (index ``plan``, table order): its size and shape.

    ``listings``, ``relisted`` (【再掲】 listings), ``measures`` (distinct names by
    NFKC key, 【再掲】 excluded), ``departments`` (distinct), ``pairs``
    (listing-department pairs), ``co_managed`` (listings with two or more
    departments), ``levels`` (from the layout recorded in ``attrs``, else the level
    columns holding a value), ``policies`` and ``directions`` (distinct outer and
    second-level sections; a ``direction_no`` of 0 or missing is no second level).
    A table without a ``plan`` column is one plan, named by its title or 「計画」.

    >>> from kcdata import parse_measures, combine_plans
    >>> a = parse_measures("基本方針1 方針\\n施策の方向性(1) 方向\\nA事業\\t\\t甲課 乙課\\n")
    >>> plan_summary(combine_plans({"甲市": a, "乙市": a.iloc[[0, 0]]}))["listings"].to_dict()
    {'甲市': 1, '乙市': 2}
    """
    plan = _plan_of_rows(df)
    names = pd.unique(plan) if "plan" in df.columns else [str(df.attrs.get("title") or "計画")]
    table = df.assign(plan=plan)
    by_plan = table.groupby("plan", sort=False)
    unmarked = ~table["relisted"].astype(bool)
    measures = table.loc[unmarked, ["plan"]].assign(key=nfkc_key(table.loc[unmarked, "measure"]))
    pairs = explode_departments(table[["plan", "departments"]])
    sections = table[["plan", "policy_no", "direction_no"]].drop_duplicates()
    levels = [c for c in _LEVEL_COLUMNS if c in table.columns]
    out = pd.DataFrame(
        {
            "listings": by_plan.size(),
            "relisted": by_plan["relisted"].sum(),
            "measures": measures.drop_duplicates().groupby("plan", sort=False).size(),
            "departments": pairs.groupby("plan", sort=False)["department"].nunique(),
            "pairs": pairs.groupby("plan", sort=False).size(),
            "co_managed": (table["departments"].map(len) >= 2).groupby(plan, sort=False).sum(),
            "levels": (by_plan[levels].count() > 0).sum(axis=1),
            "policies": sections.drop_duplicates(["plan", "policy_no"])
            .groupby("plan", sort=False).size(),
            "directions": sections["direction_no"].fillna(0).ne(0)
            .groupby(sections["plan"], sort=False).sum(),
        }
    )
    out = out.reindex(pd.Index(names, dtype="str", name="plan")).fillna(0).astype("int64")
    records = df.attrs.get("plans")
    if isinstance(records, tuple) and all(hasattr(r, "levels") for r in records):
        recorded = {r.plan: r.levels for r in records}
        out["levels"] = [len(recorded[p]) if isinstance(recorded.get(p), tuple | list)
                         else out.loc[p, "levels"] for p in out.index]
    elif df.attrs.get("levels") and "plan" not in df.columns:
        out["levels"] = len(df.attrs["levels"])
    return out


def plan_totals(df: pd.DataFrame) -> pd.Series | pd.DataFrame:
    """The plan's totals as an int Series: :func:`plan_summary` without ``levels``.

    A corpus gets one row per plan; ``plan_totals(corpus).sum()`` counts measures
    and sections within each plan (a measure two plans share counts twice).

    >>> from kcdata import parse_measures
    >>> doc = "基本方針1 方針\\n施策の方向性(1) 方向\\nA事業\\t\\t甲課 乙課\\nB事業\\t\\t甲課\\n"
    >>> plan_totals(parse_measures(doc))[["listings", "departments", "pairs"]].tolist()
    [2, 2, 3]
    """
    totals = plan_summary(df).drop(columns="levels")
    return totals if "plan" in df.columns else totals.iloc[0].rename(None)


@per_plan
def policy_summary(df: pd.DataFrame, by: By = "policy") -> pd.DataFrame:
    """Listings per 基本方針 (``by="policy"``) or per 施策の方向性 (``by="direction"``).

    With the section titles and ``listings`` (【再掲】 included), ``relisted``,
    ``measures`` (``listings - relisted``) and ``departments`` (distinct).

    >>> from kcdata import load_example
    >>> policy_summary(load_example())["listings"].tolist()
    [12, 32, 36, 30]
    """
    keys = _keys(by)
    grouped = df.groupby(keys, sort=True)
    out = grouped[["policy", "direction"][: len(keys)]].first()
    out["listings"] = grouped.size()
    out["relisted"] = grouped["relisted"].sum().astype("int64")
    out["measures"] = out["listings"] - out["relisted"]
    pairs = explode_departments(df[[*keys, "departments"]])
    out["departments"] = pairs.groupby(keys)["department"].nunique()
    return out


@per_plan
def department_summary(df: pd.DataFrame) -> pd.DataFrame:
    """One row per department, by ``listings`` (descending), then name.

    ``listings`` (each co-managed listing counts for each of its departments,
    【再掲】 included), ``measures`` (distinct NFKC names among them),
    ``policies`` / ``directions`` (distinct sections it appears in),
    ``co_managed`` (its listings shared with another department) and ``share``
    (its listings over all pairs; shares sum to 1 within a plan). One plan's
    result keeps ``df.attrs`` (its words, for :func:`kcdata.japanese`).

    >>> from kcdata import load_example
    >>> summary = department_summary(load_example())
    >>> summary.loc["市民協働推進課", ["listings", "measures", "policies"]].tolist()
    [24, 22, 4]
    """
    listings = df[["policy_no", "direction_no", "departments"]].assign(
        key=nfkc_key(df["measure"]), co=df["departments"].map(len) > 1
    )
    pairs = explode_departments(listings)
    grouped = pairs.groupby("department")
    out = pd.DataFrame(
        {
            "listings": grouped.size(),
            "measures": grouped["key"].nunique(),
            "policies": grouped["policy_no"].nunique(),
            "directions": pairs.drop_duplicates(["department", "policy_no", "direction_no"])
            .groupby("department").size(),
            "co_managed": grouped["co"].sum().astype("int64"),
        }
    )
    out["share"] = out["listings"] / out["listings"].sum()
    out = out.reset_index().sort_values(["listings", "department"], ascending=[False, True],
                                        kind="stable").set_index("department")
    out.attrs = dict(df.attrs)
    return out


def department_matrix(df: pd.DataFrame, by: By = "policy") -> pd.DataFrame:
    """Departments x 基本方針 (or x 施策の方向性): listing counts, zeros filled.

    Counted as in :func:`department_summary`, so a row sums to the department's
    ``listings``; rows in its order, columns by number. In a corpus the columns
    are the section numbers of all its plans (0 where a plan has no such section).
    """
    matrix = per_plan(_one_department_matrix)(df, by)
    if "plan" in df.columns:
        matrix = matrix.fillna(0).astype("int64").sort_index(axis=1)
    return matrix


def _one_department_matrix(df: pd.DataFrame, by: By) -> pd.DataFrame:
    keys = _keys(by)
    pairs = explode_departments(df[[*keys, "departments"]])
    matrix = pairs.groupby(["department", *keys]).size().unstack(keys, fill_value=0)
    matrix = matrix.sort_index(axis=1).reindex(department_summary(df).index, fill_value=0)
    matrix = matrix.astype("int64")
    matrix.columns.names = keys
    matrix.attrs = dict(df.attrs)
    return matrix


def department_presence(df: pd.DataFrame) -> pd.DataFrame:
    """Departments x plans: the listings naming each department in each plan.

    Rows are department names as written; columns the plans in table order (a
    table without ``plan``: one column, named as in :func:`plan_summary`). Rows by
    the number of plans with a count above 0, then total listings (both
    descending), then name.

    >>> from kcdata import parse_measures, combine_plans
    >>> a = parse_measures("基本方針1 方針\\n施策の方向性(1) 方向\\nA事業\\t\\t甲課 乙課\\n")
    >>> b = parse_measures("基本方針1 方針\\n施策の方向性(1) 方向\\nB事業\\t\\t乙課\\n")
    >>> department_presence(combine_plans({"甲市": a, "乙市": b})).values.tolist()
    [[1, 1], [1, 0]]
    """
    plan = _plan_of_rows(df)
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
    """How many departments are named by 1, 2, 3, ... listings (index ``listings``).

    The counts sum to the number of departments; listings as in :func:`department_summary`.
    """
    counts = department_summary(df)["listings"].value_counts().sort_index()
    counts.index.name = "listings"
    return counts.rename("departments").astype("int64").to_frame()


@per_plan
def concentration(df: pd.DataFrame) -> pd.Series:
    """How concentrated the plan is on a few departments, from :func:`department_summary`'s share.

    ``departments``, ``top3_share`` (the three largest departments' share of the
    pairs), ``hhi`` (the sum of squared shares) and ``effective_departments``
    (1/hhi). A plan without departments: 0, 0 and NaN, NaN.

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
    """Each 【再掲】 listing (document order) with the original listing it repeats.

    The original is the first unmarked listing of the same NFKC name, before or
    after it (``original_*``, nullable ``Int64``, missing when there is none).
    ``consistent``: the original has the same summary and departments (NFKC keys,
    department order ignored).
    """
    keyed = df.assign(
        key=nfkc_key(df["measure"]),
        summary_key=nfkc_key(df["summary"]),
        departments_key=df["departments"].map(departments_key),
    )
    originals = keyed[~keyed["relisted"]].drop_duplicates("key")[
        ["key", "policy_no", "direction_no", "line", "summary_key", "departments_key"]]
    originals = originals.set_index("key").add_prefix("original_").reset_index()
    links = keyed[keyed["relisted"]].merge(originals, on="key", how="left")
    links["consistent"] = (
        links["original_line"].notna()
        & (links["summary_key"] == links["original_summary_key"])
        & (links["departments_key"] == links["original_departments_key"])
    ).astype(bool)
    out = links[["measure", "policy_no", "direction_no", "line", "original_policy_no",
                 "original_direction_no", "original_line", "consistent"]]
    return out.astype({"original_policy_no": "Int64", "original_direction_no": "Int64",
                       "original_line": "Int64"})

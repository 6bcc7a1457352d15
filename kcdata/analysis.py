"""Summaries of the listing table: policies, departments, re-listings, duplicates.

Counting conventions, shared by every function here:

* a **listing** is one row of the document's tables, 【再掲】 rows included;
* a **measure** is a listing that is not 【再掲】 (``policy_summary``) or a
  distinct measure name by NFKC key (``department_summary``);
* a co-managed listing (「緑と花の課 内水整備課」) counts once for **each** of
  its departments, so department counts add up to listing-department pairs
  (113 in the bundled plan), not listings (110).

Every function is pure: it returns a new DataFrame and never modifies its input.
"""

from __future__ import annotations

import difflib
import itertools
import re
from typing import Literal

import pandas as pd

from .normalize import departments_key, nfkc_key
from .tidy import explode_departments

__all__ = [
    "SIMILARITY_THRESHOLD",
    "concentration",
    "department_matrix",
    "department_recurrence",
    "department_summary",
    "duplicate_candidates",
    "plan_totals",
    "policy_summary",
    "relisted_links",
]

By = Literal["policy", "direction"]

#: Name similarity (0-1) from which two different measures are listed as "similar".
#: At 0.75 the bundled plan gives 8 pairs, the parallel 児童館 / 公民館 measures and
#: the 防災士 measures among them; at 0.7 it would be 15, mostly pairs that share
#: only words such as 「地区」「支援」「交付」.
SIMILARITY_THRESHOLD = 0.75

_GENERIC_SUFFIX = re.compile(r"(事業費|事業|費)$")


def _keys(by: By) -> list[str]:
    if by == "policy":
        return ["policy_no"]
    if by == "direction":
        return ["policy_no", "direction_no"]
    raise ValueError(f"by must be 'policy' or 'direction', not {by!r}")


def plan_totals(df: pd.DataFrame) -> pd.Series:
    """The plan's totals, as an int Series (the 概要 sheet, `kcdata check`).

    listings (rows, 【再掲】 included), relisted, measures (distinct names, by
    NFKC key, of the listings that are not 【再掲】), departments (distinct names), pairs
    (listing-department pairs: a co-managed listing counts once per
    department), co_managed (listings with two or more departments), policies
    and directions (distinct sections).

    >>> from kcdata import parse_measures
    >>> doc = "基本方針1 方針\\n施策の方向性(1) 方向\\nA事業\\t\\t甲課 乙課\\nB事業\\t\\t甲課\\n"
    >>> plan_totals(parse_measures(doc))[["listings", "departments", "pairs"]].tolist()
    [2, 2, 3]
    """
    pairs = explode_departments(df)
    return pd.Series(
        {
            "listings": len(df),
            "relisted": int(df["relisted"].sum()),
            "measures": nfkc_key(df.loc[~df["relisted"], "measure"]).nunique(),
            "departments": pairs["department"].nunique(),
            "pairs": len(pairs),
            "co_managed": int((df["departments"].map(len) >= 2).sum()),
            "policies": df["policy_no"].nunique(),
            "directions": len(df[["policy_no", "direction_no"]].drop_duplicates()),
        },
        dtype="int64",
    )


def policy_summary(df: pd.DataFrame, by: By = "policy") -> pd.DataFrame:
    """Listings per 基本方針 (``by="policy"``) or per 施策の方向性 (``by="direction"``).

    Indexed by ``policy_no`` (or ``policy_no, direction_no``), with the titles
    (``policy``, and ``direction``) and:

    * ``listings``: rows of the section's tables, 【再掲】 included;
    * ``relisted``: of those, 【再掲】 rows;
    * ``measures``: listings that are not 【再掲】 (``listings - relisted``);
    * ``departments``: distinct departments named in the section.

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

    >>> from kcdata import read_measures
    >>> from kcdata.paths import BUNDLED_DOCUMENT
    >>> summary = department_summary(read_measures(BUNDLED_DOCUMENT))
    >>> summary.loc["市民協働推進課", ["listings", "measures", "policies"]].tolist()
    [24, 22, 4]
    """
    listings = df.assign(
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
            .groupby("department")
            .size(),
            "co_managed": grouped["co"].sum().astype("int64"),
        }
    )
    out["share"] = out["listings"] / out["listings"].sum()
    out = out.reset_index().sort_values(
        ["listings", "department"], ascending=[False, True], kind="stable"
    )
    return out.set_index("department")


def department_matrix(df: pd.DataFrame, by: By = "policy") -> pd.DataFrame:
    """Departments x 基本方針 (or x 施策の方向性): listing counts, zeros filled.

    Counts follow :func:`department_summary` (co-managed listings count for each
    department, 【再掲】 included), so each row sums to the department's
    ``listings``; rows are in :func:`department_summary` order, columns by number.
    """
    keys = _keys(by)
    pairs = explode_departments(df[[*keys, "departments"]])
    columns = [pairs[k] for k in keys] if len(keys) > 1 else pairs[keys[0]]
    matrix = pd.crosstab(pairs["department"], columns).sort_index(axis=1)
    matrix = matrix.reindex(department_summary(df).index, fill_value=0).astype("int64")
    matrix.columns.names = keys
    return matrix


def department_recurrence(df: pd.DataFrame) -> pd.DataFrame:
    """How many departments are named by 1, 2, 3, ... listings.

    Indexed by ``listings`` (ascending), column ``departments``; the counts sum
    to the number of distinct departments. Listings counted as in
    :func:`department_summary`.
    """
    counts = department_summary(df)["listings"].value_counts().sort_index()
    counts.index.name = "listings"
    return counts.rename("departments").to_frame()


def concentration(df: pd.DataFrame) -> pd.Series:
    """How concentrated the plan is on a few departments.

    From :func:`department_summary`'s ``share``: ``top3_share`` (share of
    listing-department pairs held by the three largest departments), ``hhi``
    (Herfindahl-Hirschman index, the sum of squared shares, from 1/n for an even
    spread to 1 for a single department) and ``effective_departments`` (1/hhi,
    the number of equally large departments with the same hhi).
    """
    share = department_summary(df)["share"]
    hhi = float((share**2).sum())
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


def duplicate_candidates(
    df: pd.DataFrame, threshold: float = SIMILARITY_THRESHOLD
) -> pd.DataFrame:
    """Listings a planner should review as possible duplicates.

    Two kinds, one row per pair (``measure``/``line`` first in the document,
    ``other_measure``/``other_line`` second):

    * ``"unmarked"``: the same measure (NFKC key) listed again without the
      【再掲】 mark; ``similarity`` 1.0;
    * ``"similar"``: different measures whose names look alike:
      ``difflib.SequenceMatcher`` ratio of the NFKC keys with a generic ending
      (「事業」「事業費」「費」) removed, at least ``threshold``
      (:data:`SIMILARITY_THRESHOLD`). Each pair of names is listed once, at
      their first unmarked listings.

    Sorted by kind ("unmarked" first), then similarity (descending), then line.
    """
    keyed = df.assign(key=nfkc_key(df["measure"]))
    unmarked = keyed[~keyed["relisted"]]
    rows: list[dict[str, object]] = []

    firsts = unmarked.drop_duplicates("key")
    first_of = dict(zip(firsts["key"], zip(firsts["measure"], firsts["line"], strict=True),
                        strict=True))
    for row in unmarked[unmarked.duplicated("key")].itertuples(index=False):
        measure, line = first_of[row.key]
        rows.append({"kind": "unmarked", "measure": measure, "other_measure": row.measure,
                     "line": line, "other_line": row.line, "similarity": 1.0})

    cores = [_GENERIC_SUFFIX.sub("", key) for key in firsts["key"]]
    for (i, a), (j, b) in itertools.combinations(enumerate(cores), 2):
        matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
        if matcher.real_quick_ratio() < threshold or matcher.quick_ratio() < threshold:
            continue
        ratio = matcher.ratio()
        if ratio >= threshold:
            rows.append({"kind": "similar",
                         "measure": firsts["measure"].iloc[i], "line": firsts["line"].iloc[i],
                         "other_measure": firsts["measure"].iloc[j],
                         "other_line": firsts["line"].iloc[j], "similarity": round(ratio, 3)})

    columns = ["kind", "measure", "other_measure", "line", "other_line", "similarity"]
    out = pd.DataFrame(rows, columns=columns).astype(
        {"kind": "str", "measure": "str", "other_measure": "str", "line": "int64",
         "other_line": "int64", "similarity": "float64"}
    )
    order = out["kind"].map({"unmarked": 0, "similar": 1})
    out = out.assign(_order=order).sort_values(
        ["_order", "similarity", "line"], ascending=[True, False, True], kind="stable"
    )
    return out.drop(columns="_order").reset_index(drop=True)

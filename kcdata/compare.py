"""Plan comparison: what changed between two versions of a plan (the 新旧対照表).

A plan is revised every few years and its measure list updated every year;
:func:`compare_plans` turns two listing tables into one row per measure with
what happened to it. Everything here is pure: the inputs are never modified.
"""

from __future__ import annotations

import pandas as pd

from .labels import section_label
from .normalize import as_departments, departments_key, nfkc_key

__all__ = [
    "CHANGES",
    "COMPARISON_COLUMNS",
    "STATUSES",
    "compare_plans",
    "describe_changes",
    "status_counts",
]

#: The values of ``status``, in the order reports list them.
STATUSES = ("added", "removed", "renamed", "changed", "unchanged")
#: What ``changes`` can name, in this order.
CHANGES = ("location", "summary", "departments")
#: The columns of :func:`compare_plans`' result, in order.
COMPARISON_COLUMNS = [
    "measure",
    "old_measure",
    "status",
    "changes",
    "old_policy_no",
    "new_policy_no",
    "old_direction_no",
    "new_direction_no",
    "old_summary",
    "new_summary",
    "old_departments",
    "new_departments",
]

_NEEDED = ["policy_no", "direction_no", "measure", "summary", "departments"]
_SIDE = ["measure", "policy_no", "direction_no", "summary", "departments"]


def compare_plans(old: pd.DataFrame, new: pd.DataFrame) -> pd.DataFrame:
    """Compare two versions of a plan: one row per measure found in either.

    ``old`` and ``new`` are listing tables (as :func:`kcdata.read_measures`
    returns; ``departments`` may also be space-separated strings, and a
    missing ``relisted`` column means no 【再掲】). The conventions:

    * **A measure** is a 事業名 up to :func:`kcdata.normalize.nfkc_key` (width,
      compatibility forms and white space do not count), so
      「地域 ICT 事業」 and 「地域ＩＣＴ事業」 are one measure.
    * **【再掲】 listings are folded into their measure.** A measure's
      location, summary and departments are those of its first listing
      without the mark, or of its first 【再掲】 listing when the plan lists it
      only re-listed. Adding or dropping a 【再掲】 elsewhere is no change.
    * **status**: ``added`` (only in ``new``), ``removed`` (only in ``old``),
      ``renamed``, ``changed`` (same name, something in ``changes`` differs)
      or ``unchanged``. A removed and an added measure whose summaries have the
      same NFKC key (and are not empty) are one ``renamed`` measure; when
      several share a summary they pair in document order (the first removed
      with the first added, and so on).
    * **changes** is a tuple drawn from ``("location", "summary",
      "departments")``, empty unless ``changed`` or ``renamed``: ``location``
      when the (基本方針, 施策の方向性) differs, ``summary`` when the summaries'
      NFKC keys differ, ``departments`` when the sets of departments differ
      (their order does not count).
    * ``measure`` is the new name (the old one for removed measures);
      ``old_measure`` is the old name where its text differs from ``measure``
      (always for ``renamed``), missing otherwise. ``old_*`` and ``new_*``
      hold each side's location (nullable ``Int64``), summary and departments
      (a tuple), missing on the side a measure is not in.
    * **Order**: the new plan's order (of each measure's location listing),
      then the removed measures in the old plan's order. The index is a
      fresh RangeIndex.

    Comparing a plan with itself gives every row ``unchanged``.

    >>> from kcdata import parse_measures
    >>> old = parse_measures(
    ...     "基本方針1 方針\\n施策の方向性(1) 方向\\n"
    ...     "A事業\\t甲を支援\\t甲課\\nB事業\\t乙を支援\\t乙課\\nC事業\\t丙を支援\\t丙課\\n"
    ... )
    >>> new = old.copy()
    >>> new.loc[0, "departments"] = ("甲課", "丁課")  # A: another department
    >>> new.loc[1, "measure"] = "新B事業"              # B: renamed, summary kept
    >>> new = new.drop(index=2)                        # C: removed
    >>> for row in compare_plans(old, new).itertuples():
    ...     print(row.status, row.measure, row.old_measure, row.changes)
    changed A事業 nan ('departments',)
    renamed 新B事業 B事業 ()
    removed C事業 nan ()
    """
    old_m = _measures(old, "old")
    new_m = _measures(new, "new")

    matched = new_m["key"].isin(old_m["key"])
    removed = old_m[~old_m["key"].isin(new_m["key"])]
    renames = _pair_renames(removed, new_m[~matched])

    # The old key each new measure is compared with: itself, a rename, or none.
    old_key = new_m["key"].where(matched, new_m["key"].map(renames))
    kept = new_m.assign(old_key=old_key).merge(
        old_m.rename(columns={"key": "old_key"}), on="old_key", how="left", sort=False
    )
    gone = removed[~removed["key"].isin(renames.to_numpy())]
    table = pd.concat([kept, gone.rename(columns={"key": "old_key"})], ignore_index=True)

    has_old = table["old_measure"].notna()
    has_new = table["new_measure"].notna()
    location = (
        table["old_policy_no"].ne(table["new_policy_no"])
        | table["old_direction_no"].ne(table["new_direction_no"])
    ).fillna(False)
    flags = pd.DataFrame(
        {
            "location": location,
            "summary": table["old_summary_key"].ne(table["new_summary_key"]),
            "departments": table["old_departments_key"].ne(table["new_departments_key"]),
        }
    ) & (has_old & has_new).to_numpy()[:, None]
    changes = [
        tuple(c for c, hit in zip(CHANGES, row, strict=True) if hit) for row in flags.to_numpy()
    ]

    renamed = has_old & has_new & table["old_key"].ne(table["key"])
    status = pd.Series("unchanged", index=table.index, dtype="str")
    status[flags.any(axis=1).to_numpy()] = "changed"
    status[renamed.fillna(False).to_numpy()] = "renamed"
    status[~has_old.to_numpy()] = "added"
    status[~has_new.to_numpy()] = "removed"

    measure = table["new_measure"].fillna(table["old_measure"])
    old_measure = table["old_measure"].where(has_old & table["old_measure"].ne(measure))
    out = pd.DataFrame(
        {
            "measure": measure.astype("str"),
            "old_measure": old_measure.astype("str"),
            "status": status,
            "changes": pd.Series(changes, index=table.index, dtype=object),
        }
    )
    for column in ["policy_no", "direction_no", "summary", "departments"]:
        for side in ("old", "new"):
            out[f"{side}_{column}"] = table[f"{side}_{column}"]
    out = out[COMPARISON_COLUMNS].reset_index(drop=True)
    # The new plan's words (levels, column headers) name the 新旧対照表's columns.
    out.attrs = {k: new.attrs[k] for k in ("layout", "levels", "level_names", "words", "title")
                 if k in new.attrs}
    return out


def _measures(df: pd.DataFrame, side: str) -> pd.DataFrame:
    """One row per measure of a plan (its location listing), in plan order, prefixed by side."""
    missing = [c for c in _NEEDED if c not in df.columns]
    if missing:
        raise ValueError(f"compare_plans: the {side} plan needs the columns {missing}")
    relisted = (
        df["relisted"].fillna(False).astype(bool).to_numpy()
        if "relisted" in df.columns
        else False
    )
    departments = df["departments"].map(as_departments)
    table = pd.DataFrame(
        {
            "key": nfkc_key(df["measure"].astype("str")).to_numpy(dtype=object),
            "measure": df["measure"].astype("str").to_numpy(),
            "policy_no": pd.array(df["policy_no"], dtype="Int64"),
            "direction_no": pd.array(df["direction_no"], dtype="Int64"),
            "summary": df["summary"].fillna("").astype("str").to_numpy(),
            "departments": departments.to_numpy(),
            "relisted": relisted,
        }
    )
    table["order"] = range(len(table))
    folded = (
        table.sort_values(["relisted", "order"], kind="stable")
        .drop_duplicates("key")
        .sort_values("order", kind="stable")
    )
    folded["summary_key"] = nfkc_key(folded["summary"]).to_numpy(dtype=object)
    keys = {d: departments_key(d) for d in set(folded["departments"])}
    folded["departments_key"] = pd.Series(
        [keys[d] for d in folded["departments"]], index=folded.index, dtype=object
    )
    folded = folded.drop(columns=["relisted", "order"])
    return folded.rename(columns={c: f"{side}_{c}" for c in folded.columns if c != "key"})


def _pair_renames(removed: pd.DataFrame, added: pd.DataFrame) -> pd.Series:
    """Added key -> removed key, for measures whose non-empty summaries share an NFKC key."""
    left = removed[["key", "old_summary_key"]].rename(columns={"old_summary_key": "s"})
    right = added[["key", "new_summary_key"]].rename(columns={"new_summary_key": "s"})
    left = left[left["s"] != ""]
    right = right[right["s"] != ""]
    left = left.assign(n=left.groupby("s").cumcount())
    right = right.assign(n=right.groupby("s").cumcount())
    pairs = right.merge(left, on=["s", "n"], suffixes=("_new", "_old"))
    return pd.Series(
        pairs["key_old"].to_numpy(dtype=object), index=pairs["key_new"].to_numpy(dtype=object)
    )


def status_counts(comparison: pd.DataFrame) -> pd.Series:
    """How many measures have each status, in :data:`STATUSES` order (zeros included).

    >>> from kcdata import parse_measures
    >>> plan = parse_measures("基本方針1 方針\\n施策の方向性(1) 方向\\nA事業\\t概要\\t甲課\\n")
    >>> status_counts(compare_plans(plan, plan)).to_dict()
    {'added': 0, 'removed': 0, 'renamed': 0, 'changed': 0, 'unchanged': 1}
    """
    counts = comparison["status"].value_counts()
    return counts.reindex(list(STATUSES), fill_value=0).astype("int64").rename("measures")


def describe_changes(comparison: pd.DataFrame) -> list[str]:
    """One line of plain text per measure that is not ``unchanged``, in the table's order.

    ``STATUS  NAME  [what changed]``: the section of an added or removed
    measure, ``OLD -> NEW`` for a rename, and for each entry of ``changes``
    its old and new value (a summary change is only named; it is long).

    >>> from kcdata import parse_measures
    >>> old = parse_measures("基本方針1 方針\\n施策の方向性(1) 方向\\nA事業\\t概要\\t甲課\\n")
    >>> new = old.assign(departments=[("乙課",)])
    >>> describe_changes(compare_plans(old, new))
    ['changed    A事業  [departments: 甲課 -> 乙課]']
    """
    lines = []
    for row in comparison.itertuples(index=False):
        if row.status == "unchanged":
            continue
        old_at = section_label(row.old_policy_no, row.old_direction_no)
        new_at = section_label(row.new_policy_no, row.new_direction_no)
        if row.status == "added":
            name, details = row.measure, [new_at]
        elif row.status == "removed":
            name, details = row.measure, [old_at]
        else:
            name = f"{row.old_measure} -> {row.measure}" if row.status == "renamed" else row.measure
            details = []
            for change in row.changes:
                if change == "location":
                    details.append(f"location: {old_at} -> {new_at}")
                elif change == "departments":
                    details.append(
                        f"departments: {' '.join(row.old_departments)} -> "
                        f"{' '.join(row.new_departments)}"
                    )
                else:
                    details.append(change)
        suffix = f"  [{'; '.join(details)}]" if details else ""
        lines.append(f"{row.status:<10} {name}{suffix}")
    return lines

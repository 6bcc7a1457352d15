"""Plan comparison: what changed between two versions of a plan (the 新旧対照表)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable

import numpy as np
import pandas as pd

from kcdata.analysis.sections import renumbering_table, section_renumbering
from kcdata.analysis.similarity import GENERIC_SUFFIX, similar_pairs
from kcdata.messages import translate as _
from kcdata.text import as_departments, departments_key, nfkc_key
from kcdata.vocab import section_label

__all__ = [
    "CHANGES",
    "COMPARISON_COLUMNS",
    "RENAME_THRESHOLD",
    "STATUSES",
    "compare_plans",
    "describe_changes",
    "measure_table",
    "name_similarity",
    "status_counts",
]

#: The values of ``status``, in the order reports list them.
STATUSES = ("added", "removed", "renamed", "changed", "renumbered", "unchanged")
#: What ``changes`` can name, in this order.
CHANGES = ("location", "summary", "departments")
#: The columns of :func:`compare_plans`' result, in order.
COMPARISON_COLUMNS = [
    "measure", "old_measure", "status", "changes",
    "old_policy_no", "new_policy_no", "old_direction_no", "new_direction_no",
    "old_summary", "new_summary", "old_departments", "new_departments",
    "similarity", "matched_by",
]

#: :func:`name_similarity` from which a removed and an added measure in neighbouring sections
#: are one renamed measure: 「研修及び研究会の実施」 -> 「教職員研修及び研究会の実施」 scores 0.87;
#: names sharing only 「地域」「支援」 score below 0.6. As the duplicate candidates' threshold.
RENAME_THRESHOLD = 0.75

_NEEDED = ["policy_no", "direction_no", "measure", "summary", "departments"]


def compare_plans(
    old: pd.DataFrame, new: pd.DataFrame, *, threshold: float = RENAME_THRESHOLD
) -> pd.DataFrame:
    """Compare two versions of a plan: one row per measure found in either.

    * A **measure** is a 事業名 up to its NFKC key; 【再掲】 listings fold into it (its
      location, summary and departments are those of its first unmarked listing, or of
      its first 【再掲】 when it is only re-listed).
    * **status**: ``added``, ``removed``, ``renamed``, ``changed`` (something in
      ``changes`` differs), ``renumbered`` (only its section's numbers changed,
      :func:`section_renumbering`) or ``unchanged``.
    * **Renames**: a removed and an added measure with the same non-empty summary (NFKC;
      several pair in document order), then, among those left, pairs in the same or a
      neighbouring section (:func:`_neighbourhood`) whose :func:`name_similarity` is at
      least ``threshold``, best first (ties: new plan's order), each measure once.
      ``similarity`` (renamed only) is that score; ``matched_by`` ``"summary"`` or ``"name"``.
    * **changes** (``changed``/``renamed``): a tuple of ``location`` (another section, a
      renumbering aside), ``summary`` (NFKC keys differ), ``departments`` (the sets differ).
    * ``measure`` is the new name (old for removed); ``old_measure`` the old name where it
      differs; ``old_*``/``new_*`` each side's values, missing on a side without the measure.
    * Rows in the new plan's order, then the removed measures in the old plan's order.

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
    old_m = measure_table(old, "old")
    new_m = measure_table(new, "new")
    matched = new_m["key"].isin(old_m["key"])
    removed = old_m[~old_m["key"].isin(new_m["key"])]
    renames = _pair_renames(removed, new_m[~matched])
    by_name = _similar_renames(
        removed[~removed["key"].isin(renames.to_numpy())],
        new_m[~matched & ~new_m["key"].isin(renames.index)],
        _neighbourhood(old_m, new_m, renames),
        threshold,
    )
    renames = pd.concat([renames, by_name])

    # the old key each new measure is compared with: itself, a rename, or none
    old_key = new_m["key"].where(matched, new_m["key"].map(renames))
    kept = new_m.assign(old_key=old_key).merge(
        old_m.rename(columns={"key": "old_key"}), on="old_key", how="left", sort=False)
    gone = removed[~removed["key"].isin(renames.to_numpy())]
    table = pd.concat([kept, gone.rename(columns={"key": "old_key"})], ignore_index=True)

    has_old = table["old_measure"].notna()
    has_new = table["new_measure"].notna()
    both = (has_old & has_new).to_numpy()
    moved = (table["old_policy_no"].ne(table["new_policy_no"])
             | table["old_direction_no"].ne(table["new_direction_no"])).fillna(False)
    renumbering = section_renumbering(old, new)
    renumbered = pd.Series([renumbering.get(old_at) == new_at for old_at, new_at in zip(
        _section(table, "old"), _section(table, "new"), strict=True)], index=table.index) & moved
    flags = pd.DataFrame({
        "location": moved & ~renumbered,
        "summary": table["old_summary_key"].ne(table["new_summary_key"]),
        "departments": table["old_departments_key"].ne(table["new_departments_key"]),
    }) & both[:, None]
    changes = [tuple(c for c, hit in zip(CHANGES, row, strict=True) if hit)
               for row in flags.to_numpy()]

    renamed = both & table["old_key"].ne(table["key"]).fillna(False).to_numpy()
    status = pd.Series(np.select(  # the first that holds
        [~has_new, ~has_old, renamed, flags.any(axis=1), renumbered],
        ["removed", "added", "renamed", "changed", "renumbered"], "unchanged"),
        index=table.index, dtype="str")

    similarity = [round(name_similarity(a, b), 3) if hit else np.nan for a, b, hit in zip(
        table["old_measure"], table["new_measure"], renamed, strict=True)]
    matched_by = pd.Series(np.where(table["key"].isin(by_name.index), "name", "summary"),
                           index=table.index, dtype="str").where(renamed)
    measure = table["new_measure"].fillna(table["old_measure"])
    out = table.assign(
        measure=measure.astype("str"),
        old_measure=table["old_measure"].where(has_old & table["old_measure"].ne(measure))
        .astype("str"),
        status=status,
        changes=pd.Series(changes, index=table.index, dtype=object),
        similarity=pd.Series(similarity, index=table.index, dtype="float64"),
        matched_by=matched_by,
    )[COMPARISON_COLUMNS]
    # the new plan's words (levels, column headers) name the 新旧対照表's columns
    out.attrs = {k: new.attrs[k] for k in ("layout", "levels", "level_names", "words", "title")
                 if k in new.attrs}
    return out


def name_similarity(a: str, b: str) -> float:
    """How alike two measure names are, 0 to 1: rapidfuzz's Indel similarity
    (``2*LCS/(a+b)``) of the NFKC keys without a generic ending (「A事業」, 「B事業」: 0).

    >>> round(name_similarity("研修及び研究会の実施", "教職員研修及び研究会の実施"), 2)
    0.87
    """
    from rapidfuzz.distance import Indel

    a_key, b_key = (GENERIC_SUFFIX.sub("", k) for k in nfkc_key([a, b]))
    return Indel.normalized_similarity(a_key, b_key)


def _section(table: pd.DataFrame, side: str) -> list[tuple[int, int]]:
    """Each measure's (基本方針, 施策の方向性) numbers, -1 where missing."""
    return list(zip(table[f"{side}_policy_no"].fillna(-1).astype("int64").tolist(),
                    table[f"{side}_direction_no"].fillna(-1).astype("int64").tolist(),
                    strict=True))


def _neighbourhood(old_m: pd.DataFrame, new_m: pd.DataFrame, renames: pd.Series
                   ) -> Callable[[tuple[int, int], tuple[int, int]], bool]:
    """Whether old section S and new section T are neighbours, for renames by name.

    * by number: S and T are equal or next to each other in the number order of
      both plans' sections;
    * by counterpart: T is (or is next to, in the new plan's order) a counterpart of
      S: a new section with the same titles (NFKC, both levels; failing that, the
      one new section with the same 施策の方向性 title: a section moved), or the one(s)
      holding most of S's measures found in both plans. So renumbered and moved
      sections still find their renames.
    """
    old_sections, new_sections = _section(old_m, "old"), _section(new_m, "new")
    merged = sorted({*old_sections, *new_sections})
    merged_rank = {section: rank for rank, section in enumerate(merged)}
    new_rank = {section: rank for rank, section in enumerate(sorted(set(new_sections)))}
    counterparts: defaultdict[tuple, set[tuple]] = defaultdict(set)
    if "old_titles" in old_m.columns and "new_titles" in new_m.columns:
        by_titles: defaultdict[tuple, set[tuple]] = defaultdict(set)
        by_direction: defaultdict[str, set[tuple]] = defaultdict(set)
        for section, titles in zip(new_sections, new_m["new_titles"], strict=True):
            if any(titles):  # a heading without a title names no section
                by_titles[titles].add(section)
            if titles[1]:
                by_direction[titles[1]].add(section)
        for section, titles in zip(old_sections, old_m["old_titles"], strict=True):
            found = by_titles.get(titles, set()) if any(titles) else set()
            moved = by_direction.get(titles[1], set()) if titles[1] else set()
            counterparts[section] |= moved if not found and len(moved) == 1 else found
    old_at = dict(zip(old_m["key"], old_sections, strict=True))
    new_at = dict(zip(new_m["key"], new_sections, strict=True))
    went: defaultdict[tuple, Counter] = defaultdict(Counter)  # where S's measures went
    for new_key, old_key in [*((k, k) for k in new_at if k in old_at), *renames.items()]:
        went[old_at[old_key]][new_at[new_key]] += 1
    for section, counts in went.items():
        most = max(counts.values())
        counterparts[section] |= {t for t, n in counts.items() if n == most}
    near = {section: {new_rank[t] + step for t in found for step in (-1, 0, 1)}
            for section, found in counterparts.items()}

    def neighbours(old_section: tuple[int, int], new_section: tuple[int, int]) -> bool:
        return (abs(merged_rank[old_section] - merged_rank[new_section]) <= 1
                or new_rank[new_section] in near.get(old_section, ()))

    return neighbours


def _similar_renames(
    removed: pd.DataFrame, added: pd.DataFrame,
    neighbours: Callable[[tuple[int, int], tuple[int, int]], bool], threshold: float
) -> pd.Series:
    """Added key -> removed key: names at least ``threshold`` alike in neighbouring sections,
    best first (ties: the new plan's order, then the old one's), each measure once."""
    old_section, new_section = _section(removed, "old"), _section(added, "new")
    old_keys, new_keys = removed["key"].tolist(), added["key"].tolist()
    new_cores = [GENERIC_SUFFIX.sub("", k) for k in new_keys]
    old_cores = [GENERIC_SUFFIX.sub("", k) for k in old_keys]
    new_at, old_at, scores = similar_pairs(new_cores, old_cores, threshold)
    scored = sorted((-score, j, i) for j, i, score in zip(new_at, old_at, scores, strict=True)
                    if neighbours(old_section[i], new_section[j]))
    pairs: dict[str, str] = {}  # each key once on each side (keys are unique on a side)
    taken_old: set[int] = set()
    for _score, j, i in scored:
        if i not in taken_old and new_keys[j] not in pairs:
            taken_old.add(i)
            pairs[new_keys[j]] = old_keys[i]
    return pd.Series(list(pairs.values()), index=list(pairs.keys()), dtype=object)


def measure_table(df: pd.DataFrame, side: str) -> pd.DataFrame:
    """One row per measure of a plan (its location listing), in plan order: ``key`` (NFKC)
    and the plan's columns prefixed by ``side`` (``old_measure``, ``new_policy_no`` ...)."""
    missing = [c for c in _NEEDED if c not in df.columns]
    if missing:
        raise ValueError(f"compare_plans: the {side} plan needs the columns {missing}")
    relisted = (df["relisted"].fillna(False).astype(bool).to_numpy()
                if "relisted" in df.columns else False)
    table = pd.DataFrame({
        "key": nfkc_key(df["measure"].astype("str")).to_numpy(dtype=object),
        "measure": df["measure"].astype("str").to_numpy(),
        "policy_no": pd.array(df["policy_no"], dtype="Int64"),
        "direction_no": pd.array(df["direction_no"], dtype="Int64"),
        "summary": df["summary"].fillna("").astype("str").to_numpy(),
        "departments": df["departments"].map(as_departments).to_numpy(),
        "relisted": relisted,
    })
    if "policy" in df.columns and "direction" in df.columns:  # the sections' titles
        policy = nfkc_key(df["policy"].astype("string").fillna(""))
        direction = nfkc_key(df["direction"].astype("string").fillna(""))
        table["titles"] = list(zip(policy, direction, strict=True))
    folded = (table.sort_values("relisted", kind="stable").drop_duplicates("key")
              .sort_index().drop(columns="relisted"))
    folded["summary_key"] = nfkc_key(folded["summary"]).to_numpy(dtype=object)
    folded["departments_key"] = pd.Series(
        [departments_key(d) for d in folded["departments"]], index=folded.index, dtype=object)
    return folded.rename(columns={c: f"{side}_{c}" for c in folded.columns if c != "key"})


def _pair_renames(removed: pd.DataFrame, added: pd.DataFrame) -> pd.Series:
    """Added key -> removed key, for measures whose non-empty summaries share an NFKC key
    (the n-th removed with the n-th added of one summary)."""
    left = removed[["key", "old_summary_key"]].rename(columns={"old_summary_key": "s"})
    right = added[["key", "new_summary_key"]].rename(columns={"new_summary_key": "s"})
    left = left[left["s"] != ""]
    right = right[right["s"] != ""]
    left = left.assign(n=left.groupby("s").cumcount())
    right = right.assign(n=right.groupby("s").cumcount())
    pairs = right.merge(left, on=["s", "n"], suffixes=("_new", "_old"))
    return pd.Series(pairs["key_old"].to_numpy(dtype=object),
                     index=pairs["key_new"].to_numpy(dtype=object))


def status_counts(comparison: pd.DataFrame) -> pd.Series:
    """How many measures have each status, in :data:`STATUSES` order (zeros included).

    >>> from kcdata import parse_measures
    >>> plan = parse_measures("基本方針1 方針\\n施策の方向性(1) 方向\\nA事業\\t概要\\t甲課\\n")
    >>> status_counts(compare_plans(plan, plan)).to_dict()
    {'added': 0, 'removed': 0, 'renamed': 0, 'changed': 0, 'renumbered': 0, 'unchanged': 1}
    """
    counts = comparison["status"].value_counts()
    counts = counts.reindex(pd.Index(STATUSES, name="status"), fill_value=0)
    return counts.astype("int64").rename("measures")


def describe_changes(comparison: pd.DataFrame) -> list[str]:
    """One line of plain text per measure that is not ``unchanged``, in the table's order.

    Each renumbered section is one line at the top (its measures are not listed);
    ``STATUS  NAME  [what changed]`` follows for the others (a summary change is only named).

    >>> from kcdata import parse_measures
    >>> old = parse_measures("基本方針1 方針\\n施策の方向性(1) 方向\\nA事業\\t概要\\t甲課\\n")
    >>> new = old.assign(departments=[("乙課",)])
    >>> describe_changes(compare_plans(old, new))
    ['changed    A事業  [departments: 甲課 -> 乙課]']
    """
    statuses = {"added": _("added"), "removed": _("removed"), "renamed": _("renamed"),
                "changed": _("changed"), "renumbered": _("renumbered")}
    lines = [_("{status:<10} {old} -> {new}  [{n} measures, nothing else changed]").format(
                 status=statuses["renumbered"], old=row.old_section, new=row.new_section,
                 n=row.measures)
             for row in renumbering_table(comparison).itertuples(index=False)]
    for row in comparison.itertuples(index=False):
        if row.status in ("unchanged", "renumbered"):
            continue
        old_at = section_label(row.old_policy_no, row.old_direction_no)
        new_at = section_label(row.new_policy_no, row.new_direction_no)
        name, details = row.measure, {"added": [new_at], "removed": [old_at]}.get(row.status, [])
        if row.status == "renamed":
            name = f"{row.old_measure} -> {row.measure}"
            if row.matched_by == "name":
                details.append(_("name similarity {similarity:.2f}").format(
                    similarity=row.similarity))
        for change in row.changes:
            if change == "location":
                details.append(_("location: {old} -> {new}").format(old=old_at, new=new_at))
            elif change == "departments":
                details.append(_("departments: {old} -> {new}").format(
                    old=" ".join(row.old_departments), new=" ".join(row.new_departments)))
            else:
                details.append(_("summary"))
        suffix = f"  [{_('; ').join(details)}]" if details else ""
        lines.append(_("{status:<10} {name}{details}").format(
            status=statuses.get(row.status, row.status), name=name, details=suffix))
    return lines

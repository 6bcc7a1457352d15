"""Plan comparison: what changed between two versions of a plan (the 新旧対照表).

A plan is revised every few years and its measure list updated every year;
:func:`compare_plans` turns two listing tables into one row per measure with
what happened to it. Everything here is pure: the inputs are never modified.
"""

from __future__ import annotations

import difflib
from collections import Counter

import numpy as np
import pandas as pd

from kcdata.analysis.sections import renumbering_table, section_renumbering
from kcdata.analysis.similarity import GENERIC_SUFFIX
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
    "similarity",
    "matched_by",
]

#: Name similarity (0-1) from which a removed and an added measure in the same or a
#: neighbouring section are one renamed measure (when their summaries do not already
#: say so). The score is :func:`name_similarity`: difflib's ratio of the NFKC keys
#: with a generic ending (「事業」「事業費」「費」) removed. 「研修及び研究会の実施」 ->
#: 「教職員研修及び研究会の実施」 scores 0.87, 「地域コミュニティ活性化事業」 ->
#: 「地域コミュニティ活性化推進事業」 0.92; names that share only words such as
#: 「地域」「支援」 score below 0.6. The same value as the duplicate candidates'
#: threshold, for the same reason.
RENAME_THRESHOLD = 0.75

_NEEDED = ["policy_no", "direction_no", "measure", "summary", "departments"]
_SIDE = ["measure", "policy_no", "direction_no", "summary", "departments"]


def compare_plans(
    old: pd.DataFrame, new: pd.DataFrame, *, threshold: float = RENAME_THRESHOLD
) -> pd.DataFrame:
    """Compare two versions of a plan: one row per measure found in either.

    ``old`` and ``new`` are listing tables (as :func:`kcdata.read_measures`
    returns; ``departments`` may also be space-separated strings, and a
    missing ``relisted`` column means no 【再掲】). The conventions:

    * **A measure** is a 事業名 up to :func:`kcdata.text.nfkc_key` (width,
      compatibility forms and white space do not count), so
      「地域 ICT 事業」 and 「地域ＩＣＴ事業」 are one measure.
    * **【再掲】 listings are folded into their measure.** A measure's
      location, summary and departments are those of its first listing
      without the mark, or of its first 【再掲】 listing when the plan lists it
      only re-listed. Adding or dropping a 【再掲】 elsewhere is no change.
    * **status**: ``added`` (only in ``new``), ``removed`` (only in ``old``),
      ``renamed``, ``changed`` (same name, something in ``changes`` differs),
      ``renumbered`` (nothing changed but the numbers of its section: a
      section whose titles stayed got other numbers, as when a new 基本方針 is
      inserted before it; :func:`section_renumbering`) or ``unchanged``. A
      removed and an added measure whose summaries have the same NFKC key
      (and are not empty) are one ``renamed`` measure; when several share a
      summary they pair in document order (the first removed
      with the first added, and so on). **Renames without summaries**: of the
      measures still removed and added, a removed and an added measure in the
      same or a neighbouring section whose :func:`name_similarity` is at
      least ``threshold`` (:data:`RENAME_THRESHOLD`) are one ``renamed``
      measure; the best scores pair first (then the new plan's order), each
      measure at most once. Neighbouring: next to each other in the
      (基本方針, 施策の方向性) number order of both plans' sections, or next to
      the old section's counterpart in the new plan: a section with the same
      titles (or the same 施策の方向性 title, moved to another 基本方針), or the
      one that took most of its measures. So a rename is still found when a
      new 基本方針 renumbers the sections after it, or a section moves.
    * ``similarity`` is the :func:`name_similarity` of the old and new name of
      a ``renamed`` measure (missing otherwise), so a planner can check each
      match; ``matched_by`` says what matched them: ``"summary"`` or
      ``"name"`` (missing unless ``renamed``).
    * **changes** is a tuple drawn from ``("location", "summary",
      "departments")``, empty unless ``changed`` or ``renamed``: ``location``
      when the (基本方針, 施策の方向性) differs (a renumbered section is no
      change of location), ``summary`` when the summaries'
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

    Cost: O(n) hash joins, plus one similarity per (removed, added) pair in
    neighbouring sections (what changed, not the plan's size); the sections'
    counterparts are found in one pass over the measures.

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
        _Neighbourhood(old_m, new_m, renames),
        threshold,
    )
    renames = pd.concat([renames, by_name])

    # The old key each new measure is compared with: itself, a rename, or none.
    old_key = new_m["key"].where(matched, new_m["key"].map(renames))
    kept = new_m.assign(old_key=old_key).merge(
        old_m.rename(columns={"key": "old_key"}), on="old_key", how="left", sort=False
    )
    gone = removed[~removed["key"].isin(renames.to_numpy())]
    table = pd.concat([kept, gone.rename(columns={"key": "old_key"})], ignore_index=True)

    has_old = table["old_measure"].notna()
    has_new = table["new_measure"].notna()
    moved = (
        table["old_policy_no"].ne(table["new_policy_no"])
        | table["old_direction_no"].ne(table["new_direction_no"])
    ).fillna(False)
    renumbering = section_renumbering(old, new)
    renumbered = pd.Series([  # a measure only in one plan (NA numbers) never "renumbered"
        not pd.isna(op) and not pd.isna(np_) and renumbering.get((op, od)) == (np_, nd)
        for op, od, np_, nd in zip(table["old_policy_no"], table["old_direction_no"],
                                   table["new_policy_no"], table["new_direction_no"], strict=True)
    ], index=table.index) & moved
    location = moved & ~renumbered
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
    status[renumbered.to_numpy()] = "renumbered"
    status[flags.any(axis=1).to_numpy()] = "changed"
    status[renamed.fillna(False).to_numpy()] = "renamed"
    status[~has_old.to_numpy()] = "added"
    status[~has_new.to_numpy()] = "removed"

    is_renamed = (status == "renamed").to_numpy()
    similarity = pd.Series(np.nan, index=table.index, dtype="float64")
    similarity[is_renamed] = [
        round(name_similarity(a, b), 3)
        for a, b in zip(table.loc[is_renamed, "old_measure"], table.loc[is_renamed, "new_measure"],
                        strict=True)
    ]
    matched_by = pd.Series(pd.NA, index=table.index, dtype="str")
    matched_by[is_renamed] = np.where(
        table.loc[is_renamed, "key"].isin(by_name.index), "name", "summary"
    )
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
    out["similarity"] = similarity
    out["matched_by"] = matched_by
    out = out[COMPARISON_COLUMNS].reset_index(drop=True)
    # The new plan's words (levels, column headers) name the 新旧対照表's columns.
    out.attrs = {k: new.attrs[k] for k in ("layout", "levels", "level_names", "words", "title")
                 if k in new.attrs}
    return out


def name_similarity(a: str, b: str) -> float:
    """How alike two measure names are, from 0 to 1: the score of rename detection.

    ``difflib.SequenceMatcher`` ratio (twice the characters of the blocks that
    match in order, over both lengths) of the NFKC keys with a generic ending
    (「事業」「事業費」「費」) removed, so 「A事業」 and 「B事業」 score 0.

    >>> round(name_similarity("研修及び研究会の実施", "教職員研修及び研究会の実施"), 2)
    0.87
    """
    a_key, b_key = (GENERIC_SUFFIX.sub("", k) for k in nfkc_key([a, b]))
    return difflib.SequenceMatcher(None, a_key, b_key, autojunk=False).ratio()


def _section(table: pd.DataFrame, side: str) -> list[tuple[int, int]]:
    """Each measure's (基本方針, 施策の方向性) numbers, -1 where missing."""
    return list(zip(table[f"{side}_policy_no"].fillna(-1).astype("int64").tolist(),
                    table[f"{side}_direction_no"].fillna(-1).astype("int64").tolist(),
                    strict=True))


class _Neighbourhood:
    """Which sections of the old and the new plan are the same or neighbours, for renames.

    A removed measure in old section S and an added measure in new section T
    are neighbours when either holds:

    * **by number**: S and T are next to each other (or equal) in the
      (基本方針, 施策の方向性) number order of the sections of both plans;
    * **by counterpart**: T is next to (or is) a counterpart of S in the new
      plan's number order. S's counterparts are the new sections with the same
      titles (NFKC keys of both levels' titles, when the tables have them and
      they are not both empty; when none has both, the one new section with
      the same 施策の方向性 title, if only one has it: a section moved to
      another 基本方針) and the new section(s) holding most of S's measures
      found in both plans (by name or by summary). A plan that inserts a
      基本方針 renumbers every later section; the counterparts follow them.
    """

    def __init__(self, old_m: pd.DataFrame, new_m: pd.DataFrame, renames: pd.Series) -> None:
        old_sections, new_sections = _section(old_m, "old"), _section(new_m, "new")
        merged = sorted(set(old_sections) | set(new_sections))
        self.merged_rank = {section: rank for rank, section in enumerate(merged)}
        self.new_rank = {section: rank for rank, section in enumerate(sorted(set(new_sections)))}
        counterparts: dict[tuple, set[tuple]] = {}
        # the same titles; else, for a 施策の方向性 moved to another 基本方針, its own title
        if "old_titles" in old_m.columns and "new_titles" in new_m.columns:
            by_titles: dict[tuple, set[tuple]] = {}
            by_direction: dict[str, set[tuple]] = {}
            for section, titles in zip(new_sections, new_m["new_titles"], strict=True):
                if any(titles):  # a heading without a title names no section
                    by_titles.setdefault(titles, set()).add(section)
                if titles[1]:
                    by_direction.setdefault(titles[1], set()).add(section)
            for section, titles in zip(old_sections, old_m["old_titles"], strict=True):
                found = by_titles.get(titles, set()) if any(titles) else set()
                moved = by_direction.get(titles[1], set()) if titles[1] else set()
                if not found and len(moved) == 1:  # a title used once: that section
                    found = moved
                counterparts.setdefault(section, set()).update(found)
        # where most of the section's measures went
        old_at = dict(zip(old_m["key"], old_sections, strict=True))
        new_at = dict(zip(new_m["key"], new_sections, strict=True))
        went: dict[tuple, Counter] = {}
        for new_key, old_key in [*((k, k) for k in new_at if k in old_at), *renames.items()]:
            went.setdefault(old_at[old_key], Counter())[new_at[new_key]] += 1
        for section, counts in went.items():
            most = max(counts.values())
            counterparts.setdefault(section, set()).update(
                t for t, n in counts.items() if n == most)
        self.near = {
            section: {self.new_rank[t] + step for t in found for step in (-1, 0, 1)}
            for section, found in counterparts.items()
        }

    def __call__(self, old_section: tuple[int, int], new_section: tuple[int, int]) -> bool:
        if abs(self.merged_rank[old_section] - self.merged_rank[new_section]) <= 1:
            return True
        return self.new_rank[new_section] in self.near.get(old_section, ())


def _similar_renames(
    removed: pd.DataFrame, added: pd.DataFrame, neighbours: _Neighbourhood, threshold: float
) -> pd.Series:
    """Added key -> removed key, for names alike in the same or a neighbouring section.

    Every (removed, added) pair in neighbouring sections (:class:`_Neighbourhood`)
    is scored with :func:`name_similarity` (pairs whose rapidfuzz Indel
    similarity, an upper bound, is below ``threshold`` are skipped unscored);
    pairs at or above ``threshold`` are taken best first (ties: the new plan's
    order, then the old one's), each measure once.
    """
    old_section, new_section = _section(removed, "old"), _section(added, "new")
    old_cores = [GENERIC_SUFFIX.sub("", k) for k in removed["key"]]
    new_cores = [GENERIC_SUFFIX.sub("", k) for k in added["key"]]
    scored = []
    if old_cores and new_cores:
        from rapidfuzz.distance import Indel
        from rapidfuzz.process import cdist

        # Indel similarity bounds difflib's ratio from above (see analysis.duplicate_candidates)
        bound = cdist(new_cores, old_cores, scorer=Indel.normalized_similarity, workers=1)
        for j, i in zip(*np.nonzero(bound >= threshold - 1e-9), strict=True):
            if neighbours(old_section[i], new_section[j]):
                score = difflib.SequenceMatcher(None, old_cores[i], new_cores[j],
                                                autojunk=False).ratio()
                if score >= threshold:
                    scored.append((-score, int(j), int(i)))
    taken_old: set[int] = set()
    taken_new: set[int] = set()
    pairs: dict[object, object] = {}
    old_keys, new_keys = removed["key"].tolist(), added["key"].tolist()
    for _score, j, i in sorted(scored):
        if i not in taken_old and j not in taken_new:
            taken_old.add(i)
            taken_new.add(j)
            pairs[new_keys[j]] = old_keys[i]
    return pd.Series(list(pairs.values()), index=list(pairs.keys()), dtype=object)


def measure_table(df: pd.DataFrame, side: str) -> pd.DataFrame:
    """One row per measure of a plan (its location listing), in plan order, prefixed by side.

    The columns are ``key`` (the measure's NFKC key) and the plan's columns
    prefixed by ``side`` (``old_measure``, ``new_policy_no`` ...). Cost: O(n).
    """
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
    if "policy" in df.columns and "direction" in df.columns:  # the sections' titles
        def titles(column: str) -> pd.Series:  # any dtype (a categorical too); missing: ""
            return nfkc_key(df[column].astype("string").fillna(""))

        table["titles"] = list(zip(titles("policy"), titles("direction"), strict=True))
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

    A Series named ``measures``, its index named ``status``.

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

    A section renumbered (:func:`renumbering_table`) is one line at the top,
    and its ``renumbered`` measures are not listed one by one.

    ``STATUS  NAME  [what changed]``: the section of an added or removed
    measure, ``OLD -> NEW`` for a rename, and for each entry of ``changes``
    its old and new value (a summary change is only named; it is long).

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
        if row.status == "added":
            name, details = row.measure, [new_at]
        elif row.status == "removed":
            name, details = row.measure, [old_at]
        else:
            name = f"{row.old_measure} -> {row.measure}" if row.status == "renamed" else row.measure
            details = []
            if row.status == "renamed" and getattr(row, "matched_by", None) == "name":
                details.append(_("name similarity {similarity:.2f}").format(
                    similarity=row.similarity))
            for change in row.changes:
                if change == "location":
                    details.append(_("location: {old} -> {new}").format(old=old_at, new=new_at))
                elif change == "departments":
                    details.append(_("departments: {old} -> {new}").format(
                        old=" ".join(row.old_departments), new=" ".join(row.new_departments)))
                else:
                    details.append(_("summary") if change == "summary" else change)
        suffix = f"  [{_('; ').join(details)}]" if details else ""
        lines.append(_("{status:<10} {name}{details}").format(
            status=statuses.get(row.status, row.status), name=name, details=suffix))
    return lines

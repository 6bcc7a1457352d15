"""Possible duplicates: the same measure listed again without 【再掲】, and names that look alike.

The conventions of :mod:`kcdata.analysis.summaries` hold (a corpus is searched
within each plan). Names are compared on their NFKC keys with a generic ending
(「事業」「事業費」「費」, :data:`GENERIC_SUFFIX`) removed, by the Indel similarity
of rapidfuzz.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from kcdata.text import text_key

__all__ = ["GENERIC_SUFFIX", "SIMILARITY_THRESHOLD", "duplicate_candidates"]

#: Name similarity (0-1) from which two different measures are listed as "similar".
#: At 0.75 the bundled plan gives 8 pairs, the parallel 児童館 / 公民館 measures and
#: the 防災士 measures among them; at 0.7 it would be 15, mostly pairs that share
#: only words such as 「地区」「支援」「交付」.
SIMILARITY_THRESHOLD = 0.75

#: A generic ending left out when names are compared (「…事業」 and 「…事業費」 are alike).
GENERIC_SUFFIX = re.compile(r"(事業費|事業|費)$")


def _key_codes(values: pd.Series) -> tuple[np.ndarray, list[str]]:
    """Each name's :func:`nfkc_key` as a code into the list of distinct keys (first seen first).

    The key is computed once per distinct name (names repeat in a corpus). Cost: O(n).
    """
    name_code, names = pd.factorize(values)
    key_code, keys = pd.factorize(np.array([text_key(name) for name in names.tolist()],
                                           dtype=object))
    return key_code[name_code], list(keys)


def duplicate_candidates(
    df: pd.DataFrame, threshold: float = SIMILARITY_THRESHOLD
) -> pd.DataFrame:
    """Listings a planner should review as possible duplicates.

    Two kinds, one row per pair (``measure``/``line`` first in the document,
    ``other_measure``/``other_line`` second):

    * ``"unmarked"``: the same measure (NFKC key) listed again without the
      【再掲】 mark; ``similarity`` 1.0;
    * ``"similar"``: different measures whose names look alike: the Indel
      similarity ``2*LCS/(a+b)`` of the NFKC keys with a generic ending
      (「事業」「事業費」「費」) removed, at least ``threshold``
      (:data:`SIMILARITY_THRESHOLD`). LCS is the number of characters the two
      names have in common in the same order (longest common subsequence), a
      and b their lengths: 「地区児童館感染症防止対策」 and
      「地区公民館感染症防止対策」 share 10 of 12 characters, 20/24 = 0.833.
      It is ``rapidfuzz.fuzz.ratio`` / 100, and never below difflib's
      ``SequenceMatcher.ratio`` (used before 2026-11; on the bundled plan the
      two agree on every pair down to 0.6). Each pair of names is listed once, at
      their first unmarked listings, with the similarity rounded to 3 decimals.

    Sorted by kind ("unmarked" first), then similarity (descending), then line.
    In a corpus, pairs are looked for within each plan only, a leading ``plan``
    column says which, and rows are sorted by plan first.

    Cost: O(n) to key the names, then every pair of first unmarked listings
    of a plan is scored, in C by ``rapidfuzz.process.cdist``: quadratic in the
    number of distinct measure names of a plan, linear in the number of plans.
    On a 2-core machine: a corpus of 200 plans of 100 listings 0.05 s, one
    plan of 10^4 distinct names about 1 s (so a plan of 10^5 distinct names,
    about two minutes).

    >>> from kcdata import parse_measures
    >>> doc = ("基本方針1 方針\\n施策の方向性(1) 方向\\n"
    ...        "地区児童館感染症防止対策事業\\t\\t甲課\\n地区公民館感染症防止対策事業\\t\\t乙課\\n")
    >>> duplicate_candidates(parse_measures(doc))[["kind", "similarity"]].values.tolist()
    [['similar', 0.833]]
    """
    plan = "plan" in df.columns
    listed = np.flatnonzero(~df["relisted"].to_numpy(dtype=bool))  # positions in df
    # plan codes in order of first appearance in df: the plans' order
    plan_code = pd.factorize(df["plan"])[0][listed] if plan else np.zeros(len(listed), "int64")
    key_code, keys = _key_codes(df["measure"].iloc[listed])
    # the first unmarked listing of each (plan, key); factorize numbers them 0, 1, ... in order
    same, _ = pd.factorize(plan_code * max(len(keys), 1) + key_code)
    is_first = ~pd.Series(same).duplicated().to_numpy()
    firsts = np.flatnonzero(is_first)
    again = np.flatnonzero(~is_first)

    cores = [GENERIC_SUFFIX.sub("", key) for key in keys]
    i, j, ratio = _similar_pairs(cores, key_code[firsts], plan_code[firsts], threshold)

    # every pair as positions (in `listed`) of its two listings: unmarked first, then similar
    first = np.concatenate([firsts[same[again]], firsts[i]])
    other = np.concatenate([again, firsts[j]])
    similar = np.r_[np.zeros(len(again), bool), np.ones(len(i), bool)]
    similarity = np.r_[np.ones(len(again)), np.round(ratio, 3)]
    line = df["line"].to_numpy()[listed]
    # plan, kind, similarity (descending), line; ties keep the order above (stable)
    order = np.lexsort((line[first], -similarity, similar, plan_code[first]))
    first, other, similar, similarity = (first[order], other[order], similar[order],
                                         similarity[order])
    rows, other_rows = listed[first], listed[other]
    out = pd.DataFrame(
        {
            **({"plan": df["plan"].iloc[rows].to_numpy()} if plan else {}),
            "kind": np.where(similar, "similar", "unmarked"),
            "measure": df["measure"].iloc[rows].to_numpy(),
            "other_measure": df["measure"].iloc[other_rows].to_numpy(),
            "line": line[first],
            "other_line": line[other],
            "similarity": similarity,
        }
    )
    types = {"kind": "str", "measure": "str", "other_measure": "str", "line": "int64",
             "other_line": "int64", "similarity": "float64"}
    return out.astype({"plan": "str", **types} if plan else types)


def _similar_pairs(
    cores: list[str], core_of: np.ndarray, groups: np.ndarray, threshold: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pairs ``(i, j)`` of names, ``i < j`` in the same group, whose Indel similarity
    (``2*LCS/(a+b)``) of ``cores[core_of[i]]`` and ``cores[core_of[j]]`` is at least
    ``threshold``, sorted by ``(i, j)``; returned as the arrays ``i``, ``j``, ``ratio``.

    Every pair of names of a group (a plan) is scored by ``rapidfuzz.process.cdist``,
    in blocks of rows so that a score matrix holds at most about 4 million cells.
    """
    from rapidfuzz.distance import Indel
    from rapidfuzz.process import cdist

    found_i, found_j, found_ratio = [], [], []
    for members in pd.Series(groups).groupby(groups, sort=False).indices.values():
        names = [cores[c] for c in core_of[members]]
        block = max(1, 4_000_000 // len(names))
        for start in range(0, len(names), block):
            scores = cdist(names[start:start + block], names, scorer=Indel.normalized_similarity,
                           dtype=np.float64)
            a, b = np.nonzero(scores >= threshold)
            a += start
            later = a < b  # each pair once, i < j
            found_i.append(members[a[later]])
            found_j.append(members[b[later]])
            found_ratio.append(scores[a[later] - start, b[later]])
    if not found_i:
        return np.array([], dtype=np.int64), np.array([], dtype=np.int64), np.array([])
    i, j, ratio = np.concatenate(found_i), np.concatenate(found_j), np.concatenate(found_ratio)
    order = np.lexsort((j, i))
    return i[order], j[order], ratio[order]

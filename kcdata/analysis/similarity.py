"""Possible duplicates: the same measure listed again without 【再掲】, and names that look alike.

Names are compared on their NFKC keys with a generic ending (:data:`GENERIC_SUFFIX`)
removed, by rapidfuzz's Indel similarity; a corpus is searched within each plan.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from kcdata.analysis.plans import per_plan
from kcdata.text import nfkc_key

__all__ = ["GENERIC_SUFFIX", "SIMILARITY_THRESHOLD", "duplicate_candidates", "similar_pairs"]

#: Name similarity (0-1) from which two different measures are listed as "similar".
#: At 0.75 the bundled plan gives 8 pairs (the parallel 児童館 / 公民館 measures, the 防災士
#: measures); at 0.7 it would be 15, mostly pairs sharing only 「地区」「支援」「交付」.
SIMILARITY_THRESHOLD = 0.75

#: A generic ending left out when names are compared (「…事業」 and 「…事業費」 are alike).
GENERIC_SUFFIX = re.compile(r"(事業費|事業|費)$")

_TYPES = {"kind": "str", "measure": "str", "other_measure": "str", "line": "int64",
          "other_line": "int64", "similarity": "float64"}


@per_plan
def duplicate_candidates(
    df: pd.DataFrame, threshold: float = SIMILARITY_THRESHOLD
) -> pd.DataFrame:
    """Pairs of listings a planner should review as possible duplicates.

    One row per pair (``measure``/``line`` first in the document,
    ``other_measure``/``other_line`` second) of two kinds:

    * ``"unmarked"``: the same measure (NFKC key) listed again without 【再掲】,
      paired with its first unmarked listing; ``similarity`` 1.0;
    * ``"similar"``: two different measures whose names have an Indel similarity
      (``2*LCS/(a+b)``, ``rapidfuzz.fuzz.ratio`` / 100) of at least ``threshold``,
      their generic endings removed: each pair of names once, at their first
      unmarked listings, rounded to 3 decimals.

    Sorted by kind ("unmarked" first), similarity (descending), then line. A corpus:
    a leading ``plan`` column, pairs within each plan.

    >>> from kcdata import parse_measures
    >>> doc = ("基本方針1 方針\\n施策の方向性(1) 方向\\n"
    ...        "地区児童館感染症防止対策事業\\t\\t甲課\\n地区公民館感染症防止対策事業\\t\\t乙課\\n")
    >>> duplicate_candidates(parse_measures(doc))[["kind", "similarity"]].values.tolist()
    [['similar', 0.833]]
    """
    listed = df[~df["relisted"].astype(bool)]
    measures, lines = listed["measure"].tolist(), listed["line"].tolist()
    first_of: dict[str, int] = {}  # NFKC key -> its first unmarked listing
    rows = []
    for n, key in enumerate(nfkc_key(listed["measure"]).tolist()):
        if key in first_of:
            f = first_of[key]
            rows.append(("unmarked", measures[f], measures[n], lines[f], lines[n], 1.0))
        else:
            first_of[key] = n
    firsts = list(first_of.values())
    cores = [GENERIC_SUFFIX.sub("", key) for key in first_of]
    i, j, scores = similar_pairs(cores, cores, threshold)
    later = i < j  # each pair once
    for first, second, score in zip(i[later], j[later], scores[later], strict=True):
        a, b = firsts[first], firsts[second]
        rows.append(("similar", measures[a], measures[b], lines[a], lines[b], np.round(score, 3)))
    out = pd.DataFrame(rows, columns=list(_TYPES)).astype(_TYPES)
    # "unmarked" sorts after "similar": kind descending puts it first
    out = out.sort_values(["kind", "similarity", "line"], ascending=[False, False, True],
                          kind="stable")
    return out.reset_index(drop=True)


def similar_pairs(names: list[str], others: list[str], threshold: float
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(i, j, score)`` of the pairs of ``names[i]`` and ``others[j]`` whose Indel similarity
    is at least ``threshold``, by (i, j); scored by ``rapidfuzz.process.cdist`` in blocks of
    about 4 million scores."""
    from rapidfuzz.distance import Indel
    from rapidfuzz.process import cdist

    i, j, score = [np.array([], dtype=np.int64)], [np.array([], dtype=np.int64)], [np.array([])]
    block = max(1, 4_000_000 // max(len(others), 1))
    for start in range(0, len(names), block):
        scores = cdist(names[start:start + block], others, scorer=Indel.normalized_similarity,
                       dtype=np.float64)
        a, b = np.nonzero(scores >= threshold)
        i.append(a + start)
        j.append(b)
        score.append(scores[a, b])
    return np.concatenate(i), np.concatenate(j), np.concatenate(score)

"""Sections of two versions of a plan that kept their titles and only got new numbers
(a 基本方針 inserted before them): :func:`kcdata.compare_plans` counts their measures as
``renumbered``, and :func:`renumbering_table` lists each section once."""

from __future__ import annotations

import pandas as pd

from kcdata.text import nfkc_key
from kcdata.vocab import section_label

__all__ = ["renumbering_table", "section_renumbering"]


def section_renumbering(old: pd.DataFrame, new: pd.DataFrame) -> dict[tuple, tuple]:
    """Sections whose titles stayed and whose numbers changed: old (基本方針, 施策の方向性) -> new.

    A section is known by the NFKC keys of both its titles; only titles naming one
    section on each side count.

    >>> from kcdata import parse_measures
    >>> body = "施策の方向性(1) 方向\\nA事業\\t概要\\t甲課\\n"
    >>> old = parse_measures("基本方針1 つながり\\n" + body)
    >>> new = parse_measures("基本方針1 新しい方針\\n" + body.replace("A", "B")
    ...                      + "基本方針2 つながり\\n" + body)
    >>> section_renumbering(old, new)
    {(1, 1): (2, 1)}
    """

    def sections(df: pd.DataFrame) -> dict[str, tuple]:
        table = df.drop_duplicates(["policy_no", "direction_no"])
        direction = table["direction"] if "direction" in table else pd.Series("", table.index)
        keys = nfkc_key(table["policy"].fillna("")) + "\n" + nfkc_key(direction.fillna(""))
        once = ~keys.duplicated(keep=False)
        return {k: (int(p), int(d)) for k, p, d in zip(
            keys[once], table.loc[once, "policy_no"], table.loc[once, "direction_no"],
            strict=True)}

    before, after = sections(old), sections(new)
    return {before[k]: after[k] for k in before.keys() & after.keys() if before[k] != after[k]}


def renumbering_table(comparison: pd.DataFrame) -> pd.DataFrame:
    """The renumbered sections of a comparison, once each, in the new plan's order:
    ``old_section``, ``new_section`` (「1-(2)」) and ``measures`` (how many moved with it)."""
    moved = comparison[comparison["status"] == "renumbered"]
    pairs = pd.DataFrame({f"{side}_section": [section_label(p, d) for p, d in zip(
        moved[f"{side}_policy_no"], moved[f"{side}_direction_no"], strict=True)]
        for side in ("old", "new")})
    counts = pairs.groupby(["old_section", "new_section"], sort=False).size()
    return counts.rename("measures").reset_index().astype({"measures": "int64"})

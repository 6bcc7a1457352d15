"""Sections of two versions of a plan: which kept their titles and only got new numbers.

When a new 基本方針 is inserted before the others, every later section is
renumbered; its measures did not move. :func:`section_renumbering` finds such
sections by their titles, :func:`kcdata.compare_plans` counts their measures as
``renumbered`` (not ``changed``), and :func:`renumbering_table` lists each once
for the 新旧対照表 and ``kcdata diff``.
"""

from __future__ import annotations

import pandas as pd

from kcdata.text import nfkc_key
from kcdata.vocab import section_label

__all__ = ["renumbering_table", "section_renumbering"]


def section_renumbering(old: pd.DataFrame, new: pd.DataFrame) -> dict[tuple, tuple]:
    """Sections whose titles stayed and whose numbers changed: old (基本方針, 施策の方向性) -> new.

    A section is known by the NFKC keys of its 基本方針 and 施策の方向性 titles;
    only titles that name one section on each side count. When a new 基本方針
    is inserted at the front, every later section is renumbered:
    ``{(1, 1): (2, 1), ...}``.

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
    """The sections renumbered in a comparison, once each: the top of the 新旧対照表.

    One row per (old section, new section) of the ``renumbered`` measures of
    :func:`compare_plans`, in the new plan's order: ``old_section`` and
    ``new_section`` (「1-(2)」) and ``measures``, how many measures moved with
    it and changed nothing else.
    """
    moved = comparison[comparison["status"] == "renumbered"]
    pairs = pd.DataFrame({
        "old_section": [section_label(p, d) for p, d in zip(
            moved["old_policy_no"], moved["old_direction_no"], strict=True)],
        "new_section": [section_label(p, d) for p, d in zip(
            moved["new_policy_no"], moved["new_direction_no"], strict=True)],
    })
    counts = pairs.groupby(["old_section", "new_section"], sort=False).size()
    return counts.rename("measures").reset_index().astype({"measures": "int64"})


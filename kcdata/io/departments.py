"""The second tidy table: one row per (listing, department)."""

from __future__ import annotations

import pandas as pd

__all__ = ["explode_departments"]


def explode_departments(df: pd.DataFrame) -> pd.DataFrame:
    """One row per (listing, department), with a ``department`` column.

    A co-managed listing (「緑と花の課 内水整備課」) becomes one row per
    department; every other column is repeated, ``departments`` is replaced by
    ``department``. Row order follows the listings, then the order of the
    departments in the cell; the index is a fresh RangeIndex. The input is not
    modified.

    >>> from kcdata import parse_measures
    >>> df = parse_measures("基本方針1 方針\\n施策の方向性(1) 方向\\nA事業\\t概要\\t甲課 乙課\\n")
    >>> explode_departments(df)[["measure", "department"]].values.tolist()
    [['A事業', '甲課'], ['A事業', '乙課']]
    """
    out = df.explode("departments", ignore_index=True).rename(
        columns={"departments": "department"}
    )
    out["department"] = out["department"].astype("str")
    return out

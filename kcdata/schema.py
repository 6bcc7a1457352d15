"""The listing table's contract: its columns, their dtypes, the level columns, and validate(df).

Every reader (:func:`kcdata.read_measures`, :func:`kcdata.parse_measures`,
:func:`kcdata.read_plans`) gives a table that passes :func:`validate`; every
analysis and writer takes one. A table cleaned by hand in pandas passes too
when it has the required columns with the right kinds of values.
"""

from __future__ import annotations

import pandas as pd

from kcdata.io.parse import COLUMNS, LEVEL_COLUMNS

__all__ = ["COLUMNS", "LEVEL_COLUMNS", "REQUIRED_COLUMNS", "validate"]

#: The columns every analysis needs: the first level, the measure and its departments.
REQUIRED_COLUMNS = ("policy_no", "policy", "measure", "departments")


def validate(df: pd.DataFrame) -> pd.DataFrame:
    """Check that ``df`` is a listing table; return it unchanged (never a copy).

    Raises ``TypeError`` for something that is not a DataFrame and
    ``ValueError`` naming every required column that is missing, or a
    ``departments`` column whose values are not tuples of names (what
    :func:`kcdata.read_measures` gives). Cost: O(n) for the departments check.

    >>> import kcdata
    >>> validate(kcdata.load_example()) is not None
    True
    >>> validate(pd.DataFrame({"measure": ["A事業"]}))
    Traceback (most recent call last):
    ...
    ValueError: not a listing table: missing columns policy_no, policy, departments
    """
    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"a listing table is a pandas DataFrame, not {type(df).__name__}")
    missing = [c for c in REQUIRED_COLUMNS if c not in df.columns]
    if missing:
        raise ValueError(f"not a listing table: missing columns {', '.join(missing)}")
    bad = ~df["departments"].map(lambda v: isinstance(v, tuple))
    if bad.any():
        first = df.index[bad.to_numpy()][0]
        raise ValueError(
            f"not a listing table: departments must be tuples of names "
            f"(row {first!r} holds {type(df.at[first, 'departments']).__name__})"
        )
    return df

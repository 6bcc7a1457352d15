"""The listing table's contract: its columns, their dtypes, the level columns, and validate(df).

Every reader (:func:`kcdata.read_measures`, :func:`kcdata.parse_measures`,
:func:`kcdata.read_plans`) gives a table that passes :func:`validate`; every
analysis and writer takes one. A table cleaned by hand in pandas passes too
when it has the required columns with the right kinds of values.
"""

from __future__ import annotations

import pandas as pd

__all__ = ["COLUMNS", "LEVEL_COLUMNS", "REQUIRED_COLUMNS", "has_departments", "validate"]

#: The columns every listing table has, in order.
COLUMNS = ["policy_no", "policy", "direction_no", "direction", "measure", "summary",
           "departments", "relisted", "line"]
#: The number and title columns of each level, outermost first.
LEVEL_COLUMNS = [("policy_no", "policy"), ("direction_no", "direction"),
                 ("level3_no", "level3"), ("level4_no", "level4")]

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


def has_departments(df: pd.DataFrame) -> bool:
    """Whether any listing of ``df`` names at least one department.

    A plan without departments is a listing table whose ``departments`` are
    all ``()``: its document has no department column, or its department cells
    hold only placeholders (関係各課, 全庁, …, kept in ``department_notes``:
    they are not departments). Such a plan gets every analysis that does not
    need departments; it has no (listing, department) pairs
    (:func:`kcdata.explode_departments`), and the outputs put a sentence saying
    why (:data:`kcdata.vocab.NO_DEPARTMENTS`) in place of each department chart,
    sheet and page section. Cost: O(n).

    >>> import kcdata
    >>> df = kcdata.load_example()
    >>> has_departments(df), has_departments(df.assign(departments=[()] * len(df)))
    (True, False)
    """
    return bool(df["departments"].map(len).to_numpy().any())

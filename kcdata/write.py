"""Write a listing table back as a measures document (the inverse of parsing)."""

from __future__ import annotations

import pandas as pd

from .normalize import as_departments
from .parse import HEADER, RELISTED_MARK

__all__ = ["to_text"]

_NEEDED = ["policy_no", "policy", "direction_no", "direction", "measure", "summary", "departments"]


def to_text(df: pd.DataFrame) -> str:
    """Write a listing table as a document in the plan's format.

    Sections come in (``policy_no``, ``direction_no``) order, rows in DataFrame
    order within each section; the 【再掲】 mark is restored from ``relisted``
    and departments are joined by a space. A section's title is taken from its
    first row. ``parse_measures(to_text(df))`` equals ``df`` in every column
    but ``line`` when the text is already clean (as parsed text is), so a table
    edited by hand, rows moved between sections, still writes a valid document.
    ``departments`` may hold tuples (as parsed) or space-separated strings.
    The input is not modified.

    Raises ``ValueError`` for a table that cannot be written as a valid
    document: a missing column, a tab or line break inside a cell, an empty
    事業名 or 所管する課.

    >>> from kcdata import parse_measures
    >>> df = parse_measures("基本方針1 方針\\n施策の方向性(1) 方向\\nA事業\\t概要\\t甲課 乙課")
    >>> for line in to_text(df).splitlines()[:6]:
    ...     print(line.replace("\\t", " | "))
    基本方針1 方針
    <BLANKLINE>
    施策の方向性(1) 方向
    <BLANKLINE>
    事業名 | 事業概要 | 所管する課
    A事業 | 概要 | 甲課 乙課
    """
    missing = [c for c in _NEEDED if c not in df.columns]
    if missing:
        raise ValueError(f"to_text needs the columns {missing}")
    relisted = df["relisted"] if "relisted" in df.columns else pd.Series(False, index=df.index)
    order = df.assign(kc_relisted=relisted.astype(bool)).sort_values(
        ["policy_no", "direction_no"], kind="stable"
    )
    out: list[str] = []
    for policy_no, policy_rows in order.groupby("policy_no", sort=False):
        label = f"基本方針{_number(policy_no, 'policy_no')}"
        out += [_heading(label, policy_rows["policy"].iloc[0]), ""]
        for direction_no, rows in policy_rows.groupby("direction_no", sort=False):
            label = f"施策の方向性({_number(direction_no, 'direction_no')})"
            out += [_heading(label, rows["direction"].iloc[0]), ""]
            out.append("\t".join(HEADER))
            for row in rows.itertuples(index=False):
                out.append(_row(row))
            out.append("")
    return "\n".join(out)


def _number(value: object, column: str) -> int:
    """A section number as written in a heading: a non-negative whole number."""
    try:
        number = int(value)
        whole = number == value and number >= 0
    except (TypeError, ValueError):
        whole = False
    if not whole:
        raise ValueError(f"to_text: {column} must hold whole numbers, not {value!r}")
    return number


def _heading(label: str, title: object) -> str:
    title = "" if pd.isna(title) else str(title)
    _check_cell(title, label)
    return f"{label} {title}".rstrip()


def _row(row) -> str:
    names = as_departments(row.departments)
    measure = "" if pd.isna(row.measure) else str(row.measure)
    summary = "" if pd.isna(row.summary) else str(row.summary)
    if not measure.strip():
        raise ValueError("to_text: a row has an empty measure (事業名)")
    if measure.startswith(RELISTED_MARK):
        raise ValueError(f"to_text: {measure!r} starts with {RELISTED_MARK}: use relisted=True")
    if not names or any(not n.strip() or len(n.split()) != 1 for n in names):
        raise ValueError(f"to_text: {measure!r} needs departments without spaces, at least one")
    for cell in (measure, summary, *names):
        _check_cell(cell, measure)
    if (measure, summary, " ".join(names)) == HEADER:
        raise ValueError("to_text: a row equal to the header row cannot be written")
    name = RELISTED_MARK + measure if row.kc_relisted else measure
    return "\t".join([name, summary, " ".join(names)])


def _check_cell(text: str, where: str) -> None:
    if any(ch in text for ch in "\t\n\r"):
        raise ValueError(f"to_text: a cell of {where!r} holds a tab or a line break")

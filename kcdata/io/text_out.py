"""to_text: a listing table written back as a measures document (the inverse of parsing)."""

from __future__ import annotations

import os

import pandas as pd

from kcdata.io.departments import split_departments
from kcdata.io.layout import HEADER_WORDS, Layout
from kcdata.io.layout_file import get_layout
from kcdata.io.parse import COLUMNS, LEVEL_COLUMNS
from kcdata.text import as_departments

__all__ = ["to_text"]


def to_text(df: pd.DataFrame, layout: str | os.PathLike[str] | Layout | None = None) -> str:
    """Write a listing table as a document in its layout's format.

    The layout is ``layout``, else the table's (``df.attrs["layout"]``, ``["levels"]``),
    else ``kanazawa``. Sections come in level-number order, rows in table order within
    each; a heading's title is its section's first row's; a second level numbered 0 (a
    one-level plan) writes no heading; ``relisted`` restores the mark; departments
    (tuples or space-separated strings) are joined by a space; ``df.attrs["title"]`` is
    the first line. ``parse_measures(to_text(df))`` equals ``df`` but for ``line``.
    ``ValueError`` for a table that would not read back the same: a missing column, a
    tab or line break in a cell, an empty 事業名 or 所管する課, a department that reads
    back as several.

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
    missing = [c for c in COLUMNS[:7] if c not in df.columns]  # all but relisted and line
    if missing:
        raise ValueError(f"to_text needs the columns {missing}")
    layout = get_layout(layout if layout is not None else df.attrs.get("layout", "kanazawa"))
    if not layout.levels:
        layout = layout.with_levels(list(df.attrs.get("levels") or ["基本方針", "施策の方向性"]))
    levels = [(no, title, level) for (no, title), level in zip(LEVEL_COLUMNS, layout.levels,
                                                              strict=False) if no in df.columns]
    header = [layout.word(role) for role in layout.column_order]
    relisted = df["relisted"] if "relisted" in df.columns else pd.Series(False, index=df.index)
    order = df.assign(kc_relisted=relisted.astype(bool)).sort_values(
        [no for no, _, _ in levels], kind="stable")
    title = df.attrs.get("title")
    out: list[str] = [title.strip(), ""] if title and title.strip() and "\t" not in title else []
    current: list[int | None] = [None] * len(levels)
    for row in order.itertuples(index=False):
        changed = False
        for k, (no_column, title_column, level) in enumerate(levels):
            number = _number(getattr(row, no_column), no_column)
            if not changed and current[k] == number:
                continue
            changed = True
            current[k] = number
            if k > 0 and number == 0:  # a one-level plan: no second-level heading
                continue
            if out and out[-1] != "":
                out.append("")
            name = level.name(number)
            heading = getattr(row, title_column)
            heading = "" if pd.isna(heading) else str(heading)
            _check_cell(heading, name)
            out += [f"{name} {heading}".rstrip(), ""]
        if changed:
            out.append("\t".join(header))
        out.append(_row(row, layout))
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


def _row(row, layout: Layout) -> str:
    names = as_departments(row.departments)
    measure = "" if pd.isna(row.measure) else str(row.measure)
    summary = "" if pd.isna(row.summary) else str(row.summary)
    if not measure.strip():
        raise ValueError(f"to_text: a row has an empty measure ({layout.word('measure')})")
    if any(measure.startswith(m) or measure.endswith(m) for m in layout.relisted_marks):
        raise ValueError(f"to_text: {measure!r} carries a re-listing mark: use relisted=True")
    if not names:
        raise ValueError(f"to_text: {measure!r} needs departments, at least one")
    for name in names:
        if split_departments(name, layout) != ((name,), ()):
            raise ValueError(f"to_text: the department {name!r} of {measure!r} would not "
                             "read back as one department")
    for cell in (measure, summary, *names):
        _check_cell(cell, measure)
    if measure in {*HEADER_WORDS["measure"], *(w for ws in layout.columns.values() for w in ws)}:
        raise ValueError(f"to_text: a measure named like a header word ({measure!r}) "
                         "would read back as a header row")
    name = layout.relisted_marks[0] + measure if row.kc_relisted else measure
    return "\t".join([name, summary, " ".join(names)])


def _check_cell(text: str, where: str) -> None:
    if any(ch in text for ch in "\t\n\r"):
        raise ValueError(f"to_text: a cell of {where!r} holds a tab or a line break")

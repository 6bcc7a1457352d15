"""Write a listing table back as a measures document (the inverse of parsing)."""

from __future__ import annotations

import os

import pandas as pd

from kcdata.io.departments import split_departments
from kcdata.io.layout import HEADER_WORDS, Layout
from kcdata.io.layout_file import get_layout
from kcdata.io.parse import LEVEL_COLUMNS
from kcdata.text import as_departments

__all__ = ["to_text"]

#: Names that read back as a header row under any layout (事業名, 取組 …).
_HEADER_NAMES = frozenset(HEADER_WORDS["measure"])
_NEEDED = ["policy_no", "policy", "direction_no", "direction", "measure", "summary", "departments"]


def to_text(df: pd.DataFrame, layout: str | os.PathLike[str] | Layout | None = None) -> str:
    """Write a listing table as a document in its layout's format.

    The layout is ``layout``, else the one the table was read with
    (``df.attrs["layout"]`` and ``df.attrs["levels"]``), else ``kanazawa``.
    Sections come in level-number order, rows in DataFrame order within each
    section; headings are written as the layout names them (基本方針1,
    施策の方向性(2)), followed by the section's title from its first row; the
    re-listing mark is restored from ``relisted``, departments are joined by
    a space. A second level numbered 0 (a one-level plan) writes no heading.
    The table's title (``df.attrs["title"]``), if any, is the first line.
    ``parse_measures(to_text(df))`` equals ``df`` in every column but ``line``
    when the text is already clean (as parsed text is), so a table edited by
    hand, rows moved between sections, still writes a valid document.
    ``departments`` may hold tuples (as parsed) or space-separated strings.
    The input is not modified.

    Raises ``ValueError`` for a table that cannot be written as a document
    that reads back the same: a missing column, a tab or line break inside
    a cell, an empty 事業名 or 所管する課, a department that would read back as
    several (「甲課・乙課」).

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
    layout = _layout_of(df, layout)
    levels = [(no, title, level) for (no, title), level in zip(LEVEL_COLUMNS, layout.levels,
                                                              strict=False) if no in df.columns]
    header = [layout.word(role) for role in layout.column_order]
    relisted = df["relisted"] if "relisted" in df.columns else pd.Series(False, index=df.index)
    order = df.assign(kc_relisted=relisted.astype(bool)).sort_values(
        [no for no, _, _ in levels], kind="stable"
    )
    title = df.attrs.get("title")
    out: list[str] = [title.strip(), ""] if title and title.strip() and "\t" not in title else []
    current: list[int | None] = [None] * len(levels)
    for row in order.itertuples(index=False):
        changed = False
        for k, (no_col, title_col, level) in enumerate(levels):
            number = _number(getattr(row, no_col), no_col)
            if not changed and current[k] == number:
                continue
            changed = True
            current[k] = number
            if k > 0 and number == 0:  # a one-level plan: no second-level heading
                continue
            if out and out[-1] != "":
                out.append("")
            out += [_heading(level.name(number), getattr(row, title_col)), ""]
        if changed:
            out.append("\t".join(header))
        out.append(_row(row, layout))
    out.append("")
    return "\n".join(out)


def _layout_of(df: pd.DataFrame, layout: str | os.PathLike[str] | Layout | None) -> Layout:
    found = get_layout(layout if layout is not None else df.attrs.get("layout", "kanazawa"))
    if not found.levels:
        found = found.with_levels(list(df.attrs.get("levels") or ["基本方針", "施策の方向性"]))
    return found


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


def _heading(name: str, title: object) -> str:
    title = "" if pd.isna(title) else str(title)
    _check_cell(title, name)
    return f"{name} {title}".rstrip()


def _row(row, layout: Layout) -> str:
    names = as_departments(row.departments)
    measure = "" if pd.isna(row.measure) else str(row.measure)
    summary = "" if pd.isna(row.summary) else str(row.summary)
    if not measure.strip():
        raise ValueError(f"to_text: a row has an empty measure ({layout.word('measure')})")
    mark = layout.relisted_marks[0]
    if any(measure.startswith(m) or measure.endswith(m) for m in layout.relisted_marks):
        raise ValueError(f"to_text: {measure!r} carries a re-listing mark: use relisted=True")
    if not names:
        raise ValueError(f"to_text: {measure!r} needs departments, at least one")
    for name in names:
        if split_departments(name, layout) != ((name,), ()):
            raise ValueError(
                f"to_text: the department {name!r} of {measure!r} would not read back as "
                "one department"
            )
    for cell in (measure, summary, *names):
        _check_cell(cell, measure)
    if measure in _HEADER_NAMES | {w for words in layout.columns.values() for w in words}:
        raise ValueError(f"to_text: a measure named like a header word ({measure!r}) "
                         "would read back as a header row")
    name = mark + measure if row.kc_relisted else measure
    return "\t".join([name, summary, " ".join(names)])


def _check_cell(text: str, where: str) -> None:
    if any(ch in text for ch in "\t\n\r"):
        raise ValueError(f"to_text: a cell of {where!r} holds a tab or a line break")

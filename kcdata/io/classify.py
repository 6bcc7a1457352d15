"""Grid + layout, step 1: what each line is (a heading of level k, a header row, a row, text).

:func:`classify` gives one row per grid line with its ``kind``:

* ``blank``: nothing but white space (tabs included);
* ``skipped``: a line a ``skip`` pattern of the layout matches (tabbed or not);
* ``heading``: a one-cell line that a level's heading pattern matches, with
  ``level`` (0 = outermost), ``no`` (``<NA>`` for an unnumbered heading) and
  ``title``;
* ``header``: a table row with a 事業名 cell (any built-in layout's words or
  the layout's own), with ``columns``: what each of its columns holds;
* ``row``: any other line of two or more cells (or a record line);
* ``text``: any other one-cell line (front matter, page numbers, wrapped
  lines, …: :mod:`kcdata.io.parse` decides).

Problems found on the way (a heading number too long, a header row without a
所管する課 column) are returned as ``(position, reason)`` pairs, not raised.
"""

from __future__ import annotations

import re
import unicodedata
from typing import NamedTuple

import pandas as pd

from kcdata.io.grid import WHITE
from kcdata.io.layout import (
    BUILTIN_LAYOUTS,
    HEADER_WORDS,
    NUMBER_PATTERN,
    ROLES,
    Layout,
    heading_number,
    user_regex,
)
from kcdata.messages import translate as _

__all__ = ["Column", "advice", "classify", "key", "level_cell", "problem_text"]


class Column(NamedTuple):
    """What one column of a table holds.

    ``role`` is ``measure``, ``summary``, ``departments``, ``code``, ``level``
    (a hierarchy column: ``level`` is its 0-based level) or ``other`` (a column
    kept under its header ``name``).
    """

    role: str
    name: str
    level: int = -1


def key(cell: str) -> str:
    """A cell as compared with header words: NFKC, without white space."""
    return "".join(unicodedata.normalize("NFKC", cell).split()).replace("\u200b", "")


def problem_text(text: str, limit: int = 30) -> str:
    """A line's text as quoted in a message: 「…」, cut at ``limit`` characters."""
    text = " ".join(text.replace("\t", " | ").split())
    return f"「{text[:limit]}…」" if len(text) > limit else f"「{text}」"


def advice(layout: Layout) -> str:
    """What to try next when a document does not fit, never the layout already in use."""
    if layout.name == "kanazawa":
        return _("try --layout generic or a layout file (README: レイアウトファイル)")
    if layout.name == "generic":
        return _("write a layout file with the plan's own words (README: レイアウトファイル)")
    return _("compare the layout file with the document: kcdata check --lines")


def classify(grid: pd.DataFrame, layout: Layout) -> tuple[pd.DataFrame, Layout, list]:
    """Each line's kind (see the module docstring), the layout (with the levels found,
    for a layout of heading words), and the problems found as ``(position, reason)``."""
    problems: list[tuple[int, str]] = []
    skip = [user_regex(p, "skip") for p in layout.skip]
    n_cells = grid["cells"].map(len)
    blank = grid["text"].map(lambda t: not t.strip(WHITE)).to_numpy(dtype=bool)
    skipped = grid["text"].map(lambda t: any(p.search(t) for p in skip)).to_numpy(dtype=bool)
    one_cell = (n_cells == 1).to_numpy() & ~blank & ~skipped
    header = _header_rows(grid, layout) & ~blank & ~skipped
    if layout.heading_words:
        layout = _levels_found(grid, layout, one_cell, header)

    kinds = pd.Series("row", index=grid.index, dtype=object)
    kinds[one_cell] = "text"
    kinds[header] = "header"
    kinds[blank] = "blank"
    kinds[skipped] = "skipped"
    out = pd.DataFrame({"kind": kinds, "level": -1, "no": pd.Series(pd.NA, index=grid.index,
                                                                      dtype="Int64"),
                        "title": "", "columns": None})
    regexes = [(k, lv.regex) for k, lv in enumerate(layout.levels) if lv.heading is not None]
    for i in grid.index[one_cell]:
        line = grid.at[i, "text"].replace("\u200b", " ")
        for k, regex in regexes:
            m = regex.match(line)
            if m is None:
                continue
            out.loc[i, ["kind", "level", "title"]] = ["heading", k, m.group("title").strip(WHITE)]
            token = m.groupdict().get("no") or m.groupdict().get("bare")
            if token:
                try:
                    out.at[i, "no"] = heading_number(token)
                except ValueError as err:
                    problems.append((i, str(err)))
            elif not out.at[i, "title"]:  # an unnumbered heading is its own title
                out.at[i, "title"] = m.group(0).strip(WHITE)
            break
    for i in grid.index[header]:
        columns, problem = header_columns(grid.at[i, "cells"], layout)
        out.at[i, "columns"] = columns
        if problem:
            problems.append((i, problem))
    return out, layout, problems


def _measure_words(layout: Layout) -> set[str]:
    words = (*HEADER_WORDS["measure"], *BUILTIN_LAYOUTS["kanazawa"].columns["measure"],
             *layout.columns["measure"])
    return {key(w) for w in words}


def _header_rows(grid: pd.DataFrame, layout: Layout) -> pd.Series:
    """Rows of two or more cells with a 事业名 cell: a header word of the measure column."""
    words = _measure_words(layout)
    longest = max(map(len, words))

    def is_header(cells: list[str]) -> bool:
        return len(cells) > 1 and any(
            len(c.strip(WHITE)) <= 2 * longest and key(c) in words for c in cells)

    return grid["cells"].map(is_header).to_numpy(dtype=bool)


def header_columns(cells: list[str], layout: Layout) -> tuple[list[Column], str | None]:
    """What each column of a header row holds, and a problem, if any.

    A cell is a role's header word (the layout's, compared by :func:`key`), a
    level's column word, or anything else: a column kept under its header
    (「列3」 when the cell is empty). A role's second column is kept likewise.
    """
    words: dict[str, tuple[str, int]] = {}
    for role in ROLES:
        for w in layout.columns.get(role, ()):
            words.setdefault(key(w), (role, -1))
    for k, level in enumerate(layout.levels):
        for w in level.column_words:
            words.setdefault(key(w), ("level", k))
    columns: list[Column] = []
    for j, cell in enumerate(cells):
        name = " ".join(cell.split()) or f"列{j + 1}"
        role, level = words.get(key(cell), ("other", -1))
        if role != "other" and any(c.role == role and c.level == level for c in columns):
            role, level = "other", -1
        columns.append(Column(role, name, level))
    roles = {c.role for c in columns}
    needed = ["measure"] + (["departments"] if layout.has_departments else [])
    missing = [r for r in needed if r not in roles]
    if not missing:
        return columns, None
    unknown = "".join(f"「{c.name}」" for c in columns if c.role == "other")
    expected = "; ".join(f"{'、'.join(layout.columns[r])}" for r in missing)
    reason = _("the header row has no {words} column (header words of layout {layout}: "
               "{expected})").format(words=_(" or ").join(layout.word(r) for r in missing),
                                     layout=layout.name, expected=expected)
    if unknown:
        reason += _("; cells that match no header word: {cells}").format(cells=unknown)
    return columns, _("{reason}; {advice}").format(reason=reason, advice=advice(layout))


def _levels_found(grid: pd.DataFrame, layout: Layout, one_cell, header) -> Layout:
    """For a layout of heading words: the words this document uses, outermost first."""
    words = sorted(layout.heading_words, key=len, reverse=True)
    alternation = "|".join(re.escape(w) for w in words)
    pattern = re.compile(rf"\s*(?P<word>{alternation}){NUMBER_PATTERN}")
    found: list[str] = []
    for line in grid["text"][one_cell]:
        m = pattern.match(line.replace("\u200b", " "))
        if m and m.group("word") not in found:
            found.append(m.group("word"))
    for cells in grid["cells"][header]:
        for cell in cells:
            if key(cell) in layout.heading_words and key(cell) not in found:
                found.append(key(cell))
    found = found or [layout.heading_words[0]]
    found.sort(key=layout.heading_words.index)
    return layout.with_levels(found[:4])


def level_cell(cell: str, label_words: tuple[str, ...]) -> tuple[int | None, str]:
    """A hierarchy cell as (number, title): 「1 title」, 「基本方針1 title」, 「(1) title」,
    or a title alone (number ``None``). Raises ``ValueError`` for a number too long.

    >>> level_cell("基本方針2 地域の絆", ("基本方針",)), level_cell("地域の絆", ("基本方針",))
    ((2, '地域の絆'), (None, '地域の絆'))
    """
    label = "|".join(re.escape(w) for w in label_words)
    m = re.match(rf"\s*(?:{label})?{NUMBER_PATTERN}(?P<title>.*)$",
                 cell.replace("\u200b", " "), re.DOTALL)
    if m is None:
        return None, cell.strip(WHITE)
    return heading_number(m.group("no") or m.group("bare")), m.group("title").strip(WHITE)

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

import functools
import re
import unicodedata
from typing import NamedTuple

import pandas as pd

from kcdata.io.grid import WHITE, GridLines
from kcdata.io.layout import BUILTIN_LAYOUTS, HEADER_WORDS, ROLES, Layout
from kcdata.io.patterns import NUMBER_PATTERN, heading_number, user_regex
from kcdata.messages import translate as _

__all__ = ["Column", "advice", "classify", "key", "level_cell", "problem_text"]


class Column(NamedTuple):
    """What one column of a table holds.

    ``role`` is ``measure``, ``summary``, ``departments``, ``code``, ``level``
    (a hierarchy column: ``level`` is its 0-based level), ``level_no`` (the
    column of that level's numbers, beside its titles) or ``other`` (a column
    kept under its header ``name``). A second or later department column has
    ``level`` 1, 2, …: its names are added to the first's.
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


def classify(grid: GridLines, layout: Layout) -> tuple[pd.DataFrame, Layout, list]:
    """Each line's kind (see the module docstring), the layout (with the levels found,
    for a layout of heading words), and the problems found as ``(position, reason)``.

    One pass over the lines; the result is one DataFrame with a row per line:
    ``kind``, ``level``, ``no``, ``title`` (headings) and ``columns`` (header rows).
    """
    problems: list[tuple[int, str]] = []
    skip = [user_regex(p, "skip") for p in layout.skip]
    measure_words = _measure_words(layout)
    kinds = []
    for text, cells in zip(grid.text, grid.cells, strict=True):
        if not text.strip(WHITE):
            kinds.append("blank")
        elif any(p.search(text) for p in skip):
            kinds.append("skipped")
        elif len(cells) == 1:
            kinds.append("text")
        elif _is_header(cells, measure_words):
            kinds.append("header")
        else:
            kinds.append("row")
    if layout.heading_words:
        layout = _levels_found(grid, layout, kinds)

    n = len(kinds)
    level, no, title, columns = [-1] * n, [None] * n, [""] * n, [None] * n
    regexes = [(k, lv.regex) for k, lv in enumerate(layout.levels) if lv.heading is not None]
    for i in (i for i, kind in enumerate(kinds) if kind == "text"):
        line = grid.text[i].replace("\u200b", " ")
        for k, regex in regexes:
            m = regex.match(line)
            if m is None:
                continue
            kinds[i], level[i], title[i] = "heading", k, m.group("title").strip(WHITE)
            token = m.groupdict().get("no") or m.groupdict().get("bare")
            if token:
                try:
                    no[i] = heading_number(token)
                except ValueError as err:
                    problems.append((i, str(err)))
            elif not title[i]:  # an unnumbered heading is its own title
                title[i] = m.group(0).strip(WHITE)
            break
    for i in (i for i, kind in enumerate(kinds) if kind == "header"):
        columns[i], problem = header_columns(grid.cells[i], layout)
        if problem:
            problems.append((i, problem))
    out = pd.DataFrame({"kind": kinds, "level": level,
                        "no": pd.array(no, dtype="Int64"), "title": title,
                        "columns": pd.Series(columns, dtype=object)})
    return out, layout, problems


def _measure_words(layout: Layout) -> frozenset[str]:
    words = (*HEADER_WORDS["measure"], *BUILTIN_LAYOUTS["kanazawa"].columns["measure"],
             *layout.columns["measure"])
    return frozenset(key(w) for w in words)


@functools.lru_cache(maxsize=16)
def _word_shape(words: frozenset[str]) -> tuple[int, frozenset[str]]:
    """Twice the longest word's length, and the first characters (either width) of the words."""
    starts = {w[0] for w in words} | {chr(ord(w[0]) + 0xFEE0) for w in words
                                      if "!" <= w[0] <= "~"}
    return 2 * max(map(len, words)), frozenset(starts)


def _is_header(cells: list[str], measure_words: frozenset[str]) -> bool:
    """A row of two or more cells with a 事業名 cell: a header word of the measure column.

    Only a short cell that starts as a header word may be one (the key is NFKC).
    """
    longest, starts = _word_shape(measure_words)
    for cell in cells:
        text = cell.strip(WHITE)
        if text[:1] in starts and len(text) <= longest and key(text) in measure_words:
            return True
    return False


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
        for w in level.number_column:
            words.setdefault(key(w), ("level_no", k))
    columns: list[Column] = []
    for j, cell in enumerate(cells):
        name = " ".join(cell.split()) or f"列{j + 1}"
        role, level = words.get(key(cell), ("other", -1))
        earlier = [c for c in columns if c.role == role
                   and (role not in ("level", "level_no") or c.level == level)]
        if role == "departments" and earlier:  # 主担当課 | 関係課: every column counts
            level = len(earlier)
        elif role != "other" and earlier:
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


def _levels_found(grid: GridLines, layout: Layout, kinds: list[str]) -> Layout:
    """For a layout of heading words: the words this document uses, outermost first."""
    words = sorted(layout.heading_words, key=len, reverse=True)
    alternation = "|".join(re.escape(w) for w in words)
    pattern = re.compile(rf"\s*(?P<word>{alternation}){NUMBER_PATTERN}")
    found: list[str] = []
    for text, cells, kind in zip(grid.text, grid.cells, kinds, strict=True):
        if kind == "text":
            m = pattern.match(text.replace("\u200b", " "))
            if m and m.group("word") not in found:
                found.append(m.group("word"))
        elif kind == "header":
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

"""Grid + layout, steps 1-2: what each line is, and where each text line belongs.

Step 1 (:func:`classify`) gives each line a ``kind``: ``blank``; ``skipped`` (a
``skip`` pattern matches); ``heading`` (a one-cell line a level's pattern matches,
with ``level``, ``no`` and ``title``); ``header`` (a row with a 事業名 cell, with
its ``columns``); ``row`` (any other line of two or more cells); ``text``.

Step 2 (:func:`place_text_lines`): before the structure (the first outermost
heading, else the first header row) text is front matter, its first line the
title. After it a text line is a heading's title, a page number, running header
or broken record (skipped with a warning), or joined to the row above
(``wrapped_lines``); anything else is a problem saying what was expected.
Problems are ``(position, reason)`` pairs, never raised here.
"""

from __future__ import annotations

import re
from typing import NamedTuple

import pandas as pd

from kcdata.io.grid import WHITE, GridLines, Notes
from kcdata.io.layout import BUILTIN_LAYOUTS, HEADER_WORDS, ROLES, Layout, key
from kcdata.io.patterns import NUMBER_PATTERN, heading_number, user_regex
from kcdata.messages import translate as _
from kcdata.text import clean_text

__all__ = ["Column", "advice", "classify", "level_cell", "no_rows_reason", "place_lines",
           "problem_text"]

PAGE_NUMBER = re.compile(
    r"\s*(?:[-－‐―ー—–~〜(（]\s*)?(?:P\.?|p\.?)?\s*[0-9０-９]{1,4}\s*(?:[-－‐―ー—–~〜)）])?\s*"
    r"|\s*[0-9０-９]{1,4}\s*[/／]\s*[0-9０-９]{1,4}\s*"
)
_RECORD_LIKE = re.compile(r"\s*(?:No\.?\s*[0-9０-９]|Ｎｏ|[○●◎・◆■□◇▶▷►])")


class Column(NamedTuple):
    """What a table's column holds: ``role`` measure, summary, departments, code, ``level``
    (a hierarchy column of 0-based ``level``), ``level_no`` (that level's numbers) or
    ``other`` (kept under its header ``name``). A second department column has ``level`` 1."""

    role: str
    name: str
    level: int = -1


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
    """Each line's ``kind``, ``level``, ``no``, ``title`` and ``columns``; the layout (with
    the levels found, for one of heading words); the problems found."""
    problems: list[tuple[int, str]] = []
    skip = [user_regex(p, "skip") for p in layout.skip]
    measure_words = {key(w) for w in (*HEADER_WORDS["measure"], *layout.columns["measure"])}
    kinds = []
    for text, cells in zip(grid.text, grid.cells, strict=True):
        if not text.strip(WHITE):
            kinds.append("blank")
        elif any(p.search(text) for p in skip):
            kinds.append("skipped")
        elif len(cells) == 1:
            kinds.append("text")
        elif any(key(cell.strip(WHITE)) in measure_words for cell in cells):
            kinds.append("header")
        else:
            kinds.append("row")
    if layout.heading_words:
        layout = _levels_found(grid, layout, kinds)
    n = len(kinds)
    level, no, title, columns = [-1] * n, [None] * n, [""] * n, [None] * n
    regexes = [(k, lv.regex) for k, lv in enumerate(layout.levels) if lv.heading is not None]
    for i in [i for i, kind in enumerate(kinds) if kind == "text"]:
        for k, regex in regexes:
            m = regex.match(grid.text[i].replace("\u200b", " "))
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
    for i in [i for i, kind in enumerate(kinds) if kind == "header"]:
        columns[i], problem = header_columns(grid.cells[i], layout)
        if problem:
            problems.append((i, problem))
    out = pd.DataFrame({"kind": kinds, "level": level, "no": pd.array(no, dtype="Int64"),
                        "title": title, "columns": pd.Series(columns, dtype=object)})
    return out, layout, problems


def header_columns(cells: list[str], layout: Layout) -> tuple[list[Column], str | None]:
    """What each column of a header row holds (a role's, a level's or another column, 「列3」
    when empty; a role's second column is another), and a problem, if any."""
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
        role, level = words.get(key(cell), ("other", -1))
        earlier = [c for c in columns if c.role == role
                   and (role not in ("level", "level_no") or c.level == level)]
        if role == "departments" and earlier:  # 主担当課 | 関係課: every column counts
            level = len(earlier)
        elif role != "other" and earlier:
            role, level = "other", -1
        columns.append(Column(role, " ".join(cell.split()) or f"列{j + 1}", level))
    needed = ["measure"] + (["departments"] if layout.has_departments else [])
    missing = [r for r in needed if r not in {c.role for c in columns}]
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
    alternation = "|".join(re.escape(w) for w in sorted(layout.heading_words, key=len,
                                                        reverse=True))
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
    or a title alone (number ``None``). A ``ValueError`` for a number too long.

    >>> level_cell("基本方針2 地域の絆", ("基本方針",)), level_cell("地域の絆", ("基本方針",))
    ((2, '地域の絆'), (None, '地域の絆'))
    """
    label = "|".join(re.escape(w) for w in label_words)
    m = re.match(rf"\s*(?:{label})?{NUMBER_PATTERN}(?P<title>.*)$",
                 cell.replace("\u200b", " "), re.DOTALL)
    if m is None:
        return None, cell.strip(WHITE)
    return heading_number(m.group("no") or m.group("bare")), m.group("title").strip(WHITE)


def place_lines(grid, kinds, layout: Layout, notes: Notes) -> tuple[str | None, list, dict]:
    """Step 2: the title, the table rows, and the text lines joined to a row ({line
    position: row position}); lines skipped are warned about in ``notes``."""
    for i in kinds.index[kinds["kind"] == "skipped"]:
        notes.warn(i, _("{text} skipped (layout {layout}: skip)").format(
            text=problem_text(grid.text[i]), layout=layout.name))
    top = kinds.index[(kinds["kind"] == "heading") & (kinds["level"] == 0)]
    headers = kinds.index[kinds["kind"] == "header"]
    # the structure starts at the first outermost heading, else at the first header row
    if len(top):
        start = int(top[0])
    elif len(headers):
        start = int(headers[0])
    else:
        start = len(kinds)
    title = _front_matter(grid, kinds, layout, start, notes)
    rows, attached = _place_text_lines(grid, kinds, layout, start, notes)
    for name in ("skip", "ignore"):  # a pattern that matches no line: a typo, another edition
        for pattern in getattr(layout, name):
            regex = user_regex(pattern, name)
            if not any(regex.search(t) for t in grid.text):
                notes.warnings.append((None, _("layout {layout}: the {key} pattern {pattern!r} "
                                               "matches no line").format(
                    layout=layout.name, key=name, pattern=pattern)))
    return title, rows, attached


def _front_matter(grid, kinds, layout: Layout, start: int, notes: Notes) -> str | None:
    """Lines before the structure: text is front matter, a row or heading a problem.

    The title: a layout file's title; a built-in layout's only for the document it was
    made for (its first front line is part of that title); else the first front line.
    """
    before = kinds.iloc[:start]
    texts = before.index[before["kind"] == "text"]
    for n, i in enumerate(texts):
        notes.fates[i] = (_("front matter (the title): {text}") if n == 0 else
                          _("front matter: {text}")).format(text=problem_text(grid.text[i]))
    first_level = layout.levels[0].label
    for i in before.index[before["kind"] == "header"]:
        notes.fates[i] = _("header row before the structure starts (front matter)")
    for i in before.index[before["kind"] == "row"]:
        if start < len(kinds) and kinds.at[start, "kind"] == "heading":
            notes.refuse(i, _("table row before the first {level} heading: {text}").format(
                level=first_level, text=problem_text(grid.text[i])))
        else:
            expected = " | ".join(layout.word(r) for r in layout.column_order)
            words = "; ".join(f"{layout.word(r)}: {'、'.join(ws)}"
                              for r, ws in layout.columns.items())
            notes.refuse(i, _("table row {text} before the header row: expected a row naming "
                              "the columns, such as {expected} (header words of layout "
                              "{layout}: {words})").format(
                text=problem_text(grid.text[i]), expected=expected, layout=layout.name,
                words=words))
    for i in before.index[before["kind"] == "heading"]:
        label = layout.levels[int(kinds.at[i, "level"])].label
        notes.refuse(i, _("{label} heading before the first {level} heading: {text}").format(
            label=label, level=first_level, text=problem_text(grid.text[i])))
    first = clean_text(grid.text[texts[0]].strip(WHITE)) if len(texts) else None
    builtin = BUILTIN_LAYOUTS.get(layout.name)
    if layout.title and (builtin is None or builtin.title != layout.title):
        return layout.title
    own_words = re.sub(r"^[0-9０-９.．\s]+", "", first or "")
    if layout.title and own_words and own_words in layout.title:
        return layout.title
    return first


def _place_text_lines(grid, kinds, layout: Layout, start: int, notes: Notes):
    """After the structure starts a text line is a heading's title (the line after a heading
    without one, past a page break), a page number, an ignored or repeated running header,
    a broken record (these four skipped with a warning), or joined to the row above.
    """
    ignore = [user_regex(p, "ignore") for p in layout.ignore]
    kind = kinds["kind"].tolist()
    texts = [i for i in range(start, len(kind)) if kind[i] == "text"]
    repeated: set[str] = set()
    if layout.repeated_lines == "ignore":
        stems = pd.Series([re.sub(r"[0-9０-９\s]", "", grid.text[i]) for i in texts],
                          dtype=object)
        repeated = set(stems[stems.duplicated(keep=False) & (stems != "")])

    def passed_over(j: int) -> bool:  # between a heading and its title: a page break
        text = " ".join(grid.text[j].split())
        return kind[j] in ("blank", "skipped") or (kind[j] == "text" and (
            bool(PAGE_NUMBER.fullmatch(text)) or any(p.search(text) for p in ignore)))

    title_lines = {}  # a text line that is the title of the heading above it
    for i in kinds.index[(kinds["kind"] == "heading") & (kinds["title"] == "")]:
        j = i + 1
        while j < len(kind) and passed_over(j):
            j += 1
        if j < len(kind) and kind[j] == "text":
            title_lines[j] = i
    rows = [i for i in range(start, len(kind)) if kind[i] == "row"]
    attached: dict[int, int] = {}
    last_row = None  # the row a text line would join (none after a heading or header row)
    for i in range(start, len(kind)):
        if kind[i] in ("row", "heading", "header"):
            last_row = i if kind[i] == "row" else None
        if kind[i] != "text":
            continue
        line = grid.text[i].strip(WHITE)
        quoted = problem_text(line)
        if i in title_lines:
            kinds.at[title_lines[i], "title"] = line
            notes.fates[i] = _("title of the heading on line {line}").format(
                line=int(grid.line[title_lines[i]]))
        elif PAGE_NUMBER.fullmatch(" ".join(line.split())):
            notes.warn(i, _("page number {text} skipped").format(text=quoted))
        elif any(p.search(line) for p in ignore):
            notes.warn(i, _("running header {text} skipped (layout {layout}: ignore)").format(
                text=quoted, layout=layout.name))
        elif re.sub(r"[0-9０-９\s]", "", grid.text[i]) in repeated:
            notes.warn(i, _("repeated line {text} skipped as a running page header").format(
                text=quoted))
        elif layout.record is not None and _RECORD_LIKE.match(line):
            notes.warn(i, _("{text} starts like a record but does not match the layout's "
                            "record pattern (cut off at a page's end?): skipped, not counted")
                       .format(text=quoted))
        elif layout.wrapped_lines != "error" and last_row is not None:
            attached[i] = last_row
        else:
            notes.refuse(i, _not_a_line_reason(line, layout, after_heading=last_row is None))
    return rows, attached


def _not_a_line_reason(line: str, layout: Layout, *, after_heading: bool) -> str:
    generic = BUILTIN_LAYOUTS["generic"]
    words = "|".join(sorted(map(re.escape, generic.heading_words), key=len, reverse=True))
    if layout.name != generic.name and re.match(rf"\s*(?:{words}){NUMBER_PATTERN}", line):
        names = _(" or ").join(lv.name("N") for lv in layout.levels if lv.heading)
        reason = _("{text} is not a heading of layout {layout} (expected {names})").format(
            text=problem_text(line), layout=layout.name, names=names)
        return _("{reason}; {advice}").format(reason=reason, advice=advice(layout))
    headings = _(" or ").join(lv.label for lv in layout.levels if lv.heading) or _("a")
    fields = _(", ").join(layout.word(r) for r in layout.column_order)
    where = _("free text is allowed only before the first {level}, or joined to the row above "
              "with wrapped_lines").format(level=layout.levels[0].label)
    if layout.wrapped_lines != "error" and after_heading:
        where = _("a text line is joined to the row above it, and there is none here")
    reason = _("{text} is not a {headings} heading, a header row or a row of {n} "
               "tab-separated fields ({fields}) ({where})").format(
        text=problem_text(line), headings=headings, n=len(layout.column_order),
        fields=fields, where=where)
    return _("{reason}; {advice}").format(reason=reason, advice=advice(layout))


def no_rows_reason(layout: Layout) -> str:
    reason = _("no measure rows found (no table row after a {level} heading or a header row "
               "such as {header} of layout {layout})").format(
        level=layout.levels[0].label, header="、".join(layout.columns["measure"][:3]),
        layout=layout.name)
    return _("{reason}; {advice}").format(reason=reason, advice=advice(layout))


"""Grid + layout, step 2: where the structure starts, and what each text line is.

Text before the structure (the first outermost heading, else the first header
row) is front matter, its first line the title; a table row there is a problem.
After it, a text line is a heading's title (the line after a heading without
one, past a page break), a page number or running header (skipped with a
warning), a line that starts like a record but does not match it (skipped with
a warning), or a wrapped line joined to the row above (``wrapped_lines``);
anything else is a problem that says what was expected.
"""

from __future__ import annotations

import re

import pandas as pd

from kcdata.io.classify import advice, problem_text
from kcdata.io.grid import WHITE, Notes
from kcdata.io.layout import BUILTIN_LAYOUTS, Layout
from kcdata.io.patterns import NUMBER_PATTERN, user_regex
from kcdata.messages import translate as _
from kcdata.text import clean_text

__all__ = ["PAGE_NUMBER", "front_matter", "no_rows_reason", "place_text_lines",
           "structure_start", "warn_unused_patterns"]

PAGE_NUMBER = re.compile(
    r"\s*(?:[-－‐―ー—–~〜(（]\s*)?(?:P\.?|p\.?)?\s*[0-9０-９]{1,4}\s*(?:[-－‐―ー—–~〜)）])?\s*"
    r"|\s*[0-9０-９]{1,4}\s*[/／]\s*[0-9０-９]{1,4}\s*"
)
_RECORD_LIKE = re.compile(r"\s*(?:No\.?\s*[0-9０-９]|Ｎｏ|[○●◎・◆■□◇▶▷►])")


def structure_start(kinds: pd.DataFrame) -> int:
    """Where the structure starts: the first outermost heading, else the first header row."""
    top = kinds.index[(kinds["kind"] == "heading") & (kinds["level"] == 0)]
    if len(top):
        return int(top[0])
    headers = kinds.index[kinds["kind"] == "header"]
    return int(headers[0]) if len(headers) else len(kinds)


def front_matter(grid, kinds, layout: Layout, start: int, notes: Notes) -> str | None:
    """Lines before the structure: text is front matter, anything else a problem.

    Returns the title: a layout file's title; a built-in layout's title only for
    the document it was made for (its first front line is part of that title);
    else the first front line (``None`` when there is none: the file's name
    is used by :func:`kcdata.read_measures`).
    """
    before = kinds.iloc[:start]
    texts = before.index[before["kind"] == "text"]
    for n, i in enumerate(texts):
        notes.fates[i] = (_("front matter (the title): {text}") if n == 0 else
                          _("front matter: {text}")).format(text=problem_text(grid.text[i]))
    front = [grid.text[i].strip(WHITE) for i in texts]
    first_level = layout.levels[0].label
    by_heading = start < len(kinds) and kinds.at[start, "kind"] == "heading"
    for i in before.index[before["kind"] == "header"]:
        notes.fates[i] = _("header row before the structure starts (front matter)")
    for i in before.index[before["kind"] == "row"]:
        if by_heading:
            notes.refuse(i, _("table row before the first {level} heading: {text}").format(
                level=first_level, text=problem_text(grid.text[i])))
        else:
            notes.refuse(i, _no_header_reason(grid, i, layout))
    for i in before.index[before["kind"] == "heading"]:
        label = layout.levels[int(kinds.at[i, "level"])].label
        notes.refuse(i, _("{label} heading before the first {level} heading: {text}").format(
            label=label, level=first_level, text=problem_text(grid.text[i])))
    first = clean_text(front[0]) if front else None
    builtin = BUILTIN_LAYOUTS.get(layout.name)
    if layout.title and (builtin is None or builtin.title != layout.title):
        return layout.title
    own_words = re.sub(r"^[0-9０-９.．\s]+", "", first or "")
    if layout.title and own_words and own_words in layout.title:
        return layout.title
    return first


def _no_header_reason(grid, i: int, layout: Layout) -> str:
    expected = " | ".join(layout.word(r) for r in layout.column_order)
    words = "; ".join(f"{layout.word(r)}: {'、'.join(ws)}" for r, ws in layout.columns.items())
    return _("table row {text} before the header row: expected a row naming the columns, "
             "such as {expected} (header words of layout {layout}: {words})").format(
        text=problem_text(grid.text[i]), expected=expected, layout=layout.name,
        words=words)


def place_text_lines(grid, kinds, layout: Layout, start: int, notes: Notes):
    """The table rows, and the text lines joined to a row ({line position: row position}).

    Text after the structure starts is a heading's title (the line after a
    heading without one), a page number, an ignored or repeated running
    header, a line that starts like a record but does not match it (these
    four skipped with a warning), or a wrapped line joined to the row above.
    """
    ignore = [user_regex(p, "ignore") for p in layout.ignore]
    texts = kinds.index[(kinds["kind"] == "text") & (kinds.index >= start)]
    repeated: set[str] = set()
    if layout.repeated_lines == "ignore":
        stems = pd.Series([re.sub(r"[0-9０-９\s]", "", grid.text[i]) for i in texts],
                          dtype=object)
        repeated = set(stems[stems.duplicated(keep=False) & (stems != "")])
    kind = kinds["kind"].tolist()
    title_lines = {}  # a text line that is the title of the heading above it
    def passed_over(j: int) -> bool:  # between a heading and its title: a page break
        text = " ".join(grid.text[j].split())
        return kind[j] in ("blank", "skipped") or (kind[j] == "text" and (
            bool(PAGE_NUMBER.fullmatch(text)) or any(p.search(text) for p in ignore)))

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
            continue
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
    names = _(" or ").join(lv.name("N") for lv in layout.levels if lv.heading)
    if layout.name != generic.name and re.match(rf"\s*(?:{words}){NUMBER_PATTERN}", line):
        return _("{reason}; {advice}").format(
            reason=_("{text} is not a heading of layout {layout} (expected {names})").format(
                text=problem_text(line), layout=layout.name, names=names),
            advice=advice(layout))
    headings = _(" or ").join(lv.label for lv in layout.levels if lv.heading) or _("a")
    fields = _(", ").join(layout.word(r) for r in layout.column_order)
    where = _("free text is allowed only before the first {level}, or joined to the row above "
              "with wrapped_lines").format(level=layout.levels[0].label)
    if layout.wrapped_lines != "error" and after_heading:
        where = _("a text line is joined to the row above it, and there is none here")
    return _("{reason}; {advice}").format(
        reason=_("{text} is not a {headings} heading, a header row or a row of {n} "
                 "tab-separated fields ({fields}) ({where})").format(
            text=problem_text(line), headings=headings, n=len(layout.column_order),
            fields=fields, where=where),
        advice=advice(layout))


def no_rows_reason(layout: Layout) -> str:
    first = layout.levels[0].label
    header = "、".join(layout.columns["measure"][:3])
    return _("{reason}; {advice}").format(
        reason=_("no measure rows found (no table row after a {level} heading or a header row "
                 "such as {header} of layout {layout})").format(
            level=first, header=header, layout=layout.name),
        advice=advice(layout))


def warn_unused_patterns(grid, kinds, layout: Layout, notes: Notes) -> None:
    """A skip or ignore pattern that matches no line is warned about (a typo, or another
    edition's page header)."""
    for key in ("skip", "ignore"):
        for pattern in getattr(layout, key):
            regex = user_regex(pattern, key)
            if not any(regex.search(t) for t in grid.text):
                notes.warnings.append((None, _("layout {layout}: the {key} pattern {pattern!r} "
                                            "matches no line").format(
                    layout=layout.name, key=key, pattern=pattern)))

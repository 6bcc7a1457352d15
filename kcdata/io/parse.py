"""Grid + layout -> the listing table: one tidy row per listing.

A document is read as its :class:`~kcdata.io.layout.Layout` says, in steps a
reader can follow:

1. **Classify** each line (:mod:`kcdata.io.classify`): blank, skipped, a
   heading of level k, a header row, a table row, or text.
2. **Text lines** find their place: front matter before the structure starts
   (its first line is the title), a heading's title on the next line, page
   numbers and running headers (skipped with a warning), a line that starts
   like a record but does not match it (skipped with a warning), or a line
   joined to the row above (``wrapped_lines``).
3. **Rows** get their cells by role from the last header row above (a table
   before any header row has ``column_order``); blank cells of the columns
   declared ``same_as_above`` take the value above.
4. **Continuation rows** (an empty 事業名 under ``continuation`` or in a merged
   cell) are folded into their listing: departments added, text joined, and
   the values of other columns kept per department.
5. **Sections**: each listing's number and title at every level, from its own
   hierarchy cells or from the headings above it.
6. **The rules** are checked all at once; each broken rule is a
   ``(position, reason)`` pair, and the first in the document is the
   :class:`ParseError`. Every line skipped or read in a special way is a
   :class:`PlanWarning` naming its line.

Every line is accounted for: read, skipped with a warning, or refused.
:func:`trace_lines` shows what became of each line (``kcdata check --lines``).
"""

from __future__ import annotations

import os
import re
import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from kcdata.io.assemble import COLUMNS, LEVEL_COLUMNS, Listings, build_table
from kcdata.io.classify import advice, classify, problem_text
from kcdata.io.errors import ParseError, PlanWarning
from kcdata.io.grid import WHITE, GridLines, Notes, decode_document, make_grid, text_lines
from kcdata.io.layout import BUILTIN_LAYOUTS, NUMBER_PATTERN, Layout, user_regex
from kcdata.io.layout_file import get_layout
from kcdata.io.sections import attach_sections
from kcdata.limits import MAX_LINES, MAX_LISTINGS
from kcdata.messages import translate as _
from kcdata.text import clean_text

__all__ = [
    "COLUMNS",
    "HEADER",
    "LEVEL_COLUMNS",
    "RELISTED_MARK",
    "ParseError",
    "PlanWarning",
    "decode_document",
    "parse_bytes",
    "parse_lines",
    "parse_measures",
    "trace_lines",
]

#: The header row of the default layout's tables.
HEADER = ("事業名", "事業概要", "所管する課")
#: The mark before a re-listed measure's name (the default layout's first mark).
RELISTED_MARK = "【再掲】"
_PAGE_NUMBER = re.compile(
    r"\s*(?:[-－‐―ー—–~〜(（]\s*)?(?:P\.?|p\.?)?\s*[0-9０-９]{1,4}\s*(?:[-－‐―ー—–~〜)）])?\s*"
    r"|\s*[0-9０-９]{1,4}\s*[/／]\s*[0-9０-９]{1,4}\s*"
)
_RECORD_LIKE = re.compile(r"\s*(?:No\.?\s*[0-9０-９]|Ｎｏ|[○●◎・◆■□◇▶▷►])")

LayoutArg = str | os.PathLike[str] | Layout | None


# ---------------------------------------------------------------------------
# Entry points


def parse_bytes(data: bytes, *, layout: LayoutArg = None,
                encoding: str | None = None) -> pd.DataFrame:
    """Decode a document's bytes (see :func:`decode_document`) and parse them."""
    return parse_lines(text_lines(decode_document(data, encoding=encoding)), layout=layout)


def parse_measures(text: str, layout: LayoutArg = None) -> pd.DataFrame:
    """Parse a measures document given as a string into the listing table.

    One row per listing (a row of a table, 【再掲】 included), in document order:

    ============  =====  ==================================================
    column        dtype  meaning
    ============  =====  ==================================================
    policy_no     int64  number of the outermost level (基本方針)
    policy        str    its title
    direction_no  int64  number of the second level (施策の方向性); 0 in a
                         one-level plan
    direction     str    its title ("" in a one-level plan)
    measure       str    事業名, without the re-listing mark or a bullet
    summary       str    事業概要 (may be empty)
    departments   object 所管する課 as a tuple of names (co-managed: 2 or
                         more; a plan without departments: all empty)
    relisted      bool   the name carried a re-listing mark (【再掲】 …)
    line          int64  1-based line of the listing in the source
    ============  =====  ==================================================

    Columns a document adds when it has them: ``level3_no``, ``level3``,
    ``level4_no``, ``level4`` (deeper levels), ``code``, one column per other
    header or record group (named after it; a tuple per listing, one value per
    department, when continuation rows give each department its own value),
    ``department_notes`` (placeholders such as 関係各課, not counted as
    departments), ``sheet``. ``df.attrs`` holds the ``layout`` used, the
    ``levels`` (labels, outermost first), the column ``words`` and the ``title``.

    Text is cleaned of extraction artefacts (see :mod:`kcdata.text`).

    >>> doc = "基本方針1 方針\\n施策の方向性(1) 方向\\n" "A 事業\\t概要\\t甲課 乙課\\n"
    >>> parse_measures(doc).loc[0, ["measure", "departments"]].tolist()
    ['A事業', ('甲課', '乙課')]
    """
    return parse_lines(text_lines(text), layout=layout)


def parse_lines(
    lines: Sequence[str],
    *,
    layout: LayoutArg = None,
    numbers: Sequence[int] | None = None,
    merged_above: Sequence[frozenset[int]] | None = None,
    sheet: str | None = None,
) -> pd.DataFrame:
    """The engine: parse a document given as lines (cells joined by tabs).

    ``layout`` is a built-in name (``"kanazawa"``, ``"generic"``), a layout
    file's path, a :class:`~kcdata.io.layout.Layout`, or ``None``: the first
    built-in layout that accounts for every line (one without warnings
    preferred), recorded in ``df.attrs["layout"]``; when none does, the error
    is that of the layout that read furthest, named in the message.
    ``numbers`` are the line numbers reported (default 1, 2, …);
    ``merged_above[i]`` the columns of line ``i`` merged with the row above
    (a spreadsheet's merged cells); ``sheet`` is named in errors and warnings
    and kept in a ``sheet`` column.

    Raises :class:`ParseError` for the first line that breaks the layout;
    warns :class:`PlanWarning` for each line skipped or joined. A document of
    more than :data:`kcdata.limits.MAX_LINES` lines is refused before it is
    read, one of more than :data:`kcdata.limits.MAX_LISTINGS` listings at the
    first listing past the limit (the scale envelope).
    """
    reading = _reading(lines, layout, numbers, merged_above, sheet)
    if reading.error is not None:
        raise reading.error
    for line, message in reading.warnings:
        warnings.warn(PlanWarning(message, line, sheet), stacklevel=2)
    return reading.table


def trace_lines(
    lines: Sequence[str],
    *,
    layout: LayoutArg = None,
    numbers: Sequence[int] | None = None,
    merged_above: Sequence[frozenset[int]] | None = None,
    sheet: str | None = None,
) -> pd.DataFrame:
    """What the reader saw on every line: ``line``, ``kind``, ``read_as`` (a sentence).

    The same reading as :func:`parse_lines`, without raising: the line that
    breaks the layout says so in ``read_as`` (``kind`` ``error``). For an
    analyst writing a layout (``kcdata check --lines``).
    """
    reading = _reading(lines, layout, numbers, merged_above, sheet)
    trace = reading.trace.copy()
    for line, message in reading.warnings:
        at = trace.index[trace["line"] == line]
        if len(at) and not trace.at[at[0], "warned"]:
            trace.at[at[0], "read_as"] += _(" (warning: {message})").format(message=message)
    if reading.error is not None and reading.error.line is not None:
        at = trace.index[trace["line"] == reading.error.line]
        trace.loc[at[:1], ["kind", "read_as"]] = ["error", reading.error.reason]
    return trace.drop(columns="warned")


# ---------------------------------------------------------------------------
# One reading


@dataclass
class _Reading:
    table: pd.DataFrame | None
    warnings: list[tuple[int, str]]
    trace: pd.DataFrame
    error: ParseError | None = None
    reached: int = -1  # the furthest line read without a problem (choosing a layout)
    layout: str = ""


def _reading(lines, layout, numbers, merged_above, sheet) -> _Reading:
    if len(lines) > MAX_LINES:
        raise ParseError(_("the document has {lines:,} lines: kcdata reads at most {max:,} "
                           "(plans of at most {listings:,} listings)").format(
            lines=len(lines), max=MAX_LINES, listings=MAX_LISTINGS))
    grid = make_grid(lines, numbers, merged_above)
    if layout is not None:
        return _read(grid, get_layout(layout), sheet, chosen=True)
    readings = []
    for candidate in BUILTIN_LAYOUTS.values():
        readings.append(_read(grid, candidate, sheet))
        if readings[-1].error is None and not readings[-1].warnings:
            return readings[-1]  # the first that reads every line without a warning
    good = [r for r in readings if r.error is None]
    if good:
        return min(good, key=lambda r: len(r.warnings))
    furthest = max(readings, key=lambda r: r.reached)
    name = furthest.layout
    error = furthest.error
    reason = error.reason.replace(advice(BUILTIN_LAYOUTS["kanazawa"]),
                                  advice(BUILTIN_LAYOUTS["generic"]))  # both were tried
    error = ParseError(_("{reason} (layout {layout}, the built-in layout that read "
                         "furthest)").format(reason=reason, layout=name),
                       error.line, error.sheet)
    return _Reading(None, furthest.warnings, furthest.trace, error, furthest.reached, name)


def _read(frame: pd.DataFrame, layout: Layout, sheet: str | None, *,
          chosen: bool = False) -> _Reading:
    """Read the grid with one layout (see the module docstring)."""
    if layout.record is not None:  # record lines become rows of tab-separated cells
        texts = [layout.as_cells(t) or t for t in frame["text"]]
        frame = make_grid(texts, frame["line"].tolist(), frame["merged"].tolist())
    grid = GridLines.of(frame)
    notes = Notes(grid)
    kinds, layout, problems = classify(grid, layout)
    notes.problems.extend(problems)
    for i in kinds.index[kinds["kind"] == "skipped"]:
        notes.warn(i, _("{text} skipped (layout {layout}: skip)").format(
            text=problem_text(grid.text[i]), layout=layout.name))
    start = _structure_start(kinds)
    title = _front_matter(grid, kinds, layout, start, notes)
    rows, attached = _text_lines(grid, kinds, layout, start, notes)
    _unused_patterns(grid, kinds, layout, notes)

    listings = Listings.from_rows(grid, kinds, layout, rows, attached, notes)
    sections = attach_sections(grid, kinds, layout, listings, notes)
    table = None
    if not rows:
        notes.problems.append((-1, _no_rows_reason(layout, chosen)))
    else:
        table = build_table(listings, sections, layout, notes, sheet, title)
    trace = _trace(grid, kinds, layout, notes)
    error = None
    if notes.problems:
        i, reason = min(notes.problems, key=lambda p: (p[0] < 0, p[0]))
        error = ParseError(reason, None if i < 0 else int(grid.line[i]), sheet)
        reached = i if i >= 0 else len(grid)
        table = None
    else:
        reached = len(grid) + 1
        if len(table) > MAX_LISTINGS:
            error = ParseError(
                _("more than {max:,} listings: kcdata reads plans of at most {max:,} "
                  "listings").format(max=MAX_LISTINGS),
                int(table["line"].iloc[MAX_LISTINGS]), sheet)
    found = sorted(notes.warnings, key=lambda w: (w[0] or 0, w[1]))
    return _Reading(table, found, trace, error, reached, layout.name)


def _structure_start(kinds: pd.DataFrame) -> int:
    """Where the structure starts: the first outermost heading, else the first header row."""
    top = kinds.index[(kinds["kind"] == "heading") & (kinds["level"] == 0)]
    if len(top):
        return int(top[0])
    headers = kinds.index[kinds["kind"] == "header"]
    return int(headers[0]) if len(headers) else len(kinds)


def _front_matter(grid, kinds, layout: Layout, start: int, notes: Notes) -> str | None:
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


def _text_lines(grid, kinds, layout: Layout, start: int, notes: Notes):
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
            bool(_PAGE_NUMBER.fullmatch(text)) or any(p.search(text) for p in ignore)))

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
        elif _PAGE_NUMBER.fullmatch(" ".join(line.split())):
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


def _no_rows_reason(layout: Layout, chosen: bool) -> str:
    first = layout.levels[0].label
    header = "、".join(layout.columns["measure"][:3])
    return _("{reason}; {advice}").format(
        reason=_("no measure rows found (no table row after a {level} heading or a header row "
                 "such as {header} of layout {layout})").format(
            level=first, header=header, layout=layout.name),
        advice=advice(layout))


def _unused_patterns(grid, kinds, layout: Layout, notes: Notes) -> None:
    """A skip or ignore pattern that matches no line is warned about (a typo, or another
    edition's page header)."""
    for key in ("skip", "ignore"):
        for pattern in getattr(layout, key):
            regex = user_regex(pattern, key)
            if not any(regex.search(t) for t in grid.text):
                notes.warnings.append((None, _("layout {layout}: the {key} pattern {pattern!r} "
                                            "matches no line").format(
                    layout=layout.name, key=key, pattern=pattern)))


def _trace(grid, kinds, layout: Layout, notes: Notes) -> pd.DataFrame:
    """One sentence per line: what the reading made of it."""
    labels = [level.label for level in layout.levels]
    read_as = []
    skipped: set[int] = set()  # lines read as their warning says (skipped)
    warned = {}
    for line, message in notes.warnings:
        warned.setdefault(line, message)
    kind, level, no, title, columns = (kinds[c].tolist() for c in
                                       ("kind", "level", "no", "title", "columns"))
    for i in range(len(grid)):
        line = int(grid.line[i])
        if i in notes.fates:
            text = notes.fates[i]
        elif kind[i] == "heading":
            k = int(level[i])
            number = "" if pd.isna(no[i]) else f" {no[i]}"
            text = _("level {k} ({label}){number}: {title}").format(
                k=k + 1, label=labels[k], number=number, title=title[i])
        elif kind[i] == "header":
            text = _("columns {columns}").format(columns=" | ".join(
                f"{c.name}={c.role if c.role != 'level' else f'level {c.level + 1}'}"
                for c in columns[i]))
        elif line in warned:
            text = _("skipped: {message}").format(message=warned[line])
            skipped.add(i)
        elif kind[i] == "blank":
            text = _("blank")
        else:
            text = {"row": _("table row {text}"), "text": _("text {text}"),
                    "skipped": _("skipped {text}")}[kind[i]].format(
                text=problem_text(grid.text[i]))
        read_as.append(text)
    return pd.DataFrame({"line": grid.line, "kind": kinds["kind"], "read_as": read_as,
                         "warned": [i in skipped for i in range(len(grid))]})

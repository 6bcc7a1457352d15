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
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, replace

import pandas as pd

from kcdata.io.assemble import COLUMNS, LEVEL_COLUMNS, Listings, build_table
from kcdata.io.classify import advice, classify, problem_text
from kcdata.io.errors import ParseError, PlanWarning
from kcdata.io.grid import GridLines, Notes, decode_document, make_grid, text_lines
from kcdata.io.layout import BUILTIN_LAYOUTS, Layout
from kcdata.io.layout_file import get_layout
from kcdata.io.sections import attach_sections
from kcdata.io.textlines import (
    front_matter,
    no_rows_reason,
    place_text_lines,
    structure_start,
    warn_unused_patterns,
)
from kcdata.limits import MAX_LINES, MAX_LISTINGS
from kcdata.messages import translate as _

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
    trace = _trace(reading.grid, reading.kinds, reading.layout, reading.notes)
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
    """One reading's result, and what :func:`trace_lines` needs to describe it."""

    table: pd.DataFrame | None
    warnings: list[tuple[int, str]]
    error: ParseError | None
    reached: int  # the furthest line read without a problem (choosing a layout)
    layout: Layout  # the layout used (for a layout of heading words: the levels found)
    grid: GridLines
    kinds: pd.DataFrame
    notes: Notes


def _reading(lines, layout, numbers, merged_above, sheet) -> _Reading:
    if len(lines) > MAX_LINES:
        raise ParseError(_("the document has {lines:,} lines: kcdata reads at most {max:,} "
                           "(plans of at most {listings:,} listings)").format(
            lines=len(lines), max=MAX_LINES, listings=MAX_LISTINGS))
    grid = make_grid(lines, numbers, merged_above)
    if layout is not None:
        return _read(grid, get_layout(layout), sheet)
    readings = []
    for candidate in BUILTIN_LAYOUTS.values():
        readings.append(_read(grid, candidate, sheet))
        if readings[-1].error is None and not readings[-1].warnings:
            return readings[-1]  # the first that reads every line without a warning
    good = [r for r in readings if r.error is None]
    if good:
        return min(good, key=lambda r: len(r.warnings))
    furthest = max(readings, key=lambda r: r.reached)
    name = furthest.layout.name
    error = furthest.error
    reason = error.reason.replace(advice(BUILTIN_LAYOUTS["kanazawa"]),
                                  advice(BUILTIN_LAYOUTS["generic"]))  # both were tried
    error = ParseError(_("{reason} (layout {layout}, the built-in layout that read "
                         "furthest)").format(reason=reason, layout=name),
                       error.line, error.sheet)
    return replace(furthest, error=error)


def _read(frame: pd.DataFrame, layout: Layout, sheet: str | None) -> _Reading:
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
    start = structure_start(kinds)
    title = front_matter(grid, kinds, layout, start, notes)
    rows, attached = place_text_lines(grid, kinds, layout, start, notes)
    warn_unused_patterns(grid, kinds, layout, notes)

    listings = Listings.from_rows(grid, kinds, layout, rows, attached, notes)
    sections = attach_sections(grid, kinds, layout, listings, notes)
    table = None
    if not rows:
        notes.problems.append((-1, no_rows_reason(layout)))
    else:
        table = build_table(listings, sections, layout, notes, sheet, title)
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
    return _Reading(table, found, error, reached, layout, grid, kinds, notes)


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

"""Grid + layout -> the listing table (one tidy row per listing), in steps a reader can follow.

1-2. :mod:`kcdata.io.classify`: each line's kind; text lines placed (front matter and
     title, headings' titles, page numbers and running headers skipped with a warning,
     wrapped lines joined to the row above).
3-5. :mod:`kcdata.io.assemble`: rows -> listings (cells by role, ``same_as_above``,
     continuation rows folded in), each listing's section at every level, the table.
6.   The rules are checked all at once: each broken rule is a ``(position, reason)``
     pair and the first in the document is the :class:`ParseError`.

Every line is accounted for: read, skipped with a :class:`PlanWarning` naming it, or
refused. :func:`trace_lines` shows what became of each (``kcdata check --lines``).
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, replace

import pandas as pd

from kcdata.io.assemble import COLUMNS, LEVEL_COLUMNS, attach_sections, build_table, read_rows
from kcdata.io.classify import advice, classify, no_rows_reason, place_lines, problem_text
from kcdata.io.errors import ParseError, PlanWarning
from kcdata.io.grid import GridLines, Notes, decode_document, make_grid, text_lines
from kcdata.io.layout import BUILTIN_LAYOUTS, Layout
from kcdata.io.layout_file import get_layout
from kcdata.limits import MAX_LINES, MAX_LISTINGS
from kcdata.messages import translate as _

__all__ = ["COLUMNS", "HEADER", "LEVEL_COLUMNS", "RELISTED_MARK", "ParseError", "PlanWarning",
           "Reading", "decode_document", "parse_bytes", "parse_lines", "parse_measures",
           "read_lines", "trace_lines"]

#: The header row of the default layout's tables.
HEADER = ("事業名", "事業概要", "所管する課")
#: The mark before a re-listed measure's name (the default layout's first mark).
RELISTED_MARK = "【再掲】"
LayoutArg = str | os.PathLike[str] | Layout | None


def parse_bytes(data: bytes, *, layout: LayoutArg = None,
                encoding: str | None = None) -> pd.DataFrame:
    """Decode a document's bytes (see :func:`decode_document`) and parse them."""
    return parse_lines(text_lines(decode_document(data, encoding=encoding)), layout=layout)


def parse_measures(text: str, layout: LayoutArg = None) -> pd.DataFrame:
    """Parse a measures document given as a string into the listing table.

    One row per listing (a table row, 【再掲】 included), in document order:
    ``policy_no``/``policy`` and ``direction_no``/``direction`` (the two outer levels'
    numbers and titles; 0 and "" in a one-level plan), ``measure`` (事業名 without the
    mark or a bullet), ``summary``, ``departments`` (a tuple of names; co-managed: 2 or
    more), ``relisted`` (the name carried a re-listing mark) and ``line`` (1-based).
    A document may add ``level3_no``, ``level3``, ``level4_no``, ``level4``, ``code``,
    one column per other header or record group (a tuple per listing when each
    department has its own value), ``department_notes`` (placeholders such as 関係各課,
    not counted) and ``sheet``. ``df.attrs`` holds the ``layout``, ``levels``, column
    ``words`` and ``title``. Text is cleaned (see :mod:`kcdata.text`).

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
    """Parse a document given as lines (cells joined by tabs).

    ``layout`` is a built-in name, a layout file's path, a :class:`Layout`, or ``None``:
    the first built-in layout that reads every line (one without warnings preferred);
    when none does, the error of the one that read furthest. ``numbers`` are the line
    numbers reported (default 1, 2, …), ``merged_above[i]`` the columns of line ``i``
    merged with the row above, ``sheet`` named in messages and kept in a column.

    Raises :class:`ParseError` for the first line that breaks the layout, and for more
    than :data:`~kcdata.limits.MAX_LINES` lines or
    :data:`~kcdata.limits.MAX_LISTINGS` listings; warns :class:`PlanWarning` for each
    line skipped or joined.
    """
    reading = read_lines(lines, layout, numbers, merged_above, sheet)
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

    The reading of :func:`parse_lines`, without raising: the line that breaks the
    layout says so (``kind`` ``error``).
    """
    reading = read_lines(lines, layout, numbers, merged_above, sheet)
    trace = _trace(reading)
    if reading.error is not None and reading.error.line is not None:
        at = trace.index[trace["line"] == reading.error.line]
        trace.loc[at[:1], ["kind", "read_as"]] = ["error", reading.error.reason]
    return trace


@dataclass
class Reading:
    """What reading a document with one layout gave (:func:`read_lines`)."""

    table: pd.DataFrame | None
    warnings: list[tuple[int, str]]
    error: ParseError | None
    reached: int  # the furthest line read without a problem (choosing a layout)
    layout: Layout  # the layout used (for a layout of heading words: the levels found)
    kinds: pd.DataFrame
    notes: Notes


def read_lines(lines: Sequence[str], layout: LayoutArg, numbers: Sequence[int] | None,
               merged_above: Sequence[frozenset[int]] | None, sheet: str | None) -> Reading:
    """The reading of :func:`parse_lines` (too many lines still raise), its error and its
    warnings (``(line, message)`` pairs) kept instead of raised and warned."""
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
            return readings[-1]
    good = [r for r in readings if r.error is None]
    if good:
        return min(good, key=lambda r: len(r.warnings))
    furthest = max(readings, key=lambda r: r.reached)
    reason = furthest.error.reason.replace(advice(BUILTIN_LAYOUTS["kanazawa"]),
                                           advice(BUILTIN_LAYOUTS["generic"]))  # both tried
    error = ParseError(_("{reason} (layout {layout}, the built-in layout that read "
                         "furthest)").format(reason=reason, layout=furthest.layout.name),
                       furthest.error.line, furthest.error.sheet)
    return replace(furthest, error=error)


def _read(grid: GridLines, layout: Layout, sheet: str | None) -> Reading:
    """Read the grid with one layout (the steps of the module docstring)."""
    if layout.record is not None:  # record lines become rows of tab-separated cells
        texts = [layout.as_cells(t) or t for t in grid.text]
        grid = make_grid(texts, grid.line, grid.merged)
    notes = Notes(grid)
    kinds, layout, problems = classify(grid, layout)
    notes.problems.extend(problems)
    title, rows, attached = place_lines(grid, kinds, layout, notes)
    listings = read_rows(grid, kinds, layout, rows, attached, notes)
    sections = attach_sections(grid, kinds, layout, listings, notes)
    if not rows:
        notes.problems.append((-1, no_rows_reason(layout)))
    table = build_table(listings, sections, layout, notes, sheet, title) if rows else None
    error = None
    reached = len(grid) + 1
    if notes.problems:
        i, reason = min(notes.problems, key=lambda p: (p[0] < 0, p[0]))
        error = ParseError(reason, None if i < 0 else int(grid.line[i]), sheet)
        reached = i if i >= 0 else len(grid)
        table = None
    elif len(table) > MAX_LISTINGS:
        error = ParseError(_("more than {max:,} listings: kcdata reads plans of at most "
                             "{max:,} listings").format(max=MAX_LISTINGS),
                           int(table["line"].iloc[MAX_LISTINGS]), sheet)
    found = sorted(notes.warnings, key=lambda w: (w[0] or 0, w[1]))
    return Reading(table, found, error, reached, layout, kinds, notes)


def _trace(reading: Reading) -> pd.DataFrame:
    """One sentence per line: what the reading made of it. A line's warnings are added
    to the first row of its number, unless the line was skipped by its first warning."""
    grid, kinds, notes = reading.notes.grid, reading.kinds, reading.notes
    labels = [level.label for level in reading.layout.levels]
    first_warning = dict(reversed(notes.warnings))  # reversed: a line's first warning wins
    by_line: dict[int, list[str]] = {}
    for line, message in reading.warnings:
        by_line.setdefault(line, []).append(message)
    first_row: dict[int, int] = {}
    read_as = []
    for i, row in enumerate(kinds.itertuples()):
        line = int(grid.line[i])
        skipped = False
        if i in notes.fates:
            text = notes.fates[i]
        elif row.kind == "heading":
            number = "" if pd.isna(row.no) else f" {row.no}"
            text = _("level {k} ({label}){number}: {title}").format(
                k=row.level + 1, label=labels[row.level], number=number, title=row.title)
        elif row.kind == "header":
            text = _("columns {columns}").format(columns=" | ".join(
                f"{c.name}={c.role if c.role != 'level' else f'level {c.level + 1}'}"
                for c in row.columns))
        elif line in first_warning:
            text = _("skipped: {message}").format(message=first_warning[line])
            skipped = True
        elif row.kind == "blank":
            text = _("blank")
        else:
            text = {"row": _("table row {text}"), "text": _("text {text}"),
                    "skipped": _("skipped {text}")}[row.kind].format(
                text=problem_text(grid.text[i]))
        if first_row.setdefault(line, i) == i and not skipped:
            for message in by_line.get(line, []):
                text += _(" (warning: {message})").format(message=message)
        read_as.append(text)
    return pd.DataFrame({"line": grid.line, "kind": kinds["kind"], "read_as": read_as})

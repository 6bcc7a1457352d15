"""from_frame: a table an analyst cleaned in pandas or Excel -> the listing table."""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable, Hashable, Sequence

import numpy as np
import pandas as pd

from kcdata.io.departments import split_departments
from kcdata.io.errors import ParseError, PlanWarning
from kcdata.io.layout import BUILTIN_LAYOUTS, Layout, Level, split_relisted, strip_bullet
from kcdata.io.layout_file import get_layout
from kcdata.io.patterns import NUMBER_PATTERN, heading_number
from kcdata.limits import MAX_LISTINGS
from kcdata.messages import translate as _
from kcdata.schema import COLUMNS, LEVEL_COLUMNS
from kcdata.text import clean_text

__all__ = ["from_frame"]


def from_frame(
    frame: pd.DataFrame, *, measure: Hashable, departments: Hashable | None = None,
    summary: Hashable | None = None, levels: Sequence[Hashable | tuple[Hashable, Hashable]] = (),
    code: Hashable | None = None, layout: str | Layout | None = None, title: str | None = None,
) -> pd.DataFrame:
    """The listing table :func:`kcdata.read_measures` gives, from a frame of listings.

    The arguments name columns. ``measure``: 事業名, a re-listing mark removed (sets
    ``relisted``). ``departments``: split as a document's cell (a list holds names
    apart); placeholders (関係各課 …) go to ``department_notes`` with a warning, never
    counted; ``None``: no departments. ``levels``: outermost first, at most 4, columns
    of 「title」, 「1 title」, 「基本方針1 title」 or 「(1) title」, or ``(number, title)``
    column pairs; a blank cell is the one above, within the section above; titles
    without numbers are numbered in order of first appearance. ``code`` and every
    other column are kept. ``line`` is the row's position + 2 (its Excel row).
    ``layout=None`` reads as ``generic``. A missing cell is "". :class:`ParseError`
    names the first bad row's ``line`` and column; ``frame`` is never modified.

    >>> frame = pd.DataFrame({"基本方針": ["1 絆づくり", None, "2 担い手"],
    ...                       "事業名": ["A事業", "【再掲】B事業", "C事業"],
    ...                       "担当課": ["甲課、乙課", "甲課", "丙課"]})
    >>> df = from_frame(frame, measure="事業名", departments="担当課", levels=["基本方針"])
    >>> df[["policy_no", "policy", "measure", "departments", "relisted", "line"]].values.tolist()
    [[1, '絆づくり', 'A事業', ('甲課', '乙課'), False, 2], [1, '絆づくり', 'B事業', ('甲課',), True, 3], [2, '担い手', 'C事業', ('丙課',), False, 4]]
    """  # noqa: E501
    found = get_layout(layout if layout is not None else "generic")
    specs = [(c[0], c[1]) if isinstance(c, tuple | list) and len(c) == 2 else (None, c)
             for c in ([levels] if isinstance(levels, str) else levels)]
    roles = {"measure": measure, "summary": summary, "departments": departments, "code": code}
    named = [(f"{r}=", c) for r, c in roles.items() if c is not None]
    named += [(f"levels[{k}]", c) for k, spec in enumerate(specs) for c in spec if c is not None]
    extras = [c for c in frame.columns if c not in {c for _, c in named}]
    _check_names(frame, named, extras, len(specs))
    n, problems, out, labels, level_names = len(frame), [], {}, [], []
    blank = _text(pd.Series([""] * n))
    parent = np.zeros(n, dtype=np.int64)  # each row's section of the level above, as a code
    for k, (no_column, title_column) in enumerate(specs or [(None, None)]):
        own = found.levels[k] if k < len(found.levels) else Level(str(title_column or "基本方針"))
        labels.append(own.label)
        level_names.append(own.number_format)
        no, titles = (np.ones(n, dtype=np.int64), blank) if title_column is None else _level(
            frame, no_column, title_column, labels[-1], parent, problems)
        parent = pd.Series(no).groupby([parent, no], sort=False).ngroup().to_numpy(np.int64)
        out[LEVEL_COLUMNS[k][0]], out[LEVEL_COLUMNS[k][1]] = no, titles
    if len(labels) == 1:  # a one-level plan
        out["direction_no"], out["direction"] = np.zeros(n, dtype=np.int64), blank
    names = _text(frame[measure])
    split = [split_relisted(strip_bullet(name), found.relisted_marks) for name in names]
    out["measure"] = _text(pd.Series([name for name, _ in split]))
    _first(problems, out["measure"] == "", lambda i: _("empty {column} cell 「{cell}」").format(
        column=measure, cell=names[i]))
    out["summary"] = _text(frame[summary]) if summary is not None else blank
    out["departments"], notes = _departments(frame, departments, found, problems)
    out["relisted"] = np.array([had for _, had in split], dtype=bool)
    out["line"] = np.arange(2, n + 2, dtype=np.int64)
    if code is not None:
        out["code"] = _text(frame[code])
    for column in extras:  # text cleaned; numbers, dates and times as they are
        values = frame[column].reset_index(drop=True)
        out[column] = values if values.dtype.kind in "biufmM" else _text(values)
    if notes.astype(bool).any():
        out["department_notes"] = notes
    if problems:
        raise ParseError(min(problems)[1], min(problems)[0] + 2)
    for i in np.flatnonzero(notes.astype(bool)):
        warnings.warn(PlanWarning(_("{notes} is not a department: kept in department_notes, "
                                    "not counted").format(notes="、".join(notes[i])),
                                  int(i) + 2), stacklevel=2)
    order = [c for pair in LEVEL_COLUMNS for c in pair if c in out] + COLUMNS[4:]
    table = pd.DataFrame({c: out[c] for c in [*order, *(c for c in out if c not in order)]})
    words = {"summary": "事業概要"} | {role: str(c) for role, c in roles.items() if c is not None}
    title = found.title if title is None and found not in BUILTIN_LAYOUTS.values() else title
    table.attrs.update(layout=found.name, levels=labels, level_names=level_names,
                       words=words, title=title)
    return table


def _check_names(frame: pd.DataFrame, named: list, extras: list, n_levels: int) -> None:
    """Refuse a call that the frame's columns and size cannot answer, before any work."""
    if n_levels > len(LEVEL_COLUMNS):
        raise ParseError(_("levels names {n} levels: at most {max}").format(
            n=n_levels, max=len(LEVEL_COLUMNS)))
    for what, column in named:
        if column not in frame.columns:
            raise ParseError(_("{what} names {column!r}, which is not a column of the frame "
                               "(its columns: {columns})").format(
                what=what, column=column, columns=", ".join(map(str, frame.columns))))
    own = {*COLUMNS, *(c for pair in LEVEL_COLUMNS for c in pair), "code", "department_notes"}
    clash = [c for c in extras if c in own] + frame.columns[frame.columns.duplicated()].tolist()
    if clash:
        raise ParseError(_("rename the frame's column {column!r}: it is there twice, or has "
                           "the name of one of the listing table's own columns").format(
            column=clash[0]))
    if not 0 < len(frame) <= MAX_LISTINGS:
        raise ParseError(_("the frame has {rows:,} rows: kcdata reads 1 to {max:,} listings")
                         .format(rows=len(frame), max=MAX_LISTINGS),
                         MAX_LISTINGS + 2 if len(frame) else None)


def _level(frame: pd.DataFrame, no_column: Hashable | None, title_column: Hashable, label: str,
           parent: np.ndarray, problems: list[tuple[int, str]]) -> tuple[np.ndarray, pd.Series]:
    """One level's section numbers and titles (see :func:`from_frame`)."""
    cells = _text(frame[title_column], clean=False)  # numbers are read before spaces are cleaned
    if no_column is not None:  # a pair is read as 「number title」 cells
        numbers = _text(frame[no_column], clean=False)
        cells = (numbers + " " + cells).str.strip()
    run = np.cumsum(np.r_[True, parent[1:] != parent[:-1]])  # rows under one section above
    cells = cells.where(cells != "").groupby(run).ffill().fillna("")
    _first(problems, cells == "", lambda i: _(
        "empty {column} cell, with nothing above it (a blank cell is the one above, in the "
        "section of the level above)").format(column=no_column or title_column))
    words = sorted({label, str(title_column), *BUILTIN_LAYOUTS["generic"].heading_words}, key=len)
    pattern = re.compile(rf"\s*(?P<label>{'|'.join(map(re.escape, words[::-1]))})?"
                         rf"{NUMBER_PATTERN}(?P<title>.*)$", re.DOTALL)
    split = {cell: _number(pattern, cell) for cell in cells.unique()}
    no = pd.Series([split[cell][0] for cell in cells], dtype=object)  # exact: no floats
    titles = _text(pd.Series([split[cell][1] for cell in cells]))
    if no_column is None and no.isna().all():  # titles alone: numbered as they first appear
        no = titles.groupby(parent).transform(lambda t: pd.factorize(t)[0] + 1)
        return no.to_numpy(np.int64), titles
    _first(problems, no.isna() & (cells != ""), lambda i: (
        _("「{cell}」 in {column} is not a section number").format(
            cell=numbers[i], column=no_column) if no_column is not None else
        _("「{cell}」 in {column} has no number, but other cells have one: give all or none a "
          "number, or pass levels=[(number_column, title_column)]").format(
            cell=cells[i], column=title_column)))
    no = no.fillna(0).to_numpy(np.int64)
    own = titles.where(titles != "").groupby([parent, no]).transform("first").fillna("")
    _first(problems, (titles != "") & (titles != own), lambda i: (
        _("{label}{no} is 「{above}」 above and 「{here}」 here ({column}): one number for two "
          "sections").format(label=label, no=no[i], above=own[i], here=titles[i],
                             column=title_column)))
    return no, own.astype("str")


def _number(pattern: re.Pattern[str], cell: str) -> tuple[int | None, str]:
    """A level cell as (number or None, title): 「2030年の目標」 has none (bare digits need a
    space or stop after them), 「基本方針1地域」 has 1 (a level word comes first)."""
    m = pattern.match(cell)
    bare = (m.group("bare") or "") if m else ""
    if m is None or (bare[:1].isdecimal() and not m.group("label")
                     and cell[m.end("bare"):][:1] not in " \t\u3000.．:：、"):
        return None, cell
    try:
        return heading_number(m.group("no") or bare), m.group("title").strip()
    except ValueError:  # more than 18 digits: not a section number
        return None, cell


def _departments(frame: pd.DataFrame, column: Hashable | None, layout: Layout,
                 problems: list[tuple[int, str]]) -> tuple[pd.Series, pd.Series]:
    """Each row's departments and placeholders, as tuples; a cell is split once."""
    if column is None:
        return (pd.Series([()] * len(frame), dtype=object),) * 2
    texts = [" ".join(map(_cell, c)) if isinstance(c, list | tuple | np.ndarray) else _cell(c)
             for c in frame[column].tolist()]  # a list of names is read as names apart
    split = {text: split_departments(text, layout) for text in set(texts)}
    _first(problems, [split[t] == ((), ()) for t in texts],
           lambda i: _("empty {column} cell").format(column=column))
    return tuple(pd.Series([split[t][k] for t in texts], dtype=object) for k in (0, 1))


def _first(problems: list[tuple[int, str]], mask: object, reason: Callable[[int], str]) -> None:
    hits = np.flatnonzero(np.asarray(mask, dtype=bool))
    if len(hits):
        problems.append((int(hits[0]), reason(int(hits[0]))))


def _cell(value: object) -> str:
    """A cell as text: a missing cell (None, NaN, NA) is "", a whole float loses its ".0"."""
    if value is None or value is pd.NA or value != value:  # NaN and NaT are not themselves
        return ""
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


def _text(values: pd.Series, clean: bool = True) -> pd.Series:
    """Cells as ``str`` (RangeIndex), cleaned by the parser's rule (or only trimmed)."""
    cells = [_cell(v).strip() for v in values.tolist()]
    cells = [clean_text(cell) for cell in cells] if clean else cells
    return pd.Series(pd.array(cells, dtype="str"))

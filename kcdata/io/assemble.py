"""Grid + layout, steps 3-5: table rows -> listings, their sections, the listing table.

Counting conventions: a listing is one table row with a 事業名; a continuation
row (an empty 事業名 under ``continuation``, or one merged with the row above)
adds its departments and text to the listing above and is never a listing.
Placeholders (関係各課) go to ``department_notes`` and are never counted.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from kcdata.io.classify import Column, level_cell, problem_text
from kcdata.io.departments import CHILD_SUFFIXES, UNIT_SUFFIXES, split_departments
from kcdata.io.grid import WHITE, Notes
from kcdata.io.layout import ROLES, Layout, key, split_relisted, strip_bullet
from kcdata.messages import translate as _
from kcdata.schema import COLUMNS, LEVEL_COLUMNS
from kcdata.text import clean_text

__all__ = ["COLUMNS", "LEVEL_COLUMNS", "Listings", "attach_sections", "build_table",
           "read_rows"]


@dataclass
class _Listing:
    position: int  # the grid position of the listing's own row
    measure: str
    relisted: bool
    summary: list[str]
    parts: list[tuple[str, dict[str, str], int]]  # (department cell, other values, position)
    code: str
    levels: dict[int, str | None]


@dataclass
class Listings:
    """The listings of one reading, in document order, before sections are attached."""

    items: list[_Listing] = field(default_factory=list)
    others: list[str] = field(default_factory=list)  # other columns, in order of appearance
    words: dict[str, str] = field(default_factory=dict)  # each role's header word as written
    level_columns: set[int] = field(default_factory=set)  # levels some table gives in a column


def read_rows(grid, kinds, layout: Layout, rows: list[int], attached: dict[int, int],
              notes: Notes) -> Listings:
    """The listings of the rows: cells by role from the last header row above, blank
    ``same_as_above`` cells filled, bullets and re-listing marks taken off the name,
    continuation rows and joined text lines folded in. Problems go to ``notes``."""
    out = Listings(words={role: words[0] for role, words in layout.columns.items()})
    items = out.items
    header_at = kinds.index[kinds["kind"] == "header"]
    headers = dict(zip(header_at, kinds["columns"][header_at], strict=True))
    for c in reversed(headers[header_at[0]]) if headers else []:
        if c.role in out.words:  # reversed: a role's first column names it
            out.words[c.role] = c.name
    columns = [Column(name, layout.word(name) if layout.columns.get(name) else name)
               if name in ROLES else Column("other", name)
               for name in layout.record_columns]
    same = {key(w) for w in layout.same_as_above}
    above: dict[str, str] = {}
    owner_of: dict[int, _Listing] = {}
    for i in sorted({*rows, *attached, *headers}):
        if i in headers:
            columns, above = headers[i], {}
            continue
        if i in attached:
            if attached[i] in owner_of:
                _attach(grid, i, owner_of[attached[i]], layout, out.words, notes)
            continue
        cells = _row_cells(grid, i, columns, notes)
        if cells is None:
            continue
        out.level_columns |= {c.level for c in columns if c.role in ("level", "level_no")}
        for c in columns:
            if c.role == "other" and c.name not in out.others:
                out.others.append(c.name)
        name = cells.get("measure", "")
        for c in columns if same and name.strip(WHITE) else ():  # blank: "same as above"
            ident = c.name if c.role == "other" else c.role
            if {key(ident), key(c.name)} & same:
                if cells[ident].strip(WHITE):
                    above[ident] = cells[ident]
                else:
                    cells[ident] = above.get(ident, "")
        merged = any(c.role == "measure" for j, c in enumerate(columns) if j in grid.merged[i])
        name, relisted = split_relisted(strip_bullet(name), layout.relisted_marks)
        if name.strip(WHITE) and items and _wrapped_name(cells, layout, merged):
            items[-1].measure += name
            owner_of[i] = items[-1]
            notes.warn(i, _("{text} joined to the {word} of line {line} (a name "
                            "wrapped onto the next row)").format(
                text=problem_text(name), word=out.words["measure"],
                line=int(grid.line[items[-1].position])))
        elif name.strip(WHITE):
            more = [(cells[k], {}, i) for k in cells if k.startswith("departments+")]
            items.append(_Listing(
                i, name, relisted, [cells.get("summary", "")],
                [(cells.get("departments", ""), _others(cells, columns), i), *more],
                cells.get("code", ""),
                {c.level: cells[f"level:{c.level}"] for c in columns
                 if c.role in ("level", "level_no")}))
            owner_of[i] = items[-1]
            notes.fates[i] = _("listing 「{name}」").format(name=name) + (
                " 【再掲】" if relisted else "")
        elif relisted or not (merged or layout.continuation) or not items:
            notes.refuse(i, _("empty {word} in {text}").format(
                word=out.words["measure"], text=problem_text(grid.text[i])))
        else:
            cells["departments"] = " ".join(  # every department column's names
                v for k, v in cells.items() if k.startswith("departments") and v.strip())
            _continue(grid, i, items[-1], cells, columns, merged, layout, out.words, notes)
            owner_of[i] = items[-1]
            notes.fates[i] = _("continuation of the listing on line {line}").format(
                line=int(grid.line[items[-1].position]))
    return out


def _wrapped_name(cells: dict[str, str], layout: Layout, merged: bool) -> bool:
    """Whether a row holding a 事業名 alone continues the name above (``wrapped_lines`` measure)."""
    return (layout.wrapped_lines == "measure" and layout.has_departments and not merged
            and not any(v.strip(WHITE) for r, v in cells.items()
                        if r != "measure" and not r.startswith("level:")))


def _row_cells(grid, i: int, columns: list[Column], notes: Notes) -> dict[str, str] | None:
    """A row's cells by role (``level:K`` for a hierarchy column, the header for others);
    ``None`` (and a problem) when it has another number of cells than its header."""
    cells = grid.cells[i]
    if len(cells) > len(columns) and not "".join(cells[len(columns):]).strip(WHITE):
        cells = cells[: len(columns)]  # a sheet row's empty cells past the header
    if len(cells) != len(columns):
        names = ", ".join(c.name for c in columns)
        notes.refuse(i, _("expected {n} tab-separated fields ({names}), found {found}: "
                          "{text}").format(n=len(columns), names=names, found=len(cells),
                                           text=problem_text(grid.text[i])))
        return None
    out = {}
    for c, cell in zip(columns, cells, strict=True):
        if c.role in ("level", "level_no"):
            out[f"{c.role}:{c.level}"] = cell
        elif c.role == "departments" and c.level > 0:
            out[f"departments+{c.level}"] = cell
        else:
            out[c.name if c.role == "other" else c.role] = cell
    for k in [k for k in out if k.startswith("level_no:")]:  # 2 | 安心のまち -> 「2 安心のまち」
        number = out.pop(k).strip(WHITE)
        title = out.get("level:" + k[9:], "")
        out["level:" + k[9:]] = f"{number} {title}".strip() if number else title
    return out


def _others(cells: dict[str, str], columns: list[Column]) -> dict[str, str]:
    return {c.name: cells[c.name] for c in columns if c.role == "other"}


def _attach(grid, i: int, item: _Listing, layout: Layout, words, notes: Notes) -> None:
    """A text line joined to the listing of the row above it."""
    line = grid.text[i].strip(WHITE)
    notes.fates[i] = _("joined to the listing on line {line}").format(
        line=int(grid.line[item.position]))
    cell, values, position = item.parts[-1]
    endings = UNIT_SUFFIXES + CHILD_SUFFIXES
    warned = layout.wrapped_lines in ("join", "measure")
    if line in endings and cell.strip(WHITE) and not cell.strip(WHITE).endswith(endings):
        # 「市民協働推進」 / 「課」: the end of a department name the PDF wrapped
        item.parts[-1] = (cell.strip(WHITE) + line, values, position)
        word, warned = words.get("departments", ""), True
    elif layout.wrapped_lines == "summary" or (
            layout.wrapped_lines == "join" and "summary" in words):
        item.summary.append(line)
        word = words.get("summary", "")
    else:
        item.measure += line
        word = words["measure"]
    if warned:
        notes.warn(i, _("joined to the {word} of line {line} (a line the PDF wrapped)").format(
            word=word, line=int(grid.line[item.position])))


def _continue(grid, i, item: _Listing, cells, columns, merged: bool, layout: Layout, words,
              notes: Notes) -> None:
    """A continuation row: its departments, text and values added to the listing above.

    In a merged sheet cell each row's department is one of its own. On a text line the
    cell may be the end of the one above, cut by the PDF: 「市民協働推」 + 「進課」 is one
    name, 「企画部」 + 「企画課」 two (each part ends as a name).
    """
    item.summary.append(cells.get("summary", ""))
    text = cells.get("departments", "").strip(WHITE)
    values = _others(cells, columns)
    cell, last_values, position = item.parts[-1]
    upper = cell.strip(WHITE)
    joined_values = {n: v + values.get(n, "") for n, v in last_values.items()}
    two_names = bool(upper) and _two_names(upper, text, layout)
    how = ""
    if text and (merged or (two_names and any(v.strip(WHITE) for v in values.values()))):
        item.parts.append((text, values, i))  # a department of its own, with its own values
    elif text and two_names:
        item.parts[-1] = (f"{upper} {text}", joined_values, position)  # two names, or 部 + 課
    else:
        item.parts[-1] = (upper + text, joined_values, position)
        separators = tuple(layout.department_separators)
        if upper and text and not upper.endswith(separators) and not text.startswith(separators):
            how = _("; 「{upper}」 and 「{lower}」 read as one {word} name, cut at the end of "
                    "the line above").format(upper=upper, lower=text,
                                             word=words.get("departments", ""))
    if not merged:
        notes.warn(i, _("empty {word}: read as a continuation of the row above (its "
                        "departments and text added{how})").format(word=words["measure"],
                                                                   how=how))


def _two_names(upper: str, lower: str, layout: Layout) -> bool:
    """Whether a department cell cut at a line's end holds two names (else one cut name)."""
    separators = tuple(layout.department_separators)
    if not lower or upper.endswith(separators) or lower.startswith(separators):
        return False
    in_placeholder = key(upper.split()[-1] + lower.split()[0]) in {
        key(p) for p in layout.placeholders}
    bare_ending = lower.split()[0] in UNIT_SUFFIXES + CHILD_SUFFIXES
    return (upper.endswith(UNIT_SUFFIXES + CHILD_SUFFIXES + tuple(layout.placeholders))
            and not in_placeholder and not bare_ending)


def attach_sections(grid, kinds, layout: Layout, listings: Listings, notes: Notes) -> pd.DataFrame:
    """Each listing's number and title at every level (columns ``no:k``, ``title:k``).

    A level comes from the listing's own hierarchy cell (blank: the one above, within the
    same section of the level above) or from the last heading of that level above it,
    which must come after the heading of the level above.
    """
    headings = _numbered_headings(grid, kinds, layout, notes)
    position = [item.position for item in listings.items]
    out = pd.DataFrame(index=pd.RangeIndex(len(position)))
    parent_at = np.full(len(position), -1)
    for k, level in enumerate(layout.levels):
        mine = headings[headings["level"] == k]
        last = pd.Series(mine.index, index=mine.index).reindex(range(len(grid))).ffill()
        at = last.iloc[position].fillna(-1).to_numpy(dtype=np.int64)
        numbers, titles = mine["no"].to_dict(), mine["title"].to_dict()
        no = np.array([numbers.get(i, 0) for i in at], dtype=np.int64)
        title = np.array([titles.get(i, "") for i in at], dtype=object)
        from_cell = np.zeros(len(position), dtype=bool)
        if k in listings.level_columns:
            cells = pd.Series([item.levels.get(k) for item in listings.items], dtype=object)
            from_cell = cells.notna().to_numpy()
            cell_no, cell_title = _cell_sections(grid, cells, out, k, layout, position, notes)
            no = np.where(from_cell, cell_no, no)
            title = np.where(from_cell, np.array(cell_title, dtype=object), title)
        missing = np.flatnonzero(~from_cell & ((at < 0) | (at < parent_at)))
        for j in missing[:1]:
            if k == 0:
                notes.refuse(position[j], _("measure row without a {label} (a blank {label} "
                                            "cell with nothing above it)").format(
                    label=level.label))
            else:
                parent = layout.levels[k - 1].name(out.at[j, f"no:{k - 1}"])
                notes.refuse(position[j], _("measure row under {parent} before its first "
                                            "{label} heading").format(
                    parent=parent, label=level.label))
        out[f"no:{k}"] = no
        out[f"title:{k}"] = pd.Series(title, dtype=object)
        parent_at = np.where(from_cell, -1, at)
    return out


def _numbered_headings(grid, kinds, layout: Layout, notes: Notes) -> pd.DataFrame:
    """Heading lines with their numbers: unnumbered ones in order of appearance within
    their parent; a number that appears a second time within its parent is a problem."""
    headings = kinds[kinds["kind"] == "heading"][["level", "no", "title"]].copy()
    first_at: dict[tuple, int] = {}
    last_at = [-1] * len(layout.levels)
    count: dict[tuple, int] = {}
    for i, k, no in zip(headings.index, headings["level"], headings["no"], strict=True):
        parent = last_at[k - 1] if k > 0 else -1
        if pd.isna(no):
            count[(k, parent)] = count.get((k, parent), 0) + 1
            no = headings.at[i, "no"] = count[(k, parent)]
        last_at[k] = i
        first = first_at.setdefault((k, parent, no), i)
        if first == i:
            continue
        name, line = layout.levels[k].name(no), int(grid.line[first])
        if parent >= 0:
            notes.refuse(i, _("{name} appears a second time under {parent} (first at line "
                              "{line})").format(
                name=name, parent=layout.levels[k - 1].name(headings.at[parent, "no"]),
                line=line))
        else:
            notes.refuse(i, _("{name} appears a second time (first at line {line})").format(
                name=name, line=line))
    headings["title"] = [clean_text(title) for title in headings["title"]]
    headings["no"] = headings["no"].fillna(0).astype("int64")
    return headings


def _cell_sections(grid, cells: pd.Series, out: pd.DataFrame, k: int, layout: Layout,
                   position: list[int], notes: Notes) -> tuple[list[int], list[str]]:
    """A level given by a hierarchy column (``cells``: NaN where a table has no such column).

    When every cell has a number (「1 title」, 「基本方針1 title」, 「(1) title」) the numbers
    are the document's; otherwise the titles are numbered in order of first appearance
    within their parent section. A blank cell is the one above it within the same parent
    section, else a problem; a number back with another title is a problem, never merged.
    """
    level = layout.levels[k]
    parsed = {}
    for j, cell in cells.dropna().items():
        if cell.strip(WHITE):
            try:
                parsed[j] = level_cell(cell, level.column_words)
            except ValueError as err:
                notes.refuse(position[j], str(err))
                parsed[j] = (0, cell)
    numbered = all(no is not None for no, _ in parsed.values())
    parents = list(zip(*(out[f"no:{m}"].tolist() for m in range(k)), strict=True)) if k else []
    no, title = [0] * len(cells), [""] * len(cells)
    seen: dict[tuple, tuple[str, int]] = {}  # (parent, number) -> its first title and line
    counter: dict[tuple, dict[str, int]] = {}
    last = None  # (parent, number, title) of the last cell given
    for j in cells.dropna().index:
        parent = parents[j] if k else ()
        if j in parsed:
            number, text = parsed[j]
            text = clean_text(text if numbered else cells[j].strip(WHITE))
            if not numbered:
                mine = counter.setdefault(parent, {})
                number = mine.setdefault(text, len(mine) + 1)
            first, line = seen.setdefault((parent, number), (text, int(grid.line[position[j]])))
            if first != text:
                notes.refuse(position[j], _(
                    "{name} appears with another title {title} (line {line}: {first})").format(
                    name=level.name(number), title=problem_text(text), line=line,
                    first=problem_text(first)))
            last = (parent, number, text)
        elif last is not None and last[0] == parent:
            _parent, number, text = last
        else:
            notes.refuse(position[j], _(
                "measure row without a {label} (a blank {label} cell with nothing above "
                "it)").format(label=level.label) if k == 0 else _(
                "measure row without a {label} under {parent} (a blank {label} cell with "
                "nothing above it in that section)").format(
                label=level.label, parent=layout.levels[k - 1].name(parent[-1])))
            number, text = 0, ""
        no[j], title[j] = number, text
    return no, title


def build_table(listings: Listings, sections: pd.DataFrame, layout: Layout, notes: Notes,
                sheet: str | None, title: str | None) -> pd.DataFrame:
    """The listing table (columns and ``attrs`` as :func:`kcdata.parse_measures` says).

    A department named twice within a cell stays twice; across continuation rows, once.
    """
    items = listings.items
    n = len(items)
    departments, dept_notes = [], []
    per_department: dict[str, list] = {name: [] for name in listings.others}
    varying = {name for item in items for _, values, _ in item.parts[1:]
               for name, value in values.items() if value.strip(WHITE)}
    split = functools.cache(lambda cell: split_departments(cell, layout))  # a plan repeats cells
    for item in items:
        names: list[str] = []
        found_notes: list[str] = []
        values: dict[str, list[str]] = {name: [] for name in varying}
        for cell, cell_values, position in item.parts:
            depts, cell_notes = split(cell)
            if cell_notes:
                notes.warn(position, _("{notes} is not a department: kept in "
                                       "department_notes, not counted").format(
                    notes="、".join(cell_notes)))
            before = list(names)
            for d in depts:
                if d not in before:
                    names.append(d)
                    for name in varying:
                        values[name].append(clean_text(cell_values.get(name, "")))
            found_notes += [x for x in cell_notes if x not in found_notes]
        if layout.has_departments and not names and not found_notes:
            notes.refuse(item.position, _("empty {word} in {text}").format(
                word=listings.words.get("departments"),
                text=problem_text(notes.grid.text[item.position])))
        departments.append(tuple(names))
        dept_notes.append(tuple(found_notes))
        for name in listings.others:
            if name in varying:
                per_department[name].append(tuple(values[name]))
            else:
                per_department[name].append("".join(v.get(name, "") for _, v, _ in item.parts))

    out: dict[str, object] = {}
    for k, (no_col, title_col) in enumerate(LEVEL_COLUMNS[: max(2, len(layout.levels))]):
        if f"no:{k}" in sections:
            out[no_col] = sections[f"no:{k}"].to_numpy(dtype=np.int64)
            out[title_col] = _text(sections[f"title:{k}"].tolist())
        else:  # a one-level plan
            out[no_col] = np.zeros(n, dtype=np.int64)
            out[title_col] = pd.array([""] * n, dtype="str")
    out["measure"] = _text([item.measure for item in items])
    out["summary"] = _text([  # each part cleaned, then the joined text
        "".join(clean_text(part) for part in item.summary) for item in items])
    out["departments"] = _objects(departments)
    out["relisted"] = np.array([item.relisted for item in items], dtype=bool)
    out["line"] = np.asarray(notes.grid.line, dtype=np.int64)[[i.position for i in items]]
    if any(item.code.strip(WHITE) for item in items):
        out["code"] = _text([item.code for item in items])
    for name in listings.others:
        values = per_department[name]
        out[name] = _objects(values) if name in varying else _text(values)
    if any(dept_notes):
        out["department_notes"] = _objects(dept_notes)
    if sheet is not None:
        out["sheet"] = pd.array([sheet] * n, dtype="str")
    table = pd.DataFrame(out, index=pd.RangeIndex(n))
    table.attrs.update(layout=layout.name, levels=[lv.label for lv in layout.levels],
                       level_names=[lv.number_format for lv in layout.levels],
                       words=dict(listings.words), title=title)
    return table


def _text(values: list[str]) -> pd.api.extensions.ExtensionArray:
    """Cleaned (:mod:`kcdata.text`), as pandas' default ``str`` dtype like every text column."""
    return pd.array([clean_text(text) for text in values], dtype="str")


def _objects(values: list[tuple]) -> np.ndarray:
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out

"""Grid + layout, steps 3-4: table rows -> listings, and the listing table itself.

:meth:`Listings.from_rows` walks the rows (and the text lines joined to them)
in document order with a plain loop: each row's cells by role, blank
``same_as_above`` cells filled, bullets and re-listing marks taken off the
name, and continuation rows folded into their listing. :func:`build_table`
makes the listing table's columns (see :func:`kcdata.parse_measures`).

Counting conventions: a listing is one table row with a 事業名; a
continuation row (an empty 事業名 under ``continuation``, or one merged with
the row above) adds its departments and text to the listing above and is
never a listing. A department cell is split by
:func:`kcdata.io.departments.split_cell`; placeholders (関係各課) are kept in
``department_notes`` and never counted.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa

from kcdata.io.classify import Column, key, problem_text
from kcdata.io.departments import CHILD_SUFFIXES, UNIT_SUFFIXES, placeholder_keys, split_cell
from kcdata.io.grid import WHITE
from kcdata.io.layout import Layout, split_relisted, strip_bullet
from kcdata.messages import translate as _
from kcdata.text import clean_text_array

__all__ = ["COLUMNS", "LEVEL_COLUMNS", "Listings", "build_table", "clean_all"]

#: The columns every listing table has, in order.
COLUMNS = ["policy_no", "policy", "direction_no", "direction", "measure", "summary",
           "departments", "relisted", "line"]
#: The number and title columns of each level, outermost first.
LEVEL_COLUMNS = [("policy_no", "policy"), ("direction_no", "direction"),
                 ("level3_no", "level3"), ("level4_no", "level4")]


def clean_all(values: list[str]) -> list[str]:
    """The clean-up rule (:mod:`kcdata.text`) applied to each string."""
    return clean_text_array(pa.array(values, type=pa.large_string())).to_pylist()


@dataclass
class _Listing:
    position: int  # the grid position of the listing's own row
    measure: str
    relisted: bool
    summary: list[str]
    parts: list[tuple[str, dict[str, str], int]]  # (department cell, other values, position)
    code: str
    levels: dict[int, str | None]
    others: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class Listings:
    """The listings of one reading, in document order, before sections are attached."""

    items: list[_Listing]
    others: list[str]  # other columns, in order of first appearance
    words: dict[str, str]  # each role's header word as the document writes it
    level_columns: set[int]  # levels some table gives in a column

    @property
    def positions(self) -> list[int]:
        return [item.position for item in self.items]

    def level_cells(self, k: int) -> pd.Series | None:
        """Each listing's level-k cell as written ("" when blank: same as above); ``None``
        when no table has the column, NaN for listings of a table without it."""
        if k not in self.level_columns:
            return None
        return pd.Series([item.levels.get(k) for item in self.items], dtype=object)

    @classmethod
    def from_rows(cls, grid, kinds, layout: Layout, rows: list[int], attached: dict[int, int],
                  notes) -> Listings:
        """The listings of the rows (see the module docstring); problems go to ``notes``."""
        items: list[_Listing] = []
        others: list[str] = []
        words = {role: words[0] for role, words in layout.columns.items()}
        header_at = kinds.index[kinds["kind"] == "header"]
        headers = dict(zip(header_at, kinds["columns"][header_at], strict=True))
        if headers:
            named: set[str] = set()
            for c in headers[header_at[0]]:
                if c.role in words and c.role not in named:  # a role's first column names it
                    words[c.role] = c.name
                    named.add(c.role)
        default = [_default_column(name, layout) for name in layout.record_columns]
        same = {key(w) for w in layout.same_as_above}
        columns, above = default, {}
        owner_of: dict[int, _Listing] = {}
        level_columns: set[int] = set()
        for i in sorted({*rows, *attached, *headers}):
            if i in headers:
                columns, above = headers[i], {}
                continue
            if i in attached:
                _attach(grid, i, owner_of.get(attached[i]), layout, words, notes)
                continue
            cells = _row_cells(grid, i, columns, notes)
            if cells is None:
                continue
            level_columns |= {c.level for c in columns if c.role in ("level", "level_no")}
            for c in columns:
                if c.role == "other" and c.name not in others:
                    others.append(c.name)
            name = cells.get("measure", "")
            has_name = bool(name.strip(WHITE))
            for c in columns if same and has_name else ():  # blank cells "same as above"
                ident = c.name if c.role == "other" else c.role
                if {key(ident), key(c.name)} & same:
                    if cells[ident].strip(WHITE):
                        above[ident] = cells[ident]
                    else:
                        cells[ident] = above.get(ident, "")
            merged = any(c.role == "measure" for j, c in enumerate(columns)
                         if j in grid.merged[i])
            name = strip_bullet(name)
            name, relisted = split_relisted(name, layout.relisted_marks)
            if name.strip(WHITE):
                if (items and layout.wrapped_lines == "measure" and layout.has_departments
                        and not merged and not any(
                            v.strip(WHITE) for r, v in cells.items() if r != "measure"
                            and not r.startswith("level:"))):
                    items[-1].measure += name  # a 事業名 wrapped onto the next row
                    owner_of[i] = items[-1]
                    notes.warn(i, _("{text} joined to the {word} of line {line} (a name "
                                    "wrapped onto the next row)").format(
                        text=problem_text(name), word=words["measure"],
                        line=int(grid.line[items[-1].position])))
                    continue
                more = [(cells[k], {}, i) for k in cells if k.startswith("departments+")]
                item = _Listing(i, name, relisted, [cells.get("summary", "")],
                                [(cells.get("departments", ""), _others(cells, columns), i),
                                 *more],  # each department column split on its own
                                cells.get("code", ""),
                                {c.level: cells[f"level:{c.level}"] for c in columns
                                 if c.role in ("level", "level_no")})
                items.append(item)
                owner_of[i] = item
                notes.fates[i] = _("listing 「{name}」").format(name=name) + (
                    " 【再掲】" if relisted else "")
            elif relisted or not (merged or layout.continuation) or not items:
                notes.refuse(i, _("empty {word} in {text}").format(
                    word=words["measure"], text=problem_text(grid.text[i])))
            else:
                cells["departments"] = " ".join(  # every department column's names
                    v for k, v in cells.items() if k.startswith("departments") and v.strip())
                _continue(grid, i, items[-1], cells, columns, merged, layout, words, notes)
                owner_of[i] = items[-1]
                notes.fates[i] = _("continuation of the listing on line {line}").format(
                    line=int(grid.line[items[-1].position]))
        return cls(items, others, words, level_columns)


def _default_column(name: str, layout: Layout) -> Column:
    if name in ("measure", "summary", "departments", "code"):
        return Column(name, layout.word(name) if layout.columns.get(name) else name)
    return Column("other", name)


def _row_cells(grid, i: int, columns: list[Column], notes) -> dict[str, str] | None:
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
    out = dict(zip(_keys(tuple(columns)), cells, strict=True))
    for k in [k for k in out if k.startswith("level_no:")]:  # 2 | 安心のまち -> 「2 安心のまち」
        number = out.pop(k).strip(WHITE)
        title = out.get("level:" + k[9:], "")
        out["level:" + k[9:]] = f"{number} {title}".strip() if number else title
    return out


@functools.lru_cache(maxsize=256)
def _keys(columns: tuple[Column, ...]) -> tuple[str, ...]:
    """The key of each column's cell in a row's dict: its role, ``level:K``, or its header."""
    return tuple(f"{c.role}:{c.level}" if c.role in ("level", "level_no")
                 else c.name if c.role == "other"
                 else f"departments+{c.level}" if c.role == "departments" and c.level > 0
                 else c.role for c in columns)


def _others(cells: dict[str, str], columns: list[Column]) -> dict[str, str]:
    return {c.name: cells[c.name] for c in columns if c.role == "other"}


def _attach(grid, i: int, item: _Listing | None, layout: Layout, words, notes) -> None:
    """A text line joined to the listing of the row above it."""
    if item is None:
        return
    line = grid.text[i].strip(WHITE)
    notes.fates[i] = _("joined to the listing on line {line}").format(
        line=int(grid.line[item.position]))
    cell, values, position = item.parts[-1]
    endings = UNIT_SUFFIXES + CHILD_SUFFIXES
    if line in endings and cell.strip(WHITE) and not cell.strip(WHITE).endswith(endings):
        # 「市民協働推進」 / 「課」: the end of a department name the PDF wrapped
        item.parts[-1] = (cell.strip(WHITE) + line, values, position)
        notes.warn(i, _("joined to the {word} of line {line} (a line the PDF wrapped)").format(
            word=words.get("departments", ""), line=int(grid.line[item.position])))
        return
    to_summary = layout.wrapped_lines == "summary" or (
        layout.wrapped_lines == "join" and "summary" in words)
    if to_summary:
        item.summary.append(line)
    else:
        item.measure += line
    if layout.wrapped_lines in ("join", "measure"):
        word = words["summary"] if to_summary else words["measure"]
        notes.warn(i, _("joined to the {word} of line {line} (a line the PDF wrapped)").format(
            word=word, line=int(grid.line[item.position])))


def _continue(grid, i, item: _Listing, cells, columns, merged: bool, layout: Layout, words,
              notes) -> None:
    """A continuation row: its departments, text and values added to the listing above.

    In a merged sheet cell each row's department is one of its own. On a text
    line the cell may be the end of the one above, cut by the PDF: 「市民協働推」 +
    「進課」 is one name, 「企画部」 + 「企画課」 two (each part ends as a name).
    """
    item.summary.append(cells.get("summary", ""))
    text = cells.get("departments", "").strip(WHITE)
    values = _others(cells, columns)
    cell, last_values, position = item.parts[-1]
    upper = cell.strip(WHITE)
    joined_values = {n: v + values.get(n, "") for n, v in last_values.items()}
    how = ""
    if text and (merged or (upper and _two_names(upper, text, layout)
                            and any(v.strip(WHITE) for v in values.values()))):
        item.parts.append((text, values, i))  # a department of its own, with its own values
    elif text and upper and _two_names(upper, text, layout):
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
    if not lower:
        return False
    separators = tuple(layout.department_separators)
    if upper.endswith(separators) or lower.startswith(separators):
        return False
    endings = UNIT_SUFFIXES + CHILD_SUFFIXES + tuple(layout.placeholders)
    in_placeholder = key(upper.split()[-1] + lower.split()[0]) in placeholder_keys(layout)
    bare_ending = lower.split()[0] in UNIT_SUFFIXES + CHILD_SUFFIXES
    return upper.endswith(endings) and not in_placeholder and not bare_ending


def build_table(listings: Listings, sections: pd.DataFrame, layout: Layout, notes,
                sheet: str | None, title: str | None) -> pd.DataFrame:
    """The listing table (columns and ``attrs`` as :func:`kcdata.parse_measures` says)."""
    items = listings.items
    n = len(items)
    placeholders = placeholder_keys(layout)
    split_cache: dict[str, tuple] = {}
    departments, dept_notes, per_department = [], [], {}
    varying = {name for item in items for _, values, _ in item.parts[1:]
               for name, value in values.items() if value.strip(WHITE)}
    for name in listings.others:
        per_department[name] = []
    for item in items:
        names: list[str] = []
        found_notes: list[str] = []
        values: dict[str, list[str]] = {name: [] for name in varying}
        for cell, cell_values, position in item.parts:
            if cell not in split_cache:
                split_cache[cell] = split_cell(cell, layout, placeholders)
            depts, cell_notes = split_cache[cell]
            if cell_notes:
                notes.warn(position, _("{notes} is not a department: kept in "
                                       "department_notes, not counted").format(
                    notes="、".join(cell_notes)))
            before = list(names)  # a name repeated within a cell stays; across rows, once
            for d in depts:
                if d not in before:
                    names.append(d)
                    for name in varying:
                        values[name].append(clean_all([cell_values.get(name, "")])[0])
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
        if k < len(layout.levels) and f"no:{k}" in sections:
            out[no_col] = sections[f"no:{k}"].to_numpy(dtype=np.int64)
            out[title_col] = _str(clean_all(sections[f"title:{k}"].tolist()))
        else:  # a one-level plan
            out[no_col] = np.zeros(n, dtype=np.int64)
            out[title_col] = _str([""] * n)
    out["measure"] = _str(clean_all([item.measure for item in items]))
    out["summary"] = _str(_joined([item.summary for item in items]))
    out["departments"] = _objects(departments)
    out["relisted"] = np.array([item.relisted for item in items], dtype=bool)
    out["line"] = np.asarray(notes.grid.line, dtype=np.int64)[listings.positions]
    if any(item.code.strip(WHITE) for item in items):
        out["code"] = _str(clean_all([item.code for item in items]))
    for name in listings.others:
        values = per_department[name]
        out[name] = _objects(values) if name in varying else _str(clean_all(values))
    if any(dept_notes):
        out["department_notes"] = _objects(dept_notes)
    if sheet is not None:
        out["sheet"] = _str([sheet] * n)
    table = pd.DataFrame(out, index=pd.RangeIndex(n))
    table.attrs.update(
        layout=layout.name,
        levels=[lv.label for lv in layout.levels],
        level_names=[lv.number_format for lv in layout.levels],
        words=dict(listings.words),
        title=title,
    )
    return table


def _joined(texts: list[list[str]]) -> list[str]:
    """Each listing's text parts, each cleaned, then joined and cleaned again."""
    flat = clean_all([t for parts in texts for t in parts])
    out, at = [], 0
    for parts in texts:
        out.append("".join(flat[at: at + len(parts)]))
        at += len(parts)
    return clean_all(out)


def _str(values: list[str]) -> pd.api.extensions.ExtensionArray:
    """A column as pandas' default ``str`` dtype, as every text column of the table is."""
    return pd.array(values, dtype="str")


def _objects(values: list[tuple]) -> np.ndarray:
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out

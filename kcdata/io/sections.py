"""Grid + layout, step 5: each listing's section at every level.

Sections come from heading lines (:func:`_numbered_headings`: unnumbered ones
numbered in order of appearance within their parent, a number twice within its
parent refused) or from hierarchy columns (:func:`_cell_sections`: numbered
cells, or titles numbered in order of first appearance; a number that comes
back with another title refused, never merged).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kcdata.io.assemble import Listings, clean_all
from kcdata.io.classify import level_cell, problem_text
from kcdata.io.grid import WHITE, Notes
from kcdata.io.layout import Layout
from kcdata.messages import translate as _
from kcdata.text import clean_text

__all__ = ["attach_sections"]


def attach_sections(grid, kinds, layout: Layout, listings: Listings, notes: Notes) -> pd.DataFrame:
    """Each listing's number and title at every level (columns ``no:k``, ``title:k``).

    A level comes from the listing's own hierarchy cell (a blank cell: the one
    above, within the same section of the level above) or from the last heading
    of that level above the listing, which must come after the heading of the
    level above it. Problems go to ``notes.refuse``.
    """
    headings = _numbered_headings(grid, kinds, layout, notes)
    position = pd.Series(listings.positions, dtype="int64")
    out = pd.DataFrame(index=position.index)
    parent_at = pd.Series(-1, index=position.index)
    for k, level in enumerate(layout.levels):
        mine = headings[headings["level"] == k]
        last = np.searchsorted(mine.index.to_numpy(), position.to_numpy(), side="right") - 1
        found = last >= 0
        at = pd.Series(np.where(found, mine.index.to_numpy()[np.maximum(last, 0)], -1)
                       if len(mine) else -1, index=position.index)
        no = pd.Series(np.where(found, mine["no"].to_numpy()[np.maximum(last, 0)], 0)
                       if len(mine) else 0, index=position.index, dtype="int64")
        titles = mine["title"].tolist()
        title = pd.Series([titles[j] if j >= 0 else "" for j in last]
                          if len(mine) else "", index=position.index, dtype=object)
        cells = listings.level_cells(k)
        from_cell = (cells.notna() if cells is not None
                     else pd.Series(False, index=out.index))
        if from_cell.any():
            cell_no, cell_title = _cell_sections(grid, cells, out, k, layout, listings, notes)
            no = no.where(~from_cell, cell_no)
            title = title.where(~from_cell, cell_title)
        missing = ~from_cell & ((at < 0) | (at < parent_at))
        for j in missing[missing].index[:1]:
            i = int(position[j])
            if k == 0:
                notes.refuse(i, _("measure row without a {label} (a blank {label} cell with "
                                  "nothing above it)").format(label=level.label))
            else:
                parent = layout.levels[k - 1].name(out.at[j, f"no:{k - 1}"])
                notes.refuse(i, _("measure row under {parent} before its first {label} "
                                  "heading").format(parent=parent, label=level.label))
        out[f"no:{k}"] = no.astype("int64")
        out[f"title:{k}"] = title
        parent_at = at.where(~from_cell, -1)
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
        if first != i:
            name = layout.levels[k].name(no)
            first_line = int(grid.line[first])
            if parent >= 0:
                notes.refuse(i, _("{name} appears a second time under {parent} (first at line "
                                  "{line})").format(
                    name=name, parent=layout.levels[k - 1].name(headings.at[parent, "no"]),
                    line=first_line))
            else:
                notes.refuse(i, _("{name} appears a second time (first at line {line})").format(
                    name=name, line=first_line))
    headings["title"] = clean_all(headings["title"].tolist())
    headings["no"] = headings["no"].fillna(0).astype("int64")
    return headings


def _cell_sections(grid, cells: pd.Series, out, k: int, layout: Layout,
                   listings: Listings, notes: Notes):
    """A level given by a hierarchy column (``cells``: NaN where a table has no such column).

    When every cell has a number (「1 title」, 「基本方針1 title」, 「(1) title」) the
    numbers are the document's; otherwise the cells are titles, numbered in order
    of first appearance within their parent section (the numbers of every level
    above). A blank cell is the one above it within the same parent section (a
    merged cell); with nothing above it there, it is a problem. A number that
    comes back with another title within its parent is a problem, never merged.
    """
    level = layout.levels[k]
    in_table = cells.notna()
    parsed = {}
    for j, cell in cells[in_table].items():
        if cell.strip(WHITE):
            try:
                parsed[j] = level_cell(cell, level.column_words)
            except ValueError as err:
                notes.refuse(listings.positions[j], str(err))
                parsed[j] = (0, cell)
    numbered = all(no is not None for no, _ in parsed.values())
    parents = (list(zip(*(out[f"no:{m}"].tolist() for m in range(k)), strict=True)) if k
               else [()] * len(cells))
    no = pd.Series(0, index=cells.index, dtype="int64")
    title = pd.Series("", index=cells.index, dtype=object)
    seen: dict[tuple, str] = {}
    first_line: dict[tuple, int] = {}
    counter: dict[tuple, dict[str, int]] = {}
    last = None  # (parent, number, title) of the last cell given
    for j in cells.index[in_table]:
        parent = parents[j]
        if j in parsed:
            number, text = parsed[j]
            text = clean_text(text if numbered else cells[j].strip(WHITE))
            if not numbered:
                mine = counter.setdefault(parent, {})
                number = mine.setdefault(text, len(mine) + 1)
            place = (parent, number)
            if seen.setdefault(place, text) != text:
                notes.refuse(listings.positions[j], _(
                    "{name} appears with another title {title} (line {line}: {first})").format(
                    name=level.name(number), title=problem_text(text), line=first_line[place],
                    first=problem_text(seen[place])))
            first_line.setdefault(place, int(grid.line[listings.positions[j]]))
            last = (parent, number, text)
        elif last is not None and last[0] == parent:
            _parent, number, text = last
        else:
            notes.refuse(listings.positions[j], _(
                "measure row without a {label} (a blank {label} cell with nothing above "
                "it)").format(label=level.label) if k == 0 else _(
                "measure row without a {label} under {parent} (a blank {label} cell with "
                "nothing above it in that section)").format(
                label=level.label, parent=layout.levels[k - 1].name(parent[-1])))
            number, text = 0, ""
        no[j], title[j] = number, text
    return no, title

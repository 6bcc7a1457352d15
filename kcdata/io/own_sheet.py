"""kcdata's own listing sheet read back: 事業一覧 of the summary workbook, or measures.csv.

That sheet holds a number and a title column per level, 再掲 as a column
and the placeholders (関係各課 …) apart from the departments. It is
recognised by its header, in the plan's own words, and turned into the form
the layout engine reads from a document, so that a workbook kcdata wrote
reads back as the table it was written from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kcdata.io.errors import ParseError
from kcdata.io.header import HeaderWords
from kcdata.messages import translate as _
from kcdata.text import text_key
from kcdata.vocab import LABELS

__all__ = ["own_sheet_lines"]

#: measures.csv's column names as the 事業一覧 sheet's headers.
_ENGLISH = {name: LABELS[name] for name in (
    "policy_no", "policy", "direction_no", "direction", "measure", "summary", "departments",
    "relisted", "line", "department_notes", "page")} | {"sheet": "シート"}
_TRUE = {"○", "〇", "TRUE", "True", "true", "1", "再掲", "【再掲】"}
_FALSE = {"", "FALSE", "False", "false", "0"}


def own_sheet_lines(
    headers: list[str], lines: list[str], numbers: list[int], sheet: str | None,
    words: HeaderWords,
) -> list[str] | None:
    """The header and the ``lines`` below it in the engine's form, or ``None`` when
    ``headers`` (the header row's cells) are not those of kcdata's own listing sheet.

    ``lines`` are the rows under the header, their cells joined by TAB, and
    ``numbers`` their rows' numbers. Each level's number and title columns
    become one level column whose cells read 「N title」 (both blank: same as
    above, as in a row a colleague inserted); a 再掲 cell that is ○ (or TRUE,
    1) puts 【再掲】 before the name, empty (or FALSE, 0) does not, anything
    else is a :class:`ParseError` for its row; departments joined with 「、」
    are joined with a space, and the placeholders column goes back into them;
    the 行, sheet and page columns are dropped (``line`` is the sheet row);
    any other column is passed on under its header.
    """
    headers = [_ENGLISH.get(h, h) for h in headers]
    columns = _OwnColumns.find(headers, words)
    if columns is None:
        return None
    out = ["\t".join(columns.header(headers))]
    for line, number in zip(lines, numbers, strict=True):
        if not line.strip():
            out.append("")
            continue
        cells = (line.split("\t") + [""] * len(headers))[: len(headers)]
        out.append("\t".join(columns.row(cells, number, sheet)))
    return out


@dataclass(frozen=True)
class _OwnColumns:
    """Where each column of kcdata's own listing sheet is (0-based, within the table)."""

    levels: tuple[tuple[str, int, int], ...]  # (label, number column, title column)
    measure: int
    summary: int | None
    departments: int
    relisted: int
    notes: int | None
    extras: tuple[int, ...]

    @classmethod
    def find(cls, headers: list[str], words: HeaderWords) -> _OwnColumns | None:
        """The columns, when ``headers`` are those of kcdata's own listing sheet, else None.

        That is: one or more levels as a pair of columns 「X」 and 「X名」 (number
        and title), a 事業名 column, a 所管する課 column and a 再掲 column (each
        in any built-in layout's words, or in the plan's own, as the summary
        workbook writes them), or the column names of ``measures.csv``.
        """
        keys = [text_key(h) for h in headers]
        levels = tuple((h, j, j + 1) for j, h in enumerate(headers[:-1])
                       if h and headers[j + 1] == f"{h}名")
        paired = {j for _, no, title in levels for j in (no, title)}

        def first(found: frozenset[str] | set[str]) -> int | None:
            return next((j for j, k in enumerate(keys) if k in found and j not in paired), None)

        measure, departments = first(words.measure), first(words.departments)
        relisted = first({"再掲"})
        if not levels or measure is None or departments is None or relisted is None:
            return None
        summary, notes = first(words.summary), first({text_key(LABELS["department_notes"])})
        dropped = {first({"行"}), first({"シート", "sheet"}), first({"ページ"})}
        taken = paired | {measure, summary, departments, relisted, notes} | dropped
        extras = tuple(j for j, h in enumerate(headers) if h and j not in taken)
        return cls(levels, measure, summary, departments, relisted, notes, extras)

    def header(self, headers: list[str]) -> list[str]:
        roles = [self.measure, self.summary, self.departments, *self.extras]
        return [label for label, _, _ in self.levels] + [headers[j] for j in roles
                                                         if j is not None]

    def row(self, cells: list[str], number: int, sheet: str | None) -> list[str]:
        """One listing in the engine's form: 「N title」 level cells, 【再掲】 before the name."""
        out = [f"{cells[no].strip()} {cells[title].strip()}".strip()  # empty: same as above
               for _, no, title in self.levels]
        mark = cells[self.relisted].strip()
        if mark not in _TRUE and mark not in _FALSE:
            raise ParseError(_("再掲 must be ○ or empty, found 「{mark}」").format(mark=mark),
                             number, sheet)
        out.append(("【再掲】" if mark in _TRUE else "") + cells[self.measure])
        if self.summary is not None:
            out.append(cells[self.summary])
        departments = cells[self.departments]
        if self.notes is not None:  # placeholders (関係各課) go back beside the departments
            departments += " " + cells[self.notes]
        out.append(" ".join(re.split(r"[、\s]+", departments.strip())))
        return out + [cells[j] for j in self.extras]

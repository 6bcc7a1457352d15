"""The header row of a sheet: the words that name its columns, and the row that holds them."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kcdata.io.layout import HEADER_WORDS, Layout
from kcdata.io.layout_file import get_layout
from kcdata.text import text_key

if TYPE_CHECKING:
    LayoutArg = str | os.PathLike[str] | Layout | None

__all__ = ["HeaderWords", "header_index"]

_ROLES = ("measure", "summary", "departments")


@dataclass(frozen=True)
class HeaderWords:
    """The comparison keys (:func:`kcdata.text.text_key`) of the header words."""

    measure: frozenset[str]
    summary: frozenset[str]
    departments: frozenset[str]
    needs_departments: bool = True  # False for a layout without a department column

    @classmethod
    def of(cls, layout: LayoutArg = None) -> HeaderWords:
        """Every built-in layout's words, ``layout``'s own, and kcdata's column names."""
        words = {role: [*HEADER_WORDS[role], role] for role in _ROLES}
        needs_departments = True
        if layout is not None:
            chosen = get_layout(layout)
            needs_departments = chosen.has_departments
            for role, own in chosen.columns.items():
                if role in words:
                    words[role].extend(own)
        return cls(*(frozenset(map(text_key, words[role])) for role in _ROLES),
                   needs_departments)


def header_index(rows: Sequence[Sequence[str]], words: HeaderWords) -> int | None:
    """The first row naming a 事業名 column and a 所管する課 column (only the first for a
    layout without departments), or ``None``.

    Header cells are compared by their :func:`~kcdata.text.text_key`
    (width and white space do not count; a line break inside a cell neither).
    """
    for i, row in enumerate(rows):
        cells = {text_key(c) for c in row if c}
        if cells & words.measure and (cells & words.departments
                                      or not words.needs_departments):
            return i
    return None

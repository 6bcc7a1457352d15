"""Text -> the grid: one row per line or sheet row, with its cells and its place.

The grid's columns: ``text`` (the cells joined by TAB), ``cells`` (a list of str),
``line`` (the number reported: 1-based line, sheet row, PDF line) and ``merged``
(the 0-based columns whose cell continues a merged cell above).
"""

from __future__ import annotations

import codecs
from collections.abc import Sequence
from dataclasses import dataclass, field

import pandas as pd

from kcdata.io.errors import ParseError
from kcdata.messages import translate as _
from kcdata.text import unify_ideographs

__all__ = ["ENCODINGS", "WHITE", "GridLines", "Notes", "decode_document", "make_grid", "text_lines"]

#: Encodings tried, in order, when ``encoding=None``.
ENCODINGS = ("utf-8", "cp932")
BOM = "\ufeff"
#: White space of every kind, zero-width space included (stripped from cells and lines).
WHITE = " \t\r\n\x0b\x0c\u3000\u00a0\u200b\u202f\u205f\ufeff" + "".join(
    map(chr, range(0x2000, 0x200B))
)


def decode_document(data: bytes, *, encoding: str | None = None) -> str:
    """The document's text without a BOM: ``encoding``, else UTF-8 then CP932 (Shift_JIS).

    Bytes that cannot be decoded raise :class:`ParseError` with ``line=None``.
    """
    if encoding is not None:
        try:
            return codecs.decode(data, encoding).removeprefix(BOM)
        except LookupError:
            raise ParseError(_("unknown encoding {encoding!r}").format(encoding=encoding)) from None
        except UnicodeDecodeError as err:
            raise ParseError(_("the bytes are not valid {encoding}: {reason}").format(
                encoding=encoding, reason=err.reason)) from None
    for candidate in ENCODINGS:
        try:
            return codecs.decode(data, candidate).removeprefix(BOM)
        except UnicodeDecodeError:
            continue
    raise ParseError(_(
        "the bytes are none of the accepted encodings (UTF-8, UTF-8 with BOM, CP932/Shift_JIS)"
    ))


def text_lines(text: str) -> list[str]:
    """A text's lines, split at LF or CRLF only, ideographs printed as radicals unified.

    A lone surrogate (no encoding can write it) is a :class:`ParseError` for its line.
    """
    text = unify_ideographs(text.removeprefix(BOM))
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as err:
        raise ParseError(_("text holds a lone surrogate, which no encoding can represent"),
                         text.count("\n", 0, err.start) + 1) from None
    return text.replace("\r\n", "\n").split("\n")


def make_grid(
    lines: Sequence[str],
    numbers: Sequence[int] | None = None,
    merged_above: Sequence[frozenset[int]] | None = None,
) -> pd.DataFrame:
    """The grid of lines whose cells are joined by TAB (``numbers`` default 1, 2, …).

    >>> make_grid(["基本方針1 方針", "A事業\\t概要\\t甲課"])[["cells", "line"]].values.tolist()
    [[['基本方針1 方針'], 1], [['A事業', '概要', '甲課'], 2]]
    """
    lines = list(lines)
    return pd.DataFrame({
        "text": pd.Series(lines, dtype=object),
        "cells": pd.Series([line.split("\t") for line in lines], dtype=object),
        "line": pd.Series(range(1, len(lines) + 1) if numbers is None else list(numbers),
                          dtype="int64"),
        "merged": pd.Series(list(merged_above) if merged_above is not None
                            else [frozenset()] * len(lines), dtype=object),
    })


@dataclass(frozen=True)
class GridLines:
    """A grid's columns as Python lists, for the reader's loops over lines."""

    text: list[str]
    cells: list[list[str]]
    line: list[int]
    merged: list[frozenset[int]]

    @classmethod
    def of(cls, grid: pd.DataFrame) -> GridLines:
        return cls(*(grid[c].tolist() for c in ("text", "cells", "line", "merged")))

    def __len__(self) -> int:
        return len(self.text)


@dataclass
class Notes:
    """What one reading found, by grid position: problems (the first becomes the
    ParseError), warnings (by reported line) and each line's fate (for trace_lines)."""

    grid: GridLines
    problems: list[tuple[int, str]] = field(default_factory=list)
    warnings: list[tuple[int, str]] = field(default_factory=list)
    fates: dict[int, str] = field(default_factory=dict)

    def warn(self, i: int, message: str) -> None:
        self.warnings.append((int(self.grid.line[i]), message))

    def refuse(self, i: int, reason: str) -> None:
        self.problems.append((i, reason))

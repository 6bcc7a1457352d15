"""Text -> the grid: one row per line or sheet row, with its cells and its place.

The grid's columns: ``text`` (the cells joined by TAB), ``cells`` (a list of str),
``line`` (the number reported: 1-based line, sheet row, PDF line) and ``merged``
(the 0-based columns whose cell continues a merged cell above).
"""

from __future__ import annotations

import codecs
from collections.abc import Sequence
from dataclasses import dataclass, field

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


@dataclass(frozen=True)
class GridLines:
    """The grid's columns as Python lists, for the reader's loops over lines."""

    text: list[str]
    cells: list[list[str]]
    line: list[int]
    merged: list[frozenset[int]]

    def __len__(self) -> int:
        return len(self.text)


def make_grid(
    lines: Sequence[str],
    numbers: Sequence[int] | None = None,
    merged_above: Sequence[frozenset[int]] | None = None,
) -> GridLines:
    """The grid of lines whose cells are joined by TAB (``numbers`` default 1, 2, …).

    >>> make_grid(["基本方針1 方針", "A事業\\t概要\\t甲課"]).cells
    [['基本方針1 方針'], ['A事業', '概要', '甲課']]
    """
    lines = list(lines)
    return GridLines(
        lines, [line.split("\t") for line in lines],
        list(range(1, len(lines) + 1)) if numbers is None else [int(n) for n in numbers],
        [frozenset()] * len(lines) if merged_above is None else list(merged_above))


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

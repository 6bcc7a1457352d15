"""Text that every output can carry: lone surrogates removed, control characters escaped.

A lone surrogate (U+D800-U+DFFF on its own) is not a character: no encoding
can write it, so a CSV, a workbook, a chart or a terminal line holding one
would fail. A document read from bytes never holds one (decoding is strict),
but a table built in Python, or a file name the system could not decode,
can. Every writer removes them with :func:`remove_lone_surrogates` and says
so with a :class:`TextCleanedWarning` (the workbook also on its 概要 sheet).

Terminal output goes through :func:`escape_control`, so that a document
cannot send escape sequences (cursor moves, colour, a changed window title)
to the terminal of whoever runs ``kcdata diff`` on it.
"""

from __future__ import annotations

import re
import warnings

import pandas as pd

__all__ = [
    "LONE_SURROGATE_RE",
    "TextCleanedWarning",
    "escape_control",
    "lone_surrogates_removed",
    "remove_lone_surrogates",
    "strip_surrogates",
    "warn_removed",
]

#: A lone surrogate code point.
LONE_SURROGATE_RE = re.compile("[\ud800-\udfff]")
# C0 and C1 controls, DEL, and the bidirectional overrides and isolates (which can make a
# line read differently from what it holds), plus lone surrogates.
_TERMINAL_UNSAFE_RE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)


class TextCleanedWarning(UserWarning):
    """Characters no file can hold (lone surrogates) were removed from a table's text."""


def strip_surrogates(text: str) -> tuple[str, int]:
    """``text`` without lone surrogates, and how many were removed.

    >>> strip_surrogates("A\\ud800B")
    ('AB', 1)
    """
    return LONE_SURROGATE_RE.subn("", text)


def _clean_value(value, counter: list[int]):
    if isinstance(value, str):
        text, n = strip_surrogates(value)
        counter[0] += n
        return text
    if isinstance(value, tuple):
        return tuple(_clean_value(v, counter) for v in value)
    return value


def _texts(value) -> list[str]:
    """The text in a cell: itself if a string, the strings inside a tuple (recursively)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, tuple):
        return [text for v in value for text in _texts(v)]
    return []


def _holds_lone_surrogate(column: pd.Series) -> bool:
    """Whether any text of an object column holds a lone surrogate.

    One regular-expression search over the column's text joined, so that a
    clean column (the usual case) costs no per-cell cleaning.
    """
    text = "\n".join(t for value in column.tolist() for t in _texts(value))
    return LONE_SURROGATE_RE.search(text) is not None


def lone_surrogates_removed(df: pd.DataFrame) -> tuple[pd.DataFrame, int, list[str]]:
    """``(clean copy of df, surrogates removed, names of the columns cleaned)``.

    ``df`` itself comes back when it holds none. Text cells, tuples of text
    (``departments``), column names and an object index are cleaned. Pure.
    Cost: one pass over the object columns' text; cells are cleaned one by one
    only in a column that holds a lone surrogate.
    """
    columns: dict[object, pd.Series] = {}
    removed = 0
    for name in df.columns:
        column = df[name]
        if column.dtype != object:  # Arrow-backed text cannot hold a lone surrogate
            continue
        if not _holds_lone_surrogate(column):
            continue
        counter = [0]
        cleaned = column.map(lambda v, c=counter: _clean_value(v, c))
        if counter[0]:
            columns[name] = cleaned
            removed += counter[0]
    counter = [0]
    new_names = [_clean_value(n, counter) for n in df.columns]
    new_index = [_clean_value(v, counter) for v in df.index] if df.index.dtype == object else None
    removed += counter[0]
    if not removed:
        return df, 0, []
    out = df.copy()
    for name, cleaned in columns.items():
        out[name] = cleaned
    out.columns = new_names
    if new_index is not None:
        out.index = pd.Index(new_index, name=df.index.name)
    return out, removed, [str(_clean_value(n, [0])) for n in columns]


def remove_lone_surrogates(df: pd.DataFrame, *, what: str = "the table") -> pd.DataFrame:
    """A copy of ``df`` whose text holds no lone surrogate; ``df`` itself if it has none.

    See :func:`lone_surrogates_removed`. When anything is removed a
    :class:`TextCleanedWarning` says how many and in which columns (``what``
    names the output). Cost: one pass over the object columns' cells, no
    copy when nothing is found.

    >>> clean = remove_lone_surrogates(pd.DataFrame({"m": ["A"]}))
    >>> clean["m"].tolist()
    ['A']
    """
    out, removed, columns = lone_surrogates_removed(df)
    if removed:
        warn_removed(removed, what, columns)
    return out


def warn_removed(removed: int, what: str, columns: list[str]) -> None:
    """Warn that ``removed`` lone surrogates were taken out of ``what``."""
    where = ", ".join(columns) or "names"
    warnings.warn(
        f"{what}: removed {removed} lone surrogate(s), which no file can hold (columns: {where})",
        TextCleanedWarning,
        stacklevel=4,
    )


def escape_control(text: str) -> str:
    """``text`` safe to print on a terminal: control characters shown as escapes.

    C0/C1 controls and DEL (the escape sequences of terminals start with
    them), the bidirectional overrides and isolates, and lone surrogates are
    written as ``\\xNN``, ``\\uNNNN``; everything else is unchanged.

    >>> escape_control("A\\x1b[2JB\\tC")
    'A\\\\x1b[2JB\\\\tC'
    """
    return _TERMINAL_UNSAFE_RE.sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    ch = match.group()
    simple = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}
    if ch in simple:
        return simple[ch]
    code = ord(ch)
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"

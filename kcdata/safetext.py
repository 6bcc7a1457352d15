"""Text that every output can carry: lone surrogates removed, control characters escaped.

A lone surrogate (U+D800-U+DFFF on its own) cannot be encoded, so a table built in Python
holding one would break a CSV, a workbook or a chart: writers remove them and say so with a
:class:`TextCleanedWarning`. Terminal output goes through :func:`escape_control`, so that a
document cannot send escape sequences to the terminal.
"""

from __future__ import annotations

import re
import warnings

import pandas as pd

_SURROGATE_RE = re.compile("[\ud800-\udfff]")
# C0 and C1 controls, DEL, the bidirectional overrides and isolates, lone surrogates.
_TERMINAL_UNSAFE_RE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)


class TextCleanedWarning(UserWarning):
    """Characters no file can hold (lone surrogates) were removed from a table's text."""


def _texts(value) -> list[str]:
    """The text in a cell: itself if a string, the strings inside a tuple (recursively)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, tuple):
        return [text for v in value for text in _texts(v)]
    return []


def _clean(value):
    if isinstance(value, str):
        return _SURROGATE_RE.sub("", value)
    if isinstance(value, tuple):
        return tuple(_clean(v) for v in value)
    return value


def lone_surrogates_removed(df: pd.DataFrame) -> tuple[pd.DataFrame, int, list[str]]:
    """``(df without lone surrogates, how many were removed, the columns cleaned)``.

    Text cells and tuples of texts (``departments``, nested too) are cleaned; ``df``
    itself comes back when it holds none. Pure.
    """
    found = {}
    for name in df.columns:
        if df[name].dtype == object:  # Arrow-backed text cannot hold a lone surrogate
            text = "\n".join(t for value in df[name].tolist() for t in _texts(value))
            if count := len(_SURROGATE_RE.findall(text)):
                found[name] = count
    if not found:
        return df, 0, []
    out = df.copy()
    for name in found:
        out[name] = df[name].map(_clean)
    return out, sum(found.values()), [str(name) for name in found]


def remove_lone_surrogates(df: pd.DataFrame, *, what: str = "the table") -> pd.DataFrame:
    """:func:`lone_surrogates_removed`'s table, with a :class:`TextCleanedWarning` naming ``what``.

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
    """``text`` safe to print on a terminal: controls, bidi overrides and surrogates escaped.

    >>> escape_control("A\\x1b[2JB\\tC")
    'A\\\\x1b[2JB\\\\tC'
    """
    return _TERMINAL_UNSAFE_RE.sub(
        lambda match: match.group().encode("unicode_escape").decode("ascii"), text
    )

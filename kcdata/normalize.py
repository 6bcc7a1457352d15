"""Text clean-up for PDF-extraction artefacts, and NFKC keys for comparisons.

The rule, in one place (used for every cell and heading title):

* a space (ASCII U+0020 or ideographic U+3000) with a Japanese character on
  either side is removed: 「令和 7 年 4 月」 -> 「令和7年4月」;
* a space between two non-Japanese characters stays:
  「まちづくり HUB Project事業」 keeps the space in 「HUB Project」;
* leading and trailing white space is trimmed.

Japanese characters are kana, CJK punctuation and ideographs, and full-width
forms: U+3001-U+30FF, U+3400-U+9FFF, U+F900-U+FAFF and U+FF00-U+FFEF (the
ideographic space U+3000 itself is a space, not a neighbour).

The text keeps its own characters otherwise: full-width brackets stay
full-width. Comparisons (re-listings, duplicates, plan versions) use
:func:`nfkc_key`, which folds widths and compatibility forms.

The clean-up runs as two RE2 passes over Arrow arrays, so the same code serves
one title or a million cells; they run only on the cells that hold a space
after trimming. The parser goes further: it tells the cells with nothing to
clean from their raw bytes (:func:`white_at_start`, :func:`white_at_end`,
and whether they hold a space) and leaves them alone (:func:`apply_where`).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

#: Character class (RE2 syntax) of the characters that make a neighbouring space an artefact.
JAPANESE_CLASS = r"[\x{3001}-\x{30FF}\x{3400}-\x{9FFF}\x{F900}-\x{FAFF}\x{FF00}-\x{FFEF}]"
_SPACES = r"[ \x{3000}]+"

__all__ = [
    "JAPANESE_CLASS",
    "as_departments",
    "clean_text",
    "clean_text_array",
    "departments_key",
    "nfkc_key",
    "text_key",
]

# The first bytes (UTF-8) of the characters utf8_trim_whitespace trims: bytes <= 0x20,
# C2 (U+0085, U+00A0), E1 (U+1680), E2 (U+2000-U+205F). U+3000 (E3 80 80) is checked
# apart, since E3 also starts most kana.
_WHITE_START = np.zeros(256, dtype=bool)  # indexed by a byte
_WHITE_START[: 0x20 + 1] = True
_WHITE_START[[0xC2, 0xE1, 0xE2]] = True


def clean_text_array(values: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    """Apply the clean-up rule to every string of an Arrow array (nulls stay null)."""
    if isinstance(values, pa.ChunkedArray):
        return _remove_spaces(values)
    # Trimming first changes nothing in what the passes remove, and most trimmed
    # cells hold no space: the regular-expression passes run on the others only.
    values = pc.utf8_trim_whitespace(values)
    spaced = pc.or_(pc.match_substring(values, " "), pc.match_substring(values, "\u3000"))
    return apply_where(_remove_spaces, values, all_of(spaced))


def _remove_spaces(values: pa.Array) -> pa.Array:
    values = pc.replace_substring_regex(values, f"({JAPANESE_CLASS}){_SPACES}", r"\1")
    values = pc.replace_substring_regex(values, f"{_SPACES}({JAPANESE_CLASS})", r"\1")
    return pc.utf8_trim_whitespace(values)


def apply_where(function, values: pa.Array, where: np.ndarray) -> pa.Array:
    """``function`` (an element-wise Arrow transform) applied only to the cells where ``where``.

    ``function(values)`` must equal ``values`` at the other cells; they are
    kept as they are.
    """
    if not where.any():
        return values
    mask = pa.array(where)
    return pc.replace_with_mask(values, mask, function(values.filter(mask)))


def all_of(*masks: pa.Array) -> np.ndarray:
    """Boolean Arrow arrays combined with AND, as NumPy (nulls count as false)."""
    out = masks[0]
    for mask in masks[1:]:
        out = pc.and_(out, mask)
    return pc.fill_null(out, False).to_numpy(zero_copy_only=False)


def white_at_start(buf: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """Which texts starting at ``starts`` in ``buf`` (UTF-8) may start with white space.

    Never misses one; flags a few others, such as empty texts. A cell that
    neither starts nor ends with white space (see :func:`white_at_end`) is
    its own trim, and if it holds no space (U+0020, U+3000) either, its own
    clean-up.
    """
    # White space starts with a byte in _WHITE_START, or is U+3000 (E3 80 80).
    # Indices are clipped to the buffer: reading past a short text only flags more.
    head = np.take(buf, starts, mode="clip")
    flagged = _WHITE_START[head]
    wide = np.flatnonzero(head == 0xE3)
    wide_at = starts[wide]
    flagged[wide] |= (np.take(buf, wide_at + 1, mode="clip") == 0x80) & (
        np.take(buf, wide_at + 2, mode="clip") == 0x80
    )
    return flagged


def white_at_end(buf: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """Which texts ending before ``ends`` in ``buf`` (UTF-8) may end with white space.

    Never misses one; flags a few others (see :func:`white_at_start`).
    """
    # A multi-byte white space ends 1 (C2) or 2 (E1, E2, E3) bytes after its first byte.
    last = [np.take(buf, ends - back, mode="clip") for back in (1, 2, 3)]
    return (
        (last[0] <= 0x20)
        | (last[1] == 0xC2)
        | _WHITE_START[last[2]]
        | ((last[2] == 0xE3) & (last[1] == 0x80) & (last[0] == 0x80))
    )


def clean_text(text: str) -> str:
    """Apply the clean-up rule to one string.

    >>> clean_text("地域コミュニティ ICT 化推進プロジェクト事業")
    '地域コミュニティICT化推進プロジェクト事業'
    >>> clean_text(" まちづくり HUB Project 事業 ")
    'まちづくりHUB Project事業'
    """
    return clean_text_array(pa.array([text], type=pa.string()))[0].as_py()


def nfkc_key(values: pd.Series | Iterable[str]) -> pd.Series:
    """The comparison key of each string: NFKC-normalised, white space removed.

    Two cells are "the same" for re-listing, duplicate and plan-comparison
    purposes when their keys are equal, so 「（仮称）ＩＣＴ事業」 and
    「(仮称)ICT 事業」 match. The input is not modified.

    >>> nfkc_key(["（仮称）ＩＣＴ 事業"]).tolist()
    ['(仮称)ICT事業']
    """
    series = values if isinstance(values, pd.Series) else pd.Series(list(values), dtype="str")
    return series.map(text_key, na_action="ignore").astype("str")


def text_key(text: str) -> str:
    """The comparison key of one string (see :func:`nfkc_key`)."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def departments_key(departments: Iterable[str]) -> tuple[str, ...]:
    """The comparison key of a 所管する課 cell: the distinct :func:`text_key` values, sorted.

    Order and repetition do not count, so 「甲課 乙課」 and 「乙課 甲課」 are the same.

    >>> departments_key(["乙課", "甲課", "ＡＢ課"])
    ('AB課', '乙課', '甲課')
    """
    return tuple(sorted({text_key(d) for d in departments}))


def as_departments(value: object) -> tuple[str, ...]:
    """A 所管する課 value as a tuple of department names.

    A string is split at white space of any kind (ASCII, full-width U+3000, or
    other Unicode spaces), the document's way of listing co-managing
    departments; a tuple or list is taken as it is; a missing value is ``()``.
    One rule for the parser, :func:`kcdata.to_text` and plan comparison.

    >>> as_departments("緑と花の課　内水整備課")
    ('緑と花の課', '内水整備課')
    >>> as_departments(("甲課",))
    ('甲課',)
    """
    if isinstance(value, str):
        return tuple(value.split())
    if value is None or not isinstance(value, Iterable):
        return ()
    return tuple(str(v) for v in value)

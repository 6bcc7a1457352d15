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
after trimming. The parser goes further: it reads the rule off the raw bytes
(:func:`removed_space_runs`), and only the cells that may start or end with
white space (:func:`white_at_start`, :func:`white_at_end`) go through the
passes.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

#: Code point ranges (inclusive) of the characters that make a neighbouring space an artefact.
#: All of them are three bytes long in UTF-8.
JAPANESE_RANGES = ((0x3001, 0x30FF), (0x3400, 0x9FFF), (0xF900, 0xFAFF), (0xFF00, 0xFFEF))
#: The same characters as a character class (RE2 syntax).
JAPANESE_CLASS = "[" + "".join(rf"\x{{{lo:X}}}-\x{{{hi:X}}}" for lo, hi in JAPANESE_RANGES) + "]"
_SPACES = r"[ \x{3000}]+"

__all__ = [
    "JAPANESE_CLASS",
    "JAPANESE_RANGES",
    "as_departments",
    "clean_text",
    "clean_text_array",
    "departments_key",
    "nfkc_key",
    "removed_space_runs",
    "text_key",
]


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


def white_at_start(first: np.ndarray, second: np.ndarray, third: np.ndarray) -> np.ndarray:
    """Which texts (UTF-8) with these first three bytes may start with white space.

    Bytes past a text's end may be anything (they only flag more). Never
    misses a text that starts with white space; flags a few others, such as
    empty texts. A cell that neither starts nor ends with white space (see
    :func:`white_at_end`) is its own trim.
    """
    return _white_lead(first) | ((first == 0xE3) & (second == 0x80) & (third == 0x80))


def white_at_end(third_last: np.ndarray, second_last: np.ndarray, last: np.ndarray) -> np.ndarray:
    """Which texts (UTF-8) with these last three bytes may end with white space.

    Never misses one; flags a few others (see :func:`white_at_start`).
    """
    # A multi-byte white space ends 1 (C2) or 2 (E1, E2, E3) bytes after its first byte.
    return (
        (last <= 0x20)
        | (second_last == 0xC2)
        | _white_lead(third_last)
        | ((third_last == 0xE3) & (second_last == 0x80) & (last == 0x80))
    )


def _white_lead(byte: np.ndarray) -> np.ndarray:
    """Whether a character starting with this byte may be one utf8_trim_whitespace trims.

    Those are bytes <= 0x20, C2 (U+0085, U+00A0), E1 (U+1680) and E2
    (U+2000-U+205F); U+3000 (E3 80 80) is checked apart, since E3 also starts
    most kana.
    """
    return (byte <= 0x20) | (byte == 0xC2) | (byte == 0xE1) | (byte == 0xE2)


def removed_space_runs(
    buf: np.ndarray, spaces: np.ndarray, widths: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The runs of spaces in UTF-8 ``buf`` that the clean-up rule removes, as byte ranges.

    ``spaces`` are the positions of all the space characters in ``buf`` in
    increasing order (of the first byte of a U+3000), ``widths`` their lengths
    in bytes (1 or 3). Adjacent spaces form a run; a run with a Japanese
    character just before or just after it is removed. Returns the start and
    end (exclusive) of each removed run.

    This is the rule of :func:`clean_text_array` on bytes, for texts that
    neither start nor end with white space: their runs have neighbours on
    both sides, and trimming changes nothing.
    """
    if len(spaces) == 0:
        return spaces[:0], spaces[:0]
    ends = spaces + widths
    new_run = np.empty(len(spaces), dtype=bool)
    new_run[0] = True
    new_run[1:] = spaces[1:] != ends[:-1]
    first = np.flatnonzero(new_run)
    starts = spaces[first]
    ends = ends[np.append(first[1:] - 1, len(spaces) - 1)]
    removed = _japanese_ending_at(buf, starts) | _japanese_starting_at(buf, ends)
    return starts[removed], ends[removed]


def _japanese_starting_at(buf: np.ndarray, pos: np.ndarray) -> np.ndarray:
    """Whether a Japanese character starts at each position (all are 3 bytes in UTF-8)."""
    pos = pos.astype(np.int64)
    lead, second, third = (np.take(buf, pos + k, mode="clip").astype(np.int32) for k in range(3))
    return (pos < len(buf)) & _is_japanese(lead, second, third)


def _japanese_ending_at(buf: np.ndarray, pos: np.ndarray) -> np.ndarray:
    """Whether a Japanese character ends just before each position."""
    # In valid UTF-8 a lead byte E0-EF three bytes back starts the character that ends here.
    pos = pos.astype(np.int64)
    lead, second, third = (np.take(buf, pos - k, mode="clip").astype(np.int32) for k in (3, 2, 1))
    return (pos >= 3) & _is_japanese(lead, second, third)


def _is_japanese(lead: np.ndarray, second: np.ndarray, third: np.ndarray) -> np.ndarray:
    code = ((lead & 0x0F) << 12) | ((second & 0x3F) << 6) | (third & 0x3F)
    found = np.zeros(len(code), dtype=bool)
    for lo, hi in JAPANESE_RANGES:
        found |= (code >= lo) & (code <= hi)
    return found & (lead >= 0xE0) & (lead <= 0xEF)


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

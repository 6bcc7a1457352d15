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
after trimming.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

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
    "text_key",
]


def clean_text_array(values: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    """Apply the clean-up rule to every string of an Arrow array (nulls stay null)."""
    if isinstance(values, pa.ChunkedArray):
        return _remove_spaces(values)
    # Trimming first changes nothing in what the passes remove, and most trimmed
    # cells hold no space: the regular-expression passes run on the others only.
    values = pc.utf8_trim_whitespace(values)
    spaced = pc.fill_null(pc.match_substring_regex(values, _SPACES), False)
    if not pc.any(spaced).as_py():
        return values
    return pc.replace_with_mask(values, spaced, _remove_spaces(values.filter(spaced)))


def _remove_spaces(values: pa.Array) -> pa.Array:
    values = pc.replace_substring_regex(values, f"({JAPANESE_CLASS}){_SPACES}", r"\1")
    values = pc.replace_substring_regex(values, f"{_SPACES}({JAPANESE_CLASS})", r"\1")
    return pc.utf8_trim_whitespace(values)


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

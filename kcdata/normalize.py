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
one title or a million cells.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

#: Character class (RE2 syntax) of the characters that make a neighbouring space an artefact.
JAPANESE_CLASS = r"[\x{3001}-\x{30FF}\x{3400}-\x{9FFF}\x{F900}-\x{FAFF}\x{FF00}-\x{FFEF}]"
_SPACES = r"[ \x{3000}]+"

__all__ = ["JAPANESE_CLASS", "clean_text", "clean_text_array", "nfkc_key", "text_key"]


def clean_text_array(values: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    """Apply the clean-up rule to every string of an Arrow array (nulls stay null)."""
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

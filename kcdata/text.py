"""Text clean-up and the text keys.

* :func:`clean_text`: a space (U+0020 or U+3000) next to a Japanese character is an
  artefact of PDF extraction and goes (「令和 7 年」 -> 「令和7年」); a space between two
  other characters stays (「HUB Project」); the ends are trimmed; ideographs printed as
  radicals are read as themselves. Full-width letters and brackets stay as written.
* :func:`nfkc_key`: the key re-listings, duplicates and plan versions are compared on.
* :func:`fold_key`: the key theme words and search queries are matched on.
"""

from __future__ import annotations

import functools
import itertools
import re
import unicodedata
from collections.abc import Iterable

import pandas as pd
import pyarrow as pa

__all__ = [
    "JAPANESE_RANGES",
    "as_departments",
    "at_word_bounds",
    "clean_text",
    "clean_text_array",
    "departments_key",
    "fold_key",
    "fold_key_map",
    "nfkc_key",
    "text_key",
    "unify_ideographs",
]

#: Code point ranges (inclusive) of the Japanese characters (kana, CJK punctuation and
#: ideographs, full-width forms) that make a neighbouring space an artefact.
JAPANESE_RANGES = ((0x3001, 0x30FF), (0x3400, 0x9FFF), (0xF900, 0xFAFF), (0xFF00, 0xFFEF))
_JAPANESE = "[" + "".join(f"{chr(lo)}-{chr(hi)}" for lo, hi in JAPANESE_RANGES) + "]"
_ARTEFACT_SPACES = re.compile(f"(?<={_JAPANESE})[ \u3000]+|[ \u3000]+(?={_JAPANESE})")


def clean_text(text: str) -> str:
    """Apply the clean-up rule to one string.

    >>> clean_text("地域コミュニティ ICT 化推進プロジェクト事業")
    '地域コミュニティICT化推進プロジェクト事業'
    >>> clean_text(" まちづくり HUB Project 事業 ")
    'まちづくりHUB Project事業'
    """
    return _ARTEFACT_SPACES.sub("", unify_ideographs(text)).strip()


def clean_text_array(values: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    """:func:`clean_text` on every string of an Arrow array (nulls stay null)."""
    if isinstance(values, pa.ChunkedArray):
        chunks = [clean_text_array(chunk) for chunk in values.chunks]
        return pa.chunked_array(chunks, type=values.type)
    cleaned = [None if text is None else clean_text(text) for text in values.to_pylist()]
    return pa.array(cleaned, type=values.type)


#: The CJK Radicals Supplement (U+2E80-U+2EF3) as pairs: each radical, then the ideograph it
#: stands for (Unicode's EquivalentUnifiedIdeograph.txt; NFKC maps only ⺟ and ⻳).
_RADICALS_SUPPLEMENT = (
    "⺁厂⺂乛⺃乚⺄乙⺅亻⺆冂⺇𠘨⺈刀⺉刂⺊卜⺋㔾⺌小"
    "⺍小⺎兀⺏尣⺐尢⺑𡯂⺒巳⺓幺⺔彑⺕彐⺖忄⺗心⺘扌"
    "⺙攵⺛旡⺜日⺝月⺞歺⺟母⺠民⺡氵⺢氺⺣灬⺤爫⺥爫"
    "⺦丬⺧牛⺨犭⺩王⺪𤴔⺫目⺬示⺭礻⺮𥫗⺯糹⺰纟⺱罓"
    "⺲罒⺳㓁⺴冗⺵𦉫⺶羊⺷𦍌⺸𦍋⺹耂⺺肀⺻聿⺼肉⺽𦥑"
    "⺾艹⺿艹⻀艹⻁虎⻂衤⻃覀⻄西⻅见⻆角⻇𧢲⻈讠⻉贝"
    "⻊𧾷⻋车⻌辶⻍辶⻎辶⻏邑⻐钅⻑長⻒镸⻓长⻔门⻕𨸏"
    "⻖阝⻗雨⻘青⻙韦⻚页⻛风⻜飞⻝食⻞𩙿⻟飠⻠饣⻡𩠐"
    "⻢马⻣骨⻤鬼⻥鱼⻦鸟⻧卤⻨麦⻩黄⻪黾⻫斉⻬齐⻭歯"
    "⻮齿⻯竜⻰龙⻱龜⻲亀⻳龟"
)


@functools.cache
def _ideograph_table() -> dict[int, str]:
    table = dict(zip(map(ord, _RADICALS_SUPPLEMENT[::2]), _RADICALS_SUPPLEMENT[1::2],
                     strict=True))
    for code in range(0x2F00, 0x2FD6):  # Kangxi radicals: their NFKC ideograph
        table[code] = unicodedata.normalize("NFKC", chr(code))
    for code in [*range(0xF900, 0xFB00), *range(0x2F800, 0x2FA20)]:  # compatibility ideographs
        if unicodedata.normalize("NFC", chr(code)) != chr(code):
            table[code] = unicodedata.normalize("NFC", chr(code))
    return table


def unify_ideographs(text: str) -> str:
    """``text`` with each ideograph printed as a radical or compatibility form read as itself.

    Kangxi radicals become their NFKC ideograph, the CJK Radicals Supplement the
    ideograph of EquivalentUnifiedIdeograph.txt, compatibility ideographs their
    NFC ideograph. Nothing else changes (full-width letters stay).

    >>> unify_ideographs("市⺠協働推進課"), unify_ideographs("地域活動⽀援")
    ('市民協働推進課', '地域活動支援')
    >>> unify_ideographs("\\ufa0c") == "\\u5140"  # 兀, compatibility -> unified
    True
    >>> unify_ideographs("防災ラジオ（ＦＭ）配布事業")
    '防災ラジオ（ＦＭ）配布事業'
    """
    if _RADICAL_OR_COMPATIBILITY.search(text) is None:  # most text has none: no copy
        return text
    return text.translate(_ideograph_table())


#: The blocks :func:`unify_ideographs` reads from: radicals, compatibility ideographs.
_RADICAL_OR_COMPATIBILITY = re.compile("[\u2e80-\u2fdf\uf900-\ufaff\U0002f800-\U0002fa1f]")


def text_key(text: str) -> str:
    """The comparison key of one string: NFKC-normalised, white space removed."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def nfkc_key(values: pd.Series | Iterable[str]) -> pd.Series:
    """:func:`text_key` of each string, so 「（仮称）ＩＣＴ事業」 and 「(仮称)ICT 事業」 match.

    >>> nfkc_key(["（仮称）ＩＣＴ 事業"]).tolist()
    ['(仮称)ICT事業']
    """
    series = values if isinstance(values, pd.Series) else pd.Series(list(values), dtype="str")
    return series.map(text_key, na_action="ignore").astype("str")


def departments_key(departments: Iterable[str]) -> tuple[str, ...]:
    """The key of a 所管する課 cell: its distinct :func:`text_key` values, sorted (order ignored).

    >>> departments_key(["乙課", "甲課", "ＡＢ課"])
    ('AB課', '乙課', '甲課')
    """
    return tuple(sorted({text_key(d) for d in departments}))


def as_departments(value: object) -> tuple[str, ...]:
    """A 所管する課 value as a tuple: a string split at any white space, a missing value ``()``.

    >>> as_departments("緑と花の課　内水整備課")
    ('緑と花の課', '内水整備課')
    """
    if isinstance(value, str):
        return tuple(value.split())
    if value is None or not isinstance(value, Iterable):
        return ()
    return tuple(str(v) for v in value)


# --- the folded key: NFKC, casefold, katakana (and ヽヾ) as hiragana, white space as " " ---
_KANA_TO_HIRAGANA: dict[int, int] = {
    **{c: c - 0x60 for c in range(0x30A1, 0x30F7)},
    ord("ヽ"): ord("ゝ"),
    ord("ヾ"): ord("ゞ"),
    **dict.fromkeys([c for c in range(0x3001) if chr(c).isspace()], ord(" ")),
}
_SPACE_RUN = re.compile(" +")


def _is_word_char(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def _kept(folded: str) -> list[bool]:
    """Which characters of ``folded`` stay: not spaces, except one between two ASCII words."""
    keep = [c != " " for c in folded]
    for run in _SPACE_RUN.finditer(folded):
        start, end = run.span()
        if 0 < start and end < len(folded) and _is_word_char(folded[start - 1]) \
                and _is_word_char(folded[end]):
            keep[start] = True
    return keep


def fold_key(text: str) -> str:
    """The folded key: NFKC, case-folded, katakana as hiragana, white space removed.

    A run of white space between two ASCII letters or digits stays, as one space,
    so Latin words stay apart. The long vowel mark 「ー」 stays; readings are not
    compared (「防災」 is not 「ぼうさい」).

    >>> fold_key("ＩＣＴ 化") == fold_key("ict化") == "ict化"
    True
    >>> fold_key("ボウサイ"), fold_key("ﾎﾞｳｻｲ"), fold_key("ぼうさい")
    ('ぼうさい', 'ぼうさい', 'ぼうさい')
    >>> fold_key(" HUB\\u3000 Project 事業 ")
    'hub project事業'
    """
    folded = unicodedata.normalize("NFKC", text).casefold().translate(_KANA_TO_HIRAGANA)
    if " " not in folded:
        return folded
    return "".join(itertools.compress(folded, _kept(folded)))


def at_word_bounds(key: str, start: int, end: int) -> bool:
    """Whether the match ``key[start:end]`` counts: an ASCII letter or digit at an end of the
    word must not continue an ASCII word of the key (「ict」 is not in 「district」).

    >>> key = fold_key("district ICT化")
    >>> [at_word_bounds(key, i, i + 3) for i in (key.find("ict"), key.rfind("ict"))]
    [False, True]
    """
    if _is_word_char(key[start]) and start > 0 and _is_word_char(key[start - 1]):
        return False
    return not (_is_word_char(key[end - 1]) and end < len(key) and _is_word_char(key[end]))


def _starts_cluster(previous: str, ch: str) -> bool:
    """Whether ``ch`` folds apart from ``previous`` (NFKC does not combine them: 「ｶ」 + 「ﾞ」)."""
    alone = unicodedata.normalize("NFKC", ch)
    if alone and unicodedata.combining(alone[0]):
        return False
    return unicodedata.normalize("NFKC", previous + ch) == \
        unicodedata.normalize("NFKC", previous) + alone


def fold_key_map(text: str) -> tuple[str, list[int], list[int]]:
    """``(key, starts, ends)``: :func:`fold_key` of ``text``, key character ``i`` coming from
    ``text[starts[i]:ends[i]]`` (so a match is shown in the document's own characters).

    >>> fold_key_map("㈱ＩＣＴ")
    ('(株)ict', [0, 0, 0, 1, 2, 3], [1, 1, 1, 2, 3, 4])
    """
    bounds: list[int] = []
    for i, ch in enumerate(text):
        if not bounds or _starts_cluster(text[bounds[-1]:i], ch):
            bounds.append(i)
    bounds.append(len(text))
    chars: list[tuple[str, int, int]] = []
    for start, end in itertools.pairwise(bounds):
        piece = unicodedata.normalize("NFKC", text[start:end]).casefold()
        chars += [(c, start, end) for c in piece.translate(_KANA_TO_HIRAGANA)]
    kept = list(itertools.compress(chars, _kept("".join(c for c, _, _ in chars))))
    return "".join(c for c, _, _ in kept), [s for _, s, _ in kept], [e for _, _, e in kept]

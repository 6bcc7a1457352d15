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

Ideographs printed as CJK radicals or compatibility ideographs are read as the
characters they stand for (:func:`unify_ideographs`: 「市⺠協働推進課」 with the
radical ⺠ U+2EA0 is 「市民協働推進課」), before the spaces are looked at.

The text keeps its own characters otherwise: full-width brackets and letters
stay full-width (「防災ラジオ（ＦＭ）配布事業」). Comparisons (re-listings, duplicates,
plan versions) use :func:`nfkc_key`, which folds widths and compatibility forms.

The clean-up runs as two RE2 passes over Arrow arrays, so the same code serves
one title or a million cells; they run only on the cells that hold a space
after trimming.

The folded key (:func:`fold_key`) is another rule, the one theme words and
search queries are matched on; see its docstring.
"""

from __future__ import annotations

import functools
import itertools
import re
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
    "KANA_TO_HIRAGANA",
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


def clean_text_array(values: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    """Apply the clean-up rule to every string of an Arrow array (nulls stay null)."""
    if isinstance(values, pa.ChunkedArray):
        chunks = [_unify_array(chunk) for chunk in values.chunks]
        return _remove_spaces(pa.chunked_array(chunks, type=values.type))
    values = _unify_array(values)
    # Trimming first changes nothing in what the passes remove, and most trimmed
    # cells hold no space: the regular-expression passes run on the others only.
    values = pc.utf8_trim_whitespace(values)
    spaced = pc.fill_null(pc.match_substring_regex(values, _SPACES), False)
    if not pc.any(spaced).as_py():
        return values
    return pc.replace_with_mask(values, spaced, _remove_spaces(values.filter(spaced)))


def _unify_array(values: pa.Array) -> pa.Array:
    """:func:`unify_ideographs` on the strings that hold a radical or compatibility ideograph."""
    found = pc.fill_null(pc.match_substring_regex(values, _PRINTED_AS_CLASS), False)
    if not pc.any(found).as_py():
        return values
    unified = [unify_ideographs(text) for text in values.filter(found).to_pylist()]
    return pc.replace_with_mask(values, found, pa.array(unified, type=values.type))


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


# --- ideographs as printed -----------------------------------------------------------------

#: The CJK Radicals Supplement (U+2E80-U+2EF3) as pairs of characters: each radical, then the
#: unified ideograph it stands for. From the Unicode Character Database's
#: EquivalentUnifiedIdeograph.txt (property Equivalent_Unified_Ideograph, Unicode 14.0, read
#: through Perl's Unicode::UCD), all 114 radicals that have one (⺀ U+2E80 has none).
#: NFKC maps only two of them (⺟, ⻳); it maps every Kangxi radical (U+2F00-U+2FD5) to the
#: same ideograph as that file does.
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
#: The blocks :func:`unify_ideographs` looks at: both radical blocks and both blocks of
#: CJK Compatibility Ideographs.
_PRINTED_AS_BLOCKS = ((0x2E80, 0x2FD5), (0xF900, 0xFAFF), (0x2F800, 0x2FA1F))
_PRINTED_AS = re.compile("[" + "".join(f"{chr(lo)}-{chr(hi)}" for lo, hi in _PRINTED_AS_BLOCKS)
                         + "]")
_PRINTED_AS_CLASS = "[" + "".join(rf"\x{{{lo:X}}}-\x{{{hi:X}}}"
                                  for lo, hi in _PRINTED_AS_BLOCKS) + "]"


@functools.cache
def _ideograph_table() -> dict[int, str]:
    """The :meth:`str.translate` table of :func:`unify_ideographs` (made on first use)."""
    table = {ord(radical): ideograph for radical, ideograph in
             zip(_RADICALS_SUPPLEMENT[::2], _RADICALS_SUPPLEMENT[1::2], strict=True)}
    for code in range(0x2F00, 0x2FD6):  # Kangxi radicals: their compatibility decomposition
        table[code] = unicodedata.normalize("NFKC", chr(code))
    for lo, hi in _PRINTED_AS_BLOCKS[1:]:  # compatibility ideographs: canonical decomposition
        for code in range(lo, hi + 1):
            unified = unicodedata.normalize("NFC", chr(code))
            if unified != chr(code):
                table[code] = unified
    return table


def unify_ideographs(text: str) -> str:
    """``text`` with each ideograph printed as a radical or compatibility form read as itself.

    Japanese PDFs often print an ideograph as the CJK radical of the same
    shape, and copying their text gives the radical: 「市⺠協働推進課」 with ⺠
    U+2EA0, 「⽀援」 with ⽀ U+2F40. Kangxi radicals (U+2F00-U+2FD5) become
    their NFKC ideograph, the CJK Radicals Supplement (U+2E80-U+2EF3) the
    ideograph of Unicode's EquivalentUnifiedIdeograph.txt, and CJK
    Compatibility Ideographs (U+F900-U+FAFF, U+2F800-U+2FA1F) their canonical
    (NFC) ideograph. Nothing else changes: the text is not NFKC'd, so
    full-width letters stay full-width. Cost: one regular-expression search
    for text without any of these characters.

    >>> unify_ideographs("市⺠協働推進課"), unify_ideographs("地域活動⽀援")
    ('市民協働推進課', '地域活動支援')
    >>> unify_ideographs("\\ufa0c") == "\\u5140"  # 兀, compatibility -> unified
    True
    >>> unify_ideographs("防災ラジオ（ＦＭ）配布事業")
    '防災ラジオ（ＦＭ）配布事業'
    """
    if not _PRINTED_AS.search(text):
        return text
    return text.translate(_ideograph_table())


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


# --- the folded key of theme words and search queries ------------------------------------
#
# 1. NFKC: full-width Latin letters and digits become ASCII (「ＩＣＴ」 -> 「ICT」),
#    half-width katakana become full-width (「ﾎﾞｳｻｲ」 -> 「ボウサイ」), compatibility
#    characters are spelled out (「㈱」 -> 「(株)」);
# 2. case-folded (str.casefold): 「ICT」, 「Ict」 and 「ict」 are one;
# 3. katakana U+30A1-U+30F6 (and the iteration marks ヽヾ) become the hiragana 0x60 code
#    points below: 「ボウサイ」 and 「ぼうさい」 are one (the long vowel mark 「ー」 stays, so
#    does 「ヷ」-「ヺ」, which have no hiragana);
# 4. white space of every kind is removed, so that a space PDF extraction left (「ICT 化」)
#    does not stop a match, except that a run of white space between two ASCII letters or
#    digits becomes one space (「HUB Project」 -> 「hub project」): Latin words stay apart.
#
# Step 3 is a str.translate table: jaconv would add a dependency for this one conversion,
# and its other conversions (half-width to full-width, ...) NFKC already does. The folded key
# is no comparison key for re-listings or plan versions: those stay nfkc_key, which keeps
# case and kana apart.

#: Katakana ァ U+30A1 ... ヶ U+30F6 and their hiragana, 0x60 code points below.
_KATAKANA = range(0x30A1, 0x30F7)
_KANA_SHIFT = 0x60
#: Every character :meth:`str.split` splits at (all of them are below U+3001).
_WHITE_SPACE = [c for c in range(0x3001) if chr(c).isspace()]

#: The :meth:`str.translate` table of step 3 of :func:`fold_key`: katakana and the
#: iteration marks ヽヾ to hiragana; it also makes every white space an ASCII space, for step 4.
KANA_TO_HIRAGANA: dict[int, int] = {
    **{c: c - _KANA_SHIFT for c in _KATAKANA},
    ord("ヽ"): ord("ゝ"),
    ord("ヾ"): ord("ゞ"),
    **dict.fromkeys(_WHITE_SPACE, ord(" ")),
}

_SPACE_RUN = re.compile(" +")


def _is_word_char(ch: str) -> bool:
    """An ASCII letter or digit (after case folding: a-z, 0-9)."""
    return ch.isascii() and ch.isalnum()


def _fold_spaces(text: str) -> str:
    """Step 4 of :func:`fold_key`, on text whose white space is all ASCII spaces."""
    def keep(match: re.Match[str]) -> str:
        before, after = match.start() - 1, match.end()
        between = before >= 0 and after < len(text)
        return " " if between and _is_word_char(text[before]) and _is_word_char(text[after]) \
            else ""

    return _SPACE_RUN.sub(keep, text)


def fold_key(text: str) -> str:
    """The folded key of one string: NFKC, case-folded, katakana as hiragana, no spaces.

    The key theme words, search queries and the cells they are looked for in
    are compared on (the steps are listed above this function in the source):
    white space is removed, except that a run of it between two ASCII letters
    or digits becomes one space. Three string passes, about 1 µs for a cell
    of 30 characters.

    >>> fold_key("ＩＣＴ 化") == fold_key("ict化") == "ict化"
    True
    >>> fold_key("ボウサイ"), fold_key("ﾎﾞｳｻｲ"), fold_key("ぼうさい")
    ('ぼうさい', 'ぼうさい', 'ぼうさい')
    >>> fold_key(" HUB\u3000 Project 事業 ")
    'hub project事業'
    """
    folded = unicodedata.normalize("NFKC", text).casefold().translate(KANA_TO_HIRAGANA)
    return _fold_spaces(folded)


def at_word_bounds(key: str, start: int, end: int) -> bool:
    """Whether the match ``key[start:end]`` (of a folded word in a folded key) may count.

    A word beginning with an ASCII letter or digit matches only where the key
    character before it is not one (or at the start of the key); a word ending
    with one, likewise after it. Other words always match. So 「ict」 is found
    in 「ict化」 and 「ictを」 but not in 「district」, and 「ai」 not in
    「sustainable」. ``end`` is exclusive.

    >>> key = fold_key("district ICT化")
    >>> [at_word_bounds(key, i, i + 3) for i in (key.find("ict"), key.rfind("ict"))]
    [False, True]
    """
    if _is_word_char(key[start]) and start > 0 and _is_word_char(key[start - 1]):
        return False
    return not (_is_word_char(key[end - 1]) and end < len(key) and _is_word_char(key[end]))


def _starts_cluster(previous: str, ch: str) -> bool:
    """Whether ``ch`` may be folded apart from the cluster ``previous`` before it.

    Not when NFKC would combine them: a combining mark (「ｶ」 + 「ﾞ」 is 「ガ」),
    or any character whose NFKC with the cluster differs from the two apart.
    """
    alone = unicodedata.normalize("NFKC", ch)
    if alone and unicodedata.combining(alone[0]):
        return False
    nfkc = unicodedata.normalize
    return nfkc("NFKC", previous + ch) == nfkc("NFKC", previous) + alone


def fold_key_map(text: str) -> tuple[str, list[int], list[int]]:
    """The folded key of ``text`` and where each key character comes from.

    Returns ``(key, starts, ends)``: ``key == fold_key(text)``, and key
    character ``i`` comes from ``text[starts[i]:ends[i]]``, so a match
    ``key[a:b]`` is ``text[starts[a]:ends[b - 1]]`` in the document's own
    characters (NFKC may change lengths: 「㈱」 is three key characters,
    「ｶﾞ」 one). Positions count Python characters (code points). The text is
    cut into clusters that fold independently (a character with the combining
    marks after it); should the clusters' keys ever not add up to the key, the
    whole text is one cluster. A Python loop per character: used only for
    the cells that matched, to show a match as the document writes it.

    >>> key, starts, ends = fold_key_map("㈱ＩＣＴ")
    >>> key, starts, ends
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
        chars += [(c, start, end) for c in piece.translate(KANA_TO_HIRAGANA)]
    kept = []
    for i, item in enumerate(chars):  # step 4, as in _fold_spaces
        if item[0] != " ":
            kept.append(item)
            continue
        if kept and kept[-1][0] == " ":
            continue
        after = next((c for c, _, _ in chars[i:] if c != " "), "")
        if kept and _is_word_char(kept[-1][0]) and _is_word_char(after):
            kept.append(item)
    key = "".join(c for c, _, _ in kept)
    whole = fold_key(text)
    if key != whole:  # pragma: no cover - no such text is known; kept for safety
        return whole, [0] * len(whole), [len(text)] * len(whole)
    return key, [s for _, s, _ in kept], [e for _, _, e in kept]

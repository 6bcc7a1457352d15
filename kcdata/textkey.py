"""The folded key that theme words and search queries are matched on.

One rule, :func:`fold_key`, for a word of a theme dictionary, a search query
and every cell they are looked for in:

1. NFKC: full-width Latin letters and digits become ASCII (「ＩＣＴ」 ->
   「ICT」), half-width katakana become full-width (「ﾎﾞｳｻｲ」 -> 「ボウサイ」),
   compatibility characters are spelled out (「㈱」 -> 「(株)」);
2. case-folded (:meth:`str.casefold`): 「ICT」, 「Ict」 and 「ict」 are one;
3. katakana U+30A1-U+30F6 (and the iteration marks ヽヾ) become the hiragana
   0x60 code points below: 「ボウサイ」 and 「ぼうさい」 are one (the long vowel
   mark 「ー」 stays, so does 「ヷ」-「ヺ」, which have no hiragana);
4. white space of every kind is removed, so a space that PDF extraction left
   (「ICT 化」) does not stop a match, except that a run of white space
   between two ASCII letters or digits becomes one space (「HUB Project」 ->
   「hub project」), so that Latin words stay apart.

Matching on the key (:func:`ascii_bounded`): a word that begins (ends) with an
ASCII letter or digit matches only where the key character before (after) it
is not one, so 「ICT」 is found in 「ICT化」 and 「ICTを」 but not in
「district」, and 「AI」 not in 「sustainable」.

A stdlib table does step 3 (:data:`KANA_TO_HIRAGANA`): jaconv would add a
dependency for the one conversion kcdata needs, and its other conversions
(half-width to full-width, ...) NFKC already does.

Nothing here is a comparison key for re-listings or plan versions: those stay
:func:`kcdata.text.nfkc_key`, which keeps case and kana apart.

Cost: :func:`fold_key` is three C-level string passes (about 1 µs for a
cell of 30 characters); :func:`fold_joined` folds many cells at once (NumPy
over one joined string), for tagging large tables; :func:`fold_key_map` is a
Python loop per character, used only for cells that matched, to show the
match in the document's own characters.
"""

from __future__ import annotations

import functools
import itertools
import re
import unicodedata
from collections.abc import Sequence

import numpy as np

__all__ = [
    "KANA_TO_HIRAGANA",
    "SEPARATOR",
    "ascii_bounded",
    "ascii_word_chars",
    "fold_joined",
    "fold_key",
    "fold_key_map",
    "fold_keys",
]

_KATAKANA = range(0x30A1, 0x30F7)  # ァ ... ヶ
_KANA_SHIFT = 0x60  # ァ U+30A1 - ぁ U+3041
_ITERATION_MARKS = {0x30FD: 0x309D, 0x30FE: 0x309E}  # ヽ ヾ -> ゝ ゞ
#: Every character :meth:`str.split` splits at (all below U+3001).
_SPACES = tuple(c for c in range(0x3001) if chr(c).isspace())
_SPACE = 0x20
# Lookup tables for fold_joined: katakana and iteration marks -> hiragana, and white space.
_KANA_LAST = max(_ITERATION_MARKS)
_KANA_TABLE = np.arange(_KATAKANA.start, _KANA_LAST + 1, dtype=np.uint32)
_KANA_TABLE[: len(_KATAKANA)] -= _KANA_SHIFT
for _mark, _hiragana in _ITERATION_MARKS.items():
    _KANA_TABLE[_mark - _KATAKANA.start] = _hiragana
_SPACE_TABLE = np.zeros(_SPACES[-1] + 1, dtype=bool)
_SPACE_TABLE[list(_SPACES)] = True

#: The :meth:`str.translate` table of step 3 of :func:`fold_key`; it also makes
#: every white space an ASCII space, for step 4.
KANA_TO_HIRAGANA: dict[int, int] = {
    **{c: c - _KANA_SHIFT for c in _KATAKANA},
    **_ITERATION_MARKS,
    **dict.fromkeys(_SPACES, _SPACE),
}

#: What :func:`fold_joined` expects between two cells; a key never holds it
#: unless the cell did (theme words and queries may not).
SEPARATOR = "\x00"

_SPACE_RUN = re.compile(" +")


def _is_word_char(ch: str) -> bool:
    """An ASCII letter or digit (after case folding: a-z, 0-9)."""
    return ch.isascii() and ch.isalnum()


def _fold_spaces(text: str) -> str:
    """Step 4 on text whose white space is all ASCII spaces."""
    if " " not in text:
        return text

    def keep(match: re.Match[str]) -> str:
        before, after = match.start() - 1, match.end()
        between = before >= 0 and after < len(text)
        return " " if between and _is_word_char(text[before]) and _is_word_char(text[after]) \
            else ""

    return _SPACE_RUN.sub(keep, text)


def fold_key(text: str) -> str:
    """The folded key of one string: NFKC, case-folded, katakana as hiragana, no spaces.

    >>> fold_key("ＩＣＴ 化") == fold_key("ict化") == "ict化"
    True
    >>> fold_key("ボウサイ"), fold_key("ﾎﾞｳｻｲ"), fold_key("ぼうさい")
    ('ぼうさい', 'ぼうさい', 'ぼうさい')
    >>> fold_key(" HUB\u3000 Project 事業 ")
    'hub project事業'
    """
    folded = unicodedata.normalize("NFKC", text).casefold().translate(KANA_TO_HIRAGANA)
    return _fold_spaces(folded)


def ascii_word_chars(points: np.ndarray) -> np.ndarray:
    """Which code points are ASCII letters or digits (after case folding)."""
    return ((points >= 0x30) & (points <= 0x39)) | ((points >= 0x61) & (points <= 0x7A)) | (
        (points >= 0x41) & (points <= 0x5A)
    )


def fold_joined(joined: str) -> tuple[str, np.ndarray]:
    """:func:`fold_key` of many cells joined by :data:`SEPARATOR`, in one pass.

    Returns the folded string (the cells' keys joined by the separator, which
    every step leaves alone) and its characters as UTF-32 code points (a NumPy
    ``uint32`` array), for locating matches. The work is two C-level passes
    over the whole string and NumPy over its code points: no Python loop per
    cell.

    >>> fold_joined("ＩＣＴ\\x00ボウ サイ\\x00a  b ")[0].split("\\x00")
    ['ict', 'ぼうさい', 'a b']
    """
    points = _nfkc_casefold_points(joined)
    kana = np.flatnonzero((points >= _KATAKANA.start) & (points <= _KANA_LAST))
    points[kana] = _KANA_TABLE[points[kana] - _KATAKANA.start]
    low = np.flatnonzero(points <= _SPACES[-1])  # every white space is below U+3001
    spaces = low[_SPACE_TABLE[points[low]]]
    space = np.zeros(len(points), dtype=bool)
    space[spaces] = True
    if len(spaces):
        # Runs of spaces: where each starts and ends (exclusive); one space of a run is
        # kept when the characters just before and after it are ASCII letters or digits.
        new_run = np.concatenate(([True], np.diff(spaces) != 1))
        run_starts = spaces[new_run]
        run_ends = np.append(spaces[np.flatnonzero(new_run)[1:] - 1], spaces[-1]) + 1
        inside = (run_starts > 0) & (run_ends < len(points))
        word = ascii_word_chars(points[np.clip(np.concatenate((run_starts - 1, run_ends)), 0,
                                               len(points) - 1)])
        kept = inside & word[: len(run_starts)] & word[len(run_starts):]
        space[run_starts[kept]] = False
        points[run_starts[kept]] = _SPACE
        points = points[~space]
    return points.tobytes().decode("utf-32-le", "surrogatepass"), points


_BMP = 0x10000
_HANGUL_JAMO_V_T = (range(0x1161, 0x1176), range(0x11A8, 0x11C3))


@functools.cache
def _composes_with_previous() -> frozenset[int]:
    """Starters (combining class 0) that canonical composition joins to the character before.

    The second characters of the primary composites of the BMP (from their canonical
    decompositions) and the Hangul vowel and final jamo.
    """
    seconds = {c for r in _HANGUL_JAMO_V_T for c in r}
    for code in range(_BMP):
        parts = unicodedata.decomposition(chr(code))
        if parts and not parts.startswith("<"):
            pieces = parts.split()
            if len(pieces) == 2:
                seconds.add(int(pieces[1], 16))
    return frozenset(c for c in seconds if not unicodedata.combining(chr(c)))


@functools.cache
def _char_fold(code: int) -> int:
    """``casefold(NFKC(c))`` of one BMP character when the string rule may take it alone.

    That is when its fold is one character and no neighbour can change it: it
    is no combining mark, does not compose with the character before, and its
    compatibility decomposition does not start with such a character. Returns
    -1 otherwise (the cell is folded as a whole).
    """
    ch = chr(code)
    folded = unicodedata.normalize("NFKC", ch).casefold()
    decomposed = unicodedata.normalize("NFKD", ch)
    seconds = _composes_with_previous()
    hard = (
        len(folded) != 1
        or unicodedata.combining(ch)
        or code in seconds
        or (decomposed and (unicodedata.combining(decomposed[0]) or ord(decomposed[0]) in seconds))
    )
    return -1 if hard else ord(folded)


def _nfkc_casefold_points(joined: str) -> np.ndarray:
    """``casefold(NFKC(cell))`` of every cell of ``joined``, as one array of code points.

    NFKC of a long string that is not already normalized is slow in CPython
    (every character is decomposed and recomposed), and a cell with one
    full-width digit is enough. Text already in NFKC is only case-folded.
    Otherwise most characters fold alone, to one character,
    whatever their neighbours (:func:`_char_fold`): those are mapped with a
    NumPy table of the characters present; the few cells holding another
    character (a combining mark, 「㈱」, a character outside the BMP) are folded
    whole with :mod:`unicodedata`.
    """
    if unicodedata.is_normalized("NFKC", joined):  # the usual case: a quick check, no work
        folded = joined.casefold()
        return np.frombuffer(folded.encode("utf-32-le", "surrogatepass"), dtype=np.uint32).copy()
    points = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype=np.uint32).copy()
    bmp = points < _BMP
    present = np.flatnonzero(np.bincount(points[bmp], minlength=_BMP))
    table = np.arange(_BMP, dtype=np.int64)
    table[present] = [_char_fold(int(c)) for c in present]
    hard = ~bmp
    hard[bmp] = table[points[bmp]] < 0
    if not hard.any():
        return table[points].astype(np.uint32)
    mapped = np.where(hard, points, table[np.minimum(points, _BMP - 1)]).astype(np.uint32)
    cells = mapped.tobytes().decode("utf-32-le", "surrogatepass").split(SEPARATOR)
    originals = joined.split(SEPARATOR)
    separators = np.flatnonzero(points == 0)
    for k in np.unique(np.searchsorted(separators, np.flatnonzero(hard))).tolist():
        cells[k] = unicodedata.normalize("NFKC", originals[k]).casefold()
    folded = SEPARATOR.join(cells)
    return np.frombuffer(folded.encode("utf-32-le", "surrogatepass"), dtype=np.uint32).copy()


def fold_keys(values: Sequence[str]) -> list[str]:
    """:func:`fold_key` of each string, computed in one pass (see :func:`fold_joined`).

    >>> fold_keys(["ＮＰＯ法人", "", "ゴミ"])
    ['npo法人', '', 'ごみ']
    """
    if not values:
        return []
    joined = SEPARATOR.join(values)
    if joined.count(SEPARATOR) != len(values) - 1:  # a cell holds the separator itself
        return [fold_key(v) for v in values]
    return fold_joined(joined)[0].split(SEPARATOR)


def ascii_bounded(
    points: np.ndarray,
    starts: np.ndarray,
    ends: np.ndarray,
    word: str,
    word_chars: np.ndarray | None = None,
) -> np.ndarray:
    """Which matches ``points[starts:ends]`` of ``word`` (a key) stand at ASCII word bounds.

    A word beginning with an ASCII letter or digit needs a key character
    before the match that is not one (or the start); a word ending with one,
    likewise after. Other words always pass. ``points`` are code points
    (:func:`fold_joined`); ``starts`` and ``ends`` (exclusive) NumPy integer
    arrays; ``word_chars`` may give ``ascii_word_chars(points)``, computed
    once for many words.
    """
    ok = np.ones(len(starts), dtype=bool)
    first, last = bool(word) and _is_word_char(word[0]), bool(word) and _is_word_char(word[-1])
    if not (first or last):
        return ok
    if word_chars is None:
        word_chars = ascii_word_chars(points)
    if first:
        ok &= (starts == 0) | ~word_chars[np.maximum(starts - 1, 0)]
    if last:
        ok &= (ends >= len(points)) | ~word_chars[np.minimum(ends, len(points) - 1)]
    return ok


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
    「ｶﾞ」 one). The text is cut into clusters that fold independently (a
    character with the combining marks after it); should the clusters' keys
    ever not add up to the key, the whole text is one cluster.

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

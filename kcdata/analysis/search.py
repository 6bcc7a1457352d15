"""Keyword in context: where words occur in the listings, shown in the document's characters.

Words are looked for on :func:`kcdata.text.fold_key`, as theme words are: 「ぼうさい」 finds
「ボウサイ」 and 「ﾎﾞｳｻｲ」 (not 「防災」), 「ict」 finds 「ICT」 and 「ＩＣＴ」.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pandas as pd

from kcdata.text import at_word_bounds, fold_key, fold_key_map
from kcdata.vocab import FIELD_NAMES, section_label

__all__ = ["FIELD_NAMES", "SEARCH_COLUMNS", "SEARCH_FIELDS", "search"]

#: The fields searched by default, in this order.
SEARCH_FIELDS = ("measure", "summary")
#: The columns of :func:`search`.
SEARCH_COLUMNS = ("word", "section", "line", "measure", "field", "left", "match", "right")


def _words(query: str | Iterable[str]) -> list[str]:
    words = [query] if isinstance(query, str) else list(query)
    if not words:
        raise ValueError("no word to search for")
    for word in words:
        if not isinstance(word, str):
            raise TypeError(f"a search word must be a string, not {type(word).__name__}")
        if not fold_key(word):
            raise ValueError(f"an empty search word: {word!r}")
    return list(dict.fromkeys(words))


def _cell_text(value: object) -> str:
    if isinstance(value, tuple | list):
        return " ".join(str(v) for v in value)
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return str(value)


def _occurrences(key: str, word: str) -> list[int]:
    """Starts of the non-overlapping occurrences of ``word`` in ``key``, at ASCII word bounds."""
    found, start = [], key.find(word)
    while start >= 0:
        end = start + len(word)
        bounded = at_word_bounds(key, start, end)
        if bounded:
            found.append(start)
        start = key.find(word, end if bounded else start + 1)
    return found


def search(
    df: pd.DataFrame,
    query: str | Iterable[str],
    *,
    fields: Sequence[str] = SEARCH_FIELDS,
    context: int = 15,
) -> pd.DataFrame:
    """Every occurrence of the query's words in the listings, as a keyword-in-context table.

    ``query``: one word (its inner spaces count, so 「HUB Project」 is one word) or a
    list, searched independently (**OR**). Words are compared on
    :func:`kcdata.text.fold_key`, a word starting or ending with an ASCII letter or
    digit only at ASCII word bounds; occurrences of one word in a cell do not overlap.
    Columns :data:`SEARCH_COLUMNS` (``sheet`` after ``word`` when ``df`` has one);
    ``match`` is the occurrence in the document's own characters, ``left`` / ``right``
    up to ``context`` characters around it. Rows in document order, then field, then
    position; 【再掲】 rows are searched too.

    >>> from kcdata import parse_measures
    >>> doc = "基本方針1 方針\\n施策の方向性(1) 方向\\nＩＣＴ事業\\tボウサイにICTを\\t甲課\\n"
    >>> search(parse_measures(doc), "ict")[["field", "left", "match", "right"]].values.tolist()
    [['measure', '', 'ＩＣＴ', '事業'], ['summary', 'ボウサイに', 'ICT', 'を']]
    """
    words = _words(query)
    keys = [(word, fold_key(word)) for word in words]
    direction = df["direction_no"] if "direction_no" in df else [None] * len(df)
    listings = list(zip(df["policy_no"], direction, df["line"], df["measure"], strict=True))
    rows: list[tuple] = []
    for f, field in enumerate(fields):
        if field not in df:
            raise KeyError(f"no column {field!r} to search")
        for i, text in enumerate(_cell_text(v) for v in df[field].tolist()):
            cell_key = fold_key(text)
            if not any(k in cell_key for _, k in keys):
                continue
            key, starts, ends = fold_key_map(text)
            policy_no, direction_no, line, measure = listings[i]
            listing = (section_label(policy_no, direction_no), line, measure)
            for w, (word, k) in enumerate(keys):
                for at in _occurrences(key, k):
                    begin, end = starts[at], ends[at + len(k) - 1]
                    rows.append((i, f, begin, w, word, *listing, field,
                                 text[max(0, begin - context):begin], text[begin:end],
                                 text[end:end + context]))
    rows.sort(key=lambda r: r[:4])
    out = pd.DataFrame([r[4:] for r in rows], columns=list(SEARCH_COLUMNS))
    out = out.astype(dict.fromkeys(SEARCH_COLUMNS, "str") | {"line": "int64"})
    if "sheet" in df:  # a spreadsheet source: its rows are numbered per sheet
        out.insert(1, "sheet", df["sheet"].iloc[[r[0] for r in rows]].astype("str").to_numpy())
    return out

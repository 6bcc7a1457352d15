"""What a workbook cell holds: a Python scalar, text Excel accepts, a Japanese header.

Pure functions; :mod:`kcdata.outputs.xlsx` writes the cells.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from numbers import Integral, Real
from typing import Any

import numpy as np
import pandas as pd

from kcdata.vocab import display_width
from kcdata.vocab import label as vocab_label

#: Excel's limit on the characters in one cell.
EXCEL_MAX_CELL_CHARS = 32_767
#: Text beginning with one of these would be read as a formula by a spreadsheet.
FORMULA_PREFIXES = ("=", "+", "-", "@")
#: What an .xlsx cell cannot hold: control characters other than tab, LF and CR
#: (openpyxl's ILLEGAL_CHARACTERS_RE), lone surrogates, U+FFFE and U+FFFF.
ILLEGAL_CHARACTERS_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
#: Height in points of one line of 11-point text, for rows of wrapped text.
LINE_HEIGHT = 15.0


@dataclass
class CleanLog:
    """What was changed to fit text in a workbook: characters removed, cells cut to
    Excel's limit, and the cells touched (``シート名!A1``)."""

    removed: int = 0
    truncated: int = 0
    cells: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.removed or self.truncated)

    def note(self, limit: int = 10) -> str:
        """A sentence in Japanese for the 概要 sheet ('' when nothing was changed)."""
        if not self:
            return ""
        parts = []
        if self.removed:
            parts.append(f"Excelで使えない文字（制御文字など）{self.removed}文字を取り除きました")
        if self.truncated:
            parts.append(
                f"{self.truncated}個のセルを1セルの上限{EXCEL_MAX_CELL_CHARS:,}文字で切りました"
            )
        where = "、".join(self.cells[:limit])
        if len(self.cells) > limit:
            where += f" ほか{len(self.cells) - limit}セル"
        return "。".join(parts) + f"（{where}）。"


def clean_cell_text(text: str) -> tuple[str, int, bool]:
    """``(text, characters removed, truncated?)``: forbidden characters removed, then the
    text cut at :data:`EXCEL_MAX_CELL_CHARS`; tabs, line feeds and carriage returns kept."""
    cleaned, removed = ILLEGAL_CHARACTERS_RE.subn("", text)
    truncated = len(cleaned) > EXCEL_MAX_CELL_CHARS
    return cleaned[:EXCEL_MAX_CELL_CHARS], removed, truncated


def wrapped_lines(text: str, width: float) -> int:
    """The lines ``text`` takes in a wrapping cell ``width`` wide: each line of it wraps
    every ``width - 1`` half-width units (full-width characters count as two)."""
    usable = max(int(width) - 1, 1)
    return sum(max(1, math.ceil(display_width(line) / usable)) for line in str(text).split("\n"))


def cell_value(value: Any) -> Any:
    """A cell's scalar: None (also for NaN, ``pd.NA`` and infinities), bool, int, float or
    str; tuples and lists are joined with 「、」.

    >>> cell_value(("甲課", "乙課")), cell_value(float("nan")), cell_value(np.int64(7))
    ('甲課、乙課', None, 7)
    """
    if value is None:
        return None
    if isinstance(value, tuple | list):
        return "、".join(str(v) for v in value)
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, Integral):
        return int(value)
    if isinstance(value, Real):
        number = float(value)
        return None if math.isinf(number) else number
    return value if isinstance(value, str) else str(value)


def unique_headers(names: Sequence[Any], labels: Mapping[str, str]) -> list[str]:
    """The Japanese header of each column name (``labels`` first, then
    :func:`kcdata.vocab.label`; tuples joined with "-"), made unique with (2), (3)..."""
    headers: list[str] = []
    for name in names:
        key = "-".join(str(n) for n in name) if isinstance(name, tuple) else str(name)
        text = labels.get(key) or vocab_label(key)
        candidate, k = text, 2
        while candidate in headers:
            candidate, k = f"{text}({k})", k + 1
        headers.append(candidate)
    return headers


def japanese_headers(df: pd.DataFrame, labels: Mapping[str, str] | None = None) -> pd.DataFrame:
    """A copy of ``df`` with the Japanese headers a workbook sheet gives it.

    >>> japanese_headers(pd.DataFrame({"measure": ["A事業"], "listings": [1]})).columns.tolist()
    ['事業名', '掲載数']
    """
    out = df.copy()
    out.columns = unique_headers(list(df.columns), labels or {})
    return out

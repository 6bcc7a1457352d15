"""What a cell of an .xlsx workbook can hold: values, cleaned text, Japanese headers.

Pure functions (no workbook is written here), used by :mod:`kcdata.outputs.xlsx`:

* :func:`cell_value`: a Python scalar for a cell (None, bool, int, float, str);
* :func:`clean_cell_text`: text without the characters Excel forbids, cut at
  Excel's 32,767 characters per cell; :class:`CleanLog` counts what changed,
  for the 概要 sheet;
* :func:`unique_headers`, :func:`japanese_headers`: the Japanese header of each column;
* :func:`wrapped_lines`: the lines a text takes in a wrapping cell, for row heights.
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

__all__ = [
    "EXCEL_MAX_CELL_CHARS",
    "FORMULA_PREFIXES",
    "ILLEGAL_CHARACTERS_RE",
    "LINE_HEIGHT",
    "CleanLog",
    "cell_value",
    "clean_cell_text",
    "japanese_headers",
    "unique_headers",
    "wrapped_lines",
]

#: Excel's limit on the characters in one cell.
EXCEL_MAX_CELL_CHARS = 32_767
#: A cell whose text begins with one of these would be read as a formula by a spreadsheet.
FORMULA_PREFIXES = ("=", "+", "-", "@")
#: Characters an .xlsx cell cannot hold: the control characters 0x00-0x08, 0x0B-0x0C,
#: 0x0E-0x1F (openpyxl's ``ILLEGAL_CHARACTERS_RE``) plus what XML 1.0 forbids besides
#: (lone surrogates, U+FFFE, U+FFFF).
ILLEGAL_CHARACTERS_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
#: Height in points of one line of 11-point text, for rows of wrapped text.
LINE_HEIGHT = 15.0

@dataclass
class CleanLog:
    """What was changed to make text fit in a workbook (see :func:`clean_cell_text`).

    ``removed`` counts the forbidden characters taken out, ``truncated`` the
    cells cut to Excel's limit, ``cells`` names the cells touched (``シート名!A1``).
    """

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
    """Text an .xlsx cell can hold: ``(text, characters removed, truncated?)``.

    Forbidden characters (:data:`ILLEGAL_CHARACTERS_RE`) are removed, then text
    longer than :data:`EXCEL_MAX_CELL_CHARS` is cut. Tabs, line feeds and
    carriage returns are kept. Pure: the input is not changed.

    >>> clean_cell_text("A\\x00B\\x1f\\tC")
    ('AB\\tC', 2, False)
    """
    cleaned, removed = ILLEGAL_CHARACTERS_RE.subn("", text)
    truncated = len(cleaned) > EXCEL_MAX_CELL_CHARS
    if truncated:
        cleaned = cleaned[:EXCEL_MAX_CELL_CHARS]
    return cleaned, removed, truncated


def wrapped_lines(text: str, width: float) -> int:
    """How many lines ``text`` takes in a wrapping cell ``width`` characters wide (estimate).

    Each line of the text wraps every ``width - 1`` half-width units (see
    :func:`kcdata.vocab.display_width`); used to set the heights of rows with wrapped text.

    >>> wrapped_lines("事業" * 10, 12)  # 40 units in 11-unit lines
    4
    """
    usable = max(int(width) - 1, 1)
    return sum(max(1, math.ceil(display_width(line) / usable)) for line in str(text).split("\n"))


def cell_value(value: Any) -> Any:
    """A Python scalar for a cell: None, bool, int, float or str.

    ``None``, NaN, ``pd.NA`` and infinities are None (an empty cell); NumPy
    scalars become Python numbers; tuples and lists are joined with 「、」;
    anything else that is not a number becomes its ``str``.

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
    if isinstance(value, str):
        return value
    return str(value)


def unique_headers(names: Sequence[Any], labels: Mapping[str, str]) -> list[str]:
    """The Japanese header of each column name, made unique with (2), (3)...

    ``labels`` first, then :func:`kcdata.vocab.label`; tuple names are joined with "-".

    >>> unique_headers(["department", "departments", "x"], {"x": "区分"})
    ['所管する課', '所管する課(2)', '区分']
    """
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
    """A copy of ``df`` with the Japanese headers :func:`write_sheet` would give it.

    >>> japanese_headers(pd.DataFrame({"measure": ["A事業"], "listings": [1]})).columns.tolist()
    ['事業名', '掲載数']
    """
    out = df.copy()
    out.columns = unique_headers(list(df.columns), labels or {})
    return out

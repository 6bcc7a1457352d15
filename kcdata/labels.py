"""Japanese labels for column names: one mapping for workbook headers and chart axes."""

from __future__ import annotations

import unicodedata

import pandas as pd

__all__ = ["LABELS", "char_width", "display_width", "label", "section_label"]

#: Column name -> what a planner reads.
LABELS: dict[str, str] = {
    "policy_no": "基本方針",
    "policy": "基本方針名",
    "direction_no": "施策の方向性",
    "direction": "施策の方向性名",
    "measure": "事業名",
    "summary": "事業概要",
    "departments": "所管する課",
    "department": "所管する課",
    "relisted": "再掲",
    "line": "行",
    "listings": "掲載数",
    "measures": "事業数",
    "co_managed": "共管の掲載数",
    "policies": "基本方針の数",
    "directions": "施策の方向性の数",
    "share": "構成比",
    "original_policy_no": "元の基本方針",
    "original_direction_no": "元の施策の方向性",
    "original_line": "元の行",
    "consistent": "内容の一致",
    "kind": "種別",
    "other_measure": "比較する事業名",
    "other_line": "比較する行",
    "similarity": "類似度",
}


def label(column: str) -> str:
    """The Japanese label of a column (the name itself when there is none).

    >>> label("departments")
    '所管する課'
    """
    return LABELS.get(column, column)


def section_label(policy_no: object, direction_no: object = None) -> str:
    """A section as the plan's tables name it: ``"3-(2)"``, or ``"3"`` for a 基本方針.

    Empty when ``policy_no`` is missing (a measure absent from one plan version).

    >>> section_label(3, 2), section_label(3), section_label(pd.NA, pd.NA)
    ('3-(2)', '3', '')
    """
    if pd.isna(policy_no):
        return ""
    if direction_no is None or pd.isna(direction_no):
        return f"{int(policy_no)}"
    return f"{int(policy_no)}-({int(direction_no)})"


def char_width(ch: str) -> int:
    """Columns a character takes in a table or on a chart: 2 for East Asian wide and
    full-width characters (``unicodedata.east_asian_width`` "W" or "F"), else 1."""
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def display_width(text: str) -> int:
    """The width of the longest line of ``text`` in half-width character units.

    >>> display_width("所管課ABC")
    9
    >>> display_width("ab\\n所管")
    4
    """
    return max((sum(map(char_width, line)) for line in str(text).split("\n")), default=0)

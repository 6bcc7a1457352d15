"""Japanese labels for column names: one mapping for workbook headers and chart axes."""

from __future__ import annotations

__all__ = ["LABELS", "label"]

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

"""Department cells split into names, and the second tidy table: one row per (listing,
department)."""

from __future__ import annotations

import functools
import re

import pandas as pd

from kcdata.io.layout import KANAZAWA, Layout, key
from kcdata.text import unify_ideographs

__all__ = ["CHILD_SUFFIXES", "UNIT_SUFFIXES", "explode_departments", "split_departments"]

#: Department names end with one of these (for splitting at 「・」 and joining units).
UNIT_SUFFIXES = ("課", "室", "係", "所", "館", "署", "局", "部", "センター", "委員会", "事務局",
                 "本部", "園", "院", "公社", "協議会", "事業団", "機構", "団")
PARENT_SUFFIXES = ("部", "局", "委員会")  # 教育委員会 学校教育課 is one department
CHILD_SUFFIXES = ("課", "室", "係", "担当")
#: 「都市計画課ほか」: "and others" right after a department name.
_AND_OTHERS = re.compile(r"(?<=[課室係所館署局部])(ほか|他)(?=\s|$)")
#: 「他2課」, 「ほか3課」: other units counted, not named.
_OTHERS_COUNTED = re.compile(r"(?<!\S)(ほか|他)[0-9０-９一二三四五六七八九十]+[課部局室](?=\s|$)")


def explode_departments(df: pd.DataFrame) -> pd.DataFrame:
    """One row per (listing, department): ``departments`` replaced by ``department``.

    Counting convention: a listing gives exactly as many pairs as it has
    departments; one without any (no department column, or only placeholders
    such as 関係各課, kept in ``department_notes``) gives no row. A column holding
    one value per department (a tuple as long as ``departments``) is exploded
    alongside. Rows follow the listings, then the cell's order; fresh RangeIndex;
    the input is not modified.

    >>> from kcdata import parse_measures
    >>> df = parse_measures("基本方針1 方針\\n施策の方向性(1) 方向\\nA事業\\t概要\\t甲課 乙課\\n")
    >>> explode_departments(df)[["measure", "department"]].values.tolist()
    [['A事業', '甲課'], ['A事業', '乙課']]
    >>> len(explode_departments(df.assign(departments=[()])))
    0
    """
    named = df[df["departments"].map(len).to_numpy() > 0]
    lengths = named["departments"].map(len)
    per_department = [
        column for column in named.columns
        if column not in ("departments", "department_notes") and named[column].dtype == object
        and named[column].map(lambda v: isinstance(v, tuple)).all()
        and (named[column].map(len) == lengths).all()
    ]
    out = named.explode(["departments", *per_department], ignore_index=True)
    out = out.rename(columns={"departments": "department"})
    return out.astype(dict.fromkeys(["department", *per_department], "str"))


def split_departments(
    cell: str, layout: Layout = KANAZAWA
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """A 所管する課 cell as (departments, placeholders).

    Split at white space and the layout's separators; at 「・」 only where both
    sides are department names (「子ども・子育て支援課」 stays one). A 部, 局 or
    委員会 followed by a 課, 室 or 係 is one department. Placeholders (関係各課,
    全庁, 「都市計画課ほか」's ほか, 「他2課」's 他) are not departments. Radicals
    printed for ideographs are read as the ideographs.

    >>> split_departments("企画課、税務課・子ども・子育て支援課")
    (('企画課', '税務課', '子ども・子育て支援課'), ())
    >>> split_departments("企業誘致推進局 企業誘致推進課　関係各課")
    (('企業誘致推進局企業誘致推進課',), ('関係各課',))
    """
    cell = _OTHERS_COUNTED.sub(r"\1", _AND_OTHERS.sub(r" \1", unify_ideographs(cell)))
    separators = [re.escape(s) for s in layout.department_separators if s != "・"]
    tokens = [token for token in re.split("|".join([r"\s+", *separators]), cell) if token]
    if "・" in layout.department_separators:
        tokens = [part for token in tokens for part in _split_middle_dots(token)]
    units: list[str] = []
    for token in tokens:
        if units and units[-1].endswith(PARENT_SUFFIXES) and token.endswith(CHILD_SUFFIXES):
            units[-1] += token
        else:
            units.append(token)
    placeholders = _keys(layout.placeholders)
    departments = tuple(u for u in units if key(u) not in placeholders)
    return departments, tuple(u for u in units if key(u) in placeholders)


def _split_middle_dots(token: str) -> list[str]:
    """Split at 「・」 where the text before it and the rest after it end as department names."""
    parts = token.split("・")
    out = [parts[0]]
    for k in range(1, len(parts)):
        rest = "・".join(parts[k:])
        if parts[k] and out[-1].endswith(UNIT_SUFFIXES) and rest.endswith(UNIT_SUFFIXES):
            out.append(parts[k])
        else:
            out[-1] += "・" + parts[k]
    return [p for p in out if p]


@functools.cache  # once per layout, not once per cell
def _keys(words: tuple[str, ...]) -> frozenset[str]:
    return frozenset(key(w) for w in words)

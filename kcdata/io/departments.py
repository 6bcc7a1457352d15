"""The second tidy table: one row per (listing, department)."""

from __future__ import annotations

import re
import unicodedata

import pandas as pd

from kcdata.io.layout import KANAZAWA, Layout
from kcdata.text import unify_ideographs

__all__ = [
    "CHILD_SUFFIXES",
    "UNIT_SUFFIXES",
    "explode_departments",
    "placeholder_keys",
    "split_cell",
    "split_departments",
]

#: Department names end with one of these (for splitting at 「・」 and joining units).
UNIT_SUFFIXES = ("課", "室", "係", "所", "館", "署", "局", "部", "センター", "委員会", "事務局",
                  "本部", "園", "院", "公社", "協議会", "事業団", "機構", "団")
PARENT_SUFFIXES = ("部", "局", "委員会")  # 教育委員会 学校教育課 is one department
CHILD_SUFFIXES = ("課", "室", "係", "担当")



def explode_departments(df: pd.DataFrame) -> pd.DataFrame:
    """One row per (listing, department), with a ``department`` column.

    A co-managed listing (「緑と花の課 内水整備課」) becomes one row per
    department; every other column is repeated, ``departments`` is replaced by
    ``department``. Row order follows the listings, then the order of the
    departments in the cell; the index is a fresh RangeIndex. The input is not
    modified.

    Counting convention: a listing gives exactly as many pairs as it has
    departments. A listing without a department (``departments`` is ``()``: a
    plan without a department column, or a cell holding only placeholders such
    as 関係各課, which are kept in ``department_notes`` and are not departments)
    gives no row at all, never a missing or empty department. A plan without
    departments (:func:`kcdata.schema.has_departments` is False) thus has no
    pairs, and every count of departments, pairs and co-managed listings is 0.

    A column that holds one value per department (a tuple as long as
    ``departments`` in every listing: the values continuation rows give each
    department, such as its own 評価) is exploded alongside, so each pair has
    its department's own value.

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
    out = named.explode(["departments", *per_department], ignore_index=True).rename(
        columns={"departments": "department"}
    )
    out["department"] = out["department"].astype("str")
    for column in per_department:
        out[column] = out[column].astype("str")
    return out


def split_departments(
    cell: str, layout: Layout = KANAZAWA
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """A 所管する課 cell as (departments, placeholders).

    Split at white space of any kind and at the layout's separators; at 「・」
    only where both sides are department names (「子ども・子育て支援課」 stays
    one). A 部, 局 or 委員会 followed by a 課, 室 or 係 is one department
    (「教育委員会 学校教育課」). Placeholders
    (関係各課, 全庁, …) are returned apart: they are not departments.

    >>> split_departments("企画課、税務課・子ども・子育て支援課")
    (('企画課', '税務課', '子ども・子育て支援課'), ())
    >>> split_departments("企業誘致推進局 企業誘致推進課　関係各課")
    (('企業誘致推進局企業誘致推進課',), ('関係各課',))
    """
    return split_cell(cell, layout, placeholder_keys(layout))


def placeholder_keys(layout: Layout) -> frozenset[str]:
    return frozenset(_key(p) for p in layout.placeholders)


def split_cell(
    cell: str, layout: Layout, placeholders: frozenset[str]
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """:func:`split_departments`, with the layout's placeholder keys computed once.

    Radicals printed for ideographs are read as the ideographs
    (:func:`kcdata.text.unify_ideographs`): 「市⺠協働推進課」 is 「市民協働推進課」.
    """
    tokens = []
    for token in _others_apart(unify_ideographs(cell)).split():
        for part in _split_at(token, [s for s in layout.department_separators if s != "・"]):
            tokens.extend(_split_middle_dots(part) if "・" in layout.department_separators
                          else [part])
    units: list[str] = []
    for token in tokens:
        if units and units[-1].endswith(PARENT_SUFFIXES) and token.endswith(CHILD_SUFFIXES):
            units[-1] += token
        else:
            units.append(token)
    is_note = [_key(u) in placeholders for u in units]
    departments = tuple(u for u, note in zip(units, is_note, strict=True) if not note)
    notes = tuple(u for u, note in zip(units, is_note, strict=True) if note)
    return departments, notes


#: 「都市計画課ほか」: "and others" right after a department name.
_AND_OTHERS = re.compile(r"(?<=[課室係所館署局部])(ほか|他)(?=\s|$)")
#: 「他2課」, 「ほか3課」: other units counted, not named.
_OTHERS_COUNTED = re.compile(r"(?<!\S)(ほか|他)[0-9０-９一二三四五六七八九十]+[課部局室](?=\s|$)")


def _others_apart(cell: str) -> str:
    """「ほか」/「他」 set apart as a placeholder of its own: 「都市計画課ほか」 is 都市計画課 and
    ほか, 「他2課」 is 他 (other units, not named: never counted as a department)."""
    return _OTHERS_COUNTED.sub(r"\1", _AND_OTHERS.sub(r" \1", cell))


def _split_at(token: str, separators: list[str]) -> list[str]:
    if not separators:
        return [token]
    pattern = "|".join(re.escape(s) for s in separators)
    return [part for part in re.split(pattern, token) if part]


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



def _key(cell: str) -> str:
    """A cell as compared with words: NFKC, without white space."""
    return "".join(unicodedata.normalize("NFKC", cell).split()).replace("\u200b", "")

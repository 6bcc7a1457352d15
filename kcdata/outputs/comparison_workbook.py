"""The 新旧対照表 workbook of a plan comparison, and the 経年 sheet of editions."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd

from kcdata.analysis.compare import STATUSES, status_counts
from kcdata.analysis.sections import renumbering_table
from kcdata.outputs import overview
from kcdata.outputs.overview import OverviewRow, made_rows, source_rows
from kcdata.outputs.xlsx import Book, Sheet, fill_cell, open_workbook, write_sheet
from kcdata.vocab import (
    COMPARISON_CONVENTIONS,
    EDITIONS_CONVENTION,
    HISTORY_LABELS,
    STATUS_LABELS,
    PlanWords,
    label,
    plan_words,
    section_label,
)

#: Sheet names, in order.
COMPARISON_SHEETS = ("新旧対照表", "概要")
#: The first sheet when sections were renumbered: each old number and its new one, once.
RENUMBERING_SHEET = "番号の変更"
#: Fill (RGB) of the old and new cells of what changed (name, location, summary, departments).
CHANGED_FILL = "FFF2CC"
#: Fill of the new cells of an added measure.
ADDED_FILL = "E2EFDA"
#: Fill of the old cells of a removed measure.
REMOVED_FILL = "EDEDED"
#: At most this many editions get a column of their own on the 経年 sheet.
MAX_EDITION_COLUMNS = 50

#: (what, header template): the pairs of old/new columns, in sheet order.
_PAIRS = (
    ("measure", "{measure}"),
    ("location", "{level0}・{level1}"),
    ("summary", "{summary}"),
    ("departments", "{department}"),
)


def _header(stem: str, side: str) -> str:
    return f"{stem}（{'旧' if side == 'old' else '新'}）"


def _side(rows: pd.DataFrame, side: str) -> dict[str, pd.Series]:
    """One side's (``"old"``/``"new"``) cells of each pair; empty where the measure is not."""
    present = rows[f"{side}_policy_no"].notna()
    name = rows["old_measure"].fillna(rows["measure"]) if side == "old" else rows["measure"]
    sections = [section_label(p, d) for p, d in zip(rows[f"{side}_policy_no"],
                                                   rows[f"{side}_direction_no"], strict=True)]
    departments = rows[f"{side}_departments"].map("、".join, na_action="ignore")
    return {
        "measure": name.where(present),
        "location": pd.Series(sections, index=rows.index, dtype="str").where(present),
        "summary": rows[f"{side}_summary"],
        "departments": departments.astype("str"),
    }


def comparison_table(comparison: pd.DataFrame, *, changed_only: bool = False) -> pd.DataFrame:
    """The 新旧対照表 with its Japanese headers, one row per measure, ``comparison``'s index.

    区分, then 旧 and 新 of 事業名, 基本方針・施策の方向性 (``"3-(2)"``), 事業概要 and
    所管課 (「、」); empty on a side the measure is not in. ``changed_only`` leaves out
    ``unchanged`` and ``renumbered`` measures (the 番号の変更 sheet shows renumbering once).

    >>> from kcdata import compare_plans, parse_measures
    >>> plan = parse_measures("基本方針3 方針\\n施策の方向性(2) 方向\\nA事業\\t概要\\t甲課\\n")
    >>> comparison_table(compare_plans(plan, plan)).iloc[0, :5].tolist()
    ['変更なし', 'A事業', 'A事業', '3-(2)', '3-(2)']
    """
    rows = (comparison[~comparison["status"].isin(["unchanged", "renumbered"])]
            if changed_only else comparison)
    old, new = _side(rows, "old"), _side(rows, "new")
    columns = {"区分": rows["status"].map(STATUS_LABELS)}
    for what, stem in _PAIRS:
        columns[_header(stem, "old")] = old[what]
        columns[_header(stem, "new")] = new[what]
    return pd.DataFrame(columns, index=rows.index).rename(columns=plan_words(comparison).say)


def _highlights(row: Any) -> list[tuple[str, str]]:
    """The (header, fill colour) of each cell to highlight in a row of the comparison."""
    if row.status == "added":
        return [(_header(stem, "new"), ADDED_FILL) for _, stem in _PAIRS]
    if row.status == "removed":
        return [(_header(stem, "old"), REMOVED_FILL) for _, stem in _PAIRS]
    changed = (("measure",) if row.status == "renamed" else ()) + tuple(row.changes)
    return [(_header(stem, side), CHANGED_FILL) for what, stem in _PAIRS
            if what in changed for side in ("old", "new")]


def add_comparison_sheet(
    book: Book, title: str, comparison: pd.DataFrame, *, changed_only: bool = False,
) -> Sheet:
    """Add a 新旧対照表 sheet (:func:`comparison_table`) to ``book``, the changed cells filled:
    旧 and 新 of a renamed 事業名 and of each of ``changes`` (:data:`CHANGED_FILL`), the 新
    cells of an added measure (:data:`ADDED_FILL`), the 旧 of a removed one
    (:data:`REMOVED_FILL`)."""
    say = plan_words(comparison).say
    table = comparison_table(comparison, changed_only=changed_only)
    sheet = write_sheet(
        book, title, table.reset_index(drop=True), max_width=40,
        wrap=[say(_header("{summary}", side)) for side in ("old", "new")], freeze_columns=1,
    )
    columns = {header: j for j, header in enumerate(sheet.headers)}
    for i, row in enumerate(comparison.loc[table.index].itertuples(index=False)):
        for header, color in _highlights(row):
            fill_cell(book, sheet, i, columns[say(header)], color)
    return sheet


def history_table(history: pd.DataFrame) -> pd.DataFrame:
    """The 経年 sheet's table of :func:`kcdata.compare_editions`' result: True/False as
    「○」/empty, ``names`` joined with 「→」, then a column per edition (its section) for
    at most :data:`MAX_EDITION_COLUMNS` editions."""
    from kcdata.analysis.editions import EDITION_COLUMNS

    leading = ["series"] if "series" in history.columns else []  # a corpus's series of editions
    editions = [c for c in history.columns if c not in EDITION_COLUMNS and c != "series"]
    shown = editions if len(editions) <= MAX_EDITION_COLUMNS else []
    out = history[[*leading, *EDITION_COLUMNS, *shown]].copy()
    for column in ("renamed", "moved", "departments_changed", "dropped"):
        out[column] = out[column].map({True: "○", False: None})
    out["names"] = out["names"].map("→".join)
    return out


def add_history_sheet(book: Book, history: pd.DataFrame, *, title: str = "経年") -> Sheet:
    """Add the 経年 sheet (one row per measure, one column per edition) to ``book``."""
    labels = PlanWords().say_all(HISTORY_LABELS)
    return write_sheet(book, title, history_table(history), labels=labels,
                       max_width=40, wrap=["names"], freeze_columns=1)


def write_editions_workbook(
    comparisons: list[tuple[str, str, pd.DataFrame]],
    history: pd.DataFrame,
    path: str | os.PathLike[str],
    *,
    sources: list[str | os.PathLike[str]] | None = None,
    changed_only: bool = False,
    made_at: datetime | None = None,
) -> Path:
    """Write the workbook of ``kcdata diff A B C …`` to ``path`` atomically; return the path.

    新旧対照表1, 新旧対照表2, … (``comparisons``: old name, new name and
    :func:`kcdata.compare_plans` result of each consecutive pair), 経年 (``history``,
    :func:`kcdata.compare_editions`) and 概要, whose counts include the unchanged measures
    that ``changed_only`` leaves out of the 新旧対照表 sheets.
    """
    with open_workbook(path, title="新旧対照表と経年") as book:
        pairs = []
        for k, (old_name, new_name, comparison) in enumerate(comparisons, start=1):
            sheet = f"{COMPARISON_SHEETS[0]}{k}"
            add_comparison_sheet(book, sheet, comparison, changed_only=changed_only)
            counts = status_counts(comparison)
            pairs.append((sheet, f"{old_name} → {new_name}：" + "、".join(
                f"{STATUS_LABELS[s]}{int(counts[s])}" for s in STATUSES)))
        add_history_sheet(book, history)
        rows: list[OverviewRow] = [("新旧対照表と経年（計画の版の比較）", None), (None, None)]
        for k, source in enumerate(sources or [], start=1):
            rows += source_rows(f"版{k}", source)
        rows += [*made_rows(made_at), (None, None), ("シート", None), *pairs,
                 ("経年", f"事業ごとの各版での位置（{len(history)}事業）")]
        rows += [(None, None), ("比べ方", None),
                 *((f"{i}.", PlanWords().say(text))
                   for i, text in enumerate(COMPARISON_CONVENTIONS, start=1)),
                 (f"{len(COMPARISON_CONVENTIONS) + 1}.", EDITIONS_CONVENTION)]
        overview.write_overview(book, COMPARISON_SHEETS[1], rows)
    return Path(path)


def write_comparison_workbook(
    comparison: pd.DataFrame,
    path: str | os.PathLike[str],
    *,
    old_source: str | os.PathLike[str] | None = None,
    new_source: str | os.PathLike[str] | None = None,
    changed_only: bool = False,
    made_at: datetime | None = None,
    old_sha256: str | None = None,
    new_sha256: str | None = None,
) -> Path:
    """Write the 新旧対照表 workbook of a plan comparison to ``path``; return the path.

    番号の変更 (when sections were renumbered), 新旧対照表 (:func:`add_comparison_sheet`)
    and 概要: the sources and their SHA-256 (``old_sha256``/``new_sha256``, else read from
    the files), when and by what it was made, the measures of each 区分 (all of them, even
    with ``changed_only``), how measures are matched, what the fills mean. Published as
    one unit (:func:`kcdata.files.publishing`); a ``path`` that is not a regular file is
    refused before anything is written.
    """
    from kcdata.files import check_target, publishing

    target = Path(path)
    check_target(target)
    say = plan_words(comparison).say
    counts = status_counts(comparison)
    rows: list[OverviewRow] = [
        ("新旧対照表（計画の新旧比較）", None),
        (None, None),
        *source_rows("旧の文書", old_source, old_sha256),
        *source_rows("新の文書", new_source, new_sha256),
        *made_rows(made_at),
        (None, None),
        ("区分ごとの事業数", None),
        *((STATUS_LABELS[s], int(counts[s])) for s in STATUSES),
        ("計", int(counts.sum())),
        (None, None),
        ("比べ方", None),
        *((f"{i}.", say(text)) for i, text in enumerate(COMPARISON_CONVENTIONS, start=1)),
        (None, None),
        ("色の意味", None),
        ("黄", say("変更された項目（名称変更の{measure}、位置・{summary}・{department}の"
                   "変わった欄）の旧と新")),
        ("緑", "追加された事業の新の欄"),
        ("灰", "削除された事業の旧の欄"),
    ]
    if changed_only:
        rows += [(None, None), ("表示", "変更なしの事業は「新旧対照表」から除いています。")]
    with publishing(target.parent) as stage, \
            open_workbook(stage / target.name, title="新旧対照表") as book:
        renumbering = renumbering_table(comparison)
        if len(renumbering):  # once, before the table: sections that only got new numbers
            write_sheet(book, RENUMBERING_SHEET, renumbering,
                        labels={c: label(c) for c in renumbering.columns})
        add_comparison_sheet(book, COMPARISON_SHEETS[0], comparison, changed_only=changed_only)
        fills = {"黄": CHANGED_FILL, "緑": ADDED_FILL, "灰": REMOVED_FILL}
        overview.write_overview(book, COMPARISON_SHEETS[1], rows, key_fills=fills)
    return target

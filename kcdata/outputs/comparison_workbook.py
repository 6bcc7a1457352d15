"""The 新旧対照表 workbook: a plan comparison as a finished Excel file.

Built from :func:`kcdata.compare_plans`' result with the building blocks of
:mod:`kcdata.outputs.xlsx` (XlsxWriter: safe cells, styled sheet, atomic save), so text
beginning with ``=``, ``+``, ``-`` or ``@`` stays text and a failed write never leaves a
half-written file.
"""

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
from kcdata.vocab import HISTORY_LABELS, LABELS, STATUS_LABELS, plan_words, section_label

__all__ = [
    "ADDED_FILL",
    "CHANGED_FILL",
    "COMPARISON_SHEETS",
    "HISTORY_LABELS",
    "MAX_EDITION_COLUMNS",
    "REMOVED_FILL",
    "RENUMBERING_SHEET",
    "STATUS_LABELS",
    "add_comparison_sheet",
    "add_history_sheet",
    "comparison_table",
    "history_table",
    "write_comparison_workbook",
    "write_editions_workbook",
]

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

_STATUS = "区分"
#: (what, Japanese header stem): the pairs of old/new columns, in sheet order.
_PAIRS = (
    ("measure", "事業名"),
    ("location", "基本方針・施策の方向性"),
    ("summary", "事業概要"),
    ("departments", "所管課"),
)


def _header(stem: str, side: str) -> str:
    return f"{stem}（{'旧' if side == 'old' else '新'}）"


def comparison_table(comparison: pd.DataFrame, *, changed_only: bool = False) -> pd.DataFrame:
    """The 新旧対照表 as a DataFrame with its Japanese headers, one row per measure.

    Columns: 区分 (:data:`STATUS_LABELS`), then 旧 and 新 of 事業名,
    基本方針・施策の方向性 (``"3-(2)"``), 事業概要 and 所管課 (joined with 「、」).
    A side a measure is not in is empty (missing). With ``changed_only`` the
    ``unchanged`` and ``renumbered`` measures are left out (the renumbering is
    shown once, on the 番号の変更 sheet). Rows keep ``comparison``'s order; the
    index is ``comparison``'s, so each row can be traced back. Pure.

    >>> from kcdata import compare_plans, parse_measures
    >>> plan = parse_measures("基本方針3 方針\\n施策の方向性(2) 方向\\nA事業\\t概要\\t甲課\\n")
    >>> comparison_table(compare_plans(plan, plan)).iloc[0, :5].tolist()
    ['変更なし', 'A事業', 'A事業', '3-(2)', '3-(2)']
    """
    rows = (comparison[~comparison["status"].isin(["unchanged", "renumbered"])]
            if changed_only else comparison)
    has_old = rows["old_policy_no"].notna()
    has_new = rows["new_policy_no"].notna()
    old_name = rows["old_measure"].fillna(rows["measure"]).where(has_old)
    columns: dict[str, Any] = {_STATUS: rows["status"].map(STATUS_LABELS)}
    for what, stem in _PAIRS:
        for side, present in (("old", has_old), ("new", has_new)):
            if what == "measure":
                values = old_name if side == "old" else rows["measure"].where(has_new)
            elif what == "location":
                values = pd.Series(
                    [
                        section_label(p, d)
                        for p, d in zip(rows[f"{side}_policy_no"], rows[f"{side}_direction_no"],
                                        strict=True)
                    ],
                    index=rows.index,
                    dtype="str",
                ).where(present)
            elif what == "departments":
                values = rows[f"{side}_{what}"].map("、".join, na_action="ignore").astype("str")
            else:
                values = rows[f"{side}_{what}"]
            columns[_header(stem, side)] = values
    say = plan_words(comparison).say
    return pd.DataFrame(columns, index=rows.index).rename(columns=say)


def _highlights(comparison: pd.DataFrame) -> list[list[tuple[str, str]]]:
    """For each row, the (header, fill colour) of each cell to highlight."""
    out = []
    for row in comparison.itertuples(index=False):
        if row.status == "added":
            out.append([(_header(stem, "new"), ADDED_FILL) for _, stem in _PAIRS])
        elif row.status == "removed":
            out.append([(_header(stem, "old"), REMOVED_FILL) for _, stem in _PAIRS])
        else:
            what = (("measure",) if row.status == "renamed" else ()) + tuple(row.changes)
            out.append(
                [
                    (_header(stem, side), CHANGED_FILL)
                    for key, stem in _PAIRS
                    if key in what
                    for side in ("old", "new")
                ]
            )
    return out


def _comparison_rows(
    comparison: pd.DataFrame, *, old_source: str | os.PathLike[str] | None,
    new_source: str | os.PathLike[str] | None, changed_only: bool, made_at: datetime | None,
    old_sha256: str | None, new_sha256: str | None,
) -> list[OverviewRow]:
    """The rows of the 新旧対照表 workbook's 概要 sheet."""
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
        *((f"{i}.", say(text)) for i, text in enumerate(_CONVENTIONS, start=1)),
        (None, None),
        ("色の意味", None),
        ("黄", say("変更された項目（名称変更の事業名、位置・事業概要・所管課の変わった欄）"
                   "の旧と新")),
        ("緑", "追加された事業の新の欄"),
        ("灰", "削除された事業の旧の欄"),
    ]
    if changed_only:
        rows += [(None, None), ("表示", "変更なしの事業は「新旧対照表」から除いています。")]
    return rows


def add_comparison_sheet(
    book: Book, title: str, comparison: pd.DataFrame, *, changed_only: bool = False,
) -> Sheet:
    """Add a 新旧対照表 sheet of ``comparison`` to ``book``; return it.

    :func:`comparison_table` written through :func:`kcdata.outputs.xlsx.write_sheet`
    (bold filled header, frozen under it, autofilter, fitted widths, long text
    wrapped, text never a formula), the changed cells filled: both the 旧 and
    新 cell of a renamed 事業名 and of each entry of ``changes``
    (:data:`CHANGED_FILL`), the 新 cells of an added measure
    (:data:`ADDED_FILL`), the 旧 cells of a removed one (:data:`REMOVED_FILL`).
    """
    say = plan_words(comparison).say
    table = comparison_table(comparison, changed_only=changed_only)
    sheet = write_sheet(
        book, title, table.reset_index(drop=True), max_width=40,
        wrap=[say(_header("事業概要", side)) for side in ("old", "new")], freeze_columns=1,
    )
    columns = {header: j for j, header in enumerate(sheet.headers)}
    kept = comparison.loc[table.index]
    for i, cells in enumerate(_highlights(kept)):
        for header, color in cells:
            fill_cell(book, sheet, i, columns[say(header)], color)
    return sheet


#: At most this many editions get a column of their own on the 経年 sheet.
MAX_EDITION_COLUMNS = 50


def history_table(history: pd.DataFrame) -> pd.DataFrame:
    """The 経年 sheet's table: :func:`kcdata.compare_editions`' result for a planner.

    True/False become 「○」/empty, ``names`` is joined with 「→」, and one
    column per edition (its section, 「3-(2)」) follows, for at most
    :data:`MAX_EDITION_COLUMNS` editions (more would not be readable; the
    history columns stay). Headers stay the column names (see
    :data:`HISTORY_LABELS`). Pure.
    """
    from kcdata.analysis.editions import EDITION_COLUMNS

    leading = ["series"] if "series" in history.columns else []  # a corpus's series of editions
    out = history[[*leading, *EDITION_COLUMNS]].copy()
    for column in ("renamed", "moved", "departments_changed", "dropped"):
        out[column] = out[column].map({True: "○", False: None})
    out["names"] = out["names"].map("→".join)
    editions = [c for c in history.columns if c not in EDITION_COLUMNS and c != "series"]
    if len(editions) <= MAX_EDITION_COLUMNS:
        for name in editions:
            out[name] = history[name]
    return out


def add_history_sheet(book: Book, history: pd.DataFrame, *, title: str = "経年") -> Sheet:
    """Add the 経年 sheet (one row per measure, one column per edition) to ``book``."""
    return write_sheet(book, title, history_table(history), labels=HISTORY_LABELS,
                       max_width=40, wrap=["names"], freeze_columns=1)


_EDITIONS_CONVENTION = (
    "経年は隣り合う版どうしを比べてつなげたものです。名称変更をたどり、一度なくなって"
    "後の版で復活した事業は別の行になります。「名称の類似度（最小）」は事業名の類似で"
    "対応づけた名称変更の中で最も低い値です（1に近いほど似ています）。"
)


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

    One 新旧対照表 per consecutive pair, 経年, 概要. ``comparisons``: (old name,
    new name, :func:`kcdata.compare_plans` result) for each consecutive pair, in
    order; their sheets are 「新旧対照表1」, 「新旧対照表2」, … (the 概要 sheet
    says which pair each is). ``history``: :func:`kcdata.compare_editions` of
    the same editions (the 経年 sheet). ``changed_only`` leaves unchanged
    measures out of the 新旧対照表 sheets (the counts on 概要 still count them).
    Saved as :func:`kcdata.outputs.xlsx.open_workbook` saves.
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
                 *((f"{i}.", text) for i, text in enumerate(_CONVENTIONS, start=1)),
                 (f"{len(_CONVENTIONS) + 1}.", _EDITIONS_CONVENTION)]
        overview.write_overview(book, COMPARISON_SHEETS[1], rows)
    return Path(path)


_CONVENTIONS = (
    "事業は事業名で対応づけます。全角・半角の違いと空白は区別しません（NFKC正規化）。",
    "【再掲】の行は元の事業にまとめます。事業の位置・事業概要・所管課は【再掲】でない"
    "掲載のもの（【再掲】しかない事業はその【再掲】の位置のもの）です。",
    "旧にしかない事業と新にしかない事業で事業概要が同じものは、1つの「名称変更」とします。",
    "残った旧にしかない事業と新にしかない事業で、同じか隣り合う施策の方向性にあり、事業名の"
    "類似度（「事業」「事業費」「費」の語尾を除いて比べた0〜1の値）が0.75以上のものも"
    "「名称変更」とします（類似度の高い組から対応づけます）。",
    "「変更」は事業名が同じで、基本方針・施策の方向性、事業概要（全角・半角と空白は区別しない）、"
    "所管課（並び順は区別しない）のいずれかが変わった事業です。",
    "並び順は新の計画の順で、削除された事業は最後に旧の計画の順で並べます。",
)


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

    Sheets (:data:`COMPARISON_SHEETS`): 新旧対照表 (:func:`add_comparison_sheet`)
    and 概要 (written by :func:`kcdata.outputs.overview.write_overview`, as the
    summary workbook's is): each source's file name and SHA-256 (when given),
    when and with which kcdata version the file was made (``made_at``, default
    now), the number of measures of each 区分 (all of them, even with
    ``changed_only``), how the comparison matches measures, what the fills
    mean, and a note if any text had to be cleaned to fit in a cell.

    The file is published as one unit (:func:`kcdata.files.publishing`):
    written into a staging folder beside ``path`` and renamed into place, so a
    failure leaves any previous file as it was; a ``path`` that exists and is
    not a regular file is refused (:class:`kcdata.files.NotARegularFile`)
    before anything is written; a replaced file keeps its permission bits;
    ``data/raw/`` is refused. ``old_sha256``/``new_sha256``: the hashes of the
    bytes parsed, for the 概要 sheet (computed from the files when not given).
    """
    from kcdata.files import check_target, publishing

    target = Path(path)
    check_target(target)
    rows = _comparison_rows(
        comparison, old_source=old_source, new_source=new_source,
        changed_only=changed_only, made_at=made_at, old_sha256=old_sha256,
        new_sha256=new_sha256,
    )
    with publishing(target.parent) as stage, \
            open_workbook(stage / target.name, title="新旧対照表") as book:
        renumbering = renumbering_table(comparison)
        if len(renumbering):  # once, before the table: sections that only got new numbers
            write_sheet(book, RENUMBERING_SHEET, renumbering, labels=LABELS)
        add_comparison_sheet(book, COMPARISON_SHEETS[0], comparison, changed_only=changed_only)
        fills = {"黄": CHANGED_FILL, "緑": ADDED_FILL, "灰": REMOVED_FILL}
        overview.write_overview(book, COMPARISON_SHEETS[1], rows, key_fills=fills)
    return target

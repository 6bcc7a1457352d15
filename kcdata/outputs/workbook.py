"""The summary workbook of one plan: its tables, their Japanese headers, and the file.

:func:`summary_tables` gives the tables of the data sheets (pure DataFrames,
also shown by the HTML page, :mod:`kcdata.outputs.page`, with the same
headers, :func:`sheet_headers`, and counting conventions, :data:`CONVENTIONS`);
:func:`write_summary_workbook` writes them, with native bar charts and the
概要 sheet, through the building blocks of :mod:`kcdata.outputs.xlsx`,
:mod:`kcdata.outputs.cells` and :mod:`kcdata.outputs.overview`
(XlsxWriter through :class:`pandas.ExcelWriter`; text never a formula,
atomic save, reproducible bytes under ``SOURCE_DATE_EPOCH``).

The building blocks are re-exported here: ``excel.write_sheet``,
``excel.CleanLog`` and the others keep working with
``from kcdata.outputs import workbook as excel``. XlsxWriter is imported only
when a workbook is written: ``import kcdata`` stays light.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd

from kcdata.analysis.summaries import plan_totals
from kcdata.outputs import overview
from kcdata.outputs.cells import (
    EXCEL_MAX_CELL_CHARS,
    FORMULA_PREFIXES,
    ILLEGAL_CHARACTERS_RE,
    LINE_HEIGHT,
    CleanLog,
    cell_value,
    clean_cell_text,
    japanese_headers,
    unique_headers,
    wrapped_lines,
)
from kcdata.outputs.overview import OVERVIEW_WIDTH, OverviewRow, made_rows, source_rows
from kcdata.outputs.theme_sheets import (
    THEME_CONVENTION,
    THEME_LABELS,
    THEME_SHEET_NOTES,
    THEME_SHEETS,
    policy_columns,
    theme_tables,
)
from kcdata.outputs.theme_sheets import overview_rows as theme_overview_rows
from kcdata.outputs.xlsx import (
    Book,
    Sheet,
    add_bar_chart,
    open_workbook,
    reserve_sheet,
    write_sheet,
)
from kcdata.vocab import LABELS, PlanWords, display_width, plan_words

__all__ = [
    "CONVENTIONS",
    "EXCEL_MAX_CELL_CHARS",
    "FORMULA_PREFIXES",
    "ILLEGAL_CHARACTERS_RE",
    "LINE_HEIGHT",
    "OVERVIEW_WIDTH",
    "SUMMARY_LABELS",
    "SUMMARY_SHEETS",
    "TOTAL_LABELS",
    "Book",
    "CleanLog",
    "OverviewRow",
    "Sheet",
    "add_bar_chart",
    "cell_value",
    "check_summary_size",
    "clean_cell_text",
    "display_width",
    "japanese_headers",
    "made_rows",
    "open_workbook",
    "reserve_sheet",
    "sheet_headers",
    "source_rows",
    "summary_tables",
    "unique_headers",
    "wrapped_lines",
    "write_sheet",
    "write_summary_workbook",
]

#: Sheet names of the summary workbook, in order (the last two: :mod:`kcdata.outputs.theme_sheets`).
SUMMARY_SHEETS = ("概要", "事業一覧", "基本方針別", "所管課別", "所管課×基本方針", "再掲",
                  "テーマ別", "テーマ該当事業")

# --- the summary workbook ---------------------------------------------------------------

#: Headers of the summary tables where a column means something else than in the
#: listing table (``departments`` is a count there, ``relisted`` a count of 【再掲】).
SUMMARY_LABELS = {
    "departments": "所管課の数",
    "relisted": "うち再掲",
    "total": "計",
}
#: The summary sheets whose headers use :data:`SUMMARY_LABELS`.
_SUMMARY_LABELLED = ("基本方針別", "所管課別", "所管課×基本方針")

#: The totals of :func:`kcdata.analysis.summaries.plan_totals` as the 概要 sheet names them.
TOTAL_LABELS = {
    "listings": "掲載数（【再掲】を含む表の行の数）",
    "relisted": "うち【再掲】",
    "measures": "事業数（【再掲】を除く事業名の種類）",
    "departments": "所管課の数",
    "pairs": "掲載と所管課の組の数",
    "co_managed": "共管の掲載数（2つ以上の課が所管）",
    "policies": "基本方針の数",
    "directions": "施策の方向性の数",
}

CONVENTIONS = (
    "掲載数：計画の表の行を1件と数えます。【再掲】の行も1件です。",
    "事業数：「概要」の集計では【再掲】の行を除いた事業名の種類の数、「基本方針別」では"
    "【再掲】を除いた掲載の数、「所管課別」では課の掲載のうち同じ名前の事業"
    "（【再掲】とその元の掲載など）を1事業と数えた数です。",
    "所管課の数：「所管する課」の欄に現れる課の名前の種類の数です。",
    "掲載と所管課の組：2つ以上の課が所管する（共管の）掲載は、課ごとに1件と数えます。"
    "「所管課別」の掲載数の合計はこの数になります。",
    "構成比：「所管課別」の掲載数を、掲載と所管課の組の数で割った割合です。",
    "「所管課×基本方針」：課ごと・基本方針ごとの掲載数（共管は課ごとに1件）です。",
    "「再掲」：【再掲】の行と、同じ事業名の元の掲載の位置です。"
    "「内容の一致」は事業概要と所管する課が元の掲載と同じかどうかです。",
    "行：元の文書での行番号です。",
)


def summary_tables(
    df: pd.DataFrame,
    *,
    japanese: bool = False,
    themes: Any = None,
    sheets: Iterable[str] | None = None,
) -> dict[str, pd.DataFrame]:
    """The tables of the summary workbook's data sheets, keyed by sheet name.

    DataFrames with the project's column names (the headers become Japanese
    when written; ``japanese=True`` gives them the workbook's headers already):
    事業一覧 (every listing, departments joined with 「、」, 【再掲】 as 「○」),
    基本方針別 (:func:`kcdata.analysis.summaries.policy_summary`), 所管課別
    (``department_summary``), 所管課×基本方針 (``department_matrix`` with a
    計 column), 再掲 (``relisted_links``, 「一致」/「不一致」), テーマ別 and
    テーマ該当事業 (:func:`kcdata.outputs.theme_sheets.theme_tables` with ``themes``,
    default kcdata's own dictionary). ``sheets``: only these sheets (named in
    the default words, as in :data:`SUMMARY_SHEETS`), in workbook order; the
    theme dictionary is searched only when a theme sheet is asked for.
    Pure: ``df`` is not modified.
    """
    from kcdata.analysis import summaries as analysis

    wanted = set(SUMMARY_SHEETS[1:] if sheets is None else sheets)
    words = plan_words(df)
    listings = df.copy()
    listings["departments"] = listings["departments"].map("、".join)
    listings["relisted"] = listings["relisted"].map({True: "○", False: ""})

    policies = analysis.policy_summary(df).reset_index()

    departments = analysis.department_summary(df).reset_index()

    matrix = analysis.department_matrix(df)
    matrix = matrix.rename(columns=lambda no: words.section(0, no))
    matrix["total"] = matrix.sum(axis=1)
    matrix = matrix.rename_axis(index="department", columns=None).reset_index()

    links = analysis.relisted_links(df).copy()
    links["consistent"] = links["consistent"].map({True: "一致", False: "不一致"})

    tables = {
        "事業一覧": listings,
        "基本方針別": policies,
        "所管課別": departments,
        "所管課×基本方針": matrix,
        "再掲": links,
        **(theme_tables(df, themes) if wanted & set(THEME_SHEETS) else {}),
    }
    tables = {name: table for name, table in tables.items() if name in wanted}
    if japanese:
        tables = {name: japanese_headers(t, _sheet_labels(name, words))
                  for name, t in tables.items()}
    return {words.say(name): table for name, table in tables.items()}


def sheet_headers(
    sheet: str, table: pd.DataFrame, words: PlanWords | None = None
) -> dict[str, str]:
    """The workbook's header of each column of a summary ``table``: column -> header.

    ``sheet`` is the table's sheet, named in the default words (as in
    :data:`SUMMARY_SHEETS`); ``words`` the plan's words (default the usual ones).
    The headers are those of ``summary_tables(df, japanese=True)``.

    >>> sheet_headers("所管課別", pd.DataFrame(columns=["department", "listings"]))
    {'department': '所管する課', 'listings': '掲載数'}
    """
    names = [str(c) for c in table.columns]
    return dict(zip(names, unique_headers(names, _sheet_labels(sheet, words)), strict=True))


def _sheet_labels(sheet: str, words: PlanWords | None = None) -> Mapping[str, str]:
    """The headers of a summary sheet (named in the default words), in the plan's words."""
    words = words or PlanWords()
    labels = {column: words.label(column) for column in LABELS}
    if sheet in _SUMMARY_LABELLED:
        labels.update({column: words.say(text) for column, text in SUMMARY_LABELS.items()})
    if sheet in THEME_SHEETS:
        labels.update({column: words.say(text) for column, text in THEME_LABELS.items()})
    return labels


def check_summary_size(tables: Mapping[str, pd.DataFrame]) -> None:
    """Refuse, before anything is written, a summary table too large for one Excel sheet.

    Raises :class:`kcdata.limits.ExcelLimitError` naming the sheet: a table
    longer than :data:`kcdata.limits.EXCEL_MAX_ROWS` rows, or (the
    所管課×基本方針 and テーマ別 tables have one column per 基本方針) wider
    than :data:`kcdata.limits.EXCEL_MAX_COLUMNS` columns.
    """
    from kcdata.limits import check_sheet_size

    for name, table in tables.items():
        check_sheet_size(name, len(table) + 1, table.shape[1])


_SHEET_NOTES = {
    "事業一覧": "すべての掲載（文書の順）。フィルターで絞り込めます。",
    "基本方針別": "基本方針ごとの掲載数・再掲・事業数・所管課の数と棒グラフ。",
    "所管課別": "課ごとの掲載数・事業数・関わる基本方針と施策の方向性の数・共管・構成比"
    "と棒グラフ。",
    "所管課×基本方針": "課と基本方針の組ごとの掲載数（色が濃いほど多い）。",
    "再掲": "【再掲】の行と元の掲載の対応。",
    **THEME_SHEET_NOTES,
}
#: Sheets whose first column (the name of each row) stays in view when scrolling right.
_FROZEN_NAMES = ("所管課別", "所管課×基本方針", "テーマ別")


def write_summary_workbook(
    df: pd.DataFrame,
    path: str | os.PathLike[str],
    *,
    source: str | os.PathLike[str] | None = None,
    made_at: datetime | None = None,
    themes: Any = None,
    source_sha256: str | None = None,
) -> Path:
    """Write the summary workbook of a listing table to ``path`` atomically; return the path.

    Sheets (:data:`SUMMARY_SHEETS`): 概要 (source file name and SHA-256 when
    ``source`` is given — ``source_sha256``, the hash of the bytes parsed,
    computed from the file when not given —, when it was made — ``made_at``,
    default :func:`kcdata.stamps.made_time` —, the kcdata version,
    :func:`kcdata.analysis.summaries.plan_totals`, the counting conventions,
    and a note if any text had to be cleaned), then the tables of
    :func:`summary_tables`, with native bar charts on 基本方針別, 所管課別 and
    テーマ別 and the counts of 所管課×基本方針 shaded. ``themes``: the theme
    dictionary of the theme sheets (default kcdata's own), named with its
    SHA-256 on 概要. A table too large for a sheet is refused with
    :class:`kcdata.limits.ExcelLimitError` before any file is made (see
    :func:`check_summary_size`). Saved as :func:`kcdata.outputs.xlsx.open_workbook`
    saves. Cost: linear in the cells.
    """
    from kcdata.analysis.themes import load_themes
    from kcdata.limits import check_sheet_size
    from kcdata.safetext import lone_surrogates_removed, warn_removed

    # the widest tables have a column per 基本方針: refused before any work
    policies = df["policy_no"].nunique()
    check_sheet_size("所管課×基本方針", 1, policies + 2)
    check_sheet_size("テーマ別", 1, policies + 6)
    df, surrogates, cleaned_columns = lone_surrogates_removed(df)
    if surrogates:
        warn_removed(surrogates, "workbook", cleaned_columns)
    words = plan_words(df)
    dictionary = load_themes(themes)
    tables = dict(zip(SUMMARY_SHEETS[1:], summary_tables(df, themes=dictionary).values(),
                      strict=True))
    check_summary_size(tables)
    with open_workbook(path, title=f"{words.title or '計画'} 集計") as book:
        if surrogates:  # noted on the 概要 sheet with the other characters removed
            book.log.removed += surrogates
            book.log.cells.append(f"元の表の列 {'・'.join(cleaned_columns) or '名前'}")
        reserve_sheet(book, SUMMARY_SHEETS[0])
        sheets = {
            name: write_sheet(book, words.say(name), table, labels=_sheet_labels(name, words),
                              freeze_columns=1 if name in _FROZEN_NAMES else 0)
            for name, table in tables.items()
        }
        _add_charts(book, sheets, tables, words)
        overview.write_overview(book, SUMMARY_SHEETS[0],
                            _overview_rows(df, words, source, source_sha256, made_at,
                                           theme_overview_rows(dictionary)))
    return Path(path)


def _add_charts(book: Book, sheets: Mapping[str, Sheet], tables: Mapping[str, pd.DataFrame],
                words: PlanWords) -> None:
    """The native charts of 基本方針別, 所管課別 and テーマ別; 所管課×基本方針 shaded."""
    say = words.say
    add_bar_chart(  # measures + relisted = listings: 【再掲】 stacked at the end of each bar
        book, sheets["基本方針別"], categories=words.label("policy"),
        values=["measures", SUMMARY_LABELS["relisted"]],
        title=say("基本方針別の掲載数（【再掲】を含む）"), axis_title="掲載数", stacked=True,
    )
    add_bar_chart(
        book, sheets["所管課別"], categories=words.label("department"), values=["listings"],
        title=say("所管課別の掲載数"), axis_title="掲載数（共管は課ごとに1件）",
    )
    themes, policies = sheets["テーマ別"], policy_columns(tables["テーマ別"])
    if themes.rows and policies:  # measures by theme, stacked by 基本方針, below the table
        add_bar_chart(
            book, themes, categories=THEME_LABELS["theme"], values=policies,
            title=say("テーマ別の事業数（基本方針別）"), axis_title="事業数（【再掲】を除く）",
            stacked=True, anchor=f"A{themes.rows + 4}",
        )
    matrix = sheets["所管課×基本方針"]
    if matrix.rows and len(matrix.headers) > 2:  # shade the counts, not the names and the 計
        matrix.worksheet.conditional_format(1, 1, matrix.rows, len(matrix.headers) - 2, {
            "type": "2_color_scale", "min_type": "num", "min_value": 0,
            "min_color": "#FFFFFF", "max_type": "max", "max_color": "#5B9BD5",
        })


def _overview_rows(
    df: pd.DataFrame, words: PlanWords, source: str | os.PathLike[str] | None,
    source_sha256: str | None, made_at: datetime | None, theme_rows: list[OverviewRow],
) -> list[OverviewRow]:
    """The rows of the summary workbook's 概要 sheet."""
    say = words.say
    layout = df.attrs.get("layout")
    return [
        (f"{words.title or '計画'}の集計", None),
        (None, None),
        *source_rows("元の文書", source, source_sha256),
        *made_rows(made_at),
        *((("レイアウト", layout),) if layout else ()),
        *theme_rows,
        (None, None),
        ("集計", None),
        *((say(TOTAL_LABELS[k]), int(v)) for k, v in plan_totals(df).items()),
        (None, None),
        ("数え方", None),
        *((f"{i}.", say(text)) for i, text in
          enumerate((*CONVENTIONS, THEME_CONVENTION), start=1)),
        (None, None),
        ("シート", None),
        *((say(name), say(_SHEET_NOTES[name])) for name in SUMMARY_SHEETS[1:]),
    ]

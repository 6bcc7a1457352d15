"""The summary workbook of one plan: the report model's tables, native charts, a 概要 sheet."""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd

from kcdata.analysis.plans import single_plan
from kcdata.analysis.summaries import plan_totals
from kcdata.outputs import overview
from kcdata.outputs.figures import OKABE_ITO
from kcdata.outputs.no_departments import DEPARTMENT_SHEETS, write_note_sheet
from kcdata.outputs.overview import made_rows, source_rows
from kcdata.outputs.tables import check_summary_size, sheet_labels, summary_tables
from kcdata.outputs.theme_sheets import overview_rows as theme_overview_rows
from kcdata.outputs.theme_sheets import policy_columns
from kcdata.outputs.xlsx import (
    PRINT_WIDTH,
    Book,
    Sheet,
    add_bar_chart,
    open_workbook,
    reserve_sheet,
    write_sheet,
)
from kcdata.schema import has_departments
from kcdata.vocab import (
    CHART_CAPTIONS,
    CHART_TITLES,
    CONVENTIONS,
    SHEET_NOTES,
    SUMMARY_LABELS,
    SUMMARY_SHEETS,
    THEME_CONVENTION,
    THEME_LABELS,
    TOTAL_LABELS,
    PlanWords,
    no_departments_sentence,
    plan_words,
)

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

    Sheets :data:`SUMMARY_SHEETS`: 概要 (the source and its SHA-256 — ``source_sha256``,
    else read from the file —, when and by what it was made, the theme dictionary
    ``themes``, :func:`kcdata.analysis.summaries.plan_totals`, the counting conventions),
    then the tables of :func:`summary_tables`, with native bar charts on 基本方針別,
    所管課別 and テーマ別 and the counts of 所管課×基本方針 shaded. A plan without
    departments gets the sentence of :func:`kcdata.vocab.no_departments_sentence` in the
    department sheets. A table too large for a sheet raises
    :class:`kcdata.limits.ExcelLimitError` before any file is made.
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
    note = None if has_departments(df) else no_departments_sentence(df)
    with open_workbook(path, title=f"{words.title or '計画'} 集計") as book:
        if surrogates:  # noted on the 概要 sheet with the other characters removed
            book.log.removed += surrogates
            book.log.cells.append(f"元の表の列 {'・'.join(cleaned_columns) or '名前'}")
        reserve_sheet(book, SUMMARY_SHEETS[0])
        sheets = {}
        for name, table in tables.items():
            if note is not None and name in DEPARTMENT_SHEETS:
                sheets[name] = write_note_sheet(book, words.sheet(name), note)
            else:
                sheets[name] = write_sheet(
                    book, words.sheet(name), table, labels=sheet_labels(name, words),
                    freeze_columns=1 if name in _FROZEN_NAMES else 0,
                    print_width=PRINT_WIDTH if name == "事業一覧" else None)
        _add_charts(book, sheets, tables, words)
        say = words.say
        layout = df.attrs.get("layout")
        overview.write_overview(book, SUMMARY_SHEETS[0], [
            (f"{words.title or '計画'}の集計", None),
            (None, None),
            *source_rows("元の文書", source, source_sha256),
            *made_rows(made_at),
            *((("レイアウト", layout),) if layout else ()),
            *theme_overview_rows(dictionary),
            (None, None),
            ("集計", None),
            *((say(TOTAL_LABELS[k]), int(v)) for k, v in plan_totals(single_plan(df)).items()),
            (None, None),
            ("数え方", None),
            *((f"{i}.", say(text)) for i, text in
              enumerate((*CONVENTIONS, THEME_CONVENTION), start=1)),
            (None, None),
            ("シート", None),
            *((words.sheet(name),
               note if note and name in DEPARTMENT_SHEETS else say(SHEET_NOTES[name]))
              for name in SUMMARY_SHEETS[1:]),
        ])
    return Path(path)


def _add_charts(book: Book, sheets: Mapping[str, Sheet], tables: Mapping[str, pd.DataFrame],
                words: PlanWords) -> None:
    """The native charts of 基本方針別, 所管課別 and テーマ別; 所管課×基本方針 shaded."""
    say = words.say
    add_bar_chart(  # measures + relisted = listings: 【再掲】 stacked at the end of each bar
        book, sheets["基本方針別"], categories=words.label("policy"),
        values=["measures", SUMMARY_LABELS["relisted"]],
        title=say("{level0}別の掲載数（【再掲】を含む）"), axis_title="掲載数", stacked=True,
    )
    if sheets["所管課別"].rows:  # a plan without departments: a sentence, no chart
        add_bar_chart(
            book, sheets["所管課別"], categories=words.label("department"), values=["listings"],
            title=say(CHART_CAPTIONS["02_listings_by_department"]),
            axis_title="掲載数（共管は課ごとに1件）",
        )
    themes, policies = sheets["テーマ別"], policy_columns(tables["テーマ別"])
    if themes.rows and policies:  # measures by theme, stacked by 基本方針, below the table
        add_bar_chart(
            book, themes, categories=THEME_LABELS["theme"], values=policies,
            title=say(CHART_TITLES["06_themes_by_policy"]), axis_title="事業数（【再掲】を除く）",
            stacked=True, anchor=f"A{themes.rows + 4}",
            colors=OKABE_ITO, per_category=0.9,  # the PNG charts' colours; a readable bar each
        )
    matrix = sheets["所管課×基本方針"]
    if matrix.rows and len(matrix.headers) > 2:  # shade the counts, not the names and the 計
        matrix.worksheet.conditional_format(1, 1, matrix.rows, len(matrix.headers) - 2, {
            "type": "2_color_scale", "min_type": "num", "min_value": 0,
            "min_color": "#FFFFFF", "max_type": "max", "max_color": "#5B9BD5",
        })


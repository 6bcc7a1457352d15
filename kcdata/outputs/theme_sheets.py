"""The summary workbook's theme tables: テーマ別 (themes x 基本方針) and テーマ該当事業."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from kcdata.analysis.themes import (
    ThemeDictionary,
    ThemesLike,
    load_themes,
    tag_themes,
    theme_matrix,
    theme_summary,
)
from kcdata.vocab import FIELD_NAMES, plan_words

if TYPE_CHECKING:  # pragma: no cover
    from kcdata.outputs.overview import OverviewRow

#: The columns of テーマ別 that are not a 基本方針's.
_THEME_TABLE_COLUMNS = ("theme", "measures", "listings", "share", "words", "exclude")


def theme_tables(df: pd.DataFrame, themes: ThemesLike = None) -> dict[str, pd.DataFrame]:
    """The tables テーマ別 and テーマ該当事業 (project column names); ``df`` is not modified.

    テーマ別, a row per theme in dictionary order: ``theme``, a column per 基本方針 (distinct
    measures, as :func:`kcdata.analysis.themes.theme_matrix`), ``measures`` (their sum),
    ``listings`` (【再掲】 included), ``share`` (of the plan's measures), ``words``, ``exclude``.
    テーマ該当事業, a row per (listing, theme) in document order: ``theme``, ``section``,
    ``line``, ``measure``, ``relisted`` (「○」), ``matched`` (words found), ``fields``,
    ``summary``, ``departments``.
    """
    dictionary = load_themes(themes)
    words = plan_words(df)
    matrix = theme_matrix(df, "policy", dictionary).rename(
        columns=lambda no: words.section(0, no)
    )
    by_theme = matrix.rename_axis(columns=None).reset_index()
    summary = theme_summary(df, dictionary)
    spec = dictionary.to_frame()
    for column in ("measures", "listings", "share"):
        by_theme[column] = summary[column].to_numpy()
    for column in ("words", "exclude"):
        by_theme[column] = spec[column].to_numpy()

    tags = tag_themes(df, dictionary)
    keys = ["sheet", "line"] if "sheet" in df else ["line"]
    grouped = tags.groupby([*keys, "theme"], sort=False)
    tagged = grouped[["section", "measure", "relisted"]].first()
    tagged["matched"] = grouped["word"].agg(lambda w: "、".join(dict.fromkeys(w)))
    tagged["fields"] = grouped["field"].agg(
        lambda f: "・".join(FIELD_NAMES.get(x, x) for x in dict.fromkeys(f))
    )
    listings = df[[*keys, "summary", "departments"]].copy()
    listings["departments"] = listings["departments"].map("、".join)
    tagged = tagged.reset_index().merge(listings, on=keys, how="left", validate="many_to_one")
    tagged["relisted"] = tagged["relisted"].map({True: "○", False: ""})
    tagged = tagged[[*keys[:-1], "theme", "section", "line", "measure", "relisted", "matched",
                     "fields", "summary", "departments"]]
    return {"テーマ別": by_theme, "テーマ該当事業": tagged}


def policy_columns(by_theme: pd.DataFrame) -> list[str]:
    """The 基本方針 columns of the テーマ別 table, in order."""
    return [c for c in by_theme.columns if c not in _THEME_TABLE_COLUMNS]


def overview_rows(dictionary: ThemeDictionary) -> list[OverviewRow]:
    """The 概要 rows naming the theme dictionary: its name (and title) and SHA-256."""
    name = f"{dictionary.label}：{dictionary.title}" if dictionary.title else dictionary.label
    return [("テーマ辞書", name), ("テーマ辞書のSHA-256", dictionary.sha256)]

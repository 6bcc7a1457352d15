"""Theme dictionaries, tagging, untagged listings, the theme matrix and the default dictionary."""

from __future__ import annotations

import hashlib
import tomllib

import pandas as pd
import pytest

from kcdata import parse_measures, plan_totals
from kcdata.analysis.themes import (
    TAG_COLUMNS,
    ThemeDictionary,
    ThemeError,
    load_themes,
    tag_themes,
    theme_coverage,
    theme_matrix,
    theme_summary,
    untagged,
)
from kcdata.paths import PROJECT_ROOT
from kcdata.text import nfkc_key

from .conftest import HEADER_ROW, doc

#: The themes the issue asks the default dictionary for, in its order.
ISSUE_THEMES = [
    "防災・防犯", "子ども・子育て", "高齢者・福祉", "デジタル・ICT", "環境・ごみ",
    "多文化共生・国際交流", "担い手・人材育成", "町会・自治会", "協働・NPO・企業",
    "文化・スポーツ・生涯学習", "交通・道路", "広報・情報発信",
]


@pytest.fixture
def variants() -> pd.DataFrame:
    """Width, case and kana variants of the same words, and near misses."""
    return parse_measures(doc(
        "基本方針1 方針一",
        "施策の方向性(1) 方向",
        HEADER_ROW,
        "ぼうさい訓練事業\t地域で実施\t甲課",          # 4
        "ボウサイ講座\t\t甲課",                        # 5
        "ﾎﾞｳｻｲ教室\t\t乙課",                          # 6
        "ＩＣＴ化事業\t\t乙課",                        # 7
        "情報化事業\tict を活用\t甲課 乙課",            # 8
        "Ict推進\t\t丙課",                            # 9
        "district事業\tstrict な運用\t丙課",           # 10: not ICT
        "基本方針2 方針二",
        "施策の方向性(1) 方向",
        HEADER_ROW,
        "【再掲】ＩＣＴ化事業\t\t乙課",                 # 14
        "公園事業\t緑の保全\t丁課",                     # 15: no theme
    ))


SMALL = {"防災": ["防災", "ぼうさい"], "ICT": {"words": ["ICT"]}}


def test_width_case_and_kana_variants_are_tagged(variants):
    tags = tag_themes(variants, SMALL)
    assert list(tags.columns) == list(TAG_COLUMNS)
    by_theme = tags.groupby("theme")["line"].apply(lambda s: sorted(set(s))).to_dict()
    assert by_theme == {"防災": [4, 5, 6], "ICT": [7, 8, 9, 14]}
    # The dictionary's word is reported, and the field it was found in.
    row = tags[tags["line"] == 8].iloc[0]
    assert (row["theme"], row["word"], row["field"]) == ("ICT", "ICT", "summary")
    assert tags.loc[tags["line"] == 14, "relisted"].tolist() == [True]
    assert tags.loc[tags["line"] == 4, "section"].tolist() == ["1-(1)"]


def test_untagged_are_the_other_listings(variants):
    tags = tag_themes(variants, SMALL)
    rest = untagged(variants, SMALL)
    assert rest["line"].tolist() == [10, 15]
    assert list(rest.columns) == list(variants.columns)
    assert sorted({*tags["line"], *rest["line"]}) == variants["line"].tolist()


def test_tagging_does_not_modify_the_table(variants):
    before = variants.copy()
    tag_themes(variants, SMALL)
    untagged(variants, SMALL)
    theme_matrix(variants, "department", SMALL)
    pd.testing.assert_frame_equal(variants, before)


def test_one_row_per_listing_theme_field_and_word():
    df = parse_measures(doc(
        "基本方針1 方針", "施策の方向性(1) 方向", HEADER_ROW,
        "防災と避難の事業\t防災訓練、防災士、避難所\t甲課",
    ))
    tags = tag_themes(df, {"防災": ["避難", "防災"], "訓練": ["訓練"]})
    assert tags[["theme", "word", "field"]].values.tolist() == [
        ["防災", "避難", "measure"], ["防災", "防災", "measure"],
        ["防災", "避難", "summary"], ["防災", "防災", "summary"],
        ["訓練", "訓練", "summary"],
    ]


@pytest.mark.parametrize(
    ("text", "tagged"),
    [
        ("多文化共生の推進", False),          # 文化 only inside the excluded 多文化
        ("多文化共生と文化芸術", True),         # a second 文化 outside it
        ("文化祭", True),
        ("タブンカ共生", False),                # the exclusion is folded too (たぶんか)
    ],
)
def test_an_occurrence_inside_an_excluded_phrase_does_not_count(text, tagged):
    df = parse_measures(doc("基本方針1 方針", "施策の方向性(1) 方向", HEADER_ROW,
                            f"A事業\t{text}\t甲課"))
    themes = {"文化": {"words": ["文化", "ぶんか"], "exclude": ["多文化", "たぶんか"]}}
    assert (len(tag_themes(df, themes)) > 0) is tagged


def test_exclusions_belong_to_their_theme_and_cover_whole_occurrences():
    df = parse_measures(doc(
        "基本方針1 方針", "施策の方向性(1) 方向", HEADER_ROW,
        "A事業\t防災行政無線の更新\t甲課",
        "B事業\t防災行政無線機の整備\t甲課",
    ))
    themes = {
        "防災": {"words": ["防災", "無線機"], "exclude": ["防災行政無線"]},
        "行政": ["防災"],  # the same word, no exclusion
    }
    tags = tag_themes(df, themes)
    # 「防災」 is inside the excluded phrase on both lines; 「無線機」 starts inside it but
    # ends after it, so it is not inside and counts.
    assert tags.loc[tags["theme"] == "防災", ["line", "word"]].values.tolist() == [[5, "無線機"]]
    assert tags.loc[tags["theme"] == "行政", "line"].tolist() == [4, 5]


def test_theme_matrix_counts_distinct_measures():
    df = parse_measures(doc(
        "基本方針1 方針一", "施策の方向性(1) 方向", HEADER_ROW,
        "防災A事業\t\t甲課 乙課",
        "防災B事業\t\t甲課",
        "基本方針2 方針二", "施策の方向性(1) 方向", HEADER_ROW,
        "【再掲】防災A事業\t\t甲課 乙課",
        "防災C事業\t\t丙課",
        "D事業\t\t丙課",
    ))
    themes = {"防災": ["防災"], "福祉": ["福祉"]}
    matrix = theme_matrix(df, "policy", themes)
    # The 【再掲】 under 基本方針2 is not counted again: 防災A is a measure of 基本方針1.
    assert matrix.to_dict("index") == {"防災": {1: 2, 2: 1}, "福祉": {1: 0, 2: 0}}
    assert matrix.index.tolist() == ["防災", "福祉"]
    by_department = theme_matrix(df, "department", themes)
    # 防災A and its 【再掲】 are one measure for 甲課; co-managed: it counts for 乙課 too.
    assert by_department.loc["防災"].to_dict() == {"丙課": 1, "乙課": 1, "甲課": 2}
    by_direction = theme_matrix(df, "direction", themes)
    assert by_direction.loc["防災"].sum() == 3
    summary = theme_summary(df, themes)
    assert summary.loc["防災", ["measures", "listings", "relisted"]].tolist() == [3, 4, 1]
    assert summary.loc["防災", "share"] == pytest.approx(3 / 4)
    with pytest.raises(ValueError, match="by must be"):
        theme_matrix(df, "section", themes)


def test_a_table_without_matches_gives_empty_results_not_errors():
    df = parse_measures(doc("基本方針1 方針", "施策の方向性(1) 方向", HEADER_ROW, "A事業\t\t甲課"))
    themes = {"防災": ["防災"]}
    assert tag_themes(df, themes).empty
    assert list(tag_themes(df, themes).columns) == list(TAG_COLUMNS)
    assert theme_matrix(df, "policy", themes).to_dict("index") == {"防災": {1: 0}}
    assert len(untagged(df, themes)) == 1


# --- dictionaries -------------------------------------------------------------------


def test_toml_with_quoted_japanese_keys(tmp_path):
    path = tmp_path / "my.toml"
    path.write_bytes("""
title = "防災だけの辞書"
[themes."防災・防犯"]   # quoted: bare keys are ASCII only
words = ["防災", "避難", "防災"]
exclude = ["防災行政無線"]

[themes."子ども"]
words = ["子ども"]
""".encode())
    themes = load_themes(path)
    assert themes.names == ["防災・防犯", "子ども"]
    assert themes.themes[0].words == ("防災", "避難")  # repeated words kept once
    assert themes.themes[0].exclude == ("防災行政無線",)
    assert themes.label == "my.toml" and themes.title == "防災だけの辞書"
    assert themes.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert load_themes(str(path)) == themes


def test_dict_forms_are_the_same_dictionary():
    short = load_themes({"防災": ["防災", "避難"]})
    long = load_themes({"防災": {"words": ["防災", "避難"], "exclude": []}})
    assert short.themes == long.themes and short.sha256 == long.sha256
    assert load_themes({"防災": ["防災"]}).sha256 != short.sha256
    assert load_themes(short) is short


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ('[themes."防災"\nwords = ["防災"]', "not a valid TOML"),
        ("[themes.防災]\nwords = [\"防災\"]", "not a valid TOML"),  # an unquoted Japanese key
        ('title = "x"', "no \\[themes"),
        ('[themes."防災"]\nword = ["防災"]', "unknown key 'word'"),
        ('[themes."防災"]\nexclude = ["x"]', "no words"),
        ('[themes."防災"]\nwords = "防災"', "must be a list of strings"),
        ('[themes."防災"]\nwords = ["防災", 3]', "must be a list of strings"),
        ('[themes."防災"]\nwords = []', "words is empty"),
        ('[themes."防災"]\nwords = ["  "]', "an empty word"),
        ('[themes."防災"]\nwords = ["防\\u0000災"]', "control character"),
        ('[themes."防災"]\nwords = ["防災"]\nexclude = "x"', "must be a list of strings"),
        ('[theme."防災"]\nwords = ["防災"]', "unknown top-level key 'theme'"),
        ('themes = 3', "must be a table"),
        ('themes = {}', "no themes"),
        ('title = 3\n[themes."防災"]\nwords = ["防災"]', "title must be a string"),
    ],
)
def test_a_malformed_dictionary_is_a_clear_value_error(tmp_path, text, reason):
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match=reason) as caught:
        load_themes(path)
    assert isinstance(caught.value, ThemeError)
    assert str(caught.value).startswith(str(path))


def test_unreadable_and_non_utf8_dictionaries(tmp_path):
    with pytest.raises(ThemeError, match="cannot read"):
        load_themes(tmp_path / "missing.toml")
    path = tmp_path / "sjis.toml"
    path.write_bytes('[themes."防災"]\nwords = ["防災"]\n'.encode("cp932"))
    with pytest.raises(ThemeError, match="not UTF-8"):
        load_themes(path)
    with pytest.raises(ThemeError, match="must be a list"):
        load_themes({"防災": "防災"})
    with pytest.raises(TypeError):
        load_themes(42)


# --- the default dictionary on the bundled plan -------------------------------------------


def test_default_dictionary_has_the_issue_themes():
    themes = load_themes()
    assert isinstance(themes, ThemeDictionary)
    assert themes.names == ISSUE_THEMES
    assert all(t.words for t in themes.themes)


def test_default_dictionary_is_package_data():
    config = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "themes_default.toml" in config["tool"]["setuptools"]["package-data"]["kcdata"]


def test_default_dictionary_tags_at_least_90_percent_of_the_bundled_measures(bundled):
    coverage = theme_coverage(bundled)
    # Computed here again from the long table, not taken on trust.
    tags = tag_themes(bundled)
    originals = bundled[~bundled["relisted"]]
    keys = nfkc_key(originals["measure"])
    tagged = set(keys[originals["line"].isin(tags["line"])])
    assert coverage["measures"] == plan_totals(bundled)["measures"] == keys.nunique()
    assert coverage["tagged_measures"] == len(tagged)
    assert len(tagged) / keys.nunique() >= 0.9
    assert coverage["share"] >= 0.9
    assert coverage["tagged_listings"] == tags["line"].nunique()


def test_every_default_theme_tags_some_bundled_measure(bundled):
    summary = theme_summary(bundled)
    assert (summary["measures"] > 0).all(), summary


# What a careful reader marks, and the traps the dictionary was written to avoid.
READER_TAGS = [
    (69, "防災・防犯", True),               # 消防団充実強化促進事業
    (109, "デジタル・ICT", True),            # 市民活動DX推進事業
    (154, "多文化共生・国際交流", True),      # 外国人住民キーパーソン連携促進事業
    (154, "文化・スポーツ・生涯学習", False),  # 「多文化共生」 is not 文化
    (152, "文化・スポーツ・生涯学習", False),  # 日本語学習 of foreign residents
    (123, "交通・道路", False),              # a bus hired for a learning group
    (123, "文化・スポーツ・生涯学習", True),
    (145, "交通・道路", False),              # students shovelling snow as volunteers
    (97, "交通・道路", True),                # 道路除排雪機械購入支援事業
    (17, "環境・ごみ", True),                # 要介護者ごみ出しサポート事業
    (17, "高齢者・福祉", True),
    (144, "協働・NPO・企業", True),          # まちづくりHUB Project事業: パートナーシップ
    (120, "子ども・子育て", True),            # こどもの未来創造地域活動推進事業
    (12, None, None),                        # 納税奨励金交付事業: no theme
]


@pytest.mark.parametrize(("line", "theme", "tagged"), READER_TAGS)
def test_default_tags_agree_with_a_careful_reading(bundled, line, theme, tagged):
    tags = tag_themes(bundled)
    themes_of_line = set(tags.loc[tags["line"] == line, "theme"])
    if theme is None:
        assert not themes_of_line
    else:
        assert (theme in themes_of_line) is tagged, themes_of_line


def test_theme_chart_shows_the_matrix(bundled):
    from matplotlib.container import BarContainer

    from kcdata.outputs.charts import theme_policy_chart

    themes = {"防災": ["防災", "消防"], "子ども": ["児童", "子ども"], "なし": ["該当しない語"]}
    fig = theme_policy_chart(bundled, themes)
    (ax,) = [a for a in fig.axes if a.get_title()]
    matrix = theme_matrix(bundled, "policy", themes)
    # Sorted: the themes with the most measures first, ties in the dictionary's order.
    matrix = matrix.loc[matrix.sum(axis=1).sort_values(ascending=False, kind="stable").index]
    containers = [c for c in ax.containers if isinstance(c, BarContainer)]
    assert len(containers) == matrix.shape[1]  # one per 基本方針
    for container, policy in zip(containers, matrix.columns, strict=True):
        assert [bar.get_width() for bar in container] == matrix[policy].tolist()
    assert [t.get_text() for t in ax.get_yticklabels()] == matrix.index.tolist()
    assert matrix.index[-1] == "なし"
    assert "テーマ別" in ax.get_title()
    # Each non-empty segment has its count written in its middle; empty ones nothing.
    written = sorted((*t.get_position(), t.get_text()) for t in ax.texts if t.get_gid() == "count")
    segments = sorted((bar.get_x() + bar.get_width() / 2, bar.get_y() + bar.get_height() / 2,
                       str(round(bar.get_width())))
                      for container in containers for bar in container if bar.get_width())
    assert written == segments and len(written) == int((matrix > 0).to_numpy().sum())


def test_a_dictionary_round_trips_through_toml(tmp_path):
    themes = load_themes({
        "防災・防犯": {"words": ["防災", 'say "hi"', "back\\slash"], "exclude": ["防災行政無線"]},
        "子ども": ["子ども"],
    })
    path = tmp_path / "out.toml"
    path.write_text(themes.to_toml(), encoding="utf-8")
    again = load_themes(path)
    assert again.themes == themes.themes
    assert load_themes().to_mapping() == load_themes(load_themes().to_mapping()).to_mapping()

"""Keyword in context: variants found, matches shown as written; kcdata search and --themes."""

from __future__ import annotations

import hashlib

import openpyxl
import pandas as pd
import pytest

from kcdata import parse_measures
from kcdata.analysis.search import SEARCH_COLUMNS, search
from kcdata.cli import main, printable
from kcdata.paths import BUNDLED_DOCUMENT

from .conftest import HEADER_ROW, doc

VARIANTS = doc(
    "基本方針1 方針一",
    "施策の方向性(1) 方向",
    HEADER_ROW,
    "ぼうさい訓練事業\t地域のボウサイ力とﾎﾞｳｻｲ意識\t甲課",   # 4
    "ＩＣＴ化事業\tICT と ict を活用\t乙課",                # 5
    "district事業\tstrict な運用\t丙課",                    # 6
    "基本方針2 方針二",
    "施策の方向性(3) 方向",
    HEADER_ROW,
    "【再掲】ＩＣＴ化事業\t㈱ＩＣＴ研究所と連携\t乙課",      # 10
)


@pytest.fixture
def variants() -> pd.DataFrame:
    return parse_measures(VARIANTS)


def test_kana_and_width_variants_are_found_and_shown_as_written(variants):
    hits = search(variants, "防災")
    assert hits.empty  # readings are not compared: 防災 is not ぼうさい
    hits = search(variants, "ボウサイ")
    assert list(hits.columns) == list(SEARCH_COLUMNS)
    assert hits[["line", "field", "match"]].values.tolist() == [
        [4, "measure", "ぼうさい"], [4, "summary", "ボウサイ"], [4, "summary", "ﾎﾞｳｻｲ"],
    ]
    assert hits["left"].tolist() == ["", "地域の", "地域のボウサイ力と"]
    assert hits["right"].tolist() == ["訓練事業", "力とﾎﾞｳｻｲ意識", "意識"]
    assert hits["section"].tolist() == ["1-(1)"] * 3
    assert hits["measure"].tolist() == ["ぼうさい訓練事業"] * 3


def test_latin_letters_in_any_width_and_case_but_only_as_words(variants):
    hits = search(variants, "ict")
    assert hits[["line", "field", "match"]].values.tolist() == [
        [5, "measure", "ＩＣＴ"], [5, "summary", "ICT"], [5, "summary", "ict"],
        [10, "measure", "ＩＣＴ"], [10, "summary", "ＩＣＴ"],
    ]
    assert search(variants, "ＩＣＴ").equals(hits.assign(word="ＩＣＴ"))
    assert hits.iloc[-1][["left", "right"]].tolist() == ["㈱", "研究所と連携"]
    assert 6 not in hits["line"].tolist()  # district, strict


def test_several_words_are_searched_independently(variants):
    hits = search(variants, ["ぼうさい", "ICT", "見当たらない語"])
    assert hits["word"].value_counts().to_dict() == {"ぼうさい": 3, "ICT": 5}
    assert hits["line"].tolist() == sorted(hits["line"])  # document order
    assert set(hits.loc[hits["line"] == 4, "word"]) == {"ぼうさい"}


def test_context_width_and_compatibility_characters(variants):
    hits = search(variants, "(株)", context=2)  # ㈱ folds to (株)
    assert hits[["match", "left", "right"]].values.tolist() == [["㈱", "", "ＩＣ"]]


def test_bad_queries(variants):
    with pytest.raises(ValueError, match="empty"):
        search(variants, " ")
    with pytest.raises(ValueError, match="no word"):
        search(variants, [])
    with pytest.raises(KeyError, match="nope"):
        search(variants, "x", fields=["nope"])


def test_search_on_the_bundled_plan_finds_every_listing_that_holds_the_word(bundled):
    hits = search(bundled, "防災士")
    expected = bundled[bundled["measure"].str.contains("防災士")
                       | bundled["summary"].str.contains("防災士")]["line"].tolist()
    assert sorted(set(hits["line"])) == expected == [101, 133, 161]
    assert (hits["match"] == "防災士").all()
    # 【再掲】 rows are listings and are searched.
    assert 146 in search(bundled, "シビックテック")["line"].tolist()


def test_search_does_not_modify_the_table(variants):
    before = variants.copy()
    search(variants, ["ict", "ぼうさい"])
    pd.testing.assert_frame_equal(variants, before)


# --- the command line ---------------------------------------------------------------


def test_cli_search(tmp_path, capsys):
    source = tmp_path / "plan.txt"
    source.write_text(VARIANTS, encoding="utf-8")
    assert main(["search", str(source), "ぼうさい", "ＩＣＴ"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == f"{source}:4: 1-(1) 事業名: 【ぼうさい】訓練事業"
    assert lines[-1] == "8 matches in 3 listings (ぼうさい 3, ＩＣＴ 5)"
    assert len(lines) == 9


def test_cli_search_escapes_control_characters(tmp_path, capsys):
    source = tmp_path / "plan.txt"
    source.write_text(doc("基本方針1 方針", "施策の方向性(1) 方向", HEADER_ROW,
                          "防災事業\t\x1b[2J防災\u202e訓練\t甲課"), encoding="utf-8")
    assert main(["search", str(source), "防災"]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\u202e" not in out
    assert "\\x1b[2J【防災】\\u202e訓練" in out


def test_printable_leaves_japanese_alone():
    assert printable("防災・ＩＣＴ（再掲）") == "防災・ＩＣＴ（再掲）"
    assert printable("a\tb\x00") == "a\\tb\\x00"


def test_cli_search_bad_input(tmp_path, capsys):
    source = tmp_path / "bad.txt"
    source.write_text("基本方針1 a\n施策の方向性(1) b\nA\tB\n", encoding="utf-8")
    assert main(["search", str(source), "防災"]) == 2
    assert capsys.readouterr().err.startswith(f"{source}:3: ")
    assert main(["search", str(BUNDLED_DOCUMENT), "　"]) == 2
    assert "empty search word" in capsys.readouterr().err


def test_cli_report_with_a_bad_theme_file_writes_nothing(tmp_path, capsys):
    themes = tmp_path / "bad.toml"
    themes.write_text('[themes."防災"]\nword = ["防災"]\n', encoding="utf-8")
    out = tmp_path / "reports"
    assert main(["report", str(BUNDLED_DOCUMENT), "--out", str(out), "--themes", str(themes)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"{themes}: theme '防災': unknown key 'word'")
    assert "Traceback" not in err
    assert not out.exists()


def test_cli_report_with_own_themes(tmp_path, capsys):
    themes = tmp_path / "my_themes.toml"
    themes.write_text('title = "雪と防災"\n[themes."雪"]\nwords = ["雪"]\n'
                      '[themes."防災"]\nwords = ["防災", "消防"]\n', encoding="utf-8")
    out = tmp_path / "reports"
    assert main(["report", "--out", str(out), "--themes", str(themes)]) == 0
    written = capsys.readouterr().out.splitlines()
    assert str(out / "figures" / "06_themes_by_policy.png") in written
    wb = openpyxl.load_workbook(next(p for p in written if p.endswith(".xlsx")))  # page last
    overview = {a: b for a, b in wb["概要"].iter_rows(values_only=True) if a}
    assert overview["テーマ辞書"] == "my_themes.toml：雪と防災"
    assert overview["テーマ辞書のSHA-256"] == hashlib.sha256(themes.read_bytes()).hexdigest()
    assert [r[0] for r in wb["テーマ別"].iter_rows(min_row=2, values_only=True)] == ["雪", "防災"]
    tagged = {r[0] for r in wb["テーマ該当事業"].iter_rows(min_row=2, values_only=True)}
    assert tagged == {"雪", "防災"}


def test_search_names_the_sheet_of_a_spreadsheet_source(variants, tmp_path, capsys):
    with_sheet = variants.assign(sheet="計画")
    hits = search(with_sheet, "ict")
    assert list(hits.columns[:2]) == ["word", "sheet"]
    assert set(hits["sheet"]) == {"計画"}
    csv = tmp_path / "plan.csv"
    csv.write_text(
        "基本方針,施策の方向性,事業名,事業概要,所管する課\n"
        "1 方針,(1) 方向,ＩＣＴ事業,ICT を活用,甲課\n", encoding="utf-8-sig",
    )
    assert main(["search", str(csv), "ict"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 3 and out[-1] == "2 matches in 1 listings (ict 2)"

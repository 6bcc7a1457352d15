"""Issue 24: what real plans need from a layout, and the silent wrongs it found.

Each document here is written for one pattern (the hidden documents are other
cities' plans: build for the pattern, not the file). Every test goes through
the public readers.
"""

from __future__ import annotations

import warnings

import pytest

import kcdata as kc
from kcdata import ParseError, PlanWarning, layout_from_toml, parse_measures
from kcdata.io.parse import trace_lines

BASE = """
[columns]
measure = ["事業名"]
summary = ["事業概要"]
departments = ["担当課"]
"""


def layout(text: str, name: str = "probe") -> kc.Layout:
    return layout_from_toml(text, name=name)


def read(doc: str, lay) -> object:
    """Parse with warnings recorded; returns (table, [(line, message)])."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        df = parse_measures(doc, lay)
    found = [(w.message.line, w.message.message) for w in caught
             if isinstance(w.message, PlanWarning)]
    return df, found


# --- silent wrongs ------------------------------------------------------------------------------


def test_text_after_no_in_a_heading_template_is_literal():
    """「重点課題{no}.」: the 「.」 is a full stop, never "any character" (男 was lost)."""
    lay = layout('[[levels]]\nlabel = "重点課題"\nheading = "重点課題{no}."\n' + BASE)
    doc = "重点課題1.男女平等の推進\n事業名\t事業概要\t担当課\nA事業\t概要\t甲課\n"
    df, _ = read(doc, lay)
    assert df.loc[0, "policy"] == "男女平等の推進"
    # without the full stop the line is not a heading of this level: refused, not misread
    with pytest.raises(ParseError):
        parse_measures("重点課題1男女平等\n事業名\t事業概要\t担当課\nA事業\t概要\t甲課\n", lay)


def test_a_number_repeated_in_a_hierarchy_column_with_another_title_is_refused():
    lay = layout('[[levels]]\nlabel = "施策"\ncolumn = ["施策"]\n' + BASE)
    doc = ("施策\t事業名\t事業概要\t担当課\n"
           "1 子育て支援\tA事業\t概要\t甲課\n"
           "1 高齢者福祉\tB事業\t概要\t乙課\n")
    with pytest.raises(ParseError, match="another title") as info:
        parse_measures(doc, lay)
    assert info.value.line == 3 and "子育て支援" in info.value.reason


def test_continuation_rows_keep_each_departments_own_values():
    """「AB」 was the concatenation of two departments' 評価: now one value per department."""
    lay = layout('continuation = true\n[[levels]]\nlabel = "施策"\nheading = "施策{no}"\n'
                 + BASE)
    doc = ("施策1 地域\n事業名\t事業概要\t担当課\t評価\n"
           "A事業\t概要\t甲課\tA\n"
           "\t\t乙課\tB\n"
           "B事業\t概要\t丙課\tC\n")
    df, _ = read(doc, lay)
    assert len(df) == 2
    assert df.loc[0, "departments"] == ("甲課", "乙課")
    assert df.loc[0, "評価"] == ("A", "B")
    assert df.loc[1, "評価"] == ("C",)
    pairs = kc.explode_departments(df)
    assert pairs[["department", "評価"]].values.tolist() == [
        ["甲課", "A"], ["乙課", "B"], ["丙課", "C"]]


def test_summary_paragraphs_without_a_summary_column_go_to_the_summary_not_the_name():
    lay = layout('wrapped_lines = "summary"\n'
                 "record = '^○(?P<measure>[^〈]+)〈(?P<departments>[^〉]+)〉$'\n"
                 '[[levels]]\nlabel = "章"\nheading = "第{no}章"\n'
                 '[columns]\nmeasure = ["事業名"]\ndepartments = ["担当課"]\n')
    doc = "第1章 まち\n○A事業〈企画課〉\nAの説明の段落。\n○B事業〈税務課〉\n"
    df, _found = read(doc, lay)
    assert df["measure"].tolist() == ["A事業", "B事業"]
    assert df.loc[0, "summary"] == "Aの説明の段落。"


def test_a_record_cut_off_at_the_page_end_is_warned_not_glued_to_a_summary():
    lay = layout('wrapped_lines = "summary"\n'
                 "record = '^No\\.(?P<code>\\d+)\\s+(?P<measure>\\S+)"
                 "\\s+(?P<departments>\\S+課)$'\n"
                 '[[levels]]\nlabel = "章"\nheading = "第{no}章"\n'
                 '[columns]\nmeasure = ["事業名"]\ndepartments = ["担当課"]\n')
    doc = ("第1章 健康\nNo.3 母子手帳交付 健康課\n妊娠届に母子手帳を交付する。\n"
           "No.4 事業名 妊婦訪問指導…\n")
    df, found = read(doc, lay)
    assert df["measure"].tolist() == ["母子手帳交付"]
    assert df.loc[0, "summary"] == "妊娠届に母子手帳を交付する。"
    assert df.loc[0, "code"] == "3"  # every named group is kept, code included
    assert any(line == 4 and "starts like a record" in message for line, message in found)


def test_the_bundled_layouts_title_is_not_carried_onto_another_document(tmp_path):
    other = tmp_path / "other_city.txt"
    other.write_text("基本方針1 a\n施策の方向性(1) b\n事業名\t事業概要\t所管する課\n"
                     "A事業\t概要\t甲課\n", encoding="utf-8")
    assert kc.read_measures(other).attrs["title"] == "other_city"
    titled = tmp_path / "titled.txt"
    titled.write_text("○○市地域計画\n" + other.read_text(encoding="utf-8"), encoding="utf-8")
    assert kc.read_measures(titled).attrs["title"] == "○○市地域計画"
    from kcdata.paths import BUNDLED_DOCUMENT
    assert kc.read_measures(BUNDLED_DOCUMENT).attrs["title"] == (
        "地域コミュニティ活性化推進計画「具体的な施策」")


def test_placeholders_are_never_pairs():
    doc = "基本方針1 a\n施策の方向性(1) b\n事業名\t事業概要\t所管する課\nA事業\t概要\t関係各課\n"
    df, found = read(doc, "kanazawa")
    assert df.loc[0, "departments"] == () and df.loc[0, "department_notes"] == ("関係各課",)
    assert len(kc.explode_departments(df)) == 0
    assert any("not a department" in message for _, message in found)


# --- what the layout format can say ---------------------------------------------------------


def test_a_hierarchy_column_without_numbers_is_numbered_in_order_of_appearance():
    lay = layout('[[levels]]\nlabel = "基本目標"\nheading = "基本目標{no}"\n'
                 '[[levels]]\nlabel = "課題"\ncolumn = ["課題"]\n' + BASE)
    doc = ("基本目標1 安心\n課題\t事業名\t事業概要\t担当課\n"
           "見守りの充実\tA事業\t概要\t甲課\n"
           "\tB事業\t概要\t乙課\n"
           "相談体制\tC事業\t概要\t丙課\n"
           "基本目標2 元気\n課題\t事業名\t事業概要\t担当課\n"
           "健康づくり\tD事業\t概要\t丁課\n")
    df, _ = read(doc, lay)
    assert df[["policy_no", "direction_no", "direction"]].values.tolist() == [
        [1, 1, "見守りの充実"], [1, 1, "見守りの充実"], [1, 2, "相談体制"], [2, 1, "健康づくり"]]


def test_a_plan_without_departments():
    lay = layout('[[levels]]\nlabel = "施策"\nheading = "施策{no}"\n'
                 '[columns]\nmeasure = ["取組"]\nsummary = ["内容"]\n')
    df, _ = read("施策1 支え合い\n取組\t内容\n見守り活動\t地域で見守る\n", lay)
    assert df.loc[0, "departments"] == () and len(df) == 1
    assert len(kc.explode_departments(df)) == 0


def test_skip_patterns_skip_any_line_with_a_warning_and_unused_ones_are_warned():
    lay = layout("skip = ['^合計', '^小計']\n"
                 '[[levels]]\nlabel = "施策"\nheading = "施策{no}"\n' + BASE)
    doc = "施策1 a\n事業名\t事業概要\t担当課\nA事業\t概要\t甲課\n合計\t1件\t\n"
    df, found = read(doc, lay)
    assert len(df) == 1
    assert any(line == 4 and "skipped" in message for line, message in found)
    assert any("'^小計' matches no line" in message for _, message in found)


def test_a_heading_whose_title_is_on_the_next_line():
    lay = layout('[[levels]]\nlabel = "基本目標"\nheading = "基本目標{no}"\n' + BASE)
    doc = "基本目標1\n誰もが安心して暮らせるまち\n事業名\t事業概要\t担当課\nA事業\t概要\t甲課\n"
    df, found = read(doc, lay)
    assert df.loc[0, "policy"] == "誰もが安心して暮らせるまち" and not found


@pytest.mark.parametrize("bullet", ["・", "○", "●", "◆", "■", "□", "◇", "▶"])
def test_bullets_are_taken_off_names(bullet):
    doc = (f"基本方針1 a\n施策の方向性(1) b\n事業名\t事業概要\t所管する課\n"
           f"{bullet}A事業\t概要\t甲課\n")
    assert parse_measures(doc).loc[0, "measure"] == "A事業"


@pytest.mark.parametrize("sub", ["({no})", "{no}", "{no}."])
def test_a_bare_number_heading_under_a_named_level(sub):
    lay = layout('[[levels]]\nlabel = "基本方針"\nheading = "基本方針{no}"\n'
                 f'[[levels]]\nlabel = "施策"\nheading = "{sub}"\n' + BASE)
    line = {"({no})": "（2）", "{no}": "2 ", "{no}.": "2."}[sub]
    doc = f"基本方針1 a\n{line}見守り\n事業名\t事業概要\t担当課\nA事業\t概要\t甲課\n"
    df, _ = read(doc, lay)
    assert df.loc[0, ["direction_no", "direction"]].tolist() == [2, "見守り"]


def test_a_bare_number_template_does_not_take_a_year_for_a_heading():
    lay = layout('wrapped_lines = "join"\n[[levels]]\nlabel = "基本方針"\n'
                 'heading = "基本方針{no}"\n[[levels]]\nlabel = "施策"\nheading = "{no}"\n'
                 + BASE)
    doc = ("基本方針1 a\n(1) b\n事業名\t事業概要\t担当課\nA事業\t概要\t甲課\n"
           "2019年度から実施\n")
    df, _found = read(doc, lay)
    assert df.loc[0, "summary"] == "概要2019年度から実施" and len(df) == 1


def test_a_name_wrapped_onto_the_next_line_is_joined_with_a_warning():
    lay = layout('wrapped_lines = "measure"\n[[levels]]\nlabel = "施策"\nheading = "施策{no}"\n'
                 + BASE)
    doc = "施策1 a\n事業名\t事業概要\t担当課\n地域コミュニティ活性化\t概要\t甲課\n推進事業\n"
    df, found = read(doc, lay)
    assert df.loc[0, "measure"] == "地域コミュニティ活性化推進事業"
    assert any(line == 4 and "joined to the 事業名" in message for line, message in found)


def test_columns_without_a_role_anywhere_in_the_row():
    lay = layout('[[levels]]\nlabel = "施策"\nheading = "施策{no}"\n' + BASE)
    doc = "施策1 a\n区分\t事業名\t事業概要\t担当課\t備考\n新規\tA事業\t概要\t甲課\tメモ\n"
    df, _ = read(doc, lay)
    assert df.loc[0, ["区分", "measure", "備考"]].tolist() == ["新規", "A事業", "メモ"]


def test_same_as_above_fills_a_blank_department_cell():
    lay = layout('same_as_above = ["担当課"]\n[[levels]]\nlabel = "施策"\n'
                 'heading = "施策{no}"\n' + BASE)
    doc = "施策1 a\n事業名\t事業概要\t担当課\nA事業\t概要\t甲課\nB事業\t概要\t\n"
    df, _ = read(doc, lay)
    assert df["departments"].tolist() == [("甲課",), ("甲課",)]


def test_unnumbered_headings_are_numbered_in_order_of_appearance():
    lay = layout("[[levels]]\nlabel = \"区分\"\nheading = '^最終評価結果が.*'\n" + BASE)
    doc = ("最終評価結果が「拡大」とされた事業\n事業名\t事業概要\t担当課\nA事業\t概要\t甲課\n"
           "最終評価結果が「継続」とされた事業\n事業名\t事業概要\t担当課\nB事業\t概要\t乙課\n")
    df, _ = read(doc, lay)
    assert df[["policy_no", "policy"]].values.tolist() == [
        [1, "最終評価結果が「拡大」とされた事業"], [2, "最終評価結果が「継続」とされた事業"]]


# --- errors a new user can act on ---------------------------------------------------------------


def test_a_table_row_before_the_header_row_is_reported_at_that_row_with_the_words_expected():
    lay = layout('[[levels]]\nlabel = "施策"\ncolumn = ["施策"]\n' + BASE)
    doc = "1 子育て\tA事業\t概要\t甲課\n施策\t事業名\t事業概要\t担当課\n"
    with pytest.raises(ParseError) as info:
        parse_measures(doc, lay)
    assert info.value.line == 1
    assert "「1 子育て | A事業 | 概要 | 甲課」" in info.value.reason
    assert "担当課" in info.value.reason


def test_advice_never_names_the_layout_in_use():
    doc = "基本方針1 a\n施策の方向性(1) b\n事業名\t事業概要\t所管する課\nA事業\t概要\n"
    for name in ("generic",):
        with pytest.raises(ParseError) as info:
            parse_measures(doc, name)
        assert "--layout generic" not in info.value.reason
    lay = layout('[[levels]]\nlabel = "施策"\nheading = "施策{no}"\n' + BASE)
    with pytest.raises(ParseError) as info:
        parse_measures("施策1 a\nただの文\n", lay)
    assert "--layout" not in info.value.reason and "「ただの文」" in info.value.reason


def test_with_no_layout_the_error_names_the_layout_that_read_furthest():
    doc = "基本方針1 a\n施策の方向性(1) b\n事業名\t事業概要\t所管する課\nA事業\t概要\t\n"
    with pytest.raises(ParseError, match=r"layout .* read furthest"):
        parse_measures(doc)


def test_trace_lines_says_what_became_of_every_line():
    lay = layout('wrapped_lines = "join"\n[[levels]]\nlabel = "施策"\nheading = "施策{no}"\n'
                 + BASE)
    doc = "計画の題名\n施策1 a\n事業名\t事業概要\t担当課\nA事業\t概要\t甲課\n続きの文\n- 2 -\n"
    trace = trace_lines(doc.split("\n"), layout=lay)
    assert trace["line"].tolist() == [1, 2, 3, 4, 5, 6, 7]
    said = dict(zip(trace["line"], trace["read_as"], strict=True))
    assert "title" in said[1] and "level 1 (施策) 1: a" == said[2] and "columns" in said[3]
    assert said[4] == "listing 「A事業」" and "joined to the listing on line 4" in said[5]
    assert "page number" in said[6]
    broken = trace_lines(["施策1 a", "事業名\t事業概要\t担当課", "A事業\t概要"], layout=lay)
    assert broken["kind"].tolist()[-1] == "error"


def test_check_lines_prints_every_line_then_the_error(tmp_path, capsys):
    from kcdata.cli import main

    lay = tmp_path / "plan.toml"
    lay.write_text('wrapped_lines = "join"\n[[levels]]\nlabel = "施策"\nheading = "施策{no}"\n'
                   + BASE, encoding="utf-8")
    doc = tmp_path / "plan.txt"
    doc.write_text("施策1 a\n事業名\t事業概要\t担当課\nA事業\t概要\t甲課\nB事業\t概要\n",
                   encoding="utf-8")
    assert main(["check", "--lines", str(doc), "--layout", str(lay)]) == 2
    out, err = capsys.readouterr()
    assert out.splitlines()[:4] == [
        f"{doc}:1: heading: level 1 (施策) 1: a",
        f"{doc}:2: header: columns 事業名=measure | 事業概要=summary | 担当課=departments",
        f"{doc}:3: row: listing 「A事業」",
        f"{doc}:4: error: expected 3 tab-separated fields (事業名, 事業概要, 担当課), found 2: "
        "「B事業 | 概要」",
    ]
    assert err.startswith(f"{doc}:4: expected 3") and str(lay) not in err


def test_check_prints_pairs_co_managed_and_every_levels_count(capsys):
    from kcdata.cli import main

    assert main(["check"]) == 0
    out = capsys.readouterr().out
    assert "113 pairs, 3 co-managed, 4 基本方針, 10 施策の方向性" in out


def test_a_layout_files_path_is_printed_once(tmp_path, capsys):
    from kcdata.cli import main

    lay = tmp_path / "bad.toml"
    lay.write_text('wrapped_lines = "sometimes"\n[[levels]]\nlabel = "a"\n' + BASE,
                   encoding="utf-8")
    assert main(["check", "--layout", str(lay)]) == 2
    assert capsys.readouterr().err.count(str(lay)) == 1


def test_a_radical_in_a_heading_of_a_text_document_is_read_as_its_ideograph():
    doc = ("基本⽅針1 a\n施策の方向性(1) b\n事業名\t事業概要\t所管する課\n"
           "A事業\t概要\t市⺠協働推進課\n")
    df = parse_measures(doc)
    assert df.loc[0, ["policy_no", "departments"]].tolist() == [1, ("市民協働推進課",)]


def test_a_sheet_of_a_plan_without_departments(tmp_path):
    import pandas as pd

    path = tmp_path / "plan.xlsx"
    pd.DataFrame({"施策": ["1 支え合い", ""], "取組": ["見守り", "サロン"], "内容": ["a", "b"]}
                 ).to_excel(path, index=False)
    lay = layout('[[levels]]\nlabel = "施策"\ncolumn = ["施策"]\n'
                 '[columns]\nmeasure = ["取組"]\nsummary = ["内容"]\n')
    df = kc.read_measures(path, lay)
    assert df[["policy_no", "measure"]].values.tolist() == [[1, "見守り"], [1, "サロン"]]
    assert df["departments"].tolist() == [(), ()]


def test_a_third_hierarchy_column_restarts_under_each_outer_section():
    lay = layout('[[levels]]\nlabel = "基本目標"\nheading = "基本目標{no}"\n'
                 '[[levels]]\nlabel = "課題"\ncolumn = ["課題"]\n'
                 '[[levels]]\nlabel = "施策"\ncolumn = ["対応する施策"]\n'
                 '[columns]\nmeasure = ["事業名"]\ndepartments = ["担当課"]\n')
    doc = ("基本目標1 安心\n課題\t対応する施策\t事業名\t担当課\n"
           "見守り\t① 地域の見守り\tA事業\t甲課\n"
           "\t② 相談\tB事業\t乙課\n"
           "基本目標2 元気\n課題\t対応する施策\t事業名\t担当課\n"
           "運動\t① 健康づくり\tC事業\t丙課\n")
    df, _ = read(doc, lay)
    assert df[["policy_no", "direction_no", "level3_no", "level3"]].values.tolist() == [
        [1, 1, 1, "地域の見守り"], [1, 1, 2, "相談"], [2, 1, 1, "健康づくり"]]


def test_a_blank_hierarchy_cell_under_a_new_outer_section_is_refused():
    lay = layout('[[levels]]\nlabel = "基本目標"\nheading = "基本目標{no}"\n'
                 '[[levels]]\nlabel = "課題"\ncolumn = ["課題"]\n' + BASE)
    doc = ("基本目標1 安心\n課題\t事業名\t事業概要\t担当課\n見守り\tA事業\t概要\t甲課\n"
           "基本目標2 元気\n課題\t事業名\t事業概要\t担当課\n\tB事業\t概要\t乙課\n")
    with pytest.raises(ParseError, match="without a 課題 under 基本目標2") as info:
        parse_measures(doc, lay)
    assert info.value.line == 6


@pytest.mark.parametrize(("line", "no"), [("第一章 まち", 1), ("第十一章 まち", 11),
                                          ("第Ⅳ章 まち", 4), ("第１章 まち", 1)])
def test_a_number_in_any_form_before_literal_text(line, no):
    lay = layout('[[levels]]\nlabel = "章"\nheading = "第{no}章"\n'
                 '[columns]\nmeasure = ["事業名"]\nsummary = ["内容"]\ndepartments = ["担当課"]\n')
    df, _ = read(f"{line}\n事業名\t内容\t担当課\nA事業\tx\t甲課\n", lay)
    assert df.loc[0, ["policy_no", "policy"]].tolist() == [no, "まち"]


def test_every_department_column_counts():
    lay = layout('[[levels]]\nlabel = "施策"\nheading = "施策{no}"\n'
                 '[columns]\nmeasure = ["事業名"]\ndepartments = ["主担当課", "関係課"]\n')
    doc = "施策1 a\n事業名\t主担当課\t関係課\nA事業\t甲課\t乙課\nB事業\t丙課\t\n"
    df, _ = read(doc, lay)
    assert df["departments"].tolist() == [("甲課", "乙課"), ("丙課",)]


def test_with_no_layout_the_advice_is_a_layout_file_never_a_built_in_already_tried():
    with pytest.raises(ParseError) as info:
        parse_measures("○A事業〈企画課〉\n○B事業〈税務課〉\n")
    assert "--layout generic" not in info.value.reason
    assert "レイアウトファイル" in info.value.reason


def test_a_heading_row_merged_across_a_sheet_is_a_heading_not_a_listing(tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    header = ["事業名", "事業概要", "所管する課"]
    for row in (["基本方針1 担い手づくり"], header,
                ["リーダー講座", "講座を開く", "市民協働課"],
                ["基本方針2 情報発信"], header,
                ["回覧板デジタル化", "アプリで配信", "デジタル推進課"]):
        ws.append(row)
    ws.merge_cells("A1:C1")
    ws.merge_cells("A4:C4")
    wb.save(tmp_path / "plan.xlsx")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        df = kc.read_measures(tmp_path / "plan.xlsx", "generic")
    assert df[["policy_no", "policy", "measure"]].values.tolist() == [
        [1, "担い手づくり", "リーダー講座"], [2, "情報発信", "回覧板デジタル化"]]


def test_a_headings_title_after_a_page_break_is_its_title():
    lay = layout('[[levels]]\nlabel = "基本目標"\nheading = "基本目標{no}"\n' + BASE)
    doc = ("基本目標1 安心\n事業名\t事業概要\t担当課\nA事業\t概要\t甲課\n"
           "基本目標２\n- 3 -\n元気なまち\n事業名\t事業概要\t担当課\nB事業\t概要\t乙課\n")
    df, found = read(doc, lay)
    assert df["policy"].tolist() == ["安心", "元気なまち"]
    assert [line for line, _ in found] == [5]  # the page number, skipped with a warning


def test_relisting_marks_with_a_reference_and_departments_under_a_board():
    doc = ("基本方針1 a\n施策の方向性(1) b\n事業名\t事業概要\t所管する課\n"
           "読書推進事業【再掲：1-2】\t概要\t教育委員会 学校教育課\n"
           "景観事業\t概要\t都市計画課 ほか\n")
    df, _found = read(doc, "kanazawa")
    assert df["relisted"].tolist() == [True, False]
    assert df["measure"].tolist() == ["読書推進事業", "景観事業"]
    assert df["departments"].tolist() == [("教育委員会学校教育課",), ("都市計画課",)]
    assert df.loc[1, "department_notes"] == ("ほか",)


def test_a_department_name_wrapped_onto_the_next_line_of_a_text_copy():
    lay = layout('wrapped_lines = "join"\n[[levels]]\nlabel = "施策"\nheading = "施策{no}"\n'
                 + BASE)
    doc = ("施策1 a\n事業名\t事業概要\t担当課\n"
           "協働推進事業\t市民活動を支援する\t市民協働推進\n課\n")
    df, found = read(doc, lay)
    assert df.loc[0, ["summary", "departments"]].tolist() == ["市民活動を支援する",
                                                             ("市民協働推進課",)]
    assert found == [(4, "joined to the 担当課 of line 3 (a line the PDF wrapped)")]


def test_a_number_column_beside_a_title_column_gives_the_numbers():
    lay = layout('[[levels]]\nlabel = "基本目標"\ncolumn = ["基本目標"]\n'
                 'number_column = ["基本目標番号"]\n'
                 '[columns]\nmeasure = ["事業名"]\ndepartments = ["担当課"]\n')
    doc = ("基本目標番号\t基本目標\t事業名\t担当課\n"
           "2\t安心のまち\t防災訓練事業\t危機管理課\n"
           "\t\t避難所運営事業\t危機管理課\n"
           "4\t元気なまち\t健診事業\t健康課\n")
    df, _ = read(doc, lay)
    assert df[["policy_no", "policy", "measure"]].values.tolist() == [
        [2, "安心のまち", "防災訓練事業"], [2, "安心のまち", "避難所運営事業"],
        [4, "元気なまち", "健診事業"]]
    assert "基本目標番号" not in df.columns


def test_two_department_columns_are_split_apart_and_named_by_the_first():
    lay = layout('[[levels]]\nlabel = "施策"\nheading = "施策{no}"\n'
                 '[columns]\nmeasure = ["事業名"]\ndepartments = ["主担当課", "関係課"]\n')
    doc = "施策1 a\n事業名\t主担当課\t関係課\n見守り事業\t健康福祉部\t地域福祉課\n"
    df, _ = read(doc, lay)
    assert df.loc[0, "departments"] == ("健康福祉部", "地域福祉課")
    assert df.attrs["words"]["departments"] == "主担当課"


@pytest.mark.parametrize(("cell", "departments", "notes"), [
    ("都市計画課ほか", ("都市計画課",), ("ほか",)),
    ("市民課 他2課", ("市民課",), ("他",)),
    ("その他課", ("その他課",), ()),
])
def test_and_others_is_a_placeholder_never_a_department(cell, departments, notes):
    from kcdata.io.departments import split_departments

    assert split_departments(cell) == (departments, notes)


def test_a_relisting_reference_right_after_the_mark():
    doc = ("基本方針1 a\n施策の方向性(1) b\n事業名\t事業概要\t所管する課\n"
           "読書事業【再掲1-2】\t概要\t甲課\n")
    assert parse_measures(doc).loc[0, ["measure", "relisted"]].tolist() == ["読書事業", True]

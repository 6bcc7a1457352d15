"""Layouts: built-in and TOML, automatic choice, and every silent-miscount pattern of issue 10."""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import kcdata
from kcdata import ParseError, PlanWarning, parse_measures, read_measures, to_text
from kcdata.io.departments import split_departments
from kcdata.io.layout import BUILTIN_LAYOUTS, Level
from kcdata.io.layout_file import get_layout, load_layout
from kcdata.io.patterns import heading_number

from .conftest import HEADER_ROW, doc

FIXTURES = Path(__file__).parent / "fixtures"
P, D = "基本方針1 a", "施策の方向性(1) b"


def read_quietly(*args, **kwargs) -> tuple[pd.DataFrame, list[PlanWarning]]:
    """Parse and return the table with the PlanWarnings it raised."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        df = parse_measures(*args, **kwargs)
    return df, [w.message for w in caught if isinstance(w.message, PlanWarning)]


# -- header rows ---------------------------------------------------------------------------


@pytest.mark.parametrize("header", ["事業名\t内容\t担当課", "取組名\t取組内容\t担当部署",
                                    "事業\t概要\t所管課"])
def test_another_plans_header_is_never_a_listing(header):
    text = doc(P, D, HEADER_ROW, "A\tB\t甲課", header, "C\tD\t乙課")
    with pytest.raises(ParseError, match="header row has no") as info:
        parse_measures(text, "kanazawa")
    assert info.value.line == 5
    assert "try --layout generic" in info.value.reason
    df, _ = read_quietly(text)  # the generic layout reads it: two listings, no 担当課 department
    assert df["measure"].tolist() == ["A", "C"]
    assert {d for t in df["departments"] for d in t} == {"甲課", "乙課"}


def test_header_words_of_the_document_name_the_columns():
    df, _ = read_quietly(doc("基本目標1 a", "施策1 b", "事業名\t内容\t担当課", "A\tB\t甲課"))
    assert df.attrs["words"]["summary"] == "内容"
    assert df.attrs["words"]["departments"] == "担当課"


# -- departments -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "departments"),
    [
        ("甲課、乙課", ("甲課", "乙課")),
        ("甲課・乙課", ("甲課", "乙課")),
        ("甲課／乙課", ("甲課", "乙課")),
        ("子ども・子育て支援課", ("子ども・子育て支援課",)),
        ("市民課・子ども・子育て支援課", ("市民課", "子ども・子育て支援課")),
        ("企業誘致推進局 企業誘致推進課", ("企業誘致推進局企業誘致推進課",)),
        ("総務部　人事課 税務課", ("総務部人事課", "税務課")),
        ("緑と花の課 内水整備課", ("緑と花の課", "内水整備課")),
        ("青少年健全育成センター・生涯学習課", ("青少年健全育成センター", "生涯学習課")),
    ],
)
def test_departments_split_where_a_reader_would(cell, departments):
    assert split_departments(cell)[0] == departments


def test_five_departments_and_three_co_managed_listings_are_counted_right():
    rows = ["A\tx\t甲課、乙課", "B\tx\t丙課・丁課", "C\tx\t戊課 甲課", "E\tx\t甲課"]
    df = parse_measures(doc(P, D, HEADER_ROW, *rows))
    totals = kcdata.plan_totals(df)
    assert totals["departments"] == 5
    assert (df["departments"].map(len) > 1).sum() == 3


@pytest.mark.parametrize("placeholder", ["関係各課", "各課", "全課", "全庁"])
def test_placeholders_are_kept_warned_and_not_departments(placeholder):
    rows = [f"A\tx\t甲課 {placeholder}", f"B\tx\t{placeholder}"]
    df, found = read_quietly(doc(P, D, HEADER_ROW, *rows))
    assert df["departments"].tolist() == [("甲課",), ()]
    assert df["department_notes"].tolist() == [(placeholder,), (placeholder,)]
    assert [w.line for w in found] == [4, 5]
    assert kcdata.plan_totals(df)["departments"] == 1


# -- re-listing marks ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["【再掲】A事業", "A事業【再掲】", "(再掲)A事業", "A事業（再掲）", "〔再掲〕A事業",
             "A事業 〔再掲〕", "［再掲］A事業"],
)
def test_relisting_marks_before_or_after_the_name(name):
    df = parse_measures(doc(P, D, HEADER_ROW, "A事業\tx\t甲課", f"{name}\tx\t甲課"), "kanazawa")
    assert df["measure"].tolist() == ["A事業", "A事業"]
    assert df["relisted"].tolist() == [False, True]


# -- extraction artefacts --------------------------------------------------------------------


@pytest.mark.parametrize("page", ["- 12 -", "12", "－１２－", "12/28", "（12）"])
def test_a_page_number_inside_a_table_is_skipped_with_a_warning(page):
    df, found = read_quietly(doc(P, D, HEADER_ROW, "A\tx\t甲課", page, "B\tx\t乙課"), "kanazawa")
    assert df["measure"].tolist() == ["A", "B"]
    assert [(w.line, "page number" in str(w)) for w in found] == [(5, True)]


def test_running_page_headers_of_a_layout_file_are_skipped(tmp_path):
    layout = tmp_path / "plan.toml"
    layout.write_text(
        'name = "with_header"\n'
        "ignore = ['^○○市地域福祉計画$']\n"
        '[[levels]]\nlabel = "基本方針"\nheading = "基本方針{no}"\n'
        '[[levels]]\nlabel = "施策の方向性"\nheading = "施策の方向性{no}"\n'
        '[columns]\nmeasure = ["事業名"]\nsummary = ["事業概要"]\ndepartments = ["所管する課"]\n',
        encoding="utf-8",
    )
    text = doc(P, D, HEADER_ROW, "A\tx\t甲課", "○○市地域福祉計画", "B\tx\t乙課")
    df, found = read_quietly(text, layout)
    assert len(df) == 2 and df.attrs["layout"] == "with_header"
    assert [w.line for w in found] == [5]
    with pytest.raises(ParseError, match="not a 基本方針 or 施策の方向性 heading") as info:
        parse_measures(text, "kanazawa")
    assert info.value.line == 5


def test_repeated_running_headers_are_skipped_by_the_generic_layout():
    text = doc("基本目標1 a", "施策1 b", "事業名\t内容\t担当課", "A\tx\t甲課", "福祉計画 12",
               "B\tx\t乙課", "福祉計画 13", "C\tx\t甲課")
    df, found = read_quietly(text)
    assert df["measure"].tolist() == ["A", "B", "C"]
    assert [w.line for w in found] == [5, 7]


def test_a_fourth_column_is_kept_under_its_header():
    df = parse_measures(doc(P, D, "事業名\t事業概要\t所管する課\t予算額", "A\tx\t甲課\t10万円"))
    assert df["予算額"].tolist() == ["10万円"]
    assert df.attrs["layout"] == "kanazawa"


def test_a_code_column_is_the_code():
    df = parse_measures(doc(P, D, "事業コード\t事業名\t事業概要\t所管する課", "0101\tA\tx\t甲課"),
                        "generic")
    assert df["code"].tolist() == ["0101"] and df["measure"].tolist() == ["A"]


def test_a_row_with_an_empty_name_continues_the_row_above():
    text = doc("基本目標1 a", "施策1 b", "事業名\t内容\t担当課", "A\t前半\t甲課", "\t後半\t乙課")
    df, found = read_quietly(text)
    assert df["departments"].tolist() == [("甲課", "乙課")]
    assert df["summary"].tolist() == ["前半後半"]
    assert [w.line for w in found] == [5]
    with pytest.raises(ParseError, match="empty 事業名"):
        parse_measures(text.replace("基本目標1", "基本方針1").replace("施策1", "施策の方向性(1)")
                       .replace("事業名\t内容\t担当課", HEADER_ROW), "kanazawa")


GENERIC_HEAD = ("基本目標1 a", "施策1 b", "事業名\t内容\t担当課")


@pytest.mark.parametrize(
    ("upper", "lower", "departments", "cut"),
    [
        ("市民協働推", "進課", ("市民協働推進課",), True),  # a name cut where the line ended
        ("企画部", "企画課", ("企画部企画課",), False),  # as 「企画部 企画課」 on one line
        ("甲課", "乙課", ("甲課", "乙課"), False),
        ("国際関係", "課", ("国際関係課",), True),  # cut after an inner 係: a bare 課 below
        ("甲課、", "乙課", ("甲課", "乙課"), False),
        ("", "甲課", ("甲課",), False),  # the listing's cell is all on the next line
    ],
)
def test_a_department_cell_wrapped_onto_the_next_line_is_one_cell(upper, lower, departments,
                                                                    cut):
    df, found = read_quietly(doc(*GENERIC_HEAD, f"A\t概要\t{upper}", f"\t\t{lower}", "B\tx\t丙課"))
    assert df["departments"].tolist() == [departments, ("丙課",)]
    assert [w.line for w in found] == [5]
    assert (f"「{upper}」 and 「{lower}」 read as one 担当課 name" in str(found[0])) == cut


@pytest.mark.parametrize("cell", ["市民協働推進課", "企画部 企画課", "子ども・子育て支援課、税務課",
                                  "福祉政策課　関係各課", "文化スポーツ局 文化政策課・生涯学習課",
                                  "国際関係課"])
def test_a_department_cell_reads_the_same_wherever_the_line_breaks(cell):
    def departments(*rows: str) -> list:
        df, _ = read_quietly(doc(*GENERIC_HEAD, *rows))
        both = df.reindex(columns=["departments", "department_notes"])  # notes: () if none
        return both.map(lambda cell: cell if isinstance(cell, tuple) else ()).values.tolist()

    whole = departments(f"A\tx\t{cell}")
    for k in range(1, len(cell)):
        assert departments(f"A\tx\t{cell[:k]}", f"\t\t{cell[k:]}") == whole, (cell[:k], cell[k:])


def test_wrapped_lines_are_refused_by_built_in_layouts_and_joined_by_a_layout_that_says_so(
    tmp_path,
):
    text = doc(P, D, HEADER_ROW, "A\t長い概要の前半\t甲課", "後半", "B\tx\t乙課")
    for name in BUILTIN_LAYOUTS:
        with pytest.raises(ParseError) as info:
            parse_measures(text, name)
        assert info.value.line == 5
    layout = tmp_path / "wrap.toml"
    layout.write_text(
        'wrapped_lines = "join"\n[[levels]]\nlabel = "基本方針"\nheading = "基本方針{no}"\n'
        '[[levels]]\nlabel = "施策の方向性"\nheading = "施策の方向性{no}"\n'
        '[columns]\nmeasure = ["事業名"]\nsummary = ["事業概要"]\ndepartments = ["所管する課"]\n',
        encoding="utf-8",
    )
    df, found = read_quietly(text, layout)
    assert df["summary"].tolist() == ["長い概要の前半後半", "x"]
    assert [w.line for w in found] == [5]


def test_hierarchy_in_columns_blank_means_same_as_above():
    df = read_measures(FIXTURES / "columns_plan.txt")
    assert df.attrs["levels"] == ["基本目標", "施策"]
    assert df[["policy_no", "direction_no"]].values.tolist() == [[1, 1], [1, 1], [1, 2], [2, 1]]
    assert df["policy"].tolist()[:2] == ["地域で支え合う仕組みづくり"] * 2
    assert df["direction"].tolist()[2] == "相談支援体制の充実"


def test_the_bundled_plans_own_words_in_columns():
    text = doc("基本方針\t施策の方向性\t事業名\t事業概要\t所管する課",
               "基本方針1 醸成\t施策の方向性(1) 理解\tA\tx\t甲課", "\t\tB\ty\t乙課")
    df = parse_measures(text)
    assert df.attrs["layout"] == "kanazawa"
    assert df[["policy_no", "policy", "direction_no", "measure"]].values.tolist() == [
        [1, "醸成", 1, "A"], [1, "醸成", 1, "B"]]


def test_a_blank_first_hierarchy_cell_is_refused():
    text = doc("基本方針\t施策の方向性\t事業名\t事業概要\t所管する課", "\t(1) 理解\tA\tx\t甲課")
    with pytest.raises(ParseError, match="without a 基本方針"):
        parse_measures(text)


# -- another city's plan ---------------------------------------------------------------------


def test_a_welfare_plan_in_its_own_words():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        df = read_measures(FIXTURES / "welfare_plan_generic.txt")
    assert df.attrs["layout"] == "generic"
    assert df.attrs["levels"] == ["基本目標", "施策"]
    assert len(df) == 7
    assert df["relisted"].sum() == 1
    assert kcdata.plan_totals(df)["departments"] == 7
    lines = sorted(w.message.line for w in caught if isinstance(w.message, PlanWarning))
    assert lines == [11, 13, 17]  # page number, continuation row, 関係各課


@pytest.mark.parametrize(
    ("heading", "number"),
    [("基本目標１ a", 1), ("基本目標 Ⅱ a", 2), ("基本目標③ a", 3), ("基本目標 四 a", 4),
     ("基本目標（5） a", 5), ("基本目標[6] a", 6), ("基本目標 IX a", 9)],
)
def test_generic_heading_numbers_in_every_form(heading, number):
    df = parse_measures(doc(heading, "施策1 b", "事業名\t内容\t担当課", "A\tx\t甲課"))
    assert df["policy_no"].tolist() == [number]
    assert df["policy"].tolist() == ["a"]


def test_a_one_level_plan():
    df = parse_measures(doc("重点課題1 a", "事業名\t内容\t担当課", "A\tx\t甲課", "重点課題2 b",
                            "B\ty\t乙課"))
    assert df.attrs["levels"] == ["重点課題"]
    assert df["direction_no"].tolist() == [0, 0] and df["direction"].tolist() == ["", ""]
    assert parse_measures(to_text(df)).drop(columns="line").equals(df.drop(columns="line"))


def test_four_levels():
    text = doc("基本目標1 a", "基本方針1 b", "施策1 c", "取組1 d", "事業名\t内容\t担当課",
               "A\tx\t甲課", "取組2 e", "B\ty\t乙課")
    df = parse_measures(text)
    assert df.attrs["levels"] == ["基本目標", "基本方針", "施策", "取組"]
    assert df["level4_no"].tolist() == [1, 2]
    assert df["level3"].tolist() == ["c", "c"]
    assert parse_measures(to_text(df)).drop(columns="line").equals(df.drop(columns="line"))


@pytest.mark.parametrize("name", list(BUILTIN_LAYOUTS))
def test_to_text_round_trips_for_every_built_in_layout(bundled, name):
    text = to_text(bundled, name)
    back = parse_measures(text, name)
    cols = ["policy_no", "policy", "direction_no", "direction", "measure", "summary",
            "departments", "relisted"]
    pd.testing.assert_frame_equal(back[cols], bundled[cols])


# -- the automatic choice and errors ---------------------------------------------------------


def test_the_bundled_plan_is_read_with_the_kanazawa_layout(bundled):
    assert bundled.attrs["layout"] == "kanazawa"
    assert bundled.attrs["levels"] == ["基本方針", "施策の方向性"]
    assert bundled.attrs["title"] == "地域コミュニティ活性化推進計画「具体的な施策」"


def test_an_unknown_heading_names_the_layout_and_a_way_forward():
    text = doc(P, D, HEADER_ROW, "A\tx\t甲課", "基本目標1 b", "B\ty\t乙課")
    with pytest.raises(ParseError) as info:
        parse_measures(text, "kanazawa")
    assert info.value.line == 5
    assert "「基本目標1 b」 is not a heading of layout kanazawa" in info.value.reason
    assert "(expected 基本方針N or 施策の方向性(N))" in info.value.reason
    assert "--layout generic" in info.value.reason


def test_a_heading_number_too_long_for_an_int_is_refused():
    with pytest.raises(ParseError, match="too long") as info:
        parse_measures(doc("基本方針" + "9" * 19 + " a", D, "A\tx\t甲課"), "kanazawa")
    assert info.value.line == 1


@pytest.mark.parametrize("space", ["\u00a0", "\u2009", "\u3000", "\u200b", " ", "\x0c"])
def test_unicode_spaces_around_heading_numbers_are_alike(space):
    df = parse_measures(doc(f"基本方針{space}1{space}a", f"施策の方向性{space}({space}1{space})b",
                            "A\tx\t甲課"), "kanazawa")
    assert df[["policy_no", "direction_no"]].values.tolist() == [[1, 1]]


def test_warnings_name_their_line_and_are_plan_warnings():
    with pytest.warns(PlanWarning, match="page number") as record:
        parse_measures(doc(P, D, HEADER_ROW, "A\tx\t甲課", "- 3 -", "B\ty\t乙課"))
    assert record[0].message.line == 5
    assert issubclass(PlanWarning, UserWarning)


def test_sheet_rows_are_reported_with_their_numbers():
    with pytest.raises(ParseError) as info:
        kcdata.parse_lines([P, D, "A\tx"], numbers=[10, 11, 12], sheet="事業一覧")
    assert (info.value.line, info.value.sheet) == (12, "事業一覧")
    assert str(info.value).startswith("line 事業一覧!12: ")


# -- layout files ----------------------------------------------------------------------------


def test_a_layout_file_with_a_hierarchy_column(tmp_path):
    path = tmp_path / "city.toml"
    path.write_text(
        'name = "city"\ntitle = "○○市男女共同参画プラン"\n'
        'department_separators = ["、"]\ncontinuation = true\n'
        '[[levels]]\nlabel = "基本目標"\nheading = "基本目標{no}"\n'
        '[[levels]]\nlabel = "施策の方向"\ncolumn = ["施策の方向", "方向"]\n'
        '[columns]\nmeasure = ["事業"]\nsummary = ["事業の内容"]\ndepartments = ["担当"]\n',
        encoding="utf-8",
    )
    layout = load_layout(path)
    assert [lv.label for lv in layout.levels] == ["基本目標", "施策の方向"]
    text = doc("基本目標Ⅰ 意識づくり", "方向\t事業\t事業の内容\t担当",
               "(1) 意識啓発\t講座開催\t講座を開く\t人権課、市民課",
               "\t冊子発行\t冊子を配る\t人権課")
    df = parse_measures(text, path)
    assert df.attrs["title"] == "○○市男女共同参画プラン"
    assert df[["policy_no", "direction_no", "direction"]].values.tolist() == [
        [1, 1, "意識啓発"], [1, 1, "意識啓発"]]
    assert df["departments"].tolist() == [("人権課", "市民課"), ("人権課",)]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("levels = 3", "levels"),
        ('[[levels]]\nheading = "x{no}"', "label"),
        ('[[levels]]\nlabel = "a"\n[columns]\ndepartments = ["x"]', "measure"),
        ('[[levels]]\nlabel = "a"\n[columns]\nmeasure = ["x"]\ncontinuation = true',
         "must come before the first"),
        ('colour = "red"\n[[levels]]\nlabel = "a"', "unknown keys"),
        ("[[levels]\n", "not a valid TOML"),
        ('ignore = ["("]\n[[levels]]\nlabel = "a"\n[columns]\nmeasure=["x"]\ndepartments=["y"]',
         "missing"),
    ],
)
def test_bad_layout_files_say_what_is_wrong(tmp_path, content, message):
    path = tmp_path / "bad.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        load_layout(path)


def test_unknown_layout_names_are_refused():
    with pytest.raises(ValueError, match="kanazawa, generic"):
        get_layout("nagoya")


@pytest.mark.parametrize(("token", "value"), [("12", 12), ("１２", 12), ("⑳", 20), ("Ⅻ", 12),
                                              ("iv", 4), ("二十三", 23), ("十", 10)])
def test_heading_number(token, value):
    assert heading_number(token) == value


def test_level_names_follow_the_layout():
    assert Level("施策の方向性", number_format="{label}({no})").name(3) == "施策の方向性(3)"
    assert get_layout("kanazawa").levels[0].name(2) == "基本方針2"


# -- another city's plan (the README's worked examples: tests/test_readme_layouts.py) -------


def test_another_citys_record_lines_through_a_layout_file():
    """筑西市「主な事業」: 「○事業名〈担当課〉予算」 records with description paragraphs."""
    source = Path(__file__).parents[1] / "data" / "raw" / "chikusei_main_projects_2019.txt"
    with pytest.raises(ParseError, match="no measure rows found"):
        read_measures(source)  # neither built-in layout: refused, never half-read
    with pytest.warns(PlanWarning) as record:
        df = read_measures(source, FIXTURES / "chikusei_main_projects.toml")
    text = source.read_text(encoding="utf-8")
    assert len(df) == text.count("\n○") + text.startswith("○")  # every record line
    assert df["policy_no"].tolist() == [1, 1, 1, 1, 3, 3, 3, 3, 3]
    assert df.loc[1, ["measure", "departments", "予算額"]].tolist() == [
        "企業立地促進事業", ("企業誘致推進局",), "1,103万1千円"]
    assert df["区分"].tolist().count("新規") == 2
    assert df.loc[1, "summary"].endswith("新たな産業用地の確保に向けた検討を行います。")
    assert [w.message.line for w in record] == [21, 23, 25]  # the page header between pages


@pytest.mark.parametrize("plan", ["one_level", "four_levels"])
def test_every_chart_and_sheet_works_for_plans_of_one_and_four_levels(tmp_path, plan):
    from kcdata.outputs import charts as plotting
    from kcdata.outputs import workbook as excel

    if plan == "one_level":
        source = Path(__file__).parents[1] / "data" / "raw" / "chikusei_main_projects_2019.txt"
        with pytest.warns(PlanWarning):
            df = read_measures(source, FIXTURES / "chikusei_main_projects.toml")
    else:
        df = parse_measures(doc("基本目標1 a", "基本方針1 b", "施策1 c", "取組1 d",
                                "事業名\t内容\t担当課", "A\tx\t甲課", "取組2 e", "B\ty\t乙課 甲課"))
    for stem, chart in plotting.REPORT_CHARTS.items():
        fig = chart(df)
        assert plotting.save_figure(fig, tmp_path / stem), stem
    book = excel.write_summary_workbook(df, tmp_path / "summary.xlsx")
    import openpyxl

    wb = openpyxl.load_workbook(book)
    levels = df.attrs["levels"]
    assert f"{levels[0]}別" in wb.sheetnames
    headers = [c.value for c in wb["事業一覧"][1]]
    assert levels[0] in headers and df.attrs["words"]["departments"] in headers
    if plan == "four_levels":
        assert {"取組", "取組名", "施策"} <= set(headers)


_THREE_LEVELS = """
name = "three"
[[levels]]
label = "章"
heading = "第{no}章"
[[levels]]
label = "節"
heading = "第{no}節"
[[levels]]
label = "項"
heading = "項{no}"
[columns]
measure = ["事業名"]
summary = ["概要"]
departments = ["担当課"]
"""


@pytest.mark.parametrize(("lines", "line", "reason"), [
    # a 項 repeated before any 節: the row under 章1 without a 節 is the first bad line
    (["第1章 a", "項1 x", "事業名\t概要\t担当課", "A\tB\t甲課", "項1 y", "C\tD\t乙課"],
     4, "measure row under 章1 before its first 節 heading"),
    # the same repetition with no row before it: the repeated heading itself
    (["第1章 a", "項1 x", "項1 y", "事業名\t概要\t担当課", "A\tB\t甲課"],
     3, "項1 appears a second time (first at line 2)"),
    (["第1章 a", "第1節 b", "項1 x", "項1 y", "事業名\t概要\t担当課", "A\tB\t甲課"],
     4, "項1 appears a second time under 節1 (first at line 3)"),
])
def test_a_repeated_heading_below_a_missing_level_is_a_parse_error(lines, line, reason):
    from kcdata.io.layout_file import layout_from_toml

    with pytest.raises(ParseError) as info:
        parse_measures("\n".join(lines) + "\n", layout_from_toml(_THREE_LEVELS))
    assert (info.value.line, info.value.reason) == (line, reason)


_STARTS = {  # a valid opening of each layout's document
    "three": ["第1章 a", "第1節 c", "項1 e", "事業名\t概要\t担当課"],
    "generic": ["基本目標1 g", "施策1 h", "事業名\t内容\t担当課"],
    "kanazawa": ["基本方針1 a", "施策の方向性(1) b", "事業名\t事業概要\t所管する課"],
    None: ["基本方針1 a", "施策の方向性(1) b"],
}
_LINE_POOL = [
    "第2章 b", "第2節 d", "項2 f", "項1 e", "基本目標2 g", "施策2 h", "施策1 h", "基本方針2 a",
    "施策の方向性(2) b", "事業名\t概要\t担当課", "事業名\t内容\t担当課",
    "A事業\t概要\t甲課", "B事業\t\t乙課、丙課", "D事業\tまちづくり HUB\t甲課 乙課",
    "【再掲】A事業\t概要\t甲課", "E事業(再掲)\t\t甲課", "\t続き\t丁課", "F事業\t概要\t関係各課",
    "C事業\t概要", "", "- 3 -", "本文の行", "G事業\t概要\t企画課\t100",
]
_ROWS = st.sampled_from(["A事業\t概要\t甲課", "B事業\t\t乙課、丙課", "D事業\t概要\t甲課 乙課"])


def _any_layout(name):
    from kcdata.io.layout_file import layout_from_toml

    return layout_from_toml(_THREE_LEVELS) if name == "three" else name


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(list(_STARTS)),
       st.lists(st.one_of(_ROWS, st.sampled_from(_LINE_POOL)), max_size=12))
def test_any_lines_in_any_layout_give_a_table_or_a_parse_error(layout, more):
    """Whatever the lines and the layout: a table whose listings are table rows of the
    document, or a ParseError naming a line of it; never another exception."""
    lines = [*_STARTS[layout], *more]
    text = "\n".join(lines) + "\n"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PlanWarning)
        try:
            df = parse_measures(text, _any_layout(layout))
        except ParseError as err:
            assert err.line is None or 1 <= err.line <= len(lines)
            return
    assert len(df) >= 1
    for line, measure in zip(df["line"], df["measure"], strict=True):
        assert "\t" in lines[line - 1] and measure  # a table row with a name

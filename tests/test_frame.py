"""kcdata.from_frame: a table cleaned in pandas or Excel gives the table read_measures gives."""

from __future__ import annotations

import re
import warnings

import numpy as np
import pandas as pd
import pytest

import kcdata as kc
from kcdata.limits import MAX_LISTINGS
from kcdata.paths import BUNDLED_DOCUMENT

COMPARED = ["policy_no", "policy", "direction_no", "direction", "measure", "summary",
            "departments", "relisted"]
ANALYST = dict(measure="事業名", departments="所管する課", summary="事業概要",
               levels=["基本方針", "施策の方向性"])


@pytest.fixture(scope="module")
def parsed() -> pd.DataFrame:
    return kc.read_measures(BUNDLED_DOCUMENT)


@pytest.fixture
def analyst_table(parsed: pd.DataFrame) -> pd.DataFrame:
    """The bundled plan as an analyst keeps it: one row per listing, sections written out."""
    return pd.DataFrame({
        "基本方針": "基本方針" + parsed["policy_no"].astype(str) + " " + parsed["policy"],
        "施策の方向性": "(" + parsed["direction_no"].astype(str) + ") " + parsed["direction"],
        "事業名": parsed["measure"].where(~parsed["relisted"], "【再掲】" + parsed["measure"]),
        "事業概要": parsed["summary"],
        "所管する課": parsed["departments"].map("、".join),
    })


def small(**columns: list) -> pd.DataFrame:
    base = {"事業名": ["A事業", "B事業", "C事業"], "担当課": ["甲課", "乙課", "丙課"]}
    return pd.DataFrame(base | columns)


def test_the_bundled_plan_round_trips(parsed: pd.DataFrame, analyst_table: pd.DataFrame) -> None:
    df = kc.from_frame(analyst_table, **ANALYST, layout="kanazawa")
    pd.testing.assert_frame_equal(df[COMPARED], parsed[COMPARED])
    assert df.dtypes.equals(parsed.dtypes)
    assert df.columns.tolist() == parsed.columns.tolist()
    assert df["line"].tolist() == list(range(2, len(parsed) + 2))
    assert {k: v for k, v in df.attrs.items() if k != "title"} == {
        k: v for k, v in parsed.attrs.items() if k != "title"}
    assert df.attrs["title"] is None  # a built-in layout's title is never carried over
    assert kc.validate(df) is df


def test_every_analysis_and_writer_takes_it(analyst_table: pd.DataFrame, parsed: pd.DataFrame,
                                            tmp_path) -> None:
    df = kc.from_frame(analyst_table.assign(予算額=range(len(analyst_table))), **ANALYST,
                       title="テスト計画")
    pd.testing.assert_frame_equal(df.kc.policy_summary(), parsed.kc.policy_summary())
    assert df["予算額"].tolist() == list(range(len(df)))  # a number column stays numbers
    assert df.attrs["layout"] == "generic" and df.attrs["title"] == "テスト計画"
    path = kc.write_workbook(df, tmp_path / "plan.xlsx")
    assert path.stat().st_size > 0
    assert kc.parse_measures(kc.to_text(df), layout="generic")["measure"].equals(df["measure"])


def test_an_excel_cleaned_table_read_back(parsed: pd.DataFrame, analyst_table: pd.DataFrame,
                                          tmp_path) -> None:
    """Merged-looking blanks (same as above), numbers in their own column, Excel's NaN."""
    table = analyst_table.assign(
        方針番号=parsed["policy_no"], 基本方針=parsed["policy"], 事業番号=range(1, len(parsed) + 1))
    repeated = table["方針番号"].eq(table["方針番号"].shift())
    table.loc[repeated, ["方針番号", "基本方針"]] = None
    path = tmp_path / "cleaned.xlsx"
    table.to_excel(path, index=False)
    back = pd.read_excel(path)
    assert back["方針番号"].dtype == float  # blanks make Excel's numbers floats
    df = kc.from_frame(back, measure="事業名", departments="所管する課", summary="事業概要",
                       levels=[("方針番号", "基本方針"), "施策の方向性"], code="事業番号")
    pd.testing.assert_frame_equal(df[COMPARED], parsed[COMPARED])
    assert df["code"].tolist() == [str(i) for i in range(1, len(parsed) + 1)]
    assert df.columns.tolist() == [*parsed.columns, "code"]


def test_levels_without_numbers_are_numbered_in_order_of_appearance() -> None:
    frame = small(目標=["暮らし", "暮らし", "安全"], 課題=["防災", "福祉", "防災"])
    df = kc.from_frame(frame, measure="事業名", departments="担当課", levels=["目標", "課題"])
    assert df["policy_no"].tolist() == [1, 1, 2]
    assert df["direction_no"].tolist() == [1, 2, 1]  # numbered again under each 目標
    assert df["direction"].tolist() == ["防災", "福祉", "防災"]
    assert df.attrs["levels"] == ["目標", "課題"]
    # 「2030年…」 is a title, not section 2030
    years = kc.from_frame(small(目標=["2030年の姿", "安全", "2030年の姿"]),
                          measure="事業名", departments="担当課", levels=["目標"])
    assert years["policy_no"].tolist() == [1, 2, 1]
    assert years["policy"].tolist() == ["2030年の姿", "安全", "2030年の姿"]


def test_one_level_and_no_levels() -> None:
    one = kc.from_frame(small(施策=["① 防災", None, "② 福祉"]), measure="事業名",
                        departments="担当課", levels="施策")
    assert one[["policy_no", "direction_no"]].values.tolist() == [[1, 0], [1, 0], [2, 0]]
    assert one["policy"].tolist() == ["防災", "防災", "福祉"] and set(one["direction"]) == {""}
    flat = kc.from_frame(small(), measure="事業名", departments="担当課")
    assert set(flat["policy_no"]) == {1} and set(flat["policy"]) == {""}
    assert flat.attrs["levels"] == ["基本方針"]
    assert len(flat.kc.policy_summary()) == 1


def test_relisted_marks_departments_and_placeholders() -> None:
    frame = small(事業名=["A事業（再掲）", " 【再掲】 B 事業", "C事業"],
                  担当課=["甲課・乙課", ["丙課", "関係各課"], "企画課 関係各課"])
    with pytest.warns(kc.PlanWarning, match="関係各課 is not a department") as caught:
        df = kc.from_frame(frame, measure="事業名", departments="担当課")
    assert [w.message.line for w in caught] == [3, 4]
    assert df["measure"].tolist() == ["A事業", "B事業", "C事業"]
    assert df["relisted"].tolist() == [True, True, False]
    assert df["departments"].tolist() == [("甲課", "乙課"), ("丙課",), ("企画課",)]
    assert df["department_notes"].tolist() == [(), ("関係各課",), ("関係各課",)]


def test_a_plan_without_departments(tmp_path) -> None:
    df = kc.from_frame(small(), measure="事業名")
    assert df["departments"].tolist() == [(), (), ()]
    assert "departments" not in df.attrs["words"]
    assert kc.validate(df) is df
    assert df["担当課"].tolist() == ["甲課", "乙課", "丙課"]  # an unnamed column is kept
    assert kc.plan_totals(df)["pairs"] == 0
    assert kc.write_workbook(df, tmp_path / "plan.xlsx").exists()


def test_a_layout_gives_its_labels_and_a_layout_file_its_title() -> None:
    city = kc.Layout(name="city", title="○○市地域福祉計画", levels=(
        kc.Level("基本目標"), kc.Level("施策", number_format="{label}({no})")),
        columns={"measure": ("事業名",), "summary": ("内容",), "departments": ("担当課",)})
    df = kc.from_frame(small(目標=["1 暮らし", "2 安全", "2 安全"], 課題=["防災", "福祉", "防災"]),
                       measure="事業名", departments="担当課", levels=["目標", "課題"], layout=city)
    assert df.attrs["levels"] == ["基本目標", "施策"]
    assert df.attrs["level_names"] == ["{label}{no}", "{label}({no})"]
    assert df.attrs["layout"] == "city" and df.attrs["title"] == "○○市地域福祉計画"


@pytest.mark.parametrize(("frame", "kwargs", "line", "reason"), [
    (small(事業名=["A事業", None, "C事業"]), {}, 3, "empty 事業名 cell"),
    (small(事業名=["A事業", "【再掲】", "C事業"]), {}, 3, "empty 事業名 cell 「【再掲】」"),
    (small(担当課=["甲課", "乙課", " "]), {}, 4, "empty 担当課 cell"),
    (small(担当課=["甲課", [], "丙課"]), {}, 3, "empty 担当課 cell"),
    (small(目標=[None, "暮らし", "暮らし"]), {"levels": ["目標"]}, 2,
     "empty 目標 cell, with nothing above it"),
    (small(目標=["1 暮らし", "2 安全", "2 安全"], 課題=["防災", None, "福祉"]),
     {"levels": ["目標", "課題"]}, 3, "empty 課題 cell, with nothing above it"),
    (small(目標=["1 暮らし", "暮らし", "2 安全"]), {"levels": ["目標"]}, 3,
     "「暮らし」 in 目標 has no number, but other cells have one"),
    (small(目標=["1 暮らし", "2 安全", "1 福祉"]), {"levels": ["目標"]}, 4,
     "目標1 is 「暮らし」 above and 「福祉」 here (目標): one number for two sections"),
    (small(番号=[1, None, "未定"], 目標=["暮らし", None, "安全"]), {"levels": [("番号", "目標")]},
     4, "「未定」 in 番号 is not a section number"),
    (small(番号=[1, None, None], 目標=["暮らし", None, "安全"]), {"levels": [("番号", "目標")]},
     4, "「」 in 番号 is not a section number"),
])
def test_each_bad_row_is_refused_at_its_line(frame, kwargs, line, reason) -> None:
    with pytest.raises(kc.ParseError, match=re.escape(reason)) as caught:
        kc.from_frame(frame, measure="事業名", departments="担当課", **kwargs)
    assert caught.value.line == line


def test_the_first_bad_row_is_the_one_refused() -> None:
    frame = small(事業名=["A事業", "B事業", None], 担当課=["甲課", None, None])
    with pytest.raises(kc.ParseError, match="empty 担当課 cell") as caught:
        kc.from_frame(frame, measure="事業名", departments="担当課")
    assert caught.value.line == 3


@pytest.mark.parametrize(("kwargs", "reason"), [
    ({"measure": "name"}, "measure= names 'name', which is not a column of the frame"),
    ({"levels": ["目標"]}, r"levels\[0\] names '目標'"),
    ({"levels": ["a", "b", "c", "d", "e"]}, "at most 4"),
])
def test_a_call_the_frame_cannot_answer_is_refused_first(kwargs, reason) -> None:
    with pytest.raises(kc.ParseError, match=reason) as caught:
        kc.from_frame(small(), **({"measure": "事業名", "departments": "担当課"} | kwargs))
    assert caught.value.line is None


def test_frames_that_cannot_be_listing_tables() -> None:
    with pytest.raises(kc.ParseError, match="has 0 rows"):
        kc.from_frame(small().iloc[:0], measure="事業名")
    with pytest.raises(kc.ParseError, match="rename the frame's column 'line'"):
        kc.from_frame(small(line=[1, 2, 3]), measure="事業名")
    with pytest.raises(kc.ParseError, match="reads 1 to 100,000 listings") as caught:
        kc.from_frame(pd.DataFrame({"事業名": ["A事業"] * (MAX_LISTINGS + 1)}),
                      measure="事業名")
    assert caught.value.line == MAX_LISTINGS + 2


def test_the_input_frame_is_not_modified(parsed: pd.DataFrame,
                                        analyst_table: pd.DataFrame) -> None:
    frame = analyst_table.assign(所管する課=parsed["departments"].map(list))  # lists of names
    frame.index = frame.index * 10 + 5  # any index: lines are row positions
    before = frame.copy(deep=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no placeholder here: no warning either
        df = kc.from_frame(frame, **ANALYST)
    pd.testing.assert_frame_equal(frame, before)
    assert df["departments"].tolist() == parsed["departments"].tolist()
    assert df.index.equals(pd.RangeIndex(len(frame)))
    assert np.array_equal(df["line"], np.arange(2, len(frame) + 2))

"""The corpus report (charts, 計画一覧 / 所管課×計画 / 経年 workbook) and ``kcdata diff A B C``."""

from __future__ import annotations

import openpyxl
import pandas as pd
import pytest

from kcdata import combine_plans, compare_plans, parse_measures, to_text
from kcdata.cli import main
from kcdata.outputs.corpus_charts import (
    MAX_PLANS,
    department_presence_chart,
    measures_by_plan_chart,
    policy_sizes_chart,
)
from kcdata.outputs.corpus_report import CORPUS_SHEETS, CORPUS_WORKBOOK, corpus_history

from .test_corpus import KANAZAWA_TITLE, OTHER, editions


@pytest.fixture
def corpus(bundled) -> pd.DataFrame:
    return combine_plans({"金沢": bundled, "他市": parse_measures(OTHER)})


def test_measures_chart_has_one_bar_per_plan(corpus):
    fig = measures_by_plan_chart(corpus)
    ax = fig.axes[0]
    assert [p.get_width() for p in ax.patches] == [108, 3]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["金沢", "他市"]


def test_measures_chart_of_many_plans_is_a_histogram(bundled):
    many = combine_plans({f"p{i}": bundled.iloc[: 10 + i] for i in range(MAX_PLANS + 1)})
    ax = measures_by_plan_chart(many).axes[0]
    assert "分布" in ax.get_title()
    assert sum(p.get_height() for p in ax.patches) == MAX_PLANS + 1


def test_presence_and_policy_sizes_charts(corpus):
    ax = department_presence_chart(corpus, top=5).axes[0]
    assert len(ax.patches) == 5
    assert ax.get_yticklabels()[0].get_text() == "市民協働推進課"
    assert ax.patches[0].get_width() == 2
    ax = policy_sizes_chart(corpus).axes[0]
    assert len(ax.patches) == 4 + 1  # 4 基本方針 of the bundled plan, 1 of the other
    assert sum(p.get_width() for p in ax.patches) == 110 + 4


def test_report_of_two_sources(tmp_path, bundled, capsys):
    a = tmp_path / "kanazawa.txt"
    b = tmp_path / "other.txt"
    a.write_text(to_text(bundled), encoding="utf-8")
    b.write_text(OTHER, encoding="utf-8")
    out = tmp_path / "out"
    assert main(["report", str(a), str(b), "--out", str(out)]) == 0
    written = capsys.readouterr().out.split()
    assert len(written) == 7 and written[-1].endswith(CORPUS_WORKBOOK)
    wb = openpyxl.load_workbook(out / CORPUS_WORKBOOK)
    assert tuple(wb.sheetnames) == CORPUS_SHEETS
    names = [KANAZAWA_TITLE, "other"]  # a document without a title is named by its file
    plans = list(wb["計画一覧"].iter_rows(values_only=True))
    assert plans[0][:3] == ("計画", "掲載数", "再掲") and [r[0] for r in plans[1:]] == names
    assert plans[0][-3:] == ("レイアウト", "文書の題名", "元の文書")
    assert plans[1][-3:] == ("kanazawa", KANAZAWA_TITLE, "kanazawa.txt")
    matrix = list(wb["所管課×計画"].iter_rows(values_only=True))
    assert matrix[0] == ("所管する課", "載っている計画の数", *names)
    assert matrix[1] == ("市民協働推進課", 2, 24, 2)
    history = list(wb["経年"].iter_rows(values_only=True))
    # Two titles: two plans, never two editions of one (the bundled layout's title is
    # not carried onto the other document).
    assert history[0][:3] == ("計画（版の系列）", "事業名（最新）", "初出")
    assert not set(names) <= set(history[0])


def test_report_stops_at_a_bad_source_and_writes_nothing(tmp_path, capsys):
    good = tmp_path / "good.txt"
    bad = tmp_path / "bad.txt"
    good.write_text(OTHER, encoding="utf-8")
    bad.write_text("基本方針1 a\n施策の方向性(1) b\nA\tB\n", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["report", str(good), str(bad), "--out", str(out)]) == 2
    assert capsys.readouterr().err.strip().startswith(f"{bad}:3: ")
    assert not out.exists()


def _edition_files(folder, bundled) -> list[str]:
    """The three editions of :func:`editions` written as documents in ``folder``."""
    paths = []
    for name, df in editions(bundled).items():
        path = folder / f"{name}.txt"
        path.write_text(to_text(df), encoding="utf-8")
        paths.append(str(path))
    return paths


def test_diff_of_three_editions(tmp_path, bundled, capsys):
    paths = _edition_files(tmp_path, bundled)
    xlsx = tmp_path / "history.xlsx"
    assert main(["diff", *paths, "--out", str(xlsx)]) == 0
    out = capsys.readouterr().out
    assert out.count(" measures: ") == 2
    assert "history: 108 measures over 3 editions, 1 renamed, 2 dropped" in out
    wb = openpyxl.load_workbook(xlsx)
    assert wb.sheetnames == ["新旧対照表1", "新旧対照表2", "経年", "概要"]
    rows = list(wb["経年"].iter_rows(values_only=True))
    assert rows[0][-3:] == ("2018", "2021", "2025")
    assert len(rows) == 1 + 108
    renamed = [r for r in rows[1:] if r[4] == "○"]
    assert len(renamed) == 1 and "→" in renamed[0][8]


def test_diff_needs_two_sources(tmp_path, capsys):
    path = tmp_path / "a.txt"
    path.write_text(OTHER, encoding="utf-8")
    with pytest.raises(SystemExit) as done:
        main(["diff", str(path)])
    assert done.value.code == 2
    assert "required: NEW" in capsys.readouterr().err


def test_history_of_many_plans_matches_by_name(bundled):
    from kcdata.outputs.corpus_report import FOLLOWED_EDITIONS

    plans = {f"p{i}": bundled for i in range(FOLLOWED_EDITIONS + 1)}
    plans["p3"] = bundled.iloc[:50]
    history = corpus_history(combine_plans(plans))
    assert len(history) == 108
    assert not history["renamed"].any()
    in_p3 = bundled.iloc[:50].loc[lambda d: ~d["relisted"], "measure"].nunique()
    assert (history["editions"] == FOLLOWED_EDITIONS + 1).sum() == in_p3
    assert history["first_edition"].eq("p0").all() and not history["dropped"].any()


def test_corpus_sheets_keep_text_as_text(bundled, tmp_path):
    from kcdata.outputs import corpus_report

    other = parse_measures(OTHER.replace("防犯灯の設置\t\t市民協働推進課",
                                         "=HYPERLINK(1)\t\t=SUM(A1)課"))
    other.attrs["title"] = bundled.attrs["title"]  # two editions of one plan: a 経年 sheet
    path = corpus_report.write_corpus_workbook(combine_plans({"金沢": bundled, "他市": other}),
                                               tmp_path / "corpus.xlsx")
    wb = openpyxl.load_workbook(path)
    assert tuple(wb.sheetnames) == CORPUS_SHEETS
    ws = wb["所管課×計画"]
    cells = {c.value: c for row in ws.iter_rows() for c in row if isinstance(c.value, str)}
    assert cells["=SUM(A1)課"].data_type == "s"
    assert ws.freeze_panes == "C2" and ws["A1"].font.bold
    history = wb["経年"]
    names = [c.value for c in history["B"]]  # A: the series of editions
    assert "=HYPERLINK(1)" in names
    assert history.cell(row=names.index("=HYPERLINK(1)") + 1, column=2).data_type == "s"
    assert [c.value for c in wb["計画一覧"]["A"]][1:] == ["金沢", "他市"]


def test_table_sheets_write_text_as_text_and_log_what_was_cleaned(tmp_path):
    # What the deleted plain writer of large corpus sheets promised, now of every sheet.
    from kcdata.outputs.xlsx import open_workbook, write_sheet

    table = pd.DataFrame({
        "measure": pd.Series(["#N/A", "-1課", "@x", "A\x00B", None, "ふつう"], dtype=object),
        "listings": [1.5, float("nan"), 3.0, 4.0, 5.0, 6.0],
        "departments": [("甲課", "乙課"), (), ("丙課",), ("丁課",), ("戊課",), ("己課",)],
        "flag": [True, False, True, False, True, False],
    })
    with open_workbook(tmp_path / "t.xlsx") as book:
        write_sheet(book, "表", table, labels={"measure": "事業名"})
        log = book.log
    ws = openpyxl.load_workbook(tmp_path / "t.xlsx")["表"]
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert ws["A1"].value == "事業名" and ws["A1"].font.bold
    assert [r[0] for r in rows] == ["#N/A", "-1課", "@x", "AB", None, "ふつう"]
    assert [r[1] for r in rows] == [1.5, None, 3.0, 4.0, 5.0, 6.0]
    assert rows[0][2] == "甲課、乙課" and rows[0][3] is True
    assert [ws.cell(row=i, column=1).data_type for i in range(2, 5)] == ["s", "s", "s"]
    assert [ws.cell(row=i, column=1).quotePrefix for i in range(2, 5)] == [False, True, True]
    assert (log.removed, log.cells) == (1, ["表!A5"])
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == "A1:D7"


def test_history_of_many_plans_sees_moves_and_department_changes(bundled):
    from kcdata.outputs.corpus_report import FOLLOWED_EDITIONS

    plans = {f"p{i}": bundled for i in range(FOLLOWED_EDITIONS + 1)}
    changed = bundled.copy()
    first = changed.index[~changed["relisted"]][0]
    changed.loc[first, "direction_no"] = changed["direction_no"].max() + 1
    changed.at[first, "departments"] = ("新しい課",)
    plans["p5"] = changed
    history = corpus_history(combine_plans(plans))
    name = bundled.loc[first, "measure"]
    row = history[history["measure"] == name]
    assert row["moved"].tolist() == [True] and row["departments_changed"].tolist() == [True]
    assert history["moved"].sum() == 1 and history["departments_changed"].sum() == 1


def test_report_of_an_empty_folder_is_an_error(tmp_path, capsys):
    (tmp_path / "notes.md").write_text("not a plan", encoding="utf-8")
    assert main(["report", str(tmp_path), "--out", str(tmp_path / "out")]) == 2
    assert "no plan documents" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_report_of_a_folder(tmp_path, bundled, capsys):
    folder = tmp_path / "plans"
    folder.mkdir()
    (folder / "a.txt").write_text(to_text(bundled), encoding="utf-8")
    (folder / "b.txt").write_text(OTHER, encoding="utf-8")
    assert main(["report", str(folder), "--out", str(tmp_path / "out")]) == 0
    assert capsys.readouterr().out.split()[-1].endswith(CORPUS_WORKBOOK)


def test_diff_of_three_editions_changed_only(tmp_path, bundled, capsys):
    paths = _edition_files(tmp_path, bundled)
    xlsx = tmp_path / "history.xlsx"
    assert main(["diff", *paths, "--out", str(xlsx), "--changed-only"]) == 0
    wb = openpyxl.load_workbook(xlsx)
    first = list(wb["新旧対照表1"].iter_rows(values_only=True))[1:]
    assert first and all(row[0] != "変更なし" for row in first)
    overview = [row for row in wb["概要"].iter_rows(values_only=True) if row[0] == "新旧対照表1"]
    v = list(editions(bundled).values())
    unchanged = (compare_plans(v[0], v[1])["status"] == "unchanged").sum()
    assert unchanged > 100 and f"変更なし{unchanged}" in overview[0][1]  # still counted


def _titled(df, title):
    out = df.copy()
    out.attrs = {**df.attrs, "title": title}
    return out


def test_other_cities_plans_are_never_editions_of_each_other(bundled, tmp_path):
    # Issue 22: a report of different cities' plans marked 109 of 112 measures 廃止.
    corpus = combine_plans({
        "金沢2021": _titled(bundled, "金沢市地域コミュニティ活性化推進計画（令和3年度版）"),
        "白山": _titled(bundled.head(30), "白山市地域福祉計画"),
        "金沢2025": _titled(bundled, "金沢市地域コミュニティ活性化推進計画 2025"),
    })
    history = corpus_history(corpus)
    assert set(history["series"]) == {"金沢2021"}  # the two Kanazawa editions, by their titles
    assert "白山" not in history.columns
    assert not history["dropped"].any()  # nothing 廃止 between the editions of one plan
    assert len(history) == 108
    forced = corpus_history(corpus, editions=True)  # the user says: all editions of one plan
    assert set(forced["series"]) == {"金沢2021"} and "白山" in forced.columns
    assert corpus_history(corpus, editions=False).empty


def test_the_editions_option_reaches_the_workbook(bundled, tmp_path):
    from kcdata.cli_parser import build_parser
    from kcdata.outputs.corpus_report import write_corpus_report

    assert build_parser().parse_args(["report", "a.txt", "b.txt", "--editions"]).editions
    corpus = combine_plans({"金沢": _titled(bundled, "金沢市の計画"),
                            "白山": _titled(bundled.head(30), "白山市の計画")})
    rows = {}
    for said in (None, True):
        out = tmp_path / str(said)
        write_corpus_report(corpus, out, editions=said)
        rows[said] = len(list(openpyxl.load_workbook(out / CORPUS_WORKBOOK)["経年"].rows))
    assert rows == {None: 1, True: 1 + 108}  # side by side: no history; editions: one

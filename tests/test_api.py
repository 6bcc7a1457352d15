"""The public surface: ``import kcdata as kc`` and the ``df.kc`` accessor."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest

import kcdata as kc

VERBS = ["policy_summary", "department_summary", "department_matrix", "department_recurrence",
         "concentration", "relisted_links", "duplicate_candidates", "plan_totals",
         "plan_summary", "department_presence", "tag_themes", "untagged", "theme_matrix",
         "theme_summary", "explode_departments"]


def test_every_public_name_resolves():
    for name in kc.__all__:
        assert getattr(kc, name) is not None, name
    assert set(kc.__all__) <= set(dir(kc))


def test_an_unknown_name_is_an_attribute_error():
    with pytest.raises(AttributeError, match="no_such_thing"):
        _ = kc.no_such_thing


def test_importing_kcdata_loads_no_writer():
    code = ("import sys, kcdata; "
            "print(sorted(m for m in ('matplotlib', 'openpyxl', 'xlsxwriter', "
            "'kcdata.outputs.workbook') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize("verb", VERBS)
def test_each_accessor_verb_is_the_function(verb):
    df = kc.load_example()
    before = df.copy()
    got, want = getattr(df.kc, verb)(), getattr(kc, verb)(df)
    if isinstance(want, pd.DataFrame | pd.Series):
        assert got.equals(want)
    else:
        assert got == want
    assert df.equals(before)  # no verb modifies the table


def test_accessor_search_compare_and_text():
    df = kc.load_example()
    assert df.kc.search("防災").equals(kc.search(df, "防災"))
    assert df.kc.to_text() == kc.to_text(df)
    assert df.kc.compare(df).equals(kc.compare_plans(df, df))


def test_accessor_refuses_a_table_without_the_columns():
    with pytest.raises(ValueError, match="missing columns policy_no, policy, departments"):
        _ = pd.DataFrame({"measure": ["A事業"]}).kc
    bad = kc.load_example().assign(departments="市民協働推進課")
    with pytest.raises(ValueError, match="departments must be tuples"):
        kc.validate(bad)
    with pytest.raises(TypeError, match="DataFrame"):
        kc.validate([1, 2])


def test_accessor_writes_the_workbook_and_page(tmp_path):
    df = kc.load_example()
    book = df.kc.to_workbook(tmp_path / "plan.xlsx")
    page = df.kc.to_html(tmp_path / "plan.html")
    assert book.stat().st_size > 0 and page.read_text(encoding="utf-8").startswith("<!DOCTYPE")
    assert kc.write_workbook is not None and callable(kc.write_report)


def test_japanese_tables_read_as_planners_read_them():
    df = kc.load_example()
    departments = kc.japanese(kc.department_summary(df))
    table = departments.data
    assert table.index.name == "所管する課"
    assert list(table.columns) == ["掲載数", "事業数", "基本方針の数", "施策の方向性の数",
                                   "共管の掲載数", "構成比"]
    html = departments.to_html()
    share = kc.department_summary(df)["share"].iloc[0]
    assert f"{share:.1%}" in html and str(share) not in html  # 21.2%, never 0.212389
    assert 'id="T_kcdata"' in html  # fixed ids: the same output run after run
    text = repr(departments)  # the plain text a notebook keeps: the table, no address
    assert "21.2%" in text and "0x" not in text and text.startswith(" ")
    policies = kc.japanese(kc.policy_summary(df)).data
    assert policies.index.name == "基本方針"
    assert list(policies.columns) == ["基本方針名", "掲載数", "うち再掲", "事業数", "所管課の数"]
    listings = df.kc.japanese().data
    co_managed = df["departments"].map(len) > 1
    first = listings.loc[co_managed.idxmax(), "所管する課"]
    assert "、" in first and "(" not in first  # joined, not a Python tuple
    assert set(listings["再掲"]) <= {"○", ""}
    assert df["departments"].map(type).eq(tuple).all()  # the table itself unchanged


def test_the_report_model_is_the_workbooks_and_the_pages():
    df = kc.load_example()
    tables = kc.summary_tables(df)
    assert list(tables) == ["事業一覧", "基本方針別", "所管課別", "所管課×基本方針", "再掲",
                            "テーマ別", "テーマ該当事業"]
    assert tables["基本方針別"]["listings"].sum() == len(df)


def test_japanese_codes_totals_and_decimals():
    df = kc.load_example()
    renamed = df.assign(measure=df["measure"].replace("旧町名復活事業", "旧町名復活推進事業"))
    counts = kc.japanese(kc.status_counts(kc.compare_plans(df, renamed))).data
    assert counts.index.name == "区分" and list(counts.columns) == ["事業数"]
    assert list(counts.index) == ["追加", "削除", "名称変更", "変更", "番号のみ変更", "変更なし"]
    totals = kc.japanese(kc.plan_totals(df)).data  # an index of column names
    assert totals.index[0] == "掲載数" and "所管課の数" in totals.index
    side_by_side = pd.DataFrame({"元": kc.plan_totals(df), "新": kc.plan_totals(renamed)})
    overview = kc.japanese(side_by_side, sheet="概要").data
    assert overview.index[0] == "掲載数（【再掲】を含む表の行の数）"
    candidates = kc.japanese(kc.duplicate_candidates(df))
    assert set(candidates.data["種別"]) <= {"似た名前", "印のない重複"}
    html = candidates.to_html()
    assert ">0.882<" in html and "0.882000" not in html  # decimals as pandas shows them
    hits = kc.japanese(kc.search(df, "雪")).data
    assert list(hits.columns)[:2] == ["検索語", "施策番号"] and set(hits["欄"]) <= {
        "事業名", "事業概要"}
    editions = kc.compare_editions({"2025": df, "2030": renamed})
    history = kc.japanese(editions.drop(columns=["names"]), sheet="経年")
    assert "初出" in history.data.columns and "nan" not in history.to_html()
    plans = kc.combine_plans({"A": df, "B": renamed})
    summary = kc.japanese(kc.plan_summary(plans), sheet="計画一覧").data
    assert summary.index.name == "計画" and "第1階層の数" in summary.columns


def test_japanese_department_tables_speak_the_plans_words():
    df = kc.load_example()
    df.attrs = {**df.attrs, "levels": ["基本目標", "施策"],
                "words": {**df.attrs["words"], "departments": "担当課"}}
    summary = kc.japanese(kc.department_summary(df)).data
    assert summary.index.name == "担当課" and "基本目標の数" in summary.columns
    matrix = kc.japanese(kc.department_matrix(df)).data
    assert matrix.columns.name == "基本目標"


def test_japanese_theme_tables_use_the_theme_sheets_headers():
    df = kc.load_example()
    themes = kc.japanese(kc.theme_summary(df), sheet="テーマ別")
    assert {"うち再掲", "全事業に占める割合"} <= set(themes.data.columns)
    assert "%" in repr(themes)
    tags = kc.japanese(kc.tag_themes(df), sheet="テーマ該当事業").data
    assert "再掲" in tags.columns and set(tags["該当した欄"]) <= {"事業名", "事業概要"}

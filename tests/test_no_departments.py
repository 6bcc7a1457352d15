"""A plan without departments: no pair is counted, and every output says why in place of
the department charts, sheets and page sections (issue 24, items 3 and 5).

Such plans are built by hand from the bundled plan: every ``departments`` is ``()``
(a document without a department column), or every department cell held only a
placeholder (関係各課), kept in ``department_notes``.
"""

from __future__ import annotations

import math
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

import kcdata
from kcdata.cli import main
from kcdata.outputs.charts import DEPARTMENT_CHARTS, REPORT_CHARTS
from kcdata.outputs.report import FIGURES_DIR, html_path, summary_path
from kcdata.paths import BUNDLED_DOCUMENT
from kcdata.schema import has_departments
from kcdata.vocab import NO_DEPARTMENTS as NO_DEPARTMENTS_TEMPLATE
from kcdata.vocab import NO_DEPARTMENTS_IN_PLANS, PlanWords, no_departments_sentence
from kcdata.vocab import ONLY_PLACEHOLDERS as ONLY_PLACEHOLDERS_TEMPLATE

#: The two sentences in the bundled plan's words (the vocabulary holds templates).
NO_DEPARTMENTS = PlanWords().say(NO_DEPARTMENTS_TEMPLATE)
ONLY_PLACEHOLDERS = PlanWords().say(ONLY_PLACEHOLDERS_TEMPLATE)

#: The summary workbook's sheets of departments and the page's sections of departments.
DEPARTMENT_SHEETS = ("所管課別", "所管課×基本方針")


def without_departments(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` as a plan without a department column: every ``departments`` is ``()``."""
    return df.assign(departments=[()] * len(df))


def only_placeholders(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` as a plan whose department cells all read 関係各課 (kept as notes, not counted)."""
    return without_departments(df).assign(department_notes=[("関係各課",)] * len(df))


@pytest.fixture(scope="module")
def plan() -> pd.DataFrame:
    return kcdata.read_measures(BUNDLED_DOCUMENT)


def write(df: pd.DataFrame, out: Path) -> list[Path]:
    return kcdata.write_report(df, out, source=BUNDLED_DOCUMENT, html=True)


@pytest.fixture(scope="module")
def report(plan, tmp_path_factory) -> tuple[Path, list[Path]]:
    """The report of the bundled plan without its departments, page included."""
    out = tmp_path_factory.mktemp("no_departments")
    return out, write(without_departments(plan), out)


# ---------------------------------------------------------------- pairs and analyses


def test_has_departments(plan):
    assert has_departments(plan)
    assert not has_departments(without_departments(plan))
    assert not has_departments(only_placeholders(plan))
    assert not has_departments(plan.iloc[:0])
    one = without_departments(plan)
    one.at[5, "departments"] = ("甲課",)
    assert has_departments(one)


@pytest.mark.parametrize("make", [without_departments, only_placeholders])
def test_a_listing_without_departments_gives_no_pair(plan, make):
    pairs = kcdata.explode_departments(make(plan))
    assert len(pairs) == 0
    assert "department" in pairs.columns and "departments" not in pairs.columns


def test_only_listings_with_departments_give_pairs(plan):
    some = plan.copy()
    some.loc[:9, "departments"] = [()] * 10
    pairs = kcdata.explode_departments(some)
    assert len(pairs) == sum(map(len, some["departments"]))
    assert pairs["line"].isin(some.loc[:9, "line"]).sum() == 0
    assert pairs["department"].notna().all() and (pairs["department"] != "nan").all()
    assert kcdata.plan_totals(some)["pairs"] == len(pairs)


@pytest.mark.parametrize("make", [without_departments, only_placeholders])
def test_counts_of_departments_are_zero(plan, make):
    df = make(plan)
    totals = kcdata.plan_totals(df)
    assert totals[["departments", "pairs", "co_managed"]].tolist() == [0, 0, 0]
    # everything that does not need departments is counted as for the plan itself
    same = ["listings", "relisted", "measures", "policies", "directions"]
    assert totals[same].tolist() == kcdata.plan_totals(plan)[same].tolist()
    summary = kcdata.plan_summary(df)
    assert summary[["departments", "pairs", "co_managed"]].to_numpy().tolist() == [[0, 0, 0]]
    assert kcdata.department_summary(df).empty
    assert kcdata.department_matrix(df).empty
    assert kcdata.department_recurrence(df).empty
    assert kcdata.department_presence(df).empty
    assert kcdata.theme_matrix(df, by="department").shape[1] == 0
    concentration = kcdata.concentration(df)
    assert concentration["departments"] == 0 and concentration["top3_share"] == 0
    assert math.isnan(concentration["hhi"]) and math.isnan(concentration["effective_departments"])
    assert df.kc.plan_totals()["pairs"] == 0


def test_analyses_without_departments_are_unchanged(plan):
    df = without_departments(plan)
    pd.testing.assert_frame_equal(
        kcdata.policy_summary(df).drop(columns="departments"),
        kcdata.policy_summary(plan).drop(columns="departments"),
    )
    assert len(kcdata.relisted_links(df)) == len(kcdata.relisted_links(plan))
    assert len(kcdata.duplicate_candidates(df)) == len(kcdata.duplicate_candidates(plan))
    assert len(kcdata.search(df, "防災")) == len(kcdata.search(plan, "防災"))


def test_a_corpus_counts_no_pair_for_the_plan_without_departments(plan):
    corpus = kcdata.combine_plans({"甲市": plan, "乙市": without_departments(plan)})
    summary = kcdata.plan_summary(corpus)
    assert summary.loc["乙市", ["departments", "pairs", "co_managed"]].tolist() == [0, 0, 0]
    assert summary.loc["甲市", "pairs"] == kcdata.plan_totals(plan)["pairs"]
    concentration = kcdata.concentration(corpus)
    assert concentration.index.tolist() == ["甲市", "乙市"]
    assert concentration.loc["乙市", "departments"] == 0
    assert math.isnan(concentration.loc["乙市", "hhi"])


# ---------------------------------------------------------------- the sentence


def test_the_sentence_says_why_in_the_plans_words(plan):
    assert no_departments_sentence(without_departments(plan)) == NO_DEPARTMENTS
    assert no_departments_sentence(only_placeholders(plan)) == ONLY_PLACEHOLDERS
    df = without_departments(plan)
    df.attrs = {**plan.attrs, "words": {**plan.attrs.get("words", {}), "departments": "担当課"}}
    assert no_departments_sentence(df) == (
        "この計画には担当課の列がないため、担当課別の集計はありません。")


# ---------------------------------------------------------------- charts


@pytest.mark.parametrize("stem", sorted(DEPARTMENT_CHARTS))
def test_a_department_chart_is_its_title_and_the_sentence(plan, stem):
    figure = REPORT_CHARTS[stem](without_departments(plan))
    (ax,) = figure.axes
    texts = [t.get_text().replace("\n", "") for t in ax.texts]
    assert texts == [NO_DEPARTMENTS]
    assert ax.get_title()
    assert not ax.axison and not ax.patches and not ax.images  # no empty chart


def test_the_department_charts_are_02_to_04():
    assert DEPARTMENT_CHARTS == {"02_listings_by_department", "03_department_policy_heatmap",
                                 "04_cross_cutting_departments"}


# ---------------------------------------------------------------- the report


def test_the_report_writes_every_file(report):
    out, written = report
    figures = [out / FIGURES_DIR / f"{stem}.{ext}" for stem in REPORT_CHARTS
               for ext in ("png", "svg")]
    source = BUNDLED_DOCUMENT
    assert written == [*figures, summary_path(out, source), html_path(out, source)]
    assert all(p.is_file() and p.stat().st_size > 0 for p in written)


def test_the_workbook_has_the_sentence_instead_of_the_department_tables(report):
    out, _ = report
    book = openpyxl.load_workbook(summary_path(out, BUNDLED_DOCUMENT))
    assert book.sheetnames == ["概要", "事業一覧", "基本方針別", "所管課別", "所管課×基本方針",
                               "再掲", "テーマ別", "テーマ該当事業"]
    for name in DEPARTMENT_SHEETS:
        sheet = book[name]
        assert [[c for c in row] for row in sheet.iter_rows(values_only=True)] == [
            [NO_DEPARTMENTS]]
    listings = book["事業一覧"]
    assert listings.max_row == 111  # every listing is there, without an empty 所管する課
    headers = [c.value for c in listings[1]]
    assert "所管する課" not in headers and "事業名" in headers
    assert "所管課の数" not in [c.value for c in book["基本方針別"][1]]  # no column of zeros
    assert "所管する課" not in [c.value for c in book["テーマ該当事業"][1]]
    overview = dict(book["概要"].iter_rows(min_col=1, max_col=2, values_only=True))
    assert overview["所管課の数"] == 0 and overview["掲載と所管課の組の数"] == 0
    assert overview["所管課別"] == NO_DEPARTMENTS


def test_the_page_has_the_sentence_instead_of_the_department_sections(report):
    out, _ = report
    page = html_path(out, BUNDLED_DOCUMENT).read_text(encoding="utf-8")
    # three charts and two tables
    assert page.count(NO_DEPARTMENTS) == len(DEPARTMENT_CHARTS) + len(DEPARTMENT_SHEETS)
    assert 'id="department-table"' not in page and 'id="matrix-table"' not in page
    assert '<label hidden>所管する課<select id="filter-department">' in page
    for stem in REPORT_CHARTS:
        figure = page.split(f'id="chart-{stem}"')[1].split("</figure>")[0]
        assert ("<svg" in figure) == (stem not in DEPARTMENT_CHARTS)
    assert page.count('<tr id="listing-') == 110


def test_a_plan_of_placeholders_gets_its_report(plan, tmp_path):
    df = only_placeholders(plan)
    written = write(df, tmp_path)
    book = openpyxl.load_workbook(summary_path(tmp_path, BUNDLED_DOCUMENT))
    assert book["所管課別"]["A1"].value == ONLY_PLACEHOLDERS
    notes = [c.value for c in book["事業一覧"][1]].index("課以外の記載（関係各課など）")
    assert {row[notes] for row in book["事業一覧"].iter_rows(min_row=2, values_only=True)} == {
        "関係各課"}
    assert ONLY_PLACEHOLDERS in written[-1].read_text(encoding="utf-8")


def test_kcdata_report_on_a_document_of_placeholders(tmp_path, capsys):
    """The silent wrong of issue 24: one pair per listing, then a traceback."""
    lines = BUNDLED_DOCUMENT.read_text(encoding="utf-8").split("\n")
    rows = [line.split("\t") for line in lines]
    text = "\n".join("\t".join([*r[:2], "関係各課"]) if len(r) == 3 and r[2] != "所管する課"
                     else "\t".join(r) for r in rows)
    source = tmp_path / "placeholders.txt"
    source.write_text(text, encoding="utf-8")
    with pytest.warns(kcdata.PlanWarning):
        df = kcdata.read_measures(source)
    assert kcdata.plan_totals(df)["pairs"] == 0
    out = tmp_path / "out"
    assert main(["report", str(source), "--out", str(out)]) == 0
    book = openpyxl.load_workbook(summary_path(out, source))
    assert book["所管課×基本方針"]["A1"].value == ONLY_PLACEHOLDERS
    assert html_path(out, source).is_file()


# ---------------------------------------------------------------- corpus and comparison


def test_a_corpus_without_departments_gets_its_report(plan, tmp_path):
    corpus = kcdata.combine_plans({"甲市": without_departments(plan),
                                   "乙市": without_departments(plan)})
    written = kcdata.write_corpus_report(corpus, tmp_path)
    book = openpyxl.load_workbook(written[-1])
    assert book["所管課×計画"]["A1"].value == NO_DEPARTMENTS_IN_PLANS
    mixed = kcdata.combine_plans({"甲市": plan, "乙市": without_departments(plan)})
    assert kcdata.write_corpus_report(mixed, tmp_path / "mixed")


def test_a_comparison_with_a_plan_without_departments(plan, tmp_path):
    result = kcdata.compare_plans(plan, without_departments(plan))
    assert kcdata.status_counts(result)["changed"] == kcdata.plan_totals(plan)["measures"]
    assert kcdata.write_comparison_workbook(result, tmp_path / "diff.xlsx").is_file()

"""Printing the workbooks on A4: page numbers and names, readable text, matrices on one page."""

from __future__ import annotations

import zipfile

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

import kcdata as kc
from kcdata.outputs.figures import OKABE_ITO
from kcdata.outputs.xlsx import ONE_PAGE_ROWS, PRINT_WIDTH, fit_print_width


@pytest.fixture(scope="module")
def summary(tmp_path_factory):
    path = tmp_path_factory.mktemp("print") / "plan.xlsx"
    kc.write_workbook(kc.load_example(), path)
    return path


def _widths(ws) -> list[float]:
    """Every column's width (openpyxl keeps a <col> range under its first letter only)."""
    widths: dict[int, float] = {}
    for dimension in ws.column_dimensions.values():
        if dimension.min and dimension.width:
            for j in range(dimension.min, dimension.max + 1):
                widths[j] = dimension.width
    return [widths.get(j, 0) for j in range(1, ws.max_column + 1)]


def test_every_sheet_prints_its_name_and_page_numbers(summary, tmp_path):
    df = kc.load_example()
    comparison = tmp_path / "diff.xlsx"
    kc.write_comparison_workbook(kc.compare_plans(df, df), comparison)
    for path in (summary, comparison):
        for ws in openpyxl.load_workbook(path):
            assert ws.oddFooter.left.text == "&A", (path.name, ws.title)
            assert ws.oddFooter.right.text == "&P / &N", (path.name, ws.title)
            assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9


def test_the_listing_sheet_is_sized_for_a4_landscape(summary):
    ws = openpyxl.load_workbook(summary)["事業一覧"]
    assert sum(_widths(ws)) <= PRINT_WIDTH + 1
    assert ws.page_setup.fitToWidth in (None, 1) and ws.page_setup.fitToHeight == 0
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows == "$1:$1"  # the header row repeats on every page
    assert ws["F2"].alignment.wrap_text  # the narrowed 事業概要 wraps


def test_a_matrix_sheet_fits_one_page(summary):
    ws = openpyxl.load_workbook(summary)["所管課×基本方針"]
    assert ws.max_row <= ONE_PAGE_ROWS
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.page_setup.fitToHeight in (None, 1)  # absent: the default, one page tall


def test_fit_print_width_narrows_only_text_and_never_below_the_floor():
    assert fit_print_width([10, 80, 60], [False, True, True], budget=100) == [10, 45, 45]
    assert fit_print_width([50, 20], [False, True], budget=40) == [50, 12]  # numbers stay
    assert fit_print_width([30, 30], [True, True], budget=100) == [30, 30]


def test_the_theme_chart_labels_every_theme_in_the_charts_colours(summary):
    themes = kc.theme_summary(kc.load_example())
    with zipfile.ZipFile(summary) as archive:
        charts = [archive.read(n).decode() for n in archive.namelist()
                  if n.startswith("xl/charts/chart")]
    theme_chart = next(c for c in charts if "テーマ別の事業数" in c)
    assert '<c:tickLblSkip val="1"/>' in theme_chart
    series = theme_chart.count("<c:ser>")
    colours = [c.lstrip("#").upper() for c in OKABE_ITO[:series]]
    for colour in colours:
        assert f'<a:srgbClr val="{colour}"/>' in theme_chart
    assert theme_chart.count("<c:pt ") >= len(themes)  # a category for every theme


def test_column_letters_cover_the_listing_sheet(summary):
    ws = openpyxl.load_workbook(summary)["事業一覧"]
    assert all(w > 0 for w in _widths(ws)), [get_column_letter(j + 1) for j in range(ws.max_column)]

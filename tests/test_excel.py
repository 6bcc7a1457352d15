"""Workbooks: safe cells, styled sheets, native charts, atomic save, the summary workbook."""

from __future__ import annotations

import hashlib
import os
import re
from datetime import datetime, timedelta, timezone
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE as OPENPYXL_ILLEGAL

import kcdata
from kcdata import COLUMNS, parse_measures
from kcdata.analysis.summaries import plan_totals
from kcdata.outputs.cells import (
    EXCEL_MAX_CELL_CHARS,
    LINE_HEIGHT,
    CleanLog,
    clean_cell_text,
    wrapped_lines,
)
from kcdata.outputs.overview import OVERVIEW_WIDTH, made_rows, source_rows, write_overview
from kcdata.outputs.tables import SUMMARY_SHEETS, summary_tables
from kcdata.outputs.workbook import write_summary_workbook
from kcdata.outputs.xlsx import add_bar_chart, open_workbook, write_sheet
from kcdata.paths import BUNDLED_DOCUMENT, RAW_DIR
from kcdata.vocab import display_width, label

from .conftest import HEADER_ROW, doc

FORMULA_LIKE = ["=SUM(A1:A3)", "=1+2", "+81-76-220-2111", "-1", "@SUM(A1)", "=HYPERLINK(\"x\")"]


def _all_cells(wb):
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            yield from row


def _write(tmp_path: Path, build, name: str = "book.xlsx"):
    """Write a workbook with ``build(book)``; return it read back by openpyxl."""
    with open_workbook(tmp_path / name) as book:
        build(book)
    return openpyxl.load_workbook(tmp_path / name)


def _one_column(tmp_path: Path, values, sheet: str = "s", log=None):
    """The cells A2, A3, ... of a one-column sheet holding ``values``."""
    table = pd.DataFrame({"x": pd.Series(list(values), dtype=object)})
    wb = _write(tmp_path, lambda book: write_sheet(book, sheet, table))
    return [wb[sheet].cell(row=i, column=1) for i in range(2, len(table) + 2)]


def _sheet_records(ws) -> list[dict[str, object]]:
    rows = list(ws.iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


# --- cells ----------------------------------------------------------------------------------


def test_clean_cell_text_removes_what_openpyxl_forbids_and_keeps_tab_lf_cr():
    for code in range(0x20):
        ch = chr(code)
        cleaned, removed, truncated = clean_cell_text(f"a{ch}b")
        if ch in "\t\n\r":
            assert (cleaned, removed) == (f"a{ch}b", 0)
        else:
            assert OPENPYXL_ILLEGAL.search(ch)
            assert (cleaned, removed) == ("ab", 1)
        assert not truncated
    for ch in ("\ud800", "\udfff", "\ufffe", "\uffff"):
        assert clean_cell_text(f"x{ch}y")[:2] == ("xy", 1)
    assert clean_cell_text("所管課 =A1 @x") == ("所管課 =A1 @x", 0, False)


def test_clean_cell_text_cuts_to_excels_cell_limit():
    text, removed, truncated = clean_cell_text("あ" * (EXCEL_MAX_CELL_CHARS + 5))
    assert len(text) == EXCEL_MAX_CELL_CHARS
    assert (removed, truncated) == (0, True)


def test_display_width_counts_wide_characters_twice():
    assert display_width("abc") == 3
    assert display_width("所管課") == 6
    assert display_width("ＡＢ") == 4  # full-width Latin: "F"
    assert display_width("ｱｲ") == 2  # half-width katakana: "H"
    assert display_width("ab\n所管課です") == 10  # the longest line
    assert display_width("") == 0


@pytest.mark.parametrize("text", FORMULA_LIKE)
def test_formula_like_text_stays_text(tmp_path, text):
    (read,) = _one_column(tmp_path, [text])
    assert read.data_type == "s"
    assert read.value == text
    assert read.quotePrefix  # stays text when edited in Excel


def test_cell_values(tmp_path):
    import numpy as np

    values = [None, float("nan"), pd.NA, ("甲課", "乙課"), np.int64(7), np.bool_(True), 0.25,
              "普通の文字", float("inf")]
    cells = _one_column(tmp_path, values)
    assert [c.value for c in cells] == [None, None, None, "甲課、乙課", 7, True, 0.25,
                                        "普通の文字", None]
    assert type(cells[4].value) is int
    assert cells[7].data_type == "s" and not cells[7].quotePrefix


def test_cells_lose_control_characters_and_the_log_names_them(tmp_path):
    table = pd.DataFrame({"a": ["", ""], "b": ["", ""],
                          "c": ["概要\x00に\x07制御\x1b文字\tタブ", "きれいな文字"]})

    def build(book):
        write_sheet(book, "一覧", table)
        assert (book.log.removed, book.log.truncated, book.log.cells) == (3, 0, ["一覧!C2"])
        assert "3文字" in book.log.note() and "一覧!C2" in book.log.note()

    assert _write(tmp_path, build)["一覧"]["C2"].value == "概要に制御文字\tタブ"
    assert CleanLog().note() == ""
    assert not CleanLog()


# --- sheets ---------------------------------------------------------------------------------


def _sample() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "department": ["市民協働推進課", "税務課", "=課"],
            "listings": pd.array([1200, 3, 1], dtype="int64"),
            "share": [0.5, 0.25, 0.25],
            "summary": ["長い事業概要。" * 30, "短い", "-負の数ではない"],
            "similarity": [0.5, 0.75, 1.0],
        }
    )


def test_write_sheet_styles_a_table(tmp_path):
    from openpyxl.utils import get_column_letter

    df = _sample()
    before = df.copy()
    wb = _write(tmp_path, lambda book: write_sheet(book, "所管課別", df, freeze_columns=1))
    pd.testing.assert_frame_equal(df, before)
    ws = wb["所管課別"]

    headers = [c.value for c in ws[1]]
    assert headers == [label(c) for c in df.columns]
    assert all(c.font.b and c.fill.fgColor.rgb.endswith("DDEBF7") for c in ws[1])
    assert ws.freeze_panes == "B2"
    assert ws.auto_filter.ref == f"A1:E{len(df) + 1}"
    assert ws.print_title_rows == "$1:$1"
    assert (ws.page_setup.orientation, str(ws.page_setup.paperSize)) == ("landscape", "9")
    assert ws.sheet_properties.pageSetUpPr.fitToPage

    widths = {h: ws.column_dimensions[get_column_letter(j)].width
              for j, h in enumerate(headers, start=1)}
    # 市民協働推進課 is 7 wide characters: 14 units, more than the 6-unit header 所管する課.
    assert widths[label("department")] >= display_width("市民協働推進課")
    assert widths[label("summary")] <= 62  # capped...
    assert all(ws.cell(r, 4).alignment.wrap_text for r in range(2, 5))  # ... and wrapped
    assert not ws.cell(2, 1).alignment.wrap_text
    # The long summary (210 wide units in a 62-wide column) gets a row tall enough for it.
    assert ws.row_dimensions[2].height >= 15 * (display_width(df.loc[0, "summary"]) // 62)
    assert ws.row_dimensions[3].height is None

    assert ws["B2"].value == 1200 and ws["B2"].number_format == "#,##0"
    assert ws["C2"].number_format == "0.0%"
    assert ws["E2"].number_format == "0.00"
    assert ws["A4"].value == "=課" and ws["A4"].data_type != "f"
    assert ws["D4"].value == "-負の数ではない"


def test_wrapped_lines():
    assert wrapped_lines("abc", 10) == 1
    assert wrapped_lines("", 10) == 1
    assert wrapped_lines("あ" * 10, 11) == 2  # 20 units in 10-unit lines
    assert wrapped_lines("あ" * 11, 11) == 3
    assert wrapped_lines("a\nb\nc", 10) == 3


def test_write_sheet_labels_override_and_unique_headers(tmp_path):
    df = pd.DataFrame({"department": ["a"], "departments": [("a",)], ("x", 1): [1]})
    sheets = []
    wb = _write(tmp_path, lambda book: sheets.append(write_sheet(book, "s", df,
                                                                 labels={"x-1": "区分"})))
    assert [c.value for c in wb["s"][1]] == sheets[0].headers == [
        "所管する課", "所管する課(2)", "区分"]


def test_write_sheet_index_and_empty_frame(tmp_path):
    df = pd.DataFrame({"listings": [3, 1]}, index=pd.Index(["甲課", "乙課"], name="department"))

    def build(book):
        write_sheet(book, "s", df, index=True)
        write_sheet(book, "e", df.iloc[:0], index=True, as_table=True)

    wb = _write(tmp_path, build)
    ws = wb["s"]
    assert [c.value for c in ws[1]] == ["所管する課", "掲載数"]
    assert ws["A3"].value == "乙課"
    empty = wb["e"]
    assert empty.max_row == 1 and not empty.tables
    assert empty.auto_filter.ref == "A1:B1"


def test_sheet_titles_are_valid_and_unique(tmp_path):
    sheets = []

    def build(book):
        sheets.extend(write_sheet(book, title, _sample())
                      for title in ("a/b:c*?[x]", "a/b:c*?[x]", "長" * 40))

    wb = _write(tmp_path, build)
    a, b, c = (sheet.name for sheet in sheets)
    assert a == "a_b_c___x_"
    assert b != a
    assert len(c) == 31
    assert wb.sheetnames == [a, b, c]


def test_tables_get_unique_names(tmp_path):
    def build(book):
        write_sheet(book, "一", _sample(), as_table=True)
        write_sheet(book, "二", _sample(), as_table=True)
        write_sheet(book, "三", _sample(), as_table=True)

    read = _write(tmp_path, build)
    names = [name for ws in read.worksheets for name in ws.tables]
    assert len(names) == 3 == len({n.lower() for n in names})
    assert all(re.fullmatch(r"[A-Za-z_][0-9A-Za-z_]*", n) for n in names)
    assert read["一"].tables[names[0]].ref == "A1:E4"


def _reference(formula: str) -> str:
    """A chart's cell reference without the optional quotes around the sheet name."""
    sheet, cells = formula.rsplit("!", 1)
    return f"{sheet.strip(chr(39))}!{cells}"


def test_add_bar_chart_references_the_sheet_cells(tmp_path):
    def build(book):
        sheet = write_sheet(book, "所管課別", _sample())
        add_bar_chart(book, sheet, categories="department", values=["掲載数"], title="掲載数")
        with pytest.raises(KeyError):
            add_bar_chart(book, sheet, categories="no such column", values=["掲載数"],
                          title="x")

    read = _write(tmp_path, build)["所管課別"]
    (loaded,) = read._charts
    assert loaded.type == "bar"
    (series,) = loaded.series
    assert _reference(series.val.numRef.f) == "所管課別!$B$2:$B$4"
    assert _reference(series.cat.strRef.f) == "所管課別!$A$2:$A$4"  # the names, as text
    assert not loaded.x_axis.delete and not loaded.y_axis.delete  # both axes shown


def test_add_bar_chart_needs_data_rows(tmp_path):
    def build(book):
        sheet = write_sheet(book, "s", _sample().iloc[:0])
        with pytest.raises(ValueError, match="no data rows"):
            add_bar_chart(book, sheet, categories="department", values=["listings"],
                          title="x")

    _write(tmp_path, build)


# --- atomic save ----------------------------------------------------------------------------


def _save(text: str, path: Path) -> Path:
    with open_workbook(path) as book:
        write_overview(book, "s", [(text, None)])
    return path


def test_save_workbook_has_ordinary_permissions(tmp_path):
    old = os.umask(0o022)
    try:
        path = _save("a", tmp_path / "out" / "book.xlsx")
    finally:
        os.umask(old)
    assert path.stat().st_mode & 0o777 == 0o644
    assert sorted(p.name for p in path.parent.iterdir()) == ["book.xlsx"]


def test_failed_save_leaves_previous_file_and_no_temporary_file(tmp_path, monkeypatch):
    import xlsxwriter

    path = _save("good", tmp_path / "book.xlsx")
    good = path.read_bytes()
    real_close = xlsxwriter.Workbook.close

    def half_close(self):
        real_close(self)
        target = self.filename  # the file pandas opened, or a path
        if hasattr(target, "truncate"):
            target.truncate(100)  # half a workbook on disk, then the failure
        else:
            with open(target, "r+b") as f:
                f.truncate(100)
        raise OSError("disk full")

    monkeypatch.setattr(xlsxwriter.Workbook, "close", half_close)
    with pytest.raises(OSError, match="disk full"):
        _save("bad", path)
    assert path.read_bytes() == good
    assert [p.name for p in tmp_path.iterdir()] == ["book.xlsx"]
    assert openpyxl.load_workbook(path)["s"]["A1"].value == "good"


def test_a_failure_while_building_leaves_no_file(tmp_path):
    path = tmp_path / "book.xlsx"
    with pytest.raises(RuntimeError, match="stop"), open_workbook(path) as book:
        write_sheet(book, "s", _sample())
        raise RuntimeError("stop")
    assert list(tmp_path.iterdir()) == []


def test_save_workbook_refuses_data_raw():
    target = RAW_DIR / "never.xlsx"
    with pytest.raises(PermissionError):
        _save("x", target)
    assert not target.exists()


# --- the 概要 sheet --------------------------------------------------------------------------


def test_source_rows_name_the_file_and_its_sha256(tmp_path):
    source = tmp_path / "sub" / "plan.txt"
    source.parent.mkdir()
    source.write_bytes("基本方針1 方針\n".encode())
    rows = source_rows("旧の文書", source)
    assert rows == [
        ("旧の文書", "plan.txt"),  # the name only: no folder of the user's machine
        ("旧の文書のSHA-256", hashlib.sha256(source.read_bytes()).hexdigest()),
    ]
    assert source_rows("元の文書", None) == [("元の文書", "（指定なし）")]


def test_made_rows_say_when_and_by_what():
    made_at = datetime(2025, 4, 1, 9, 30, tzinfo=timezone(timedelta(hours=9)))
    assert made_rows(made_at) == [
        ("作成日時", "2025-04-01 09:30 (+09:00)"),
        ("作成したプログラム", f"kcdata {kcdata.__version__}"),
    ]
    # By default: now, local time, to the minute with its UTC offset.
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d \([+-]\d\d:\d\d\)",
                        dict(made_rows())["作成日時"])


def test_write_overview_layout(tmp_path):
    long_text = "長い説明です。" * 40
    rows = [
        ("とても長い題名" * 10, None),
        (None, None),
        ("見出し", None),
        ("件数", 12345),
        ("説明", long_text),
        ("=式ではない", "=SUM(A1:A2)"),
        ("黄", "色の説明"),
    ]
    log = CleanLog(removed=1, cells=["一覧!B2"])

    def build(book):
        book.log = log
        write_overview(book, "概要", rows, key_fills={"黄": "FFF2CC"})

    ws = _write(tmp_path, build)["概要"]
    assert ws["A1"].font.b and ws["A1"].font.sz == 14
    assert ws["A3"].font.b and not ws["A4"].font.b and not ws["A5"].font.b
    assert ws["B4"].value == 12345 and ws["B4"].number_format == "#,##0"
    assert ws["B5"].alignment.wrap_text and ws["B5"].alignment.vertical == "top"
    lines = wrapped_lines(long_text, OVERVIEW_WIDTH)
    assert ws.row_dimensions[5].height == lines * LINE_HEIGHT and lines > 2
    assert ws["A6"].data_type == ws["B6"].data_type == "s"  # text, never a formula
    assert ws["B6"].value == "=SUM(A1:A2)"
    assert ws["A7"].fill.fgColor.rgb.endswith("FFF2CC") and ws["A6"].fill.fill_type is None
    assert (ws["A9"].value, ws["B9"].value) == ("注意", log.note())  # after a blank row
    assert ws.max_row == 9
    # The key column fits the keys, not the title (which runs on over the empty B1).
    keys = [k for k, _ in rows[1:] if k]
    assert ws.column_dimensions["A"].width == max(map(display_width, keys)) + 2
    assert ws.column_dimensions["B"].width == OVERVIEW_WIDTH
    assert str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4
    assert ws.sheet_properties.pageSetUpPr.fitToPage


def test_write_overview_without_changes_adds_no_note(tmp_path):
    wb = _write(tmp_path, lambda book: write_overview(book, "概要", [("題", None), ("a", "b")]))
    assert wb["概要"].max_row == 2


# --- the summary workbook -------------------------------------------------------------------


@pytest.fixture(scope="module")
def bundled_book(tmp_path_factory):
    from kcdata import read_measures

    df = read_measures(BUNDLED_DOCUMENT)
    made_at = datetime(2025, 4, 1, 9, 30, tzinfo=timezone(timedelta(hours=9)))
    path = tmp_path_factory.mktemp("book") / "summary.xlsx"
    write_summary_workbook(df, path, source=BUNDLED_DOCUMENT, made_at=made_at)
    return df, openpyxl.load_workbook(path)


def _overview(wb) -> dict[str, object]:
    return {a: b for a, b in wb["概要"].iter_rows(values_only=True) if a is not None}


def test_summary_workbook_sheets_and_headers(bundled_book):
    _, wb = bundled_book
    assert tuple(wb.sheetnames) == SUMMARY_SHEETS == (
        "概要", "事業一覧", "基本方針別", "所管課別", "所管課×基本方針", "再掲",
        "テーマ別", "テーマ該当事業",
    )
    for name in SUMMARY_SHEETS[1:]:
        ws = wb[name]
        headers = [c.value for c in ws[1]]
        assert all(isinstance(h, str) and re.search(r"[\u3040-\u9fff]", h) for h in headers)
        assert ws.freeze_panes in ("A2", "B2")
        assert ws.auto_filter.ref == f"A1:{ws.cell(1, ws.max_column).column_letter}{ws.max_row}"
        assert all(c.font.b for c in ws[1])
    assert [c.value for c in wb["事業一覧"][1]] == [label(c) for c in COLUMNS]


def test_summary_tables_in_japanese_have_the_workbook_headers(bundled_book):
    df, wb = bundled_book
    tables = summary_tables(df, japanese=True)
    for name, table in tables.items():
        assert list(table.columns) == [c.value for c in wb[name][1]], name
        assert len(table) == wb[name].max_row - 1
    assert "所管課の数" in tables["基本方針別"].columns  # a count, not the names
    assert "所管する課" in tables["事業一覧"].columns


def test_summary_workbook_lists_every_listing(bundled_book):
    df, wb = bundled_book
    records = _sheet_records(wb["事業一覧"])
    assert len(records) == len(df) == 110
    assert [r[label("line")] for r in records] == df["line"].tolist()
    assert [r[label("measure")] for r in records] == df["measure"].tolist()
    assert [r[label("summary")] or "" for r in records] == df["summary"].tolist()
    assert [r[label("departments")] for r in records] == df["departments"].map("、".join).tolist()
    assert sum(r[label("relisted")] == "○" for r in records) == 2


def test_summary_workbook_overview(bundled_book):
    _, wb = bundled_book
    overview = _overview(wb)
    assert overview["元の文書"] == BUNDLED_DOCUMENT.name
    digest = hashlib.sha256(BUNDLED_DOCUMENT.read_bytes()).hexdigest()
    assert overview["元の文書のSHA-256"] == digest
    assert overview["作成日時"] == "2025-04-01 09:30 (+09:00)"
    assert overview["作成したプログラム"] == f"kcdata {kcdata.__version__}"
    totals = {k.split("（")[0]: v for k, v in overview.items() if isinstance(v, int)}
    assert totals == {
        "掲載数": 110, "うち【再掲】": 2, "事業数": 108, "所管課の数": 33,
        "掲載と所管課の組の数": 113, "共管の掲載数": 3, "基本方針の数": 4, "施策の方向性の数": 10,
    }
    texts = " ".join(str(v) for v in overview.values())
    assert "【再掲】の行も1件" in texts and "課ごとに1件" in texts
    assert "注意" not in overview  # nothing had to be cleaned


def test_summary_workbook_tables_agree_with_the_totals(bundled_book):
    _, wb = bundled_book
    departments = _sheet_records(wb["所管課別"])
    assert len(departments) == 33
    assert sum(r["掲載数"] for r in departments) == 113
    assert sum(r["構成比"] for r in departments) == pytest.approx(1.0)
    assert wb["所管課別"]["G2"].number_format == "0.0%"
    policies = _sheet_records(wb["基本方針別"])
    assert sum(r["掲載数"] for r in policies) == 110
    assert sum(r["うち再掲"] for r in policies) == 2
    matrix = _sheet_records(wb["所管課×基本方針"])
    assert [r["所管する課"] for r in matrix] == [r["所管する課"] for r in departments]
    assert all(r["計"] == sum(v for k, v in r.items() if k.startswith("基本方針")) for r in matrix)
    assert sum(r["計"] for r in matrix) == 113
    links = _sheet_records(wb["再掲"])
    assert len(links) == 2
    assert all(r["内容の一致"] in ("一致", "不一致") for r in links)


def test_summary_workbook_charts(bundled_book):
    _, wb = bundled_book
    charts = {ws.title: ws._charts for ws in wb.worksheets}
    assert {name for name, c in charts.items() if c} == {"基本方針別", "所管課別", "テーマ別"}
    (theme_chart,) = charts["テーマ別"]
    assert len(theme_chart.series) == 4  # one per 基本方針, stacked
    assert theme_chart.grouping == "stacked"
    (policy_chart,) = charts["基本方針別"]
    assert len(policy_chart.series) == 2  # 事業数 + うち再掲, stacked: the bar is 掲載数
    assert policy_chart.grouping == "stacked"
    assert all(_reference(s.val.numRef.f).startswith("基本方針別!")
               for s in policy_chart.series)
    (department_chart,) = charts["所管課別"]
    (series,) = department_chart.series
    assert _reference(series.val.numRef.f) == "所管課別!$B$2:$B$34"


def test_summary_workbook_has_no_formula(bundled_book):
    _, wb = bundled_book
    assert not [c.coordinate for c in _all_cells(wb) if c.data_type == "f"]


def _formula_document() -> str:
    return doc(
        "基本方針1 =方針",
        "施策の方向性(1) +方向",
        HEADER_ROW,
        "=SUM(A1:A3)\t+81 76 220 2111\t@課",
        "-1事業\t=HYPERLINK(\"http://example.com\")\t-課 =課",
        "【再掲】=SUM(A1:A3)\t+81 76 220 2111\t@課",
    )


def test_formula_like_document_gives_a_workbook_without_formulas(tmp_path):
    df = parse_measures(_formula_document())
    # The parser kept the leading characters: the test exercises them.
    assert df["measure"].str[0].tolist() == ["=", "-", "="]
    assert df["summary"].str[0].tolist() == ["+", "=", "+"]
    path = write_summary_workbook(df, tmp_path / "f.xlsx")
    wb = openpyxl.load_workbook(path)
    assert not [c.coordinate for c in _all_cells(wb) if c.data_type == "f"]
    records = _sheet_records(wb["事業一覧"])
    assert [r["事業名"] for r in records] == df["measure"].tolist()
    assert [r["事業概要"] for r in records] == df["summary"].tolist()
    assert [r["所管する課"] for r in records] == df["departments"].map("、".join).tolist()
    assert [r["基本方針名"] for r in records] == df["policy"].tolist()
    departments = {r["所管する課"] for r in _sheet_records(wb["所管課別"])}
    assert departments == {"@課", "-課", "=課"}
    assert {r["事業名"] for r in _sheet_records(wb["再掲"])} == {"=SUM(A1:A3)"}
    assert _overview(wb)["元の文書"] == "（指定なし）"
    assert "元の文書のSHA-256" not in _overview(wb)  # no hash of a file not given


def test_control_characters_are_removed_with_a_note(tmp_path):
    text = doc(
        "基本方針1 方針",
        "施策の方向性(1) 方向",
        HEADER_ROW,
        "A\x01事業\t概要\x07です\x1b\t甲課",
        "B事業\t普通\t乙課\x0b",
    )
    df = parse_measures(text)
    assert "\x07" in df.loc[0, "summary"]  # the parser kept it: the workbook must cope
    path = write_summary_workbook(df, tmp_path / "c.xlsx")
    wb = openpyxl.load_workbook(path)
    records = _sheet_records(wb["事業一覧"])
    assert records[0]["事業名"] == "A事業"
    assert records[0]["事業概要"] == "概要です"
    note = _overview(wb)["注意"]
    removed = sum(ch in "\x01\x07\x1b\x0b" for v in df.astype(str).to_numpy().ravel() for ch in v)
    assert f"{removed}文字" in note
    assert "事業一覧!E2" in note


def test_summary_tables_and_totals_are_pure(bundled):
    before = bundled.copy()
    tables = summary_tables(bundled)
    totals = plan_totals(bundled)
    pd.testing.assert_frame_equal(bundled, before)
    assert list(tables) == list(SUMMARY_SHEETS[1:])
    assert totals["pairs"] == tables["所管課×基本方針"]["total"].sum()
    assert totals["listings"] == len(tables["事業一覧"])


def test_summary_workbook_default_time(bundled, tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    wb = openpyxl.load_workbook(write_summary_workbook(bundled, tmp_path / "s.xlsx"))
    made = _overview(wb)["作成日時"]  # local time, with its UTC offset
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d \([+-]\d\d:\d\d\)", made)


def test_import_kcdata_does_not_import_openpyxl_or_xlsxwriter():
    import subprocess
    import sys

    code = ("import sys, kcdata, kcdata.outputs.workbook, kcdata.outputs.report; "
            "print('openpyxl' in sys.modules, 'xlsxwriter' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False False"


def test_summary_tables_of_some_sheets_skip_the_theme_search(bundled, tmp_path):
    full = summary_tables(bundled)
    missing = tmp_path / "no_such_dictionary.toml"  # loading it would raise
    some = summary_tables(bundled, sheets=["再掲", "事業一覧"], themes=missing)
    assert list(some) == ["事業一覧", "再掲"]  # workbook order
    for name, table in some.items():
        pd.testing.assert_frame_equal(table, full[name])
    from kcdata.analysis.themes import ThemeError

    with pytest.raises(ThemeError, match="no_such_dictionary"):
        summary_tables(bundled, sheets=["テーマ別"], themes=missing)


# --- text that needs care, in the summary workbook ---------------------------------------------


def test_formula_like_and_control_characters_in_the_summary_workbook(tmp_path):
    df = kcdata.read_measures(BUNDLED_DOCUMENT)
    df.loc[3, "summary"] = "=危険な\x07式"  # a formula-like text and a control character
    made = datetime(2026, 11, 29, 12, 0, tzinfo=timezone(timedelta(hours=9)))
    path = write_summary_workbook(df, tmp_path / "s.xlsx", source=BUNDLED_DOCUMENT,
                                  made_at=made)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == list(SUMMARY_SHEETS)
    cell = book["事業一覧"]["F5"]
    assert (cell.value, cell.data_type, cell.quotePrefix) == ("=危険な式", "s", True)
    assert cell.alignment.wrap_text  # the 事業概要 column's format, kept with the prefix
    assert "事業一覧!F5" in book["概要"]["B" + str(book["概要"].max_row)].value


def test_an_excel_table_names_its_columns_after_the_header_row(tmp_path):
    table = pd.DataFrame({"measure": ["A事業"], "listings": [1]})
    ws = _write(tmp_path, lambda book: write_sheet(book, "表", table, as_table=True))["表"]
    (table,) = ws.tables.values()
    assert table.column_names == [c.value for c in ws[1]] == ["事業名", "掲載数"]
    assert table.autoFilter.ref == table.ref == "A1:B2"


def test_a_matrix_wider_than_excel_is_refused_before_any_file(tmp_path, monkeypatch):
    from kcdata import limits
    from kcdata.limits import ExcelLimitError

    df = kcdata.read_measures(BUNDLED_DOCUMENT)  # 4 基本方針: a 所管課×基本方針 of 6 columns
    monkeypatch.setattr(limits, "EXCEL_MAX_COLUMNS", 5)
    with pytest.raises(ExcelLimitError, match="sheet 所管課×基本方針 would have 6 columns"):
        write_summary_workbook(df, tmp_path / "wide.xlsx")
    assert list(tmp_path.iterdir()) == []

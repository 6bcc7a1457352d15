"""Spreadsheets as sources: .xlsx and .csv read through the same engine as text.

Every workbook here is built with openpyxl in the test; formulas with a cached
value are made by adding the value to the saved sheet's XML, as a
spreadsheet program would.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import warnings
import zipfile
from pathlib import Path

import pandas as pd
import pytest

import kcdata
from kcdata.cli import main
from kcdata.io.sheets import (
    PlanWarning,
    join_line_breaks,
    read_source_table,
    read_spreadsheet,
)
from kcdata.outputs import workbook as excel
from kcdata.paths import BUNDLED_DOCUMENT

DOC_LINES = BUNDLED_DOCUMENT.read_text(encoding="utf-8").splitlines()
KEY_COLUMNS = ["policy_no", "policy", "direction_no", "direction", "measure", "summary",
               "departments", "relisted"]
HEADER = ["事業名", "事業概要", "所管する課"]


def workbook(rows, *, title="事業一覧", merges=(), formats=None, extra_sheets=()):
    """An openpyxl Workbook with one sheet holding ``rows`` (lists of values; None = empty)."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = title
    for r, row in enumerate(rows, 1):
        for c, value in enumerate(row, 1):
            if value is not None and value != "":
                cell = ws.cell(r, c, value)
                if isinstance(value, str):
                    cell.data_type = "s"  # text, even when it starts with "="
    for ref in merges:
        ws.merge_cells(ref)
    for ref, fmt in (formats or {}).items():
        ws[ref].number_format = fmt
    for name in extra_sheets:
        wb.create_sheet(name)
    return wb


def save(wb, path: Path) -> Path:
    wb.save(path)
    return path


def doc_rows(lines=DOC_LINES):
    """The document's lines as sheet rows: one cell per TAB-separated field."""
    return [line.split("\t") if line.strip() else [] for line in lines]


def read_quiet(path, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("error", PlanWarning)
        return kcdata.read_measures(path, **kwargs)


@pytest.fixture(scope="module")
def bundled_table():
    return kcdata.read_measures(BUNDLED_DOCUMENT)


# --- the bundled plan, in each form a spreadsheet gives it -------------------------------------


def test_summary_workbook_round_trip(tmp_path, bundled_table):
    path = excel.write_summary_workbook(bundled_table, tmp_path / "summary.xlsx")
    back = read_quiet(path)
    pd.testing.assert_frame_equal(back[KEY_COLUMNS], bundled_table[KEY_COLUMNS])
    assert (back["sheet"] == "事業一覧").all()
    assert back["line"].tolist() == list(range(2, 112))  # the sheet rows under the header


def test_processed_csv_round_trip(bundled_table):
    from kcdata.paths import PROCESSED_DIR

    back = read_quiet(PROCESSED_DIR / "measures.csv")
    pd.testing.assert_frame_equal(back[KEY_COLUMNS], bundled_table[KEY_COLUMNS])
    assert "sheet" not in back.columns


def test_document_as_workbook_reads_equal(tmp_path, bundled_table):
    path = save(workbook(doc_rows()), tmp_path / "plan.xlsx")
    back = read_quiet(path)
    pd.testing.assert_frame_equal(back.drop(columns="sheet"), bundled_table)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp932"])
def test_document_as_csv_reads_equal(tmp_path, bundled_table, encoding):
    import csv

    path = tmp_path / "plan.csv"
    with open(path, "w", encoding=encoding, newline="") as f:
        csv.writer(f, lineterminator="\r\n").writerows(doc_rows())
    back = read_quiet(path)
    pd.testing.assert_frame_equal(back, bundled_table)


def test_title_block_above_the_header(tmp_path, bundled_table):
    rows = [["金沢市地域コミュニティ活性化推進計画　事業一覧"], [], *doc_rows()]
    path = save(workbook(rows, merges=["A1:C1"]), tmp_path / "titled.xlsx")
    table = read_source_table(path)
    assert table.lines[0] == "金沢市地域コミュニティ活性化推進計画　事業一覧"  # one text line
    back = read_quiet(path)
    pd.testing.assert_frame_equal(back[KEY_COLUMNS], bundled_table[KEY_COLUMNS])
    assert back["line"].tolist() == [n + 2 for n in bundled_table["line"]]


def test_a_workbook_is_parsed_from_the_bytes_read_once(tmp_path, capsys, monkeypatch):
    """The workbook is parsed from the bytes read (whose SHA-256 the outputs show), not
    from the path opened again: a file replaced after it was read changes nothing."""
    import kcdata.cli
    import kcdata.io.source

    path = save(workbook(small_plan(["A事業", "概要", "甲課"])), tmp_path / "plan.xlsx")
    first = path.read_bytes()
    save(workbook(small_plan(["B事業", "概要", "乙課"])), path)  # the file now holds B
    second = path.read_bytes()
    assert read_spreadsheet(path, data=first)["measure"].tolist() == ["A事業"]
    assert read_source_table(path, data=first).lines[-1] == "A事業\t概要\t甲課"

    real = kcdata.io.source.read_source

    def read_then_replace(name, **kwargs):  # the file changes right after it is read
        source = real(name, **kwargs)
        save(workbook(small_plan(["C事業", "概要", "丙課"])), path)
        return source

    monkeypatch.setattr(kcdata.cli, "read_source", read_then_replace)
    df, source = kcdata.cli._load(path)
    assert df["measure"].tolist() == ["B事業"]  # what was read, though the file holds C now
    assert path.read_bytes() != second
    assert source.sha256 == hashlib.sha256(second).hexdigest()


# --- cells -------------------------------------------------------------------------------------


def small_plan(*rows, header=HEADER):
    return [["基本方針1 地域の醸成"], ["施策の方向性(1) 理解の促進"], header, *rows]


def test_line_breaks_in_cells(tmp_path):
    rows = small_plan(
        ["地域コミュニティの\n醸成事業", "まちづくり\nHUB\r\nProject を 支援", "甲課\n乙課"],
    )
    df = read_quiet(save(workbook(rows), tmp_path / "breaks.xlsx"))
    assert df.loc[0, "measure"] == "地域コミュニティの醸成事業"
    assert df.loc[0, "summary"] == "まちづくりHUB Projectを支援"
    assert df.loc[0, "departments"] == ("甲課", "乙課")


def test_join_line_breaks_rule():
    assert join_line_breaks("令和7年\n4月") == "令和7年4月"
    assert join_line_breaks("HUB \n Project") == "HUB Project"
    assert join_line_breaks("ICT\n推進") == "ICT推進"
    assert join_line_breaks("a\tb") == "a b"


def test_codes_that_look_like_dates_come_back_as_shown(tmp_path):
    rows = small_plan(
        [dt.datetime(2026, 1, 2), "日付に見える事業名", "甲課"],
        [11111, "数値の事業名", "乙課"],
        [123, "ゼロ埋めの事業名", "丙課"],
        [11111.0, "小数点なし", "丁課"],
    )
    wb = workbook(rows, formats={"A4": "m-d", "A6": "00000"})
    df = read_quiet(save(wb, tmp_path / "codes.xlsx"))
    assert df["measure"].tolist() == ["1-2", "11111", "00123", "11111"]


def test_a_japanese_builtin_date_format(tmp_path):
    # Japanese Excel stores 「1月2日」 as built-in format 56, which openpyxl reads as General.
    rows = small_plan([dt.datetime(2026, 1, 2), "概要", "甲課"])
    path = save(workbook(rows, formats={"A4": 'm"月"d"日"'}), tmp_path / "ja.xlsx")
    with zipfile.ZipFile(path) as z:
        parts = {name: z.read(name) for name in z.namelist()}
    styles = parts["xl/styles.xml"].decode()
    custom = re.search(r'<numFmt numFmtId="(\d+)" formatCode="m&quot;月&quot;d&quot;日&quot;"',
                       styles).group(1)
    styles = re.sub(r"<numFmts.*?</numFmts>", "", styles)
    parts["xl/styles.xml"] = styles.replace(f'numFmtId="{custom}"', 'numFmtId="56"').encode()
    with zipfile.ZipFile(path, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    assert read_quiet(path).loc[0, "measure"] == "1月2日"


def with_cached_values(path: Path, values: dict[str, str]) -> Path:
    """Add a cached string value to formula cells, as a spreadsheet program saves them."""
    with zipfile.ZipFile(path) as z:
        parts = {name: z.read(name) for name in z.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    for ref, value in values.items():
        sheet, n = re.subn(rf'<c r="{ref}"([^>]*)><f>(.*?)</f><v\s*/>',
                           rf'<c r="{ref}"\1 t="str"><f>\2</f><v>{value}</v>', sheet)
        if n == 0:
            sheet, n = re.subn(rf'<c r="{ref}"([^>]*)><f>(.*?)</f>(?:<v></v>)?',
                               rf'<c r="{ref}"\1 t="str"><f>\2</f><v>{value}</v>', sheet)
        assert n == 1, ref
    parts["xl/worksheets/sheet1.xml"] = sheet.encode()
    with zipfile.ZipFile(path, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return path


def test_formula_with_a_cached_value_gives_the_value(tmp_path):
    wb = workbook(small_plan(["甲事業", "概要", "甲課"]))
    wb.active["C4"] = '=IF(TRUE,"乙課","")'
    path = with_cached_values(save(wb, tmp_path / "f.xlsx"), {"C4": "乙課"})
    df = read_quiet(path)
    assert df.loc[0, "departments"] == ("乙課",)


def test_formula_without_a_cached_value_warns_and_keeps_its_text(tmp_path):
    wb = workbook(small_plan(["甲事業", "概要", "甲課"]))
    wb.active["B4"] = '=CONCAT("概","要")'
    path = save(wb, tmp_path / "f.xlsx")
    with pytest.warns(PlanWarning, match=r"B4 holds the formula") as record:
        df = kcdata.read_measures(path)
    assert record[0].message.line == 4
    assert df.loc[0, "summary"] == '=CONCAT("概","要")'


def test_hidden_rows_and_columns_are_read_and_warned_about(tmp_path):
    wb = workbook(small_plan(["甲事業", "概要", "甲課"], ["乙事業", "隠れた行", "乙課"]))
    wb.active.row_dimensions[5].hidden = True
    wb.active.column_dimensions["B"].hidden = True
    path = save(wb, tmp_path / "hidden.xlsx")
    with pytest.warns(PlanWarning) as record:
        df = kcdata.read_measures(path)
    assert df["measure"].tolist() == ["甲事業", "乙事業"]
    assert df["summary"].tolist() == ["概要", "隠れた行"]
    messages = {w.message.message: w.message.line for w in record}
    assert messages["row 5 hidden in the sheet: read all the same"] == 5
    assert messages["column B hidden in the sheet: read all the same"] == 3


def test_cells_outside_the_table_are_warned_about(tmp_path):
    rows = small_plan(["甲事業", "概要", "甲課", None, "メモ"])
    with pytest.warns(PlanWarning, match="outside the table's columns") as record:
        df = kcdata.read_measures(save(workbook(rows), tmp_path / "memo.xlsx"))
    assert record[0].message.line == 4
    assert df["departments"].tolist() == [("甲課",)]


def test_a_format_not_understood_is_warned_about(tmp_path):
    rows = small_plan([1.5, "分数の書式", "甲課"])
    path = save(workbook(rows, formats={"A4": "# ?/?"}), tmp_path / "fraction.xlsx")
    with pytest.warns(PlanWarning, match="not understood"):
        df = kcdata.read_measures(path)
    assert df.loc[0, "measure"] == "1.5"


# --- sheets ------------------------------------------------------------------------------------


def test_the_sheet_named_jigyo_ichiran_is_chosen(tmp_path):
    wb = workbook(small_plan(["甲事業", "概要", "甲課"]), extra_sheets=["メモ"])
    wb.move_sheet("メモ", offset=-1)
    df = read_quiet(save(wb, tmp_path / "two.xlsx"))
    assert df["sheet"].tolist() == ["事業一覧"]


def test_sheet_by_name(tmp_path):
    wb = workbook(small_plan(["甲事業", "概要", "甲課"]), title="令和7年度", extra_sheets=["メモ"])
    path = save(wb, tmp_path / "named.xlsx")
    assert read_quiet(path, sheet="令和7年度")["sheet"].tolist() == ["令和7年度"]
    with pytest.raises(kcdata.ParseError, match="the sheets are: 令和7年度、メモ"):
        kcdata.read_measures(path)
    with pytest.raises(kcdata.ParseError, match="no sheet named 'x'"):
        kcdata.read_measures(path, sheet="x")


def test_errors_name_the_sheet_and_row(tmp_path):
    rows = small_plan(["甲事業", "概要", None])
    with pytest.raises(kcdata.ParseError) as info:
        kcdata.read_measures(save(workbook(rows, title="計画"), tmp_path / "bad.xlsx"))
    assert (info.value.sheet, info.value.line) == ("計画", 4)
    assert info.value.reason.startswith("empty 所管する課 in 「")


# --- bad files ---------------------------------------------------------------------------------


def bad_files(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    """Each bad spreadsheet with the start of the reason it gets."""
    old = tmp_path / "old.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    ods = tmp_path / "plan.ods"
    ods.write_bytes(b"PK\x03\x04")
    encrypted = tmp_path / "locked.xlsx"
    encrypted.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    corrupt = tmp_path / "corrupt.xlsx"
    corrupt.write_bytes(b"PK\x03\x04 this is not a zip")
    not_a_workbook = tmp_path / "other.xlsx"
    with zipfile.ZipFile(not_a_workbook, "w") as z:
        z.writestr("hello.txt", "a zip, not a workbook")
    empty = save(workbook([]), tmp_path / "empty.xlsx")
    headerless = save(workbook([["基本方針1 方針"], ["甲事業", "概要", "甲課"]]),
                      tmp_path / "headerless.xlsx")
    empty_csv = tmp_path / "empty.csv"
    empty_csv.write_bytes(b"")
    latin = tmp_path / "latin.csv"
    latin.write_bytes("事業名,所管する課\n".encode("utf-16"))
    return {
        "xls": (old, "an Excel 97-2003 workbook (.xls) is not read"),
        "ods": (ods, "an OpenDocument spreadsheet (.ods) is not read"),
        "encrypted": (encrypted, "a password-protected (encrypted) workbook"),
        "corrupt": (corrupt, "not a readable .xlsx workbook"),
        "not a workbook": (not_a_workbook, "not a readable .xlsx workbook"),
        "empty sheet": (empty, "the sheet is empty"),
        "no header": (headerless, "no header row found"),
        "empty csv": (empty_csv, "the file is empty"),
        "unknown encoding": (latin, "the bytes are none of the accepted encodings"),
    }


@pytest.mark.parametrize("case", ["xls", "ods", "encrypted", "corrupt", "not a workbook",
                                  "empty sheet", "no header", "empty csv", "unknown encoding"])
def test_bad_files_are_refused_with_a_reason(tmp_path, case):
    path, reason = bad_files(tmp_path)[case]
    with pytest.raises(kcdata.ParseError) as info:
        kcdata.read_measures(path)
    assert reason in info.value.reason
    if case in ("xls", "ods", "encrypted"):
        assert ".xlsx" in info.value.reason  # how to convert


@pytest.mark.parametrize("case", ["xls", "encrypted", "corrupt", "empty sheet", "no header"])
def test_cli_refuses_bad_files_without_a_traceback(tmp_path, capsys, case):
    path, reason = bad_files(tmp_path)[case]
    assert main(["check", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"{path}:")
    assert reason in err
    assert "Traceback" not in err


def test_cli_diff_across_source_kinds(tmp_path, capsys, bundled_table):
    edited = bundled_table.copy()
    edited.loc[0, "measure"] = "新しい名前の事業"
    path = excel.write_summary_workbook(edited, tmp_path / "edited.xlsx")
    assert main(["diff", str(BUNDLED_DOCUMENT), str(path)]) == 0
    out = capsys.readouterr().out
    assert "0 added, 0 removed, 1 renamed, 0 changed, 0 renumbered, 107 unchanged" in out
    assert "校下(地区)町会連合会50周年記念事業 -> 新しい名前の事業" in out
    assert main(["check", str(path), "--sheet", "事業一覧"]) == 0
    assert main(["check", str(path), "--sheet", "概要"]) == 2
    assert "no header row found" in capsys.readouterr().err


def test_read_spreadsheet_is_what_read_measures_calls(tmp_path, bundled_table):
    path = excel.write_summary_workbook(bundled_table, tmp_path / "s.xlsx")
    pd.testing.assert_frame_equal(read_spreadsheet(path), read_quiet(path))


def test_csv_line_is_where_the_row_starts(tmp_path):
    text = (
        "基本方針1 方針\n施策の方向性(1) 方向\n事業名,事業概要,所管する課\n"
        '甲事業,"二行の\n概要",甲課\n乙事業,概要,乙課\n'
    )
    path = tmp_path / "multiline.csv"
    path.write_text(text, encoding="utf-8")
    df = read_quiet(path)
    assert df["line"].tolist() == [4, 6]
    assert df["summary"].tolist() == ["二行の概要", "概要"]


def test_hidden_empty_rows_are_not_warned_about(tmp_path):
    wb = workbook(small_plan(["甲事業", "概要", "甲課"]))
    wb.active.row_dimensions[40].hidden = True
    wb.active.column_dimensions["H"].hidden = True
    assert read_quiet(save(wb, tmp_path / "h.xlsx"))["measure"].tolist() == ["甲事業"]


def test_summary_workbook_with_a_bad_relisted_mark(tmp_path, bundled_table):
    from openpyxl import load_workbook

    path = excel.write_summary_workbook(bundled_table, tmp_path / "summary.xlsx")
    wb = load_workbook(path)
    wb["事業一覧"]["H7"] = "x"
    wb.save(path)
    with pytest.raises(kcdata.ParseError, match="再掲 must be ○ or empty, found 「x」") as info:
        kcdata.read_measures(path)
    assert info.value.line == 7


def test_header_cells_with_breaks_and_spaces(tmp_path):
    header = ["事業名", "事業\n概要", "所管する課"]
    rows = small_plan(["甲事業", "概要", "甲課\n乙課"], header=header)
    df = read_quiet(save(workbook(rows), tmp_path / "header.xlsx"))
    assert df.loc[0, "departments"] == ("甲課", "乙課")
    rows = small_plan(["甲事業", "概要", "甲課"], header=["事業　名", "事業概要", "所管する課"])
    table = read_source_table(save(workbook(rows), tmp_path / "spaced.xlsx"))
    assert table.header_row == 3


def test_damaged_workbooks_give_a_parse_error(tmp_path, bundled_table):
    """Truncated files and flipped bytes: always a ParseError, never another exception."""
    import random

    data = excel.write_summary_workbook(bundled_table, tmp_path / "s.xlsx").read_bytes()
    rng = random.Random(11)
    damaged = [data[: len(data) * k // 8] for k in range(1, 8)]
    for _ in range(12):
        flipped = bytearray(data)
        for _ in range(8):
            flipped[rng.randrange(len(flipped))] = rng.randrange(256)
        damaged.append(bytes(flipped))
    refused = 0
    for k, content in enumerate(damaged):
        path = tmp_path / f"damaged{k}.xlsx"
        path.write_bytes(content)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                kcdata.read_measures(path)
        except kcdata.ParseError:
            refused += 1
    assert refused >= len(damaged) - 2  # a flip may land where nothing is read


# --- hierarchy in columns: merged cells, one row per department, a title block -----------------


def hierarchy_workbook(df, *, title_block=True, merged=True, per_department=True):
    """The plan as a table whose levels are columns, the way a city's 進捗管理表 holds it.

    基本方針 and 施策の方向性 cells span their section's rows (merged, or blank
    below the first row: "same as above"); with ``per_department`` a co-managed
    listing takes one row per department under merged 事業名 and 事業概要 cells.
    """
    rows, merges = [], []
    if title_block:
        rows += [["地域コミュニティ活性化推進計画　具体的な施策"], ["令和7年4月　市民協働推進課"],
                 []]
        merges += ["A1:E1"]
    rows.append(["基本方針", "施策の方向性", "事業名", "事業概要", "所管する課"])
    first = {}
    for listing in df.itertuples():
        name = ("【再掲】" if listing.relisted else "") + listing.measure
        parts = [(d,) for d in listing.departments] if per_department else [listing.departments]
        start = len(rows) + 1
        for k, departments in enumerate(parts):
            head = k == 0
            rows.append([
                f"{listing.policy_no} {listing.policy}",
                f"({listing.direction_no}) {listing.direction}",
                name if head else None,
                listing.summary if head else None,
                " ".join(departments),
            ])
        if len(parts) > 1 and merged:
            merges += [f"C{start}:C{len(rows)}", f"D{start}:D{len(rows)}"]
        for column, key in (("A", listing.policy_no), ("B", (listing.policy_no,
                                                           listing.direction_no))):
            first.setdefault((column, key), [start, len(rows)])[1] = len(rows)
    for (column, _), (top, bottom) in first.items():
        j = "AB".index(column)
        for r in range(top + 1, bottom + 1):
            rows[r - 1][j] = None  # same as above: merged, or simply blank
        if merged and bottom > top:
            merges.append(f"{column}{top}:{column}{bottom}")
    return workbook(rows, merges=merges)


@pytest.mark.parametrize("layout", [None, "kanazawa", "generic"])
@pytest.mark.parametrize("merged", [True, False], ids=["merged", "blank"])
def test_hierarchy_columns_read_equal(tmp_path, bundled_table, layout, merged):
    sheet = hierarchy_workbook(bundled_table, merged=merged, per_department=merged)
    path = save(sheet, tmp_path / "table.xlsx")
    back = read_quiet(path, layout=layout)
    pd.testing.assert_frame_equal(back[KEY_COLUMNS], bundled_table[KEY_COLUMNS])
    assert back["line"].is_monotonic_increasing and back["line"].iloc[0] == 5


def test_one_row_per_department_is_one_listing(tmp_path, bundled_table):
    path = save(hierarchy_workbook(bundled_table), tmp_path / "table.xlsx")
    table = read_source_table(path)
    co_managed = bundled_table[bundled_table["departments"].map(len) > 1]
    assert len(co_managed) == 3
    assert len(table.lines) == 4 + len(bundled_table) + 3  # title block, header, one extra row each
    assert sum(1 for m in table.merged_above if {2, 3} <= m) == 3
    back = read_quiet(path)
    assert len(back) == 110
    assert back["departments"].map(len).sum() == 113


@pytest.mark.parametrize("layout", ["kanazawa", "generic"])
def test_summary_workbook_round_trip_for_each_layout(tmp_path, bundled_table, layout):
    path = excel.write_summary_workbook(bundled_table, tmp_path / "summary.xlsx")
    back = read_quiet(path, layout=layout)
    pd.testing.assert_frame_equal(back[KEY_COLUMNS], bundled_table[KEY_COLUMNS])


@pytest.mark.parametrize("layout", ["kanazawa", "generic"])
def test_document_as_csv_for_each_layout(tmp_path, bundled_table, layout):
    import csv

    path = tmp_path / "plan.csv"
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f).writerows(doc_rows())
    back = read_quiet(path, layout=layout)
    pd.testing.assert_frame_equal(back[KEY_COLUMNS], bundled_table[KEY_COLUMNS])


def test_summary_workbook_edited_by_a_colleague(tmp_path, bundled_table):
    """A row inserted with blank section cells, a 再掲 mark typed, an extra column added."""
    from openpyxl import load_workbook

    path = excel.write_summary_workbook(bundled_table, tmp_path / "summary.xlsx")
    wb = load_workbook(path)
    ws = wb["事業一覧"]
    ws.insert_rows(4)
    for column, value in zip("EFG", ["新規事業", "新しい概要", "甲課、乙課"], strict=True):
        ws[f"{column}4"] = value
    ws["H5"] = "○"  # the row below (was row 4) becomes a 【再掲】
    ws["J1"] = "備考"
    ws["J6"] = "要確認"
    wb.save(path)
    back = read_quiet(path)
    assert len(back) == 111
    new = back.iloc[2]
    assert (new["policy_no"], new["direction_no"], new["measure"]) == (1, 1, "新規事業")
    assert new["departments"] == ("甲課", "乙課")
    assert new["line"] == 4
    assert back.iloc[3]["relisted"] and back.iloc[3]["measure"] == bundled_table.iloc[2]["measure"]
    assert back["備考"].tolist()[4] == "要確認"
    assert back["備考"].tolist()[:4] == ["", "", "", ""]


def test_cli_names_file_sheet_and_row(tmp_path, capsys):
    bad = save(workbook(small_plan(["甲事業", "概要", None]), title="計画"), tmp_path / "bad.xlsx")
    assert main(["check", str(bad)]) == 2
    assert capsys.readouterr().err.startswith(f"{bad}:計画!4: empty 所管する課 in 「")
    wb = workbook(small_plan(["甲事業", "概要", "甲課"], ["乙事業", "概要", "乙課"]))
    wb.active.row_dimensions[5].hidden = True
    hidden = save(wb, tmp_path / "hidden.xlsx")
    assert main(["check", str(hidden)]) == 0
    err = capsys.readouterr().err
    assert err == f"{hidden}:事業一覧!5: warning: row 5 hidden in the sheet: read all the same\n"
    assert main(["check", str(hidden), "--strict"]) == 2
    empty = save(workbook([]), tmp_path / "empty.xlsx")
    assert main(["check", str(empty)]) == 2
    assert capsys.readouterr().err.endswith(f"{empty}:事業一覧: the sheet is empty\n")


def test_a_layout_files_header_words_find_the_header(tmp_path):
    layout = tmp_path / "city.toml"
    layout.write_text(
        'name = "city"\n'
        '[[levels]]\nlabel = "基本目標"\ncolumn = ["基本目標"]\n'
        '[columns]\nmeasure = ["取組項目"]\nsummary = ["内容"]\ndepartments = ["担当"]\n',
        encoding="utf-8",
    )
    rows = [["基本目標", "取組項目", "内容", "担当"],
            ["1 安心して暮らせるまち", "見守り事業", "高齢者の見守り", "福祉課"],
            [None, "防災訓練", "地区の訓練", "危機管理課"]]
    path = save(workbook(rows, merges=["A2:A3"]), tmp_path / "city.xlsx")
    with pytest.raises(kcdata.ParseError, match="no header row found"):
        kcdata.read_measures(path)
    df = read_quiet(path, layout=layout)
    assert df["measure"].tolist() == ["見守り事業", "防災訓練"]
    assert df["policy_no"].tolist() == [1, 1]
    assert df["policy"].tolist() == ["安心して暮らせるまち"] * 2


def test_a_header_of_two_rows(tmp_path):
    rows = [["基本方針", "事業名", "事業概要", "所管する課", "事業費", "事業費"],
            [None, None, None, None, "令和6年度", "令和7年度"],
            ["1 地域の醸成", "甲事業", "概要", "甲課", 100, 120]]
    merges = ["A1:A2", "B1:B2", "C1:C2", "D1:D2", "E1:F1"]
    df = read_quiet(save(workbook(rows, merges=merges), tmp_path / "two.xlsx"), layout="generic")
    assert df["measure"].tolist() == ["甲事業"]
    assert df["事業費令和6年度"].tolist() == ["100"]
    assert df["事業費令和7年度"].tolist() == ["120"]
    assert df["line"].tolist() == [3]


def test_a_table_read_from_a_sheet_written_and_read_again(tmp_path, bundled_table):
    first = read_quiet(excel.write_summary_workbook(bundled_table, tmp_path / "a.xlsx"))
    assert "sheet" in first.columns  # written as a column of 事業一覧, dropped when read
    second = read_quiet(excel.write_summary_workbook(first, tmp_path / "b.xlsx"))
    pd.testing.assert_frame_equal(second, first)


@pytest.mark.parametrize("layout", [None, "generic"])
def test_summary_workbook_of_a_plan_in_other_words(tmp_path, layout):
    """基本目標 | 基本目標名 | 施策 | 施策名 | 事業名 | 内容 | 担当課 | … written and read back."""
    source = Path(__file__).parent / "fixtures" / "welfare_plan_generic.txt"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PlanWarning)
        plan = kcdata.read_measures(source)
    path = excel.write_summary_workbook(plan, tmp_path / "welfare.xlsx")
    with pytest.warns(PlanWarning, match="関係各課 is not a department"):
        back = kcdata.read_measures(path, layout)
    assert back.attrs["levels"] == ["基本目標", "施策"]
    columns = [c for c in plan.columns if c != "line"]
    pd.testing.assert_frame_equal(back[columns], plan[columns])

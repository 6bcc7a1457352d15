"""Spreadsheets from elsewhere: what the sheet holds is read, whatever its header claims.

The probes of the hostile-input issue on the reading side: a stale dimension (D6), a package
that inflates past the limits or holds too many parts (D3). The bounded reading of declared
areas (D2) is the reading issue's work.
"""

from __future__ import annotations

import io
import os
import re
import resource
import subprocess
import sys
import warnings
import zipfile

import openpyxl
import pytest

import kcdata as kc
from kcdata.paths import PROJECT_ROOT

ROWS = [["基本方針1 方針"], ["施策の方向性(1) 方向"], ["事業名", "事業概要", "所管する課"],
        ["A事業", "概要", "甲課"], ["B事業", "概要", "乙課"], ["C事業", "概要", "丙課"]]


def _workbook(path) -> None:
    """An ordinary workbook of ROWS, as a spreadsheet program saves it."""
    wb = openpyxl.Workbook()
    for row in ROWS:
        wb.active.append(row)
    wb.save(path)


def _with_dimension(path, ref: bytes) -> None:
    """Rewrite the sheet's <dimension>, as a program that saved a stale one would."""
    _patched(path, lambda xml: re.sub(rb'<dimension ref="[^"]+"/>',
                                      b'<dimension ref="' + ref + b'"/>', xml))


@pytest.mark.parametrize("ref", [b"A1:C5", b"A1:C4", b"A1", b"A1:B2"])
def test_a_stale_dimension_hides_no_row(tmp_path, ref):
    path = tmp_path / "plan.xlsx"
    _workbook(path)
    _with_dimension(path, ref)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # and nothing skipped with a warning either
        df = kc.read_measures(path)
    assert df["measure"].tolist() == ["A事業", "B事業", "C事業"]


def _workbook_with(path, extra) -> None:
    """An ordinary workbook of ROWS, then ``extra(archive)`` adds crafted parts to its package."""
    _workbook(path)
    with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        extra(archive)


def test_a_part_that_inflates_past_the_limit_is_refused_before_reading(tmp_path):
    from kcdata.limits import MAX_XLSX_PART_BYTES

    def bomb(archive):  # a few hundred KB that inflate to more than a part may hold
        with archive.open("xl/media/bomb.bin", "w", force_zip64=True) as part:
            chunk = bytes(1 << 20)
            for _ in range((MAX_XLSX_PART_BYTES >> 20) + 1):
                part.write(chunk)

    path = tmp_path / "bomb.xlsx"
    _workbook_with(path, bomb)
    assert path.stat().st_size < 2 << 20
    with pytest.raises(kc.ParseError, match=r"inflates to .* at most 268,435,456 bytes"):
        kc.read_measures(path)


def test_a_package_of_too_many_parts_is_refused(tmp_path):
    from kcdata.limits import MAX_XLSX_ENTRIES

    def many(archive):
        for i in range(MAX_XLSX_ENTRIES):
            archive.writestr(f"xl/media/{i}.bin", b"")

    path = tmp_path / "many.xlsx"
    _workbook_with(path, many)
    with pytest.raises(kc.ParseError, match="parts: kcdata reads at most 10,000"):
        kc.read_measures(path)


def _patched(path, edit) -> None:
    """Edit the sheet's XML as a crafted file would have it."""
    source = zipfile.ZipFile(path)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = edit(data)
            archive.writestr(item, data)
    source.close()
    path.write_bytes(out.getvalue())


def _bounded(code: str) -> subprocess.CompletedProcess:
    """Run ``code`` in a fresh Python under the probe's bounds: 30 s and 2 GB of memory."""
    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))

    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=30, preexec_fn=limit, check=False,
                          env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT)})


READ = """\
import warnings, kcdata
warnings.simplefilter("ignore")
try:
    print(len(kcdata.read_measures({path!r})))
except kcdata.ParseError as err:
    print("refused:", err)
"""


@pytest.mark.skipif(os.name != "posix", reason="memory limits: POSIX")
@pytest.mark.parametrize(("edit", "expected"), [
    # D2: a merge over the whole sheet, a column range of 2e9 columns, a far cell.
    (lambda x: x.replace(b"</sheetData>", b'</sheetData><mergeCells count="1">'
                         b'<mergeCell ref="D9:XFD1048576"/></mergeCells>'), "3"),
    (lambda x: x.replace(b"<sheetData>", b'<cols><col min="1" max="2000000000" hidden="1"/>'
                         b"</cols><sheetData>"), None),
    (lambda x: x.replace(b"</sheetData>", b'<row r="1048576"><c r="XFD1048576" t="inlineStr">'
                         b"<is><t>x</t></is></c></row></sheetData>"), "refused"),
])
def test_a_crafted_sheet_ends_in_a_result_or_a_refusal_within_bounds(tmp_path, edit, expected):
    path = tmp_path / "crafted.xlsx"
    _workbook(path)
    _patched(path, edit)
    done = _bounded(READ.format(path=str(path)))
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr[-500:]
    out = done.stdout.strip()
    assert out == "3" or out.startswith("refused:"), out
    if expected is not None:
        assert out.startswith(expected), out


@pytest.mark.skipif(os.name != "posix", reason="memory limits: POSIX")
def test_a_title_merged_over_the_whole_row_costs_what_the_data_costs(tmp_path):
    path = tmp_path / "title.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["○○市 事業一覧"])
    for row in ROWS[:3]:
        wb.active.append(row)
    for i in range(10_000):
        wb.active.append([f"事業{i}", "概要", "甲課"])
    wb.save(path)
    _patched(path, lambda x: x.replace(b"</sheetData>", b'</sheetData><mergeCells count="1">'
                                       b'<mergeCell ref="A1:XFD1"/></mergeCells>'))
    done = _bounded(READ.format(path=str(path)))
    assert done.stdout.strip() in ("10000",) or done.stdout.startswith("refused:"), (
        done.stdout, done.stderr[-300:])


@pytest.mark.skipif(os.name != "posix", reason="memory limits: POSIX")
def test_a_csv_line_of_a_million_commas_widens_nothing(tmp_path):
    path = tmp_path / "wide.csv"
    rows = "".join(f"事業{i},概要,甲課\n" for i in range(1_000))
    path.write_text("," * 1_000_000 + "\n基本方針1 方針\n施策の方向性(1) 方向\n"
                    "事業名,事業概要,所管する課\n" + rows, encoding="utf-8")
    done = _bounded(READ.format(path=str(path)))
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr[-500:]
    assert done.stdout.strip() == "1000" or done.stdout.startswith("refused:"), done.stdout


def test_a_row_far_below_a_stale_dimension_is_read(tmp_path):
    # D6: read-only openpyxl stops at the <dimension>'s last row; kcdata reads every row.
    path = tmp_path / "plan.xlsx"
    wb = openpyxl.Workbook()
    for row in ROWS:
        wb.active.append(row)
    wb.active["A20"], wb.active["B20"], wb.active["C20"] = "D事業", "概要", "丁課"
    wb.save(path)
    _with_dimension(path, b"A1:C6")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        df = kc.read_measures(path)
    assert df["measure"].tolist() == ["A事業", "B事業", "C事業", "D事業"]


def test_a_part_name_out_of_normal_form_is_refused(tmp_path):
    """D11: a listing at xl/worksheets/./sheet1.xml is read by no other tool: refused."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["事業名", "事業概要", "所管する課"])
    ws.append(["A事業", "概要", "甲課"])
    plain = io.BytesIO()
    wb.save(plain)
    crafted = tmp_path / "crafted.xlsx"
    with zipfile.ZipFile(io.BytesIO(plain.getvalue())) as src, \
            zipfile.ZipFile(crafted, "w") as out:
        for item in src.infolist():
            out.writestr(item, src.read(item))
        out.writestr("xl/worksheets/./sheet1.xml", src.read("xl/worksheets/sheet1.xml"))
    with pytest.raises(kc.ParseError, match="normal form"):
        kc.read_measures(crafted, "generic")


def test_a_shared_strings_table_of_millions_of_entries_is_refused_at_once(tmp_path):
    """D3: a few hundred KB that declare 3×10^7 empty texts ran on for minutes and GBs."""
    wb = openpyxl.Workbook()
    wb.active.append(["事業名", "事業概要", "所管する課"])
    plain = io.BytesIO()
    wb.save(plain)
    n = 3_000_000
    table = (b'<?xml version="1.0" encoding="UTF-8"?>\n<sst xmlns="http://schemas.openxmlformats'
             b'.org/spreadsheetml/2006/main">' + b"<si/>" * n + b"</sst>")
    crafted = tmp_path / "strings.xlsx"
    with zipfile.ZipFile(io.BytesIO(plain.getvalue())) as src, \
            zipfile.ZipFile(crafted, "w", zipfile.ZIP_DEFLATED) as out:
        for item in src.infolist():
            out.writestr(item.filename, src.read(item))
        out.writestr("xl/sharedStrings.xml", table)
    assert crafted.stat().st_size < 100_000
    with pytest.raises(kc.ParseError, match="shared-strings table has more than 2,000,000"):
        kc.read_measures(crafted, "generic")

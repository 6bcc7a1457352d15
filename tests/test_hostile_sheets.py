"""Spreadsheets from elsewhere: what the sheet holds is read, whatever its header claims.

The probes of the hostile-input issue on the reading side: a stale dimension (D6), a package
that inflates past the limits or holds too many parts (D3). The bounded reading of declared
areas (D2) is the reading issue's work.
"""

from __future__ import annotations

import io
import re
import warnings
import zipfile

import openpyxl
import pytest

import kcdata as kc

ROWS = [["基本方針1 方針"], ["施策の方向性(1) 方向"], ["事業名", "事業概要", "所管する課"],
        ["A事業", "概要", "甲課"], ["B事業", "概要", "乙課"], ["C事業", "概要", "丙課"]]


def _with_dimension(path, ref: bytes) -> None:
    """Rewrite the sheet's <dimension>, as a program that saved a stale one would."""
    source = zipfile.ZipFile(path)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb'<dimension ref="[^"]+"/>', b'<dimension ref="' + ref + b'"/>',
                              data)
            archive.writestr(item, data)
    source.close()
    path.write_bytes(out.getvalue())


@pytest.mark.parametrize("ref", [b"A1:C5", b"A1:C4", b"A1", b"A1:B2"])
def test_a_stale_dimension_hides_no_row(tmp_path, ref):
    path = tmp_path / "plan.xlsx"
    wb = openpyxl.Workbook()
    for row in ROWS:
        wb.active.append(row)
    wb.save(path)
    _with_dimension(path, ref)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # and nothing skipped with a warning either
        df = kc.read_measures(path)
    assert df["measure"].tolist() == ["A事業", "B事業", "C事業"]


def _workbook_with(path, extra) -> None:
    """An ordinary workbook of ROWS, then ``extra(archive)`` adds crafted parts to its package."""
    wb = openpyxl.Workbook()
    for row in ROWS:
        wb.active.append(row)
    wb.save(path)
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

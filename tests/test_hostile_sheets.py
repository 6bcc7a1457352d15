"""Spreadsheets from elsewhere: what the sheet holds is read, whatever its header claims.

The probes of the hostile-input issue on the reading side that hold today (D6); the
bounded reading of declared areas (D2, D3, D11) is the reading issue's work.
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

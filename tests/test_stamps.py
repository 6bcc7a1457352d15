"""SOURCE_DATE_EPOCH: reproducible workbooks and reports; local time with its offset otherwise."""

from __future__ import annotations

import re
import zipfile
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import openpyxl
import pytest

from kcdata.cli import EXIT_BAD_INPUT, main
from kcdata.paths import BUNDLED_DOCUMENT
from kcdata.stamps import (
    SOURCE_DATE_EPOCH,
    SourceDateEpochError,
    format_made_time,
    made_time,
    source_date_epoch,
)

EPOCH = "1700000000"  # 2023-11-14 22:13:20 UTC


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("value", ["x", "-1", "1.5", "１７", "0x10", "99999999999999999999"])
def test_a_malformed_epoch_is_an_error(value):
    with pytest.raises(SourceDateEpochError, match=SOURCE_DATE_EPOCH):
        source_date_epoch({SOURCE_DATE_EPOCH: value})


def test_epoch_unset_or_empty_means_now_in_local_time(monkeypatch):
    assert source_date_epoch({SOURCE_DATE_EPOCH: " "}) is None
    monkeypatch.delenv(SOURCE_DATE_EPOCH, raising=False)
    before = datetime.now(UTC)
    made = made_time()
    assert made.utcoffset() == datetime.now().astimezone().utcoffset()
    assert before - timedelta(seconds=1) <= made <= datetime.now(UTC) + timedelta(seconds=1)
    monkeypatch.setenv(SOURCE_DATE_EPOCH, EPOCH)
    assert made_time() == datetime(2023, 11, 14, 22, 13, 20, tzinfo=UTC)


def test_format_made_time_shows_minutes_and_offset():
    jst = timezone(timedelta(hours=9))
    assert format_made_time(datetime(2026, 11, 29, 22, 10, 59, tzinfo=jst)) == (
        "2026-11-29 22:10 (+09:00)"
    )
    india = timezone(timedelta(hours=-3, minutes=-30))
    assert format_made_time(datetime(2026, 1, 2, 3, 4, tzinfo=india)) == "2026-01-02 03:04 (-03:30)"
    naive = format_made_time(datetime(2026, 1, 2, 3, 4))  # taken as local time
    assert re.fullmatch(r"2026-01-02 03:04 \([+-]\d\d:\d\d\)", naive)


def test_two_reports_with_the_epoch_are_byte_identical(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv(SOURCE_DATE_EPOCH, EPOCH)
    assert main(["report", "--out", str(tmp_path / "one")]) == 0
    assert main(["report", "--out", str(tmp_path / "two")]) == 0
    one, two = _files(tmp_path / "one"), _files(tmp_path / "two")
    assert len(one) >= 11 and sum(name.endswith(".xlsx") for name in one) == 1
    assert one == two  # every file: PNG, SVG and the workbook

    book = tmp_path / "one" / f"{BUNDLED_DOCUMENT.stem}_summary.xlsx"
    fixed = datetime(2023, 11, 14, 22, 13, 20)
    with zipfile.ZipFile(book) as archive:  # XlsxWriter's one fixed time, not the clock's
        (stamp,) = {i.date_time for i in archive.infolist()}
        assert stamp[0] == 1980
    wb = openpyxl.load_workbook(book)
    assert (wb.properties.created, wb.properties.modified) == (fixed, fixed)
    overview = {a: b for a, b in wb["概要"].iter_rows(values_only=True) if a is not None}
    assert overview["作成日時"] == "2023-11-14 22:13 (+00:00)"


def test_a_workbook_differs_without_the_epoch(tmp_path, monkeypatch, capsys):
    # The check above could fail: the created date is the time of saving when the variable
    # is unset.
    monkeypatch.delenv(SOURCE_DATE_EPOCH, raising=False)
    from kcdata.outputs.xlsx import open_workbook, reserve_sheet

    before = datetime.now(UTC).replace(tzinfo=None, microsecond=0)
    with open_workbook(tmp_path / "a.xlsx") as book:
        reserve_sheet(book, "概要")
    created = openpyxl.load_workbook(tmp_path / "a.xlsx").properties.created
    assert created != datetime(2023, 11, 14, 22, 13, 20)
    assert before <= created <= datetime.now(UTC).replace(tzinfo=None)  # the time of saving


def test_two_diff_workbooks_with_the_epoch_are_byte_identical(tmp_path, monkeypatch, capsys):
    new = tmp_path / "new.txt"
    text = BUNDLED_DOCUMENT.read_text(encoding="utf-8")
    new.write_text(text.replace("【再掲】", "", 1), encoding="utf-8")
    monkeypatch.setenv(SOURCE_DATE_EPOCH, EPOCH)
    for name in ("one.xlsx", "two.xlsx"):
        argv = ["diff", str(BUNDLED_DOCUMENT), str(new), "--out", str(tmp_path / name)]
        assert main(argv) == 0
    assert (tmp_path / "one.xlsx").read_bytes() == (tmp_path / "two.xlsx").read_bytes()
    wb = openpyxl.load_workbook(tmp_path / "one.xlsx")
    values = [v for row in wb["概要"].iter_rows(values_only=True) for v in row]
    assert "2023-11-14 22:13 (+00:00)" in values


@pytest.mark.parametrize("command", [["report"], ["build"], ["check"]])
def test_a_malformed_epoch_stops_every_command_before_writing(
    command, tmp_path, monkeypatch, capsys
):
    monkeypatch.setenv(SOURCE_DATE_EPOCH, "yesterday")
    monkeypatch.chdir(tmp_path)
    assert main(command) == EXIT_BAD_INPUT
    err = capsys.readouterr().err
    assert err.startswith("kcdata: SOURCE_DATE_EPOCH='yesterday' is not a whole number")
    assert "Traceback" not in err
    assert list(tmp_path.iterdir()) == []

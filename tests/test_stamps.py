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
    restamp_zip,
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


def test_restamp_zip_changes_times_and_core_dates_only(tmp_path):
    path = tmp_path / "book.xlsx"
    core = ('<cp:coreProperties xmlns:dcterms="http://purl.org/dc/terms/">'
            '<dcterms:created xsi:type="dcterms:W3CDTF">2020-01-01T00:00:00Z</dcterms:created>'
            '<dcterms:modified xsi:type="dcterms:W3CDTF">2026-11-29T15:00:00Z</dcterms:modified>'
            '</cp:coreProperties>')
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(zipfile.ZipInfo("b.xml", (2024, 5, 6, 7, 8, 10)), b"<b/>" * 100,
                         compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr(zipfile.ZipInfo("docProps/core.xml", (2025, 1, 1, 0, 0, 0)), core)
        archive.writestr(zipfile.ZipInfo("a.xml", (2026, 1, 1, 0, 0, 0)), b"<a/>")
    restamp_zip(path, datetime(2023, 11, 15, 7, 13, 20, tzinfo=timezone(timedelta(hours=9))))
    with zipfile.ZipFile(path) as archive:
        infos = archive.infolist()
        assert [i.filename for i in infos] == ["b.xml", "docProps/core.xml", "a.xml"]
        assert {i.date_time for i in infos} == {(2023, 11, 14, 22, 13, 20)}  # in UTC
        assert [i.compress_type for i in infos] == [zipfile.ZIP_DEFLATED, 0, 0]
        assert archive.read("b.xml") == b"<b/>" * 100
        text = archive.read("docProps/core.xml").decode()
    assert text == core.replace("2020-01-01T00:00:00Z", "2023-11-14T22:13:20Z").replace(
        "2026-11-29T15:00:00Z", "2023-11-14T22:13:20Z")


def test_restamp_zip_before_1980_uses_the_earliest_zip_time(tmp_path):
    path = tmp_path / "old.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("x", b"x")
    restamp_zip(path, datetime(1970, 1, 1, tzinfo=UTC))
    with zipfile.ZipFile(path) as archive:
        assert archive.infolist()[0].date_time == (1980, 1, 1, 0, 0, 0)


def test_two_reports_with_the_epoch_are_byte_identical(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv(SOURCE_DATE_EPOCH, EPOCH)
    assert main(["report", "--out", str(tmp_path / "one")]) == 0
    assert main(["report", "--out", str(tmp_path / "two")]) == 0
    one, two = _files(tmp_path / "one"), _files(tmp_path / "two")
    assert len(one) >= 11 and sum(name.endswith(".xlsx") for name in one) == 1
    assert one == two  # every file: PNG, SVG and the workbook

    book = tmp_path / "one" / f"{BUNDLED_DOCUMENT.stem}_summary.xlsx"
    fixed = datetime(2023, 11, 14, 22, 13, 20)
    with zipfile.ZipFile(book) as archive:
        assert {i.date_time for i in archive.infolist()} == {(2023, 11, 14, 22, 13, 20)}
    wb = openpyxl.load_workbook(book)
    assert (wb.properties.created, wb.properties.modified) == (fixed, fixed)
    overview = {a: b for a, b in wb["概要"].iter_rows(values_only=True) if a is not None}
    assert overview["作成日時"] == "2023-11-14 22:13 (+00:00)"


def test_a_workbook_differs_without_the_epoch(tmp_path, monkeypatch, capsys):
    # The check above could fail: openpyxl stamps the time of saving when the variable is unset.
    monkeypatch.delenv(SOURCE_DATE_EPOCH, raising=False)
    from kcdata.outputs.workbook import new_workbook, save_workbook

    wb = new_workbook()
    wb.create_sheet("概要")
    save_workbook(wb, tmp_path / "a.xlsx")
    with zipfile.ZipFile(tmp_path / "a.xlsx") as archive:
        times = {i.date_time for i in archive.infolist()}
    assert (2023, 11, 14, 22, 13, 20) not in times
    assert min(times)[0] >= 2026  # the time of saving


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

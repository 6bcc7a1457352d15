"""The kcdata command: check and build; bad input is SOURCE:LINE: reason and exit 2."""

from __future__ import annotations

import subprocess
import sys

import pytest

from kcdata.cli import main
from kcdata.paths import BUNDLED_DOCUMENT

BAD = "基本方針1 a\n施策の方向性(1) b\nA\tB\n"


def test_check_bundled(capsys):
    assert main(["check", str(BUNDLED_DOCUMENT)]) == 0
    out = capsys.readouterr().out
    assert out.count("\n") == 1
    assert "110 listings (2 【再掲】), 108 measures, 33 departments" in out


def test_check_bad_input(tmp_path, capsys):
    source = tmp_path / "bad.txt"
    source.write_text(BAD, encoding="utf-8")
    assert main(["check", str(source)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"{source}:3: expected 3 tab-separated fields")
    assert "Traceback" not in err


def test_check_whole_document_problem_has_no_line(tmp_path, capsys):
    source = tmp_path / "empty.txt"
    source.write_text("前文だけ\n", encoding="utf-8")
    assert main(["check", str(source)]) == 2
    assert capsys.readouterr().err.startswith(f"{source}: no measure rows")


def test_check_missing_file(tmp_path, capsys):
    assert main(["check", str(tmp_path / "nope.txt")]) == 2
    assert "cannot read" in capsys.readouterr().err


def test_build_is_deterministic(tmp_path, capsys):
    out = tmp_path / "processed"
    assert main(["build", str(BUNDLED_DOCUMENT), "--out", str(out)]) == 0
    first = {p.name: p.read_bytes() for p in out.iterdir()}
    assert main(["build", "--out", str(out)]) == 0
    second = {p.name: p.read_bytes() for p in out.iterdir()}
    assert first == second
    assert set(first) == {"measures.csv", "measure_departments.csv"}
    for data in first.values():
        assert data.startswith(b"\xef\xbb\xbf")
        assert b"\r\n" not in data
    assert first["measures.csv"].decode("utf-8-sig").count("\n") == 111
    assert first["measure_departments.csv"].decode("utf-8-sig").count("\n") == 114


def test_build_bad_input_writes_nothing(tmp_path, capsys):
    source = tmp_path / "bad.txt"
    source.write_text(BAD, encoding="utf-8")
    out = tmp_path / "out"
    assert main(["build", str(source), "--out", str(out)]) == 2
    assert not out.exists() or not any(out.iterdir())


@pytest.mark.parametrize("args", [["--help"], ["check", "--help"], ["build", "--help"]])
def test_help_in_a_subprocess(args):
    result = subprocess.run([sys.executable, "-m", "kcdata.cli", *args],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0
    assert "usage: kcdata" in result.stdout


def test_no_traceback_in_a_subprocess(tmp_path):
    source = tmp_path / "bad.txt"
    source.write_bytes(b"\xff\xfe\x00garbage\x81")
    result = subprocess.run([sys.executable, "-m", "kcdata.cli", "check", str(source)],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 2
    assert result.stderr.startswith(f"{source}: ")
    assert "Traceback" not in result.stderr


def test_build_into_raw_is_refused_cleanly(capsys):
    from kcdata.paths import RAW_DIR

    before = sorted(p.name for p in RAW_DIR.iterdir())
    assert main(["build", "--out", str(RAW_DIR)]) == 2
    assert "cannot write" in capsys.readouterr().err
    assert sorted(p.name for p in RAW_DIR.iterdir()) == before

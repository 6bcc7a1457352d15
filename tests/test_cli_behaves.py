"""A command line that behaves: bare command, --version, usage, pipes, inputs never outputs."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from kcdata import __version__
from kcdata.cli import EXIT_BAD_INPUT, main
from kcdata.paths import BUNDLED_DOCUMENT

COMMANDS = ("check", "build", "report", "diff", "search")


def _kcdata(*args: str) -> list[str]:
    return [sys.executable, "-m", "kcdata.cli", *args]


def test_the_bare_command_lists_every_command_with_one_line_each(capsys):
    assert main([]) == 0
    out = capsys.readouterr().out
    for command in COMMANDS:
        assert any(line.split()[:1] == [command] for line in out.splitlines()), command
    assert "\\n" not in out  # help is printed as text, not escaped


def test_version(capsys):
    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0
    assert capsys.readouterr().out.strip() == f"kcdata {__version__}"


def test_diff_usage_says_what_it_takes(capsys):
    with pytest.raises(SystemExit):
        main(["diff", "--help"])
    usage = " ".join(capsys.readouterr().out.split("\n\n")[0].split())
    assert usage.endswith("OLD NEW [NEWER ...]")


@pytest.mark.parametrize("value", ["-5", "100000000", "x"])
def test_search_refuses_an_absurd_context(value, capsys):
    with pytest.raises(SystemExit) as done:
        main(["search", str(BUNDLED_DOCUMENT), "防災", "--context", value])
    assert done.value.code == EXIT_BAD_INPUT
    assert "--context" in capsys.readouterr().err


def _closed_pipe(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    """Run kcdata with its standard output closed before it prints anything (| head -0)."""
    proc = subprocess.Popen(_kcdata(*args), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            cwd=cwd)
    proc.stdout.close()
    err = proc.stderr.read().decode()
    proc.stderr.close()
    return subprocess.CompletedProcess(args, proc.wait(), "", err)


@pytest.mark.skipif(os.name != "posix", reason="pipes as on POSIX")
def test_output_closed_early_ends_quietly_and_still_writes_the_out_file(tmp_path):
    for args in (["search", str(BUNDLED_DOCUMENT), "事業", "地域"], ["check"]):
        done = _closed_pipe(args, tmp_path)
        assert (done.returncode, done.stderr) == (0, ""), args
    editions = [tmp_path / f"plan_{year}.txt" for year in (2018, 2021, 2025)]
    for edition in editions:
        shutil.copyfile(BUNDLED_DOCUMENT, edition)
    out = tmp_path / "経年.xlsx"
    done = _closed_pipe(["diff", *map(str, editions), "--out", str(out)], tmp_path)
    assert (done.returncode, done.stderr) == (0, "")
    assert "経年" in openpyxl.load_workbook(out).sheetnames  # complete: it opens


def test_diff_out_that_names_an_input_is_refused_before_any_work(tmp_path, capsys):
    old, new = tmp_path / "old.txt", tmp_path / "new.txt"
    shutil.copyfile(BUNDLED_DOCUMENT, old)
    shutil.copyfile(BUNDLED_DOCUMENT, new)
    before = new.read_bytes()
    assert main(["diff", str(old), str(new), "--out", str(new)]) == EXIT_BAD_INPUT
    captured = capsys.readouterr()
    assert captured.out == "" and "never writes over its input" in captured.err
    assert new.read_bytes() == before


def test_build_over_its_own_csv_input_is_refused(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["build", str(BUNDLED_DOCUMENT), "--out", str(out)]) == 0
    source = out / "measures.csv"
    before = source.read_bytes()
    assert main(["build", str(source), "--out", str(out)]) == EXIT_BAD_INPUT
    assert "never writes over its input" in capsys.readouterr().err
    assert source.read_bytes() == before


def test_a_source_date_epoch_past_what_a_zip_holds_is_refused(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "4354819199")  # 2107-12-31 23:59:59
    assert main(["report", "--out", str(tmp_path / "r")]) == EXIT_BAD_INPUT
    assert "out of range" in capsys.readouterr().err
    assert not (tmp_path / "r").exists()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "4354819198")
    assert main(["diff", str(BUNDLED_DOCUMENT), str(BUNDLED_DOCUMENT),
                 "--out", str(tmp_path / "d.xlsx")]) == 0

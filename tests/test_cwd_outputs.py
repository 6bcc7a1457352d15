"""Commands without --out write under the current directory, never into the checkout."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from kcdata.cli import EXIT_BAD_INPUT, main
from kcdata.outputs.processed import check_processed_target
from kcdata.paths import BUNDLED_DOCUMENT, PROCESSED_DIR, PROJECT_ROOT


def _git_status() -> str | None:
    """``git status --porcelain`` of the checkout (ignored files excluded), or None."""
    if shutil.which("git") is None or not (PROJECT_ROOT / ".git").exists():
        return None
    done = subprocess.run(["git", "-C", str(PROJECT_ROOT), "status", "--porcelain"],
                          capture_output=True, text=True, timeout=60)
    return done.stdout if done.returncode == 0 else None


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def test_build_and_report_write_under_the_current_directory(tmp_path, monkeypatch, capsys):
    status, committed = _git_status(), _snapshot(PROCESSED_DIR)
    monkeypatch.chdir(tmp_path)
    assert main(["build"]) == 0
    assert main(["report"]) == 0
    printed = capsys.readouterr().out.split()
    assert printed[:2] == ["processed/measures.csv", "processed/measure_departments.csv"]
    assert all(Path(p).resolve().is_relative_to(tmp_path) for p in printed)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["processed", "reports"]
    assert _snapshot(tmp_path / "processed") == committed  # the bundled plan's tables
    assert (tmp_path / "reports" / f"{BUNDLED_DOCUMENT.stem}_summary.xlsx").is_file()
    assert len(list((tmp_path / "reports" / "figures").iterdir())) >= 10  # PNG + SVG each
    assert _snapshot(PROCESSED_DIR) == committed
    assert _git_status() == status  # the checkout is as it was (None outside a git checkout)


def test_check_defaults_to_the_bundled_plan(capsys):
    assert main(["check"]) == 0
    assert capsys.readouterr().out.startswith(f"{BUNDLED_DOCUMENT}: ok: 110 listings")


def test_another_document_never_overwrites_the_committed_tables(tmp_path, monkeypatch, capsys):
    other = tmp_path / "other.txt"
    other.write_text(BUNDLED_DOCUMENT.read_text(encoding="utf-8").replace("【再掲】", "", 1),
                     encoding="utf-8")
    committed = _snapshot(PROCESSED_DIR)
    assert main(["build", str(other), "--out", str(PROCESSED_DIR)]) == EXIT_BAD_INPUT
    err = capsys.readouterr().err
    assert err.startswith(f"{PROCESSED_DIR}: cannot write: ") and "other.txt" in err
    monkeypatch.chdir(PROJECT_ROOT)  # the same folder named relatively
    assert main(["build", str(other), "--out", "data/processed"]) == EXIT_BAD_INPUT
    assert _snapshot(PROCESSED_DIR) == committed
    assert not [p for p in PROCESSED_DIR.iterdir() if p.name.startswith(".")]  # no temp files


def test_the_bundled_plan_may_be_built_into_the_committed_folder(tmp_path):
    check_processed_target(BUNDLED_DOCUMENT, PROCESSED_DIR)  # what `make report` does
    copy = tmp_path / "copy.txt"
    copy.write_bytes(BUNDLED_DOCUMENT.read_bytes())
    check_processed_target(copy, PROCESSED_DIR)  # the same bytes under another name
    other = tmp_path / "other.txt"
    other.write_bytes(BUNDLED_DOCUMENT.read_bytes() + b"\n")
    check_processed_target(other, tmp_path / "anywhere")  # any other folder is fine
    with pytest.raises(PermissionError, match="committed tables"):
        check_processed_target(other, PROCESSED_DIR)

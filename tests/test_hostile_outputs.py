"""Output folders prepared by someone else: links planted in them are never followed.

The probes of the hostile-input issue (D1, D9), built as the tester built them.
"""

from __future__ import annotations

import os
import stat
import sys

import pytest

from kcdata import files
from kcdata.cli import EXIT_BAD_INPUT, main
from kcdata.paths import BUNDLED_DOCUMENT

posix_only = pytest.mark.skipif(os.name != "posix", reason="symbolic links and modes: POSIX")


@posix_only
def test_a_planted_publish_link_moves_nothing_from_its_target(tmp_path):
    private = tmp_path / "private"
    private.mkdir()
    (private / "secret.txt").write_text("mine", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / f"{files.PUBLISH_PREFIX}x").symlink_to(private, target_is_directory=True)
    with files.publishing(out) as stage:
        (stage / "a.txt").write_text("new", encoding="utf-8")
    assert (private / "secret.txt").read_text(encoding="utf-8") == "mine"
    assert not (out / "secret.txt").exists()
    assert (out / "a.txt").read_text(encoding="utf-8") == "new"


@posix_only
def test_a_linked_subfolder_of_out_is_refused_and_its_target_untouched(tmp_path, capsys):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    out = tmp_path / "out"
    out.mkdir()
    (out / "figures").symlink_to(elsewhere, target_is_directory=True)
    with pytest.raises(files.LinkedFolder), files.publishing(out) as stage:
        (stage / "figures").mkdir()
        (stage / "figures" / "01.png").write_bytes(b"png")
    assert list(elsewhere.iterdir()) == []
    assert [p.name for p in out.iterdir()] == ["figures"]  # no stage left behind

    code = main(["report", str(BUNDLED_DOCUMENT), "--out", str(out)])
    assert code == EXIT_BAD_INPUT
    assert "a symbolic link" in capsys.readouterr().err
    assert list(elsewhere.iterdir()) == []


@posix_only
@pytest.mark.skipif(not os.path.exists("/usr/bin/passwd"), reason="needs a setuid file")
def test_a_link_to_a_setuid_file_is_replaced_with_an_ordinary_file(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    link = out / "measures.csv"
    link.symlink_to("/usr/bin/passwd")
    before = os.stat("/usr/bin/passwd")
    assert main(["build", str(BUNDLED_DOCUMENT), "--out", str(out)]) == 0
    assert not link.is_symlink()
    mode = link.stat().st_mode
    assert stat.S_ISREG(mode) and not mode & (stat.S_ISUID | stat.S_ISGID)
    after = os.stat("/usr/bin/passwd")
    assert (after.st_mtime_ns, after.st_size) == (before.st_mtime_ns, before.st_size)


@posix_only
def test_atomic_write_to_a_link_replaces_the_link_not_its_target(tmp_path):
    target = tmp_path / "target.txt"
    target.write_text("keep", encoding="utf-8")
    os.chmod(target, 0o4755 if sys.platform != "darwin" else 0o755)
    link = tmp_path / "link.txt"
    link.symlink_to(target)
    files.write_bytes_atomic(link, b"new")
    assert target.read_text(encoding="utf-8") == "keep"
    assert not link.is_symlink() and link.read_bytes() == b"new"
    assert not link.stat().st_mode & stat.S_ISUID


def test_a_replaced_regular_file_keeps_its_permission_bits_but_never_setuid(tmp_path):
    path = tmp_path / "plan.csv"
    path.write_text("old", encoding="utf-8")
    os.chmod(path, 0o4640)
    files.write_bytes_atomic(path, b"new")
    assert stat.S_IMODE(path.stat().st_mode) == 0o640

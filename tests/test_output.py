"""Safe output files: atomic replacement, ordinary permissions, flushing to disk, hashes."""

from __future__ import annotations

import hashlib
import os
import stat

import pytest

from kcdata import files as output
from kcdata.files import atomic_path, sha256_of, write_bytes_atomic
from kcdata.paths import RAW_DIR

posix_only = pytest.mark.skipif(os.name != "posix", reason="POSIX permissions and umask")


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@posix_only
@pytest.mark.parametrize("umask", [0o022, 0o077, 0o002])
def test_permissions_are_those_open_gives(tmp_path, umask):
    old = os.umask(umask)
    try:
        with open(tmp_path / "reference.txt", "w") as f:
            f.write("x")
        with atomic_path(tmp_path / "atomic.txt") as tmp:
            assert _mode(tmp) == 0o666 & ~umask  # already while the body writes
            tmp.write_text("x")
        written = write_bytes_atomic(tmp_path / "bytes.txt", b"x")
    finally:
        os.umask(old)
    assert os.umask(old) == old  # the process-wide umask is back as it was
    expected = _mode(tmp_path / "reference.txt")
    assert expected == 0o666 & ~umask
    assert _mode(tmp_path / "atomic.txt") == expected
    assert _mode(written) == expected


@posix_only
def test_umask_is_never_changed(tmp_path, monkeypatch):
    def forbidden(mask):
        raise AssertionError("atomic_path must not call os.umask")

    monkeypatch.setattr(os, "umask", forbidden)
    write_bytes_atomic(tmp_path / "a.txt", b"a")
    assert (tmp_path / "a.txt").read_bytes() == b"a"


def test_body_writes_to_an_empty_temporary_file_beside_the_target(tmp_path):
    target = tmp_path / "sub" / "out.bin"
    with atomic_path(target) as first, atomic_path(target) as second:
        assert first != second  # unique names: two writers never share a file
        for tmp in (first, second):
            assert tmp.parent == target.parent.resolve()
            assert tmp.name.startswith(".out.bin.") and tmp.name.endswith(".tmp")
            assert tmp.is_file() and tmp.stat().st_size == 0
            assert not target.exists()  # nothing in place before the body is done
        first.write_bytes(b"first")
        second.write_bytes(b"second")
    assert target.read_bytes() == b"first"  # the outer one finished last
    assert [p.name for p in target.parent.iterdir()] == ["out.bin"]


def test_failure_leaves_previous_file_and_no_temporary_file(tmp_path):
    target = write_bytes_atomic(tmp_path / "data.csv", b"good\n")
    with pytest.raises(RuntimeError, match="boom"), atomic_path(target) as tmp:
        tmp.write_bytes(b"half")
        raise RuntimeError("boom")
    assert target.read_bytes() == b"good\n"
    assert [p.name for p in tmp_path.iterdir()] == ["data.csv"]


def test_failure_on_a_new_target_leaves_nothing(tmp_path):
    with pytest.raises(KeyboardInterrupt), atomic_path(tmp_path / "new.txt") as tmp:
        tmp.write_text("x")
        raise KeyboardInterrupt
    assert list(tmp_path.iterdir()) == []


def test_replaces_an_existing_file(tmp_path):
    target = write_bytes_atomic(tmp_path / "f.txt", b"old")
    write_bytes_atomic(target, b"new")
    assert target.read_bytes() == b"new"
    assert [p.name for p in tmp_path.iterdir()] == ["f.txt"]


@pytest.mark.parametrize("name", ["never.txt", "sub/never.txt", "./../raw/never.txt"])
def test_data_raw_is_refused(name):
    target = RAW_DIR / name
    before = sorted(RAW_DIR.rglob("*"))
    with pytest.raises(PermissionError, match="data/raw"), atomic_path(target):
        pytest.fail("the body must not run")  # pragma: no cover
    with pytest.raises(PermissionError):
        write_bytes_atomic(target, b"x")
    assert sorted(RAW_DIR.rglob("*")) == before  # no file, no folder, no temporary file


def test_temporary_file_is_flushed_before_the_rename(tmp_path, monkeypatch):
    events: list[tuple[str, object]] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd):
        info = os.fstat(fd)
        events.append(("fsync-dir" if stat.S_ISDIR(info.st_mode) else "fsync-file", info.st_ino))
        real_fsync(fd)

    def replace(src, dst):
        events.append(("replace", os.stat(src).st_ino))
        real_replace(src, dst)

    monkeypatch.setattr(output.os, "fsync", fsync)
    monkeypatch.setattr(output.os, "replace", replace)
    target = write_bytes_atomic(tmp_path / "f.bin", b"payload")
    inode = target.stat().st_ino
    kinds = [kind for kind, _ in events]
    assert kinds[:2] == ["fsync-file", "replace"]
    assert events[0][1] == events[1][1] == inode  # the file flushed is the file put in place
    if hasattr(os, "O_DIRECTORY"):
        assert kinds == ["fsync-file", "replace", "fsync-dir"]
        assert events[2][1] == tmp_path.stat().st_ino


def test_no_fsync_or_rename_after_a_failure(tmp_path, monkeypatch):
    calls = []
    monkeypatch.setattr(output.os, "fsync", lambda fd: calls.append("fsync"))
    monkeypatch.setattr(output.os, "replace", lambda a, b: calls.append("replace"))
    with pytest.raises(ValueError), atomic_path(tmp_path / "x") as tmp:
        tmp.write_text("x")
        raise ValueError
    assert calls == []


def test_sha256_of(tmp_path):
    data = bytes(range(256)) * 5000  # more than one 1 MiB read
    path = tmp_path / "blob"
    path.write_bytes(data)
    assert sha256_of(path) == hashlib.sha256(data).hexdigest()

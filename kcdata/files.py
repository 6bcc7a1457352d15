"""Writing files safely: one file atomically (:func:`atomic_path`), or a command's files as
one unit (:func:`publishing`: staged, then moved into place together; a failure or Ctrl-C
before the move leaves the previous files, and a run killed while moving is finished by
the next). Only regular files are replaced, never through a link; modes are kept; runs into
one folder take turns; data/raw/ is never written.
"""

from __future__ import annotations

import contextlib
import errno
import glob
import hashlib
import os
import re
import secrets
import shutil
import signal
import stat
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from kcdata.paths import RAW_DIR
from kcdata.safetext import escape_control

STAGE_PREFIX = ".kcdata-stage-"
PUBLISH_PREFIX = ".kcdata-publish-"
# The temporary files of atomic_path: ".<name>.<16 hex digits>.tmp".
_TMP_RE = re.compile(r"\..+\.[0-9a-f]{16}\.tmp")


class NotARegularFile(OSError):
    """An output path that exists and is not a regular file (device, FIFO, socket, folder)."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        super().__init__(errno.EEXIST, "not a regular file", os.fspath(path))


class LinkedFolder(OSError):
    """A folder inside an output folder that is a symbolic link: never written through."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        super().__init__(errno.ELOOP, "a symbolic link: kcdata does not write through links",
                         os.fspath(path))


class NotADirectory(OSError):
    """An output folder path that exists and is not a folder."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        super().__init__(errno.ENOTDIR, "not a directory", os.fspath(path))


def check_target(path: str | os.PathLike[str]) -> None:
    """Raise :class:`NotARegularFile` if ``path`` exists (links followed), not a regular file."""
    try:
        mode = os.stat(path).st_mode
    except (FileNotFoundError, NotADirectoryError):
        return
    if not stat.S_ISREG(mode):
        raise NotARegularFile(path)


def _refuse_raw(path: Path) -> None:
    """Raw data is never modified: refuse ``path`` in data/raw/, as written or through links."""
    raw = RAW_DIR.resolve()
    if Path(os.path.abspath(path)).is_relative_to(raw) or path.resolve().is_relative_to(raw):
        raise PermissionError(errno.EACCES, "refusing to write into data/raw/", os.fspath(path))


def _check_targets(out: Path, files: list[Path]) -> None:
    """Refuse a target that is not a regular file or lies under a linked folder of ``out``."""
    for relative in files:
        check_target(out / relative)
        folder = out
        for part in relative.parent.parts:
            folder = folder / part
            if folder.is_symlink():
                raise LinkedFolder(folder)


def _keep_mode(new: Path, target: Path) -> None:
    """Give ``new`` the permission bits (0o777 only) of the regular file ``target``, if any."""
    with contextlib.suppress(FileNotFoundError):
        status = os.lstat(target)
        if stat.S_ISREG(status.st_mode):
            os.chmod(new, stat.S_IMODE(status.st_mode) & 0o777)


def _fsync(path: Path) -> None:
    """Flush a file's data, or a folder's entries, to disk (a folder: where the system can)."""
    try:  # Windows flushes only a file open for writing, and no folder
        fd = os.open(path, os.O_RDWR if os.name == "nt" and path.is_file() else os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError:
        if not path.is_dir():
            raise


@contextlib.contextmanager
def publishing(
    out_dir: str | os.PathLike[str],
    *,
    on_wait: Callable[[Path], None] | None = None,
) -> Iterator[Path]:
    """Yield a fresh staging folder inside ``out_dir``; on success, publish its files as one unit.

    Files keep their path relative to the stage. On an exception (Ctrl-C included) nothing
    is moved and the stage is removed. Refused: ``out_dir`` in data/raw/
    (:class:`PermissionError`), ``out_dir`` not a folder (:class:`NotADirectory`), a target
    that is not a regular file (:class:`NotARegularFile`) or under a linked folder
    (:class:`LinkedFolder`). While another run holds the folder this one waits, after calling
    ``on_wait(out_dir)`` (default: ``OUT: waiting for another kcdata run ...`` on stderr).
    """
    out = Path(out_dir)
    _refuse_raw(out)
    if out.exists() and not out.is_dir():
        raise NotADirectory(out)
    out.mkdir(parents=True, exist_ok=True)
    with _locked(out, on_wait or _say_waiting):
        _recover(out)
        stage = Path(tempfile.mkdtemp(prefix=STAGE_PREFIX, dir=out))
        decided = moved = False
        try:
            yield stage
            files = _staged_files(stage)
            _check_targets(out, files)
            with _signals_held():
                for folder in {stage, *((stage / relative).parent for relative in files)}:
                    _fsync(folder)
                for relative in files:
                    _fsync(stage / relative)
                publish = out / (PUBLISH_PREFIX + stage.name.removeprefix(STAGE_PREFIX))
                os.replace(stage, publish)
                stage, decided = publish, True
                _fsync(out)
                _move_all(publish, out)
                moved = True
        finally:
            if not decided or moved:  # a decided set not moved completely waits for the next run
                with _signals_held():
                    shutil.rmtree(stage, ignore_errors=True)


def _say_waiting(out: Path) -> None:
    print(escape_control(f"{out}: waiting for another kcdata run writing into this folder"),
          file=sys.stderr, flush=True)


def _staged_files(stage: Path) -> list[Path]:
    """The files under ``stage``, relative to it, sorted; temporary files left out."""
    return sorted(path.relative_to(stage) for path in stage.rglob("*")
                  if not path.is_dir() and not _TMP_RE.fullmatch(path.name))


def _move_all(publish: Path, out: Path) -> None:
    """Move every file left in a decided staging folder into place, with the mode of the file
    it replaces; remove the temporary files a killed older kcdata left beside the targets;
    flush the folders."""
    files = _staged_files(publish)
    _check_targets(out, files)
    folders = set()
    for relative in files:
        target = out / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        for leftover in target.parent.glob(f".{glob.escape(target.name)}.*.tmp"):
            if _TMP_RE.fullmatch(leftover.name) and leftover.is_file():
                leftover.unlink(missing_ok=True)
        _keep_mode(publish / relative, target)
        os.replace(publish / relative, target)
        folders.add(target.parent)
    for folder in sorted(folders):
        _fsync(folder)


def _recover(out: Path) -> None:
    """Finish what a killed run decided; remove what it left unfinished (never via a link)."""
    for leftover in [*sorted(out.glob(f"{PUBLISH_PREFIX}*")), *out.glob(f"{STAGE_PREFIX}*")]:
        if leftover.is_dir() and not leftover.is_symlink():
            if leftover.name.startswith(PUBLISH_PREFIX):
                _move_all(leftover, out)
            shutil.rmtree(leftover, ignore_errors=True)


@contextlib.contextmanager
def _locked(out: Path, on_wait: Callable[[Path], None]) -> Iterator[None]:
    """Hold an exclusive ``flock`` on the folder ``out`` itself; wait for it if taken."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: no locking
        yield
        return
    fd = os.open(out, os.O_RDONLY | os.O_DIRECTORY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            on_wait(out)
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # releases the lock


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """Hold back SIGINT and SIGTERM (delivered afterwards) around a step that must not stop."""
    if not hasattr(signal, "pthread_sigmask"):  # pragma: no cover - Windows
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def sha256_of(path: str | os.PathLike[str]) -> str:
    """The SHA-256 of a file, as hex."""
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield an empty temporary file beside ``path``; on success, rename it into place.

    On an exception the temporary file is removed and ``path`` is left as it was. The file
    has the mode ``open()`` gives (0o666 less the umask); a replaced file keeps its permission
    bits; a link at ``path`` is replaced, not followed. Refused before the body runs: a
    ``path`` that is not a regular file (:class:`NotARegularFile`), one in data/raw/. The
    file and its folder are flushed to disk, except inside a stage of :func:`publishing`,
    which flushes once.
    """
    target = Path(os.path.abspath(path))
    _refuse_raw(target)
    check_target(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    durable = not any(part.startswith(STAGE_PREFIX) for part in target.parent.parts)
    tmp = target.with_name(f".{target.name}.{secrets.token_hex(8)}.tmp")
    tmp.touch(exist_ok=False)  # 0o666 less the umask, as open() gives
    try:
        yield tmp
        _keep_mode(tmp, target)
        if durable:
            _fsync(tmp)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    if durable:
        _fsync(target.parent)


def write_bytes_atomic(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically (see :func:`atomic_path`); return the path."""
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)
    return Path(path)

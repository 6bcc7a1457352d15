"""Writing files safely: one file atomically, or a command's files as one unit.

:func:`atomic_path` replaces one file in one step (temporary file, then
``os.replace``); :func:`publishing` publishes a command's files as one unit: all of them, or none.

A command that writes several files (``kcdata report``: the charts and the
workbook; ``kcdata build``: two CSV files) or one (``kcdata diff --out``)
writes them through :func:`publishing`::

    with publishing("reports") as stage:          # a fresh, hidden folder inside reports/
        write_report(df, stage, source=...)        # every file goes into the stage
    # here every file has been moved into reports/, under the same relative path

The guarantee, for one output folder:

* **All or nothing.** Every file is first written into a staging folder
  (``OUT/.kcdata-stage-<random>/``, same relative paths, on the same file
  system). Only when every file is complete (flushed to disk) are they moved
  into place, one rename each, with ``SIGINT``/``SIGTERM`` held back during
  those few renames. A failure or an interrupt before that (bad input, a full
  disk, Ctrl-C) removes the staging folder and leaves the previous files
  exactly as they were.
* **Decided, then finished.** Just before the renames the staging folder is
  renamed to ``OUT/.kcdata-publish-<random>/``: from then on the new set is
  decided. If the process is killed (``kill -9``, power loss) in the middle
  of the renames, the next run into that folder finishes them (moves the
  remaining files) before doing anything else, so the folder again holds one
  complete version.
* **Leftovers are cleaned.** The next run into the folder removes the
  staging folders of killed runs, and the temporary files
  (``.<name>.<hex>.tmp``) that a killed older kcdata left beside the files
  it publishes.
* **One run at a time.** The output folder itself is locked
  (``fcntl.flock`` on the folder, exclusive) for the whole run, from before
  the clean-up to after the last rename. A second run into the same folder
  **waits** for the first to finish, after saying so on stderr
  (``OUT: waiting for another kcdata run writing into this folder``), then
  writes its own complete set: the folder ends with every file from one
  version, the last run's. The lock is the folder's own, so no lock file is
  left anywhere; it is released by the system when a process dies. Where
  ``fcntl`` does not exist (Windows) runs are not locked.
* **Only regular files are replaced.** A target that exists and is not a
  regular file (a device, a FIFO, a socket, a folder) is refused with
  :class:`NotARegularFile` before anything is moved; a file that is replaced
  keeps its permission bits (a 0600 file stays 0600); a new file gets
  0666 less the umask.

Readers of the folder (another program) may see, for the few microseconds of
the renames, some files of the new version beside files of the old one.
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
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

from kcdata.paths import RAW_DIR

__all__ = [
    "PUBLISH_PREFIX",
    "STAGE_PREFIX",
    "LinkedFolder",
    "NotADirectory",
    "NotARegularFile",
    "atomic_path",
    "check_target",
    "fsync_directory",
    "fsync_file",
    "publishing",
    "sha256_of",
    "write_bytes_atomic",
]

#: Name prefix of a staging folder (a run in progress, or a killed one's leftovers).
STAGE_PREFIX = ".kcdata-stage-"
#: Name prefix of a staging folder whose files are being moved into place.
PUBLISH_PREFIX = ".kcdata-publish-"
# The temporary files of kcdata.files.atomic_path: ".<name>.<16 hex digits>.tmp".
_ATOMIC_TMP_RE = re.compile(r"\.(?P<name>.+)\.[0-9a-f]{16}\.tmp")


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
    """Raise :class:`NotARegularFile` if ``path`` exists and is not a regular file.

    A symbolic link is judged by what it points to (a link to ``/dev/null`` is
    refused). A path that does not exist is fine.

    >>> check_target("/dev/null")
    Traceback (most recent call last):
    ...
    kcdata.files.NotARegularFile: [Errno 17] not a regular file: '/dev/null'
    """
    try:
        mode = os.stat(path).st_mode
    except (FileNotFoundError, NotADirectoryError):
        return
    if not stat.S_ISREG(mode):
        raise NotARegularFile(path)


@contextlib.contextmanager
def publishing(
    out_dir: str | os.PathLike[str],
    *,
    on_wait: Callable[[Path], None] | None = None,
) -> Iterator[Path]:
    """Yield a fresh staging folder inside ``out_dir``; on success, publish its files.

    Everything the body writes under the staging folder is moved into
    ``out_dir`` under the same relative path, as one unit (see the module's
    docstring for the guarantee). On an exception (``KeyboardInterrupt``
    included) nothing is moved, the staging folder is removed and the
    exception goes on. ``out_dir`` is created if needed; it is refused when it
    exists and is not a folder (:class:`NotADirectory`) and when it lies in
    ``data/raw/`` (:class:`PermissionError`). A target that is not a regular
    file raises :class:`NotARegularFile`, and nothing is moved.

    While another run holds the folder, this one waits; ``on_wait(out_dir)``
    is called once first (by default it prints
    ``OUT: waiting for another kcdata run writing into this folder`` on
    stderr). Cost: one rename per file, plus a flush of each folder touched.
    """
    out = Path(out_dir)
    if _in_raw(out):
        raise PermissionError(errno.EACCES, "refusing to write into data/raw/", os.fspath(out))
    if out.exists() and not out.is_dir():
        raise NotADirectory(out)
    out.mkdir(parents=True, exist_ok=True)
    with _locked(out, on_wait or _say_waiting):
        _recover(out)
        stage = out / f"{STAGE_PREFIX}{secrets.token_hex(8)}"
        stage.mkdir()
        decided = moved = False
        try:
            yield stage
            files = _staged_files(stage)
            for relative in files:
                check_target(out / relative)
                _check_no_link(out, relative)
            with _signals_held():
                _prepare(stage, out, files)
                publish = stage.with_name(PUBLISH_PREFIX + stage.name[len(STAGE_PREFIX):])
                os.replace(stage, publish)
                stage, decided = publish, True
                fsync_directory(out)
                _move_all(publish, out)
                moved = True
        finally:
            # A decided set that could not be moved completely stays for the next run.
            if not decided or moved:
                with _signals_held():
                    shutil.rmtree(stage, ignore_errors=True)


def _say_waiting(out: Path) -> None:
    from kcdata.safetext import escape_control

    print(escape_control(f"{out}: waiting for another kcdata run writing into this folder"),
          file=sys.stderr, flush=True)


def _staged_files(stage: Path) -> list[Path]:
    """The files under ``stage``, as paths relative to it, sorted; temporaries left out."""
    files = []
    for path in stage.rglob("*"):
        if path.is_dir() or _ATOMIC_TMP_RE.fullmatch(path.name):
            continue
        files.append(path.relative_to(stage))
    return sorted(files)


def _prepare(stage: Path, out: Path, files: list[Path]) -> None:
    """Give each staged file the permission bits of the file it replaces; make folders.

    Also removes the temporary files (``.<name>.<hex>.tmp``) that a killed
    older kcdata left beside each target.
    """
    for folder in {stage, *((stage / relative).parent for relative in files)}:
        fsync_directory(folder)
    for relative in files:
        fsync_file(stage / relative)  # complete on disk before the set is decided
        target = out / relative
        _check_no_link(out, relative)
        target.parent.mkdir(parents=True, exist_ok=True)
        for leftover in target.parent.glob(f".{glob.escape(target.name)}.*.tmp"):
            if _ATOMIC_TMP_RE.fullmatch(leftover.name) and leftover.is_file():
                leftover.unlink(missing_ok=True)
        _keep_mode(stage / relative, target)


def _move_all(publish: Path, out: Path) -> None:
    """Move every file left in a decided staging folder into place; flush the folders."""
    folders = set()
    for relative in _staged_files(publish):
        target = out / relative
        check_target(target)
        _check_no_link(out, relative)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(publish / relative, target)
        folders.add(target.parent)
    for folder in sorted(folders):
        fsync_directory(folder)


def _real_folder(path: Path) -> bool:
    """A folder that is not a symbolic link (nor reached through one at its last step)."""
    return path.is_dir() and not path.is_symlink()


def _check_no_link(out: Path, relative: Path) -> None:
    """Refuse a folder between ``out`` and ``out / relative`` that is a symbolic link.

    Publishing never writes through a link it did not make: a ``figures``
    link planted in the output folder would send the files elsewhere.
    """
    folder = out
    for part in relative.parent.parts:
        folder = folder / part
        if folder.is_symlink():
            raise LinkedFolder(folder)


def _keep_mode(new: Path, target: Path) -> None:
    """Give ``new`` the permission bits of the regular file ``target`` it replaces.

    Only the read, write and execute bits (0o777): never setuid, setgid or
    sticky, and nothing from what a symbolic link points to (a new file keeps
    0o666 less the umask).
    """
    try:
        status = os.lstat(target)
    except FileNotFoundError:
        return
    if stat.S_ISREG(status.st_mode):
        os.chmod(new, stat.S_IMODE(status.st_mode) & 0o777)


def _in_raw(path: Path) -> bool:
    """``path`` lies in data/raw/, as written or once its links are followed."""
    raw = RAW_DIR.resolve()
    return Path(os.path.abspath(path)).is_relative_to(raw) or path.resolve().is_relative_to(raw)


def _recover(out: Path) -> None:
    """Finish what a killed run decided, and remove what it left unfinished."""
    for leftover in sorted(out.glob(f"{PUBLISH_PREFIX}*")):
        if _real_folder(leftover):  # a link planted under our name is never followed
            _move_all(leftover, out)
            shutil.rmtree(leftover, ignore_errors=True)
    for leftover in out.glob(f"{STAGE_PREFIX}*"):
        if _real_folder(leftover):
            shutil.rmtree(leftover, ignore_errors=True)


@contextlib.contextmanager
def _locked(out: Path, on_wait: Callable[[Path], None] | None) -> Iterator[None]:
    """Hold an exclusive ``flock`` on the folder ``out`` itself; wait for it if taken."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: no locking
        yield
        return
    fd = os.open(out, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0))
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if on_wait is not None:
                on_wait(out)
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # releases the lock


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """Hold back SIGINT and SIGTERM (delivered on exit) around a step that must not stop.

    Only in the main thread of a POSIX process; elsewhere a no-op.
    """
    held = {signal.SIGINT, signal.SIGTERM}
    if not hasattr(signal, "pthread_sigmask") or threading.current_thread() is not (
        threading.main_thread()
    ):
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)

def sha256_of(path: str | os.PathLike[str]) -> str:
    """The SHA-256 of a file, as hex."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; on success, rename it into place.

    Whatever the body writes to the temporary path replaces ``path`` in one
    step, so a failure (an exception, a crash) never leaves a half-written file
    and never overwrites a good one: the temporary file is flushed to disk
    (``os.fsync``) before the rename, and the folder after it where the system
    allows (POSIX). On an exception the temporary file is removed and ``path``
    is left as it was. Inside a staging folder of :func:`kcdata.files.publishing`
    the flushes are left to the publisher, which makes them once per file.

    The temporary file is created empty, under a random name in ``path``'s
    folder, with mode 0o666 less the umask — the permissions ``open()`` would
    give a new file — so the result has ordinary permissions (not
    ``mkstemp``'s 0o600) without touching the process-wide umask; a file that
    is replaced keeps its permission bits. A ``path`` that exists and is not a
    regular file (a device, a FIFO, a socket, a folder) is refused with
    :class:`kcdata.files.NotARegularFile`, before the body runs. Writing into
    ``data/raw/`` is refused: raw data is never modified.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     with atomic_path(Path(folder) / "out.txt") as tmp:
    ...         _ = tmp.write_text("done")
    ...     sorted(p.name for p in Path(folder).iterdir())
    ['out.txt']
    """
    target = Path(os.path.abspath(path))  # a link at ``path`` is replaced, never followed
    if _in_raw(target):
        raise PermissionError(f"refusing to write into data/raw/: {target}")
    check_target(target)  # a device, a FIFO, a socket or a folder is never replaced
    target.parent.mkdir(parents=True, exist_ok=True)
    # Inside a staging folder of publishing() the publisher flushes every file once,
    # before it publishes them: flushing here too would be the same work twice.
    durable = not any(part.startswith(STAGE_PREFIX) for part in target.parent.parts)
    tmp = _create_empty(target)
    try:
        yield tmp
        _keep_mode(tmp, target)
        if durable:
            fsync_file(tmp)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    if durable:
        fsync_directory(target.parent)


def _create_empty(target: Path) -> Path:
    """A new empty file beside ``target``, made as ``open()`` makes one (0o666 less the umask)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    for _ in range(100):
        tmp = target.with_name(f".{target.name}.{secrets.token_hex(8)}.tmp")
        try:
            os.close(os.open(tmp, flags, 0o666))
        except FileExistsError:  # pragma: no cover - 64 random bits
            continue
        return tmp
    raise FileExistsError(f"no free temporary name beside {target}")  # pragma: no cover


def fsync_file(path: Path) -> None:
    """Flush ``path``'s data to disk (Windows needs a handle open for writing)."""
    fd = os.open(path, os.O_RDONLY if os.name == "posix" else os.O_RDWR)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_directory(folder: Path) -> None:
    """Flush a folder's entries (a rename) to disk; skipped where folders cannot be opened."""
    directory = getattr(os, "O_DIRECTORY", None)
    if directory is None:  # pragma: no cover - Windows
        return
    try:
        fd = os.open(folder, os.O_RDONLY | directory)
    except OSError:  # pragma: no cover
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover - file systems that cannot sync a folder
        pass
    finally:
        os.close(fd)


def write_bytes_atomic(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically (see :func:`atomic_path`); return the path."""
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)
    return Path(path)

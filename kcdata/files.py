"""Writing output files safely: atomic replacement, ordinary permissions, hashes."""

from __future__ import annotations

import contextlib
import hashlib
import os
import secrets
import stat
from collections.abc import Iterator
from pathlib import Path

from kcdata.paths import RAW_DIR

_STAGE_PREFIX = ".kcdata-stage-"  # kcdata.publish.STAGE_PREFIX (publish imports this module)

__all__ = ["atomic_path", "fsync_directory", "fsync_file", "sha256_of", "write_bytes_atomic"]


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
    is left as it was. Inside a staging folder of :func:`kcdata.publish.publishing`
    the flushes are left to the publisher, which makes them once per file.

    The temporary file is created empty, under a random name in ``path``'s
    folder, with mode 0o666 less the umask — the permissions ``open()`` would
    give a new file — so the result has ordinary permissions (not
    ``mkstemp``'s 0o600) without touching the process-wide umask; a file that
    is replaced keeps its permission bits. A ``path`` that exists and is not a
    regular file (a device, a FIFO, a socket, a folder) is refused with
    :class:`kcdata.publish.NotARegularFile`, before the body runs. Writing into
    ``data/raw/`` is refused: raw data is never modified.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     with atomic_path(Path(folder) / "out.txt") as tmp:
    ...         _ = tmp.write_text("done")
    ...     sorted(p.name for p in Path(folder).iterdir())
    ['out.txt']
    """
    target = Path(path).resolve()
    if target.is_relative_to(RAW_DIR.resolve()):
        raise PermissionError(f"refusing to write into data/raw/: {target}")
    from kcdata.publish import check_target

    check_target(target)  # a device, a FIFO, a socket or a folder is never replaced
    target.parent.mkdir(parents=True, exist_ok=True)
    # Inside a staging folder of kcdata.publish the publisher flushes every file once,
    # before it publishes them: flushing here too would be the same work twice.
    durable = not any(part.startswith(_STAGE_PREFIX) for part in target.parent.parts)
    tmp = _create_empty(target)
    try:
        yield tmp
        with contextlib.suppress(FileNotFoundError):  # a replaced file keeps its mode
            os.chmod(tmp, stat.S_IMODE(os.stat(target).st_mode))
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

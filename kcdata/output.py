"""Writing output files safely: atomic replacement, ordinary permissions, hashes."""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from .paths import RAW_DIR

__all__ = ["atomic_path", "sha256_of", "write_bytes_atomic"]


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
    and never overwrites a good one. The file gets ordinary permissions (as
    ``open()`` would create it under the current umask), not ``mkstemp``'s 0600.
    Writing into ``data/raw/`` is refused: raw data is never modified.
    """
    target = Path(path).resolve()
    if target.is_relative_to(RAW_DIR.resolve()):
        raise PermissionError(f"refusing to write into data/raw/: {target}")
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def write_bytes_atomic(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically (see :func:`atomic_path`); return the path."""
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)
    return Path(path)

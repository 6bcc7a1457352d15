"""Reading a source document once, as bytes, with the SHA-256 of those very bytes.

A path that is not a regular file (a folder, a FIFO, a device, a socket) and a source
larger than ``max_bytes`` are refused with :class:`SourceError` before any byte is parsed.
"""

from __future__ import annotations

import hashlib
import os
import stat
import sys
from dataclasses import dataclass
from functools import cached_property
from typing import BinaryIO

from kcdata.messages import translate as _

__all__ = ["MAX_SOURCE_BYTES", "STDIN", "Source", "SourceError", "read_source"]

MAX_SOURCE_BYTES = 256 * 1024 * 1024
#: The name that means standard input.
STDIN = "-"


class SourceError(OSError):
    """A source that is refused before it is read (not a regular file, too large)."""


@dataclass(frozen=True)
class Source:
    """A document's bytes as read, and the name given."""

    name: str
    data: bytes

    @cached_property
    def sha256(self) -> str:
        """The SHA-256 (hex) of :attr:`data`, computed when first asked for."""
        return hashlib.sha256(self.data).hexdigest()


def read_source(
    path: str | os.PathLike[str], *, max_bytes: int = MAX_SOURCE_BYTES
) -> Source:
    """Read a regular file, or ``"-"`` (standard input), once: at most ``max_bytes``.

    Raises :class:`SourceError` (an :class:`OSError`) for a path that is not a regular
    file or a source larger than ``max_bytes`` (a file from its size, before reading).

    >>> import tempfile
    >>> with tempfile.NamedTemporaryFile(suffix=".txt") as f:
    ...     _ = f.write(b"abc")
    ...     f.flush()
    ...     source = read_source(f.name)
    >>> source.data, source.sha256[:12]
    (b'abc', 'ba7816bf8f01')
    """
    name = os.fspath(path)
    if name == STDIN:
        return Source(name, _read_bounded(sys.stdin.buffer, max_bytes))
    info = os.stat(name)
    if not stat.S_ISREG(info.st_mode):
        raise SourceError(_("not a regular file ({kind})").format(kind=_kind(info.st_mode)))
    if info.st_size > max_bytes:
        raise SourceError(_too_large(max_bytes))
    with open(name, "rb") as f:
        return Source(name, _read_bounded(f, max_bytes))


def _read_bounded(f: BinaryIO, max_bytes: int) -> bytes:
    """Read ``f`` to its end, refusing it once more than ``max_bytes`` have come."""
    data = bytearray()
    while chunk := f.read(1 << 20):
        data += chunk
        if len(data) > max_bytes:
            raise SourceError(_too_large(max_bytes))
    return bytes(data)


def _too_large(max_bytes: int) -> str:
    return _("larger than the limit of {bytes:,} bytes ({mib:g} MiB)").format(
        bytes=max_bytes, mib=max_bytes / 2**20)


def _kind(mode: int) -> str:
    words = {
        stat.S_IFDIR: _("a folder"),
        stat.S_IFIFO: _("a FIFO"),
        stat.S_IFCHR: _("a character device"),
        stat.S_IFBLK: _("a block device"),
        stat.S_IFSOCK: _("a socket"),
    }
    return words.get(stat.S_IFMT(mode), _("a special file"))

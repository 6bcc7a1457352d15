"""Reading a source document once, as bytes, with its SHA-256.

Every command reads its documents through :func:`read_source`: the bytes are
read once, from a regular file (or standard input for ``-``), and the
SHA-256 that the workbooks' 概要 sheets show is computed from those same
bytes, so the hash always describes what was parsed, even if the file changes
while the command runs. What is refused, before any byte is parsed, with an
:class:`OSError` whose message says why:

* a path that is not a regular file: a folder, a FIFO (reading would block
  until some other program writes), a device (``/dev/zero`` never ends), a
  socket;
* a file (or standard input) larger than ``max_bytes``
  (:data:`MAX_SOURCE_BYTES` by default): its size is checked before reading,
  and reading stops one byte past the limit, so a file that grows meanwhile
  or a stream that never ends costs at most ``max_bytes`` of memory.

No memory map is used: a file truncated while it is read gives fewer bytes,
never a crash (``SIGBUS``).
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
import sys
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import BinaryIO

from kcdata.messages import translate as _

__all__ = ["MAX_SOURCE_BYTES", "STDIN", "Source", "SourceError", "read_source"]

#: The largest source accepted: 256 MiB, about 1.6 million listings in the bundled
#: document's format (parsing one takes about 6 times its size in memory at the peak).
MAX_SOURCE_BYTES = 256 * 1024 * 1024
#: The name that means standard input.
STDIN = "-"
_CHUNK = 1 << 20


class SourceError(OSError):
    """A source that is refused before it is read (not a regular file, too large)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.strerror = reason
        self.reason = reason


@dataclass(frozen=True)
class Source:
    """A document's bytes as read, and the name given."""

    name: str
    data: bytes

    @cached_property
    def sha256(self) -> str:
        """The SHA-256 (hex) of :attr:`data`: of the very bytes that are parsed.

        Computed when first asked for (one pass over the bytes); reading a
        document to parse it does not need it.
        """
        return hashlib.sha256(self.data).hexdigest()

    @property
    def stem(self) -> str:
        """The file name without its suffix (``"stdin"`` for standard input)."""
        return "stdin" if self.name == STDIN else Path(self.name).stem


def read_source(
    path: str | os.PathLike[str], *, max_bytes: int = MAX_SOURCE_BYTES
) -> Source:
    """Read a document once: its bytes and their SHA-256.

    ``path`` is a regular file, or ``"-"`` for standard input (read until its
    end, at most ``max_bytes``). Raises :class:`SourceError` (an
    :class:`OSError`) for a path that is not a regular file or a source larger
    than ``max_bytes``, and :class:`OSError` for a file that cannot be opened.
    Cost: one read of the file (and one pass of SHA-256 over the bytes when
    :attr:`Source.sha256` is asked for); memory: the bytes once.

    >>> import tempfile
    >>> with tempfile.NamedTemporaryFile(suffix=".txt") as f:
    ...     _ = f.write(b"abc"); f.flush()
    ...     source = read_source(f.name)
    >>> source.data, source.sha256[:12]
    (b'abc', 'ba7816bf8f01')
    """
    name = os.fspath(path)
    if name == STDIN:
        return Source(name, _read_bounded(sys.stdin.buffer, max_bytes, "standard input"))
    # O_NONBLOCK: opening a FIFO must not wait for a writer; it changes nothing for a
    # regular file, which is all that is read.
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    flags |= getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(name, flags)
    except IsADirectoryError:
        raise SourceError(_("not a regular file (a folder)")) from None
    except OSError as err:
        if err.errno != errno.ENXIO:  # a socket (or a device without a driver) cannot be opened
            raise
        raise SourceError(_("not a regular file ({kind})").format(
            kind=_kind(os.stat(name).st_mode))) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise SourceError(_("not a regular file ({kind})").format(kind=_kind(info.st_mode)))
        if info.st_size > max_bytes:
            raise SourceError(_too_large(max_bytes))
    except BaseException:
        os.close(fd)
        raise
    with open(fd, "rb", buffering=0, closefd=True) as f:
        # The file's size as one first read: one copy of the bytes, not chunks joined.
        return Source(name, _read_bounded(f, max_bytes, name, first=info.st_size + 1))


def _read_bounded(f: BinaryIO, max_bytes: int, what: str, first: int = _CHUNK) -> bytes:
    """Read ``f`` to its end, refusing it once more than ``max_bytes`` have come.

    ``first`` is the size of the first read (then chunks of 1 MiB, for a file
    that grows meanwhile or a stream); one read is joined without a copy.
    """
    chunks: list[bytes] = []
    size = 0
    while True:
        chunk = f.read(min(first if not chunks else _CHUNK, max_bytes + 1 - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
        if size > max_bytes:
            raise SourceError(_too_large(max_bytes))
    return b"".join(chunks)


def _too_large(max_bytes: int) -> str:
    return _("larger than the limit of {bytes:,} bytes ({mib:g} MiB)").format(
        bytes=max_bytes, mib=max_bytes / 2**20)


def _kind(mode: int) -> str:
    """What a non-regular file is, in a word."""
    for test, word in (
        (stat.S_ISDIR, _("a folder")),
        (stat.S_ISFIFO, _("a FIFO")),
        (stat.S_ISCHR, _("a character device")),
        (stat.S_ISBLK, _("a block device")),
        (stat.S_ISSOCK, _("a socket")),
    ):
        if test(mode):
            return word
    return _("a special file")

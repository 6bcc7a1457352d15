"""Read the plan's measure tables: bytes or text -> one tidy row per listing.

The document format (text extracted from the plan's PDF):

* free text before the first 基本方針 heading (a chapter title) is skipped;
* ``基本方針N <title>`` and ``施策の方向性(N) <title>`` headings (N in half- or
  full-width digits, brackets of either width, spacing optional);
* a header row ``事業名<TAB>事業概要<TAB>所管する課`` and one row per listing;
* blank lines anywhere, a table continuing without its header, and a header
  repeated mid-table (page-break artefacts);
* 【再掲】 before a name marks a listing re-listed from another section;
* several departments in 所管する課, separated by ASCII or full-width spaces.

Every line is accounted for: after the first 基本方針 heading a non-blank line
is a heading, a header row or a listing, or the document is rejected with a
:class:`ParseError` naming the line.

The parser is vectorised, with no Python loop per line. One NumPy scan finds
the tabs, line ends and spaces and reads the bytes around each separator;
lines are classified and sections forward-filled with NumPy. Each text column
is built as an Arrow ``string_view`` array whose views point into the
document, or into the cleaned text of the few cells the clean-up changes, and
is copied out once by a cast. The clean-up's rule is read off the bytes
(:func:`kcdata.normalize.removed_space_runs`); only cells that may start or
end with white space go through its regular expressions.
``benchmarks/README.md`` has the figures.
"""

from __future__ import annotations

import codecs
import concurrent.futures
import contextlib
import mmap
import os
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .normalize import (
    all_of,
    as_departments,
    clean_text_array,
    removed_space_runs,
    white_at_end,
    white_at_start,
)

__all__ = [
    "COLUMNS",
    "HEADER",
    "RELISTED_MARK",
    "ParseError",
    "decode_document",
    "parse_measures",
    "read_measures",
]

#: The header row of every table, after clean-up.
HEADER = ("事業名", "事業概要", "所管する課")
#: The mark before a re-listed measure's name.
RELISTED_MARK = "【再掲】"
#: Encodings tried, in order, when ``encoding=None``.
ENCODINGS = ("utf-8", "cp932")
#: The columns of the listing table, in order.
COLUMNS = [
    "policy_no",
    "policy",
    "direction_no",
    "direction",
    "measure",
    "summary",
    "departments",
    "relisted",
    "line",
]

_BOM = b"\xef\xbb\xbf"
_OVERLAP_MIN = 1 << 20  # documents this long or longer are checked for UTF-8 on a second thread
_INT32_LIMIT = 2**31  # documents this long or longer use 64-bit positions
_CELL_LIMIT = 2**31 - 1  # the longest field: Arrow string views have 32-bit lengths
_WS = r"[\s\x{3000}]*"
_DIGITS = r"[0-9\x{FF10}-\x{FF19}]+"
# Either heading, up to its title: the prefix's length in bytes tells where the title starts.
_HEADING_RE = (
    rf"^(?P<prefix>{_WS}(?:基本方針{_WS}(?P<policy>{_DIGITS})"
    rf"|施策の方向性{_WS}[(\x{{FF08}}]{_WS}(?P<direction>{_DIGITS}){_WS}[)\x{{FF09}}]))"
)


class ParseError(ValueError):
    """A document that is not in the plan's format.

    ``line`` is the 1-based line number of the offending line, or ``None`` for
    a problem of the whole document (no measures, an unknown encoding);
    ``reason`` says what is wrong.
    """

    def __init__(self, reason: str, line: int | None = None) -> None:
        self.reason = reason
        self.line = line
        super().__init__(f"line {line}: {reason}" if line is not None else reason)

    def __reduce__(self):  # keep pickling (multiprocessing, joblib) working
        return type(self), (self.reason, self.line)


def read_measures(path: str | os.PathLike[str], *, encoding: str | None = None) -> pd.DataFrame:
    """Read a measures document from a file into the listing table.

    With ``encoding=None`` the bytes may be UTF-8 (with or without BOM) or
    CP932/Shift_JIS; line ends may be LF or CRLF. See :func:`parse_measures`
    for the columns. The file is mapped, not read; from 1 MiB on, its UTF-8
    is checked on a second thread while this one scans it.

    >>> from kcdata.paths import BUNDLED_DOCUMENT
    >>> len(read_measures(BUNDLED_DOCUMENT))
    110
    """
    with open(path, "rb") as f:
        try:
            # Mapped, not read: no copy of the document and far fewer fresh memory pages
            # (at 10^6 listings about 10 % of the time). The table holds copies only.
            mapped = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
        except (ValueError, OSError):  # an empty file or a pipe: nothing to map
            return _parse_bytes(f.read(), encoding)
    try:
        try:
            return _parse_bytes(memoryview(mapped), encoding)
        except ParseError as err:
            reason, line = err.reason, err.line
        # Raised anew outside the handler, so that no frame still holds a view of the map
        # and it can be closed now (on Windows a mapped file cannot be replaced).
        raise ParseError(reason, line)
    finally:
        with contextlib.suppress(BufferError):  # a view still alive: unmapped when it goes
            mapped.close()


def parse_measures(text: str) -> pd.DataFrame:
    """Parse a measures document given as a string into the listing table.

    One row per listing (a row of a table, 【再掲】 included), in document order:

    ============  =====  ==================================================
    column        dtype  meaning
    ============  =====  ==================================================
    policy_no     int64  number of the 基本方針
    policy        str    its title
    direction_no  int64  number of the 施策の方向性 within the 基本方針
    direction     str    its title
    measure       str    事業名, without the 【再掲】 mark
    summary       str    事業概要 (may be empty)
    departments   object 所管する課 as a tuple of names (co-managed: 2 or more)
    relisted      bool   the name carried the 【再掲】 mark
    line          int64  1-based line of the listing in the source
    ============  =====  ==================================================

    Text is cleaned of extraction artefacts (see :mod:`kcdata.normalize`).

    >>> doc = "基本方針1 方針\\n施策の方向性(1) 方向\\n" "A 事業\\t概要\\t甲課 乙課\\n"
    >>> parse_measures(doc).loc[0, ["measure", "departments"]].tolist()
    ['A事業', ('甲課', '乙課')]
    """
    if text.startswith("\ufeff"):
        text = text[1:]
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError as err:
        line = text.count("\n", 0, err.start) + 1
        raise ParseError(
            "text holds a lone surrogate, which no encoding can represent", line
        ) from None
    return _parse_utf8(data)


def decode_document(
    data: bytes | memoryview, *, encoding: str | None = None
) -> bytes | memoryview:
    """Return the document's text as UTF-8 bytes without a BOM.

    With ``encoding=None``, UTF-8 (BOM optional) is tried, then CP932 (a
    superset of Shift_JIS). Bytes that are none of them raise
    :class:`ParseError` with ``line=None``. UTF-8 input is returned as it is
    (a view without the BOM), not copied.
    """
    if encoding is not None:
        try:
            text = codecs.decode(data, encoding)
        except LookupError:
            raise ParseError(f"unknown encoding {encoding!r}") from None
        except UnicodeDecodeError as err:
            raise ParseError(f"the bytes are not valid {encoding}: {err.reason}") from None
        return text.removeprefix("\ufeff").encode("utf-8")
    view = _without_bom(data)
    return view if _is_utf8(view) else _from_cp932(view)


def _without_bom(data: bytes | memoryview) -> memoryview:
    view = memoryview(data)
    return view[len(_BOM) :] if view[: len(_BOM)] == _BOM else view


def _from_cp932(data: memoryview) -> bytes:
    try:
        return codecs.decode(data, "cp932").encode("utf-8")
    except UnicodeDecodeError:
        raise ParseError(
            "the bytes are none of the accepted encodings (UTF-8, UTF-8 with BOM, CP932/Shift_JIS)"
        ) from None


def _parse_bytes(data: bytes | memoryview, encoding: str | None) -> pd.DataFrame:
    """Decode a document's bytes (see :func:`decode_document`) and parse them.

    A long document is checked for UTF-8 on a second thread while this one
    cuts it into cells: Arrow's check and NumPy's scan both release the GIL,
    so on a machine with two cores the check costs no time. Bytes that turn
    out not to be UTF-8 are decoded as CP932 and cut again.
    """
    if encoding is not None or len(data) < _OVERLAP_MIN:
        return _parse_utf8(decode_document(data, encoding=encoding))
    view = _without_bom(data)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        try:
            utf8 = pool.submit(_is_utf8, view)
        except RuntimeError:  # no new threads once the interpreter is shutting down
            return _parse_utf8(decode_document(view))
        cells = _Cells.cut(view)
        is_utf8 = utf8.result()
    if is_utf8:
        return _parse_cells(cells)
    del cells
    return _parse_utf8(_from_cp932(view))


def _is_utf8(data: bytes | memoryview) -> bool:
    try:
        _one_string(data).validate(full=True)
    except pa.ArrowInvalid:
        return False
    return True


def _one_string(data: bytes | memoryview) -> pa.Array:
    """A one-element Arrow string array over ``data``, without copying it."""
    offsets = pa.py_buffer(np.array([0, len(data)], dtype=np.int64))
    return pa.Array.from_buffers(pa.large_string(), 1, [None, offsets, pa.py_buffer(data)])


@dataclass(frozen=True)
class _Cells:
    """The document cut at every tab and line end, without copying its bytes.

    Cells are the byte ranges between separators, numbered in document
    order; line ``i`` holds cells ``first[i]`` to ``first[i] + tabs[i]``.
    """

    buf: np.ndarray  # the document's bytes (read-only)
    document: pa.Buffer  # the same bytes, for Arrow arrays over them
    starts: np.ndarray  # byte range of each cell
    ends: np.ndarray
    first: np.ndarray  # first cell of each line
    tabs: np.ndarray  # tabs in each line
    edges: np.ndarray  # cells that may start or end in white space (see white_at_start)
    changed: np.ndarray  # cells with a run of spaces the clean-up removes (see removed_space_runs)
    runs: tuple[np.ndarray, np.ndarray, np.ndarray]  # those runs: start, end, cell
    heads: np.ndarray  # the 4 bytes from each cell's start, as little-endian uint32
    tails: np.ndarray  # the 3 bytes before each cell's end (and the 1 after), likewise

    @classmethod
    def cut(cls, data: bytes | memoryview) -> _Cells:
        buf = np.frombuffer(data, dtype=np.uint8)
        # 32-bit positions where they fit: less memory traffic.
        index = np.int32 if len(buf) < _INT32_LIMIT else np.int64
        separators, newline, words, spaces, widths = _scan(buf, index)
        starts = np.concatenate((np.zeros(1, dtype=index), separators + 1))
        ends = np.append(separators, np.array(len(buf), dtype=index))
        line_ends = np.flatnonzero(newline).astype(index)  # the cell each line ends with
        first = np.concatenate((np.zeros(1, dtype=index), line_ends + 1))
        last = np.append(line_ends, np.array(len(separators), dtype=index))
        if len(buf) > _CELL_LIMIT:  # only then can a cell be too long for a string view
            too_long = np.flatnonzero(ends - starts > _CELL_LIMIT)
            if len(too_long):
                line = int(np.searchsorted(first, too_long[0], side="right"))
                raise ParseError(f"a field longer than {_CELL_LIMIT} bytes", line)
        # The bytes around each cell boundary (the start, each separator, the end): 3 before
        # it, the boundary, 4 after it. One read gives the ends of the cells on both sides.
        around = words.view(np.uint8).reshape(-1, 8)
        edges = white_at_start(*(np.ascontiguousarray(around[:-1, k]) for k in (4, 5, 6)))
        edges |= white_at_end(*(np.ascontiguousarray(around[1:, k]) for k in (0, 1, 2)))
        halves = words.view("<u4").reshape(-1, 2)  # low and high half
        run_starts, run_ends = removed_space_runs(buf, spaces, widths)
        run_cells = np.searchsorted(separators, run_starts)
        changed = np.zeros(len(edges), dtype=bool)
        changed[run_cells] = True
        return cls(
            buf=buf,
            document=pa.py_buffer(data),
            starts=starts,
            ends=ends,
            first=first,
            tabs=last - first,
            edges=edges,
            changed=changed,
            runs=(run_starts, run_ends, run_cells),
            heads=halves[:-1, 1],
            tails=halves[1:, 0],
        )

    def take(self, cells: np.ndarray) -> pa.Array:
        """The raw text of ``cells`` as a new ``large_string`` array."""
        return self.column(cells)

    def column(
        self, cells: np.ndarray, replaced: np.ndarray | None = None, by: pa.Array | None = None
    ) -> pa.Array:
        """The text of ``cells`` as a new ``large_string`` array, with ``by`` at rows ``replaced``.

        One copy of the column's text, however many of its cells are replaced
        (see :meth:`viewed`).
        """
        return self.viewed(cells, replaced, by).cast(pa.large_string())

    def viewed(
        self, cells: np.ndarray, replaced: np.ndarray | None = None, by: pa.Array | None = None
    ) -> pa.Array:
        """The text of ``cells``, with ``by`` at rows ``replaced``, as a ``string_view`` array.

        Its views point into the document (or into ``by``): nothing is copied.
        """
        starts = self.starts[cells]
        views = _views(self.buf, starts, self.ends[cells] - starts, 0, self.heads[cells])
        buffers = _blocks_of(self.document)
        if replaced is not None and len(replaced):
            text, offsets = _text_and_offsets(by)
            views[replaced] = _views(text, offsets[:-1], np.diff(offsets), len(buffers))
            buffers += _blocks_of(pa.py_buffer(text))
        return _viewing(views, buffers)

    def cleaned(self, cells: np.ndarray) -> pa.Array:
        """The text of ``cells`` (in increasing order) after the clean-up."""
        edges = self.edges[cells]
        slow = np.flatnonzero(edges)  # trimmed, then cleaned by the rule itself
        fast = np.flatnonzero(self.changed[cells] & ~edges)
        fixes = [clean_text_array(self.take(cells[slow])), self.stripped(cells[fast])]
        return self.column(cells, np.concatenate((slow, fast)), pa.concat_arrays(fixes))

    def stripped(self, cells: np.ndarray) -> pa.Array:
        """The text of ``cells`` without their removed runs of spaces (:func:`removed_space_runs`).

        ``cells`` are in increasing order, and neither start nor end with white space.
        """
        taken = self.take(cells)
        run_starts, run_ends, run_cells = self.runs
        # The runs of each cell are consecutive (runs are in document order).
        lo = np.searchsorted(run_cells, cells, side="left")
        count = np.searchsorted(run_cells, cells, side="right") - lo
        row = np.repeat(np.arange(len(cells)), count)
        inside = np.arange(len(row)) + np.repeat(lo - (np.cumsum(count) - count), count)
        run_cells = run_cells[inside]
        offsets = np.frombuffer(taken.buffers()[1], dtype=np.int64)[: len(cells) + 1]
        shift = offsets[row] - self.starts[run_cells]
        starts, ends = run_starts[inside] + shift, run_ends[inside] + shift
        data = taken.buffers()[2]
        text = np.frombuffer(data, dtype=np.uint8) if data is not None else np.empty(0, np.uint8)
        inside_run = np.zeros(len(text) + 1, dtype=np.int8)
        inside_run[starts] = 1  # runs do not touch: no start is another run's end
        inside_run[ends] = -1
        kept = text[np.cumsum(inside_run[:-1], dtype=np.int8) == 0]
        removed = np.bincount(row, weights=ends - starts, minlength=len(cells))
        offsets = offsets - np.concatenate(([0], np.cumsum(removed))).astype(np.int64)
        return pa.Array.from_buffers(
            pa.large_string(), len(cells), [None, pa.py_buffer(offsets), pa.py_buffer(kept)]
        )

    def trimmed(self, cells: np.ndarray) -> pa.Array:
        """The text of ``cells`` without white space at either end, as a ``string_view`` array."""
        slow = np.flatnonzero(self.edges[cells])
        return self.viewed(cells, slow, pc.utf8_trim_whitespace(self.take(cells[slow])))

    def begins_with(self, cells: np.ndarray, text: str) -> np.ndarray:
        """Whether the raw text of each cell begins with ``text`` (up to 4 bytes)."""
        encoded = text.encode()
        mask = (1 << 8 * len(encoded)) - 1
        found = (self.heads[cells] & np.uint32(mask)) == int.from_bytes(encoded, "little")
        return self._long_enough(found, cells, encoded)

    def ends_with(self, cells: np.ndarray, text: str) -> np.ndarray:
        """Whether the raw text of each cell ends with ``text`` (up to 3 bytes)."""
        encoded = text.encode()
        shift = 8 * (3 - len(encoded))
        mask = ((1 << 8 * len(encoded)) - 1) << shift
        found = (self.tails[cells] & np.uint32(mask)) == int.from_bytes(encoded, "little") << shift
        return self._long_enough(found, cells, encoded)

    def _long_enough(self, found: np.ndarray, cells: np.ndarray, encoded: bytes) -> np.ndarray:
        # Heads and tails run past a short cell into a separator (tab, line end) or the
        # zeros beyond the document: text without those bytes cannot match there.
        if set(encoded) & {0x00, 0x09, 0x0A}:
            found &= self.ends[cells] - self.starts[cells] >= len(encoded)
        return found

    def cleans_to(self, cells: np.ndarray, text: str) -> np.ndarray:
        """Whether each cell (of ``cells``, in increasing order) reads ``text`` after the clean-up.

        ``text`` is clean and its first and last characters are not spaces.
        """
        encoded = text.encode()
        lengths = self.ends[cells] - self.starts[cells]
        edges, changed = self.edges[cells], self.changed[cells]
        same = np.zeros(len(cells), dtype=bool)
        # A cell the clean-up leaves alone must hold the very bytes.
        plain = np.flatnonzero(~edges & ~changed & (lengths == len(encoded)))
        same[plain] = self.holds(cells[plain], encoded)
        # One that only loses runs of spaces keeps its first and last characters.
        other = np.flatnonzero(changed & ~edges)
        if len(text[-1].encode()) <= 3:  # ends_with reads 3 bytes
            other = other[
                self.begins_with(cells[other], text[0]) & self.ends_with(cells[other], text[-1])
            ]
        other = np.union1d(other, np.flatnonzero(edges))
        same[other] = all_of(pc.equal(self.cleaned(cells[other]), text))
        return same

    def holds(self, cells: np.ndarray, encoded: bytes) -> np.ndarray:
        """Whether each cell's bytes are ``encoded`` (the cells are that long)."""
        starts = self.starts[cells].astype(np.int64)
        size = len(encoded)
        if not len(cells):
            return np.zeros(0, dtype=bool)
        if size < 4:
            got = self.buf[starts[:, None] + np.arange(size)]
            return (got == np.frombuffer(encoded, dtype=np.uint8)).all(axis=1)
        # 4-byte words at 0, 4, 8, ..., and the last one (overlapping).
        windows = _words(self.buf, 4)
        found = np.ones(len(cells), dtype=bool)
        for k in [*range(0, size - 4, 4), size - 4]:
            found &= windows[starts + k] == int.from_bytes(encoded[k : k + 4], "little")
        return found

    def blank_lines(self) -> np.ndarray:
        """Lines that are empty or white space only."""
        blank = self.starts == self.ends
        # A cell of white space only starts with white space.
        maybe = np.flatnonzero(self.edges & ~blank)
        blank[maybe] = all_of(pc.utf8_is_space(self.take(maybe)))
        return np.logical_and.reduceat(blank, self.first)


#: Bytes of a text buffer one string_view buffer covers: view offsets are 32-bit.
_VIEW_BLOCK = 1 << 30


def _views(
    buf: np.ndarray,
    starts: np.ndarray,
    lengths: np.ndarray,
    first_buffer: int,
    heads: np.ndarray | None = None,
) -> np.ndarray:
    """Arrow ``string_view`` headers for the byte ranges of ``buf``, as rows of four int32.

    A header holds the length, then either the text itself (up to 12 bytes,
    zero-padded) or its first 4 bytes, a buffer number and an offset. Buffer
    ``first_buffer + k`` is ``buf`` from byte ``k * _VIEW_BLOCK`` on (see
    :func:`_blocks_of`). ``heads``, if known, are the 4 bytes from each start.
    """
    views = np.empty((len(starts), 4), dtype=np.int32)
    views[:, 0] = lengths
    if len(buf) <= _VIEW_BLOCK:  # the usual case: one buffer
        views[:, 2] = first_buffer
        views[:, 3] = starts
    else:
        views[:, 2] = first_buffer + starts // _VIEW_BLOCK
        views[:, 3] = starts % _VIEW_BLOCK
    words = views.view("<u4")  # text and prefix: bytes in order, on any byte order
    if heads is None:
        heads = _inline(buf, starts, np.minimum(lengths, 4))[:, 0]
    words[:, 1] = heads
    short = np.flatnonzero(lengths <= 12)
    words[short, 1:] = _inline(buf, starts[short], lengths[short])
    return views


def _inline(buf: np.ndarray, starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """The first (up to) 12 bytes from each start, zero-padded, as three little-endian uint32.

    Nothing past the end of ``buf`` is read: a word that would run past it is
    read from 4 bytes before the end and shifted.
    """
    words = np.zeros((len(starts), 3), dtype=np.uint32)
    if len(buf) < 4:
        buf = np.concatenate((buf, np.zeros(4 - len(buf), dtype=np.uint8)))
    windows = _words(buf, 4)
    for k in range(3):
        wanted = np.clip(lengths - 4 * k, 0, 4)
        some = np.flatnonzero(wanted)
        pos = starts[some] + 4 * k
        at = np.minimum(pos, len(buf) - 4)
        word = windows[at] >> (8 * (pos - at)).astype(np.uint32)
        keep = ((np.uint64(1) << (8 * wanted[some]).astype(np.uint64)) - np.uint64(1))
        words[some, k] = word & keep.astype(np.uint32)
    return words


def _words(buf: np.ndarray, width: int) -> np.ndarray:
    """Every (unaligned, overlapping) little-endian word of ``width`` bytes in ``buf``: a view."""
    return np.ndarray(
        (max(len(buf) - width + 1, 0),), dtype=f"<u{width}", buffer=buf, strides=(1,)
    )


def _blocks_of(text: pa.Buffer | None) -> list[pa.Buffer]:
    """``text`` from every ``_VIEW_BLOCK``-th byte on: the data buffers of :func:`_views`."""
    text = text if text is not None else pa.py_buffer(b"")
    return [text.slice(k * _VIEW_BLOCK) for k in range(max(1, -(-text.size // _VIEW_BLOCK)))]


def _text_and_offsets(values: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """The bytes and (64-bit) offsets of a string array."""
    values = values.cast(pa.large_string())
    offsets = np.frombuffer(values.buffers()[1], dtype=np.int64)[values.offset :]
    text = values.buffers()[2]
    return (
        np.frombuffer(text, dtype=np.uint8) if text is not None else np.empty(0, np.uint8),
        offsets[: len(values) + 1],
    )


def _viewing(views: np.ndarray, buffers: list[pa.Buffer]) -> pa.Array:
    """A ``string_view`` array from headers made by :func:`_views` and their buffers."""
    return pa.Array.from_buffers(
        pa.string_view(), len(views), [None, pa.py_buffer(views), *buffers]
    )


def _bytes_around(buf: np.ndarray, bounds: np.ndarray) -> np.ndarray:
    """The 8 bytes of ``buf`` from 3 before each bound, as little-endian uint64.

    Bytes outside ``buf`` read as 0. Byte by byte: for the few bounds near
    the ends of the document (the scan reads whole words for the others).
    """
    pos = bounds.astype(np.int64)[:, None] - 3 + np.arange(8)
    byte = np.zeros(pos.shape, dtype=np.uint8)
    inside = (pos >= 0) & (pos < len(buf))
    byte[inside] = buf[pos[inside]]
    return byte.view("<u8")[:, 0]


def _scan(buf: np.ndarray, index: type, chunk: int = 1 << 17) -> tuple[np.ndarray, ...]:
    """Find the separators (tabs, line ends) and spaces (U+0020, U+3000) of the document.

    Returns the separators' positions, which of them are line ends, the 8
    bytes around the start, each separator and the end (see
    :func:`_bytes_around`), and the positions (of the first byte) and widths
    in bytes of the spaces. The buffer is scanned in chunks that stay in the
    CPU cache (128 KiB measured fastest), rather than with masks as long as
    the document.
    """
    size = len(buf)
    windows = _words(buf, 8)  # words near the ends of the buffer are redone below
    separators, narrow, wide = ([np.empty(0, dtype=index)] for _ in range(3))
    newline = [np.empty(0, dtype=bool)]
    around = [_bytes_around(buf, np.array([-1]))]
    for lo in range(0, size, chunk):
        part = buf[lo : lo + chunk + 2]
        at = np.flatnonzero(part[:chunk] <= 0x20)
        kind = part[at]
        is_separator = (kind == 0x09) | (kind == 0x0A)
        found = at[is_separator] + lo
        separators.append(found.astype(index))
        newline.append(kind[is_separator] == 0x0A)
        if len(windows):
            around.append(windows[np.clip(found - 3, 0, len(windows) - 1)])
        narrow.append((at[kind == 0x20] + lo).astype(index))
        # U+3000 is E3 80 80: look for 80 80 (rare), then check the byte before.
        tails = part == 0x80
        pairs = np.flatnonzero(tails[1:-1] & tails[2:])
        wide.append((pairs[part[pairs] == 0xE3] + lo).astype(index))
    around.append(_bytes_around(buf, np.array([size])))
    separators, newline, around, narrow, wide = (
        np.concatenate(arrays) for arrays in (separators, newline, around, narrow, wide)
    )
    # Byte by byte near either end of the buffer (and all of it if shorter than a word).
    if len(windows):
        redo = np.concatenate((
            np.arange(np.searchsorted(separators, 3)),
            np.arange(np.searchsorted(separators, size - 5, side="right"), len(separators)),
        ))
        around[redo + 1] = _bytes_around(buf, separators[redo])
    else:
        around = np.concatenate((around[:1], _bytes_around(buf, separators), around[-1:]))
    spaces = np.concatenate((narrow, wide))
    widths = np.where(np.arange(len(spaces)) < len(narrow), 1, 3).astype(np.int8)
    if len(wide):
        order = np.argsort(spaces, kind="stable")  # two sorted runs: a merge
        spaces, widths = spaces[order], widths[order]
    return separators, newline, around, spaces, widths


@dataclass(frozen=True)
class _Headings:
    """The heading lines of one kind: positions (0-based), numbers, cleaned titles."""

    pos: np.ndarray
    no: np.ndarray
    title: pa.Array

    @classmethod
    def find(cls, lines: pa.Array, candidates: np.ndarray) -> tuple[_Headings, _Headings]:
        """The 基本方針 and 施策の方向性 headings among ``lines``, the lines at ``candidates``."""
        found = pc.extract_regex(lines, _HEADING_RE)
        matched = pc.is_valid(found).to_numpy(zero_copy_only=False)
        if not matched.all():
            found, lines = found.filter(matched), lines.filter(matched)
        titles = _without_prefix(lines, pc.binary_length(found.field("prefix")).to_numpy())
        kinds = []
        for field in ("policy", "direction"):
            digits = found.field(field)  # empty on the other kind's headings
            this = pc.not_equal(pc.binary_length(digits), 0).to_numpy(zero_copy_only=False)
            keep = pa.array(this)
            kinds.append(
                cls(
                    pos=candidates[matched][this],
                    no=_to_int(pc.utf8_normalize(digits.filter(keep), "NFKC")),
                    title=clean_text_array(titles.filter(keep)),
                )
            )
        return kinds[0], kinds[1]


def _without_prefix(values: pa.Array, skip: np.ndarray) -> pa.Array:
    """Each string of ``values`` without its first ``skip`` bytes (one copy of the rest)."""
    text, offsets = _text_and_offsets(values)
    starts = offsets[:-1] + skip
    views = _views(text, starts, offsets[1:] - starts, 0)
    return _viewing(views, _blocks_of(pa.py_buffer(text))).cast(pa.large_string())


def _to_int(digits: pa.Array) -> np.ndarray:
    # Heading numbers are short; anything past int64 is clipped to a value that cannot match.
    too_long = pc.greater(pc.utf8_length(digits), 18)
    digits = pc.if_else(too_long, "999999999999999999", digits)
    return pc.cast(digits, pa.int64()).to_numpy(zero_copy_only=False)


def _parse_utf8(data: bytes | memoryview) -> pd.DataFrame:
    """Parse UTF-8 bytes (no BOM) into the listing table."""
    return _parse_cells(_Cells.cut(data))


def _parse_cells(cells: _Cells) -> pd.DataFrame:
    """The listing table of a document cut into cells."""
    tabs = cells.tabs
    n = len(tabs)
    blank = cells.blank_lines()

    # Headings: lines without a tab that match a heading pattern.
    candidates = np.flatnonzero((tabs == 0) & ~blank)
    candidate_lines = cells.take(cells.first[candidates])
    policies, directions = _Headings.find(candidate_lines, candidates)
    del candidate_lines

    # Rows of three fields; a header row's cleaned fields read 事業名, 事業概要, 所管する課.
    row_pos = np.flatnonzero((tabs == 2) & ~blank)  # a line of tabs and spaces is blank
    name_cell = cells.first[row_pos]
    header = cells.cleans_to(name_cell, HEADER[0])
    maybe = np.flatnonzero(header)
    header[maybe] = cells.cleans_to(name_cell[maybe] + 1, HEADER[1]) & cells.cleans_to(
        name_cell[maybe] + 2, HEADER[2]
    )

    listing_pos = row_pos[~header]
    name_cell = name_cell[~header]
    measure, relisted = _measures(cells, name_cell)
    summary = cells.cleaned(name_cell + 1)
    raw_departments = cells.trimmed(name_cell + 2)
    del cells

    first_policy = int(policies.pos[0]) if len(policies.pos) else n
    policy_i = _last_at(policies.pos, n)[listing_pos]
    direction_i = _last_at(directions.pos, n)[listing_pos]
    _check_layout(
        n, tabs, blank, first_policy, policies, directions, row_pos[header], listing_pos,
        policy_i, direction_i, _is_empty(measure), _is_empty(raw_departments),
    )
    if len(listing_pos) == 0:
        raise ParseError("no measure rows found (no table row after a 基本方針 heading)")

    return pd.DataFrame(
        {
            "policy_no": policies.no[policy_i],
            "policy": _str(pc.take(policies.title, policy_i)),
            "direction_no": directions.no[direction_i],
            "direction": _str(pc.take(directions.title, direction_i)),
            "measure": _str(measure),
            "summary": _str(summary),
            "departments": _split_departments(raw_departments),
            "relisted": relisted,
            "line": listing_pos.astype(np.int64) + 1,
        },
        columns=COLUMNS,
    )


def _last_at(pos: np.ndarray, n: int) -> np.ndarray:
    """For each of ``n`` lines, the number of the last heading (at ``pos``) at or above it."""
    is_heading = np.zeros(n, dtype=np.int32)
    is_heading[pos] = 1
    return np.cumsum(is_heading, dtype=np.int32) - 1


def _measures(cells: _Cells, name_cell: np.ndarray) -> tuple[pa.Array, np.ndarray]:
    """The 事業名 cells cleaned and without the 【再掲】 mark, and which ones had it."""
    # The mark can only begin a cell that begins with 【 or with white space: those cells
    # are cleaned by the rule itself and checked; of the others, only the ones with
    # removed runs of spaces change.
    slow = cells.edges[name_cell] | cells.begins_with(name_cell, RELISTED_MARK[0])
    fast = np.flatnonzero(cells.changed[name_cell] & ~slow)
    slow = np.flatnonzero(slow)
    cleaned = clean_text_array(cells.take(name_cell[slow]))
    relisted = np.zeros(len(name_cell), dtype=bool)
    relisted[slow] = pc.starts_with(cleaned, RELISTED_MARK).to_numpy(zero_copy_only=False)
    unmarked = pc.utf8_trim_whitespace(
        pc.replace_substring_regex(cleaned, f"^{RELISTED_MARK}", "", max_replacements=1)
    )
    fixes = pa.concat_arrays([unmarked, cells.stripped(name_cell[fast])])
    return cells.column(name_cell, np.concatenate((slow, fast)), fixes), relisted


def _check_layout(
    n: int,
    tabs: np.ndarray,
    blank: np.ndarray,
    first_policy: int,
    policies: _Headings,
    directions: _Headings,
    header_pos: np.ndarray,
    listing_pos: np.ndarray,
    policy_i: np.ndarray,
    direction_i: np.ndarray,
    empty_name: np.ndarray,
    empty_departments: np.ndarray,
) -> None:
    """Raise ParseError for the first line (in document order) that breaks the layout.

    ``policy_i`` and ``direction_i`` are, for each listing, the last heading of
    each kind above it (-1: none).
    """
    before = np.zeros(n, dtype=bool)
    before[:first_policy] = True
    is_policy = np.zeros(n, dtype=bool)
    is_policy[policies.pos] = True
    is_direction = np.zeros(n, dtype=bool)
    is_direction[directions.pos] = True
    is_header = np.zeros(n, dtype=bool)
    is_header[header_pos] = True
    no_name, no_departments = (np.zeros(n, dtype=bool) for _ in range(2))
    no_name[listing_pos[empty_name]] = True
    no_departments[listing_pos[empty_departments]] = True

    # A listing whose last 施策の方向性 heading is above its last 基本方針 heading.
    orphan = np.zeros(n, dtype=bool)
    policy_at = np.append(policies.pos, -1)[policy_i]  # index -1: the appended -1, none
    direction_at = np.append(directions.pos, -1)[direction_i]
    orphan[listing_pos[direction_at < policy_at]] = True

    dup_policy = np.zeros(n, dtype=bool)
    dup_policy[policies.pos[pd.Series(policies.no).duplicated().to_numpy()]] = True
    direction_parent = np.searchsorted(policies.pos, directions.pos, side="right") - 1
    direction_key = pd.DataFrame({"parent": direction_parent, "no": directions.no})
    dup_direction = np.zeros(n, dtype=bool)
    dup_direction[directions.pos[direction_key.duplicated().to_numpy()]] = True

    after = ~before & ~blank
    checks = [
        (before & (tabs > 0) & ~is_header & ~blank, "table row before the first 基本方針 heading"),
        (before & is_direction, "施策の方向性 heading before the first 基本方針 heading"),
        (after & (tabs != 0) & (tabs != 2), "expected 3 tab-separated fields"),
        (after & (tabs == 0) & ~is_policy & ~is_direction, "not a heading, header row or row"),
        (dup_policy, "repeated 基本方針 number"),
        (dup_direction, "repeated 施策の方向性 number"),
        (orphan & ~before, "row before 施策の方向性"),
        (no_name, "empty 事業名"),
        (no_departments, "empty 所管する課"),
    ]
    bad = np.zeros(n, dtype=bool)
    for mask, _ in checks:
        bad |= mask
    if not bad.any():
        return
    i = int(np.argmax(bad))
    kind = next(reason for mask, reason in checks if mask[i])
    policy_at = np.searchsorted(policies.pos, i, side="right") - 1
    if kind == "expected 3 tab-separated fields":
        reason = (
            f"expected 3 tab-separated fields (事業名, 事業概要, 所管する課), found {tabs[i] + 1}"
        )
    elif kind == "not a heading, header row or row":
        reason = (
            "not a 基本方針 or 施策の方向性 heading, a header row or a row of 3 tab-separated "
            "fields (free text is allowed only before the first 基本方針)"
        )
    elif kind == "repeated 基本方針 number":
        no = policies.no[policy_at]
        first = int(policies.pos[np.flatnonzero(policies.no == no)[0]]) + 1
        reason = f"基本方針{no} appears a second time (first at line {first})"
    elif kind == "repeated 施策の方向性 number":
        j = int(np.flatnonzero(directions.pos == i)[0])
        same = np.flatnonzero(
            (direction_parent == direction_parent[j]) & (directions.no == directions.no[j])
        )
        first = int(directions.pos[same[0]]) + 1
        reason = (
            f"施策の方向性({directions.no[j]}) appears a second time under "
            f"基本方針{policies.no[policy_at]} (first at line {first})"
        )
    elif kind == "row before 施策の方向性":
        reason = (
            f"measure row under 基本方針{policies.no[policy_at]} before its first "
            "施策の方向性 heading"
        )
    else:
        reason = kind
    raise ParseError(reason, i + 1)


def _is_empty(values: pa.Array) -> np.ndarray:
    if values.type == pa.string_view():  # the length is the first int32 of each view
        views = np.frombuffer(values.buffers()[1], dtype=np.int32).reshape(-1, 4)
        return views[values.offset : values.offset + len(values), 0] == 0
    return pc.equal(pc.binary_length(values), 0).to_numpy(zero_copy_only=False)


def _str(values: pa.Array | pa.ChunkedArray) -> pd.api.extensions.ExtensionArray:
    """An Arrow string array as pandas' default ``str`` dtype, without copying."""
    return pd.array(values.cast(pa.large_string()), dtype="str")


def _split_departments(raw: pa.Array) -> np.ndarray:
    """Each 所管する課 cell as a tuple of names (:func:`kcdata.normalize.as_departments`).

    Split once per distinct cell: departments repeat a lot.
    """
    encoded = pc.dictionary_encode(raw)
    distinct = encoded.dictionary.to_pylist()
    tuples = np.empty(len(distinct), dtype=object)
    for k, cell in enumerate(distinct):
        tuples[k] = as_departments(cell)
    return tuples[encoded.indices.to_numpy(zero_copy_only=False)]

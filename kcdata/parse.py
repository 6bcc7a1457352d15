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

The parser is vectorised, with no Python loop per line: one NumPy scan finds
the tabs, line ends and spaces; the cells are a zero-copy Arrow string array
over the document's bytes; lines are classified and sections forward-filled
with NumPy; each column is copied out once, and the clean-up's regular
expressions run only on the few cells that may change. ``benchmarks/README.md``
has the figures.
"""

from __future__ import annotations

import codecs
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
    apply_where,
    as_departments,
    clean_text_array,
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
_INT32_LIMIT = 2**31  # documents this long or longer use 64-bit positions
_WS = r"[\s\x{3000}]*"
_DIGITS = r"(?P<no>[0-9\x{FF10}-\x{FF19}]+)"
_POLICY_RE = rf"^{_WS}基本方針{_WS}{_DIGITS}(?P<title>.*)$"
_DIRECTION_RE = (
    rf"^{_WS}施策の方向性{_WS}[(\x{{FF08}}]{_WS}{_DIGITS}{_WS}[)\x{{FF09}}](?P<title>.*)$"
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
    for the columns.

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
            return _parse_utf8(decode_document(f.read(), encoding=encoding))
    try:
        try:
            return _parse_utf8(decode_document(memoryview(mapped), encoding=encoding))
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
    view = memoryview(data)
    if view[: len(_BOM)] == _BOM:
        view = view[len(_BOM) :]
    if _is_utf8(view):
        return view
    try:
        return codecs.decode(view, "cp932").encode("utf-8")
    except UnicodeDecodeError:
        raise ParseError(
            "the bytes are none of the accepted encodings (UTF-8, UTF-8 with BOM, CP932/Shift_JIS)"
        ) from None


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

    starts: np.ndarray  # byte range of each cell
    ends: np.ndarray
    first: np.ndarray  # first cell of each line
    tabs: np.ndarray  # tabs in each line
    edges: np.ndarray  # cells that may start or end in white space (see white_at_start)
    dirty: np.ndarray  # cells the clean-up may change: edges, and cells holding a space
    # Cells and separators alternating, as one string array over the bytes: cell k is element 2k.
    strings: pa.Array

    @classmethod
    def cut(cls, data: bytes) -> _Cells:
        buf = np.frombuffer(data, dtype=np.uint8)
        small = len(buf) < _INT32_LIMIT  # 32-bit positions and offsets: less memory traffic
        index = np.int32 if small else np.int64
        separators, newline, spaces, white_before, white_after = _scan(buf, index)
        offsets = np.empty(2 * len(separators) + 2, dtype=index)
        offsets[0], offsets[-1] = 0, len(buf)
        offsets[1:-1:2] = separators
        offsets[2:-1:2] = separators
        offsets[2:-1:2] += 1
        strings = pa.Array.from_buffers(
            pa.string() if small else pa.large_string(),
            len(offsets) - 1,
            [None, pa.py_buffer(offsets), pa.py_buffer(data)],
        )
        line_ends = np.flatnonzero(newline)  # the cell each line ends with
        first = np.concatenate(([0], line_ends + 1))
        last = np.append(line_ends, len(separators))
        edges = np.empty(len(separators) + 1, dtype=bool)
        edges[0] = len(buf) > 0 and white_at_start(buf, np.array([0]))[0]
        edges[1:] = white_after
        edges[:-1] |= white_before
        edges[-1] |= len(buf) > 0 and white_at_end(buf, np.array([len(buf)]))[0]
        dirty = edges.copy()
        dirty[np.searchsorted(separators, spaces)] = True
        return cls(offsets[0::2], offsets[1::2], first, last - first, edges, dirty, strings)

    def take(self, cells: np.ndarray) -> pa.Array:
        """The text of ``cells`` as a new contiguous string array."""
        return pc.take(self.strings, pa.array(2 * cells))

    def cleaned(self, cells: np.ndarray, *, trim_first: bool = False) -> pa.Array:
        """The text of ``cells`` after the clean-up (optionally after a trim)."""

        def clean(values: pa.Array) -> pa.Array:
            if trim_first:
                values = pc.utf8_trim_whitespace(values)
            return clean_text_array(values)

        # A cell that is not dirty is its own clean-up (and trim).
        return apply_where(clean, self.take(cells), self.dirty[cells])

    def trimmed(self, cells: np.ndarray) -> pa.Array:
        """The text of ``cells`` without white space at either end."""
        return apply_where(pc.utf8_trim_whitespace, self.take(cells), self.edges[cells])

    def length(self, cells: np.ndarray) -> np.ndarray:
        """Length in bytes."""
        return self.ends[cells] - self.starts[cells]

    def blank_lines(self) -> np.ndarray:
        """Lines that are empty or white space only."""
        blank = self.starts == self.ends
        # A cell of white space only starts with white space.
        maybe = np.flatnonzero(self.edges & ~blank)
        blank[maybe] = all_of(pc.utf8_is_space(self.take(maybe)))
        return np.logical_and.reduceat(blank, self.first)


def _scan(buf: np.ndarray, index: type, chunk: int = 1 << 17) -> tuple[np.ndarray, ...]:
    """Find the separators (tabs, line ends) and spaces (U+0020, U+3000) of the document.

    Returns the separators' positions, which of them are line ends, the
    positions of the spaces (of the first byte of a U+3000), and for each
    separator whether the text before it may end, and the text after it may
    start, with white space. The buffer is scanned in chunks that stay in
    the CPU cache (128 KiB measured fastest), rather than with masks and
    gathers as long as the document.
    """
    found: list[list[np.ndarray]] = [[], [], [], [], []]
    for lo in range(0, len(buf), chunk):
        # Three bytes more on each side, for the characters around the chunk's borders.
        margin = min(lo, 3)
        part = buf[lo - margin : lo + chunk + 3]
        body = part[margin : margin + chunk]
        at = np.flatnonzero(body <= 0x20)
        kind = body[at]
        is_separator = (kind == 0x09) | (kind == 0x0A)
        separators = at[is_separator]
        # U+3000 is E3 80 80: look for 80 80 (rare), then check the byte before.
        tails = part[margin:] == 0x80
        wide = np.flatnonzero(tails[1:-1] & tails[2:])
        wide = wide[wide < len(body)]
        wide = wide[body[wide] == 0xE3]
        for out, array in zip(
            found,
            (
                (separators + lo).astype(index),
                kind[is_separator] == 0x0A,
                (np.concatenate((at[kind == 0x20], wide)) + lo).astype(index),
                white_at_end(part, separators + margin),
                white_at_start(part, separators + margin + 1),
            ),
            strict=True,
        ):
            out.append(array)
    empty = (np.empty(0, dtype=index), np.empty(0, dtype=bool))
    return tuple(
        np.concatenate(arrays) if arrays else empty[kind in (1, 3, 4)]
        for kind, arrays in enumerate(found)
    )


@dataclass(frozen=True)
class _Headings:
    """The heading lines of one kind: positions (0-based), numbers, cleaned titles."""

    pos: np.ndarray
    no: np.ndarray
    title: pa.Array

    @classmethod
    def find(cls, lines: pa.Array, candidates: np.ndarray, pattern: str) -> _Headings:
        """Headings among ``lines``, the text of the lines at ``candidates``."""
        found = pc.extract_regex(lines, pattern)
        matched = pc.is_valid(found).to_numpy(zero_copy_only=False)
        found = found.filter(matched)
        digits = pc.utf8_normalize(found.field("no"), "NFKC")
        return cls(
            pos=candidates[matched],
            no=_to_int(digits),
            title=clean_text_array(found.field("title")),
        )


def _to_int(digits: pa.Array) -> np.ndarray:
    # Heading numbers are short; anything past int64 is clipped to a value that cannot match.
    too_long = pc.greater(pc.utf8_length(digits), 18)
    digits = pc.if_else(too_long, "999999999999999999", digits)
    return pc.cast(digits, pa.int64()).to_numpy(zero_copy_only=False)


def _parse_utf8(data: bytes | memoryview) -> pd.DataFrame:
    """Parse UTF-8 bytes (no BOM) into the listing table."""
    cells = _Cells.cut(data)
    tabs = cells.tabs
    n = len(tabs)
    blank = cells.blank_lines()

    # Headings: lines without a tab that match a heading pattern.
    candidates = np.flatnonzero((tabs == 0) & ~blank)
    candidate_lines = cells.take(cells.first[candidates])
    policies = _Headings.find(candidate_lines, candidates, _POLICY_RE)
    directions = _Headings.find(candidate_lines, candidates, _DIRECTION_RE)
    del candidate_lines

    # Rows of three fields; a header row's cleaned fields read 事業名, 事業概要, 所管する課.
    # A clean cell is its own clean-up: only dirty names and names as long as 事業名
    # need cleaning to tell header rows from listings.
    row_pos = np.flatnonzero((tabs == 2) & ~blank)  # a line of tabs and spaces is blank
    name_cell = cells.first[row_pos]
    maybe = np.flatnonzero(
        cells.dirty[name_cell] | (cells.length(name_cell) == len(HEADER[0].encode()))
    )
    maybe = maybe[all_of(pc.equal(cells.cleaned(name_cell[maybe]), HEADER[0]))]
    header = np.zeros(len(row_pos), dtype=bool)
    header[maybe] = all_of(
        pc.equal(cells.cleaned(name_cell[maybe] + 1), HEADER[1]),
        pc.equal(cells.cleaned(name_cell[maybe] + 2, trim_first=True), HEADER[2]),
    )

    listing_pos = row_pos[~header]
    name_cell = name_cell[~header]
    measure, relisted = _measures(cells, name_cell)
    summary = cells.cleaned(name_cell + 1)
    raw_departments = cells.trimmed(name_cell + 2)
    del cells

    first_policy = int(policies.pos[0]) if len(policies.pos) else n
    _check_layout(
        n, tabs, blank, first_policy, policies, directions, row_pos[header],
        listing_pos, _is_empty(measure), _is_empty(raw_departments),
    )
    if len(listing_pos) == 0:
        raise ParseError("no measure rows found (no table row after a 基本方針 heading)")

    policy_i = np.searchsorted(policies.pos, listing_pos, side="right") - 1
    direction_i = np.searchsorted(directions.pos, listing_pos, side="right") - 1
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


def _measures(cells: _Cells, name_cell: np.ndarray) -> tuple[pa.Array, np.ndarray]:
    """The 事業名 cells cleaned and without the 【再掲】 mark, and which ones had it."""
    names = cells.take(name_cell)
    # A clean name without the mark is final as it is: work on the others only.
    todo = cells.dirty[name_cell] | all_of(pc.starts_with(names, RELISTED_MARK))
    relisted = np.zeros(len(name_cell), dtype=bool)
    if not todo.any():
        return names, relisted
    mask = pa.array(todo)
    cleaned = clean_text_array(names.filter(mask))
    marked = pc.starts_with(cleaned, RELISTED_MARK)
    relisted[todo] = marked.to_numpy(zero_copy_only=False)
    measures = pc.utf8_trim_whitespace(
        pc.replace_substring_regex(cleaned, f"^{RELISTED_MARK}", "", max_replacements=1)
    )
    return pc.replace_with_mask(names, mask, measures), relisted


def _check_layout(
    n: int,
    tabs: np.ndarray,
    blank: np.ndarray,
    first_policy: int,
    policies: _Headings,
    directions: _Headings,
    header_pos: np.ndarray,
    listing_pos: np.ndarray,
    empty_name: np.ndarray,
    empty_departments: np.ndarray,
) -> None:
    """Raise ParseError for the first line (in document order) that breaks the layout."""
    index = np.arange(n)
    before = index < first_policy
    is_policy = np.zeros(n, dtype=bool)
    is_policy[policies.pos] = True
    is_direction = np.zeros(n, dtype=bool)
    is_direction[directions.pos] = True
    is_header = np.zeros(n, dtype=bool)
    is_header[header_pos] = True
    is_listing, no_name, no_departments = (np.zeros(n, dtype=bool) for _ in range(3))
    is_listing[listing_pos] = True
    no_name[listing_pos[empty_name]] = True
    no_departments[listing_pos[empty_departments]] = True

    # The last policy and direction heading at or above each line.
    last_policy = np.maximum.accumulate(np.where(is_policy, index, -1))
    last_direction = np.maximum.accumulate(np.where(is_direction, index, -1))

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
        (is_listing & ~before & (last_direction < last_policy), "row before 施策の方向性"),
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

"""Read a plan's measure tables: lines (text, or spreadsheet rows) -> one tidy row per listing.

The parser reads a document as its :class:`~kcdata.io.layout.Layout` says:

1. **Lines are classified** by the layout's patterns: blank, a heading of one
   of the levels, a table's header row, a table row (cells separated by
   tabs), a page number or running header (skipped with a warning), or text.
   Text before the document's structure starts is front matter (the first
   line of it is the title when the layout has none).
2. **Header rows** say which column holds what (事業名, 事業概要, 所管する課,
   a code, hierarchy columns, any other column kept under its header).
   A table before its first header row has the layout's default columns.
3. **Sections are forward-filled**: every row belongs to the last heading of
   each level above it; a blank hierarchy cell means "same as above".
4. **Each rule is a plain check** over the classified lines. The first bad
   line in document order is a :class:`ParseError`; every line skipped or
   read in a special way is a :class:`PlanWarning` naming its line.

Every line is accounted for: read, skipped with a warning, or refused.
Cost: linear in the document; the work per line is pandas string methods
over the whole column, a Python loop only over headings, header rows and
distinct 所管する課 cells.
"""

from __future__ import annotations

import codecs
import os
import re
import unicodedata
import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from kcdata.io.departments import CHILD_SUFFIXES, UNIT_SUFFIXES, placeholder_keys, split_cell
from kcdata.io.errors import ParseError, PlanWarning
from kcdata.io.layout import (
    BUILTIN_LAYOUTS,
    HEADER_WORDS,
    KANAZAWA,
    NUMBER_PATTERN,
    Layout,
    heading_number,
    split_relisted,
    user_regex,
)
from kcdata.io.layout_file import get_layout
from kcdata.limits import MAX_LINES, MAX_LISTINGS
from kcdata.text import clean_text, clean_text_array

__all__ = [
    "COLUMNS",
    "HEADER",
    "LEVEL_COLUMNS",
    "RELISTED_MARK",
    "ParseError",
    "PlanWarning",
    "decode_document",
    "parse_bytes",
    "parse_lines",
    "parse_measures",
]

#: The header row of the default layout's tables.
HEADER = ("事業名", "事業概要", "所管する課")
#: The mark before a re-listed measure's name (the default layout's first mark).
RELISTED_MARK = "【再掲】"
#: Encodings tried, in order, when ``encoding=None``.
ENCODINGS = ("utf-8", "cp932")
#: The columns every listing table has, in order.
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
#: The number and title columns of each level, outermost first.
LEVEL_COLUMNS = [
    ("policy_no", "policy"),
    ("direction_no", "direction"),
    ("level3_no", "level3"),
    ("level4_no", "level4"),
]

_BOM = "\ufeff"
#: White space of every kind, zero-width space included (stripped from cells and lines).
_WHITE = " \t\r\n\x0b\x0c\u3000\u00a0\u200b\u202f\u205f\ufeff" + "".join(
    map(chr, range(0x2000, 0x200B))
)
_ARROW_STR = pd.ArrowDtype(pa.large_string())
#: Half-width brackets and their full-width forms (re-listing marks match either).
_WIDE = str.maketrans("()[]", "（）［］")
_PAGE_NUMBER = re.compile(
    r"\s*(?:[-－‐―ー—–~〜(（]\s*)?(?:P\.?|p\.?)?\s*[0-9０-９]{1,4}\s*(?:[-－‐―ー—–~〜)）])?\s*"
    r"|\s*[0-9０-９]{1,4}\s*[/／]\s*[0-9０-９]{1,4}\s*"
)
_ALL_MEASURE_WORDS = frozenset(HEADER_WORDS["measure"]) | frozenset(KANAZAWA.columns["measure"])


# ---------------------------------------------------------------------------
# Entry points


def parse_bytes(
    data: bytes,
    *,
    layout: str | os.PathLike[str] | Layout | None = None,
    encoding: str | None = None,
) -> pd.DataFrame:
    """Decode a document's bytes (see :func:`decode_document`) and parse them."""
    return parse_lines(_Lines.decode(data, encoding=encoding), layout=layout)


def parse_measures(
    text: str, layout: str | os.PathLike[str] | Layout | None = None
) -> pd.DataFrame:
    """Parse a measures document given as a string into the listing table.

    One row per listing (a row of a table, 【再掲】 included), in document order:

    ============  =====  ==================================================
    column        dtype  meaning
    ============  =====  ==================================================
    policy_no     int64  number of the outermost level (基本方針)
    policy        str    its title
    direction_no  int64  number of the second level (施策の方向性); 0 in a
                         one-level plan
    direction     str    its title ("" in a one-level plan)
    measure       str    事業名, without the re-listing mark
    summary       str    事業概要 (may be empty)
    departments   object 所管する課 as a tuple of names (co-managed: 2 or more)
    relisted      bool   the name carried a re-listing mark (【再掲】 …)
    line          int64  1-based line of the listing in the source
    ============  =====  ==================================================

    Columns a document adds when it has them: ``level3_no``, ``level3``,
    ``level4_no``, ``level4`` (deeper levels), ``code``, one column per other
    header (named after it), ``department_notes`` (placeholders such as
    関係各課, not counted as departments), ``sheet``. ``df.attrs`` holds the
    ``layout`` used, the ``levels`` (labels, outermost first), the column
    ``words`` and the ``title``.

    Text is cleaned of extraction artefacts (see :mod:`kcdata.text`).

    >>> doc = "基本方針1 方針\\n施策の方向性(1) 方向\\n" "A 事業\\t概要\\t甲課 乙課\\n"
    >>> parse_measures(doc).loc[0, ["measure", "departments"]].tolist()
    ['A事業', ('甲課', '乙課')]
    """
    try:
        lines = _Lines.split(text.removeprefix(_BOM))
    except UnicodeEncodeError as err:  # a lone surrogate: no UTF-8 for it
        raise ParseError(
            "text holds a lone surrogate, which no encoding can represent",
            text.removeprefix(_BOM).count("\n", 0, err.start) + 1,
        ) from None
    return parse_lines(lines, layout=layout)


def parse_lines(
    lines: Sequence[str],
    *,
    layout: str | os.PathLike[str] | Layout | None = None,
    numbers: Sequence[int] | None = None,
    merged_above: Sequence[frozenset[int]] | None = None,
    sheet: str | None = None,
) -> pd.DataFrame:
    """The engine: parse a document given as lines (cells joined by tabs).

    ``layout`` is a built-in name (``"kanazawa"``, ``"generic"``), a layout
    file's path, a :class:`~kcdata.io.layout.Layout`, or ``None``: the first
    built-in layout that accounts for every line (one without warnings
    preferred), recorded in ``df.attrs["layout"]``. ``numbers`` are the line
    numbers reported (default 1, 2, …); ``merged_above[i]`` the columns of
    line ``i`` merged with the row above (a spreadsheet's merged cells);
    ``sheet`` is named in errors and warnings and kept in a ``sheet`` column.

    Raises :class:`ParseError` for the first line that breaks the layout;
    warns :class:`PlanWarning` for each line skipped or joined. A document of
    more than :data:`kcdata.limits.MAX_LINES` lines is refused before it is
    read, one of more than :data:`kcdata.limits.MAX_LISTINGS` listings at the
    first listing past the limit (the scale envelope).
    """
    if len(lines) > MAX_LINES:
        raise ParseError(f"the document has {len(lines):,} lines: kcdata reads at most "
                         f"{MAX_LINES:,} (plans of at most {MAX_LISTINGS:,} listings)")
    numbers = np.arange(1, len(lines) + 1) if numbers is None else np.asarray(numbers)
    source = _Source(lines if isinstance(lines, _Lines) else list(lines), numbers,
                     merged_above, sheet)
    if layout is None:
        df, found = _auto(source)
    else:
        df, found = _parse(source, get_layout(layout))
    if len(df) > MAX_LISTINGS:
        raise ParseError(f"more than {MAX_LISTINGS:,} listings: kcdata reads plans of at most "
                         f"{MAX_LISTINGS:,} listings", int(df["line"].iloc[MAX_LISTINGS]), sheet)
    for line, message in found:
        warnings.warn(PlanWarning(message, line, sheet), stacklevel=2)
    return df


def decode_document(data: bytes, *, encoding: str | None = None) -> str:
    """The document's text, without a BOM.

    With ``encoding=None``, UTF-8 (BOM optional) is tried, then CP932 (a
    superset of Shift_JIS). Bytes that are none of them raise
    :class:`ParseError` with ``line=None``.
    """
    if encoding is not None:
        try:
            return codecs.decode(data, encoding).removeprefix(_BOM)
        except LookupError:
            raise ParseError(f"unknown encoding {encoding!r}") from None
        except UnicodeDecodeError as err:
            raise ParseError(f"the bytes are not valid {encoding}: {err.reason}") from None
    for candidate in ENCODINGS:
        try:
            return codecs.decode(data, candidate).removeprefix(_BOM)
        except UnicodeDecodeError:
            continue
    raise ParseError(
        "the bytes are none of the accepted encodings (UTF-8, UTF-8 with BOM, CP932/Shift_JIS)"
    )


# ---------------------------------------------------------------------------
# Choosing a layout


def _auto(source: _Source) -> tuple[pd.DataFrame, list[tuple[int, str]]]:
    """The first built-in layout that reads every line, one without warnings preferred.

    When none does, the error is that of the layout that read furthest.
    """
    results, refusals = [], []
    for layout in BUILTIN_LAYOUTS.values():
        try:
            result = _Reader(source, layout).read()
        except _Refused as refused:
            refusals.append((layout, refused))
            continue
        if not result[1]:
            return result
        results.append(result)
    if results:
        return min(results, key=lambda result: len(result[1]))
    layout, refused = max(refusals, key=lambda found: -1 if found[1].i is None else found[1].i)
    raise _parse_error(source, layout, refused)


# ---------------------------------------------------------------------------
# The engine


class _Lines(Sequence[str]):
    """A document's lines held in one Arrow array; a line becomes a Python str only when
    the engine looks at it (headings, header rows, text lines: few of them)."""

    def __init__(self, array: pa.Array) -> None:
        self.array = array

    @classmethod
    def split(cls, text: str) -> _Lines:
        """The lines of a text (LF or CRLF), split by Arrow.

        A lone surrogate raises :class:`UnicodeEncodeError` (Arrow holds UTF-8).
        """
        return cls._split(pa.array([text], type=pa.large_string()), "\r" in text)

    @classmethod
    def decode(cls, data: bytes, *, encoding: str | None = None) -> _Lines:
        """The lines of a document's bytes, decoded as :func:`decode_document` says.

        UTF-8 is checked by Arrow's cast from bytes to string (surrogates
        included), so the text never becomes one Python string; other
        encodings go through Python's codecs.
        """
        if encoding is None:
            utf8 = data.removeprefix(_BOM.encode("utf-8"))
            try:
                array = pa.array([utf8], type=pa.large_binary()).cast(pa.large_string())
            except pa.ArrowInvalid:  # not UTF-8: CP932 is tried next
                pass
            else:
                return cls._split(array, b"\r" in utf8)
        return cls.split(decode_document(data, encoding=encoding))

    @classmethod
    def _split(cls, array: pa.Array, crlf: bool) -> _Lines:
        if crlf:
            array = pc.replace_substring(array, "\r\n", "\n")
        return cls(pc.split_pattern(array, "\n").flatten())

    def __len__(self) -> int:
        return len(self.array)

    def __getitem__(self, i):  # an int or a slice
        if isinstance(i, slice):
            return _Lines(self.array[i])
        return self.array[int(i)].as_py()


@dataclass(frozen=True)
class _Source:
    lines: Sequence[str]
    numbers: np.ndarray
    merged_above: Sequence[frozenset[int]] | None
    sheet: str | None


class _Refused(Exception):
    """The first bad line: raised inside the engine, turned into a ParseError."""

    def __init__(self, i: int | None, reason: str) -> None:
        self.i, self.reason = i, reason


def _parse(source: _Source, layout: Layout) -> tuple[pd.DataFrame, list[tuple[int, str]]]:
    try:
        return _Reader(source, layout).read()
    except _Refused as refused:
        raise _parse_error(source, layout, refused) from None


def _parse_error(source: _Source, layout: Layout, refused: _Refused) -> ParseError:
    """The ParseError of a refused document: its first bad line, numbered as the source says."""
    first = _first_refusal(source, layout, refused)
    line = None if first.i is None else int(source.numbers[first.i])
    return ParseError(first.reason, line, source.sheet)


def _first_refusal(source: _Source, layout: Layout, refused: _Refused) -> _Refused:
    """The first bad line in document order.

    The checks run stage by stage, so the one that refused a line may not be
    the first bad line. Every check looks only at a line and the lines above
    it, so reading the lines above the refused one finds any earlier.
    """
    while refused.i:
        above = _Source(source.lines[: refused.i], source.numbers[: refused.i],
                        source.merged_above, source.sheet)
        try:
            _Reader(above, layout).read()
        except _Refused as earlier:
            if earlier.i is None:
                break
            refused = earlier
            continue
        break
    return refused


class _Reader:
    """One reading of one document with one layout (see the module docstring)."""

    def __init__(self, source: _Source, layout: Layout) -> None:
        if layout.record is not None:  # record lines become rows of tab-separated cells
            lines = [layout.as_cells(line) or line for line in source.lines]
            source = _Source(lines, source.numbers, source.merged_above, source.sheet)
        self.source = source
        self.layout = layout
        self.warnings: list[tuple[int, str]] = []
        # The words a reader sees for each column: the document's own header words.
        self.words = {role: layout.word(role) for role in layout.columns}
        # Arrow strings: .str methods, splitting and list access stay in Arrow.
        if isinstance(source.lines, _Lines):
            self.text = pd.Series(source.lines.array, dtype=_ARROW_STR)
        else:
            self.text = _arrow_series(source.lines)
        # Every line split at its tabs once: all the cells in one Arrow array, in order;
        # the cells of line i are cells[first_cell[i] : first_cell[i] + n_cells[i]].
        fields = pc.split_pattern(pa.array(self.text), "\t")
        offsets = fields.offsets.to_numpy()
        self.cells = fields.flatten()
        self.first_cell = offsets[:-1] - offsets[0]
        self.n_cells = np.diff(offsets)

    def _texts(self, positions: np.ndarray) -> list[str]:
        """The lines at these positions, as Python strings (one conversion for all)."""
        return pa.array(self.text.iloc[positions]).to_pylist()

    def warn(self, i: int, message: str) -> None:
        self.warnings.append((int(self.source.numbers[i]), message))

    # -- 1. classify -------------------------------------------------------

    def read(self) -> tuple[pd.DataFrame, list[tuple[int, str]]]:
        text = self.text
        n = len(text)
        blank = (text.str.rstrip(_WHITE) == "").to_numpy()  # white space, tabs too
        one_cell = (self.n_cells == 1) & ~blank
        rows = ~blank & ~one_cell

        if self.layout.heading_words:
            self.layout = self._levels_found(one_cell, rows)
        levels = self.layout.levels
        headings = self._headings(np.flatnonzero(one_cell))
        header = self._is_header(rows)
        rows &= ~header

        is_heading = np.zeros(n, dtype=bool)
        is_heading[headings.index] = True
        top = headings.index[headings["level"] == 0]
        by_heading = len(top) > 0
        structural = top if by_heading else np.flatnonzero(header)
        start = int(structural[0]) if len(structural) else n
        self.front_matter(one_cell & ~is_heading, start)

        first_level = levels[0].label
        before = np.arange(n) < start
        self.refuse_first(
            before & rows,
            f"table row before the first {first_level} heading" if by_heading
            else "table row before the header row",
        )
        deeper = headings.index[(headings["level"] > 0) & (headings.index < start)]
        if len(deeper):
            i = int(deeper[0])
            label = levels[int(headings.loc[i, "level"])].label
            raise _Refused(i, f"{label} heading before the first {first_level} heading")

        texts = np.flatnonzero(one_cell & ~is_heading & ~before)
        joined = self._stray_lines(texts)
        if not len(np.flatnonzero(rows)):
            raise _Refused(None, self._no_rows_reason())

        listings = self._rows(np.flatnonzero(rows), np.flatnonzero(header), start)
        del self.cells  # the rows' cells are columns now: let the split lines go
        listings = self._join_wrapped(listings, joined)
        listings = self._sections(listings, headings, n)
        return self._table(listings), sorted(self.warnings)

    def refuse_first(self, mask: np.ndarray, reason: str) -> None:
        hits = np.flatnonzero(mask)
        if len(hits):
            raise _Refused(int(hits[0]), reason)

    def front_matter(self, text_lines: np.ndarray, start: int) -> None:
        front = [self.source.lines[i].strip(_WHITE) for i in np.flatnonzero(text_lines[:start])]
        self.title = self.layout.title or (_clean([front[0]])[0] if front else None)

    def _no_rows_reason(self) -> str:
        first = self.layout.levels[0].label
        header = "、".join(self.layout.columns["measure"][:3])
        return (
            f"no measure rows found (no table row after a {first} heading or a header row "
            f"such as {header} of layout {self.layout.name}); if the plan uses other words or "
            "another layout, try --layout generic or a layout file (README: レイアウトファイル)"
        )

    # -- headings ------------------------------------------------------------

    def _levels_found(self, one_cell: np.ndarray, rows: np.ndarray) -> Layout:
        """For a layout of heading words: the words this document uses, outermost first.

        ``one_cell`` and ``rows`` are masks over the lines.
        """
        words = sorted(self.layout.heading_words, key=len, reverse=True)
        alternation = "|".join(re.escape(w) for w in words)
        pattern = re.compile(rf"\s*(?P<word>{alternation}){NUMBER_PATTERN}")
        found: list[str] = []
        for line in self._texts(np.flatnonzero(one_cell)):
            m = pattern.match(line.replace("\u200b", " "))
            if m and m.group("word") not in found:
                found.append(m.group("word"))
        for line in self._texts(np.flatnonzero(self._is_header(rows))):
            for cell in line.split("\t"):
                word = _key(cell)
                if word in self.layout.heading_words and word not in found:
                    found.append(word)
        if not found:
            found = [self.layout.heading_words[0]]
        found.sort(key=self.layout.heading_words.index)
        return self.layout.with_levels(found[:4])

    def _headings(self, candidates: np.ndarray) -> pd.DataFrame:
        """Heading lines: index (line position), level, no, title."""
        found: dict[str, list] = {"i": [], "level": [], "no": [], "title": []}
        regexes = [(k, level.regex) for k, level in enumerate(self.layout.levels)
                   if level.heading is not None]
        for i, line in zip(candidates.tolist(), self._texts(candidates), strict=True):
            line = line.replace("\u200b", " ")
            for k, regex in regexes:
                m = regex.match(line)
                if m:
                    found["i"].append(i)
                    found["level"].append(k)
                    found["no"].append(self._number(i, m))
                    found["title"].append(m.group("title"))
                    break
        table = pd.DataFrame({
            "level": np.array(found["level"], dtype=np.int64),
            "no": np.array(found["no"], dtype=np.int64),
            "title": _clean_series(_arrow_series(found["title"])).array,
        }, index=pd.Index(found["i"], dtype=np.int64))
        return table

    def _number(self, i: int, m: re.Match[str]) -> int:
        groups = m.groupdict()
        token = groups.get("no") or groups.get("bare") or ""
        if token.isascii() and token.isdigit() and len(token) < 19:
            return int(token)
        try:
            return heading_number(token)
        except ValueError as err:
            raise _Refused(int(i), str(err)) from None

    # -- header rows ---------------------------------------------------------

    def _is_header(self, rows: np.ndarray) -> np.ndarray:
        """Which table rows (a mask over the lines) are header rows.

        A header row's 事業名 cell is a header word of any built-in layout: the
        first cell, or the first after hierarchy (level) and code columns.
        Header words are compared after NFKC and without white space
        (「事 業 名」 is 事業名); only rows that begin with the first character
        of a header word are looked at that closely, each distinct row once.
        """
        lines = self.text
        measure = self._measure_words()
        leading = self._leading_words() - {""}
        first_chars = {w[0] for w in measure | leading}
        # ... and their full-width forms (Ｎｏ．), which NFKC folds
        first_chars |= {chr(ord(c) + 0xFEE0) for c in first_chars if "!" <= c <= "~"}
        starts = "".join(re.escape(c) for c in sorted(first_chars))
        maybe = rows & lines.str.contains(rf"^[\s\x{{3000}}\x{{a0}}]*[{starts}]",
                                          regex=True).to_numpy(dtype=bool)
        found = np.zeros(len(lines), dtype=bool)
        if not maybe.any():
            return found

        def is_header(row: str) -> bool:
            for cell in row.split("\t"):  # leading cells (or empty ones), then 事業名
                key = _key(cell)
                if key in measure:
                    return True
                if key and key not in leading:
                    return False
            return False

        codes, distinct = pd.factorize(lines[maybe])  # header rows repeat
        found[maybe] = np.array([is_header(row) for row in distinct], dtype=bool)[codes]
        return found

    def _measure_words(self) -> set[str]:
        return {_key(w) for w in (*_ALL_MEASURE_WORDS, *self.layout.columns["measure"])}

    def _leading_words(self) -> set[str]:
        words = set(HEADER_WORDS["code"]) | set(self.layout.columns.get("code", ()))
        words |= set(self.layout.heading_words) | set(BUILTIN_LAYOUTS["generic"].heading_words)
        for level in self.layout.levels:
            words |= set(level.column_words)
        return {_key(w) for w in words} | {""}

    def _columns_of(self, i: int) -> tuple[str, ...]:
        """What each column of the header row at line ``i`` holds.

        Roles are ``measure``, ``summary``, ``departments``, ``code``,
        ``level:K`` and ``extra:<header>``.
        """
        words = {}
        for role, role_words in self.layout.columns.items():
            for w in role_words:
                words.setdefault(_key(w), role)
        for k, level in enumerate(self.layout.levels):
            for w in level.column_words:
                words.setdefault(_key(w), f"level:{k}")
        cells = self.source.lines[i].rstrip(_WHITE).split("\t")
        roles = []
        for cell in cells:
            role = words.get(_key(cell))
            if role is None or role in roles:
                name = _clean([cell.strip(_WHITE)])[0] or f"列{len(roles) + 1}"
                role = f"extra:{name}"
            roles.append(role)
        for needed in ("measure", "departments"):
            if needed not in roles:
                unknown = "、".join(f"「{r[6:]}」" for r in roles if r.startswith("extra:"))
                raise _Refused(i, (
                    f"the header row has no {self.layout.word(needed)} column"
                    + (f" ({unknown}: not header words of layout {self.layout.name})"
                       if unknown else "")
                    + "; try --layout generic or a layout file (README: レイアウトファイル)"
                ))
        return tuple(roles)

    # -- 2. rows -------------------------------------------------------------

    def _rows(self, rows: np.ndarray, headers: np.ndarray, start: int) -> pd.DataFrame:
        """One record per table row, its cells by role, indexed by line position."""
        table_of_row = np.searchsorted(headers, rows, side="right") - 1
        roles_of: dict[str, tuple[str, ...]] = {}  # header rows repeat: read each kind once
        if len(headers):
            cells = self.source.lines[headers[0]].rstrip(_WHITE).split("\t")
            for role, cell in zip(self._columns_of(int(headers[0])), cells, strict=False):
                if role in self.layout.columns:
                    self.words[role] = _clean([cell])[0]
        tables = [tuple(self.layout.record_columns)]
        for h, line in zip(headers, self._texts(headers), strict=True):
            if line not in roles_of:
                roles_of[line] = self._columns_of(int(h))
            tables.append(roles_of[line])
        codes, distinct = pd.factorize(pd.Series(tables, dtype=object))
        row_codes = codes[table_of_row + 1]
        if len(distinct) == 1:  # one kind of table
            return self._cells_by_role(distinct[0], rows)
        parts = [self._cells_by_role(distinct[c], rows[row_codes == c])
                 for c in np.unique(row_codes)]
        return pd.concat(parts).sort_index()

    def _cells_by_role(self, roles: tuple[str, ...], rows: np.ndarray) -> pd.DataFrame:
        """The cells of rows that share one header, as one column per role."""
        counts = self.n_cells[rows]
        extra = np.flatnonzero(counts > len(roles))
        blank_tail = np.zeros(len(rows), dtype=bool)
        for j, line in zip(extra, self._texts(rows[extra]), strict=True):
            # a spreadsheet row may have empty cells past its header's columns
            blank_tail[j] = not "".join(line.split("\t")[len(roles):]).strip(_WHITE)
        wrong = (counts != len(roles)) & ~blank_tail
        if wrong.any():
            j = int(np.argmax(wrong))
            words = ", ".join(self._role_word(r) for r in roles)
            raise _Refused(int(rows[j]), (
                f"expected {len(roles)} tab-separated fields ({words}), found {counts[j]}"
            ))
        first = self.first_cell[rows]
        frame = pd.DataFrame(
            {role: pd.arrays.ArrowExtensionArray(self.cells.take(pa.array(first + k)))
             for k, role in enumerate(roles)},  # (indices as Arrow: numpy's convert slowly)
            index=rows,
        )
        if "summary" not in frame:
            frame["summary"] = pd.Series(pa.repeat("", len(rows)).cast(pa.large_string()),
                                         index=rows, dtype=_ARROW_STR)
        merged = self.source.merged_above
        measure_col = roles.index("measure")
        frame["merged"] = (
            [measure_col in merged[i] for i in rows] if merged is not None else False
        )
        return frame

    def _role_word(self, role: str) -> str:
        if role.startswith("level:"):
            return self.layout.levels[int(role[6:])].label
        if role.startswith("extra:"):
            return role[6:]
        return self.words[role]

    # -- stray lines: page numbers, running headers, wrapped lines -----------

    def _stray_lines(self, texts: np.ndarray) -> list[int]:
        """Skip page numbers and running headers (with a warning); return the lines to join."""
        layout = self.layout
        ignore = [user_regex(p, "ignore") for p in layout.ignore]
        lines = self.source.lines
        repeated: set[str] = set()
        if layout.repeated_lines == "ignore":
            keys = pd.Series([re.sub(r"[0-9０-９\s]", "", lines[i]) for i in texts], dtype="str")
            repeated = set(keys[keys.duplicated(keep=False) & (keys != "")])
        joined = []
        for i in texts:
            line = lines[i].strip(_WHITE)
            if _PAGE_NUMBER.fullmatch(" ".join(line.split())):  # one space a run: linear
                self.warn(i, f"page number 「{line}」 skipped")
            elif any(p.search(line) for p in ignore):
                self.warn(i, f"running header 「{line}」 skipped (layout {layout.name}: ignore)")
            elif re.sub(r"[0-9０-９\s]", "", lines[i]) in repeated:
                self.warn(i, f"repeated line 「{line}」 skipped as a running page header")
            elif layout.wrapped_lines in ("join", "summary"):
                joined.append(int(i))
            else:
                raise _Refused(int(i), self._not_a_line_reason(line))
        return joined

    def _not_a_line_reason(self, line: str) -> str:
        layout = self.layout
        names = " or ".join(lv.name("N") for lv in layout.levels if lv.heading)
        generic = BUILTIN_LAYOUTS["generic"]
        words = "|".join(sorted(map(re.escape, generic.heading_words), key=len, reverse=True))
        if layout.name != generic.name and re.match(rf"\s*(?:{words}){NUMBER_PATTERN}", line):
            return (
                f"「{line[:20]}」 is not a heading of layout {layout.name} (expected {names}); "
                "try --layout generic or a layout file (README: レイアウトファイル)"
            )
        n_fields = len(layout.column_order)
        fields = ", ".join(layout.word(r) for r in layout.column_order)
        headings = " or ".join(lv.label for lv in layout.levels if lv.heading)
        return (
            f"not a {headings} heading, a header row or a row of {n_fields} tab-separated "
            f"fields ({fields}) (free text is allowed only before the first "
            f"{layout.levels[0].label}); try --layout generic or a layout file "
            "(README: レイアウトファイル)"
        )

    def _join_wrapped(self, rows: pd.DataFrame, joined: list[int]) -> pd.DataFrame:
        """Text lines after a row: added to its 事業概要 (else its 事業名).

        With ``wrapped_lines = "join"`` each is a line the PDF wrapped and is
        warned about; with ``"summary"`` the text under a record is its
        summary by design (a description paragraph), and is read silently.
        """
        for i in joined:
            above = rows.index[rows.index < i]
            line = self.source.lines[i].strip(_WHITE)
            if not len(above):
                raise _Refused(i, self._not_a_line_reason(line))
            owner = above[-1]
            role = "summary" if self.layout.columns.get("summary") else "measure"
            rows.at[owner, role] = rows.at[owner, role] + line
            if self.layout.wrapped_lines == "join":
                self.warn(i, (
                    f"joined to the {self.words[role]} of line "
                    f"{int(self.source.numbers[owner])} (a line the PDF wrapped)"
                ))
        return rows

    # -- 3. sections ---------------------------------------------------------

    def _sections(self, rows: pd.DataFrame, headings: pd.DataFrame, n: int) -> pd.DataFrame:
        """Each row's number and title at every level: from its own cells, or headings above."""
        levels = self.layout.levels
        self._check_repeated(headings)
        position = rows.index.to_numpy()
        parent_at = np.full(len(rows), -1)
        for k, level in enumerate(levels):
            mine = headings.loc[headings["level"] == k]
            last = np.searchsorted(mine.index.to_numpy(), position, side="right") - 1
            at = np.where(last >= 0, mine.index.to_numpy()[np.maximum(last, 0)], -1) if len(
                mine) else np.full(len(rows), -1)
            no = mine["no"].to_numpy()[np.maximum(last, 0)] if len(mine) else np.zeros(len(rows))
            titles = pa.array(mine["title"]) if len(mine) else pa.array([""], pa.large_string())
            title = pd.Series(titles.take(np.maximum(last, 0)), index=rows.index,
                              dtype=_ARROW_STR)
            cells = self._from_cells(rows, k)  # None: no table has a column for this level
            from_cell = np.zeros(len(rows), dtype=bool) if cells is None else (
                cells[0].notna().to_numpy())
            missing = ~from_cell & ((at < 0) | (at < parent_at))
            if missing.any():
                j = int(np.argmax(missing))
                if k == 0:
                    raise _Refused(int(position[j]), (
                        f"measure row without a {level.label} (a blank {level.label} cell "
                        "with nothing above it)"
                    ))
                parent = levels[k - 1].name(rows[f"no:{k - 1}"].iloc[j])
                raise _Refused(int(position[j]), (
                    f"measure row under {parent} before its first {level.label} heading"
                ))
            if from_cell.any():
                cell_no, cell_title = cells
                no = np.where(from_cell, cell_no.fillna(0).to_numpy(np.int64), no)
                title = title.where(~from_cell, cell_title.fillna("").astype(_ARROW_STR))
            rows[f"no:{k}"] = no
            rows[f"title:{k}"] = title
            parent_at = np.where(from_cell, -1, at)
        return rows

    def _from_cells(self, rows: pd.DataFrame, k: int) -> tuple[pd.Series, pd.Series] | None:
        """A level given by a hierarchy column, forward-filled (a blank cell: same as above).

        A cell reads 「1 title」, 「基本方針1 title」 or 「(1) title」. Rows of
        tables without that column get <NA>; ``None`` when no table has one.
        """
        column = f"level:{k}"
        if column not in rows:
            return None
        no = pd.Series(pd.NA, index=rows.index, dtype="Int64")
        title = pd.Series(pd.NA, index=rows.index, dtype="object")
        level = self.layout.levels[k]
        label = "|".join(re.escape(w) for w in level.column_words)
        pattern = re.compile(rf"\s*(?:{label})?{NUMBER_PATTERN}(?P<title>.*)$", re.DOTALL)
        cells = rows[column]
        given = cells.notna() & (cells.fillna("").str.strip(_WHITE) != "")
        for i, cell in cells[given].items():
            m = pattern.match(cell.replace("\u200b", " "))
            if not m:
                raise _Refused(int(i), (
                    f"the {level.label} cell 「{cell.strip(_WHITE)[:20]}」 has no number "
                    f"(expected 「1 title」, 「{level.label}1 title」 or 「(1) title」)"
                ))
            no[i] = self._number(int(i), m)
            title[i] = m.group("title")
        title[given] = _clean(title[given].tolist())
        in_table = cells.notna()
        return no.ffill().where(in_table), title.ffill().where(in_table)

    def _check_repeated(self, headings: pd.DataFrame) -> None:
        """A heading number that appears a second time within its parent section.

        The parent section of a heading is the last heading of the level above
        it; headings are looked at in document order (a plain loop: a plan has
        far fewer headings than rows).
        """
        levels = self.layout.levels
        first_at: dict[tuple[int, int, int], int] = {}  # (level, parent, no) -> position
        last_at = [-1] * len(levels)  # the position of the last heading of each level
        numbers = dict(zip(headings.index.tolist(), headings["no"].tolist(), strict=True))
        for i, k, no in zip(headings.index.tolist(), headings["level"].tolist(),
                            headings["no"].tolist(), strict=True):
            parent = last_at[k - 1] if k > 0 else -1
            first = first_at.setdefault((k, parent, no), i)
            last_at[k] = i
            if first == i:
                continue
            name = levels[k].name(no)
            first_line = int(self.source.numbers[first])
            if parent < 0:  # the outermost level, or no heading of the level above yet
                raise _Refused(i, f"{name} appears a second time (first at line {first_line})")
            raise _Refused(i, (
                f"{name} appears a second time under {levels[k - 1].name(numbers[parent])} "
                f"(first at line {first_line})"
            ))

    # -- 4. the table --------------------------------------------------------

    def _table(self, rows: pd.DataFrame) -> pd.DataFrame:
        layout = self.layout
        # Columns are popped as they are used: the raw cells go once their clean copy is made.
        measure, relisted = self._marks(_clean_series(rows.pop("measure")))
        empty_name = (measure == "").to_numpy()
        merged = rows["merged"].to_numpy(dtype=bool)
        continuation = empty_name & ~relisted & (merged | layout.continuation)
        first_row = np.arange(len(rows)) == 0
        self.refuse_first_rows(rows, (empty_name & ~continuation) | (continuation & first_row),
                               f"empty {self.words['measure']}")
        wrapped = continuation & ~merged  # text lines; merged sheet rows are cells of their own
        cells, joined = self._wrapped_departments(rows["departments"], wrapped)
        for j in np.flatnonzero(wrapped):
            upper, lower = joined.get(j, ("", ""))
            how = (f"; 「{upper}」 and 「{lower}」 read as one {self.words['departments']} name, "
                   "cut at the end of the line above" if upper else "")
            self.warn(rows.index[j], f"empty {self.words['measure']}: read as a continuation of "
                                     f"the row above (its departments and text added{how})")

        departments, notes = self._departments(cells)
        has_notes = notes.astype(bool)  # a tuple is true when it holds something
        no_departments = ~departments.astype(bool) & ~has_notes
        self.refuse_first_rows(rows, no_departments & ~continuation,
                               f"empty {self.words['departments']}")
        for j in np.flatnonzero(has_notes):
            self.warn(rows.index[j], f"{'、'.join(notes[j])} is not a department: kept in "
                                     "department_notes, not counted")

        keep = ~continuation
        owner = np.cumsum(keep) - 1

        def kept(values):  # the listings' own rows (no copy when there is no continuation)
            return values if keep.all() else values[keep]

        n = int(keep.sum())
        out: dict[str, object] = {}  # the table's columns, in order (one DataFrame at the end)
        for k, (no_col, title_col) in enumerate(LEVEL_COLUMNS[: max(2, len(layout.levels))]):
            if k < len(layout.levels):
                out[no_col] = kept(rows.pop(f"no:{k}").to_numpy()).astype(np.int64)
                out[title_col] = _as_str(kept(rows.pop(f"title:{k}")))
            else:  # a one-level plan
                out[no_col] = np.zeros(n, dtype=np.int64)
                out[title_col] = _as_str([""] * n)
        out["measure"] = _as_str(kept(measure))
        del measure
        out["summary"] = self._joined(rows.pop("summary"), owner, continuation)
        out["departments"] = _concat_by_owner(departments, owner, n)
        out["relisted"] = kept(relisted)
        out["line"] = kept(self.source.numbers[rows.index]).astype(np.int64)
        if "code" in rows and (rows["code"].fillna("").str.strip(_WHITE) != "").any():
            out["code"] = _as_str(kept(_clean_series(rows["code"])))
        for column in rows.columns:
            if column.startswith("extra:"):
                out[column[6:]] = self._joined(rows[column].fillna(""), owner, continuation)
        if has_notes.any():
            out["department_notes"] = _concat_by_owner(notes, owner, n)
        if self.source.sheet is not None:
            out["sheet"] = _as_str([self.source.sheet] * n)
        table = pd.DataFrame(out, index=pd.RangeIndex(n))
        table.attrs.update(
            layout=layout.name,
            levels=[lv.label for lv in layout.levels],
            level_names=[lv.number_format for lv in layout.levels],
            words=dict(self.words),
            title=self.title,
        )
        return table

    def _marks(self, measure: pd.Series) -> tuple[pd.Series, np.ndarray]:
        """事業名 without its re-listing mark, and which names carried one."""
        layout = self.layout
        # Only names that begin or end with a mark's bracket (of either width) are looked at.
        ends = {m[0] for m in layout.relisted_marks} | {m[-1] for m in layout.relisted_marks}
        ends |= {unicodedata.normalize("NFKC", c) for c in ends}
        ends |= {c.translate(_WIDE) for c in ends}
        maybe = (measure.str.startswith(tuple(ends)) | measure.str.endswith(tuple(ends))
                 ).to_numpy(dtype=bool)
        relisted = np.zeros(len(measure), dtype=bool)
        if maybe.any():
            names = pa.array(measure[maybe]).to_pylist()
            split = [split_relisted(name, layout.relisted_marks) for name in names]
            relisted[maybe] = [had for _, had in split]
            stripped = [rest.strip(_WHITE) if had else rest for rest, had in split]
            measure = pd.Series(
                pc.replace_with_mask(pa.array(measure), maybe,
                                     pa.array(stripped, type=pa.large_string())),
                index=measure.index, dtype=_ARROW_STR)
        return measure, relisted

    def refuse_first_rows(self, rows: pd.DataFrame, mask: np.ndarray, reason: str) -> None:
        hits = np.flatnonzero(mask)
        if len(hits):
            raise _Refused(int(rows.index[hits[0]]), reason)

    def _joined(self, cells: pd.Series, owner: np.ndarray, continuation: np.ndarray
                ) -> pd.api.extensions.ExtensionArray:
        """A text column, cleaned, with each continuation row's text added to its listing's."""
        cleaned = _clean_series(cells)
        if not continuation.any():
            return _as_str(cleaned)
        out = pa.array(cleaned[~continuation]).to_pylist()
        for j in np.flatnonzero(continuation):
            text = cleaned.iloc[j]
            if text and owner[j] >= 0:
                out[owner[j]] = clean_text(out[owner[j]] + text)
        return _as_str(out)

    def _wrapped_departments(
        self, cells: pd.Series, wrapped: np.ndarray
    ) -> tuple[pd.Series, dict[int, tuple[str, str]]]:
        """所管する課 cells with each wrapped line's cell moved to the end of its listing's.

        A PDF wraps a long cell onto the next line, so the two parts are one
        cell: 「企画部」 + 「企画課」 is read as 「企画部 企画課」 (one department),
        and a part that does not end as a department name (a 課, 室, … ending, a
        placeholder or a separator, and the next part does not begin with a
        separator) was cut in the middle of the name: 「市民協働推」 +
        「進課」 is 「市民協働推進課」, and so is a part below that is a bare
        ending: 「国際関係」 + 「課」. Returns the cells and, by row position, the
        parts joined without a space (for the warnings).
        """
        if not wrapped.any():
            return cells, {}
        separators = tuple(self.layout.department_separators)
        endings = UNIT_SUFFIXES + CHILD_SUFFIXES + tuple(self.layout.placeholders)
        placeholders = placeholder_keys(self.layout)
        texts = [text.strip(_WHITE) for text in cells.fillna("").tolist()]
        joined: dict[int, tuple[str, str]] = {}
        listing = -1
        for j, text in enumerate(texts):
            if not wrapped[j]:
                listing = j
                continue
            if not text or listing < 0:
                continue
            upper, texts[j] = texts[listing], ""
            if not upper:  # the listing's own cell is empty: its departments are all below
                texts[listing] = text
                continue
            at_separator = upper.endswith(separators) or text.startswith(separators)
            # 「関係」 + 「各課」: a placeholder cut after its 係 is still one placeholder;
            # 「国際関係」 + 「課」: a bare ending below finishes the name above
            in_placeholder = _key(upper.split()[-1] + text.split()[0]) in placeholders
            bare_ending = text.split()[0] in UNIT_SUFFIXES + CHILD_SUFFIXES
            if (upper.endswith(endings) and not in_placeholder and not bare_ending
                    and not at_separator):
                texts[listing] = f"{upper} {text}"  # two names, or a 部 and its 課
            else:
                texts[listing] = upper + text
                if not at_separator:
                    joined[j] = (upper, text)
        return pd.Series(texts, index=cells.index, dtype=_ARROW_STR), joined

    def _departments(self, cells: pd.Series) -> tuple[np.ndarray, np.ndarray]:
        """Each 所管する課 cell split into departments and placeholders (object arrays of
        tuples), once per distinct cell: departments repeat a lot."""
        codes, distinct = pd.factorize(cells.fillna(""))
        departments = np.empty(len(distinct), dtype=object)
        notes = np.empty(len(distinct), dtype=object)
        placeholders = placeholder_keys(self.layout)
        for k, cell in enumerate(distinct):
            departments[k], notes[k] = split_cell(str(cell), self.layout, placeholders)
        return departments[codes], notes[codes]


def _concat_by_owner(values: np.ndarray, owner: np.ndarray, n: int) -> np.ndarray:
    """Tuples of departments, those of continuation rows added to their listing's."""
    if len(owner) == n:  # no continuation rows
        return values
    out = np.empty(n, dtype=object)
    out[:] = [()] * n
    for value, k in zip(values, owner, strict=True):
        if k >= 0:
            out[k] = out[k] + tuple(v for v in value if v not in out[k])
    return out


def _clean(values: list[str]) -> list[str]:
    """The clean-up rule (:mod:`kcdata.text`) applied to each string."""
    return clean_text_array(pa.array(values, type=pa.large_string())).to_pylist()


def _arrow_series(values: Sequence[str]) -> pd.Series:
    """Python strings as a Series of Arrow strings (built by Arrow: much faster than pandas)."""
    return pd.Series(pa.array(values, type=pa.large_string()), dtype=_ARROW_STR)


def _clean_series(values: pd.Series) -> pd.Series:
    """The clean-up rule applied to a column of Arrow strings (missing cells become "")."""
    cleaned = clean_text_array(pa.array(values.fillna(""), type=pa.large_string()))
    return pd.Series(cleaned, index=values.index, dtype=_ARROW_STR)


def _as_str(values: pd.Series | np.ndarray | list[str]) -> pd.api.extensions.ExtensionArray:
    """A column as pandas' default ``str`` dtype, as every text column of the table is."""
    return pd.array(pa.array(values, type=pa.large_string()), dtype="str")


def _key(cell: str) -> str:
    """A header cell as compared with header words: NFKC, without white space."""
    return "".join(unicodedata.normalize("NFKC", cell).split()).replace("\u200b", "")

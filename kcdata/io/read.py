"""read_measures: any source file -> the listing table (text, .xlsx, .csv or PDF)."""

from __future__ import annotations

import os
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from kcdata.io.errors import ParseError, PlanWarning
from kcdata.io.grid import decode_document, text_lines
from kcdata.io.layout import Layout
from kcdata.io.parse import parse_bytes, parse_lines, trace_lines
from kcdata.io.pdf import read_pdf_table
from kcdata.io.sheets import SourceTable, is_sheet_source, read_source_table, read_spreadsheet
from kcdata.io.source import STDIN, Source, read_source
from kcdata.messages import translate as _

__all__ = ["parse_source", "read_measures", "trace_source"]


def read_measures(
    path: str | os.PathLike[str],
    layout: str | os.PathLike[str] | Layout | None = None,
    *,
    sheet: str | None = None,
    encoding: str | None = None,
) -> pd.DataFrame:
    """Read a measures document from a file into the listing table.

    Text files may be UTF-8 (with or without BOM) or CP932/Shift_JIS, with LF
    or CRLF line ends; .xlsx and .csv files are read by :mod:`kcdata.io.sheets`,
    .pdf files by :mod:`kcdata.io.pdf` (the table gets a ``page`` column).
    ``layout`` as in :func:`kcdata.parse_lines`. Only a regular file of at most
    :data:`kcdata.io.source.MAX_SOURCE_BYTES` is read, once, whole (an
    ``OSError`` otherwise). See :func:`kcdata.parse_measures` for the columns.

    >>> from kcdata.paths import BUNDLED_DOCUMENT
    >>> len(read_measures(BUNDLED_DOCUMENT))
    110
    """
    return parse_source(read_source(path), layout, sheet=sheet, encoding=encoding)


def parse_source(
    source: Source,
    layout: str | os.PathLike[str] | Layout | None = None,
    *,
    sheet: str | None = None,
    encoding: str | None = None,
) -> pd.DataFrame:
    """The listing table of a source already read (:func:`kcdata.io.source.read_source`).

    The title (``df.attrs["title"]``) is the document's or the layout file's
    (see :func:`kcdata.parse_measures`), else the file's name without its suffix.
    """
    table = _parse_source(source, layout, sheet=sheet, encoding=encoding)
    if not table.attrs.get("title") and source.name != STDIN:
        table.attrs["title"] = Path(source.name).stem
    return table


def _parse_source(
    source: Source,
    layout: str | os.PathLike[str] | Layout | None = None,
    *,
    sheet: str | None = None,
    encoding: str | None = None,
) -> pd.DataFrame:
    """The listing table of a source already read (:func:`kcdata.io.source.read_source`).

    The one place that tells a PDF (:mod:`kcdata.io.pdf`) and a spreadsheet
    (.xlsx, .csv: :mod:`kcdata.io.sheets`) from a text document; all are parsed
    from ``source.data``, the very bytes whose SHA-256 the reports show.
    Standard input (``-``) is text.
    """
    if source.name != STDIN and Path(source.name).suffix.lower() == ".pdf":
        return _parse_pdf(read_pdf_table(source.data, layout=layout), layout)
    if source.name != STDIN and is_sheet_source(source.name):
        return read_spreadsheet(source.name, layout, sheet=sheet, encoding=encoding,
                                data=source.data)
    return parse_bytes(source.data, layout=layout, encoding=encoding)


def _parse_pdf(
    table: SourceTable, layout: str | os.PathLike[str] | Layout | None
) -> pd.DataFrame:
    """A PDF's lines through the engine; messages name the page, and so does a ``page`` column.

    Lines are numbered through the document (the ``line`` column, unique per
    listing); each message of the engine gets the line's page first
    (``p.2: empty 事業名``), so ``kcdata check`` prints ``plan.pdf:37: p.2: …``.
    Warnings come in document order, the reader's (:mod:`kcdata.io.pdf`) and
    the engine's together, before the error if the document has one.
    """
    pages = np.asarray(table.pages, dtype=np.int64)

    def on_page(line: int | None, message: str) -> str:
        return message if line is None else f"p.{pages[line - 1]}: {message}"

    error = None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", PlanWarning)
        try:
            df = parse_lines(table.lines, layout=layout, numbers=table.numbers,
                             merged_above=table.merged_above)
        except ParseError as err:
            error = ParseError(on_page(err.line, err.reason), err.line)
    found = list(table.warnings)  # the reader's, already naming their page
    for caught_warning in caught:
        w = caught_warning.message
        if isinstance(w, PlanWarning):
            found.append(PlanWarning(on_page(w.line, w.message), w.line, w.sheet))
        else:
            warnings.warn_explicit(w, caught_warning.category, caught_warning.filename,
                                   caught_warning.lineno)
    for w in sorted(found, key=lambda w: w.line or 0):  # in document order
        warnings.warn(w, stacklevel=4)
    if error is not None:  # after the warnings: they may say why
        raise error
    df.insert(df.columns.get_loc("line") + 1, "page", pages[df["line"].to_numpy() - 1])
    return df


def trace_source(
    source: Source,
    layout: str | os.PathLike[str] | Layout | None = None,
    *,
    sheet: str | None = None,
    encoding: str | None = None,
) -> pd.DataFrame:
    """What the reader saw on every line of a source (``kcdata check --lines``).

    Columns ``line``, ``kind`` (blank, skipped, heading, header, row, text or
    error) and ``read_as`` (a sentence: the heading's level, the header's
    columns, the row a text line was joined to, why a line was skipped, the
    reason a line was refused); a PDF adds ``page``. See
    :func:`kcdata.io.parse.trace_lines`.
    """
    suffix = Path(source.name).suffix.lower() if source.name != STDIN else ""
    if suffix == ".pdf":
        table = read_pdf_table(source.data, layout=layout)
        trace = trace_lines(table.lines, layout=layout, numbers=table.numbers,
                            merged_above=table.merged_above)
        for warning in table.warnings:  # the PDF reader's own (a cell joined across pages)
            at = trace["line"] == warning.line
            trace.loc[at, "read_as"] += _(" (warning: {message})").format(
                message=warning.message)
        return trace.assign(page=table.pages)
    if suffix and is_sheet_source(source.name):
        table = read_source_table(source.name, sheet, encoding=encoding, layout=layout,
                                  data=source.data)
        return trace_lines(table.lines, layout=layout, numbers=table.numbers,
                           merged_above=table.merged_above, sheet=table.sheet)
    return trace_lines(text_lines(decode_document(source.data, encoding=encoding)),
                       layout=layout)

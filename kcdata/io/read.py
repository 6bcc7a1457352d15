"""read_measures: any source file -> the listing table (text, .xlsx, .csv or PDF)."""

from __future__ import annotations

import os
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from kcdata.io.errors import ParseError, PlanWarning
from kcdata.io.grid import decode_document, text_lines
from kcdata.io.parse import LayoutArg, parse_bytes, read_lines, trace_lines
from kcdata.io.pdf import read_pdf_table
from kcdata.io.sheets import SourceTable, is_sheet_source, read_source_table, read_spreadsheet
from kcdata.io.source import STDIN, Source, read_source
from kcdata.messages import translate as _

__all__ = ["parse_source", "read_measures", "trace_source"]


def read_measures(
    path: str | os.PathLike[str],
    layout: LayoutArg = None,
    *,
    sheet: str | None = None,
    encoding: str | None = None,
) -> pd.DataFrame:
    """Read a measures document from a file into the listing table.

    Text files may be UTF-8 (with or without BOM) or CP932, .xlsx and .csv files are
    read by :mod:`kcdata.io.sheets`, .pdf files by :mod:`kcdata.io.pdf` (with a ``page``
    column). ``layout`` as in :func:`kcdata.parse_lines`. Only a regular file of at most
    :data:`kcdata.io.source.MAX_SOURCE_BYTES` is read, once.

    >>> from kcdata.paths import BUNDLED_DOCUMENT
    >>> len(read_measures(BUNDLED_DOCUMENT))
    110
    """
    return parse_source(read_source(path), layout, sheet=sheet, encoding=encoding)


def parse_source(
    source: Source, layout: LayoutArg = None, *, sheet: str | None = None,
    encoding: str | None = None,
) -> pd.DataFrame:
    """The listing table of a source already read, parsed from ``source.data`` (the bytes
    whose SHA-256 the reports show); standard input is text. The title is the
    document's or the layout file's, else the file's name without its suffix."""
    suffix = Path(source.name).suffix.lower() if source.name != STDIN else ""
    if suffix == ".pdf":
        table = _parse_pdf(read_pdf_table(source.data, layout=layout), layout)
    elif suffix and is_sheet_source(source.name):
        table = read_spreadsheet(source.name, layout, sheet=sheet, encoding=encoding,
                                 data=source.data)
    else:
        table = parse_bytes(source.data, layout=layout, encoding=encoding)
    if not table.attrs.get("title") and source.name != STDIN:
        table.attrs["title"] = Path(source.name).stem
    return table


def _parse_pdf(table: SourceTable, layout: LayoutArg) -> pd.DataFrame:
    """A PDF's lines through the engine: every message starts with the line's page
    (``p.2: …``), warnings come in document order before the error, and a ``page``
    column follows ``line``."""
    def on_page(line: int | None, message: str) -> str:
        return message if line is None else f"p.{table.pages[line - 1]}: {message}"

    reading = read_lines(table.lines, layout, table.numbers, table.merged_above, None)
    found = list(table.warnings)  # the reader's, already naming their page; the engine's
    if reading.error is None:  # only for a table (as parse_lines warns)
        found += [PlanWarning(on_page(line, message), line) for line, message in reading.warnings]
    for w in sorted(found, key=lambda w: w.line or 0):
        warnings.warn(w, stacklevel=4)
    if reading.error is not None:  # after the warnings: they may say why
        raise ParseError(on_page(reading.error.line, reading.error.reason), reading.error.line)
    df = reading.table
    pages = np.asarray(table.pages, dtype=np.int64)
    df.insert(df.columns.get_loc("line") + 1, "page", pages[df["line"].to_numpy() - 1])
    return df


def trace_source(
    source: Source, layout: LayoutArg = None, *, sheet: str | None = None,
    encoding: str | None = None,
) -> pd.DataFrame:
    """What the reader saw on every line of a source (``kcdata check --lines``): columns
    ``line``, ``kind`` and ``read_as`` (:func:`kcdata.io.parse.trace_lines`); a PDF adds
    ``page``."""
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

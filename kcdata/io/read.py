"""read_measures: any source file -> the listing table (text, .xlsx or .csv)."""

from __future__ import annotations

import os

import pandas as pd

from kcdata.io.layout import Layout
from kcdata.io.parse import parse_bytes
from kcdata.io.sheets import is_sheet_source, read_spreadsheet
from kcdata.io.source import STDIN, Source, read_source

__all__ = ["parse_source", "read_measures"]


def read_measures(
    path: str | os.PathLike[str],
    layout: str | os.PathLike[str] | Layout | None = None,
    *,
    sheet: str | None = None,
    encoding: str | None = None,
) -> pd.DataFrame:
    """Read a measures document from a file into the listing table.

    Text files may be UTF-8 (with or without BOM) or CP932/Shift_JIS, with LF
    or CRLF line ends; .xlsx and .csv files are read by :mod:`kcdata.io.sheets`.
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

    The one place that tells a spreadsheet (.xlsx, .csv: :mod:`kcdata.io.sheets`)
    from a text document; both are parsed from ``source.data``, the very bytes
    whose SHA-256 the reports show. Standard input (``-``) is text.
    """
    if source.name != STDIN and is_sheet_source(source.name):
        return read_spreadsheet(source.name, layout, sheet=sheet, encoding=encoding,
                                data=source.data)
    return parse_bytes(source.data, layout=layout, encoding=encoding)

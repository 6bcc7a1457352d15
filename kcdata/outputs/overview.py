"""The 概要 sheet of every workbook: a title, then key/value rows.

:func:`source_rows` and :func:`made_rows` are the rows every 概要 sheet
starts with (the source documents and their SHA-256, when and by what the file
was made); :func:`write_overview` writes the rows into a workbook opened with
:func:`kcdata.outputs.xlsx.open_workbook`, with the note of its
:class:`kcdata.outputs.cells.CleanLog` last.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from kcdata.files import sha256_of
from kcdata.outputs.cells import FORMULA_PREFIXES, LINE_HEIGHT, wrapped_lines
from kcdata.outputs.printing import print_on_a4
from kcdata.outputs.xlsx import (
    INTEGER_FORMAT,
    Book,
    reserve_sheet,
    set_width,
    write_value,
)
from kcdata.vocab import display_width

__all__ = ["OVERVIEW_WIDTH", "OverviewRow", "made_rows", "source_rows", "write_overview"]

#: Width of the 概要 sheet's text column.
OVERVIEW_WIDTH = 90

#: A row of a 概要 sheet: (key, value). A key without a value is a section heading
#: (bold); a row of two ``None`` is a blank line. The first row is the title.
OverviewRow = tuple[str | None, Any]


def source_rows(
    label: str, source: str | os.PathLike[str] | None, sha256: str | None = None
) -> list[OverviewRow]:
    """The 概要 rows naming a source document: its file name and its SHA-256.

    ``label`` names the document (「元の文書」, 「旧の文書」); without a
    ``source`` one row says it was not given. ``sha256`` is the hash of the
    bytes that were parsed; only when it is not given is the file read again.

    >>> source_rows("元の文書", None)
    [('元の文書', '（指定なし）')]
    """
    if source is None:
        return [(label, "（指定なし）")]
    return [(label, Path(source).name), (f"{label}のSHA-256", sha256 or sha256_of(source))]


def made_rows(made_at: datetime | None = None) -> list[OverviewRow]:
    """The 概要 rows saying when and by what a file was made.

    ``made_at`` defaults to :func:`kcdata.stamps.made_time`: ``SOURCE_DATE_EPOCH``
    in UTC when set, else now in local time. It is shown to the minute with its
    UTC offset; a naive ``made_at`` is taken as local time.

    >>> from datetime import timedelta, timezone
    >>> made_rows(datetime(2026, 11, 29, 22, 10, tzinfo=timezone(timedelta(hours=9))))[0]
    ('作成日時', '2026-11-29 22:10 (+09:00)')
    """
    from kcdata import __version__
    from kcdata.stamps import format_made_time, made_time

    made_at = made_at or made_time()
    return [
        ("作成日時", format_made_time(made_at)),
        ("作成したプログラム", f"kcdata {__version__}"),
    ]


def write_overview(
    book: Book,
    title: str,
    rows: Sequence[OverviewRow],
    *,
    key_fills: Mapping[str, str] | None = None,
    width: float = OVERVIEW_WIDTH,
) -> Any:
    """Write a 概要 sheet of key/value rows (into the sheet ``title`` if reserved); return it.

    The first row is the title (bold, 14 pt); a key without a value is a
    section heading (bold); values wrap in a column ``width`` wide, top- and
    left-aligned, rows made tall enough for their lines; integers get a
    thousands separator. A key named in ``key_fills`` gets that fill colour
    (RGB), for a legend. When the book's :class:`CleanLog` recorded changes,
    a 「注意」 row with its note is added last: write the 概要 sheet after the
    other sheets. The key column is fitted to the widest key after the title;
    the sheet prints on A4, fitted to the page width.
    """
    worksheet = book.workbook.get_worksheet_by_name(title) or reserve_sheet(book, title)
    rows = list(rows)
    if book.log:
        rows += [(None, None), ("注意", book.log.note())]
    key_fills = key_fills or {}
    keys = [key for key, _ in rows[1:] if key]
    set_width(worksheet, 0, max(map(display_width, keys), default=8) + 2)
    set_width(worksheet, 1, width)
    for i, (key, value) in enumerate(rows):
        if key is not None:
            key = book.safe(key, worksheet.name, i, 0)
            fill = key_fills.get(key)
            key_format = book.format(
                bold=i == 0 or value is None, font_size=14 if i == 0 else None, valign="top",
                bg_color=f"#{fill}" if fill else None, pattern=1 if fill else None,
                quote_prefix=key.startswith(FORMULA_PREFIXES),
            )
            worksheet.write_string(i, 0, key, key_format)
        value = book.safe(value, worksheet.name, i, 1)
        if value is None:
            continue
        is_text = isinstance(value, str)
        integer = isinstance(value, int) and not isinstance(value, bool)
        value_format = book.format(
            text_wrap=True, valign="top", align="left",
            num_format=INTEGER_FORMAT if integer else None,
            quote_prefix=is_text and value.startswith(FORMULA_PREFIXES),
        )
        write_value(worksheet, i, 1, value, value_format)
        if is_text and (lines := wrapped_lines(value, width)) > 1:
            worksheet.set_row(i, lines * LINE_HEIGHT)
    print_on_a4(worksheet)
    worksheet.fit_to_pages(1, 0)
    return worksheet

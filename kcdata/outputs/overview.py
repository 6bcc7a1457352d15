"""The 概要 sheet of every workbook: a title, then key/value rows."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from kcdata.files import sha256_of
from kcdata.outputs.cells import FORMULA_PREFIXES, LINE_HEIGHT, wrapped_lines
from kcdata.outputs.xlsx import (
    INTEGER_FORMAT,
    Book,
    reserve_sheet,
    set_width,
    write_value,
)
from kcdata.vocab import display_width

#: Width of the 概要 sheet's text column.
OVERVIEW_WIDTH = 90

#: A row of a 概要 sheet: (key, value). A key without a value is a section heading
#: (bold); a row of two ``None`` is a blank line. The first row is the title.
OverviewRow = tuple[str | None, Any]


def source_rows(
    label: str, source: str | os.PathLike[str] | None, sha256: str | None = None
) -> list[OverviewRow]:
    """The rows naming a source document (``label``: 「元の文書」...): its file name and
    SHA-256 (``sha256``, the hash of the bytes parsed; else the file is read again)."""
    if source is None:
        return [(label, "（指定なし）")]
    return [(label, Path(source).name), (f"{label}のSHA-256", sha256 or sha256_of(source))]


def made_rows(made_at: datetime | None = None) -> list[OverviewRow]:
    """The rows saying when (``made_at``, default :func:`kcdata.stamps.made_time`, to the
    minute with its UTC offset) and by what the file was made."""
    from kcdata.stamps import format_made_time, made_time
    from kcdata.version import __version__

    return [
        ("作成日時", format_made_time(made_at or made_time())),
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

    The title bold at 14 pt, headings bold, values wrapped in a column ``width`` wide,
    integers with a thousands separator; a key in ``key_fills`` gets that fill (RGB). The
    book's :class:`CleanLog` note comes last, as 「注意」: write 概要 after the other sheets.
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
        value_format = book.format(
            text_wrap=True, valign="top", align="left",
            num_format=INTEGER_FORMAT if type(value) is int else None,
            quote_prefix=is_text and value.startswith(FORMULA_PREFIXES),
        )
        write_value(worksheet, i, 1, value, value_format)
        if is_text and (lines := wrapped_lines(value, width)) > 1:
            worksheet.set_row(i, lines * LINE_HEIGHT)
    worksheet.fit_to_pages(1, 0)  # one page wide; A4 as every sheet (save_workbook)
    return worksheet

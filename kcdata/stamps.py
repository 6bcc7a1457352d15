"""The time written into files, and ``SOURCE_DATE_EPOCH`` for reproducible ones.

Without the environment variable, a file says it was made now, in local time.
With ``SOURCE_DATE_EPOCH`` (seconds since 1970-01-01 UTC, the convention of
reproducible-builds.org), every time written into a workbook comes from it
instead, in UTC, so two runs on any machine give the same bytes:

* the 作成日時 on the 概要 sheet (:func:`made_time`, :func:`format_made_time`);
* ``docProps/core.xml``'s created and modified dates
  (:func:`kcdata.outputs.xlsx.open_workbook`; XlsxWriter stamps every zip
  entry with one fixed time of its own, whatever the variable).

Standard library only; nothing is read at import time.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import UTC, datetime

__all__ = [
    "LATEST_EPOCH",
    "SOURCE_DATE_EPOCH",
    "SourceDateEpochError",
    "format_made_time",
    "made_time",
    "source_date_epoch",
]

#: The environment variable that fixes every time stamp.
SOURCE_DATE_EPOCH = "SOURCE_DATE_EPOCH"

#: The last second a zip (MS-DOS) time can hold, 2107-12-31 23:59:58 UTC: later values of
#: SOURCE_DATE_EPOCH are refused before anything is written.
LATEST_EPOCH = 4_354_819_198


class SourceDateEpochError(ValueError):
    """``SOURCE_DATE_EPOCH`` is set but is not a whole number of seconds."""


def source_date_epoch(environ: Mapping[str, str] | None = None) -> datetime | None:
    """The time ``SOURCE_DATE_EPOCH`` fixes (aware, UTC), or None when it is unset or empty.

    ``environ`` defaults to :data:`os.environ`. Raises :class:`SourceDateEpochError`
    for a value that is not a non-negative integer (the reproducible-builds
    rule: a malformed value is an error, never silently ignored), or one past
    :data:`LATEST_EPOCH`, the last time a zip file (a workbook) can hold.

    >>> source_date_epoch({"SOURCE_DATE_EPOCH": "1700000000"}).isoformat()
    '2023-11-14T22:13:20+00:00'
    >>> source_date_epoch({}) is None
    True
    """
    environ = os.environ if environ is None else environ
    value = environ.get(SOURCE_DATE_EPOCH, "").strip()[:32]  # a longer number is out of range
    if not value:
        return None
    if not value.isascii() or not value.isdigit():
        raise SourceDateEpochError(
            f"{SOURCE_DATE_EPOCH}={value!r} is not a whole number of seconds since 1970"
        )
    if int(value) > LATEST_EPOCH:
        raise SourceDateEpochError(
            f"{SOURCE_DATE_EPOCH}={value!r} is out of range: a zip file (a workbook) holds "
            f"times up to 2107-12-31 (SOURCE_DATE_EPOCH={LATEST_EPOCH})"
        )
    return datetime.fromtimestamp(int(value), tz=UTC)


def made_time() -> datetime:
    """When a file is made: ``SOURCE_DATE_EPOCH`` in UTC if set, else now in local time.

    Always timezone-aware.
    """
    fixed = source_date_epoch()
    return fixed if fixed is not None else datetime.now().astimezone()


def format_made_time(when: datetime) -> str:
    """A time as the 概要 sheets show it: minutes and the UTC offset.

    A naive ``when`` is taken as local time.

    >>> from datetime import timedelta, timezone
    >>> format_made_time(datetime(2026, 11, 29, 22, 10, 5, tzinfo=timezone(timedelta(hours=9))))
    '2026-11-29 22:10 (+09:00)'
    >>> format_made_time(datetime(2023, 11, 14, 22, 13, 20, tzinfo=UTC))
    '2023-11-14 22:13 (+00:00)'
    """
    if when.tzinfo is None or when.utcoffset() is None:
        when = when.astimezone()
    offset = when.strftime("%z")  # +0900
    return f"{when:%Y-%m-%d %H:%M} ({offset[:3]}:{offset[3:]})"

"""The time written into files, and ``SOURCE_DATE_EPOCH`` for reproducible ones.

Unset, a file says it was made now, in local time. Set (seconds since 1970 UTC, the
reproducible-builds.org convention), every time written into a workbook or page comes from
it, in UTC, so two runs give the same bytes.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import UTC, datetime

SOURCE_DATE_EPOCH = "SOURCE_DATE_EPOCH"
#: The last time a zip file (a workbook) can hold: 2107-12-31 23:59:58 UTC.
LATEST_EPOCH = 4_354_819_198


class SourceDateEpochError(ValueError):
    """``SOURCE_DATE_EPOCH`` is set but is not a whole number of seconds (or out of range)."""


def source_date_epoch(environ: Mapping[str, str] | None = None) -> datetime | None:
    """The time ``SOURCE_DATE_EPOCH`` fixes (UTC), or None when it is unset or empty.

    A value that is not a non-negative integer up to :data:`LATEST_EPOCH` raises
    :class:`SourceDateEpochError`: never silently ignored.

    >>> source_date_epoch({"SOURCE_DATE_EPOCH": "1700000000"}).isoformat()
    '2023-11-14T22:13:20+00:00'
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
    """When a file is made (aware): ``SOURCE_DATE_EPOCH`` in UTC if set, else now, local time."""
    return source_date_epoch() or datetime.now().astimezone()


def format_made_time(when: datetime) -> str:
    """A time as the 概要 sheets show it: minutes and the UTC offset (naive: local time).

    >>> format_made_time(datetime(2023, 11, 14, 22, 13, 20, tzinfo=UTC))
    '2023-11-14 22:13 (+00:00)'
    """
    if when.utcoffset() is None:
        when = when.astimezone()
    offset = when.strftime("%z")  # +0900
    return f"{when:%Y-%m-%d %H:%M} ({offset[:3]}:{offset[3:]})"

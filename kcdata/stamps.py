"""The time written into files, and ``SOURCE_DATE_EPOCH`` for reproducible ones.

Without the environment variable, a file says it was made now, in local time.
With ``SOURCE_DATE_EPOCH`` (seconds since 1970-01-01 UTC, the convention of
reproducible-builds.org), every time written into a workbook comes from it
instead, in UTC, so two runs on any machine give the same bytes:

* the 作成日時 on the 概要 sheet (:func:`made_time`, :func:`format_made_time`);
* ``docProps/core.xml``'s created and modified dates and every zip entry's
  time (:func:`restamp_zip`, applied by :func:`kcdata.outputs.workbook.save_workbook`).

Standard library only; nothing is read at import time.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path

__all__ = [
    "LATEST_EPOCH",
    "SOURCE_DATE_EPOCH",
    "SourceDateEpochError",
    "format_made_time",
    "made_time",
    "restamp_zip",
    "source_date_epoch",
]

#: The environment variable that fixes every time stamp.
SOURCE_DATE_EPOCH = "SOURCE_DATE_EPOCH"

#: The last second a zip (MS-DOS) time can hold, 2107-12-31 23:59:58 UTC: later values of
#: SOURCE_DATE_EPOCH are refused before anything is written.
LATEST_EPOCH = 4_354_819_198
#: Zip (MS-DOS) times start in 1980: earlier epochs are written as this.
_ZIP_EARLIEST = (1980, 1, 1, 0, 0, 0)
_CORE_PROPERTIES = "docProps/core.xml"
_CORE_DATE_RE = re.compile(r"(<dcterms:(created|modified)\b[^>]*>)[^<]*(</dcterms:\2>)")


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


def restamp_zip(path: str | os.PathLike[str], when: datetime) -> Path:
    """Rewrite a zip file (an .xlsx) in place with every time taken from ``when``.

    Each entry keeps its name, order, bytes and compression; its time becomes
    ``when`` in UTC (zip times before 1980 become 1980-01-01), and its
    permissions those ``zipfile`` gives a new entry. In ``docProps/core.xml``
    the ``dcterms:created`` and ``dcterms:modified`` dates become ``when``
    (openpyxl always writes the time of saving as modified). Returns ``path``.
    Cost: one decompression and compression of the file, in memory.
    """
    import zipfile

    path = Path(path)
    utc = when.astimezone(UTC)
    date_time = max((utc.year, utc.month, utc.day, utc.hour, utc.minute, utc.second),
                    _ZIP_EARLIEST)
    w3cdtf = utc.strftime("%Y-%m-%dT%H:%M:%SZ")
    with zipfile.ZipFile(path) as archive:
        entries = [(info, archive.read(info)) for info in archive.infolist()]
    with zipfile.ZipFile(path, "w") as archive:
        for old, data in entries:
            if old.filename == _CORE_PROPERTIES:
                text = _CORE_DATE_RE.sub(rf"\g<1>{w3cdtf}\g<3>", data.decode("utf-8"))
                data = text.encode("utf-8")
            info = zipfile.ZipInfo(old.filename, date_time=date_time)
            info.compress_type = old.compress_type
            info.external_attr = 0o600 << 16  # what ZipFile.writestr gives a new file
            archive.writestr(info, data)
    return path

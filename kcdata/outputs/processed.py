"""The processed data: the two tidy tables as CSV files that Excel opens correctly."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from kcdata.files import sha256_of, write_bytes_atomic
from kcdata.io.departments import explode_departments

__all__ = [
    "MEASURES_CSV",
    "MEASURE_DEPARTMENTS_CSV",
    "check_processed_target",
    "csv_bytes",
    "write_processed",
]

MEASURES_CSV = "measures.csv"
MEASURE_DEPARTMENTS_CSV = "measure_departments.csv"


def csv_bytes(df: pd.DataFrame) -> bytes:
    """A table as CSV bytes: UTF-8 with BOM, LF line ends, departments joined by a space.

    The BOM makes Excel on Japanese Windows read the file as UTF-8. The output
    depends only on the table, so a rebuild is byte-for-byte identical. Lone
    surrogates (which UTF-8 cannot hold) are removed, with a
    :class:`kcdata.safetext.TextCleanedWarning`.
    """
    from kcdata.safetext import remove_lone_surrogates

    out = remove_lone_surrogates(df, what="CSV").copy()
    if "departments" in out.columns:
        out["departments"] = out["departments"].map(" ".join)
    text = out.to_csv(index=False, lineterminator="\n")
    return text.encode("utf-8-sig")


def write_processed(df: pd.DataFrame, out_dir: str | os.PathLike[str]) -> list[Path]:
    """Write ``measures.csv`` (listings) and ``measure_departments.csv`` into ``out_dir``.

    Both files are published as one unit (:func:`kcdata.files.publishing`):
    both new, or (after a failure, a full disk, an interrupt) both as they
    were. Returns the paths written.
    """
    from kcdata.files import publishing
    from kcdata.safetext import remove_lone_surrogates

    out = Path(out_dir)
    df = remove_lone_surrogates(df, what="CSV")
    measures = csv_bytes(df)
    pairs = csv_bytes(explode_departments(df))
    with publishing(out) as stage:
        write_bytes_atomic(stage / MEASURES_CSV, measures)
        write_bytes_atomic(stage / MEASURE_DEPARTMENTS_CSV, pairs)
    return [out / MEASURES_CSV, out / MEASURE_DEPARTMENTS_CSV]


def check_processed_target(source: str | os.PathLike[str], out_dir: str | os.PathLike[str]) -> None:
    """Refuse to write another document's tables over the bundled plan's committed ones.

    The checkout's ``data/processed/`` (:data:`kcdata.paths.PROCESSED_DIR`) holds the
    tables of the bundled plan, committed and checked by the tests: only that plan
    (the same bytes as :func:`kcdata.example_path`) may be built into it. Raises
    :class:`PermissionError` (nothing written) when ``out_dir`` is that folder and
    ``source`` is another document; any other ``out_dir`` is allowed. Cost: the
    SHA-256 of both files, only when ``out_dir`` is that folder.
    """
    from kcdata.io.example import example_path
    from kcdata.paths import PROCESSED_DIR

    if Path(out_dir).resolve() != PROCESSED_DIR.resolve():
        return
    if sha256_of(source) != sha256_of(example_path()):
        raise PermissionError(
            f"{PROCESSED_DIR} holds the bundled plan's committed tables; "
            f"write the tables of {Path(source).name} elsewhere (--out DIR)"
        )

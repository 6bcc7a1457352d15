"""The processed data: the two tidy tables as CSV files that Excel opens correctly."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from .output import sha256_of, write_bytes_atomic
from .tidy import explode_departments

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
    depends only on the table, so a rebuild is byte-for-byte identical.
    """
    out = df.copy()
    if "departments" in out.columns:
        out["departments"] = out["departments"].map(" ".join)
    text = out.to_csv(index=False, lineterminator="\n")
    return text.encode("utf-8-sig")


def write_processed(df: pd.DataFrame, out_dir: str | os.PathLike[str]) -> list[Path]:
    """Write ``measures.csv`` (listings) and ``measure_departments.csv`` into ``out_dir``.

    Each file is replaced atomically. Returns the paths written.
    """
    out = Path(out_dir)
    return [
        write_bytes_atomic(out / MEASURES_CSV, csv_bytes(df)),
        write_bytes_atomic(out / MEASURE_DEPARTMENTS_CSV, csv_bytes(explode_departments(df))),
    ]


def check_processed_target(source: str | os.PathLike[str], out_dir: str | os.PathLike[str]) -> None:
    """Refuse to write another document's tables over the bundled plan's committed ones.

    The checkout's ``data/processed/`` (:data:`kcdata.paths.PROCESSED_DIR`) holds the
    tables of the bundled plan, committed and checked by the tests: only that plan
    (the same bytes as :func:`kcdata.example_path`) may be built into it. Raises
    :class:`PermissionError` (nothing written) when ``out_dir`` is that folder and
    ``source`` is another document; any other ``out_dir`` is allowed. Cost: the
    SHA-256 of both files, only when ``out_dir`` is that folder.
    """
    from .example import example_path
    from .paths import PROCESSED_DIR

    if Path(out_dir).resolve() != PROCESSED_DIR.resolve():
        return
    if sha256_of(source) != sha256_of(example_path()):
        raise PermissionError(
            f"{PROCESSED_DIR} holds the bundled plan's committed tables; "
            f"write the tables of {Path(source).name} elsewhere (--out DIR)"
        )

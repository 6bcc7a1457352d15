"""The processed data: the two tidy tables as CSV files that Excel opens correctly."""

from __future__ import annotations

import os
import warnings
from pathlib import Path

import pandas as pd

from kcdata.files import publishing, sha256_of, write_bytes_atomic
from kcdata.io.departments import explode_departments
from kcdata.io.errors import PlanWarning
from kcdata.safetext import remove_lone_surrogates

__all__ = ["FORMULA_PREFIXES", "MEASURES_CSV", "MEASURE_DEPARTMENTS_CSV",
           "check_processed_target", "csv_bytes", "formula_like_cells", "write_processed"]

MEASURES_CSV = "measures.csv"
MEASURE_DEPARTMENTS_CSV = "measure_departments.csv"
#: A CSV cell that begins with one of these is read by Excel as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@")


def formula_like_cells(df: pd.DataFrame) -> list[tuple[int | None, str, str]]:
    """The text cells Excel would read as formulas in a CSV: (line, column, text), by line.

    Departments count one by one.

    >>> import kcdata
    >>> formula_like_cells(kcdata.load_example())
    []
    """
    found = []
    for column in df.columns:
        values = df[column]
        if column == "departments":
            values = values.map(" ".join)
        elif values.dtype.kind not in "OTU" and str(values.dtype) not in ("str", "string"):
            continue
        text = values.astype("str")
        hits = text.str.startswith(FORMULA_PREFIXES) & values.notna()
        for row in df.index[hits.to_numpy()]:
            line = int(df.at[row, "line"]) if "line" in df.columns else None
            found.append((line, column, str(text[row])))
    return sorted(found, key=lambda hit: (hit[0] is None, hit[0] or 0))


def csv_bytes(df: pd.DataFrame) -> bytes:
    """A table as CSV bytes: UTF-8 with BOM (for Excel), LF line ends, departments joined by a
    space; lone surrogates removed with a :class:`kcdata.safetext.TextCleanedWarning`."""
    out = remove_lone_surrogates(df, what="CSV").copy()
    if "departments" in out.columns:
        out["departments"] = out["departments"].map(" ".join)
    return out.to_csv(index=False, lineterminator="\n").encode("utf-8-sig")


def write_processed(df: pd.DataFrame, out_dir: str | os.PathLike[str]) -> list[Path]:
    """Write ``measures.csv`` and ``measure_departments.csv`` into ``out_dir``, as one unit.

    A cell Excel would read as a formula is written as it is, with a :class:`kcdata.PlanWarning`.
    """
    out = Path(out_dir)
    df = remove_lone_surrogates(df, what="CSV")
    for line, column, text in formula_like_cells(df):
        warnings.warn(PlanWarning(f"{column} 「{text[:20]}」 begins with {text[0]}: Excel "
                                  "reads it as a formula in the CSV (the workbook keeps it "
                                  "as text)", line), stacklevel=2)
    measures = csv_bytes(df)
    pairs = csv_bytes(explode_departments(df))
    with publishing(out) as stage:
        write_bytes_atomic(stage / MEASURES_CSV, measures)
        write_bytes_atomic(stage / MEASURE_DEPARTMENTS_CSV, pairs)
    return [out / MEASURES_CSV, out / MEASURE_DEPARTMENTS_CSV]


def check_processed_target(source: str | os.PathLike[str], out_dir: str | os.PathLike[str]) -> None:
    """Refuse (:class:`PermissionError`) to write another document's tables into the checkout's
    ``data/processed/``, which holds the bundled plan's committed tables."""
    from kcdata.io.example import example_path
    from kcdata.paths import PROCESSED_DIR

    if Path(out_dir).resolve() != PROCESSED_DIR.resolve():
        return
    if sha256_of(source) != sha256_of(example_path()):
        raise PermissionError(
            f"{PROCESSED_DIR} holds the bundled plan's committed tables; "
            f"write the tables of {Path(source).name} elsewhere (--out DIR)"
        )

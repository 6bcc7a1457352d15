"""Time reading the bundled plan's summary workbook against ``pandas.read_excel``.

    python benchmarks/bench_sheets.py [--runs 15]

Writes the summary workbook of the bundled plan (``kcdata.outputs.workbook.
write_summary_workbook``, written by XlsxWriter) to a temporary folder, then times, in
this one process and alternating, after one warm-up call of each:

* ``kcdata.read_measures(path)``: the 事業一覧 sheet read as a source (cells as
  shown text, merges, hidden rows, kcdata's own header) and parsed into the
  listing table;
* ``pandas.read_excel(path, sheet_name="事業一覧", engine="openpyxl")``: the
  same sheet as a DataFrame of raw values.

Prints both medians (with min and max) and, last,
``read_measures/read_excel ratio: R`` (median over median).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
import warnings
from pathlib import Path

import pandas as pd

import kcdata
from kcdata.outputs import workbook as excel
from kcdata.paths import BUNDLED_DOCUMENT


def timed(function, *args, **kwargs) -> float:
    start = time.perf_counter()
    function(*args, **kwargs)
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="calls of each (default 15)")
    args = parser.parse_args(argv)

    df = kcdata.read_measures(BUNDLED_DOCUMENT)
    with tempfile.TemporaryDirectory() as folder:
        path = excel.write_summary_workbook(df, Path(folder) / "summary.xlsx")
        with pd.ExcelFile(path, engine="openpyxl") as book:
            sheets = len(book.sheet_names)
        contenders = {
            "read_measures": lambda: kcdata.read_measures(path),
            "read_excel": lambda: pd.read_excel(path, sheet_name="事業一覧", engine="openpyxl"),
        }
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # the round trip must be clean
            back = kcdata.read_measures(path)
        columns = [c for c in df.columns if c != "line"]
        pd.testing.assert_frame_equal(back[columns], df[columns])
        for run in contenders.values():  # warm-up: imports, caches
            run()
        times: dict[str, list[float]] = {name: [] for name in contenders}
        for _ in range(args.runs):
            for name, run in contenders.items():
                times[name].append(timed(run))
    print(f"workbook: {len(df)} listings on sheet 事業一覧 of {sheets} sheets; "
          f"runs: {args.runs} each, alternating, after one warm-up")
    for name, t in times.items():
        print(f"{name + ':':15s}median {statistics.median(t) * 1000:7.1f} ms "
              f"(min {min(t) * 1000:.1f}, max {max(t) * 1000:.1f})")
    ratio = statistics.median(times["read_measures"]) / statistics.median(times["read_excel"])
    print(f"read_measures/read_excel ratio: {ratio:.2f}")


if __name__ == "__main__":
    main()

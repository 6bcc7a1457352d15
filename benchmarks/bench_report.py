"""Time ``kcdata report`` on the bundled document against importing its dependencies.

    python benchmarks/bench_report.py [--runs 5]

Two commands, each run as a fresh subprocess with the same Python and
``MPLBACKEND=Agg``, alternating, after one warm-up run of each:

* report: ``python -m kcdata.cli report --out TMPDIR`` (every chart as PNG and
  SVG, the summary workbook and the browser page, of the bundled document);
* import: ``python -c "import pandas, matplotlib.pyplot, xlsxwriter"``, the floor
  that any program making those outputs pays (the workbook is written by
  XlsxWriter; the report no longer imports openpyxl).

Wall-clock time of each run, from start to exit, is measured with
``time.perf_counter``. Prints both medians, and as its last line
``report/import ratio: R`` (median over median, two decimals).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
IMPORT_CODE = "import pandas, matplotlib.pyplot, xlsxwriter"


def _environment() -> dict[str, str]:
    env = dict(os.environ, MPLBACKEND="Agg")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return env


def _time(command: list[str], env: dict[str, str]) -> float:
    """Seconds from start to exit of ``command``; raises if it fails."""
    start = time.perf_counter()
    subprocess.run(command, check=True, env=env, cwd=ROOT,
                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="timed runs of each (default 5)")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")

    env = _environment()
    report_times: list[float] = []
    import_times: list[float] = []
    with tempfile.TemporaryDirectory() as out:
        report = [sys.executable, "-m", "kcdata.cli", "report", "--out", out]
        bare = [sys.executable, "-c", IMPORT_CODE]
        _time(report, env)  # warm-up: page cache, matplotlib's font cache
        _time(bare, env)
        for _ in range(args.runs):
            report_times.append(_time(report, env))
            import_times.append(_time(bare, env))

    report_median = statistics.median(report_times)
    import_median = statistics.median(import_times)
    print(f"python: {sys.version.split()[0]}, runs: {args.runs} each, alternating")
    print(f"kcdata report:  median {report_median:.3f} s  "
          f"(min {min(report_times):.3f}, max {max(report_times):.3f})")
    print(f"{IMPORT_CODE}:  median {import_median:.3f} s  "
          f"(min {min(import_times):.3f}, max {max(import_times):.3f})")
    print(f"report/import ratio: {report_median / import_median:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

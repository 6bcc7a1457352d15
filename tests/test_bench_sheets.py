"""benchmarks/bench_sheets.py runs once (nothing is timed), so the script cannot rot."""

from __future__ import annotations

import re
import subprocess
import sys

from kcdata.paths import PROJECT_ROOT


def test_bench_sheets_runs_once():
    done = subprocess.run(
        [sys.executable, str(PROJECT_ROOT / "benchmarks" / "bench_sheets.py"), "--runs", "1"],
        capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()
    assert lines[0].startswith("workbook: 110 listings on sheet 事業一覧")
    assert re.fullmatch(r"read_measures/read_excel ratio: \d+\.\d\d", lines[-1])

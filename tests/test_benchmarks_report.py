"""benchmarks/bench_report.py runs and ends with its ratio line (no timing is asserted)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[1] / "benchmarks" / "bench_report.py"


def test_bench_report_runs_once_and_prints_the_ratio_last():
    result = subprocess.run(
        [sys.executable, str(BENCH), "--runs", "1"],
        capture_output=True, text=True, check=False, timeout=300,
        env={**os.environ, "MPLBACKEND": "Agg"},
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert re.fullmatch(r"report/import ratio: \d+\.\d{2}", lines[-1]), lines[-1]
    assert float(lines[-1].split(": ")[1]) > 0
    assert any(line.startswith("kcdata report:") for line in lines)

"""Each benchmark runs once at a tiny size, so the scripts cannot rot (nothing is timed)."""

from __future__ import annotations

import re
import subprocess
import sys

from kcdata.paths import PROJECT_ROOT

BENCHMARKS = PROJECT_ROOT / "benchmarks"


def _run(script: str, *args: str) -> list[str]:
    done = subprocess.run(
        [sys.executable, str(BENCHMARKS / script), *args],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip().splitlines()


def test_bench_parse_runs_at_a_tiny_size():
    lines = _run("bench_parse.py", "--rows", "200", "--runs", "1")
    assert lines[0].startswith("rows: 200 ")
    assert re.fullmatch(r"parse/read_csv ratio: \d+\.\d\d", lines[-1])
    peaks = re.findall(r"peak RSS +(\d+\.\d) MiB", "\n".join(lines))
    assert len(peaks) == 2 and all(float(p) > 0 for p in peaks)


def test_bench_parse_document_holds_the_rows_it_promises():
    sys.path.insert(0, str(BENCHMARKS))
    try:
        import bench_parse
    finally:
        sys.path.remove(str(BENCHMARKS))
    import kcdata

    doc, flat = bench_parse.generate(300, seed=1)
    assert bench_parse.generate(300, seed=1) == (doc, flat)  # deterministic
    df = kcdata.parse_measures(doc)
    assert len(df) == 300 == len(flat.splitlines()) - 1
    assert df["relisted"].any() and (df["departments"].map(len) > 1).any()
    assert df["policy_no"].nunique() > 1
    # A header repeated mid-table: more header lines than 施策の方向性 headings.
    assert doc.count("事業名\t事業概要\t所管する課") > doc.count("施策の方向性")


def test_bench_import_runs_once():
    lines = _run("bench_import.py", "--runs", "1")
    assert lines[-2].endswith("matplotlib/openpyxl/xlsxwriter/rapidfuzz: none")
    assert re.fullmatch(r"import kcdata/import pandas ratio: \d+\.\d\d", lines[-1])

"""bench_corpus.py runs once at a tiny size, so the script cannot rot (nothing is timed)."""

from __future__ import annotations

import re
import subprocess
import sys

from kcdata.paths import PROJECT_ROOT


def test_bench_corpus_runs_at_a_tiny_size():
    done = subprocess.run(
        [sys.executable, str(PROJECT_ROOT / "benchmarks" / "bench_corpus.py"),
         "--plans", "3", "--listings", "20", "--runs", "1"],
        capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()
    assert lines[0].startswith("corpus: 3 plans")
    assert "kcdata report FOLDER:" in done.stdout and "(7 files)" in done.stdout
    assert re.fullmatch(r"duplicate_candidates/read_csv ratio: \d+\.\d\d \(\d+ listings\)",
                        lines[-2])
    assert re.fullmatch(r"corpus/import ratio: \d+\.\d\d", lines[-1])


def test_generated_plans_share_and_rename_measures(tmp_path):
    sys.path.insert(0, str(PROJECT_ROOT / "benchmarks"))
    try:
        import corpus_gen
    finally:
        sys.path.remove(str(PROJECT_ROOT / "benchmarks"))
    import kcdata

    corpus_gen.write_corpus(tmp_path, n_plans=6, listings=100, seed=1)
    corpus = kcdata.read_plans(tmp_path)
    assert corpus["plan"].nunique() == 6 and corpus.attrs["errors"] == []
    summary = kcdata.plan_summary(corpus)
    assert summary["listings"].eq(100).all()
    shared = kcdata.department_presence(corpus)
    assert (shared > 0).sum(axis=1).max() >= 2
    keys = corpus.groupby("plan")["measure"].apply(set)
    assert any(keys.iloc[0] & keys.iloc[k] for k in range(1, 6))  # shared measures
    assert corpus["measure"].str.startswith(("かなざわ", "新", "推進")).any()  # renamed variants

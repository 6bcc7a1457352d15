"""benchmarks/bench_themes.py runs at a tiny size and ends with its ratio (nothing is timed)."""

from __future__ import annotations

import re
import subprocess
import sys

from kcdata.paths import PROJECT_ROOT

BENCHMARKS = PROJECT_ROOT / "benchmarks"


def test_bench_themes_runs_at_a_tiny_size():
    done = subprocess.run(
        [sys.executable, str(BENCHMARKS / "bench_themes.py"), "--rows", "300", "--runs", "1",
         "--distinct-summaries"],
        capture_output=True, text=True, timeout=120, check=False,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()
    assert lines[0].startswith("rows: 300 ")
    assert "200 words" in lines[0]
    assert re.fullmatch(r"tag/read_csv ratio: \d+\.\d\d", lines[-1])


def test_bench_themes_dictionary_has_200_words_and_the_default_themes():
    sys.path.insert(0, str(BENCHMARKS))
    try:
        import bench_themes
    finally:
        sys.path.remove(str(BENCHMARKS))
    from kcdata.analysis.themes import load_themes

    dictionary = bench_themes.dictionary_of(200)
    assert sum(len(t.words) for t in dictionary.themes) == 200
    default = load_themes()
    assert dictionary.themes[: len(default.themes)] == default.themes

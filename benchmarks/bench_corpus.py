"""Time ``kcdata report`` on a corpus of 1,000 generated plans, and duplicate_candidates at 10^5.

    python benchmarks/bench_corpus.py [--plans 1000] [--listings 100] [--runs 3]

The corpus (benchmarks/corpus_gen.py): ``--plans`` documents of about
``--listings`` listings each, alternating two layouts (the bundled plan's,
written with ``kcdata.to_text``, and a generic one with 基本目標N / 施策(N)
headings and a 事業名<TAB>内容<TAB>担当課 header, when the parser reads the
generic layout), with measures shared between plans, renamed variants and
【再掲】 rows.

1. ``kcdata report FOLDER --out TMP`` (charts and workbook of the corpus) and
   ``python -c "import pandas, matplotlib.pyplot, xlsxwriter, rapidfuzz"`` (its
   dependencies: the workbook is written by XlsxWriter), each a fresh
   subprocess, one run each (after a warm-up import), wall time from start to
   exit.
2. In this process, on the same listings (read once with ``kcdata.read_plans``):
   ``kcdata.duplicate_candidates`` of the corpus against ``pandas.read_csv`` of
   the same listings written as a flat TSV (plan, names, summaries,
   departments), alternating, ``--runs`` times each; medians.

Second-to-last line: ``duplicate_candidates/read_csv ratio: D``; last line:
``corpus/import ratio: R``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus_gen  # noqa: E402
from bench_report import _environment, _time  # noqa: E402  (the same subprocess timing)

import kcdata  # noqa: E402

IMPORT_CODE = "import pandas, matplotlib.pyplot, xlsxwriter, rapidfuzz"


def _timed(function) -> float:
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plans", type=int, default=1000)
    parser.add_argument("--listings", type=int, default=100)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)

    env = _environment()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "corpus"
        start = time.perf_counter()
        paths = corpus_gen.write_corpus(folder, args.plans, args.listings)
        generic = corpus_gen.generic_layout_available()
        print(f"corpus: {len(paths)} plans, layouts: kanazawa"
              f"{' + generic' if generic else ' only (no generic layout in this parser)'}, "
              f"written in {time.perf_counter() - start:.1f} s")

        _time([sys.executable, "-c", IMPORT_CODE], env)  # warm-up: byte-code, page cache
        import_time = _time([sys.executable, "-c", IMPORT_CODE], env)
        report_time = _time([sys.executable, "-m", "kcdata.cli", "report", str(folder),
                             "--out", str(Path(tmp) / "out")], env)
        written = sorted(p.name for p in (Path(tmp) / "out").rglob("*") if p.is_file())
        print(f"kcdata report FOLDER: {report_time:.2f} s ({len(written)} files)")
        print(f"{IMPORT_CODE}: {import_time:.2f} s")

        start = time.perf_counter()
        corpus = kcdata.read_plans(folder)
        read_time = time.perf_counter() - start
        print(f"read_plans: {len(corpus)} listings of {corpus['plan'].nunique()} plans in "
              f"{read_time:.2f} s ({read_time / len(paths) * 1000:.1f} ms per document), "
              f"{len(corpus.attrs['errors'])} skipped")
        flat = Path(tmp) / "flat.tsv"
        corpus.assign(departments=corpus["departments"].map(" ".join))[
            ["plan", "measure", "summary", "departments"]].to_csv(flat, sep="\t", index=False)
        dup_times, csv_times = [], []
        found = 0
        for _ in range(args.runs):
            csv_times.append(_timed(lambda: pd.read_csv(flat, sep="\t")))
            start = time.perf_counter()
            found = len(kcdata.duplicate_candidates(corpus))
            dup_times.append(time.perf_counter() - start)
    dup, csv = statistics.median(dup_times), statistics.median(csv_times)
    print(f"duplicate_candidates: median {dup:.3f} s ({found} pairs); "
          f"read_csv: median {csv:.3f} s; {args.runs} runs each, alternating")
    print(f"duplicate_candidates/read_csv ratio: {dup / csv:.2f} ({len(corpus)} listings)")
    print(f"corpus/import ratio: {report_time / import_time:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Time kcdata.read_measures on a generated document against pandas.read_csv on the same rows.

    python benchmarks/bench_parse.py --rows 1000000 [--runs 5] [--seed 0]

A document of N listings is generated in the bundled document's format, its
rows drawn (seeded) from the bundled document's listings: many 基本方針 with
distinct numbers, each with several 施策の方向性, a header row per table,
page-break blank lines, a header repeated mid-table, 【再掲】 rows and
co-managed departments. Measure names get a serial number so they stay
distinct. The flat TSV holds the same table rows, byte for byte, under one
header row: it is what pandas reads without any sections to track.

Both reads run in this one process, alternating, after a warm-up. Peak memory
is the maximum resident set size of a child process that imports the library
and does only that one read (tracemalloc cannot see pandas' C or Arrow
buffers); the child's RSS after the imports alone is printed for reference.

The last line is ``parse/read_csv ratio: R`` (median over median).
"""

from __future__ import annotations

import argparse
import gc
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

import kcdata
from kcdata.io.parse import HEADER, RELISTED_MARK
from kcdata.paths import BUNDLED_DOCUMENT

_HEADER_LINE = "\t".join(HEADER)
# Out of 1,000 listings: re-listed rows and page breaks (blank line, repeated header).
_RELISTED_PER_MILLE = 20
_PAGE_BREAK_PER_MILLE = 25


def _templates() -> tuple[list[list[str]], list[str], list[str]]:
    """The bundled document's raw rows (fields as written) and heading titles."""
    rows, policies, directions = [], [], []
    for line in BUNDLED_DOCUMENT.read_text(encoding="utf-8").splitlines():
        if line.startswith("基本方針"):
            policies.append(line.split(maxsplit=1)[1].lstrip("0123456789 "))
        elif line.startswith("施策の方向性"):
            directions.append(line.split(")", 1)[1].strip())
        elif line.count("\t") == 2 and line != _HEADER_LINE:
            name, summary, departments = line.split("\t")
            if not name.startswith(RELISTED_MARK):
                rows.append([name, summary, departments])
    return rows, policies, directions


def generate(n_rows: int, seed: int = 0) -> tuple[str, str]:
    """A document of ``n_rows`` listings and a flat TSV of the same rows (deterministic)."""
    rng = random.Random(seed)
    rows, policy_titles, direction_titles = _templates()
    doc = ["", "2 具体的な施策", ""]
    flat = [_HEADER_LINE]
    written: list[str] = []  # measure names so far, for 【再掲】 rows
    policy_no = 0
    direction_no = 0
    directions_left = 0
    rows_left = 0
    for k in range(n_rows):
        if rows_left == 0:
            if directions_left == 0:
                policy_no += 1
                direction_no = 0
                directions_left = rng.randint(2, 8)
                space = rng.choice(["", " "])
                doc += [f"基本方針{space}{policy_no} {rng.choice(policy_titles)}", ""]
            direction_no += 1
            directions_left -= 1
            rows_left = rng.randint(2, 25)
            doc += [f"施策の方向性({direction_no}) {rng.choice(direction_titles)}", ""]
            doc.append(_HEADER_LINE)
        elif rng.randrange(1000) < _PAGE_BREAK_PER_MILLE:
            doc += ["", _HEADER_LINE] if rng.random() < 0.5 else [""]
        if written and rng.randrange(1000) < _RELISTED_PER_MILLE:
            original = rng.choice(rows)
            line = "\t".join([RELISTED_MARK + rng.choice(written), *original[1:]])
        else:
            name, summary, departments = rng.choice(rows)
            written.append(f"{name}{k + 1}")
            line = "\t".join([written[-1], summary, departments])
        doc.append(line)
        flat.append(line)
        rows_left -= 1
        if rows_left == 0:
            doc.append("")
    return "\n".join(doc) + "\n", "\n".join(flat) + "\n"


def _read_document(path: Path) -> pd.DataFrame:
    return kcdata.read_measures(path)


def _read_flat(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, sep="\t", dtype=str)


def _timed(read, path: Path) -> float:
    gc.collect()
    start = time.perf_counter()
    df = read(path)
    elapsed = time.perf_counter() - start
    del df
    return elapsed


_CHILD = {
    "parse": "import kcdata\n{read}kcdata.read_measures({path!r})",
    "read_csv": "import pandas as pd\n{read}pd.read_csv({path!r}, sep='\\t', dtype=str)",
}
_REPORT_HWM = "\nprint(next(x for x in open('/proc/self/status') if x.startswith('VmHWM')))"


def peak_rss_mib(kind: str, path: Path, *, read: bool = True) -> float:
    """Maximum RSS (MiB) of a fresh child that imports the library and (optionally) reads.

    The child reports its own high-water mark (VmHWM): on Linux ``ru_maxrss``
    of a child is inherited from the parent across fork and exec, so
    ``getrusage(RUSAGE_CHILDREN)`` would show this process's size instead.
    """
    code = _CHILD[kind].format(path=str(path), read="" if read else "#") + _REPORT_HWM
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    return int(out.stdout.split()[-2]) / 1024  # "VmHWM:  123456 kB"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000, help="listings (default 100000)")
    parser.add_argument("--runs", type=int, default=5, help="timed runs of each (default 5)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="kcdata-bench-") as tmp:
        doc_path, flat_path = Path(tmp, "measures.txt"), Path(tmp, "flat.tsv")
        doc, flat = generate(args.rows, args.seed)
        doc_path.write_text(doc, encoding="utf-8")
        flat_path.write_text(flat, encoding="utf-8")
        del doc, flat

        parsed = _read_document(doc_path)  # warm-up, and a check that both hold the same rows
        rows = len(parsed)
        assert rows == args.rows == len(_read_flat(flat_path)), "generated row counts differ"
        del parsed
        parse_times, csv_times = [], []
        for _ in range(args.runs):
            parse_times.append(_timed(_read_document, doc_path))
            csv_times.append(_timed(_read_flat, flat_path))

        peaks = {kind: peak_rss_mib(kind, p) for kind, p in
                 (("parse", doc_path), ("read_csv", flat_path))}
        bases = {kind: peak_rss_mib(kind, p, read=False) for kind, p in
                 (("parse", doc_path), ("read_csv", flat_path))}
        doc_mib = doc_path.stat().st_size / 2**20
        flat_mib = flat_path.stat().st_size / 2**20

    parse_median = statistics.median(parse_times)
    csv_median = statistics.median(csv_times)
    print(f"rows: {rows}  (document {doc_mib:.1f} MiB, flat TSV {flat_mib:.1f} MiB)")
    print(f"runs: {args.runs} each, alternating, after one warm-up")
    for label, median, kind in (
        ("read_measures", parse_median, "parse"),
        ("read_csv", csv_median, "read_csv"),
    ):
        print(
            f"{label + ':':15s}median {median:8.3f} s  ({median / rows * 1e6:7.3f} us/row)  "
            f"peak RSS {peaks[kind]:7.1f} MiB  (imports alone {bases[kind]:6.1f} MiB)"
        )
    print(f"peak RSS ratio parse/read_csv: {peaks['parse'] / peaks['read_csv']:.2f}")
    print(f"parse/read_csv ratio: {parse_median / csv_median:.2f}")


if __name__ == "__main__":
    main()

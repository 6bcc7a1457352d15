"""Time ``import kcdata`` against ``import pandas``, each in a fresh interpreter.

    python benchmarks/bench_import.py [--runs 15]

Each run starts a new Python process that times only the import statement
(interpreter start-up is the same for both and is left out), alternating
the two. It also checks that ``import kcdata`` loads none of the heavy
libraries it uses only inside functions (matplotlib, openpyxl, xlsxwriter,
rapidfuzz). The last line is ``import kcdata/import pandas ratio: R`` (median
over median).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys

#: Libraries kcdata imports only inside the functions that need them.
HEAVY = ("matplotlib", "openpyxl", "xlsxwriter", "rapidfuzz")
_CHILD = """
import sys, time
start = time.perf_counter()
import {module}
elapsed = time.perf_counter() - start
heavy = sorted(m for m in {heavy!r} if m in sys.modules)
print(elapsed, ",".join(heavy) or "-")
"""


def time_import(module: str) -> tuple[float, str]:
    """Seconds taken by ``import module`` in a fresh interpreter, and heavy modules it loaded."""
    out = subprocess.run(
        [sys.executable, "-c", _CHILD.format(module=module, heavy=HEAVY)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    return float(out[0]), out[1]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="imports of each (default 15)")
    args = parser.parse_args(argv)

    time_import("kcdata")  # warm-up: byte-code caches and the OS file cache
    time_import("pandas")
    times: dict[str, list[float]] = {"kcdata": [], "pandas": []}
    heavy = set()
    for _ in range(args.runs):
        for module in times:
            elapsed, loaded = time_import(module)
            times[module].append(elapsed)
            if module == "kcdata" and loaded != "-":
                heavy.update(loaded.split(","))
    medians = {module: statistics.median(t) for module, t in times.items()}
    print(f"runs: {args.runs} each, alternating, after one warm-up")
    for module, median in medians.items():
        print(f"import {module + ':':8s}median {median * 1000:7.1f} ms")
    print(f"import kcdata loads {'/'.join(HEAVY)}: {', '.join(sorted(heavy)) or 'none'}")
    print(f"import kcdata/import pandas ratio: {medians['kcdata'] / medians['pandas']:.2f}")


if __name__ == "__main__":
    main()

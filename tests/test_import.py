"""`import kcdata` stays light: matplotlib and openpyxl load only when first used."""

from __future__ import annotations

import json
import subprocess
import sys

HEAVY = ("matplotlib", "openpyxl")


def test_import_kcdata_loads_neither_matplotlib_nor_openpyxl():
    code = (
        "import json, sys, kcdata\n"
        f"print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY!r})))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert json.loads(done.stdout) == []


def test_the_check_can_see_a_heavy_import():
    # The same probe does report a module once it is imported, so the test above can fail.
    code = (
        "import json, sys, kcdata, openpyxl\n"
        f"print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY!r})))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert "openpyxl" in json.loads(done.stdout)

"""`import kcdata` stays light: matplotlib and openpyxl load only when first used."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

HEAVY = ("matplotlib", "openpyxl")


def _heavy_modules_after(imports: str) -> list[str]:
    """The heavy modules loaded by a fresh interpreter after ``imports``."""
    code = (
        f"import json, sys\n{imports}\n"
        f"print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY!r})))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    return json.loads(done.stdout)


@pytest.mark.parametrize(
    "imports",
    ["import kcdata",
     "import kcdata.outputs.charts, kcdata.outputs.chart_data, kcdata.outputs.figures, "
     "kcdata.outputs.fonts, kcdata.outputs.workbook, "
     "kcdata.outputs.report, kcdata.cli"],
)
def test_importing_kcdata_loads_neither_matplotlib_nor_openpyxl(imports):
    assert _heavy_modules_after(imports) == []


def test_the_check_can_see_a_heavy_import():
    # The same probe does report a module once it is imported, so the test above can fail.
    assert "openpyxl" in _heavy_modules_after("import kcdata, openpyxl")

"""Where things are: the checkout's folders, the bundled plan, the commands' default outputs.

The folders are resolved from the package file (they exist only in a checkout). The default
outputs are relative: under the current directory, never inside the installed package.
"""

from __future__ import annotations

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
DATA_DIR = PROJECT_ROOT / "data"
RAW_DIR = DATA_DIR / "raw"
PROCESSED_DIR = DATA_DIR / "processed"
#: The file name of the example plan, in the package's ``data/`` folder and in ``data/raw/``.
EXAMPLE_NAME = "kanazawa_community_plan_measures.txt"
#: The bundled plan: package data, as :func:`kcdata.example_path` finds it.
BUNDLED_DOCUMENT = Path(__file__).parent / "data" / EXAMPLE_NAME
DEFAULT_PROCESSED_OUT = Path("processed")
DEFAULT_REPORTS_OUT = Path("reports")

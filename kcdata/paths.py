"""Where things are: the checkout's folders, the bundled plan, the commands' default outputs.

The folders are resolved from the package file (they exist only in a checkout). The default
outputs are relative: under the current directory, never inside the installed package.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parents[1]
DATA_DIR = PROJECT_ROOT / "data"
RAW_DIR = DATA_DIR / "raw"
PROCESSED_DIR = DATA_DIR / "processed"
#: The bundled plan (package data, :func:`kcdata.example_path`), resolved on first use.
BUNDLED_DOCUMENT: Path
DEFAULT_PROCESSED_OUT = Path("processed")
DEFAULT_REPORTS_OUT = Path("reports")


def __getattr__(name: str) -> Any:
    if name == "BUNDLED_DOCUMENT":
        from kcdata.io.example import example_path

        return example_path()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

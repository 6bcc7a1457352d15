"""Where the project's files live, resolved from the package (never the working directory).

Notebooks run in ``notebooks/``, the CLI anywhere, tests in a temporary folder:
all of them find the bundled document through these constants.
"""

from __future__ import annotations

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
DATA_DIR = PROJECT_ROOT / "data"
RAW_DIR = DATA_DIR / "raw"
PROCESSED_DIR = DATA_DIR / "processed"
REPORTS_DIR = PROJECT_ROOT / "reports"

#: The measures chapter of Kanazawa's community plan, as extracted from its PDF.
BUNDLED_DOCUMENT = RAW_DIR / "kanazawa_community_plan_measures.txt"

__all__ = [
    "BUNDLED_DOCUMENT",
    "DATA_DIR",
    "PROCESSED_DIR",
    "PROJECT_ROOT",
    "RAW_DIR",
    "REPORTS_DIR",
]

"""Where things are: the example plan, the project's folders, and the commands' default outputs.

* :data:`BUNDLED_DOCUMENT` is the example plan shipped inside the package
  (:func:`kcdata.example_path`), found through :mod:`importlib.resources`, so
  it works from a checkout and from an installed wheel alike. It is resolved
  when first used, not at import.
* ``PROJECT_ROOT``, ``DATA_DIR``, ``RAW_DIR``, ``PROCESSED_DIR`` and
  ``REPORTS_DIR`` are the checkout's folders, resolved from the package file
  (never the working directory). They exist only in a checkout; the Makefile
  passes ``data/processed/`` and ``reports/`` to the commands explicitly.
* :data:`DEFAULT_PROCESSED_OUT` and :data:`DEFAULT_REPORTS_OUT` are where
  ``kcdata build`` and ``kcdata report`` write without ``--out``: relative
  paths, so under the current directory, never inside the installed package.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parents[1]
DATA_DIR = PROJECT_ROOT / "data"
RAW_DIR = DATA_DIR / "raw"
PROCESSED_DIR = DATA_DIR / "processed"
REPORTS_DIR = PROJECT_ROOT / "reports"

#: The measures chapter of Kanazawa's community plan: the package data file of
#: :func:`kcdata.example_path` (resolved on first use by ``__getattr__`` below).
BUNDLED_DOCUMENT: Path

#: ``kcdata build`` without ``--out`` writes here, under the current directory.
DEFAULT_PROCESSED_OUT = Path("processed")
#: ``kcdata report`` without ``--out`` writes here, under the current directory.
DEFAULT_REPORTS_OUT = Path("reports")

__all__ = [
    "BUNDLED_DOCUMENT",
    "DATA_DIR",
    "DEFAULT_PROCESSED_OUT",
    "DEFAULT_REPORTS_OUT",
    "PROCESSED_DIR",
    "PROJECT_ROOT",
    "RAW_DIR",
    "REPORTS_DIR",
]


def __getattr__(name: str) -> Any:
    """``BUNDLED_DOCUMENT``: the measures chapter of Kanazawa's community plan (package data).

    The same file as :func:`kcdata.example_path`; a byte copy of
    ``data/raw/kanazawa_community_plan_measures.txt``.
    """
    if name == "BUNDLED_DOCUMENT":
        from kcdata.io.example import example_path

        return example_path()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

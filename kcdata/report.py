"""The council report: every chart as PNG and SVG, and the summary workbook.

What ``kcdata report`` and ``make report`` write into a folder (default ``reports/``)::

    figures/01_listings_by_policy.png, .svg   ... one pair per chart
    <source stem>_summary.xlsx                    the summary workbook

Each file is written atomically (a temporary file beside it, renamed), so an
interrupted run never leaves a half-written file. ``data/raw/`` is refused.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from . import paths
from .parse import read_measures

__all__ = ["FIGURES_DIR", "build_report", "summary_path", "write_figures", "write_report"]

#: The figures' folder inside the report folder.
FIGURES_DIR = "figures"


def summary_path(out_dir: str | os.PathLike[str], source: str | os.PathLike[str]) -> Path:
    """Where the summary workbook of ``source`` goes: ``out_dir/<source stem>_summary.xlsx``.

    >>> summary_path("reports", "data/raw/plan.txt").as_posix()
    'reports/plan_summary.xlsx'
    """
    return Path(out_dir) / f"{Path(source).stem}_summary.xlsx"


def write_figures(df: pd.DataFrame, out_dir: str | os.PathLike[str]) -> list[Path]:
    """Draw every chart of :func:`kcdata.plotting.report_figures` once and save it.

    Writes ``out_dir/figures/<stem>.png`` and ``.svg`` for each chart, in report
    order; returns the paths written.
    """
    from .plotting import report_figures, save_figure

    folder = Path(out_dir) / FIGURES_DIR
    written: list[Path] = []
    for stem, fig in report_figures(df).items():
        written += save_figure(fig, folder / stem)
    return written


def write_report(
    df: pd.DataFrame,
    out_dir: str | os.PathLike[str],
    *,
    source: str | os.PathLike[str],
) -> list[Path]:
    """Write the figures and the summary workbook of a listing table; return the paths.

    ``source`` is the document ``df`` was read from: it names the workbook and
    its name and SHA-256 go on the workbook's 概要 sheet.
    """
    from .excel import write_summary_workbook

    written = write_figures(df, out_dir)
    written.append(write_summary_workbook(df, summary_path(out_dir, source), source=source))
    return written


def build_report(
    source: str | os.PathLike[str] = paths.BUNDLED_DOCUMENT,
    out_dir: str | os.PathLike[str] = paths.REPORTS_DIR,
) -> list[Path]:
    """Read a measures document and write its report into ``out_dir``; return the paths.

    Raises :class:`kcdata.ParseError` for a document that does not parse,
    before anything is written.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as out:
    ...     [p.name for p in build_report(out_dir=out)][-1]
    'kanazawa_community_plan_measures_summary.xlsx'
    """
    return write_report(read_measures(source), out_dir, source=source)

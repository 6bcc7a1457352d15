"""The council report: every chart as PNG and SVG, and the summary workbook.

What ``kcdata report`` and ``make report`` write into a folder (default ``./reports/``)::

    figures/01_listings_by_policy.png, .svg   ... one pair per chart
    <source stem>_summary.xlsx                    the summary workbook

Each file is written atomically (a temporary file beside it, renamed), so an
interrupted run never leaves a half-written file. ``data/raw/`` is refused.

Speed: each chart is drawn once and saved as PNG and SVG from the same
figure, laid out once (:func:`kcdata.plotting.save_figure`). The charts and
the workbook are independent tasks. ``jobs`` says how many run at once:

* ``jobs=1``, the default of the functions here: one after another in this
  process, safe anywhere (a notebook's kernel is never forked);
* ``jobs=None``, what ``kcdata report`` asks for: automatic, one worker per
  CPU available (at most one per task) on Linux, one process elsewhere;
* ``jobs=N``: up to ``N`` workers, on Linux only.

Themes: the theme chart (06) and the workbook's テーマ別 and テーマ該当事業
sheets use ``themes`` (a TOML path, a mapping, a
:class:`kcdata.themes.ThemeDictionary`; default: kcdata's own dictionary),
loaded once, before anything is drawn, so a malformed dictionary raises
:class:`kcdata.themes.ThemeError` before any file is written.

Workers are forked processes (``concurrent.futures``), so that they share the
imported matplotlib and font; fork is used on Linux only (forking after
numpy and matplotlib are loaded is unsafe on macOS, and there is no fork on
Windows). The files are the same whatever ``jobs`` is.
"""

from __future__ import annotations

import concurrent.futures
import functools
import multiprocessing
import os
import sys
import warnings
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from . import paths
from .parse import read_measures
from .themes import ThemesLike, load_themes

__all__ = ["FIGURES_DIR", "build_report", "summary_path", "write_figures", "write_report"]

#: The figures' folder inside the report folder.
FIGURES_DIR = "figures"


def summary_path(out_dir: str | os.PathLike[str], source: str | os.PathLike[str]) -> Path:
    """Where the summary workbook of ``source`` goes: ``out_dir/<source stem>_summary.xlsx``.

    >>> summary_path("reports", "data/raw/plan.txt").as_posix()
    'reports/plan_summary.xlsx'
    """
    return Path(out_dir) / f"{Path(source).stem}_summary.xlsx"


def write_figures(
    df: pd.DataFrame,
    out_dir: str | os.PathLike[str],
    *,
    jobs: int | None = 1,
    themes: ThemesLike = None,
) -> list[Path]:
    """Draw every chart of :func:`kcdata.plotting.report_figures` once and save it.

    Writes ``out_dir/figures/<stem>.png`` and ``.svg`` for each chart, in report
    order; returns the paths written. ``jobs``: charts drawn at once (default 1:
    in this process, one after another; ``None``: automatic; more than one
    only on Linux, see the module's docstring). ``themes``: the theme
    dictionary of the theme chart (default: kcdata's own).
    """
    dictionary = load_themes(themes)
    _prepare_drawing()
    return _flatten(_run_tasks(_figure_tasks(df, out_dir, dictionary), jobs=jobs))


def write_report(
    df: pd.DataFrame,
    out_dir: str | os.PathLike[str],
    *,
    source: str | os.PathLike[str],
    jobs: int | None = 1,
    themes: ThemesLike = None,
) -> list[Path]:
    """Write the figures and the summary workbook of a listing table; return the paths.

    ``source`` is the document ``df`` was read from: it names the workbook and
    its name and SHA-256 go on the workbook's 概要 sheet. ``jobs``: tasks run at
    once (default 1: in this process; ``None``: automatic, as ``kcdata report``
    does; see the module's docstring). The paths come in report order (figures,
    then the workbook) whatever ``jobs`` is. ``themes``: the theme dictionary
    of the theme chart and sheets (default: kcdata's own; see the module's docstring).
    """
    dictionary = load_themes(themes)
    workbook = functools.partial(
        _workbook_task, df, summary_path(out_dir, source), source, dictionary
    )
    _prepare_drawing()
    return _flatten(_run_tasks([*_figure_tasks(df, out_dir, dictionary), workbook], jobs=jobs))


def _prepare_drawing() -> None:
    """Import matplotlib and set up the font here, once, before any worker is forked.

    Every worker draws, so each would otherwise import matplotlib (about 0.3 s) itself.
    """
    import matplotlib.pyplot  # noqa: F401  (what the chart functions use)

    from .fonts import use_japanese_font

    use_japanese_font()


def _figure_tasks(
    df: pd.DataFrame, out_dir: str | os.PathLike[str], themes
) -> list[Callable[[], list[Path]]]:
    from .plotting import REPORT_CHARTS, THEME_CHARTS

    folder = Path(out_dir) / FIGURES_DIR
    return [
        functools.partial(
            _figure_task, functools.partial(chart, themes=themes) if stem in THEME_CHARTS
            else chart, df, folder / stem,
        )
        for stem, chart in REPORT_CHARTS.items()
    ]


def _figure_task(chart: Callable, df: pd.DataFrame, stem_path: Path) -> list[Path]:
    from .plotting import save_figure

    return save_figure(chart(df), stem_path)


def _workbook_task(
    df: pd.DataFrame, path: Path, source: str | os.PathLike[str], themes=None
) -> list[Path]:
    from .excel import write_summary_workbook

    return [write_summary_workbook(df, path, source=source, themes=themes)]


def _can_fork() -> bool:
    """Whether worker processes may be forked here: on Linux only."""
    return sys.platform.startswith("linux")


def _default_jobs(n_tasks: int) -> int:
    """The automatic ``jobs``: the CPUs this process may use, at most ``n_tasks``; 1 off Linux."""
    if not _can_fork():
        return 1
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max(1, min(cpus or 1, n_tasks))


def _run_tasks(tasks: list[Callable[[], list[Path]]], jobs: int | None) -> list[list[Path]]:
    """Call each task, ``jobs`` at a time in forked worker processes; results in task order.

    A task's exception is raised here. ``jobs=None`` is :func:`_default_jobs`.
    With one job (or one task), or off Linux, the tasks run in this process,
    one after another.
    """
    jobs = _default_jobs(len(tasks)) if jobs is None else max(1, min(jobs, len(tasks)))
    if jobs < 2 or not _can_fork():
        return [task() for task in tasks]
    with warnings.catch_warnings():
        # Python 3.12+ warns when a process with threads (numpy's, Arrow's) forks; the
        # workers only draw and write files, they never wait on those threads.
        warnings.filterwarnings("ignore", message=".*fork", category=DeprecationWarning)
        context = multiprocessing.get_context("fork")
        with concurrent.futures.ProcessPoolExecutor(jobs, mp_context=context) as pool:
            futures = [pool.submit(task) for task in tasks]
            return [future.result() for future in futures]


def _flatten(groups: list[list[Path]]) -> list[Path]:
    return [path for group in groups for path in group]


def build_report(
    source: str | os.PathLike[str] | None = None,
    out_dir: str | os.PathLike[str] = paths.DEFAULT_REPORTS_OUT,
    *,
    jobs: int | None = 1,
    themes: ThemesLike = None,
) -> list[Path]:
    """Read a measures document and write its report into ``out_dir``; return the paths.

    ``source`` defaults to the example plan (:func:`kcdata.example_path`),
    ``out_dir`` to ``reports/`` under the current directory. Raises
    :class:`kcdata.ParseError` for a document that does not parse, before
    anything is written. ``jobs`` as in :func:`write_report`: by default the
    report is written in this process (safe in a notebook); ``themes`` as in
    :func:`write_report`.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as out:
    ...     [p.name for p in build_report(out_dir=out)][-1]
    'kanazawa_community_plan_measures_summary.xlsx'
    """
    if source is None:
        from .example import example_path

        source = example_path()
    dictionary = load_themes(themes)
    return write_report(read_measures(source), out_dir, source=source, jobs=jobs,
                        themes=dictionary)

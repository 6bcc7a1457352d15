"""The council report: every chart as PNG and SVG, and the summary workbook.

What ``kcdata report`` and ``make report`` write into a folder (default ``./reports/``)::

    figures/01_listings_by_policy.png, .svg   ... one pair per chart
    <source stem>_summary.xlsx                    the summary workbook
    <source stem>_report.html                     the browser page (html=True; ``kcdata report``
                                                  writes it unless ``--no-html``)

The report is one unit (:func:`kcdata.files.publishing`): every file is
written into a staging folder inside the output folder and, once all are
complete, moved into place together. A failure or an interrupt leaves the
previous report exactly as it was and no temporary file; two runs into one
folder take turns (the second waits). ``data/raw/`` is refused.

Everything runs in the calling process, one step after another: no worker
processes, so killing the process stops all work. Speed comes from doing
each thing once: each chart is drawn once and saved as PNG and SVG from the
same figure, laid out once (:func:`kcdata.outputs.charts.save_figure`), and the
page shows the SVG files themselves (text kept as text); the source
is read once (:func:`kcdata.io.source.read_source`), and its SHA-256 comes from
those bytes. Charts are bounded in size whatever the document
(:mod:`kcdata.limits`). The workbook is made first, so that a table too long
for Excel is refused before any chart is drawn.

Themes: the theme chart (06) and the workbook's テーマ別 and テーマ該当事業
sheets use ``themes`` (a TOML path, a mapping, a
:class:`kcdata.analysis.themes.ThemeDictionary`; default: kcdata's own dictionary),
loaded once, before anything is drawn, so a malformed dictionary raises
:class:`kcdata.analysis.themes.ThemeError` before any file is written.

The ``jobs`` arguments of earlier versions are still accepted and ignored.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from kcdata import paths
from kcdata.analysis.plans import single_plan
from kcdata.analysis.themes import ThemesLike, load_themes
from kcdata.outputs.page import html_path, write_html

__all__ = [
    "FIGURES_DIR",
    "build_report",
    "html_path",
    "summary_path",
    "write_figures",
    "write_html",
    "write_report",
]

#: The figures' folder inside the report folder.
FIGURES_DIR = "figures"


def summary_path(out_dir: str | os.PathLike[str], source: str | os.PathLike[str]) -> Path:
    """Where the summary workbook of ``source`` goes: ``out_dir/<source stem>_summary.xlsx``.

    Standard input (``"-"``) is named ``stdin``.

    >>> summary_path("reports", "data/raw/plan.txt").as_posix()
    'reports/plan_summary.xlsx'
    """
    stem = "stdin" if os.fspath(source) == "-" else Path(source).stem
    return Path(out_dir) / f"{stem}_summary.xlsx"


def write_figures(
    df: pd.DataFrame,
    out_dir: str | os.PathLike[str],
    *,
    jobs: int | None = 1,
    themes: ThemesLike = None,
) -> list[Path]:
    """Draw every chart of :func:`kcdata.outputs.charts.report_figures` once and save it.

    Writes ``out_dir/figures/<stem>.png`` and ``.svg`` for each chart, in report
    order, published as one unit; returns the paths written. ``jobs`` is
    accepted for compatibility and ignored (everything runs in this process).
    ``themes``: the theme dictionary of the theme chart (default: kcdata's own).
    """
    from kcdata.files import publishing

    dictionary = load_themes(themes)
    with publishing(out_dir) as stage:
        staged = _write_figures(df, stage, dictionary)
    return [Path(out_dir) / p.relative_to(stage) for p in staged]


def write_report(
    df: pd.DataFrame,
    out_dir: str | os.PathLike[str],
    *,
    source: str | os.PathLike[str],
    jobs: int | None = 1,
    themes: ThemesLike = None,
    source_sha256: str | None = None,
    html: bool = False,
) -> list[Path]:
    """Write the figures and the summary workbook of a listing table; return the paths.

    ``source`` is the document ``df`` was read from: it names the workbook, and
    its name and SHA-256 go on the workbook's 概要 sheet (``source_sha256``,
    the hash of the bytes parsed; computed from the file when not given). The
    files are published as one unit (see the module's docstring). The paths
    come in report order: figures, then the workbook. ``jobs`` is accepted for
    compatibility and ignored. ``themes``: the theme dictionary of the theme
    chart and sheets (default: kcdata's own). With ``html=True`` the browser page
    (:func:`kcdata.outputs.page.write_html`, ``<source stem>_report.html``) is
    written too, from the same drawings, as ``kcdata report`` does. Cost: linear
    in the listings
    (the charts are bounded, :mod:`kcdata.limits`).
    """
    dictionary = load_themes(themes)
    from kcdata.files import publishing
    from kcdata.outputs.workbook import write_summary_workbook

    with publishing(out_dir) as stage:
        workbook = write_summary_workbook(
            df, summary_path(stage, source), source=source, themes=dictionary,
            source_sha256=source_sha256,
        )
        charts: dict[str, str] | None = {} if html else None
        staged = [*_write_figures(df, stage, dictionary, charts), workbook]
        if html:  # the page shows the same drawings as the files, each drawn once
            staged.append(write_html(df, html_path(stage, source), source=source,
                                     sha256=source_sha256, charts=charts, themes=dictionary))
    return [Path(out_dir) / p.relative_to(stage) for p in staged]


def _write_figures(
    df: pd.DataFrame, out_dir: Path, themes, svgs: dict[str, str] | None = None
) -> list[Path]:
    """Draw and save every chart; with ``svgs``, also keep each as inline SVG for the page."""
    from kcdata.outputs.charts import REPORT_CHARTS, THEME_CHARTS, save_figure
    from kcdata.outputs.page import inline_svg

    df = single_plan(df)  # a corpus's rows of one plan: drawn as that plan
    folder = out_dir / FIGURES_DIR
    written: list[Path] = []
    for stem, chart in REPORT_CHARTS.items():
        figure = chart(df, themes=themes) if stem in THEME_CHARTS else chart(df)
        # One salt per chart: the page holds every SVG, and their ids must not clash.
        png, svg = save_figure(figure, folder / stem, salt=f"kcdata-{stem}")
        written += [png, svg]
        if svgs is not None:  # the page shows the SVG file itself
            svgs[stem] = inline_svg(svg.read_text(encoding="utf-8"))
    return written


def build_report(
    source: str | os.PathLike[str] | None = None,
    out_dir: str | os.PathLike[str] = paths.DEFAULT_REPORTS_OUT,
    *,
    jobs: int | None = 1,
    themes: ThemesLike = None,
    html: bool = False,
) -> list[Path]:
    """Read a measures document once and write its report into ``out_dir``; return the paths.

    ``source`` defaults to the example plan (:func:`kcdata.example_path`),
    ``out_dir`` to ``reports/`` under the current directory. The source is
    read once (:func:`kcdata.io.source.read_source`: a regular file of at most
    :data:`kcdata.io.source.MAX_SOURCE_BYTES`, or ``"-"`` for standard input), and
    the workbook's SHA-256 is that of the bytes parsed (a spreadsheet is then
    opened by :mod:`kcdata.io.sheets`). Raises :class:`kcdata.ParseError` for a
    document that does not parse, before anything is written. ``jobs`` is
    accepted for compatibility and ignored; ``themes`` and ``html`` as in
    :func:`write_report`.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as out:
    ...     [p.name for p in build_report(out_dir=out)][-1]
    'kanazawa_community_plan_measures_summary.xlsx'
    """
    from kcdata.io.read import parse_source
    from kcdata.io.source import read_source

    if source is None:
        from kcdata.io.example import example_path

        source = example_path()
    dictionary = load_themes(themes)
    document = read_source(source)
    df = parse_source(document)  # parsed from the bytes whose SHA-256 the report shows
    return write_report(df, out_dir, source=source, themes=dictionary,
                        source_sha256=document.sha256, html=html)

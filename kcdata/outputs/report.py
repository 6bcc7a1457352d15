"""The council report (``kcdata report``): every chart as PNG and SVG, the summary workbook
and, with ``html=True``, the browser page::

    figures/01_listings_by_policy.png, .svg   ... one pair per chart
    <source stem>_summary.xlsx                    the summary workbook
    <source stem>_report.html                     the browser page

The files are published as one unit (:func:`kcdata.files.publishing`): a failure leaves the
previous report as it was. Each chart is drawn once; the page shows the SVG files themselves.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from kcdata import paths
from kcdata.analysis.plans import single_plan
from kcdata.analysis.themes import ThemesLike, load_themes
from kcdata.files import publishing
from kcdata.outputs.page import html_path, inline_svg, write_html

__all__ = ["FIGURES_DIR", "build_report", "html_path", "summary_path", "write_html",
           "write_report"]

#: The figures' folder inside the report folder.
FIGURES_DIR = "figures"


def summary_path(out_dir: str | os.PathLike[str], source: str | os.PathLike[str]) -> Path:
    """Where the summary workbook of ``source`` goes: ``out_dir/<source stem>_summary.xlsx``
    (standard input, ``"-"``, is named ``stdin``).

    >>> summary_path("reports", "data/raw/plan.txt").as_posix()
    'reports/plan_summary.xlsx'
    """
    stem = "stdin" if os.fspath(source) == "-" else Path(source).stem
    return Path(out_dir) / f"{stem}_summary.xlsx"


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
    """Write the figures, the summary workbook and (``html=True``) the page; return the paths.

    ``source`` names the workbook and the page; its name and SHA-256 (``source_sha256``,
    computed from the file when not given) go on the 概要 sheet. ``themes``: the theme
    dictionary (default kcdata's own). ``jobs`` is accepted and ignored. The workbook is
    made first, so a table too long for Excel is refused before any chart is drawn.
    """
    from kcdata.outputs.charts import REPORT_CHARTS, THEME_CHARTS, save_figure
    from kcdata.outputs.workbook import write_summary_workbook

    dictionary = load_themes(themes)
    one = single_plan(df)  # a corpus's rows of one plan: drawn as that plan
    figures: list[Path] = []
    svgs: dict[str, str] = {}
    with publishing(out_dir) as stage:
        workbook = write_summary_workbook(df, summary_path(stage, source), source=source,
                                          themes=dictionary, source_sha256=source_sha256)
        for stem, chart in REPORT_CHARTS.items():
            figure = chart(one, themes=dictionary) if stem in THEME_CHARTS else chart(one)
            # One salt per chart: the page holds every SVG, and their ids must not clash.
            png, svg = save_figure(figure, stage / FIGURES_DIR / stem, salt=f"kcdata-{stem}")
            figures += [png, svg]
            svgs[stem] = inline_svg(svg.read_text(encoding="utf-8"))
        staged = [*figures, workbook]
        if html:
            staged.append(write_html(df, html_path(stage, source), source=source,
                                     sha256=source_sha256, charts=svgs, themes=dictionary))
    return [Path(out_dir) / p.relative_to(stage) for p in staged]


def build_report(
    source: str | os.PathLike[str] | None = None,
    out_dir: str | os.PathLike[str] = paths.DEFAULT_REPORTS_OUT,
    *,
    jobs: int | None = 1,
    themes: ThemesLike = None,
    html: bool = False,
) -> list[Path]:
    """Read a measures document once and write its report into ``out_dir``; return the paths.

    ``source`` defaults to the example plan; a :class:`kcdata.ParseError` comes before
    anything is written. The workbook's SHA-256 is that of the bytes parsed.

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
    df = parse_source(document)
    return write_report(df, out_dir, source=source, themes=dictionary,
                        source_sha256=document.sha256, html=html)

"""The report's charts: one drawer per chart, each drawing its :mod:`~kcdata.outputs.chart_data`
frame and returning a Figure that is not left open in pyplot.

A chart shows the largest N of each kind (:mod:`kcdata.limits`) and adds up the rest in
one grey bar, row or column; the workbook has every number. On a plan without
departments, the charts of :data:`DEPARTMENT_CHARTS` are their title and the reason.

>>> import kcdata
>>> list(report_figures(kcdata.load_example()))[0]
'01_listings_by_policy'
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pandas as pd

from kcdata.io.parse import RELISTED_MARK
from kcdata.outputs import chart_data as data
from kcdata.outputs.figures import (
    DPI,
    FIGURE_WIDTH,
    GRID,
    LABEL_SIZE,
    NEUTRAL,
    OKABE_ITO,
    TITLE_SIZE,
    bar_axes,
    integer_axis,
    literal_text,
    new_figure,
    note_text,
    save_figure,
    style_axes,
    svg_text,
    text_colour,
    use_japanese_font,
    wrap_label,
)
from kcdata.outputs.no_departments import needs_departments
from kcdata.vocab import CHART_CAPTIONS, CHART_TITLES, plan_words

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = [  # the drawers, and the house style's names used with them
    "DEPARTMENT_CHARTS", "DPI", "FIGURE_WIDTH", "REPORT_CHARTS", "THEME_CHARTS",
    "cross_cutting_chart", "department_listings_chart", "department_policy_heatmap",
    "policy_listings_chart", "relisted_links_chart", "report_figures", "save_figure",
    "svg_text", "theme_policy_chart", "use_japanese_font", "wrap_label",
]


def _wide(frame: pd.DataFrame, bar: str, segment: str, value: str) -> pd.DataFrame:
    """A long frame as a matrix to draw: a row per ``bar``, a column per ``segment``, in order."""
    return frame.pivot(index=bar, columns=segment, values=value).reindex(
        index=pd.unique(frame[bar]), columns=pd.unique(frame[segment]))


def _stacked_bars(ax: Axes, segments: pd.DataFrame, bar: str, value: str, margin: float) -> None:
    """One horizontal bar per ``bar`` of ``segments``, first at the top, one container per
    基本方針 (``policy``), the axis ``margin`` times the longest bar.

    Each segment's count is written in its middle (``gid="count"``) where its digits fit
    the narrowest bar axes (3.5 inches); each bar's total after it.
    """
    counts = _wide(segments, bar, "policy", value)
    colours = dict(zip(segments["policy"], segments["colour"], strict=True))
    totals = counts.sum(axis=1)
    x_max = max(1, int(totals.max()) if len(totals) else 1) * margin
    y = range(len(counts))
    left = pd.Series(0, index=counts.index)
    for column in counts.columns:
        widths = counts[column]
        ax.barh(y, widths, left=left, color=colours[column], height=0.7, label=column)
        for i, (width, start) in enumerate(zip(widths, left, strict=True)):
            needed = len(f"{int(width)}") * 0.55 * (LABEL_SIZE - 1) / 72 + 0.02  # inches
            if width and width / x_max * 3.5 >= needed:
                ax.text(start + width / 2, i, f"{width}", ha="center", va="center",
                        fontsize=LABEL_SIZE - 1, color=text_colour(colours[column]),
                        gid="count")
        left = left + widths
    for i, total in enumerate(totals):
        ax.text(total, i, f" {total}", va="center", fontsize=LABEL_SIZE - 1)
    ax.set_xlim(0, x_max)


@literal_text
def policy_listings_chart(df: pd.DataFrame) -> Figure:
    """Listings per 基本方針 (top) and per 施策の方向性 (bottom): ``measures`` solid,
    ``relisted`` hatched, the total at the end of each bar."""
    words = plan_words(df)
    label = words.label
    bars = data.policy_listings_data(df)
    panels = [(bars[bars["panel"] == panel], label(column))
              for panel, column in (("policy", "policy_no"), ("direction", "direction_no"))]
    n_p, n_d = (len(table) for table, _ in panels)
    fig = new_figure(height=1.6 + 0.5 * (n_p + n_d))
    axes = fig.subplots(2, 1, height_ratios=[max(n_p, 1), max(n_d, 1)])
    for ax, (table, unit) in zip(axes, panels, strict=True):
        y = range(len(table))
        colours = table["colour"].tolist()
        ax.barh(y, table["measures"], color=colours, edgecolor=colours,
                linewidth=0.8, label="通常の掲載")
        relisted = ax.barh(y, table["relisted"], left=table["measures"], color="white",
                           edgecolor=colours, hatch="////", linewidth=0.8,
                           label=RELISTED_MARK)
        ax.bar_label(relisted, labels=[f"{n}" for n in table["listings"]], padding=3,
                     fontsize=LABEL_SIZE)
        ax.set_yticks(list(y), table["label"].tolist())
        ax.invert_yaxis()
        ax.set_ylabel(unit, fontsize=LABEL_SIZE)
        ax.set_title(f"{unit}別", fontsize=LABEL_SIZE + 1, loc="left")
        style_axes(ax)
        integer_axis(ax.xaxis)
        ax.set_xlim(0, max(1, table["listings"].max()) * 1.12)
    axes[1].set_xlabel(f"{label('listings')}（件）", fontsize=LABEL_SIZE)
    from matplotlib.patches import Patch

    # The legend: the bars' colours (one per 基本方針), then what the hatching means.
    top = panels[0][0]
    handles = [Patch(facecolor=c, edgecolor=c, label=name) for name, c in
               zip(top["label"].str.split("\n").str[0], top["colour"], strict=True)]
    handles.append(Patch(facecolor="white", edgecolor=NEUTRAL, hatch="////",
                         label=RELISTED_MARK))
    fig.legend(handles=handles, loc="outside lower center", ncols=min(len(handles), 4),
               fontsize=LABEL_SIZE - 1, frameon=False)
    fig.suptitle(words.say(CHART_TITLES["01_listings_by_policy"]), fontsize=TITLE_SIZE)
    return fig


@literal_text
@needs_departments(CHART_CAPTIONS["02_listings_by_department"])
def department_listings_chart(df: pd.DataFrame) -> Figure:
    """Every department's listings (co-managed ones once for each), largest first."""
    words = plan_words(df)
    label, say = words.label, words.say
    bars = data.department_listings_data(df)
    fig = new_figure(height=1.4 + 0.23 * max(len(bars), 3))
    ax = fig.subplots()
    drawn = ax.barh(range(len(bars)), bars["listings"], color=bars["colour"].tolist(),
                    height=0.7)
    ax.bar_label(drawn, padding=3, fontsize=LABEL_SIZE - 1)
    bar_axes(ax, bars["department"].tolist(), f"{label('listings')}（件）", label("department"))
    if len(bars):
        ax.set_xlim(0, bars["listings"].max() * 1.1)
    total = int(bars["departments"].sum())
    ax.set_title(say(CHART_TITLES["02_listings_by_department"], departments_count=total),
                 fontsize=TITLE_SIZE)
    return fig


@literal_text
@needs_departments(CHART_CAPTIONS["03_department_policy_heatmap"])
def department_policy_heatmap(df: pd.DataFrame) -> Figure:
    """Departments x 基本方針: listing counts in every non-empty cell, empty cells white;
    a single-hue blue ramp, readable in grey-scale print."""
    words = plan_words(df)
    label, say = words.label, words.say
    import matplotlib
    import numpy as np

    matrix = _wide(data.department_policy_data(df), "department", "policy", "listings")
    n_rows, n_cols = matrix.shape
    fig = new_figure(height=2.2 + 0.24 * max(n_rows, 3))
    ax = fig.subplots()
    values = matrix.to_numpy()
    vmax = max(int(values.max()) if values.size else 1, 1)
    cmap = matplotlib.colors.LinearSegmentedColormap.from_list(
        "kcdata_blue", ["#EAF3FA", OKABE_ITO[0], "#002E4A"]
    ).with_extremes(bad="white")
    image = ax.imshow(np.ma.masked_equal(values, 0), cmap=cmap, vmin=0.5, vmax=vmax,
                      aspect="auto", interpolation="nearest")
    for (i, j), v in np.ndenumerate(values):
        if v:
            ax.text(j, i, f"{v}", ha="center", va="center", fontsize=LABEL_SIZE - 1,
                    color=text_colour(image.to_rgba(v)), gid="count")
    ax.set_xticks(range(n_cols), list(matrix.columns), fontsize=LABEL_SIZE - 1)
    ax.xaxis.tick_top()
    ax.set_yticks(range(n_rows), list(matrix.index), fontsize=LABEL_SIZE)
    # Cell borders: two sets of lines (minor ticks would make a tick object per line).
    ax.vlines(np.arange(-0.5, n_cols), -0.5, n_rows - 0.5, color=GRID, linewidth=0.6)
    ax.hlines(np.arange(-0.5, n_rows), -0.5, n_cols - 0.5, color=GRID, linewidth=0.6)
    ax.tick_params(which="major", length=0)
    ax.spines[:].set_visible(False)
    ax.set_ylabel(label("department"), fontsize=LABEL_SIZE)
    bar = fig.colorbar(image, ax=ax, shrink=0.4, aspect=25, pad=0.02)
    bar.set_label(f"{label('listings')}（件）", fontsize=LABEL_SIZE)
    bar.ax.tick_params(labelsize=LABEL_SIZE - 1)
    integer_axis(bar.ax.yaxis)
    ax.set_title(say(CHART_TITLES["03_department_policy_heatmap"]), fontsize=TITLE_SIZE)
    return fig


@literal_text
@needs_departments(CHART_CAPTIONS["04_cross_cutting_departments"])
def cross_cutting_chart(df: pd.DataFrame, min_policies: int = 2) -> Figure:
    """Departments spanning ``min_policies`` or more 基本方針: their listings stacked by
    基本方針 (one coloured segment per 基本方針 spanned)."""
    words = plan_words(df)
    label, say = words.label, words.say
    segments = data.cross_cutting_data(df, min_policies)
    bars = segments.drop_duplicates("department")
    spanning = int(bars["departments"].sum())
    n = len(bars)
    fig = new_figure(height=2.4 + 0.3 * max(n, 3))
    ax = fig.subplots()
    title = say(CHART_TITLES["04_cross_cutting_departments"], spanning=spanning)
    if n == 0:
        note_text(
            ax, say("{n}つ以上の{level0}にまたがる{department}はありません", n=min_policies)
        )
        ax.set_axis_off()
        ax.set_title(title, fontsize=TITLE_SIZE)
        return fig
    _stacked_bars(ax, segments, "department", "listings", margin=1.1)
    bar_axes(ax, bars["label"].tolist(), f"{label('listings')}（件）",
             f"{label('department')}（{label('policies')}）")
    fig.legend(loc="outside lower center", ncols=2, fontsize=LABEL_SIZE - 1, frameon=False)
    ax.set_title(title, fontsize=TITLE_SIZE)
    return fig


@literal_text
def relisted_links_chart(df: pd.DataFrame) -> Figure:
    """【再掲】 links: an arc from each original listing's section to the re-listing's, a
    cross for a 【再掲】 without an original, and a key of the sections below."""
    words = plan_words(df)
    label = words.label
    import matplotlib.path as mpath
    from matplotlib.patches import FancyArrowPatch

    links = data.relisted_links_data(df)
    sections = data.relisted_sections_data(df)
    orphans = links[~links["linked"] & links["shown"]]
    left_out = int((~links["shown"]).sum())
    keys = zip(sections["policy_no"], sections["direction_no"], strict=True)
    position = {(int(p), int(d)): i for i, (p, d) in enumerate(keys)}
    n_sections = len(sections)
    key_lines = n_sections + sections["policy"].nunique()
    arcs = data.relisted_arcs_data(df)
    top = arcs["level"].max() if len(arcs) else 0  # the highest arc's level
    arc_height = 0.8 + data.ARC_STEP * (top + 1)
    fig = new_figure(height=1.8 + 0.45 * arc_height * 2 + 0.19 * key_lines)
    ax, ax_key = fig.subplots(2, 1, height_ratios=[arc_height * 2, 0.19 * key_lines * 2.2])

    xs = range(n_sections)
    ax.scatter(xs, [0] * n_sections, marker="s", s=120, zorder=3,
               color=sections["colour"].tolist())
    ax.axhline(0, color=GRID, linewidth=1, zorder=1)
    for row in arcs.itertuples(index=False):
        x0, x1, h = row.x0, row.x1, data.ARC_BASE + data.ARC_STEP * row.level
        path = mpath.Path([(x0, 0.08), ((x0 + x1) / 2, 2 * h), (x1, 0.08)],
                          [mpath.Path.MOVETO, mpath.Path.CURVE3, mpath.Path.CURVE3])
        ax.add_patch(FancyArrowPatch(path=path, arrowstyle="-|>", mutation_scale=14,
                                     color=row.colour, linewidth=1.4,
                                     gid="relisted-link", zorder=2))
        ax.text((x0 + x1) / 2, h, row.text, ha="center", va="center",
                fontsize=LABEL_SIZE - 1, zorder=4,
                bbox={"boxstyle": "round,pad=0.25", "facecolor": "white",
                      "edgecolor": row.colour, "linewidth": 0.8})
    for row in orphans.itertuples(index=False):
        x = position[(int(row.policy_no), int(row.direction_no))]
        ax.scatter([x], [0.35], marker="x", color=row.colour, zorder=4)
        ax.annotate(row.text, (x, 0.35), xytext=(0, 8), textcoords="offset points",
                    ha="center", fontsize=LABEL_SIZE - 1, color=row.colour)
    if links.empty:
        note_text(ax, f"{RELISTED_MARK}の事業はありません")
    ticks = sections["label"].tolist()
    # side by side while they fit across the figure (half-width characters), else upright
    across = len(ticks) * max(map(len, ticks), default=0) * 0.55 * LABEL_SIZE / 72
    ax.set_xticks(list(xs), ticks, fontsize=LABEL_SIZE,
                  rotation=90 if across > FIGURE_WIDTH - 1 else 0)
    ax.set_xlim(-0.7, n_sections - 0.3)
    ax.set_ylim(-0.3, data.ARC_BASE + data.ARC_STEP * top + 0.5)
    ax.set_yticks([])
    ax.spines[["top", "right", "left"]].set_visible(False)
    omitted = f"。ほか{left_out:,}件は省略（すべて集計ブックの「再掲」に）" if left_out else ""
    ax.set_xlabel(f"{label('direction_no')}（矢印は元の掲載から{RELISTED_MARK}の掲載へ{omitted}）",
                  fontsize=LABEL_SIZE)
    ax.set_title(words.say(CHART_TITLES["05_relisted_links"], links=len(links)),
                 fontsize=TITLE_SIZE)

    ax_key.set_axis_off()
    lines: list[tuple[str, bool, bool]] = []  # text, is policy heading, has a link
    for p, group in sections.groupby("policy_no", sort=False):
        lines.append((f"{label('policy_no')}{p} {group['policy'].iloc[0]}", True, False))
        for row in group.itertuples(index=False):
            mark = f"  ◀ {RELISTED_MARK}の{row.role}" if row.role else ""
            lines.append((f"{row.label} {row.direction}{mark}", False, bool(row.role)))
    step = 1 / max(len(lines), 1)
    for k, (text, heading, linked_here) in enumerate(lines):
        # IPAexGothic has no bold face: links are marked in words and colour instead.
        ax_key.text(0.0 if heading else 0.04, 1 - (k + 0.5) * step, text,
                    transform=ax_key.transAxes, va="center", fontsize=LABEL_SIZE - 1,
                    color="black" if heading or linked_here else "#777777")
    return fig


@literal_text
def theme_policy_chart(df: pd.DataFrame, themes=None) -> Figure:
    """Themes by 基本方針: each theme's distinct measures (【再掲】 not counted again, a
    measure with two themes in both) stacked by 基本方針, the count in each segment."""
    words = plan_words(df)
    label, say = words.label, words.say
    segments = data.theme_policy_data(df, themes)
    left_out = segments.loc[~segments["shown"], "theme"].nunique()
    segments = segments[segments["shown"]]
    bars = segments.drop_duplicates("theme")["label"].tolist()
    fig = new_figure(height=2.4 + 0.32 * max(len(bars), 3))
    ax = fig.subplots()
    _stacked_bars(ax, segments, "theme", "measures", margin=1.12)
    omitted = (f"\nほか{left_out:,}テーマは省略（すべて集計ブックの「テーマ別」に）"
               if left_out else "")
    bar_axes(ax, bars,
             f"{label('measures')}（【再掲】を除く。複数のテーマに該当する事業は各テーマで1件）"
             f"{omitted}", "テーマ")
    fig.legend(loc="outside lower center", ncols=2, fontsize=LABEL_SIZE - 1, frameon=False)
    ax.set_title(say(CHART_TITLES["06_themes_by_policy"]), fontsize=TITLE_SIZE)
    return fig


#: The report's charts: file stem -> chart function.
REPORT_CHARTS: dict[str, Callable[[pd.DataFrame], Figure]] = {
    "01_listings_by_policy": policy_listings_chart,
    "02_listings_by_department": department_listings_chart,
    "03_department_policy_heatmap": department_policy_heatmap,
    "04_cross_cutting_departments": cross_cutting_chart,
    "05_relisted_links": relisted_links_chart,
    "06_themes_by_policy": theme_policy_chart,
}
#: The report's charts that take the theme dictionary (``themes=``).
THEME_CHARTS = frozenset({"06_themes_by_policy"})
#: The report's charts of departments: a sentence saying why on a plan without departments.
DEPARTMENT_CHARTS = frozenset(stem for stem, chart in REPORT_CHARTS.items()
                              if getattr(chart, "needs_departments", False))


def report_figures(df: pd.DataFrame) -> dict[str, Figure]:
    """Every chart of the report under its file stem, in the report's order."""
    return {stem: chart(df) for stem, chart in REPORT_CHARTS.items()}

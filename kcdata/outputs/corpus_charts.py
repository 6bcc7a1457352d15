"""The corpus report's charts (many plans in one table, :func:`kcdata.read_plans`).

A chart draws at most :data:`MAX_PLANS` plans one by one (the first ones, and its title
says so); beyond that, the measures chart shows the distribution.

>>> import kcdata
>>> plan = kcdata.load_example()
>>> list(corpus_figures(kcdata.combine_plans({"A": plan, "B": plan})))[0]
'01_measures_by_plan'
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from kcdata.analysis import summaries as analysis
from kcdata.outputs.figures import (
    LABEL_SIZE,
    OKABE_ITO,
    TITLE_SIZE,
    bar_axes,
    integer_axis,
    literal_text,
    new_figure,
    style_axes,
    text_colour,
    wrap_label,
)
from kcdata.outputs.no_departments import needs_departments
from kcdata.vocab import label

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure

__all__ = ["CORPUS_CHARTS", "MAX_PLANS", "corpus_figures", "department_presence_chart",
           "measures_by_plan_chart", "policy_sizes_chart"]

#: Plans drawn one bar each; a corpus with more shows its first MAX_PLANS (and says so).
MAX_PLANS = 40


@literal_text
def measures_by_plan_chart(corpus: pd.DataFrame) -> Figure:
    """Measures (distinct, 【再掲】 excluded) of each plan, listings written after each bar;
    beyond :data:`MAX_PLANS` plans, a histogram of measures per plan."""
    summary = analysis.plan_summary(corpus)
    n = len(summary)
    if n > MAX_PLANS:
        fig = new_figure(height=3.6)
        ax = fig.subplots()
        ax.hist(summary["measures"], bins=min(30, max(5, n // 20)), color=OKABE_ITO[0],
                edgecolor="white")
        ax.set_xlabel(f"計画ごとの{label('measures')}", fontsize=LABEL_SIZE)
        ax.set_ylabel("計画の数", fontsize=LABEL_SIZE)
        style_axes(ax, grid_axis="y")
        integer_axis(ax.yaxis)
        ax.set_title(f"計画ごとの{label('measures')}の分布（{n}計画）", fontsize=TITLE_SIZE)
        return fig
    fig = new_figure(height=1.4 + 0.3 * max(n, 2))
    ax = fig.subplots()
    bars = ax.barh(range(n), summary["measures"], color=OKABE_ITO[0], height=0.7)
    ax.bar_label(bars, labels=[f"{m}（掲載{k}）" for m, k in
                               zip(summary["measures"], summary["listings"], strict=True)],
                 padding=3, fontsize=LABEL_SIZE - 1)
    bar_axes(ax, [wrap_label(str(p), 24) for p in summary.index], f"{label('measures')}（件）")
    ax.set_xlim(0, max(1, int(summary["measures"].max())) * 1.3)
    ax.set_title(f"計画ごとの{label('measures')}（{n}計画）", fontsize=TITLE_SIZE)
    return fig


@literal_text
@needs_departments("多くの計画に載っている{department}")
def department_presence_chart(corpus: pd.DataFrame, top: int = 20) -> Figure:
    """The ``top`` departments named by the most plans (a department is present in a plan
    when one of its listings names it): the number of plans, one bar each."""
    presence = analysis.department_presence(corpus)
    plans = (presence > 0).sum(axis=1).head(top)
    n, total = len(plans), presence.shape[1]
    fig = new_figure(height=1.4 + 0.25 * max(n, 3))
    ax = fig.subplots()
    bars = ax.barh(range(n), plans, color=OKABE_ITO[2], height=0.7)
    ax.bar_label(bars, padding=3, fontsize=LABEL_SIZE - 1)
    bar_axes(ax, [str(d) for d in plans.index], f"その課が載っている計画の数（全{total}計画）",
             label("department"))
    ax.set_xlim(0, max(1, total) * 1.1)
    ax.set_title(f"多くの計画に載っている所管課（上位{n}課）", fontsize=TITLE_SIZE)
    return fig


@literal_text
def policy_sizes_chart(corpus: pd.DataFrame) -> Figure:
    """Each plan's outer sections side by side: a bar per plan (the first MAX_PLANS), a
    segment per section (its listings, 【再掲】 included), coloured by position."""
    table = corpus if "plan" in corpus.columns else corpus.assign(plan="計画")
    names = list(pd.unique(table["plan"]))
    shown = names[:MAX_PLANS]
    sizes = analysis.policy_summary(table[table["plan"].isin(shown)])["listings"]
    n = len(shown)
    fig = new_figure(height=1.8 + 0.3 * max(n, 2))
    ax = fig.subplots()
    for y, plan in enumerate(shown):
        left = 0
        for k, count in enumerate(sizes.loc[plan]):
            colour = OKABE_ITO[k % len(OKABE_ITO)]
            ax.barh(y, count, left=left, color=colour, edgecolor="white", linewidth=0.6,
                    height=0.7)
            if count >= 4:
                ax.text(left + count / 2, y, str(k + 1), ha="center", va="center",
                        fontsize=LABEL_SIZE - 2, color=text_colour(colour))
            left += count
    bar_axes(ax, [wrap_label(str(p), 24) for p in shown],
             f"{label('listings')}（件）　帯の数字は{label('policy_no')}などの番号")
    ax.set_xlim(0, max(1, sizes.groupby(level=0).sum().max()) * 1.05)
    more = f"（最初の{n}計画／全{len(names)}計画）" if len(names) > n else f"（{n}計画）"
    ax.set_title(f"計画ごとの{label('policy_no')}の大きさ{more}", fontsize=TITLE_SIZE)
    return fig


#: The corpus report's charts: file stem -> chart function, in report order.
CORPUS_CHARTS = {
    "01_measures_by_plan": measures_by_plan_chart,
    "02_departments_across_plans": department_presence_chart,
    "03_policy_sizes_by_plan": policy_sizes_chart,
}


def corpus_figures(corpus: pd.DataFrame) -> dict[str, Figure]:
    """Every chart of the corpus report, under its file stem, in report order."""
    return {stem: chart(corpus) for stem, chart in CORPUS_CHARTS.items()}

"""Council-ready charts of the listing table, one function per chart, each returning a Figure.

Every chart function takes the listing table (:func:`kcdata.read_measures`),
takes its numbers from :mod:`kcdata.analysis.summaries` (so a chart and a workbook
never disagree), sets the Japanese font (:func:`kcdata.outputs.fonts.use_japanese_font`)
and returns a :class:`matplotlib.figure.Figure` that is *not* left open in
pyplot's registry: a notebook shows it by ending a cell with the figure, a
script saves it with :func:`save_figure`. Nothing is drawn at import time and
matplotlib is imported only when a chart is made.

Conventions: titles, axes and legends in Japanese (labels from
:mod:`kcdata.vocab`); long titles wrapped by display width (full-width
characters count as two); the Okabe-Ito colour-blind-safe palette (a
single-hue blue ramp for the heatmap); 7.5 inches wide to fit an A4 page with margins; constrained
layout so no label is clipped. Text is drawn as written: a ``$`` in a title,
department or measure name is a dollar sign, never the start of mathtext.

Bounded at any size (:mod:`kcdata.limits`): a chart shows at most
:data:`~kcdata.limits.TOP_DEPARTMENTS` departments, :data:`~kcdata.limits.TOP_POLICIES`
基本方針 and :data:`~kcdata.limits.TOP_DIRECTIONS` 施策の方向性 (chart 01),
:data:`~kcdata.limits.TOP_HEATMAP_POLICIES` 基本方針 as columns or colours (charts
03, 04, 06), :data:`~kcdata.limits.TOP_LINKS` 【再掲】 links (chart 05) and
:data:`~kcdata.limits.TOP_THEMES` themes (chart 06): the largest,
in their usual order, and the rest added up in one last bar, row or column
(「その他 K 課」, grey). No figure is taller than
:data:`~kcdata.limits.MAX_FIGURE_INCHES` (4,000 px at 200 dpi). The complete
numbers are in the workbook.

>>> from kcdata import read_measures
>>> from kcdata.paths import BUNDLED_DOCUMENT
>>> figures = report_figures(read_measures(BUNDLED_DOCUMENT))
>>> sorted(figures)[0]
'01_listings_by_policy'
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from kcdata.analysis import summaries as analysis
from kcdata.files import atomic_path
from kcdata.io.parse import RELISTED_MARK
from kcdata.limits import (
    MAX_FIGURE_INCHES,
    OTHERS,
    TOP_DEPARTMENTS,
    TOP_DIRECTIONS,
    TOP_HEATMAP_POLICIES,
    TOP_LINKS,
    TOP_POLICIES,
    TOP_THEMES,
    others_label,
)
from kcdata.outputs.fonts import use_japanese_font
from kcdata.vocab import PlanWords, char_width, plan_words, section_label

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = [
    "DPI",
    "FIGURE_WIDTH",
    "LABEL_SIZE",
    "OKABE_ITO",
    "PNG_COMPRESS_LEVEL",
    "REPORT_CHARTS",
    "SVG_FALLBACK_FONTS",
    "SVG_HASH_SALT",
    "THEME_CHARTS",
    "TITLE_SIZE",
    "cross_cutting_chart",
    "department_listings_chart",
    "department_policy_heatmap",
    "integer_axis",
    "literal_text",
    "new_figure",
    "policy_listings_chart",
    "relisted_links_chart",
    "report_figures",
    "save_figure",
    "style_axes",
    "svg_text",
    "text_colour",
    "theme_policy_chart",
    "use_japanese_font",
    "wrap_label",
]

#: Width of every figure in inches: an A4 page (8.27 in) less margins.
FIGURE_WIDTH = 7.5
#: Resolution of the PNG files.
DPI = 200
#: zlib level of the PNG files: 3 encodes about 30 % faster than Pillow's default 6; the
#: report's PNGs are 1 % larger in all (up to 8 % for one), with the same pixels.
PNG_COMPRESS_LEVEL = 3
#: Fixed salt for the ids in SVG files, so that saving twice gives the same bytes.
SVG_HASH_SALT = "kcdata"
#: The fonts an SVG file names after the charts' own (IPAexGothic), for a computer
#: without it: the Japanese fonts of Windows (Yu Gothic, Meiryo, MS Gothic) and of
#: macOS (Hiragino), then any sans-serif font. SVG text is kept as text (see
#: :func:`svg_text`), so it is drawn with a font of the computer that shows it.
SVG_FALLBACK_FONTS = ("Yu Gothic", "Meiryo", "MS Gothic", "Hiragino Sans",
                      "Hiragino Kaku Gothic ProN", "sans-serif")
#: The Okabe-Ito colour-blind-safe palette, darkest-first order for bars on white.
OKABE_ITO = (
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#D55E00",  # vermillion
    "#F0E442",  # yellow
    "#000000",  # black
)
_NEUTRAL = "#555555"
_GRID = "#DDDDDD"
#: Font sizes (points) of chart titles and of tick and bar labels.
TITLE_SIZE = 12
LABEL_SIZE = 9
#: The narrowest the bar axes of a stacked bar chart get (inches): where counts fit.
_MIN_BAR_AXES_INCHES = 3.5

# Characters that must not begin a wrapped line (Japanese line-breaking rules).
_NO_LINE_START = set("、。，．,.)）」』】〕〉》・ー～ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ")
# Characters that must not end a wrapped line.
_NO_LINE_END = set("(（「『【〔〈《")


# ---------------------------------------------------------------- text helpers


def _is_word_char(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def _tokens(text: str) -> list[str]:
    """Runs of ASCII letters/digits stay whole; every other character is a token."""
    tokens: list[str] = []
    for ch in text:
        if tokens and _is_word_char(ch) and _is_word_char(tokens[-1][-1]):
            tokens[-1] += ch
        else:
            tokens.append(ch)
    return tokens


def _is_one_word(line: str) -> bool:
    """Whether ``line`` is one run of ASCII letters and digits (with its brackets and
    punctuation): a line that has nowhere to break, however wide."""
    word = line.rstrip("".join(_NO_LINE_START)).lstrip("".join(_NO_LINE_END))
    return bool(word) and all(_is_word_char(c) for c in word)


def _greedy_wrap(paragraph: str, width: int) -> list[str]:
    lines: list[str] = []
    line, used = "", 0
    for token in _tokens(paragraph):
        w = sum(char_width(c) for c in token)
        fits = used + w <= width
        # Keep closing punctuation with the line before (it may overhang by one, or
        # more after a line that is one word: there is nowhere to break it).
        if (not fits and line and token[0] in _NO_LINE_START
                and (used + w <= width + 2 or _is_one_word(line))):
            fits = True
        if fits or not line:
            line, used = line + token, used + w
            continue
        carry = ""
        if token[0] in _NO_LINE_START and line[-1] in _NO_LINE_START:
            # The line already overhangs (「ティ」 then 「、」): break before the
            # last ordinary character instead, taking it and its marks down.
            k = len(line) - 1
            while k > 0 and line[k] in _NO_LINE_START:
                k -= 1
            while k > 0 and _is_word_char(line[k - 1]) and _is_word_char(line[k]):
                k -= 1
            if k > 0:
                carry, line = line[k:], line[:k]
        while line and line[-1] in _NO_LINE_END:
            carry, line = line[-1] + carry, line[:-1]
        if line:
            lines.append(line)
        line, used = carry + token, sum(char_width(c) for c in carry + token)
    lines.append(line)
    return lines


def wrap_label(text: str, width: int = 30) -> str:
    """Wrap ``text`` into balanced lines of at most ``width`` display columns.

    Full-width characters (East Asian width W or F) count as two columns,
    others as one. Lines break between characters (Japanese has no spaces),
    never inside a run of ASCII letters and digits, never before closing
    punctuation such as 「、」「）」 nor after an opening bracket; a token wider
    than ``width`` gets a line of its own (with its brackets and punctuation).
    The lines are balanced: the fewest lines that fit ``width``, made as even
    as possible, so no line is left with a single character. Existing line breaks are kept.

    >>> wrap_label("地域コミュニティに対する理解や連帯意識の高揚の促進", 30)
    '地域コミュニティに対する理\\n解や連帯意識の高揚の促進'
    >>> wrap_label("ICTを活用したまちづくり", 10)
    'ICTを活\\n用したま\\nちづくり'
    """
    if width < 2:
        raise ValueError("width must be at least 2")
    out: list[str] = []
    for paragraph in text.split("\n"):
        lines = _greedy_wrap(paragraph, width)
        narrower = width
        while narrower > 2:
            candidate = _greedy_wrap(paragraph, narrower - 1)
            if len(candidate) > len(lines):
                break
            lines, narrower = candidate, narrower - 1
        out.extend(lines)
    return "\n".join(out)


def _policy_heading(policy_no: int, title: str, width: int, words: PlanWords) -> str:
    """``基本方針N`` (in the plan's words) on its own line, the title wrapped below it
    (cut after 60 characters)."""
    if len(title) > 60:
        title = title[:59] + "…"
    return f"{words.section(0, int(policy_no))}\n{wrap_label(title, width)}"


def _split_top(table: pd.DataFrame, n: int, by: str = "listings"):
    """``(shown, rest)``: the ``n`` rows of ``table`` largest in ``by`` in their order, the others.

    Both with ``table``'s index turned into columns; ``rest`` is empty when
    nothing is left out.
    """
    flat = table.reset_index()
    if len(flat) <= n:
        return flat, flat.iloc[:0]
    order = flat.sort_values(by, ascending=False, kind="stable").index
    keep = sorted(order[:n])
    return flat.loc[keep], flat.drop(index=keep)


def _policy_colours(policy_nos: Iterable[int]) -> dict[int, str]:
    ordered = sorted({int(p) for p in policy_nos})
    return {p: OKABE_ITO[i % len(OKABE_ITO)] for i, p in enumerate(ordered)}


def _top_policy_columns(
    counts: pd.DataFrame, policies: pd.DataFrame, name: Callable[[int], str], unit: str
) -> tuple[pd.DataFrame, dict, dict]:
    """The columns (基本方針) of ``counts`` a stacked bar chart shows, with legend and colours.

    The :data:`~kcdata.limits.TOP_HEATMAP_POLICIES` 基本方針 of ``policies``
    (:func:`kcdata.analysis.summaries.policy_summary`) with the most listings, in number
    order, each in its colour in the other charts (its rank among the columns
    of ``counts``; by rank among the shown ones when two of them would share
    a colour) and named ``name(p)`` (wrapped), then the rest
    added up in one grey column 「その他 K 基本方針」 (``unit`` is the plan's
    word). Returns ``(counts, legend, colours)``, keyed by column.
    """
    shown, rest = _split_top(policies[policies.index.isin(counts.columns)], TOP_HEATMAP_POLICIES)
    colours: dict = _policy_colours(counts.columns)  # as in the other charts
    if len({colours[p] for p in shown["policy_no"]}) < len(shown):  # more 基本方針 than colours
        colours = _policy_colours(shown["policy_no"])  # the shown ones kept apart
    legend = {p: wrap_label(name(p), 34) for p in shown["policy_no"]}
    out = counts[list(legend)]
    if len(rest):  # the 基本方針 with fewer listings: one grey segment
        column = others_label(len(rest), unit)
        out = out.assign(**{column: counts[rest["policy_no"]].sum(axis=1)})
        legend[column] = column
        colours[column] = _NEUTRAL
    return out, legend, colours


def text_colour(background: str | tuple[float, ...]) -> str:
    """Black or white, whichever reads better on ``background`` (WCAG luminance)."""
    from matplotlib.colors import to_rgb

    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in to_rgb(background))
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return "black" if luminance > 0.179 else "white"


# ---------------------------------------------------------------- figure helpers


def new_figure(height: float, width: float = FIGURE_WIDTH) -> Figure:
    """A figure with constrained layout, not kept in pyplot's registry.

    Made through pyplot (so notebooks get pyplot's display hooks) and closed
    at once: it stays usable for drawing, showing and saving.
    """
    import matplotlib.pyplot as plt

    use_japanese_font()
    height = min(height, MAX_FIGURE_INCHES)
    fig = plt.figure(figsize=(width, height), layout="constrained")
    plt.close(fig)
    return fig


def style_axes(ax: Axes, *, grid_axis: str = "x") -> None:
    """The house style of an axes: no top and right spines, label size, a light grid."""
    ax.spines[["top", "right"]].set_visible(False)
    ax.tick_params(labelsize=LABEL_SIZE)
    ax.grid(axis=grid_axis, color=_GRID, linewidth=0.6)
    ax.set_axisbelow(True)


def integer_axis(axis: Any) -> None:
    """Put ticks only at whole numbers on ``axis`` (counts are never fractions)."""
    from matplotlib.ticker import MaxNLocator

    axis.set_major_locator(MaxNLocator(integer=True))


def _relisted_handles(colour: str = _NEUTRAL) -> list:
    from matplotlib.patches import Patch

    return [
        Patch(facecolor=colour, edgecolor=colour, label="通常の掲載"),
        Patch(facecolor="white", edgecolor=colour, hatch="////", label=RELISTED_MARK),
    ]


def _stacked_bars(ax: Axes, counts: pd.DataFrame, totals: Iterable[int], legend: dict,
                  colours: dict, *, x_max: float) -> None:
    """One horizontal bar per row of ``counts`` (the first at the top), its columns stacked.

    One bar container per column, coloured ``colours[column]`` and labelled
    ``legend[column]`` for the figure's legend; each segment's count written
    in it where it fits (:func:`_write_segment_counts`), each bar's total
    after it; the value axis from 0 to ``x_max``.
    """
    y = range(len(counts))
    left = pd.Series(0, index=counts.index)
    for column in counts.columns:
        widths = counts[column]
        ax.barh(y, widths, left=left, color=colours[column], height=0.7, label=legend[column])
        _write_segment_counts(ax, widths, left, colours[column], x_max)
        left = left + widths
    for i, total in enumerate(totals):
        ax.text(total, i, f" {total}", va="center", fontsize=LABEL_SIZE - 1)
    ax.set_ylim(len(counts) - 0.5, -0.5)
    ax.set_xlim(0, x_max)


def _write_segment_counts(ax: Axes, widths: Iterable[int], left: Iterable[int],
                          colour: str, x_max: float) -> None:
    """Write each segment's count in its middle, in black or white (``gid="count"``).

    One segment per row ``y`` = 0, 1, ..., from ``left`` to ``left + width``;
    ``x_max`` is the axis' right end. Empty segments get no text, nor do
    segments too narrow for their count (:func:`_count_fits`): those counts
    would overprint their neighbours; the bar's total and the workbook still
    give them. Plain texts at the segments' centres, in data coordinates:
    ``bar_label(label_type="center")`` puts them in the same place, but
    measures its bar again each time the chart is laid out or drawn.
    """
    for y, (width, start) in enumerate(zip(widths, left, strict=True)):
        if width and _count_fits(width, x_max):
            ax.text(start + width / 2, y, f"{width}", ha="center", va="center",
                    fontsize=LABEL_SIZE - 1, color=text_colour(colour), gid="count")


def _count_fits(width: float, x_max: float) -> bool:
    """Whether a count fits in a bar segment ``width`` long on an axis from 0 to ``x_max``.

    The bar axes of the charts are at least :data:`_MIN_BAR_AXES_INCHES` wide
    (the figure is :data:`FIGURE_WIDTH`, the labels take the rest); a digit
    of the counts' font is 0.5 em wide (half-width), taken as 0.55 em, and a
    segment keeps a little room on either side.
    """
    digits = len(f"{int(width)}")
    needed = digits * 0.55 * (LABEL_SIZE - 1) / 72 + 0.02  # inches
    return width / max(x_max, 1e-9) * _MIN_BAR_AXES_INCHES >= needed


def _empty_note(ax: Axes, text: str) -> None:
    ax.text(0.5, 0.5, text, transform=ax.transAxes, ha="center", va="center",
            fontsize=LABEL_SIZE + 1, color=_NEUTRAL)


def literal_text(chart: Callable[..., Figure]) -> Callable[..., Figure]:
    """Make ``chart`` draw every text literally: no mathtext, whatever ``$`` it holds.

    matplotlib reads a text with two ``$`` as mathtext: a department named
    ``$\\foo$課`` would stop the drawing with a parse error, a title
    ``予算$5から$10へ`` would lose its ``$`` and its kana. Every Text object
    made while the chart is built (titles, tick labels, legends, annotations)
    takes ``parse_math`` from ``rcParams["text.parse_math"]``, which is off for
    the call. The font is set up first, so that the rc context does not undo it.
    Lone surrogates (no font, no file can hold them) are removed from the table
    first, with a :class:`kcdata.safetext.TextCleanedWarning`.
    """

    @functools.wraps(chart)
    def literal_chart(df: pd.DataFrame, *args, **kwargs) -> Figure:
        import matplotlib

        from kcdata.safetext import remove_lone_surrogates

        df = remove_lone_surrogates(df, what=f"chart {chart.__name__}")
        use_japanese_font()
        with matplotlib.rc_context({"text.parse_math": False}):
            return chart(df, *args, **kwargs)

    return literal_chart


# ---------------------------------------------------------------- charts


@literal_text
def policy_listings_chart(df: pd.DataFrame) -> Figure:
    """Listings per 基本方針 (top) and per 施策の方向性 (bottom), 【再掲】 hatched.

    Numbers from :func:`kcdata.analysis.summaries.policy_summary`: each bar is the
    section's ``listings``, split into ``measures`` (solid) and ``relisted``
    (hatched); the total is written at the end of the bar. Bars are coloured
    by 基本方針. Each axes has two bar containers (solid, hatched) with one bar
    per section.
    """
    words = plan_words(df)
    label = words.label
    all_policies = analysis.policy_summary(df, by="policy")
    colours = _policy_colours(all_policies.index)
    policies, policies_rest = _split_top(all_policies, TOP_POLICIES)
    directions, directions_rest = _split_top(
        analysis.policy_summary(df, by="direction"), TOP_DIRECTIONS
    )
    policy_labels = [_policy_heading(p, t, 24, words) for p, t in zip(
        policies["policy_no"], policies["policy"], strict=True)]
    direction_labels = [
        wrap_label(f"{section_label(p, d)} {t}", 30)
        for p, d, t in zip(directions["policy_no"], directions["direction_no"],
                           directions["direction"], strict=True)
    ]
    policy_colours = [colours[p] for p in policies["policy_no"]]
    direction_colours = [colours[p] for p in directions["policy_no"]]
    counts = ["measures", "relisted", "listings"]
    policies, directions = policies[counts], directions[counts]
    for rest, unit, table, labels, bar_colours in (
        (policies_rest, label("policy_no"), policies, policy_labels, policy_colours),
        (directions_rest, label("direction_no"), directions, direction_labels,
         direction_colours),
    ):
        if len(rest):
            table.loc[len(table) + len(rest)] = rest[counts].sum()
            labels.append(others_label(len(rest), unit))
            bar_colours.append(_NEUTRAL)
    n_p, n_d = len(policies), len(directions)
    fig = new_figure(height=1.6 + 0.5 * (n_p + n_d))
    ax_p, ax_d = fig.subplots(2, 1, height_ratios=[max(n_p, 1), max(n_d, 1)])

    panels = [
        (ax_p, policies, policy_colours, policy_labels, f"{label('policy_no')}別"),
        (ax_d, directions, direction_colours, direction_labels, f"{label('direction_no')}別"),
    ]
    for ax, table, bar_colours, tick_labels, heading in panels:
        y = range(len(table))
        ax.barh(y, table["measures"], color=bar_colours, edgecolor=bar_colours,
                linewidth=0.8, label="通常の掲載")
        relisted = ax.barh(y, table["relisted"], left=table["measures"], color="white",
                           edgecolor=bar_colours, hatch="////", linewidth=0.8,
                           label=RELISTED_MARK)
        ax.bar_label(relisted, labels=[f"{n}" for n in table["listings"]], padding=3,
                     fontsize=LABEL_SIZE)
        ax.set_yticks(list(y), tick_labels)
        ax.invert_yaxis()
        ax.set_ylabel(label("policy_no") if ax is ax_p else label("direction_no"),
                      fontsize=LABEL_SIZE)
        ax.set_title(heading, fontsize=LABEL_SIZE + 1, loc="left")
        style_axes(ax)
        integer_axis(ax.xaxis)
        ax.set_xlim(0, max(1, table["listings"].max()) * 1.12)
    ax_d.set_xlabel(f"{label('listings')}（件）", fontsize=LABEL_SIZE)
    fig.legend(handles=_relisted_handles(), loc="outside lower center", ncols=2,
               fontsize=LABEL_SIZE - 1, frameon=False)
    fig.suptitle(f"{label('policy_no')}・{label('direction_no')}別の{label('listings')}",
                 fontsize=TITLE_SIZE)
    return fig


@literal_text
def department_listings_chart(df: pd.DataFrame) -> Figure:
    """Every department's listings, one horizontal bar each, largest first.

    Numbers from :func:`kcdata.analysis.summaries.department_summary` (``listings``: a
    co-managed listing counts once for each of its departments, 【再掲】
    included), in its order; the count is written at the end of each bar.
    Beyond :data:`~kcdata.limits.TOP_DEPARTMENTS` departments, the rest are
    one grey bar 「その他 K 課」 (their listings added up).
    """
    words = plan_words(df)
    label, say = words.label, words.say
    summary = analysis.department_summary(df)
    total = len(summary)
    names = [str(d) for d in summary.index[:TOP_DEPARTMENTS]]
    listings = summary["listings"].iloc[:TOP_DEPARTMENTS].tolist()
    colours = [OKABE_ITO[0]] * len(names)
    if total > TOP_DEPARTMENTS:  # summary is largest first: the rest is the tail
        names.append(others_label(total - TOP_DEPARTMENTS, "課"))
        listings.append(int(summary["listings"].iloc[TOP_DEPARTMENTS:].sum()))
        colours.append(_NEUTRAL)
    n = len(names)
    fig = new_figure(height=1.4 + 0.23 * max(n, 3))
    ax = fig.subplots()
    y = range(n)
    bars = ax.barh(y, listings, color=colours, height=0.7)
    ax.bar_label(bars, padding=3, fontsize=LABEL_SIZE - 1)
    ax.set_yticks(list(y), names, fontsize=LABEL_SIZE)
    ax.set_ylim(n - 0.5, -0.5)
    ax.set_xlabel(f"{label('listings')}（件）", fontsize=LABEL_SIZE)
    ax.set_ylabel(label("department"), fontsize=LABEL_SIZE)
    style_axes(ax)
    integer_axis(ax.xaxis)
    if n:
        ax.set_xlim(0, max(listings) * 1.1)
    ax.set_title(say(f"所管課別の{label('listings')}（{total}課）"), fontsize=TITLE_SIZE)
    return fig


def _bounded_matrix(
    df: pd.DataFrame, width: int, words: PlanWords
) -> tuple[pd.DataFrame, list[str]]:
    """The department x 基本方針 matrix cut to the charts' bounds, and its column labels.

    Rows: the first :data:`~kcdata.limits.TOP_DEPARTMENTS` departments of
    ``department_summary`` (largest first), then 「その他 K 課」 adding up
    the rest. Columns: the :data:`~kcdata.limits.TOP_HEATMAP_POLICIES`
    基本方針 with the most listings (in their order), then 「その他 K 基本方針」.
    The extra row and column are labelled by strings, the others keep their
    department and 基本方針 number.
    """
    matrix = analysis.department_matrix(df, by="policy")
    policies = analysis.policy_summary(df, by="policy")
    titles = policies["policy"]
    shown, rest = _split_top(policies, TOP_HEATMAP_POLICIES)
    keep = shown["policy_no"].tolist()
    # columns never overprint: about 100 half-width characters across the axes at 8 pt
    width = min(width, max(6, 100 // (len(keep) + bool(len(rest)))))
    labels = [_policy_heading(p, titles[p], width, words) for p in keep]
    out = matrix[keep]
    if len(rest):
        unit = words.label("policy_no")
        column = others_label(len(rest), unit)
        out = out.assign(**{column: matrix[rest["policy_no"].tolist()].sum(axis=1)})
        labels.append(f"{OTHERS}\n{len(rest):,}\n{unit}")  # as narrow as the headings
    if len(out) > TOP_DEPARTMENTS:
        tail = out.iloc[TOP_DEPARTMENTS:].sum(axis=0)
        out = out.iloc[:TOP_DEPARTMENTS]
        out.loc[others_label(len(matrix) - TOP_DEPARTMENTS, "課")] = tail
    return out, labels


@literal_text
def department_policy_heatmap(df: pd.DataFrame) -> Figure:
    """Departments x 基本方針: listing counts, written in every non-empty cell.

    Numbers from :func:`kcdata.analysis.summaries.department_matrix` (rows in
    :func:`~kcdata.analysis.summaries.department_summary` order); empty cells are left
    blank (white) so the pattern reads at a glance. At most
    :data:`~kcdata.limits.TOP_DEPARTMENTS` rows and
    :data:`~kcdata.limits.TOP_HEATMAP_POLICIES` columns: the largest, the rest
    added up in a last row 「その他 K 課」 and column 「その他 K 基本方針」.
    Colours: a single-hue ramp from pale to the Okabe-Ito blue (readable with
    any colour vision and in grey-scale print).
    """
    words = plan_words(df)
    label, say = words.label, words.say
    import numpy as np

    matrix, column_labels = _bounded_matrix(df, 22, words)
    n_rows, n_cols = matrix.shape
    fig = new_figure(height=2.2 + 0.24 * max(n_rows, 3))
    ax = fig.subplots()
    values = matrix.to_numpy()
    vmax = max(int(values.max()) if values.size else 1, 1)
    import matplotlib

    cmap = matplotlib.colors.LinearSegmentedColormap.from_list(
        "kcdata_blue", ["#EAF3FA", OKABE_ITO[0], "#002E4A"]
    ).with_extremes(bad="white")
    image = ax.imshow(np.ma.masked_equal(values, 0), cmap=cmap, vmin=0.5, vmax=vmax,
                      aspect="auto", interpolation="nearest")
    for (i, j), v in np.ndenumerate(values):
        if v:
            ax.text(j, i, f"{v}", ha="center", va="center", fontsize=LABEL_SIZE - 1,
                    color=text_colour(image.to_rgba(v)), gid="count")
    ax.set_xticks(range(n_cols), column_labels, fontsize=LABEL_SIZE - 1)
    ax.xaxis.tick_top()
    ax.set_yticks(range(n_rows), [str(d) for d in matrix.index], fontsize=LABEL_SIZE)
    # Cell borders: two sets of lines (minor ticks would make a tick object per line).
    ax.vlines(np.arange(-0.5, n_cols), -0.5, n_rows - 0.5, color=_GRID, linewidth=0.6)
    ax.hlines(np.arange(-0.5, n_rows), -0.5, n_cols - 0.5, color=_GRID, linewidth=0.6)
    ax.tick_params(which="major", length=0)
    ax.spines[:].set_visible(False)
    ax.set_ylabel(label("department"), fontsize=LABEL_SIZE)
    bar = fig.colorbar(image, ax=ax, shrink=0.4, aspect=25, pad=0.02)
    bar.set_label(f"{label('listings')}（件）", fontsize=LABEL_SIZE)
    bar.ax.tick_params(labelsize=LABEL_SIZE - 1)
    integer_axis(bar.ax.yaxis)
    ax.set_title(say(f"所管課×{label('policy_no')}の{label('listings')}"), fontsize=TITLE_SIZE)
    return fig


@literal_text
def cross_cutting_chart(df: pd.DataFrame, min_policies: int = 2) -> Figure:
    """Departments spanning ``min_policies`` or more 基本方針: listings split by 基本方針.

    One horizontal bar per such department (from
    :func:`kcdata.analysis.summaries.department_summary`'s ``policies``), sorted by the
    number of 基本方針 spanned, then listings; the bar is its listings stacked
    by 基本方針 (:func:`kcdata.analysis.summaries.department_matrix`), so the number of
    coloured segments is the number of 基本方針 it spans (also written after
    its name). One bar container per 基本方針. Bounded: the first
    :data:`~kcdata.limits.TOP_DEPARTMENTS` such departments, then 「その他 K
    課」 adding up the rest; the :data:`~kcdata.limits.TOP_HEATMAP_POLICIES`
    基本方針 with the most listings, then one grey segment 「その他 K 基本方針」.
    """
    words = plan_words(df)
    label, say = words.label, words.say
    summary = analysis.department_summary(df)
    matrix = analysis.department_matrix(df, by="policy")
    policies = analysis.policy_summary(df, by="policy")
    titles = policies["policy"]
    chosen = summary[summary["policies"] >= min_policies].sort_values(
        ["policies", "listings"], ascending=False, kind="stable"
    )
    spanning = len(chosen)
    counts = matrix.loc[chosen.index]
    row_labels = [f"{d}（{k}方針）" for d, k in chosen["policies"].items()]
    counts, legend, colours = _top_policy_columns(
        counts, policies, lambda p: f"{label('policy_no')}{p} {titles[p]}", label("policy_no"))
    chosen = chosen[["listings"]]
    if spanning > TOP_DEPARTMENTS:  # sorted: the rest is the tail
        other = others_label(spanning - TOP_DEPARTMENTS, "課")
        tail, tail_listings = counts.iloc[TOP_DEPARTMENTS:].sum(), chosen.iloc[TOP_DEPARTMENTS:]
        counts, chosen = counts.iloc[:TOP_DEPARTMENTS], chosen.iloc[:TOP_DEPARTMENTS]
        counts.loc[other] = tail
        chosen.loc[other] = tail_listings.sum()
        row_labels = [*row_labels[:TOP_DEPARTMENTS], other]
    n = len(chosen)
    fig = new_figure(height=2.4 + 0.3 * max(n, 3))
    ax = fig.subplots()
    title = say(f"複数の{label('policy_no')}にまたがる所管課（{spanning}課）")
    if n == 0:
        _empty_note(
            ax, say(f"{min_policies}つ以上の{label('policy_no')}にまたがる所管課はありません")
        )
        ax.set_axis_off()
        ax.set_title(title, fontsize=TITLE_SIZE)
        return fig
    _stacked_bars(ax, counts, chosen["listings"], legend, colours,
                  x_max=chosen["listings"].max() * 1.1)
    ax.set_yticks(range(n), row_labels, fontsize=LABEL_SIZE)
    ax.set_xlabel(f"{label('listings')}（件）", fontsize=LABEL_SIZE)
    ax.set_ylabel(f"{label('department')}（{label('policies')}）", fontsize=LABEL_SIZE)
    style_axes(ax)
    integer_axis(ax.xaxis)
    fig.legend(loc="outside lower center", ncols=2, fontsize=LABEL_SIZE - 1, frameon=False)
    ax.set_title(title, fontsize=TITLE_SIZE)
    return fig


@literal_text
def relisted_links_chart(df: pd.DataFrame) -> Figure:
    """【再掲】 links: an arrow from each original listing's section to the re-listing's.

    Sections (施策の方向性, in document order) stand on a horizontal axis as
    ``1-(1)``, ``1-(2)``, ...; each row of
    :func:`kcdata.analysis.summaries.relisted_links` with an original becomes an arc
    (a :class:`~matplotlib.patches.FancyArrowPatch`, ``gid="relisted-link"``)
    labelled with the measure's name. A 【再掲】 without an original is marked
    with a cross at its section. A key below lists every section's title,
    those with links marked. Bounded: at most :data:`~kcdata.limits.TOP_LINKS`
    links and as many 【再掲】 without an original are drawn (the first ones;
    the axis label says how many are left out); beyond
    :data:`~kcdata.limits.TOP_DIRECTIONS` sections, the axis and the key hold
    only the sections of the links drawn.
    """
    words = plan_words(df)
    label = words.label
    import matplotlib.path as mpath
    from matplotlib.patches import FancyArrowPatch

    directions = analysis.policy_summary(df, by="direction")
    links = analysis.relisted_links(df)
    colours = _policy_colours(directions.index.get_level_values(0))

    linked = links.dropna(subset=["original_policy_no", "original_direction_no"])
    orphans = links.drop(index=linked.index)
    left_out = max(len(linked) - TOP_LINKS, 0) + max(len(orphans) - TOP_LINKS, 0)
    linked, orphans = linked.iloc[:TOP_LINKS], orphans.iloc[:TOP_LINKS]
    if len(directions) > TOP_DIRECTIONS:  # only the sections the links shown touch
        involved = {(int(p), int(d)) for p, d in zip(
            linked["original_policy_no"], linked["original_direction_no"], strict=True)}
        involved |= {(int(p), int(d)) for p, d in zip(
            links["policy_no"].loc[[*linked.index, *orphans.index]],
            links["direction_no"].loc[[*linked.index, *orphans.index]], strict=True)}
        keep = [key in involved for key in directions.index]
        directions = directions[keep] if any(keep) else directions.iloc[:TOP_DIRECTIONS]
    position = {key: i for i, key in enumerate(directions.index)}
    n_sections = len(directions)
    key_lines = len(directions) + directions["policy"].nunique()
    arc_height = 0.8 + 0.55 * max(len(linked), 1)
    fig = new_figure(height=1.8 + 0.45 * arc_height * 2 + 0.19 * key_lines)
    ax, ax_key = fig.subplots(2, 1, height_ratios=[arc_height * 2, 0.19 * key_lines * 2.2])

    xs = range(n_sections)
    ax.scatter(xs, [0] * n_sections, marker="s", s=120, zorder=3,
               color=[colours[p] for p, _ in directions.index])
    ax.axhline(0, color=_GRID, linewidth=1, zorder=1)
    sources: set[tuple[int, int]] = set()
    targets: set[tuple[int, int]] = set()
    for i, row in enumerate(linked.itertuples(index=False)):
        source = (int(row.original_policy_no), int(row.original_direction_no))
        target = (int(row.policy_no), int(row.direction_no))
        sources.add(source)
        targets.add(target)
        x0, x1 = position[source], position[target]
        if x0 == x1:
            x0, x1 = x0 - 0.2, x1 + 0.2
        h = 0.7 + 0.55 * i
        path = mpath.Path([(x0, 0.08), ((x0 + x1) / 2, 2 * h), (x1, 0.08)],
                          [mpath.Path.MOVETO, mpath.Path.CURVE3, mpath.Path.CURVE3])
        ax.add_patch(FancyArrowPatch(path=path, arrowstyle="-|>", mutation_scale=14,
                                     color=colours[target[0]], linewidth=1.4,
                                     gid="relisted-link", zorder=2))
        ax.text((x0 + x1) / 2, h, f"{row.measure}\n{section_label(*source)} → "
                f"{section_label(*target)}（{label('line')}{row.original_line} → {row.line}）",
                ha="center", va="center", fontsize=LABEL_SIZE - 1, zorder=4,
                bbox={"boxstyle": "round,pad=0.25", "facecolor": "white",
                      "edgecolor": colours[target[0]], "linewidth": 0.8})
    for row in orphans.itertuples(index=False):
        target = (int(row.policy_no), int(row.direction_no))
        targets.add(target)
        ax.scatter([position[target]], [0.35], marker="x", color=OKABE_ITO[5], zorder=4)
        ax.annotate(f"{row.measure}（元の掲載なし）", (position[target], 0.35),
                    xytext=(0, 8), textcoords="offset points", ha="center",
                    fontsize=LABEL_SIZE - 1, color=OKABE_ITO[5])
    if links.empty:
        _empty_note(ax, f"{RELISTED_MARK}の事業はありません")
    ticks = [section_label(p, d) for p, d in directions.index]
    # side by side while they fit across the figure (half-width characters), else upright
    across = len(ticks) * max(map(len, ticks), default=0) * 0.55 * LABEL_SIZE / 72
    ax.set_xticks(list(xs), ticks, fontsize=LABEL_SIZE,
                  rotation=90 if across > FIGURE_WIDTH - 1 else 0)
    ax.set_xlim(-0.7, n_sections - 0.3)
    ax.set_ylim(-0.3, 0.7 + 0.55 * max(len(linked) - 1, 0) + 0.5)
    ax.set_yticks([])
    ax.spines[["top", "right", "left"]].set_visible(False)
    omitted = f"。ほか{left_out:,}件は省略（すべて集計ブックの「再掲」に）" if left_out else ""
    ax.set_xlabel(f"{label('direction_no')}（矢印は元の掲載から{RELISTED_MARK}の掲載へ{omitted}）",
                  fontsize=LABEL_SIZE)
    ax.set_title(f"{RELISTED_MARK}の掲載元と掲載先（{len(links)}件）", fontsize=TITLE_SIZE)

    ax_key.set_axis_off()
    lines: list[tuple[str, bool, bool]] = []  # text, is policy heading, has a link
    for p, group in directions.groupby(level=0, sort=False):
        lines.append((f"{label('policy_no')}{p} {group['policy'].iloc[0]}", True, False))
        for (pp, d), title in group["direction"].items():
            roles = [name for name, where in (("掲載元", sources), ("掲載先", targets))
                     if (pp, d) in where]
            linked_here = bool(roles)
            mark = f"  ◀ {RELISTED_MARK}の{'・'.join(roles)}" if roles else ""
            lines.append((f"{section_label(pp, d)} {title}{mark}", False, linked_here))
    step = 1 / max(len(lines), 1)
    for k, (text, heading, linked_here) in enumerate(lines):
        # IPAexGothic has no bold face: links are marked in words and colour instead.
        ax_key.text(0.0 if heading else 0.04, 1 - (k + 0.5) * step, text,
                    transform=ax_key.transAxes, va="center", fontsize=LABEL_SIZE - 1,
                    color="black" if heading or linked_here else "#777777")
    return fig


@literal_text
def theme_policy_chart(df: pd.DataFrame, themes=None) -> Figure:
    """Themes by 基本方針: one horizontal bar per theme, its measures stacked by 基本方針.

    Numbers from :func:`kcdata.analysis.themes.theme_matrix` (``by="policy"``): distinct
    measures with the theme, 【再掲】 not counted again; a measure with two
    themes is in both bars. Bars in the dictionary's order (``themes``, as in
    :func:`kcdata.analysis.themes.load_themes`; default kcdata's own), the count of each
    segment written in it (where it fits) and the total at the end of the bar;
    one bar container per 基本方針, coloured as in the other charts. Bounded:
    the :data:`~kcdata.limits.TOP_HEATMAP_POLICIES` 基本方針 with the most
    listings, then one grey segment 「その他 K 基本方針」; at most
    :data:`~kcdata.limits.TOP_THEMES` themes (those with the most measures;
    the axis label says how many are left out).
    """
    from kcdata.analysis.themes import theme_matrix

    words = plan_words(df)
    label, say = words.label, words.say
    matrix = theme_matrix(df, "policy", themes)
    policies = analysis.policy_summary(df, by="policy")
    titles = policies["policy"]
    totals = matrix.sum(axis=1)
    left_out = max(len(matrix) - TOP_THEMES, 0)
    if left_out:  # the themes with the most measures, in the dictionary's order
        keep = totals.sort_values(ascending=False, kind="stable").index[:TOP_THEMES]
        matrix, totals = matrix[matrix.index.isin(keep)], totals[totals.index.isin(keep)]
    counts, legend, colours = _top_policy_columns(
        matrix, policies, lambda p: f"{words.section(0, p)} {titles[p]}", label("policy_no"))
    n = len(counts)
    fig = new_figure(height=2.4 + 0.32 * max(n, 3))
    ax = fig.subplots()
    _stacked_bars(ax, counts, totals, legend, colours,
                  x_max=max(1, int(totals.max()) if n else 1) * 1.12)
    ax.set_yticks(range(n), [wrap_label(str(t), 24) for t in counts.index], fontsize=LABEL_SIZE)
    omitted = (f"\nほか{left_out:,}テーマは省略（すべて集計ブックの「テーマ別」に）"
               if left_out else "")
    ax.set_xlabel(f"{label('measures')}（【再掲】を除く。複数のテーマに該当する事業は各テーマで1件）"
                  f"{omitted}", fontsize=LABEL_SIZE)
    ax.set_ylabel("テーマ", fontsize=LABEL_SIZE)
    style_axes(ax)
    integer_axis(ax.xaxis)
    fig.legend(loc="outside lower center", ncols=2, fontsize=LABEL_SIZE - 1, frameon=False)
    ax.set_title(say(f"テーマ別の{label('measures')}（{label('policy_no')}別）"),
                 fontsize=TITLE_SIZE)
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


def report_figures(df: pd.DataFrame) -> dict[str, Figure]:
    """Every chart of the report, under its file stem (``"01_listings_by_policy"``, ...).

    The order of the dict is the order of the report; the stems are stable so
    that saved files keep their names from one run to the next.
    """
    return {stem: chart(df) for stem, chart in REPORT_CHARTS.items()}


def _use_agg_canvas(fig: Figure) -> None:
    """Give ``fig`` an Agg canvas if it has none (a figure shown in a window keeps its own).

    A figure closed in pyplot is left with matplotlib's base canvas, which makes
    a new canvas, and a new renderer, for every layout and every save: each
    label is then measured again each time. With one Agg canvas the layout and
    the PNG use the same renderer, and each label is measured once for both.
    """
    from matplotlib.backend_bases import FigureCanvasBase
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    if type(fig.canvas) is FigureCanvasBase:
        FigureCanvasAgg(fig)


def _fix_layout(fig: Figure) -> None:
    """Run the figure's layout engine once at :data:`DPI`, then keep the positions.

    Only the engine runs (no draw pass after it), and the figure is left with
    no layout engine at all rather than ``set_layout_engine("none")``'s
    place-holder: ``savefig`` runs an extra draw pass before printing a figure
    that has any layout engine, which is wasted once the positions are fixed.
    """
    import matplotlib
    from matplotlib.layout_engine import PlaceHolderLayoutEngine

    engine = fig.get_layout_engine()
    if engine is None or isinstance(engine, PlaceHolderLayoutEngine):
        return
    if fig.axes:
        dpi = fig.dpi
        try:
            fig.dpi = DPI
            engine.execute(fig)
        except ValueError:  # as Figure.draw does: a layout that cannot be made is skipped
            pass
        finally:
            fig.dpi = dpi
    with matplotlib.rc_context({"figure.autolayout": False,
                                "figure.constrained_layout.use": False}):
        fig.set_layout_engine(None)


def _save_png(fig: Figure, path: Path) -> None:
    """Save ``fig`` as a PNG at :data:`DPI`, without an alpha channel when it is opaque.

    The charts have an opaque white background, so their alpha channel is
    255 everywhere: the pixels are rendered once (``savefig`` to raw RGBA)
    and, when every pixel is opaque, encoded as RGB, a quarter less data for
    zlib (encoding about 40 % faster, files about 10 % smaller, the same
    picture). A figure with any transparency is saved as RGBA, as
    ``savefig`` would. No software or date metadata; the resolution is stored.
    """
    import io

    import numpy as np
    from PIL import Image

    raw = io.BytesIO()
    fig.savefig(raw, format="rgba", dpi=DPI)
    width, height = (int(v) for v in fig.get_size_inches() * DPI)
    pixels = np.frombuffer(raw.getbuffer(), dtype=np.uint8)
    if pixels.size != width * height * 4:  # pragma: no cover - a renderer of another size
        fig.savefig(path, format="png", dpi=DPI, metadata={"Software": None},
                    pil_kwargs={"compress_level": PNG_COMPRESS_LEVEL})
        return
    pixels = pixels.reshape(height, width, 4)
    image = Image.fromarray(pixels, "RGBA")
    if pixels[..., 3].min() == 255:
        image = image.convert("RGB")
    image.save(path, format="png", dpi=(DPI, DPI), compress_level=PNG_COMPRESS_LEVEL)


def svg_text(fig: Figure, salt: str = SVG_HASH_SALT) -> str:
    """``fig`` as the text of an SVG file, text kept as text; what :func:`save_figure` writes.

    Labels are ``<text>`` elements (``svg.fonttype = "none"``), not glyph
    outlines: the file is smaller and quicker to write, its text can be
    searched, copied and edited (Inkscape, Illustrator, PowerPoint), and the
    computer that shows it draws the text with its own font. The font named
    is the charts' (IPAexGothic), then :data:`SVG_FALLBACK_FONTS`, the
    Japanese fonts every Windows and Mac has. ``salt`` seeds the ids of the
    clip paths and hatch patterns (the same figure and salt give the same
    text; two SVGs in one HTML page need different salts). No metadata block
    (no date, no creator).
    """
    import io

    import matplotlib

    family = use_japanese_font()
    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.hashsalt": salt, "svg.fonttype": "none"}):
        fig.savefig(buffer, format="svg",
                    metadata={"Date": None, "Format": None, "Type": None, "Creator": None})
    text = buffer.getvalue()
    if family is not None:  # matplotlib names the one font it drew with
        fonts = ", ".join(f if f == "sans-serif" else repr(f)
                          for f in dict.fromkeys([family, *SVG_FALLBACK_FONTS]))
        text = text.replace(f"font-family: {family!r}", f"font-family: {fonts}")
    return text


def save_figure(
    fig: Figure, stem_path: str | os.PathLike[str], *, salt: str = SVG_HASH_SALT
) -> list[Path]:
    """Save ``fig`` as ``<stem_path>.png`` (200 dpi) and ``<stem_path>.svg``; return both paths.

    Each file is written atomically (:func:`kcdata.files.atomic_path`) and is
    byte-for-byte reproducible: no software/date metadata (an opaque PNG is
    stored as RGB, see :func:`_save_png`), a fixed SVG hash salt (``salt``),
    and a fixed layout. The SVG keeps its text as text (:func:`svg_text`).
    Constrained layout does not reach a fixed point
    (each draw moves axes by ~1e-6, so a figure saved twice would differ), so
    the first save lays the figure out once, at the PNG's resolution, and then
    fixes it (the figure is left without a layout engine); call
    ``fig.set_layout_engine("constrained")`` to lay it out again after editing.
    A ``.png`` or ``.svg`` suffix on ``stem_path`` is dropped.
    """
    stem = Path(stem_path)
    if stem.suffix.lower() in (".png", ".svg"):
        stem = stem.with_suffix("")
    png = stem.with_name(f"{stem.name}.png")
    svg = stem.with_name(f"{stem.name}.svg")
    use_japanese_font()
    _use_agg_canvas(fig)
    _fix_layout(fig)
    with atomic_path(png) as tmp:
        _save_png(fig, tmp)
    with atomic_path(svg) as tmp:
        tmp.write_text(svg_text(fig, salt), encoding="utf-8", newline="\n")
    return [png, svg]

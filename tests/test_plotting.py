"""Charts: they render Japanese without warnings, show the analyses' numbers, save reproducibly."""

from __future__ import annotations

import logging
import re
import subprocess
import sys
import unicodedata
import warnings

import budoux
import matplotlib
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from matplotlib import font_manager
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ft2font import FT2Font
from matplotlib.patches import FancyArrowPatch
from matplotlib.text import Text

from kcdata import parse_measures
from kcdata.analysis import summaries as analysis
from kcdata.outputs import chart_data
from kcdata.outputs import charts as plotting
from kcdata.outputs.figures import policy_colours
from kcdata.outputs.fonts import FONT_FAMILY
from kcdata.paths import RAW_DIR
from kcdata.vocab import section_label

from .conftest import HEADER_ROW, doc

matplotlib.use("Agg")

CHARTS = list(plotting.REPORT_CHARTS.items())
LONG_DIRECTION = "地域コミュニティに対する理解や連帯意識の高揚の促進に向けたとても長い方向性の名前"


@pytest.fixture
def edge() -> pd.DataFrame:
    """A co-managed row, a 【再掲】 with its original, one without, a very long title."""
    return parse_measures(doc(
        "基本方針1 テスト方針一",
        "施策の方向性(1) 方向一",
        HEADER_ROW,
        "事業A\t概要A\t甲課",
        "事業B\t概要B\t甲課 乙課",
        f"施策の方向性(2) {LONG_DIRECTION}",
        HEADER_ROW,
        "事業C\t概要C\t乙課",
        "基本方針2 テスト方針二",
        "施策の方向性(1) 方向三",
        HEADER_ROW,
        "【再掲】事業A\t概要A\t甲課",
        "【再掲】幻の事業\tどこにもない\t丙課",
        "事業D\t=SUM(A1)\t丙課",
    ))


@pytest.fixture(params=["bundled", "edge", "single_policy"])
def any_df(request, bundled, edge) -> pd.DataFrame:
    """The bundled plan, the edge-case document, and one 基本方針 only (no 【再掲】, no
    department spanning two 基本方針: the charts' empty cases)."""
    if request.param == "bundled":
        return bundled
    if request.param == "edge":
        return edge
    return bundled[bundled["policy_no"] == 1].reset_index(drop=True)


def render(fig: Figure) -> FigureCanvasAgg:
    """Draw the figure with Agg, every warning an error (a missing glyph warns).

    The charts' figures are closed in pyplot, so their canvas is the base
    canvas whose ``draw`` does nothing: attach a real one.
    """
    canvas = FigureCanvasAgg(fig)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        canvas.draw()
    return canvas


def texts(fig: Figure) -> list[Text]:
    return [t for t in fig.findobj(Text) if t.get_visible() and t.get_text()]


def japanese_texts(fig: Figure) -> list[Text]:
    return [t for t in texts(fig) if any(unicodedata.east_asian_width(c) in "WF"
                                         for c in t.get_text())]


def bar_widths(container) -> list[float]:
    return [patch.get_width() for patch in container.patches]


# ---------------------------------------------------------------- rendering and fonts


@pytest.mark.parametrize(("stem", "chart"), CHARTS, ids=[s for s, _ in CHARTS])
def test_every_chart_renders_without_warnings(any_df, stem, chart, caplog):
    with warnings.catch_warnings(), caplog.at_level(logging.WARNING):
        warnings.simplefilter("error")
        fig = chart(any_df)
        render(fig)
    assert isinstance(fig, Figure)
    # findfont logs (not warns) when a family or weight is missing.
    assert not [r for r in caplog.records if "findfont" in r.getMessage()]
    assert japanese_texts(fig), "every chart has Japanese text"


def test_render_catches_a_missing_glyph():
    # The check above can fail: a character the font lacks warns, and render raises.
    plotting.use_japanese_font()
    fig = Figure()
    fig.text(0.5, 0.5, "\U0001F600")
    with pytest.raises(UserWarning, match="missing"):
        render(fig)


# Document text with `$`: two of them make matplotlib read mathtext (`\\foo` does not parse,
# kana vanish into boxes) unless the charts draw text literally.
DOLLAR_POLICY = "予算$5から$10へ"
DOLLAR_DIRECTION = "方向$a$一"
DOLLAR_DEPARTMENT = "$\\foo$課"  # spans both 基本方針: in every department chart
DOLLAR_MEASURE = "事業$1$A"  # listed, then 【再掲】 under 基本方針2: an arrow
DOLLAR_ORPHAN = "幻の$x$事業"  # 【再掲】 with no original: an annotation
DOLLAR_DOCUMENT = doc(
    f"基本方針1 {DOLLAR_POLICY}",
    f"施策の方向性(1) {DOLLAR_DIRECTION}",
    HEADER_ROW,
    f"{DOLLAR_MEASURE}\t概要$1$\t{DOLLAR_DEPARTMENT}",
    "事業B\t概要\t甲課",
    "基本方針2 方針$二$",
    "施策の方向性(1) 方向$b$",
    HEADER_ROW,
    f"【再掲】{DOLLAR_MEASURE}\t概要$1$\t{DOLLAR_DEPARTMENT}",
    f"【再掲】{DOLLAR_ORPHAN}\tなし\t乙$課",
    f"事業C\t概要\t{DOLLAR_DEPARTMENT} 乙$課",
)
#: What each chart must show, `$` and all (titles as tick labels, legends or key lines;
#: departments as tick labels; measures in the arrows' labels and the annotation).
DOLLAR_SHOWN = {
    "01_listings_by_policy": [DOLLAR_POLICY, DOLLAR_DIRECTION, "方針$二$", "方向$b$"],
    "02_listings_by_department": [DOLLAR_DEPARTMENT, "乙$課"],
    "03_department_policy_heatmap": [DOLLAR_DEPARTMENT, "乙$課", DOLLAR_POLICY, "方針$二$"],
    "04_cross_cutting_departments": [DOLLAR_DEPARTMENT, DOLLAR_POLICY, "方針$二$"],
    "05_relisted_links": [DOLLAR_MEASURE, DOLLAR_ORPHAN, DOLLAR_POLICY, DOLLAR_DIRECTION,
                          "方針$二$", "方向$b$"],
    "06_themes_by_policy": [DOLLAR_POLICY, "方針$二$"],
}


def test_dollar_document_has_dollars_where_the_charts_look():
    df = parse_measures(DOLLAR_DOCUMENT)
    assert set(df["policy"]) == {DOLLAR_POLICY, "方針$二$"}
    assert DOLLAR_DEPARTMENT in {d for ds in df["departments"] for d in ds}
    assert df.loc[df["relisted"], "measure"].tolist() == [DOLLAR_MEASURE, DOLLAR_ORPHAN]
    assert set(DOLLAR_SHOWN) == set(plotting.REPORT_CHARTS)


@pytest.mark.parametrize(("stem", "chart"), CHARTS, ids=[s for s, _ in CHARTS])
def test_dollar_signs_in_the_document_are_drawn_literally(stem, chart, caplog):
    with warnings.catch_warnings(), caplog.at_level(logging.WARNING):
        warnings.simplefilter("error")  # a missing glyph warns: an error here
        fig = chart(parse_measures(DOLLAR_DOCUMENT))
        render(fig)
    # mathtext logs (not warns) the glyphs its fonts lack ("does not have a glyph").
    assert not [r for r in caplog.records if "glyph" in r.getMessage().lower()]
    drawn = [t.get_text() for t in texts(fig)]
    flat = [t.replace("\n", "") for t in drawn]  # wrapped titles, joined again
    for shown in DOLLAR_SHOWN[stem]:
        assert any(shown in t for t in flat), (shown, drawn)
    for text in texts(fig):
        if "$" in text.get_text():
            # What is drawn is the text itself, not mathtext.
            assert text._preprocess_math(text.get_text()) == (text.get_text(), False)


def test_literal_text_leaves_mathtext_on_outside_the_charts():
    plotting.policy_listings_chart(parse_measures(DOLLAR_DOCUMENT))
    assert matplotlib.rcParams["text.parse_math"] is True
    assert Text(0, 0, "$x$").get_parse_math()


@pytest.mark.parametrize(("stem", "chart"), CHARTS, ids=[s for s, _ in CHARTS])
def test_japanese_text_is_drawn_with_a_cjk_font_that_has_its_glyphs(bundled, stem, chart):
    fig = chart(bundled)
    render(fig)
    for text in japanese_texts(fig):
        path = font_manager.findfont(text.get_fontproperties(), fallback_to_default=False)
        assert font_manager.FontProperties(fname=path).get_name() == FONT_FAMILY
        font = FT2Font(path)
        missing = [c for c in text.get_text() if not c.isspace()
                   and font.get_char_index(ord(c)) == 0]
        assert not missing, (text.get_text(), missing)


def test_charts_are_not_left_open_in_pyplot(bundled):
    import matplotlib.pyplot as plt

    before = set(plt.get_fignums())
    figures = plotting.report_figures(bundled)
    assert set(plt.get_fignums()) == before
    assert all(isinstance(f, Figure) for f in figures.values())


def test_report_figures_stems_are_stable_and_ordered(bundled):
    figures = plotting.report_figures(bundled)
    assert list(figures) == [
        "01_listings_by_policy",
        "02_listings_by_department",
        "03_department_policy_heatmap",
        "04_cross_cutting_departments",
        "05_relisted_links",
        "06_themes_by_policy",
    ]


@pytest.mark.parametrize(("stem", "chart"), CHARTS, ids=[s for s, _ in CHARTS])
def test_charts_fit_an_a4_page_and_nothing_is_clipped(bundled, stem, chart):
    fig = chart(bundled)
    renderer = render(fig).get_renderer()
    width, height = fig.get_size_inches()
    assert width == plotting.FIGURE_WIDTH and height <= 11
    # Everything drawn (tick labels of visible ticks, titles, legends, texts) lies
    # inside the figure, in inches, within a hair.
    drawn = fig.get_tightbbox(renderer)
    assert drawn.x0 >= -0.01 and drawn.y0 >= -0.01
    assert drawn.x1 <= width + 0.01 and drawn.y1 <= height + 0.01


@pytest.mark.parametrize(("stem", "chart"), CHARTS, ids=[s for s, _ in CHARTS])
def test_charts_do_not_modify_their_input(bundled, stem, chart):
    before = bundled.copy()
    chart(bundled)
    pd.testing.assert_frame_equal(bundled, before)


# ---------------------------------------------------------------- what each chart shows: its data


def panel(bars: pd.DataFrame, name: str) -> pd.DataFrame:
    return bars[bars["panel"] == name].reset_index(drop=True)


def test_policy_listings_data(any_df):
    bars = chart_data.policy_listings_data(any_df)
    assert bars["panel"].unique().tolist() == ["policy", "direction"]
    for by in ("policy", "direction"):
        summary = analysis.policy_summary(any_df, by=by)
        rows = panel(bars, by)
        assert len(rows) == len(summary)
        assert rows["measures"].tolist() == summary["measures"].tolist()
        assert rows["relisted"].tolist() == summary["relisted"].tolist()
        assert rows["listings"].tolist() == summary["listings"].tolist()
        policy_nos = summary.index.get_level_values("policy_no")
        assert rows["policy_no"].tolist() == policy_nos.tolist()
        colours = policy_colours(policy_nos)
        assert rows["colour"].tolist() == [colours[p] for p in policy_nos]


def test_policy_listings_data_wraps_long_titles(edge):
    labels = panel(chart_data.policy_listings_data(edge), "direction")["label"]
    long = next(lab for lab in labels if lab.startswith("1-(2)"))
    assert "\n" in long
    assert long.replace("\n", "") == f"1-(2) {LONG_DIRECTION}"


def test_department_listings_data(any_df):
    bars = chart_data.department_listings_data(any_df)
    summary = analysis.department_summary(any_df)
    assert len(bars) == len(summary)
    assert bars["listings"].tolist() == summary["listings"].tolist()
    assert bars["department"].tolist() == summary.index.tolist()
    assert bars["departments"].sum() == len(summary)  # the title's count


def test_department_listings_data_bundled_has_all_33(bundled):
    bars = chart_data.department_listings_data(bundled)
    assert len(bars) == 33
    assert bars.loc[0, "department"] == "市民協働推進課"


def test_department_policy_data(any_df):
    cells = chart_data.department_policy_data(any_df)
    matrix = analysis.department_matrix(any_df, by="policy")
    assert len(cells) == matrix.size
    assert int((cells["listings"] > 0).sum()) == int((matrix > 0).to_numpy().sum())
    assert int(cells["listings"].sum()) == int(matrix.to_numpy().sum())
    # Each number is its department's under its 基本方針, row by row.
    assert cells["department"].unique().tolist() == matrix.index.tolist()
    assert cells["policy_no"].unique().tolist() == matrix.columns.tolist()
    for row in cells.itertuples():
        assert row.listings == matrix.at[row.department, row.policy_no]
    assert all(heading.startswith("基本方針") for heading in cells["policy"])


def test_cross_cutting_data(any_df):
    segments = chart_data.cross_cutting_data(any_df)
    summary = analysis.department_summary(any_df)
    spanning = summary[summary["policies"] >= 2]
    bars = segments.drop_duplicates("department")
    assert bars["departments"].sum() == len(spanning)  # the title's count
    if spanning.empty:
        assert segments.empty
        return
    n_policies = analysis.policy_summary(any_df).shape[0]
    assert segments["policy"].nunique() == n_policies
    assert (segments.groupby("department", sort=False).size() == n_policies).all()
    names = bars["department"].tolist()
    assert sorted(names) == sorted(spanning.index)
    assert [label.split("（")[0] for label in bars["label"]] == names
    # The stacked segments add up to each department's listings.
    by_department = segments.groupby("department", sort=False)["listings"]
    assert by_department.sum().tolist() == spanning.loc[names, "listings"].tolist()
    # Non-empty segments per bar = 基本方針 spanned.
    nonzero = segments[segments["listings"] > 0].groupby("department", sort=False).size()
    assert nonzero.reindex(names).tolist() == spanning.loc[names, "policies"].tolist()


def test_relisted_links_data(any_df):
    links = chart_data.relisted_links_data(any_df)
    expected = analysis.relisted_links(any_df)
    assert len(links) == len(expected)
    assert links["shown"].all()  # a few links: every one drawn
    assert int(links["linked"].sum()) == int(expected["original_line"].notna().sum())
    for text, measure in zip(links["text"], expected["measure"], strict=True):
        assert measure in text
    orphans = links[~links["linked"]]
    assert links["text"].str.contains("元の掲載なし").sum() == len(orphans)
    assert (orphans["colour"] == chart_data.ORPHAN_COLOUR).all()
    sections = chart_data.relisted_sections_data(any_df)
    assert len(sections) == len(analysis.policy_summary(any_df, by="direction"))
    targets = {section_label(p, d) for p, d in zip(links["policy_no"], links["direction_no"],
                                                     strict=True)}
    assert {lab for lab, role in zip(sections["label"], sections["role"], strict=True)
            if "掲載先" in role} == targets


def test_theme_policy_data(any_df):
    from kcdata.analysis.themes import theme_matrix

    segments = chart_data.theme_policy_data(any_df)
    matrix = theme_matrix(any_df, "policy")
    totals = segments.groupby("theme", sort=False)["measures"].sum()
    # Sorted: the themes with the most measures first, ties in the dictionary's order.
    expected = matrix.sum(axis=1).sort_values(ascending=False, kind="stable")
    assert totals.index.tolist() == expected.index.tolist()
    assert totals.tolist() == expected.tolist()
    assert segments["shown"].all()  # fewer themes than TOP_THEMES
    colours = policy_colours(matrix.columns)
    assert segments["colour"].tolist() == [colours[p] for p in segments["policy_no"]]


# ---------------------------------------------------------------- the drawers draw their data


def test_policy_listings_chart_legend_shows_the_bars_colours(any_df):
    fig = plotting.policy_listings_chart(any_df)
    bars = panel(chart_data.policy_listings_data(any_df), "policy")
    from matplotlib.colors import to_hex

    handles = fig.legends[0].legend_handles
    swatches = [to_hex(h.get_facecolor()) for h in handles[:-1]]
    assert swatches == [to_hex(c) for c in bars["colour"]]  # one per 基本方針, as drawn
    assert handles[-1].get_hatch() and handles[-1].get_label() == "【再掲】"


def test_policy_listings_chart(any_df):
    fig = plotting.policy_listings_chart(any_df)
    bars = chart_data.policy_listings_data(any_df)
    assert "基本方針" in fig.get_suptitle() and "施策の方向性" in fig.get_suptitle()
    for ax, by in zip(fig.axes, ("policy", "direction"), strict=True):
        rows = panel(bars, by)
        solid, hatched = ax.containers
        assert len(solid) == len(hatched) == len(rows)
        assert bar_widths(solid) == rows["measures"].tolist()
        assert bar_widths(hatched) == rows["relisted"].tolist()
        assert all(p.get_hatch() for p in hatched.patches)
        assert not any(p.get_hatch() for p in solid.patches)
        # Totals written at the bar ends.
        assert [t.get_text() for t in ax.texts] == [str(n) for n in rows["listings"]]
        assert [t.get_text() for t in ax.get_yticklabels()] == rows["label"].tolist()
    legend = [t.get_text() for lg in fig.legends for t in lg.get_texts()]
    assert "【再掲】" in legend


def test_department_listings_chart(any_df):
    fig = plotting.department_listings_chart(any_df)
    (ax,) = fig.axes
    bars = chart_data.department_listings_data(any_df)
    (drawn,) = ax.containers
    assert bar_widths(drawn) == bars["listings"].tolist()
    assert [t.get_text() for t in ax.get_yticklabels()] == bars["department"].tolist()
    assert "所管課" in ax.get_title() and f"{bars['departments'].sum()}課" in ax.get_title()


def test_department_policy_heatmap(any_df):
    fig = plotting.department_policy_heatmap(any_df)
    ax = fig.axes[0]
    cells = chart_data.department_policy_data(any_df)
    rows, columns = cells["department"].unique().tolist(), cells["policy"].unique().tolist()
    counts = [t for t in ax.texts if t.get_gid() == "count"]
    assert len(counts) == int((cells["listings"] > 0).sum())
    # Each number sits in its cell.
    listings = cells.set_index(["department", "policy"])["listings"]
    for t in counts:
        j, i = t.get_position()
        assert int(t.get_text()) == listings[rows[int(i)], columns[int(j)]]
    assert ax.get_images()[0].get_array().shape == (len(rows), len(columns))
    assert [t.get_text() for t in ax.get_yticklabels()] == rows
    assert [t.get_text() for t in ax.get_xticklabels()] == columns
    assert "基本方針" in ax.get_title()


def test_cross_cutting_chart(any_df):
    fig = plotting.cross_cutting_chart(any_df)
    ax = fig.axes[0]
    segments = chart_data.cross_cutting_data(any_df)
    bars = segments.drop_duplicates("department")
    assert f"{bars['departments'].sum()}課" in ax.get_title()
    if segments.empty:
        assert not ax.containers
        assert any("ありません" in t.get_text() for t in ax.texts)
        return
    assert [c.get_label() for c in ax.containers] == segments["policy"].unique().tolist()
    for container, (_, rows) in zip(ax.containers, segments.groupby("policy", sort=False),
                                    strict=True):
        assert bar_widths(container) == rows["listings"].tolist()
    assert [t.get_text() for t in ax.get_yticklabels()] == bars["label"].tolist()
    assert segment_counts(ax) == written_segments(ax)


def test_theme_policy_chart(bundled):
    fig = plotting.theme_policy_chart(bundled)
    ax = fig.axes[0]
    segments = chart_data.theme_policy_data(bundled)
    bars = segments.drop_duplicates("theme")
    assert [t.get_text() for t in ax.get_yticklabels()] == bars["label"].tolist()
    for container, (_, rows) in zip(ax.containers, segments.groupby("policy", sort=False),
                                    strict=True):
        assert bar_widths(container) == rows["measures"].tolist()
    assert segment_counts(ax) == written_segments(ax)


def written_segments(ax) -> list[tuple[float, float, int]]:
    """(x, y, count) of every non-empty bar segment: its centre and its width."""
    return sorted((p.get_x() + p.get_width() / 2, p.get_y() + p.get_height() / 2,
                   round(p.get_width())) for c in ax.containers for p in c.patches
                  if p.get_width())


def segment_counts(ax) -> list[tuple[float, float, int]]:
    """(x, y, count) of the counts written in the bars (``gid="count"``)."""
    return sorted((*t.get_position(), int(t.get_text())) for t in ax.texts
                  if t.get_gid() == "count")


def test_relisted_links_chart(any_df):
    fig = plotting.relisted_links_chart(any_df)
    ax = fig.axes[0]
    links = chart_data.relisted_links_data(any_df)
    arrows = [p for p in ax.patches
              if isinstance(p, FancyArrowPatch) and p.get_gid() == "relisted-link"]
    assert len(arrows) == int((links["linked"] & links["shown"]).sum())
    assert "【再掲】" in ax.get_title() and f"{len(links)}件" in ax.get_title()
    sections = chart_data.relisted_sections_data(any_df)
    assert [t.get_text() for t in ax.get_xticklabels()] == sections["label"].tolist()
    drawn = [t.get_text() for t in ax.texts]
    assert all(text in drawn for text in links.loc[links["shown"], "text"])
    orphans = links["text"].str.contains("元の掲載なし").sum()
    assert "\n".join(drawn).count("元の掲載なし") == orphans


def test_relisted_links_chart_bundled_arrows_point_to_the_relisting(bundled):
    fig = plotting.relisted_links_chart(bundled)
    ax = fig.axes[0]
    ticks = {t.get_text(): t.get_position()[0] for t in ax.get_xticklabels()}
    arrows = [p for p in ax.patches if p.get_gid() == "relisted-link"]
    links = analysis.relisted_links(bundled)
    assert len(arrows) == len(links) == 2
    for arrow, row in zip(arrows, links.itertuples(), strict=True):
        xs = arrow.get_path().vertices[:, 0]  # shaft and head, in data coordinates
        source = section_label(row.original_policy_no, row.original_direction_no)
        target = section_label(row.policy_no, row.direction_no)
        assert xs[0] == pytest.approx(ticks[source], abs=0.01)  # starts at the original
        assert abs(xs - ticks[target]).min() < 0.05  # the head's tip at the re-listing
        assert ticks[source] != ticks[target]


# ---------------------------------------------------------------- saving


def test_save_figure_writes_png_and_svg_reproducibly(bundled, tmp_path):
    fig = plotting.policy_listings_chart(bundled)
    png, svg = plotting.save_figure(fig, tmp_path / "figures" / "chart")
    assert (png.name, svg.name) == ("chart.png", "chart.svg")
    first = png.read_bytes(), svg.read_bytes()
    assert first[0].startswith(b"\x89PNG\r\n\x1a\n") and len(first[0]) > 10_000
    assert b"<svg" in first[1] and len(first[1]) > 10_000
    assert b"Software" not in first[0]
    assert b"<dc:date>" not in first[1]
    plotting.save_figure(fig, tmp_path / "figures" / "chart")
    assert (png.read_bytes(), svg.read_bytes()) == first
    # A figure made afresh from the same data gives the same bytes too.
    again = plotting.save_figure(plotting.policy_listings_chart(bundled), tmp_path / "again")
    assert (again[0].read_bytes(), again[1].read_bytes()) == first
    assert not [p for p in tmp_path.rglob("*.tmp")]


def test_svg_file_keeps_text_as_text_naming_japanese_fonts(bundled, tmp_path):
    fig = plotting.department_listings_chart(bundled)
    _, svg = plotting.save_figure(fig, tmp_path / "chart")
    text = svg.read_text(encoding="utf-8")
    assert text == plotting.svg_text(fig)  # what the page shows is the file
    texts = re.findall(r"<text [^>]*>([^<]*)</text>", text)
    assert "所管課別の掲載数（33課）" in texts and "市民協働推進課" in texts
    assert "<metadata" not in text and "glyph" not in text  # no outlines, no date
    families = set(re.findall(r"font-family: ([^;\"]+)", text))
    assert families == {"'IPAexGothic', 'Yu Gothic', 'Meiryo', 'MS Gothic', 'Hiragino Sans', "
                        "'Hiragino Kaku Gothic ProN', sans-serif"}


def test_save_figure_lays_out_and_draws_the_png_with_one_renderer(bundled, tmp_path,
                                                                   monkeypatch):
    # One renderer: its text metrics cache serves the PNG what the layout measured.
    from matplotlib.backends.backend_agg import RendererAgg

    measured_by = []
    measure = RendererAgg.get_text_width_height_descent

    def spy(self, s, prop, ismath):
        measured_by.append(id(self))
        return measure(self, s, prop, ismath)

    monkeypatch.setattr(RendererAgg, "get_text_width_height_descent", spy)
    plotting.save_figure(plotting.department_listings_chart(bundled), tmp_path / "chart")
    assert measured_by and len(set(measured_by)) == 1


def test_svg_salt_seeds_the_ids(bundled):
    fig = plotting.department_listings_chart(bundled)
    one, other = plotting.svg_text(fig, "kcdata-a"), plotting.svg_text(fig, "kcdata-b")
    clip_ids = set(re.findall(r'<clipPath id="([^"]+)"', one))
    assert clip_ids and clip_ids.isdisjoint(re.findall(r'<clipPath id="([^"]+)"', other))
    assert one == plotting.svg_text(fig, "kcdata-a")


def test_save_figure_png_resolution(bundled, tmp_path):
    from PIL import Image

    fig = plotting.department_listings_chart(bundled)
    png, _ = plotting.save_figure(fig, tmp_path / "chart.png")  # suffix dropped
    assert png == tmp_path / "chart.png"
    with Image.open(png) as image:
        width_px, _ = image.size
        dpi = image.info["dpi"][0]
    assert dpi == pytest.approx(plotting.DPI, abs=0.01)  # PNG stores dots per metre
    assert plotting.DPI >= 200
    assert width_px == round(plotting.FIGURE_WIDTH * plotting.DPI)


def test_save_figure_failure_keeps_the_previous_files(bundled, tmp_path, monkeypatch):
    fig = plotting.department_listings_chart(bundled)
    png, svg = plotting.save_figure(fig, tmp_path / "chart")
    good = png.read_bytes(), svg.read_bytes()

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(fig, "savefig", broken)
    with pytest.raises(RuntimeError):
        plotting.save_figure(fig, tmp_path / "chart")
    assert (png.read_bytes(), svg.read_bytes()) == good
    assert sorted(p.name for p in tmp_path.iterdir()) == ["chart.png", "chart.svg"]


def test_save_figure_refuses_raw_data(bundled):
    fig = plotting.department_listings_chart(bundled)
    with pytest.raises(PermissionError):
        plotting.save_figure(fig, RAW_DIR / "chart")
    assert not list(RAW_DIR.glob("chart.*"))


# ---------------------------------------------------------------- helpers and imports


def _width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


_WORDS = st.sampled_from(["地域", "コミュニティ", "の", "醸成", "ICT", "2025", "活動",
                          "促進", "まちづくり", "データ"])
_PUNCT = st.sampled_from(["", "", "、", "。", "）"])
_TITLES = st.lists(st.tuples(_WORDS, _PUNCT), max_size=15).map(
    lambda parts: "".join(w + p for w, p in parts))


@given(_TITLES, st.integers(min_value=8, max_value=40))
def test_wrap_label_keeps_the_text_and_fits_the_width(text, width):
    wrapped = plotting.wrap_label(text, width)
    assert wrapped.replace("\n", "") == text
    for line in wrapped.split("\n"):
        # Over-wide only by one closing punctuation mark kept on its line, or when the
        # line is one run of ASCII letters and digits (and its marks): nowhere to break.
        word = line.rstrip("、。）")
        assert _width(line) <= width + 2 or (word.isascii() and word.isalnum()), line
        assert not line or line[0] not in "、。）"
    # Lines break between phrases (BudouX) wherever the phrase fits a line: no word is cut.
    phrases = budoux.load_default_japanese_parser().parse(text) if text else []
    bounds = {sum(len(p) for p in phrases[:k]) for k in range(len(phrases) + 1)}
    starts = [0]
    for phrase in phrases:
        starts.append(starts[-1] + len(phrase))
    cut = 0
    for line in wrapped.split("\n")[:-1]:
        cut += len(line)
        inside = next((p for s0, p in zip(starts, phrases, strict=False)
                       if s0 < cut < s0 + len(p)), None)
        assert cut in bounds or _width(inside) > width, (wrapped, inside)


@pytest.mark.parametrize(("text", "width", "cut"), [
    # The breaks inside words that planners saw in the charts (issue 22).
    ("地域コミュニティ組織の持続可能性向上", 24, "地域コミュニティ組織の\n持続可能性向上"),
    ("地域コミュニティの醸成", 20, "地域コミュニティの\n醸成"),
    ("地域コミュニティに対する理解や連帯意識の高揚の促進", 30,
     "地域コミュニティに対する\n理解や連帯意識の高揚の促進"),
])
def test_wrap_label_never_breaks_inside_a_word(text, width, cut):
    wrapped = plotting.wrap_label(text, width)
    assert wrapped == cut
    for word in ("コミュニティ", "組織", "対する"):
        if word in text:
            assert any(word in line for line in wrapped.split("\n")), (word, wrapped)


def test_wrap_label_balances_lines():
    wrapped = plotting.wrap_label("地域活動への住民参加の促進", 20)
    assert wrapped.count("\n") == 1
    first, second = wrapped.split("\n")
    assert abs(_width(first) - _width(second)) <= 2


def test_wrap_label_keeps_punctuation_with_a_word_wider_than_the_line():
    # Found by the property test above: 「、」 began a line after a word it could not fit.
    assert plotting.wrap_label("ICT20252025", 8) == "ICT20252025"
    assert plotting.wrap_label("地域ICT20252025、活動", 8) == "地域\nICT20252025、\n活動"
    assert plotting.wrap_label("地域地域地域データICT2025ICT、。地域", 10).split("\n")[-2:] == [
        "ICT2025ICT、。", "地域"]


def test_wrap_label_rejects_tiny_width():
    with pytest.raises(ValueError):
        plotting.wrap_label("abc", 1)


def test_importing_kcdata_does_not_import_matplotlib():
    code = ("import sys, kcdata, kcdata.outputs.charts, kcdata.outputs.chart_data, "
            "kcdata.outputs.figures, kcdata.outputs.fonts; "
            "assert 'matplotlib' not in sys.modules, 'matplotlib imported'")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_no_relisted_arc_runs_under_another_arcs_label():
    """Chart 05: each label box (at its arc's apex) is clear of every other arc, where
    stacking the arcs in order would put two of them through other labels."""
    from kcdata.io.parse import parse_measures

    rows = {3: "【再掲】事業2", 8: "【再掲】事業1"}  # a short link first, then a long one
    doc = ["基本方針1 a"] + [f"施策の方向性({d}) t{d}\n事業名\t事業概要\t所管する課\n"
                          f"事業{d}\t概要\t甲課" + (f"\n{rows[d]}\t概要\t甲課" if d in rows else "")
                          for d in range(1, 9)]
    drawn = chart_data.relisted_arcs_data(parse_measures("\n".join(doc)))
    assert len(drawn) == 2

    def crossings(levels):
        return sum(chart_data.crosses((b.x0, b.x1, lb), ((a.x0 + a.x1) / 2, a.half, la))
                   + (la == lb and abs((a.x0 + a.x1 - b.x0 - b.x1) / 2) < a.half + b.half)
                   for a, la in zip(drawn.itertuples(), levels, strict=True)
                   for b, lb in zip(drawn.itertuples(), levels, strict=True)
                   if a.Index != b.Index)

    assert crossings(range(len(drawn))) > 0  # one level per arc, in order, crosses
    assert crossings(drawn["level"].tolist()) == 0

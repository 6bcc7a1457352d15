"""What each report chart shows, as a tidy frame (pure pandas, input never modified).

One function per chart of :mod:`kcdata.outputs.charts`: a row per bar, segment, cell or
arc, with its text and colour (by 基本方針, grey for 「その他」). The numbers are those of
:mod:`kcdata.analysis.summaries`; the largest N of :mod:`kcdata.limits` are kept and the
rest added up in one 「その他 K 課」 row. ``listings`` count 【再掲】 rows too, a co-managed
listing once per department; ``relisted`` the 【再掲】 rows; ``measures`` the others.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping

import pandas as pd

from kcdata.analysis import summaries as analysis
from kcdata.analysis.plans import single_plan
from kcdata.limits import (
    OTHERS,
    TOP_DEPARTMENTS,
    TOP_DIRECTIONS,
    TOP_HEATMAP_POLICIES,
    TOP_LINKS,
    TOP_POLICIES,
    TOP_THEMES,
    others_label,
)
from kcdata.outputs.figures import (
    FIGURE_WIDTH,
    LABEL_SIZE,
    NEUTRAL,
    OKABE_ITO,
    policy_colours,
    wrap_label,
)
from kcdata.vocab import PlanWords, plan_words, section_label

__all__ = [
    "ARC_BASE", "ARC_STEP", "cross_cutting_data", "crosses", "department_listings_data",
    "department_policy_data", "policy_listings_data", "relisted_arcs_data",
    "relisted_links_data", "relisted_sections_data", "theme_policy_data",
]

#: The colour of a 【再掲】 without an original listing (chart 05): vermillion.
ORPHAN_COLOUR = OKABE_ITO[5]
#: Chart 05: the apex of an arc of level k is ARC_BASE + ARC_STEP * k high; its label
#: box, centred there, is LABEL_HALF_HEIGHT * 2 high; arcs start and end at FOOT.
ARC_BASE, ARC_STEP, LABEL_HALF_HEIGHT, FOOT = 0.7, 0.55, 0.2, 0.08


def _policy_heading(policy_no: int, title: str, width: int, words: PlanWords) -> str:
    """``基本方針N`` on its own line, the title (cut after 60 characters) wrapped below it."""
    title = title if len(title) <= 60 else title[:59] + "…"
    return f"{words.section(0, int(policy_no))}\n{wrap_label(title, width)}"


def _split_top(table: pd.DataFrame, n: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``(shown, rest)``: the ``n`` rows with most ``listings`` (in order), the others."""
    flat = table.reset_index()
    if len(flat) <= n:
        return flat, flat.iloc[:0]
    order = flat.sort_values("listings", ascending=False, kind="stable").index
    keep = sorted(order[:n])
    return flat.loc[keep], flat.drop(index=keep)


def _fold_departments(counts: pd.DataFrame) -> pd.DataFrame:
    """The first TOP_DEPARTMENTS rows, then one row 「その他 K 課」 adding up the others."""
    if len(counts) <= TOP_DEPARTMENTS:
        return counts
    out = counts.iloc[:TOP_DEPARTMENTS].copy()
    out.loc[others_label(len(counts) - TOP_DEPARTMENTS, "課")] = counts.iloc[TOP_DEPARTMENTS:].sum()
    return out


def _top_policy_columns(
    counts: pd.DataFrame, policies: pd.DataFrame, name: Callable[[int], str], unit: str
) -> tuple[pd.DataFrame, dict, dict]:
    """``(counts, legend, colours)``: the TOP_HEATMAP_POLICIES 基本方針 columns with most
    listings, named ``name(p)``, then the rest added up in one grey 「その他 K 基本方針」."""
    shown, rest = _split_top(policies[policies.index.isin(counts.columns)], TOP_HEATMAP_POLICIES)
    colours: dict = policy_colours(counts.columns)
    if len({colours[p] for p in shown["policy_no"]}) < len(shown):  # more 基本方針 than colours
        colours = policy_colours(shown["policy_no"])
    legend = {p: wrap_label(name(p), 34) for p in shown["policy_no"]}
    out = counts[list(legend)]
    if len(rest):
        column = others_label(len(rest), unit)
        out = out.assign(**{column: counts[rest["policy_no"]].sum(axis=1)})
        legend[column] = column
        colours[column] = NEUTRAL
    return out, legend, colours


def _segments(counts: pd.DataFrame, value: str, legend: Mapping[Hashable, str],
              colours: Mapping[Hashable, str] | None = None) -> pd.DataFrame:
    """A matrix (a row per bar, a column per 基本方針 or 「その他」) as one row per segment:
    ``bar``, ``policy_no`` (missing for 「その他」), ``policy``, ``colour`` and ``value``."""
    rows = [
        {"bar": bar, "policy_no": pd.NA if isinstance(key, str) else int(key),
         "policy": legend[key], "colour": None if colours is None else colours[key],
         value: int(counts.at[bar, key])}
        for bar in counts.index for key in counts.columns
    ]
    columns = ["bar", "policy_no", "policy", "colour", value]
    out = pd.DataFrame(rows, columns=columns).astype({"policy_no": "Int64", value: "int64"})
    return out if colours is not None else out.drop(columns="colour")


def policy_listings_data(df: pd.DataFrame) -> pd.DataFrame:
    """Chart 01: ``measures``, ``relisted`` and ``listings`` per 基本方針, then per 施策の方向性
    (``panel``), in document order; beyond TOP_POLICIES/TOP_DIRECTIONS, one grey bar.

    >>> import kcdata
    >>> bars = policy_listings_data(kcdata.load_example())
    >>> bars.groupby("panel", sort=False)["listings"].sum().to_dict()
    {'policy': 110, 'direction': 110}
    >>> print(bars.drop(columns="label").head(4).to_string(index=False))
     panel  policy_no  direction_no  measures  relisted  listings  colour
    policy          1          <NA>        12         0        12 #0072B2
    policy          2          <NA>        32         0        32 #E69F00
    policy          3          <NA>        36         0        36 #009E73
    policy          4          <NA>        28         2        30 #CC79A7
    """
    df = single_plan(df)
    words = plan_words(df)
    all_policies = analysis.policy_summary(df, by="policy")
    colours = policy_colours(all_policies.index)
    counts = ["measures", "relisted", "listings"]

    def bars(summary: pd.DataFrame, n: int, panel: str, unit: str,
             text: Callable[..., str]) -> pd.DataFrame:
        shown, rest = _split_top(summary, n)
        out = shown.assign(panel=panel, label=[text(row) for row in shown.itertuples()],
                           colour=[colours[p] for p in shown["policy_no"]])
        if len(rest):
            other = {"panel": panel, "label": others_label(len(rest), unit), "colour": NEUTRAL,
                     **{c: int(rest[c].sum()) for c in counts}}
            out = pd.concat([out, pd.DataFrame([other])], ignore_index=True)
        return out

    def direction_label(row) -> str:
        return wrap_label(f"{section_label(row.policy_no, row.direction_no)} {row.direction}", 30)

    out = pd.concat([
        bars(all_policies, TOP_POLICIES, "policy", words.label("policy_no"),
             lambda row: _policy_heading(row.policy_no, row.policy, 24, words)),
        bars(analysis.policy_summary(df, by="direction"), TOP_DIRECTIONS, "direction",
             words.label("direction_no"), direction_label),
    ], ignore_index=True)
    out = out[["panel", "policy_no", "direction_no", "label", *counts, "colour"]]
    return out.astype({"policy_no": "Int64", "direction_no": "Int64",
                       **dict.fromkeys(counts, "int64")})


def department_listings_data(df: pd.DataFrame) -> pd.DataFrame:
    """Chart 02: each department's ``listings``, largest first; ``departments`` is 1, or
    the K of the grey last bar 「その他 K 課」 beyond TOP_DEPARTMENTS.

    >>> import kcdata
    >>> bars = department_listings_data(kcdata.load_example())
    >>> len(bars), int(bars["departments"].sum()), int(bars["listings"].sum())
    (33, 33, 113)
    >>> bars["listings"].head(3).tolist(), bars.loc[0, "colour"]
    ([24, 14, 10], '#0072B2')
    """
    summary = analysis.department_summary(single_plan(df))
    bars = _fold_departments(summary[["listings"]].assign(departments=1))
    out = pd.DataFrame({"department": [str(d) for d in bars.index],
                        "departments": bars["departments"].to_numpy(),
                        "listings": bars["listings"].to_numpy(), "colour": OKABE_ITO[0]})
    out.loc[TOP_DEPARTMENTS:, "colour"] = NEUTRAL  # the 「その他」 bar
    return out.astype({"departments": "int64", "listings": "int64"})


def department_policy_data(df: pd.DataFrame) -> pd.DataFrame:
    """Chart 03: a row per (department, 基本方針) cell with its ``listings`` (0 if empty);
    beyond TOP_DEPARTMENTS rows and TOP_HEATMAP_POLICIES columns, one 「その他」 of each.

    >>> import kcdata
    >>> cells = department_policy_data(kcdata.load_example())
    >>> cells["department"].nunique(), cells["policy"].nunique(), int(cells["listings"].sum())
    (33, 4, 113)
    >>> cells.loc[0, "department"], cells.loc[0, "policy"]
    ('市民協働推進課', '基本方針1\\n地域コミュニティの醸成')
    >>> cells["listings"].head(5).tolist()  # 市民協働推進課 under 基本方針1 to 4, then 子育て支援課
    [3, 7, 5, 9, 0]
    """
    df = single_plan(df)
    words = plan_words(df)
    matrix = analysis.department_matrix(df, by="policy")
    policies = analysis.policy_summary(df, by="policy")
    shown, rest = _split_top(policies, TOP_HEATMAP_POLICIES)
    keep = shown["policy_no"].tolist()
    # columns never overprint: about 100 half-width characters across the axes
    width = min(22, max(6, 100 // (len(keep) + bool(len(rest)))))
    headings = {p: _policy_heading(p, policies.at[p, "policy"], width, words) for p in keep}
    out = matrix[keep]
    if len(rest):
        unit = words.label("policy_no")
        column = others_label(len(rest), unit)
        out = out.assign(**{column: matrix[rest["policy_no"].tolist()].sum(axis=1)})
        headings[column] = f"{OTHERS}\n{len(rest):,}\n{unit}"
    out = _fold_departments(out)
    out.index = [str(d) for d in out.index]
    return _segments(out, "listings", headings).rename(columns={"bar": "department"})


def cross_cutting_data(df: pd.DataFrame, min_policies: int = 2) -> pd.DataFrame:
    """Chart 04: departments spanning ``min_policies`` or more 基本方針, a row per (bar,
    基本方針) with its ``listings``; by 基本方針 spanned, then listings; 「その他」 as above.

    >>> import kcdata
    >>> segments = cross_cutting_data(kcdata.load_example())
    >>> segments["department"].nunique(), segments["policy_no"].nunique()
    (13, 4)
    >>> segments.loc[0, "label"], segments["listings"].head(4).tolist()
    ('市民協働推進課（4方針）', [3, 7, 5, 9])
    """
    df = single_plan(df)
    label = plan_words(df).label
    summary = analysis.department_summary(df)
    policies = analysis.policy_summary(df, by="policy")
    chosen = summary[summary["policies"] >= min_policies].sort_values(
        ["policies", "listings"], ascending=False, kind="stable"
    )
    counts = analysis.department_matrix(df, by="policy").loc[chosen.index]
    counts, legend, colours = _top_policy_columns(
        counts, policies, lambda p: f"{label('policy_no')}{p} {policies.at[p, 'policy']}",
        label("policy_no"))
    counts = _fold_departments(counts.assign(departments=1))
    departments = counts.pop("departments")
    labels = {d: f"{d}（{k}方針）" for d, k in chosen["policies"].items()}
    segments = _segments(counts, "listings", legend, colours).rename(
        columns={"bar": "department"})
    segments.insert(1, "label", [labels.get(d, d) for d in segments["department"]])
    segments.insert(2, "departments", segments["department"].map(departments))
    return segments.astype({"department": "str", "departments": "int64"})


def relisted_links_data(df: pd.DataFrame) -> pd.DataFrame:
    """Chart 05: :func:`~kcdata.analysis.summaries.relisted_links` (each 【再掲】 once), with
    ``linked`` (has an original), ``shown`` (first TOP_LINKS of each), ``colour``, ``text``.

    >>> import kcdata
    >>> links = relisted_links_data(kcdata.load_example())
    >>> links["linked"].tolist(), links["shown"].tolist(), links["colour"].tolist()
    ([True, True], [True, True], ['#CC79A7', '#CC79A7'])
    >>> print(links.loc[0, "text"])
    シビックテック推進事業
    3-(2) → 4-(2)（行110 → 146）
    """
    df = single_plan(df)
    label = plan_words(df).label
    links = analysis.relisted_links(df).reset_index(drop=True)
    colours = policy_colours(analysis.policy_summary(df, by="direction").index.get_level_values(0))
    linked = links[["original_policy_no", "original_direction_no"]].notna().all(axis=1)
    shown = linked.cumsum().where(linked, (~linked).cumsum()) <= TOP_LINKS  # first N of each
    texts = []
    for row, has_original in zip(links.itertuples(index=False), linked, strict=True):
        if has_original:
            source = (int(row.original_policy_no), int(row.original_direction_no))
            texts.append(f"{row.measure}\n{section_label(*source)} → "
                         f"{section_label(row.policy_no, row.direction_no)}"
                         f"（{label('line')}{row.original_line} → {row.line}）")
        else:
            texts.append(f"{row.measure}（元の掲載なし）")
    return links.assign(
        linked=linked, shown=shown,
        colour=[colours[int(p)] if has_original else ORPHAN_COLOUR
                for p, has_original in zip(links["policy_no"], linked, strict=True)],
        text=pd.Series(texts, index=links.index, dtype="str"),
    )


def _section_keys(frame: pd.DataFrame, prefix: str = "") -> list[tuple[int, int]]:
    """Each row's (``policy_no``, ``direction_no``), or its ``original_`` ones, as ints."""
    columns = [f"{prefix}policy_no", f"{prefix}direction_no"]
    return list(frame[columns].astype(int).itertuples(index=False, name=None))


def crosses(arc: tuple[float, float, int], box: tuple[float, float, int]) -> bool:
    """Whether ``arc`` (x0, x1, level) passes through the label ``box`` (centre, half, level)."""
    x0, x1, level = arc
    centre, half, box_level = box
    lo, hi = max(min(x0, x1), centre - half), min(max(x0, x1), centre + half)
    if lo > hi or x0 == x1:
        return False

    def height(x: float) -> float:  # the quadratic Bézier from x0 to x1
        t = (x - min(x0, x1)) / abs(x1 - x0)
        return FOOT + 4 * (ARC_BASE + ARC_STEP * level - FOOT / 2) * t * (1 - t)

    ends = [height(lo), height(hi)]
    highest = height((x0 + x1) / 2) if lo <= (x0 + x1) / 2 <= hi else max(ends)
    top = ARC_BASE + ARC_STEP * box_level
    return highest >= top - LABEL_HALF_HEIGHT and min(ends) <= top + LABEL_HALF_HEIGHT


def _arc_levels(spans: list[tuple[float, float, float]]) -> list[int]:
    """A level per arc (x0, x1, half the label's width): widest arcs first, each on the
    lowest level where neither it nor its label crosses those placed, else the level
    with the fewest crossings."""
    placed: dict[int, tuple[float, float, float, int]] = {}
    for i in sorted(range(len(spans)), key=lambda i: -abs(spans[i][1] - spans[i][0])):
        x0, x1, half = spans[i]

        def count(level: int, x0=x0, x1=x1, half=half) -> int:
            centre = (x0 + x1) / 2
            return sum(crosses((x0, x1, level), ((a + b) / 2, h, k))
                       + crosses((a, b, k), (centre, half, level))
                       + (k == level and abs((a + b) / 2 - centre) < h + half)
                       for a, b, h, k in placed.values())

        best = min(range(len(spans)), key=lambda level: (count(level), level))
        placed[i] = (x0, x1, half, best)
    return [placed[i][3] for i in range(len(spans))]


def relisted_arcs_data(df: pd.DataFrame) -> pd.DataFrame:
    """Chart 05's drawn arcs, with ``x0``, ``x1``, ``half`` (the label's half width) and
    ``level`` (so that no arc runs under another's label)."""
    links = relisted_links_data(df)
    sections = relisted_sections_data(df)
    linked = links[links["linked"] & links["shown"]]
    position = {key: i for i, key in enumerate(_section_keys(sections))}
    start = [position[key] for key in _section_keys(linked, "original_")]
    end = [position[key] for key in _section_keys(linked)]
    spread = [0.2 if a == b else 0.0 for a, b in zip(start, end, strict=True)]  # in one section
    units_per_inch = (len(sections) + 0.4) / FIGURE_WIDTH
    arcs = linked.assign(x0=[a - d for a, d in zip(start, spread, strict=True)],
                         x1=[b + d for b, d in zip(end, spread, strict=True)],
                         half=[(max(map(len, t.splitlines())) * (LABEL_SIZE - 1) / 72 + 0.1)
                               / 2 * units_per_inch for t in linked["text"]])
    spans = list(zip(arcs["x0"], arcs["x1"], arcs["half"], strict=True))
    return arcs.assign(level=_arc_levels(spans))


def relisted_sections_data(df: pd.DataFrame) -> pd.DataFrame:
    """Chart 05's axis: the 施策の方向性 with ``label``, ``colour`` and ``role`` (掲載元/掲載先
    of a drawn link, or empty); beyond TOP_DIRECTIONS, only those with a role.

    >>> import kcdata
    >>> sections = relisted_sections_data(kcdata.load_example())
    >>> len(sections), sections.loc[sections["role"] != "", ["label", "role"]].to_numpy().tolist()
    (10, [['3-(1)', '掲載元'], ['3-(2)', '掲載元'], ['4-(2)', '掲載先']])
    """
    df = single_plan(df)
    directions = analysis.policy_summary(df, by="direction")
    colours = policy_colours(directions.index.get_level_values(0))
    links = relisted_links_data(df)
    drawn = links[links["shown"]]
    sources = set(_section_keys(drawn[drawn["linked"]], "original_"))
    targets = set(_section_keys(drawn))
    if len(directions) > TOP_DIRECTIONS:
        keep = [key in sources | targets for key in directions.index]
        directions = directions[keep] if any(keep) else directions.iloc[:TOP_DIRECTIONS]
    roles = ["・".join(name for name, where in (("掲載元", sources), ("掲載先", targets))
                      if key in where) for key in directions.index]
    out = directions[["policy", "direction"]].reset_index()
    return out.assign(
        label=[section_label(p, d) for p, d in directions.index],
        colour=[colours[p] for p, _ in directions.index],
        role=pd.Series(roles, index=out.index, dtype="str"),
    )


def theme_policy_data(df: pd.DataFrame, themes=None) -> pd.DataFrame:
    """Chart 06: a row per (theme, 基本方針) with its distinct ``measures`` (【再掲】 not counted
    again, a measure in each of its themes); most first, ties in dictionary order.

    >>> import kcdata
    >>> bars = theme_policy_data(kcdata.load_example())
    >>> bars.groupby("theme", sort=False)["measures"].sum().head(3).to_dict()
    {'協働・NPO・企業': 29, '子ども・子育て': 23, '町会・自治会': 18}
    >>> bool(bars["shown"].all()), bars["policy_no"].nunique()
    (True, 4)
    """
    from kcdata.analysis.themes import theme_matrix

    df = single_plan(df)
    words = plan_words(df)
    matrix = theme_matrix(df, "policy", themes)
    policies = analysis.policy_summary(df, by="policy")
    ranked = matrix.sum(axis=1).sort_values(ascending=False, kind="stable").index
    counts, legend, colours = _top_policy_columns(
        matrix, policies, lambda p: f"{words.section(0, p)} {policies.at[p, 'policy']}",
        words.label("policy_no"))
    segments = _segments(counts, "measures", legend, colours).rename(columns={"bar": "theme"})
    segments.insert(1, "label", [wrap_label(str(t), 24) for t in segments["theme"]])
    segments.insert(2, "shown", segments["theme"].isin(ranked[:TOP_THEMES]))
    order = segments["theme"].map({theme: k for k, theme in enumerate(ranked)})
    return segments.iloc[order.argsort(kind="stable")].reset_index(drop=True)

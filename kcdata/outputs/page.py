"""The report as one web page: a self-contained HTML file for colleagues without Python or Excel.

:func:`write_html` writes ``<source stem>_report.html`` (``kcdata report`` does
it beside the workbook). One file, nothing loaded from anywhere:

* the numbers come from the workbook's own tables
  (:func:`kcdata.outputs.workbook.summary_tables`, :func:`kcdata.analysis.summaries.plan_totals`
  and the 概要 sheet's counting conventions): one source of numbers;
* the charts of :mod:`kcdata.outputs.charts`, inline as SVG with their text as text
  (``svg.fonttype = "none"``), so it can be searched, copied and printed
  sharp;
* styles and one small script inline (``kcdata/assets/``); a
  Content-Security-Policy meta tag forbids every network load and allows only
  that script, by its SHA-256;
* with JavaScript disabled every table and chart is there; the script only
  adds the search (on the NFKC key, as :func:`kcdata.text.text_key`),
  filters by 基本方針, 施策の方向性 and department, the 【再掲】 toggle and
  sorting.

Every text from the document is escaped (:func:`html.escape`) before it
enters the page, attributes included; matplotlib escapes the text it writes
into the SVG. The page has no inline event handler.

Cost: drawing the five charts (about 1.5 s with matplotlib on a 2-core
machine, for the bundled plan) dominates; the page itself is built in a few
milliseconds per hundred listings. Matplotlib is imported only when charts are
drawn.
"""

from __future__ import annotations

import base64
import hashlib
import html
import os
from collections.abc import Iterable, Mapping
from datetime import datetime
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from kcdata.analysis.summaries import plan_totals, policy_summary, relisted_links
from kcdata.files import atomic_path, sha256_of
from kcdata.io.parse import RELISTED_MARK
from kcdata.limits import PAGE_LISTINGS
from kcdata.outputs.tables import CONVENTIONS, TOTAL_LABELS, sheet_headers, summary_tables
from kcdata.stamps import format_made_time, made_time
from kcdata.text import text_key
from kcdata.version import __version__
from kcdata.vocab import PlanWords, plan_words, section_label

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure

__all__ = [
    "CHART_CAPTIONS",
    "WHITE_SPACE_CLASS",
    "chart_svg",
    "chart_svgs",
    "content_security_policy",
    "html_path",
    "html_report",
    "inline_svg",
    "listing_key",
    "write_html",
]

#: Caption of each chart of :data:`kcdata.outputs.charts.REPORT_CHARTS`, by file stem (in the
#: default layout's words; the page puts them in the plan's, :meth:`PlanWords.say`).
CHART_CAPTIONS = {
    "01_listings_by_policy": "基本方針・施策の方向性別の掲載数",
    "02_listings_by_department": "所管課別の掲載数",
    "03_department_policy_heatmap": "所管課×基本方針の掲載数",
    "04_cross_cutting_departments": "複数の基本方針にまたがる所管課",
    "05_relisted_links": "【再掲】の掲載元と掲載先",
    "06_themes_by_policy": "テーマ別の事業数（基本方針別）",
}

#: The characters ``str.split()`` treats as white space (``str.isspace``), as a
#: JavaScript character class: the page's search removes exactly what
#: :func:`kcdata.text.text_key` removes.
WHITE_SPACE_CLASS = (
    r"[\t-\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
)

_NUM = ' class="num"'
#: The summary workbook's tables the page shows (sheet names in the default words).
_TABLES = ("事業一覧", "基本方針別", "所管課別", "所管課×基本方針", "再掲")
_SECTIONS = (
    ("overview", "概要"),
    ("charts", "グラフ"),
    ("listings", "事業一覧"),
    ("policies", "基本方針別"),
    ("departments", "所管課別"),
    ("matrix", "所管課×基本方針"),
    ("relisted", "再掲"),
)


# ---------------------------------------------------------------- file names and keys


def html_path(out_dir: str | os.PathLike[str], source: str | os.PathLike[str]) -> Path:
    """Where the page of ``source`` goes: ``out_dir/<source stem>_report.html``.

    >>> html_path("reports", "data/raw/plan.txt").as_posix()
    'reports/plan_report.html'
    """
    return Path(out_dir) / f"{Path(source).stem}_report.html"


def listing_key(measure: str, summary: str) -> str:
    """The search key of a listing: the NFKC keys of its name and its summary, one per line.

    A query (its own key) matches a listing when it is part of either key; the
    line break keeps a query from matching across the two. Keys have no white
    space (:func:`kcdata.text.text_key`), so neither can a query.

    >>> listing_key("ＩＣＴ 推進事業", "（仮称） 防災")
    'ICT推進事業\\n(仮称)防災'
    """
    return f"{text_key(measure)}\n{text_key(summary)}"


# ---------------------------------------------------------------- charts


def chart_svg(fig: Figure, salt: str = "kcdata") -> str:
    """A figure as an ``<svg>`` element to put in an HTML page (no XML prolog).

    The SVG file's text (:func:`kcdata.outputs.charts.svg_text`: text kept as text,
    escaped by matplotlib, no metadata block) without its prolog: see
    :func:`inline_svg`. ``salt`` seeds the ids of the SVG's clip paths and
    patterns, so two charts in one page never share an id; the same figure and
    salt give the same text.
    """
    from kcdata.outputs.charts import svg_text

    return inline_svg(svg_text(fig, salt))


def inline_svg(svg_file_text: str) -> str:
    """An SVG file's text as an element for an HTML page: from ``<svg`` on, no XML prolog.

    >>> inline_svg('<?xml version="1.0"?>\\n<svg width="1pt"></svg>\\n')
    '<svg width="1pt"></svg>'
    """
    return svg_file_text[svg_file_text.index("<svg"):].strip()


def chart_svgs(df: pd.DataFrame) -> dict[str, str]:
    """Every chart of :data:`kcdata.outputs.charts.REPORT_CHARTS` as inline SVG, by file stem.

    Draws each chart once (matplotlib, about 0.3 s each); ``df`` is not modified.
    """
    from kcdata.outputs.charts import REPORT_CHARTS

    return {stem: chart_svg(chart(df), f"kcdata-{stem}") for stem, chart in REPORT_CHARTS.items()}


# ---------------------------------------------------------------- the page


@cache
def _asset(name: str) -> str:
    return resources.files("kcdata").joinpath("assets", name).read_text(encoding="utf-8")


def _script() -> str:
    return _asset("report.js").replace("/__WHITE_SPACE__/", f"/{WHITE_SPACE_CLASS}/")


def content_security_policy(script: str) -> str:
    """The page's Content-Security-Policy: no network, only ``script`` (by its SHA-256).

    Nothing may be fetched (``default-src 'none'``: no font, frame or
    connection, from a network or a file), no form sent, no base URL set;
    images only from ``data:`` URLs inside the page (matplotlib embeds the
    heatmap's raster that way). The
    one inline script runs because its hash is listed; any other script, an
    injected one included, is refused. Inline styles are allowed: the charts'
    SVG styles every shape with a ``style`` attribute, and with no URL allowed
    a style can load nothing.
    """
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    return (
        "default-src 'none'; "
        f"script-src 'sha256-{digest}'; "
        "style-src 'unsafe-inline'; "
        "img-src data:; "
        "base-uri 'none'; form-action 'none'"
    )


def _e(value: object) -> str:
    """Document text escaped for HTML content and quoted attributes."""
    return html.escape(str(value), quote=True)


def _is_missing(value: object) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _format(value: object, column: str) -> tuple[str, str | None]:
    """(text shown, sort value or None) of one table cell."""
    if _is_missing(value):
        return "", None
    if isinstance(value, bool):
        return ("○" if value else ""), None
    if isinstance(value, int | float) or hasattr(value, "dtype"):
        number = float(value)  # type: ignore[arg-type]
        if column == "share":
            return f"{number:.1%}", repr(number)
        if number.is_integer():
            return f"{int(number):,}", str(int(number))
        return f"{number:,.2f}", repr(number)
    if isinstance(value, tuple | list):
        return "、".join(str(v) for v in value), None
    return str(value), None


def _th(text: str, *, numeric: bool = False) -> str:
    """A column header cell (text escaped)."""
    return f'<th scope="col"{_NUM if numeric else ""}>{_e(text)}</th>'


def _table(
    df: pd.DataFrame,
    *,
    labels: Mapping[str, str],
    table_id: str,
    cell_html: Mapping[str, object] | None = None,
) -> str:
    """A sortable HTML table of ``df`` headed by ``labels`` (column -> header); every value
    escaped.

    ``cell_html`` maps a column to a function ``(row: dict) -> str`` giving the
    cell's (already escaped) HTML instead of its value.
    """
    cell_html = cell_html or {}
    columns = [str(c) for c in df.columns]
    numeric = {c for c in columns if pd.api.types.is_numeric_dtype(df[c])
               and not pd.api.types.is_bool_dtype(df[c])}
    head = "".join(_th(labels.get(c, c), numeric=c in numeric) for c in columns)
    body = []
    for row in df.to_dict("records"):
        cells = []
        for c in columns:
            text, sort = _format(row[c], c)
            inner = cell_html[c](row) if c in cell_html else _e(text)  # type: ignore[operator]
            attrs = ' class="num"' if c in numeric else ""
            if sort is not None:
                attrs += f' data-value="{_e(sort)}"'
            cells.append(f"<td{attrs}>{inner}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return (
        f'<div class="table-wrap"><table id="{table_id}" class="sortable">'
        f"<thead><tr>{head}</tr></thead><tbody>\n" + "\n".join(body) + "\n</tbody></table></div>"
    )


def _listing_ids(df: pd.DataFrame, limit: int) -> tuple[list[str], dict[object, str], set[str]]:
    """The anchor of each listing (``listing-1`` ... in table order), the anchor of the
    first listing without the 【再掲】 mark at each line (for the links to originals), and
    the anchors on the page (the first ``limit``)."""
    ids = [f"listing-{i}" for i in range(1, len(df) + 1)]
    original_at: dict[object, str] = {}
    for anchor, line, relisted in zip(ids, df["line"], df["relisted"], strict=True):
        if not relisted:
            original_at.setdefault(int(line), anchor)
    return ids, original_at, set(ids[:limit])


def _options(pairs: Iterable[tuple[str, str, dict[str, str]]]) -> str:
    out = []
    for value, text, data in pairs:
        extra = "".join(f' data-{k}="{_e(v)}"' for k, v in data.items())
        out.append(f'<option value="{_e(value)}"{extra}>{_e(text)}</option>')
    return "".join(out)


def _controls(df: pd.DataFrame, departments: pd.DataFrame, words: PlanWords, limit: int) -> str:
    policies = policy_summary(df, by="policy")
    directions = policy_summary(df, by="direction")
    policy_options = _options(
        (str(p), f"{words.section(0, p)} {t}", {}) for p, t in policies["policy"].items()
    )
    direction_options = _options(
        (f"{p}-{d}", f"{section_label(p, d)} {t}", {"policy": str(p)})
        for (p, d), t in directions["direction"].items()
    )
    status = (f"{len(df)}件（すべて）" if limit >= len(df) else
              f"{limit:,}件を表示（全{len(df):,}件のうち、このページに載せた分）")
    department_options = _options(
        (str(name), f"{name}（{n}件）", {}) for name, n in departments["listings"].items()
    )
    return "\n".join([
        '<div id="listing-controls" class="controls" hidden>',
        f'<label>{_e(words.say("事業名・事業概要で検索"))}<input type="search" id="filter-query"'
        ' autocomplete="off" placeholder="例：防災（全角・半角どちらでも）"></label>',
        _select("filter-policy", _header(words, "policy_no"), policy_options),
        _select("filter-direction", _header(words, "direction_no"), direction_options,
                hidden=_one_level(words)),
        _select("filter-department", words.label("department"), department_options),
        '<label class="check"><input type="checkbox" id="filter-relisted" checked>'
        f"{RELISTED_MARK}の行を表示</label>",
        '<button type="button" id="filter-reset">条件を消す</button>',
        "</div>",
        '<noscript><p class="note">JavaScript が無効のため、検索・絞り込み・並べ替えは'
        "使えません。表とグラフはすべて表示されています。</p></noscript>",
        f'<p id="listing-status" class="status" aria-live="polite">{status}</p>',
    ])


def _select(select_id: str, name: str, options: str, *, hidden: bool = False) -> str:
    """A labelled drop-down whose first choice, 「すべて」, filters nothing."""
    return (f'<label{" hidden" if hidden else ""}>{_e(name)}<select id="{select_id}">'
            f'<option value="">すべて</option>{options}</select></label>')


def _header(words: PlanWords, column: str) -> str:
    """A listing column's header in the plan's words; the two outer levels named straight
    from the layout's levels (``PlanWords.say`` rewrites 施策の方向性 to the second level's
    name and then 基本方針 inside it again, which misnames a plan whose second level is
    called 基本方針)."""
    k = {"policy_no": 0, "direction_no": 1}.get(column)
    if k is not None and k < len(words.levels):
        return words.levels[k]
    return words.label(column)


def _one_level(words: PlanWords) -> bool:
    """Whether the plan has a single level of sections (``direction_no`` is 0 throughout)."""
    return len(words.levels) < 2


def _section(words: PlanWords, policy_no: object, direction_no: object) -> str:
    """「3-(2)」, or 「3」 in a plan of one level."""
    return section_label(policy_no, None if _one_level(words) else direction_no)


def _listing_table(
    df: pd.DataFrame, listings: pd.DataFrame, words: PlanWords, limit: int
) -> str:
    """The 事業一覧: the first ``limit`` listings, each with its search key and filter values
    as data attributes (``data-listings`` on the table holds how many the plan has).

    ``listings`` is the 事業一覧 table of :func:`kcdata.outputs.workbook.summary_tables`
    (same rows as ``df``); extra columns of a layout are shown after the usual ones.
    A link to a listing past ``limit`` says it is not on the page.
    """
    ids, original_at, on_page = _listing_ids(df, limit)
    links = relisted_links(df)
    original_of = {int(r.line): r for r in links.itertuples(index=False)}
    relisted_at: dict[int, list[tuple[str, str]]] = {}  # original line -> (anchor, section)
    for anchor, row in zip(ids, df.itertuples(index=False), strict=True):
        link = original_of.get(int(row.line)) if row.relisted else None
        if link is not None and not _is_missing(link.original_line):
            relisted_at.setdefault(int(link.original_line), []).append(
                (anchor, _section(words, row.policy_no, row.direction_no)))

    shown = ["line", "policy_no", "direction_no", "measure", "summary", "departments", "relisted"]
    hidden = {"policy", "direction"}  # titles: in the number cells' tooltips
    if _one_level(words):
        shown.remove("direction_no")
        hidden.add("direction_no")
    extra = [c for c in listings.columns if c not in shown and c not in hidden]
    head = "".join(_th(_header(words, c), numeric=c == "line") for c in [*shown, *extra])
    body = []
    for anchor, row, table_row in zip(
        ids[:limit], df.iloc[:limit].itertuples(index=False),
        listings.iloc[:limit].to_dict("records"), strict=True
    ):
        p, d = int(row.policy_no), int(row.direction_no)
        measure = _e(row.measure)
        if row.relisted:
            link = original_of.get(int(row.line))
            target = (original_at.get(int(link.original_line))
                      if link is not None and not _is_missing(link.original_line) else None)
            measure = f'<span class="mark">{RELISTED_MARK}</span>{measure}'
            if target:
                where = _section(words, link.original_policy_no, link.original_direction_no)
                text = (f'→ 元の掲載（{_e(where)}、'
                        f'{words.label("line")}{int(link.original_line)}')
                measure += (f'<a class="link" href="#{target}">{text}）</a>'
                            if target in on_page else
                            f'<span class="link">{text}。このページには載せていません）</span>')
            else:
                measure += '<span class="link">（元の掲載なし）</span>'
        elif int(row.line) in relisted_at and original_at.get(int(row.line)) == anchor:
            measure += "".join(
                f'<a class="link" href="#{a}">→ {RELISTED_MARK}の掲載（{_e(s)}）</a>'
                if a in on_page else
                f'<span class="link">→ {RELISTED_MARK}の掲載（{_e(s)}。このページには'
                '載せていません）</span>'
                for a, s in relisted_at[int(row.line)]
            )
        departments = list(row.departments)
        cells = [
            f'<td class="num">{int(row.line)}</td>',
            f'<td class="num" title="{_e(row.policy)}">{p}</td>',
            *([] if _one_level(words) else [
                f'<td class="nowrap" data-value="{p:04d}-{d:04d}" title="{_e(row.direction)}">'
                f"{_e(section_label(p, d))}</td>"]),
            f"<td>{measure}</td>",
            f'<td class="summary">{_e(row.summary)}</td>',
            f"<td>{_e('、'.join(departments))}</td>",
            f"<td>{'○' if row.relisted else ''}</td>",
            *(f"<td>{_e(_format(table_row[c], c)[0])}</td>" for c in extra),
        ]
        attrs = (
            f'id="{anchor}" data-key="{_e(listing_key(row.measure, row.summary))}" '
            f'data-policy="{p}" data-direction="{p}-{d}" '
            f'data-departments="{_e(chr(10).join(departments))}" '
            f'data-relisted="{1 if row.relisted else 0}"'
            + (' class="relisted"' if row.relisted else "")
        )
        body.append(f"<tr {attrs}>" + "".join(cells) + "</tr>")
    return (
        f'<div class="table-wrap"><table id="listing-table" class="sortable" '
        f'data-listings="{len(df)}">'
        f"<thead><tr>{head}</tr></thead><tbody>\n" + "\n".join(body) + "\n</tbody></table></div>"
    )


def _relisted_table(
    df: pd.DataFrame, links: pd.DataFrame, labels: Mapping[str, str], limit: int
) -> str:
    """The 再掲 table, its 行 and 元の行 linking to the listings on the page (the first
    ``limit``)."""
    ids, original_at, on_page = _listing_ids(df, limit)
    original_at = {line: a for line, a in original_at.items() if a in on_page}
    anchor_of_relisted = {int(line): a for a, line, r in
                          zip(ids, df["line"], df["relisted"], strict=True) if r and a in on_page}

    def line_link(anchors: Mapping[int, str], column: str):
        def cell(row: dict) -> str:
            value = row[column]
            if _is_missing(value):
                return ""
            anchor = anchors.get(int(value))
            return f'<a href="#{anchor}">{int(value)}</a>' if anchor else _e(int(value))
        return cell

    return _table(
        links, labels=labels, table_id="relisted-table",
        cell_html={"line": line_link(anchor_of_relisted, "line"),
                   "original_line": line_link(original_at, "original_line")},
    )


def _overview(df: pd.DataFrame, words: PlanWords) -> str:
    """The 概要 sheet's totals and counting conventions, in the plan's words."""
    totals = plan_totals(df)
    rows = "".join(
        f'<tr><th scope="row">{_e(words.say(TOTAL_LABELS.get(k, words.label(k))))}</th>'
        f'<td class="num">{int(v):,}</td></tr>'
        for k, v in totals.items()
    )
    conventions = "".join(f"<li>{_e(words.say(text))}</li>" for text in CONVENTIONS)
    return (f'<table class="totals"><tbody>{rows}</tbody></table>'
            f"<h3>数え方</h3><ol>{conventions}</ol>")


def _charts(svgs: Mapping[str, str], words: PlanWords) -> str:
    figures = []
    for stem, svg in svgs.items():
        caption = words.say(CHART_CAPTIONS.get(stem, stem))
        figures.append(
            f'<figure class="chart" id="chart-{_e(stem)}">'
            f"<figcaption>{_e(caption)}</figcaption>\n{svg}\n</figure>"
        )
    return "\n".join(figures)


def html_report(
    df: pd.DataFrame,
    *,
    source: str | os.PathLike[str] | None = None,
    sha256: str | None = None,
    made_at: datetime | None = None,
    title: str | None = None,
    charts: Mapping[str, str] | None = None,
) -> str:
    """The browser report of a listing table, as the text of one HTML page.

    Sections: 概要 (the totals of :func:`kcdata.analysis.summaries.plan_totals` and the
    counting conventions of the workbook's 概要 sheet), グラフ (the charts,
    ``charts`` if given — ``{stem: svg}`` as :func:`chart_svgs` returns —
    otherwise drawn now), 事業一覧 (every listing, with search and filters; at
    most :data:`kcdata.limits.PAGE_LISTINGS`, the first in document order, and
    then a note saying so and pointing to the workbook),
    基本方針別, 所管課別, 所管課×基本方針 and 再掲: the tables of
    :func:`kcdata.outputs.workbook.summary_tables`, so the page and the workbook show the
    same numbers. The header names the source file (``source``) and its
    SHA-256 (``sha256``, computed from ``source`` when not given), when the
    page was made (``made_at``, default :func:`kcdata.stamps.made_time`:
    ``SOURCE_DATE_EPOCH`` when set, else now, local time) and the kcdata
    version. ``title`` defaults to the plan's title followed by 「の集計」, as on the
    workbook's 概要 sheet. Headings, headers and notes are in the plan's own words
    (:func:`kcdata.vocab.plan_words`: 基本目標, 担当課, ...). Pure: ``df`` is not
    modified.
    """

    words = plan_words(df)
    say = words.say
    limit = min(len(df), PAGE_LISTINGS)  # a page of any plan opens in a browser
    shown = summary_tables(df, sheets=_TABLES)  # made once; no theme search
    tables = {name: shown[say(name)] for name in _TABLES}
    labels = {name: sheet_headers(name, tables[name], words)  # the workbook's headers
              for name in _TABLES}
    svgs = dict(charts) if charts is not None else chart_svgs(df)
    made_at = made_at or made_time()  # SOURCE_DATE_EPOCH when set, as for the workbooks
    title = title or f"{words.title or '計画'}の集計"
    if sha256 is None and source is not None:
        sha256 = sha256_of(source)

    meta = [("元の文書", Path(source).name if source is not None else "（指定なし）")]
    if sha256:
        meta.append(("元の文書のSHA-256", f'<span class="sha">{_e(sha256)}</span>'))
    meta += [("作成日時", format_made_time(made_at)),
             ("作成したプログラム", f"kcdata {__version__}")]
    meta_html = "".join(
        f"<dt>{_e(k)}</dt><dd>{v if k.endswith('SHA-256') else _e(v)}</dd>" for k, v in meta
    )
    nav = "".join(f'<li><a href="#{key}">{_e(say(name))}</a></li>' for key, name in _SECTIONS)
    script = _script()
    sections = {
        "overview": _overview(df, words),
        "charts": _charts(svgs, words),
        "listings": _controls(df, tables["所管課別"].set_index("department"), words, limit)
        + _listing_table(df, tables["事業一覧"], words, limit),
        "policies": _table(tables["基本方針別"], labels=labels["基本方針別"],
                           table_id="policy-table"),
        "departments": _table(tables["所管課別"], labels=labels["所管課別"],
                              table_id="department-table"),
        "matrix": _table(tables["所管課×基本方針"], labels=labels["所管課×基本方針"],
                         table_id="matrix-table"),
        "relisted": _relisted_table(df, tables["再掲"], labels["再掲"], limit),
    }
    cut = (f"掲載が{len(df):,}件と多いため、この事業一覧には文書の最初の{limit:,}件だけを"
           "載せています（検索・絞り込みもその範囲です）。すべての掲載は集計ブック（Excel）の"
           "「事業一覧」にあります。" if limit < len(df) else "")
    notes = {
        "listings": cut + "事業名・事業概要の検索は全角・半角、空白の有無を区別しません（NFKC）。"
        f"{RELISTED_MARK}の行から元の掲載へ移れます。見出しを押すと並べ替えます。",
        "departments": "共管の掲載は課ごとに1件と数えます。構成比の合計は100%です。",
        "relisted": "行の番号を押すと事業一覧のその行へ移ります。",
    }
    body = "\n".join(
        f'<section id="{key}" class="{key}"><h2>{_e(say(name))}</h2>'
        + (f'<p class="note">{_e(say(notes[key]))}</p>' if key in notes else "")
        + f"\n{sections[key]}\n</section>"
        for key, name in _SECTIONS
    )
    return f"""<!DOCTYPE html>
<html lang="ja">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{_e(content_security_policy(script))}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="kcdata {_e(__version__)}">
<title>{_e(title)}</title>
<style>
{_asset("report.css")}</style>
</head>
<body>
<header>
<h1>{_e(title)}</h1>
<dl class="meta">{meta_html}</dl>
<nav aria-label="目次"><ol>{nav}</ol></nav>
</header>
<main>
{body}
</main>
<footer>kcdata {_e(__version__)} で作成。このファイルだけで表示でき、
ネットワークには接続しません。</footer>
<script>{script}</script>
</body>
</html>
"""


def write_html(
    df: pd.DataFrame,
    path: str | os.PathLike[str],
    *,
    source: str | os.PathLike[str] | None = None,
    sha256: str | None = None,
    made_at: datetime | None = None,
    title: str | None = None,
    charts: Mapping[str, str] | None = None,
) -> Path:
    """Write :func:`html_report` to ``path`` (UTF-8) atomically; return the path.

    The arguments are those of :func:`html_report`. The file is written to a
    temporary file beside ``path`` and renamed into place
    (:func:`kcdata.files.atomic_path`): a failure leaves no half-written
    page, and ``data/raw/`` is refused.

    >>> import tempfile
    >>> from kcdata import parse_measures
    >>> doc = "基本方針1 方針\\n施策の方向性(1) 方向\\nA事業\\t<b>概要</b>\\t甲課\\n"
    >>> with tempfile.TemporaryDirectory() as out:
    ...     page = write_html(parse_measures(doc), Path(out) / "a.html", charts={})
    ...     text = page.read_text(encoding="utf-8")
    >>> "&lt;b&gt;概要&lt;/b&gt;" in text, "<b>概要" in text
    (True, False)
    """
    page = html_report(df, source=source, sha256=sha256, made_at=made_at, title=title,
                       charts=charts)
    with atomic_path(path) as tmp:
        tmp.write_text(page, encoding="utf-8", newline="\n")
    return Path(path)

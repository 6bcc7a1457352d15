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
import json
import os
from collections.abc import Mapping
from datetime import datetime
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from kcdata.analysis.plans import single_plan
from kcdata.analysis.themes import load_themes
from kcdata.files import atomic_path, sha256_of
from kcdata.io.parse import RELISTED_MARK
from kcdata.limits import PAGE_LISTINGS
from kcdata.outputs.no_departments import note_html
from kcdata.outputs.page_tables import (
    CHART_CAPTIONS,
    charts_html,
    controls_html,
    escape,
    listing_key,
    listing_table_html,
    overview_html,
    relisted_table_html,
    table_html,
)
from kcdata.outputs.tables import sheet_headers, summary_tables
from kcdata.schema import has_departments
from kcdata.stamps import format_made_time, made_time
from kcdata.version import __version__
from kcdata.vocab import no_departments_sentence, plan_words

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

#: The characters ``str.split()`` treats as white space (``str.isspace``), as a
#: JavaScript character class: the page's search folds them exactly as
#: :func:`kcdata.text.fold_key` does.
WHITE_SPACE_CLASS = (
    r"[\t-\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
)

#: The summary workbook's tables the page shows (sheet names in the default words).
_TABLES = ("事業一覧", "基本方針別", "所管課別", "所管課×基本方針", "再掲", "テーマ別")
_SECTIONS = (
    ("overview", "概要"),
    ("charts", "グラフ"),
    ("listings", "事業一覧"),
    ("policies", "基本方針別"),
    ("departments", "所管課別"),
    ("matrix", "所管課×基本方針"),
    ("themes", "テーマ別"),
    ("relisted", "再掲"),
)


# ---------------------------------------------------------------- file names and keys


def html_path(out_dir: str | os.PathLike[str], source: str | os.PathLike[str]) -> Path:
    """Where the page of ``source`` goes: ``out_dir/<source stem>_report.html``.

    >>> html_path("reports", "data/raw/plan.txt").as_posix()
    'reports/plan_report.html'
    """
    return Path(out_dir) / f"{Path(source).stem}_report.html"


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

    Draws each chart once (matplotlib, about 0.3 s each); ``df`` is not modified (a
    ``plan`` column must hold one plan, :func:`kcdata.analysis.plans.single_plan`).
    """
    from kcdata.outputs.charts import REPORT_CHARTS

    one = single_plan(df)
    return {stem: chart_svg(chart(one), f"kcdata-{stem}") for stem, chart in REPORT_CHARTS.items()}


# ---------------------------------------------------------------- the page


@cache
def _asset(name: str) -> str:
    return resources.files("kcdata").joinpath("assets", name).read_text(encoding="utf-8")


def _script() -> str:
    return (_asset("report.js").replace("__WHITE_SPACE__", WHITE_SPACE_CLASS)
            .replace("__CASEFOLD__", json.dumps(casefold_table(), ensure_ascii=True)))


@cache
def casefold_table() -> dict[str, str]:
    """The characters whose ``str.casefold()`` is not their ``str.lower()`` (ß -> ss, ...).

    The page's script folds a query's case with JavaScript's ``toLowerCase``
    and this table, so that it folds exactly as :func:`kcdata.text.fold_key`
    (basic multilingual plane).

    >>> casefold_table()["ß"]
    'ss'
    """
    return {chr(c): chr(c).casefold() for c in range(0x10000)
            if chr(c).casefold() != chr(c).lower()}


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


def html_report(
    df: pd.DataFrame,
    *,
    source: str | os.PathLike[str] | None = None,
    sha256: str | None = None,
    made_at: datetime | None = None,
    title: str | None = None,
    charts: Mapping[str, str] | None = None,
    themes: Any = None,
) -> str:
    """The browser report of a listing table, as the text of one HTML page.

    Sections: 概要 (the totals of :func:`kcdata.analysis.summaries.plan_totals` and the
    counting conventions of the workbook's 概要 sheet), グラフ (the charts,
    ``charts`` if given — ``{stem: svg}`` as :func:`chart_svgs` returns —
    otherwise drawn now), 事業一覧 (every listing, with search and filters; at
    most :data:`kcdata.limits.PAGE_LISTINGS`, the first in document order, and
    then a note saying so and pointing to the workbook),
    基本方針別, 所管課別, 所管課×基本方針, テーマ別 (the theme dictionary
    ``themes``, default kcdata's own, named with each theme's words) and 再掲:
    the tables of :func:`kcdata.outputs.tables.summary_tables`, so the page and
    the workbook show the same numbers. A plan without departments
    (:func:`kcdata.schema.has_departments`) gets the sentence of
    :func:`kcdata.vocab.no_departments_sentence` in place of the department
    charts and the 所管課別 and 所管課×基本方針 tables, and a 事業一覧 without a
    department filter or column. The header names the source file (``source``) and its
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
    dictionary = load_themes(themes)
    shown = summary_tables(df, sheets=_TABLES, themes=dictionary)  # made once
    tables = {name: shown[say(name)] for name in _TABLES}
    labels = {name: sheet_headers(name, tables[name], words)  # the workbook's headers
              for name in _TABLES}
    svgs = dict(charts) if charts is not None else chart_svgs(df)
    note = None if has_departments(df) else note_html(no_departments_sentence(df))
    if note is not None:  # a plan without departments: the reason in each department chart's place
        from kcdata.outputs.charts import DEPARTMENT_CHARTS

        svgs = {stem: note if stem in DEPARTMENT_CHARTS else svg for stem, svg in svgs.items()}
    made_at = made_at or made_time()  # SOURCE_DATE_EPOCH when set, as for the workbooks
    title = title or f"{words.title or '計画'}の集計"
    if sha256 is None and source is not None:
        sha256 = sha256_of(source)

    meta = [("元の文書", Path(source).name if source is not None else "（指定なし）")]
    if sha256:
        meta.append(("元の文書のSHA-256", f'<span class="sha">{escape(sha256)}</span>'))
    meta += [("作成日時", format_made_time(made_at)),
             ("作成したプログラム", f"kcdata {__version__}")]
    meta_html = "".join(
        f"<dt>{escape(k)}</dt><dd>{v if k.endswith('SHA-256') else escape(v)}</dd>" for k, v in meta
    )
    nav = "".join(f'<li><a href="#{key}">{escape(say(name))}</a></li>' for key, name in _SECTIONS)
    script = _script()
    sections = {
        "overview": overview_html(df, words),
        "charts": charts_html(svgs, words),
        "listings": controls_html(df, tables["所管課別"].set_index("department"), words, limit)
        + listing_table_html(df, tables["事業一覧"], words, limit),
        "policies": table_html(tables["基本方針別"], labels=labels["基本方針別"],
                           table_id="policy-table"),
        "departments": table_html(tables["所管課別"], labels=labels["所管課別"],
                              table_id="department-table"),
        "matrix": table_html(tables["所管課×基本方針"], labels=labels["所管課×基本方針"],
                         table_id="matrix-table"),
        "themes": table_html(tables["テーマ別"], labels=labels["テーマ別"], table_id="theme-table"),
        "relisted": relisted_table_html(df, tables["再掲"], labels["再掲"], limit),
    }
    if note is not None:
        sections |= {"departments": note, "matrix": note}
    cut = (f"掲載が{len(df):,}件と多いため、この事業一覧には文書の最初の{limit:,}件だけを"
           "載せています（検索・絞り込みもその範囲です）。すべての掲載は集計ブック（Excel）の"
           "「事業一覧」にあります。" if limit < len(df) else "")
    notes = {
        "listings": cut + "事業名・事業概要の検索は、全角・半角、大文字・小文字、"
        "ひらがな・カタカナ、空白の有無を区別しません（kcdata search と同じ規則）。"
        f"{RELISTED_MARK}の行から元の掲載へ移れます。見出しを押すと並べ替えます。",
        **({"departments": "共管の掲載は課ごとに1件と数えます。構成比の合計は100%です。"}
           if note is None else {}),
        "relisted": "行の番号を押すと事業一覧のその行へ移ります。",
        "themes": f"テーマ辞書：{dictionary.title or dictionary.label}。"
        "テーマの語が事業名か事業概要にある事業を、そのテーマに数えます（【再掲】を除く事業の数）。"
        "1つの事業が複数のテーマに入ることがあります。",
    }
    body = "\n".join(
        f'<section id="{key}" class="{key}"><h2>{escape(say(name))}</h2>'
        + (f'<p class="note">{escape(say(notes[key]))}</p>' if key in notes else "")
        + f"\n{sections[key]}\n</section>"
        for key, name in _SECTIONS
    )
    return f"""<!DOCTYPE html>
<html lang="ja">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{escape(content_security_policy(script))}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="kcdata {escape(__version__)}">
<title>{escape(title)}</title>
<style>
{_asset("report.css")}</style>
</head>
<body>
<header>
<h1>{escape(title)}</h1>
<dl class="meta">{meta_html}</dl>
<nav aria-label="目次"><ol>{nav}</ol></nav>
</header>
<main>
{body}
</main>
<footer>kcdata {escape(__version__)} で作成。このファイルだけで表示でき、
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
    themes: Any = None,
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
                       charts=charts, themes=themes)
    with atomic_path(path) as tmp:
        tmp.write_text(page, encoding="utf-8", newline="\n")
    return Path(path)

"""The report as one self-contained web page (:func:`write_html`), for colleagues without Python.

The numbers are the report model's (:func:`kcdata.outputs.tables.summary_tables`), the charts
inline SVG with their text kept as text, the style and script inlined from ``kcdata/assets/``.
A Content-Security-Policy forbids every load and allows only that script, by its SHA-256.
Every text from the document is escaped; there is no inline event handler. Without
JavaScript every table and chart is there; the script adds search, filters and sorting.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import os
from collections.abc import Mapping
from datetime import datetime
from functools import cache
from importlib import resources
from pathlib import Path
from string import Template
from typing import TYPE_CHECKING, Any

import pandas as pd

from kcdata.analysis.plans import single_plan
from kcdata.analysis.summaries import plan_totals, policy_summary, relisted_links
from kcdata.analysis.themes import load_themes
from kcdata.files import atomic_path, sha256_of
from kcdata.io.parse import RELISTED_MARK
from kcdata.limits import PAGE_LISTINGS
from kcdata.outputs.tables import sheet_headers, summary_tables
from kcdata.schema import has_departments
from kcdata.stamps import format_made_time, made_time
from kcdata.text import fold_key
from kcdata.version import __version__
from kcdata.vocab import (
    CHART_CAPTIONS,
    CONVENTIONS,
    TOTAL_LABELS,
    PlanWords,
    no_departments_sentence,
    plan_words,
    section_label,
)

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure

__all__ = ["WHITE_SPACE_CLASS", "casefold_table", "chart_svg", "chart_svgs",
           "content_security_policy", "html_path", "html_report", "inline_svg", "listing_key",
           "write_html"]

#: The characters ``str.isspace`` knows, as a JavaScript class: the page folds a query's
#: white space as :func:`kcdata.text.fold_key` does.
WHITE_SPACE_CLASS = (
    r"[\t-\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
)

#: The summary workbook's tables the page shows (sheet names in the default words).
_TABLES = ("事業一覧", "基本方針別", "所管課別", "所管課×基本方針", "再掲", "テーマ別")
_SECTIONS = {"overview": "概要", "charts": "グラフ", "listings": "事業一覧",
             "policies": "基本方針別", "departments": "所管課別", "matrix": "所管課×基本方針",
             "themes": "テーマ別", "relisted": "再掲"}
_NUM = ' class="num"'


def html_path(out_dir: str | os.PathLike[str], source: str | os.PathLike[str]) -> Path:
    """Where the page of ``source`` goes: ``out_dir/<source stem>_report.html``.

    >>> html_path("reports", "data/raw/plan.txt").as_posix()
    'reports/plan_report.html'
    """
    return Path(out_dir) / f"{Path(source).stem}_report.html"


def chart_svg(fig: Figure, salt: str = "kcdata") -> str:
    """A figure as an ``<svg>`` element; ``salt`` seeds its ids, so charts never share one."""
    from kcdata.outputs.charts import svg_text

    return inline_svg(svg_text(fig, salt))


def inline_svg(svg_file_text: str) -> str:
    """An SVG file's text as an element for an HTML page: from ``<svg`` on, no XML prolog.

    >>> inline_svg('<?xml version="1.0"?>\\n<svg width="1pt"></svg>\\n')
    '<svg width="1pt"></svg>'
    """
    return svg_file_text[svg_file_text.index("<svg"):].strip()


def chart_svgs(df: pd.DataFrame) -> dict[str, str]:
    """Every report chart drawn once, as inline SVG, by file stem."""
    from kcdata.outputs.charts import REPORT_CHARTS

    one = single_plan(df)
    return {stem: chart_svg(chart(one), f"kcdata-{stem}") for stem, chart in REPORT_CHARTS.items()}


@cache
def casefold_table() -> dict[str, str]:
    """The characters whose ``str.casefold()`` is not their ``str.lower()``, for the script.

    >>> casefold_table()["ß"]
    'ss'
    """
    return {chr(c): chr(c).casefold() for c in range(0x10000)
            if chr(c).casefold() != chr(c).lower()}


def content_security_policy(script: str) -> str:
    """The page's Content-Security-Policy: no load at all, only ``script`` (by its SHA-256).

    Images only from ``data:`` URLs (the heatmap's raster); inline styles are allowed, as
    the charts' SVG needs them, and with no URL allowed a style can load nothing.
    """
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    return (
        "default-src 'none'; "
        f"script-src 'sha256-{digest}'; "
        "style-src 'unsafe-inline'; "
        "img-src data:; "
        "base-uri 'none'; form-action 'none'"
    )


def listing_key(measure: str, summary: str) -> str:
    """The search key of a listing: :func:`kcdata.text.fold_key` of its name and its summary.

    One per line, so that a query never matches across the two.

    >>> listing_key("ＩＣＴ 推進事業", "（仮称） コミュニティ")
    'ict推進事業\\n(仮称)こみゅにてぃ'
    """
    return f"{fold_key(measure)}\n{fold_key(summary)}"


def escape(value: object) -> str:
    """Document text escaped for HTML content and quoted attributes."""
    return html.escape(str(value), quote=True)


def _asset(name: str) -> str:
    """A file of ``kcdata/assets/``: the page's template, style and script."""
    return resources.files("kcdata").joinpath("assets", name).read_text(encoding="utf-8")


def _cell(value: object, column: str) -> tuple[str, str | None]:
    """(text shown, sort value or None) of a table cell: 1,234, 21.2% for a share, ○ for True."""
    if isinstance(value, tuple | list):
        return "、".join(str(v) for v in value), None
    if pd.isna(value):
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
    return str(value), None


def _th(text: str, *, numeric: bool = False) -> str:
    return f'<th scope="col"{_NUM if numeric else ""}>{escape(text)}</th>'


def _table(table_id: str, head: str, rows: list[str], attrs: str = "") -> str:
    return (f'<div class="table-wrap"><table id="{table_id}" class="sortable"{attrs}>'
            f"<thead><tr>{head}</tr></thead><tbody>\n" + "\n".join(rows)
            + "\n</tbody></table></div>")


def table_html(df: pd.DataFrame, *, labels: Mapping[str, str], table_id: str,
               links: Mapping[str, Mapping[int, str]] | None = None) -> str:
    """A sortable table of ``df`` headed by ``labels`` (column -> header), every value escaped.

    ``links``: column -> {line number: anchor}; those cells link to the listing there.
    """
    links = links or {}
    columns = [str(c) for c in df.columns]
    numeric = {c for c in columns if pd.api.types.is_numeric_dtype(df[c])
               and not pd.api.types.is_bool_dtype(df[c])}
    head = "".join(_th(labels.get(c, c), numeric=c in numeric) for c in columns)
    rows = []
    for row in df.to_dict("records"):
        cells = []
        for c in columns:
            text, sort = _cell(row[c], c)
            inner = escape(text)
            if c in links and sort is not None:
                anchor = links[c].get(int(row[c]))
                inner = f'<a href="#{anchor}">{sort}</a>' if anchor else sort
            attrs = _NUM if c in numeric else ""
            if sort is not None:
                attrs += f' data-value="{escape(sort)}"'
            cells.append(f"<td{attrs}>{inner}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return _table(table_id, head, rows)


def _select(select_id: str, name: str, choices: list[tuple[str, str, str]],
            hidden: bool = False) -> str:
    """A labelled drop-down of (value, text, policy of the choice or ""), after 「すべて」."""
    options = "".join(f'<option value="{escape(value)}"'
                      + (f' data-policy="{escape(policy)}"' if policy else "")
                      + f">{escape(text)}</option>" for value, text, policy in choices)
    return (f'<label{" hidden" if hidden else ""}>{escape(name)}<select id="{select_id}">'
            f'<option value="">すべて</option>{options}</select></label>')


def _controls_html(df: pd.DataFrame, departments: pd.DataFrame, words: PlanWords,
                   limit: int) -> str:
    """The search box and the filters of the 事業一覧 (shown by the script)."""
    policies = policy_summary(single_plan(df), by="policy")["policy"]
    directions = policy_summary(single_plan(df), by="direction")["direction"]
    policy_options = [(str(p), f"{words.section(0, p)} {t}", "") for p, t in policies.items()]
    direction_options = [(f"{p}-{d}", f"{section_label(p, d)} {t}", str(p))
                         for (p, d), t in directions.items()]
    department_options = [(str(name), f"{name}（{n}件）", "")
                          for name, n in departments["listings"].items()]
    status = (f"{len(df)}件（すべて）" if limit >= len(df) else
              f"{limit:,}件を表示（全{len(df):,}件のうち、このページに載せた分）")
    return "\n".join([
        '<div id="listing-controls" class="controls" hidden>',
        f'<label>{escape(words.say("{measure}・{summary}で検索"))}'
        '<input type="search" id="filter-query" autocomplete="off"'
        ' placeholder="例：防災（全角・半角どちらでも）"></label>',
        _select("filter-policy", words.label("policy_no"), policy_options),
        _select("filter-direction", words.label("direction_no"), direction_options,
                hidden=len(words.levels) < 2),
        _select("filter-department", words.label("department"), department_options,
                hidden=departments.empty),
        '<label class="check"><input type="checkbox" id="filter-relisted" checked>'
        f"{RELISTED_MARK}の行を表示</label>",
        '<button type="button" id="filter-reset">条件を消す</button>',
        "</div>",
        '<noscript><p class="note">JavaScript が無効のため、検索・絞り込み・並べ替えは'
        "使えません。表とグラフはすべて表示されています。</p></noscript>",
        f'<p id="listing-status" class="status" aria-live="polite">{status}</p>',
    ])


def _originals(df: pd.DataFrame) -> dict[int, str]:
    """Line -> anchor of the first listing without the 【再掲】 mark at that line."""
    found: dict[int, str] = {}
    for i, (line, relisted) in enumerate(zip(df["line"], df["relisted"], strict=True), 1):
        if not relisted:
            found.setdefault(int(line), f"listing-{i}")
    return found


def _link(anchor: str, text: str, limit: int) -> str:
    """A link to a listing, or ``text`` saying the listing is past the page's first ``limit``."""
    if int(anchor.removeprefix("listing-")) <= limit:
        return f'<a class="link" href="#{anchor}">{text}）</a>'
    return f'<span class="link">{text}。このページには載せていません）</span>'


def _listings_html(df: pd.DataFrame, listings: pd.DataFrame, words: PlanWords,
                   limit: int) -> str:
    """The 事業一覧: the first ``limit`` listings, with search keys and filter values as data
    attributes, each 【再掲】 linked to its original and back; ``listings`` is the model's
    事業一覧, whose extra layout columns come after the usual ones."""
    one_level = len(words.levels) < 2

    def section(p: object, d: object) -> str:  # 「3-(2)」, or 「3」 in a plan of one level
        return section_label(p, None if one_level else d)

    original_at = _originals(df)
    original_of = {int(r.line): r for r in relisted_links(single_plan(df)).itertuples(index=False)}
    relisted_at: dict[int, list[tuple[str, str]]] = {}  # original line -> (anchor, section)
    for i, row in enumerate(df.itertuples(index=False), 1):
        link = original_of.get(int(row.line)) if row.relisted else None
        if link is not None and pd.notna(link.original_line):
            relisted_at.setdefault(int(link.original_line), []).append(
                (f"listing-{i}", section(row.policy_no, row.direction_no)))

    shown = ["line", "policy_no", "direction_no", "measure", "summary", "departments", "relisted"]
    hidden = {"policy", "direction"}  # titles: in the number cells' tooltips
    if one_level:
        shown.remove("direction_no")
        hidden.add("direction_no")
    named = has_departments(df)
    if not named:
        shown.remove("departments")
    extra = [c for c in listings.columns if c not in shown and c not in hidden]
    head = "".join(_th(words.label(c), numeric=c == "line") for c in [*shown, *extra])
    rows = []
    for i, (row, table_row) in enumerate(zip(df.iloc[:limit].itertuples(index=False),
                                             listings.iloc[:limit].to_dict("records"),
                                             strict=True), 1):
        anchor = f"listing-{i}"
        p, d = int(row.policy_no), int(row.direction_no)
        measure = escape(row.measure)
        if row.relisted:
            link = original_of.get(int(row.line))
            target = None
            if link is not None and pd.notna(link.original_line):
                target = original_at.get(int(link.original_line))
            measure = f'<span class="mark">{RELISTED_MARK}</span>{measure}'
            if target:
                where = section(link.original_policy_no, link.original_direction_no)
                measure += _link(target, f'→ 元の掲載（{escape(where)}、'
                                 f'{words.label("line")}{int(link.original_line)}', limit)
            else:
                measure += '<span class="link">（元の掲載なし）</span>'
        elif original_at.get(int(row.line)) == anchor:
            measure += "".join(_link(a, f"→ {RELISTED_MARK}の掲載（{escape(s)}", limit)
                               for a, s in relisted_at.get(int(row.line), []))
        departments = list(row.departments)
        cells = [
            f'<td class="num">{int(row.line)}</td>',
            f'<td class="num" title="{escape(row.policy)}">{p}</td>',
            *([] if one_level else [
                f'<td class="nowrap" data-value="{p:04d}-{d:04d}" title="{escape(row.direction)}">'
                f"{escape(section_label(p, d))}</td>"]),
            f"<td>{measure}</td>",
            f'<td class="summary">{escape(row.summary)}</td>',
            *([f"<td>{escape('、'.join(departments))}</td>"] if named else []),
            f"<td>{'○' if row.relisted else ''}</td>",
            *(f"<td>{escape(_cell(table_row[c], c)[0])}</td>" for c in extra),
        ]
        attrs = (
            f'id="{anchor}" data-key="{escape(listing_key(row.measure, row.summary))}" '
            f'data-policy="{p}" data-direction="{p}-{d}" '
            f'data-departments="{escape(chr(10).join(departments))}" '
            f'data-relisted="{1 if row.relisted else 0}"'
            + (' class="relisted"' if row.relisted else "")
        )
        rows.append(f"<tr {attrs}>" + "".join(cells) + "</tr>")
    return _table("listing-table", head, rows, f' data-listings="{len(df)}"')


def _relisted_html(df: pd.DataFrame, links: pd.DataFrame, labels: Mapping[str, str],
                   limit: int) -> str:
    """The 再掲 table, its 行 and 元の行 linked to the listings on the page."""
    on_page = df.iloc[:limit]
    relisted = {int(line): f"listing-{i}" for i, (line, r) in
                enumerate(zip(on_page["line"], on_page["relisted"], strict=True), 1) if r}
    return table_html(links, labels=labels, table_id="relisted-table",
                      links={"line": relisted, "original_line": _originals(on_page)})


def _overview_html(df: pd.DataFrame, words: PlanWords) -> str:
    """The 概要 sheet's totals and counting conventions, in the plan's words."""
    totals = words.say_all(TOTAL_LABELS)
    rows = "".join(
        f'<tr><th scope="row">{escape(totals.get(k) or words.label(k))}</th>'
        f'<td class="num">{int(v):,}</td></tr>'
        for k, v in plan_totals(single_plan(df)).items()
    )
    conventions = "".join(f"<li>{escape(words.say(text))}</li>" for text in CONVENTIONS)
    return (f'<table class="totals"><tbody>{rows}</tbody></table>'
            f"<h3>数え方</h3><ol>{conventions}</ol>")


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
    """The browser report of a listing table, as the text of one HTML page, in the plan's words.

    ``charts``: ``{stem: svg}`` as :func:`chart_svgs` gives (default: drawn now). The 事業一覧
    holds at most :data:`kcdata.limits.PAGE_LISTINGS` listings, the first, and says so; the
    other tables are the workbook's (``themes``: the theme dictionary). A plan without
    departments gets a sentence in place of the department charts and tables. The header
    names ``source``, its SHA-256 (computed when not given), ``made_at`` (default
    :func:`kcdata.stamps.made_time`) and the kcdata version.
    """
    words = plan_words(df)
    say = words.say
    limit = min(len(df), PAGE_LISTINGS)
    dictionary = load_themes(themes)
    shown = summary_tables(df, sheets=_TABLES, themes=dictionary)
    tables = {name: shown[words.sheet(name)] for name in _TABLES}
    labels = {name: sheet_headers(name, tables[name], words) for name in _TABLES}

    def table(name: str, table_id: str) -> str:
        return table_html(tables[name], labels=labels[name], table_id=table_id)

    svgs = dict(charts) if charts is not None else chart_svgs(df)
    note = None
    if not has_departments(df):  # the reason in each department chart's and table's place
        from kcdata.outputs.charts import DEPARTMENT_CHARTS

        note = f'<p class="note no-departments">{escape(no_departments_sentence(df))}</p>'
        svgs = {stem: note if stem in DEPARTMENT_CHARTS else svg for stem, svg in svgs.items()}
    made_at = made_at or made_time()
    title = title or f"{words.title or '計画'}の集計"
    if sha256 is None and source is not None:
        sha256 = sha256_of(source)

    name = Path(source).name if source is not None else "（指定なし）"
    meta = f"<dt>元の文書</dt><dd>{escape(name)}</dd>"
    if sha256:
        meta += f'<dt>元の文書のSHA-256</dt><dd><span class="sha">{escape(sha256)}</span></dd>'
    meta += (f"<dt>作成日時</dt><dd>{escape(format_made_time(made_at))}</dd>"
             f"<dt>作成したプログラム</dt><dd>kcdata {escape(__version__)}</dd>")
    nav = "".join(f'<li><a href="#{key}">{escape(words.sheet(name))}</a></li>'
                  for key, name in _SECTIONS.items())
    script = (_asset("report.js").replace("__WHITE_SPACE__", WHITE_SPACE_CLASS)
              .replace("__CASEFOLD__", json.dumps(casefold_table(), ensure_ascii=True)))
    captions = {stem: say(CHART_CAPTIONS[stem]) if stem in CHART_CAPTIONS else stem
                for stem in svgs}
    charts_html = "\n".join(
        f'<figure class="chart" id="chart-{escape(stem)}"><figcaption>'
        f"{escape(captions[stem])}</figcaption>\n{svg}\n</figure>"
        for stem, svg in svgs.items()
    )
    sections = {
        "overview": _overview_html(df, words),
        "charts": charts_html,
        "listings": _controls_html(df, tables["所管課別"].set_index("department"), words, limit)
        + _listings_html(df, tables["事業一覧"], words, limit),
        "policies": table("基本方針別", "policy-table"),
        "departments": note or table("所管課別", "department-table"),
        "matrix": note or table("所管課×基本方針", "matrix-table"),
        "themes": table("テーマ別", "theme-table"),
        "relisted": _relisted_html(df, tables["再掲"], labels["再掲"], limit),
    }
    cut = (f"掲載が{len(df):,}件と多いため、この事業一覧には文書の最初の{limit:,}件だけを"
           "載せています（検索・絞り込みもその範囲です）。すべての掲載は集計ブック（Excel）の"
           "「事業一覧」にあります。" if limit < len(df) else "")
    notes = {
        "listings": cut + say("{measure}・{summary}の検索は、全角・半角、大文字・小文字、"
        "ひらがな・カタカナ、空白の有無を区別しません（kcdata search と同じ規則）。"
        "{mark}の行から元の掲載へ移れます。見出しを押すと並べ替えます。", mark=RELISTED_MARK),
        "relisted": "行の番号を押すと事業一覧のその行へ移ります。",
        "themes": say("テーマ辞書：{dictionary}。テーマの語が{measure}か{summary}にある事業を、"
                      "そのテーマに数えます（【再掲】を除く事業の数）。"
                      "1つの事業が複数のテーマに入ることがあります。",
                      dictionary=dictionary.title or dictionary.label),
    }
    if note is None:
        notes["departments"] = "共管の掲載は課ごとに1件と数えます。構成比の合計は100%です。"
    body = "\n".join(
        f'<section id="{key}" class="{key}"><h2>{escape(words.sheet(name))}</h2>'
        + (f'<p class="note">{escape(notes[key])}</p>' if key in notes else "")
        + f"\n{sections[key]}\n</section>"
        for key, name in _SECTIONS.items()
    )
    return Template(_asset("page.html")).substitute(
        csp=escape(content_security_policy(script)), version=escape(__version__),
        title=escape(title), css=_asset("report.css"), meta=meta, nav=nav, body=body,
        script=script)


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
    """Write :func:`html_report` to ``path`` (UTF-8) atomically; ``data/raw/`` is refused.

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

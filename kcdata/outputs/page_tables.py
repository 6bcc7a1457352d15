"""The HTML of the browser page's parts: its tables, controls, overview and charts.

Every value is escaped (:func:`escape`); nothing from a document becomes markup.
:mod:`kcdata.outputs.page` puts the parts together into one page.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping

import pandas as pd

from kcdata.analysis.plans import single_plan
from kcdata.analysis.summaries import plan_totals, policy_summary, relisted_links
from kcdata.io.parse import RELISTED_MARK
from kcdata.outputs.tables import CONVENTIONS, TOTAL_LABELS
from kcdata.schema import has_departments
from kcdata.text import fold_key
from kcdata.vocab import PlanWords, section_label

__all__ = [
    "CHART_CAPTIONS",
    "charts_html",
    "controls_html",
    "escape",
    "listing_key",
    "listing_table_html",
    "overview_html",
    "relisted_table_html",
    "table_html",
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

_NUM = ' class="num"'


def listing_key(measure: str, summary: str) -> str:
    """The search key of a listing: the folded keys of its name and its summary, one per line.

    The keys are :func:`kcdata.text.fold_key`, the rule of ``kcdata search``
    (NFKC, case, katakana as hiragana, white space): the page's script folds
    the query the same way, and a query matches a listing where it is part of
    either key at ASCII word bounds (「ict」 is not found in 「district」), as
    ``kcdata search`` does. The line break keeps a query from matching across
    the two.

    >>> listing_key("ＩＣＴ 推進事業", "（仮称） コミュニティ")
    'ict推進事業\\n(仮称)こみゅにてぃ'
    """
    return f"{fold_key(measure)}\n{fold_key(summary)}"


def escape(value: object) -> str:
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
    return f'<th scope="col"{_NUM if numeric else ""}>{escape(text)}</th>'


def table_html(
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
            inner = cell_html[c](row) if c in cell_html else escape(text)  # type: ignore[operator]
            attrs = ' class="num"' if c in numeric else ""
            if sort is not None:
                attrs += f' data-value="{escape(sort)}"'
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
        extra = "".join(f' data-{k}="{escape(v)}"' for k, v in data.items())
        out.append(f'<option value="{escape(value)}"{extra}>{escape(text)}</option>')
    return "".join(out)


def controls_html(df: pd.DataFrame, departments: pd.DataFrame, words: PlanWords, limit: int) -> str:
    policies = policy_summary(single_plan(df), by="policy")
    directions = policy_summary(single_plan(df), by="direction")
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
        f'<label>{escape(words.say("事業名・事業概要で検索"))}'
        '<input type="search" id="filter-query" autocomplete="off"'
        ' placeholder="例：防災（全角・半角どちらでも）"></label>',
        _select("filter-policy", _header(words, "policy_no"), policy_options),
        _select("filter-direction", _header(words, "direction_no"), direction_options,
                hidden=_one_level(words)),
        _select("filter-department", words.label("department"), department_options,
                hidden=departments.empty),  # a plan without departments: nothing to choose
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
    return (f'<label{" hidden" if hidden else ""}>{escape(name)}<select id="{select_id}">'
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


def listing_table_html(
    df: pd.DataFrame, listings: pd.DataFrame, words: PlanWords, limit: int
) -> str:
    """The 事業一覧: the first ``limit`` listings, each with its search key and filter values
    as data attributes (``data-listings`` on the table holds how many the plan has).

    ``listings`` is the 事業一覧 table of :func:`kcdata.outputs.workbook.summary_tables`
    (same rows as ``df``); extra columns of a layout are shown after the usual ones. A
    plan without departments (:func:`kcdata.schema.has_departments`) has no department column.
    A link to a listing past ``limit`` says it is not on the page.
    """
    ids, original_at, on_page = _listing_ids(df, limit)
    links = relisted_links(single_plan(df))
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
    named = has_departments(df)
    if not named:  # a plan without departments: no empty column
        shown.remove("departments")
    extra = [c for c in listings.columns if c not in shown and c not in hidden]
    head = "".join(_th(_header(words, c), numeric=c == "line") for c in [*shown, *extra])
    body = []
    for anchor, row, table_row in zip(
        ids[:limit], df.iloc[:limit].itertuples(index=False),
        listings.iloc[:limit].to_dict("records"), strict=True
    ):
        p, d = int(row.policy_no), int(row.direction_no)
        measure = escape(row.measure)
        if row.relisted:
            link = original_of.get(int(row.line))
            target = (original_at.get(int(link.original_line))
                      if link is not None and not _is_missing(link.original_line) else None)
            measure = f'<span class="mark">{RELISTED_MARK}</span>{measure}'
            if target:
                where = _section(words, link.original_policy_no, link.original_direction_no)
                text = (f'→ 元の掲載（{escape(where)}、'
                        f'{words.label("line")}{int(link.original_line)}')
                measure += (f'<a class="link" href="#{target}">{text}）</a>'
                            if target in on_page else
                            f'<span class="link">{text}。このページには載せていません）</span>')
            else:
                measure += '<span class="link">（元の掲載なし）</span>'
        elif int(row.line) in relisted_at and original_at.get(int(row.line)) == anchor:
            measure += "".join(
                f'<a class="link" href="#{a}">→ {RELISTED_MARK}の掲載（{escape(s)}）</a>'
                if a in on_page else
                f'<span class="link">→ {RELISTED_MARK}の掲載（{escape(s)}。このページには'
                '載せていません）</span>'
                for a, s in relisted_at[int(row.line)]
            )
        departments = list(row.departments)
        cells = [
            f'<td class="num">{int(row.line)}</td>',
            f'<td class="num" title="{escape(row.policy)}">{p}</td>',
            *([] if _one_level(words) else [
                f'<td class="nowrap" data-value="{p:04d}-{d:04d}" title="{escape(row.direction)}">'
                f"{escape(section_label(p, d))}</td>"]),
            f"<td>{measure}</td>",
            f'<td class="summary">{escape(row.summary)}</td>',
            *([f"<td>{escape('、'.join(departments))}</td>"] if named else []),
            f"<td>{'○' if row.relisted else ''}</td>",
            *(f"<td>{escape(_format(table_row[c], c)[0])}</td>" for c in extra),
        ]
        attrs = (
            f'id="{anchor}" data-key="{escape(listing_key(row.measure, row.summary))}" '
            f'data-policy="{p}" data-direction="{p}-{d}" '
            f'data-departments="{escape(chr(10).join(departments))}" '
            f'data-relisted="{1 if row.relisted else 0}"'
            + (' class="relisted"' if row.relisted else "")
        )
        body.append(f"<tr {attrs}>" + "".join(cells) + "</tr>")
    return (
        f'<div class="table-wrap"><table id="listing-table" class="sortable" '
        f'data-listings="{len(df)}">'
        f"<thead><tr>{head}</tr></thead><tbody>\n" + "\n".join(body) + "\n</tbody></table></div>"
    )


def relisted_table_html(
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
            return f'<a href="#{anchor}">{int(value)}</a>' if anchor else escape(int(value))
        return cell

    return table_html(
        links, labels=labels, table_id="relisted-table",
        cell_html={"line": line_link(anchor_of_relisted, "line"),
                   "original_line": line_link(original_at, "original_line")},
    )


def overview_html(df: pd.DataFrame, words: PlanWords) -> str:
    """The 概要 sheet's totals and counting conventions, in the plan's words."""
    totals = plan_totals(single_plan(df))
    rows = "".join(
        f'<tr><th scope="row">{escape(words.say(TOTAL_LABELS.get(k, words.label(k))))}</th>'
        f'<td class="num">{int(v):,}</td></tr>'
        for k, v in totals.items()
    )
    conventions = "".join(f"<li>{escape(words.say(text))}</li>" for text in CONVENTIONS)
    return (f'<table class="totals"><tbody>{rows}</tbody></table>'
            f"<h3>数え方</h3><ol>{conventions}</ol>")


def charts_html(svgs: Mapping[str, str], words: PlanWords) -> str:
    figures = []
    for stem, svg in svgs.items():
        caption = words.say(CHART_CAPTIONS.get(stem, stem))
        figures.append(
            f'<figure class="chart" id="chart-{escape(stem)}">'
            f"<figcaption>{escape(caption)}</figcaption>\n{svg}\n</figure>"
        )
    return "\n".join(figures)

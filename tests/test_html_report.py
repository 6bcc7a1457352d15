"""The browser page without a browser: structure, numbers, escaping, CSP, no external loads."""

from __future__ import annotations

import base64
import hashlib
import re
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

import kcdata
from kcdata import parse_measures, plan_totals
from kcdata.analysis.summaries import department_summary, relisted_links
from kcdata.cli import main
from kcdata.outputs.charts import REPORT_CHARTS, department_listings_chart
from kcdata.outputs.page import (
    WHITE_SPACE_CLASS,
    chart_svg,
    chart_svgs,
    content_security_policy,
    html_path,
    html_report,
    listing_key,
    write_html,
)
from kcdata.outputs.report import write_report
from kcdata.paths import BUNDLED_DOCUMENT, RAW_DIR
from kcdata.text import fold_key
from kcdata.vocab import CHART_CAPTIONS, PlanWords

from .conftest import HEADER_ROW, doc

MADE_AT = datetime(2026, 4, 1, 9, 0, tzinfo=UTC)
MAX_BYTES = 2 * 1024 * 1024

SCRIPT_TAG = "<script>alert(1)</script>"
IMG_ATTACK = '"><img src=x onerror=alert(1)>'
#: Hostile text everywhere the document's text reaches the page: headings, names,
#: summaries, departments (which also label the charts), and the ends of an SVG
#: comment and a CDATA section, control characters, a line separator, an entity and
#: mathtext. (The parser splits departments at white space and
#: 「/」, so 「"><svg/onload=alert(2)>課」 is two departments, each still hostile.)
HOSTILE_DOCUMENT = doc(
    f"基本方針1 {SCRIPT_TAG}",
    f"施策の方向性(1) {IMG_ATTACK}",
    HEADER_ROW,
    f"{SCRIPT_TAG}\t{IMG_ATTACK}\t\"><svg/onload=alert(2)>課",
    f"{IMG_ATTACK}\t--><script>alert(3)</script>\t<script>課",
    "A事業\t]]><iframe srcdoc=x>\t' onmouseover='alert(5)課 &amp;課",
    "施策の方向性(2) </text><script>alert(4)</script>",
    HEADER_ROW,
    f"【再掲】{SCRIPT_TAG}\t{IMG_ATTACK}\t\"><svg/onload=alert(2)>課",
    "B事業\u2028改行\tタブ\x0b制御\x01\x7f文字 $x$ &lt;\t乙課",  # odd characters, mathtext
)
HOSTILE_TEXTS = (SCRIPT_TAG, IMG_ATTACK, "--><script>alert(3)</script>",
                 "</text><script>alert(4)</script>", "]]><iframe srcdoc=x>", '"><svg',
                 "onload=alert(2)>課", "$x$ &lt;")


class _Page(HTMLParser):
    """What an HTML parser sees in a page: start tags with their attributes, and text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        (self.scripts if self._in_script else self.text).append(data)

    def named(self, tag: str) -> list[dict[str, str | None]]:
        return [attrs for t, attrs in self.tags if t == tag]


def _parse(text: str) -> _Page:
    page = _Page()
    page.feed(text)
    page.close()
    return page


@pytest.fixture(scope="module")
def bundled_page(tmp_path_factory) -> tuple[pd.DataFrame, Path, str]:
    from kcdata import read_measures

    df = read_measures(BUNDLED_DOCUMENT)
    path = write_html(df, tmp_path_factory.mktemp("html") / "report.html",
                      source=BUNDLED_DOCUMENT, made_at=MADE_AT)
    return df, path, path.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def hostile_charts() -> dict[str, str]:
    return chart_svgs(parse_measures(HOSTILE_DOCUMENT))


@pytest.fixture(scope="module")
def hostile_page(hostile_charts) -> tuple[pd.DataFrame, str]:
    df = parse_measures(HOSTILE_DOCUMENT)
    return df, html_report(df, made_at=MADE_AT, charts=hostile_charts)


# ---------------------------------------------------------------- structure


def test_page_is_one_japanese_document_with_every_section(bundled_page):
    _, path, text = bundled_page
    assert text.startswith("<!DOCTYPE html>\n<html lang=\"ja\">")
    page = _parse(text)
    assert [a.get("charset") for a in page.named("meta") if "charset" in a] == ["utf-8"]
    ids = [a["id"] for _, a in page.tags if a.get("id")]
    # matplotlib numbers its groups (figure_1, axes_1, ...) in each chart: unreferenced
    # ids that repeat from chart to chart. Every id that something points at is unique.
    referenced = set(re.findall(r'url\(#([^)"]+)\)', text))
    referenced |= {v[1:] for _, a in page.tags for k, v in a.items()
                   if k in ("href", "xlink:href") and v and v.startswith("#")}
    assert referenced and all(ids.count(i) == 1 for i in referenced)
    own = [i for i in ids if i in {"overview", "listing-table", "listing-1", "filter-query"}]
    assert len(own) == 4
    sections = [a["id"] for a in page.named("section")]
    assert sections == ["overview", "charts", "listings", "policies", "departments", "matrix",
                        "themes", "relisted"]
    assert path.stat().st_size < MAX_BYTES


def test_charts_are_inline_svg_with_text_as_text(bundled_page):
    _, _, text = bundled_page
    page = _parse(text)
    assert len(page.named("svg")) == len(REPORT_CHARTS)
    assert [a["id"] for a in page.named("figure")] == [f"chart-{s}" for s in REPORT_CHARTS]
    assert len(page.named("text")) > 100  # labels are <text>, not glyph outlines
    joined = "".join(page.text)
    assert "所管課別の掲載数（33課）" in joined  # a chart's title, searchable in the page
    for caption in CHART_CAPTIONS.values():  # templates, in the bundled plan's words
        assert PlanWords().say(caption) in joined


def test_chart_ids_differ_between_charts_and_repeat_between_runs(bundled):
    fig = department_listings_chart(bundled)
    one, two = chart_svg(fig, "kcdata-a"), chart_svg(fig, "kcdata-a")
    other = chart_svg(fig, "kcdata-b")
    assert one == two
    clip_ids = set(re.findall(r'<clipPath id="([^"]+)"', one))
    assert clip_ids and clip_ids.isdisjoint(re.findall(r'<clipPath id="([^"]+)"', other))
    assert one.startswith("<svg") and "<?xml" not in one and "<metadata" not in one


def test_listing_rows_carry_search_keys_and_filter_values(bundled_page):
    df, _, text = bundled_page
    page = _parse(text)
    rows = [a for a in page.named("tr") if (a.get("id") or "").startswith("listing-")]
    assert len(rows) == len(df) == 110
    for attrs, row in zip(rows, df.itertuples(index=False), strict=True):
        assert attrs["data-key"] == listing_key(row.measure, row.summary)
        assert attrs["data-policy"] == str(row.policy_no)
        assert attrs["data-direction"] == f"{row.policy_no}-{row.direction_no}"
        assert attrs["data-departments"].split("\n") == list(row.departments)
        assert attrs["data-relisted"] == ("1" if row.relisted else "0")


def test_listing_key_folds_like_kcdata_search():
    assert listing_key("ＩＣＴ 推進事業", "防災　訓練") == "ict推進事業\n防災訓練"
    assert listing_key("コミュニティ", "HUB Project") == "こみゅにてぃ\nhub project"
    assert listing_key("a", "B").split("\n") == [fold_key("a"), fold_key("B")]


def test_the_script_folds_case_as_casefold():
    from kcdata.outputs.page import casefold_table

    table = casefold_table()
    assert table["ß"] == "ss" and "A" not in table
    assert all(c.casefold() == folded != c.lower() for c, folded in table.items())


def test_the_script_removes_exactly_pythons_white_space():
    pattern = re.compile(WHITE_SPACE_CLASS)  # the JavaScript class is also a Python class
    found = {chr(c) for c in range(0x110000) if pattern.fullmatch(chr(c))}
    assert found == {chr(c) for c in range(0x110000) if chr(c).isspace()}


def test_totals_and_tables_are_the_workbooks_numbers(bundled_page):
    df, _, text = bundled_page
    totals = plan_totals(df)
    overview = text[text.index('<section id="overview"'):text.index('<section id="charts"')]
    shown = [int(n.replace(",", "")) for n in re.findall(r'<td class="num">([\d,]+)</td>',
                                                        overview)]
    assert shown == totals.tolist() == [110, 2, 108, 33, 113, 3, 4, 10]
    departments = text[text.index('<table id="department-table"'):]
    departments = departments[:departments.index("</table>")]
    assert departments.count("<tr>") == 1 + len(department_summary(df)) == 34
    assert "<td>市民協働推進課</td>" in departments
    assert "数え方" in overview and "構成比" in overview


def test_each_relisting_links_to_its_original_row(bundled_page):
    df, _, text = bundled_page
    page = _parse(text)
    ids = {a["id"] for _, a in page.tags if a.get("id")}
    links = relisted_links(df)
    assert len(links) == 2
    targets = [a["href"] for a in page.named("a") if (a.get("href") or "").startswith("#listing-")]
    assert targets and all(t[1:] in ids for t in targets)
    for link in links.itertuples(index=False):
        original = df.index[(df["line"] == link.original_line) & ~df["relisted"]][0]
        relisted = df.index[df["line"] == link.line][0]
        assert f'href="#listing-{original + 1}"' in text
        assert f'href="#listing-{relisted + 1}"' in text  # and back, from the original


def test_source_hash_version_and_date_are_named(bundled_page):
    from kcdata import __version__
    from kcdata.files import sha256_of

    _, _, text = bundled_page
    assert BUNDLED_DOCUMENT.name in text
    assert sha256_of(BUNDLED_DOCUMENT) in text
    assert f"kcdata {__version__}" in text
    assert "2026-04-01 09:00 (+00:00)" in text  # as the workbooks show it


def test_page_without_charts_or_source(bundled):
    text = html_report(bundled, charts={}, made_at=MADE_AT)
    assert "<svg" not in text and "（指定なし）" in text and "SHA-256" not in text


# ---------------------------------------------------------------- security


def test_content_security_policy_forbids_loads_and_allows_only_the_script(bundled_page):
    _, _, text = bundled_page
    page = _parse(text)
    head = text[:text.index("</head>")]
    csp_at = head.index('http-equiv="Content-Security-Policy"')
    assert csp_at < head.index("<style") and csp_at < head.index("<title")
    (meta,) = [a for a in page.named("meta") if a.get("http-equiv") == "Content-Security-Policy"]
    (script,) = page.scripts
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    policy = dict(part.strip().split(" ", 1) for part in meta["content"].split(";"))
    assert policy["default-src"] == "'none'" and policy["img-src"] == "data:"
    assert policy["script-src"] == f"'sha256-{digest}'"  # no 'unsafe-inline' for scripts
    assert meta["content"] == content_security_policy(script)
    assert len(page.named("script")) == 1


def test_no_external_urls_and_no_event_handlers(bundled_page, hostile_page):
    for text in (bundled_page[2], hostile_page[1]):
        page = _parse(text)
        for tag, attrs in page.tags:
            for name, value in attrs.items():
                assert not name.startswith("on"), (tag, name)
                if name in ("src", "href", "xlink:href", "action", "srcset", "poster", "data"):
                    inline = tag == "image" and value.startswith("data:image/png;base64,")
                    assert inline or value.startswith("#"), (tag, name, value)
        assert not re.search(r"url\((?!#)", text)
        assert "@import" not in text
        assert not re.search(r"(?:https?|ftp)://(?!www\.w3\.org/)", text)


def test_hostile_text_is_escaped_everywhere(hostile_page):
    df, text = hostile_page
    page = _parse(text)
    assert len(page.named("script")) == 1
    for tag in ("img", "iframe", "object", "embed", "foreignobject"):
        assert page.named(tag) == [], tag
    assert len(page.named("svg")) == len(REPORT_CHARTS)  # no <svg/onload> from the data
    shown = "".join(page.text)
    for hostile in HOSTILE_TEXTS:
        assert hostile in shown, hostile  # shown as text ...
        assert hostile not in text  # ... and never written raw
    rows = [a for a in page.named("tr") if (a.get("id") or "").startswith("listing-")]
    assert [r["data-key"] for r in rows] == [listing_key(m, s)
                                             for m, s in zip(df["measure"], df["summary"],
                                                             strict=True)]


def test_hostile_chart_labels_stay_text(hostile_charts):
    for stem, svg in hostile_charts.items():
        page = _parse(svg)
        assert {t for t, _ in page.tags} <= {
            "svg", "defs", "style", "g", "path", "use", "text", "clippath", "rect", "pattern",
            "image", "tspan", "polyline", "line", "circle", "ellipse", "polygon", "lineargradient",
            "stop", "mask",
        }, stem
        assert page.named("script") == [] and page.named("foreignobject") == []
        for image in page.named("image"):  # the heatmap's raster, inline
            assert image["xlink:href"].startswith("data:image/png;base64,")


# ---------------------------------------------------------------- writing


def test_write_html_refuses_raw_data(bundled):
    with pytest.raises(PermissionError):
        write_html(bundled, RAW_DIR / "report.html", charts={})
    assert not (RAW_DIR / "report.html").exists()


def test_write_report_adds_the_page_from_the_same_figures(tmp_path, bundled):
    written = write_report(bundled, tmp_path, source=BUNDLED_DOCUMENT, html=True)
    page = html_path(tmp_path, BUNDLED_DOCUMENT)
    figures = [tmp_path / "figures" / f"{s}.{e}" for s in REPORT_CHARTS for e in ("png", "svg")]
    assert written == [*figures, tmp_path / f"{BUNDLED_DOCUMENT.stem}_summary.xlsx", page]
    assert page.name == "kanazawa_community_plan_measures_report.html"
    text = page.read_text(encoding="utf-8")
    assert text.count("<svg") == len(REPORT_CHARTS) and "所管課別の掲載数（33課）" in text
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["figures", page.name, written[-2].name])  # no temporary file left


@pytest.mark.parametrize("no_html", [True, False])
def test_cli_report_writes_the_page_unless_no_html(tmp_path, capsys, monkeypatch, no_html):
    seen = {}

    def fake_write_report(df, out, *, source, html, **_):  # the CLI's choice only
        seen.update(html=html, rows=len(df))
        return [html_path(out, source)] if html else []

    monkeypatch.setattr("kcdata.outputs.report.write_report", fake_write_report)
    args = ["report", str(BUNDLED_DOCUMENT), "--out", str(tmp_path)]
    assert main(args + ["--no-html"] * no_html) == 0
    assert seen == {"html": not no_html, "rows": 110}
    printed = capsys.readouterr().out.splitlines()
    assert printed == ([] if no_html else [str(html_path(tmp_path, BUNDLED_DOCUMENT))])


def test_a_generic_layout_names_its_levels_and_extra_columns():
    document = doc(
        "第2次 まちづくり計画",
        "基本目標1 安心なまち",
        "施策1 防災力の向上",
        "取組名\t内容\t担当課\tコード",
        "防災訓練事業\t訓練を実施\t危機管理課・消防局\tA-1",
        "施策2 見守り",
        "取組名\t内容\t担当課\tコード",
        "見守り事業\t高齢者を見守る\t福祉課\tB-1",
    )
    df = parse_measures(document, layout="generic")
    text = html_report(df, charts={}, made_at=MADE_AT)
    listing = text[text.index('<table id="listing-table"'):]
    headers = re.findall(r'<th scope="col"[^>]*>([^<]*)</th>', listing[:listing.index("</tr>")])
    assert headers[1:6] == ["基本目標", "施策", "取組名", "内容", "担当課"]  # the plan's words
    assert "事業コード" in headers and "code" not in headers
    assert "<h2>基本目標別</h2>" in text and "<h2>担当課×基本目標</h2>" in text
    assert "基本方針" not in text
    assert "<title>第2次まちづくり計画の集計</title>" in text
    assert '<option value="1">基本目標1 安心なまち</option>' in text
    assert '<td>A-1</td>' in listing


@pytest.mark.parametrize("plan", ["one_level", "four_levels"])
def test_plans_of_one_and_four_levels(plan):
    if plan == "one_level":
        df = parse_measures(doc("重点課題1 a", "事業名\t内容\t担当課", "A\tx\t甲課",
                                "重点課題2 b", "B\ty\t乙課"))
    else:
        df = parse_measures(doc("基本目標1 a", "基本方針1 b", "施策1 c", "取組1 d",
                                "事業名\t内容\t担当課", "A\tx\t甲課", "取組2 e", "B\ty\t乙課 甲課"))
    text = html_report(df, made_at=MADE_AT)  # the charts too
    page = _parse(text)
    assert len(page.named("svg")) == len(REPORT_CHARTS)
    listing = text[text.index('<table id="listing-table"'):]
    headers = re.findall(r'<th scope="col"[^>]*>([^<]*)</th>', listing[:listing.index("</tr>")])
    rows = [a for a in page.named("tr") if (a.get("id") or "").startswith("listing-")]
    assert len(rows) == 2
    if plan == "one_level":
        assert headers == ["行", "重点課題", "事業名", "内容", "担当課", "再掲"]
        # no second level, no 「1-(0)」
        assert "1-(0)" not in text
        assert re.search(r'<label hidden>[^<]*<select id="filter-direction">', text)
    else:
        assert headers[:3] == ["行", "基本目標", "基本方針"]
        assert {"施策", "施策名", "取組", "取組名"} <= set(headers)
        assert "<td>d</td>" in listing and "<td>e</td>" in listing


# ---------------------------------------------------------------- bounded


def test_a_long_plan_lists_its_first_listings_and_says_where_the_rest_are(monkeypatch):
    from kcdata import read_measures
    from kcdata.outputs import page as module

    df = read_measures(BUNDLED_DOCUMENT)
    limit = int(df["relisted"].to_numpy().argmax())  # the first 【再掲】 row is left out
    monkeypatch.setattr(module, "PAGE_LISTINGS", limit)
    page = _parse(html_report(df, made_at=MADE_AT, charts={}))
    rows = [a for a in page.named("tr") if (a.get("id") or "").startswith("listing-")]
    assert [a["id"] for a in rows] == [f"listing-{i}" for i in range(1, limit + 1)]
    listing_table, = [a for a in page.named("table") if a.get("id") == "listing-table"]
    assert listing_table["data-listings"] == str(len(df))
    text = "".join(page.text)
    assert f"この事業一覧には文書の最初の{limit:,}件だけを載せています" in text
    assert f"{limit:,}件を表示（全{len(df):,}件のうち、このページに載せた分）" in text
    assert "このページには載せていません" in text  # the original's link to its 【再掲】
    targets = {a["href"][1:] for a in page.named("a") if (a.get("href") or "").startswith("#")}
    ids = {a["id"] for t, a in page.tags if a.get("id")}
    assert targets <= ids  # no link to a listing that is not on the page


def test_the_page_has_the_theme_table_with_the_dictionary_and_its_words(bundled_page):
    df, _, text = bundled_page
    from kcdata.analysis.themes import load_themes

    dictionary = load_themes()
    section = text[text.index('<section id="themes"'):]
    section = section[:section.index("</section>")]
    assert f"テーマ辞書：{dictionary.title}" in section
    summary = kcdata.theme_summary(df)
    for theme in dictionary.themes[:3]:
        assert f"<td>{theme.name}</td>" in section
        assert "、".join(theme.words[:2]) in section  # each theme's words, as on the sheet
    assert section.count("<tr>") == len(summary) + 1  # the header row and one row a theme

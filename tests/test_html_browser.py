"""The browser page in a real browser: Debian's headless Chromium driven by Selenium.

Skipped, with the reason shown by ``pytest -ra``, where Chromium, its driver or
Selenium is missing (``.ci/run`` installs the browser). The browser is started
with every network route closed (a proxy on a closed loopback port, host names
unresolvable), and the tests read Chrome's own network log, so a page that tried
to load anything would show it.

Set ``KCDATA_SCREENSHOT=docs/report_screenshot.png`` to also save the README's
screenshot there.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pandas as pd
import pytest

from kcdata import parse_measures, read_measures
from kcdata import search as kcdata_search
from kcdata.outputs.charts import REPORT_CHARTS
from kcdata.outputs.page import write_html
from kcdata.paths import BUNDLED_DOCUMENT
from kcdata.text import fold_key
from kcdata.vocab import plan_words

from .test_html_report import HOSTILE_DOCUMENT, IMG_ATTACK, MADE_AT, SCRIPT_TAG

#: Debian's browser and driver; KCDATA_CHROMIUM / KCDATA_CHROMEDRIVER name others.
CHROMIUM = Path(os.environ.get("KCDATA_CHROMIUM", "/usr/bin/chromium"))
CHROMEDRIVER = Path(os.environ.get("KCDATA_CHROMEDRIVER", "/usr/bin/chromedriver"))

try:
    import selenium  # noqa: F401
except ImportError:  # pragma: no cover - the test extra installs it
    pytest.skip("selenium is not installed (pip install -e '.[test]')", allow_module_level=True)
if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):  # pragma: no cover
    pytest.skip(
        f"no browser: {CHROMIUM} and {CHROMEDRIVER} are needed "
        "(apt-get install chromium chromium-driver; .ci/run does it)",
        allow_module_level=True,
    )

from selenium import webdriver  # noqa: E402
from selenium.common.exceptions import NoAlertPresentException  # noqa: E402
from selenium.webdriver.chrome.options import Options  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import Select, WebDriverWait  # noqa: E402

#: Replaces the dialogs before any script of the page runs, recording each call.
RECORD_DIALOGS = """
window.__dialogs = [];
for (const name of ["alert", "confirm", "prompt", "print"]) {
  window[name] = function (message) { window.__dialogs.push(name + ":" + String(message)); };
}
"""
VISIBLE_ROWS = """
return Array.from(document.querySelectorAll('#listing-table tbody tr'))
  .filter((row) => row.getClientRects().length > 0).map((row) => row.id);
"""


def start_chromium(*, javascript: bool = True, width: int = 1280, height: int = 900):
    """Headless Chromium with no network, console and network logs kept, dialogs recorded."""
    options = Options()
    options.binary_location = str(CHROMIUM)
    for argument in (
        "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        f"--window-size={width},{height}", "--lang=ja",
        # Every network route closed: a proxy on a closed loopback port, no host names.
        "--proxy-server=127.0.0.1:9", "--host-resolver-rules=MAP * ~NOTFOUND",
        "--disable-background-networking", "--disable-component-update",
    ):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    if not javascript:
        options.add_experimental_option(
            "prefs", {"profile.managed_default_content_settings.javascript": 2})
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": RECORD_DIALOGS})
    return driver


def requested_urls(driver) -> list[str]:
    """Every URL the browser asked for since the last call (Chrome's network log), less the
    ``data:`` URLs of the page's own inline images."""
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            url = message["params"]["request"]["url"]
            if not url.startswith("data:image/png;base64,"):
                urls.append(url)
    return urls


def console_errors(driver) -> list[str]:
    return [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]


def assert_no_alert(driver) -> None:
    try:
        text = driver.switch_to.alert.text
    except NoAlertPresentException:
        return
    pytest.fail(f"an alert is open: {text}")


@pytest.fixture(scope="module")
def df() -> pd.DataFrame:
    return read_measures(BUNDLED_DOCUMENT)


@pytest.fixture(scope="module")
def page(df, tmp_path_factory) -> Path:
    return write_html(df, tmp_path_factory.mktemp("browser") / "report.html",
                      source=BUNDLED_DOCUMENT, made_at=MADE_AT)


@pytest.fixture(scope="module")
def browser():
    driver = start_chromium()
    yield driver
    driver.quit()


@pytest.fixture
def opened(browser, page):
    """The bundled plan's page, freshly loaded; the logs emptied before loading."""
    browser.get_log("browser")
    browser.get_log("performance")
    browser.get(page.as_uri())
    return browser


def visible(driver) -> list[str]:
    return driver.execute_script(VISIBLE_ROWS)


def ids(df: pd.DataFrame, mask) -> list[str]:
    return [f"listing-{i + 1}" for i in range(len(df)) if mask[i]]


def search(driver, text: str) -> None:
    box = driver.find_element(By.ID, "filter-query")
    box.clear()
    box.send_keys(text)


def choose(driver, select_id: str, value: str) -> None:
    Select(driver.find_element(By.ID, select_id)).select_by_value(value)


# ---------------------------------------------------------------- opening


def test_page_opens_from_a_file_with_no_network(opened, page, df):
    driver = opened
    assert driver.current_url.startswith("file://")
    assert driver.title == f"{plan_words(df).title}の集計"  # as on the workbook's 概要 sheet
    assert driver.title.startswith("地域コミュニティ活性化推進計画")
    assert driver.execute_script("return Array.isArray(window.__dialogs)")  # recorder is on
    assert len(driver.find_elements(By.CSS_SELECTOR, "figure.chart svg")) == len(REPORT_CHARTS)
    first = driver.find_element(By.CSS_SELECTOR, "figure.chart svg")
    assert first.is_displayed() and first.size["width"] > 300 and first.size["height"] > 300
    assert driver.find_element(By.ID, "listing-controls").is_displayed()  # the script ran
    assert len(visible(driver)) == 110
    assert driver.find_element(By.ID, "listing-status").text == "110件を表示（全110件）"
    resources = driver.execute_script("return performance.getEntriesByType('resource').length")
    assert resources == 0
    assert requested_urls(driver) == [page.as_uri()]
    assert console_errors(driver) == []


def glyph_fonts(driver) -> dict[str, int]:
    """The fonts the browser drew the open document's SVG ``<text>`` with: name -> glyphs."""
    driver.execute_cdp_cmd("DOM.enable", {})
    driver.execute_cdp_cmd("CSS.enable", {})
    root = driver.execute_cdp_cmd("DOM.getDocument", {"depth": -1})["root"]
    nodes = driver.execute_cdp_cmd("DOM.querySelectorAll",
                                   {"nodeId": root["nodeId"], "selector": "svg text"})
    fonts: dict[str, int] = {}
    for node in nodes["nodeIds"]:
        for font in driver.execute_cdp_cmd("CSS.getPlatformFontsForNode",
                                           {"nodeId": node})["fonts"]:
            fonts[font["familyName"]] = fonts.get(font["familyName"], 0) + font["glyphCount"]
    return fonts


def test_chart_text_is_drawn_in_a_japanese_font(opened):
    # The charts' text is <text> (svg.fonttype "none"): the browser draws it, every
    # glyph with the Japanese font, none with a font that lacks them (boxes).
    fonts = glyph_fonts(opened)
    assert set(fonts) == {"IPAexGothic"} and fonts["IPAexGothic"] > 1000


def test_svg_file_text_is_drawn_in_a_japanese_font(browser, df, tmp_path):
    from kcdata.outputs.charts import department_listings_chart, save_figure

    _, svg = save_figure(department_listings_chart(df), tmp_path / "chart")
    browser.get(svg.as_uri())
    titles = browser.execute_script(
        "return Array.from(document.querySelectorAll('text')).map((t) => t.textContent)")
    assert "所管課別の掲載数（33課）" in titles
    fonts = glyph_fonts(browser)
    assert set(fonts) == {"IPAexGothic"} and fonts["IPAexGothic"] > 100


def test_heatmap_raster_is_shown(opened):
    # The heatmap's colours are a data: PNG inside the SVG: the CSP must let it draw.
    loaded = opened.execute_script("""
        const image = document.querySelector('#chart-03_department_policy_heatmap image');
        return image && image.getBBox().width > 100;""")
    assert loaded
    assert console_errors(opened) == []


def test_without_javascript_every_table_and_chart_is_there(page):
    driver = start_chromium(javascript=False)
    try:
        driver.get(page.as_uri())
        rows = driver.find_elements(By.CSS_SELECTOR, "#listing-table tbody tr")
        assert len(rows) == 110 and all(r.is_displayed() for r in rows[:3] + rows[-3:])
        assert len(driver.find_elements(By.CSS_SELECTOR, "figure.chart svg")) == len(REPORT_CHARTS)
        for table in ("policy-table", "department-table", "matrix-table", "relisted-table"):
            assert driver.find_element(By.ID, table).is_displayed()
        assert not driver.find_element(By.ID, "listing-controls").is_displayed()
        assert "JavaScript が無効" in driver.find_element(By.TAG_NAME, "body").text
        # The script did not run: its sort buttons are absent.
        assert driver.find_elements(By.CSS_SELECTOR, "button.sort") == []
    finally:
        driver.quit()


# ---------------------------------------------------------------- search and filters


#: Queries the page and ``kcdata search`` must answer alike: case, width, kana, white space,
#: an ASCII word inside a longer one.
QUERIES = ["防災", "ICT", "ict", "ＩＣＴ", "Ict", "防 災", "地域 コミュニティ", "こみゅにてぃ",
           "ｺﾐｭﾆﾃｨ", "コミュニティ", "ぼうさい", "ai", "NPO", "ＳＮＳ", "ふぁくす", "町会"]


@pytest.mark.parametrize("query", QUERIES)
def test_search_folds_exactly_as_kcdata_search(opened, df, query):
    # One rule, kcdata.text.fold_key: the page shows exactly the listings kcdata search finds.
    hits = kcdata_search(df, [query])
    found_lines = set(hits["line"])
    expected = ids(df, df["line"].isin(found_lines).tolist())
    search(opened, query)
    assert visible(opened) == expected
    status = opened.find_element(By.ID, "listing-status").text
    assert status.startswith(f"{len(expected)}件を表示（全110件）")


def test_the_folded_queries_find_what_planners_type(opened, df):
    for query in ("ict", "こみゅにてぃ"):
        search(opened, query)
        assert visible(opened), f"{query} finds nothing"
    search(opened, "ict")
    lower = visible(opened)
    search(opened, "ICT")
    assert visible(opened) == lower


def test_search_under_either_width_gives_the_same_rows(opened):
    search(opened, "ICT")
    half = visible(opened)
    search(opened, "ＩＣＴ")
    assert visible(opened) == half and half


def test_a_cut_page_says_its_counts_cover_the_listings_on_it(browser, df, tmp_path,
                                                            monkeypatch):
    from kcdata.outputs import page as html_report

    monkeypatch.setattr(html_report, "PAGE_LISTINGS", 40)
    page = write_html(df, tmp_path / "cut.html", made_at=MADE_AT, charts={})
    browser.get(page.as_uri())
    search(browser, "地域")
    shown = visible(browser)
    expected = [f"listing-{i + 1}" for i in range(40)
                if "地域" in listing_key_of(df.iloc[i])]
    assert shown == expected and shown
    status = browser.find_element(By.ID, "listing-status").text
    assert status.startswith(f"{len(shown)}件を表示（このページに載せた40件のうち。全{len(df)}件）")


def listing_key_of(row) -> str:
    return fold_key(row["measure"]) + "\n" + fold_key(row["summary"])


def test_policy_3_shows_36_listings(opened, df):
    choose(opened, "filter-policy", "3")
    shown = visible(opened)
    assert len(shown) == 36 == (df["policy_no"] == 3).sum()
    assert shown == ids(df, (df["policy_no"] == 3).tolist())
    assert opened.find_element(By.ID, "listing-status").text.startswith("36件を表示")


def test_each_policy_and_direction_filter_narrows_to_its_rows(opened, df):
    for p in sorted(df["policy_no"].unique()):
        choose(opened, "filter-policy", str(p))
        choose(opened, "filter-direction", "")
        assert visible(opened) == ids(df, (df["policy_no"] == p).tolist())
        directions = sorted(df.loc[df["policy_no"] == p, "direction_no"].unique())
        enabled = [o.get_attribute("value") for o in
                   Select(opened.find_element(By.ID, "filter-direction")).options
                   if o.get_attribute("value") and o.is_enabled()]
        assert enabled == [f"{p}-{d}" for d in directions]  # only this policy's directions
        for d in directions:
            choose(opened, "filter-direction", f"{p}-{d}")
            mask = ((df["policy_no"] == p) & (df["direction_no"] == d)).tolist()
            assert visible(opened) == ids(df, mask)


def test_each_department_filter_narrows_to_its_rows(opened, df):
    departments = sorted({d for ds in df["departments"] for d in ds})
    assert len(departments) == 33
    for name in departments:
        choose(opened, "filter-department", name)
        assert visible(opened) == ids(df, [name in ds for ds in df["departments"]]), name


def test_relisted_toggle_and_filters_combine(opened, df):
    opened.find_element(By.ID, "filter-relisted").click()
    assert visible(opened) == ids(df, (~df["relisted"]).tolist())
    choose(opened, "filter-policy", "4")
    assert visible(opened) == ids(df, ((df["policy_no"] == 4) & ~df["relisted"]).tolist())
    search(opened, "地域")
    key = fold_key("地域")
    mask = [p == 4 and not r and (key in fold_key(m) or key in fold_key(s))
            for p, r, m, s in zip(df["policy_no"], df["relisted"], df["measure"], df["summary"],
                                  strict=True)]
    assert visible(opened) == ids(df, mask)
    opened.find_element(By.ID, "filter-reset").click()
    assert len(visible(opened)) == 110


def test_a_relisting_links_to_its_original_even_when_filtered_out(opened, df):
    relisted = df.index[df["relisted"]][0]
    choose(opened, "filter-policy", str(df.loc[relisted, "policy_no"]))
    link = opened.find_element(By.CSS_SELECTOR, f"#listing-{relisted + 1} a.link")
    target = link.get_attribute("href").split("#")[1]
    original = int(target.split("-")[1]) - 1
    assert df.loc[original, "measure"] == df.loc[relisted, "measure"]
    assert not df.loc[original, "relisted"]
    link.click()
    # hashchange is dispatched as a task after the click: wait for it (at most 5 s).
    WebDriverWait(opened, 5).until(lambda d: target in visible(d))  # the filter was cleared
    assert opened.execute_script("return location.hash") == f"#{target}"


def test_headers_sort_the_listing_table(opened, df):
    header = opened.find_element(By.CSS_SELECTOR, "#listing-table thead th:first-child button")
    header.click()
    assert visible(opened) == [f"listing-{i}" for i in range(1, 111)]  # 行, ascending
    header.click()
    assert visible(opened) == [f"listing-{i}" for i in range(110, 0, -1)]
    departments = opened.find_element(By.CSS_SELECTOR, "#department-table thead th:nth-child(2) "
                                      "button")
    departments.click()
    counts = opened.execute_script("""return Array.from(
        document.querySelectorAll('#department-table tbody tr td:nth-child(2)'),
        (td) => Number(td.dataset.value));""")
    assert counts == sorted(counts) and len(counts) == 33


# ---------------------------------------------------------------- hostile text and screenshot


def test_hostile_text_runs_nothing(browser, tmp_path):
    hostile = parse_measures(HOSTILE_DOCUMENT)
    page = write_html(hostile, tmp_path / "hostile.html", made_at=MADE_AT)
    browser.get_log("browser")
    browser.get_log("performance")
    browser.get(page.as_uri())
    assert_no_alert(browser)
    assert browser.execute_script("return window.__dialogs") == []
    assert console_errors(browser) == []
    assert requested_urls(browser) == [page.as_uri()]
    assert browser.execute_script("return document.scripts.length") == 1
    assert browser.find_elements(By.CSS_SELECTOR, "img, iframe, object, embed") == []
    cells = browser.find_elements(By.CSS_SELECTOR, "#listing-table tbody tr td:nth-child(4)")
    assert cells[0].text.splitlines() == [SCRIPT_TAG, "→ 【再掲】の掲載（1-(2)）"]
    assert cells[1].text == IMG_ATTACK
    search(browser, SCRIPT_TAG)  # the text is searchable like any other
    assert visible(browser) == ["listing-1", "listing-4"]
    choose(browser, "filter-department", '"><svg')
    assert visible(browser) == ["listing-1", "listing-4"]
    browser.find_element(By.CSS_SELECTOR, "#listing-4 a.link").click()
    assert browser.execute_script("return window.__dialogs") == []
    assert console_errors(browser) == []


def test_screenshot_for_the_readme(opened, tmp_path):
    opened.set_window_size(1280, 1000)
    try:
        search(opened, "防災")
        opened.execute_script("document.getElementById('listings').scrollIntoView()")
        shot = tmp_path / "report_screenshot.png"
        assert opened.save_screenshot(str(shot))
        data = shot.read_bytes()
        assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 20_000
        if os.environ.get("KCDATA_SCREENSHOT"):
            shutil.copyfile(shot, os.environ["KCDATA_SCREENSHOT"])
    finally:
        opened.set_window_size(1280, 900)


def test_bench_html_runs_once_and_prints_the_ratio_last():
    import re
    import subprocess
    import sys

    bench = Path(__file__).resolve().parents[1] / "benchmarks" / "bench_html.py"
    result = subprocess.run([sys.executable, str(bench), "--runs", "1"], capture_output=True,
                            text=True, check=False, timeout=300)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert re.fullmatch(r"first chart/bare page ratio: \d+\.\d{2}", lines[-1]), lines[-1]
    size = int(re.match(r"page: ([\d,]+) bytes", lines[0]).group(1).replace(",", ""))
    assert 0 < size < 2 * 1024 * 1024


def test_a_plan_of_one_level_filters_without_a_second_level(browser, tmp_path):
    from .conftest import doc

    one = parse_measures(doc("重点課題1 a", "事業名\t内容\t担当課", "A\tx 防災\t甲課",
                             "重点課題2 b", "B\ty\t乙課", "C\t防災\t甲課"))
    page = write_html(one, tmp_path / "one.html", made_at=MADE_AT, charts={})
    browser.get_log("browser")
    browser.get(page.as_uri())
    assert not browser.find_element(By.ID, "filter-direction").is_displayed()
    choose(browser, "filter-policy", "2")
    assert visible(browser) == ["listing-2", "listing-3"]
    search(browser, "防災")
    assert visible(browser) == ["listing-3"]
    assert console_errors(browser) == []


def test_sort_buttons_leave_the_header_text_in_the_cell_for_printing(opened):
    # A printed page repeats the table header; Chromium repeats the cell's own text but not
    # what a button holds, so the text stays outside the button (issue: blank header rows).
    cells = opened.execute_script("""
        return Array.from(document.querySelectorAll('#listing-table thead th')).map((th) => [
          Array.from(th.childNodes).filter((n) => n.nodeType === Node.TEXT_NODE)
            .map((n) => n.textContent).join('').trim(),
          th.querySelector('button.sort') ? th.querySelector('button.sort').textContent : null,
          th.querySelector('button.sort') ? th.querySelector('button.sort')
            .getAttribute('aria-label') : null]);""")
    assert cells and all(text and button == "" for text, button, _ in cells), cells
    assert all(label == f"{text}で並べ替え" for text, _, label in cells)

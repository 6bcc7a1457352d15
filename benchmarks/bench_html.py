"""Size of the browser page, and how soon headless Chromium shows its first chart.

    python benchmarks/bench_html.py [--runs 7]

Writes the bundled plan's page (:func:`kcdata.outputs.page.write_html`) and, as
the baseline, a bare page holding only the same first chart (the same SVG, no
style, no script, no tables). Both are opened from ``file:`` URLs in one
headless Chromium (Debian's ``/usr/bin/chromium`` with its chromedriver, no
network), alternating, ``--runs`` times each after one warm-up load of each.

A script injected before the page's own (DevTools'
``Page.addScriptToEvaluateOnNewDocument``) watches the DOM: the time the first
``<svg>`` enters it, and the next frame after that (a ``requestAnimationFrame``
then a task: the chart has been painted). Times are ``performance.now()``,
milliseconds from the start of the navigation. Also read: first contentful
paint and the end of the load event.

Prints the page's size, the medians of each time for both pages, and as its last
line ``first chart/bare page ratio: R`` (median time to the first chart painted,
page over bare page).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

#: Debian's browser and driver; KCDATA_CHROMIUM / KCDATA_CHROMEDRIVER name others.
CHROMIUM = Path(os.environ.get("KCDATA_CHROMIUM", "/usr/bin/chromium"))
CHROMEDRIVER = Path(os.environ.get("KCDATA_CHROMEDRIVER", "/usr/bin/chromedriver"))

WATCH_FIRST_CHART = """
window.__bench = {};
new MutationObserver((changes, observer) => {
  if (document.querySelector("svg")) {
    observer.disconnect();
    window.__bench.svgInDom = performance.now();
    requestAnimationFrame(() => setTimeout(() => {
      window.__bench.painted = performance.now();
    }, 0));
  }
}).observe(document, { childList: true, subtree: true });
"""
READ_TIMES = """
const done = arguments[arguments.length - 1];
const asked = performance.now();
function read() {
  const fcp = performance.getEntriesByName("first-contentful-paint")[0];
  // The paint entry can come a little after the load; wait for it (at most 2 s).
  if (window.__bench.painted === undefined || (!fcp && performance.now() - asked < 2000)) {
    setTimeout(read, 5);
    return;
  }
  const nav = performance.getEntriesByType("navigation")[0];
  done({svg: window.__bench.svgInDom, painted: window.__bench.painted,
        fcp: fcp ? fcp.startTime : null, load: nav.loadEventEnd});
}
read();
"""
METRICS = (("svg", "first <svg> in the DOM"), ("painted", "first chart painted"),
           ("fcp", "first contentful paint"), ("load", "load event end"))


def _browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    options = Options()
    options.binary_location = str(CHROMIUM)
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu",
                     "--disable-dev-shm-usage", "--window-size=1280,900",
                     "--proxy-server=127.0.0.1:9", "--host-resolver-rules=MAP * ~NOTFOUND"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument",
                           {"source": WATCH_FIRST_CHART})
    driver.set_script_timeout(30)
    return driver


def _open(driver, path: Path) -> dict[str, float]:
    driver.get("about:blank")
    driver.get(path.as_uri())
    return driver.execute_async_script(READ_TIMES)


def _pages(folder: Path) -> tuple[Path, Path]:
    from kcdata import read_measures
    from kcdata.outputs.page import chart_svgs, write_html
    from kcdata.paths import BUNDLED_DOCUMENT

    df = read_measures(BUNDLED_DOCUMENT)
    charts = chart_svgs(df)
    page = write_html(df, folder / "report.html", source=BUNDLED_DOCUMENT, charts=charts)
    first = next(iter(charts.values()))
    bare = folder / "bare.html"
    bare.write_text(f'<!DOCTYPE html>\n<html lang="ja"><head><meta charset="utf-8">'
                    f"<title>bare</title></head><body>\n{first}\n</body></html>\n",
                    encoding="utf-8")
    return page, bare


def _median(values: list[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return statistics.median(known) if known else None


def _ms(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.0f} ms"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="timed loads of each (default 7)")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        print(f"needs {CHROMIUM} and {CHROMEDRIVER} (apt-get install chromium chromium-driver)",
              file=sys.stderr)
        return 2

    with tempfile.TemporaryDirectory() as folder:
        page, bare = _pages(Path(folder))
        size, bare_size = page.stat().st_size, bare.stat().st_size
        driver = _browser()
        try:
            _open(driver, page), _open(driver, bare)  # warm-up
            times: dict[str, list[dict[str, float]]] = {"page": [], "bare": []}
            for _ in range(args.runs):
                times["page"].append(_open(driver, page))
                times["bare"].append(_open(driver, bare))
        finally:
            driver.quit()

    print(f"page: {size:,} bytes ({size / 2**20:.2f} MiB); bare page: {bare_size:,} bytes")
    medians = {}
    for name, runs in times.items():
        medians[name] = {key: _median([r[key] for r in runs]) for key, _ in METRICS}
        print(f"{name}: " + ", ".join(f"{text} {_ms(medians[name][key])}"
                                      for key, text in METRICS)
              + f" (median of {args.runs})")
    ratio = medians["page"]["painted"] / medians["bare"]["painted"]
    print(f"first chart/bare page ratio: {ratio:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

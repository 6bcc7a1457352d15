"""kc.explore in a real browser with no network: search, sort, all rows (Chromium, Selenium).

Skipped like tests/test_html_browser.py where the browser is missing (.ci/run installs it).
"""

from __future__ import annotations

import pandas as pd
import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

import kcdata as kc

from .test_html_browser import console_errors, requested_urls, start_chromium

ROWS = "return Array.from(document.querySelectorAll('#{id} tbody tr')).map(r => r.innerText);"


@pytest.fixture(scope="module")
def df() -> pd.DataFrame:
    return kc.load_example()


@pytest.fixture(scope="module")
def opened(df, tmp_path_factory):
    """A page holding two explored tables, as a notebook's outputs hold them."""
    listing, summary = kc.explore(df, page_length=10), kc.explore(kc.department_summary(df))
    page = tmp_path_factory.mktemp("explore") / "explore.html"
    page.write_text(f'<!doctype html><meta charset="utf-8"><body>{listing.html}<hr>'
                    f'{summary.html}</body>', encoding="utf-8")
    driver = start_chromium()
    driver.get(page.as_uri())
    WebDriverWait(driver, 20).until(
        lambda d: len(d.find_elements(By.CSS_SELECTOR, ".dt-info")) == 2)
    ids = [t.get_attribute("id") for t in driver.find_elements(By.CSS_SELECTOR, "table.dataTable")]
    yield driver, ids, page
    driver.quit()


def info(driver, table_id: str) -> str:
    return driver.find_element(By.ID, f"{table_id}_info").text


def test_the_tables_start_offline_with_every_row(opened):
    driver, ids, page = opened
    assert info(driver, ids[0]) == "全 110 行のうち 1～10 行目"
    assert info(driver, ids[1]) == "全 33 行のうち 1～20 行目"
    assert all(url == page.as_uri() or url.startswith("blob:") for url in requested_urls(driver))
    assert console_errors(driver) == []


def test_search_filters_rows_as_shown(opened, df):
    driver, ids, _ = opened
    box = driver.find_element(By.CSS_SELECTOR, f"input[type=search][aria-controls={ids[0]}]")
    box.send_keys("ict")
    shown = kc.japanese(df).shown()
    expected = shown.apply(lambda column: column.str.contains("ict", case=False)).any(axis=1)
    assert 0 < expected.sum() < len(df)
    WebDriverWait(driver, 10).until(
        lambda d: info(d, ids[0]) == f"全 {expected.sum()} 行のうち 1～{expected.sum()} 行目 "
                                     "（全 110 行から絞り込み）")
    box.clear()
    box.send_keys("\ue003")  # backspace: the search is empty again
    WebDriverWait(driver, 10).until(lambda d: info(d, ids[0]).startswith("全 110 行"))


def test_a_click_sorts_numbers_and_percentages_as_numbers(opened):
    driver, ids, _ = opened
    header = driver.find_element(
        By.XPATH, f"//table[@id='{ids[1]}']//th[normalize-space()='構成比']")


    def shares(d) -> list[str]:
        return [row.split("\t")[-1] for row in d.execute_script(ROWS.format(id=ids[1]))[:2]]

    assert shares(driver) == ["21.2%", "12.4%"]  # the table's own order
    header.click()
    WebDriverWait(driver, 10).until(lambda d: shares(d) == ["0.9%", "0.9%"])
    header.click()
    WebDriverWait(driver, 10).until(lambda d: shares(d) == ["21.2%", "12.4%"])  # not 8.8% first

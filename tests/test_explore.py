"""kc.explore: a long table to search and sort in JupyterLab (itables, offline)."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest

import kcdata as kc


def table_of(explored) -> tuple[list[str], list[list[str]]]:
    """The headers and the rows the page's table is built from (DataTables' arguments)."""
    found = re.search(r"let dt_args = (\{.*?\n\s*\});", explored.html, re.DOTALL)
    args = json.loads(found.group(1))
    headers = re.findall(r"<th[^>]*>([^<]*)</th>", args["table_html"])
    return headers, json.loads(args["data_json"])


@pytest.fixture(scope="module")
def df() -> pd.DataFrame:
    return kc.load_example()


def test_every_row_is_there_with_japanese_headers(df):
    explored = kc.explore(df)
    headers, rows = table_of(explored)
    shown = kc.japanese(df).shown()
    assert headers == list(shown.columns)  # a RangeIndex is not shown
    assert {"基本方針", "事業名", "所管する課", "再掲"} <= set(headers)
    assert len(rows) == len(df) == 110
    assert rows == shown.to_numpy().tolist()
    assert repr(explored) == repr(kc.japanese(df))


def test_shares_are_percentages_and_departments_joined(df):
    headers, rows = table_of(kc.explore(kc.department_summary(df)))
    shares = [row[headers.index("構成比")] for row in rows]
    assert shares[0] == "21.2%" and all(share.endswith("%") for share in shares)
    co_managed = df[df["departments"].map(len) > 1]
    headers, rows = table_of(kc.explore(co_managed))
    cells = [row[headers.index("所管する課")] for row in rows]
    assert cells == ["、".join(names) for names in co_managed["departments"]]
    assert not any("(" in cell for cell in cells)  # no Python tuples


def test_a_named_index_is_shown(df):
    headers, rows = table_of(kc.explore(kc.department_summary(df)))
    assert headers[0] == "所管する課" and rows[0][0] == "市民協働推進課"


def test_nothing_is_fetched_from_the_network(df):
    html = kc.explore(df).html
    assert not re.search(r"""(src|href)=["']?https?://[^"' >]*\.(js|css)""", html)
    assert not re.search(r"""import[^;]*from\s*['"]https?://""", html)


def test_each_table_has_its_own_id_and_the_accessor_gives_the_same(df):
    first, second = kc.explore(df), df.kc.explore()
    ids = [re.search(r'<table id="(kcdata_table_\d+)"', t.html).group(1) for t in (first, second)]
    assert ids[0] != ids[1]
    assert table_of(first) == table_of(second)


def test_every_table_carries_the_library_and_aligns_text_left(df):
    # a table shown after the browser page was reloaded (same kernel) must still start
    first, second = kc.explore(df), kc.explore(df)
    assert "injectModule(" in first.html and "injectModule(" in second.html
    found = re.search(r"let dt_args = (\{.*?\n\s*\});", second.html, re.DOTALL)
    (left,) = json.loads(found.group(1))["columnDefs"]
    headers, _ = table_of(second)
    assert [headers[k] for k in left["targets"]] == [
        "基本方針名", "施策の方向性名", "事業名", "事業概要", "所管する課", "再掲"]
    assert left["className"] == "dt-left"

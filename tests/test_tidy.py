"""explode_departments: the listing-department table."""

from __future__ import annotations

import pandas as pd

from kcdata import explode_departments, parse_measures


def test_bundled_pairs(bundled):
    pairs = explode_departments(bundled)
    assert len(pairs) == 113
    assert pairs["department"].nunique() == 33
    assert "departments" not in pairs.columns
    assert pairs.set_index("line").loc[95, "department"].tolist() == ["緑と花の課", "内水整備課"]


def test_every_listing_kept_in_order(small_doc):
    df = parse_measures(small_doc)
    pairs = explode_departments(df)
    assert pairs["line"].tolist() == [7, 8, 10, 10, 13, 15, 19]
    assert pairs["department"].tolist() == ["乙課", "甲課", "甲課", "丙課", "丁課", "甲課", "乙課"]
    assert isinstance(pairs.index, pd.RangeIndex)


def test_input_not_modified(bundled):
    before = bundled.copy()
    explode_departments(bundled)
    pd.testing.assert_frame_equal(bundled, before)

"""Analyses: counts a careful reader gets by hand, on the bundled plan and small documents."""

from __future__ import annotations

import pandas as pd
import pytest

from kcdata import (
    concentration,
    department_matrix,
    department_recurrence,
    department_summary,
    duplicate_candidates,
    parse_measures,
    policy_summary,
    relisted_links,
)

from .conftest import doc

FUNCTIONS = [policy_summary, department_summary, department_matrix, department_recurrence,
             concentration, relisted_links, duplicate_candidates]


@pytest.mark.parametrize("function", FUNCTIONS)
def test_functions_do_not_modify_their_input(bundled, function):
    before = bundled.copy()
    function(bundled)
    pd.testing.assert_frame_equal(bundled, before)


def test_policy_summary_bundled(bundled):
    summary = policy_summary(bundled)
    assert summary.index.name == "policy_no"
    assert summary["listings"].sum() == 110
    assert summary["relisted"].tolist() == [0, 0, 0, 2]
    assert (summary["measures"] == summary["listings"] - summary["relisted"]).all()
    assert summary.loc[1, "listings"] == 12  # lines 10-19 and 24-25
    assert summary.loc[4, "policy"] == "多様な主体との連携促進"


def test_policy_summary_by_direction(bundled):
    summary = policy_summary(bundled, by="direction")
    assert summary.index.names == ["policy_no", "direction_no"]
    assert len(summary) == 10
    assert summary["listings"].sum() == 110
    assert summary.loc[(2, 3), "listings"] == 22  # lines 50-73 less two blank lines
    assert summary.loc[(4, 2), "relisted"] == 2


def test_policy_summary_rejects_unknown_by(bundled):
    with pytest.raises(ValueError, match="by must be"):
        policy_summary(bundled, by="department")


def test_department_summary_bundled(bundled):
    summary = department_summary(bundled)
    assert len(summary) == 33
    assert summary["listings"].sum() == 113
    assert summary["share"].sum() == pytest.approx(1.0)
    row = summary.loc["市民協働推進課"]
    assert (row["listings"], row["measures"], row["policies"]) == (24, 22, 4)
    assert summary.index[0] == "市民協働推進課"
    assert summary.loc["緑と花の課", "co_managed"] == 1
    assert summary.loc["内水整備課", ["listings", "co_managed"]].tolist() == [1, 1]
    assert summary["co_managed"].sum() == 6  # 3 co-managed listings x 2 departments
    ordered = list(zip(-summary["listings"], summary.index, strict=True))
    assert ordered == sorted(ordered)


def test_department_matrix_rows_sum_to_listings(bundled):
    matrix = department_matrix(bundled)
    summary = department_summary(bundled)
    assert list(matrix.index) == list(summary.index)
    assert list(matrix.columns) == [1, 2, 3, 4]
    assert (matrix.sum(axis=1) == summary["listings"]).all()
    assert (matrix.loc["市民協働推進課"] > 0).all()
    by_direction = department_matrix(bundled, by="direction")
    assert by_direction.shape == (33, 10)
    assert (by_direction.T.groupby(level=0).sum().T.values == matrix.values).all()


def test_recurrence_and_concentration(bundled):
    recurrence = department_recurrence(bundled)
    assert recurrence["departments"].sum() == 33
    assert (recurrence.index * recurrence["departments"]).sum() == 113
    summary = department_summary(bundled)
    assert recurrence.loc[1, "departments"] == (summary["listings"] == 1).sum()
    c = concentration(bundled)
    assert c["top3_share"] == pytest.approx((24 + 14 + 10) / 113)
    assert c["hhi"] == pytest.approx(((summary["listings"] / 113) ** 2).sum())
    assert 1 / 33 <= c["hhi"] <= 1


def test_relisted_links_bundled(bundled):
    links = relisted_links(bundled)
    assert links["measure"].tolist() == ["シビックテック推進事業", "地域コミュニティ活性化事業"]
    assert links[["original_policy_no", "original_direction_no"]].values.tolist() == [
        [3, 2], [3, 1]]
    assert links["original_line"].tolist() == [110, 80]
    assert links["consistent"].all()


def test_relisted_forward_missing_and_inconsistent():
    df = parse_measures(doc(
        "基本方針1 a", "施策の方向性(1) b",
        "【再掲】前の事業\t概要\t甲課",       # line 3: re-listed before its original
        "【再掲】ない事業\t概要\t甲課",       # line 4: no original anywhere
        "【再掲】違う事業\t別の概要\t甲課",   # line 5: original differs
        "施策の方向性(2) c",
        "前の事業\t概要\t甲課",               # line 7
        "違う事業\t概要\t乙課",               # line 8
    ))
    links = relisted_links(df).set_index("line")
    assert links.loc[3, "original_line"] == 7
    assert links.loc[3, "original_direction_no"] == 2
    assert bool(links.loc[3, "consistent"]) is True
    assert pd.isna(links.loc[4, "original_line"])
    assert pd.isna(links.loc[4, "original_policy_no"])
    assert bool(links.loc[4, "consistent"]) is False
    assert links.loc[5, "original_line"] == 8
    assert bool(links.loc[5, "consistent"]) is False
    assert links["original_line"].dtype == "Int64"


def test_relisted_consistency_uses_nfkc_keys_and_ignores_department_order():
    df = parse_measures(doc(
        "基本方針1 a", "施策の方向性(1) b",
        "ＩＣＴ事業\t（仮称）概要\t甲課 乙課",
        "【再掲】ICT事業\t(仮称)概要\t乙課 甲課",
    ))
    links = relisted_links(df)
    assert links["original_line"].tolist() == [3]
    assert links["consistent"].tolist() == [True]


def test_duplicate_candidates_bundled(bundled):
    candidates = duplicate_candidates(bundled)
    assert (candidates["kind"] == "unmarked").sum() == 0
    assert 1 <= len(candidates) <= 12
    pairs = {frozenset(p) for p in zip(candidates["measure"], candidates["other_measure"],
                                       strict=True)}
    assert frozenset({"かなざわコミュニティ防災士育成強化事業",
                      "かなざわコミュニティ防災士活用事業"}) in pairs
    assert (candidates["similarity"] >= 0.75).all()
    assert (candidates["line"] < candidates["other_line"]).all()
    # re-listed measures are not candidates: they are marked
    assert "シビックテック推進事業" not in set(candidates["measure"])


def test_duplicate_candidates_unmarked_and_similar():
    df = parse_measures(doc(
        "基本方針1 a", "施策の方向性(1) b",
        "同じ事業\t概要\t甲課",            # 3
        "地区公民館感染症防止対策事業\tx\t甲課",  # 4
        "基本方針2 c", "施策の方向性(1) d",
        "同じ 事業\t概要\t乙課",           # 7: same measure, no mark
        "地区児童館感染症防止対策事業\tx\t乙課",  # 8: similar name
        "まったく別のもの\tx\t乙課",        # 9
    ))
    candidates = duplicate_candidates(df)
    assert candidates["kind"].tolist() == ["unmarked", "similar"]
    assert candidates.iloc[0][["measure", "line", "other_line"]].tolist() == ["同じ事業", 3, 7]
    assert candidates.iloc[1][["line", "other_line"]].tolist() == [4, 8]
    assert 0.75 <= candidates.iloc[1]["similarity"] < 1
    assert duplicate_candidates(df, threshold=0.99)["kind"].tolist() == ["unmarked"]


def test_empty_candidates_have_the_columns():
    df = parse_measures(doc("基本方針1 a", "施策の方向性(1) b", "A\tx\t甲課"))
    out = duplicate_candidates(df)
    assert out.empty
    assert list(out.columns) == ["kind", "measure", "other_measure", "line", "other_line",
                                 "similarity"]
    assert relisted_links(df).empty


def test_plan_totals_count_measures_by_nfkc_key():
    from kcdata import plan_totals

    df = parse_measures(doc("基本方針1 a", "施策の方向性(1) b", "ＩＣＴ事業\tx\t甲課",
                            "ICT事業\tx\t乙課 甲課", "【再掲】ICT 事業\tx\t甲課"))
    totals = plan_totals(df)
    assert totals[["listings", "relisted", "measures", "departments", "pairs",
                   "co_managed"]].tolist() == [3, 1, 1, 2, 4, 1]

"""Plan comparison: compare_plans, its text summary and the ``kcdata diff`` command."""

from __future__ import annotations

import pandas as pd
import pytest

from kcdata import compare_plans, parse_measures, to_text
from kcdata.analysis.compare import (
    COMPARISON_COLUMNS,
    STATUSES,
    describe_changes,
    status_counts,
)
from kcdata.cli import main
from kcdata.paths import BUNDLED_DOCUMENT
from kcdata.text import nfkc_key
from kcdata.vocab import section_label

from .conftest import HEADER_ROW, doc

PLAN = doc(
    "基本方針1 方針一",
    "施策の方向性(1) 方向一",
    HEADER_ROW,
    "A事業\tAを支援\t甲課",
    "B事業\tBを支援\t乙課",
    "C事業\tCを支援\t丙課 丁課",
    "施策の方向性(2) 方向二",
    HEADER_ROW,
    "D事業\tDを支援\t甲課",
    "基本方針2 方針二",
    "施策の方向性(1) 方向三",
    HEADER_ROW,
    "E事業\tEを支援\t戊課",
    "【再掲】B事業\tBを支援\t乙課",
)


@pytest.fixture
def plan() -> pd.DataFrame:
    return parse_measures(PLAN)


def revised(df: pd.DataFrame) -> pd.DataFrame:
    """A table written as a document and read back, as a revised plan would be."""
    return parse_measures(to_text(df))


def row_of(result: pd.DataFrame, measure: str) -> pd.Series:
    rows = result[result["measure"] == measure]
    assert len(rows) == 1, f"{measure}: {len(rows)} rows"
    return rows.iloc[0]


def move(df: pd.DataFrame, measure: str, policy_no: int, direction_no: int) -> pd.DataFrame:
    """Move a measure's unmarked listing to another existing section (titles follow)."""
    out = df.copy()
    target = out[(out["policy_no"] == policy_no) & (out["direction_no"] == direction_no)].iloc[0]
    at = out.index[(out["measure"] == measure) & ~out["relisted"]]
    out.loc[at, ["policy_no", "policy", "direction_no", "direction"]] = [
        target["policy_no"], target["policy"], target["direction_no"], target["direction"]
    ]
    return out


# --- compare_plans: shape and conventions ---------------------------------------------


def test_self_comparison_is_all_unchanged(bundled):
    result = compare_plans(bundled, bundled)
    assert list(result.columns) == COMPARISON_COLUMNS
    assert len(result) == bundled.loc[~bundled["relisted"], "measure"].nunique()
    assert set(result["status"]) == {"unchanged"}
    assert result["changes"].map(len).eq(0).all()
    assert result["old_measure"].isna().all()
    assert result["measure"].is_unique


def test_self_comparison_of_a_rewritten_document_is_all_unchanged(bundled):
    result = compare_plans(bundled, revised(bundled))
    assert set(result["status"]) == {"unchanged"}


def test_dtypes_and_missing_values(plan):
    new = revised(plan[plan["measure"] != "D事業"])
    result = compare_plans(plan, new)
    for side in ("old", "new"):
        assert result[f"{side}_policy_no"].dtype == "Int64"
        assert result[f"{side}_direction_no"].dtype == "Int64"
    d = row_of(result, "D事業")
    assert pd.isna(d["new_policy_no"]) and pd.isna(d["new_direction_no"])
    assert pd.isna(d["new_summary"]) and pd.isna(d["new_departments"])
    assert (d["old_policy_no"], d["old_direction_no"]) == (1, 2)
    assert d["old_departments"] == ("甲課",)


def test_inputs_are_not_modified(plan):
    new = move(plan, "A事業", 2, 1)
    before_old, before_new = plan.copy(deep=True), new.copy(deep=True)
    compare_plans(plan, new)
    pd.testing.assert_frame_equal(plan, before_old)
    pd.testing.assert_frame_equal(new, before_new)


def test_missing_columns_are_rejected(plan):
    with pytest.raises(ValueError, match="new plan needs the columns"):
        compare_plans(plan, plan.drop(columns=["summary"]))


# --- each status -------------------------------------------------------------------------


def test_added(plan):
    extra = plan.iloc[[0]].assign(measure="F事業", summary="Fを新設", departments=[("己課",)])
    result = compare_plans(plan, revised(pd.concat([plan, extra], ignore_index=True)))
    f = row_of(result, "F事業")
    assert f["status"] == "added"
    assert f["changes"] == ()
    assert pd.isna(f["old_measure"]) and pd.isna(f["old_policy_no"])
    assert (f["new_policy_no"], f["new_direction_no"]) == (1, 1)
    assert (result["status"] == "unchanged").sum() == len(result) - 1


def test_removed(plan):
    result = compare_plans(plan, revised(plan[plan["measure"] != "A事業"]))
    a = row_of(result, "A事業")
    assert a["status"] == "removed"
    assert a["changes"] == ()
    assert a["old_summary"] == "Aを支援"
    assert (result["status"] == "unchanged").sum() == len(result) - 1


def test_renamed_with_summary_kept(plan):
    new = plan.assign(measure=plan["measure"].replace("C事業", "新C事業"))
    result = compare_plans(plan, revised(new))
    c = row_of(result, "新C事業")
    assert c["status"] == "renamed"
    assert c["old_measure"] == "C事業"
    assert c["changes"] == ()
    assert "C事業" not in set(result["measure"])
    assert len(result) == len(compare_plans(plan, plan))


def test_renamed_summary_matches_by_nfkc_key(plan):
    new = plan.copy()
    at = new.index[new["measure"] == "C事業"]
    new.loc[at, ["measure", "summary"]] = ["新C事業", "Ｃを支援"]
    c = row_of(compare_plans(plan, new), "新C事業")
    assert c["status"] == "renamed"
    assert c["changes"] == ()


def test_renamed_and_moved_names_the_move(plan):
    new = move(plan, "A事業", 2, 1)
    new["measure"] = new["measure"].replace("A事業", "A推進事業")
    a = row_of(compare_plans(plan, revised(new)), "A推進事業")
    assert a["status"] == "renamed"
    assert a["changes"] == ("location",)
    assert (a["old_policy_no"], a["new_policy_no"]) == (1, 2)


def test_renamed_and_given_another_department(plan):
    new = plan.copy()
    at = new.index[new["measure"] == "D事業"]
    new.loc[at, "measure"] = "D推進事業"
    new.loc[at, "departments"] = pd.Series([("己課",)], index=at)
    d = row_of(compare_plans(plan, revised(new)), "D推進事業")
    assert d["status"] == "renamed"
    assert d["changes"] == ("departments",)


def test_a_new_name_with_a_new_summary_is_removed_and_added(plan):
    new = plan.copy()
    at = new.index[new["measure"] == "A事業"]
    new.loc[at, ["measure", "summary"]] = ["Z事業", "Zを支援"]
    result = compare_plans(plan, revised(new))
    assert row_of(result, "Z事業")["status"] == "added"
    assert row_of(result, "A事業")["status"] == "removed"


def test_empty_summaries_never_pair_as_renames():
    old = parse_measures(doc("基本方針1 方針", "施策の方向性(1) 方向", "A事業\t\t甲課"))
    new = parse_measures(doc("基本方針1 方針", "施策の方向性(1) 方向", "B事業\t\t甲課"))
    result = compare_plans(old, new)
    assert result.set_index("measure")["status"].to_dict() == {"B事業": "added", "A事業": "removed"}


def test_shared_summaries_pair_in_document_order():
    head = ("基本方針1 方針", "施策の方向性(1) 方向")
    old = parse_measures(doc(*head, "A事業\t同じ\t甲課", "B事業\t同じ\t乙課", "C事業\t同じ\t丙課"))
    new = parse_measures(doc(*head, "X事業\t同じ\t甲課", "Y事業\t同じ\t乙課"))
    result = compare_plans(old, new)
    rows = [
        [r.measure, r.old_measure if isinstance(r.old_measure, str) else None, r.status]
        for r in result.itertuples()
    ]
    assert rows == [
        ["X事業", "A事業", "renamed"],
        ["Y事業", "B事業", "renamed"],
        ["C事業", None, "removed"],
    ]


def test_changed_summary(plan):
    new = plan.assign(summary=plan["summary"].replace("Bを支援", "Bを拡充して支援"))
    b = row_of(compare_plans(plan, revised(new)), "B事業")
    assert b["status"] == "changed"
    assert b["changes"] == ("summary",)
    assert (b["old_summary"], b["new_summary"]) == ("Bを支援", "Bを拡充して支援")


def test_changed_departments(plan):
    new = plan.copy()
    new["departments"] = new["departments"].map(lambda d: ("己課",) if d == ("甲課",) else d)
    result = compare_plans(plan, revised(new))
    changed = result[result["status"] == "changed"]
    assert set(changed["measure"]) == {"A事業", "D事業"}
    assert all(c == ("departments",) for c in changed["changes"])
    assert row_of(result, "A事業")["new_departments"] == ("己課",)


def test_department_order_and_width_do_not_count(plan):
    new = plan.copy()
    new["departments"] = new["departments"].map(lambda d: tuple(reversed(d)))
    new["summary"] = new["summary"].str.replace("A", "Ａ")
    assert set(compare_plans(plan, new)["status"]) == {"unchanged"}


def test_departments_may_be_strings(plan):
    new = plan.assign(departments=plan["departments"].map(" ".join))
    assert set(compare_plans(plan, new)["status"]) == {"unchanged"}


def test_moved(plan):
    b = row_of(compare_plans(plan, revised(move(plan, "A事業", 1, 2))), "A事業")
    assert b["status"] == "changed"
    assert b["changes"] == ("location",)
    assert (b["old_direction_no"], b["new_direction_no"]) == (1, 2)


def test_moved_and_reworded(plan):
    new = move(plan, "C事業", 2, 1)
    new["summary"] = new["summary"].replace("Cを支援", "Cを重点的に支援")
    c = row_of(compare_plans(plan, revised(new)), "C事業")
    assert c["status"] == "changed"
    assert c["changes"] == ("location", "summary")
    assert section_label(c["old_policy_no"], c["old_direction_no"]) == "1-(1)"
    assert section_label(c["new_policy_no"], c["new_direction_no"]) == "2-(1)"


def test_names_match_by_nfkc_key(plan):
    new = plan.assign(measure=plan["measure"].replace("A事業", "Ａ 事業"))
    result = compare_plans(plan, new)
    a = row_of(result, "Ａ 事業")
    assert a["status"] == "unchanged"
    assert a["old_measure"] == "A事業"
    assert nfkc_key([a["measure"]])[0] == nfkc_key([a["old_measure"]])[0]


# --- 【再掲】 ----------------------------------------------------------------------------


def test_relistings_are_folded_into_their_measure(plan):
    result = compare_plans(plan, plan)
    assert len(result) == plan.loc[~plan["relisted"], "measure"].nunique()
    b = row_of(result, "B事業")
    assert (b["new_policy_no"], b["new_direction_no"]) == (1, 1)


def test_a_relisting_before_its_measure_does_not_locate_it(small_doc):
    small = parse_measures(small_doc)
    mark = small[small["relisted"]].iloc[0]
    listing = small[(small["measure"] == mark["measure"]) & ~small["relisted"]].iloc[0]
    assert mark["line"] < listing["line"]
    result = compare_plans(small, small)
    row = row_of(result, mark["measure"])
    assert (row["new_policy_no"], row["new_direction_no"]) == (
        listing["policy_no"], listing["direction_no"]
    )
    assert result["measure"].tolist() == small.loc[~small["relisted"], "measure"].tolist()
    without_mark = revised(small[~small["relisted"]])
    assert set(compare_plans(small, without_mark)["status"]) == {"unchanged"}


def test_adding_or_dropping_a_relisting_is_no_change(plan):
    relisting = plan[plan["measure"] == "A事業"].assign(relisted=True, policy_no=2, direction_no=1)
    more = revised(pd.concat([plan, relisting], ignore_index=True))
    fewer = revised(plan[~plan["relisted"]])
    assert set(compare_plans(plan, more)["status"]) == {"unchanged"}
    assert set(compare_plans(plan, fewer)["status"]) == {"unchanged"}


def test_moving_the_unmarked_listing_is_a_move_of_the_measure(plan):
    b = row_of(compare_plans(plan, revised(move(plan, "B事業", 1, 2))), "B事業")
    assert b["changes"] == ("location",)
    assert (b["new_policy_no"], b["new_direction_no"]) == (1, 2)


def test_a_measure_listed_only_as_relisted_is_located_at_its_mark(plan):
    only_relisted = plan[~((plan["measure"] == "B事業") & ~plan["relisted"])]
    result = compare_plans(plan, revised(only_relisted))
    b = row_of(result, "B事業")
    assert b["status"] == "changed"
    assert b["changes"] == ("location",)
    mark = plan[plan["relisted"]].iloc[0]
    assert (b["new_policy_no"], b["new_direction_no"]) == (mark["policy_no"], mark["direction_no"])
    # and the other way round: the unmarked listing coming back moves it back
    assert row_of(compare_plans(revised(only_relisted), plan), "B事業")["changes"] == (
        "location",
    )


def test_a_measure_is_removed_only_with_its_relistings(plan):
    both_gone = revised(plan[plan["measure"] != "B事業"])
    assert row_of(compare_plans(plan, both_gone), "B事業")["status"] == "removed"


# --- order ---------------------------------------------------------------------------------


def test_rows_follow_the_new_plan_then_removed_in_old_order(plan):
    new = plan[~plan["measure"].isin(["A事業", "C事業"])]
    new = revised(new.iloc[::-1])  # the same sections, rows reversed within each
    result = compare_plans(plan, new)
    kept = new.loc[~new["relisted"], "measure"].tolist()
    assert result["measure"].tolist() == [*kept, "A事業", "C事業"]


# --- the Done-when scenario on the bundled plan -----------------------------------------


def done_when_revision(old: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, tuple[str, tuple]]]:
    """One measure removed, one added, one renamed (summary kept), one re-worded,
    one given another department and one moved to another section."""
    plain = old[~old["relisted"]]
    names = plain["measure"].tolist()
    renamed, removed, redepartment, reworded, moved = (names[i] for i in (1, 2, 5, 10, 12))
    new = old[old["measure"] != removed].copy()
    new["measure"] = new["measure"].replace(renamed, renamed + "(改称)")
    at = new.index[new["measure"] == reworded]
    new.loc[at, "summary"] = new.loc[at, "summary"] + "。新たに周知を強化"
    at = new.index[new["measure"] == redepartment]
    new.loc[at, "departments"] = pd.Series([("新設課",)], index=at)
    source = plain.loc[plain["measure"] == moved].iloc[0]
    elsewhere = plain[plain["policy_no"] != source["policy_no"]].iloc[-1]
    new = move(new, moved, int(elsewhere["policy_no"]), int(elsewhere["direction_no"]))
    added = elsewhere.to_frame().T.assign(
        measure="地域デジタル回覧板導入事業", summary="町会の回覧板の電子化を支援",
        departments=[("市民協働推進課",)], relisted=False,
    )
    new = pd.concat([new, added], ignore_index=True)
    expected = {
        removed: ("removed", ()),
        renamed + "(改称)": ("renamed", ()),
        reworded: ("changed", ("summary",)),
        redepartment: ("changed", ("departments",)),
        moved: ("changed", ("location",)),
        "地域デジタル回覧板導入事業": ("added", ()),
    }
    return revised(new), expected


def test_done_when_scenario(bundled):
    new, expected = done_when_revision(bundled)
    result = compare_plans(bundled, new)
    report = {
        r.measure: (r.status, r.changes)
        for r in result.itertuples()
        if r.status != "unchanged"
    }
    assert report == expected
    assert len(result) == bundled.loc[~bundled["relisted"], "measure"].nunique() + 1
    renamed = result[result["status"] == "renamed"].iloc[0]
    assert renamed["measure"] == renamed["old_measure"] + "(改称)"
    counts = status_counts(result)
    assert counts.index.tolist() == list(STATUSES)
    assert counts.drop("unchanged").tolist() == [1, 1, 1, 3, 0]  # none only renumbered
    assert counts["unchanged"] == len(result) - 6


# --- text summary --------------------------------------------------------------------------


def test_describe_changes_lists_every_changed_measure(bundled):
    new, expected = done_when_revision(bundled)
    lines = describe_changes(compare_plans(bundled, new))
    assert len(lines) == len(expected)
    for name, (status, changes) in expected.items():
        line = next(x for x in lines if name in x)
        assert line.startswith(status)
        for change in changes:
            assert change in line


def test_section_label():
    assert section_label(3, 2) == "3-(2)"
    assert section_label(pd.NA, 2) == ""


# --- kcdata diff ----------------------------------------------------------------------------


@pytest.fixture
def revision_files(tmp_path, bundled):
    new, expected = done_when_revision(bundled)
    path = tmp_path / "revised.txt"
    path.write_text(to_text(new), encoding="utf-8")
    return BUNDLED_DOCUMENT, path, expected


def test_diff_prints_counts_and_changed_measures(revision_files, capsys):
    old, new, expected = revision_files
    assert main(["diff", str(old), str(new)]) == 0
    out = capsys.readouterr().out.splitlines()
    counts = compare_plans(parse_measures(old.read_text("utf-8")),
                           parse_measures(new.read_text("utf-8")))["status"].value_counts()
    for status in STATUSES:
        assert f"{counts.get(status, 0)} {status}" in out[0]
    assert len(out) == 1 + len(expected)
    for name in expected:
        assert any(name in line for line in out[1:])


def test_diff_of_a_plan_with_itself(capsys):
    assert main(["diff", str(BUNDLED_DOCUMENT), str(BUNDLED_DOCUMENT)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 1
    assert "0 added, 0 removed, 0 renamed, 0 changed" in out[0]


@pytest.mark.parametrize("bad_side", ["old", "new"])
def test_diff_bad_input_exits_2_with_source_and_line(tmp_path, bad_side, capsys):
    bad = tmp_path / "bad.txt"
    bad.write_text(doc("基本方針1 方針", "施策の方向性(1) 方向", "A事業\t概要"), encoding="utf-8")
    files = [str(BUNDLED_DOCUMENT), str(bad)]
    if bad_side == "old":
        files.reverse()
    out_file = tmp_path / "diff.xlsx"
    assert main(["diff", *files, "--out", str(out_file)]) == 2
    captured = capsys.readouterr()
    assert captured.err.startswith(f"{bad}:3: expected 3 tab-separated fields")
    assert "Traceback" not in captured.err
    assert not out_file.exists()


def test_diff_missing_file_exits_2(tmp_path, capsys):
    missing = tmp_path / "missing.txt"
    assert main(["diff", str(BUNDLED_DOCUMENT), str(missing)]) == 2
    assert capsys.readouterr().err.startswith(f"{missing}: cannot read")


def test_a_new_first_policy_renumbers_sections_and_changes_nothing_else(bundled, tmp_path):
    # Issue 22: inserting a 基本方針 at the front made diff report "108 changed".
    import openpyxl

    from kcdata.analysis.sections import renumbering_table
    from kcdata.outputs.comparison_workbook import RENUMBERING_SHEET, write_comparison_workbook

    shifted = bundled.copy()
    shifted["policy_no"] = shifted["policy_no"] + 1
    new_policy = bundled.iloc[[0]].assign(policy_no=1, policy="新しい基本方針",
                                          measure="新設の事業", relisted=False)
    new = pd.concat([new_policy, shifted], ignore_index=True)
    result = compare_plans(bundled, new)
    counts = status_counts(result)
    measures = bundled.loc[~bundled["relisted"], "measure"].nunique()
    assert counts["renumbered"] == measures and counts["changed"] == 0
    assert counts["added"] == 1
    table = renumbering_table(result)
    sections = bundled.drop_duplicates(["policy_no", "direction_no"])
    assert len(table) == len(sections) and table["measures"].sum() == measures
    assert (table.iloc[0]["old_section"], table.iloc[0]["new_section"]) == ("1-(1)", "2-(1)")
    lines = describe_changes(result)
    assert lines[0].startswith("renumbered 1-(1) -> 2-(1)")
    assert sum(line.startswith("renumbered") for line in lines) == len(sections)  # once each
    path = tmp_path / "diff.xlsx"
    write_comparison_workbook(result, path, changed_only=True)
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames[0] == RENUMBERING_SHEET
    assert [c.value for c in wb[RENUMBERING_SHEET][1]] == ["旧の番号", "新の番号", "事業数"]
    assert wb["新旧対照表"].max_row == 1 + 1  # only the added measure: the rest renumbered


def test_a_measure_removed_from_a_renumbered_section_is_removed_not_a_crash():
    old = parse_measures("基本方針1 地域\n施策の方向性(1) 理解\n事業名\t事業概要\t所管する課\n"
                         "A事業\t概要\t甲課\nB事業\tB概要\t乙課\nC事業\tC概要\t丙課\n")
    new = parse_measures("基本方針1 新\n施策の方向性(1) 新\n事業名\t事業概要\t所管する課\n"
                         "X事業\t\t甲課\n基本方針2 地域\n施策の方向性(1) 理解\n"
                         "事業名\t事業概要\t所管する課\nA事業\t概要\t甲課\nB事業\tB概要\t乙課\n")
    table = compare_plans(old, new)
    status = dict(zip(table["measure"], table["status"], strict=True))
    assert status == {"X事業": "added", "A事業": "renumbered", "B事業": "renumbered",
                      "C事業": "removed"}

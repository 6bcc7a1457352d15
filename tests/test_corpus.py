"""A corpus of plans: read_plans, the plan level of every analysis, duplicate candidates
that scale (checked against all-pairs loops), renames without summaries, editions."""

from __future__ import annotations

import difflib
import itertools
import random
import re
import sys
import warnings

import pandas as pd
import pytest

import kcdata
from kcdata import (
    combine_plans,
    compare_editions,
    compare_plans,
    department_presence,
    department_summary,
    duplicate_candidates,
    parse_measures,
    plan_summary,
    policy_summary,
    read_plans,
    to_text,
)
from kcdata.analysis.similarity import SIMILARITY_THRESHOLD
from kcdata.outputs import chart_data
from kcdata.paths import BUNDLED_DOCUMENT, PROJECT_ROOT
from kcdata.text import nfkc_key

from .conftest import HEADER_ROW, doc

OTHER = doc(
    "基本方針1 まちの安全",
    "施策の方向性(1) 防災",
    HEADER_ROW,
    "防災訓練の実施\t訓練\t危機管理課",
    "防災士の育成\t\t危機管理課 市民協働推進課",
    "施策の方向性(2) 防犯",
    HEADER_ROW,
    "防犯灯の設置\t\t市民協働推進課",
    "【再掲】防災訓練の実施\t訓練\t危機管理課",
)


# --- the old duplicate_candidates, kept here to check the new one against ------------

_GENERIC_SUFFIX = re.compile(r"(事業費|事業|費)$")


def difflib_ratio(a: str, b: str) -> float:
    """The measure duplicate_candidates used before 2026-11."""
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def lcs_length(a: str, b: str) -> int:
    """Longest common subsequence of two strings, by the textbook dynamic programme."""
    row = [0] * (len(b) + 1)
    for x in a:
        diagonal = 0
        for k, y in enumerate(b, start=1):
            diagonal, row[k] = row[k], diagonal + 1 if x == y else max(row[k], row[k - 1])
    return row[-1]


def indel_similarity(a: str, b: str) -> float:
    """The documented measure, 2*LCS/(a+b), as rapidfuzz computes it (1 - distance/(a+b))."""
    from rapidfuzz.distance import Indel

    return Indel.normalized_similarity(a, b)


def old_duplicate_candidates(df: pd.DataFrame, threshold: float = SIMILARITY_THRESHOLD,
                             score=difflib_ratio):
    """The all-pairs implementation duplicate_candidates had before the corpus work
    (``score`` the name similarity: difflib's ratio then, the Indel similarity now)."""
    keyed = df.assign(key=nfkc_key(df["measure"]))
    unmarked = keyed[~keyed["relisted"]]
    rows = []
    firsts = unmarked.drop_duplicates("key")
    first_of = dict(zip(firsts["key"], zip(firsts["measure"], firsts["line"], strict=True),
                        strict=True))
    for row in unmarked[unmarked.duplicated("key")].itertuples(index=False):
        measure, line = first_of[row.key]
        rows.append({"kind": "unmarked", "measure": measure, "other_measure": row.measure,
                     "line": line, "other_line": row.line, "similarity": 1.0})
    cores = [_GENERIC_SUFFIX.sub("", key) for key in firsts["key"]]
    for (i, a), (j, b) in itertools.combinations(enumerate(cores), 2):
        ratio = score(a, b)
        if ratio >= threshold:
            rows.append({"kind": "similar",
                         "measure": firsts["measure"].iloc[i], "line": firsts["line"].iloc[i],
                         "other_measure": firsts["measure"].iloc[j],
                         "other_line": firsts["line"].iloc[j], "similarity": round(ratio, 3)})
    columns = ["kind", "measure", "other_measure", "line", "other_line", "similarity"]
    out = pd.DataFrame(rows, columns=columns).astype(
        {"kind": "str", "measure": "str", "other_measure": "str", "line": "int64",
         "other_line": "int64", "similarity": "float64"}
    )
    order = out["kind"].map({"unmarked": 0, "similar": 1})
    out = out.assign(_order=order).sort_values(
        ["_order", "similarity", "line"], ascending=[True, False, True], kind="stable"
    )
    return out.drop(columns="_order").reset_index(drop=True)


def test_duplicate_candidates_equal_the_old_difflib_loop_on_the_bundled_plan(bundled):
    new = duplicate_candidates(bundled)
    old = old_duplicate_candidates(bundled)  # difflib's ratio, as before 2026-11
    assert len(old) > 0
    pd.testing.assert_frame_equal(new, old)


@pytest.mark.parametrize("threshold", [0.6, 0.7, 0.75])
def test_the_measure_change_moves_no_pair_of_the_bundled_plan(bundled, threshold):
    # difflib's ratio and the Indel similarity agree on every pair of the bundled plan
    # down to 0.6, so the change of measure is invisible there (columns, pairs, scores)
    pd.testing.assert_frame_equal(
        old_duplicate_candidates(bundled, threshold, score=indel_similarity),
        old_duplicate_candidates(bundled, threshold, score=difflib_ratio))


def test_the_similarity_is_twice_the_lcs_over_the_lengths():
    rng = random.Random(7)
    parts = ["地域", "地区", "公民館", "児童館", "防災", "交流", "支援", "の", "a", "ア"]
    for _ in range(300):
        a = "".join(rng.choices(parts, k=rng.randint(0, 5)))
        b = "".join(rng.choices(parts, k=rng.randint(0, 5)))
        expected = 1.0 if not a and not b else 2 * lcs_length(a, b) / (len(a) + len(b))
        assert indel_similarity(a, b) == pytest.approx(expected, abs=1e-12)
        assert difflib_ratio(a, b) <= indel_similarity(a, b) + 1e-12  # never below difflib
    assert lcs_length("地区児童館感染症防止対策", "地区公民館感染症防止対策") == 10


@pytest.mark.parametrize("threshold", [0.5, 0.6, 0.75, 0.9, 1.0])
def test_duplicate_candidates_equal_the_all_pairs_loop_on_random_names(threshold):
    rng = random.Random(threshold)
    parts = ["地域", "地区", "公民館", "児童館", "防災", "防災士", "交流", "事業", "支援",
             "推進", "費", "a", "ア", "の"]
    names = ["".join(rng.choices(parts, k=rng.randint(1, 4))) for _ in range(150)]
    names = [n for n in names if n != "事業"]  # a header word, never a listing
    names += ["費", "事業費", "費"]  # empty cores
    rows = "".join(f"{n}\t\t甲課\n" for n in names)
    df = parse_measures("基本方針1 a\n施策の方向性(1) b\n" + rows)
    expected = old_duplicate_candidates(df, threshold, score=indel_similarity)
    assert (expected["kind"] == "similar").any()
    pd.testing.assert_frame_equal(duplicate_candidates(df, threshold), expected)


def test_duplicate_candidates_equal_the_all_pairs_loop_in_a_generated_corpus():
    sys.path.insert(0, str(PROJECT_ROOT / "benchmarks"))
    try:
        import corpus_gen
    finally:
        sys.path.remove(str(PROJECT_ROOT / "benchmarks"))
    rng = random.Random(3)
    pool = corpus_gen.measure_pool(400, rng)
    plans = {}
    for k in range(6):
        table = corpus_gen.plan_table(rng, pool, 80)
        plans[f"計画{k}"] = parse_measures(kcdata.to_text(table))
    corpus = combine_plans(plans)
    expected = pd.concat(
        [old_duplicate_candidates(plan, score=indel_similarity).assign(plan=name)
         for name, plan in plans.items()], ignore_index=True)
    expected = expected[["plan", *expected.columns[:-1]]].astype({"plan": "str"})
    assert (expected["kind"] == "similar").sum() >= 6
    pd.testing.assert_frame_equal(duplicate_candidates(corpus), expected)


def test_duplicate_candidates_in_a_corpus_stay_within_each_plan(bundled):
    corpus = combine_plans({"A": bundled, "B": bundled})
    out = duplicate_candidates(corpus)
    assert out.columns[0] == "plan"
    single = duplicate_candidates(bundled)
    assert len(out) == 2 * len(single)  # the same measures in two plans are not duplicates
    pd.testing.assert_frame_equal(out[out["plan"] == "B"].drop(columns="plan")
                                  .reset_index(drop=True), single)


# --- read_plans ---------------------------------------------------------------------


KANAZAWA_TITLE = kcdata.get_layout("kanazawa").title  # the kanazawa layout names its plan
GENERIC = doc(
    "○○市 市民協働推進プラン",
    "基本目標1 つながるまち",
    "施策(1) 参加の促進",
    "事業名\t内容\t担当課",
    "町会加入促進事業\t\t市民協働推進課、広報広聴課",
)


def test_read_plans_from_a_mapping_a_list_and_a_folder(tmp_path, bundled):
    (tmp_path / "b_other.txt").write_text(OTHER, encoding="utf-8")
    (tmp_path / "a_bundled.txt").write_text(BUNDLED_DOCUMENT.read_text(encoding="utf-8"),
                                            encoding="utf-8")
    (tmp_path / "c_generic.txt").write_text(GENERIC, encoding="utf-8")
    (tmp_path / "notes.md").write_text("not a plan", encoding="utf-8")
    by_folder = read_plans(tmp_path)
    assert list(by_folder.columns[:2]) == ["plan", "policy_no"]
    # named by title; the built-in layout's title is the bundled plan's only (its own
    # front line says so): a document without a title of its own is named by its file
    assert list(pd.unique(by_folder["plan"])) == [
        KANAZAWA_TITLE, "b_other", "○○市市民協働推進プラン"]
    assert len(by_folder) == 110 + 4 + 1
    assert [r.layout for r in by_folder.attrs["plans"]] == ["kanazawa", "kanazawa", "generic"]
    assert [r.levels for r in by_folder.attrs["plans"]][2] == ("基本目標", "施策")
    generic = by_folder[by_folder["plan"] == "○○市市民協働推進プラン"]
    assert generic["departments"].tolist() == [("市民協働推進課", "広報広聴課")]
    named = read_plans({"金沢": tmp_path / "a_bundled.txt", "他市": tmp_path / "b_other.txt"})
    assert list(pd.unique(named["plan"])) == ["金沢", "他市"]
    listed = read_plans([tmp_path / "b_other.txt"])
    assert set(listed["plan"]) == {"b_other"}
    pd.testing.assert_frame_equal(
        named[named["plan"] == "金沢"].drop(columns="plan").reset_index(drop=True),
        bundled, check_like=False,
    )
    assert [r.plan for r in named.attrs["plans"]] == ["金沢", "他市"]


def test_read_plans_collects_a_bad_document_and_warns(tmp_path):
    (tmp_path / "good.txt").write_text(OTHER, encoding="utf-8")
    (tmp_path / "bad.txt").write_text("基本方針1 a\n施策の方向性(1) b\nA\tB\n", encoding="utf-8")
    with pytest.warns(kcdata.CorpusWarning, match=r"bad\.txt:3: .*skipped") as record:
        corpus = read_plans(tmp_path)
    assert record[0].message.line == 3
    assert set(corpus["plan"]) == {"good"}
    [(source, line, reason)] = corpus.attrs["errors"]
    assert source.endswith("bad.txt") and line == 3 and reason
    assert issubclass(kcdata.CorpusWarning, UserWarning)


def test_read_plans_raise_names_the_document(tmp_path):
    (tmp_path / "bad.txt").write_text("基本方針1 a\n施策の方向性(1) b\nA\tB\n", encoding="utf-8")
    with pytest.raises(kcdata.ParseError) as err:
        read_plans([tmp_path / "bad.txt"], errors="raise")
    assert err.value.source.endswith("bad.txt") and err.value.line == 3
    with pytest.raises(ValueError, match="errors must be"):
        read_plans([tmp_path / "bad.txt"], errors="ignore")


def test_read_plans_missing_file_is_collected(tmp_path):
    with pytest.warns(kcdata.CorpusWarning, match="cannot read"):
        corpus = read_plans([tmp_path / "missing.txt"])
    assert corpus.empty and len(corpus.attrs["errors"]) == 1


def test_repeated_titles_or_stems_become_unique(tmp_path):
    for folder in ("x", "y"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "plan.txt").write_text(OTHER, encoding="utf-8")
    corpus = read_plans([tmp_path / "x" / "plan.txt", tmp_path / "y" / "plan.txt"])
    assert list(pd.unique(corpus["plan"])) == ["plan (plan)", "plan (plan) 2"]


# --- analyses on a corpus -----------------------------------------------------------


@pytest.fixture
def corpus(bundled) -> pd.DataFrame:
    return combine_plans({"金沢": bundled, "他市": parse_measures(OTHER)})


#: Every analysis that takes a corpus, by name (with its keyword arguments, if any).
ANALYSES = {
    "policy_summary": policy_summary,
    "policy_summary by direction": lambda df: policy_summary(df, by="direction"),
    "department_summary": department_summary,
    "department_matrix": kcdata.department_matrix,
    "department_matrix by direction": lambda df: kcdata.department_matrix(df, by="direction"),
    "department_recurrence": kcdata.department_recurrence,
    "concentration": kcdata.concentration,
    "relisted_links": kcdata.relisted_links,
    "duplicate_candidates": duplicate_candidates,
    "plan_totals": kcdata.plan_totals,
    "plan_summary": plan_summary,
    "department_presence": department_presence,
}


@pytest.mark.parametrize("name", ANALYSES)
def test_a_corpus_of_one_plan_has_the_shape_of_the_corpus(corpus, name):
    analysis = ANALYSES[name]
    first = corpus["plan"].iloc[0]
    whole, one = analysis(corpus), analysis(corpus[corpus["plan"] == first])
    assert type(one) is type(whole) is pd.DataFrame
    assert one.index.names == whole.index.names
    assert one.columns.names == whole.columns.names
    if name == "department_presence":  # one column per plan
        assert list(one.columns) == [first] and list(whole.columns) == [first, "他市"]
    else:  # (the matrices: 金沢 has every section number the corpus has)
        assert list(one.columns) == list(whole.columns)
        assert one.dtypes.tolist() == whole.dtypes.tolist()


@pytest.mark.parametrize("name", ANALYSES)
def test_each_plan_of_a_corpus_gets_its_one_plan_result(corpus, bundled, name):
    analysis = ANALYSES[name]
    alone = analysis(bundled)
    whole = analysis(corpus)
    if name == "plan_summary":  # one row per plan, with or without a plan column
        assert whole.loc["金沢"].tolist() == alone.iloc[0].tolist()
    elif name == "department_presence":  # one column per plan
        mine = whole.loc[whole["金沢"] > 0, "金沢"].sort_index()
        assert mine.to_dict() == alone.iloc[:, 0].sort_index().to_dict()
    elif isinstance(alone, pd.Series):  # one row per plan
        pd.testing.assert_series_equal(whole.loc["金沢"], alone, check_names=False)
    elif "plan" in whole.columns:  # a list of rows: plan is its first column
        mine = whole[whole["plan"] == "金沢"].drop(columns="plan").reset_index(drop=True)
        pd.testing.assert_frame_equal(mine, alone, check_column_type=False)
    else:  # an index: plan is its outermost level
        pd.testing.assert_frame_equal(whole.loc["金沢"], alone.reindex(columns=whole.columns))


def test_analyses_of_a_corpus_without_plans_have_the_shape_of_a_corpus(corpus):
    empty = corpus.iloc[:0]
    for name, analysis in ANALYSES.items():
        result, full = analysis(empty), analysis(corpus)
        assert result.empty and result.index.names == full.index.names, name
        if name not in ("department_presence", "department_matrix",
                        "department_matrix by direction"):  # columns from the data
            assert list(result.columns) == list(full.columns), name


def test_per_plan_runs_any_one_plan_analysis(corpus, bundled):
    def sizes(table: pd.DataFrame) -> pd.Series:
        assert "plan" not in table.columns  # each plan's rows, as one plan
        return pd.Series({"listings": len(table), "policies": table["policy_no"].nunique()})

    assert kcdata.per_plan(sizes)(corpus).to_dict("index") == {
        "金沢": {"listings": 110, "policies": 4}, "他市": {"listings": 4, "policies": 1}}
    assert corpus.kc.per_plan(sizes).equals(corpus.pipe(kcdata.per_plan(sizes)))
    assert kcdata.per_plan(sizes)(bundled).to_dict() == {"listings": 110, "policies": 4}
    # rows (an index without a name): plan is the first column, rows numbered afresh
    first_rows = kcdata.per_plan(lambda t, n: t[["measure"]].head(n))(corpus, 2)
    assert list(first_rows.columns) == ["plan", "measure"]
    assert list(first_rows.index) == [0, 1, 2, 3]
    # keys (an index with a name): plan is the outermost level
    by_line = kcdata.per_plan(lambda t: t.set_index("line")[["measure"]].head(2))(corpus)
    assert by_line.index.names == ["plan", "line"] and len(by_line) == 4


def test_the_outputs_of_one_plan_take_a_corpus_of_one_plan(corpus, bundled):
    one = corpus[corpus["plan"] == "金沢"]
    tables = kcdata.summary_tables(one)
    for name, table in kcdata.summary_tables(bundled).items():
        expected = table.assign(plan="金沢")[tables[name].columns] if name == "事業一覧" else table
        pd.testing.assert_frame_equal(tables[name].reset_index(drop=True),
                                      expected.reset_index(drop=True), check_dtype=False)
    with pytest.raises(ValueError, match="a table of 2 plans"):
        kcdata.summary_tables(corpus)
    for name in ("policy_listings_data", "department_listings_data", "department_policy_data",
                 "cross_cutting_data", "relisted_links_data", "relisted_sections_data",
                 "theme_policy_data"):
        draw = getattr(chart_data, name)  # what each chart of one plan draws
        pd.testing.assert_frame_equal(draw(one), draw(bundled), obj=name)


def test_summaries_gain_a_plan_level(corpus, bundled):
    summary = policy_summary(corpus)
    assert summary.index.names == ["plan", "policy_no"]
    assert list(pd.unique(summary.index.get_level_values("plan"))) == ["金沢", "他市"]
    pd.testing.assert_frame_equal(summary.loc["金沢"], policy_summary(bundled))
    departments = department_summary(corpus)
    assert departments.index.names == ["plan", "department"]
    assert departments.loc["他市", "listings"].to_dict() == {"危機管理課": 3, "市民協働推進課": 2}
    assert departments.groupby(level="plan")["share"].sum().tolist() == pytest.approx([1, 1])
    pd.testing.assert_frame_equal(departments.loc["金沢"], department_summary(bundled))
    matrix = kcdata.department_matrix(corpus)
    assert matrix.loc[("他市", "危機管理課")].sum() == 3
    recurrence = kcdata.department_recurrence(corpus)
    assert recurrence.loc["他市", "departments"].sum() == 2
    c = kcdata.concentration(corpus)
    assert list(c.index) == ["金沢", "他市"]
    assert c.loc["金沢", "hhi"] == pytest.approx(kcdata.concentration(bundled)["hhi"])
    links = kcdata.relisted_links(corpus)
    assert links["plan"].tolist() == ["金沢", "金沢", "他市"]
    assert links["consistent"].all()


def test_plan_summary_one_row_per_plan(corpus):
    summary = plan_summary(corpus)
    assert list(summary.index) == ["金沢", "他市"]
    assert summary.loc["金沢"][["listings", "relisted", "measures", "departments", "pairs",
                                "co_managed", "levels", "policies", "directions"]].tolist() == [
        110, 2, 108, 33, 113, 3, 2, 4, 10]
    assert summary.loc["他市"][["listings", "relisted", "measures", "departments",
                                "co_managed"]].tolist() == [4, 1, 3, 2, 1]
    totals = kcdata.plan_totals(corpus)  # the same counts, without the levels
    pd.testing.assert_frame_equal(totals, summary.drop(columns="levels"))
    assert totals["listings"].sum() == 114 and totals["measures"].sum() == 111
    assert totals["policies"].sum() == 5


def test_department_presence(corpus):
    presence = department_presence(corpus)
    assert list(presence.columns) == ["金沢", "他市"]
    assert presence.index[0] == "市民協働推進課"  # in both plans, most listings
    assert presence.loc["市民協働推進課"].tolist() == [24, 2]
    assert presence.loc["危機管理課", "他市"] == 3
    present = (presence > 0).sum(axis=1)
    assert present.is_monotonic_decreasing
    assert presence.sum().tolist() == [113, 5]


# --- renames without summaries and editions ---------------------------------------


def test_rename_without_summaries_is_found_with_its_score():
    old = parse_measures(doc("基本方針1 a", "施策の方向性(1) b", HEADER_ROW,
                             "研修及び研究会の実施\t\t教育課", "A事業\t\t甲課"))
    new = parse_measures(doc("基本方針1 a", "施策の方向性(1) b", HEADER_ROW,
                             "教職員研修及び研究会の実施\t\t教育課", "B事業\t\t甲課"))
    result = compare_plans(old, new)
    renamed = result[result["status"] == "renamed"]
    assert renamed[["old_measure", "measure"]].values.tolist() == [
        ["研修及び研究会の実施", "教職員研修及び研究会の実施"]]
    assert renamed["similarity"].iloc[0] == pytest.approx(0.87, abs=0.01)
    assert renamed["matched_by"].iloc[0] == "name"
    # 「A事業」 and 「B事業」 share only the generic ending: removed and added
    assert sorted(result.loc[result["status"] != "renamed", "status"]) == ["added", "removed"]
    assert result.loc[result["status"] != "renamed", "similarity"].isna().all()
    assert "name similarity 0.87" in kcdata.analysis.compare.describe_changes(result)[0]


def test_rename_needs_the_same_or_a_neighbouring_section():
    head = ["基本方針1 a", "施策の方向性(1) b", HEADER_ROW, "X\t\t甲課", "施策の方向性(2) c",
            HEADER_ROW, "Y\t\t甲課", "施策の方向性(3) d", HEADER_ROW]
    old = parse_measures(doc(*head, "地域防災訓練の実施\t\t甲課"))
    near = parse_measures(doc(*head[:6], "地域防災訓練の実施事業\t\t甲課", *head[6:]))
    far = parse_measures(doc(*head[:3], "地域防災訓練の実施事業\t\t甲課", *head[3:]))
    assert "renamed" in set(compare_plans(old, near)["status"])
    assert "renamed" not in set(compare_plans(old, far)["status"])  # (3) -> (1): two apart


def renumbered_edition(first_policy: str, second_policy: str) -> tuple[str, ...]:
    """Lines of a plan in which a new 基本方針1 comes first: the old one becomes 基本方針2."""
    return ("基本方針1 新しい方針", "施策の方向性(1) 新しい方向", HEADER_ROW, "N1\t\t甲課",
            "施策の方向性(2) 新しい方向2", HEADER_ROW, "N2\t\t甲課",
            f"基本方針2 {first_policy}", "施策の方向性(1) b", HEADER_ROW, "X\t\t甲課",
            "地域防災訓練の実施事業\t\t甲課",
            f"基本方針3 {second_policy}", "施策の方向性(1) c", HEADER_ROW, "Y\t\t甲課")


OLD_EDITION = doc("基本方針1 a", "施策の方向性(1) b", HEADER_ROW, "X\t\t甲課",
                  "地域防災訓練の実施\t\t甲課",
                  "基本方針2 z", "施策の方向性(1) c", HEADER_ROW, "Y\t\t甲課")


@pytest.mark.parametrize("titles", [("a", "z"), ("改題した方針", "z")],
                         ids=["same titles", "retitled, same measures"])
def test_rename_follows_its_renumbered_section(titles):
    # A new 基本方針1 pushes every section two places on: by number the old 1-(1) and the new
    # 2-(1) are not neighbours, but the new 2-(1) has the old one's titles or its measure X.
    old = parse_measures(OLD_EDITION)
    new = parse_measures(doc(*renumbered_edition(*titles)))
    result = compare_plans(old, new).set_index("measure")
    row = result.loc["地域防災訓練の実施事業"]
    assert row["status"] == "renamed" and row["old_measure"] == "地域防災訓練の実施"
    same_titles = titles == ("a", "z")
    # A section that kept its titles was only renumbered: no change of location.
    moved = () if same_titles else ("location",)
    assert row["matched_by"] == "name" and row["changes"] == moved
    assert result.loc["X", "changes"] == moved
    assert result.loc["X", "status"] == ("renumbered" if same_titles else "changed")
    history = compare_editions({"old": old, "new": new}).set_index("measure")
    assert history.loc["地域防災訓練の実施事業", ["old", "new"]].tolist() == ["1-(1)", "2-(1)"]


def test_a_rename_in_a_section_moved_to_another_policy_is_found():
    # The section 「防災」 moves from 基本方針1 to 基本方針3, and its only measure is renamed:
    # no measure ties the two sections, their numbers are far apart, the 施策の方向性 title does.
    middle = ("基本方針2 b", "施策の方向性(1) 交流", HEADER_ROW, "Y\t\t甲課",
              "施策の方向性(2) 育成", HEADER_ROW, "Z\t\t甲課")
    old = parse_measures(doc("基本方針1 a", "施策の方向性(1) 防災", HEADER_ROW,
                             "地域防災訓練の実施\t\t甲課", *middle))
    new = parse_measures(doc("基本方針1 a", "施策の方向性(1) 啓発", HEADER_ROW, "X\t\t甲課",
                             *middle, "基本方針3 c", "施策の方向性(1) 防災", HEADER_ROW,
                             "地域防災訓練の実施事業\t\t甲課"))
    row = compare_plans(old, new).set_index("measure").loc["地域防災訓練の実施事業"]
    assert row["status"] == "renamed" and row["changes"] == ("location",)


def test_headings_without_titles_make_no_section_the_same():
    # Untitled headings: every section's titles are empty, which must not tie 1-(1) to 5-(1).
    def plan(*sections: tuple[int, str]) -> str:
        return doc(*(line for p, name in sections for line in (
            f"基本方針{p}", "施策の方向性(1)", HEADER_ROW, f"{name}\t\t甲課")))

    old = parse_measures(plan((1, "地域防災訓練の実施"), (2, "A"), (3, "B"), (4, "C")))
    new = parse_measures(plan((1, "D"), (2, "A"), (3, "B"), (4, "C"),
                              (5, "地域防災訓練の実施事業")))
    result = compare_plans(old, new)
    assert "renamed" not in set(result["status"])


def test_section_titles_of_any_dtype_are_compared(bundled):
    old = bundled.assign(direction=bundled["direction"].astype("category"))
    old.loc[1, "direction"] = None  # a missing title in a categorical column
    assert set(compare_plans(old, bundled)["status"]) == {"unchanged"}


def test_a_renumbered_section_without_counterpart_gives_no_rename():
    # Neither titles nor measures tie the old 1-(1) to the new 2-(1): removed and added.
    old = parse_measures(OLD_EDITION.replace("X\t", "X旧\t"))
    lines = renumbered_edition("改題した方針", "z")
    new = parse_measures(doc(*(line.replace("施策の方向性(1) b", "施策の方向性(1) 改題")
                               for line in lines)))
    result = compare_plans(old, new)
    assert "renamed" not in set(result["status"])
    assert set(result.loc[result["measure"].str.startswith("地域防災"), "status"]) == {
        "added", "removed"}


def test_a_department_name_wrapped_in_one_edition_is_no_change():
    # The PDF of one edition cut 「市民協働推進課」 at the end of a line; the other did not.
    head = ("基本目標1 a", "施策1 b", "事業名\t内容\t担当課")
    with pytest.warns(kcdata.PlanWarning, match="「市民協働推」 and 「進課」 read as one"):
        wrapped = parse_measures(doc(*head, "A事業\t\t市民協働推", "\t\t進課", "B事業\t\t企画部"),
                                 "generic")
    one_line = parse_measures(doc(*head, "A事業\t\t市民協働推進課", "B事業\t\t企画部"),
                              "generic")
    assert set(compare_plans(wrapped, one_line)["status"]) == {"unchanged"}
    assert not compare_editions([wrapped, one_line])["departments_changed"].any()


def test_summary_renames_keep_their_old_behaviour(bundled):
    new = bundled.copy()
    new.loc[0, "measure"] = "全く別の名前"
    result = compare_plans(bundled, new)
    row = result[result["status"] == "renamed"].iloc[0]
    assert row["matched_by"] == "summary" and row["similarity"] < 0.75


def editions(bundled):
    v1 = bundled
    v2 = bundled.copy()
    first = v2.index[~v2["relisted"]]
    v2.loc[first[0], "measure"] = "新" + v2.loc[first[0], "measure"]
    v2.loc[first[0], "summary"] = ""
    v2.loc[first[1], ["policy_no", "policy", "direction_no", "direction"]] = \
        v2.loc[first[-1], ["policy_no", "policy", "direction_no", "direction"]].tolist()
    v2.loc[first[2], "departments"] = ("甲課", "乙課")
    v2 = parse_measures(to_text(v2.drop(index=first[3])))
    v3 = parse_measures(to_text(v2.drop(index=v2.index[~v2["relisted"]][4])))
    return {"2018": v1, "2021": v2, "2025": v3}


def test_compare_editions_history(bundled):
    history = compare_editions(editions(bundled))
    edition_columns = kcdata.analysis.editions.EDITION_COLUMNS
    assert list(history.columns) == [*edition_columns, "2018", "2021", "2025"]
    assert len(history) == 108
    names = bundled.loc[~bundled["relisted"], "measure"].tolist()
    by_first = history.set_index(history["names"].map(lambda n: n[0]))
    renamed = by_first.loc[names[0]]
    assert bool(renamed["renamed"]) and renamed["measure"] == "新" + names[0]
    assert renamed["editions"] == 3 and not renamed["dropped"]
    assert 0.75 <= renamed["similarity"] < 1
    assert bool(by_first.loc[names[1], "moved"])
    assert bool(by_first.loc[names[2], "departments_changed"])
    dropped = by_first.loc[names[3]]
    assert bool(dropped["dropped"]) and dropped["last_edition"] == "2018"
    assert pd.isna(dropped["2021"]) and dropped["2018"] == "1-(1)"
    assert history["dropped"].sum() == 2
    assert (history["editions"] == 3).sum() == 106


def test_a_measure_renamed_back_is_named_as_in_the_latest_edition():
    head = "基本方針1 方針\n施策の方向性(1) 方向\n"
    written = ["A事業", "A事業費", "A事業"]  # renamed, then renamed back
    editions = {str(year): parse_measures(head + f"{name}\t概要{year}\t甲課\n")
                for year, name in zip((2019, 2022, 2025), written, strict=True)}
    history = compare_editions(editions)
    assert len(history) == 1 and bool(history.loc[0, "renamed"])
    assert history.loc[0, "measure"] == "A事業"  # 事業名（最新）: the 2025 edition's name
    assert history.loc[0, "names"] == ("A事業", "A事業費")


def test_compare_editions_inputs(bundled):
    as_list = compare_editions([bundled, bundled])
    assert list(as_list.columns[-2:]) == ["1", "2"]
    assert not as_list[["renamed", "moved", "departments_changed", "dropped"]].any().any()
    as_corpus = compare_editions(combine_plans({"a": bundled, "b": bundled}))
    assert list(as_corpus.columns[-2:]) == ["a", "b"]
    with pytest.raises(ValueError, match="column names"):
        compare_editions({"measure": bundled})
    with pytest.raises(ValueError, match="no editions"):
        compare_editions([])


def test_inputs_are_not_modified(corpus):
    before = corpus.copy()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        plan_summary(corpus)
        department_presence(corpus)
        duplicate_candidates(corpus)
        compare_editions(corpus)
    pd.testing.assert_frame_equal(corpus, before)


def test_a_one_level_plan_in_a_corpus(bundled):
    from kcdata.paths import PROJECT_ROOT

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", kcdata.PlanWarning)
        chikusei = kcdata.read_measures(PROJECT_ROOT / "data/raw/chikusei_main_projects_2019.txt",
                                        PROJECT_ROOT / "tests/fixtures/chikusei_main_projects.toml")
    corpus = combine_plans({"金沢": bundled, "筑西": chikusei})
    summary = plan_summary(corpus)
    assert summary.loc["筑西", ["levels", "directions"]].tolist() == [1, 0]
    assert summary.loc["筑西", "listings"] == len(chikusei)
    assert summary.loc["金沢", ["levels", "directions"]].tolist() == [2, 10]
    # a one-level plan has no second-level section (direction_no 0), whatever counts it
    assert kcdata.plan_totals(chikusei)[["policies", "directions"]].tolist() == [2, 0]
    pd.testing.assert_frame_equal(kcdata.plan_totals(corpus), summary.drop(columns="levels"))
    assert department_presence(corpus).shape[1] == 2
    history = compare_editions({"a": chikusei, "b": chikusei})
    assert len(history) == chikusei["measure"].nunique() and not history["dropped"].any()


def test_rename_and_move_to_the_next_section_and_a_split_department():
    old = parse_measures(doc("基本方針1 a", "施策の方向性(1) b", HEADER_ROW,
                             "地域防災訓練の実施\t\t危機管理課", "施策の方向性(2) c", HEADER_ROW,
                             "防犯灯の設置\t\t市民協働推進課"))
    new = parse_measures(doc("基本方針1 a", "施策の方向性(1) b", HEADER_ROW,
                             "防犯灯の設置\t\t市民協働推進課 地域安全課",
                             "施策の方向性(2) c", HEADER_ROW,
                             "地域防災訓練の実施事業\t\t危機管理課"))
    result = compare_plans(old, new).set_index("measure")
    assert result.loc["地域防災訓練の実施事業", "status"] == "renamed"
    assert result.loc["地域防災訓練の実施事業", "changes"] == ("location",)
    assert result.loc["地域防災訓練の実施事業", "similarity"] == 1.0  # only 「事業」 added
    assert result.loc["防犯灯の設置", "changes"] == ("location", "departments")
    history = compare_editions({"旧": old, "新": new}).set_index("measure")
    assert history.loc["地域防災訓練の実施事業", ["renamed", "moved"]].tolist() == [True, True]
    assert bool(history.loc["防犯灯の設置", "departments_changed"])

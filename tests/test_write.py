"""to_text: documents that parse back to the same table."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kcdata import ParseError, parse_measures, to_text
from kcdata.io.layout import HEADER_WORDS
from kcdata.io.layout_file import get_layout
from kcdata.text import unify_ideographs


def _same_but_line(a: pd.DataFrame, b: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(
        a.drop(columns="line", errors="ignore").reset_index(drop=True), b.drop(columns="line")
    )


def test_bundled_round_trip(bundled):
    _same_but_line(bundled, parse_measures(to_text(bundled)))


def test_round_trip_does_not_modify_input(bundled):
    before = bundled.copy()
    to_text(bundled)
    pd.testing.assert_frame_equal(bundled, before)


def test_rows_moved_between_sections_write_a_valid_document(bundled):
    edited = bundled.copy()
    edited.loc[0, ["policy_no", "policy", "direction_no", "direction"]] = [
        4, bundled.loc[bundled["policy_no"] == 4, "policy"].iloc[0], 2,
        bundled.loc[(bundled["policy_no"] == 4) & (bundled["direction_no"] == 2),
                    "direction"].iloc[0],
    ]
    back = parse_measures(to_text(edited))
    expected = edited.sort_values(["policy_no", "direction_no"], kind="stable")
    _same_but_line(expected, back)
    assert back.iloc[-1]["measure"] != expected.iloc[0]["measure"]
    moved = back[back["measure"] == bundled.loc[0, "measure"]]
    assert moved[["policy_no", "direction_no"]].values.tolist() == [[4, 2]]


def test_relisted_mark_restored_and_departments_joined(small_doc):
    text = to_text(parse_measures(small_doc))
    assert "【再掲】B事業\t概要B\t乙課" in text.splitlines()
    assert "C事業\t\t甲課 丙課" in text.splitlines()


def test_departments_given_as_strings(small_doc):
    df = parse_measures(small_doc)
    df["departments"] = df["departments"].map(" ".join)
    _same_but_line(parse_measures(small_doc), parse_measures(to_text(df)))


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [("measure", "", "empty measure"), ("measure", "A\tB", "tab or a line break"),
     ("departments", (), "departments"), ("summary", "x\ny", "tab or a line break")],
)
def test_unwritable_tables_raise_value_error(small_doc, column, value, message):
    df = parse_measures(small_doc)
    df[column] = df[column].astype(object)
    df.at[0, column] = value
    with pytest.raises(ValueError, match=message):
        to_text(df)


def test_missing_column_raises(small_doc):
    with pytest.raises(ValueError, match="summary"):
        to_text(parse_measures(small_doc).drop(columns="summary"))


# A clean token: no white space, no tab or line break, no 【 (so no accidental 【再掲】), and
# no ideograph printed as a radical or compatibility form (the reader unifies those).
_token = st.text(
    st.characters(categories=["L", "N", "P", "S"], exclude_characters="\t\n\r【\x85"),
    min_size=1, max_size=8,
).filter(lambda t: unify_ideographs(t) == t)
# Names that are header words read back as header rows (to_text refuses them).
_HEADER_WORDS = {w for words in HEADER_WORDS.values() for w in words}
# A department: a clean token without the layout's separators, and not a placeholder.
_department = _token.filter(
    lambda t: not set(t) & set("、・／/，,") and t not in get_layout("kanazawa").placeholders
)
_latin_phrase = st.lists(st.text("abcXYZ", min_size=1, max_size=5), min_size=1,
                         max_size=3).map(" ".join)


@st.composite
def listing_tables(draw) -> pd.DataFrame:
    n = draw(st.integers(1, 12))
    titles = {}
    rows = []
    for _ in range(n):
        p = draw(st.integers(1, 3))
        d = draw(st.integers(1, 3))
        policy = titles.setdefault(p, draw(st.one_of(st.just(""), _token, _latin_phrase)))
        direction = titles.setdefault((p, d), draw(st.one_of(_token, _latin_phrase)))
        rows.append({
            "policy_no": p, "policy": policy, "direction_no": d, "direction": direction,
            "measure": draw(_token.filter(lambda t: "再掲" not in t and t not in _HEADER_WORDS)),
            "summary": draw(st.one_of(st.just(""), _token, _latin_phrase)),
            "departments": tuple(draw(st.lists(_department, min_size=1, max_size=3))),
            "relisted": draw(st.booleans()),
        })
    return pd.DataFrame(rows)


@settings(max_examples=200, deadline=None)
@given(listing_tables())
def test_random_valid_documents_round_trip(table):
    try:
        back = parse_measures(to_text(table))
    except ParseError as err:  # pragma: no cover - a failure to report with the document
        raise AssertionError(f"{err}\n{to_text(table)}") from err
    expected = table.sort_values(["policy_no", "direction_no"], kind="stable")
    expected = expected.astype({c: "str" for c in ["policy", "direction", "measure", "summary"]})
    _same_but_line(expected, back)


def test_whole_float_section_numbers_are_written_as_integers(small_doc):
    df = parse_measures(small_doc)
    df["policy_no"] = df["policy_no"].astype(float)
    _same_but_line(parse_measures(small_doc), parse_measures(to_text(df)))


@pytest.mark.parametrize("column", ["policy_no", "direction_no"])
def test_fractional_section_numbers_raise(small_doc, column):
    df = parse_measures(small_doc)
    df[column] = df[column].astype(float)
    df.loc[0, column] = 1.5
    with pytest.raises(ValueError, match=column):
        to_text(df)


def test_a_mark_in_an_unmarked_name_raises(small_doc):
    df = parse_measures(small_doc)
    df.loc[1, "measure"] = "【再掲】A事業"
    with pytest.raises(ValueError, match="relisted=True"):
        to_text(df)


def test_departments_separated_by_any_white_space_round_trip():
    text = "基本方針1 a\n施策の方向性(1) b\nA\tB\t甲課\u2003乙課\xa0 丙課\n"
    df = parse_measures(text)
    assert df["departments"].tolist() == [("甲課", "乙課", "丙課")]
    _same_but_line(df, parse_measures(to_text(df)))

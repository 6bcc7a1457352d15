"""The clean-up rule and the NFKC comparison key."""

from __future__ import annotations

import re

import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kcdata import ParseError, parse_measures
from kcdata.text import JAPANESE_RANGES, clean_text, clean_text_array, nfkc_key, text_key


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("コミュニティ ICT 化推進事業", "コミュニティICT化推進事業"),
        ("令和 7 年 4 月", "令和7年4月"),
        ("放課後児童クラブ 施設使用料支援事業", "放課後児童クラブ施設使用料支援事業"),
        ("まちづくり HUB Project 事業", "まちづくりHUB Project事業"),
        ("緑と花の課　 内水整備課", "緑と花の課内水整備課"),
        ("  前後の空白\u3000", "前後の空白"),
        ("（仮称）ＩＣＴ 事業", "（仮称）ＩＣＴ事業"),
        ("a b", "a b"),
        ("", ""),
    ],
)
def test_clean_text(raw, clean):
    assert clean_text(raw) == clean


def test_full_width_characters_are_kept():
    assert clean_text("【再掲】（１）") == "【再掲】（１）"


def test_nfkc_key_folds_widths_and_spaces():
    assert nfkc_key(["（仮称）ＩＣＴ 事業", "(仮称)ICT事業"]).nunique() == 1
    assert text_key("ｶﾅ ＡＢ") == "カナAB"


# The array version (and the parser's decision which cells need cleaning) must agree with the
# plain rule: two passes (spaces after, then before, a Japanese character), then a trim.
_MESSY = " \u3000\t\xa0\u2003aZ漢カ。（1"
_J = "[" + "".join(f"{chr(lo)}-{chr(hi)}" for lo, hi in JAPANESE_RANGES) + "]"


def _remove_spaces(values: pa.Array) -> pa.Array:
    def rule(text: str) -> str:
        text = re.sub(f"({_J})[ \u3000]+", r"\1", text)
        return re.sub(f"[ \u3000]+({_J})", r"\1", text).strip()

    return pa.array([None if v is None else rule(v) for v in values.to_pylist()], type=values.type)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(_MESSY, max_size=8), max_size=20))
def test_clean_text_array_matches_the_plain_passes(values):
    array = pa.array(values, type=pa.string())
    assert clean_text_array(array).to_pylist() == _remove_spaces(array).to_pylist()


_CELL = st.text(" \u3000\xa0\u2003aZ漢カ。（1", max_size=6)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(_CELL, _CELL, _CELL), min_size=1, max_size=8))
def test_parser_cleans_every_cell_like_clean_text(rows):
    lines = ["基本方針1 a", "施策の方向性(1) b"] + ["\t".join(row) for row in rows]
    listed = [row for row in rows if "".join(row).strip()]  # tab/space-only lines are blank
    expected = [
        (clean_text(name), clean_text(summary),
         tuple(clean_text(d) for d in departments.split()))
        for name, summary, departments in listed
    ]
    if not expected or any(not name or not departments for name, _, departments in expected):
        with pytest.raises(ParseError):
            parse_measures("\n".join(lines), "kanazawa")
        return
    df = parse_measures("\n".join(lines), "kanazawa")
    got = list(zip(df["measure"], df["summary"], df["departments"], strict=True))
    assert got == expected


# Characters on both sides of each edge of the Japanese ranges, of every UTF-8 length, so that
# the parser meets every boundary of the rule.
_EDGES = (
    "a\xe9\u2fff\u3001\u30ff\u3100\u33ff\u3400\u9fff\ua000\uf8ff\uf900\ufaff\ufb00"
    "\ufeff\uff00\uffef\ufff0\U00020000\U0001f600【】"
)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.text(st.sampled_from([*_EDGES, " ", "\u3000"]), max_size=10),
                min_size=1, max_size=6))
def test_parser_removes_spaces_like_the_rule_at_every_range_edge(names):
    lines = ["基本方針1 a", "施策の方向性(1) b"]
    lines += [f"x{name}x\t{name}\t課" for name in names]  # x: no white space at either end
    df = parse_measures("\n".join(lines))
    assert df["measure"].tolist() == [clean_text(f"x{name}x") for name in names]
    assert df["summary"].tolist() == [clean_text(name) for name in names]

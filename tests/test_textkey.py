"""The folded key: widths, case, kana and spaces folded; positions mapped back to the text."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kcdata.textkey import ascii_bounded, fold_joined, fold_key, fold_key_map, fold_keys


@pytest.mark.parametrize(
    ("variants", "key"),
    [
        (["ぼうさい", "ボウサイ", "ﾎﾞｳｻｲ", "ぼう さい"], "ぼうさい"),
        (["ICT", "ＩＣＴ", "ict", "Ｉｃｔ", " ICT "], "ict"),
        (["ＮＰＯ法人", "ＮＰＯ 法人", "npo法人"], "npo法人"),
        (["ヴ", "ゔ"], "ゔ"),
        (["ヽ", "ゝ"], "ゝ"),
    ],
)
def test_variants_fold_to_one_key(variants, key):
    assert {fold_key(v) for v in variants} == {key}


def test_fold_keeps_what_it_should():
    assert fold_key("データー") == "でーたー"  # the long vowel mark stays
    assert fold_key("防災") != fold_key("ぼうさい")  # readings are not compared
    assert fold_key("HUB  Project") == "hub project"  # Latin words stay apart
    assert fold_key("ICT 化") == "ict化"


# Characters that exercise every step: kana of both kinds and widths, combining
# marks, full-width and ASCII letters, spaces of several kinds, compatibility forms.
_ALPHABET = st.sampled_from(
    [*"あいうかがぱアイウカガパｱｶﾞﾟｰ防災子育てＩＣＴＮＰＯictnpoAB01２㈱①ß ",
     "\u3000", "\u3099", "\u309a", "\t", "\u00a0", "\u2003"]
)
_TEXT = st.text(_ALPHABET, max_size=25)


@settings(max_examples=300, deadline=None)
@given(st.lists(_TEXT, min_size=1, max_size=6))
def test_the_joined_fold_equals_the_fold_of_each_cell(cells):
    assert fold_keys(cells) == [fold_key(c) for c in cells]
    key, points = fold_joined("\x00".join(cells))
    assert key.split("\x00") == [fold_key(c) for c in cells]
    assert points.tolist() == [ord(c) for c in key]


@settings(max_examples=300, deadline=None)
@given(_TEXT, st.data())
def test_every_key_slice_maps_back_to_text_that_folds_to_it(text, data):
    key, starts, ends = fold_key_map(text)
    assert key == fold_key(text)
    assert len(starts) == len(ends) == len(key)
    assert starts == sorted(starts)
    assert all(0 <= s < e <= len(text) for s, e in zip(starts, ends, strict=True))
    if not key:
        return
    a = data.draw(st.integers(0, len(key) - 1))
    b = data.draw(st.integers(a + 1, len(key)))
    if key[a] == " " or key[b - 1] == " ":
        return
    assert key[a:b] in fold_key(text[starts[a]:ends[b - 1]])


def test_key_map_of_changing_lengths():
    key, starts, ends = fold_key_map("㈱ｶﾞｽＩＣＴ")
    assert key == "(株)がすict"
    a = key.index("がす")
    assert "㈱ｶﾞｽＩＣＴ"[starts[a]:ends[a + 1]] == "ｶﾞｽ"


def test_fold_keys_with_a_cell_holding_the_separator():
    assert fold_keys(["a\x00b", "ＩＣＴ"]) == ["a\x00b", "ict"]


def test_ascii_bounds():
    key, points = fold_joined("district\x00ict化\x00ictus\x00aict")
    starts = np.array([key.find("ict", i) for i in (0, 9, 14, 21)])
    ok = ascii_bounded(points, starts, starts + 3, "ict")
    assert ok.tolist() == [False, True, False, False]
    # A word that is not Latin at an end is not bounded at that end.
    starts = np.array([key.find("ict化")])
    assert ascii_bounded(points, starts, starts + 4, "ict化").tolist() == [True]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.text(st.characters(codec="utf-8", exclude_characters="\x00"), max_size=12),
                min_size=1, max_size=5))
def test_the_joined_fold_equals_the_fold_of_each_cell_for_any_characters(cells):
    # Any Unicode: Hangul jamo, Indic vowel signs, Latin with accents, non-BMP characters.
    assert fold_keys(cells) == [fold_key(c) for c in cells]


@pytest.mark.parametrize(
    "cells",
    [["\u1100\u1161", "가\u11a8"], ["ｶﾞｽ", "ガス"], ["a\u0301", "á"], ["𠮷野家", "ｱ"],
     ["\u0b47\u0b3e"], ["ＩＣＴ\u3099"]],
)
def test_the_joined_fold_of_cells_that_compose(cells):
    assert fold_keys(cells) == [fold_key(c) for c in cells]

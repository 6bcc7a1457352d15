"""The folded key (kcdata.text): widths, case, kana and spaces folded; positions mapped back."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kcdata.text import at_word_bounds, fold_key, fold_key_map


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


def test_ascii_bounds():
    keys = [fold_key(c) for c in ("district", "ict化", "ictus", "aict")]
    ok = [at_word_bounds(key, key.find("ict"), key.find("ict") + 3) for key in keys]
    assert ok == [False, True, False, False]
    # A word that is not Latin at an end is not bounded at that end.
    assert at_word_bounds("ict化", 0, 4)


"""The clean-up rule and the NFKC comparison key."""

from __future__ import annotations

import pytest

from kcdata.normalize import clean_text, nfkc_key, text_key


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

"""The scale envelope: at most 100,000 listings in a document or corpus, 2,000 plans."""

from __future__ import annotations

import pytest

import kcdata as kc
from kcdata import limits
from kcdata.io import corpus, parse


def _document(listings: int) -> str:
    rows = "".join(f"事業{i}\t概要\t甲課\n" for i in range(listings))
    return f"基本方針1 方針\n施策の方向性(1) 方向\n事業名\t事業概要\t所管する課\n{rows}"


def test_the_envelope_is_written_down():
    assert (limits.MAX_LISTINGS, limits.MAX_PLANS) == (100_000, 2_000)
    assert limits.MAX_LINES >= limits.MAX_LISTINGS


def test_a_document_past_the_listing_limit_is_refused_at_the_first_listing_past_it(monkeypatch):
    monkeypatch.setattr(parse, "MAX_LISTINGS", 5)
    assert len(kc.parse_measures(_document(5))) == 5
    with pytest.raises(kc.ParseError, match="more than 5 listings") as err:
        kc.parse_measures(_document(6))
    assert err.value.line == 3 + 6  # the sixth listing's line


def test_a_document_past_the_line_limit_is_refused_before_it_is_read(monkeypatch):
    monkeypatch.setattr(parse, "MAX_LINES", 7)
    with pytest.raises(kc.ParseError, match="the document has 9 lines: kcdata reads at most 7"):
        kc.parse_measures(_document(5))


def test_a_corpus_past_the_limits_is_refused(monkeypatch, tmp_path):
    paths = []
    for i in range(3):
        paths.append(tmp_path / f"plan{i}.txt")
        paths[-1].write_text(_document(4), encoding="utf-8")
    monkeypatch.setattr(corpus, "MAX_PLANS", 2)
    with pytest.raises(kc.ParseError, match="3 plans: a corpus holds at most 2"):
        kc.read_plans(paths)
    monkeypatch.setattr(corpus, "MAX_PLANS", 2_000)
    monkeypatch.setattr(corpus, "MAX_LISTINGS", 10)
    assert len(kc.read_plans(paths[:2])) == 8
    with pytest.raises(kc.ParseError, match="more than 10 listings in the corpus"):
        kc.read_plans(paths)
    tables = {p.stem: kc.read_measures(p) for p in paths}
    with pytest.raises(kc.ParseError, match="more than 10 listings"):
        kc.combine_plans(tables)

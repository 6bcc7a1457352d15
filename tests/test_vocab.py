"""The vocabulary's templates: filled with a plan's own words, never shown unfilled."""

from __future__ import annotations

import re
import zipfile

import pytest

import kcdata as kc
from kcdata.outputs.page import html_report
from kcdata.paths import PROJECT_ROOT
from kcdata.vocab import PlanWords, label, plan_words

#: A field of the vocabulary's templates, as it would look if it reached a reader unfilled.
FIELD = re.compile(r"\{(?:level0|level1|departments|department|measure|summary|title)\}")
WELFARE = PROJECT_ROOT / "tests" / "fixtures" / "welfare_plan_generic.txt"


@pytest.fixture(scope="module")
def welfare():
    with pytest.warns(kc.PlanWarning):  # the document's 予算額 column is not read
        return kc.read_measures(WELFARE)


def test_say_fills_the_plans_words_and_other_values():
    words = PlanWords(levels=("基本目標", "施策"), measure="取組名", departments="担当課")
    assert words.say("{department}×{level0}の{n}件", n=3) == "担当課×基本目標の3件"
    assert words.label("other_measure") == "比較する取組名"
    assert PlanWords().say("{department}×{level0}") == "所管課×基本方針"
    assert PlanWords(levels=("基本方針",)).say("{level1}") == "第2階層"  # a one-level plan
    assert label("policy_no") == "基本方針"  # label(): the default words


def test_a_plans_words_go_in_as_values_never_as_a_template():
    odd = PlanWords(levels=("目標{1}", "施策}"), measure="{事業}", title="計画{x}")
    assert odd.say("{level0}・{level1}・{measure}・{title}") == "目標{1}・施策}・{事業}・計画{x}"
    assert odd.label("policy_no") == "目標{1}" and odd.label("direction") == "施策}名"
    assert odd.sheet("基本方針別") == "目標{1}別"
    assert odd.sheet("概要{") == "概要{"  # not a sheet of the vocabulary: as given


def test_a_second_level_called_like_the_default_first_keeps_its_name():
    # the regular expression of old renamed 基本方針 once more in such a plan
    words = PlanWords(levels=("施策の方向性", "基本方針"))
    assert words.label("policy_no") == "施策の方向性" and words.label("direction_no") == "基本方針"
    assert words.sheet("所管課×基本方針") == "所管課×施策の方向性"


def test_the_editions_headers_are_in_the_plans_words(welfare):
    history = kc.compare_editions({"2021": welfare, "2025": welfare})
    shown = kc.japanese(history.drop(columns=["names"]), words=plan_words(welfare), sheet="経年")
    headers = list(shown.data.columns)
    assert "事業名（最新）" in headers  # the welfare plan's header word is 事業名 too
    assert "担当課の変更" in headers and "所管課の変更" not in headers


def test_a_page_takes_charts_of_any_name():
    svg = '<svg xmlns="http://www.w3.org/2000/svg"></svg>'
    page = html_report(kc.load_example(), charts={"custom{1}": svg, "fig}": svg})
    assert "<figcaption>custom{1}</figcaption>" in page
    assert "<figcaption>fig}</figcaption>" in page


def test_no_output_shows_an_unfilled_template(welfare, tmp_path):
    written = kc.write_report(welfare, tmp_path, source=WELFARE, html=True)
    texts = []
    for path in written:
        if path.suffix == ".xlsx":
            with zipfile.ZipFile(path) as book:
                texts += [book.read(name).decode("utf-8") for name in book.namelist()
                          if name.endswith(".xml")]
        elif path.suffix in (".html", ".svg"):
            texts.append(path.read_text(encoding="utf-8"))
    assert len(texts) > 10
    joined = "\n".join(texts)
    assert "担当課別の掲載数" in joined and "基本目標" in joined  # the plan's own words
    assert FIELD.findall(joined) == []

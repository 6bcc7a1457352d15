"""The README's レイアウトファイル guide: every worked example runs, and the guide cannot drift.

Each example's document and layout file are in tests/fixtures/readme/ (pdf_plan.pdf was
printed by make_pdf.py there). The tests read each with kcdata.read_measures and check what
the guide says of it; and they check that every ``toml``, ``text`` and ``python`` block of
the guide is one of those files byte for byte (or the output the guide says it prints), and
that every ``console`` block is the real output of its commands, run from the repository's
root as the guide runs them (a line 「…」 stands for lines left out).
"""

from __future__ import annotations

import contextlib
import io
import re
import runpy
import shlex
import warnings
from pathlib import Path

import pytest

import kcdata as kc
from kcdata import ParseError, PlanWarning
from kcdata.cli import main

ROOT = Path(__file__).resolve().parents[1]
HERE = ROOT / "tests" / "fixtures" / "readme"
#: The files the guide shows, by the language of their block.
SHOWN = {
    "heading_plan.txt": "text", "heading_plan.toml": "toml",
    "merged_columns.txt": "text", "merged_columns.toml": "toml",
    "unnumbered_column.txt": "text", "unnumbered_column.toml": "toml",
    "number_column.txt": "text", "number_column.toml": "toml",
    "records.txt": "text", "records.toml": "toml",
    "pdf_plan.toml": "toml",
    "from_frame.py": "python",
}
BLOCK = re.compile(r"^```(\w+)\n(.*?)^```$", re.MULTILINE | re.DOTALL)


def guide() -> str:
    """The README's section レイアウトファイル, up to the next section of its rank."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.index("\n### レイアウトファイル\n")
    return readme[start: readme.index("\n### ", start + 1)]


def blocks(lang: str) -> list[str]:
    return [text for found, text in BLOCK.findall(guide()) if found == lang]


def fixture(name: str) -> str:
    return (HERE / name).read_text(encoding="utf-8")


def read(name: str, layout: str | None = None):
    """The listing table of a fixture and its warnings, as (line, message)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", PlanWarning)
        df = kc.read_measures(HERE / name, None if layout is None else HERE / layout)
    return df, [(w.message.line, w.message.message) for w in caught
                if isinstance(w.message, PlanWarning)]


def run_from_frame() -> tuple[dict, str]:
    """from_frame.py run as the guide runs it: its names and what it printed."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        names = runpy.run_path(str(HERE / "from_frame.py"), run_name="__main__")
    return names, out.getvalue()


# --- the guide shows the files, and the files' real output ------------------------------------


@pytest.mark.parametrize("name", SHOWN)
def test_the_guide_shows_each_file_byte_for_byte(name):
    assert f"```{SHOWN[name]}\n{fixture(name)}```" in guide()


@pytest.mark.parametrize("lang", ["toml", "python", "text"])
def test_every_block_of_the_guide_is_a_file_or_its_output(lang):
    files = {fixture(name) for name, shown in SHOWN.items() if shown == lang}
    if lang == "text":
        files.add(run_from_frame()[1])
    for text in blocks(lang):
        assert text in files, text


def test_the_first_try_is_the_layout_without_its_title_and_ignore_lines():
    lines = fixture("pdf_plan.toml").splitlines(keepends=True)
    assert fixture("pdf_plan_first_try.toml") == "".join(
        line for line in lines if not line.startswith(("title =", "ignore =")))


def console_commands() -> list[tuple[str, str]]:
    """Each ``$ kcdata …`` command of the guide's console blocks, with the output shown."""
    found = []
    for text in blocks("console"):
        for part in re.split(r"^\$ ", text, flags=re.MULTILINE)[1:]:
            command, _, shown = part.partition("\n")
            found.append((command, shown))
    return found


@pytest.mark.parametrize(("command", "shown"), console_commands(),
                         ids=lambda value: value.split("tests/fixtures/readme/")[-1][:60])
def test_each_console_block_is_the_commands_real_output(command, shown, monkeypatch):
    monkeypatch.chdir(ROOT)
    words = shlex.split(command)
    assert words[0] == "kcdata"
    out = io.StringIO()  # stdout and stderr as a terminal shows them, interleaved
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        main(words[1:])
    pattern = "".join(r"(?:[^\n]*\n)*?" if line == "…" else re.escape(line) + "\n"
                      for line in shown.splitlines())
    assert re.fullmatch(pattern, out.getvalue()), out.getvalue()


def test_the_guide_runs_every_kind_of_example():
    commands = " ".join(command for command, _ in console_commands())
    for name in ("heading_plan", "merged_columns", "unnumbered_column", "number_column", "records",
                 "pdf_plan"):
        assert f"tests/fixtures/readme/{name}." in commands
    assert "check --lines" in commands


# --- (a) heading lines ---------------------------------------------------------------------


def test_a_heading_lines():
    with pytest.raises(ParseError) as info:
        kc.read_measures(HERE / "heading_plan.txt")  # the running header stops generic
    assert info.value.line == 9 and "layout generic" in info.value.reason
    df, found = read("heading_plan.txt", "heading_plan.toml")
    assert df.attrs["title"] == "○○市地域福祉計画"
    assert df.attrs["levels"] == ["基本目標", "施策"]
    assert df[["policy_no", "direction_no"]].values.tolist() == [[1, 1], [1, 1], [1, 2], [2, 1],
                                                                [2, 1]]
    assert df.loc[2, "direction"] == "相談支援体制の充実"
    assert df.loc[1, "departments"] == ("福祉政策課", "子ども・子育て支援課")
    assert df.loc[3, "departments"] == ("危機管理課", "福祉政策課")
    assert df.loc[2, ["departments", "department_notes"]].tolist() == [(), ("関係各課",)]
    assert df["relisted"].tolist() == [False, False, False, False, True]
    assert df.loc[4, "measure"] == "民生委員・児童委員活動支援"
    assert df["予算額"].tolist() == ["120万円", "80万円", "300万円", "40万円", "―"]
    assert [line for line, _ in found] == [8, 9, 12]
    assert len(kc.explode_departments(df)) == 6


# --- (b) a hierarchy in merged columns ----------------------------------------------------------


def test_b_merged_columns():
    generic, _ = read("merged_columns.txt")
    assert generic.attrs["layout"] == "generic" and len(kc.explode_departments(generic)) == 6
    df, found = read("merged_columns.txt", "merged_columns.toml")
    assert df[["policy_no", "policy", "direction_no", "direction"]].values.tolist() == [
        [1, "人権を尊重する意識づくり", 1, "意識の啓発"],
        [1, "人権を尊重する意識づくり", 1, "意識の啓発"],
        [1, "人権を尊重する意識づくり", 2, "人権教育"],
        [2, "誰もが活躍できる社会づくり", 1, "女性の活躍"],
        [2, "誰もが活躍できる社会づくり", 1, "女性の活躍"]]
    assert df["departments"].tolist() == [
        ("人権推進課", "市民課"), ("人権推進課", "市民課", "障害福祉課"), ("学校教育課",),
        ("男女共同参画課",), ("人権推進課",)]
    assert df.loc[1, "summary"] == "冊子を全戸に配る点字版も作る"
    assert df["relisted"].tolist() == [False, False, False, False, True]
    assert len(kc.explode_departments(df)) == 8
    assert [line for line, _ in found] == [4]


# --- (c) a hierarchy column without numbers ---------------------------------------------------


def test_c_a_column_without_numbers():
    generic, _ = read("unnumbered_column.txt")
    assert generic.attrs["levels"] == ["基本目標"] and "課題" in generic.columns
    df, found = read("unnumbered_column.txt", "unnumbered_column.toml")
    assert df[["policy_no", "direction_no", "direction"]].values.tolist() == [
        [1, 1, "見守りが届きにくい"], [1, 1, "見守りが届きにくい"],
        [1, 2, "相談先が分かりにくい"], [1, 2, "相談先が分かりにくい"],
        [2, 1, "運動の機会が少ない"]]
    assert df.loc[3, "measure"] == "福祉ガイドブック発行事業"  # the bullet taken off
    assert df.loc[4, "departments"] == ("健康推進課", "スポーツ課")
    assert (df["summary"] == "").all() and found == []


def test_c_a_column_of_numbers_and_two_department_columns():
    with pytest.raises(ParseError, match="no 所管する課 column"):
        kc.read_measures(HERE / "number_column.txt")
    df, found = read("number_column.txt", "number_column.toml")
    assert df[["policy_no", "policy"]].values.tolist() == [
        [2, "安心して暮らせるまち"], [2, "安心して暮らせるまち"], [4, "元気に暮らせるまち"],
        [4, "元気に暮らせるまち"]]  # the document's numbers, not 1, 2
    assert "基本目標番号" not in df.columns
    assert df["departments"].tolist() == [
        ("危機管理課", "教育委員会学校教育課"), ("危機管理課", "福祉政策課"), ("健康推進課",),
        ("危機管理課",)]  # both columns count; 教育委員会 + 課 is one department
    assert df.loc[1, "department_notes"] == ("ほか",)
    assert df["relisted"].tolist() == [False, False, False, True]  # 【再掲：基本目標2】
    assert df.loc[3, "measure"] == "防災訓練事業"
    assert [line for line, _ in found] == [3]
    assert len(kc.explode_departments(df)) == 6
    # without number_column the column is an ordinary one, and the titles are numbered 1, 2
    text = fixture("number_column.toml").replace('number_column = ["基本目標番号"]\n', "")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PlanWarning)
        plain = kc.read_measures(HERE / "number_column.txt", kc.layout_from_toml(text))
    assert plain["policy_no"].tolist() == [1, 1, 2, 2] and "基本目標番号" in plain.columns


# --- (d) records on one line ----------------------------------------------------------------


def test_d_records_on_one_line():
    with pytest.raises(ParseError, match="no measure rows found"):
        kc.read_measures(HERE / "records.txt")
    df, found = read("records.txt", "records.toml")
    assert df.attrs["levels"] == ["章"] and df["policy_no"].tolist() == [1, 1, 2]
    assert df["measure"].tolist() == ["自治体ポイント活用事業", "企業立地促進事業", "妊婦訪問事業"]
    assert df["code"].tolist() == ["1", "2", "3"]
    assert df["区分"].tolist() == ["新規", "", "新規"]
    assert df["予算額"].tolist() == ["310万円", "1,103万円", "85万円"]
    assert df.loc[2, "departments"] == ("健康増進課", "こども家庭課")
    assert df.loc[0, "summary"] == ("マイナンバーカードで公共施設の利用者カードを一つにし、"
                                    "市の事業に参加した市民にポイントを付けます。")
    assert [line for line, _ in found] == [8]


# --- (e) a PDF ------------------------------------------------------------------------------


def test_e_a_pdf():
    with pytest.raises(ParseError) as info:
        kc.read_measures(HERE / "pdf_plan.pdf", HERE / "pdf_plan_first_try.toml")
    assert info.value.line == 28 and "「第3章 施策の展開」" in info.value.reason
    df, found = read("pdf_plan.pdf", "pdf_plan.toml")
    assert len(df) == 22 and df.attrs["title"] == "○○市こども計画"
    assert df.drop_duplicates("policy_no")["policy"].tolist() == [
        "子どもが健やかに育つまち", "地域で子どもを育てるまち"]  # titles on the next line
    assert df.groupby(["policy_no", "direction_no"]).size().to_dict() == {
        (1, 1): 2, (1, 2): 18, (2, 1): 2}
    assert df.loc[df["direction_no"] == 2, "direction"].iloc[0] == "子育て家庭の支援"
    assert df["page"].tolist() == [1] * 18 + [2] * 4  # the table goes on over the page
    assert df.loc[19, ["measure", "departments"]].tolist() == [
        "ファミリー・サポート・センター事業", ("こども政策課", "社会福祉協議会")]
    assert df.loc[21, "departments"] == ("こども政策課", "地域福祉課")
    assert [line for line, _ in found] == [27, 28, 38]
    assert "running header" in found[1][1]


# --- (f) from_frame ------------------------------------------------------------------------


def test_f_from_frame():
    names, printed = run_from_frame()
    df = names["df"]
    assert df.attrs["title"] == "○○市福祉計画"
    assert df.attrs["levels"] == ["基本目標", "施策"]
    assert df[["policy_no", "direction_no", "direction"]].values.tolist() == [
        [1, 1, "見守り"], [1, 1, "見守り"], [1, 2, "相談"], [2, 1, "健康づくり"]]
    assert df["measure"].tolist() == ["高齢者見守り事業", "配食サービス事業", "総合相談窓口事業",
                                      "高齢者見守り事業"]  # two in one cell, split by pandas
    assert df["departments"].tolist() == [
        ("長寿福祉課", "地域福祉課"), ("長寿福祉課", "地域福祉課"), ("福祉政策課", "保健センター"),
        ("長寿福祉課",)]
    assert df["relisted"].tolist() == [False, False, False, True]
    assert df["line"].tolist() == [2, 3, 4, 5]
    assert printed.splitlines()[-1] == (
        "{'長寿福祉課': 3, '地域福祉課': 2, '福祉政策課': 1, '保健センター': 1}")

"""The kcdata command with layouts: --layout, warnings on stderr, check --strict."""

from __future__ import annotations

from pathlib import Path

import pytest

from kcdata.cli import main
from kcdata.paths import BUNDLED_DOCUMENT

FIXTURES = Path(__file__).parent / "fixtures"
WELFARE = FIXTURES / "welfare_plan_generic.txt"


def test_check_names_the_layout_it_chose(capsys):
    assert main(["check", str(BUNDLED_DOCUMENT)]) == 0
    assert capsys.readouterr().out.rstrip().endswith("(layout kanazawa)")


def test_warnings_are_printed_with_their_line_and_the_command_succeeds(capsys):
    assert main(["check", str(WELFARE)]) == 0
    captured = capsys.readouterr()
    assert "7 listings" in captured.out and "(layout generic)" in captured.out
    assert "2 基本目標, 3 施策" in captured.out
    assert f"{WELFARE}:11: warning: page number" in captured.err
    assert f"{WELFARE}:17: warning: 関係各課 is not a department" in captured.err
    assert "Traceback" not in captured.err


def test_strict_check_fails_on_warnings(capsys):
    assert main(["check", "--strict", str(WELFARE)]) == 2
    assert "3 warnings (--strict)" in capsys.readouterr().err
    assert main(["check", "--strict", str(BUNDLED_DOCUMENT)]) == 0


def test_a_forced_layout_that_does_not_fit_is_an_error_with_a_way_forward(capsys):
    assert main(["check", "--layout", "kanazawa", str(WELFARE)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"{WELFARE}:7: the header row has no 所管する課 column")
    assert "match no header word" in err and "--layout generic" in err


@pytest.mark.parametrize("command", [["check"], ["build", "--out", "OUT"],
                                     ["report", "--out", "OUT"]])
def test_every_command_takes_a_layout_file(tmp_path, capsys, command):
    layout = tmp_path / "welfare.toml"
    layout.write_text(
        'name = "welfare"\ncontinuation = true\n'
        '[[levels]]\nlabel = "基本目標"\nheading = "基本目標{no}"\n'
        '[[levels]]\nlabel = "施策"\nheading = "施策{no}"\n'
        '[columns]\nmeasure = ["事業名"]\nsummary = ["内容"]\ndepartments = ["担当課"]\n',
        encoding="utf-8",
    )
    args = [a.replace("OUT", str(tmp_path / "out")) for a in command]
    assert main([*args, "--layout", str(layout), str(WELFARE)]) == 0
    if command == ["check"]:
        assert "(layout welfare)" in capsys.readouterr().out


def test_an_unknown_layout_is_an_error(capsys):
    assert main(["check", "--layout", "nagoya", str(BUNDLED_DOCUMENT)]) == 2
    assert capsys.readouterr().err.startswith("nagoya: unknown layout")


def test_a_bad_layout_file_is_an_error(tmp_path, capsys):
    bad = tmp_path / "bad.toml"
    bad.write_text("[[levels]\n", encoding="utf-8")
    assert main(["check", "--layout", str(bad), str(BUNDLED_DOCUMENT)]) == 2
    assert "not a valid TOML file" in capsys.readouterr().err

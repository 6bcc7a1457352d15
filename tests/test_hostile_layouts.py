"""Layout and option files from elsewhere: every value checked, patterns that cannot hang.

The probes of the hostile-input issue (D4, D5, D8, D10), each built as the tester built it:
tiny files made in the test, run under a time-out.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import kcdata as kc
from kcdata.cli import EXIT_BAD_INPUT, main
from kcdata.io.layout_file import layout_from_toml
from kcdata.io.patterns import user_regex
from kcdata.paths import BUNDLED_DOCUMENT, PROJECT_ROOT

LEVELS = ('[[levels]]\nlabel = "基本方針"\nheading = "基本方針{no}"\n'
          '[columns]\nmeasure = ["事業名"]\ndepartments = ["担当課"]\n')


def _run(code: str, timeout: float = 30) -> subprocess.CompletedProcess:
    """Python code in a fresh process, killed after ``timeout`` seconds (the probe's bound)."""
    env = dict(os.environ, PYTHONPATH=str(PROJECT_ROOT))
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=timeout, env=env, check=False)


@pytest.mark.parametrize("pattern", [r"^(\w+\s?)*$", r"(.+)+x", r"(a|b+)*c", r"((ab)*)+"])
def test_a_pattern_that_could_hang_is_refused_at_load(pattern):
    with pytest.raises(ValueError, match=r"ignore: the pattern .* repeats a group"):
        user_regex(pattern, "ignore")
    text = f"ignore = ['{pattern}']\n" + LEVELS
    with pytest.raises(ValueError, match="repeats a group"):
        layout_from_toml(text)
    record = "record = '(?P<measure>(.+)+)〈(?P<departments>[^〉]+)〉'\n" + LEVELS
    with pytest.raises(ValueError, match="record: the pattern"):
        layout_from_toml(record)


def test_ordinary_patterns_are_kept():
    for pattern in (r"^第\d+章", r"^平成\d+年度\s*主な事業\s*\d*$", r"(?:ab)+", r"[\w\s]*$"):
        assert user_regex(pattern, "ignore").pattern == pattern


def test_the_built_in_patterns_are_linear_on_a_long_run_of_spaces():
    # Page numbers and 【再掲】 marks took 37 s and 24 s on one such line.
    code = (
        "import warnings, kcdata\n"
        "warnings.simplefilter('ignore')\n"
        "spaces = ' ' * 40000\n"
        "doc = ('基本方針1 方針\\n施策の方向性(1) 方向\\n事業名\\t事業概要\\t所管する課\\n'\n"
        "       f'【再掲】{spaces}x事業\\t概要\\t甲課\\n'\n"
        "       f'x{spaces}事業{spaces}（再掲）\\t概要\\t甲課\\n'\n"
        "       f'- {spaces}1{spaces}x\\n')\n"
        "try:\n"
        "    df = kcdata.parse_measures(doc, 'kanazawa')\n"
        "    print(df['relisted'].tolist())\n"
        "except kcdata.ParseError as err:\n"
        "    print('refused', err.line)\n"
    )
    done = _run(code, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() in ("[True, True]", "refused 6")


def test_a_heading_template_is_literal_text_around_the_number():
    # 「重点課題{no}.」: the 「.」 is a full stop, not "any character" (男女平等 lost its 男).
    layout = layout_from_toml(
        '[[levels]]\nlabel = "重点課題"\nheading = "重点課題{no}."\n'
        '[columns]\nmeasure = ["事業名"]\ndepartments = ["担当課"]\n')
    doc = "重点課題1.男女平等の推進\n事業名\t担当課\n意識啓発事業\t人権推進課\n"
    df = kc.parse_measures(doc, layout)
    assert df.loc[0, "policy"] == "男女平等の推進"


@pytest.mark.parametrize(("toml", "message"), [
    ('continuation = "false"\n', "continuation: expected true or false"),
    ('relisted_marks = [""]\n', r"relisted_marks\[0\]: expected a non-empty string"),
    ('department_separators = [""]\n', r"department_separators\[0\]: expected a non-empty"),
    ('repeated_lines = "bogus"\n', "repeated_lines: expected one of error, ignore"),
    ('wrapped_lines = "sometimes"\n', "wrapped_lines: expected one of error, join, summary"),
    ('placeholders = [1, 2]\n', r"placeholders\[0\]: expected a non-empty string"),
    ('column_order = "measure"\nrecord = 3\n', "record: expected a regular expression"),
])
def test_every_layout_value_is_checked_at_load(toml, message):
    with pytest.raises(ValueError, match=message):
        layout_from_toml(toml + LEVELS)


def test_header_words_and_templates_are_checked():
    with pytest.raises(ValueError, match=r"columns.measure\[1\]: expected a non-empty string"):
        layout_from_toml(LEVELS.replace('measure = ["事業名"]', 'measure = ["事業名", 5]'))
    with pytest.raises(ValueError, match=r"levels\[1\].number_format: '\{label\}\{nr\}'"):
        template = 'heading = "基本方針{no}"\nnumber_format = "{label}{nr}"\n'
        layout_from_toml(LEVELS.replace('heading = "基本方針{no}"\n', template))


def test_a_string_where_a_list_belongs_is_one_item():
    layout = layout_from_toml('department_separators = "、"\n' + LEVELS)
    assert layout.department_separators == ("、",)


def test_option_files_are_read_like_sources(tmp_path, capsys):
    deep = tmp_path / "deep.toml"
    deep.write_text("a = " + "[" * 100_000 + "]" * 100_000 + "\n", encoding="utf-8")
    big = tmp_path / "big.toml"
    big.write_bytes(b"# " + b"x" * (2 << 20) + b"\n")
    fifo = tmp_path / "fifo.toml"
    if hasattr(os, "mkfifo"):
        os.mkfifo(fifo)
    cases = [(deep, "nested too deeply"), (big, "larger than the limit"),
             (Path("/dev/zero"), "not a regular file")]
    if fifo.exists():
        cases.append((fifo, "not a regular file (a FIFO)"))
    for path, message in cases:
        for option in ("--layout", "--themes"):
            command = "check" if option == "--layout" else "report"
            code = main([command, str(BUNDLED_DOCUMENT), option, str(path),
                         "--out" if command == "report" else "--strict",
                         *([str(tmp_path / "r")] if command == "report" else [])])
            err = capsys.readouterr().err
            assert code == EXIT_BAD_INPUT, (path, option)
            assert message in err and "Traceback" not in err, (path, option, err)

"""Every message kcdata translates has its Japanese, and the reader's messages follow the locale.

:func:`test_every_message_has_its_japanese` collects each ``_("…")`` of ``kcdata/``
(the standard ``_`` of gettext, :func:`kcdata.messages.translate`) from the source
itself, so a message added without its Japanese fails here, not in front of a planner.
"""

from __future__ import annotations

import argparse
import ast
import os
import re
import string
import subprocess
import sys
from pathlib import Path

import pytest

from kcdata.messages import localedir
from kcdata.paths import PROJECT_ROOT

PACKAGE = Path(__file__).parents[1] / "kcdata"
PO = Path(localedir()) / "ja" / "LC_MESSAGES" / "kcdata.po"
_JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


def _calls() -> list[tuple[str, int, ast.Call]]:
    """Every call of ``_`` in kcdata/: (file, line, call)."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id == "_"):
                found.append((str(path.relative_to(PACKAGE.parent)), node.lineno, node))
    return found


def _msgids() -> dict[str, str]:
    """msgid -> where it is first used (``file:line``)."""
    out: dict[str, str] = {}
    for where, line, call in _calls():
        arg = call.args[0] if len(call.args) == 1 and not call.keywords else None
        if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
            out.setdefault(arg.value, f"{where}:{line}")
    return out


def _po_entries() -> dict[str, str]:
    """msgid -> msgstr of the .po file (strings continued over several lines too)."""
    entries: dict[str, str] = {}
    key, parts = None, {"msgid": [], "msgstr": []}

    def flush() -> None:
        if parts["msgid"]:
            entries["".join(parts["msgid"])] = "".join(parts["msgstr"])
        parts["msgid"].clear()
        parts["msgstr"].clear()

    for raw in PO.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        word, _, rest = line.partition(" ")
        if word in ("msgid", "msgstr"):
            if word == "msgid":
                flush()
            key, line = word, rest
        parts[key].append(ast.literal_eval(line))  # a C string: the escapes Python knows
    flush()
    return entries


def _fields(text: str) -> set[str]:
    """The placeholders of a message: ``{name!conversion}`` of str.format (the format spec
    may differ: the Japanese pads with ideographic spaces), or ``%(name)s`` / ``%s``."""
    braces = {f"{{{name}{'!' + conv if conv else ''}}}"
              for _, name, _spec, conv in string.Formatter().parse(text) if name is not None}
    return braces | set(re.findall(r"%(?:\(\w+\))?[sdr]", text))


def test_every_translated_string_is_a_literal():
    """``_(f"…")`` or ``_(variable)`` can never be in the catalog: translate the template."""
    bad = [f"{where}:{line}" for where, line, call in _calls()
           if len(call.args) != 1 or call.keywords or not (
               isinstance(call.args[0], ast.Constant) and isinstance(call.args[0].value, str))]
    assert not bad, f"_() of something other than one string literal: {bad}"


def test_every_message_has_its_japanese():
    entries = _po_entries()
    ids = _msgids()
    assert len(ids) > 150  # the reader's messages are collected too
    missing = [f"{where}: {msgid!r}" for msgid, where in ids.items() if not entries.get(msgid)]
    assert not missing, "no msgstr in kcdata.po (add it, then `make messages`):\n" + "\n".join(
        missing)


def test_the_japanese_keeps_every_placeholder():
    entries = _po_entries()
    wrong = [msgid for msgid, msgstr in entries.items()
             if msgid and msgstr and _fields(msgid) != _fields(msgstr)]
    assert not wrong, f"placeholders differ between msgid and msgstr: {wrong}"


def test_no_message_of_the_catalog_is_unused():
    """An entry whose message left the code is dead weight (argparse's own words excepted)."""
    argparse_source = Path(argparse.__file__).read_text(encoding="utf-8")
    ids = _msgids()
    as_written = {m: "_('" + m.replace("\n", "\\n") + "'" for m in _po_entries() if m}
    unused = [m for m, call in as_written.items() if m not in ids and call not in argparse_source]
    assert not unused, unused


# -- the reader's messages under a Japanese locale -------------------------------------------


def _check(*args: str, lang: str = "ja_JP.UTF-8", language: str = "ja"):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "LANG"))}
    env.update(LANG=lang, LANGUAGE=language, PYTHONPATH=str(PROJECT_ROOT))
    return subprocess.run([sys.executable, "-m", "kcdata.cli", "check", *args],
                          capture_output=True, text=True, env=env, timeout=120, check=False)


HEADER = "事業名\t事業概要\t所管する課"
GOOD = ["基本方針1 地域", "施策の方向性(1) 理解", HEADER, "A事業\t概要\t甲課"]


@pytest.fixture
def bad_document(tmp_path) -> Path:
    """Line 5: a table row without a 事業名 (the kanazawa layout has no continuation rows)."""
    path = tmp_path / "計画.txt"
    path.write_text("\n".join([*GOOD, "\t続きの概要\t乙課"]) + "\n", encoding="utf-8")
    return path


def test_a_reader_error_is_japanese_under_a_japanese_locale(bad_document):
    result = _check(str(bad_document), "--layout", "kanazawa")
    assert result.returncode == 2
    assert result.stdout == ""
    [line] = result.stderr.splitlines()
    m = re.fullmatch(rf"{re.escape(str(bad_document))}:(\d+): (.+)", line)
    assert m, line  # still SOURCE:LINE: reason
    assert m.group(1) == "5"
    reason = m.group(2)
    assert "事業名が空です" in reason and "「| 続きの概要 | 乙課」" in reason, reason
    assert not re.search(r"\b(empty|in|line)\b", reason), reason


def test_a_reader_error_stays_english_otherwise(bad_document):
    result = _check(str(bad_document), "--layout", "kanazawa", lang="C.UTF-8", language="en")
    assert result.returncode == 2
    assert result.stderr.strip() == (f"{bad_document}:5: empty 事業名 in 「| 続きの概要 | 乙課」")


def test_a_reader_warning_is_japanese_under_a_japanese_locale(tmp_path):
    path = tmp_path / "計画.txt"
    path.write_text("\n".join([*GOOD, "- 3 -", "B事業\t概要\t乙課"]) + "\n", encoding="utf-8")
    result = _check(str(path), "--layout", "kanazawa")
    assert result.returncode == 0, result.stderr
    [warning] = result.stderr.splitlines()
    assert warning.startswith(f"{path}:5: 警告: "), warning
    assert "ページ番号" in warning and "読み飛ばしました" in warning, warning
    assert "skipped" not in warning


def test_a_layout_file_error_is_japanese_under_a_japanese_locale(tmp_path):
    layout = tmp_path / "市.toml"
    layout.write_text('wrapped_lines = "maybe"\n[[levels]]\nlabel = "章"\n'
                      '[columns]\nmeasure = ["事業名"]\n', encoding="utf-8")
    source = tmp_path / "計画.txt"
    source.write_text("\n".join(GOOD) + "\n", encoding="utf-8")
    result = _check(str(source), "--layout", str(layout))
    assert result.returncode == 2
    assert "wrapped_lines" in result.stderr and "のどれか" in result.stderr, result.stderr

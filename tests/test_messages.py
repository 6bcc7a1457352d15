"""The command's messages follow the locale: Japanese under a Japanese locale, else English."""

from __future__ import annotations

import gettext
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from kcdata.messages import DOMAIN, localedir
from kcdata.paths import BUNDLED_DOCUMENT, PROJECT_ROOT

PO = Path(localedir()) / "ja" / "LC_MESSAGES" / "kcdata.po"


def _kcdata(*args: str, lang: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "LANG"))}
    env.update(LANG=lang, PYTHONPATH=str(PROJECT_ROOT))
    return subprocess.run([sys.executable, "-m", "kcdata.cli", *args], capture_output=True,
                          text=True, env=env, timeout=120, check=False)


def _po_entries() -> dict[str, str]:
    """msgid -> msgstr of the .po file (its entries are one line each)."""
    text = PO.read_text(encoding="utf-8")
    pairs = re.findall(r'^msgid "(.+)"\nmsgstr "(.*)"$', text, flags=re.M)
    return {gettext_unescape(i): gettext_unescape(s) for i, s in pairs}


def gettext_unescape(text: str) -> str:
    return text.replace('\\"', '"').replace("\\n", "\n")


def test_the_compiled_catalog_is_the_po_file():
    catalog = gettext.translation(DOMAIN, localedir(), languages=["ja"])
    entries = _po_entries()
    assert len(entries) > 40
    for msgid, msgstr in entries.items():
        assert catalog.gettext(msgid) == msgstr, msgid  # run `make messages` after editing


def test_japanese_under_a_japanese_locale(tmp_path):
    bare = _kcdata(lang="ja_JP.UTF-8")
    assert bare.returncode == 0
    assert "使い方: kcdata" in bare.stdout and "コマンド" in bare.stdout
    assert "文書を読み込んで、1行の要約を表示する" in bare.stdout
    ok = _kcdata("check", str(BUNDLED_DOCUMENT), lang="ja_JP.UTF-8")
    assert ok.stdout.startswith(f"{BUNDLED_DOCUMENT}: 読み込みました: 掲載 110 件")
    missing = _kcdata("check", str(tmp_path / "ない.txt"), lang="ja_JP.UTF-8")
    assert missing.returncode == 2 and "読み込めません" in missing.stderr
    usage = _kcdata("diff", "a.txt", lang="ja_JP.UTF-8")
    assert usage.returncode == 2 and "エラー: 次の引数が必要です: NEW" in usage.stderr


@pytest.mark.parametrize("lang", ["C.UTF-8", "en_US.UTF-8"])
def test_english_otherwise(lang):
    bare = _kcdata(lang=lang)
    assert "usage: kcdata" in bare.stdout and "parse a document" in bare.stdout
    ok = _kcdata("check", str(BUNDLED_DOCUMENT), lang=lang)
    assert ": ok: 110 listings" in ok.stdout

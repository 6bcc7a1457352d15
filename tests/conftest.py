"""Shared fixtures: the bundled document and small documents written by hand."""

from __future__ import annotations

import os

import pandas as pd
import pytest

from kcdata import read_measures
from kcdata.paths import BUNDLED_DOCUMENT

# The tests read the command's English messages: whatever this machine's locale, they run
# in English (gettext looks at LANGUAGE first); tests/test_messages.py sets Japanese itself.
os.environ["LANGUAGE"] = "en"

HEADER_ROW = "事業名\t事業概要\t所管する課"


def doc(*lines: str) -> str:
    """A document from its lines (joined with LF, final newline)."""
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="session")
def _bundled() -> pd.DataFrame:
    return read_measures(BUNDLED_DOCUMENT)


@pytest.fixture
def bundled(_bundled: pd.DataFrame) -> pd.DataFrame:
    """The bundled plan's listing table (a fresh copy for each test)."""
    return _bundled.copy()


@pytest.fixture
def small_doc() -> str:
    """Two policies, three directions, a co-managed row, a forward 【再掲】 and page breaks."""
    return doc(
        "2 具体的な施策",
        "",
        "基本方針1 地域の 醸成",
        "",
        "施策の方向性(1) 理解の促進",
        HEADER_ROW,
        "【再掲】B 事業\t概要 B\t乙課",
        "A 事業\t概要 A\t甲課",
        "",
        "C事業\t\t甲課　丙課",
        "施策の方向性（２） 参加",
        HEADER_ROW,
        "D事業\t概要 D\t丁課",
        HEADER_ROW,
        "E事業\t概要 E\t甲課",
        "基本方針 ２ 連携",
        "施策の方向性(1) 人材",
        HEADER_ROW,
        "B事業\t概要 B\t乙課",
    )

"""Raw data is never modified: every file matches the hash recorded in data/raw/README.md."""

from __future__ import annotations

import hashlib
import re

import pytest

from kcdata.files import write_bytes_atomic
from kcdata.paths import BUNDLED_DOCUMENT, RAW_DIR

RECORDED = dict(re.findall(r"\| `([^`]+)` \|.*\| `([0-9a-f]{64})` \|",
                           (RAW_DIR / "README.md").read_text(encoding="utf-8")))


def test_bundled_document_is_recorded():
    assert BUNDLED_DOCUMENT.name in RECORDED


@pytest.mark.parametrize("name", sorted(RECORDED))
def test_raw_file_matches_recorded_hash(name):
    assert hashlib.sha256((RAW_DIR / name).read_bytes()).hexdigest() == RECORDED[name]


def test_every_raw_document_is_recorded():
    files = {p.name for p in RAW_DIR.iterdir() if p.is_file() and p.name != "README.md"}
    assert files == set(RECORDED)


def test_writing_into_raw_is_refused():
    with pytest.raises(PermissionError):
        write_bytes_atomic(RAW_DIR / "new.txt", b"x")
    assert not (RAW_DIR / "new.txt").exists()

"""The example plan is package data, a byte copy of data/raw/'s original, loaded by kcdata."""

from __future__ import annotations

import tomllib

import pandas as pd

import kcdata
from kcdata import paths
from kcdata.io.example import EXAMPLE_NAME, example_path, load_example
from kcdata.io.read import read_measures


def test_package_copy_is_byte_identical_to_the_raw_original():
    original = paths.RAW_DIR / EXAMPLE_NAME
    assert example_path() != original  # two files: the package's copy and data/raw/'s
    assert example_path().read_bytes() == original.read_bytes()


def test_example_path_is_a_real_file_inside_the_package():
    path = example_path()
    assert path.is_file()
    assert path.parent.parent == paths.PROJECT_ROOT / "kcdata"  # kcdata/data/ here
    assert kcdata.example_path() == path


def test_bundled_document_still_names_the_example():
    # paths.BUNDLED_DOCUMENT is public API: it keeps working, and is the package's file now.
    assert paths.BUNDLED_DOCUMENT == example_path()
    from kcdata.paths import BUNDLED_DOCUMENT

    assert BUNDLED_DOCUMENT == example_path()


def test_paths_has_no_other_lazy_names():
    try:
        paths.NO_SUCH_NAME  # noqa: B018
    except AttributeError as err:
        assert "NO_SUCH_NAME" in str(err)
    else:  # pragma: no cover
        raise AssertionError("paths.NO_SUCH_NAME should not exist")


def test_load_example_is_the_raw_document_parsed():
    df = kcdata.load_example()
    pd.testing.assert_frame_equal(df, read_measures(paths.RAW_DIR / EXAMPLE_NAME))
    assert len(df) == 110 and int(df["relisted"].sum()) == 2


def test_load_example_gives_a_new_table_each_time():
    first = load_example()
    first.loc[0, "measure"] = "変更"
    assert load_example().loc[0, "measure"] != "変更"


def test_the_wheel_declares_the_example_as_package_data():
    config = tomllib.loads((paths.PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["kcdata"]
    files = {p.name for pattern in patterns for p in (paths.PROJECT_ROOT / "kcdata").glob(pattern)}
    assert EXAMPLE_NAME in files

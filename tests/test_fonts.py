"""The Japanese font set-up: the package's font, once per process, and the fallbacks."""

from __future__ import annotations

import os
import subprocess
import sys
import warnings

import matplotlib
import pytest
from matplotlib import font_manager

from kcdata.outputs import fonts


@pytest.fixture
def fresh_cache():
    """Forget the cached font before and after the test (the set-up is per process)."""
    fonts._resolve_family.cache_clear()
    yield
    fonts._resolve_family.cache_clear()
    fonts.use_japanese_font()


def test_use_japanese_font_sets_a_cjk_family():
    family = fonts.use_japanese_font()
    assert family in fonts.CJK_FONT_FAMILIES
    assert matplotlib.rcParams["font.family"][0] == family
    path = font_manager.findfont(font_manager.FontProperties(family=family),
                                 fallback_to_default=False)
    assert font_manager.FontProperties(fname=path).get_name() == family


def test_use_japanese_font_is_idempotent_and_survives_rcdefaults():
    family = fonts.use_japanese_font()
    assert fonts.use_japanese_font() == family
    assert fonts._resolve_family.cache_info().currsize == 1
    with matplotlib.rc_context():
        matplotlib.rcdefaults()
        assert fonts.use_japanese_font() == family
        assert matplotlib.rcParams["font.family"][0] == family


def test_the_installed_package_registers_ipaexgothic():
    # pyproject.toml installs matplotlib-fontja on every Python.
    assert fonts.use_japanese_font() == "IPAexGothic"


def test_first_set_up_hides_the_distutils_deprecation_warning():
    code = ("import warnings; warnings.simplefilter('error'); "
            "from kcdata.outputs.fonts import use_japanese_font; print(use_japanese_font())")
    result = subprocess.run([sys.executable, "-W", "error", "-c", code],
                            capture_output=True, text=True, check=False,
                            env={**os.environ, "MPLBACKEND": "Agg"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "IPAexGothic"
    assert "Warning" not in result.stderr


def test_falls_back_to_an_installed_cjk_font_with_a_warning(fresh_cache, monkeypatch):
    fonts.use_japanese_font()  # make sure IPAexGothic is registered, as an installed font
    fonts._resolve_family.cache_clear()
    monkeypatch.setattr(fonts, "JAPANESE_FONT_PACKAGES",
                        (("kcdata_no_such_font_package", "IPAexGothic"),))
    with pytest.warns(fonts.JapaneseFontWarning, match="kcdata_no_such_font_package") as record:
        family = fonts.use_japanese_font()
    assert family == "IPAexGothic"
    assert "IPAexGothic" in str(record[0].message)
    # Cached: no second warning.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert fonts.use_japanese_font() == family


def test_no_cjk_font_at_all_warns_clearly(fresh_cache, monkeypatch):
    monkeypatch.setattr(fonts, "JAPANESE_FONT_PACKAGES",
                        (("kcdata_no_such_font_package", "IPAexGothic"),))
    monkeypatch.setattr(fonts, "CJK_FONT_FAMILIES", ("No Such CJK Font",))
    with matplotlib.rc_context():
        with pytest.warns(fonts.JapaneseFontWarning, match="no Japanese font found"):
            assert fonts.use_japanese_font() is None


def test_a_package_that_breaks_on_import_is_skipped(fresh_cache, monkeypatch, tmp_path):
    (tmp_path / "kcdata_broken_font_pkg.py").write_text(
        "import distutils_removed_in_312\n", encoding="utf-8"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(fonts, "JAPANESE_FONT_PACKAGES", (
        ("kcdata_broken_font_pkg", "IPAexGothic"),
        *fonts.JAPANESE_FONT_PACKAGES,
    ))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert fonts.use_japanese_font() == "IPAexGothic"

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
    """Forget the registration before and after the test (the set-up is per process)."""
    fonts._register.cache_clear()
    yield
    fonts._register.cache_clear()
    fonts.use_japanese_font()


def test_use_japanese_font_sets_the_bundled_family():
    family = fonts.use_japanese_font()
    assert family == "IPAexGothic"
    assert matplotlib.rcParams["font.family"][0] == family
    path = font_manager.findfont(font_manager.FontProperties(family=family),
                                 fallback_to_default=False)
    assert font_manager.FontProperties(fname=path).get_name() == family


def test_use_japanese_font_is_idempotent_and_survives_rcdefaults():
    family = fonts.use_japanese_font()
    assert fonts.use_japanese_font() == family
    with matplotlib.rc_context():
        matplotlib.rcdefaults()
        assert fonts.use_japanese_font() == family
        assert matplotlib.rcParams["font.family"][0] == family


def test_the_package_font_is_registered_whatever_the_system_has():
    # With Debian's fonts-ipaexfont installed (.ci/run) the system copy is there too;
    # matplotlib-fontja's own file must be registered all the same.
    fonts.use_japanese_font()
    files = {f.fname for f in font_manager.fontManager.ttflist if f.name == "IPAexGothic"}
    assert any("matplotlib_fontja" in f for f in files), files


def test_first_set_up_warns_nothing():
    code = ("import warnings; warnings.simplefilter('error'); "
            "from kcdata.outputs.fonts import use_japanese_font; print(use_japanese_font())")
    result = subprocess.run([sys.executable, "-W", "error", "-c", code],
                            capture_output=True, text=True, check=False,
                            env={**os.environ, "MPLBACKEND": "Agg"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "IPAexGothic"
    assert "Warning" not in result.stderr


def test_a_missing_font_package_warns_clearly_once(fresh_cache, monkeypatch):
    monkeypatch.setattr(fonts, "FONT_PACKAGE", "kcdata_no_such_font_package")
    with matplotlib.rc_context():
        with pytest.warns(fonts.JapaneseFontWarning, match="kcdata_no_such_font_package"):
            assert fonts.use_japanese_font() is None
        with warnings.catch_warnings():  # cached: no second warning
            warnings.simplefilter("error")
            assert fonts.use_japanese_font() is None

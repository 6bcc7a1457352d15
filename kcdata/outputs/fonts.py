"""The Japanese font for charts: matplotlib-fontja's IPAexGothic, set up once per process.

matplotlib's default font (DejaVu Sans) has no Japanese glyphs: every kanji
would render as a box with a ``Glyph ... missing from font(s)`` warning.
``import matplotlib_fontja`` (the maintained fork of japanize-matplotlib, a
pure wheel for every Python, a dependency of kcdata) registers the bundled
IPAexGothic (IPAex ゴシック). Fonts added that way are not cached on disk, so
the import is done lazily, by every chart function, never at import time.
"""

from __future__ import annotations

import functools
import importlib
import warnings

__all__ = ["FONT_FAMILY", "FONT_PACKAGE", "JapaneseFontWarning", "use_japanese_font"]

#: The package that registers the font when imported, and the family it registers.
FONT_PACKAGE = "matplotlib_fontja"
FONT_FAMILY = "IPAexGothic"


class JapaneseFontWarning(UserWarning):
    """The Japanese font package could not be imported: Japanese text renders as boxes."""


@functools.cache
def _register() -> str | None:
    """Import the font package once per process; the family name, or None (with a warning)."""
    try:
        importlib.import_module(FONT_PACKAGE)
    except ImportError as err:
        warnings.warn(
            f"{FONT_PACKAGE} could not be imported ({err}): Japanese text in charts will "
            "render as boxes. Install kcdata's dependencies (pip install -e .) to fix this.",
            JapaneseFontWarning,
            stacklevel=3,
        )
        return None
    return FONT_FAMILY


def use_japanese_font() -> str | None:
    """Make matplotlib draw Japanese text; return the font family used (None if none).

    The font is registered once per process. Each call (cheap) puts the family
    first in ``rcParams["font.family"]``, so it survives
    ``matplotlib.rcdefaults()``. Idempotent.

    >>> use_japanese_font()
    'IPAexGothic'
    """
    import matplotlib

    family = _register()
    if family is not None and list(matplotlib.rcParams["font.family"])[:1] != [family]:
        matplotlib.rcParams["font.family"] = [family]
    return family

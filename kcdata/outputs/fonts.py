"""The charts' Japanese font: matplotlib-fontja's IPAexGothic, registered once per process.

Fonts added with ``font_manager.addfont`` are not cached on disk, so the package is
imported lazily, when a chart is made, never at import time.
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
    """Put the Japanese font first in ``rcParams["font.family"]``; return it (None if missing).

    Cheap after the first call, and called again by every chart, so that the font
    survives ``matplotlib.rcdefaults()``.

    >>> use_japanese_font()
    'IPAexGothic'
    """
    import matplotlib

    family = _register()
    if family is not None and list(matplotlib.rcParams["font.family"])[:1] != [family]:
        matplotlib.rcParams["font.family"] = [family]
    return family

"""The Japanese font for charts: one function, called lazily, cached once per process.

matplotlib's default font (DejaVu Sans) has no Japanese glyphs: every kanji
would render as a box with a ``Glyph ... missing from font(s)`` warning. The
set-up, in order of preference:

1. ``matplotlib_fontja`` (the maintained fork of japanize-matplotlib, a pure
   wheel for every Python; ``pyproject.toml`` installs it);
2. ``japanize_matplotlib``, if installed (it imports the removed
   ``distutils``, so its DeprecationWarning is hidden here);
3. an installed CJK font found through ``matplotlib.font_manager``
   (Noto Sans CJK JP, IPAexGothic, ...), with a warning saying which one.

Both packages register the bundled IPAexGothic (IPAex ゴシック) under the family
name ``"IPAexGothic"`` when imported, through their own code; nothing here
reaches into a package's files.
"""

from __future__ import annotations

import functools
import importlib
import warnings

__all__ = [
    "CJK_FONT_FAMILIES",
    "JAPANESE_FONT_PACKAGES",
    "JapaneseFontWarning",
    "use_japanese_font",
]

#: Packages tried, in order: (module name, family name it registers).
JAPANESE_FONT_PACKAGES: tuple[tuple[str, str], ...] = (
    ("matplotlib_fontja", "IPAexGothic"),
    ("japanize_matplotlib", "IPAexGothic"),
)

#: Installed fonts tried, in order, when neither package imports.
CJK_FONT_FAMILIES: tuple[str, ...] = (
    "IPAexGothic",
    "IPAGothic",
    "IPAPGothic",
    "Noto Sans CJK JP",
    "Noto Sans JP",
    "Source Han Sans JP",
    "Source Han Sans",
    "Hiragino Sans",
    "Hiragino Kaku Gothic ProN",
    "Yu Gothic",
    "Meiryo",
    "MS Gothic",
    "TakaoGothic",
    "VL Gothic",
    "Noto Sans CJK SC",
    "Droid Sans Fallback",
)


class JapaneseFontWarning(UserWarning):
    """No Japanese font package could be imported (or no CJK font at all)."""


def _import_font_package(module: str) -> bool:
    """Import a font package (which registers its font on import); False if it fails."""
    with warnings.catch_warnings():
        # japanize_matplotlib does `from distutils.version import LooseVersion`.
        warnings.simplefilter("ignore", DeprecationWarning)
        try:
            importlib.import_module(module)
        except Exception:  # ImportError, or distutils' absence surfacing differently
            return False
    return True


@functools.cache
def _resolve_family() -> str | None:
    """Register a Japanese font once per process; the family name, or None."""
    from matplotlib import font_manager

    installed = lambda: {f.name for f in font_manager.fontManager.ttflist}  # noqa: E731
    tried = []
    for module, family in JAPANESE_FONT_PACKAGES:
        tried.append(module)
        if _import_font_package(module) and family in installed():
            return family
    names = installed()
    for family in CJK_FONT_FAMILIES:
        if family in names:
            warnings.warn(
                f"neither {' nor '.join(tried)} could be imported; "
                f"using the installed font {family!r} for Japanese text. "
                "Install kcdata's dependencies (pip install -e .) for the bundled IPAexGothic.",
                JapaneseFontWarning,
                stacklevel=3,
            )
            return family
    warnings.warn(
        f"no Japanese font found: neither {' nor '.join(tried)} could be imported and no "
        f"CJK font is installed (looked for {', '.join(CJK_FONT_FAMILIES[:6])}, ...); "
        "Japanese text in charts will render as boxes. "
        "Install kcdata's dependencies (pip install -e .) to fix this.",
        JapaneseFontWarning,
        stacklevel=3,
    )
    return None


def use_japanese_font() -> str | None:
    """Make matplotlib draw Japanese text; return the font family used (None if none).

    The font is found and registered once per process (fonts added with
    ``font_manager.addfont`` are not cached on disk, so this is done lazily, by
    every chart function, not at import time). Each call (cheap) puts the
    family first in ``rcParams["font.family"]``, so it survives
    ``matplotlib.rcdefaults()``. Idempotent.

    >>> family = use_japanese_font()
    >>> family == use_japanese_font()
    True
    """
    import matplotlib

    family = _resolve_family()
    if family is not None and list(matplotlib.rcParams["font.family"])[:1] != [family]:
        matplotlib.rcParams["font.family"] = [family]
    return family

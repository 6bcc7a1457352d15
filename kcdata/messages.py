"""The command line's messages in the user's language (gettext: Japanese or English).

The catalog ``locale/ja/LC_MESSAGES/kcdata.mo`` (``make messages`` compiles it from
``kcdata.po``) is chosen by ``LANGUAGE``, ``LC_ALL``, ``LC_MESSAGES`` and ``LANG``.
"""

from __future__ import annotations

import functools
import gettext
from importlib import resources

DOMAIN = "kcdata"


def localedir() -> str:
    """The folder of the compiled catalogs (package data)."""
    return str(resources.files("kcdata").joinpath("locale"))


@functools.cache
def _translation() -> gettext.NullTranslations:
    return gettext.translation(DOMAIN, localedir(), fallback=True)


def translate(message: str) -> str:
    """``message`` in the user's language; modules import it as ``_`` (for xgettext)."""
    return _translation().gettext(message)


def use_for_argparse() -> None:
    """Make argparse's own words (``usage:``, ``error:``) follow too: the CLI's set-up."""
    gettext.bindtextdomain(DOMAIN, localedir())
    gettext.textdomain(DOMAIN)

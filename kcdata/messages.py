"""The command line's messages in the user's language: Japanese or English, by gettext.

The catalog ``kcdata/locale/ja/LC_MESSAGES/kcdata.mo`` (compiled from the
``kcdata.po`` beside it, ``make messages``) is chosen by the standard variables
``LANGUAGE``, ``LC_ALL``, ``LC_MESSAGES`` and ``LANG``, as every gettext program
does: ``LANG=ja_JP.UTF-8`` (a Japanese Windows or macOS) gives Japanese, any
other locale English, the text as written in the code. :func:`use_for_argparse`
lets argparse's own words (usage, error, the help option) follow too.
"""

from __future__ import annotations

import functools
import gettext
from importlib import resources

__all__ = ["DOMAIN", "localedir", "translate", "use_for_argparse"]

#: The gettext domain of kcdata's catalogs.
DOMAIN = "kcdata"


def localedir() -> str:
    """The folder of the compiled catalogs (package data, in the wheel too)."""
    return str(resources.files("kcdata").joinpath("locale"))


@functools.cache
def _translation() -> gettext.NullTranslations:
    return gettext.translation(DOMAIN, localedir(), fallback=True)


def translate(message: str) -> str:
    """``message`` in the user's language (the message itself when there is no translation).

    Modules import it as ``_``, the name gettext's tools (xgettext) look for.
    """
    return _translation().gettext(message)


def use_for_argparse() -> None:
    """Make argparse's words (``usage:``, ``error:``, ``show this help message``) follow too.

    argparse looks its words up in gettext's current domain: this makes it
    kcdata's, whose catalog translates them. Called by the ``kcdata`` command only.
    """
    gettext.bindtextdomain(DOMAIN, localedir())
    gettext.textdomain(DOMAIN)

"""The ``kcdata`` command's words: commands, arguments, options and help texts.

:func:`build_parser` is the whole command line; :mod:`kcdata.cli` runs what it parses.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from kcdata import paths
from kcdata.messages import translate as _
from kcdata.version import __version__

#: The widest context ``kcdata search --context`` shows on each side of a match.
MAX_CONTEXT = 200


def _context_width(text: str) -> int:
    """``search --context``: a whole number from 0 to :data:`MAX_CONTEXT`, or a usage error."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if not 0 <= value <= MAX_CONTEXT:
        raise argparse.ArgumentTypeError(f"{value} is not from 0 to {MAX_CONTEXT}")
    return value


def build_parser() -> argparse.ArgumentParser:
    """The ``kcdata`` command's parser: ``args.command`` names the command given (or None)."""
    parser = argparse.ArgumentParser(
        prog="kcdata",
        description=_("Tidy data, analyses, charts and workbooks from the measure tables "
        "of Japanese municipal plans (事業名・事業概要・所管する課 under headings such as "
        "基本方針 or 基本目標). The bundled example is Kanazawa's community plan."),
        epilog=_("Bad input: SOURCE:LINE: reason on stderr, exit status 2. Lines skipped or "
        "joined: SOURCE:LINE: warning: ... on stderr. Layouts: kanazawa, generic, or a "
        "layout file (README: レイアウトファイル)."),
    )
    parser.add_argument("--version", action="version", version=f"kcdata {__version__}",
                        help=_("show program's version number and exit"))
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", title=_("commands"))
    bundled = str(paths.BUNDLED_DOCUMENT)  # no SOURCE: the bundled plan

    check = sub.add_parser("check", help=_("parse a document and print a one-line summary"))
    check.add_argument("source", metavar="SOURCE", nargs="?", default=bundled, help=_(
        "the measures document (.txt, .csv or .xlsx; default: the bundled document)"))
    check.add_argument("--strict", action="store_true", help=_("exit 2 on any warning"))
    check.add_argument("--lines", action="store_true", help=_(
        "print what the reader saw on every line: heading, header, row, text joined "
        "to which row, skipped and why (for writing a layout file)"))

    build = sub.add_parser("build", help=_(
        "write measures.csv and measure_departments.csv (UTF-8 with BOM)"))
    build.add_argument("source", metavar="SOURCE", nargs="?", default=bundled,
                       help=_("the measures document (default: the bundled document)"))
    build.add_argument("--out", metavar="DIR", type=Path, default=paths.DEFAULT_PROCESSED_OUT,
                       help=_("output folder (default: ./processed/)"))

    report = sub.add_parser("report", help=_(
        "write the charts (PNG, SVG), the summary workbook (.xlsx) and the browser page (.html)"))
    report.add_argument(
        "source", metavar="SOURCE", nargs="*", default=bundled,
        help=_("the measures document (default: the bundled document)")
        + _("; two or more, or a folder of them: a corpus report (charts and "
            "corpus_summary.xlsx)"))
    report.add_argument("--out", metavar="DIR", type=Path, default=paths.DEFAULT_REPORTS_OUT,
                        help=_("output folder (default: ./reports/); figures in DIR/figures/"))
    report.add_argument("--themes", metavar="FILE.toml", default=None, help=_(
        "theme dictionary for the theme chart and sheets (default: kcdata's own)"))
    report.add_argument("--editions", action="store_true", help=_(
        "two or more documents are editions of one plan (default: only when their "
        "titles say so; other plans are compared side by side, never as editions)"))
    report.add_argument("--no-html", action="store_true", help=_(
        "do not write the browser page DIR/<SOURCE stem>_report.html"))

    diff = sub.add_parser("diff", help=_(
        "compare two versions of a plan: counts, changed measures, 新旧対照表"))
    diff.add_argument("old", metavar="OLD", help=_("the older edition"))
    diff.add_argument("new", metavar="NEW", help=_("the newer edition"))
    diff.add_argument("newer", metavar="NEWER", nargs="*", help=_(
        "more editions, oldest first: with them the workbook has the 経年 sheet too"))
    diff.add_argument("--out", metavar="FILE.xlsx", type=Path, default=None,
                      help=_("also write the 新旧対照表 workbook to this file"))
    diff.add_argument("--changed-only", action="store_true",
                      help=_("leave unchanged measures out of the workbook"))

    search = sub.add_parser("search", help=_(
        "keyword in context: every occurrence of the words in 事業名 and 事業概要"))
    search.add_argument("source", metavar="SOURCE", help=_("the measures document"))
    search.add_argument("words", metavar="WORD", nargs="+", help=_(
        "words to find (any of them); width, case and katakana/hiragana do not count"))
    search.add_argument(
        "--context", metavar="N", type=_context_width, default=15,
        help=_("characters shown on each side, 0 to {n} (default 15)").format(n=MAX_CONTEXT))
    for command in (check, build, report, diff, search):
        command.add_argument("--layout", metavar="NAME|FILE.toml", default=None, help=_(
            "the plan's layout: kanazawa, generic, or a layout file "
            "(default: the first built-in layout that reads every line)"))
        command.add_argument("--sheet", metavar="NAME", default=None, help=_(
            "the sheet of an .xlsx source (default: the only sheet, or 事業一覧)"))
    return parser


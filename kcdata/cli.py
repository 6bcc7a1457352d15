"""The ``kcdata`` command: check, build, report, diff.

Bad input never ends in a traceback: a document that does not parse prints
``SOURCE:LINE: reason`` (or ``SOURCE: reason`` for a whole-document problem) on
stderr and exits with status 2.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from . import paths
from .parse import ParseError, read_measures

EXIT_BAD_INPUT = 2


class _BadInput(Exception):
    """A message for stderr and exit status 2."""


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except _BadInput as err:
        print(err, file=sys.stderr)
        return EXIT_BAD_INPUT


def load(source: str | Path) -> pd.DataFrame:
    """Read a document for the CLI, turning every input problem into ``SOURCE:LINE: reason``."""
    try:
        return read_measures(source)
    except ParseError as err:
        where = f"{source}:{err.line}" if err.line is not None else f"{source}"
        raise _BadInput(f"{where}: {err.reason}") from None
    except OSError as err:
        raise _BadInput(f"{source}: cannot read: {err.strerror or err}") from None


def summary_line(df: pd.DataFrame) -> str:
    """The one-line summary printed by ``kcdata check``."""
    departments = {d for ds in df["departments"] for d in ds}
    sections = df[["policy_no", "direction_no"]].drop_duplicates()
    return (
        f"{len(df)} listings ({int(df['relisted'].sum())} 【再掲】), "
        f"{df.loc[~df['relisted'], 'measure'].nunique()} measures, "
        f"{len(departments)} departments, "
        f"{sections['policy_no'].nunique()} 基本方針, {len(sections)} 施策の方向性"
    )


def _check(args: argparse.Namespace) -> int:
    df = load(args.source)
    print(f"{args.source}: ok: {summary_line(df)}")
    return 0


def _build(args: argparse.Namespace) -> int:
    from .processed import write_processed

    df = load(args.source)
    for path in write_processed(df, args.out):
        print(path)
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kcdata",
        description="Tidy data, analyses, charts and workbooks from the measure tables "
        "of Kanazawa's community plan (地域コミュニティ活性化推進計画).",
        epilog="Bad input: SOURCE:LINE: reason on stderr, exit status 2.",
    )
    sub = parser.add_subparsers(required=True, metavar="COMMAND")

    check = sub.add_parser("check", help="parse a document and print a one-line summary")
    check.add_argument("source", metavar="SOURCE", help="the measures document (.txt)")
    check.set_defaults(run=_check)

    build = sub.add_parser(
        "build", help="write measures.csv and measure_departments.csv (UTF-8 with BOM)"
    )
    build.add_argument(
        "source", metavar="SOURCE", nargs="?", default=str(paths.BUNDLED_DOCUMENT),
        help="the measures document (default: the bundled document)",
    )
    build.add_argument(
        "--out", metavar="DIR", type=Path, default=paths.PROCESSED_DIR,
        help="output folder (default: data/processed/)",
    )
    build.set_defaults(run=_build)
    return parser


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

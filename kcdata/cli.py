"""The ``kcdata`` command: check, build, report, diff, search.

Bad input never ends in a traceback: a document that does not parse prints
``SOURCE:LINE: reason`` (or ``SOURCE: reason`` for a whole-document problem) on
stderr and exits with status 2. Lines skipped or joined print
``SOURCE:LINE: warning: …`` on stderr; the command still succeeds (``check
--strict`` exits 2). Ctrl-C (SIGINT) or SIGTERM stops the command at once:
``interrupted`` on stderr, exit status 130 (143 for SIGTERM, ``terminated``),
no traceback, no temporary file, the previous outputs as they were. Every line
printed escapes the control characters a document may hold
(:func:`kcdata.safetext.escape_control`).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import sys
import threading
import warnings
from collections.abc import Iterator, Sequence
from pathlib import Path

import pandas as pd

from kcdata import paths
from kcdata.analysis.summaries import plan_totals
from kcdata.cli_parser import build_parser
from kcdata.io.parse import LEVEL_COLUMNS, ParseError, PlanWarning
from kcdata.io.read import parse_source, trace_source
from kcdata.io.sheets import is_sheet_source
from kcdata.io.source import Source, read_source
from kcdata.messages import translate as _
from kcdata.messages import use_for_argparse
from kcdata.safetext import escape_control
from kcdata.stamps import SourceDateEpochError, source_date_epoch

EXIT_BAD_INPUT = 2
#: Exit status after Ctrl-C (128 + SIGINT), as shells report it.
EXIT_INTERRUPTED = 130
#: Exit status after SIGTERM (128 + SIGTERM).
EXIT_TERMINATED = 143


class _BadInput(Exception):
    """A message for stderr and exit status 2."""


class _Terminated(KeyboardInterrupt):
    """SIGTERM, raised where the program is, so that it cleans up as for Ctrl-C."""


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status.

    Run as a program (``argv`` None, main thread), SIGTERM is turned into an
    exception too, so that it stops the command as cleanly as Ctrl-C.
    """
    use_for_argparse()  # argparse's own words follow the locale too
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except BrokenPipeError:  # --help or --version into a closed pipe
        _silence(sys.stdout)
        return 0
    if args.command is None:  # `kcdata` alone: what it can do, one line a command
        _say(parser.format_help().rstrip(), escape=False)  # kcdata's own text
        return 0
    previous = None
    if argv is None and threading.current_thread() is threading.main_thread():
        ignored = signal.getsignal(signal.SIGINT) == signal.SIG_IGN  # a background job
        previous = (signal.signal(signal.SIGINT, signal.SIG_IGN if ignored else _on_signal),
                    signal.signal(signal.SIGTERM, _on_signal))
    try:
        source_date_epoch()  # a malformed SOURCE_DATE_EPOCH stops before anything is written
        return _RUN[args.command](args)
    except _BadInput as err:
        _say(str(err), sys.stderr)
        return EXIT_BAD_INPUT
    except SourceDateEpochError as err:
        _say(f"kcdata: {err}", sys.stderr)
        return EXIT_BAD_INPUT
    except BrokenPipeError:  # a write outside _say into a closed pipe: end quietly
        _silence(sys.stdout)
        return 0
    except KeyboardInterrupt as interrupt:  # Ctrl-C, or SIGTERM (_Terminated)
        terminated = isinstance(interrupt, _Terminated)
        _say(_("terminated") if terminated else _("interrupted"), sys.stderr)
        return EXIT_TERMINATED if terminated else EXIT_INTERRUPTED
    except Exception:
        # A signal that arrives inside a C extension (matplotlib drawing a path) can come
        # out as that extension's own error: the signal, not the error, is what happened.
        if not _SIGNALLED:
            raise
        terminated = _SIGNALLED[-1] == signal.SIGTERM
        _say(_("terminated") if terminated else _("interrupted"), sys.stderr)
        return EXIT_TERMINATED if terminated else EXIT_INTERRUPTED
    finally:
        if previous is not None:
            signal.signal(signal.SIGINT, previous[0])
            signal.signal(signal.SIGTERM, previous[1])


#: The signals received while the command runs (SIGINT, SIGTERM).
_SIGNALLED: list[int] = []


def _on_signal(signum, frame) -> None:
    _SIGNALLED.append(signum)
    raise _Terminated if signum == signal.SIGTERM else KeyboardInterrupt


def _say(text: str, stream=None, *, end: str = "\n", escape: bool = True) -> None:
    """Print one line with the document's control characters escaped (``escape``).

    Output closed early (``| head``, ``less`` quit) ends the printing quietly:
    the stream is pointed at the null device and the command goes on, so a
    file asked for with ``--out`` is still written completely.
    """
    stream = stream or sys.stdout
    try:
        print(escape_control(text) if escape else text, file=stream, end=end, flush=True)
    except BrokenPipeError:
        _silence(stream)


def _silence(stream) -> None:
    """Send the rest of ``stream`` (whose reader has gone) to the null device."""
    null = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(null, stream.fileno())  # the interpreter's final flush goes there too
    except (AttributeError, OSError, ValueError):  # a stream without a file descriptor
        pass
    finally:
        os.close(null)


def load(source: str | Path, layout: str | None = None, sheet: str | None = None) -> pd.DataFrame:
    """Read a document for the CLI, turning every input problem into ``SOURCE:LINE: reason``.

    Each :class:`~kcdata.PlanWarning` is printed as ``SOURCE:LINE: warning: …``;
    their number is kept in ``df.attrs["warnings"]``.
    """
    return _load(source, layout, sheet)[0]


def _load(
    source: str | Path, layout: str | None = None, sheet: str | None = None
) -> tuple[pd.DataFrame, Source]:
    """The listing table and the source it was parsed from (read once, with its SHA-256).

    The source is read by :func:`kcdata.io.source.read_source`: a regular file
    (or ``-``, standard input) of at most 256 MiB, read once, never mapped, and
    parsed from those bytes by :func:`kcdata.io.read.parse_source` (a spreadsheet
    passes the same checks and is parsed from the same bytes).
    """
    try:
        document = read_source(source)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", PlanWarning)
            df = parse_source(document, layout, sheet=sheet)
    except ParseError as err:
        raise _BadInput(f"{_where(source, err.line, err.sheet)}: {err.reason}") from None
    except OSError as err:
        raise _BadInput(_("{source}: cannot read: {reason}").format(
            source=source, reason=err.strerror or err)) from None
    except ValueError as err:  # a layout that cannot be found or read
        raise _BadInput(_layout_message(layout, err)) from None
    df.attrs["warnings"] = _print_warnings(source, caught)
    return df, document


def _layout_message(layout: str | None, err: ValueError) -> str:
    """``LAYOUT: reason``, the path printed once (a layout file's errors start with it)."""
    message = str(err)
    return message if layout and message.startswith(str(layout)) else f"{layout}: {message}"


def _print_lines(source: str | Path, layout: str | None, sheet: str | None) -> None:
    """``kcdata check --lines``: ``SOURCE:LINE: kind: what the reader made of it``."""
    try:
        trace = trace_source(read_source(source), layout, sheet=sheet)
    except ParseError as err:
        raise _BadInput(f"{_where(source, err.line, err.sheet)}: {err.reason}") from None
    except OSError as err:
        raise _BadInput(_("{source}: cannot read: {reason}").format(
            source=source, reason=err.strerror or err)) from None
    except ValueError as err:
        raise _BadInput(_layout_message(layout, err)) from None
    for row in trace.itertuples(index=False):
        where = _where(source, row.line, sheet if is_sheet_source(str(source)) else None)
        page = f"p.{row.page}: " if "page" in trace.columns else ""
        _say(f"{where}: {page}{row.kind}: {escape_control(row.read_as)}")


def _print_warnings(source: str | Path, caught: list[warnings.WarningMessage]) -> int:
    """Print each PlanWarning as ``SOURCE:LINE: warning: …``; pass others on; count the first."""
    count = 0
    for warning in caught:
        if isinstance(warning.message, PlanWarning):
            w = warning.message
            _say(_("{where}: warning: {message}").format(
                where=_where(source, w.line, w.sheet), message=w.message), sys.stderr)
            count += 1
        else:
            warnings.warn_explicit(warning.message, warning.category, warning.filename,
                                   warning.lineno)
    return count


def _where(source: str | Path, line: int | None, sheet: str | None = None) -> str:
    if line is None:
        return f"{source}" if sheet is None else f"{source}:{sheet}"
    return f"{source}:{sheet}!{line}" if sheet is not None else f"{source}:{line}"


def summary_line(df: pd.DataFrame) -> str:
    """The one-line summary printed by ``kcdata check``: listings, measures, departments,
    pairs, co-managed listings, and the number of sections at every level."""
    t = plan_totals(df)
    levels = list(df.attrs.get("levels") or ["基本方針", "施策の方向性"])
    counts = []
    for k, label in enumerate(levels):
        numbers = [no for no, _ in LEVEL_COLUMNS[: k + 1] if no in df.columns]
        if len(numbers) == k + 1:
            shown = df.loc[df[numbers[-1]] != 0, numbers] if k else df[numbers]
            counts.append(f"{len(shown.drop_duplicates())} {label}")
    return _("{listings} listings ({relisted} 【再掲】), {measures} measures, "
             "{departments} departments, {pairs} pairs, {co_managed} co-managed, "
             "{sections}").format(**t.to_dict(), sections=_(", ").join(counts))


def _check(args: argparse.Namespace) -> int:
    if args.lines:
        _print_lines(args.source, args.layout, args.sheet)
    df = load(args.source, args.layout, args.sheet)
    _say(_("{source}: ok: {summary} (layout {layout})").format(
        source=args.source, summary=summary_line(df), layout=df.attrs["layout"]))
    if args.strict and df.attrs["warnings"]:
        _say(_("{source}: {n} warnings (--strict)").format(
            source=args.source, n=df.attrs["warnings"]), sys.stderr)
        return EXIT_BAD_INPUT
    return 0


@contextlib.contextmanager
def _writing(out: str | Path) -> Iterator[None]:
    """Turn a failure to write ``out`` (a full disk, data/raw/, no permission) into exit 2.

    An output that exists and is not a regular file (a folder for a file) is
    ``OUT: not a regular file``; an output folder that is a file,
    ``OUT: not a directory``; a table too large for Excel, ``OUT: cannot
    write: reason``.
    """
    from kcdata.files import LinkedFolder, NotADirectory, NotARegularFile
    from kcdata.limits import ExcelLimitError

    try:
        yield
    except (NotARegularFile, NotADirectory, LinkedFolder) as err:
        raise _BadInput(f"{err.filename or out}: {err.strerror}") from None
    except ExcelLimitError as err:
        raise _BadInput(_("{out}: cannot write: {reason}").format(out=out, reason=err)) from None
    except OSError as err:
        raise _BadInput(_("{out}: cannot write: {reason}").format(
            out=out, reason=err.strerror or err)) from None


def _refuse_inputs_as_outputs(outputs: Sequence[str | Path], sources: Sequence[str | Path]) -> None:
    """Refuse, before any work, an output path that is one of the input documents."""
    for out in outputs:
        for source in sources:
            if os.fspath(source) == "-" or not Path(out).exists():
                continue
            with contextlib.suppress(OSError):
                if os.path.samefile(out, source):
                    raise _BadInput(_("{out}: is the input {source}; kcdata never writes "
                                      "over its input (choose another --out)").format(
                                          out=out, source=source))


def _build(args: argparse.Namespace) -> int:
    from kcdata.outputs.processed import (
        MEASURE_DEPARTMENTS_CSV,
        MEASURES_CSV,
        check_processed_target,
        write_processed,
    )

    outputs = [args.out / MEASURES_CSV, args.out / MEASURE_DEPARTMENTS_CSV]
    _refuse_inputs_as_outputs(outputs, [args.source])
    df = load(args.source, args.layout, args.sheet)
    with _writing(args.out), warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", PlanWarning)
        check_processed_target(args.source, args.out)
        written = write_processed(df, args.out)
    _print_warnings(args.source, caught)
    for path in written:
        _say(str(path))
    return 0


def load_theme_file(path: str | Path | None):
    """The theme dictionary of ``--themes`` (``None``: the default), or ``FILE: reason``."""
    from kcdata.analysis.themes import ThemeError, load_themes

    try:
        return load_themes(path)
    except ThemeError as err:
        raise _BadInput(str(err)) from None


def _report(args: argparse.Namespace) -> int:
    from kcdata.outputs.page import html_path
    from kcdata.outputs.report import summary_path, write_report

    sources = args.source if isinstance(args.source, list) else [args.source]
    if any(Path(s).is_dir() for s in sources):
        from kcdata.io.corpus import PLAN_SUFFIXES, plan_sources

        for folder in (s for s in sources if Path(s).is_dir()):
            if not plan_sources(folder):
                raise _BadInput(_("{folder}: no plan documents ({suffixes})").format(
                    folder=folder, suffixes=", ".join(PLAN_SUFFIXES)))
        sources = [str(p) for p in plan_sources(sources).values()]
    if len(sources) > 1:
        return _corpus_report(sources, args.out, args.layout, args.sheet,
                              editions=args.editions or None)
    source = sources[0] if sources else str(paths.BUNDLED_DOCUMENT)
    _refuse_inputs_as_outputs([summary_path(args.out, source), html_path(args.out, source)],
                              [source, *([args.themes] if args.themes else [])])
    themes = load_theme_file(args.themes)
    df, document = _load(source, args.layout, args.sheet)
    with _writing(args.out):
        written = write_report(df, args.out, source=source, themes=themes,
                               source_sha256=document.sha256, html=not args.no_html)
    for path in written:
        _say(str(path))
    return 0


def load_many(
    sources: Sequence[str], layout: str | None = None, sheet: str | None = None
) -> tuple[dict[str, pd.DataFrame], dict[str, str]]:
    """Read every source for the CLI: (plan name -> table, plan name -> source).

    Names as :func:`kcdata.read_plans` gives them; the first bad document stops
    with ``SOURCE:LINE: reason`` (exit 2, nothing written). A counter on stderr
    when it is a terminal and there are 20 documents or more."""
    from kcdata.io.corpus import plan_names

    keys = {f"\0{i}": Path(s) for i, s in enumerate(sources)}
    tables = {}
    show = len(sources) >= 20 and sys.stderr.isatty()
    for n, (key, path) in enumerate(keys.items(), start=1):
        tables[key] = load(path, layout, sheet)
        if show:
            _say(f"\rreading {n}/{len(sources)}", sys.stderr, end="")
    if show:
        _say("", sys.stderr)
    names = plan_names({k: df.attrs.get("title") for k, df in tables.items()}, keys)
    return {names[k]: df for k, df in tables.items()}, {names[k]: str(keys[k]) for k in keys}


def _corpus_report(
    sources: Sequence[str], out: Path, layout: str | None = None, sheet: str | None = None,
    *, editions: bool | None = None,
) -> int:
    from kcdata.io.corpus import combine_plans
    from kcdata.outputs.corpus_report import write_corpus_report

    tables, origin = load_many(sources, layout, sheet)
    corpus = combine_plans(tables, sources=origin)
    with _writing(out):
        written = write_corpus_report(corpus, out, jobs=None, editions=editions)
    for path in written:
        _say(str(path))
    return 0


def _diff(args: argparse.Namespace) -> int:
    from kcdata.analysis.compare import compare_plans, describe_changes, status_counts

    args.sources = [args.old, args.new, *args.newer]
    if args.out is not None:
        _refuse_inputs_as_outputs([args.out], args.sources)
        from kcdata.files import check_target

        with _writing(args.out):
            check_target(args.out)  # refused before any work
    if len(args.sources) > 2:
        return _diff_editions(args)
    (old, old_source), (new, new_source) = (
        _load(args.old, args.layout, args.sheet), _load(args.new, args.layout, args.sheet)
    )
    comparison = compare_plans(old, new)
    counts = status_counts(comparison)
    _say(
        f"{args.old} -> {args.new}: {len(comparison)} measures: "
        + ", ".join(f"{n} {status}" for status, n in counts.items())
    )
    for line in describe_changes(comparison):
        _say(line)
    if args.out is not None:
        from kcdata.outputs.comparison_workbook import write_comparison_workbook

        with _writing(args.out):
            written = write_comparison_workbook(
                comparison, args.out, old_source=args.old, new_source=args.new,
                changed_only=args.changed_only, old_sha256=old_source.sha256,
                new_sha256=new_source.sha256,
            )
        _say(str(written))
    return 0


#: ``text`` safe for a terminal (see :func:`kcdata.safetext.escape_control`); the one rule for
#: everything the CLI prints from a document.
printable = escape_control


def _search(args: argparse.Namespace) -> int:
    from kcdata.analysis.search import FIELD_NAMES, search

    df = load(args.source, args.layout, args.sheet)
    try:
        hits = search(df, args.words, context=args.context)
    except ValueError as err:
        raise _BadInput(f"{args.source}: {err}") from None
    for hit in hits.itertuples(index=False):
        where = _where(args.source, hit.line, getattr(hit, "sheet", None))
        _say(f"{where}: {hit.section} {FIELD_NAMES.get(hit.field, hit.field)}: "
             f"{hit.left}【{hit.match}】{hit.right}")
    counts = hits.groupby("word", sort=False)["line"].agg(["size", "nunique"])
    per_word = ", ".join(
        f"{word} {int(counts.loc[word, 'size']) if word in counts.index else 0}"
        for word in dict.fromkeys(args.words)
    )
    listings = len(hits.drop_duplicates([c for c in ("sheet", "line") if c in hits]))
    _say(_("{matches} matches in {listings} listings ({per_word})").format(
        matches=len(hits), listings=listings, per_word=per_word))
    return 0


def _diff_editions(args: argparse.Namespace) -> int:
    """``kcdata diff A B C …``: each consecutive pair as for two, then the 経年 workbook."""
    from kcdata.analysis.compare import compare_plans, describe_changes, status_counts
    from kcdata.analysis.editions import compare_editions
    from kcdata.io.corpus import plan_names

    keys = {f"\0{i}": Path(s) for i, s in enumerate(args.sources)}
    names = plan_names({}, keys)  # file stems, made unique
    tables = {names[k]: load(path, args.layout, args.sheet) for k, path in keys.items()}
    editions = list(tables)
    comparisons = []
    for (a, source_a), (b, source_b) in zip(
        zip(editions, args.sources, strict=True), zip(editions[1:], args.sources[1:], strict=True),
        strict=False,
    ):
        comparison = compare_plans(tables[a], tables[b])
        counts = status_counts(comparison)
        _say(f"{source_a} -> {source_b}: {len(comparison)} measures: "
             + ", ".join(f"{n} {status}" for status, n in counts.items()))
        for line in describe_changes(comparison):
            _say(line)
        comparisons.append((a, b, comparison))
    history = compare_editions(tables)
    _say(f"history: {len(history)} measures over {len(editions)} editions, "
         f"{int(history['renamed'].sum())} renamed, {int(history['dropped'].sum())} dropped")
    if args.out is not None:
        from kcdata.outputs.comparison_workbook import write_editions_workbook

        with _writing(args.out):
            written = write_editions_workbook(comparisons, history, args.out,
                                              sources=list(args.sources),
                                              changed_only=args.changed_only)
        _say(str(written))
    return 0


#: What runs each command of :data:`kcdata.cli_parser.COMMANDS`.
_RUN = {
    "check": _check,
    "build": _build,
    "report": _report,
    "diff": _diff,
    "search": _search,
}


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

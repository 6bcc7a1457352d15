"""The ``kcdata`` command: check, build, report, diff, search.

Bad input never ends in a traceback: ``SOURCE:LINE: reason`` (or ``SOURCE: reason``) on
stderr, exit status 2. Lines skipped or joined print ``SOURCE:LINE: warning: …`` and the
command succeeds (``check --strict`` exits 2). Ctrl-C or SIGTERM stops at once:
``interrupted`` (``terminated``) on stderr, exit status 130 (143), the previous outputs as
they were. Every line printed has the document's control characters escaped.
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import os
import signal
import sys
import threading
import warnings
from collections.abc import Iterator, Sequence
from pathlib import Path

import pandas as pd

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
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report it
EXIT_TERMINATED = 143  # 128 + SIGTERM
#: ``text`` safe for a terminal: the one rule for everything the CLI prints from a document.
printable = escape_control


class _BadInput(Exception):
    """A message for stderr and exit status 2."""


class _Terminated(KeyboardInterrupt):
    """SIGTERM, raised where the program is, so that it cleans up as for Ctrl-C."""


#: The signals received while the command runs (SIGINT, SIGTERM).
_SIGNALLED: list[int] = []


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status.

    Run as a program (``argv`` None, main thread), SIGTERM is turned into an exception
    too, so that it stops the command as cleanly as Ctrl-C.
    """
    use_for_argparse()
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except BrokenPipeError:  # --help or --version into a closed pipe
        _silence(sys.stdout)
        return 0
    if args.command is None:  # `kcdata` alone: what it can do, one line a command
        _say(parser.format_help().rstrip(), escape=False)
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
        return _interrupted(isinstance(interrupt, _Terminated))
    except Exception:
        # A signal that arrives inside a C extension (matplotlib drawing a path) can come
        # out as that extension's own error: the signal, not the error, is what happened.
        if not _SIGNALLED:
            raise
        return _interrupted(_SIGNALLED[-1] == signal.SIGTERM)
    finally:
        if previous is not None:
            signal.signal(signal.SIGINT, previous[0])
            signal.signal(signal.SIGTERM, previous[1])


def _on_signal(signum, frame) -> None:
    _SIGNALLED.append(signum)
    raise _Terminated if signum == signal.SIGTERM else KeyboardInterrupt


def _interrupted(terminated: bool) -> int:
    _say(_("terminated") if terminated else _("interrupted"), sys.stderr)
    return EXIT_TERMINATED if terminated else EXIT_INTERRUPTED


def _say(text: str, stream=None, *, end: str = "\n", escape: bool = True) -> None:
    """Print one line, control characters escaped; a closed output ends the printing quietly.

    The command goes on, so that a file asked for with ``--out`` is still written.
    """
    stream = stream or sys.stdout
    try:
        print(escape_control(text) if escape else text, file=stream, end=end, flush=True)
    except BrokenPipeError:
        _silence(stream)


def _silence(stream) -> None:
    """Send the rest of ``stream`` (whose reader has gone) to the null device."""
    null = os.open(os.devnull, os.O_WRONLY)
    with contextlib.suppress(AttributeError, OSError, ValueError):  # no file descriptor
        os.dup2(null, stream.fileno())  # the interpreter's final flush goes there too
    os.close(null)


@contextlib.contextmanager
def _reading(source: str | Path, layout: str | None) -> Iterator[None]:
    """Turn a problem with the document or its layout into ``SOURCE:LINE: reason`` (exit 2)."""
    try:
        yield
    except ParseError as err:
        raise _BadInput(f"{_where(source, err.line, err.sheet)}: {err.reason}") from None
    except OSError as err:
        raise _BadInput(_("{source}: cannot read: {reason}").format(
            source=source, reason=err.strerror or err)) from None
    except ValueError as err:  # a layout that cannot be found or read
        message = str(err)  # a layout file's errors start with its path
        if not (layout and message.startswith(str(layout))):
            message = f"{layout}: {message}"
        raise _BadInput(message) from None


def _load(
    source: str | Path, layout: str | None = None, sheet: str | None = None
) -> tuple[pd.DataFrame, Source]:
    """The listing table and the source it was parsed from (read once, with its SHA-256).

    Each PlanWarning is printed as ``SOURCE:LINE: warning: …``; their number is kept in
    ``df.attrs["warnings"]``.
    """
    with _reading(source, layout), warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", PlanWarning)
        document = read_source(source)
        df = parse_source(document, layout, sheet=sheet)
    df.attrs["warnings"] = _print_warnings(source, caught)
    return df, document


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
    """``kcdata check``'s summary: listings, measures, departments, pairs, co-managed
    listings, and the number of sections at every level."""
    totals = plan_totals(df)
    levels = list(df.attrs.get("levels") or ["基本方針", "施策の方向性"])
    counts = []
    for depth, label in enumerate(levels):
        numbers = [no for no, _name in LEVEL_COLUMNS[: depth + 1] if no in df.columns]
        if len(numbers) == depth + 1:
            shown = df.loc[df[numbers[-1]] != 0, numbers] if depth else df[numbers]
            counts.append(f"{len(shown.drop_duplicates())} {label}")
    return _("{listings} listings ({relisted} 【再掲】), {measures} measures, "
             "{departments} departments, {pairs} pairs, {co_managed} co-managed, "
             "{sections}").format(**totals.to_dict(), sections=_(", ").join(counts))


def _check(args: argparse.Namespace) -> int:
    if args.lines:  # SOURCE:LINE: kind: what the reader made of the line
        with _reading(args.source, args.layout):
            trace = trace_source(read_source(args.source), args.layout, sheet=args.sheet)
        sheet = args.sheet if is_sheet_source(str(args.source)) else None
        for row in trace.itertuples(index=False):
            page = f"p.{row.page}: " if "page" in trace.columns else ""
            _say(f"{_where(args.source, row.line, sheet)}: {page}{row.kind}: {row.read_as}")
    df = _load(args.source, args.layout, args.sheet)[0]
    _say(_("{source}: ok: {summary} (layout {layout})").format(
        source=args.source, summary=summary_line(df), layout=df.attrs["layout"]))
    if args.strict and df.attrs["warnings"]:
        _say(_("{source}: {n} warnings (--strict)").format(
            source=args.source, n=df.attrs["warnings"]), sys.stderr)
        return EXIT_BAD_INPUT
    return 0


@contextlib.contextmanager
def _writing(out: str | Path) -> Iterator[None]:
    """Turn a failure to write ``out`` (a full disk, data/raw/, a special file, a table too
    large for Excel) into ``OUT: reason``, exit 2."""
    from kcdata.files import LinkedFolder, NotADirectory, NotARegularFile
    from kcdata.limits import ExcelLimitError

    try:
        yield
    except (NotARegularFile, NotADirectory, LinkedFolder) as err:
        raise _BadInput(f"{err.filename or out}: {err.strerror}") from None
    except (ExcelLimitError, OSError) as err:
        raise _BadInput(_("{out}: cannot write: {reason}").format(
            out=out, reason=getattr(err, "strerror", None) or err)) from None


def _refuse_inputs_as_outputs(outputs: Sequence[str | Path], sources: Sequence[str | Path]) -> None:
    """Refuse, before any work, an output path that is one of the input documents."""
    for out, source in itertools.product(outputs, sources):
        with contextlib.suppress(OSError):  # an output not there yet
            if os.fspath(source) != "-" and os.path.samefile(out, source):
                raise _BadInput(_("{out}: is the input {source}; kcdata never writes "
                                  "over its input (choose another --out)").format(
                                      out=out, source=source))


def _say_written(written: Sequence[Path]) -> int:
    for path in written:
        _say(str(path))
    return 0


def _build(args: argparse.Namespace) -> int:
    from kcdata.outputs import processed

    outputs = [args.out / processed.MEASURES_CSV, args.out / processed.MEASURE_DEPARTMENTS_CSV]
    _refuse_inputs_as_outputs(outputs, [args.source])
    df = _load(args.source, args.layout, args.sheet)[0]
    with _writing(args.out), warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", PlanWarning)
        processed.check_processed_target(args.source, args.out)
        written = processed.write_processed(df, args.out)
    _print_warnings(args.source, caught)
    return _say_written(written)


def _report(args: argparse.Namespace) -> int:
    from kcdata.analysis.themes import ThemeError, load_themes
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
        return _corpus_report(args, sources)
    source = sources[0]
    _refuse_inputs_as_outputs([summary_path(args.out, source), html_path(args.out, source)],
                              [source, *([args.themes] if args.themes else [])])
    try:
        themes = load_themes(args.themes)
    except ThemeError as err:
        raise _BadInput(str(err)) from None
    df, document = _load(source, args.layout, args.sheet)
    with _writing(args.out):
        written = write_report(df, args.out, source=source, themes=themes,
                               source_sha256=document.sha256, html=not args.no_html)
    return _say_written(written)


def _corpus_report(args: argparse.Namespace, sources: Sequence[str]) -> int:
    """The corpus report of several documents, named as :func:`kcdata.read_plans` names them.

    The first bad document stops with ``SOURCE:LINE: reason``, nothing written. A counter
    on stderr when it is a terminal and there are 20 documents or more.
    """
    from kcdata.io.corpus import combine_plans
    from kcdata.outputs.corpus_report import write_corpus_report

    tables = []
    show = len(sources) >= 20 and sys.stderr.isatty()
    for count, source in enumerate(sources, start=1):
        tables.append(_load(Path(source), args.layout, args.sheet)[0])
        if show:
            _say(f"\rreading {count}/{len(sources)}", sys.stderr, end="")
    if show:
        _say("", sys.stderr)
    names = _plan_names(sources, [df.attrs.get("title") for df in tables])
    corpus = combine_plans(
        dict(zip(names, tables, strict=True)),
        sources={name: str(Path(source)) for name, source in zip(names, sources, strict=True)},
    )
    with _writing(args.out):
        written = write_corpus_report(corpus, args.out, editions=args.editions or None)
    return _say_written(written)


def _plan_names(sources: Sequence[str], titles: Sequence[str | None] = ()) -> list[str]:
    """The sources' plan names, as :func:`kcdata.read_plans` names unnamed documents."""
    from kcdata.io.corpus import plan_names

    keys = {f"\0{i}": Path(source) for i, source in enumerate(sources)}
    return list(plan_names(dict(zip(keys, titles, strict=False)), keys).values())


def _diff(args: argparse.Namespace) -> int:
    """Each consecutive pair of editions compared and printed; three or more, their history
    too; with ``--out``, the 新旧対照表 workbook (two editions) or the 経年 workbook (more)."""
    from kcdata.analysis.compare import compare_plans, describe_changes, status_counts
    from kcdata.files import check_target

    sources = [args.old, args.new, *args.newer]
    if args.out is not None:
        _refuse_inputs_as_outputs([args.out], sources)
        with _writing(args.out):
            check_target(args.out)  # refused before any work
    read = [_load(source, args.layout, args.sheet) for source in sources]
    tables = [df for df, _document in read]
    comparisons = []
    for i in range(len(sources) - 1):
        comparison = compare_plans(tables[i], tables[i + 1])
        counts = status_counts(comparison)
        _say(f"{sources[i]} -> {sources[i + 1]}: {len(comparison)} measures: "
             + ", ".join(f"{n} {status}" for status, n in counts.items()))
        for line in describe_changes(comparison):
            _say(line)
        comparisons.append(comparison)
    if len(sources) > 2:
        from kcdata.analysis.editions import compare_editions

        names = _plan_names(sources)
        history = compare_editions(dict(zip(names, tables, strict=True)))
        _say(f"history: {len(history)} measures over {len(names)} editions, "
             f"{int(history['renamed'].sum())} renamed, {int(history['dropped'].sum())} dropped")
    if args.out is None:
        return 0
    from kcdata.outputs import comparison_workbook

    with _writing(args.out):
        if len(sources) == 2:
            written = comparison_workbook.write_comparison_workbook(
                comparisons[0], args.out, old_source=args.old, new_source=args.new,
                changed_only=args.changed_only, old_sha256=read[0][1].sha256,
                new_sha256=read[1][1].sha256,
            )
        else:
            pairs = [(names[i], names[i + 1], comparison)
                     for i, comparison in enumerate(comparisons)]
            written = comparison_workbook.write_editions_workbook(
                pairs, history, args.out, sources=sources, changed_only=args.changed_only)
    _say(str(written))
    return 0


def _search(args: argparse.Namespace) -> int:
    from kcdata.analysis.search import FIELD_NAMES, search

    df = _load(args.source, args.layout, args.sheet)[0]
    try:
        hits = search(df, args.words, context=args.context)
    except ValueError as err:
        raise _BadInput(f"{args.source}: {err}") from None
    for hit in hits.itertuples(index=False):
        where = _where(args.source, hit.line, getattr(hit, "sheet", None))
        _say(f"{where}: {hit.section} {FIELD_NAMES.get(hit.field, hit.field)}: "
             f"{hit.left}【{hit.match}】{hit.right}")
    counts = hits["word"].value_counts()
    per_word = ", ".join(f"{word} {counts.get(word, 0)}" for word in dict.fromkeys(args.words))
    listings = len(hits.drop_duplicates([c for c in ("sheet", "line") if c in hits]))
    _say(_("{matches} matches in {listings} listings ({per_word})").format(
        matches=len(hits), listings=listings, per_word=per_word))
    return 0


_RUN = {"check": _check, "build": _build, "report": _report, "diff": _diff, "search": _search}


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

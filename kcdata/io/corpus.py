"""A corpus: many plans (other cities' plans, or editions of one plan) in one listing table.

:func:`read_plans` reads each document with its own layout (auto-detected
unless one is forced) and stacks the listing tables under a leading ``plan``
column; :func:`combine_plans` does the stacking for tables already read.
Every analysis of :mod:`kcdata.analysis.summaries` accepts such a table: with two or
more plans its summaries and matrices gain a ``plan`` level.

Error policy of :func:`read_plans` (``errors=``):

* ``"collect"`` (the default): a document that cannot be read (a
  :class:`kcdata.ParseError`, or a file that cannot be opened) is skipped;
  the others are read. Each skipped document gives one :class:`CorpusWarning`
  (``SOURCE:LINE: reason``) and one ``(source, line, reason)`` entry in the
  result's ``df.attrs["errors"]`` (``line`` is ``None`` for a problem of the
  whole document or of the file).
* ``"raise"``: the first bad document stops the reading; its
  :class:`kcdata.ParseError` (or ``OSError``) is raised with a ``source``
  attribute naming the document.

Nothing is written anywhere; documents are read in the order given (a folder:
its plan files sorted by name).
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Literal, NamedTuple

import numpy as np
import pandas as pd

from kcdata.io import parse
from kcdata.io.read import read_measures
from kcdata.limits import MAX_LISTINGS, MAX_PLANS
from kcdata.messages import translate as _

__all__ = [
    "PLAN_SUFFIXES",
    "CorpusWarning",
    "PlanRecord",
    "PlanRecords",
    "combine_plans",
    "plan_names",
    "plan_sources",
    "read_plans",
]

#: The file endings read from a folder given to :func:`read_plans`.
PLAN_SUFFIXES = (".txt", ".tsv", ".xlsx", ".csv", ".pdf")

Source = str | os.PathLike[str]
Errors = Literal["collect", "raise"]

class PlanRecord(NamedTuple):
    """What is known of one plan of a corpus (``df.attrs["plans"]``)."""

    plan: str
    source: str | None
    layout: str | None
    title: str | None
    levels: tuple[str, ...] | None


class PlanRecords(tuple):
    """The :class:`PlanRecord` of each plan, in order: an immutable tuple.

    pandas deep-copies ``df.attrs`` on every operation; this tuple is shared
    instead of copied (it cannot change), so a corpus of 1,000 plans does not
    pay a copy of 1,000 records per operation.
    """

    __slots__ = ()

    def __deepcopy__(self, memo: dict) -> PlanRecords:
        return self


class CorpusWarning(parse.PlanWarning):
    """A document of a corpus skipped (``errors="collect"``): a :class:`kcdata.PlanWarning`.

    ``source`` names the document; ``line`` and ``reason`` are those of its error
    (``line`` is ``None`` for a problem of the whole document or file).
    """

    def __init__(self, message: str, line: int | None = None, source: str | None = None,
                 reason: str | None = None) -> None:
        super().__init__(message)  # the message itself says SOURCE:LINE
        self.line = line
        self.source = source
        self.reason = reason if reason is not None else message

    def __reduce__(self):
        return type(self), (self.message, self.line, self.source, self.reason)


def plan_sources(sources: Source | Iterable[Source] | Mapping[str, Source]) -> dict[str, Path]:
    """The documents named by ``sources``, as an ordered mapping of given name -> path.

    A mapping keeps its names; a folder gives its files ending in
    :data:`PLAN_SUFFIXES`, sorted by name; a single path or a list of paths
    gives each path. Names not taken from a mapping are empty strings made unique
    by the path (the real name is chosen after reading, see :func:`read_plans`).

    >>> list(plan_sources({"2025": "a.txt"}).items())
    [('2025', PosixPath('a.txt'))]
    """
    if isinstance(sources, Mapping):
        return {str(name): Path(path) for name, path in sources.items()}
    if isinstance(sources, str | os.PathLike):
        sources = [sources]
    paths: list[Path] = []
    for source in sources:
        path = Path(source)
        if path.is_dir():
            paths += sorted(p for p in path.iterdir()
                            if p.is_file() and p.suffix.lower() in PLAN_SUFFIXES)
        else:
            paths.append(path)
    return {f"\0{i}": path for i, path in enumerate(paths)}


def plan_names(titles: Mapping[str, str | None], paths: Mapping[str, Path]) -> dict[str, str]:
    """The name of each plan: the given name, else the document title, else the file stem.

    ``titles`` and ``paths`` are keyed alike (given names, or placeholders starting
    with NUL for unnamed sources). A name that two plans share (two editions with
    the same title) becomes ``"name (file stem)"`` for each of them, and if that
    still repeats, ``"name (file stem) 2"``, ``3``, … .

    >>> titles = {"\\0" "0": "計画", "\\0" "1": "計画"}
    >>> plan_names(titles, {"\\0" "0": Path("a.txt"), "\\0" "1": Path("b.txt")})
    {'\\x000': '計画 (a)', '\\x001': '計画 (b)'}
    """
    chosen = {}
    for key, path in paths.items():
        if not key.startswith("\0"):
            chosen[key] = key
        else:
            title = (titles.get(key) or "").strip()
            chosen[key] = title or path.stem
    counts = pd.Series(list(chosen.values()), dtype=object).value_counts()
    seen: dict[str, int] = {}
    out = {}
    for key, name in chosen.items():
        if counts.get(name, 0) > 1 and key.startswith("\0"):
            name = f"{name} ({paths[key].stem})"
        seen[name] = seen.get(name, 0) + 1
        out[key] = name if seen[name] == 1 else f"{name} {seen[name]}"
    return out


def read_plans(
    sources: Source | Iterable[Source] | Mapping[str, Source],
    layout: object = None,
    *,
    errors: Errors = "collect",
) -> pd.DataFrame:
    """Read many plan documents into one listing table with a leading ``plan`` column.

    ``sources``: a path, a folder (its files ending in :data:`PLAN_SUFFIXES`,
    sorted by name), a list of paths, or a mapping of plan name -> path.
    ``layout``: ``None`` lets each document pick its own layout (auto-detection
    of :func:`kcdata.read_measures`); a name, TOML path or Layout forces one for
    all. ``errors``: ``"collect"`` or ``"raise"`` (see the module's docstring).

    The plan's name comes from the mapping, else the document's title
    (``df.attrs["title"]``), else the file stem; repeated names are made unique
    (see :func:`plan_names`). The result is :func:`combine_plans` of the tables
    read, with ``df.attrs["errors"]`` the list of ``(source, line, reason)`` of the
    documents skipped. Cost: one :func:`kcdata.read_measures` per document, then
    one concatenation (linear in listings).

    >>> from kcdata.paths import BUNDLED_DOCUMENT
    >>> corpus = read_plans({"2025年版": BUNDLED_DOCUMENT})
    >>> corpus["plan"].unique().tolist(), len(corpus), corpus.attrs["errors"]
    (['2025年版'], 110, [])
    """
    if errors not in ("collect", "raise"):
        raise ValueError(f"errors must be 'collect' or 'raise', not {errors!r}")
    paths = plan_sources(sources)
    if len(paths) > MAX_PLANS:
        raise parse.ParseError(_("{n:,} plans: a corpus holds at most {max:,}").format(
            n=len(paths), max=MAX_PLANS))
    frames: dict[str, pd.DataFrame] = {}
    problems: list[tuple[str, int | None, str]] = []
    listings = 0
    for key, path in paths.items():
        try:
            frames[key] = read_plan(path, layout)
        except (parse.ParseError, OSError) as err:
            if errors == "raise":
                err.source = str(path)  # type: ignore[attr-defined]
                raise
            line = getattr(err, "line", None)
            reason = (err.reason if isinstance(err, parse.ParseError)
                      else _("cannot read: {reason}").format(reason=err.strerror or err))
            problems.append((str(path), line, reason))
            where = f"{path}:{line}" if line is not None else f"{path}"
            warnings.warn(CorpusWarning(_("{where}: {reason} (document skipped)").format(
                                            where=where, reason=reason), line=line,
                                        source=str(path), reason=reason), stacklevel=2)
        if key in frames:  # refused as soon as the corpus passes the envelope
            listings += len(frames[key])
            _check_listings(listings)
    names = plan_names({k: df.attrs.get("title") for k, df in frames.items()},
                       {k: paths[k] for k in frames})
    out = combine_plans({names[k]: df for k, df in frames.items()},
                        sources={names[k]: str(paths[k]) for k in frames})
    out.attrs["errors"] = problems
    return out


def read_plan(path: Source, layout: object = None) -> pd.DataFrame:
    """One document of a corpus: :func:`kcdata.read_measures` (``layout=None``: auto)."""
    return read_measures(path, layout)  # type: ignore[arg-type]


def combine_plans(
    plans: Mapping[str, pd.DataFrame], *, sources: Mapping[str, str] | None = None
) -> pd.DataFrame:
    """Stack listing tables under a leading ``plan`` column (str), in the mapping's order.

    Columns are the union of the tables' (a column one plan lacks is missing
    for its rows); the index is a fresh RangeIndex; the inputs are not
    modified. ``df.attrs["plans"]`` is a :class:`PlanRecords`, one
    :class:`PlanRecord` per plan in order: ``plan``, ``source`` (from
    ``sources``), ``layout``, ``title`` and ``levels`` (from each table's
    attrs, ``None`` when absent). Cost: one concatenation, linear in listings.

    >>> from kcdata import parse_measures
    >>> a = parse_measures("基本方針1 方針\\n施策の方向性(1) 方向\\nA事業\\t\\t甲課\\n")
    >>> combine_plans({"甲市": a, "乙市": a})[["plan", "measure"]].values.tolist()
    [['甲市', 'A事業'], ['乙市', 'A事業']]
    """
    names = list(plans)
    if len(set(names)) != len(names):
        raise ValueError("combine_plans: plan names must be unique")
    if len(plans) > MAX_PLANS:
        raise parse.ParseError(_("{n:,} plans: a corpus holds at most {max:,}").format(
            n=len(plans), max=MAX_PLANS))
    _check_listings(sum(len(df) for df in plans.values()))
    frames = [df.copy(deep=False) for df in plans.values()]
    for frame in frames:
        frame.attrs = {}  # each plan's attrs go to the records below, not through concat
    if frames:
        out = pd.concat(frames, ignore_index=True, sort=False)
        out["plan"] = np.repeat(np.array(names, dtype=object), [len(f) for f in frames])
    else:
        out = pd.DataFrame(columns=[*parse.COLUMNS, "plan"])
    out["plan"] = out["plan"].astype("str")
    out = out[["plan", *[c for c in out.columns if c != "plan"]]]
    sources = dict(sources or {})
    out.attrs = {
        "plans": PlanRecords(
            PlanRecord(name, sources.get(name), df.attrs.get("layout"), df.attrs.get("title"),
                       _tuple(df.attrs.get("levels")))
            for name, df in plans.items()
        )
    }
    return out


def _check_listings(listings: int) -> None:
    """Refuse a corpus of more than :data:`kcdata.limits.MAX_LISTINGS` listings."""
    if listings > MAX_LISTINGS:
        raise parse.ParseError(_("more than {max:,} listings in the corpus: kcdata reads "
                                 "corpora of at most {max:,} listings").format(max=MAX_LISTINGS))


def _tuple(levels: object) -> tuple[str, ...] | None:
    return tuple(levels) if isinstance(levels, list | tuple) else None

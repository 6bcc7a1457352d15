"""A corpus: many plans (other cities' plans, or editions of one plan) in one listing table.

:func:`read_plans` reads each document with its own layout and stacks the tables under a
leading ``plan`` column; :func:`combine_plans` stacks tables already read. Every analysis
of :mod:`kcdata.analysis.summaries` accepts such a table.
"""

from __future__ import annotations

import os
import warnings
from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Literal, NamedTuple

import numpy as np
import pandas as pd

from kcdata.io.errors import ParseError, PlanWarning
from kcdata.io.parse import COLUMNS
from kcdata.io.read import read_measures
from kcdata.limits import MAX_LISTINGS, MAX_PLANS
from kcdata.messages import translate as _

__all__ = [
    "PLAN_SUFFIXES",
    "CorpusWarning",
    "PlanRecord",
    "combine_plans",
    "plan_names",
    "plan_sources",
    "read_plans",
]

#: The file endings read from a folder given to :func:`read_plans`.
PLAN_SUFFIXES = (".txt", ".tsv", ".xlsx", ".csv", ".pdf")

Source = str | os.PathLike[str]


class PlanRecord(NamedTuple):
    """What is known of one plan of a corpus (``df.attrs["plans"]``)."""

    plan: str
    source: str | None
    layout: str | None
    title: str | None
    levels: tuple[str, ...] | None


class CorpusWarning(PlanWarning):
    """A document of a corpus skipped (``errors="collect"``); ``source`` names it, ``line``
    and ``reason`` are those of its error."""

    def __init__(self, message: str, line: int | None = None, source: str | None = None,
                 reason: str | None = None) -> None:
        super().__init__(message)  # the message itself says SOURCE:LINE
        self.line = line
        self.source = source
        self.reason = reason if reason is not None else message

    def __reduce__(self):
        return type(self), (self.message, self.line, self.source, self.reason)


def plan_sources(sources: Source | Iterable[Source] | Mapping[str, Source]) -> dict[str, Path]:
    """The documents named by ``sources``: given name -> path, in order.

    A mapping keeps its names; a folder gives its files ending in :data:`PLAN_SUFFIXES`,
    sorted by name. Unnamed sources get placeholder keys starting with NUL.

    >>> list(plan_sources({"2025": "a.txt"}).items())
    [('2025', PosixPath('a.txt'))]
    """
    if isinstance(sources, Mapping):
        return {str(name): Path(path) for name, path in sources.items()}
    if isinstance(sources, str | os.PathLike):
        sources = [sources]
    paths: list[Path] = []
    for source in map(Path, sources):
        if source.is_dir():
            paths += sorted(p for p in source.iterdir()
                            if p.is_file() and p.suffix.lower() in PLAN_SUFFIXES)
        else:
            paths.append(source)
    return {f"\0{i}": path for i, path in enumerate(paths)}


def plan_names(titles: Mapping[str, str | None], paths: Mapping[str, Path]) -> dict[str, str]:
    """The name of each plan: the given name, else the document title, else the file stem.

    An unnamed plan whose name another shares becomes ``"name (file stem)"``; a name
    still repeated gets `` 2``, `` 3``, … .

    >>> titles = {"\\0" "0": "計画", "\\0" "1": "計画"}
    >>> plan_names(titles, {"\\0" "0": Path("a.txt"), "\\0" "1": Path("b.txt")})
    {'\\x000': '計画 (a)', '\\x001': '計画 (b)'}
    """
    unnamed = {key for key in paths if key.startswith("\0")}
    chosen = {key: ((titles.get(key) or "").strip() or path.stem) if key in unnamed else key
              for key, path in paths.items()}
    counts = Counter(chosen.values())
    seen: Counter[str] = Counter()
    out = {}
    for key, name in chosen.items():
        if counts[name] > 1 and key in unnamed:
            name = f"{name} ({paths[key].stem})"
        seen[name] += 1
        out[key] = name if seen[name] == 1 else f"{name} {seen[name]}"
    return out


def read_plans(
    sources: Source | Iterable[Source] | Mapping[str, Source],
    layout: object = None,
    *,
    errors: Literal["collect", "raise"] = "collect",
) -> pd.DataFrame:
    """Read many plan documents into one listing table with a leading ``plan`` column.

    ``sources``: a path, a folder (see :func:`plan_sources`), a list of paths, or a
    mapping of plan name -> path. ``layout=None``: each document's own layout (detected);
    else one for all. Names as :func:`plan_names` gives them. ``errors="collect"``: a
    document that cannot be read (:class:`kcdata.ParseError` or ``OSError``) is skipped
    with a :class:`CorpusWarning` and a ``(source, line, reason)`` entry in
    ``df.attrs["errors"]``; ``"raise"``: its error is raised, with a ``source`` attribute.

    >>> from kcdata.paths import BUNDLED_DOCUMENT
    >>> corpus = read_plans({"2025年版": BUNDLED_DOCUMENT})
    >>> corpus["plan"].unique().tolist(), len(corpus), corpus.attrs["errors"]
    (['2025年版'], 110, [])
    """
    if errors not in ("collect", "raise"):
        raise ValueError(f"errors must be 'collect' or 'raise', not {errors!r}")
    paths = plan_sources(sources)
    _check_size(len(paths), 0)
    frames: dict[str, pd.DataFrame] = {}
    problems: list[tuple[str, int | None, str]] = []
    listings = 0
    for key, path in paths.items():
        try:
            frames[key] = read_measures(path, layout)  # type: ignore[arg-type]
        except (ParseError, OSError) as err:
            if errors == "raise":
                err.source = str(path)  # type: ignore[attr-defined]
                raise
            line = getattr(err, "line", None)
            reason = (err.reason if isinstance(err, ParseError)
                      else _("cannot read: {reason}").format(reason=err.strerror or err))
            problems.append((str(path), line, reason))
            where = f"{path}:{line}" if line is not None else f"{path}"
            warnings.warn(CorpusWarning(_("{where}: {reason} (document skipped)").format(
                where=where, reason=reason), line=line, source=str(path), reason=reason),
                stacklevel=2)
            continue
        listings += len(frames[key])
        _check_size(0, listings)  # refused as soon as the corpus is past the envelope
    names = plan_names({k: df.attrs.get("title") for k, df in frames.items()},
                       {k: paths[k] for k in frames})
    out = combine_plans({names[k]: df for k, df in frames.items()},
                        sources={names[k]: str(paths[k]) for k in frames})
    out.attrs["errors"] = problems
    return out


def combine_plans(
    plans: Mapping[str, pd.DataFrame], *, sources: Mapping[str, str] | None = None
) -> pd.DataFrame:
    """Stack listing tables under a leading ``plan`` column (str), in the mapping's order.

    Columns are the union of the tables' (missing where a plan lacks one); the index is
    a fresh RangeIndex; the inputs are not modified. ``df.attrs["plans"]`` holds a
    :class:`PlanRecord` per plan (``source`` from ``sources``, the rest from its attrs).

    >>> from kcdata import parse_measures
    >>> a = parse_measures("基本方針1 方針\\n施策の方向性(1) 方向\\nA事業\\t\\t甲課\\n")
    >>> combine_plans({"甲市": a, "乙市": a})[["plan", "measure"]].values.tolist()
    [['甲市', 'A事業'], ['乙市', 'A事業']]
    """
    names = list(plans)
    _check_size(len(plans), sum(len(df) for df in plans.values()))
    frames = [df.copy(deep=False) for df in plans.values()]
    for frame in frames:
        frame.attrs = {}  # each plan's attrs go to the records below, not through concat
    if frames:
        out = pd.concat(frames, ignore_index=True, sort=False)
        out["plan"] = np.repeat(np.array(names, dtype=object), [len(f) for f in frames])
    else:
        out = pd.DataFrame(columns=[*COLUMNS, "plan"])
    out["plan"] = out["plan"].astype("str")
    out = out[["plan", *[c for c in out.columns if c != "plan"]]]
    sources = dict(sources or {})
    levels = {name: df.attrs.get("levels") for name, df in plans.items()}
    out.attrs = {"plans": tuple(
        PlanRecord(name, sources.get(name), df.attrs.get("layout"), df.attrs.get("title"),
                   tuple(levels[name]) if isinstance(levels[name], list | tuple) else None)
        for name, df in plans.items())}
    return out


def _check_size(plans: int, listings: int) -> None:
    if plans > MAX_PLANS:
        raise ParseError(_("{n:,} plans: a corpus holds at most {max:,}").format(
            n=plans, max=MAX_PLANS))
    if listings > MAX_LISTINGS:
        raise ParseError(_("more than {max:,} listings in the corpus: kcdata reads "
                           "corpora of at most {max:,} listings").format(max=MAX_LISTINGS))

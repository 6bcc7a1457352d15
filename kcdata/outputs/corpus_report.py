"""The corpus report: what ``kcdata report A B …`` writes for two or more plans.

Into a folder (default ``reports/``)::

    figures/01_measures_by_plan.png, .svg   ... the charts of kcdata.outputs.corpus_charts
    corpus_summary.xlsx                          sheets 計画一覧, 所管課×計画, 経年, 概要

The files are published as one unit, as :mod:`kcdata.outputs.report` does
(:mod:`kcdata.files`). XlsxWriter and matplotlib are imported only when used.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pandas as pd

from kcdata.analysis import summaries as analysis
from kcdata.analysis.editions import EDITION_COLUMNS, compare_editions, edition_series
from kcdata.outputs import overview
from kcdata.outputs.no_departments import write_note_sheet
from kcdata.outputs.overview import OverviewRow, made_rows
from kcdata.outputs.xlsx import open_workbook, write_sheet
from kcdata.schema import has_departments
from kcdata.text import departments_key
from kcdata.vocab import CORPUS_LABELS, no_departments_sentence, section_label

__all__ = [
    "CORPUS_LABELS",
    "CORPUS_SHEETS",
    "CORPUS_WORKBOOK",
    "FOLLOWED_EDITIONS",
    "corpus_history",
    "series_history",
    "write_corpus_report",
    "write_corpus_workbook",
]

#: The workbook's file name inside the report folder.
CORPUS_WORKBOOK = "corpus_summary.xlsx"
#: Sheet names, in order.
CORPUS_SHEETS = ("計画一覧", "所管課×計画", "経年", "概要")
#: Up to this many plans, the 経年 sheet follows renames (:func:`kcdata.compare_editions`);
#: with more, measures are matched by name only (a corpus that large is peer plans,
#: not editions, and following renames costs one comparison per pair).
FOLLOWED_EDITIONS = 20


def corpus_history(corpus: pd.DataFrame, *, editions: bool | None = None) -> pd.DataFrame:
    """The 経年 table of a corpus: one row per measure of each series of editions.

    Plans are editions of one plan only when their titles say so, or the user
    says so (``editions``; :func:`kcdata.analysis.editions.edition_series`). Each
    series of two or more editions gets its history (:func:`series_history`),
    under a leading ``series`` column (the series' first plan); a plan that is
    no edition of another (another city's plan) has none, and so nothing is
    ever marked 廃止 between two different plans. Same columns as
    :func:`kcdata.compare_editions` otherwise; empty when no plan has an edition.
    """
    parts = []
    for name, plans in edition_series(corpus, editions=editions).items():
        if len(plans) >= 2:
            part = series_history(corpus[corpus["plan"].isin(plans)])
            part.insert(0, "series", name)
            parts.append(part)
    if not parts:
        return pd.DataFrame(columns=["series", *EDITION_COLUMNS])
    return pd.concat(parts, ignore_index=True, sort=False)


def series_history(corpus: pd.DataFrame) -> pd.DataFrame:
    """The history of one series of editions: one row per measure, one column per edition.

    Up to :data:`FOLLOWED_EDITIONS` plans: :func:`kcdata.compare_editions` of
    the plans in table order (renames followed). More: measures matched by NFKC
    name only, vectorised (one row per name; ``renamed`` False,
    ``similarity`` missing, ``moved`` / ``departments_changed`` when the
    section / set of departments differs between any two plans, a measure that
    skips plans stays one row). Same columns either way. Cost: linear in
    listings (the first: one comparison per consecutive pair).
    """
    plans = list(pd.unique(corpus["plan"]))
    if len(plans) <= FOLLOWED_EDITIONS:
        return compare_editions(corpus)
    order = {p: i for i, p in enumerate(plans)}
    table = corpus.assign(
        key=analysis.name_keys(corpus["measure"]),
        rank=corpus["plan"].map(order),
        relisted=corpus["relisted"].astype(bool),
    ).sort_values(["rank", "relisted"], kind="stable")
    table.attrs = {}  # pandas would copy the corpus's records into every group below
    folded = table.drop_duplicates(["rank", "key"])
    # sections and sets of departments repeat: each label and key is made once
    label, dkey = functools.cache(section_label), functools.cache(departments_key)
    folded = folded.assign(
        section=[label(p, d) for p, d in zip(folded["policy_no"].tolist(),
                                             folded["direction_no"].tolist(), strict=True)],
        dkey=[dkey(d) for d in folded["departments"].tolist()],
    )
    grouped = folded.groupby("key", sort=False)
    firsts = grouped["rank"].min()
    lasts = grouped["rank"].max()
    names = folded.drop_duplicates(["key", "measure"]).groupby("key", sort=False)["measure"].agg(
        tuple)
    latest = folded.drop_duplicates("key", keep="last").set_index("key")["measure"]
    out = pd.DataFrame(
        {
            "measure": latest.reindex(firsts.index).astype("str"),
            "first_edition": firsts.map(dict(enumerate(plans))).astype("str"),
            "last_edition": lasts.map(dict(enumerate(plans))).astype("str"),
            "editions": grouped.size().astype("int64"),
            "renamed": False,
            "moved": grouped["section"].nunique() > 1,
            "departments_changed": grouped["dkey"].nunique() > 1,
            "dropped": lasts < len(plans) - 1,
            "names": names.reindex(firsts.index),
            "similarity": float("nan"),
        }
    )
    # keys come in order of first appearance (folded is in plan order, groupby keeps it)
    out = out.reset_index(drop=True)[EDITION_COLUMNS]
    from kcdata.outputs.comparison_workbook import MAX_EDITION_COLUMNS

    if len(plans) <= MAX_EDITION_COLUMNS:
        sections = folded.pivot(index="key", columns="plan", values="section")
        for plan in plans:
            out[plan] = sections[plan].reindex(firsts.index).to_numpy()
    return out


def _plan_table(corpus: pd.DataFrame) -> pd.DataFrame:
    """計画一覧: :func:`kcdata.analysis.summaries.plan_summary` with each plan's layout, title,
    source."""
    summary = analysis.plan_summary(corpus).reset_index()
    records = corpus.attrs.get("plans") or ()
    info = {r.plan: r for r in records if hasattr(r, "plan")}
    for column in ("layout", "title", "source"):
        summary[column] = [
            (Path(v).name if column == "source" and v else v)
            for v in (getattr(info.get(p), column, None) for p in summary["plan"])
        ]
    return summary


def write_corpus_workbook(
    corpus: pd.DataFrame, path: str | os.PathLike[str], *, made_at: datetime | None = None,
    history: pd.DataFrame | None = None, editions: bool | None = None,
) -> Path:
    """Write the corpus workbook to ``path`` atomically; return the path.

    Sheets :data:`CORPUS_SHEETS`:

    * 計画一覧: one row per plan (:func:`kcdata.analysis.summaries.plan_summary`, with
      its layout, document title and source file);
    * 所管課×計画: :func:`kcdata.analysis.summaries.department_presence` (listings of each
      department in each plan) with the number of plans it is in; when no plan names a
      department, the sentence of :func:`kcdata.vocab.no_departments_sentence`;
    * 経年: :func:`corpus_history` (``history`` if given; ``editions`` as there) through
      :func:`kcdata.outputs.comparison_workbook.history_table`;
    * 概要: the number of plans and listings, when and by what the file was
      made, and how plans and measures are counted and matched.

    Every sheet is written by :func:`kcdata.outputs.xlsx.write_sheet` (text
    never a formula); a table larger than a sheet is refused with
    :class:`kcdata.limits.ExcelLimitError`.
    """
    from kcdata.outputs.comparison_workbook import add_history_sheet

    plans = _plan_table(corpus)
    presence = analysis.department_presence(corpus)
    table = presence.copy()
    table.insert(0, "present", (presence > 0).sum(axis=1))
    history = corpus_history(corpus, editions=editions) if history is None else history
    with open_workbook(path, title="計画の比較") as book:
        write_sheet(book, CORPUS_SHEETS[0], plans, labels=CORPUS_LABELS, freeze_columns=1,
                    wrap=())
        if has_departments(corpus):
            write_sheet(book, CORPUS_SHEETS[1], table.reset_index(), labels=CORPUS_LABELS,
                        freeze_columns=2, wrap=())
        else:  # no plan names a department: the reason, not an empty table
            write_note_sheet(book, CORPUS_SHEETS[1], no_departments_sentence(corpus))
        add_history_sheet(book, history, title=CORPUS_SHEETS[2])
        overview.write_overview(book, CORPUS_SHEETS[3], _overview_rows(plans, made_at))
    return Path(path)


def _overview_rows(plans: pd.DataFrame, made_at: datetime | None) -> list[OverviewRow]:
    """The rows of the corpus workbook's 概要 sheet."""
    followed = plans.shape[0] <= FOLLOWED_EDITIONS
    return [
        ("計画の比較", None),
        (None, None),
        ("計画の数", len(plans)),
        ("掲載数の合計", int(plans["listings"].sum())),
        *made_rows(made_at),
        (None, None),
        ("数え方", None),
        ("1.", "計画ごとの数え方は集計ブックと同じです（【再掲】は事業数に入れず、共管の掲載は"
               "課ごとに数えます）。"),
        ("2.", "所管課は名前で対応づけます。別の自治体の同じ名前の課は同じ行になります。"),
        ("3.", "経年：並べた順に隣り合う計画を比べ、名称変更をたどっています。"
         if followed else
         f"経年：計画が{FOLLOWED_EDITIONS}を超えるため、事業名（全角・半角と空白を区別しない）"
         "だけで対応づけています。名称変更はたどりません（kcdata diff で版ごとに比べられます）。"),
    ]


def write_corpus_report(
    corpus: pd.DataFrame, out_dir: str | os.PathLike[str], *, jobs: int | None = 1,
    editions: bool | None = None,
) -> list[Path]:
    """Write the corpus charts and workbook into ``out_dir``; return the paths.

    Figures in ``out_dir/figures/`` (PNG and SVG,
    :data:`kcdata.outputs.corpus_charts.CORPUS_CHARTS`),
    then ``out_dir/corpus_summary.xlsx``, published as one unit as
    :func:`kcdata.outputs.report.write_report` does (:mod:`kcdata.files`). ``jobs`` is
    accepted for compatibility and ignored (everything runs in this process).
    ``editions``: whether the plans are editions of one plan (None: their titles
    say, :func:`corpus_history`).
    """
    from kcdata.files import publishing
    from kcdata.outputs.corpus_charts import CORPUS_CHARTS
    from kcdata.outputs.report import FIGURES_DIR

    with publishing(out_dir) as stage:
        staged: list[Path] = []
        for stem, chart in CORPUS_CHARTS.items():
            staged += _figure_task(chart, corpus, stage / FIGURES_DIR / stem)
        staged.append(write_corpus_workbook(corpus, stage / CORPUS_WORKBOOK, editions=editions))
    return [Path(out_dir) / p.relative_to(stage) for p in staged]


def _figure_task(chart: Callable, corpus: pd.DataFrame, stem_path: Path) -> list[Path]:
    from kcdata.outputs.charts import save_figure

    return save_figure(chart(corpus), stem_path)

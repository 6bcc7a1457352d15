"""The corpus report of ``kcdata report A B …``: the corpus charts (figures/) and
corpus_summary.xlsx (計画一覧, 所管課×計画, 経年, 概要), published as one unit."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

import pandas as pd

from kcdata.analysis import summaries as analysis
from kcdata.analysis.editions import EDITION_COLUMNS, compare_editions, edition_series
from kcdata.outputs import overview
from kcdata.outputs.comparison_workbook import MAX_EDITION_COLUMNS, add_history_sheet
from kcdata.outputs.no_departments import write_note_sheet
from kcdata.outputs.overview import OverviewRow, made_rows
from kcdata.outputs.xlsx import open_workbook, write_sheet
from kcdata.schema import has_departments
from kcdata.text import departments_key, nfkc_key
from kcdata.vocab import CORPUS_LABELS, PlanWords, no_departments_sentence, section_label

#: The workbook's file name inside the report folder.
CORPUS_WORKBOOK = "corpus_summary.xlsx"
#: Sheet names, in order.
CORPUS_SHEETS = ("計画一覧", "所管課×計画", "経年", "概要")
#: Up to this many plans, the 経年 sheet follows renames (:func:`kcdata.compare_editions`);
#: with more, measures are matched by name only (such a corpus is peer plans, not editions).
FOLLOWED_EDITIONS = 20


def corpus_history(corpus: pd.DataFrame, *, editions: bool | None = None) -> pd.DataFrame:
    """The 経年 table of a corpus: one row per measure of each series of editions.

    Plans are editions of one plan when their titles say so, or ``editions`` does
    (:func:`kcdata.analysis.editions.edition_series`); each series of two or more gets its
    :func:`series_history` under a leading ``series`` column (its first plan). A plan that
    is no edition of another has none, so nothing is marked 廃止 between different plans.
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

    Up to :data:`FOLLOWED_EDITIONS` plans: :func:`kcdata.compare_editions` (renames
    followed). More: measures matched by NFKC name only, one row per name even when it
    skips plans; ``renamed`` False, ``similarity`` missing, ``moved`` /
    ``departments_changed`` when the section / departments differ between any two plans.
    """
    plans = list(pd.unique(corpus["plan"]))
    if len(plans) <= FOLLOWED_EDITIONS:
        return compare_editions(corpus)
    table = corpus.assign(
        key=nfkc_key(corpus["measure"]),
        rank=corpus["plan"].map({p: i for i, p in enumerate(plans)}),
        relisted=corpus["relisted"].astype(bool),
    ).sort_values(["rank", "relisted"], kind="stable")
    table.attrs = {}  # pandas would copy the corpus's records into every group below
    folded = table.drop_duplicates(["rank", "key"])  # a measure's first listing in each plan
    folded = folded.assign(
        section=[section_label(p, d) for p, d in zip(folded["policy_no"],
                                                     folded["direction_no"], strict=True)],
        dkey=folded["departments"].map(departments_key),
    )
    grouped = folded.groupby("key", sort=False)  # keys in order of first appearance
    firsts = grouped["rank"].min()
    lasts = grouped["rank"].max()
    names = folded.drop_duplicates(["key", "measure"]).groupby("key", sort=False)["measure"]
    latest = folded.drop_duplicates("key", keep="last").set_index("key")["measure"]
    edition = dict(enumerate(plans))
    out = pd.DataFrame({
        "measure": latest.reindex(firsts.index).astype("str"),
        "first_edition": firsts.map(edition).astype("str"),
        "last_edition": lasts.map(edition).astype("str"),
        "editions": grouped.size().astype("int64"),
        "renamed": False,
        "moved": grouped["section"].nunique() > 1,
        "departments_changed": grouped["dkey"].nunique() > 1,
        "dropped": lasts < len(plans) - 1,
        "names": names.agg(tuple).reindex(firsts.index),
        "similarity": float("nan"),
    }).reset_index(drop=True)[EDITION_COLUMNS]
    if len(plans) <= MAX_EDITION_COLUMNS:
        sections = folded.pivot(index="key", columns="plan", values="section")
        for plan in plans:
            out[plan] = sections[plan].reindex(firsts.index).to_numpy()
    return out


def _plan_table(corpus: pd.DataFrame) -> pd.DataFrame:
    """計画一覧: :func:`kcdata.analysis.summaries.plan_summary` with each plan's layout,
    title and source file."""
    summary = analysis.plan_summary(corpus).reset_index()
    records = corpus.attrs.get("plans") or ()
    info = {r.plan: r for r in records if hasattr(r, "plan")}
    for column in ("layout", "title", "source"):
        summary[column] = [getattr(info.get(plan), column, None) for plan in summary["plan"]]
    summary["source"] = [Path(source).name if source else source for source in summary["source"]]
    return summary


def write_corpus_workbook(
    corpus: pd.DataFrame, path: str | os.PathLike[str], *, made_at: datetime | None = None,
    history: pd.DataFrame | None = None, editions: bool | None = None,
) -> Path:
    """Write the corpus workbook to ``path`` atomically; return the path.

    計画一覧 (a row per plan), 所管課×計画 (:func:`kcdata.analysis.summaries.department_presence`
    with the number of plans a department is in; the sentence of
    :func:`kcdata.vocab.no_departments_sentence` when no plan names one), 経年
    (``history``, default :func:`corpus_history`) and 概要.
    """
    plans = _plan_table(corpus)
    presence = analysis.department_presence(corpus)
    table = presence.copy()
    table.insert(0, "present", (presence > 0).sum(axis=1))
    history = corpus_history(corpus, editions=editions) if history is None else history
    labels = PlanWords().say_all(CORPUS_LABELS)
    with open_workbook(path, title="計画の比較") as book:
        write_sheet(book, CORPUS_SHEETS[0], plans, labels=labels, freeze_columns=1, wrap=())
        if has_departments(corpus):
            write_sheet(book, CORPUS_SHEETS[1], table.reset_index(), labels=labels,
                        freeze_columns=2, wrap=())
        else:
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
    """Write the corpus charts (``out_dir/figures/``, PNG and SVG) and the corpus workbook
    into ``out_dir`` as one unit; return the paths. ``jobs`` is ignored (kept for
    compatibility); ``editions`` as in :func:`corpus_history`."""
    from kcdata.files import publishing
    from kcdata.outputs.charts import save_figure
    from kcdata.outputs.corpus_charts import CORPUS_CHARTS
    from kcdata.outputs.report import FIGURES_DIR

    with publishing(out_dir) as stage:
        staged: list[Path] = []
        for stem, chart in CORPUS_CHARTS.items():
            staged += save_figure(chart(corpus), stage / FIGURES_DIR / stem)
        staged.append(write_corpus_workbook(corpus, stage / CORPUS_WORKBOOK, editions=editions))
    return [Path(out_dir) / p.relative_to(stage) for p in staged]

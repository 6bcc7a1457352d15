"""The corpus report: what ``kcdata report A B …`` writes for two or more plans.

Into a folder (default ``reports/``)::

    figures/01_measures_by_plan.png, .svg   ... the charts of kcdata.outputs.corpus_charts
    corpus_summary.xlsx                          sheets 計画一覧, 所管課×計画, 経年, 概要

The files are published as one unit, as :mod:`kcdata.outputs.report` does
(:mod:`kcdata.files`). openpyxl and matplotlib are imported only when used.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from kcdata.analysis import summaries as analysis
from kcdata.analysis.compare import EDITION_COLUMNS, compare_editions
from kcdata.text import departments_key
from kcdata.vocab import section_label

if TYPE_CHECKING:  # pragma: no cover
    from openpyxl.workbook import Workbook

__all__ = [
    "CORPUS_LABELS",
    "CORPUS_SHEETS",
    "CORPUS_WORKBOOK",
    "FOLLOWED_EDITIONS",
    "LARGE_SHEET_CELLS",
    "corpus_history",
    "corpus_workbook",
    "write_corpus_report",
]

#: The workbook's file name inside the report folder.
CORPUS_WORKBOOK = "corpus_summary.xlsx"
#: Sheet names, in order.
CORPUS_SHEETS = ("計画一覧", "所管課×計画", "経年", "概要")
#: Up to this many plans, the 経年 sheet follows renames (:func:`kcdata.compare_editions`);
#: with more, measures are matched by name only (a corpus that large is peer plans,
#: not editions, and following renames costs one comparison per pair).
FOLLOWED_EDITIONS = 20
#: Sheets with more cells than this get plain formatting (:func:`_write_plain_sheet`).
LARGE_SHEET_CELLS = 20_000
#: Japanese headers of the 計画一覧 and 所管課×計画 sheets.
CORPUS_LABELS = {
    "plan": "計画",
    "listings": "掲載数",
    "relisted": "再掲",
    "measures": "事業数",
    "departments": "所管課の数",
    "pairs": "掲載×課の組数",
    "co_managed": "共管の掲載数",
    "levels": "階層の数",
    "policies": "第1階層の数",
    "directions": "第2階層の数",
    "layout": "レイアウト",
    "title": "文書の題名",
    "source": "元の文書",
    "department": "所管する課",
    "present": "載っている計画の数",
}


def corpus_history(corpus: pd.DataFrame) -> pd.DataFrame:
    """The 経年 table of a corpus: one row per measure, one column per plan.

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
        key=analysis._name_keys(corpus["measure"]),
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


def corpus_workbook(
    corpus: pd.DataFrame, *, made_at: datetime | None = None,
    history: pd.DataFrame | None = None,
) -> Workbook:
    """The corpus workbook (not saved): sheets :data:`CORPUS_SHEETS`.

    * 計画一覧: one row per plan (:func:`kcdata.analysis.summaries.plan_summary`, with
      its layout, document title and source file);
    * 所管課×計画: :func:`kcdata.analysis.summaries.department_presence` (listings of each
      department in each plan) with the number of plans it is in;
    * 経年: :func:`corpus_history` (``history`` if given) through
      :func:`kcdata.outputs.comparison_workbook.history_table`;
    * 概要: the number of plans and listings, when and by what the file was
      made, and how plans and measures are counted and matched.
    """
    from kcdata.outputs.comparison_workbook import HISTORY_LABELS, add_history_sheet, history_table
    from kcdata.outputs.workbook import (
        CleanLog,
        made_rows,
        new_workbook,
        write_overview,
        write_sheet,
    )

    wb = new_workbook(title="計画の比較")
    log = CleanLog()
    plans = _plan_table(corpus)
    write = functools.partial(_write_table, wb, log=log, write_sheet=write_sheet)
    write(CORPUS_SHEETS[0], plans, freeze_columns=1)
    presence = analysis.department_presence(corpus)
    table = presence.copy()
    table.insert(0, "present", (presence > 0).sum(axis=1))
    write(CORPUS_SHEETS[1], table.reset_index(), freeze_columns=2)
    history = corpus_history(corpus) if history is None else history
    if history.size <= LARGE_SHEET_CELLS:
        add_history_sheet(wb, history, log=log, title=CORPUS_SHEETS[2])
    else:
        write(CORPUS_SHEETS[2], history_table(history), labels=HISTORY_LABELS, freeze_columns=1)
    followed = plans.shape[0] <= FOLLOWED_EDITIONS
    rows: list[Any] = [
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
    write_overview(wb.create_sheet(CORPUS_SHEETS[3]), rows, log=log)
    return wb


def _write_table(
    wb: Workbook, title: str, df: pd.DataFrame, *, log: Any, write_sheet: Callable,
    labels: dict[str, str] | None = None, freeze_columns: int = 0,
) -> Any:
    """A sheet through :func:`kcdata.outputs.workbook.write_sheet`, or :func:`_write_plain_sheet`
    when it has more than :data:`LARGE_SHEET_CELLS` cells."""
    labels = {**CORPUS_LABELS, **(labels or {})}
    if df.size <= LARGE_SHEET_CELLS:
        return write_sheet(wb, title, df, labels=labels, log=log, freeze_columns=freeze_columns,
                           wrap=())
    return _write_plain_sheet(wb, title, df, labels=labels, log=log,
                              freeze_columns=freeze_columns)


def _write_plain_sheet(
    wb: Workbook, title: str, df: pd.DataFrame, *, labels: dict[str, str], log: Any,
    freeze_columns: int = 0,
) -> Any:
    """A large table with plain formatting: every cell holds what
    :func:`kcdata.outputs.workbook.write_cell` would write (text always text, never a
    formula; forbidden characters removed and logged), a bold header frozen
    with a filter, widths from the header and the first 200 rows, and nothing
    per cell beyond that (openpyxl styles each cell at about 0.1 ms, and a
    sheet of 1,000 plans has 10^5 cells). Numbers are written as they are.

    Cost: one pass over the cells, written a row at a time (``ws.append``);
    the few text cells a spreadsheet would read otherwise (a leading ``=``,
    ``+``, ``-``, ``@`` or ``#``) are marked as text afterwards. A table larger
    than a sheet raises :class:`kcdata.limits.ExcelLimitError` first.
    """
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    from kcdata.limits import check_sheet_size
    from kcdata.outputs.workbook import FORMULA_PREFIXES, _unique_headers, write_cell
    from kcdata.vocab import display_width

    check_sheet_size(title, len(df) + 1, len(df.columns))
    ws = wb.create_sheet(title)
    headers = _unique_headers(list(df.columns), labels)
    bold = Font(bold=True)
    for j, header in enumerate(headers, start=1):
        write_cell(ws, 1, j, header, log=log).font = bold
    columns, as_text = [], []
    for j, name in enumerate(df.columns, start=1):
        values, texts = _plain_values(df[name], f"{title}!{get_column_letter(j)}", log)
        columns.append(values)
        as_text += [(i, j) for i in texts or ()]
        if texts is None:  # numbers: every character is half-width
            sample = [len(str(v)) for v in values[:200] if v is not None]
        else:
            sample = [display_width(v) for v in values[:200] if isinstance(v, str)]
        width = min(max([display_width(headers[j - 1]), *sample]) + 2, 40)
        ws.column_dimensions[get_column_letter(j)].width = width
    for row in zip(*columns, strict=True):
        ws.append(row)
    for i, j in as_text:
        cell = ws.cell(row=i, column=j)
        cell.data_type = "s"  # openpyxl reads "=..." as a formula and "#N/A" as an error
        cell.quotePrefix = cell.value.startswith(FORMULA_PREFIXES)
    ws.freeze_panes = f"{get_column_letter(freeze_columns + 1)}2"
    ws.auto_filter.ref = f"A1:{get_column_letter(max(len(headers), 1))}{len(df) + 1}"
    return ws


def _plain_values(column: pd.Series, where: str, log: Any) -> tuple[list, list[int] | None]:
    """One column's cell values for :func:`_write_plain_sheet`, and the rows (from 2) of
    text a spreadsheet would not read as text (``None`` for a numeric column).

    Numbers stay as they are (missing ones empty); anything else goes through
    :func:`kcdata.outputs.workbook.write_cell`'s rules: tuples joined with 「、」, text cleaned
    (forbidden characters removed, cut at Excel's limit), each change counted in
    ``log`` under ``where`` and the row number.
    """
    from kcdata.outputs.workbook import FORMULA_PREFIXES, _cell_value, clean_cell_text

    if pd.api.types.is_numeric_dtype(column) and not pd.api.types.is_bool_dtype(column):
        if not column.hasnans:
            return column.tolist(), None
        return column.astype(object).where(column.notna(), None).tolist(), None
    values, texts = [], []
    for i, value in enumerate(column.tolist(), start=2):
        value = _cell_value(value)
        if isinstance(value, str):
            value, removed, truncated = clean_cell_text(value)
            if log is not None and (removed or truncated):
                log.removed += removed
                log.truncated += int(truncated)
                log.cells.append(f"{where}{i}")
            if value.startswith((*FORMULA_PREFIXES, "#")):
                texts.append(i)
        values.append(value)
    return values, texts


def write_corpus_report(
    corpus: pd.DataFrame, out_dir: str | os.PathLike[str], *, jobs: int | None = 1
) -> list[Path]:
    """Write the corpus charts and workbook into ``out_dir``; return the paths.

    Figures in ``out_dir/figures/`` (PNG and SVG,
    :data:`kcdata.outputs.corpus_charts.CORPUS_CHARTS`),
    then ``out_dir/corpus_summary.xlsx``, published as one unit as
    :func:`kcdata.outputs.report.write_report` does (:mod:`kcdata.files`). ``jobs`` is
    accepted for compatibility and ignored (everything runs in this process).
    """
    from kcdata.files import publishing
    from kcdata.outputs.corpus_charts import CORPUS_CHARTS
    from kcdata.outputs.report import FIGURES_DIR

    with publishing(out_dir) as stage:
        staged: list[Path] = []
        for stem, chart in CORPUS_CHARTS.items():
            staged += _figure_task(chart, corpus, stage / FIGURES_DIR / stem)
        staged += _workbook_task(corpus, stage / CORPUS_WORKBOOK)
    return [Path(out_dir) / p.relative_to(stage) for p in staged]


def _figure_task(chart: Callable, corpus: pd.DataFrame, stem_path: Path) -> list[Path]:
    from kcdata.outputs.charts import save_figure

    return save_figure(chart(corpus), stem_path)


def _workbook_task(corpus: pd.DataFrame, path: Path) -> list[Path]:
    from kcdata.outputs.workbook import save_workbook

    return [save_workbook(corpus_workbook(corpus), path)]

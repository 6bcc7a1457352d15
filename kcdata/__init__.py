"""kcdata: the measure tables of Japanese municipal plans as tidy, trustworthy data.

``import kcdata as kc`` gives the whole public API::

    # reading: a document -> the listing table (one row per listing)
    kc.read_measures(path, layout=None)      # text, .xlsx or .csv
    kc.parse_measures(text, layout=None)     # the same from a string
    kc.parse_lines(lines, layout=None, ...)  # the same from lines (or spreadsheet rows)
    kc.from_frame(frame, measure=..., ...)   # the same from a table cleaned in pandas or Excel
    kc.read_plans(sources), kc.combine_plans # a corpus: many plans, a leading plan column
    kc.load_example(), kc.example_path()     # the bundled plan (package data)
    kc.Layout, kc.get_layout, kc.load_layout # a plan's dialect
    kc.layout_from_toml, kc.BUILTIN_LAYOUTS
    kc.ParseError, kc.PlanWarning            # bad documents; lines skipped or joined
    kc.explode_departments(df)               # one row per (listing, department)
    kc.validate(df)                          # is this a listing table? (kcdata.schema)

    # analyses
    kc.policy_summary, kc.department_summary, kc.department_matrix,
    kc.department_recurrence, kc.concentration, kc.relisted_links,
    kc.duplicate_candidates, kc.plan_totals, kc.plan_summary, kc.department_presence
    kc.per_plan(func)(corpus)                # any one-plan analysis, on each plan of a corpus
    kc.SIMILARITY_THRESHOLD                  # duplicate candidates: name similarity from here
    kc.compare_plans(old, new), kc.compare_editions(editions), kc.describe_changes,
    kc.status_counts
    kc.load_themes, kc.tag_themes, kc.untagged, kc.theme_matrix, kc.theme_summary,
    kc.theme_coverage
    kc.search(df, query)                     # keyword in context
    kc.section_label(3, 2)                   # a section as the plan names it: "3-(2)"

    # writing
    kc.to_text(df)                           # listing table -> document text
    kc.write_report(df, out_dir, source=...) # charts, workbook (and page) as one unit
    kc.write_workbook(df, path)              # the summary workbook
    kc.write_html(df, path)                  # the browser page
    kc.write_comparison_workbook(result, path)  # the 新旧対照表
    kc.comparison_table(result)              # its table (Japanese headers)
    kc.write_corpus_report(corpus, out_dir)  # two or more plans
    kc.charts                                # one function per chart, each a Figure
    kc.corpus_figures(corpus)                # the corpus report's charts
    kc.summary_tables(df)                    # the report model: the workbook's and page's tables
    kc.japanese(table)                       # any table as planners read it (a Styler)
    kc.explore(table)                        # a long table to search and sort in JupyterLab

    df.kc.policy_summary() ...               # the same on a DataFrame (kcdata.accessor)

    kc.sha256_of(path)                       # the digest the workbooks' 概要 sheets give
    kc.cli.main(["diff", "old.txt", "new.xlsx"])  # the `kcdata` command, in-process

The writers load on first use: importing kcdata loads neither matplotlib nor
XlsxWriter (charts load matplotlib, workbooks XlsxWriter; openpyxl only reads .xlsx
sources).
"""

from __future__ import annotations

import importlib
from typing import Any

from kcdata import accessor as accessor  # registers df.kc
from kcdata.analysis.compare import compare_plans, describe_changes, status_counts
from kcdata.analysis.editions import compare_editions
from kcdata.analysis.plans import per_plan
from kcdata.analysis.search import search
from kcdata.analysis.similarity import SIMILARITY_THRESHOLD, duplicate_candidates
from kcdata.analysis.summaries import (
    concentration,
    department_matrix,
    department_presence,
    department_recurrence,
    department_summary,
    plan_summary,
    plan_totals,
    policy_summary,
    relisted_links,
)
from kcdata.analysis.themes import (
    load_themes,
    tag_themes,
    theme_coverage,
    theme_matrix,
    theme_summary,
    untagged,
)
from kcdata.io.corpus import CorpusWarning, combine_plans, read_plans
from kcdata.io.departments import explode_departments
from kcdata.io.errors import ParseError, PlanWarning
from kcdata.io.example import example_path, load_example
from kcdata.io.frame import from_frame
from kcdata.io.layout import BUILTIN_LAYOUTS, Layout, Level
from kcdata.io.layout_file import get_layout, layout_from_toml, load_layout
from kcdata.io.parse import COLUMNS, parse_lines, parse_measures
from kcdata.io.read import read_measures
from kcdata.io.text_out import to_text
from kcdata.schema import validate
from kcdata.version import __version__
from kcdata.vocab import section_label

# Loaded on first use (PEP 562): name -> (module, attribute; None for the module itself).
_LAZY = {
    "write_report": ("kcdata.outputs.report", "write_report"),
    "write_workbook": ("kcdata.outputs.workbook", "write_summary_workbook"),
    "write_html": ("kcdata.outputs.page", "write_html"),
    "write_comparison_workbook": ("kcdata.outputs.comparison_workbook",
                                  "write_comparison_workbook"),
    "write_corpus_report": ("kcdata.outputs.corpus_report", "write_corpus_report"),
    "charts": ("kcdata.outputs.charts", None),
    "corpus_figures": ("kcdata.outputs.corpus_charts", "corpus_figures"),
    "comparison_table": ("kcdata.outputs.comparison_workbook", "comparison_table"),
    "sha256_of": ("kcdata.files", "sha256_of"),
    "cli": ("kcdata.cli", None),
    "japanese": ("kcdata.outputs.tables", "japanese"),
    "explore": ("kcdata.outputs.explore", "explore"),
    "summary_tables": ("kcdata.outputs.tables", "summary_tables"),
}


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module 'kcdata' has no attribute {name!r}")
    module_name, attribute = _LAZY[name]
    module = importlib.import_module(module_name)
    value = module if attribute is None else getattr(module, attribute)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_LAZY])


__all__ = [
    "BUILTIN_LAYOUTS", "COLUMNS", "SIMILARITY_THRESHOLD", "CorpusWarning", "Layout", "Level",
    "ParseError", "PlanWarning", "__version__", "charts", "cli", "combine_plans",
    "compare_editions", "compare_plans", "comparison_table", "concentration", "corpus_figures",
    "department_matrix", "department_presence", "department_recurrence", "department_summary",
    "describe_changes", "duplicate_candidates", "example_path", "explode_departments", "explore",
    "from_frame", "get_layout", "japanese", "layout_from_toml", "load_example", "load_layout",
    "load_themes", "parse_lines", "parse_measures", "per_plan", "plan_summary", "plan_totals",
    "policy_summary", "read_measures", "read_plans", "relisted_links", "search", "section_label",
    "sha256_of", "status_counts", "summary_tables", "tag_themes", "theme_coverage", "theme_matrix",
    "theme_summary", "to_text", "untagged", "validate", "write_comparison_workbook",
    "write_corpus_report", "write_html", "write_report", "write_workbook",
]

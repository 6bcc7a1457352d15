"""kcdata: the measure tables of Japanese municipal plans as tidy, trustworthy data.

The public API::

    read_measures(path, layout=None)       # a document file -> listing table
    parse_measures(text, layout=None)      # the same from a string
    parse_lines(lines, layout=None, ...)   # the same from lines (or spreadsheet rows)
    Layout, get_layout, load_layout        # a plan's dialect (kcdata.io.layout)
    PlanWarning                            # a line skipped or joined, with .line
    to_text(df)                            # listing table -> document text
    explode_departments(df)                # one row per (listing, department)
    ParseError                             # bad documents, with .line
    load_example(), example_path()         # the bundled plan (package data): table, file path

    policy_summary, department_summary, department_matrix,
    department_recurrence, concentration, relisted_links,
    duplicate_candidates, plan_totals      # analyses (kcdata.analysis.summaries)
    compare_plans(old, new)                # one row per measure of two plan versions
    load_themes, tag_themes, untagged,
    theme_matrix                           # themes (kcdata.analysis.themes)
    search(df, query)                      # keyword in context (kcdata.analysis.search)

    read_plans(sources), combine_plans     # a corpus: many plans, a leading plan column
    plan_summary, department_presence      # one row per plan; departments x plans
    compare_editions(editions)             # each measure's history across N editions

Charts load matplotlib and workbooks XlsxWriter only when first made (openpyxl: when an
.xlsx source is read).
"""

from kcdata.analysis.compare import compare_editions, compare_plans
from kcdata.analysis.search import search
from kcdata.analysis.summaries import (
    concentration,
    department_matrix,
    department_presence,
    department_recurrence,
    department_summary,
    duplicate_candidates,
    plan_summary,
    plan_totals,
    policy_summary,
    relisted_links,
)
from kcdata.analysis.themes import load_themes, tag_themes, theme_matrix, untagged
from kcdata.io.corpus import CorpusWarning, combine_plans, read_plans
from kcdata.io.departments import explode_departments
from kcdata.io.example import example_path, load_example
from kcdata.io.layout import Layout, Level, get_layout, load_layout
from kcdata.io.parse import (
    COLUMNS,
    ParseError,
    PlanWarning,
    parse_lines,
    parse_measures,
    read_measures,
)
from kcdata.io.text_out import to_text

__version__ = "0.1.0"

__all__ = [
    "COLUMNS",
    "CorpusWarning",
    "Layout",
    "Level",
    "ParseError",
    "PlanWarning",
    "__version__",
    "combine_plans",
    "compare_editions",
    "compare_plans",
    "concentration",
    "department_matrix",
    "department_presence",
    "department_recurrence",
    "department_summary",
    "duplicate_candidates",
    "example_path",
    "explode_departments",
    "get_layout",
    "load_example",
    "load_layout",
    "load_themes",
    "parse_lines",
    "parse_measures",
    "plan_summary",
    "plan_totals",
    "policy_summary",
    "read_measures",
    "read_plans",
    "relisted_links",
    "search",
    "tag_themes",
    "theme_matrix",
    "to_text",
    "untagged",
]

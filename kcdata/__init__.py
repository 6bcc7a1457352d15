"""kcdata: the measure tables of Kanazawa's community plan as tidy, trustworthy data.

The public API::

    read_measures(path, *, encoding=None)  # a document file -> listing table
    parse_measures(text)                   # the same from a string
    to_text(df)                            # listing table -> document text
    explode_departments(df)                # one row per (listing, department)
    ParseError                             # bad documents, with .line

    policy_summary, department_summary, department_matrix,
    department_recurrence, concentration, relisted_links,
    duplicate_candidates, plan_totals      # analyses (kcdata.analysis)
    compare_plans(old, new)                # one row per measure of two plan versions

Charts and workbooks load matplotlib and openpyxl only when first made.
"""

from .analysis import (
    concentration,
    department_matrix,
    department_recurrence,
    department_summary,
    duplicate_candidates,
    plan_totals,
    policy_summary,
    relisted_links,
)
from .compare import compare_plans
from .parse import COLUMNS, ParseError, parse_measures, read_measures
from .tidy import explode_departments
from .write import to_text

__version__ = "0.1.0"

__all__ = [
    "COLUMNS",
    "ParseError",
    "__version__",
    "compare_plans",
    "concentration",
    "department_matrix",
    "department_recurrence",
    "department_summary",
    "duplicate_candidates",
    "explode_departments",
    "parse_measures",
    "plan_totals",
    "policy_summary",
    "read_measures",
    "relisted_links",
    "to_text",
]

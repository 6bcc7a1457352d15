"""kcdata: the measure tables of Kanazawa's community plan as tidy, trustworthy data.

The public API::

    read_measures(path, *, encoding=None)  # a document file -> listing table
    parse_measures(text)                   # the same from a string
    to_text(df)                            # listing table -> document text
    explode_departments(df)                # one row per (listing, department)
    ParseError                             # bad documents, with .line

Charts and workbooks load matplotlib and openpyxl only when first made.
"""

from .parse import COLUMNS, ParseError, parse_measures, read_measures
from .tidy import explode_departments
from .write import to_text

__version__ = "0.1.0"

__all__ = [
    "COLUMNS",
    "ParseError",
    "__version__",
    "explode_departments",
    "parse_measures",
    "read_measures",
    "to_text",
]

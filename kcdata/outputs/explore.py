"""Long tables to explore in JupyterLab: searchable, sortable and paged, offline.

:func:`explore` renders a table as :func:`kcdata.japanese` shows it (Japanese
headers, 21.2%, 「、」, ○) with itables in its offline mode: the DataTables
library travels inside the notebook, so nothing is fetched from the network.
Every row is in the page; nothing is sampled away.
"""

from __future__ import annotations

import itertools

import pandas as pd
from itables import options as itables_options
from itables.javascript import generate_init_offline_itables_html, to_html_datatable

from kcdata.outputs.tables import japanese
from kcdata.vocab import TABLE_CONTROLS, PlanWords

__all__ = ["ExploredTable", "explore"]

# Tables shown in this Python session: each gets its own id, the same ids run
# after run, so a re-executed notebook's outputs do not change.
_shown = itertools.count(1)


class ExploredTable:
    """What :func:`explore` returns: an interactive table in JupyterLab, else the text table."""

    def __init__(self, html: str, text: str) -> None:
        self.html = html
        self.text = text

    def _repr_html_(self) -> str:
        return self.html

    def __repr__(self) -> str:
        return self.text


def explore(
    table: pd.DataFrame | pd.Series,
    *,
    words: PlanWords | None = None,
    sheet: str | None = None,
    page_length: int = 20,
) -> ExploredTable:
    """A long table, such as 事業一覧, to search, sort and page through in JupyterLab.

    The cells are those of :func:`kcdata.japanese` (same ``words`` and ``sheet``).
    Every row is kept: the search box filters rows by the text shown (case
    folded, not width or kana; :func:`kcdata.search` is the exact search), and
    a click on a header sorts by that column (numbers and percentages as numbers).
    A notebook opened without running it (not trusted) shows the plain table.

    >>> import kcdata
    >>> table = explore(kcdata.department_summary(kcdata.load_example()))
    >>> "構成比" in table.html, "21.2%" in table.html
    (True, True)
    """
    styled = japanese(table, words=words, sheet=sheet)
    shown, values = styled.shown(), styled.data
    if not isinstance(shown.index, pd.RangeIndex):  # a named index: the first columns, sortable
        names = ["" if name is None else name for name in shown.index.names]
        shown = shown.reset_index(names=names, allow_duplicates=True)
        values = values.reset_index(names=names, allow_duplicates=True)
    # text reads from the left (JupyterLab right-aligns every cell), numbers from the right
    text = [position for position in range(values.shape[1])
            if not pd.api.types.is_numeric_dtype(values.iloc[:, position])]
    number = next(_shown)
    html = to_html_datatable(
        shown,
        table_id=f"kcdata_table_{number}",
        connected=False,
        showIndex=False,
        maxBytes=0,
        pageLength=page_length,
        lengthMenu=[10, 20, 50, 100, -1],
        classes="display",
        text_in_header_can_be_selected=False,  # a click on a header sorts
        language=TABLE_CONTROLS,
        columnDefs=[{"targets": text, "className": "dt-left"}],
    )
    # Every output carries the library (about 1 MB; loaded once per page): a table shown
    # after the browser page was reloaded, with the same kernel, still works.
    library = generate_init_offline_itables_html(itables_options.dt_bundle)
    return ExploredTable(library + html, repr(styled))

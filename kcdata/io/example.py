"""The example plan that travels with the package: Kanazawa's measures chapter.

The document is package data (``kcdata/data/``), read through
:mod:`importlib.resources`, so it is found the same way from a checkout, an
editable install or a wheel in ``site-packages``. It is a byte-for-byte copy of
``data/raw/kanazawa_community_plan_measures.txt`` (a test checks the two agree);
``data/raw/`` keeps the original.

In the manner of palmerpenguins' ``load_penguins()``::

    import kcdata

    df = kcdata.load_example()        # the listing table (110 rows)
    path = kcdata.example_path()      # a real file, for code that needs a path
"""

from __future__ import annotations

import atexit
import contextlib
import functools
from pathlib import Path

import pandas as pd

__all__ = ["EXAMPLE_NAME", "example_path", "load_example"]

#: The file name of the example plan, in the package's ``data/`` folder and in ``data/raw/``.
EXAMPLE_NAME = "kanazawa_community_plan_measures.txt"


@functools.cache
def example_path() -> Path:
    """A real file path to the example plan (the bundled measures document).

    From an ordinary install (a folder, as pip makes) this is the file inside
    the installed package. From a zipped package, :func:`importlib.resources.as_file`
    extracts it once to a temporary file, removed when the interpreter exits.
    The path is found once per process. Do not write to it.

    >>> example_path().name
    'kanazawa_community_plan_measures.txt'
    >>> example_path().is_file()
    True
    """
    from importlib import resources

    resource = resources.files("kcdata").joinpath("data", EXAMPLE_NAME)
    if isinstance(resource, Path):
        return resource
    stack = contextlib.ExitStack()  # pragma: no cover - zipped installs only
    atexit.register(stack.close)  # pragma: no cover
    return stack.enter_context(resources.as_file(resource))  # pragma: no cover


def load_example() -> pd.DataFrame:
    """The example plan's listing table, as :func:`kcdata.read_measures` gives it.

    One row per listing (【再掲】 included), in document order: 110 listings,
    of which 2 are 【再掲】, 108 distinct measures, 33 departments, 4 基本方針,
    10 施策の方向性. The columns (:data:`kcdata.COLUMNS`):

    ============  ===============  ==========================================
    column        dtype            meaning
    ============  ===============  ==========================================
    policy_no     int64            number of the 基本方針
    policy        str              its title
    direction_no  int64            number of the 施策の方向性 in its 基本方針
    direction     str              its title
    measure       str              事業名, without the 【再掲】 mark
    summary       str              事業概要 (may be empty)
    departments   tuple of str     所管する課 (two or more: co-managed)
    relisted      bool             the name carried the 【再掲】 mark
    line          int64            1-based line in the document
    ============  ===============  ==========================================

    A new DataFrame on every call (cost: one parse of a 164-line document, a
    few milliseconds), so changing it never affects the next call.

    >>> df = load_example()
    >>> len(df), int(df["relisted"].sum())
    (110, 2)
    >>> list(df.columns)[:3]
    ['policy_no', 'policy', 'direction_no']
    """
    from kcdata.io.read import read_measures

    return read_measures(example_path())

"""The example plan that travels with the package: Kanazawa's measures chapter.

The document is package data (``kcdata/data/``), a byte copy of
``data/raw/kanazawa_community_plan_measures.txt``, found through :mod:`importlib.resources`
from a checkout, an editable install or a wheel.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pandas as pd

from kcdata.io.read import read_measures
from kcdata.paths import EXAMPLE_NAME

__all__ = ["EXAMPLE_NAME", "example_path", "load_example"]



def example_path() -> Path:
    """The path of the example plan inside the installed package (do not write to it).

    >>> example_path().name, example_path().is_file()
    ('kanazawa_community_plan_measures.txt', True)
    """
    return Path(str(resources.files("kcdata").joinpath("data", EXAMPLE_NAME)))


def load_example() -> pd.DataFrame:
    """The example plan's listing table, as :func:`kcdata.read_measures` gives it.

    110 listings in document order (2 of them 【再掲】), 4 基本方針, 10 施策の方向性,
    33 departments; a new DataFrame on every call. The columns (:data:`kcdata.COLUMNS`):

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

    >>> df = load_example()
    >>> len(df), int(df["relisted"].sum())
    (110, 2)
    """
    return read_measures(example_path())

"""Themes: which listings serve 防災, 子育て, デジタル ..., from a dictionary planners edit.

A theme dictionary maps a theme to its words, with optional exclusions. In
TOML (the format shared between cities; Japanese keys quoted)::

    [themes."防災・防犯"]
    words = ["防災", "避難", "消防", "防犯"]
    exclude = ["防災行政無線"]   # optional

or from Python, ``{"防災・防犯": ["防災", "避難"]}`` or
``{"防災・防犯": {"words": [...], "exclude": [...]}}``. kcdata ships a default
dictionary for community plans (``kcdata/themes_default.toml``), whose words
were chosen by reading the bundled plan.

Matching: a listing has a theme when one of the theme's words occurs in its
事業名 (``measure``) or 事業概要 (``summary``), both compared on the folded
key of :func:`kcdata.text.fold_key` (NFKC, case-folded, katakana as hiragana,
white space removed; a word starting or ending with an ASCII letter or digit only
at ASCII word bounds). An occurrence that lies inside an occurrence of one of
the theme's excluded phrases does not count: with ``exclude = ["多文化"]``,
「多文化共生」 is not 「文化」, but 「多文化共生と文化芸術」 still is. A listing
may have several themes.

Counting conventions (those of :mod:`kcdata.analysis.summaries`): every listing is
tagged, 【再掲】 rows included (they are rows of the plan); a **measure** is a
distinct 事業名 (NFKC key) of the listings that are not 【再掲】, so the
matrices and the coverage count a measure and its 【再掲】 once.

Cost: a Python loop over the distinct cells of each field: each is folded
once and every word of the dictionary is tested with ``in`` (the occurrences
of a word that is in are then checked for word bounds and exclusions), so
about (distinct cells) x (words) substring tests: 10^5 distinct cells and 200
words take a few seconds (``benchmarks/bench_themes.py``).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from kcdata.io.layout_file import parse_toml
from kcdata.io.source import read_source
from kcdata.limits import MAX_OPTION_FILE_BYTES
from kcdata.text import at_word_bounds, fold_key, nfkc_key
from kcdata.vocab import section_label

__all__ = [
    "DEFAULT_THEMES",
    "FIELDS",
    "TAG_COLUMNS",
    "Theme",
    "ThemeDictionary",
    "ThemeError",
    "load_themes",
    "tag_themes",
    "theme_coverage",
    "theme_matrix",
    "theme_summary",
    "untagged",
]

#: The default dictionary's file name inside the package.
DEFAULT_THEMES = "themes_default.toml"
#: The fields that are searched, in this order.
FIELDS = ("measure", "summary")
#: The columns of :func:`tag_themes`.
TAG_COLUMNS = (
    "line", "policy_no", "direction_no", "section", "measure", "relisted",
    "theme", "word", "field",
)
_THEME_KEYS = {"words", "exclude"}
_TOP_KEYS = {"themes", "title"}


class ThemeError(ValueError):
    """A theme dictionary that cannot be used; the message says where and why."""


@dataclass(frozen=True)
class Theme:
    """One theme: its name, its words and the phrases whose occurrences do not count."""

    name: str
    words: tuple[str, ...]
    exclude: tuple[str, ...] = ()


@dataclass(frozen=True)
class ThemeDictionary:
    """A validated theme dictionary.

    ``themes`` in the dictionary's order; ``label`` names it for the 概要
    sheet (the file name, or 「kcdata 同梱の themes_default.toml」); ``sha256`` is the
    SHA-256 of the TOML file's bytes, or of a canonical JSON form of a
    dictionary given from Python; ``title`` is the TOML's optional ``title``.
    """

    themes: tuple[Theme, ...]
    label: str
    sha256: str
    title: str | None = None

    @property
    def names(self) -> list[str]:
        """The theme names, in order."""
        return [t.name for t in self.themes]

    def to_mapping(self) -> dict[str, dict[str, list[str]]]:
        """The dictionary as ``{theme: {"words": [...], "exclude": [...]}}``, to extend.

        >>> load_themes({"防災": ["防災"]}).to_mapping()
        {'防災': {'words': ['防災'], 'exclude': []}}
        """
        return {t.name: {"words": list(t.words), "exclude": list(t.exclude)}
                for t in self.themes}

    def to_toml(self) -> str:
        """The dictionary in the shared TOML format (:func:`load_themes` reads it back).

        >>> print(load_themes({"防災・防犯": {"words": ["防災"], "exclude": ["x"]}}).to_toml())
        [themes."防災・防犯"]
        words = ["防災"]
        exclude = ["x"]
        <BLANKLINE>
        """
        def quoted(text: str) -> str:  # a JSON string is a TOML basic string
            return json.dumps(text, ensure_ascii=False)

        lines = [f"title = {quoted(self.title)}", ""] if self.title else []
        for t in self.themes:
            lines.append(f"[themes.{quoted(t.name)}]")
            lines.append(f"words = [{', '.join(map(quoted, t.words))}]")
            if t.exclude:
                lines.append(f"exclude = [{', '.join(map(quoted, t.exclude))}]")
            lines.append("")
        return "\n".join(lines)

    def to_frame(self) -> pd.DataFrame:
        """One row per theme: ``theme``, ``words`` and ``exclude`` joined with 「、」."""
        return pd.DataFrame(
            {
                "theme": self.names,
                "words": ["、".join(t.words) for t in self.themes],
                "exclude": ["、".join(t.exclude) for t in self.themes],
            }
        )


ThemesLike = ThemeDictionary | Mapping[str, Any] | str | os.PathLike[str] | None


def load_themes(themes: ThemesLike = None) -> ThemeDictionary:
    """A theme dictionary from a TOML file, a Python mapping, or the default (``None``).

    TOML files are read with :mod:`tomllib` in binary mode; the only top-level
    keys allowed are ``themes`` (a table of themes) and ``title`` (a string).
    Each theme needs ``words``, a non-empty list of strings; ``exclude`` is an
    optional list of strings. A mapping is ``{theme: [words]}`` or ``{theme:
    {"words": [...], "exclude": [...]}}``. A :class:`ThemeDictionary` is
    returned as it is. Repeated words within a theme are kept once.

    Raises :class:`ThemeError` (a ``ValueError``) naming the file and the
    theme for anything malformed: invalid TOML, no themes, an unknown key (a
    typo such as ``word``), words that are not a list of strings, a word
    that is empty once folded, a word holding a control character.

    >>> load_themes({"防災": ["防災", "避難"]}).themes[0]
    Theme(name='防災', words=('防災', '避難'), exclude=())
    >>> load_themes().names[:2]
    ['防災・防犯', '子ども・子育て']
    """
    if isinstance(themes, ThemeDictionary):
        return themes
    if themes is None:
        data = resources.files("kcdata").joinpath(DEFAULT_THEMES).read_bytes()
        return _from_toml(data, f"kcdata 同梱の {DEFAULT_THEMES}", where=DEFAULT_THEMES)
    if isinstance(themes, Mapping):
        parsed = _parse_themes(themes, "the theme mapping")
        canonical = json.dumps(
            [[t.name, list(t.words), list(t.exclude)] for t in parsed], ensure_ascii=False
        )
        return ThemeDictionary(
            parsed, "Python の辞書", hashlib.sha256(canonical.encode("utf-8")).hexdigest()
        )
    if isinstance(themes, str | os.PathLike):
        path = Path(themes)
        try:  # read like a source: a regular file (never a FIFO or a device), bounded
            data = read_source(path, max_bytes=MAX_OPTION_FILE_BYTES).data
        except OSError as err:
            raise ThemeError(f"{path}: cannot read: {err.strerror or err}") from None
        return _from_toml(data, path.name, where=str(path))
    raise TypeError(f"themes must be a TOML path, a mapping or None, not {type(themes).__name__}")


def _from_toml(data: bytes, label: str, *, where: str) -> ThemeDictionary:
    try:
        document = parse_toml(data, where)
    except ValueError as err:
        raise ThemeError(str(err)) from None
    unknown = sorted(set(document) - _TOP_KEYS)
    if unknown:
        raise ThemeError(
            f"{where}: unknown top-level key {unknown[0]!r} (expected [themes.\"名前\"] tables"
            " and an optional title)"
        )
    if "themes" not in document:
        raise ThemeError(f"{where}: no [themes.\"名前\"] table")
    title = document.get("title")
    if title is not None and not isinstance(title, str):
        raise ThemeError(f"{where}: title must be a string")
    if not isinstance(document["themes"], dict):
        raise ThemeError(f"{where}: themes must be a table of [themes.\"名前\"] tables")
    parsed = _parse_themes(document["themes"], where)
    return ThemeDictionary(parsed, label, hashlib.sha256(data).hexdigest(), title)


def _parse_themes(themes: Mapping[str, Any], where: str) -> tuple[Theme, ...]:
    if not themes:
        raise ThemeError(f"{where}: no themes")
    out = []
    for name, spec in themes.items():
        if not isinstance(name, str) or not name.strip():
            raise ThemeError(f"{where}: a theme without a name")
        if isinstance(spec, Mapping):
            unknown = sorted(set(spec) - _THEME_KEYS)
            if unknown:
                raise ThemeError(
                    f"{where}: theme {name!r}: unknown key {unknown[0]!r} (expected words, exclude)"
                )
            if "words" not in spec:
                raise ThemeError(f"{where}: theme {name!r}: no words")
            words, exclude = spec["words"], spec.get("exclude", [])
        else:
            words, exclude = spec, []
        out.append(
            Theme(
                name,
                _strings(words, where, name, "words", required=True),
                _strings(exclude, where, name, "exclude", required=False),
            )
        )
    return tuple(out)


def _strings(values: Any, where: str, theme: str, key: str, *, required: bool) -> tuple[str, ...]:
    if isinstance(values, str) or not isinstance(values, Iterable):
        raise ThemeError(f"{where}: theme {theme!r}: {key} must be a list of strings")
    values = list(values)
    if required and not values:
        raise ThemeError(f"{where}: theme {theme!r}: {key} is empty")
    seen: dict[str, None] = {}
    for value in values:
        if not isinstance(value, str):
            raise ThemeError(
                f"{where}: theme {theme!r}: {key} must be a list of strings, found {value!r}"
            )
        if any(ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0 for c in value):
            raise ThemeError(f"{where}: theme {theme!r}: {value!r} holds a control character")
        if not fold_key(value):
            raise ThemeError(f"{where}: theme {theme!r}: an empty word in {key}")
        seen.setdefault(value)
    return tuple(seen)


# --- finding the words ------------------------------------------------------------------


def _starts(key: str, word: str) -> list[int]:
    """Where ``word`` starts in ``key``: every occurrence, overlapping ones included."""
    found, start = [], key.find(word)
    while start >= 0:
        found.append(start)
        start = key.find(word, start + 1)
    return found


def _cell_tags(key: str, folded: list[tuple[list[str], list[str]]]) -> list[tuple[int, int]]:
    """The ``(theme, word)`` numbers (dictionary order) whose word counts in one folded cell.

    A word counts when one of its occurrences stands at ASCII word bounds
    (:func:`kcdata.text.at_word_bounds`) and does not lie inside an occurrence
    of one of the theme's excluded phrases (one that starts at or before it
    and ends at or after it).
    """
    found = []
    for t, (words, exclude) in enumerate(folded):
        excluded = None  # the spans of the theme's excluded phrases, found when first needed
        for w, word in enumerate(words):
            if word not in key:
                continue
            if excluded is None:
                excluded = [(s, s + len(x)) for x in exclude for s in _starts(key, x)]
            for start in _starts(key, word):
                end = start + len(word)
                inside = any(s <= start and end <= e for s, e in excluded)
                if not inside and at_word_bounds(key, start, end):
                    found.append((t, w))
                    break
    return found


def _tag_rows(df: pd.DataFrame, dictionary: ThemeDictionary) -> pd.DataFrame:
    """Row positions of ``df`` with theme, word and field numbers, sorted in that order.

    The dictionary's words and exclusions are folded once; each distinct cell
    of a field is folded and searched once, then its tags are given to every
    row holding it (a missing cell is an empty one). A NUL character in a cell (no word can
    hold one) is dropped before folding.
    """
    folded = [([fold_key(w) for w in t.words], [fold_key(x) for x in t.exclude])
              for t in dictionary.themes]
    tags = []
    for f, field in enumerate(FIELDS):
        texts = df[field].astype("str").fillna("").tolist() if field in df else [""] * len(df)
        tags_of = {text: _cell_tags(fold_key(text.replace("\x00", "")), folded)
                   for text in dict.fromkeys(texts)}
        tags += [(row, t, f, w) for row, text in enumerate(texts) for t, w in tags_of[text]]
    tags.sort()  # by row, then theme, field and word
    return pd.DataFrame(tags, columns=["row", "theme", "field", "word"], dtype="int64")


def tag_themes(df: pd.DataFrame, themes: ThemesLike = None) -> pd.DataFrame:
    """The listings' themes, as a tidy long table: one row per (listing, theme, field, word).

    Columns (:data:`TAG_COLUMNS`): the listing's ``line``, ``policy_no``,
    ``direction_no``, ``section`` (「3-(2)」, :func:`kcdata.vocab.section_label`),
    ``measure`` and ``relisted`` (plus ``sheet`` when ``df`` has one); the
    ``theme``; the dictionary's ``word`` that was found (as the dictionary
    writes it); the ``field`` it was found in, ``"measure"`` (事業名) or
    ``"summary"`` (事業概要). A word found in both fields gives two rows; a
    word found twice in one field, one. Rows in document order, then the
    dictionary's order of themes, fields (事業名 first) and words.

    Every listing is tagged, 【再掲】 rows included (``relisted`` says which);
    the analyses count measures (see the module docstring). ``themes`` as in
    :func:`load_themes` (default: the shipped dictionary). ``df`` is not modified.

    >>> from kcdata import parse_measures
    >>> doc = "基本方針1 方針\\n施策の方向性(1) 方向\\nA事業\\tボウサイ訓練\\t甲課\\n"
    >>> tag_themes(parse_measures(doc), {"防災": ["防災", "ぼうさい"]})[
    ...     ["line", "theme", "word", "field"]].values.tolist()
    [[3, '防災', 'ぼうさい', 'summary']]
    """
    dictionary = load_themes(themes)
    tags = _tag_rows(df, dictionary)
    columns = ["line", "policy_no", "direction_no", "measure", "relisted"]
    if "sheet" in df:
        columns.insert(0, "sheet")
    listings = df.reindex(columns=columns).take(tags["row"].to_numpy()).reset_index(drop=True)
    sections = pd.Series([section_label(p, d) for p, d in zip(
        listings["policy_no"], listings["direction_no"], strict=True)], dtype="str")
    listings.insert(listings.columns.get_loc("measure"), "section", sections)
    listings["relisted"] = listings["relisted"].astype(bool)
    names, words = dictionary.names, [t.words for t in dictionary.themes]
    found = list(zip(tags["theme"], tags["field"], tags["word"], strict=True))
    listings["theme"] = pd.Series([names[t] for t, _, _ in found], dtype="str")
    listings["word"] = pd.Series([words[t][w] for t, _, w in found], dtype="str")
    listings["field"] = pd.Series([FIELDS[f] for _, f, _ in found], dtype="str")
    return listings


def _tagged(df: pd.DataFrame, dictionary: ThemeDictionary) -> np.ndarray:
    """Whether each listing has at least one theme (a boolean per row of ``df``)."""
    tagged = np.zeros(len(df), dtype=bool)
    tagged[_tag_rows(df, dictionary)["row"].to_numpy()] = True
    return tagged


def untagged(df: pd.DataFrame, themes: ThemesLike = None) -> pd.DataFrame:
    """The listings that no theme matched: rows of ``df`` (its columns), in document order.

    【再掲】 rows included, like every listing; what the dictionary misses.
    ``df`` is not modified.
    """
    dictionary = load_themes(themes)
    return df.iloc[np.flatnonzero(~_tagged(df, dictionary))].copy()


def theme_coverage(df: pd.DataFrame, themes: ThemesLike = None) -> pd.Series:
    """How much of the plan the dictionary tags, in measures and in listings.

    ``measures`` (distinct 事業名, NFKC key, of the listings that are not
    【再掲】, as :func:`kcdata.plan_totals`), ``tagged_measures`` (those with
    at least one theme in at least one of their non-【再掲】 listings),
    ``share`` (their ratio), ``listings`` and ``tagged_listings`` (【再掲】 rows included).
    """
    dictionary = load_themes(themes)
    tagged = _tagged(df, dictionary)
    keys = nfkc_key(df["measure"]).to_numpy()
    original = ~df["relisted"].to_numpy(dtype=bool)
    measures = len(set(keys[original]))
    tagged_measures = len(set(keys[original & tagged]))
    return pd.Series({
        "measures": measures,
        "tagged_measures": tagged_measures,
        "share": tagged_measures / measures if measures else 0.0,
        "listings": len(df),
        "tagged_listings": int(tagged.sum()),
    }, dtype="object")


By = Literal["policy", "direction", "department"]


def theme_matrix(
    df: pd.DataFrame, by: By = "policy", themes: ThemesLike = None
) -> pd.DataFrame:
    """Themes x 基本方針 (or x 施策の方向性, or x department): measures counted, zeros filled.

    Rows: every theme of the dictionary, in its order (index ``theme``).
    Columns: every 基本方針 of ``df`` by number (``by="policy"``), every
    (``policy_no``, ``direction_no``) (``by="direction"``), or every department
    in name order (``by="department"``).

    A cell counts **distinct measures** (NFKC key of 事業名):

    * by section: the section's listings that are not 【再掲】 and have the
      theme, so a 【再掲】 is counted once, where it is first listed (a
      row sums to the theme's measures, as :func:`kcdata.policy_summary`'s
      ``measures`` sum to the plan's);
    * by department: the distinct measures among the department's listings
      with the theme, 【再掲】 included (as
      :func:`kcdata.department_summary`'s ``measures``); a co-managed measure
      counts for each of its departments, so a row may sum to more than the
      theme's measures.
    """
    dictionary = load_themes(themes)
    tags = _tag_rows(df, dictionary)
    hits = tags[["row", "theme"]].drop_duplicates()
    listings = df.iloc[hits["row"].to_numpy()]
    frame = pd.DataFrame({
        "theme": np.array(dictionary.names, dtype=object)[hits["theme"].to_numpy()],
        "key": nfkc_key(listings["measure"]).to_numpy(),
        "relisted": listings["relisted"].to_numpy(dtype=bool),
    })
    names = pd.Index(dictionary.names, name="theme")
    if by in ("policy", "direction"):
        keys = ["policy_no"] if by == "policy" else ["policy_no", "direction_no"]
        for k in keys:
            frame[k] = listings[k].to_numpy()
        frame = frame[~frame["relisted"]]
        counts = frame.drop_duplicates(["theme", *keys, "key"]).groupby(
            ["theme", *keys]).size()
        columns = df[keys].drop_duplicates().sort_values(keys)
        column_index = (pd.Index(columns["policy_no"], name="policy_no") if by == "policy"
                        else pd.MultiIndex.from_frame(columns))
        matrix = counts.unstack(keys) if len(counts) else pd.DataFrame(index=names)
    elif by == "department":
        frame["department"] = listings["departments"].to_numpy()
        frame = frame.explode("department").dropna(subset=["department"])
        counts = frame.drop_duplicates(["theme", "department", "key"]).groupby(
            ["theme", "department"]).size()
        departments = sorted({d for ds in df["departments"] for d in ds})
        column_index = pd.Index(departments, name="department")
        matrix = counts.unstack("department") if len(counts) else pd.DataFrame(index=names)
    else:
        raise ValueError(f"by must be 'policy', 'direction' or 'department', not {by!r}")
    matrix = matrix.reindex(index=names, columns=column_index, fill_value=0)
    return matrix.fillna(0).astype("int64")


def theme_summary(df: pd.DataFrame, themes: ThemesLike = None) -> pd.DataFrame:
    """One row per theme: its ``measures``, ``listings`` and ``relisted``, and their share.

    ``measures``: distinct measures with the theme (as :func:`theme_matrix`
    by section, so the sum over 基本方針); ``listings``: listings with the
    theme, 【再掲】 included; ``relisted``: of those, 【再掲】 rows; ``share``:
    ``measures`` over the plan's measures (a measure with two themes counts
    in both, so shares need not add up to 1). Index ``theme``, dictionary order.
    """
    dictionary = load_themes(themes)
    matrix = theme_matrix(df, "policy", dictionary)
    tags = _tag_rows(df, dictionary)
    hits = tags[["row", "theme"]].drop_duplicates()
    relisted = df["relisted"].to_numpy(dtype=bool)[hits["row"].to_numpy()]
    n = len(dictionary.themes)
    listings = np.bincount(hits["theme"].to_numpy(), minlength=n)
    relisted_n = np.bincount(hits["theme"].to_numpy()[relisted], minlength=n)
    total = nfkc_key(df.loc[~df["relisted"], "measure"]).nunique()
    out = pd.DataFrame({
        "measures": matrix.sum(axis=1).to_numpy(),
        "listings": listings,
        "relisted": relisted_n,
    }, index=matrix.index)
    out["share"] = out["measures"] / total if total else 0.0
    return out

"""Themes: which listings serve 防災, 子育て, デジタル ..., from a dictionary planners edit.

A dictionary maps a theme to its words and optional excluded phrases, in TOML
(``[themes."防災・防犯"]`` with ``words = [...]``, ``exclude = [...]``) or from Python
(``{"防災・防犯": ["防災", "避難"]}``); kcdata ships ``kcdata/themes_default.toml``.

A listing has a theme when one of its words occurs in the 事業名 or 事業概要, both
compared on :func:`kcdata.text.fold_key` (a word starting or ending with an ASCII letter or
digit only at ASCII word bounds), and the occurrence does not lie inside an occurrence of
one of the theme's excluded phrases. Every listing is tagged, 【再掲】 rows included; a
**measure** is a distinct NFKC 事業名 of the listings that are not 【再掲】.
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

from kcdata.io.departments import explode_departments
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
    """A validated theme dictionary: its themes in order, a ``label`` for the 概要 sheet,
    the ``sha256`` of the TOML bytes (or of a canonical JSON of a Python mapping), a ``title``."""

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
        def toml(value: str | tuple[str, ...]) -> str:  # JSON strings and arrays are TOML's
            return json.dumps(value, ensure_ascii=False)

        lines = [f"title = {toml(self.title)}", ""] if self.title else []
        for t in self.themes:
            lines += [f"[themes.{toml(t.name)}]", f"words = {toml(t.words)}"]
            if t.exclude:
                lines.append(f"exclude = {toml(t.exclude)}")
            lines.append("")
        return "\n".join(lines)

    def to_frame(self) -> pd.DataFrame:
        """One row per theme: ``theme``, ``words`` and ``exclude`` joined with 「、」."""
        return pd.DataFrame({
            "theme": self.names,
            "words": ["、".join(t.words) for t in self.themes],
            "exclude": ["、".join(t.exclude) for t in self.themes],
        })


ThemesLike = ThemeDictionary | Mapping[str, Any] | str | os.PathLike[str] | None


def load_themes(themes: ThemesLike = None) -> ThemeDictionary:
    """A theme dictionary from a TOML file, a Python mapping, or the default (``None``).

    TOML: top-level ``themes`` (a table of themes) and an optional ``title``; each
    theme needs ``words`` (a non-empty list of strings), ``exclude`` is optional. A
    mapping is ``{theme: [words]}`` or ``{theme: {"words": [...], "exclude": [...]}}``.
    Repeated words are kept once. Anything malformed raises :class:`ThemeError`
    naming the file and the theme.

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
        canonical = json.dumps([[t.name, list(t.words), list(t.exclude)] for t in parsed],
                               ensure_ascii=False)
        return ThemeDictionary(parsed, "Python の辞書",
                               hashlib.sha256(canonical.encode("utf-8")).hexdigest())
    if isinstance(themes, str | os.PathLike):
        path = Path(themes)
        try:  # read like a source: a regular file, bounded
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
    unknown = sorted(set(document) - {"themes", "title"})
    if unknown:
        raise ThemeError(f"{where}: unknown top-level key {unknown[0]!r} (expected "
                         "[themes.\"名前\"] tables and an optional title)")
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
        words, exclude = spec, []
        if isinstance(spec, Mapping):
            unknown = sorted(set(spec) - {"words", "exclude"})
            if unknown:
                raise ThemeError(f"{where}: theme {name!r}: unknown key {unknown[0]!r} "
                                 "(expected words, exclude)")
            if "words" not in spec:
                raise ThemeError(f"{where}: theme {name!r}: no words")
            words, exclude = spec["words"], spec.get("exclude", [])
        out.append(Theme(name, _strings(words, where, name, "words"),
                         _strings(exclude, where, name, "exclude")))
    return tuple(out)


def _strings(values: Any, where: str, theme: str, key: str) -> tuple[str, ...]:
    """The distinct strings of a theme's ``words`` (required) or ``exclude`` list, checked."""
    if isinstance(values, str) or not isinstance(values, Iterable):
        raise ThemeError(f"{where}: theme {theme!r}: {key} must be a list of strings")
    values = list(values)
    if key == "words" and not values:
        raise ThemeError(f"{where}: theme {theme!r}: {key} is empty")
    for value in values:
        if not isinstance(value, str):
            raise ThemeError(
                f"{where}: theme {theme!r}: {key} must be a list of strings, found {value!r}")
        if any(ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0 for c in value):
            raise ThemeError(f"{where}: theme {theme!r}: {value!r} holds a control character")
        if not fold_key(value):
            raise ThemeError(f"{where}: theme {theme!r}: an empty word in {key}")
    return tuple(dict.fromkeys(values))


def _starts(key: str, word: str) -> list[int]:
    """Where ``word`` starts in ``key``: every occurrence, overlapping ones included."""
    found, start = [], key.find(word)
    while start >= 0:
        found.append(start)
        start = key.find(word, start + 1)
    return found


def _cell_tags(key: str, folded: list[tuple[list[str], list[str]]]) -> list[tuple[int, int]]:
    """The ``(theme, word)`` numbers whose word counts in one folded cell: an occurrence at
    ASCII word bounds, not inside an occurrence of one of the theme's excluded phrases."""
    found = []
    for t, (words, exclude) in enumerate(folded):
        excluded = None  # the excluded phrases' spans, found when first needed
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
    """``row`` (position in ``df``), ``theme``, ``field`` and ``word`` numbers, sorted so.

    Each distinct cell of a field is folded and searched once (a missing cell is
    empty; NUL characters are dropped).
    """
    folded = [([fold_key(w) for w in t.words], [fold_key(x) for x in t.exclude])
              for t in dictionary.themes]
    tags = []
    for f, field in enumerate(FIELDS):
        texts = df[field].astype("str").fillna("").tolist() if field in df else [""] * len(df)
        tags_of = {text: _cell_tags(fold_key(text.replace("\x00", "")), folded)
                   for text in dict.fromkeys(texts)}
        tags += [(row, t, f, w) for row, text in enumerate(texts) for t, w in tags_of[text]]
    tags.sort()
    return pd.DataFrame(tags, columns=["row", "theme", "field", "word"], dtype="int64")


def _hits(df: pd.DataFrame, dictionary: ThemeDictionary) -> pd.DataFrame:
    """One row per (listing, theme) tagged: ``row`` (position in ``df``) and ``theme`` number."""
    return _tag_rows(df, dictionary)[["row", "theme"]].drop_duplicates()


def tag_themes(df: pd.DataFrame, themes: ThemesLike = None) -> pd.DataFrame:
    """The listings' themes as a tidy table: one row per (listing, theme, field, word).

    Columns :data:`TAG_COLUMNS` (``sheet`` first when ``df`` has one): the listing,
    the ``theme``, the dictionary's ``word`` found and the ``field`` (``"measure"``
    or ``"summary"``). A word found in both fields gives two rows, found twice in
    one field one. Rows in document order, then themes, fields and words.

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
    sections = [section_label(p, d) for p, d in zip(
        listings["policy_no"], listings["direction_no"], strict=True)]
    listings.insert(listings.columns.get_loc("measure"), "section",
                    pd.Series(sections, dtype="str"))
    listings["relisted"] = listings["relisted"].astype(bool)
    listings["theme"] = pd.Series([dictionary.names[t] for t in tags["theme"]], dtype="str")
    listings["word"] = pd.Series([dictionary.themes[t].words[w] for t, w in zip(
        tags["theme"], tags["word"], strict=True)], dtype="str")
    listings["field"] = pd.Series([FIELDS[f] for f in tags["field"]], dtype="str")
    return listings


def _tagged(df: pd.DataFrame, dictionary: ThemeDictionary) -> np.ndarray:
    """Whether each listing has at least one theme (a boolean per row of ``df``)."""
    return np.isin(np.arange(len(df)), _tag_rows(df, dictionary)["row"])


def untagged(df: pd.DataFrame, themes: ThemesLike = None) -> pd.DataFrame:
    """The listings (rows of ``df``, 【再掲】 included) that no theme matched, in order."""
    return df[~_tagged(df, load_themes(themes))].copy()


def theme_coverage(df: pd.DataFrame, themes: ThemesLike = None) -> pd.Series:
    """How much of the plan the dictionary tags.

    ``measures`` (as :func:`kcdata.plan_totals`), ``tagged_measures`` (with a theme in
    one of their non-【再掲】 listings), ``share`` (their ratio), ``listings`` and
    ``tagged_listings`` (【再掲】 included).
    """
    tagged = _tagged(df, load_themes(themes))
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
    """Themes x 基本方針 (or x 施策の方向性, or x department): distinct measures, zeros filled.

    Rows: every theme, dictionary order. By section, a cell counts the section's
    non-【再掲】 listings' measures with the theme (so a row sums to the theme's
    measures); by department (columns by name), the distinct measures among the
    department's listings with the theme, 【再掲】 included (a co-managed measure
    counts for each department).
    """
    dictionary = load_themes(themes)
    hits = _hits(df, dictionary)
    names = pd.Index(dictionary.names, name="theme")
    listings = df.iloc[hits["row"].to_numpy()].assign(
        theme=names[hits["theme"].to_numpy()], key=lambda t: nfkc_key(t["measure"]))
    if by in ("policy", "direction"):
        keys = ["policy_no"] if by == "policy" else ["policy_no", "direction_no"]
        listings = listings[~listings["relisted"].astype(bool)]
        columns = df[keys].drop_duplicates().sort_values(keys)
        column_index = (pd.Index(columns["policy_no"], name="policy_no") if by == "policy"
                        else pd.MultiIndex.from_frame(columns))
    elif by == "department":
        keys = ["department"]
        listings = explode_departments(listings)
        column_index = pd.Index(sorted({d for ds in df["departments"] for d in ds}),
                                name="department")
    else:
        raise ValueError(f"by must be 'policy', 'direction' or 'department', not {by!r}")
    counts = listings.drop_duplicates(["theme", *keys, "key"]).groupby(["theme", *keys]).size()
    matrix = counts.unstack(keys) if len(counts) else pd.DataFrame(index=names)
    matrix = matrix.reindex(index=names, columns=column_index, fill_value=0)
    return matrix.fillna(0).astype("int64")


def theme_summary(df: pd.DataFrame, themes: ThemesLike = None) -> pd.DataFrame:
    """One row per theme (index ``theme``): ``measures`` (as :func:`theme_matrix` by
    section), ``listings`` with the theme and of those ``relisted``, and ``share``:
    ``measures`` over the plan's measures (a measure may have several themes)."""
    dictionary = load_themes(themes)
    hits = _hits(df, dictionary)
    relisted = df["relisted"].to_numpy(dtype=bool)[hits["row"].to_numpy()]
    count = len(dictionary.themes)
    total = nfkc_key(df.loc[~df["relisted"], "measure"]).nunique()
    out = pd.DataFrame({
        "measures": theme_matrix(df, "policy", dictionary).sum(axis=1).to_numpy(),
        "listings": np.bincount(hits["theme"].to_numpy(), minlength=count),
        "relisted": np.bincount(hits["theme"].to_numpy()[relisted], minlength=count),
    }, index=pd.Index(dictionary.names, name="theme"))
    out["share"] = out["measures"] / total if total else 0.0
    return out

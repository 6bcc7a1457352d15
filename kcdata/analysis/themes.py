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
key of :mod:`kcdata.textkey` (NFKC, case-folded, katakana as hiragana, white
space removed; a word starting or ending with an ASCII letter or digit only
at ASCII word bounds). An occurrence that lies inside an occurrence of one of
the theme's excluded phrases does not count: with ``exclude = ["多文化"]``,
「多文化共生」 is not 「文化」, but 「多文化共生と文化芸術」 still is. A listing
may have several themes.

Counting conventions (those of :mod:`kcdata.analysis.summaries`): every listing is
tagged, 【再掲】 rows included (they are rows of the plan); a **measure** is a
distinct 事業名 (NFKC key) of the listings that are not 【再掲】, so the
matrices and the coverage count a measure and its 【再掲】 once.

Cost: the key is computed once per distinct cell (one joined string, see
:func:`kcdata.textkey.fold_joined`), and all the words and exclusions of the
dictionary are found in one Aho-Corasick pass over it (pyahocorasick); the
rest is NumPy. Tagging 10^5 listings with 200 words takes about as long as
reading them with ``pandas.read_csv`` (``benchmarks/bench_themes.py``).
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
import pyarrow as pa

from kcdata.text import nfkc_key
from kcdata.textkey import SEPARATOR, ascii_bounded, ascii_word_chars, fold_joined, fold_key
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
        from importlib import resources

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
        try:
            data = path.read_bytes()
        except OSError as err:
            raise ThemeError(f"{path}: cannot read: {err.strerror or err}") from None
        return _from_toml(data, path.name, where=str(path))
    raise TypeError(f"themes must be a TOML path, a mapping or None, not {type(themes).__name__}")


def _from_toml(data: bytes, label: str, *, where: str) -> ThemeDictionary:
    import tomllib

    try:
        document = tomllib.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise ThemeError(f"{where}: not UTF-8 text") from None
    except tomllib.TOMLDecodeError as err:
        raise ThemeError(f"{where}: invalid TOML: {err}") from None
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


def _automaton(patterns: list[str]):
    import ahocorasick

    automaton = ahocorasick.Automaton(ahocorasick.STORE_INTS)
    for i, pattern in enumerate(patterns):
        automaton.add_word(pattern, i)
    automaton.make_automaton()
    return automaton


def _find(
    cells: list[str], patterns: list[str], automaton
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Every occurrence of every pattern (a key) in the cells' keys.

    Returns the folded code points of the joined cells, and for each
    occurrence its cell, pattern, start and end (exclusive) in the joined key.
    """
    joined = SEPARATOR.join(cells)
    if joined.count(SEPARATOR) != len(cells) - 1:  # a cell holds the separator: drop it
        joined = SEPARATOR.join(c.replace(SEPARATOR, "") for c in cells)
    key, points = fold_joined(joined)
    flat = np.fromiter(
        itertools.chain.from_iterable(automaton.iter(key)), dtype=np.int64
    ).reshape(-1, 2)
    ends, pattern = flat[:, 0] + 1, flat[:, 1]
    lengths = np.array([len(p) for p in patterns], dtype=np.int64)
    starts = ends - lengths[pattern]
    separators = np.flatnonzero(points == 0)
    cell = np.searchsorted(separators, starts)
    return points, cell, pattern, starts, ends


def _matches(
    cells: list[str], dictionary: ThemeDictionary
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The (cell, theme, word) triples of the cells: distinct, exclusions applied.

    Themes and words are numbered in dictionary order.
    """
    patterns = sorted({fold_key(p) for t in dictionary.themes for p in (*t.words, *t.exclude)})
    empty = np.empty(0, dtype=np.int64)
    if not cells:
        return empty, empty, empty
    index = {p: i for i, p in enumerate(patterns)}
    points, cell, pattern, starts, ends = _find(cells, patterns, _automaton(patterns))
    by_pattern = np.argsort(pattern, kind="stable")
    bounds = np.searchsorted(pattern[by_pattern], np.arange(len(patterns) + 1))

    def occurrences_of(pattern_key: str) -> np.ndarray:
        i = index[pattern_key]
        return by_pattern[bounds[i]:bounds[i + 1]]

    word_chars = ascii_word_chars(points)
    found: list[tuple[np.ndarray, int, int]] = []
    for t, theme in enumerate(dictionary.themes):
        # The theme's excluded phrases: their occurrences by start, and the furthest end
        # reached by any of them starting at or before each one.
        excluded = np.concatenate(
            [empty, *(occurrences_of(fold_key(p)) for p in theme.exclude)]
        )
        order = np.argsort(starts[excluded], kind="stable")
        x_starts = starts[excluded][order]
        x_reach = np.maximum.accumulate(ends[excluded][order]) if len(order) else empty
        for w, word in enumerate(theme.words):
            k = fold_key(word)
            occurrences = occurrences_of(k)
            if not len(occurrences):
                continue
            s, e = starts[occurrences], ends[occurrences]
            ok = ascii_bounded(points, s, e, k, word_chars)
            if len(x_starts):  # inside an excluded phrase: it starts before, reaches after
                last = np.searchsorted(x_starts, s, side="right") - 1
                ok &= ~((last >= 0) & (x_reach[np.maximum(last, 0)] >= e))
            hit = np.unique(cell[occurrences][ok])
            found.append((hit, t, w))
    if not found:
        return empty, empty, empty
    cells_hit = np.concatenate([h for h, _, _ in found])
    themes_hit = np.concatenate([np.full(len(h), t) for h, t, _ in found])
    words_hit = np.concatenate([np.full(len(h), w) for h, _, w in found])
    return cells_hit, themes_hit, words_hit


def _text_column(df: pd.DataFrame, field: str) -> pd.Series:
    return df[field].astype("str").fillna("") if field in df else pd.Series([""] * len(df))


def _tag_rows(df: pd.DataFrame, dictionary: ThemeDictionary) -> pd.DataFrame:
    """Row positions of ``df`` with theme, word and field numbers, sorted."""
    rows, themes, words, fields = [], [], [], []
    for f, field in enumerate(FIELDS):
        codes, uniques = pd.factorize(_text_column(df, field))
        cell, theme, word = _matches(np.asarray(uniques, dtype=object).tolist(), dictionary)
        if not len(cell):
            continue
        # Every row whose cell matched, for each match: rows grouped by cell (CSR).
        by_cell = np.argsort(codes, kind="stable")
        counts = np.bincount(codes, minlength=len(uniques))
        first = np.concatenate(([0], np.cumsum(counts)[:-1]))
        repeat = counts[cell]
        offsets = np.arange(repeat.sum()) - np.repeat(np.cumsum(repeat) - repeat, repeat)
        rows.append(by_cell[np.repeat(first[cell], repeat) + offsets])
        themes.append(np.repeat(theme, repeat))
        words.append(np.repeat(word, repeat))
        fields.append(np.full(repeat.sum(), f))
    if not rows:
        return pd.DataFrame({k: np.empty(0, dtype=np.int64) for k in
                             ("row", "theme", "field", "word")})
    out = pd.DataFrame({
        "row": np.concatenate(rows), "theme": np.concatenate(themes),
        "field": np.concatenate(fields), "word": np.concatenate(words),
    })
    # One sort key: row, then theme, field and word (each below its bound).
    n_words = max(len(t.words) for t in dictionary.themes)
    key = ((out["row"].to_numpy() * len(dictionary.themes) + out["theme"].to_numpy())
           * len(FIELDS) + out["field"].to_numpy()) * n_words + out["word"].to_numpy()
    return out.iloc[np.argsort(key, kind="stable")].reset_index(drop=True)


def _taken(values: Sequence[str], codes: np.ndarray) -> pd.Series:
    """``values[codes]`` as a ``str`` Series (an Arrow take, no Python loop per row)."""
    taken = pa.array(list(values), type=pa.large_string()).take(pa.array(codes, pa.int64()))
    return pd.Series(pd.array(taken, dtype="str"))


def _section_labels(listings: pd.DataFrame) -> pd.Series:
    """The section label of every listing (:func:`kcdata.vocab.section_label`).

    Labels are made once per distinct 基本方針 and 施策の方向性 number, and
    joined once per distinct pair: no Python loop per listing.
    """
    policy, policies = pd.factorize(listings["policy_no"], use_na_sentinel=False)
    if "direction_no" in listings:
        direction, directions = pd.factorize(listings["direction_no"], use_na_sentinel=False)
    else:
        direction, directions = np.zeros(len(listings), dtype=np.int64), pd.Index([None])
    heads = [section_label(p) for p in policies]  # 「3」, or '' for a missing number
    tails = [section_label(1, d)[1:] for d in directions]  # 「-(2)」, or ''
    n = len(directions)
    pairs, codes = np.unique(policy * n + direction, return_inverse=True)
    labels = [heads[k // n] + tails[k % n] if heads[k // n] else "" for k in pairs.tolist()]
    return _taken(labels, codes)


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
    listings.insert(listings.columns.get_loc("measure"), "section", _section_labels(listings))
    listings["relisted"] = listings["relisted"].astype(bool)
    word_of = np.cumsum([0] + [len(t.words) for t in dictionary.themes])[:-1]
    all_words = [w for t in dictionary.themes for w in t.words]
    listings["theme"] = _taken(dictionary.names, tags["theme"].to_numpy())
    listings["word"] = _taken(
        all_words, word_of[tags["theme"].to_numpy()] + tags["word"].to_numpy()
    )
    listings["field"] = _taken(FIELDS, tags["field"].to_numpy())
    return listings


def _tagged_rows(df: pd.DataFrame, dictionary: ThemeDictionary) -> np.ndarray:
    """Positions of the listings with at least one theme."""
    return np.unique(_tag_rows(df, dictionary)["row"].to_numpy())


def untagged(df: pd.DataFrame, themes: ThemesLike = None) -> pd.DataFrame:
    """The listings that no theme matched: rows of ``df`` (its columns), in document order.

    【再掲】 rows included, like every listing; what the dictionary misses.
    ``df`` is not modified.
    """
    dictionary = load_themes(themes)
    mask = np.ones(len(df), dtype=bool)
    mask[_tagged_rows(df, dictionary)] = False
    return df.iloc[np.flatnonzero(mask)].copy()


def theme_coverage(df: pd.DataFrame, themes: ThemesLike = None) -> pd.Series:
    """How much of the plan the dictionary tags, in measures and in listings.

    ``measures`` (distinct 事業名, NFKC key, of the listings that are not
    【再掲】, as :func:`kcdata.plan_totals`), ``tagged_measures`` (those with
    at least one theme in at least one of their non-【再掲】 listings),
    ``share`` (their ratio), ``listings`` and ``tagged_listings`` (【再掲】 rows included).
    """
    dictionary = load_themes(themes)
    tagged = np.zeros(len(df), dtype=bool)
    tagged[_tagged_rows(df, dictionary)] = True
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

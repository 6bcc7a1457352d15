"""Layout files (TOML, README: レイアウトファイル): every value checked; a bad one is a
``ValueError`` naming the file, the key and what was expected."""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import fields
from pathlib import Path

from kcdata.io.layout import BUILTIN_LAYOUTS, ROLES, Layout, Level
from kcdata.io.patterns import heading_regex, user_regex
from kcdata.io.source import read_source
from kcdata.limits import MAX_OPTION_FILE_BYTES
from kcdata.messages import translate as _

__all__ = ["get_layout", "layout_from_dict", "layout_from_toml", "load_layout", "parse_toml"]


def get_layout(layout: str | os.PathLike[str] | Layout) -> Layout:
    """A layout from its name, a TOML file's path, or itself.

    >>> get_layout("generic").name
    'generic'
    """
    if isinstance(layout, Layout):
        return layout
    if isinstance(layout, str) and layout in BUILTIN_LAYOUTS:
        return BUILTIN_LAYOUTS[layout]
    path = Path(layout)
    if path.suffix.lower() == ".toml" or path.exists():
        return load_layout(path)
    raise ValueError(_(
        "unknown layout {layout!r}: use one of {names} or the path of a layout file (.toml)"
    ).format(layout=str(layout), names=", ".join(BUILTIN_LAYOUTS)))


_LIST_KEYS = ("relisted_marks", "department_separators", "placeholders", "ignore", "skip",
              "same_as_above", "heading_words")
_CHOICES = {"repeated_lines": ("error", "ignore"),
            "wrapped_lines": ("error", "join", "summary", "measure")}


def parse_toml(data: bytes, where: str) -> dict:
    """A TOML file's bytes (UTF-8, BOM allowed) as a dict; a ``ValueError`` naming ``where``
    for text that is not UTF-8, invalid TOML or nesting deeper than the parser goes."""
    try:
        return tomllib.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise ValueError(_("{where}: not UTF-8 text").format(where=where)) from None
    except tomllib.TOMLDecodeError as err:
        raise ValueError(_("{where}: not a valid TOML file: {err}").format(
            where=where, err=err)) from None
    except RecursionError:
        raise ValueError(_("{where}: nested too deeply").format(where=where)) from None


def load_layout(path: str | os.PathLike[str]) -> Layout:
    """Read a layout file (TOML), like a source: a regular file of at most
    :data:`MAX_OPTION_FILE_BYTES`. Raises ``ValueError`` naming the file, the key and the
    problem."""
    path = Path(path)
    try:
        data = parse_toml(read_source(path, max_bytes=MAX_OPTION_FILE_BYTES).data, str(path))
    except OSError as err:
        raise ValueError(_("{path}: cannot read the {what}: {reason}").format(
            path=path, what=_("layout file"), reason=err.strerror or err)) from None
    try:
        return layout_from_dict(data, default_name=path.stem)
    except (TypeError, ValueError, re.error) as err:
        raise ValueError(f"{path}: {err}") from None


def layout_from_toml(text: str, *, name: str = "custom") -> Layout:
    """A layout from the text of a layout file (for a layout written in a notebook).

    >>> layout_from_toml('''
    ... [[levels]]
    ... label = "章"
    ... heading = "第{no}章"
    ... [columns]
    ... measure = ["事業名"]
    ... departments = ["担当課"]
    ... ''', name="chapters").levels[0].label
    '章'
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise ValueError(_("not a valid TOML layout: {err}").format(err=err)) from None
    return layout_from_dict(data, default_name=name)


def _text(value: object, key: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(_("{key}: expected a non-empty string, not {value!r}").format(
            key=key, value=value))
    return value


def _texts(value: object, key: str) -> tuple[str, ...]:
    """A list of non-empty strings (one string is a list of one)."""
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        raise ValueError(_('{key}: expected a list of strings, such as ["a", "b"]').format(
            key=key))
    return tuple(_text(item, f"{key}[{i}]") for i, item in enumerate(value))


def _level(level: object, i: int) -> Level:
    if not isinstance(level, dict) or "label" not in level:
        raise ValueError(_("levels[{i}]: needs a label").format(i=i))
    extra = set(level) - {"label", "heading", "column", "number_format", "number_column"}
    if extra:
        raise ValueError(_("levels[{i}]: unknown keys {keys}").format(i=i, keys=sorted(extra)))
    label = _text(level["label"], f"levels[{i}].label")
    heading = level.get("heading")
    if heading is not None:
        heading_regex(_text(heading, f"levels[{i}].heading"))
    column = _texts(level.get("column", []), f"levels[{i}].column")
    number_format = _text(level.get("number_format", "{label}{no}"), f"levels[{i}].number_format")
    try:  # a template is checked by rendering it once
        number_format.format(label=label, no=1)
    except (KeyError, IndexError, ValueError) as err:
        raise ValueError(_("levels[{i}].number_format: {template!r} is not a template of "
                           "{{label}} and {{no}} ({err})").format(
            i=i, template=number_format, err=err)) from None
    number_column = _texts(level.get("number_column", []), f"levels[{i}].number_column")
    return Level(label, heading=heading, column=column, number_format=number_format,
                 number_column=number_column)


def layout_from_dict(data: dict, *, default_name: str = "custom") -> Layout:
    """A layout from the contents of a layout file, every value checked (types, choices, no
    empty word, templates that render, patterns that cannot run for ever)."""
    known = {f.name for f in fields(Layout)}
    unknown = set(data) - known
    if unknown:
        raise ValueError(_("unknown keys {keys} (known: {known})").format(
            keys=sorted(unknown), known=sorted(known)))
    kwargs = dict(data)
    kwargs["name"] = _text(kwargs.get("name", default_name), "name")
    if kwargs.get("title") is not None:
        kwargs["title"] = _text(kwargs["title"], "title")
    raw_levels = kwargs.pop("levels", [])
    if not isinstance(raw_levels, list):
        raise ValueError(_("levels must be a list of tables: [[levels]] label = ..."))
    kwargs["levels"] = tuple(_level(level, i) for i, level in enumerate(raw_levels, 1))
    columns = kwargs.pop("columns", {})
    if not isinstance(columns, dict):
        raise ValueError(_("columns: expected a table: [columns] measure = [...]"))
    for role in columns:
        if role not in ROLES:
            raise ValueError(_(
                "columns.{role}: not a column role ({roles}); keys such as continuation must "
                "come before the first [table] of the file"
            ).format(role=role, roles=", ".join(ROLES)))
    kwargs["columns"] = {role: _texts(words, f"columns.{role}") for role, words in columns.items()}
    if "column_order" in kwargs:
        kwargs["column_order"] = _texts(kwargs["column_order"], "column_order")
    else:  # the default order, without a role the file gives no words for (a plan without 概要)
        kwargs["column_order"] = tuple(r for r in Layout.column_order if kwargs["columns"].get(r))
    for key in _LIST_KEYS:
        if key in kwargs:
            kwargs[key] = _texts(kwargs[key], key)
    for key in ("ignore", "skip"):
        for pattern in kwargs.get(key, ()):
            user_regex(pattern, key)
    if "continuation" in kwargs and not isinstance(kwargs["continuation"], bool):
        raise ValueError(_("continuation: expected true or false, not {value!r}").format(
            value=kwargs["continuation"]))
    for key, choices in _CHOICES.items():
        if key in kwargs and kwargs[key] not in choices:
            raise ValueError(_("{key}: expected one of {choices}, not {value!r}").format(
                key=key, choices=", ".join(choices), value=kwargs[key]))
    return Layout(**kwargs)

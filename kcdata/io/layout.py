"""A plan's dialect: its heading levels, header words, marks and separators.

Everything the parser knows about a plan's words lives here, in one
:class:`Layout`; the parser (:mod:`kcdata.io.parse`) reads a document as its
layout says, and charts, workbooks and :func:`kcdata.to_text` take their
words from it. Two layouts are built in:

* ``kanazawa`` (the default): Kanazawa's community plan, 基本方針N and
  施策の方向性(N) headings over tables of 事業名 / 事業概要 / 所管する課;
* ``generic``: the words common in Japanese municipal plans. Heading words
  基本方針, 基本目標, 基本方向, 施策の方向性, 施策の方向, 施策, 重点課題 and
  取組, each followed by a number; the levels are the words the document
  uses, outermost first in that order (基本目標 above 基本方針 above 重点課題,
  基本方向, 施策の方向性, 施策の方向, 施策, 取組). Header synonyms for each column.

A layout file is TOML (see README, レイアウトファイル)::

    name = "sample_city"
    title = "○○市地域福祉計画"          # optional

    [[levels]]
    label = "基本目標"
    heading = "基本目標{no}"             # a heading line: the label, then a number
    [[levels]]
    label = "施策"
    column = ["施策", "施策名"]          # or a hierarchy column in the table

    [columns]
    measure = ["事業名", "取組"]
    summary = ["内容"]
    departments = ["担当課"]
    code = ["事業番号"]                  # optional

    relisted_marks = ["【再掲】", "(再掲)"]
    department_separators = ["、", "・"]
    ignore = ['^第\\d+章']               # running page headers (regular expressions)
    continuation = true                  # an empty 事業名 continues the row above
    wrapped_lines = "join"               # or "error": a stray text line after a row

In a ``heading`` pattern, ``{no}`` stands for a number in any of the forms
of :func:`heading_number` (Arabic, full-width, circled, Roman or kanji,
optionally in brackets of either width), with white space allowed around
it; the rest of the line is the title. A pattern may instead be a regular
expression with a ``(?P<no>…)`` group.
"""

from __future__ import annotations

import functools
import re
import re._parser as re_parser  # the standard library's own parser, to check patterns
import unicodedata
from dataclasses import dataclass, field, replace
from typing import Literal

from kcdata.messages import translate as _

__all__ = [
    "BUILTIN_LAYOUTS",
    "HEADER_WORDS",
    "Layout",
    "Level",
    "heading_number",
    "split_relisted",
    "strip_bullet",
    "user_regex",
]

#: Roles of a table's columns, in the default order of a table without a header row.
ROLES = ("measure", "summary", "departments", "code")

#: Header words of every built-in layout, by role: a row whose 事業名 cell is one of the
#: measure words is a header row under any layout, never a listing.
HEADER_WORDS: dict[str, tuple[str, ...]] = {
    "measure": ("事業名", "事業", "取組", "取組名", "取組み", "主な事業", "主な取組"),
    "summary": ("事業概要", "内容", "概要", "取組内容", "事業内容", "事業の概要"),
    "departments": ("所管する課", "所管課", "担当課", "担当部署", "担当", "所管", "担当部局"),
    "code": ("事業コード", "事業番号", "コード", "番号", "No.", "No", "NO."),
}

#: Characters of a number, in any of its written forms (before NFKC).
_NUMBER_CHARS = r"0-9０-９①-⑳ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩⅪⅫIVXivx一二三四五六七八九十"
_OPEN, _CLOSE = r"(（\[［〔【<＜〈", r")）\]］〕】>＞〉"
#: What ``{no}`` stands for in a heading pattern.
NUMBER_PATTERN = (
    rf"\s*(?:[{_OPEN}]\s*(?P<no>[{_NUMBER_CHARS}]+)\s*[{_CLOSE}]"
    rf"|(?P<bare>[0-9０-９]+|[①-⑳]|[{_NUMBER_CHARS}]+(?=[\s.．:：、]|$)))\s*[.．:：、]?\s*"
)
#: ``{no}`` alone: a bracketed or circled number, or a bare one followed by a space or stop.
BARE_NUMBER_PATTERN = (
    rf"\s*(?:[{_OPEN}]\s*(?P<no>[{_NUMBER_CHARS}]+)\s*[{_CLOSE}]"
    rf"|(?P<bare>[①-⑳]|[{_NUMBER_CHARS}]+(?=[\s.．:：、]|$)))\s*[.．:：、]?\s*"
)
_KANJI_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")}
_ROMAN = {"I": 1, "V": 5, "X": 10}
_MAX_DIGITS = 18  # int64


@dataclass(frozen=True)
class Level:
    """One heading level of a plan: its label, and how the document gives it.

    ``heading`` is the pattern of a heading line (``None``: never a heading
    line); ``column`` the header words of a hierarchy column that gives the
    level in a table (its label by default); ``number_column`` those of a column
    beside it that holds the level's numbers (基本目標番号 | 基本目標).
    """

    label: str
    heading: str | None = None
    column: tuple[str, ...] = ()
    number_format: str = "{label}{no}"
    number_column: tuple[str, ...] = ()

    def name(self, no: object) -> str:
        """How the document names section ``no`` of this level: 基本方針3, 施策の方向性(2).

        >>> Level("施策の方向性", number_format="{label}({no})").name(2)
        '施策の方向性(2)'
        """
        return self.number_format.format(label=self.label, no=no)

    @property
    def column_words(self) -> tuple[str, ...]:
        return self.column or (self.label,)

    @property
    def regex(self) -> re.Pattern[str] | None:
        """The heading pattern compiled, anchored at the start of the line."""
        return None if self.heading is None else heading_regex(self.heading)


@dataclass(frozen=True)
class Layout:
    """A plan's dialect. See the module docstring for the TOML form.

    ``levels`` are outermost first (1 to 4). With ``heading_words`` instead,
    any of those words followed by a number is a heading, and the levels are
    the words the document uses, outermost first in the order of
    ``heading_words`` (the ``generic`` layout). ``columns`` maps each role
    (measure, summary, departments, code) to its header words;
    ``column_order`` is the order of the roles in a table before its first
    header row.
    """

    name: str
    levels: tuple[Level, ...] = ()
    heading_words: tuple[str, ...] = ()
    columns: dict[str, tuple[str, ...]] = field(default_factory=dict)
    column_order: tuple[str, ...] = ("measure", "summary", "departments")
    relisted_marks: tuple[str, ...] = ("【再掲】", "(再掲)", "〔再掲〕", "[再掲]")
    department_separators: tuple[str, ...] = ("、", "・", "／", "/", "，", ",")
    placeholders: tuple[str, ...] = ("関係各課", "関係課", "各課", "全課", "全庁", "関係部局",
                                     "ほか", "他")
    ignore: tuple[str, ...] = ()
    skip: tuple[str, ...] = ()
    same_as_above: tuple[str, ...] = ()
    repeated_lines: Literal["error", "ignore"] = "error"
    continuation: bool = False
    wrapped_lines: Literal["error", "join", "summary", "measure"] = "error"
    record: str | None = None
    title: str | None = None

    def __post_init__(self) -> None:
        if not self.levels and not self.heading_words:
            raise ValueError(_("layout {layout}: no levels").format(layout=self.name))
        if len(self.levels) > 4:
            raise ValueError(_("layout {layout}: at most 4 levels, found {n}").format(
                layout=self.name, n=len(self.levels)))
        if not self.columns.get("measure"):
            raise ValueError(_("layout {layout}: no header words for the measure column").format(
                layout=self.name))
        unknown = set(self.columns) - set(ROLES)
        if unknown:
            raise ValueError(_("layout {layout}: unknown column roles {roles}").format(
                layout=self.name, roles=sorted(unknown)))
        if set(self.column_order) - set(self.columns):
            raise ValueError(_("layout {layout}: column_order names a role without words")
                             .format(layout=self.name))
        if self.wrapped_lines not in ("error", "join", "summary", "measure"):
            raise ValueError(_("layout {layout}: wrapped_lines must be error, join, "
                               "summary or measure").format(layout=self.name))
        if self.record is not None:
            groups = user_regex(self.record, "record").groupindex
            needed = ["measure"] + (["departments"] if self.has_departments else [])
            if any(g not in groups for g in needed):
                raise ValueError(_("layout {layout}: record needs the groups {groups}").format(
                    layout=self.name, groups=_(" and ").join(f"(?P<{g}>…)" for g in needed)))

    @property
    def has_departments(self) -> bool:
        """Whether the plan has a department column (a plan without one has no pairs)."""
        return bool(self.columns.get("departments"))

    @property
    def record_columns(self) -> tuple[str, ...]:
        """The names of a record line's cells: ``column_order``, then every other named group.

        A group named after a role (``code``) is that role; any other group is a
        column of its own, named after the group (「区分」, 「予算額」).
        """
        if self.record is None:
            return self.column_order
        groups = re.compile(self.record).groupindex
        return self.column_order + tuple(g for g in groups if g not in self.column_order)

    def as_cells(self, line: str) -> str | None:
        """A record line (see ``record``) as its tab-separated cells, or ``None``."""
        m = re.match(self.record, line) if self.record else None
        if m is None:
            return None
        found = m.groupdict()
        return "\t".join((found.get(name) or "").strip() for name in self.record_columns)

    def word(self, role: str) -> str:
        """The word a reader sees for a column role: its first header word."""
        return self.columns[role][0]

    def with_levels(self, labels: list[str]) -> Layout:
        """A copy whose levels are ``labels`` given by heading lines (for ``heading_words``)."""
        levels = tuple(Level(label, heading=f"{label}{{no}}") for label in labels)
        return replace(self, levels=levels, heading_words=())


def heading_regex(pattern: str) -> re.Pattern[str]:
    """A heading pattern compiled, anchored at the line's start; the rest is the title.

    A template with ``{no}`` is literal text around a number (any form of
    :func:`heading_number`): 「重点課題{no}.」 means a 「.」 after the number, never
    "any character"; a bracket or a full stop matches either width (「({no})」
    finds 「（1）」). A template that is ``{no}`` alone (a bare 「(1)」, 「①」 or
    「1.」 heading) needs white space, a full stop or the line's end after a
    bare number, so that 「2019年度…」 is not a heading. A pattern without
    ``{no}`` is a regular expression (:func:`user_regex`); with a ``(?P<no>…)``
    group it gives the number, without one the heading is unnumbered (the
    sections are numbered in order of appearance).
    """
    if "{no}" in pattern:
        before, _, after = pattern.partition("{no}")
        if after.strip():  # text follows the number: any run of number characters (第十一章)
            number = (rf"\s*(?:[{_OPEN}]\s*(?P<no>[{_NUMBER_CHARS}]+)\s*[{_CLOSE}]"
                      rf"|(?P<bare>[{_NUMBER_CHARS}]+))\s*")
        else:
            number = NUMBER_PATTERN if before.strip() else BARE_NUMBER_PATTERN
        pattern = f"{_literal(before)}{number}{_literal(after)}"
    else:
        user_regex(pattern, "heading")
    return re.compile(rf"\s*(?:{pattern})\s*(?P<title>.*)$", re.DOTALL)


_EITHER_WIDTH = {"(": "(（", ")": ")）", "[": "[［", "]": "]］", "（": "(（", "）": ")）",
                 ".": ".．", "．": ".．", ":": ":：", "：": ":："}


def _literal(text: str) -> str:
    """Template text as a regular expression: itself, brackets and stops of either width."""
    return "".join(f"[{re.escape(_EITHER_WIDTH[c])}]" if c in _EITHER_WIDTH else re.escape(c)
                   for c in text)


def user_regex(pattern: str, key: str) -> re.Pattern[str]:
    """A regular expression from a layout file, compiled; refused when it could run for ever.

    A repeated group that itself holds a repetition (``(\\w+\\s?)*``, ``(.+)+``)
    can take time exponential in the line's length on a line it does not match
    (ReDoS). Such a pattern is refused with a ``ValueError`` naming the key;
    write the repetition once (``[\\w\\s]*``). Patterns are Python's
    :mod:`re` syntax.

    >>> user_regex(r"^第\\d+章", "ignore").pattern
    '^第\\\\d+章'
    >>> user_regex(r"^(\\w+\\s?)*$", "ignore")
    Traceback (most recent call last):
    ...
    ValueError: ignore: the pattern '^(\\\\w+\\\\s?)*$' repeats a group that repeats itself ...
    """
    if not isinstance(pattern, str) or not pattern:
        raise ValueError(_("{key}: expected a regular expression (a non-empty string)").format(
            key=key))
    try:
        compiled = re.compile(pattern)
        tree = re_parser.parse(pattern)
    except re.error as err:
        raise ValueError(_("{key}: not a regular expression: {pattern!r} ({err})").format(
            key=key, pattern=pattern, err=err)) from None
    if _nested_repeat(tree.data, inside=False):
        raise ValueError(_(
            "{key}: the pattern {pattern!r} repeats a group that repeats itself "
            "(such as {example}), which can run for ever on an ordinary line; "
            "write the repetition once, as in {once}"
        ).format(key=key, pattern=pattern, example=r"(\w+\s?)*", once=r"[\w\s]*"))
    return compiled


_REPEATS = {"MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"}


def _nested_repeat(items: list, *, inside: bool) -> bool:
    """Whether a parsed pattern has an unbounded-or-many repeat inside another one."""
    for op, value in items:
        if str(op) in _REPEATS:
            _, high, body = value
            repeats = high is re_parser.MAXREPEAT or high > 1
            if repeats and inside:
                return True
            if _nested_repeat(body.data if hasattr(body, "data") else body,
                              inside=inside or repeats):
                return True
        elif str(op) == "SUBPATTERN":
            if _nested_repeat(value[-1].data, inside=inside):
                return True
        elif str(op) == "BRANCH":
            if any(_nested_repeat(branch.data, inside=inside) for branch in value[1]):
                return True
        elif str(op) in ("ASSERT", "ASSERT_NOT"):
            if _nested_repeat(value[1].data, inside=inside):
                return True
    return False


def heading_number(token: str) -> int:
    """The value of a heading number written in any of the usual forms.

    Arabic or full-width digits, circled numbers (①), Roman numerals (Ⅳ or IV)
    and kanji numerals up to 九十九. Raises ``ValueError`` for anything else,
    and for a number longer than 18 digits.

    >>> [heading_number(t) for t in ["3", "１２", "④", "Ⅳ", "xii", "十一", "二十"]]
    [3, 12, 4, 4, 12, 11, 20]
    """
    text = unicodedata.normalize("NFKC", token).strip()
    if text.isdigit() and text.isascii():
        if len(text.lstrip("0")) > _MAX_DIGITS:
            raise ValueError(_("heading number {number} is too long (at most {n} digits)").format(
                number=text, n=_MAX_DIGITS))
        return int(text)
    if text and set(text.upper()) <= set(_ROMAN):
        values = [_ROMAN[c] for c in text.upper()]
        return sum(-v if i + 1 < len(values) and v < values[i + 1] else v
                   for i, v in enumerate(values))
    if text and set(text) <= set(_KANJI_DIGITS) | {"十"}:
        tens, _ten, ones = text.rpartition("十")
        if "十" not in text:
            return int("".join(str(_KANJI_DIGITS[c]) for c in text))
        return (_KANJI_DIGITS.get(tens, 1) if tens else 1) * 10 + (
            _KANJI_DIGITS[ones] if ones else 0
        )
    raise ValueError(_("not a heading number: {token!r}").format(token=token))


@functools.lru_cache(maxsize=64)
def _mark_regex(marks: tuple[str, ...]) -> str:
    """An alternation of the marks in which each bracket matches either width, and a mark
    in brackets may carry a reference before its closing bracket (【再掲：1-2】, (再掲 P.5))."""
    widths = {"(": "(（", ")": ")）", "[": "[［", "]": "]］", "（": "(（", "）": ")）"}

    def one(mark: str) -> str:
        text = "".join(f"[{re.escape(widths[c])}]" if c in widths else re.escape(c)
                       for c in mark[:-1])
        close = widths.get(mark[-1], mark[-1])
        if mark[-1] in ")）]］】〕>＞〉":
            return f"{text}(?:[：:・\\s]?[^{re.escape(close)}]{{1,20}})?[{re.escape(close)}]"
        return text + re.escape(mark[-1])

    return "|".join(one(mark) for mark in marks if mark)


#: A bullet before a name (「・地域活動支援事業」, 「○…」).
_BULLET = re.compile(r"^[\s\u3000]*[・○●◎◆◇■□▶▷►▪▫◯](?![・○●◎◆◇■□▶▷►▪▫◯])[\s\u3000]*(?=\S)")


def strip_bullet(name: str) -> str:
    """事業名 without a bullet before it (・ ○ ● ◎ ◆ ◇ ■ □ ▶ and the like); a run of
    them is part of the name (「○○地区の事業」: such-and-such a district).

    >>> strip_bullet("・地域活動支援事業"), strip_bullet("○○地区の事業")
    ('地域活動支援事業', '○○地区の事業')
    """
    return _BULLET.sub("", name)


def split_relisted(name: str, marks: tuple[str, ...]) -> tuple[str, bool]:
    """事業名 without a re-listing mark before or after it, and whether it had one.

    Brackets of either width match (「(再掲)」 finds 「（再掲）」). Linear in the
    name's length, whatever white space it holds.

    >>> split_relisted(" 【再掲】地域活動支援事業", ("【再掲】",))
    ('地域活動支援事業', True)
    >>> split_relisted("地域活動支援事業（再掲）", ("(再掲)",))
    ('地域活動支援事業', True)
    """
    text = name.strip()
    alternation = _mark_regex(marks)
    m = re.match(f"(?:{alternation})", text)
    if m:
        return text[m.end():].strip(), True
    m = re.search(f"(?:{alternation})$", text)
    if m:
        return text[: m.start()].strip(), True
    return name, False


KANAZAWA = Layout(
    name="kanazawa",
    title="地域コミュニティ活性化推進計画「具体的な施策」",
    levels=(
        Level("基本方針", heading=r"基本方針\s*(?P<no>[0-9０-９]+)"),
        Level(
            "施策の方向性",
            heading=r"施策の方向性\s*[(（]\s*(?P<no>[0-9０-９]+)\s*[)）]",
            number_format="{label}({no})",
        ),
    ),
    columns={
        "measure": ("事業名",),
        "summary": ("事業概要",),
        "departments": ("所管する課",),
    },
)

GENERIC = Layout(
    name="generic",
    heading_words=(
        "基本目標", "基本方針", "重点課題", "基本方向",
        "施策の方向性", "施策の方向", "施策", "取組",
    ),
    columns={role: HEADER_WORDS[role] for role in ROLES},
    repeated_lines="ignore",
    continuation=True,
)

#: The built-in layouts, in the order ``layout=None`` tries them.
BUILTIN_LAYOUTS: dict[str, Layout] = {"kanazawa": KANAZAWA, "generic": GENERIC}

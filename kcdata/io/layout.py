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
of :func:`kcdata.io.patterns.heading_number` (Arabic, full-width, circled, Roman or kanji,
optionally in brackets of either width), with white space allowed around
it; the rest of the line is the title. A pattern may instead be a regular
expression with a ``(?P<no>…)`` group.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field, replace
from typing import Literal

from kcdata.io.patterns import heading_regex, user_regex
from kcdata.messages import translate as _

__all__ = [
    "BUILTIN_LAYOUTS",
    "HEADER_WORDS",
    "Layout",
    "Level",
    "split_relisted",
    "strip_bullet",
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

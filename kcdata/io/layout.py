"""A plan's dialect (:class:`Layout`): its heading levels, header words, marks and separators.

Two layouts are built in: ``kanazawa`` (the default: 基本方針N and 施策の方向性(N) over
tables of 事業名 / 事業概要 / 所管する課) and ``generic`` (the heading words and header
synonyms common in Japanese municipal plans; the levels are the words the document
uses). A layout file is TOML (README: レイアウトファイル; :mod:`kcdata.io.layout_file`).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field, replace
from typing import Literal

from kcdata.io.patterns import BRACKETS, heading_regex, literal, user_regex
from kcdata.messages import translate as _
from kcdata.text import text_key

__all__ = ["BUILTIN_LAYOUTS", "HEADER_WORDS", "Layout", "Level", "key", "split_relisted",
           "strip_bullet"]

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


def key(cell: str) -> str:
    """A cell as compared with a layout's words: :func:`~kcdata.text.text_key`, without U+200B."""
    return text_key(cell).replace("\u200b", "")


@dataclass(frozen=True)
class Level:
    """One heading level: ``heading``, the pattern of its heading lines (``None``: none);
    ``column``, the header words of a hierarchy column giving it (its label by default);
    ``number_column``, those of a column beside it with its numbers (基本目標番号).
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
        return None if self.heading is None else heading_regex(self.heading)


@dataclass(frozen=True)
class Layout:
    """A plan's dialect. ``levels`` are outermost first (1 to 4); with ``heading_words``
    instead, the levels are the words the document uses, in that order. ``columns`` maps
    each role to its header words; ``column_order`` is the roles' order in a table before
    its first header row.
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
        """A record line's cells: ``column_order``, then every other named group (a column
        of its own, such as 「予算額」)."""
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


def _mark_regex(mark: str) -> str:
    """A mark whose brackets match either width; a mark in brackets may carry a reference
    before its closing bracket (【再掲：1-2】, (再掲 P.5))."""
    if mark[-1] not in ")）]］】〕>＞〉":
        return literal(mark[:-1], BRACKETS) + re.escape(mark[-1])
    close = re.escape(BRACKETS.get(mark[-1], mark[-1]))
    return f"{literal(mark[:-1], BRACKETS)}(?:[：:・\\s]?[^{close}]{{1,20}})?[{close}]"


@functools.cache  # once per layout's marks, not once per name
def _marks_at_ends(marks: tuple[str, ...]) -> tuple[re.Pattern[str], re.Pattern[str]]:
    alternation = "|".join(_mark_regex(mark) for mark in marks if mark)
    return re.compile(f"(?:{alternation})"), re.compile(f"(?:{alternation})$")


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
    """事業名 without a re-listing mark before or after it (brackets of either width), and
    whether it had one.

    >>> split_relisted(" 【再掲】地域活動支援事業", ("【再掲】",))
    ('地域活動支援事業', True)
    >>> split_relisted("地域活動支援事業（再掲）", ("(再掲)",))
    ('地域活動支援事業', True)
    """
    text = name.strip()
    before, after = _marks_at_ends(tuple(marks))
    m = before.match(text)
    if m:
        return text[m.end():].strip(), True
    m = after.search(text)
    if m:
        return text[: m.start()].strip(), True
    return name, False


KANAZAWA = Layout(
    name="kanazawa",
    title="地域コミュニティ活性化推進計画「具体的な施策」",
    levels=(
        Level("基本方針", heading=r"基本方針\s*(?P<no>[0-9０-９]+)"),
        Level("施策の方向性", heading=r"施策の方向性\s*[(（]\s*(?P<no>[0-9０-９]+)\s*[)）]",
              number_format="{label}({no})"),
    ),
    columns={"measure": ("事業名",), "summary": ("事業概要",), "departments": ("所管する課",)},
)

GENERIC = Layout(
    name="generic",
    heading_words=("基本目標", "基本方針", "重点課題", "基本方向", "施策の方向性", "施策の方向",
                   "施策", "取組"),
    columns={role: HEADER_WORDS[role] for role in ROLES},
    repeated_lines="ignore",
    continuation=True,
)

#: The built-in layouts, in the order ``layout=None`` tries them.
BUILTIN_LAYOUTS: dict[str, Layout] = {"kanazawa": KANAZAWA, "generic": GENERIC}

"""Japanese labels for column names: one mapping for workbook headers and chart axes."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import pandas as pd

__all__ = [
    "CORPUS_LABELS",
    "FIELD_NAMES",
    "HISTORY_LABELS",
    "KIND_LABELS",
    "LABELS",
    "MATCHED_BY_LABELS",
    "NO_DEPARTMENTS",
    "NO_DEPARTMENTS_IN_PLANS",
    "ONLY_PLACEHOLDERS",
    "SHEET_LABELS",
    "STATUS_LABELS",
    "VALUE_LABELS",
    "PlanWords",
    "char_width",
    "display_width",
    "label",
    "no_departments_sentence",
    "plan_words",
    "section_label",
]

#: Column name -> what a planner reads.
LABELS: dict[str, str] = {
    "policy_no": "基本方針",
    "policy": "基本方針名",
    "direction_no": "施策の方向性",
    "direction": "施策の方向性名",
    "measure": "事業名",
    "summary": "事業概要",
    "departments": "所管する課",
    "department": "所管する課",
    "relisted": "再掲",
    "line": "行",
    "listings": "掲載数",
    "measures": "事業数",
    "co_managed": "共管の掲載数",
    "policies": "基本方針の数",
    "directions": "施策の方向性の数",
    "share": "構成比",
    "original_policy_no": "元の基本方針",
    "original_direction_no": "元の施策の方向性",
    "original_line": "元の行",
    "consistent": "内容の一致",
    "kind": "種別",
    "other_measure": "比較する事業名",
    "other_line": "比較する行",
    "similarity": "類似度",
    "level3_no": "第3階層",
    "level3": "第3階層名",
    "level4_no": "第4階層",
    "level4": "第4階層名",
    "code": "事業コード",
    "department_notes": "課以外の記載（関係各課など）",
    "sheet": "シート",
    "page": "ページ",
    "old_section": "旧の番号",
    "new_section": "新の番号",
    "pairs": "掲載と所管課の組の数",
    "levels": "階層の数",
    "plan": "計画",
    "theme": "テーマ",
    "status": "区分",
    "old_measure": "事業名（旧）",
    "matched_by": "対応づけ",
    # kcdata.search's columns
    "word": "検索語",
    "section": "施策番号",
    "field": "欄",
    "left": "前の文脈",
    "match": "一致した箇所",
    "right": "後の文脈",
}

#: 区分 of a plan comparison (:func:`kcdata.compare_plans`' ``status``).
STATUS_LABELS: dict[str, str] = {
    "added": "追加",
    "removed": "削除",
    "renamed": "名称変更",
    "changed": "変更",
    "renumbered": "番号のみ変更",
    "unchanged": "変更なし",
}

#: The searched fields (``field`` of :func:`kcdata.search` and :func:`kcdata.tag_themes`).
FIELD_NAMES: dict[str, str] = {"measure": "事業名", "summary": "事業概要"}

#: 種別 of :func:`kcdata.duplicate_candidates` (``kind``).
KIND_LABELS: dict[str, str] = {"unmarked": "印のない重複", "similar": "似た名前"}

#: What matched a renamed measure to its old name (``matched_by`` of :func:`kcdata.compare_plans`).
MATCHED_BY_LABELS: dict[str, str] = {"summary": "事業概要が同じ", "name": "事業名の類似度"}

#: Column name -> the Japanese words of its values, for the columns whose values are codes.
VALUE_LABELS: dict[str, dict[str, str]] = {
    "status": STATUS_LABELS,
    "field": FIELD_NAMES,
    "kind": KIND_LABELS,
    "matched_by": MATCHED_BY_LABELS,
}

#: Headers of the corpus workbook's 計画一覧 and 所管課×計画 sheets.
CORPUS_LABELS: dict[str, str] = {
    "plan": "計画",
    "listings": "掲載数",
    "relisted": "再掲",
    "measures": "事業数",
    "departments": "所管課の数",
    "pairs": "掲載×課の組数",
    "co_managed": "共管の掲載数",
    "levels": "階層の数",
    "policies": "第1階層の数",
    "directions": "第2階層の数",
    "layout": "レイアウト",
    "title": "文書の題名",
    "source": "元の文書",
    "department": "所管する課",
    "present": "載っている計画の数",
}

#: Headers of the 経年 sheet (:func:`kcdata.compare_editions`' columns).
HISTORY_LABELS: dict[str, str] = {
    "series": "計画（版の系列）",
    "measure": "事業名（最新）",
    "first_edition": "初出",
    "last_edition": "最終",
    "editions": "掲載数（版・計画）",
    "renamed": "名称変更",
    "moved": "位置の変更",
    "departments_changed": "所管課の変更",
    "dropped": "廃止",
    "names": "事業名の変遷",
    "similarity": "名称の類似度（最小）",
}

#: Sheets of the corpus and editions workbooks -> their headers (see :func:`kcdata.japanese`'s
#: ``sheet``; the summary workbook's sheets: :func:`kcdata.outputs.tables.sheet_labels`).
SHEET_LABELS: dict[str, dict[str, str]] = {
    "計画一覧": CORPUS_LABELS,
    "所管課×計画": CORPUS_LABELS,
    "経年": HISTORY_LABELS,
}


#: The controls of a table to explore in JupyterLab (:func:`kcdata.explore`; DataTables' language).
TABLE_CONTROLS: dict[str, object] = {
    "search": "検索：",
    "lengthMenu": "_MENU_ 行ずつ表示",
    "info": "全 _TOTAL_ 行のうち _START_～_END_ 行目",
    "infoEmpty": "該当する行はありません",
    "infoFiltered": "（全 _MAX_ 行から絞り込み）",
    "zeroRecords": "該当する行はありません",
    "emptyTable": "行がありません",
    "lengthLabels": {"-1": "すべて"},
    "paginate": {"first": "最初", "last": "最後", "next": "次へ", "previous": "前へ"},
}

#: What stands in for each department chart, sheet and page section of a plan without
#: departments (:func:`kcdata.schema.has_departments` is False), in the default words.
NO_DEPARTMENTS = "この計画には所管課の列がないため、所管課別の集計はありません。"
#: The same, for a plan whose department cells hold only placeholders (関係各課, 全庁, …).
ONLY_PLACEHOLDERS = ("この計画の所管課の欄は関係各課などの記載だけで課の名前がないため、"
                     "所管課別の集計はありません。")
#: The same, for two or more plans (a corpus) none of which names a department.
NO_DEPARTMENTS_IN_PLANS = "どの計画の表にも所管課の名前がないため、所管課別の集計はありません。"


def label(column: str) -> str:
    """The Japanese label of a column (the name itself when there is none).

    >>> label("departments")
    '所管する課'
    """
    return LABELS.get(column, column)


def section_label(policy_no: object, direction_no: object = None) -> str:
    """A section as the plan's tables name it: ``"3-(2)"``, or ``"3"`` for a 基本方針.

    A second-level number 0 (a one-level plan) is no second level.

    Empty when ``policy_no`` is missing (a measure absent from one plan version).

    >>> section_label(3, 2), section_label(3), section_label(pd.NA, pd.NA)
    ('3-(2)', '3', '')
    """
    if pd.isna(policy_no):
        return ""
    if direction_no is None or pd.isna(direction_no) or direction_no == 0:  # 0: one level
        return f"{int(policy_no)}"
    return f"{int(policy_no)}-({int(direction_no)})"


def char_width(ch: str) -> int:
    """Columns a character takes in a table or on a chart: 2 for East Asian wide and
    full-width characters (``unicodedata.east_asian_width`` "W" or "F"), else 1."""
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def display_width(text: str) -> int:
    """The width of the longest line of ``text`` in half-width character units.

    >>> display_width("所管課ABC")
    9
    >>> display_width("ab\\n所管")
    4
    """
    return max((sum(map(char_width, line)) for line in str(text).split("\n")), default=0)


#: The words of the default layout, in which every text a reader sees is written here.
_DEFAULT_WORDS = {
    "levels": ("基本方針", "施策の方向性"),
    "measure": "事業名",
    "summary": "事業概要",
    "departments": "所管する課",
    "title": "地域コミュニティ活性化推進計画",
}


@dataclass(frozen=True)
class PlanWords:
    """The words a plan uses for its levels and columns, and its title.

    Charts, workbooks and the 新旧対照表 are written in the default layout's
    words (基本方針, 施策の方向性, 事業名, 事業概要, 所管する課, 所管課);
    :meth:`say` puts such a text in this plan's words.

    >>> words = PlanWords(levels=("基本目標", "施策"), departments="担当課")
    >>> words.say("所管課×基本方針"), words.label("direction_no")
    ('担当課×基本目標', '施策')
    """

    levels: tuple[str, ...] = _DEFAULT_WORDS["levels"]
    measure: str = _DEFAULT_WORDS["measure"]
    summary: str = _DEFAULT_WORDS["summary"]
    departments: str = _DEFAULT_WORDS["departments"]
    title: str | None = _DEFAULT_WORDS["title"]
    level_names: tuple[str, ...] = ("{label}{no}", "{label}({no})")

    @property
    def department_unit(self) -> str:
        """The short word for one department: 所管課 for 所管する課, else the header word."""
        return "所管課" if self.departments == "所管する課" else self.departments

    def say(self, text: str) -> str:
        """``text``, written in the default layout's words, in this plan's words.

        Each default word is replaced once, in one pass: a plan whose second
        level is called 基本方針 does not see it renamed again.
        """
        second = self.levels[1] if len(self.levels) > 1 else "第2階層"  # a one-level plan
        words = {
            "施策の方向性": second,
            "基本方針": self.levels[0],
            "所管する課": self.departments,
            "所管課": self.department_unit,
            "事業名": self.measure,
            "事業概要": self.summary,
            "地域コミュニティ活性化推進計画": self.title or "計画",
        }
        changed = {default: own for default, own in words.items() if default != own}
        if not changed:
            return text
        pattern = "|".join(map(re.escape, sorted(changed, key=len, reverse=True)))
        return re.sub(pattern, lambda m: changed[m.group(0)], text)

    def label(self, column: str) -> str:
        """The Japanese label of a column, in this plan's words (see :func:`label`)."""
        for k, (no, title) in enumerate((("level3_no", "level3"), ("level4_no", "level4")), 2):
            if column in (no, title) and k < len(self.levels):
                return self.levels[k] + ("名" if column == title else "")
        return self.say(label(column))

    def section(self, level: int, no: object) -> str:
        """How the plan names a section: 基本方針3, 施策の方向性(2), 基本目標Ⅰ is 基本目標1."""
        fmt = self.level_names[level] if level < len(self.level_names) else "{label}{no}"
        return fmt.format(label=self.levels[min(level, len(self.levels) - 1)], no=no)


def plan_words(df: pd.DataFrame) -> PlanWords:
    """The words of the plan a listing table was read from (``df.attrs``), else the defaults."""
    attrs = df.attrs
    if "levels" not in attrs:
        return PlanWords()
    words = attrs.get("words", {})
    return PlanWords(
        levels=tuple(attrs["levels"]),
        measure=words.get("measure", _DEFAULT_WORDS["measure"]),
        summary=words.get("summary", _DEFAULT_WORDS["summary"]),
        departments=words.get("departments", _DEFAULT_WORDS["departments"]),
        title=attrs.get("title"),
        level_names=tuple(attrs.get("level_names", ())) or PlanWords.level_names,
    )


def no_departments_sentence(df: pd.DataFrame) -> str:
    """Why a plan without departments has no department charts, sheets or page sections.

    :data:`ONLY_PLACEHOLDERS` when its ``department_notes`` hold a placeholder
    (関係各課, …), else :data:`NO_DEPARTMENTS`; in the plan's words
    (:func:`plan_words`: 担当課 for a plan whose column is 担当課). A table of
    two or more plans (a ``plan`` column) gets :data:`NO_DEPARTMENTS_IN_PLANS`.

    >>> no_departments_sentence(pd.DataFrame({"departments": [()]}))
    'この計画には所管課の列がないため、所管課別の集計はありません。'
    """
    if "plan" in df.columns and df["plan"].nunique() >= 2:
        return NO_DEPARTMENTS_IN_PLANS
    notes = df["department_notes"] if "department_notes" in df.columns else ()
    placeholders = any(isinstance(v, tuple) and v for v in notes)
    return plan_words(df).say(ONLY_PLACEHOLDERS if placeholders else NO_DEPARTMENTS)

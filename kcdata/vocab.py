"""Japanese labels for column names: one mapping for workbook headers and chart axes."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

__all__ = [
    "CHART_CAPTIONS",
    "CHART_TITLES",
    "COMPARISON_CONVENTIONS",
    "CONVENTIONS",
    "CORPUS_LABELS",
    "EDITIONS_CONVENTION",
    "FIELD_NAMES",
    "HISTORY_LABELS",
    "KIND_LABELS",
    "LABELS",
    "MATCHED_BY_LABELS",
    "NO_DEPARTMENTS",
    "NO_DEPARTMENTS_IN_PLANS",
    "ONLY_PLACEHOLDERS",
    "SHEET_LABELS",
    "SHEET_NAMES",
    "SHEET_NOTES",
    "STATUS_LABELS",
    "SUMMARY_LABELS",
    "SUMMARY_SHEETS",
    "THEME_CONVENTION",
    "THEME_LABELS",
    "THEME_SHEETS",
    "THEME_SHEET_NOTES",
    "TOTAL_LABELS",
    "VALUE_LABELS",
    "PlanWords",
    "char_width",
    "display_width",
    "label",
    "no_departments_sentence",
    "plan_words",
    "section_label",
]

#: Column name -> what a planner reads: a template in the plan's words (:class:`PlanWords`).
LABELS: dict[str, str] = {
    "policy_no": "{level0}",
    "policy": "{level0}名",
    "direction_no": "{level1}",
    "direction": "{level1}名",
    "measure": "{measure}",
    "summary": "{summary}",
    "departments": "{departments}",
    "department": "{departments}",
    "relisted": "再掲",
    "line": "行",
    "listings": "掲載数",
    "measures": "事業数",
    "co_managed": "共管の掲載数",
    "policies": "{level0}の数",
    "directions": "{level1}の数",
    "share": "構成比",
    "original_policy_no": "元の{level0}",
    "original_direction_no": "元の{level1}",
    "original_line": "元の行",
    "consistent": "内容の一致",
    "kind": "種別",
    "other_measure": "比較する{measure}",
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
    "pairs": "掲載と{department}の組の数",
    "levels": "階層の数",
    "plan": "計画",
    "theme": "テーマ",
    "status": "区分",
    "old_measure": "{measure}（旧）",
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
    "departments": "{department}の数",
    "pairs": "掲載×課の組数",
    "co_managed": "共管の掲載数",
    "levels": "階層の数",
    "policies": "第1階層の数",
    "directions": "第2階層の数",
    "layout": "レイアウト",
    "title": "文書の題名",
    "source": "元の文書",
    "department": "{departments}",
    "present": "載っている計画の数",
}

#: Headers of the 経年 sheet (:func:`kcdata.compare_editions`' columns).
HISTORY_LABELS: dict[str, str] = {
    "series": "計画（版の系列）",
    "measure": "{measure}（最新）",
    "first_edition": "初出",
    "last_edition": "最終",
    "editions": "掲載数（版・計画）",
    "renamed": "名称変更",
    "moved": "位置の変更",
    "departments_changed": "{department}の変更",
    "dropped": "廃止",
    "names": "{measure}の変遷",
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
#: departments (:func:`kcdata.schema.has_departments` is False); a template (:class:`PlanWords`).
NO_DEPARTMENTS = "この計画には{department}の列がないため、{department}別の集計はありません。"
#: The same, for a plan whose department cells hold only placeholders (関係各課, 全庁, …).
ONLY_PLACEHOLDERS = ("この計画の{department}の欄は関係各課などの記載だけで課の名前がないため、"
                     "{department}別の集計はありません。")
#: The same, for two or more plans (a corpus) none of which names a department.
NO_DEPARTMENTS_IN_PLANS = "どの計画の表にも所管課の名前がないため、所管課別の集計はありません。"


# The summary report (workbook, page, notebooks): templates in a plan's words (PlanWords.say).

#: The summary workbook's sheets, in order, named in the default words (the ``sheets``
#: of :func:`kcdata.outputs.tables.summary_tables`); :data:`SHEET_NAMES` names them for a plan.
SUMMARY_SHEETS = ("概要", "事業一覧", "基本方針別", "所管課別", "所管課×基本方針", "再掲",
                  "テーマ別", "テーマ該当事業")
#: The sheets whose names hold the plan's words.
SHEET_NAMES = {"基本方針別": "{level0}別", "所管課別": "{department}別",
               "所管課×基本方針": "{department}×{level0}"}

#: Headers of the summary tables where a column means something else than in the
#: listing table (``departments`` is a count there, ``relisted`` a count of 【再掲】).
SUMMARY_LABELS = {"departments": "{department}の数", "relisted": "うち再掲", "total": "計"}

#: The totals of :func:`kcdata.analysis.summaries.plan_totals` as the 概要 sheet names them.
TOTAL_LABELS = {
    "listings": "掲載数（【再掲】を含む表の行の数）",
    "relisted": "うち【再掲】",
    "measures": "事業数（【再掲】を除く{measure}の種類）",
    "departments": "{department}の数",
    "pairs": "掲載と{department}の組の数",
    "co_managed": "共管の掲載数（2つ以上の課が所管）",
    "policies": "{level0}の数",
    "directions": "{level1}の数",
}

#: The counting conventions, on the 概要 sheet and the page.
CONVENTIONS = (
    "掲載数：計画の表の行を1件と数えます。【再掲】の行も1件です。",
    "事業数：「概要」の集計では【再掲】の行を除いた{measure}の種類の数、「{level0}別」では"
    "【再掲】を除いた掲載の数、「{department}別」では課の掲載のうち同じ名前の事業"
    "（【再掲】とその元の掲載など）を1事業と数えた数です。",
    "{department}の数：「{departments}」の欄に現れる課の名前の種類の数です。",
    "掲載と{department}の組：2つ以上の課が所管する（共管の）掲載は、課ごとに1件と数えます。"
    "「{department}別」の掲載数の合計はこの数になります。",
    "構成比：「{department}別」の掲載数を、掲載と{department}の組の数で割った割合です。",
    "「{department}×{level0}」：課ごと・{level0}ごとの掲載数（共管は課ごとに1件）です。",
    "「再掲」：【再掲】の行と、同じ{measure}の元の掲載の位置です。"
    "「内容の一致」は{summary}と{departments}が元の掲載と同じかどうかです。",
    "行：元の文書での行番号です。",
)

#: The two sheets, in workbook order.
THEME_SHEETS = ("テーマ別", "テーマ該当事業")

#: Headers of the theme sheets (the other columns use :func:`kcdata.vocab.label`).
THEME_LABELS = {
    "theme": "テーマ",
    "section": "施策番号",
    "measures": "事業数",
    "listings": "掲載数（【再掲】を含む）",
    "share": "全事業に占める割合",
    "words": "テーマの語",
    "exclude": "数えない語句",
    "matched": "該当した語",
    "fields": "該当した欄",
    "word": "該当した語",
    "field": "該当した欄",
}

#: The counting rule, for the 概要 sheet.
THEME_CONVENTION = (
    "テーマ：テーマ辞書の語が{measure}か{summary}にある掲載をそのテーマに数えます（全角・半角、"
    "大文字・小文字、ひらがな・カタカナ、空白の有無は区別しません。「数えない語句」の中に"
    "現れた語は数えません）。1つの掲載が複数のテーマに当たることがあります。「テーマ別」の"
    "事業数は【再掲】を除いた事業の数（【再掲】は元の掲載の{level0}で1件）です。"
)

THEME_SHEET_NOTES = {
    "テーマ別": "テーマごと・{level0}ごとの事業数、掲載数、テーマの語と棒グラフ。",
    "テーマ該当事業": "テーマに当たった掲載（掲載とテーマの組ごとに1行）と当たった語。",
}

#: What each sheet holds, on the 概要 sheet.
SHEET_NOTES = {
    "事業一覧": "すべての掲載（文書の順）。フィルターで絞り込めます。",
    "基本方針別": "{level0}ごとの掲載数・再掲・事業数・{department}の数と棒グラフ。",
    "所管課別": "課ごとの掲載数・事業数・関わる{level0}と{level1}の数・共管・構成比"
    "と棒グラフ。",
    "所管課×基本方針": "課と{level0}の組ごとの掲載数（色が濃いほど多い）。",
    "再掲": "【再掲】の行と元の掲載の対応。",
    **THEME_SHEET_NOTES,
}

#: Caption of each chart on the page, by file stem.
CHART_CAPTIONS = {
    "01_listings_by_policy": "{level0}・{level1}別の掲載数",
    "02_listings_by_department": "{department}別の掲載数",
    "03_department_policy_heatmap": "{department}×{level0}の掲載数",
    "04_cross_cutting_departments": "複数の{level0}にまたがる{department}",
    "05_relisted_links": "【再掲】の掲載元と掲載先",
    "06_themes_by_policy": "テーマ別の事業数（{level0}別）",
}


#: Each report chart's title, by file stem; the counts are filled in when it is drawn.
CHART_TITLES = {
    "01_listings_by_policy": "{level0}・{level1}別の掲載数",
    "02_listings_by_department": "{department}別の掲載数（{departments_count}課）",
    "03_department_policy_heatmap": "{department}×{level0}の掲載数",
    "04_cross_cutting_departments": "複数の{level0}にまたがる{department}（{spanning}課）",
    "05_relisted_links": "【再掲】の掲載元と掲載先（{links}件）",
    "06_themes_by_policy": "テーマ別の事業数（{level0}別）",
}

# The 新旧対照表 and 経年 workbooks.

#: How two editions are compared (the 概要 sheet of the 新旧対照表), in the plan's words.
COMPARISON_CONVENTIONS = (
    "事業は{measure}で対応づけます。全角・半角の違いと空白は区別しません（NFKC正規化）。",
    "【再掲】の行は元の事業にまとめます。事業の位置・{summary}・{department}は【再掲】でない"
    "掲載のもの（【再掲】しかない事業はその【再掲】の位置のもの）です。",
    "旧にしかない事業と新にしかない事業で{summary}が同じものは、1つの「名称変更」とします。",
    "残った旧にしかない事業と新にしかない事業で、同じか隣り合う{level1}にあり、{measure}の"
    "類似度（「事業」「事業費」「費」の語尾を除いて比べた0〜1の値）が0.75以上のものも"
    "「名称変更」とします（類似度の高い組から対応づけます）。",
    "「変更」は{measure}が同じで、{level0}・{level1}、{summary}（全角・半角と空白は区別しない）、"
    "{department}（並び順は区別しない）のいずれかが変わった事業です。",
    "並び順は新の計画の順で、削除された事業は最後に旧の計画の順で並べます。",
)

#: How the 経年 sheet follows measures through three or more editions.
EDITIONS_CONVENTION = (
    "経年は隣り合う版どうしを比べてつなげたものです。名称変更をたどり、一度なくなって"
    "後の版で復活した事業は別の行になります。「名称の類似度（最小）」は事業名の類似で"
    "対応づけた名称変更の中で最も低い値です（1に近いほど似ています）。"
)


def label(column: str) -> str:
    """The Japanese label of a column in the default words (the name itself when there is none).

    >>> label("departments")
    '所管する課'
    """
    return PlanWords().label(column)


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


#: The words of the default layout (Kanazawa's community plan).
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

    Every text a reader sees that names a plan's own words is a ``str.format`` template
    of this module; :meth:`say` fills in the plan's words:

    ``{level0}``, ``{level1}``
        the first and second levels (基本方針, 施策の方向性); 第2階層 for a one-level plan;
    ``{departments}``, ``{department}``
        the department column (所管する課) and the word for one department (所管課 for
        所管する課, else the column's own word);
    ``{measure}``, ``{summary}``
        事業名 and 事業概要 as the plan's header names them;
    ``{title}``
        the plan's title (計画 when unknown).

    >>> words = PlanWords(levels=("基本目標", "施策"), departments="担当課")
    >>> words.say("{department}×{level0}"), words.label("direction_no")
    ('担当課×基本目標', '施策')
    """

    levels: tuple[str, ...] = _DEFAULT_WORDS["levels"]
    measure: str = _DEFAULT_WORDS["measure"]
    summary: str = _DEFAULT_WORDS["summary"]
    departments: str = _DEFAULT_WORDS["departments"]
    title: str | None = _DEFAULT_WORDS["title"]
    level_names: tuple[str, ...] = ("{label}{no}", "{label}({no})")

    def say(self, template: str, **values: object) -> str:
        """``template`` in this plan's words; ``values`` fill the template's other fields."""
        return template.format(
            level0=self.levels[0],
            level1=self.levels[1] if len(self.levels) > 1 else "第2階層",
            departments=self.departments,
            department="所管課" if self.departments == "所管する課" else self.departments,
            measure=self.measure,
            summary=self.summary,
            title=self.title or "計画",
            **values,
        )

    def say_all(self, templates: Mapping[str, str]) -> dict[str, str]:
        """Each template of ``templates`` (column -> template) in this plan's words."""
        return {key: self.say(template) for key, template in templates.items()}

    def sheet(self, name: str) -> str:
        """A summary sheet (:data:`SUMMARY_SHEETS`, named in the default words) in this plan's."""
        return self.say(SHEET_NAMES[name]) if name in SHEET_NAMES else name

    def label(self, column: str) -> str:
        """The Japanese label of a column, in this plan's words (see :func:`label`)."""
        for k, (no, title) in enumerate((("level3_no", "level3"), ("level4_no", "level4")), 2):
            if column in (no, title) and k < len(self.levels):
                return self.levels[k] + ("名" if column == title else "")
        return self.say(LABELS[column]) if column in LABELS else column

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

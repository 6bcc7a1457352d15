"""The 新旧対照表 workbook, read back with openpyxl; and ``kcdata diff --out``."""

from __future__ import annotations

import hashlib

import openpyxl
import pandas as pd
import pytest

from kcdata import compare_plans, parse_measures, to_text
from kcdata.cli import main
from kcdata.outputs.comparison_workbook import (
    ADDED_FILL,
    CHANGED_FILL,
    COMPARISON_SHEETS,
    REMOVED_FILL,
    STATUS_LABELS,
    comparison_table,
    write_comparison_workbook,
)
from kcdata.paths import BUNDLED_DOCUMENT, RAW_DIR
from kcdata.vocab import display_width, section_label

from .conftest import doc
from .test_compare import done_when_revision

HEADERS = [
    "区分",
    "事業名（旧）",
    "事業名（新）",
    "基本方針・施策の方向性（旧）",
    "基本方針・施策の方向性（新）",
    "事業概要（旧）",
    "事業概要（新）",
    "所管課（旧）",
    "所管課（新）",
]


@pytest.fixture
def scenario(bundled, tmp_path):
    """The Done-when revision as two files, their comparison and the written workbook."""
    new, _ = done_when_revision(bundled)
    new_file = tmp_path / "revised.txt"
    new_file.write_text(to_text(new), encoding="utf-8")
    comparison = compare_plans(bundled, parse_measures(new_file.read_text("utf-8")))
    path = write_comparison_workbook(
        comparison, tmp_path / "out" / "diff.xlsx",
        old_source=BUNDLED_DOCUMENT, new_source=new_file,
    )
    return comparison, path, new_file


def rows_of(ws) -> list[dict[str, object]]:
    header = [c.value for c in ws[1]]
    return [dict(zip(header, r, strict=True)) for r in ws.iter_rows(min_row=2, values_only=True)]


def filled(cell) -> str | None:
    return cell.fill.fgColor.rgb[-6:] if cell.fill.fill_type == "solid" else None


def test_sheets_headers_and_rows(scenario):
    comparison, path, _ = scenario
    wb = openpyxl.load_workbook(path)
    assert tuple(wb.sheetnames) == COMPARISON_SHEETS
    ws = wb[COMPARISON_SHEETS[0]]
    assert [c.value for c in ws[1]] == HEADERS
    rows = rows_of(ws)
    assert len(rows) == len(comparison)
    for row, expected in zip(rows, comparison.itertuples(), strict=True):
        assert row["区分"] == STATUS_LABELS[expected.status]
        new_name = None if expected.status == "removed" else expected.measure
        assert row["事業名（新）"] == new_name
        if expected.status == "renamed":
            assert row["事業名（旧）"] == expected.old_measure
        if expected.status != "added":
            assert row["基本方針・施策の方向性（旧）"] == section_label(
                expected.old_policy_no, expected.old_direction_no
            )
            assert row["所管課（旧）"] == "、".join(expected.old_departments)
        else:
            assert row["事業名（旧）"] is None and row["事業概要（旧）"] is None


def test_location_is_written_as_policy_dash_direction(scenario):
    comparison, path, _ = scenario
    rows = rows_of(openpyxl.load_workbook(path)[COMPARISON_SHEETS[0]])
    moved = comparison.index[comparison["changes"].map(lambda c: "location" in c)][0]
    row = rows[moved]
    c = comparison.loc[moved]
    assert row["基本方針・施策の方向性（旧）"] == f"{c['old_policy_no']}-({c['old_direction_no']})"
    assert row["基本方針・施策の方向性（新）"] == f"{c['new_policy_no']}-({c['new_direction_no']})"


def test_changed_cells_are_highlighted_and_nothing_else(scenario):
    comparison, path, _ = scenario
    ws = openpyxl.load_workbook(path)[COMPARISON_SHEETS[0]]
    stems = {"location": "基本方針・施策の方向性", "summary": "事業概要", "departments": "所管課"}
    for i, r in enumerate(comparison.itertuples(), start=2):
        fills = {HEADERS[j]: filled(c) for j, c in enumerate(ws[i])}
        if r.status == "added":
            expected = {h: ADDED_FILL for h in HEADERS if h.endswith("（新）")}
        elif r.status == "removed":
            expected = {h: REMOVED_FILL for h in HEADERS if h.endswith("（旧）")}
        else:
            names = [stems[c] for c in r.changes]
            if r.status == "renamed":
                names.append("事業名")
            expected = {f"{n}（{side}）": CHANGED_FILL for n in names for side in "旧新"}
        assert {h: f for h, f in fills.items() if f} == expected, r.measure
    assert any(CHANGED_FILL in {filled(c) for c in row} for row in ws.iter_rows(min_row=2))


def test_frozen_header_filter_and_fitted_widths(scenario):
    comparison, path, _ = scenario
    ws = openpyxl.load_workbook(path)[COMPARISON_SHEETS[0]]
    assert ws.freeze_panes is not None and ws.freeze_panes.endswith("2")
    assert ws.auto_filter.ref == f"A1:I{len(comparison) + 1}"
    assert all(c.font.b for c in ws[1])
    for column in ("A", "D", "H"):
        widest = max(display_width(str(c.value)) for (c,) in ws.iter_rows(
            min_col=ws[f"{column}1"].column, max_col=ws[f"{column}1"].column) if c.value)
        assert ws.column_dimensions[column].width >= min(widest, 40)


def test_overview_names_both_sources_with_sha256(scenario):
    comparison, path, new_file = scenario
    ws = openpyxl.load_workbook(path)[COMPARISON_SHEETS[1]]
    pairs = {r[0]: r[1] for r in ws.iter_rows(values_only=True) if r[0] is not None}
    assert pairs["旧の文書"] == BUNDLED_DOCUMENT.name
    assert pairs["新の文書"] == new_file.name
    assert pairs["旧の文書のSHA-256"] == hashlib.sha256(BUNDLED_DOCUMENT.read_bytes()).hexdigest()
    assert pairs["新の文書のSHA-256"] == hashlib.sha256(new_file.read_bytes()).hexdigest()
    counts = comparison["status"].value_counts()
    for status, label in STATUS_LABELS.items():
        assert pairs[label] == counts.get(status, 0)
    assert pairs["計"] == len(comparison)
    assert "/" not in pairs["旧の文書"]


def test_changed_only_leaves_unchanged_measures_out(scenario, tmp_path):
    comparison, _, _ = scenario
    path = write_comparison_workbook(comparison, tmp_path / "c.xlsx", changed_only=True)
    rows = rows_of(openpyxl.load_workbook(path)[COMPARISON_SHEETS[0]])
    changed = comparison[comparison["status"] != "unchanged"]
    assert len(rows) == len(changed) > 0
    assert "変更なし" not in {r["区分"] for r in rows}
    assert comparison_table(comparison, changed_only=True).index.tolist() == changed.index.tolist()


def test_text_that_looks_like_a_formula_stays_text(tmp_path):
    old = parse_measures(doc(
        "基本方針1 方針", "施策の方向性(1) 方向",
        "=SUM(A1)事業\t=1+1\t甲課",
        "+B事業\t-支援\t@乙課",
        "C事業\t概要\t丙課",
    ))
    new = old.copy()
    new.loc[2, "summary"] = "=HYPERLINK(\"http://x\")"
    new.loc[1, "measure"] = "-B事業"
    comparison = compare_plans(old, new)
    path = write_comparison_workbook(comparison, tmp_path / "f.xlsx")
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{ws.title}!{cell.coordinate}: {cell.value!r}"
    values = {c.value for row in wb[COMPARISON_SHEETS[0]].iter_rows() for c in row}
    texts = {"=SUM(A1)事業", "=1+1", "+B事業", "-B事業", "@乙課", '=HYPERLINK("http://x")'}
    assert texts <= values


def test_illegal_characters_are_removed_and_noted(tmp_path):
    old = parse_measures(doc("基本方針1 方針", "施策の方向性(1) 方向", "A事業\t概要\t甲課"))
    new = old.assign(summary=["概\x01要\x1f"])
    path = write_comparison_workbook(compare_plans(old, new), tmp_path / "i.xlsx")
    wb = openpyxl.load_workbook(path)
    rows = rows_of(wb[COMPARISON_SHEETS[0]])
    assert rows[0]["事業概要（新）"] == "概要"
    notes = [r[1] for r in wb[COMPARISON_SHEETS[1]].iter_rows(values_only=True) if r[0] == "注意"]
    assert len(notes) == 1 and "2文字" in notes[0]


def test_a_failed_write_leaves_the_previous_file(scenario, monkeypatch):
    import xlsxwriter

    comparison, path, _ = scenario
    before = path.read_bytes()

    def broken_close(self):
        target = self.filename  # a path, or the file pandas opened for the workbook
        if hasattr(target, "write"):
            target.write(b"half a workbook")
        else:
            with open(target, "wb") as f:
                f.write(b"half a workbook")
        raise OSError("disk full")

    monkeypatch.setattr(xlsxwriter.Workbook, "close", broken_close)
    with pytest.raises(OSError, match="disk full"):
        write_comparison_workbook(comparison, path)
    assert path.read_bytes() == before
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]


def test_writing_into_raw_data_is_refused(scenario):
    comparison, _, _ = scenario
    with pytest.raises(PermissionError):
        write_comparison_workbook(comparison, RAW_DIR / "diff.xlsx")
    assert not (RAW_DIR / "diff.xlsx").exists()


def test_comparison_table_is_pure(scenario):
    comparison, _, _ = scenario
    before = comparison.copy(deep=True)
    comparison_table(comparison)
    pd.testing.assert_frame_equal(comparison, before)


# --- kcdata diff --out ---------------------------------------------------------------------


@pytest.mark.parametrize("changed_only", [False, True])
def test_diff_writes_the_workbook(scenario, tmp_path, capsys, changed_only):
    comparison, _, new_file = scenario
    out = tmp_path / "cli" / "新旧対照表.xlsx"
    argv = ["diff", str(BUNDLED_DOCUMENT), str(new_file), "--out", str(out)]
    assert main(argv + (["--changed-only"] if changed_only else [])) == 0
    printed = capsys.readouterr().out.splitlines()
    assert printed[-1] == str(out)
    rows = rows_of(openpyxl.load_workbook(out)[COMPARISON_SHEETS[0]])
    expected = comparison[comparison["status"] != "unchanged"] if changed_only else comparison
    assert [r["事業名（新）"] or r["事業名（旧）"] for r in rows] == expected["measure"].tolist()


def test_diff_refuses_to_write_into_raw_data(capsys):
    out = RAW_DIR / "diff.xlsx"
    assert main(["diff", str(BUNDLED_DOCUMENT), str(BUNDLED_DOCUMENT), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"{out}: cannot write: ") and "data/raw" in err
    assert not out.exists()


def _overview_styles(ws) -> dict[str, set[tuple[object, ...]]]:
    """The styles of a 概要 sheet's cells, by role: title, heading, key, text value, number."""
    styles: dict[str, set[tuple[object, ...]]] = {}

    def add(role, cell):
        style = (cell.font.b, cell.font.sz, cell.alignment.vertical, cell.alignment.wrap_text,
                 cell.alignment.horizontal, cell.number_format)
        styles.setdefault(role, set()).add(style)

    for i, (key, value) in enumerate(ws.iter_rows(max_col=2), start=1):
        if key.value is None:
            continue
        add("title" if i == 1 else "key" if value.value is not None else "heading", key)
        if value.value is not None:
            add("number" if isinstance(value.value, int) else "text", value)
    return styles


def test_both_overview_sheets_are_written_by_the_same_helper(bundled, monkeypatch, tmp_path):
    from kcdata.outputs import overview
    from kcdata.outputs import workbook as excel

    calls = []
    real = overview.write_overview

    def spy(book, title, rows, **kwargs):
        calls.append(title)
        return real(book, title, rows, **kwargs)

    monkeypatch.setattr(overview, "write_overview", spy)
    summary = openpyxl.load_workbook(excel.write_summary_workbook(
        bundled, tmp_path / "summary.xlsx", source=BUNDLED_DOCUMENT))
    comparison = openpyxl.load_workbook(write_comparison_workbook(
        compare_plans(bundled, bundled.iloc[:90]), tmp_path / "comparison.xlsx",
        old_source=BUNDLED_DOCUMENT,
    ))
    assert calls == ["概要", "概要"]

    ours, theirs = _overview_styles(comparison["概要"]), _overview_styles(summary["概要"])
    assert set(ours) == set(theirs) == {"title", "heading", "key", "text", "number"}
    assert ours == theirs  # the same format, role by role
    assert all(len(styles) == 1 for styles in ours.values())  # one style per role
    expected_sources = [
        (summary, overview.source_rows("元の文書", BUNDLED_DOCUMENT)),
        (comparison, [*overview.source_rows("旧の文書", BUNDLED_DOCUMENT),
                      *overview.source_rows("新の文書", None)]),
    ]
    for wb, sources in expected_sources:
        ws = wb["概要"]
        assert ws.column_dimensions["B"].width == overview.OVERVIEW_WIDTH
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        pairs = [(k, v) for k, v in ws.iter_rows(values_only=True) if k]
        assert pairs[1 : 1 + len(sources)] == sources  # right after the title
        assert pairs[1 + len(sources)][0] == "作成日時"

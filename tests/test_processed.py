"""data/processed/ is exactly what `kcdata build` makes from the bundled document."""

from __future__ import annotations

from kcdata import read_measures
from kcdata.outputs.processed import MEASURE_DEPARTMENTS_CSV, MEASURES_CSV, write_processed
from kcdata.paths import BUNDLED_DOCUMENT, PROCESSED_DIR


def test_committed_processed_data_equals_a_fresh_build(tmp_path):
    written = write_processed(read_measures(BUNDLED_DOCUMENT), tmp_path)
    assert {p.name for p in written} == {MEASURES_CSV, MEASURE_DEPARTMENTS_CSV}
    for path in written:
        assert (PROCESSED_DIR / path.name).read_bytes() == path.read_bytes(), path.name


def test_build_warns_about_each_cell_excel_would_read_as_a_formula(tmp_path, capsys):
    from kcdata.cli import main

    doc = tmp_path / "plan.txt"
    doc.write_text("基本方針1 方針\n施策の方向性(1) 方向\n事業名\t事業概要\t所管する課\n"
                   '=HYPERLINK("x")\t-5%の削減\t甲課\n通常事業\t概要\t@課\n', encoding="utf-8")
    assert main(["build", str(doc), "--out", str(tmp_path / "out")]) == 0
    warned = [line for line in capsys.readouterr().err.splitlines() if "formula" in line]
    assert [w.split(": warning:")[0] for w in warned] == [f"{doc}:4", f"{doc}:4", f"{doc}:5"]
    assert "=HYPERLINK" in warned[0] and "@課" in warned[2]
    text = (tmp_path / "out" / "measures.csv").read_text(encoding="utf-8-sig")
    assert '"=HYPERLINK(""x"")"' in text  # written as the document has it


def test_the_bundled_plan_has_no_formula_like_cell():
    import kcdata
    from kcdata.outputs.processed import formula_like_cells

    assert formula_like_cells(kcdata.load_example()) == []

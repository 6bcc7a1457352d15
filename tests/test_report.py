"""The report: figures and workbook on disk, `kcdata report`, bad input, LibreOffice (optional)."""

from __future__ import annotations

import concurrent.futures
import os
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest

from kcdata import ParseError
from kcdata.cli import EXIT_BAD_INPUT, main
from kcdata.outputs.charts import REPORT_CHARTS
from kcdata.outputs.report import FIGURES_DIR, build_report, html_path, summary_path
from kcdata.outputs.tables import SUMMARY_SHEETS
from kcdata.paths import BUNDLED_DOCUMENT, RAW_DIR

from .conftest import HEADER_ROW, doc
from .test_plotting import DOLLAR_DOCUMENT

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> tuple[Path, list[Path]]:
    out = tmp_path_factory.mktemp("reports")
    return out, build_report(BUNDLED_DOCUMENT, out)


def test_build_report_writes_figures_and_workbook(report):
    out, written = report
    figures = out / FIGURES_DIR
    expected = [figures / f"{stem}.{ext}" for stem in REPORT_CHARTS for ext in ("png", "svg")]
    workbook = out / f"{BUNDLED_DOCUMENT.stem}_summary.xlsx"
    assert written == [*expected, workbook]
    assert sorted(p.name for p in out.rglob("*")) == sorted(
        [FIGURES_DIR, *(p.name for p in written)]
    )  # nothing else: no temporary files left behind


def test_figures_are_real_images(report):
    _, written = report
    for path in written:
        assert path.stat().st_size > 1000, path
        if path.suffix == ".png":
            assert path.read_bytes().startswith(PNG_SIGNATURE)
        elif path.suffix == ".svg":
            text = path.read_text(encoding="utf-8")
            assert "<svg" in text and "</svg>" in text


def test_report_workbook_opens(report):
    _, written = report
    wb = openpyxl.load_workbook(written[-1])
    assert tuple(wb.sheetnames) == SUMMARY_SHEETS
    overview = {a: b for a, b in wb["概要"].iter_rows(values_only=True) if a}
    assert overview["元の文書"] == BUNDLED_DOCUMENT.name


def test_report_files_have_ordinary_permissions(report):
    import os

    umask = os.umask(0)
    os.umask(umask)
    _, written = report
    assert {p.stat().st_mode & 0o777 for p in written} == {0o666 & ~umask}


def test_summary_path():
    assert summary_path(Path("out"), Path("a/b/plan v2.txt")) == Path("out/plan v2_summary.xlsx")


def test_build_report_rejects_a_bad_document_before_writing(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_text(doc("基本方針1 方針", "施策の方向性(1) 方向", HEADER_ROW, "A\t概要"), "utf-8")
    with pytest.raises(ParseError):
        build_report(bad, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_build_report_refuses_data_raw():
    before = sorted(RAW_DIR.rglob("*"))
    with pytest.raises(PermissionError):
        build_report(BUNDLED_DOCUMENT, RAW_DIR / "report")
    assert sorted(RAW_DIR.rglob("*")) == before


# --- the command ----------------------------------------------------------------------------


def _small_document(tmp_path: Path) -> Path:
    path = tmp_path / "small plan.txt"
    path.write_text(
        doc(
            "基本方針1 方針",
            "施策の方向性(1) 方向",
            HEADER_ROW,
            "A事業\t概要\t甲課 乙課",
            "【再掲】B事業\t概要\t乙課",
            "施策の方向性(2) 方向2",
            "B事業\t概要\t乙課",
        ),
        encoding="utf-8",
    )
    return path


def test_cli_report_prints_every_path(tmp_path, capsys):
    source = _small_document(tmp_path)
    out = tmp_path / "out"
    assert main(["report", str(source), "--out", str(out)]) == 0
    printed = capsys.readouterr().out.splitlines()
    assert sorted(Path(p) for p in printed) == sorted(p for p in out.rglob("*") if p.is_file())
    assert Path(printed[-2]).name == "small plan_summary.xlsx"
    assert Path(printed[-1]).name == "small plan_report.html"  # the browser page
    assert len(printed) == 2 * len(REPORT_CHARTS) + 2
    wb = openpyxl.load_workbook(printed[-2])
    assert wb["事業一覧"].max_row == 1 + 3


def test_cli_report_draws_dollar_signs_in_the_document(tmp_path, capsys):
    # `$` in titles, departments and measures: read as mathtext, `$\\foo$課` stopped the
    # command with a traceback and left a partial report.
    source = tmp_path / "dollars.txt"
    source.write_text(DOLLAR_DOCUMENT, encoding="utf-8")
    out = tmp_path / "out"
    assert main(["report", str(source), "--out", str(out)]) == 0
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    figures = [out / FIGURES_DIR / f"{stem}.{ext}" for stem in REPORT_CHARTS
               for ext in ("png", "svg")]
    written = [Path(p) for p in captured.out.splitlines()]
    assert written == [*figures, summary_path(out, source), html_path(out, source)]
    assert all(p.stat().st_size > 1000 for p in written)
    svg = (out / FIGURES_DIR / "02_listings_by_department.svg").read_text(encoding="utf-8")
    assert "<text" in svg and "$\\foo$課" in svg  # the text is kept as written, as text
    page = html_path(out, source).read_text(encoding="utf-8")
    for stem in REPORT_CHARTS:  # the page shows the SVG files themselves
        svg = (out / FIGURES_DIR / f"{stem}.svg").read_text(encoding="utf-8")
        assert svg.startswith("<?xml") and svg[svg.index("<svg"):].strip() in page


def test_cli_report_bad_document_exits_2_with_source_and_line(tmp_path, capsys):
    bad = tmp_path / "bad.txt"
    bad.write_text(
        doc("基本方針1 方針", "施策の方向性(1) 方向", HEADER_ROW, "A事業\t概要\t甲課",
            "ただの文章"),
        encoding="utf-8",
    )
    out = tmp_path / "out"
    assert main(["report", str(bad), "--out", str(out)]) == EXIT_BAD_INPUT
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith(f"{bad}:5: ")
    assert "Traceback" not in captured.err
    assert not out.exists()


def test_cli_report_missing_file_exits_2(tmp_path, capsys):
    missing = tmp_path / "missing.txt"
    assert main(["report", str(missing), "--out", str(tmp_path / "out")]) == EXIT_BAD_INPUT
    assert capsys.readouterr().err.startswith(f"{missing}: ")


def test_cli_report_into_data_raw_exits_2(capsys):
    before = sorted(RAW_DIR.rglob("*"))
    assert main(["report", "--out", str(RAW_DIR / "report")]) == EXIT_BAD_INPUT
    assert "cannot write" in capsys.readouterr().err
    assert sorted(RAW_DIR.rglob("*")) == before


def test_cli_report_defaults():
    from kcdata.cli_parser import build_parser
    args = build_parser().parse_args(["report"])
    assert Path(args.source) == BUNDLED_DOCUMENT
    assert Path(args.out) == Path("reports")  # relative: under the current directory


# --- LibreOffice, when installed (optional) -------------------------------------------------


def test_workbook_converts_in_libreoffice(report, tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed")
    _, written = report
    result = subprocess.run(
        [soffice, "--headless", f"-env:UserInstallation=file://{tmp_path / 'profile'}",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(written[-1])],
        capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / f"{written[-1].stem}.pdf").stat().st_size > 0


def _no_worker_processes(monkeypatch) -> None:
    import multiprocessing

    def refuse(*args, **kwargs):
        raise AssertionError("a worker process was started")

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", refuse)
    monkeypatch.setattr(multiprocessing, "Process", refuse)
    monkeypatch.setattr(os, "fork", refuse)


def test_report_runs_in_this_process_whatever_jobs_says(tmp_path, monkeypatch, capsys):
    # Worker processes outlived a killed parent (issue 14): there are none any more. The
    # `jobs` argument of earlier versions is accepted and changes nothing.
    _no_worker_processes(monkeypatch)
    out = tmp_path / "out"
    assert main(["report", "--out", str(out)]) == 0  # the page too (html)
    assert len(capsys.readouterr().out.splitlines()) == 2 * len(REPORT_CHARTS) + 2
    two = build_report(BUNDLED_DOCUMENT, tmp_path / "two", jobs=2, html=True)
    assert len(two) == len(list(out.rglob("*.*")))
    for a, b in zip(sorted(out.rglob("*.*")), sorted(two), strict=True):
        if a.suffix in (".png", ".svg"):  # the workbook and the page hold their time
            assert a.read_bytes() == b.read_bytes(), a.name

def test_report_module_has_no_process_pool():
    import kcdata.outputs.report

    text = Path(kcdata.outputs.report.__file__).read_text(encoding="utf-8")
    assert "ProcessPoolExecutor" not in text and "multiprocessing" not in text

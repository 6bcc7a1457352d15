"""Faults and load (issue 14): special files, one-unit reports, interrupts, kills, full disks,
concurrent runs, bounded charts and workbooks, hostile text."""

from __future__ import annotations

import errno
import hashlib
import itertools
import os
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

import kcdata
from kcdata import files as publish
from kcdata import limits
from kcdata.cli import EXIT_BAD_INPUT, EXIT_INTERRUPTED, EXIT_TERMINATED, main
from kcdata.io.source import SourceError, read_source
from kcdata.outputs import chart_data
from kcdata.outputs.charts import DPI, REPORT_CHARTS
from kcdata.outputs.figures import policy_colours
from kcdata.outputs.report import FIGURES_DIR
from kcdata.paths import BUNDLED_DOCUMENT
from kcdata.paths import PROJECT_ROOT as ROOT

from .conftest import HEADER_ROW, doc

posix_only = pytest.mark.skipif(os.name != "posix", reason="POSIX special files and signals")


def _plan(n_listings: int, *, policies: int = 3, departments: int = 5, per_cell: int = 1,
          directions: int = 2, tag: str = "") -> pd.DataFrame:
    """A constructed listing table (document order), for kcdata.to_text."""
    rows = []
    for i in range(n_listings):
        p = i % policies + 1
        d = (i // policies) % directions + 1
        deps = tuple(f"課{(i * 7 + k) % departments}{tag}" for k in range(per_cell))
        rows.append({"policy_no": p, "policy": f"方針{p}{tag}", "direction_no": d,
                     "direction": f"方向{p}-{d}", "measure": f"事業{i}{tag}",
                     "summary": f"概要{i}", "departments": deps, "relisted": False,
                     "line": i + 1})
    df = pd.DataFrame(rows).sort_values(["policy_no", "direction_no"], kind="stable")
    return df.reset_index(drop=True)


def _write_plan(path: Path, df: pd.DataFrame) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(kcdata.to_text(df), encoding="utf-8")
    return path


def _leftovers(folder: Path) -> list[Path]:
    """Temporary files and staging folders anywhere under ``folder``."""
    return [p for p in folder.rglob("*")
            if p.name.startswith(".kcdata-") or p.name.endswith(".tmp")]


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _env() -> dict[str, str]:
    env = dict(os.environ, MPLBACKEND="Agg")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return env


def _kcdata(*args: str) -> list[str]:
    return [sys.executable, "-m", "kcdata.cli", *args]


# --- outputs only to regular files ---------------------------------------------------------


@posix_only
def test_diff_out_refuses_a_fifo_a_folder_and_a_link_to_a_device(tmp_path, capsys):
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    folder = tmp_path / "folder.xlsx"
    folder.mkdir()
    link = tmp_path / "null.xlsx"
    link.symlink_to("/dev/null")  # if refused wrongly, only the link would be replaced
    for out in (fifo, folder, link):
        code = main(["diff", str(BUNDLED_DOCUMENT), str(BUNDLED_DOCUMENT), "--out", str(out)])
        captured = capsys.readouterr()
        assert code == EXIT_BAD_INPUT
        assert captured.err.strip() == f"{out}: not a regular file"
        assert captured.out == ""  # refused before any work
    assert stat.S_ISFIFO(fifo.stat().st_mode) and folder.is_dir() and link.is_symlink()
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)
    assert _leftovers(tmp_path) == []


@posix_only
def test_diff_out_refuses_a_socket():
    folder = Path(tempfile.mkdtemp(prefix="kc", dir="/tmp"))  # short: AF_UNIX path limit
    try:
        path = folder / "s.xlsx"
        with socket.socket(socket.AF_UNIX) as sock:
            sock.bind(str(path))
            result = subprocess.run(
                _kcdata("diff", str(BUNDLED_DOCUMENT), str(BUNDLED_DOCUMENT), "--out", str(path)),
                capture_output=True, text=True, env=_env(), timeout=120, check=False,
            )
        assert result.returncode == EXIT_BAD_INPUT
        assert result.stderr.strip() == f"{path}: not a regular file"
        assert stat.S_ISSOCK(path.stat().st_mode)
    finally:
        shutil.rmtree(folder)


@posix_only
def test_report_and_build_refuse_special_files_among_their_outputs(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["build", "--out", str(out)]) == 0
    before = _snapshot(out)
    os.remove(out / "measure_departments.csv")
    os.mkfifo(out / "measure_departments.csv")
    capsys.readouterr()
    assert main(["build", "--out", str(out)]) == EXIT_BAD_INPUT
    err = capsys.readouterr().err
    assert err.strip() == f"{out / 'measure_departments.csv'}: not a regular file"
    assert (out / "measures.csv").read_bytes() == before["measures.csv"]  # nothing published
    assert stat.S_ISFIFO((out / "measure_departments.csv").stat().st_mode)
    assert _leftovers(out) == []

    fifo_dir = tmp_path / "fifo-dir"
    os.mkfifo(fifo_dir)
    for command in ("build", "report"):
        assert main([command, "--out", str(fifo_dir)]) == EXIT_BAD_INPUT
        assert capsys.readouterr().err.strip() == f"{fifo_dir}: not a directory"


def test_a_rerun_keeps_the_permission_bits(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["build", "--out", str(out)]) == 0
    os.chmod(out / "measures.csv", 0o600)
    os.chmod(out / "measure_departments.csv", 0o640)
    assert main(["build", "--out", str(out)]) == 0
    assert stat.S_IMODE((out / "measures.csv").stat().st_mode) == 0o600
    assert stat.S_IMODE((out / "measure_departments.csv").stat().st_mode) == 0o640


# --- sources ----------------------------------------------------------------------------


@posix_only
def test_sources_that_are_not_regular_files_are_refused_at_once(tmp_path):
    fifo = tmp_path / "plan.fifo"
    os.mkfifo(fifo)  # no writer: reading would block forever
    for source, kind in ((fifo, "a FIFO"), ("/dev/zero", "a character device"),
                         (tmp_path, "a folder")):
        result = subprocess.run(_kcdata("check", str(source)), capture_output=True, text=True,
                                env=_env(), timeout=60, check=False)
        assert result.returncode == EXIT_BAD_INPUT
        assert result.stderr.strip() == f"{source}: cannot read: not a regular file ({kind})"
        assert "Traceback" not in result.stderr


def test_a_source_over_the_limit_is_refused_before_reading(tmp_path, monkeypatch):
    big = tmp_path / "big.txt"
    big.write_bytes(b"x" * 1000)
    with pytest.raises(SourceError, match="larger than the limit of 999 bytes"):
        read_source(big, max_bytes=999)
    assert read_source(big, max_bytes=1000).data == b"x" * 1000

    def no_read(*args, **kwargs):
        raise AssertionError("the file was read")

    monkeypatch.setattr("kcdata.io.source._read_bounded", no_read)
    with pytest.raises(SourceError):  # refused from its size alone
        read_source(big, max_bytes=10)


def test_standard_input_is_read_and_bounded():
    data = BUNDLED_DOCUMENT.read_bytes()
    result = subprocess.run(_kcdata("check", "-"), input=data, capture_output=True,
                            env=_env(), timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode().startswith("-: ok: 110 listings")
    code = ("import io, sys; from kcdata.io.source import read_source\n"
            "sys.stdin = io.TextIOWrapper(io.BytesIO(b'y' * 5000))\n"
            "read_source('-', max_bytes=4096)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            env=_env(), timeout=60, check=False)
    assert "SourceError: larger than the limit of 4,096 bytes" in result.stderr


def test_the_report_hashes_the_bytes_it_parsed_and_never_reopens_the_source(
    tmp_path, monkeypatch, capsys
):
    import kcdata.outputs.overview

    def no_rehash(path):
        raise AssertionError(f"the source was read again: {path}")

    monkeypatch.setattr(kcdata.outputs.overview, "sha256_of", no_rehash)
    source = tmp_path / "plan.txt"
    source.write_bytes(BUNDLED_DOCUMENT.read_bytes())
    out = tmp_path / "out"
    assert main(["report", str(source), "--out", str(out)]) == 0
    wb = openpyxl.load_workbook(out / "plan_summary.xlsx")
    overview = {a: b for a, b in wb["概要"].iter_rows(values_only=True) if a}
    assert overview["元の文書のSHA-256"] == hashlib.sha256(source.read_bytes()).hexdigest()


def test_read_measures_still_reads_files_and_the_source_module_maps_nothing():
    text = (ROOT / "kcdata" / "io" / "source.py").read_text(encoding="utf-8")
    assert "import mmap" not in text
    assert len(kcdata.read_measures(BUNDLED_DOCUMENT)) == 110


# --- a report is one unit -----------------------------------------------------------------


def test_a_full_disk_leaves_the_previous_report_untouched(tmp_path, monkeypatch, capsys):
    import kcdata.outputs.xlsx

    out = tmp_path / "out"
    assert main(["report", "--out", str(out)]) == 0
    before = _snapshot(out)
    saved = kcdata.outputs.xlsx.save_workbook

    def full_disk(book):
        saved(book)  # the file is written, then the disk is full
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(kcdata.outputs.xlsx, "save_workbook", full_disk)
    capsys.readouterr()
    assert main(["report", "--out", str(out)]) == EXIT_BAD_INPUT
    err = capsys.readouterr().err
    assert err.strip() == f"{out}: cannot write: No space left on device"
    assert _snapshot(out) == before
    assert _leftovers(out) == []


def test_a_full_disk_during_build_keeps_both_csv_files(tmp_path, monkeypatch, capsys):
    import kcdata.outputs.processed

    out = tmp_path / "out"
    assert main(["build", "--out", str(out)]) == 0
    before = _snapshot(out)
    (out / "measures.csv").write_bytes(b"old")  # a previous version to keep
    before["measures.csv"] = b"old"
    calls = []
    real = kcdata.outputs.processed.write_bytes_atomic

    def second_fails(path, data):
        calls.append(path)
        if len(calls) == 2:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(path, data)

    monkeypatch.setattr(kcdata.outputs.processed, "write_bytes_atomic", second_fails)
    assert main(["build", "--out", str(out)]) == EXIT_BAD_INPUT
    assert _snapshot(out) == before  # not a new measures.csv beside an old pairs file
    assert _leftovers(out) == []


def test_a_failed_rename_is_finished_by_the_next_run(tmp_path, monkeypatch):
    out = tmp_path / "out"
    out.mkdir()
    (out / "a.txt").write_text("old a")
    (out / "b.txt").write_text("old b")
    real_replace = os.replace
    moved = []

    def crash_after_one_file(src, dst):
        if Path(dst).parent == out and Path(dst).name.endswith(".txt"):
            if moved:
                raise OSError(errno.EIO, "simulated crash")
            moved.append(dst)
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", crash_after_one_file)
    with pytest.raises(OSError, match="simulated crash"), publish.publishing(out) as stage:
        (stage / "a.txt").write_text("new a")
        (stage / "b.txt").write_text("new b")
    monkeypatch.setattr(os, "replace", real_replace)
    assert (out / "a.txt").read_text() == "new a"  # the set was decided...
    assert len(list(out.glob(f"{publish.PUBLISH_PREFIX}*"))) == 1  # ...and kept for the next run
    with publish.publishing(out):
        pass
    assert (out / "b.txt").read_text() == "new b"
    assert _leftovers(out) == []


def test_leftovers_of_a_killed_run_are_removed_by_the_next(tmp_path, capsys):
    out = tmp_path / "out"
    stage = out / f"{publish.STAGE_PREFIX}0123456789abcdef"
    (stage / FIGURES_DIR).mkdir(parents=True)
    (stage / FIGURES_DIR / "01_listings_by_policy.png").write_bytes(b"half")
    older = out / ".measures.csv.0123456789abcdef.tmp"  # an older kcdata's temporary file
    older.write_bytes(b"x" * 100)
    assert main(["build", "--out", str(out)]) == 0
    assert _leftovers(out) == []
    assert sorted(p.name for p in out.iterdir()) == ["measure_departments.csv", "measures.csv"]


def test_a_second_run_waits_for_the_first(tmp_path):
    out = tmp_path / "out"
    waited = []
    done = threading.Event()

    def second():
        with publish.publishing(out, on_wait=waited.append) as stage:
            (stage / "f.txt").write_text("second")
        done.set()

    with publish.publishing(out) as stage:
        (stage / "f.txt").write_text("first")
        thread = threading.Thread(target=second)
        thread.start()
        for _ in range(200):
            if waited:
                break
            time.sleep(0.01)
        assert waited == [out] and not done.is_set()
    thread.join(30)
    assert done.is_set()
    assert (out / "f.txt").read_text() == "second"
    assert _leftovers(out) == []


def test_two_concurrent_reports_of_two_versions_leave_one_version(tmp_path):
    versions = {}
    for tag in ("A", "B"):
        source = _write_plan(tmp_path / tag / "plan.txt", _plan(60, tag=tag))
        versions[tag] = source
    out = tmp_path / "out"
    procs = [subprocess.Popen(_kcdata("report", str(versions[t]), "--out", str(out)),
                              env=_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True) for t in ("A", "B")]
    results = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], results
    assert all("Traceback" not in err for _, err in results)
    wb = openpyxl.load_workbook(out / "plan_summary.xlsx")
    overview = {a: b for a, b in wb["概要"].iter_rows(values_only=True) if a}
    winner = next(t for t, s in versions.items()
                  if hashlib.sha256(s.read_bytes()).hexdigest() == overview["元の文書のSHA-256"])
    reference = tmp_path / "reference"
    assert main(["report", str(versions[winner]), "--out", str(reference)]) == 0
    got, expected = _snapshot(out), _snapshot(reference)
    assert sorted(got) == sorted(expected)
    for name in expected:
        if not name.endswith((".xlsx", ".html")):  # the workbook and page hold their time
            assert got[name] == expected[name], name
    assert _leftovers(out) == []


# --- processes: Ctrl-C, SIGTERM, kill -9 ---------------------------------------------------


def _start_report(tmp_path: Path, out: Path) -> subprocess.Popen:
    """A report long enough to be caught in the middle (about 2,000 listings)."""
    source = _write_plan(tmp_path / "plan.txt", _plan(2000, policies=12, departments=60))
    return subprocess.Popen(_kcdata("report", str(source), "--out", str(out)), env=_env(),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True, preexec_fn=_ctrl_c_as_in_a_terminal)


def _ctrl_c_as_in_a_terminal() -> None:
    """SIGINT as a terminal gives it: a test run from a background job inherits it ignored
    (POSIX shells ignore SIGINT in asynchronous commands), and Python then keeps ignoring it."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _wait_for_stage(out: Path, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if list(out.glob(f"{publish.STAGE_PREFIX}*/{FIGURES_DIR}/*.png")):
            return
        assert proc.poll() is None, proc.communicate()
        time.sleep(0.02)
    raise AssertionError("the report never started writing")


@posix_only
@pytest.mark.parametrize(("sig", "code", "word"), [
    (signal.SIGINT, EXIT_INTERRUPTED, "interrupted"),
    (signal.SIGTERM, EXIT_TERMINATED, "terminated"),
])
def test_an_interrupt_stops_cleanly(tmp_path, sig, code, word):
    out = tmp_path / "out"
    (out / FIGURES_DIR).mkdir(parents=True)
    previous = out / FIGURES_DIR / "01_listings_by_policy.png"
    previous.write_bytes(b"previous report")
    proc = _start_report(tmp_path, out)
    _wait_for_stage(out, proc)
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == code, err
    assert err.strip().splitlines()[-1] == word
    assert "Traceback" not in err
    assert _leftovers(out) == []
    assert previous.read_bytes() == b"previous report"
    assert sorted(p.name for p in out.rglob("*")) == sorted([FIGURES_DIR, previous.name])


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


@posix_only
def test_kill_9_leaves_no_process_and_the_next_run_cleans_up(tmp_path, capsys):
    out = tmp_path / "out"
    proc = _start_report(tmp_path, out)
    _wait_for_stage(out, proc)
    os.kill(proc.pid, signal.SIGKILL)
    proc.communicate(timeout=30)  # reaps the main process
    deadline = time.monotonic() + 5
    while _group_alive(proc.pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _group_alive(proc.pid), "a process of the killed report is still running"
    assert _leftovers(out)  # what the killed run left...
    assert main(["build", "--out", str(out)]) == 0
    assert _leftovers(out) == []  # ...is removed by the next run into the folder


# --- bounded work -------------------------------------------------------------------------


def test_charts_stay_bounded_at_ten_thousand_listings():
    df = _plan(10_000, policies=40, departments=300, directions=4)
    for stem, chart in REPORT_CHARTS.items():
        fig = chart(df)
        assert max(fig.get_size_inches()) * DPI <= 4000, stem
        ax = fig.axes[0]
        if stem != "05_relisted_links":
            assert len(ax.get_yticklabels()) <= limits.TOP_DEPARTMENTS + 1, stem
    heatmap = REPORT_CHARTS["03_department_policy_heatmap"](df)
    ax = heatmap.axes[0]
    rows = [t.get_text() for t in ax.get_yticklabels()]
    assert len(rows) == limits.TOP_DEPARTMENTS + 1
    assert rows[-1] == f"その他 {300 - limits.TOP_DEPARTMENTS} 課"
    columns = [t.get_text() for t in ax.get_xticklabels()]
    assert columns[-1] == f"その他\n{40 - limits.TOP_HEATMAP_POLICIES}\n基本方針"
    counts = [float(t.get_text()) for t in ax.texts if t.get_gid() == "count"]
    assert sum(counts) == 10_000  # every listing-department pair, aggregated, none lost
    heatmap.draw_without_rendering()
    for ticks in (ax.get_yticklabels(), ax.get_xticklabels()):  # labels never overprint
        boxes = [t.get_window_extent() for t in ticks]
        for a, b in itertools.pairwise(boxes):
            assert not a.overlaps(b)


def _themed_plan(n_listings: int, policies: int) -> pd.DataFrame:
    """A plan whose measures carry theme words: 防災 in every one, 子育て in every third."""
    df = _plan(n_listings, policies=policies, departments=20)
    df["measure"] = [f"防災{'子育て' if i % 3 == 0 else ''}事業{i}" for i in range(len(df))]
    return df


def test_theme_chart_shows_the_largest_policies_and_the_rest_in_grey():
    # 2,000 listings over 300 基本方針: one bar container per 基本方針 would be 300 colours
    # in the legend, over the chart, and 300 counts crowding each bar.
    df = _themed_plan(2_000, policies=300)
    fig = REPORT_CHARTS["06_themes_by_policy"](df)
    ax = fig.axes[0]
    assert len(ax.containers) == limits.TOP_HEATMAP_POLICIES + 1
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert legend[-1] == f"その他 {300 - limits.TOP_HEATMAP_POLICIES} 基本方針"
    colours = [tuple(c.patches[0].get_facecolor()) for c in ax.containers]
    assert len(set(colours)) == len(colours)  # 300 基本方針, 8 colours: the shown ones apart
    totals = [sum(ws) for ws in zip(*([p.get_width() for p in c] for c in ax.containers),
                                    strict=True)]
    # 防災・防犯 and 子ども・子育て: every measure counted; no other theme's words
    assert totals[:2] == [2_000, 667] and not any(totals[2:])
    _assert_counts_do_not_overprint(ax)


def test_theme_chart_shows_at_most_top_themes(monkeypatch):
    monkeypatch.setattr(chart_data, "TOP_THEMES", 1)
    df = _themed_plan(30, policies=2)
    fig = REPORT_CHARTS["06_themes_by_policy"](df)
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["防災・防犯"]  # the largest
    left_out = len(kcdata.analysis.themes.load_themes().names) - 1
    assert f"ほか{left_out}テーマは省略" in ax.get_xlabel()


def _assert_counts_do_not_overprint(ax) -> None:
    """The counts written in bar segments stay inside their segments (the figure drawn)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = FigureCanvasAgg(ax.figure)
    canvas.draw()
    renderer = canvas.get_renderer()
    segments = {(round(p.get_x() + p.get_width() / 2, 6), round(p.get_y() + p.get_height() / 2, 6)):
                p.get_window_extent(renderer) for c in ax.containers for p in c}
    counts = [t for t in ax.texts if t.get_gid() == "count"]
    assert counts
    for text in counts:
        x, y = text.get_position()
        box, segment = text.get_window_extent(renderer), segments[(round(x, 6), round(y, 6))]
        assert segment.x0 <= box.x0 and box.x1 <= segment.x1, text.get_text()


def test_counts_are_written_only_where_they_fit():
    # One department in two 基本方針: 1,000 listings in one, 3 in the other. The 3 would
    # be a sliver: no count there (the bar's total says 1003), the 1000 is written.
    df = _plan(1_003, policies=1, departments=1)
    df.loc[df.index[-3:], ["policy_no", "policy"]] = [2, "方針2"]
    fig = REPORT_CHARTS["04_cross_cutting_departments"](df)
    ax = fig.axes[0]
    assert sorted(t.get_text() for t in ax.texts if t.get_gid() == "count") == ["1000"]
    assert " 1003" in [t.get_text() for t in ax.texts]
    _assert_counts_do_not_overprint(ax)


def test_many_sections_of_relisted_links_stand_upright():
    df = _plan(400, policies=20, directions=4)
    relisted = df.iloc[::10].assign(relisted=True, policy_no=1, policy="方針1", direction_no=1,
                                    direction="方向1-1")
    df = kcdata.parse_measures(kcdata.to_text(pd.concat([df, relisted], ignore_index=True)))
    ax = REPORT_CHARTS["05_relisted_links"](df).axes[0]
    ticks = ax.get_xticklabels()
    assert len(ticks) >= 20 and {t.get_rotation() for t in ticks} == {90.0}
    few = REPORT_CHARTS["05_relisted_links"](kcdata.load_example()).axes[0]
    assert {t.get_rotation() for t in few.get_xticklabels()} == {0.0}


def test_department_chart_aggregates_the_rest(tmp_path):
    df = _plan(500, departments=100)
    fig = REPORT_CHARTS["02_listings_by_department"](df)
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels[-1] == f"その他 {100 - limits.TOP_DEPARTMENTS} 課"
    assert sum(b.get_width() for b in ax.containers[0]) == 500  # complete total
    assert "（100課）" in ax.get_title()


def test_a_cell_of_ten_thousand_departments_finishes(tmp_path):
    source = _write_plan(tmp_path / "wide.txt", _plan(2, policies=1, departments=10_000,
                                                      per_cell=10_000))
    out = tmp_path / "out"
    result = subprocess.run(_kcdata("report", str(source), "--out", str(out)),
                            capture_output=True, text=True, env=_env(), timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    from PIL import Image

    for png in (out / FIGURES_DIR).glob("*.png"):
        with Image.open(png) as image:
            assert max(image.size) <= 4000, png.name
    wb = openpyxl.load_workbook(out / "wide_summary.xlsx", read_only=True)
    assert wb["所管課別"].max_row == 10_001  # the complete numbers stay in the workbook


def test_a_matrix_too_wide_for_excel_is_refused_cleanly(tmp_path, monkeypatch, capsys):
    # The bundled plan has 4 基本方針: its 所管課×基本方針 sheet has 1 + 4 + 1 columns.
    monkeypatch.setattr(limits, "EXCEL_MAX_COLUMNS", 5)
    out = tmp_path / "out"
    assert main(["report", "--out", str(out)]) == EXIT_BAD_INPUT
    err = capsys.readouterr().err
    assert err.strip() == (f"{out}: cannot write: sheet 所管課×基本方針 would have 6 columns; "
                           "Excel holds at most 5")
    assert list(out.rglob("*")) == []


def test_a_table_too_long_for_excel_is_refused_cleanly(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(limits, "EXCEL_MAX_ROWS", 100)  # the bundled plan has 110 listings
    out = tmp_path / "out"
    assert main(["report", "--out", str(out)]) == EXIT_BAD_INPUT
    err = capsys.readouterr().err
    assert err.strip() == (f"{out}: cannot write: sheet 事業一覧 would have 111 rows; Excel "
                           "holds at most 100 (one sheet cannot hold this table)")
    assert list(out.rglob("*")) == []


# --- text ---------------------------------------------------------------------------------


def _with_surrogates() -> pd.DataFrame:
    df = kcdata.read_measures(BUNDLED_DOCUMENT)
    df["measure"] = df["measure"].astype(object)
    df.loc[0, "measure"] = "A\udc80事業"
    df.at[1, "departments"] = ("市民協働推進課\ud800",)
    return df


def test_lone_surrogates_are_removed_and_noted_everywhere(tmp_path):
    from kcdata.outputs import charts as plotting
    from kcdata.outputs import processed
    from kcdata.outputs import workbook as excel
    from kcdata.safetext import TextCleanedWarning

    df = _with_surrogates()
    with pytest.warns(TextCleanedWarning, match="removed 2 lone surrogate"):
        data = processed.csv_bytes(df)
    assert "A事業" in data.decode("utf-8-sig")
    with pytest.warns(TextCleanedWarning):
        path = excel.write_summary_workbook(df, tmp_path / "s.xlsx")
    wb = openpyxl.load_workbook(path)
    overview = {a: b for a, b in wb["概要"].iter_rows(values_only=True) if a}
    assert "2文字を取り除きました" in overview["注意"]
    assert wb["事業一覧"]["E2"].value == "A事業"
    with pytest.warns(TextCleanedWarning):
        fig = plotting.department_listings_chart(df)
    written = plotting.save_figure(fig, tmp_path / "chart")
    assert all(p.stat().st_size > 1000 for p in written)
    assert df.loc[0, "measure"] == "A\udc80事業"  # the input is not modified


def test_lone_surrogates_are_found_in_nested_tuples_and_clean_tables_are_not_copied():
    from kcdata.safetext import lone_surrogates_removed

    df = pd.DataFrame({"m": pd.Series(["A", "B"], dtype=object), "n": [1, 2],
                       "departments": [("甲課",), (("乙\ud800課",), "丙課")]})
    out, removed, columns = lone_surrogates_removed(df)
    assert (removed, columns) == (1, ["departments"])
    assert out.at[1, "departments"] == (("乙課",), "丙課")
    clean = df.drop(columns="departments")
    assert lone_surrogates_removed(clean)[0] is clean  # nothing found: no copy


def test_diff_escapes_control_characters_from_the_document(tmp_path, capsys):
    old = tmp_path / "old.txt"
    new = tmp_path / "new.txt"
    old.write_text(doc("基本方針1 方針", "施策の方向性(1) 方向", HEADER_ROW,
                       "A\x1b[2J事業\t概要\t甲課"), encoding="utf-8")
    new.write_text(doc("基本方針1 方針", "施策の方向性(1) 方向", HEADER_ROW,
                       "A\x1b[2J事業\t概要\x1b]0;title\x07\t乙課"), encoding="utf-8")
    assert main(["diff", str(old), str(new)]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out
    assert "A\\x1b[2J事業" in out


# --- doing less work ------------------------------------------------------------------------


def test_an_opaque_chart_is_saved_as_rgb_with_the_same_pixels(tmp_path):
    import io

    import numpy as np
    from PIL import Image

    from kcdata.outputs import charts as plotting

    fig = plotting.department_listings_chart(kcdata.read_measures(BUNDLED_DOCUMENT))
    png, _ = plotting.save_figure(fig, tmp_path / "chart")
    raw = io.BytesIO()
    fig.savefig(raw, format="rgba", dpi=DPI)
    with Image.open(png) as image:
        assert image.mode == "RGB"
        pixels = np.asarray(image)
    rgba = np.frombuffer(raw.getvalue(), dtype=np.uint8).reshape(*pixels.shape[:2], 4)
    assert (rgba[..., 3] == 255).all() and (rgba[..., :3] == pixels).all()


def test_files_in_a_stage_are_flushed_once_by_the_publisher(tmp_path, monkeypatch):
    from kcdata import files as output

    flushed = []
    real = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: (flushed.append(fd), real(fd))[1])
    out = tmp_path / "out"
    out.mkdir()
    with publish.publishing(out) as stage:
        for name in ("a.txt", "b.txt", "c.txt"):
            output.write_bytes_atomic(stage / name, b"x")
        assert flushed == []  # not inside the stage...
    assert len(flushed) <= 3 + 2 + 2  # ...but once per file, plus the folders, when published
    assert sorted(p.name for p in out.iterdir()) == ["a.txt", "b.txt", "c.txt"]


@posix_only
def test_single_file_writers_refuse_special_files_and_keep_modes(tmp_path):
    from kcdata.files import write_bytes_atomic

    fifo = tmp_path / "out.csv"
    os.mkfifo(fifo)
    with pytest.raises(publish.NotARegularFile):
        write_bytes_atomic(fifo, b"x")
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    kept = tmp_path / "kept.csv"
    write_bytes_atomic(kept, b"old")
    os.chmod(kept, 0o600)
    write_bytes_atomic(kept, b"new")
    assert kept.read_bytes() == b"new" and stat.S_IMODE(kept.stat().st_mode) == 0o600
    assert _leftovers(tmp_path) == []


def test_ctrl_c_while_the_command_starts_is_quiet_too():
    # The console script's entry point imports kcdata.cli (and pandas) inside a handler: an
    # interrupt while pandas loads (made certain here by an import hook) is no traceback.
    code = (
        "import sys, kcdata_command\n"
        "class Interrupt:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name == 'pandas':\n"
        "            raise KeyboardInterrupt\n"
        "sys.meta_path.insert(0, Interrupt())\n"
        "sys.argv = ['kcdata', 'check', 'plan.txt']\n"
        "sys.exit(kcdata_command.main())\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            env=_env(), timeout=60, check=False)
    assert result.returncode == EXIT_INTERRUPTED
    assert result.stderr.strip() == "interrupted"
    from importlib.metadata import entry_points

    (script,) = [e for e in entry_points(group="console_scripts") if e.name == "kcdata"]
    assert script.value == "kcdata_command:main"


def test_the_library_reader_refuses_what_is_not_a_regular_file(tmp_path):
    import kcdata

    with pytest.raises(OSError, match="not a regular file"):
        kcdata.read_measures("/dev/zero")
    with pytest.raises(OSError, match="not a regular file"):
        kcdata.read_measures(tmp_path)


_INTERRUPT_A_WORKBOOK = """
import sys
from kcdata.outputs import workbook as excel
from kcdata.cli import main

write_sheet, calls = excel.write_sheet, []

def interrupted_on_the_third_sheet(*args, **kwargs):
    calls.append(1)
    if len(calls) == 3:
        raise KeyboardInterrupt
    return write_sheet(*args, **kwargs)

excel.write_sheet = interrupted_on_the_third_sheet
sys.exit(main(["report", "--out", sys.argv[1]]))
"""


def test_ctrl_c_in_a_workbook_leaves_no_traceback_and_no_temporary_file(tmp_path):
    # Interrupted while its sheets are written, the workbook is never closed: XlsxWriter
    # makes no temporary file of its own (in TMPDIR), the one beside the target is removed,
    # and nothing is printed as Python exits.
    temp = tmp_path / "temp"
    temp.mkdir()
    out = tmp_path / "out"
    result = subprocess.run([sys.executable, "-c", _INTERRUPT_A_WORKBOOK, str(out)],
                            capture_output=True, text=True, timeout=120, check=False,
                            env={**_env(), "TMPDIR": str(temp)})
    assert result.returncode == EXIT_INTERRUPTED
    assert result.stderr.strip() == "interrupted"
    assert list(temp.iterdir()) == []
    assert not out.exists() or _leftovers(out) == []


def test_stacked_bar_charts_colour_each_policy_as_the_other_charts_do():
    # Seven 基本方針, the first the smallest: chart 04 leaves it out, and 基本方針2 keeps the
    # colour it has wherever all seven are coloured (its rank among them).
    df = _plan(700, policies=7, departments=5)
    df = df[~((df["policy_no"] == 1) & (df.index % 7 != 0))]  # 基本方針1: few listings
    ax = REPORT_CHARTS["04_cross_cutting_departments"](df).axes[0]
    colour_of = {c.get_label().split(" ")[0]: c.patches[0].get_facecolor() for c in ax.containers}
    assert "基本方針1" not in colour_of
    from matplotlib.colors import to_rgba

    assert colour_of["基本方針2"] == to_rgba(policy_colours(range(1, 8))[2])


@posix_only
def test_an_interrupt_that_a_c_extension_turns_into_its_own_error_is_an_interrupt(tmp_path):
    """Ctrl-C inside matplotlib's C code can come out as ValueError (seen in CI): still 130."""
    script = (
        "import os, signal, sys, time\n"
        "import kcdata.outputs.figures as figures\n"
        "def svg_text(*args, **kwargs):\n"
        "    try:\n"
        "        os.kill(os.getpid(), signal.SIGINT)\n"
        "        time.sleep(5)\n"
        "    except KeyboardInterrupt:\n"
        "        raise ValueError('Invalid affine transformation matrix') from None\n"
        "figures.svg_text = svg_text\n"
        "from kcdata.cli import main\n"
        f"sys.argv = ['kcdata', 'report', '--out', {str(tmp_path / 'out')!r}]\n"
        "sys.exit(main())\n"
    )
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=120, preexec_fn=lambda: signal.signal(signal.SIGINT,
                                                                        signal.SIG_DFL))
    assert proc.returncode == EXIT_INTERRUPTED, proc.stderr
    assert proc.stderr.strip().endswith("interrupted") and "Traceback" not in proc.stderr
    assert not [p for p in (tmp_path / "out").rglob("*") if p.is_file()]  # nothing published

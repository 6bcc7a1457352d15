"""The wheel, installed as a new user would: a fresh virtual environment, another folder.

Builds kcdata's wheel from a copy of the sources (so the checkout gets no ``build/``),
installs it into a new virtual environment with the locked versions of its
dependencies (``pip install -c requirements.lock``, fast from pip's cache), and runs
the commands from an empty folder outside the checkout. Marked ``slow`` (about a
minute), and part of ``make test``: deselect with ``-m "not slow"`` while iterating.

The last test checks that the installed wheel draws Japanese with matplotlib-fontja's font.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from kcdata.io.example import EXAMPLE_NAME
from kcdata.paths import PROCESSED_DIR, PROJECT_ROOT, RAW_DIR

pytestmark = pytest.mark.slow

LOCK = PROJECT_ROOT / "requirements.lock"
TIMEOUT = 600


def _run(args: list[str | Path], cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """Run a command with a clean environment (no PYTHONPATH, no venv of the tests)."""
    clean = {k: v for k, v in os.environ.items()
             if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME", "SOURCE_DATE_EPOCH")}
    clean.update(env)
    done = subprocess.run([str(a) for a in args], cwd=cwd, env=clean, capture_output=True,
                          text=True, timeout=TIMEOUT)
    assert done.returncode == 0, f"{args}\n{done.stdout}\n{done.stderr}"
    return done


def _git_status() -> str | None:
    if shutil.which("git") is None or not (PROJECT_ROOT / ".git").exists():
        return None
    return subprocess.run(["git", "-C", str(PROJECT_ROOT), "status", "--porcelain"],
                          capture_output=True, text=True, timeout=60).stdout


def _locked(name: str, python: str | None = None) -> str:
    """The ``name==version`` requirements.lock pins for this Python (or for ``python``, "3.12")."""
    environment = None if python is None else {
        "python_version": python, "python_full_version": f"{python}.0"}
    for line in LOCK.read_text(encoding="utf-8").splitlines():
        entry = line.split("#", 1)[0].strip()
        if not entry:
            continue
        requirement = Requirement(entry)
        if canonicalize_name(requirement.name) != canonicalize_name(name):
            continue
        if requirement.marker is None or requirement.marker.evaluate(environment):
            return f"{requirement.name}{requirement.specifier}"
    raise AssertionError(f"{name} is not in {LOCK.name}")


@pytest.fixture(scope="module")
def checkout_status():
    before = _git_status()
    yield before
    assert _git_status() == before  # the checkout is as it was after every test here


@pytest.fixture(scope="module")
def wheel(tmp_path_factory, checkout_status) -> Path:
    root = tmp_path_factory.mktemp("wheel")
    source = root / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md", "kcdata_command.py"):
        shutil.copy2(PROJECT_ROOT / name, source / name)
    shutil.copytree(PROJECT_ROOT / "kcdata", source / "kcdata",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", root / "dist",
          source], cwd=root)
    (built,) = (root / "dist").glob("kcdata-*.whl")
    return built


@pytest.fixture(scope="module")
def venv(wheel, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("venv") / "env"
    _run([sys.executable, "-m", "venv", folder], cwd=folder.parent)
    python = folder / "bin" / "python"
    install = [python, "-m", "pip", "install", "--quiet", "--no-compile"]
    _run([*install, "-c", LOCK, wheel], cwd=folder.parent)
    return folder


def test_the_wheel_carries_the_example_and_nothing_of_the_checkout(wheel):
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        data = archive.read(f"kcdata/data/{EXAMPLE_NAME}")
    assert data == (RAW_DIR / EXAMPLE_NAME).read_bytes()
    ours = ("kcdata/", "kcdata-")  # the package, its metadata, and the command's entry module
    assert all(n.startswith(ours) or n == "kcdata_command.py" for n in names), names
    assert not any(n.startswith(("kcdata/tests", "data/", "notebooks/")) for n in names)


def test_the_wheel_carries_every_file_of_the_package(wheel):
    # Package data (the example, layouts, assets...) must be named in pyproject.toml's
    # [tool.setuptools.package-data], or an installed kcdata would miss it.
    package = PROJECT_ROOT / "kcdata"
    files = {f"kcdata/{p.relative_to(package).as_posix()}" for p in package.rglob("*")
             if p.is_file() and "__pycache__" not in p.parts and not p.name.startswith(".")}
    with zipfile.ZipFile(wheel) as archive:
        missing = files - set(archive.namelist())
    assert not missing, f"not in the wheel (add to package-data): {sorted(missing)}"


def test_the_installed_dependencies_are_the_locked_ones(venv):
    frozen = _run([venv / "bin" / "python", "-m", "pip", "freeze"], cwd=venv).stdout
    pins = [line for line in frozen.splitlines() if "==" in line and not line.startswith("kcdata")]
    assert any(p.startswith("pandas==") for p in pins)
    for pin in pins:
        name, version = pin.split("==")
        assert _locked(name).split("==")[1] == version, pin


def test_commands_run_from_an_empty_folder_outside_the_checkout(venv, tmp_path):
    work = tmp_path / "work"
    work.mkdir()
    bin_ = venv / "bin"
    check = _run([bin_ / "kcdata", "check"], cwd=work).stdout
    assert ": ok: 110 listings (2 【再掲】), 108 measures, 33 departments" in check
    assert Path(check.split(": ok:")[0]).resolve().is_relative_to(venv.resolve())

    _run([bin_ / "kcdata", "report"], cwd=work)
    _run([bin_ / "kcdata", "build"], cwd=work)
    assert sorted(p.name for p in work.iterdir()) == ["processed", "reports"]
    figures = sorted(p.name for p in (work / "reports" / "figures").iterdir())
    assert len(figures) >= 10 and figures[0] == "01_listings_by_policy.png"
    assert (work / "reports" / "kanazawa_community_plan_measures_summary.xlsx").stat().st_size
    for table in ("measures.csv", "measure_departments.csv"):  # the wheel gives the same tables
        assert (work / "processed" / table).read_bytes() == (PROCESSED_DIR / table).read_bytes()

    code = ("import kcdata; df = kcdata.load_example(); "
            "print(len(df), kcdata.__file__, kcdata.example_path())")
    rows, module, example = _run([bin_ / "python", "-c", code], cwd=work).stdout.split()
    assert rows == "110"
    assert Path(module).resolve().is_relative_to(venv.resolve())  # the wheel, not the checkout
    assert Path(example).resolve().is_relative_to(venv.resolve())


def test_matplotlib_fontja_gives_the_japanese_font(venv, tmp_path):
    # The installed wheel draws Japanese with matplotlib-fontja's IPAexGothic, on every Python.
    python = venv / "bin" / "python"
    code = (
        "import warnings\n"
        "warnings.simplefilter('error')\n"
        "from kcdata.outputs.fonts import use_japanese_font\n"
        "from matplotlib import font_manager\n"
        "family = use_japanese_font()\n"
        "files = {f.fname for f in font_manager.fontManager.ttflist if f.name == family}\n"
        "print(family, *sorted(files))\n"
    )
    family, *files = _run([python, "-c", code], cwd=tmp_path).stdout.split()
    assert family == "IPAexGothic"
    # The system may hold its own IPAexGothic too (.ci/run installs fonts-ipaexfont).
    assert any("matplotlib_fontja" in f for f in files), files
    report = _run([venv / "bin" / "kcdata", "report", "--out", tmp_path / "r"], cwd=tmp_path)
    assert "Glyph" not in report.stderr and "JapaneseFontWarning" not in report.stderr

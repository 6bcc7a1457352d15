"""requirements.lock pins every dependency; the environment is exactly the lock; markers resolve.

``make install`` installs ``requirements.lock`` (then kcdata itself, without dependencies);
``make lock`` refreshes it from pyproject.toml. The lock is universal: its environment
markers choose, for each Python, the packages that work there (japanize-matplotlib below
3.12, matplotlib-fontja from 3.12 on).
"""

from __future__ import annotations

import importlib.metadata
import re
import tomllib

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

from kcdata.paths import PROJECT_ROOT

LOCK = PROJECT_ROOT / "requirements.lock"
EXTRAS = ("notebooks", "test")  # what `make install` installs
#: The Python versions kcdata supports (README, "Python versions").
SUPPORTED = ("3.11", "3.12", "3.13")


def _lock() -> list[Requirement]:
    lines = LOCK.read_text(encoding="utf-8").splitlines()
    entries = [line.split("#", 1)[0].strip() for line in lines]
    return [Requirement(entry) for entry in entries if entry]


def _python(version: str) -> dict[str, str]:
    """A marker environment for CPython ``version`` on this platform."""
    return {"python_version": version, "python_full_version": f"{version}.0"}


def _applies(requirement: Requirement, environment: dict[str, str] | None = None) -> bool:
    return requirement.marker is None or requirement.marker.evaluate(environment)


def _pinned(environment: dict[str, str] | None = None) -> dict[str, Version]:
    """The lock's versions for one environment: {canonical name: version}."""
    pins: dict[str, Version] = {}
    for requirement in _lock():
        if _applies(requirement, environment):
            (spec,) = requirement.specifier
            assert spec.operator == "==", requirement
            name = canonicalize_name(requirement.name)
            assert name not in pins, f"{name} pinned twice for one environment"
            pins[name] = Version(spec.version)
    return pins


def _declared() -> list[Requirement]:
    """pyproject.toml's dependencies and the extras `make install` asks for."""
    project = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    project = project["project"]
    extras = project["optional-dependencies"]
    declared = project["dependencies"] + [r for extra in EXTRAS for r in extras[extra]]
    return [Requirement(r) for r in declared]


def test_every_lock_line_is_an_exact_pin():
    requirements = _lock()
    assert len(requirements) > 50
    for requirement in requirements:
        assert re.fullmatch(r"==[0-9][0-9A-Za-z.+!-]*", str(requirement.specifier)), requirement


@pytest.mark.parametrize("version", SUPPORTED)
def test_the_lock_covers_pyproject_for_each_supported_python(version):
    # A dependency added to pyproject.toml without `make lock` fails here.
    environment = _python(version)
    pins = _pinned(environment)
    for requirement in _declared():
        if not _applies(requirement, environment):
            continue
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{requirement} is not in requirements.lock: run `make lock`"
        assert requirement.specifier.contains(pins[name], prereleases=True), requirement


def test_the_environment_is_exactly_the_lock():
    # What `make install` promises: every locked package at its locked version.
    wrong = {}
    for name, version in _pinned().items():
        try:
            installed = Version(importlib.metadata.version(name))
        except importlib.metadata.PackageNotFoundError:
            installed = None
        if installed != version:
            wrong[name] = (str(version), installed and str(installed))
    assert not wrong, f"not the locked versions (locked, installed): {wrong}; run `make install`"


FONT_PACKAGES = {"japanize-matplotlib", "matplotlib-fontja"}


@pytest.mark.parametrize("version", SUPPORTED)
def test_font_markers_pick_a_working_font_package_per_python(version):
    # japanize-matplotlib imports distutils, gone in 3.12: there matplotlib-fontja is installed.
    environment = _python(version)
    declared = {canonicalize_name(r.name) for r in _declared() if _applies(r, environment)}
    pinned = set(_pinned(environment))
    for packages in (declared & FONT_PACKAGES, pinned & FONT_PACKAGES):
        assert packages, f"no Japanese font package for Python {version}"
        if Version(version) >= Version("3.12"):
            assert packages == {"matplotlib-fontja"}


def test_the_markers_differ_between_311_and_312():
    # The check above can fail: the lock holds packages for one Python that the other lacks.
    assert set(_pinned(_python("3.11"))) != set(_pinned(_python("3.12")))

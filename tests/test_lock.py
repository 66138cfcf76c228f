"""The lock files pin every dependency pyproject.toml names, at a version its range admits: a
dependency added to pyproject.toml without `make lock` is not installed by `make test` on a fresh
machine (it happened: schemathesis was in pyproject.toml but not in requirements-dev.lock)."""

import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def pins(lock: str) -> dict[str, str]:
    text = (ROOT / lock).read_text(encoding="utf-8")
    return {
        canonicalize_name(name): version
        for name, version in re.findall(r"^([A-Za-z0-9_.\-]+)==(\S+)", text, flags=re.M)
    }


@pytest.mark.parametrize(
    ("lock", "requirements"),
    [
        ("requirements.lock", PROJECT["dependencies"]),
        (
            "requirements-dev.lock",
            PROJECT["dependencies"] + PROJECT["optional-dependencies"]["dev"],
        ),
    ],
)
def test_the_lock_file_pins_every_dependency_of_pyproject(lock, requirements):
    pinned = pins(lock)
    problems = []
    for line in requirements:
        requirement = Requirement(line)
        version = pinned.get(canonicalize_name(requirement.name))
        if version is None:
            problems.append(f"{requirement.name}: not in {lock}")
        elif not requirement.specifier.contains(version, prereleases=True):
            problems.append(f"{requirement.name}=={version} is outside {requirement.specifier}")
    assert not problems, "run `make lock` (docs/development.md):\n  " + "\n  ".join(problems)


def test_the_two_lock_files_pin_the_same_version_of_every_package_they_share():
    # `make run` and the Dockerfile install requirements.lock, `make test` requirements-dev.lock:
    # a package pinned differently (typer 0.29.2 against 0.27.3, which openapi-python-client
    # holds back) would ship a version the tests never ran.
    runtime, dev = pins("requirements.lock"), pins("requirements-dev.lock")
    differ = {
        name: (version, dev[name])
        for name, version in runtime.items()
        if name in dev and dev[name] != version
    }
    assert not differ, f"requirements.lock and requirements-dev.lock disagree: {differ}"
    assert set(runtime) <= set(dev), "the dev lock installs everything the runtime lock does"

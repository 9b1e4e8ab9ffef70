"""pyproject.toml (ranges), requirements.lock (exact versions and hashes) and
environment.yml (conda) describe the same environment."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass

import pytest
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import Version

from analysis.data.paths import PROJECT_ROOT

LOCK = PROJECT_ROOT / "requirements.lock"
LOCK_CONSTRAINTS = PROJECT_ROOT / "lock-constraints.txt"

# conda-forge names that differ from PyPI names
CONDA_TO_PYPI = {"python-kaleido": "kaleido"}


# --- readers ------------------------------------------------------------------


def _name_and_spec(req: str) -> tuple[str, str]:
    m = re.match(r"^\s*([A-Za-z0-9_.\-]+)\s*(.*)$", req)
    assert m, req
    return canonicalize_name(m.group(1)), m.group(2).replace(" ", "")


def _pyproject() -> dict:
    return tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def pyproject_requirements() -> dict[str, Requirement]:
    """Direct dependencies, the extras' included, by canonical name."""
    project = _pyproject()["project"]
    reqs = list(project["dependencies"])
    for extra in project.get("optional-dependencies", {}).values():
        reqs += extra
    parsed = [Requirement(r) for r in reqs]
    return {canonicalize_name(r.name): r for r in parsed}


def build_requirements() -> dict[str, Requirement]:
    parsed = [Requirement(r) for r in _pyproject()["build-system"]["requires"]]
    return {canonicalize_name(r.name): r for r in parsed}


def conda_requirements(text: str | None = None) -> dict[str, str]:
    """environment.yml's packages (PyPI names) and their specs, python and pip left out."""
    if text is None:
        text = (PROJECT_ROOT / "environment.yml").read_text(encoding="utf-8")
    out = {}
    for line in text.split("dependencies:", 1)[1].splitlines():
        m = re.match(r"^  - ([A-Za-z0-9_.\-]+[^#]*?)\s*(#.*)?$", line)
        if not m or m.group(1).strip() in {"pip", "pip:"}:
            continue
        name, spec = _name_and_spec(m.group(1))
        if name == "python":
            continue
        out[CONDA_TO_PYPI.get(name, name)] = spec
    return out


@dataclass(frozen=True)
class LockEntry:
    requirement: Requirement
    hashes: tuple[str, ...]

    @property
    def name(self) -> str:
        return canonicalize_name(self.requirement.name)

    @property
    def version(self) -> Version:
        (spec,) = self.requirement.specifier  # exactly one specifier, checked below
        return Version(spec.version)


def lock_entries(text: str | None = None) -> list[LockEntry]:
    """The lock's entries: requirement lines joined with their continuation lines."""
    if text is None:
        text = LOCK.read_text(encoding="utf-8")
    entries = []
    logical = re.sub(r"\\\n", " ", text)  # join "\"-continued lines
    for line in logical.splitlines():
        line = line.split(" #", 1)[0].strip()
        if not line or line.startswith("#"):
            continue
        assert not line.startswith("-"), f"unexpected option line in the lock: {line}"
        requirement, *options = re.split(r"\s+(?=--)", line)
        hashes = []
        for option in options:
            assert option.startswith("--hash="), f"unexpected option {option!r} in: {line}"
            hashes.append(option.removeprefix("--hash=").strip())
        entries.append(LockEntry(Requirement(requirement), tuple(hashes)))
    return entries


def locked_versions(entries: list[LockEntry] | None = None) -> dict[str, set[Version]]:
    """Every version the lock holds for a name (more than one only under exclusive markers)."""
    out: dict[str, set[Version]] = {}
    for e in lock_entries() if entries is None else entries:
        out.setdefault(e.name, set()).add(e.version)
    return out


# --- the lock itself ----------------------------------------------------------


def test_lock_parser_reads_entries_markers_and_hashes():
    text = (
        "# header\n"
        "numpy==2.4.6 \\\n    --hash=sha256:aa \\\n    --hash=sha256:bb\n    # via pandas\n"
        "colorama==0.4.6 ; sys_platform == 'win32' \\\n    --hash=sha256:cc\n"
    )
    numpy, colorama = lock_entries(text)
    assert (numpy.name, str(numpy.version), numpy.hashes) == ("numpy", "2.4.6", ("sha256:aa", "sha256:bb"))
    assert str(colorama.requirement.marker) == 'sys_platform == "win32"'
    assert colorama.hashes == ("sha256:cc",)


def test_every_lock_entry_is_one_exact_version():
    entries = lock_entries()
    assert len(entries) > 50, "the lock should hold the whole environment, transitive packages included"
    for e in entries:
        specs = list(e.requirement.specifier)
        assert len(specs) == 1 and specs[0].operator == "==", f"{e.requirement} is not pinned to one version"
        assert not e.requirement.extras and e.requirement.url is None, e.requirement


def test_every_lock_entry_has_a_sha256_hash():
    for e in lock_entries():
        assert e.hashes, f"{e.requirement} has no --hash"
        for h in e.hashes:
            assert re.fullmatch(r"sha256:[0-9a-f]{64}", h), f"{e.requirement}: bad hash {h!r}"


def test_a_name_appears_twice_in_the_lock_only_under_different_markers():
    seen: dict[str, list[str]] = {}
    for e in lock_entries():
        seen.setdefault(e.name, []).append(str(e.requirement.marker))
    for name, markers in seen.items():
        if len(markers) > 1:
            assert "None" not in markers and len(set(markers)) == len(markers), (name, markers)


def test_lock_header_names_the_command_that_regenerates_it():
    header = LOCK.read_text(encoding="utf-8").split("\n", 3)[:3]
    assert any(line.strip("# ") == "make lock" for line in header), header
    makefile = (PROJECT_ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^lock:", makefile, re.M), "the Makefile has no lock target"
    assert "--generate-hashes" in makefile and "--universal" in makefile
    assert re.search(r"^UV_VERSION := \d+\.\d+\.\d+$", makefile, re.M), "uv's version is not pinned"


# --- the lock against pyproject.toml and lock-constraints.txt ----------------------


def test_every_direct_dependency_is_locked_inside_its_pyproject_range():
    locked = locked_versions()
    for name, req in {**pyproject_requirements(), **build_requirements()}.items():
        assert name in locked, f"{name} (pyproject.toml) is not in the lock"
        for version in locked[name]:
            assert req.specifier.contains(version, prereleases=True), (
                f"{name}=={version} in the lock is outside pyproject.toml's range {req.specifier}"
            )


def test_lock_holds_the_build_backend_and_pip():
    # make installs the project with --no-build-isolation, so setuptools must come from the lock
    assert {"setuptools", "pip"} <= locked_versions().keys()


def test_pyproject_ranges_are_bounded_below_and_name_each_dependency_once():
    project = _pyproject()["project"]
    all_reqs = list(project["dependencies"]) + [r for e in project["optional-dependencies"].values() for r in e]
    names = [canonicalize_name(Requirement(r).name) for r in all_reqs]
    assert len(names) == len(set(names))
    for r in all_reqs:
        assert any(s.operator == ">=" for s in Requirement(r).specifier), f"{r} has no lower bound"


def test_lock_constraints_are_what_the_lock_holds():
    locked = locked_versions()
    lines = [ln.split("#", 1)[0].strip() for ln in LOCK_CONSTRAINTS.read_text(encoding="utf-8").splitlines()]
    for line in filter(None, lines):
        req = Requirement(line)
        versions = locked[canonicalize_name(req.name)]
        assert all(req.specifier.contains(v) for v in versions), (line, versions)


def test_range_check_would_catch_a_lock_outside_pyproject():
    # the check above is not vacuous: a version outside a range is reported as such
    req = pyproject_requirements()["pandas"]
    fake = locked_versions(lock_entries("pandas==99.0 \\\n    --hash=sha256:" + "0" * 64 + "\n"))
    assert not any(req.specifier.contains(v) for v in fake["pandas"])


# --- environment.yml against pyproject.toml and the lock ----------------------------


def test_environment_yml_names_the_same_packages_as_pyproject():
    assert sorted(conda_requirements()) == sorted(pyproject_requirements())


def test_environment_yml_pins_each_package_to_its_locked_version():
    locked = locked_versions()
    for name, spec in conda_requirements().items():
        # conda's single "=" would match 1.2.3.*: only "==" is one exact version
        assert spec.startswith("==") and "," not in spec, f"environment.yml: {name}{spec} is not one exact version"
        (pin,) = SpecifierSet(spec)
        assert locked[name] == {Version(pin.version)}, (
            f"environment.yml pins {name}=={pin.version}, the lock has {sorted(map(str, locked[name]))}"
        )


@pytest.mark.parametrize(
    "line, expected",
    [("  - pandas==3.1.1", {"pandas": "==3.1.1"}), ("  - python-kaleido=1.5.1  # x", {"kaleido": "=1.5.1"})],
)
def test_conda_reader(line, expected):
    assert conda_requirements(f"dependencies:\n  - python>=3.11\n  - pip\n{line}\n") == expected


def test_python_version_agrees():
    data = _pyproject()
    assert data["project"]["requires-python"] == ">=3.11"
    assert "  - python>=3.11" in (PROJECT_ROOT / "environment.yml").read_text(encoding="utf-8")
    assert "--python-version 3.11" in (PROJECT_ROOT / "Makefile").read_text(encoding="utf-8")


def test_environment_installs_the_package_in_editable_mode():
    assert "      - -e ." in (PROJECT_ROOT / "environment.yml").read_text(encoding="utf-8")

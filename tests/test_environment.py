"""environment.yml (conda) and pyproject.toml (pip) list the same dependencies."""

from __future__ import annotations

import re
import tomllib

from analysis.paths import PROJECT_ROOT

# conda-forge names that differ from PyPI names
CONDA_TO_PYPI = {"python-kaleido": "kaleido"}


def _name_and_spec(req: str) -> tuple[str, str]:
    m = re.match(r"^\s*([A-Za-z0-9_.\-]+)\s*(.*)$", req)
    assert m, req
    return m.group(1).lower().replace("_", "-"), m.group(2).replace(" ", "")


def pyproject_requirements() -> dict[str, str]:
    data = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    project = data["project"]
    reqs = list(project["dependencies"])
    for extra in project.get("optional-dependencies", {}).values():
        reqs += extra
    return dict(_name_and_spec(r) for r in reqs)


def conda_requirements() -> dict[str, str]:
    out = {}
    text = (PROJECT_ROOT / "environment.yml").read_text(encoding="utf-8")
    for line in text.split("dependencies:", 1)[1].splitlines():
        m = re.match(r"^  - ([A-Za-z0-9_.\-]+[^#]*?)\s*(#.*)?$", line)
        if not m or m.group(1).strip() in {"pip", "pip:"}:
            continue
        name, spec = _name_and_spec(m.group(1))
        if name == "python":
            continue
        out[CONDA_TO_PYPI.get(name, name)] = spec
    return out


def test_environment_yml_and_pyproject_agree():
    assert conda_requirements() == pyproject_requirements()


def test_python_version_agrees():
    data = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert data["project"]["requires-python"] == ">=3.11"
    assert "  - python>=3.11" in (PROJECT_ROOT / "environment.yml").read_text(encoding="utf-8")


def test_environment_installs_the_package_in_editable_mode():
    assert "      - -e ." in (PROJECT_ROOT / "environment.yml").read_text(encoding="utf-8")

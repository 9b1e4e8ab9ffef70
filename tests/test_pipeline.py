"""The main job's runner: dependency order, side-by-side execution, failures named."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from analysis.pipeline import NotebookFailed, dependencies, list_notebooks, run_all


def _notebook(path: Path, code: str, depends_on: list[str] | None = None) -> Path:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    if depends_on is not None:
        nb.metadata["analysis"] = {"depends_on": depends_on}
    nbformat.write(nb, path)
    return path


def test_project_notebooks_declare_what_they_read():
    deps = {p.name: sorted(d.name for d in ds) for p, ds in dependencies(list_notebooks()).items()}
    assert deps["01_corpus_overview.ipynb"] == [] and deps["02_themes.ipynb"] == []
    assert deps["03_priority_shifts.ipynb"] == ["02_themes.ipynb"]
    assert deps["05_explorer.ipynb"] == ["02_themes.ipynb", "04_actors_and_language.ipynb"]
    # no key: the figure audit runs after everything else
    assert len(deps["06_figure_export.ipynb"]) == 5


def test_run_all_respects_dependencies_and_saves_outputs(tmp_path):
    log = tmp_path / "order.txt"
    a = _notebook(tmp_path / "01_a.ipynb", f"import time; time.sleep(1); open({str(log)!r}, 'a').write('a')", [])
    b = _notebook(tmp_path / "02_b.ipynb", f"open({str(log)!r}, 'a').write('b')", ["01_a.ipynb"])
    c = _notebook(tmp_path / "03_c.ipynb", "print(6 * 7)", [])
    done = run_all([a, b, c], jobs=2, progress=False)
    assert set(done) == {a, b, c}
    assert log.read_text() == "ab"  # b waited for a although c did not
    out = nbformat.read(c, as_version=4).cells[0].outputs
    assert out[0]["text"] == "42\n"
    assert "execution" not in nbformat.read(c, as_version=4).cells[0].metadata  # no timing metadata


def test_a_failing_notebook_is_named(tmp_path):
    bad = _notebook(tmp_path / "01_bad.ipynb", "raise ValueError('broken cell')", [])
    with pytest.raises(NotebookFailed, match=r"01_bad.ipynb failed:(.|\n)*broken cell"):
        run_all([bad], jobs=1, progress=False)


def test_unknown_and_circular_dependencies(tmp_path):
    x = _notebook(tmp_path / "01_x.ipynb", "1", ["02_y.ipynb"])
    y = _notebook(tmp_path / "02_y.ipynb", "1", ["01_x.ipynb"])
    with pytest.raises(ValueError, match="circular depends_on"):
        run_all([x, y], progress=False)
    z = _notebook(tmp_path / "03_z.ipynb", "1", ["99_missing.ipynb"])
    with pytest.raises(ValueError, match="do not exist"):
        dependencies([z])

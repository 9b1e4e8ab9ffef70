"""The main job's runner: dependency order, side-by-side execution, failures named, incremental runs."""

from __future__ import annotations

import io
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from analysis.run import pipeline
from analysis.run.pipeline import NotebookFailed, dependencies, list_notebooks, plan_reason, run_all
from analysis.data.tables import write_table


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
    assert deps["07_coding.ipynb"] == []  # reads only the corpus and data/coding/


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


# --------------------------------------------------------------------------- incremental runs


def _project(tmp_path: Path) -> tuple[Path, Path, Path]:
    """A tiny project: data/in.txt -> 01_make.ipynb -> data/out.txt -> 02_use.ipynb -> data/final.txt."""
    (tmp_path / "data").mkdir()
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "data" / "in.txt").write_text("a\nb\n")
    make = _notebook(
        tmp_path / "notebooks" / "01_make.ipynb",
        "from pathlib import Path\n"
        "lines = Path('../data/in.txt').read_text().split()\n"
        "_ = Path('../data/out.txt').write_text(str(len(lines)))",
        [],
    )
    use = _notebook(
        tmp_path / "notebooks" / "02_use.ipynb",
        "from pathlib import Path\n"
        "_ = Path('../data/final.txt').write_text(Path('../data/out.txt').read_text() * 2)",
        ["01_make.ipynb"],
    )
    return tmp_path, make, use


def _run(root: Path, notebooks: list[Path], **kwargs: object) -> tuple[list[str], list[str]]:
    log = io.StringIO()
    done = run_all(notebooks, jobs=2, root=root, out=log, **kwargs)
    return sorted(p.name for p in done), log.getvalue().strip().splitlines()


def test_records_what_each_notebook_read_and_wrote(tmp_path):
    root, make, use = _project(tmp_path)
    executed, lines = _run(root, [make, use])
    assert executed == ["01_make.ipynb", "02_use.ipynb"]
    assert lines[0].strip() == "01_make.ipynb: re-run — no record of a previous run" + lines[0].split("run")[-1]
    run = nbformat.read(make, as_version=4).metadata["analysis"]["run"]
    assert sorted(run["inputs"]) == ["data/in.txt"]
    assert sorted(run["outputs"]) == ["data/out.txt"]
    assert run["environment"] == {"requirements.lock": None}
    assert nbformat.read(make, as_version=4).metadata["analysis"]["depends_on"] == []
    assert sorted(nbformat.read(use, as_version=4).metadata["analysis"]["run"]["inputs"]) == ["data/out.txt"]


def test_a_second_run_with_nothing_changed_runs_nothing(tmp_path):
    root, make, use = _project(tmp_path)
    _run(root, [make, use])
    before = make.read_bytes(), use.read_bytes()
    executed, lines = _run(root, [make, use])
    assert executed == []
    assert [line.strip() for line in lines] == ["01_make.ipynb: up to date", "02_use.ipynb: up to date"]
    assert (make.read_bytes(), use.read_bytes()) == before


def test_an_input_change_reruns_the_reader_and_downstream_only_if_its_inputs_changed(tmp_path):
    root, make, use = _project(tmp_path)
    _run(root, [make, use])
    (root / "data" / "in.txt").write_text("c\nd\n")  # same number of lines: out.txt stays the same
    executed, lines = _run(root, [make, use])
    assert executed == ["01_make.ipynb"]
    assert lines[0].strip().startswith("01_make.ipynb: re-run — data/in.txt changed (")
    assert lines[1].strip() == "02_use.ipynb: up to date"
    (root / "data" / "in.txt").write_text("c\nd\ne\n")  # out.txt changes, so 02 runs too
    executed, lines = _run(root, [make, use])
    assert executed == ["01_make.ipynb", "02_use.ipynb"]
    assert lines[1].strip().startswith("02_use.ipynb: re-run — data/out.txt changed (")
    assert (root / "data" / "final.txt").read_text() == "33"


def test_cells_outputs_environment_and_force_are_reasons(tmp_path):
    root, make, use = _project(tmp_path)
    _run(root, [make, use])
    nb = nbformat.read(use, as_version=4)
    nb.cells.append(nbformat.v4.new_markdown_cell("Prose does not count."))
    nbformat.write(nb, use)
    assert plan_reason(use, root) is None
    nb.cells.append(nbformat.v4.new_code_cell("1 + 1"))
    nbformat.write(nb, use)
    assert plan_reason(use, root) == "its code cells changed"
    (root / "data" / "out.txt").unlink()
    assert plan_reason(make, root) == "data/out.txt is missing"
    _run(root, [make, use])
    (root / "requirements.lock").write_text("pandas==2.2.3\n")
    assert plan_reason(make, root) == "requirements.lock appeared"
    executed, lines = _run(root, [make, use])
    assert executed == ["01_make.ipynb", "02_use.ipynb"]
    executed, lines = _run(root, [make, use], force=True)
    assert executed == ["01_make.ipynb", "02_use.ipynb"]
    assert all("re-run — --force" in line for line in lines)


def test_parquet_reads_through_the_library_are_recorded(tmp_path):
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "data").mkdir()
    footnotes = pd.DataFrame({"footnote": [1], "text": ["x"], "line": [3], "cited_by": ["1.2"]})
    write_table(footnotes, "footnotes", tmp_path / "data")
    reader = _notebook(
        tmp_path / "notebooks" / "01_read.ipynb",
        "from pathlib import Path\nfrom analysis.data.tables import read_table\nlen(read_table('footnotes', Path('../data')))",
        [],
    )
    _run(tmp_path, [reader])
    assert "data/footnotes.parquet" in nbformat.read(reader, as_version=4).metadata["analysis"]["run"]["inputs"]


def test_the_shared_figure_manifest_is_recorded_without_a_digest(tmp_path):
    """Notebooks that run side by side all merge into figures/manifest.json: its
    bytes when one of them ends depend on the others' progress, so a digest
    would make the record (and the committed notebook) differ from run to run."""
    root, make, use = _project(tmp_path)
    (root / "figures").mkdir()
    nb = nbformat.read(make, as_version=4)
    nb.cells[0].source += "\n_ = Path('../figures/manifest.json').write_text('{}')"
    nbformat.write(nb, make)
    _run(root, [make, use])
    outputs = nbformat.read(make, as_version=4).metadata["analysis"]["run"]["outputs"]
    assert outputs["figures/manifest.json"] == "shared"
    (root / "figures" / "manifest.json").write_text('{"another": "notebook"}')
    assert plan_reason(make, root) is None  # another notebook's entry is no reason to run again
    (root / "figures" / "manifest.json").unlink()
    assert plan_reason(make, root) == "figures/manifest.json is missing"


def test_a_file_kept_by_a_cache_stays_an_output_of_the_notebook(tmp_path):
    """A writer that skips a file already right only reads it; declared, it is
    recorded as an output either way, so a cached run and a full one save the
    same record."""
    root, make, use = _project(tmp_path)
    nb = nbformat.read(make, as_version=4)
    nb.cells[0].source += (
        "\nfrom analysis.run.provenance import declare_output\n"
        "target = Path('../data/kept.txt')\n"
        "if not target.is_file() or target.read_text() != 'same':\n"
        "    target.write_text('same')\n"
        "declare_output(target)"
    )
    nbformat.write(nb, make)
    _run(root, [make, use])
    first = nbformat.read(make, as_version=4).metadata["analysis"]["run"]
    _run(root, [make, use], force=True)  # now kept.txt is only read
    second = nbformat.read(make, as_version=4).metadata["analysis"]["run"]
    assert "data/kept.txt" in second["outputs"] and "data/kept.txt" not in second["inputs"]
    assert first == second


def test_an_invalid_codebook_stops_the_main_job_before_any_notebook(tmp_path, monkeypatch, capsys):
    bad = tmp_path / "codebook.toml"
    bad.write_text('[[theme]]\nid = "a"\nname = "A"\ndescription = "x"\nseeds = "ratificación"\n', encoding="utf-8")
    monkeypatch.setattr(pipeline, "CODEBOOK_PATH", bad)

    def no_notebook(*args, **kwargs):
        raise AssertionError("a notebook ran")

    monkeypatch.setattr(pipeline, "run_all", no_notebook)
    assert pipeline.main([]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith(f"error: 2 problems in {bad}:\n")
    assert f"{bad}, theme 1 ('a'), field 'seeds': must be an array of strings, not a string ('ratificación')" in err
    assert "Traceback" not in err and len(err.splitlines()) == 3

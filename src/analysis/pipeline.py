"""The main job: execute every notebook in order and save it with its outputs.

The notebooks call the library, which writes ``data/processed/`` and
``figures/``; this module only runs them, in file-name order, and shows
progress. ``make figures`` calls ``python -m analysis.pipeline``.

Executed notebooks are saved in place without timing metadata, so a second
run on the same inputs leaves them byte-identical (and ``git status`` clean).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from tqdm.auto import tqdm

from analysis.browser import browser_env
from analysis.paths import NOTEBOOKS_DIR

__all__ = ["execute_notebook", "list_notebooks", "run_all"]


def list_notebooks(folder: Path = NOTEBOOKS_DIR) -> list[Path]:
    """The project's notebooks in the order the story is told (file-name order)."""
    return sorted(p for p in Path(folder).glob("[0-9][0-9]_*.ipynb"))


def execute_notebook(path: Path, *, timeout: int = 600, kernel_name: str = "python3") -> Path:
    """Execute one notebook top to bottom in its own folder and save it in place.

    Raises ``nbclient.exceptions.CellExecutionError`` (naming the cell) when a
    cell fails; the notebook on disk is then left as it was.
    """
    path = Path(path)
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name=kernel_name,
        resources={"metadata": {"path": str(path.parent)}},
        record_timing=False,
    )
    client.execute()
    # Drop volatile metadata so re-runs are byte-identical.
    nb.metadata.pop("widgets", None)
    nbformat.validate(nb)
    tmp = path.with_name(f".{path.name}.tmp")
    nbformat.write(nb, tmp)
    os.replace(tmp, path)
    return path


def run_all(notebooks: Sequence[Path] | None = None, *, progress: bool = True) -> list[Path]:
    """Execute ``notebooks`` (all of them by default) in order, with a progress bar."""
    notebooks = list(notebooks) if notebooks is not None else list_notebooks()
    os.environ.update(browser_env())  # let kaleido find the system Chromium
    done: list[Path] = []
    bar = tqdm(notebooks, desc="notebooks", unit="nb", disable=not progress, file=sys.stdout)
    for nb in bar:
        bar.set_postfix_str(nb.name)
        start = time.perf_counter()
        execute_notebook(nb)
        tqdm.write(f"  {nb.name}: {time.perf_counter() - start:.1f} s", file=sys.stdout)
        done.append(nb)
    return done


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Execute the project's notebooks in order.")
    parser.add_argument("notebooks", nargs="*", type=Path, help="notebooks to run (default: all, in order)")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    done = run_all(args.notebooks or None)
    print(f"==> executed {len(done)} notebooks in {time.perf_counter() - start:.1f} s; "
          "data/processed/ and figures/ are up to date")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())

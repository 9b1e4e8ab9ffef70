"""The main job: execute every notebook and save it with its outputs.

The notebooks call the library, which writes ``data/processed/`` and
``figures/``; this module only runs them and shows progress. ``make figures``
calls ``python -m analysis.pipeline``.

Order. A notebook may name the notebooks whose outputs it reads in its
metadata, ``{"analysis": {"depends_on": ["02_themes.ipynb"]}}``; one without
that key depends on every notebook before it (file-name order). Notebooks whose
dependencies are done run side by side, up to ``jobs`` at a time (default: the
number of CPUs), each in its own process and kernel.

Executed notebooks are saved in place without timing metadata, so a second run
on the same inputs leaves them byte-identical (and ``git status`` clean).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from pathlib import Path

import nbformat
from jupyter_client.manager import KernelManager
from nbclient import NotebookClient
from tqdm.auto import tqdm

from analysis.browser import browser_env
from analysis.paths import NOTEBOOKS_DIR

__all__ = ["NotebookFailed", "dependencies", "execute_notebook", "list_notebooks", "run_all"]


class NotebookFailed(RuntimeError):
    """A notebook raised while it was executed; the message names it and holds the error."""


def list_notebooks(folder: Path = NOTEBOOKS_DIR) -> list[Path]:
    """The project's notebooks in the order the story is told (file-name order)."""
    return sorted(p for p in Path(folder).glob("[0-9][0-9]_*.ipynb"))


def dependencies(notebooks: Sequence[Path]) -> dict[Path, set[Path]]:
    """For each notebook, the notebooks (among ``notebooks``) that must run before it.

    Examples
    --------
    >>> deps = dependencies(list_notebooks())
    >>> sorted(p.name for p in deps[NOTEBOOKS_DIR / "03_priority_shifts.ipynb"])
    ['02_themes.ipynb']
    """
    notebooks = [Path(p) for p in notebooks]
    by_name = {p.name: p for p in notebooks}
    deps: dict[Path, set[Path]] = {}
    for i, nb in enumerate(notebooks):
        meta = nbformat.read(nb, as_version=4).metadata.get("analysis", {})
        if "depends_on" in meta:
            unknown = [n for n in meta["depends_on"] if n not in by_name and not (nb.parent / n).exists()]
            if unknown:
                raise ValueError(f"{nb.name}: depends_on names notebooks that do not exist: {unknown}")
            deps[nb] = {by_name[n] for n in meta["depends_on"] if n in by_name}
        else:
            deps[nb] = set(notebooks[:i])
    return deps


def execute_notebook(path: Path, *, timeout: int = 900, kernel_name: str = "python3") -> Path:
    """Execute one notebook top to bottom in its own folder and save it in place.

    Raises ``nbclient.exceptions.CellExecutionError`` (naming the cell) when a
    cell fails; the notebook on disk is then left as it was.
    """
    path = Path(path)
    nb = nbformat.read(path, as_version=4)
    with tempfile.TemporaryDirectory(prefix="wg4-kernel-") as sockets:
        # Unix sockets in a private folder, not TCP ports: kernels started side
        # by side cannot race for the same port.
        km = KernelManager(kernel_name=kernel_name, transport="ipc", ip=str(Path(sockets) / "kernel"))
        client = NotebookClient(
            nb,
            km=km,
            timeout=timeout,
            kernel_name=kernel_name,
            resources={"metadata": {"path": str(path.parent)}},
            record_timing=False,
        )
        client.execute()
    nb.metadata.pop("widgets", None)  # widget state holds random model ids
    nbformat.validate(nb)
    tmp = path.with_name(f".{path.name}.tmp")
    nbformat.write(nb, tmp)
    os.replace(tmp, path)
    return path


def _execute_in_subprocess(path: Path) -> float:
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "analysis.pipeline", "--single", str(path)],
        capture_output=True, text=True, env={**os.environ, **browser_env()}, check=False,
    )
    if done.returncode != 0:
        raise NotebookFailed(f"{path.name} failed:\n{done.stderr[-4000:]}")
    return time.perf_counter() - start


def run_all(notebooks: Sequence[Path] | None = None, *, jobs: int | None = None, progress: bool = True) -> list[Path]:
    """Execute ``notebooks`` (all by default), respecting their dependencies, ``jobs`` at a time."""
    notebooks = [Path(p) for p in notebooks] if notebooks is not None else list_notebooks()
    deps = dependencies(notebooks)
    jobs = jobs or os.cpu_count() or 1
    pending = list(notebooks)
    running: dict[Future[float], Path] = {}
    done: list[Path] = []
    bar = tqdm(total=len(notebooks), desc="notebooks", unit="nb", disable=not progress, file=sys.stdout)
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        while pending or running:
            ready = [nb for nb in pending if deps[nb] <= set(done)]
            for nb in ready[: max(jobs - len(running), 0)]:
                pending.remove(nb)
                running[pool.submit(_execute_in_subprocess, nb)] = nb
                bar.set_postfix_str(", ".join(sorted(p.name for p in running.values())))
            if not running:
                raise ValueError(f"circular depends_on among: {[p.name for p in pending]}")
            finished, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in finished:
                nb = running.pop(future)
                seconds = future.result()  # re-raises NotebookFailed
                done.append(nb)
                bar.update(1)
                tqdm.write(f"  {nb.name}: {seconds:.1f} s", file=sys.stdout)
    bar.close()
    return done


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Execute the project's notebooks.")
    parser.add_argument("notebooks", nargs="*", type=Path, help="notebooks to run (default: all)")
    parser.add_argument("-j", "--jobs", type=int, default=None, help="notebooks run at once (default: CPUs)")
    parser.add_argument("--single", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.single:
        execute_notebook(args.single)
        return 0
    start = time.perf_counter()
    try:
        done = run_all(args.notebooks or None, jobs=args.jobs)
    except NotebookFailed as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    print(f"==> executed {len(done)} notebooks in {time.perf_counter() - start:.1f} s; "
          "data/processed/ and figures/ are up to date")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())

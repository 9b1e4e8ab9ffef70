"""The main job: execute the notebooks whose inputs changed and save them with their outputs.

The notebooks call the library, which writes ``data/processed/`` and
``figures/``; this module decides which notebooks must run, runs them and
reports. ``make figures`` calls ``python -m analysis.run.pipeline``.

Order. A notebook may name the notebooks whose outputs it reads in its
metadata, ``{"analysis": {"depends_on": ["02_themes.ipynb"]}}``; one without
that key depends on every notebook before it (file-name order). Notebooks whose
dependencies are done run side by side, up to ``jobs`` at a time (default: the
number of CPUs), each in its own kernel (a process of its own, driven from a thread of the job).

Incremental. Each executed notebook records in its metadata the project files
it read and wrote, with their SHA-256 (see :mod:`analysis.run.provenance`). A
notebook runs again only when its code cells, a file it read (library module,
raw data, codebook, a table written by another notebook), a file it wrote, or
``requirements.lock`` differs from that record; the decision for a notebook is
taken once the notebooks it depends on are done, so a downstream notebook runs
only if what it reads actually changed. ``--force`` runs every notebook and
renders every figure again (no render cache, see :mod:`analysis.export.exporter`).

One Chromium. The job starts one headless Chromium for the whole run and
serves static renders to every notebook's kernel on a private Unix socket
(:mod:`analysis.export.render_service`), instead of one browser per notebook.

Executed notebooks are saved in place without timing metadata, so a second run
on the same inputs leaves them byte-identical (and ``git status`` clean).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import threading
import time
from collections.abc import Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from pathlib import Path
from typing import TextIO

import nbformat
from jupyter_client.manager import KernelManager
from nbclient import NotebookClient

from analysis.run.browser import browser_env, find_browser
from analysis.export.exporter import FigureExporter
from analysis.data.files import atomic_path, private_temp_dir, sweep_stale_temp_files
from analysis.data.paths import CODEBOOK_PATH, DATA_DIR, FIGURES_DIR, NOTEBOOKS_DIR, PROJECT_ROOT
from analysis.export.render_service import RenderService
from analysis.themes.codebook_schema import CodebookError, load_codebook
from analysis.run.provenance import (
    FILE_LOG_ENV,
    FILE_LOG_ROOT_ENV,
    RENDER_CACHE_ENV,
    log_timing,
    make_record,
    read_file_log,
    stale_reason,
)

__all__ = [
    "NotebookFailed", "dependencies", "execute_notebook", "list_notebooks", "plan_reason", "run_all", "save_notebook",
]

#: Runs in the kernel before the first cell (not a cell: the notebook is unchanged).
_KERNEL_SETUP = "__import__('analysis.run.provenance').run.provenance.install_file_log()"


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


def execute_notebook(
    path: Path,
    *,
    timeout: int = 900,
    kernel_name: str = "python3",
    root: Path | str | None = None,
    env: Mapping[str, str] | None = None,
) -> Path:
    """Execute one notebook top to bottom in its own folder and save it in place.

    With ``WG4_FILE_LOG`` set (the main job sets it), the kernel logs the files
    the notebook reads and writes, and the notebook is saved with its run
    record (``metadata.analysis.run``). Raises
    ``nbclient.exceptions.CellExecutionError`` (naming the cell) when a cell
    fails; the notebook on disk is then left as it was. ``env`` is the
    kernel's environment (default: this process's).
    """
    path = Path(path)
    environ = dict(os.environ if env is None else env)
    root = Path(root or environ.get(FILE_LOG_ROOT_ENV) or PROJECT_ROOT)
    nb = nbformat.read(path, as_version=4)
    file_log = environ.get(FILE_LOG_ENV)
    started: list[float] = []
    with private_temp_dir("kernel") as sockets:
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
            extra_arguments=[f"--IPKernelApp.exec_lines={_KERNEL_SETUP}"] if file_log else [],
            on_notebook_start=lambda notebook: started.append(time.perf_counter()),
        )
        t0 = time.perf_counter()
        try:
            client.execute(env=environ)
        finally:
            # the client does not stop a kernel it was given: stop it here, not at the job's exit
            if km.has_kernel:
                km.shutdown_kernel(now=False)
        t1 = time.perf_counter()
    if started:
        log_timing("kernel_start", notebook=path.name, seconds=started[0] - t0)
        log_timing("cells", notebook=path.name, seconds=t1 - started[0])
    nb.metadata.pop("widgets", None)  # widget state holds random model ids
    if file_log:
        reads, writes = read_file_log(file_log, root)
        nb.metadata.setdefault("analysis", {})["run"] = make_record(nb, reads, writes, root)
    return save_notebook(nb, path)


def save_notebook(nb: nbformat.NotebookNode, path: Path) -> Path:
    """Validate ``nb`` and write it to ``path`` atomically (see :func:`analysis.data.files.atomic_path`)."""
    nbformat.validate(nb)
    with atomic_path(path, what=f"notebook {Path(path).name}") as tmp:
        nbformat.write(nb, tmp)
    return Path(path)


def _execute(path: Path, root: Path, logs: Path, force: bool, service: _Renderers) -> float:
    """Execute one notebook on a thread of this process (its kernel is a process of its own)."""
    start = time.perf_counter()
    env = {
        **os.environ,
        **browser_env(),
        **service.env(),
        FILE_LOG_ENV: str(logs / f"{path.name}.files"),
        FILE_LOG_ROOT_ENV: str(root),
    }
    if force:  # every figure rendered again too, not only the notebooks
        env[RENDER_CACHE_ENV] = "off"
    try:
        execute_notebook(path, root=root, env=env)
    except Exception as err:  # a failing cell (CellExecutionError), a dead kernel, a timeout
        raise NotebookFailed(f"{path.name} failed:\n{str(err)[-4000:]}") from err
    seconds = time.perf_counter() - start
    log_timing("notebook", notebook=path.name, seconds=seconds)
    return seconds


class _Renderers:
    """The run's one Chromium: a :class:`~analysis.export.render_service.RenderService`
    started when the first notebook runs (not at all when none does, or when
    no browser is installed: each notebook then says so itself)."""

    def __init__(self) -> None:
        self._service: RenderService | None = None
        self._lock = threading.Lock()

    def env(self) -> dict[str, str]:
        with self._lock:
            if self._service is None and find_browser() is not None:
                self._service = RenderService(FigureExporter(prestart=True))
        return self._service.env() if self._service else {}

    def close(self) -> None:
        if self._service is not None:
            self._service.close()
            self._service = None


def _shared_outputs(notebooks: Sequence[Path]) -> set[str]:
    """Files recorded as outputs of more than one notebook (figure manifest, gallery)."""
    seen: dict[str, int] = {}
    for nb in notebooks:
        run = nbformat.read(nb, as_version=4).metadata.get("analysis", {}).get("run", {})
        for rel in run.get("outputs", {}):
            seen[rel] = seen.get(rel, 0) + 1
    return {rel for rel, n in seen.items() if n > 1}


def plan_reason(path: Path, root: Path | str = PROJECT_ROOT, *, shared_outputs: Sequence[str] = ()) -> str | None:
    """Why ``path`` must run again now, or ``None`` when it is up to date."""
    return stale_reason(nbformat.read(path, as_version=4), root, shared_outputs=shared_outputs)


def run_all(
    notebooks: Sequence[Path] | None = None,
    *,
    jobs: int | None = None,
    progress: bool = True,
    force: bool = False,
    root: Path | str = PROJECT_ROOT,
    out: TextIO | None = None,
) -> list[Path]:
    """Execute the notebooks (all by default) that are out of date, ``jobs`` at a time.

    Prints one line per notebook (when ``progress``): ``<name>: up to date`` or
    ``<name>: re-run — <reason> (<seconds> s)``. Returns the notebooks executed.
    """
    out = out or sys.stdout
    root = Path(root)
    notebooks = [Path(p) for p in notebooks] if notebooks is not None else list_notebooks()
    deps = dependencies(notebooks)
    shared = sorted(_shared_outputs(notebooks))
    jobs = jobs or os.cpu_count() or 1
    pending = list(notebooks)
    waiting: dict[Path, str] = {}  # out of date, waiting for a free slot: notebook -> reason
    reasons: dict[Path, str] = {}
    running: dict[Future[float], Path] = {}
    done: set[Path] = set()
    executed: list[Path] = []

    def say(line: str) -> None:
        if progress:
            print(f"  {line}", file=out, flush=True)

    renderers = _Renderers()
    with (
        private_temp_dir("files") as tmp,
        contextlib.closing(renderers),
        ThreadPoolExecutor(max_workers=jobs) as pool,
    ):
        logs = Path(tmp)
        while pending or waiting or running:
            # Decide as soon as a notebook's dependencies are done: by then the files it reads are final.
            decided = True
            while decided:
                decided = False
                for nb in [nb for nb in pending if deps[nb] <= done]:
                    pending.remove(nb)
                    reason = "--force" if force else plan_reason(nb, root, shared_outputs=shared)
                    if reason is None:
                        say(f"{nb.name}: up to date")
                        done.add(nb)
                        decided = True
                    else:
                        waiting[nb] = reason
            for nb in [nb for nb in notebooks if nb in waiting][: max(jobs - len(running), 0)]:
                reasons[nb] = waiting.pop(nb)
                running[pool.submit(_execute, nb, root, logs, force, renderers)] = nb
            if not running:
                if pending:
                    raise ValueError(f"circular depends_on among: {[p.name for p in pending]}")
                break
            finished, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in finished:
                nb = running.pop(future)
                seconds = future.result()  # re-raises NotebookFailed
                done.add(nb)
                executed.append(nb)
                say(f"{nb.name}: re-run — {reasons[nb]} ({seconds:.1f} s)")
    return executed


def _shown(path: Path) -> str:
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(path)


def main(argv: list[str] | None = None) -> int:
    """The main job (``make figures``): check the codebook, run the notebooks that are out of date, report.

    Returns the exit status: 0, 1 when a notebook failed, 2 when the codebook
    is invalid (then no notebook runs and only the codebook's message is printed).
    """
    parser = argparse.ArgumentParser(description="Execute the project's notebooks that are out of date.")
    parser.add_argument("notebooks", nargs="*", type=Path, help="notebooks to consider (default: all)")
    parser.add_argument("-j", "--jobs", type=int, default=None, help="notebooks run at once (default: CPUs)")
    parser.add_argument("--force", action="store_true", help="run every notebook, even those up to date")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    try:  # an invalid codebook stops the job before any notebook runs, with its message alone
        load_codebook(CODEBOOK_PATH)
    except CodebookError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    # what a killed run left: its temporary files (its temporary folders go as the next ones are made)
    sweep_stale_temp_files([DATA_DIR, FIGURES_DIR, NOTEBOOKS_DIR], recursive=True)
    notebooks = [p.resolve() for p in args.notebooks] or list_notebooks()
    try:
        done = run_all(notebooks, jobs=args.jobs, force=args.force)
    except NotebookFailed as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    seconds = time.perf_counter() - start
    log_timing("total", seconds=seconds, executed=len(done))
    print(f"==> {len(done)} of {len(notebooks)} notebooks run, {len(notebooks) - len(done)} up to date; "
          f"total {seconds:.1f} s")  # fmt: skip
    print(f"    gallery:  {_shown(FIGURES_DIR / 'README.md')}")
    print(f"    explorer: {_shown(FIGURES_DIR / 'html' / 'explorer.html')}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())

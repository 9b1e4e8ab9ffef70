"""What a notebook read and wrote, and whether the main job must run it again.

The main job (:mod:`analysis.run.pipeline`) records, in each notebook it executes,
the project files the notebook read and wrote, with their SHA-256::

    "metadata": {"analysis": {"depends_on": [...], "run": {
        "cells": "<sha256 of the code cells' sources>",
        "environment": {"requirements.lock": "<sha256>" or null},
        "inputs": {"data/codebook.toml": "<sha256>", "src/analysis/themes/models.py": "...", ...},
        "outputs": {"data/processed/themes.csv": "<sha256>", ...}}}}

The record is saved with the notebook (and committed with it), so a fresh
clone knows what is up to date. A notebook runs again when its code cells,
an input (library module, raw data, codebook, a table another notebook wrote),
one of its outputs, or the environment lock differs from the record:
:func:`stale_reason` says which.

How reads are seen: the kernel installs :func:`install_file_log` before the
first cell (an ``exec_lines`` option of the kernel, so no cell is added). It is
an audit hook (:func:`sys.addaudithook`) that logs every ``open`` of a file
inside the project and every rename into it (atomic writes), imports included
(``.pyc`` files count as their ``.py`` source). Readers that open files in C
without an audit event (pyarrow's Parquet reader given a path) are handed a
Python file object by the library instead (:func:`analysis.data.tables.read_table`).
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from analysis.data.paths import PROJECT_ROOT

__all__ = [
    "ENV_FILES",
    "FILE_LOG_ENV",
    "FILE_LOG_ROOT_ENV",
    "RENDER_CACHE_ENV",
    "SHARED",
    "SHARED_OUTPUTS",
    "TIMINGS_ENV",
    "cells_digest",
    "declare_output",
    "install_file_log",
    "log_timing",
    "make_record",
    "read_file_log",
    "sha256_file",
    "stale_reason",
]

#: Environment variable naming the file the kernel's audit hook appends to.
FILE_LOG_ENV = "WG4_FILE_LOG"
#: Environment variable naming the project root the hook watches (default: this checkout).
FILE_LOG_ROOT_ENV = "WG4_FILE_LOG_ROOT"
#: Set to ``off`` to make :mod:`analysis.export.exporter` render every static file again (``pipeline --force``).
RENDER_CACHE_ENV = "WG4_RENDER_CACHE"
#: Environment variable naming a JSON Lines file that timings are appended to (benchmarks).
TIMINGS_ENV = "WG4_TIMINGS"
#: Files that pin the environment; every notebook depends on them when present.
ENV_FILES: tuple[str, ...] = ("requirements.lock",)
#: Files that every exporting notebook reads, merges and writes back (the figure
#: manifest and gallery). Notebooks run side by side, so their content when one
#: notebook ends depends on how far the others are: the record keeps
#: :data:`SHARED` instead of a digest, and only their presence is checked.
SHARED_OUTPUTS: tuple[str, ...] = ("figures/manifest.json", "figures/README.md")
#: What the record holds for a shared output instead of its digest.
SHARED = "shared"
#: Folders (relative to the root) whose files are never inputs or outputs.
_IGNORED_PARTS = frozenset({".git", ".venv", ".ipynb_checkpoints", ".pytest_cache", ".hypothesis"})
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_TRUNC


def _is_write(mode: Any, flags: Any) -> bool:
    if isinstance(mode, str):
        return any(c in mode for c in "wax+")
    return isinstance(flags, int) and flags >= 0 and bool(flags & _WRITE_FLAGS)


def install_file_log(log_path: str | os.PathLike[str] | None = None, root: Path | str = PROJECT_ROOT) -> bool:
    """Log every file of ``root`` opened or renamed into from now on, to ``log_path``.

    ``log_path`` defaults to the ``WG4_FILE_LOG`` environment variable; without
    one, nothing is installed and ``False`` is returned. Each line is
    ``r<TAB>path`` or ``w<TAB>path`` (absolute), each pair written once. The
    modules already imported from ``root`` are logged as read.
    """
    log_path = log_path or os.environ.get(FILE_LOG_ENV)
    if not log_path:
        return False
    root = os.environ.get(FILE_LOG_ROOT_ENV) or root
    prefix = os.path.join(os.path.abspath(root), "")
    fd = os.open(os.fspath(log_path), os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    seen: set[tuple[str, str]] = set()

    def log(kind: str, path: Any) -> None:
        if isinstance(path, int) or path is None:
            return
        path = os.path.abspath(os.fsdecode(os.fspath(path)))
        if not path.startswith(prefix) or (kind, path) in seen:
            return
        seen.add((kind, path))
        os.write(fd, f"{kind}\t{path}\n".encode("utf-8", "surrogateescape"))  # os.write: no audit event

    def hook(event: str, args: tuple[Any, ...]) -> None:
        try:
            if event == "open":
                path, mode, flags = (tuple(args) + (None, None))[:3]
                log("w" if _is_write(mode, flags) else "r", path)
            elif event == "os.rename":  # os.replace too: the target of an atomic write
                log("w", args[1])
        except Exception:  # noqa: BLE001 - an audit hook must never break the code it watches
            pass

    for module in list(sys.modules.values()):
        log("r", getattr(module, "__file__", None))
    sys.addaudithook(hook)
    return True


def declare_output(path: str | os.PathLike[str]) -> None:
    """Record ``path`` as written by the running notebook, whether or not it was rewritten.

    A writer that skips a file whose bytes are already right (the figure
    exporter's render cache) only reads it; declaring it keeps it an output in
    the run record, so the record is the same after a cached run and a full one.
    Does nothing outside the main job (no ``WG4_FILE_LOG``).
    """
    target = os.environ.get(FILE_LOG_ENV)
    if not target:
        return
    line = f"w\t{os.path.abspath(os.fspath(path))}\n"
    fd = os.open(target, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, line.encode("utf-8", "surrogateescape"))
    finally:
        os.close(fd)


def log_timing(kind: str, **fields: Any) -> None:
    """Append ``{"kind": kind, **fields}`` to the JSON Lines file named by ``WG4_TIMINGS``, if set.

    Used by the main job and the exporter so that ``benchmarks/bench_pipeline.py``
    can break a run down; without the variable it does nothing.
    """
    target = os.environ.get(TIMINGS_ENV)
    if not target:
        return
    line = json.dumps({"kind": kind, "pid": os.getpid(), **fields}, sort_keys=True) + "\n"
    fd = os.open(target, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, line.encode("utf-8"))
    finally:
        os.close(fd)


def _relative(path: str, root: Path) -> str | None:
    """``path`` relative to ``root`` (posix), a ``.pyc`` as its source; ``None`` if ignored."""
    p = Path(path)
    if p.parent.name == "__pycache__" and p.suffix == ".pyc":
        p = p.parent.parent / f"{p.name.split('.')[0]}.py"
    try:
        rel = p.relative_to(root)
    except ValueError:
        return None
    if any(part in _IGNORED_PARTS or part == "__pycache__" for part in rel.parts) or rel.name.startswith("."):
        return None  # temporary files of atomic writes, locks, tool folders
    return rel.as_posix()


def read_file_log(log_path: Path | str, root: Path | str = PROJECT_ROOT) -> tuple[set[str], set[str]]:
    """The files read and written, relative to ``root``, from a log of :func:`install_file_log`.

    A file the notebook wrote is an output, not an input, even if it read it
    first (the figure manifest is read, merged and written back).
    """
    root = Path(root).resolve()
    reads: set[str] = set()
    writes: set[str] = set()
    log_path = Path(log_path)
    if not log_path.is_file():
        return reads, writes
    for line in log_path.read_text(encoding="utf-8", errors="surrogateescape").splitlines():
        kind, _, path = line.partition("\t")
        rel = _relative(path, root)
        if rel is not None:
            (writes if kind == "w" else reads).add(rel)
    return reads - writes, writes


def sha256_file(path: Path | str) -> str | None:
    """SHA-256 of a file's bytes, or ``None`` if it is not a file."""
    path = Path(path)
    if not path.is_file():
        return None
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def cells_digest(nb: Mapping[str, Any]) -> str:
    """SHA-256 of the notebook's code cells' sources (not outputs, not metadata, not prose).

    Examples
    --------
    >>> import nbformat
    >>> a = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 + 1")])
    >>> b = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("x"), nbformat.v4.new_code_cell("1 + 1")])
    >>> cells_digest(a) == cells_digest(b)
    True
    """
    sources = [c.get("source", "") for c in nb.get("cells", []) if c.get("cell_type") == "code"]
    sources = ["".join(s) if isinstance(s, list) else s for s in sources]
    return hashlib.sha256(json.dumps(sources, ensure_ascii=False).encode("utf-8")).hexdigest()


def _digests(paths: Iterable[str], root: Path) -> dict[str, str | None]:
    return {rel: sha256_file(root / rel) for rel in sorted(paths)}


def make_record(
    nb: Mapping[str, Any], reads: Iterable[str], writes: Iterable[str], root: Path | str = PROJECT_ROOT
) -> dict[str, Any]:
    """The run record of a notebook just executed: cells, environment, inputs, outputs."""
    root = Path(root)
    outputs = {k: v for k, v in _digests(writes, root).items() if v is not None}
    return {
        "cells": cells_digest(nb),
        "environment": _digests(ENV_FILES, root),
        "inputs": {k: v for k, v in _digests(reads, root).items() if v is not None},
        "outputs": {k: SHARED if k in SHARED_OUTPUTS else v for k, v in outputs.items()},
    }


def _first_difference(recorded: Mapping[str, str | None], root: Path, *, what: str) -> str | None:
    changed = []
    for rel, digest in sorted(recorded.items()):
        now = sha256_file(root / rel)
        if now != digest:
            if digest is None:
                changed.append(f"{rel} appeared")
            elif now is None:
                changed.append(f"{rel} is missing")
            else:
                changed.append(f"{rel} changed{what}")
    if not changed:
        return None
    more = f" (and {len(changed) - 1} more)" if len(changed) > 1 else ""
    return changed[0] + more


def stale_reason(
    nb: Mapping[str, Any], root: Path | str = PROJECT_ROOT, *, shared_outputs: Iterable[str] = ()
) -> str | None:
    """Why the notebook must run again, or ``None`` when its record still holds.

    ``shared_outputs`` are files several notebooks write (the figure manifest
    and gallery): their digest at the end of one notebook's run says nothing
    about the others, so only their presence is checked.
    """
    root = Path(root)
    record = nb.get("metadata", {}).get("analysis", {}).get("run")
    if not record:
        return "no record of a previous run"
    if record.get("cells") != cells_digest(nb):
        return "its code cells changed"
    env = {name: record.get("environment", {}).get(name) for name in ENV_FILES}
    reason = _first_difference(env, root, what="")
    if reason:
        return reason
    reason = _first_difference(record.get("inputs", {}), root, what="")
    if reason:
        return reason
    shared = set(shared_outputs) | set(SHARED_OUTPUTS)
    outputs = {k: v for k, v in record.get("outputs", {}).items() if k not in shared}
    missing = [k for k in sorted(shared & set(record.get("outputs", {}))) if not (root / k).is_file()]
    if missing:
        return f"{missing[0]} is missing"
    return _first_difference(outputs, root, what=" since this notebook wrote it")

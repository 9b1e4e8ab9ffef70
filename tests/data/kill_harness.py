"""Kill a writer at random moments: ``python kill_harness.py WRITER OUT_DIR KILLS SEED``.

Prepares the writer's data once, writes once, then forks ``KILLS`` children
that each write in a loop and are SIGKILLed after a random delay (up to about
two writes' time). Prints one JSON line: the writer's targets with the
SHA-256 of their first write, the kills, how many left a temporary file
(killed mid-write), how many target files were found empty or partial after
a kill (``broken``, summed over targets) and the seconds taken. Used by ``test_writer_kills.py``; POSIX only (fork).
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import signal
import sys
import time
from collections.abc import Callable
from pathlib import Path


def prepare(writer: str, out: Path) -> tuple[Callable[[], object], list[Path]]:
    """The write to repeat and the files it writes."""
    from analysis.data.paths import FIGURES_DIR, PROCESSED_DIR

    if writer == "write_table":
        from analysis.data import load_corpus, write_table

        meetings = load_corpus().meetings
        return (lambda: write_table(meetings, "meetings", out)), [out / "meetings.csv", out / "meetings.parquet"]
    if writer == "write_theme_tables":
        from analysis.data import load_recommendations
        from analysis.themes import CodebookModel, write_theme_tables

        model = CodebookModel().fit(load_recommendations())
        names = ("recommendation_themes", "themes")
        return (lambda: write_theme_tables(model, directory=out)), [out / f"{n}.{e}" for n in names for e in ("csv", "parquet")]
    if writer == "to_excel":
        from analysis.data import to_excel

        target = out / "wg4_tables.xlsx"
        return (lambda: to_excel(target, ["meetings", "footnotes"], directory=PROCESSED_DIR)), [target]
    if writer == "atomic_write_bytes":  # figures, manifest, galleries, the explorer page, restored files
        from analysis.data.files import atomic_write_bytes

        data = bytes(random.Random(0).randbytes(2_000_000))
        target = out / "figure.png"
        return (lambda: atomic_write_bytes(target, data)), [target]
    if writer == "write_gallery":
        import shutil

        from analysis.export import write_gallery
        from analysis.export.manifest import MANIFEST_NAME

        shutil.copy(FIGURES_DIR / MANIFEST_NAME, out / MANIFEST_NAME)
        return (lambda: write_gallery(out / MANIFEST_NAME)), [out / "README.md", out / "README.es.md"]
    if writer == "save_notebook":
        import nbformat

        from analysis.data.paths import NOTEBOOKS_DIR
        from analysis.run.pipeline import save_notebook

        nb = nbformat.read(NOTEBOOKS_DIR / "01_corpus_overview.ipynb", as_version=4)
        target = out / "01_corpus_overview.ipynb"
        return (lambda: save_notebook(nb, target)), [target]
    raise SystemExit(f"unknown writer {writer!r}")


def whole(target: Path, sha: str) -> bool:
    """Whether ``target`` holds a complete write: the bytes of the first one, or a workbook that opens."""
    if not target.is_file() or target.stat().st_size == 0:
        return False
    if target.suffix == ".xlsx":  # a workbook records when it was written: it must open
        import openpyxl

        try:
            openpyxl.load_workbook(target, read_only=True).close()
        except Exception:
            return False
        return True
    return hashlib.sha256(target.read_bytes()).hexdigest() == sha


def main() -> None:
    writer, out, kills, seed = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    out.mkdir(parents=True, exist_ok=True)
    write, targets = prepare(writer, out)
    start = time.perf_counter()
    write()
    one_write = time.perf_counter() - start
    first = {str(t): hashlib.sha256(t.read_bytes()).hexdigest() for t in targets}
    rng = random.Random(seed)
    start = time.perf_counter()
    interrupted = broken = 0
    for _ in range(kills):
        pid = os.fork()
        if pid == 0:  # the child writes until it is killed
            try:
                while True:
                    write()
            finally:
                os._exit(1)
        time.sleep(rng.uniform(0, 2 * one_write))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        interrupted += any(p.name.endswith(".tmp") for p in out.iterdir())  # killed mid-write
        broken += sum(not whole(Path(target), sha) for target, sha in first.items())
    print(json.dumps({"targets": first, "kills": kills, "interrupted": interrupted, "broken": broken,
                      "one_write": one_write, "seconds": time.perf_counter() - start}))


if __name__ == "__main__":
    main()

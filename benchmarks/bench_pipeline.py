"""Benchmark the main job: a full run (every notebook, every figure) and a run with nothing to do.

Target: the full job (``python -m analysis.run.pipeline --force``: every notebook
executed, every figure rendered in every format, no render cache) under 60 s
on a 2-core machine; a run with nothing changed in a few seconds; and a second
full run gives identical CSVs and PNGs.

Runs the full job ``--runs`` times (default 3) and reports the median, with a
breakdown taken from the timings the pipeline and the exporter append to the
JSON Lines file named by ``WG4_TIMINGS`` (a temporary file here, never a
tracked one): kernel starts, cell execution per notebook, export per format,
and the rest of each notebook's process (start-up, saving, hashing). Then
times the no-change run. Prints; asserts nothing.

Usage: ``python benchmarks/bench_pipeline.py [--runs 3]`` (or ``make bench``).
Like ``make figures``, it rewrites the notebooks, ``data/processed/`` and ``figures/``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from analysis.data.paths import FIGURES_DIR, PROCESSED_DIR, PROJECT_ROOT
from analysis.run.provenance import TIMINGS_ENV

TARGET_S = 60.0
FORMATS = ("png", "svg", "html")


def snapshot() -> dict[str, str]:
    """SHA-256 of every processed CSV and exported PNG, by path relative to the root."""
    files = sorted(PROCESSED_DIR.glob("*.csv")) + sorted(FIGURES_DIR.rglob("*.png"))
    return {str(p.relative_to(PROJECT_ROOT)): hashlib.sha256(p.read_bytes()).hexdigest() for p in files}


def run_once(*flags: str) -> tuple[float, dict[str, float]]:
    """Wall time of one pipeline run and its breakdown (seconds by component)."""
    with tempfile.TemporaryDirectory(prefix="bench-pipeline-") as tmp:
        log = Path(tmp) / "timings.jsonl"
        env = {**os.environ, TIMINGS_ENV: str(log)}
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "analysis.run.pipeline", *flags], cwd=PROJECT_ROOT, check=True,
                       stdout=subprocess.DEVNULL, env=env)  # fmt: skip
        wall = time.perf_counter() - start
        records = [json.loads(line) for line in log.read_text().splitlines()] if log.is_file() else []
    parts: dict[str, float] = defaultdict(float)
    for r in records:
        if r["kind"] == "kernel_start":
            parts["kernel starts (all notebooks)"] += r["seconds"]
        elif r["kind"] == "cells":
            parts[f"cells {r['notebook']}"] += r["seconds"]
        elif r["kind"] == "export":
            parts[f"export {r['format']}"] += r["seconds"]
            parts[f"export {r['format']} files"] += 1
        elif r["kind"] == "notebook":
            parts["notebook processes (sum)"] += r["seconds"]
    busy = sum(v for k, v in parts.items() if k.startswith(("cells", "kernel")))
    parts["process start, save, hashing (sum)"] = parts["notebook processes (sum)"] - busy
    return wall, parts


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="full runs (default 3); the median is reported")
    args = parser.parse_args(argv)
    full = []
    for i in range(args.runs):
        full.append(run_once("--force"))
        print(f"  full run {i + 1}: {full[-1][0]:.1f} s", flush=True)
        if i == 0:
            before = snapshot()
    after = snapshot()
    idle = [run_once()[0] for _ in range(3)]
    walls = [w for w, _ in full]
    keys = sorted({k for _, parts in full for k in parts})
    median = {k: statistics.median(parts.get(k, 0.0) for _, parts in full) for k in keys}

    print(f"\nmain job benchmark (python -m analysis.run.pipeline), {os.cpu_count()} CPUs")
    print(f"  full run (--force), median of {args.runs}: {statistics.median(walls):6.1f} s   "
          f"(runs: {', '.join(f'{w:.1f}' for w in walls)}; target < {TARGET_S:.0f} s: "
          f"{'met' if statistics.median(walls) < TARGET_S else 'MISSED'})")  # fmt: skip
    print("  breakdown (median over runs; notebooks run two at a time, so parts add up to more than the wall time):")
    print(f"    {'kernel starts (all notebooks)':<40} {median.get('kernel starts (all notebooks)', 0):6.1f} s")
    for k in keys:
        if k.startswith("cells "):
            print(f"    {k:<40} {median[k]:6.1f} s")
    for fmt in FORMATS:
        n = int(median.get(f"export {fmt} files", 0))
        print(f"    {'  of which export ' + fmt + f' ({n} files)':<40} {median.get(f'export {fmt}', 0):6.1f} s")
    print(f"    {'process start, save, hashing (sum)':<40} {median['process start, save, hashing (sum)']:6.1f} s")
    print(f"  no-change run, median of 3: {statistics.median(idle):6.1f} s   (runs: {', '.join(f'{w:.1f}' for w in idle)})")
    changed = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
    print(f"  identical CSVs and PNGs after another full run: {'yes' if not changed else 'NO'} ({len(after)} files)")
    for path in changed:
        print(f"    changed: {path}")


if __name__ == "__main__":
    main()

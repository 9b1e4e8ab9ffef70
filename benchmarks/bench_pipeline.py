"""Benchmark the main job: time to execute every notebook, and whether a re-run is identical.

Target (issue 5): ``make figures`` under 90 s after set-up on a 2-core machine,
and a second run gives identical CSVs and PNGs. Runs the pipeline twice, hashes
``data/processed/*.csv`` and ``figures/**/*.png`` after each run, and prints
the times and any file that changed. Prints; asserts nothing.

Usage: ``python benchmarks/bench_pipeline.py`` (or ``make bench``).
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
import time
from pathlib import Path

from analysis.paths import FIGURES_DIR, PROCESSED_DIR, PROJECT_ROOT

TARGET_S = 90.0


def snapshot() -> dict[str, str]:
    """SHA-256 of every processed CSV and exported PNG, by path relative to the root."""
    files = sorted(PROCESSED_DIR.glob("*.csv")) + sorted(FIGURES_DIR.rglob("*.png"))
    return {str(p.relative_to(PROJECT_ROOT)): hashlib.sha256(p.read_bytes()).hexdigest() for p in files}


def run_once() -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "analysis.pipeline"], cwd=PROJECT_ROOT, check=True,
                   stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    first = run_once()
    before = snapshot()
    second = run_once()
    after = snapshot()
    changed = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
    print("main job benchmark (python -m analysis.pipeline, all notebooks)")
    print(f"  first run   {first:6.1f} s")
    print(f"  second run  {second:6.1f} s   target < {TARGET_S:.0f} s: {'met' if second < TARGET_S else 'MISSED'}")
    print(f"  files compared: {len(after)} (processed CSVs and PNG figures)")
    print(f"  identical after a re-run: {'yes' if not changed else 'NO'}")
    for path in changed:
        print(f"    changed: {path}")


if __name__ == "__main__":
    main()

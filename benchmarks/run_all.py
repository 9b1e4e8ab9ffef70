"""Run every benchmark script in this folder (``bench_*.py``), one after another."""

from __future__ import annotations

import runpy
import sys
from pathlib import Path

if __name__ == "__main__":
    here = Path(__file__).parent
    for script in sorted(here.glob("bench_*.py")):
        print(f"\n=== {script.name}", flush=True)
        runpy.run_path(str(script), run_name="__main__")
    sys.exit(0)

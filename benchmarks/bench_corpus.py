"""Benchmark: time to parse and load the corpus, and the peak memory it takes.

Target (issue 2): parse + load under 100 ms after import. Run with
``python benchmarks/bench_corpus.py`` or ``make bench``; prints a table, asserts nothing.
"""

from __future__ import annotations

import statistics
import time
import tracemalloc

from analysis.data.corpus import load_corpus, parse, read_text
from analysis.data.paths import RAW_CORPUS

TARGET_MS = 100.0


def _time(fn, repeat: int = 20) -> list[float]:
    fn()  # warm-up: first-call imports and caches
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return times


def main() -> dict[str, float]:
    text = read_text(RAW_CORPUS)
    parse_ms = _time(lambda: parse(text, source=str(RAW_CORPUS)))
    load_ms = _time(load_corpus)
    tracemalloc.start()
    load_corpus()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    results = {
        "parse_median_ms": statistics.median(parse_ms),
        "load_median_ms": statistics.median(load_ms),
        "load_max_ms": max(load_ms),
        "load_peak_mib": peak / 2**20,
    }
    print("corpus benchmark (20 runs after one warm-up)")
    print(f"  parse(text)    median {results['parse_median_ms']:7.1f} ms")
    print(f"  load_corpus()  median {results['load_median_ms']:7.1f} ms   max {results['load_max_ms']:.1f} ms"
          f"   target < {TARGET_MS:.0f} ms: {'met' if results['load_median_ms'] < TARGET_MS else 'MISSED'}")
    print(f"  peak memory of one load_corpus(): {results['load_peak_mib']:.1f} MiB (tracemalloc)")
    return results


if __name__ == "__main__":
    main()

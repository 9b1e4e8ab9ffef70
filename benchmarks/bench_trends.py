"""Benchmark: the bootstrap of theme shares for the whole table.

Target (issue 4): 2,000 replicates for every meeting, theme and method in
under 1 s. Times (1) the draws alone, (2) the prevalence table from laid-out
assignments (draws, theme sums, percentile intervals, tidy frame) and (3) the
whole call from the raw assignment table, at item and paragraph level. Uses
the real assignments when ``data/processed/recommendation_themes.csv``
exists, else random ones with 16 themes and 2 methods. Run with
``python benchmarks/bench_trends.py`` or ``make bench``; prints a table,
asserts nothing.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

from analysis import trends
from analysis.trends._statistics import DEFAULT_N_BOOT, bootstrap_multiplicities
from analysis.data.corpus import load_corpus

TARGET_S = 1.0


def _time(fn: Callable[[], object], repeat: int = 7) -> float:
    fn()  # warm-up
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> dict[str, float]:
    corpus = load_corpus()
    try:
        assignments, source = trends.read_assignments(), "data/processed/recommendation_themes.csv"
    except FileNotFoundError:
        assignments, source = trends.synthetic_assignments(corpus, n_themes=16, seed=0), "random (16 themes)"
    n = DEFAULT_N_BOOT
    results: dict[str, float] = {}
    print(f"trends benchmark: {n} replicates, assignments {source}, median of 7 runs after one warm-up")
    for level in trends.LEVELS:
        built = trends.ThemeTrends.build(assignments, corpus, level=level)
        sizes = built.meetings["n_obs"].tolist()
        results[f"draws_{level}"] = _time(lambda s=sizes: bootstrap_multiplicities(s, n_boot=n))
        results[f"table_{level}"] = _time(built.prevalence)
        results[f"full_{level}"] = _time(lambda lv=level: trends.theme_prevalence(assignments, corpus, level=lv))
        rows = len(built.prevalence())
        verdict = "met" if results[f"full_{level}"] < TARGET_S else "MISSED"
        print(f"  {level:9s} draws {results[f'draws_{level}'] * 1000:6.1f} ms   "
              f"table ({rows} rows) {results[f'table_{level}'] * 1000:6.1f} ms   "
              f"whole call {results[f'full_{level}'] * 1000:6.1f} ms   target < {TARGET_S:.0f} s: {verdict}")
    return results


if __name__ == "__main__":
    main()

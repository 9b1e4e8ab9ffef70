"""Benchmark: fitting everything of the themes analysis (issue 3).

Times, on the real corpus and this machine:

1. the representation (Spanish analysis, TF-IDF, co-occurrence smoothing);
2. model selection over k = 6..25 with 10 seeds each (200 NMF fits);
3. the chosen discovery model (NMF) and the alternative (k-means on LSA);
4. the codebook model (seeds + classifier);
5. the two output tables.

The budget is 10 s for steps 1-5 together (2 cores). Not a timed test: it
prints the timings; run ``python benchmarks/bench_themes.py``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

from analysis.data.corpus import load_recommendations
from analysis.themes import (
    CodebookModel,
    TextFeatures,
    ThemeModel,
    choose_n_themes,
    select_n_themes,
    theme_tables,
)

T = TypeVar("T")
BUDGET_S = 10.0


def timed(label: str, fn: Callable[[], T], log: list[tuple[str, float]]) -> T:
    start = time.perf_counter()
    out = fn()
    log.append((label, time.perf_counter() - start))
    print(f"{label:<55s} {log[-1][1]:6.2f} s", flush=True)
    return out


def main() -> None:
    recs = load_recommendations()
    log: list[tuple[str, float]] = []
    feats = timed("representation (analysis, TF-IDF, smoothing)", lambda: TextFeatures.build(recs), log)
    diag = timed("k selection: k = 6..25 x 10 seeds", lambda: select_n_themes(feats), log)
    k = choose_n_themes(diag)
    disc = timed(f"discovery model, NMF, k = {k}", lambda: ThemeModel(n_themes=k).fit(feats), log)
    timed(f"alternative model, k-means on LSA, k = {k}", lambda: ThemeModel(n_themes=k, method="kmeans").fit(feats), log)
    cb = timed("codebook model (own vocabulary, seeds, classifier)", lambda: CodebookModel().fit(recs), log)
    timed("output tables", lambda: theme_tables(disc, cb), log)
    total = sum(t for _, t in log)
    verdict = "within" if total <= BUDGET_S else "OVER"
    print(f"{'total':<55s} {total:6.2f} s ({verdict} the {BUDGET_S:.0f} s budget)")


if __name__ == "__main__":
    main()

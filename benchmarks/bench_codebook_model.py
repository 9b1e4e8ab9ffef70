"""Benchmark: the codebook model, its hybrid fit and its learning curve.

Times, on the real corpus and this machine:

1. ``CodebookModel().fit(load_recommendations())`` (representation, seeds, classifier);
2. a hybrid fit with 100 coded units on features built once;
3. ``learning_curve`` with sizes 0, 30, 60, 100, 150 and 5 repeats (21 fits on
   features built once), whose budget is 5 s;
4. saving and loading the fitted model.

Not a timed test: it prints the timings; run ``python benchmarks/bench_codebook_model.py``.
"""

from __future__ import annotations

import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from analysis.coding import CODING_DIR, read_coding
from analysis.data.corpus import load_recommendations
from analysis.themes import CodebookModel, CodebookWarning, learning_curve

T = TypeVar("T")
CURVE_BUDGET_S = 5.0


def timed(label: str, fn: Callable[[], T]) -> tuple[T, float]:
    start = time.perf_counter()
    out = fn()
    took = time.perf_counter() - start
    print(f"{label:<60s} {took:6.2f} s", flush=True)
    return out, took


def main() -> None:
    warnings.simplefilter("ignore", CodebookWarning)
    recs = load_recommendations()
    reference = read_coding(CODING_DIR / "reference.csv")
    model, _ = timed("CodebookModel().fit(recommendations)", lambda: CodebookModel().fit(recs))
    feats = model.features_
    coded = reference.sample(100, random_state=0)
    timed("hybrid fit, 100 coded units, features reused", lambda: CodebookModel().fit(feats, y=coded))
    _, took = timed("learning_curve, sizes 0-150 x 5 repeats (from the table)",
                    lambda: learning_curve(recs, reference, n_repeats=5))
    verdict = "within" if took <= CURVE_BUDGET_S else "OVER"
    print(f"{'':<60s} ({verdict} the {CURVE_BUDGET_S:.0f} s budget)")
    with tempfile.TemporaryDirectory() as tmp:
        path, _ = timed("save", lambda: model.save(Path(tmp) / "codebook_model.joblib"))
        timed("load", lambda: CodebookModel.load(path))
        print(f"{'file size':<60s} {path.stat().st_size / 1e6:6.2f} MB")


if __name__ == "__main__":
    main()

"""The choice of the number of discovered themes: diagnostics over k and the documented rule."""


from __future__ import annotations

import itertools
from concurrent.futures import ThreadPoolExecutor
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd
from sklearn.metrics import adjusted_rand_score
from threadpoolctl import threadpool_limits

from analysis.themes.ranking import argmax_rows, order_rows_desc
from analysis.themes.diagnostics import npmi_coherence, topic_diversity
from analysis.themes.discovery import ThemeModel
from analysis.themes.features import Documents, TextFeatures

__all__ = [
    "choose_n_themes",
    "mean_pairwise_ari",
    "select_n_themes",
]


def mean_pairwise_ari(labelings: Sequence[np.ndarray]) -> float:
    pairs = list(itertools.combinations(range(len(labelings)), 2))
    return float(np.mean([adjusted_rand_score(labelings[i], labelings[j]) for i, j in pairs])) if pairs else 1.0


def select_n_themes(
    X: Documents | TextFeatures,
    ks: Iterable[int] = range(6, 26),
    seeds: Iterable[int] = range(10),
    *,
    n_coherence_terms: int = 10,
    n_diversity_terms: int = 25,
    n_jobs: int = 1,
    **model_params: object,
) -> pd.DataFrame:
    """Diagnostics of :class:`ThemeModel` for every k.

    For each k the model is fitted once per seed. Reported per k:

    - ``coherence``: mean NPMI of the top ``n_coherence_terms`` terms (by
      weight) of each theme, seed 0;
    - ``diversity``: share of unique terms among the top
      ``n_diversity_terms`` terms of all themes, seed 0;
    - ``stability``: mean pairwise adjusted Rand index of the primary themes
      across seeds;
    - ``largest_share``: share of the recommendations in the largest theme
      (a catch-all theme shows here);
    - ``min_size``: size of the smallest theme.

    Fits run on ``n_jobs`` threads (the NMF updates mostly hold the GIL, so
    more threads help little); results do not depend on it.

    Examples
    --------
    >>> from analysis.data.corpus import load_recommendations
    >>> diag = select_n_themes(load_recommendations(), ks=[8, 10], seeds=range(3))
    >>> list(diag.columns)
    ['k', 'coherence', 'diversity', 'stability', 'largest_share', 'min_size']
    """
    seeds = list(seeds)
    base = ThemeModel(**model_params)  # type: ignore[arg-type]
    feats = X if isinstance(X, TextFeatures) else base.featurize(X)

    def one_k(k: int) -> dict[str, float]:
        labelings, H = [], None
        for seed in seeds:
            m = ThemeModel(**{**base.get_params(), "n_themes": k, "random_state": seed})
            W, H_seed = m._factorise(feats.smoothed)
            labelings.append(argmax_rows(W))
            H = H_seed if H is None else H
        assert H is not None
        heaviest = order_rows_desc(H)
        top_w = heaviest[:, :n_coherence_terms].tolist()
        top_d = heaviest[:, :n_diversity_terms].tolist()
        sizes = np.bincount(labelings[0], minlength=k)
        return _diagnostic_row(k, top_w, top_d, labelings, sizes, feats)

    # one BLAS thread per fit, fits of different k side by side: the small
    # matrix products release the GIL, so threads use both cores
    with threadpool_limits(1), ThreadPoolExecutor(max_workers=n_jobs) as pool:
        rows = list(pool.map(one_k, list(ks)))
    return pd.DataFrame(rows)


def _diagnostic_row(
    k: int,
    top_w: list[list[int]],
    top_d: list[list[int]],
    labelings: list[np.ndarray],
    sizes: np.ndarray,
    feats: TextFeatures,
) -> dict[str, float]:
    return {
        "k": k,
        "coherence": float(npmi_coherence(top_w, feats.binary).mean()),
        "diversity": topic_diversity(top_d),
        "stability": mean_pairwise_ari(labelings),
        "largest_share": float(sizes.max() / sizes.sum()),
        "min_size": int(sizes.min()),
    }


def choose_n_themes(
    diagnostics: pd.DataFrame,
    *,
    min_stability: float = 0.85,
    min_diversity: float = 0.75,
    min_size: int = 5,
) -> int:
    """The k to use, by a fixed rule on :func:`select_n_themes` output.

    The finest reproducible, non-redundant, coherent partition: the largest
    k whose stability (mean ARI across seeds) is at least ``min_stability``,
    whose diversity is at least ``min_diversity`` (themes do not repeat
    each other's terms), whose coherence is at least the median coherence
    over all k, and whose smallest theme has at least ``min_size``
    recommendations. If no k passes, the most stable k.

    The stability bar (0.85) sits above the project's quality bar (0.8):
    the mean ARI over 10 seeds is itself an estimate, and the chosen k must
    clear the quality bar with a margin.

    Examples
    --------
    >>> d = pd.DataFrame({"k": [6, 8, 10, 12], "coherence": [0.1, 0.2, 0.15, 0.2],
    ...                   "diversity": [0.9, 0.8, 0.85, 0.7], "stability": [0.9, 0.85, 0.7, 0.9],
    ...                   "min_size": [10, 8, 6, 6]})
    >>> choose_n_themes(d)
    8
    """
    d = diagnostics
    ok = d[
        (d["stability"] >= min_stability)
        & (d["diversity"] >= min_diversity)
        & (d["coherence"] >= d["coherence"].median())
        & (d["min_size"] >= min_size)
    ]
    if ok.empty:
        return int(d.sort_values(["stability", "k"], ascending=[False, True], kind="stable")["k"].iloc[0])
    return int(ok["k"].max())

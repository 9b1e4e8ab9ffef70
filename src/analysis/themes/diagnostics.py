"""Diagnostics of a set of themes (coherence, diversity, FREX, top terms) (pure functions of term matrices).
"""


from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp

from analysis.themes.ranking import ecdf_rows, order_rows_desc, quantize

__all__ = [
    "frex",
    "npmi_coherence",
    "top_terms",
    "topic_diversity",
]


def npmi_coherence(top_term_indices: Sequence[Sequence[int]], binary: sp.spmatrix) -> np.ndarray:
    """Mean normalised PMI of the pairs of top terms of each theme.

    Probabilities are document frequencies in the corpus itself; a pair that
    never co-occurs scores -1. Higher is more coherent (range -1 to 1).

    Examples
    --------
    >>> B = sp.csr_matrix(np.array([[1, 1, 0], [1, 1, 0], [0, 0, 1], [0, 1, 1]]))
    >>> npmi_coherence([[0, 1], [0, 2]], B).round(3)
    array([ 0.415, -1.   ])
    """
    B = sp.csr_matrix(binary, dtype=np.float64)
    n = B.shape[0]
    out = []
    for idx in top_term_indices:
        idx = list(idx)
        sub = B[:, idx]
        co = (sub.T @ sub).toarray() / n
        p = np.diag(co)
        vals = []
        for i, j in itertools.combinations(range(len(idx)), 2):
            pij = co[i, j]
            if pij <= 0:
                vals.append(-1.0)
            elif pij >= 1:
                vals.append(1.0)
            else:
                vals.append(np.log(pij / (p[i] * p[j])) / -np.log(pij))
        out.append(float(np.mean(vals)) if vals else 0.0)
    return np.array(out)


def topic_diversity(top_term_indices: Sequence[Sequence[int]]) -> float:
    """Share of unique terms among all themes' top terms (1 = no overlap).

    Examples
    --------
    >>> topic_diversity([[0, 1, 2], [2, 3, 4]])
    0.8333333333333334
    """
    flat = [t for idx in top_term_indices for t in idx]
    return len(set(flat)) / len(flat) if flat else 0.0


def frex(components: np.ndarray, weight: float = 0.5) -> np.ndarray:
    """FREX score of every term in every theme (Roberts et al., STM).

    The harmonic mean of the within-theme empirical-CDF ranks of a term's
    *frequency* in the theme and of its *exclusivity* to the theme
    (its weight in the theme over its weight in all themes).
    ``weight`` is the weight of exclusivity.

    Examples
    --------
    >>> H = np.array([[5.0, 3.0, 0.1], [5.0, 0.1, 3.0]])
    >>> frex(H, weight=0.7).argmax(axis=1)  # term 0 is frequent everywhere, not exclusive
    array([1, 2])
    """
    H = np.maximum(np.asarray(components, dtype=float), 0) + 1e-12
    freq = H / H.sum(axis=1, keepdims=True)
    excl = H / H.sum(axis=0, keepdims=True)
    # ranks on values compared at ranking.DECIMALS: terms with the same weight
    # (e.g. terms that always occur together) share a rank on every machine
    return 1.0 / (weight / ecdf_rows(excl) + (1 - weight) / ecdf_rows(freq))


def top_terms(H: np.ndarray, n: int, *, shown: np.ndarray | None = None, frex_weight: float = 0.5) -> list[list[int]]:
    """The ``n`` most distinctive terms of each theme (rows of ``H``).

    A top term must be among the theme's 40 heaviest terms (FREX alone would
    promote terms seen once) and be ``shown`` (formula words never are);
    candidates are ranked by FREX, then weight, then term key (the column
    order), all compared at :data:`analysis.themes.ranking.DECIMALS` so that the
    ranking does not change with floating-point noise.

    Examples
    --------
    >>> H = np.array([[0.9, 0.5, 0.5, 0.0], [0.1, 0.0, 0.1, 0.8]])
    >>> top_terms(H, 2)
    [[0, 1], [3, 2]]
    """
    scores = frex(H, frex_weight)
    masked = H if shown is None else np.where(shown, H, -1.0)
    heavy = order_rows_desc(masked)[:, :40]
    out = []
    for j, cand in enumerate(heavy):
        ranked = cand[np.lexsort((cand, -quantize(H[j, cand]), -quantize(scores[j, cand])))]
        out.append([int(i) for i in ranked[:n]])
    return out



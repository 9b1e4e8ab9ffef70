"""k-means whose result does not depend on the BLAS kernel, the threads or the CPU.

scikit-learn's :class:`~sklearn.cluster.KMeans` computes distances with BLAS
and OpenMP. On the project's data, the same call with another
``OPENBLAS_CORETYPE`` gave a different partition for 5 of 10 seeds (adjusted
Rand index down to 0.29 between two kernels): k-means++ picks among
candidates whose potentials tie up to the last digits, and Lloyd's steps
assign points that sit at the same distance from two centres, so
floating-point noise decides. Here every such comparison is made at
:data:`analysis.themes.ranking.DECIMALS` decimals, ties go to the lower index, and
distances are computed without BLAS, so the partition is the same everywhere.
The algorithm is the usual one (k-means++ seeding with ``2 + log k`` local
trials, Lloyd iterations to a fixed point, the best of ``n_init`` starts by
inertia).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from analysis.themes.ranking import quantize

__all__ = ["KMeansResult", "stable_kmeans"]


@dataclass(frozen=True)
class KMeansResult:
    """A k-means partition: ``labels`` (one per row), ``centers`` (k x d), ``inertia``, ``n_iter``."""

    labels: NDArray[np.intp]
    centers: NDArray[np.float64]
    inertia: float
    n_iter: int


def _sq_distances(X: NDArray[np.float64], centers: NDArray[np.float64]) -> NDArray[np.float64]:
    # element-wise, no BLAS: the same digits on every kernel, then quantised
    return quantize(((X[:, None, :] - centers[None, :, :]) ** 2).sum(axis=2))


def _plusplus(X: NDArray[np.float64], k: int, rng: np.random.Generator) -> NDArray[np.float64]:
    n = len(X)
    trials = 2 + int(np.log(k))
    chosen = [int(rng.integers(n))]
    closest = _sq_distances(X, X[chosen])[:, 0]
    for _ in range(1, k):
        cumulative = np.cumsum(closest)
        if cumulative[-1] <= 0:  # fewer distinct points than k: take the next unused rows
            chosen.append(next(i for i in range(n) if i not in chosen))
            continue
        candidates = np.searchsorted(cumulative, rng.random(trials) * cumulative[-1], side="right")
        candidates = np.minimum(candidates, n - 1)
        pots = [quantize(np.minimum(closest, _sq_distances(X, X[[c]])[:, 0]).sum()) for c in candidates]
        best = int(candidates[int(np.argmin(pots))])
        chosen.append(best)
        closest = np.minimum(closest, _sq_distances(X, X[[best]])[:, 0])
    return X[chosen].copy()


def stable_kmeans(
    X: NDArray[np.float64], k: int, *, n_init: int = 10, max_iter: int = 300, random_state: int = 0
) -> KMeansResult:
    """k-means of the rows of ``X`` into ``k`` clusters, the same on every machine.

    Examples
    --------
    >>> X = np.array([[0.0, 0.0], [0.1, 0.0], [5.0, 5.0], [5.0, 5.1]])
    >>> stable_kmeans(X, 2, random_state=0).labels.tolist() in ([0, 0, 1, 1], [1, 1, 0, 0])
    True
    """
    X = np.asarray(X, dtype=np.float64)
    rng = np.random.default_rng(random_state)
    best: KMeansResult | None = None
    for _ in range(n_init):
        centers = _plusplus(X, k, rng)
        labels = np.full(len(X), -1)
        for n_iter in range(1, max_iter + 1):
            d = _sq_distances(X, centers)
            new = d.argmin(axis=1)  # first of tied centres
            if np.array_equal(new, labels):
                break
            labels = new
            centers = np.vstack([X[labels == j].mean(axis=0) if np.any(labels == j) else centers[j] for j in range(k)])
        inertia = float(quantize(d[np.arange(len(X)), labels].sum()))
        if best is None or inertia < best.inertia:
            best = KMeansResult(labels=labels, centers=centers, inertia=inertia, n_iter=n_iter)
    assert best is not None
    return best

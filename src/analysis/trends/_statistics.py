"""The statistics of the priority shifts: bootstrap draws, percentile intervals, tests, concentration.

Pure functions on NumPy arrays, with no knowledge of themes or meetings:
:class:`analysis.trends.ThemeTrends` lays the data out and calls them.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy import special, stats

__all__ = [
    "DEFAULT_N_BOOT",
    "DEFAULT_SEED",
    "bootstrap_multiplicities",
    "bootstrap_p",
    "cluster_multiplicities",
    "confusion_rates",
    "holm",
    "misclassification_corrected",
    "project_simplex",
    "concentration_measures",
    "divide",
    "fisher",
    "interval",
    "quantile_at",
]


#: Replicates of the bootstrap.
DEFAULT_N_BOOT = 2000
#: Seed of the bootstrap (the first meeting's opening day).
DEFAULT_SEED = 20090414


def bootstrap_multiplicities(
    sizes: Sequence[int], *, n_boot: int = DEFAULT_N_BOOT, seed: int = DEFAULT_SEED, keys: Sequence[int] | None = None
) -> list[np.ndarray]:
    """How often each observation of each group is drawn in each bootstrap replicate.

    Parameters
    ----------
    sizes : sequence of int
        Number of observations in each group (meeting).
    n_boot : int
        Replicates.
    seed : int
        Seed; group ``g`` draws from ``numpy.random.default_rng([seed, keys[g]])``.
    keys : sequence of int, optional
        A stable key per group (the meeting number); ``0, 1, …`` by default.

    Returns
    -------
    list of ndarray
        For group ``g``, an ``(n_boot, sizes[g])`` integer array whose rows sum
        to ``sizes[g]``: resampling with replacement within the group.

    Examples
    --------
    >>> mult = bootstrap_multiplicities([3, 0], n_boot=4, seed=1)
    >>> [m.shape for m in mult], mult[0].sum(axis=1).tolist()
    ([(4, 3), (4, 0)], [3, 3, 3, 3])
    """
    keys = list(range(len(sizes))) if keys is None else list(keys)
    out = []
    for n, key in zip(sizes, keys, strict=True):
        n = int(n)
        if n == 0:
            out.append(np.zeros((n_boot, 0), dtype=np.int64))
            continue
        rng = np.random.default_rng([seed, int(key)])
        draws = rng.integers(0, n, size=(n_boot, n))
        flat = (np.arange(n_boot)[:, None] * n + draws).ravel()
        out.append(np.bincount(flat, minlength=n_boot * n).reshape(n_boot, n))
    return out


def cluster_multiplicities(
    clusters: Sequence[np.ndarray], *, n_boot: int = DEFAULT_N_BOOT, seed: int = DEFAULT_SEED,
    keys: Sequence[int] | None = None,
) -> list[np.ndarray]:
    """Multiplicities of observations when whole clusters (paragraphs) are resampled within each group.

    Parameters
    ----------
    clusters : sequence of int arrays
        For each group, the cluster (``0 … C-1``) of each of its observations.
    n_boot, seed, keys
        As in :func:`bootstrap_multiplicities`, which draws the clusters.

    Returns
    -------
    list of ndarray
        For group ``g``, an ``(n_boot, len(clusters[g]))`` array: every
        observation is drawn as often as its cluster, so the observations of
        one cluster move together and a replicate's size varies.

    Examples
    --------
    >>> m = cluster_multiplicities([np.array([0, 0, 1])], n_boot=5, seed=2)[0]
    >>> bool((m[:, 0] == m[:, 1]).all()), set(m.sum(axis=1).tolist()) <= {1, 3, 4}
    (True, True)
    """
    sizes = [int(c.max()) + 1 if len(c) else 0 for c in clusters]
    drawn = bootstrap_multiplicities(sizes, n_boot=n_boot, seed=seed, keys=keys)
    return [d[:, np.asarray(c, dtype=int)] for d, c in zip(drawn, clusters, strict=True)]


def bootstrap_p(boot: np.ndarray) -> np.ndarray:
    """Two-sided bootstrap p-value of "the statistic is 0", over axis 0.

    ``(1 + #{replicates on the far side of 0}) / (1 + B)``, doubled and
    capped at 1: the smallest attainable value is ``2 / (B + 1)``. NaN where
    every replicate is NaN.

    Examples
    --------
    >>> bootstrap_p(np.array([[0.1, -0.2], [0.2, 0.3], [0.3, -0.1], [0.4, 0.2]])).round(3).tolist()
    [0.4, 1.0]
    """
    b = boot.shape[0]
    below = (boot <= 0).sum(axis=0)
    above = (boot >= 0).sum(axis=0)
    p = np.minimum(1.0, 2 * (1 + np.minimum(below, above)) / (b + 1))
    return np.where(np.isnan(boot).all(axis=0), np.nan, p)


def holm(p: np.ndarray) -> np.ndarray:
    """Holm's step-down adjustment of a family of p-values (NaNs are left out of the family and stay NaN).

    Holm controls the chance of calling *any* unchanged theme changed
    (the family-wise error rate) whatever the dependence between the tests:
    the shares of one method's themes sum to 1, so their tests are
    negatively dependent, a case where Benjamini-Hochberg's false discovery
    rate guarantee is not assured. With about 15 themes it costs little
    power for the large changes, and a reader can take every "clear" theme
    as a claim on its own.

    Examples
    --------
    >>> holm(np.array([0.01, 0.04, 0.03, np.nan])).round(3).tolist()
    [0.03, 0.06, 0.06, nan]
    """
    p = np.asarray(p, dtype=float)
    out = np.full_like(p, np.nan)
    ok = ~np.isnan(p)
    values = p[ok]
    m = len(values)
    if m == 0:
        return out
    order = np.argsort(values, kind="stable")
    stepped = np.maximum.accumulate((m - np.arange(m)) * values[order])
    adjusted = np.empty(m)
    adjusted[order] = np.minimum(stepped, 1.0)
    out[ok] = adjusted
    return out


def confusion_rates(counts: np.ndarray) -> np.ndarray:
    """Rows of a confusion matrix (true theme × assigned label, ``(..., K, J)``) as rates ``P(label | true)``.

    A true theme without units (in a bootstrap replicate) cannot be
    estimated; its row becomes "always assigned its own label" (the
    diagonal), which leaves that theme's observed share uncorrected. The
    first ``K`` labels must be the true themes, in the same order.

    Examples
    --------
    >>> confusion_rates(np.array([[3, 1, 0], [0, 0, 0]])).tolist()
    [[0.75, 0.25, 0.0], [0.0, 1.0, 0.0]]
    """
    counts = np.asarray(counts, dtype=float)
    k = counts.shape[-2]
    totals = counts.sum(axis=-1, keepdims=True)
    own = np.zeros(counts.shape[-2:])
    own[np.arange(k), np.arange(k)] = 1.0
    return np.where(totals > 0, counts / np.where(totals > 0, totals, 1), own)


def project_simplex(v: np.ndarray) -> np.ndarray:
    """Euclidean projection of each row (last axis) onto the probability simplex.

    Examples
    --------
    >>> project_simplex(np.array([[0.5, 0.8, -0.1]])).round(3).tolist()
    [[0.35, 0.65, 0.0]]
    """
    u = -np.sort(-v, axis=-1)
    css = np.cumsum(u, axis=-1) - 1
    idx = np.arange(1, v.shape[-1] + 1)
    cond = u - css / idx > 0
    rho = cond.shape[-1] - 1 - np.argmax(cond[..., ::-1], axis=-1)
    theta = np.take_along_axis(css, rho[..., None], axis=-1) / (rho[..., None] + 1)
    return np.maximum(v - theta, 0.0)


def misclassification_corrected(observed: np.ndarray, rates: np.ndarray, *, n_iter: int = 100) -> np.ndarray:
    """True theme shares from observed label shares and the classifier's error rates ("matrix" correction).

    A classifier that assigns label ``j`` to a unit of true theme ``i`` with
    probability ``M[i, j]`` turns true shares ``p`` into expected label
    shares ``q = Mᵀ p``. Given ``q`` and ``M`` (measured against a reference
    coding), the corrected shares are the ``p`` on the simplex (non-negative,
    summing to 1) closest to solving it: ``argmin ‖Mᵀ p − q‖²``, found by
    accelerated projected gradient (FISTA) with a fixed number of steps, so
    the result is deterministic. Without the constraint the plain inverse
    gives negative shares whenever a theme is rare.

    Parameters
    ----------
    observed : ndarray, shape (..., J)
        Observed label shares (or counts: rows are normalised).
    rates : ndarray, shape (..., K, J)
        ``P(label j | true theme i)`` (:func:`confusion_rates`), broadcast
        against ``observed``.
    n_iter : int
        Gradient steps.

    Returns
    -------
    ndarray, shape (..., K)
        Corrected shares; NaN where ``observed`` is empty.

    Examples
    --------
    >>> M = np.array([[0.8, 0.2], [0.1, 0.9]])
    >>> truth = np.array([0.3, 0.7])
    >>> misclassification_corrected(truth @ M, M).round(4).tolist()
    [0.3, 0.7]
    """
    observed = np.asarray(observed, dtype=float)
    rates = np.asarray(rates, dtype=float)
    total = observed.sum(axis=-1, keepdims=True)
    q = observed / np.where(total > 0, total, 1)
    shape = np.broadcast_shapes(q.shape[:-1], rates.shape[:-2])
    q = np.broadcast_to(q, (*shape, q.shape[-1]))
    m = np.broadcast_to(rates, (*shape, *rates.shape[-2:]))
    k = m.shape[-2]
    gram = m @ np.swapaxes(m, -1, -2)  # (..., K, K) = M Mᵀ
    target = np.einsum("...kj,...j->...k", m, q)  # M q
    # step 1/L, L the largest eigenvalue of M Mᵀ (bounded by its largest row sum)
    lipschitz = np.abs(gram).sum(axis=-1).max(axis=-1, keepdims=True)
    step = 1.0 / np.where(lipschitz > 0, lipschitz, 1.0)
    p = np.full((*shape, k), 1.0 / k)
    y, t = p.copy(), 1.0
    for _ in range(n_iter):
        grad = np.einsum("...ij,...j->...i", gram, y) - target
        nxt = project_simplex(y - step * grad)
        t_next = (1 + np.sqrt(1 + 4 * t * t)) / 2
        y = nxt + ((t - 1) / t_next) * (nxt - p)
        p, t = nxt, t_next
    return np.where(total > 0, p, np.nan) if total.shape[:-1] == shape else p


def divide(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, num / np.where(den > 0, den, 1), np.nan)


def interval(boot: np.ndarray, ci: float, point: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Bootstrap interval over axis 0; NaN where every replicate is NaN.

    Without ``point``: the percentile interval. With ``point`` (the estimate,
    shaped like ``boot[0]``): the bias-corrected percentile interval (Efron's
    BC), for statistics such as entropy whose replicates are shifted away
    from the estimate; the quantiles move by ``2·z0`` where ``Φ(z0)`` is the
    fraction of replicates below the estimate. When the estimate lies at the
    edge of its replicates (entropy of a meeting spread evenly over its
    themes), BC puts both bounds on one side of it; the interval is then
    stretched to reach the estimate.
    """
    if not 0 < ci < 1:
        raise ValueError(f"ci must be between 0 and 1, not {ci}")
    alpha = (1 - ci) / 2
    empty = np.isnan(boot).all(axis=0)
    filled = np.where(np.isnan(boot), 0.0, boot)
    if point is None:
        low, high = np.quantile(filled, [alpha, 1 - alpha], axis=0)
    else:
        b = boot.shape[0]
        below = (filled < point).mean(axis=0) + 0.5 * (filled == point).mean(axis=0)
        z0 = special.ndtri(np.clip(below, 0.5 / b, 1 - 0.5 / b))
        ordered = np.sort(filled, axis=0)
        low, high = (quantile_at(ordered, special.ndtr(2 * z0 + special.ndtri(q))) for q in (alpha, 1 - alpha))
        # An estimate at the edge of its replicates (an even or a one-theme meeting) stays inside its interval.
        low, high = np.minimum(low, point), np.maximum(high, point)
    return np.where(empty, np.nan, low), np.where(empty, np.nan, high)


def quantile_at(ordered: np.ndarray, q: np.ndarray) -> np.ndarray:
    """Linear-interpolation quantile ``q`` (one per cell) of ``ordered`` (sorted along axis 0)."""
    pos = np.asarray(q) * (ordered.shape[0] - 1)
    lo = np.floor(pos).astype(int)
    hi = np.minimum(lo + 1, ordered.shape[0] - 1)
    a = np.take_along_axis(ordered, lo[None, ...], axis=0)[0]
    b = np.take_along_axis(ordered, hi[None, ...], axis=0)[0]
    return a + (pos - lo) * (b - a)



def fisher(n_a: float, total_a: int, n_b: float, total_b: int) -> float:
    """Two-sided Fisher exact p-value of ``n_a`` of ``total_a`` against ``n_b`` of ``total_b`` (counts rounded)."""
    a, b = round(float(n_a)), round(float(n_b))
    return float(stats.fisher_exact([[a, total_a - a], [b, total_b - b]]).pvalue)




def concentration_measures(sums: np.ndarray, n: np.ndarray, q: np.ndarray) -> dict[str, np.ndarray]:
    """Concentration of theme sums ``sums`` (..., K) over ``n`` observations each.

    ``q`` is the sum over the observations of ``|x_i|²`` (``x_i`` the
    observation's theme composition; 1 for a unit with one primary theme).
    ``entropy``: Shannon entropy of the shares with the Miller-Madow
    correction ``(m - 1) / 2n`` (``m`` themes present), over ``log K``.
    ``hhi``: plug-in ``sum(p²)``. ``hhi_corrected``:
    ``(|S|² - q) / (n (n - 1))``, the mean of ``x_i · x_j`` over pairs of
    different observations, which is unbiased and never negative; for
    one-hot units it is ``(n·HHI - 1) / (n - 1)``.
    """
    k = sums.shape[-1]
    with np.errstate(divide="ignore", invalid="ignore"):
        p = sums / np.where(n > 0, n, np.nan)[..., None]
        plogp = np.where(p > 0, p * np.log(np.where(p > 0, p, 1)), 0.0)
        present = (p > 1e-12).sum(axis=-1)
        miller_madow = np.where(n > 0, (present - 1) / (2 * np.where(n > 0, n, 1)), np.nan)
        entropy = (-plogp.sum(axis=-1) + miller_madow) / np.log(k) if k > 1 else np.zeros(p.shape[:-1])
        hhi = (p**2).sum(axis=-1)
        pairs = np.where(n > 1, n * (n - 1), np.nan)
        hhi_corrected = np.where(n > 1, ((sums**2).sum(axis=-1) - q) / pairs, np.nan)
    nan = np.isnan(p).any(axis=-1)
    return {
        "entropy": np.where(nan, np.nan, entropy),
        "hhi": np.where(nan, np.nan, hhi),
        "hhi_corrected": np.where(nan, np.nan, hhi_corrected),
    }

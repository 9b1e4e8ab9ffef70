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

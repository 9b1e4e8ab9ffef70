"""Agreement statistics for two codings of the same units, and intervals that resample paragraphs.

The reported values come from the reference implementations (scikit-learn's
``cohen_kappa_score``, the ``krippendorff`` package); the bootstrap needs
thousands of replicates, so it computes the same two coefficients from
weighted contingency tables, all replicates at once (:func:`_kappa_alpha`).
A test checks that both ways agree on the real codings.

Items of one paragraph share its lead-in and are read together, so they are
not independent: the bootstrap draws whole paragraphs (clusters) with
replacement, and each unit enters a replicate as many times as its paragraph.
"""

from __future__ import annotations

from collections.abc import Sequence

import krippendorff
import numpy as np
from sklearn.metrics import cohen_kappa_score

__all__ = ["agreement_interval", "cohen_kappa", "krippendorff_alpha"]


def cohen_kappa(first: Sequence[str], second: Sequence[str]) -> float:
    """Cohen's kappa of two codings of the same units (nominal).

    Examples
    --------
    >>> round(cohen_kappa(["a", "a", "b", "b"], ["a", "a", "b", "a"]), 3)
    0.5
    """
    if len(set(first) | set(second)) < 2:
        return float("nan")
    return float(cohen_kappa_score(list(first), list(second)))


def krippendorff_alpha(first: Sequence[str], second: Sequence[str]) -> float:
    """Krippendorff's alpha of two codings of the same units (nominal, no missing values).

    Examples
    --------
    >>> round(krippendorff_alpha(["a", "a", "b", "b"], ["a", "a", "b", "a"]), 3)
    0.533
    """
    labels = sorted(set(first) | set(second))
    if len(labels) < 2:
        return float("nan")
    code = {label: i for i, label in enumerate(labels)}
    data = np.array([[code[x] for x in first], [code[x] for x in second]], dtype=float)
    return float(krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"))


def _kappa_alpha(first: np.ndarray, second: np.ndarray, weights: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Kappa and alpha for each row of ``weights`` (replicates x units); codes are 0..k-1."""
    pair = np.zeros((first.size, k * k))
    pair[np.arange(first.size), first * k + second] = 1.0
    table = (weights @ pair).reshape(-1, k, k)  # replicate x first x second
    n = table.sum(axis=(1, 2))
    rows, cols = table.sum(axis=2), table.sum(axis=1)
    observed = np.trace(table, axis1=1, axis2=2) / n
    expected = (rows * cols).sum(axis=1) / n**2
    with np.errstate(divide="ignore", invalid="ignore"):
        kappa = (observed - expected) / (1 - expected)
        # alpha from the coincidence matrix (both orders of every pair): 2n values
        margins = rows + cols
        values = 2 * n
        disagree = values - 2 * np.trace(table, axis1=1, axis2=2)
        alpha = 1 - (values - 1) * disagree / (values**2 - (margins**2).sum(axis=1))
    return kappa, alpha


def agreement_interval(
    first: Sequence[str],
    second: Sequence[str],
    clusters: Sequence[str],
    *,
    n_boot: int = 2000,
    level: float = 0.95,
    seed: int = 20090414,
) -> dict[str, float]:
    """Percentile intervals of kappa and alpha from a bootstrap that draws whole clusters (paragraphs).

    Returns ``kappa_low``, ``kappa_high``, ``alpha_low``, ``alpha_high``;
    replicates where a coefficient is undefined (one category only) are left
    out of its interval.

    Examples
    --------
    >>> a = ["x", "x", "y", "y", "z", "z"] * 5
    >>> b = ["x", "x", "y", "z", "z", "z"] * 5
    >>> ci = agreement_interval(a, b, [str(i // 2) for i in range(30)], n_boot=200)
    >>> ci["kappa_low"] < cohen_kappa(a, b) < ci["kappa_high"]
    True
    """
    labels = sorted(set(first) | set(second))
    code = {label: i for i, label in enumerate(labels)}
    a = np.array([code[x] for x in first])
    b = np.array([code[x] for x in second])
    names, cluster = np.unique(np.asarray(clusters, dtype=str), return_inverse=True)
    rng = np.random.default_rng(seed)
    draws = rng.integers(0, len(names), size=(n_boot, len(names)))
    counts = np.zeros((n_boot, len(names)))
    np.add.at(counts, (np.arange(n_boot)[:, None], draws), 1.0)
    weights = counts[:, cluster]  # each unit weighs as often as its paragraph was drawn
    kappa, alpha = _kappa_alpha(a, b, weights, len(labels))
    tail = 100 * (1 - level) / 2
    out = {}
    for name, values in (("kappa", kappa), ("alpha", alpha)):
        values = values[np.isfinite(values)]
        low, high = np.percentile(values, [tail, 100 - tail]) if values.size else (np.nan, np.nan)
        out[f"{name}_low"], out[f"{name}_high"] = round(float(low), 6), round(float(high), 6)
    return out

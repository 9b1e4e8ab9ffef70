"""The misclassification correction and the multiple-comparison adjustment, on synthetic data where the truth is known."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis import trends
from analysis.trends._statistics import (
    bootstrap_multiplicities, confusion_rates, holm, misclassification_corrected, project_simplex,
)  # fmt: skip

TRUTH = np.array([0.50, 0.30, 0.15, 0.05])
# P(label | true theme): 4 themes and a fifth label, "no clear theme"
RATES = np.array([
    [0.70, 0.10, 0.05, 0.05, 0.10],
    [0.15, 0.65, 0.05, 0.05, 0.10],
    [0.05, 0.20, 0.60, 0.05, 0.10],
    [0.10, 0.05, 0.05, 0.70, 0.10],
])  # fmt: skip


def _sample(n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    true = rng.choice(len(TRUTH), size=n, p=TRUTH)
    label = np.array([rng.choice(RATES.shape[1], p=RATES[t]) for t in true])
    return true, label


def _counts(true: np.ndarray, label: np.ndarray, weights: np.ndarray | None = None) -> np.ndarray:
    table = np.zeros(RATES.shape)
    np.add.at(table, (true, label), 1.0 if weights is None else weights)
    return table


def test_the_correction_recovers_the_true_shares():
    rng = np.random.default_rng(7)
    true, label = _sample(20_000, rng)
    observed = np.bincount(label, minlength=RATES.shape[1])
    naive = observed[: len(TRUTH)] / observed.sum()
    assert np.abs(naive - TRUTH).max() > 0.08  # the raw labels are far off
    vtrue, vlabel = _sample(3_000, rng)  # a separate validation sample
    corrected = misclassification_corrected(observed, confusion_rates(_counts(vtrue, vlabel)))
    np.testing.assert_allclose(corrected, TRUTH, atol=0.04)  # the validation sample estimates the rates
    assert corrected.min() >= 0 and corrected.sum() == pytest.approx(1.0)
    # with the exact rates and the expected label shares, the answer is exact
    np.testing.assert_allclose(misclassification_corrected(TRUTH @ RATES, RATES), TRUTH, atol=1e-6)


def test_the_correction_stays_on_the_simplex_where_the_inverse_does_not():
    rates = RATES[:, :4] / RATES[:, :4].sum(axis=1, keepdims=True)
    observed = np.array([0.62, 0.22, 0.16, 0.0])  # a rare theme with no label at all
    inverse = np.linalg.solve(rates.T, observed)
    assert inverse.min() < 0
    corrected = misclassification_corrected(observed, rates)
    assert corrected.min() >= 0 and corrected.sum() == pytest.approx(1.0)


def test_resampling_the_validation_units_widens_the_interval():
    rng = np.random.default_rng(3)
    true, label = _sample(400, rng)
    vtrue, vlabel = _sample(150, rng)
    n_boot = 400
    obs_w = bootstrap_multiplicities([len(label)], n_boot=n_boot, seed=1)[0].astype(float)
    val_w = bootstrap_multiplicities([len(vlabel)], n_boot=n_boot, seed=2)[0].astype(float)
    observed = np.stack([np.bincount(label, weights=w, minlength=RATES.shape[1]) for w in obs_w])
    fixed = misclassification_corrected(observed, confusion_rates(_counts(vtrue, vlabel)))
    rates = confusion_rates(np.stack([_counts(vtrue, vlabel, w[np.arange(len(vlabel))]) for w in val_w]))
    both = misclassification_corrected(observed, rates)
    width = lambda b: np.quantile(b, 0.975, axis=0) - np.quantile(b, 0.025, axis=0)  # noqa: E731
    assert (width(both) > width(fixed)).sum() >= 3
    lo, hi = np.quantile(both, [0.025, 0.975], axis=0)
    assert ((lo - 0.02 <= TRUTH) & (TRUTH <= hi + 0.02)).all()


def test_projection_and_holm_against_direct_computations():
    v = np.random.default_rng(0).normal(size=(50, 6))
    proj = project_simplex(v)
    np.testing.assert_allclose(proj.sum(axis=1), 1.0)
    assert (proj >= 0).all()
    p = np.array([0.001, 0.02, 0.04, 0.3, 0.01])
    m, order = len(p), np.argsort(p)
    direct = np.empty(m)
    running = 0.0
    for i, j in enumerate(order):
        running = max(running, min(1.0, (m - i) * p[j]))
        direct[j] = running
    np.testing.assert_allclose(holm(p), direct)


def test_corrected_change_on_the_real_codebook_moves_towards_the_reference():
    from analysis.data import load_corpus

    corpus = load_corpus()
    corrected = trends.ThemeTrends.build(trends.read_assignments(), corpus, n_boot=200).corrected_change()
    for p in ("early", "late"):
        before = (corrected[f"observed_{p}"] - corrected[f"reference_{p}"]).abs().sum()
        after = (corrected[f"corrected_{p}"] - corrected[f"reference_{p}"]).abs().sum()
        assert after < before
        assert corrected[f"corrected_{p}"].sum() == pytest.approx(1.0, abs=1e-5)
        assert (corrected[f"low_{p}"] <= corrected[f"corrected_{p}"] + 1e-9).all()
    assert isinstance(corrected, pd.DataFrame)

"""Results that do not depend on floating-point noise.

Another BLAS kernel, thread count or CPU changes the last digits of every fit.
These tests add noise of that size (relative 1e-12) to the models' input and
require the same themes, top terms, assignments and diagnostics.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
from threadpoolctl import threadpool_limits

from analysis.themes.clustering import stable_kmeans
from analysis.data.corpus import load_recommendations
from analysis.themes.ranking import argmax_rows, at_least, ecdf_rows, order_desc, order_rows_desc
from analysis.themes import CodebookModel, TextFeatures, ThemeModel, compare_methods, select_n_themes


@pytest.fixture(scope="module")
def feats() -> TextFeatures:
    return TextFeatures.build(load_recommendations())


def _noisy(feats: TextFeatures, seed: int) -> TextFeatures:
    rng = np.random.default_rng(seed)
    smoothed = feats.smoothed * (1 + 1e-12 * rng.standard_normal(feats.smoothed.shape))
    return dataclasses.replace(feats, smoothed=smoothed)


def _discrete(model: ThemeModel | CodebookModel) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Everything a reader sees except weights (shown rounded), exactly."""
    a = model.assignments_[["rec_id", "theme_id", "theme", "secondary_theme_id"]]
    return model.themes_.drop(columns=["coherence"], errors="ignore"), a


def test_exact_ties_are_broken_by_position_whatever_the_noise():
    tied = np.array([0.3, 0.3, 0.3, 0.1])
    for noise in (np.zeros(4), np.array([1e-13, -1e-13, 0, 0]), np.array([-1e-13, 0, 1e-13, 0])):
        assert order_desc(tied + noise).tolist() == [0, 1, 2, 3]
        assert argmax_rows([tied + noise]).tolist() == [0]
        assert order_rows_desc([tied + noise]).tolist() == [[0, 1, 2, 3]]


def test_real_differences_are_kept():
    assert order_desc([0.300001, 0.3]).tolist() == [0, 1]
    assert order_desc([0.3, 0.300001]).tolist() == [1, 0]
    assert at_least([0.2499989], 0.25).tolist() == [False]


def test_ecdf_gives_tied_values_one_rank():
    values = np.array([[0.5, 0.5 + 1e-14, 0.1, 0.9]])
    assert ecdf_rows(values).tolist() == [[0.75, 0.75, 0.25, 1.0]]


def test_discovery_model_does_not_change_with_noise(feats: TextFeatures) -> None:
    base = ThemeModel(n_themes=15, random_state=0).fit(feats)
    for seed in (1, 2):
        noisy = ThemeModel(n_themes=15, random_state=0).fit(_noisy(feats, seed))
        for x, y in zip(_discrete(base), _discrete(noisy), strict=True):
            pd.testing.assert_frame_equal(x, y)
        assert noisy.top_term_indices_ == base.top_term_indices_
        np.testing.assert_allclose(noisy.doc_theme_, base.doc_theme_, atol=1e-9)


def test_codebook_model_does_not_change_with_noise(feats: TextFeatures) -> None:
    recs = load_recommendations()
    codebook_feats = CodebookModel().featurize(recs)
    base = CodebookModel().fit(codebook_feats)
    noisy = CodebookModel().fit(_noisy(codebook_feats, 3))
    for x, y in zip(_discrete(base), _discrete(noisy), strict=True):
        pd.testing.assert_frame_equal(x, y)
    np.testing.assert_allclose(noisy.proba_, base.proba_, atol=1e-8)


def test_k_selection_and_method_comparison_do_not_change_with_noise(feats: TextFeatures) -> None:
    ks, seeds = [8, 15], range(4)
    pd.testing.assert_frame_equal(select_n_themes(feats, ks, seeds), select_n_themes(_noisy(feats, 4), ks, seeds))
    pd.testing.assert_frame_equal(
        compare_methods(feats, 12, seeds=range(3)), compare_methods(_noisy(feats, 5), 12, seeds=range(3))
    )


def test_kmeans_partition_does_not_change_with_noise_or_threads(feats: TextFeatures) -> None:
    Z = feats.smoothed[:, :60]
    rng = np.random.default_rng(0)
    base = stable_kmeans(Z, 12, n_init=3, random_state=7)
    noisy = stable_kmeans(Z * (1 + 1e-12 * rng.standard_normal(Z.shape)), 12, n_init=3, random_state=7)
    with threadpool_limits(1):
        single = stable_kmeans(Z, 12, n_init=3, random_state=7)
    assert base.labels.tolist() == noisy.labels.tolist() == single.labels.tolist()
    assert base.inertia == pytest.approx(noisy.inertia, abs=1e-6)


def test_kmeans_finds_separated_clusters():
    rng = np.random.default_rng(1)
    X = np.vstack([rng.normal(c, 0.05, size=(20, 2)) for c in ((0, 0), (3, 0), (0, 3))])
    labels = stable_kmeans(X, 3, random_state=0).labels
    assert sorted(np.bincount(labels).tolist()) == [20, 20, 20]
    assert all(len(set(labels[i : i + 20])) == 1 for i in (0, 20, 40))

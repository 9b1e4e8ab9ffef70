"""The numbers the themes notebook states in its prose, checked against the computed results.

The notebook shows the diagnostics at their meaningful precision (two
decimals for a stability or agreement score); here each stated value is
checked at that precision, with the tolerance of its last shown digit.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.themes import (CodebookModel, TextFeatures, ThemeModel, agreement, choose_n_themes,
                             compare_methods, select_n_themes)


@pytest.fixture(scope="module")
def features(recs: pd.DataFrame) -> TextFeatures:
    return TextFeatures.build(recs)


@pytest.fixture(scope="module")
def diagnostics(features: TextFeatures) -> pd.DataFrame:
    return select_n_themes(features).set_index("k")


@pytest.fixture(scope="module")
def codebook_model(recs: pd.DataFrame) -> CodebookModel:
    return CodebookModel().fit(recs)


def test_the_rule_chooses_fifteen_themes(diagnostics: pd.DataFrame) -> None:
    assert choose_n_themes(diagnostics.reset_index()) == 15


def test_stability_as_described(diagnostics: pd.DataFrame) -> None:
    stability = diagnostics["stability"]
    # "above 0.85 for most k up to 15 (0.89 at 15, with a dip to 0.81 at 13)"
    assert stability[15] == pytest.approx(0.89, abs=0.005)
    assert stability[13] == pytest.approx(0.81, abs=0.005)
    assert stability.loc[:15].idxmin() == 13
    assert (stability.loc[:15] >= 0.85).sum() > len(stability.loc[:15]) / 2
    # "below it from 16 to 19 (0.75 to 0.80)"
    assert (stability.loc[16:19] < 0.85).all()
    assert stability.loc[16:19].min() == pytest.approx(0.75, abs=0.005)
    assert stability.loc[16:19].max() == pytest.approx(0.80, abs=0.005)
    # "the only larger k above 0.85, k = 20, fails the diversity bar"
    larger_stable = stability.loc[16:][stability.loc[16:] >= 0.85].index.tolist()
    assert larger_stable == [20]
    assert diagnostics.loc[20, "diversity"] < 0.75


def test_coherence_and_diversity_as_described(diagnostics: pd.DataFrame) -> None:
    coherence = diagnostics["coherence"]
    # "low and flat for 6 to 9 themes ... then fluctuates between 0.08 and 0.14"
    assert coherence.loc[:9].max() < coherence.loc[10:].min()
    assert coherence.loc[10:].min() == pytest.approx(0.08, abs=0.005)
    assert coherence.loc[10:].max() == pytest.approx(0.14, abs=0.005)
    # "diversity falls steadily with k"
    ks = diagnostics.index.to_numpy()
    assert np.corrcoef(ks, diagnostics["diversity"])[0, 1] < -0.95


def test_nmf_against_kmeans_as_described(features: TextFeatures, codebook_model: CodebookModel) -> None:
    table = compare_methods(features, 15, reference=codebook_model)
    # "a mean ARI of 0.34 across seeds against 0.88"
    assert table.loc["kmeans", "stability"] == pytest.approx(0.34, abs=0.005)
    assert table.loc["nmf", "stability"] == pytest.approx(0.88, abs=0.005)
    # "its top terms are less coherent (NPMI below zero), and it agrees less with the codebook"
    assert table.loc["kmeans", "coherence"] < 0 < table.loc["nmf", "coherence"]
    assert table.loc["kmeans", "ami_codebook"] < table.loc["nmf", "ami_codebook"]


def test_discovery_and_codebook_agreement_as_described(features: TextFeatures, codebook_model: CodebookModel) -> None:
    discovery = ThemeModel(n_themes=15, random_state=0).fit(features)
    # "The adjusted mutual information of the two assignments is 0.41" (0.46 before
    # the codebook model read lead-ins by their role: agenda and compilation items
    # now take proceso and datos, which discovery spreads over their subjects)
    assert agreement(discovery, codebook_model)["ami"] == pytest.approx(0.41, abs=0.005)

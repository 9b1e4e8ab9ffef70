"""The 2-D theme map: a recommendation with no analysable term stays on the map."""

from __future__ import annotations

import numpy as np
import pytest

from analysis.data.corpus import load_recommendations
from analysis.viz.themes import theme_map_coordinates
from analysis.themes import ThemeModel


@pytest.fixture(scope="module")
def model():
    return ThemeModel(random_state=0).fit(load_recommendations())


def test_empty_documents_sit_at_their_theme_centre_not_off_the_map(model):
    X = model.features_.smoothed
    dense = X.toarray() if hasattr(X, "toarray") else np.asarray(X)
    empty = np.flatnonzero(~np.any(dense != 0, axis=1))
    assert len(empty) >= 1  # 4.31 ("Grupo de Amigos Unidos contra la Trata de Personas") is all formula
    xy = theme_map_coordinates(model)
    spread = np.percentile(xy, 99, axis=0) - np.percentile(xy, 1, axis=0)
    for i in empty:
        theme = model.assignments_["theme"].iloc[i]
        same = (model.assignments_["theme"] == theme).to_numpy().copy()
        same[empty] = False
        assert np.allclose(xy[i], xy[same].mean(axis=0), atol=1e-2)
    # nothing lies far outside the bulk of the map
    centre = np.median(xy, axis=0)
    assert (np.abs(xy - centre) <= spread).all()


def test_map_is_reproducible(model):
    assert np.array_equal(theme_map_coordinates(model), theme_map_coordinates(model))

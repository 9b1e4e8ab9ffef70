"""Fixtures shared by several test folders."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.data import Corpus, load_corpus, load_recommendations


@pytest.fixture(scope="module")
def recs() -> pd.DataFrame:
    """The bundled recommendations (one row per unit), loaded once per test module."""
    return load_recommendations()


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    """The bundled corpus, parsed once per test module."""
    return load_corpus()

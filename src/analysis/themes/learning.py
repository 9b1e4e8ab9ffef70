"""How much a partial coding by an analyst helps the codebook model: the learning curve.

In the hybrid workflow an analyst codes a sample of units and
:class:`~analysis.themes.CodebookModel` codes the rest
(``CodebookModel().fit(recs, y=coded)``). :func:`learning_curve` measures,
against a complete reference coding, how the model's agreement on the units
the analyst did *not* code grows with the number of coded units.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
import pandas as pd

from analysis.coding.validation import validation_summary
from analysis.themes.codebook import CodebookModel
from analysis.themes.codebook_schema import CodebookWarning
from analysis.themes.features import Documents, TextFeatures

__all__ = ["LearningCurve", "learning_curve"]

#: The scores of each fit, on the units not coded.
SCORES: tuple[str, ...] = ("accuracy", "kappa", "macro_f1")


class LearningCurve(NamedTuple):
    """The result of :func:`learning_curve`: ``curve`` (one row per size and repeat) and ``summary`` (one per size)."""

    curve: pd.DataFrame
    summary: pd.DataFrame


def _reference_series(reference: pd.DataFrame | pd.Series) -> pd.Series:
    if isinstance(reference, pd.DataFrame):
        return reference.set_index("rec_id")["primary"].astype(str)
    return reference.astype(str)


def learning_curve(
    recommendations: Documents | TextFeatures,
    reference: pd.DataFrame | pd.Series,
    sizes: Sequence[int] = (0, 30, 60, 100, 150),
    *,
    n_repeats: int = 5,
    model: CodebookModel | None = None,
    random_state: int = 0,
) -> LearningCurve:
    """Agreement with ``reference`` on the units not coded, for ``sizes`` coded units drawn at random.

    For each size ``n`` and repeat, ``n`` units are drawn at random (simple
    random sample of units, without replacement, not of whole paragraphs),
    the model is fitted with their reference themes as the analyst's coding
    (``fit(features, y=...)``), and the themes it gives the *other* units are
    scored against the reference: accuracy, Cohen's kappa and macro F1 (as
    :func:`analysis.coding.validation_summary`; a unit flagged "Sin tema
    claro" counts as a disagreement). Size 0 is the model alone (the same
    for every repeat). The text features are built once and reused.

    Parameters
    ----------
    recommendations : DataFrame, list of str or TextFeatures
        What the model is fitted on (every unit of ``reference`` must be there).
    reference : DataFrame or Series
        The complete reference coding: a frame from
        :func:`analysis.coding.read_coding` or a Series ``rec_id -> theme id``.
    sizes : sequence of int
        Numbers of coded units; each must leave units to score.
    n_repeats : int, default 5
    model : CodebookModel, optional
        The model to fit (default ``CodebookModel()``); it is cloned for each fit.
    random_state : int, default 0

    Returns
    -------
    LearningCurve
        ``curve``: ``n_coded``, ``repeat``, ``n_scored``, ``accuracy``,
        ``kappa``, ``macro_f1``; ``summary``: per ``n_coded``, ``n_repeats`` and the mean,
        standard deviation, minimum and maximum of each score over the
        repeats (``accuracy_mean``, ``accuracy_sd``, ``accuracy_min``...).

    Examples
    --------
    >>> from analysis.coding import CODING_DIR, read_coding
    >>> from analysis.data.corpus import load_recommendations
    >>> lc = learning_curve(load_recommendations(), read_coding(CODING_DIR / "reference.csv"), sizes=(0, 60), n_repeats=2)
    >>> lc.curve.columns.tolist()
    ['n_coded', 'repeat', 'n_scored', 'accuracy', 'kappa', 'macro_f1']
    >>> lc.summary["n_coded"].tolist()
    [0, 60]
    """
    base = model if model is not None else CodebookModel()
    feats = recommendations if isinstance(recommendations, TextFeatures) else base.featurize(recommendations)
    ref = _reference_series(reference)
    missing = ref.index.difference(pd.Index(feats.ids))
    if len(missing):
        raise ValueError(f"reference: {len(missing)} unit(s) not among the recommendations, first {list(missing[:5])}")
    units = np.array(sorted(ref.index))
    too_big = [n for n in sizes if not 0 <= int(n) < len(units)]
    if too_big:
        raise ValueError(f"sizes {too_big}: each must be between 0 and {len(units) - 1} (the reference has {len(units)} units)")
    if n_repeats < 1:
        raise ValueError(f"n_repeats must be at least 1, not {n_repeats}")
    rng = np.random.default_rng(random_state)
    rows = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CodebookWarning)  # the codebook's warnings are the same at every fit
        zero = None
        for n in (int(x) for x in sizes):
            for repeat in range(n_repeats):
                if n == 0 and zero is not None:
                    rows.append({**zero, "repeat": repeat})
                    continue
                coded = rng.choice(units, size=n, replace=False) if n else np.array([], dtype=str)
                fitted = base.__class__(**base.get_params()).fit(feats, y=ref.loc[coded] if n else None)
                predicted = fitted.assignments_.set_index("rec_id")["theme_id"]
                held = ref.drop(index=coded)
                scores = validation_summary(predicted, held)
                row = {"n_coded": n, "repeat": repeat, "n_scored": len(held), **{k: scores[k] for k in SCORES}}
                rows.append(row)
                if n == 0:
                    zero = row
    curve = pd.DataFrame(rows, columns=["n_coded", "repeat", "n_scored", *SCORES])
    stats = curve.groupby("n_coded", sort=False)[list(SCORES)].agg(["mean", "std", "min", "max"])
    stats.columns = [f"{score}_{stat.replace('std', 'sd')}" for score, stat in stats.columns]
    stats.insert(0, "n_repeats", curve.groupby("n_coded", sort=False).size())
    summary = stats.fillna(0.0).round(6).reset_index()
    return LearningCurve(curve, summary)

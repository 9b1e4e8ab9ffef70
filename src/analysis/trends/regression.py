"""Each theme's prevalence regressed on time: a logistic regression per theme with paragraph-clustered errors.

The early-late comparison uses two periods and leaves meeting V (2013) out;
the regression uses every unit and every year. For each method and theme,
"the unit's primary theme is ``t``" is regressed on the meeting's year
(logit link), and the standard errors are cluster-robust by numbered
paragraph, since the lettered items of one paragraph share its lead-in and
are not independent. This is what ``estimateEffect`` of the R package
``stm`` reports for a topic's prevalence over time, with a binary outcome.

Reported per theme: the odds ratio per year with its CI, the average
marginal effect in percentage points per year (how much the theme's share
moves in one year, averaged over the units) with its CI, the Wald p-value
and its Holm adjustment across the method's themes
(:func:`analysis.trends._statistics.holm`); ``clear`` is an adjusted p-value
below ``1 - ci``. A theme that occurs in no unit, or in every unit, cannot
be fitted; it keeps its row with empty estimates and a ``note``. So does a
theme whose units all fall in the first or the last year (perfect
separation: the odds ratio is unbounded).

Fits run single-threaded (``threadpool_limits(1)``) and the outputs are
rounded to 6 decimals, so they do not change with the BLAS kernel.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from scipy import stats
from threadpoolctl import threadpool_limits

from analysis.data.corpus import Corpus
from analysis.trends._statistics import holm
from analysis.trends.inputs import check_assignments, primary_themes, theme_order, units_table

__all__ = ["REGRESSION_COLUMNS", "prevalence_regression", "regression_output"]

#: Columns of :func:`prevalence_regression`'s table (and of ``data/processed/theme_regression.csv``).
REGRESSION_COLUMNS: tuple[str, ...] = (
    "method", "theme_id", "theme", "theme_position", "n_units", "odds_ratio", "or_low", "or_high",
    "pp_per_year", "pp_low", "pp_high", "p_value", "p_adjusted", "clear", "note",
)  # fmt: skip


def _fit(y: np.ndarray, x: np.ndarray, groups: np.ndarray, z: float) -> dict[str, float] | str:
    """One logistic fit with paragraph-clustered errors; a string says why it could not be fitted."""
    # the model class alone: statsmodels.api would import every model (a second more)
    from statsmodels.discrete.discrete_model import Logit
    from statsmodels.tools.sm_exceptions import ConvergenceWarning, PerfectSeparationWarning

    if y.sum() == 0 or y.sum() == len(y):
        return "no variation: the theme is in no unit or in every unit"
    years = x + 0  # centred years
    if (years[y == 1].min() >= years.max()) or (years[y == 1].max() <= years.min()) or (
        years[y == 0].min() >= years.max() or years[y == 0].max() <= years.min()
    ):
        return "perfect separation: every unit of the theme is in the first or the last year"
    design = np.column_stack([np.ones_like(x), x])
    with warnings.catch_warnings():
        warnings.simplefilter("error", PerfectSeparationWarning)
        warnings.simplefilter("error", ConvergenceWarning)
        try:
            res = Logit(y, design).fit(disp=0, method="newton", maxiter=100, cov_type="cluster",
                                          cov_kwds={"groups": groups})  # fmt: skip
        except (PerfectSeparationWarning, ConvergenceWarning, np.linalg.LinAlgError) as err:
            return f"not fitted: {type(err).__name__}"
    beta, se = float(res.params[1]), float(res.bse[1])
    p = res.predict(design)
    # average marginal effect of one year on the probability, and its delta-method SE
    slope = p * (1 - p)
    ame = float(beta * slope.mean())
    grad = np.array([
        beta * (slope * (1 - 2 * p)).mean(),
        slope.mean() + beta * (slope * (1 - 2 * p) * x).mean(),
    ])  # fmt: skip
    ame_se = float(np.sqrt(grad @ np.asarray(res.cov_params()) @ grad))
    return {
        "odds_ratio": np.exp(beta), "or_low": np.exp(beta - z * se), "or_high": np.exp(beta + z * se),
        "pp_per_year": 100 * ame, "pp_low": 100 * (ame - z * ame_se), "pp_high": 100 * (ame + z * ame_se),
        "p_value": float(res.pvalues[1]),
    }  # fmt: skip


def prevalence_regression(
    assignments: pd.DataFrame, corpus: Corpus, *, methods: list[str] | None = None, ci: float = 0.95
) -> pd.DataFrame:
    """Logistic regression of "the unit has theme t" on the meeting's year, per method and theme.

    Parameters
    ----------
    assignments : DataFrame
        Long table of theme assignments (``recommendation_themes``); each
        unit's primary theme is used (:func:`analysis.trends.inputs.primary_themes`).
    corpus : Corpus
        Gives each unit its meeting's year and its paragraph (the cluster).
    methods : list of str, optional
        The methods fitted (default: all, in the table's order).
    ci : float
        Confidence level of the intervals; ``clear`` means a Holm-adjusted
        p-value below ``1 - ci``.

    Returns
    -------
    DataFrame
        :data:`REGRESSION_COLUMNS`, one row per method and theme in the
        method's theme order; numbers rounded to 6 decimals.

    Examples
    --------
    >>> from analysis.data.corpus import load_corpus
    >>> from analysis.trends import synthetic_assignments
    >>> corpus = load_corpus()
    >>> table = prevalence_regression(synthetic_assignments(corpus, n_themes=3, methods=["m"]), corpus)
    >>> table[["theme", "n_units"]].to_numpy().tolist()
    [['Theme 1', 97], ['Theme 2', 87], ['Theme 3', 104]]
    >>> bool(table["clear"].any())
    False
    """
    if not 0 < ci < 1:
        raise ValueError(f"ci must be between 0 and 1, not {ci}")
    z = float(stats.norm.ppf(1 - (1 - ci) / 2))
    assignments = check_assignments(assignments)
    units = units_table(corpus, attribute_proposed=False)
    years = corpus.recommendations.set_index(corpus.recommendations["rec_id"].astype(str))["year"].astype(int)
    units = units.assign(year=years.loc[units["rec_id"]].to_numpy())
    x = (units["year"] - units["year"].mean()).to_numpy(dtype=float)
    groups = pd.factorize(units["paragraph_id"])[0]
    primary = primary_themes(assignments)
    orders = theme_order(assignments)
    rows = []
    for method in methods or list(orders):
        if method not in orders:
            raise ValueError(f"no assignments for method {method!r}; the table has {sorted(orders)}")
        top = primary.loc[primary["method"] == method].set_index("rec_id").reindex(units["rec_id"])
        if top["theme"].isna().any():
            missing = units.loc[top["theme"].isna().to_numpy(), "rec_id"].tolist()
            raise ValueError(f"method {method!r}: units without a theme {missing[:5]}")
        ids = assignments.loc[assignments["method"] == method].drop_duplicates("theme").set_index("theme")["theme_id"]
        fits = []
        for position, theme in enumerate(orders[method]):
            y = (top["theme"] == theme).to_numpy(dtype=float)
            with threadpool_limits(1):
                fit = _fit(y, x, groups, z)
            row = {"method": method, "theme_id": str(ids[theme]), "theme": theme, "theme_position": position,
                   "n_units": int(y.sum())}  # fmt: skip
            row.update(fit if isinstance(fit, dict) else {"note": fit})
            fits.append(row)
        table = pd.DataFrame(fits).reindex(columns=list(REGRESSION_COLUMNS))
        table["p_adjusted"] = holm(table["p_value"].to_numpy(dtype=float))
        rows.append(table)
    out = pd.concat(rows, ignore_index=True)
    numbers = ["odds_ratio", "or_low", "or_high", "pp_per_year", "pp_low", "pp_high", "p_value", "p_adjusted"]
    out[numbers] = out[numbers].astype(float).round(6)
    out["clear"] = (out["p_adjusted"] < 1 - ci).fillna(False).astype(bool)
    out["note"] = out["note"].astype(object).where(out["note"].notna(), "").astype("string")
    return out.astype({"method": "string", "theme_id": "string", "theme": "string"})


def regression_output(regression: pd.DataFrame) -> pd.DataFrame:
    """The columns of ``data/processed/theme_regression.csv``: every column but ``clear``
    (which is ``p_adjusted < 0.05``, recomputed by the readers of the saved table).

    Examples
    --------
    >>> from analysis.data.schema import SCHEMAS
    >>> cols = [c for c in REGRESSION_COLUMNS if c != "clear"]
    >>> list(SCHEMAS["theme_regression"].columns) == cols
    True
    """
    return regression.loc[:, [c for c in REGRESSION_COLUMNS if c != "clear"]].reset_index(drop=True)

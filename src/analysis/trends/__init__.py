"""Stage 4, trends: how the themes' share of each meeting's recommendations changed, with bootstrap intervals.

- :mod:`~analysis.trends.inputs`: the themes step's assignments, theme order, meetings and units;
- :mod:`~analysis.trends.estimator`: :class:`ThemeTrends` (prevalence, early-late change with
  Holm-adjusted p-values, concentration, a model's shares corrected for its classification errors);
- :mod:`~analysis.trends._statistics`: the paragraph-resampling bootstrap, intervals, tests, Holm's
  adjustment and the misclassification correction (arrays in, arrays out);
- :mod:`~analysis.trends.regression`: each theme's prevalence regressed on the year (logistic,
  paragraph-clustered errors);
- :mod:`~analysis.trends.tables`: tables derived from the estimates (robustness, agreement);
- :mod:`~analysis.trends.report`: the findings as readable tables and sentences.

Charts of these tables are in :mod:`analysis.viz.trends`.
"""

from analysis.trends.estimator import ThemeTrends, theme_prevalence
from analysis.trends.inputs import LEVELS, read_assignments, synthetic_assignments, theme_order
from analysis.trends.regression import prevalence_regression
from analysis.trends.report import (
    change_sentences,
    change_table,
    clear_summary,
    concentration_sentences,
    finding_sentences,
    in_language,
    model_comparison,
    model_distance,
    regression_sentences,
    regression_table,
    robustness_sentences,
    robustness_summary,
    robustness_table,
)
from analysis.trends.tables import (
    changed_themes,
    level_robustness,
    reference_agreement,
    theme_by_meeting,
    theme_shares_table,
)

__all__ = [
    "LEVELS",
    "ThemeTrends",
    "change_sentences",
    "change_table",
    "changed_themes",
    "clear_summary",
    "concentration_sentences",
    "finding_sentences",
    "in_language",
    "level_robustness",
    "model_comparison",
    "model_distance",
    "prevalence_regression",
    "read_assignments",
    "reference_agreement",
    "regression_sentences",
    "regression_table",
    "robustness_sentences",
    "robustness_summary",
    "robustness_table",
    "synthetic_assignments",
    "theme_by_meeting",
    "theme_order",
    "theme_prevalence",
    "theme_shares_table",
]

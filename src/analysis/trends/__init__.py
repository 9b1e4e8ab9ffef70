"""Stage 4, trends: how the themes' share of each meeting's recommendations changed, with bootstrap intervals.

- :mod:`~analysis.trends.inputs`: the themes step's assignments, theme order, meetings and units;
- :mod:`~analysis.trends.estimator`: :class:`ThemeTrends` (prevalence, early-late change, concentration);
- :mod:`~analysis.trends._statistics`: the bootstrap, intervals and tests (arrays in, arrays out);
- :mod:`~analysis.trends.tables`: tables derived from the estimates (robustness, agreement);
- :mod:`~analysis.trends.report`: the findings as readable tables and sentences.

Charts of these tables are in :mod:`analysis.viz.trends`.
"""

from analysis.trends.estimator import ThemeTrends, theme_prevalence
from analysis.trends.inputs import LEVELS, read_assignments, synthetic_assignments, theme_order
from analysis.trends.report import (
    change_sentences,
    change_table,
    concentration_sentences,
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
    "concentration_sentences",
    "level_robustness",
    "read_assignments",
    "reference_agreement",
    "robustness_sentences",
    "robustness_summary",
    "robustness_table",
    "synthetic_assignments",
    "theme_by_meeting",
    "theme_order",
    "theme_prevalence",
    "theme_shares_table",
]

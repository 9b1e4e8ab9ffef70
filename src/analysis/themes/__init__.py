"""Themes of the recommendations: unsupervised discovery and a guided codebook.

Two models share one representation of the text (:class:`TextFeatures`):
TF-IDF on :class:`analysis.text.SpanishAnalyzer` terms, *smoothed* by term
co-occurrence so that two short recommendations that use related words (e.g.
"indemnización" and "restitución") are close even when they share none.

- :class:`ThemeModel` discovers ``n_themes`` themes without labels: NMF on the
  smoothed TF-IDF (default) or k-means on its LSA projection (alternative).
  Each theme gets FREX-weighted top terms, its most representative
  recommendations, a size and a readable name made of its two top terms.
- :class:`CodebookModel` assigns every recommendation a theme of the editable
  codebook (``data/codebook.toml``): seed terms label the clear cases, a
  logistic regression trained on those labels the rest, and a recommendation
  whose best theme is weak is flagged ("Sin tema claro"), not forced. It
  reads each paragraph's lead-in by its role (the codebook's ``[[lead_in]]``
  tables), can be fitted with a partial coding by an analyst (the hybrid
  workflow: the analyst codes a sample, the model the rest), and is saved
  and loaded with :meth:`CodebookModel.save` / :meth:`CodebookModel.load`.
- :func:`learning_curve` measures how the agreement with a reference coding
  on the units not coded grows with the number of units an analyst codes.

:func:`select_n_themes` computes the model-selection diagnostics over k
(NPMI coherence, topic diversity, stability across seeds) and
:func:`choose_n_themes` applies the documented rule; :func:`theme_tables` and
:func:`write_theme_tables` produce the tidy outputs.

Modules: :mod:`~analysis.themes.features` (the shared representation),
:mod:`~analysis.themes.discovery`, :mod:`~analysis.themes.codebook` (the model),
:mod:`~analysis.themes.codebook_schema` (the codebook file: its schema, its
validation, :class:`CodebookError`), :mod:`~analysis.themes.lead_ins` (the role
of a lead-in), :mod:`~analysis.themes.learning` (the learning curve),
:mod:`~analysis.themes.diagnostics`,
:mod:`~analysis.themes.selection`, :mod:`~analysis.themes.tables` (comparison and
outputs); :mod:`~analysis.themes.ranking` and :mod:`~analysis.themes.clustering`
make rankings and k-means independent of the BLAS kernel. Charts are in
:mod:`analysis.viz.themes`.
"""

from analysis.themes.codebook import UNASSIGNED, CodebookModel, ModelFileError
from analysis.themes.codebook_schema import CodebookError, CodebookWarning, load_codebook
from analysis.themes.discovery import ThemeModel
from analysis.themes.features import TextFeatures
from analysis.themes.learning import LearningCurve, learning_curve
from analysis.themes.selection import choose_n_themes, select_n_themes
from analysis.themes.tables import (
    agreement, compare_methods, contingency, representative_table, theme_matches, theme_tables, write_theme_tables,
)  # fmt: skip

__all__ = [
    "UNASSIGNED",
    "CodebookError",
    "CodebookModel",
    "CodebookWarning",
    "LearningCurve",
    "ModelFileError",
    "TextFeatures",
    "ThemeModel",
    "agreement",
    "choose_n_themes",
    "compare_methods",
    "contingency",
    "learning_curve",
    "load_codebook",
    "representative_table",
    "select_n_themes",
    "theme_matches",
    "theme_tables",
    "write_theme_tables",
]

"""Human coding: coders' files, their reliability, and automatic methods measured against the reference.

A *coding* gives every recommendation unit one primary theme of the codebook
(``data/codebook.toml``, which is also the coding manual) and up to two
secondary themes. ``data/coding/`` holds two independent readings and the
adjudicated reference built from them.

- :mod:`~analysis.coding.files`: read and write a coder's file, every problem
  named with file, line and field (:class:`CodingError`);
- :mod:`~analysis.coding._statistics`: Cohen's kappa, Krippendorff's alpha and
  intervals from a bootstrap that resamples paragraphs;
- :mod:`~analysis.coding.reliability`: how far two coders agree, overall and per theme;
- :mod:`~analysis.coding.validation`: a method's primary themes against the reference
  (accuracy, kappa, AMI, per-theme precision, recall and F1, confusion matrix, disagreements);
- :mod:`~analysis.coding.tables`: the validation tables of ``data/processed/``;
- :mod:`~analysis.coding.session`: coding the units one at a time, least certain first, every
  decision saved at once (:class:`CodingSession`);
- :mod:`~analysis.coding.widget`: the session in JupyterLab, driven from the keyboard
  (:class:`~analysis.coding.widget.CodingWidget`, imported from its module: it needs ipywidgets).
"""

from analysis.coding.files import CODING_DIR, CodingError, read_coding, write_coding
from analysis.coding.reliability import coder_agreement, reliability
from analysis.coding.session import CodingSession, model_suggestions
from analysis.coding.tables import validation_tables, write_validation_tables
from analysis.coding.validation import (
    confusion, disagreements, per_theme_scores, reliability_sentence, validation_sentences, validation_summary,
    validation_table,
)  # fmt: skip

__all__ = [
    "CODING_DIR",
    "CodingError",
    "CodingSession",
    "coder_agreement",
    "confusion",
    "disagreements",
    "model_suggestions",
    "per_theme_scores",
    "read_coding",
    "reliability",
    "reliability_sentence",
    "validation_sentences",
    "validation_summary",
    "validation_table",
    "validation_tables",
    "write_coding",
    "write_validation_tables",
]

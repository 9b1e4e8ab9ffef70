"""Stage 5, language: who is addressed and how firmly, references, recurrence.

- :mod:`~analysis.language.modality`: addressee and modality of each unit;
- :mod:`~analysis.language.references`: legal and cross references;
- :mod:`~analysis.language.recurrence`: recommendations repeated across meetings.
"""

from analysis.language.modality import classify_units, explain_units, firmness_by, rule_counts, shares_by
from analysis.language.recurrence import (
    chain_summary,
    choose_threshold,
    cross_meeting_pairs,
    find_chains,
    threshold_curve,
    unit_similarity,
)
from analysis.language.references import extract_references, offset_evidence, reiterations

__all__ = [
    "chain_summary",
    "choose_threshold",
    "classify_units",
    "cross_meeting_pairs",
    "explain_units",
    "extract_references",
    "find_chains",
    "firmness_by",
    "offset_evidence",
    "reiterations",
    "rule_counts",
    "shares_by",
    "threshold_curve",
    "unit_similarity",
]

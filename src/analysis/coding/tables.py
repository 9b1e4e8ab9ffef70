"""The validation tables of ``data/processed/``: how far the readers agree, and how far each method is from the reference.

Three tables, written through :func:`analysis.data.tables.write_table`
(schemas in :mod:`analysis.data.schema`):

- ``coding_reliability``: the two readings, overall and per theme (Cohen's
  kappa, Krippendorff's alpha, bootstrap intervals, units);
- ``theme_validation``: one row per method (accuracy, kappa, macro F1, AMI, purity, units);
- ``theme_validation_by_theme``: one row per method and theme (precision,
  recall, F1, support) for the methods that assign the codebook's themes.

Every number is rounded to four decimals, so the files are the same whatever
the CPU, BLAS kernel or thread count.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

import pandas as pd

from analysis.coding.reliability import reliability
from analysis.coding.validation import per_theme_scores, validation_table
from analysis.data.paths import PROCESSED_DIR
from analysis.data.tables import write_tables
from analysis.themes.ranking import quantize
from analysis.viz.labels import UNASSIGNED_ID, theme_label

__all__ = ["VALIDATION_TABLES", "validation_tables", "write_validation_tables"]

#: The tables written by :func:`write_validation_tables`.
VALIDATION_TABLES: Final = ("coding_reliability", "theme_validation", "theme_validation_by_theme")
#: Decimals kept in the saved tables.
DECIMALS: Final = 4


def _rounded(table: pd.DataFrame) -> pd.DataFrame:
    floats = table.select_dtypes("float").columns
    return table.assign(**{c: quantize(table[c].to_numpy(dtype=float), DECIMALS) for c in floats})


def validation_tables(
    recommendation_themes: pd.DataFrame,
    reference: pd.DataFrame,
    first: pd.DataFrame,
    second: pd.DataFrame,
    *,
    theme_ids: list[str] | None = None,
    n_boot: int = 2000,
) -> dict[str, pd.DataFrame]:
    """The three validation tables, by name (see the module's description).

    Parameters
    ----------
    recommendation_themes : DataFrame
        ``rec_id, method, theme_id``, one row per unit and method (the table
        ``recommendation_themes``); a method named ``reference`` is left out.
    reference, first, second : DataFrame
        The reference coding and the two readings, as
        :func:`analysis.coding.read_coding` gives them.
    theme_ids : list of str, optional
        The codebook's themes, in order (default: ``data/codebook.toml``'s).
    n_boot : int
        Bootstrap draws of the reliability intervals.

    Notes
    -----
    A method whose themes are all codebook themes (or "no clear theme") is
    scored unit by unit and theme by theme; the others (discovered themes)
    get AMI and purity only.

    Examples
    --------
    >>> from analysis.coding import CODING_DIR, read_coding
    >>> ref = read_coding(CODING_DIR / "reference.csv")
    >>> methods = pd.DataFrame({"rec_id": ref["rec_id"], "method": "copy", "theme_id": ref["primary"]})
    >>> tables = validation_tables(methods, ref, ref, ref, n_boot=50)
    >>> tables["theme_validation"][["method", "n", "accuracy", "kappa"]].to_dict("records")
    [{'method': 'copy', 'n': 288, 'accuracy': 1.0, 'kappa': 1.0}]
    """
    if theme_ids is None:
        from analysis.themes.codebook import load_codebook

        theme_ids = list(load_codebook().ids)
    names = {t: theme_label(t, "en") for t in [*theme_ids, UNASSIGNED_ID]}
    truth = reference.set_index("rec_id")["primary"]
    methods = {
        str(method): rows.set_index("rec_id")["theme_id"].astype(str)
        for method, rows in recommendation_themes.groupby("method", sort=False)
        if method != "reference"
    }
    known = {*theme_ids, UNASSIGNED_ID}
    same_labels = [m for m, themes in methods.items() if set(themes) <= known]
    by_theme = [
        per_theme_scores(methods[m], truth, theme_ids, names).assign(method=m) for m in same_labels
    ]
    by_theme_columns = ["method", "theme_id", "theme", "support", "predicted", "precision", "recall", "f1"]
    tables = {
        "coding_reliability": reliability(first, second, theme_ids=theme_ids, names=names, n_boot=n_boot),
        "theme_validation": validation_table(methods, truth, same_labels=same_labels),
        "theme_validation_by_theme": (pd.concat(by_theme, ignore_index=True)[by_theme_columns] if by_theme
                                      else pd.DataFrame(columns=by_theme_columns)),
    }  # fmt: skip
    return {name: _rounded(table) for name, table in tables.items()}


def write_validation_tables(
    recommendation_themes: pd.DataFrame,
    reference: pd.DataFrame,
    first: pd.DataFrame,
    second: pd.DataFrame,
    *,
    directory: Path | str = PROCESSED_DIR,
    theme_ids: list[str] | None = None,
    n_boot: int = 2000,
) -> list[Path]:
    """Write the three validation tables (CSV and Parquet) to ``directory``; return the paths.

    See :func:`validation_tables` for the arguments.
    """
    tables = validation_tables(recommendation_themes, reference, first, second, theme_ids=theme_ids, n_boot=n_boot)
    return write_tables(tables, Path(directory))

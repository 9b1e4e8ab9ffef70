"""Comparison of the two models and the tidy outputs: contingency, agreement, theme tables.
"""


from __future__ import annotations

import textwrap
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.metrics import adjusted_mutual_info_score, adjusted_rand_score

from analysis.data.paths import PROCESSED_DIR
from analysis.data.tables import write_tables
from analysis.themes.ranking import order_rows_desc
from analysis.themes.codebook import UNASSIGNED, CodebookModel
from analysis.themes.codebook_schema import Codebook, load_codebook
from analysis.themes.diagnostics import npmi_coherence, topic_diversity
from analysis.themes.discovery import ThemeModel
from analysis.themes.features import Documents, TextFeatures
from analysis.themes.selection import mean_pairwise_ari

__all__ = [
    "agreement",
    "compare_methods",
    "contingency",
    "reference_assignments",
    "representative_table",
    "theme_matches",
    "theme_tables",
    "write_theme_tables",
]


def contingency(discovery: ThemeModel, codebook: CodebookModel) -> pd.DataFrame:
    """Counts of recommendations by discovery theme (rows) and codebook theme
    (columns), both in their models' order."""
    a = discovery.assignments_.set_index("rec_id")["theme"]
    b = codebook.assignments_.set_index("rec_id")["theme"].reindex(a.index)
    table = pd.crosstab(a, b)
    rows = [t for t in discovery.themes_["theme"] if t in table.index]
    cols = [t for t in codebook.themes_["theme"] if t in table.columns]
    return table.loc[rows, cols]


def theme_matches(counts: pd.DataFrame) -> pd.DataFrame:
    """Where each row theme of a contingency table goes: its largest column and how much of it.

    Parameters
    ----------
    counts : pandas.DataFrame
        Counts of units by row theme and column theme, e.g. :func:`contingency`.

    Returns
    -------
    pandas.DataFrame
        One row per row theme with units, in the table's row order: ``theme``,
        ``units``, ``best_match`` (the column holding most of its units; ties go
        to the earlier column), ``in_best_match``, ``share`` (``in_best_match /
        units``) and ``columns_used`` (how many columns hold any of its units).

    Examples
    --------
    >>> counts = pd.DataFrame({"A": [3, 1], "B": [1, 1]}, index=["x", "y"])
    >>> theme_matches(counts)[["theme", "best_match", "in_best_match", "units"]].to_numpy().tolist()
    [['x', 'A', 3, 4], ['y', 'A', 1, 2]]
    """
    values = counts.to_numpy()
    units = values.sum(axis=1)
    keep = units > 0
    values, units = values[keep], units[keep]
    best = values.argmax(axis=1)  # first maximum: the earlier column wins a tie
    in_best = values[np.arange(len(values)), best]
    return pd.DataFrame({
        "theme": counts.index[keep].to_numpy(),
        "units": units.astype(int),
        "best_match": counts.columns.to_numpy()[best],
        "in_best_match": in_best.astype(int),
        "share": np.round(in_best / units, 4),
        "columns_used": (values > 0).sum(axis=1).astype(int),
    })


def agreement(discovery: ThemeModel, codebook: CodebookModel) -> dict[str, float]:
    """Adjusted mutual information and adjusted Rand index between the two
    assignments (flagged recommendations count as their own group)."""
    a = discovery.assignments_.set_index("rec_id")["theme_id"]
    b = codebook.assignments_.set_index("rec_id")["theme_id"].reindex(a.index)
    return {
        "ami": float(adjusted_mutual_info_score(a, b)),
        "ari": float(adjusted_rand_score(a, b)),
    }


def reference_assignments(coding: pd.DataFrame, codebook: Codebook | None = None) -> pd.DataFrame:
    """A coding made by reading (``data/coding/``) as rows of ``recommendation_themes``, method ``reference``.

    The coding's ``primary`` theme is the unit's theme (weight 1.0: a reader
    gives one primary theme, with no confidence); its first ``secondary``
    theme, if any, is ``secondary_theme``. Themes are named as the codebook
    model names them (the codebook's Spanish names), so the two methods share
    theme ids and names.

    Parameters
    ----------
    coding : DataFrame
        As read by :func:`analysis.coding.read_coding`: ``rec_id``,
        ``primary`` and ``secondary`` (a list of theme ids).
    codebook : Codebook, optional
        Where the names come from (default ``data/codebook.toml``).

    Examples
    --------
    >>> from analysis.coding import CODING_DIR, read_coding
    >>> rows = reference_assignments(read_coding(CODING_DIR / "reference.csv"))
    >>> rows.loc[rows["rec_id"] == "1.3", ["method", "theme_id", "weight", "secondary_theme"]].to_numpy().tolist()
    [['reference', 'proceso', 1.0, 'Ratificación, legislación y conceptos clave']]
    """
    missing = {"rec_id", "primary", "secondary"} - set(coding.columns)
    if missing:
        raise ValueError(f"the reference coding lacks the columns {sorted(missing)}")
    codebook = codebook or load_codebook()
    names = dict(zip(codebook.ids, codebook.names, strict=True))
    unknown = sorted(set(coding["primary"].astype(str)) - set(names))
    if unknown:
        raise ValueError(f"the reference coding uses theme ids that are not in the codebook: {unknown}")
    secondary = [next(iter(s), None) if isinstance(s, (list, tuple)) else None for s in coding["secondary"]]
    return pd.DataFrame({
        "rec_id": coding["rec_id"].astype(str).to_numpy(),
        "method": "reference",
        "theme_id": coding["primary"].astype(str).to_numpy(),
        "theme": coding["primary"].astype(str).map(names).to_numpy(),
        "weight": 1.0,
        "secondary_theme": [names.get(s, "") if s else "" for s in secondary],
    })  # fmt: skip


def theme_tables(
    *models: ThemeModel | CodebookModel, reference: pd.DataFrame | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The two tidy output tables for any number of fitted models, and the reference coding.

    Parameters
    ----------
    *models : ThemeModel or CodebookModel
        Fitted models.
    reference : DataFrame, optional
        A coding made by reading (:func:`analysis.coding.read_coding` of
        ``data/coding/reference.csv``), added as the method ``reference``
        (:func:`reference_assignments`); its themes in ``themes`` have no top
        terms and no representative units.

    Returns
    -------
    recommendation_themes : pandas.DataFrame
        Long format, one row per recommendation and method: ``rec_id``,
        ``method`` ("discovery", "codebook" or "reference"), ``theme_id``, ``theme``,
        ``weight`` (share of the primary theme, rounded to 4 decimals; 1 for
        the reference), ``secondary_theme`` (empty when none is substantial).
    themes : pandas.DataFrame
        ``method``, ``theme_id``, ``theme``, ``size``, ``top_terms`` and
        ``representative`` (``"; "``-joined).
    """
    recs, themes = [], []
    for model in models:
        method = "codebook" if isinstance(model, CodebookModel) else "discovery"
        a = model.assignments_
        recs.append(
            pd.DataFrame(
                {
                    "rec_id": a["rec_id"],
                    "method": method,
                    "theme_id": a["theme_id"],
                    "theme": a["theme"],
                    "weight": a["weight"].round(4),
                    "secondary_theme": a["secondary_theme"].fillna(""),
                }
            )
        )
        t = model.themes_
        themes.append(
            pd.DataFrame(
                {
                    "method": method,
                    "theme_id": t["theme_id"],
                    "theme": t["theme"],
                    "size": t["size"],
                    "top_terms": ["; ".join(x) for x in t["top_terms"]],
                    "representative": ["; ".join(x) for x in t["representative"]],
                }
            )
        )
    if reference is not None:
        rows = reference_assignments(reference)
        recs.append(rows)
        codebook = load_codebook()
        size = rows["theme_id"].value_counts()
        themes.append(pd.DataFrame({
            "method": "reference", "theme_id": codebook.ids, "theme": codebook.names,
            "size": [int(size.get(t, 0)) for t in codebook.ids], "top_terms": "", "representative": "",
        }))  # fmt: skip
    return (
        pd.concat(recs, ignore_index=True),
        pd.concat(themes, ignore_index=True),
    )


def write_theme_tables(
    *models: ThemeModel | CodebookModel, reference: pd.DataFrame | None = None, directory: str | Path = PROCESSED_DIR
) -> list[Path]:
    """Write the tables ``recommendation_themes`` and ``themes`` (CSV and Parquet,
    through :func:`analysis.data.tables.write_table`) and return their paths.

    ``reference`` (a coding made by reading) is written as the method ``reference``
    (:func:`theme_tables`).

    Rows of ``recommendation_themes`` are sorted by method, then by the
    recommendation's order in the corpus; ``themes`` by method, then theme
    order.
    """
    recs, themes = theme_tables(*models, reference=reference)
    order = {rid: i for i, rid in enumerate(dict.fromkeys(recs["rec_id"]))}
    recs = recs.assign(_o=recs["rec_id"].map(order)).sort_values(["method", "_o"], kind="stable").drop(columns="_o")
    themes = themes.sort_values("method", kind="stable")
    return write_tables({"recommendation_themes": recs, "themes": themes}, Path(directory))


def compare_methods(
    X: Documents | TextFeatures,
    n_themes: int,
    *,
    methods: Sequence[str] = ("nmf", "kmeans"),
    seeds: Iterable[int] = range(10),
    reference: CodebookModel | None = None,
    smoothing: float = 0.6,
) -> pd.DataFrame:
    """Discovery methods side by side at one k.

    Per method: ``coherence`` (mean NPMI of the FREX top terms shown to
    readers), ``diversity`` (unique share of the top 25 terms), ``stability``
    (mean pairwise ARI over ``seeds``), ``largest_share``, ``min_size`` and,
    with a fitted ``reference`` codebook model, ``ami_codebook`` (adjusted
    mutual information with its assignments).
    """
    seeds = list(seeds)
    feats = X if isinstance(X, TextFeatures) else TextFeatures.build(X, smoothing=smoothing)
    rows = []
    for method in methods:
        models = [ThemeModel(n_themes, method=method, random_state=s, smoothing=smoothing).fit(feats) for s in seeds]
        m = models[0]
        top25 = order_rows_desc(m.components_)[:, :25].tolist()
        row = {
            "method": method,
            "coherence": float(npmi_coherence(m.top_term_indices_, feats.binary).mean()),
            "diversity": topic_diversity(top25),
            "stability": mean_pairwise_ari([x.labels_ for x in models]),
            "largest_share": float(m.themes_["share"].max()),
            "min_size": int(m.themes_["size"].min()),
        }
        if reference is not None:
            row["ami_codebook"] = agreement(m, reference)["ami"]
        rows.append(row)
    return pd.DataFrame(rows).set_index("method")


def representative_table(
    model: ThemeModel | CodebookModel, recommendations: pd.DataFrame, *, width: int = 160
) -> pd.DataFrame:
    """The representative recommendations of each theme with their text
    (shortened to ``width`` characters), for reading."""
    text = recommendations.set_index(recommendations["rec_id"].astype(str))["text"]
    rows = [
        {"theme": name, "rec_id": rid, "text": textwrap.shorten(str(text.get(rid, "")), width, placeholder=" …")}
        for name, reps in zip(model.themes_["theme"], model.themes_["representative"], strict=True)
        if name != UNASSIGNED
        for rid in reps
    ]
    return pd.DataFrame(rows).set_index(["theme", "rec_id"])

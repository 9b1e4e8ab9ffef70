"""Comparison of the two models and the tidy outputs: contingency, agreement, theme tables.
"""


from __future__ import annotations

import textwrap
from collections.abc import Iterable, Sequence
from pathlib import Path

import pandas as pd
from sklearn.metrics import adjusted_mutual_info_score, adjusted_rand_score

from analysis.data.paths import PROCESSED_DIR
from analysis.data.tables import write_tables
from analysis.themes.ranking import order_rows_desc
from analysis.themes.codebook import UNASSIGNED, CodebookModel
from analysis.themes.diagnostics import npmi_coherence, topic_diversity
from analysis.themes.discovery import ThemeModel
from analysis.themes.features import Documents, TextFeatures
from analysis.themes.selection import mean_pairwise_ari

__all__ = [
    "agreement",
    "compare_methods",
    "contingency",
    "representative_table",
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


def agreement(discovery: ThemeModel, codebook: CodebookModel) -> dict[str, float]:
    """Adjusted mutual information and adjusted Rand index between the two
    assignments (flagged recommendations count as their own group)."""
    a = discovery.assignments_.set_index("rec_id")["theme_id"]
    b = codebook.assignments_.set_index("rec_id")["theme_id"].reindex(a.index)
    return {
        "ami": float(adjusted_mutual_info_score(a, b)),
        "ari": float(adjusted_rand_score(a, b)),
    }


def theme_tables(*models: ThemeModel | CodebookModel) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The two tidy output tables for any number of fitted models.

    Returns
    -------
    recommendation_themes : pandas.DataFrame
        Long format, one row per recommendation and method: ``rec_id``,
        ``method`` ("discovery" or "codebook"), ``theme_id``, ``theme``,
        ``weight`` (share of the primary theme, rounded to 4 decimals),
        ``secondary_theme`` (empty when none is substantial).
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
    return (
        pd.concat(recs, ignore_index=True),
        pd.concat(themes, ignore_index=True),
    )


def write_theme_tables(
    *models: ThemeModel | CodebookModel, directory: str | Path = PROCESSED_DIR
) -> list[Path]:
    """Write the tables ``recommendation_themes`` and ``themes`` (CSV and Parquet,
    through :func:`analysis.data.tables.write_table`) and return their paths.

    Rows of ``recommendation_themes`` are sorted by method, then by the
    recommendation's order in the corpus; ``themes`` by method, then theme
    order.
    """
    recs, themes = theme_tables(*models)
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

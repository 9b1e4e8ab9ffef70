"""Charts of the themes (plotly). One function per chart; each returns a
``go.Figure`` with a title, axis titles with units and hover text, ready for
:func:`analysis.viz.style.style_figure` and :func:`analysis.export.exporter.export`.

Colours come from :func:`analysis.viz.style.theme_colors` in the model's theme
order, so a theme keeps its colour in every chart of the same model. Chart
text is in English (``lang="en"``, the default) or Spanish (``lang="es"``);
theme names are the models' own (Spanish terms, codebook names).

Examples
--------
>>> from analysis.data.corpus import load_recommendations
>>> from analysis.themes import ThemeModel
>>> model = ThemeModel(n_themes=10).fit(load_recommendations())
>>> fig = plot_theme_sizes(model)
>>> fig.layout.xaxis.title.text
'Recommendations (count)'
>>> plot_theme_sizes(model, lang="es").layout.xaxis.title.text
'Recomendaciones (número)'
"""

from __future__ import annotations

import textwrap

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots
from sklearn.manifold import TSNE

from analysis._format import wrap
from analysis.viz.style import method_label, theme_colors
from analysis.themes import CodebookModel, ThemeModel, contingency

__all__ = [
    "plot_contingency",
    "plot_k_selection",
    "plot_theme_map",
    "plot_theme_similarity",
    "plot_theme_sizes",
    "plot_top_terms",
    "theme_map_coordinates",
]

Model = ThemeModel | CodebookModel

_TEXT: dict[str, dict[str, str]] = {
    "es": {
        "recs": "recomendaciones",
        "n_recs": "Recomendaciones (número)",
        "sizes": "Tamaño de los temas ({m})",
        "weight": "peso en el tema",
        "terms": "Términos distintivos de cada tema (FREX, {m})",
        "map": "Mapa de las recomendaciones por tema ({m})",
        "tsne1": "t-SNE 1 (sin unidad)",
        "tsne2": "t-SNE 2 (sin unidad)",
        "theme": "Tema",
        "similarity": "Similitud entre temas (coseno de sus vectores de términos)",
        "cosine": "coseno",
        "sim": "similitud",
        "coherence": "Coherencia (NPMI medio)",
        "diversity": "Diversidad (términos únicos)",
        "stability": "Estabilidad (ARI medio entre semillas)",
        "k": "Número de temas (k)",
        "npmi": "NPMI (−1 a 1)",
        "prop": "proporción (0 a 1)",
        "ari": "ARI (0 a 1)",
        "ksel": "Selección del número de temas (elegido: k = {k})",
        "ct": "Temas descubiertos frente al libro de códigos",
        "ct_x": "Tema del libro de códigos",
        "ct_y": "Tema descubierto",
    },
    "en": {
        "recs": "recommendations",
        "n_recs": "Recommendations (count)",
        "sizes": "Size of the themes ({m})",
        "weight": "weight in the theme",
        "terms": "Distinctive terms of each theme (FREX, {m})",
        "map": "Map of the recommendations by theme ({m})",
        "tsne1": "t-SNE 1 (no unit)",
        "tsne2": "t-SNE 2 (no unit)",
        "theme": "Theme",
        "similarity": "Similarity between themes (cosine of their term vectors)",
        "cosine": "cosine",
        "sim": "similarity",
        "coherence": "Coherence (mean NPMI)",
        "diversity": "Diversity (unique top terms)",
        "stability": "Stability (mean ARI across seeds)",
        "k": "Number of themes (k)",
        "npmi": "NPMI (−1 to 1)",
        "prop": "share (0 to 1)",
        "ari": "ARI (0 to 1)",
        "ksel": "Choosing the number of themes (chosen: k = {k})",
        "ct": "Discovered themes against the codebook",
        "ct_x": "Codebook theme",
        "ct_y": "Discovered theme",
    },
}


def _t(lang: str, key: str, **kw: object) -> str:
    if lang not in _TEXT:
        raise ValueError(f"lang must be one of {sorted(_TEXT)}, not {lang!r}")
    return _TEXT[lang][key].format(**kw)


def _colors(model: Model) -> dict[str, str]:
    return theme_colors(model.themes_["theme"].tolist())


def _method_label(model: Model, lang: str) -> str:
    if isinstance(model, CodebookModel):
        return method_label("codebook", lang)
    return method_label("kmeans" if model.method == "kmeans" else "discovery", lang)


def plot_theme_sizes(model: Model, *, title: str | None = None, lang: str = "en") -> go.Figure:
    """Horizontal bars: number of recommendations whose primary theme is each theme.

    Hover: size, share and the theme's top terms.
    """
    t = model.themes_
    colors = _colors(model)
    hover = [
        f"<b>{name}</b><br>{size} {_t(lang, 'recs')} ({share:.0%})<br>{', '.join(terms[:6])}"
        for name, size, share, terms in zip(t["theme"], t["size"], t["share"], t["top_terms"], strict=True)
    ]
    fig = go.Figure(
        go.Bar(
            x=t["size"],
            y=t["theme"],
            orientation="h",
            marker_color=[colors[n] for n in t["theme"]],
            text=t["size"],
            textposition="outside",
            hovertext=hover,
            hoverinfo="text",
        )
    )
    fig.update_layout(
        title=title or _t(lang, "sizes", m=_method_label(model, lang)),
        xaxis_title=_t(lang, "n_recs"),
        yaxis_title=None,
        yaxis_autorange="reversed",
        height=max(360, 28 * len(t) + 140),
        showlegend=False,
    )
    return fig


def plot_top_terms(
    model: Model, *, n_terms: int = 8, n_cols: int = 3, title: str | None = None, lang: str = "en"
) -> go.Figure:
    """Small multiples: the top terms of each theme (FREX order) and their
    weight in the theme's term vector."""
    t = model.themes_[model.themes_["top_terms"].map(len) > 0].reset_index(drop=True)
    feats = model.features_
    index = {feats.labels[term]: i for i, term in enumerate(feats.terms)}
    theme_pos = {name: i for i, name in enumerate(model.themes_["theme"])}
    colors = _colors(model)
    n_rows = int(np.ceil(len(t) / n_cols))
    fig = make_subplots(
        rows=n_rows,
        cols=n_cols,
        subplot_titles=[textwrap.shorten(n, 38, placeholder="…") for n in t["theme"]],
        horizontal_spacing=0.24,
        vertical_spacing=min(0.3 / n_rows * 2, 0.08),
    )
    for i, (name, terms) in enumerate(zip(t["theme"], t["top_terms"], strict=True)):
        terms = list(terms)[:n_terms]
        H = model.components_[theme_pos[name]]
        # three decimals, as shown: the digits beyond vary with the BLAS kernel
        weights = [round(float(H[index[w]]), 3) if w in index else 0.0 for w in terms]
        fig.add_trace(
            go.Bar(
                x=weights[::-1],
                y=terms[::-1],
                orientation="h",
                marker_color=colors[name],
                name=name,
                hovertemplate="%{y}: %{x:.3f}<extra>" + name + "</extra>",
                showlegend=False,
            ),
            row=i // n_cols + 1,
            col=i % n_cols + 1,
        )
    fig.update_xaxes(showticklabels=False)
    for c in range(1, n_cols + 1):
        fig.update_xaxes(title_text=_t(lang, "weight"), row=n_rows, col=c)
    fig.update_layout(
        title=title or _t(lang, "terms", m=_method_label(model, lang)),
        height=230 * n_rows + 120,
        showlegend=False,
    )
    fig.update_annotations(font_size=12)
    return fig


def theme_map_coordinates(model: Model, *, random_state: int = 0) -> np.ndarray:
    """2-D t-SNE (cosine distance) of the model's smoothed TF-IDF, rounded to
    3 decimals so that the output is reproducible to the digit.

    A recommendation with no analysable term (every word a stop word or
    boilerplate, e.g. 4.31 "sumarse al Grupo de Amigos Unidos contra la Trata
    de Personas") has no direction for cosine distance; it is left out of the
    t-SNE fit and placed at the centre of its primary theme, instead of far
    off the map where it would squash every other point.
    """
    X = model.features_.smoothed
    dense = X.toarray() if hasattr(X, "toarray") else np.asarray(X)
    empty = ~np.any(dense != 0, axis=1)
    keep = np.flatnonzero(~empty)
    tsne = TSNE(
        n_components=2,
        metric="cosine",
        init="pca",
        perplexity=min(30.0, (len(keep) - 1) / 3),
        random_state=random_state,
        max_iter=1000,
    )
    xy = np.zeros((len(dense), 2))
    xy[keep] = tsne.fit_transform(dense[keep])
    if empty.any():
        themes = model.assignments_["theme"].to_numpy()
        for i in np.flatnonzero(empty):
            same = keep[themes[keep] == themes[i]]
            xy[i] = xy[same].mean(axis=0) if len(same) else xy[keep].mean(axis=0)
    return np.round(xy, 3)


def plot_theme_map(
    model: Model,
    recommendations: pd.DataFrame | None = None,
    *,
    coords: np.ndarray | None = None,
    title: str | None = None,
    lang: str = "en",
) -> go.Figure:
    """A map of all recommendations (t-SNE), coloured by primary theme.

    Hover: rec_id, year, theme and weight, and the full text of the
    recommendation (from ``recommendations['text']`` when given, else the
    analysed text).
    """
    a = model.assignments_.reset_index(drop=True)
    xy = theme_map_coordinates(model) if coords is None else coords
    if recommendations is not None:
        r = recommendations.set_index(recommendations["rec_id"].astype(str))
        texts = r["text"].reindex(a["rec_id"]).fillna("").tolist()
        years = r["year"].reindex(a["rec_id"]).astype("string").fillna("").tolist() if "year" in r else [""] * len(a)
    else:
        texts, years = model.features_.docs, [""] * len(a)
    colors = _colors(model)
    fig = go.Figure()
    for name in model.themes_["theme"]:
        mask = (a["theme"] == name).to_numpy()
        if not mask.any():
            continue
        idx = np.flatnonzero(mask)
        hover = [
            f"<b>{a.at[i, 'rec_id']}</b> ({years[i]}) · {name} ({a.at[i, 'weight']:.0%})<br>{wrap(str(texts[i]), 80)}"
            for i in idx
        ]
        fig.add_trace(
            go.Scatter(
                x=xy[idx, 0],
                y=xy[idx, 1],
                mode="markers",
                name=textwrap.shorten(name, 45, placeholder="…"),
                marker=dict(color=colors[name], size=8, line=dict(width=0.5, color="white")),
                hovertext=hover,
                hoverinfo="text",
            )
        )
    fig.update_layout(
        title=title or _t(lang, "map", m=_method_label(model, lang)),
        xaxis=dict(title=_t(lang, "tsne1"), showticklabels=False, zeroline=False),
        yaxis=dict(title=_t(lang, "tsne2"), showticklabels=False, zeroline=False),
        legend_title_text=_t(lang, "theme"),
        height=650,
    )
    return fig


def plot_theme_similarity(model: ThemeModel, *, title: str | None = None, lang: str = "en") -> go.Figure:
    """Heatmap of the cosine similarity between the themes' term vectors."""
    sim = model.theme_similarity()
    labels = [textwrap.shorten(n, 40, placeholder="…") for n in sim.index]
    z = np.round(sim.to_numpy(), 3)
    np.fill_diagonal(z, np.nan)  # a theme is identical to itself: leave it blank
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=labels,
            y=labels,
            zmin=0,
            zmax=float(np.nanmax(z)) if np.isfinite(z).any() else 1.0,
            colorscale="Blues",
            colorbar=dict(title=_t(lang, "cosine")),
            hovertemplate="%{y}<br>%{x}<br>" + _t(lang, "sim") + ": %{z:.2f}<extra></extra>",
        )
    )
    fig.update_layout(
        title=title or _t(lang, "similarity"),
        # column labels on top: long rotated labels at the bottom would run
        # into the source note
        xaxis=dict(title=_t(lang, "theme"), tickangle=-45, side="top"),
        yaxis=dict(title=_t(lang, "theme"), autorange="reversed"),
        height=900,
        margin=dict(t=360),
    )
    return fig


def plot_k_selection(
    diagnostics: pd.DataFrame,
    chosen_k: int | None = None,
    *,
    min_stability: float = 0.85,
    title: str | None = None,
    lang: str = "en",
) -> go.Figure:
    """Three panels over k: NPMI coherence, topic diversity, stability (mean
    pairwise ARI across seeds), with the stability bar of the k rule
    (dotted), the 0.8 quality bar (dashed grey) and the chosen k (dashed)."""
    panels = [(key, _t(lang, key)) for key in ("coherence", "diversity", "stability")]
    fig = make_subplots(rows=1, cols=3, subplot_titles=[p[1] for p in panels], horizontal_spacing=0.08)
    for c, (col, label) in enumerate(panels, start=1):
        fig.add_trace(
            go.Scatter(
                x=diagnostics["k"],
                y=diagnostics[col].round(4),
                mode="lines+markers",
                name=label,
                line=dict(color="#0072B2"),
                hovertemplate="k = %{x}<br>" + label + ": %{y:.3f}<extra></extra>",
                showlegend=False,
            ),
            row=1,
            col=c,
        )
        fig.update_xaxes(title_text=_t(lang, "k"), row=1, col=c)
        if chosen_k is not None:
            fig.add_vline(x=chosen_k, line_dash="dash", line_color="#D55E00", row=1, col=c)
    fig.add_hline(y=min_stability, line_dash="dot", line_color="#555555", row=1, col=3)
    fig.add_hline(y=0.8, line_dash="dash", line_color="#999999", row=1, col=3)
    fig.update_yaxes(title_text=_t(lang, "npmi"), row=1, col=1)
    fig.update_yaxes(title_text=_t(lang, "prop"), row=1, col=2)
    fig.update_yaxes(title_text=_t(lang, "ari"), row=1, col=3)
    fig.update_layout(
        title=title or _t(lang, "ksel", k=chosen_k if chosen_k is not None else "?"),
        height=420,
    )
    fig.update_annotations(font_size=12)
    return fig


def plot_contingency(
    discovery: ThemeModel, codebook: CodebookModel, *, title: str | None = None, lang: str = "en"
) -> go.Figure:
    """Heatmap of recommendations by discovery theme (rows) and codebook theme (columns)."""
    table = contingency(discovery, codebook)
    fig = go.Figure(
        go.Heatmap(
            z=table.to_numpy(),
            x=[textwrap.shorten(c, 40, placeholder="…") for c in table.columns],
            y=[textwrap.shorten(r, 40, placeholder="…") for r in table.index],
            colorscale="Blues",
            text=np.where(table.to_numpy() > 0, table.to_numpy().astype(str), ""),
            texttemplate="%{text}",
            colorbar=dict(title=_t(lang, "recs")),
            hovertemplate=_t(lang, "ct_y")
            + ": %{y}<br>"
            + _t(lang, "ct_x")
            + ": %{x}<br>%{z} "
            + _t(lang, "recs")
            + "<extra></extra>",
        )
    )
    fig.update_layout(
        title=title or _t(lang, "ct"),
        xaxis=dict(title=_t(lang, "ct_x"), tickangle=-45, side="top"),
        yaxis=dict(title=_t(lang, "ct_y"), autorange="reversed"),
        height=950,
        margin=dict(t=360),
    )
    return fig

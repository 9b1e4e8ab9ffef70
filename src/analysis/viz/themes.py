"""Charts of the themes (plotly). One function per chart; each takes a fitted
model (or the diagnostics table) and returns a styled ``go.Figure``
(:func:`analysis.viz.style.style_figure`): title, subtitle with the unit of
count, caption, alt text, axis titles and hover text, all in ``lang``
(``"en"``, the default, or ``"es"``), ready for :func:`analysis.export.export`.

Theme names and colours come from :mod:`analysis.viz.labels`, keyed by
``theme_id``: codebook ``name``/``name_en`` and ``color``, the label table of
the discovered themes, so a theme has the same colour in every chart.

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

from analysis._format import escape_text, wrap
from analysis.viz.labels import theme_color, theme_label
from analysis.viz.style import chart_kind, format_number, format_percent, localized, method_label, style_figure
from analysis.themes import CodebookModel, ThemeModel, contingency

__all__ = [
    "learning_curve_chart",
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
        "sizes_sub": "Número de unidades de recomendación cuyo tema principal es cada tema",
        "sizes_cap": "Número de las {n} unidades de recomendación (2009-2018) cuyo tema principal es cada tema ({m}); "
                     "el mayor, «{big}», reúne {big_n}.",
        "sizes_alt": "{kind}: {k} temas ordenados por tamaño; el mayor es «{big}» con {big_n} unidades y el menor "
                     "«{small}» con {small_n}.",
        "weight": "peso en el tema",
        "terms": "Términos distintivos de cada tema (FREX, {m})",
        "terms_sub": "Peso de cada término en el vector de términos del tema (sin unidad); los términos son del texto español",
        "terms_cap": "Los {n} términos más distintivos (FREX) de cada uno de los {k} temas ({m}), con su peso en el tema.",
        "terms_alt": "{kind}: un panel por tema con sus {n} términos más distintivos; por ejemplo, «{first}»: {terms}.",
        "map": "Mapa de las recomendaciones por tema ({m})",
        "map_sub": "Cada punto es una unidad de recomendación (t-SNE de su TF-IDF; distancias sin unidad)",
        "map_cap": "Mapa t-SNE de las {n} unidades de recomendación, coloreadas por su tema principal ({m}): "
                   "las unidades cercanas usan palabras parecidas.",
        "map_alt": "{kind}: {n} puntos, uno por unidad de recomendación, coloreados por {k} temas; "
                   "el grupo mayor es «{big}» ({big_n} puntos).",
        "tsne1": "t-SNE 1 (sin unidad)",
        "tsne2": "t-SNE 2 (sin unidad)",
        "theme": "Tema",
        "similarity": "Similitud entre temas (coseno de sus vectores de términos)",
        "sim_sub": "Coseno entre los vectores de términos de cada par de temas (0 = nada en común; diagonal en blanco)",
        "sim_cap": "Similitud coseno entre los vectores de términos de los {k} temas descubiertos; el par más "
                   "parecido es «{a}» y «{b}» ({v}).",
        "sim_alt": "{kind} de {k} por {k} temas; el par más parecido es «{a}» y «{b}» con un coseno de {v}; "
                   "casi todos los demás pares están cerca de 0.",
        "cosine": "coseno",
        "sim": "similitud",
        "coherence": "Coherencia (NPMI medio)",
        "diversity": "Diversidad (términos únicos)",
        "stability": "Estabilidad (ARI medio entre semillas)",
        "k": "Número de temas (k)",
        "npmi": "NPMI (−1 a 1)",
        "prop": "proporción (0 a 1)",
        "ari": "ARI (0 a 1)",
        "lc": "Cuánto ayuda codificar una muestra: acuerdo del modelo con la codificación de referencia",
        "lc_sub": "Unidades que el modelo codifica (las no codificadas por el analista); media de {r} muestras al azar por tamaño",
        "lc_cap": "Acuerdo del modelo de libro de códigos con la codificación de referencia sobre las unidades que el "
                  "analista no codificó, según el número de unidades que codificó (muestras al azar de unidades); de "
                  "{a0} sin codificar a {a1} con {n1} unidades codificadas.",
        "lc_alt": "{kind}: acuerdo (%) frente al número de unidades codificadas, de 0 a {n1}; pasa de {a0} a {a1}{human}.",
        "lc_alt_human": "; el acuerdo entre los dos lectores es {h}",
        "lc_x": "Unidades codificadas por el analista (número)",
        "lc_y": "Acuerdo con la referencia (%)",
        "lc_mean": "Modelo (media)",
        "lc_band": "Mínimo a máximo de las muestras",
        "lc_human": "Acuerdo entre los dos lectores ({h})",
        "ksel": "Selección del número de temas (elegido: k = {k})",
        "ksel_sub": "Diagnósticos del modelo NMF para k = {lo} a {hi}; cada punto, la media de varias semillas",
        "ksel_rule": "umbral de la regla ({v})",
        "ksel_bar": "0,80: estable",
        "ksel_cap": "Coherencia, diversidad y estabilidad del descubrimiento de temas (NMF) para cada número de temas "
                    "k de {lo} a {hi}; la línea discontinua marca el k elegido ({k}), la punteada el umbral de estabilidad.",
        "ksel_alt": "{kind}: coherencia, diversidad y estabilidad frente a k de {lo} a {hi}; en el k elegido, {k}, "
                    "la estabilidad es {stab}.",
        "ct": "Temas descubiertos frente al libro de códigos",
        "ct_sub": "Número de unidades de recomendación por tema descubierto (filas) y tema del libro de códigos (columnas)",
        "ct_cap": "Cruce de las {n} unidades de recomendación por tema descubierto (NMF) y tema del libro de códigos; "
                  "la celda mayor es «{a}» con «{b}» ({v} unidades).",
        "ct_alt": "{kind}: temas descubiertos en filas, temas del libro de códigos en columnas; la celda mayor, "
                  "{v} unidades, cruza «{a}» con «{b}».",
        "ct_x": "Tema del libro de códigos",
        "ct_y": "Tema descubierto",
    },
    "en": {
        "recs": "recommendations",
        "n_recs": "Recommendations (count)",
        "sizes": "Size of the themes ({m})",
        "sizes_sub": "Number of recommendation units whose primary theme is each theme",
        "sizes_cap": "Number of the {n} recommendation units (2009-2018) whose primary theme is each theme ({m}); "
                     "the largest, “{big}”, holds {big_n}.",
        "sizes_alt": "{kind}: {k} themes ordered by size; the largest is “{big}” with {big_n} units and the smallest "
                     "“{small}” with {small_n}.",
        "weight": "weight in the theme",
        "terms": "Distinctive terms of each theme (FREX, {m})",
        "terms_sub": "Weight of each term in the theme's term vector (no unit); terms are from the Spanish text",
        "terms_cap": "The {n} most distinctive terms (FREX) of each of the {k} themes ({m}), with their weight in the "
                     "theme; the terms are Spanish, as in the source.",
        "terms_alt": "{kind}: one panel per theme with its {n} most distinctive terms; for example, “{first}”: {terms}.",
        "map": "Map of the recommendations by theme ({m})",
        "map_sub": "Each dot is one recommendation unit (t-SNE of its TF-IDF; distances have no unit)",
        "map_cap": "t-SNE map of the {n} recommendation units, coloured by primary theme ({m}): units close together "
                   "use similar words.",
        "map_alt": "{kind}: {n} dots, one per recommendation unit, coloured by {k} themes; the largest group is "
                   "“{big}” ({big_n} dots).",
        "tsne1": "t-SNE 1 (no unit)",
        "tsne2": "t-SNE 2 (no unit)",
        "theme": "Theme",
        "similarity": "Similarity between themes (cosine of their term vectors)",
        "sim_sub": "Cosine between the term vectors of each pair of themes (0 = nothing in common; diagonal blank)",
        "sim_cap": "Cosine similarity between the term vectors of the {k} discovered themes; the most similar pair is "
                   "“{a}” and “{b}” ({v}).",
        "sim_alt": "{kind} of {k} by {k} themes; the most similar pair is “{a}” and “{b}” with a cosine of {v}; "
                   "most other pairs are near 0.",
        "cosine": "cosine",
        "sim": "similarity",
        "coherence": "Coherence (mean NPMI)",
        "diversity": "Diversity (unique top terms)",
        "stability": "Stability (mean ARI across seeds)",
        "k": "Number of themes (k)",
        "npmi": "NPMI (−1 to 1)",
        "prop": "share (0 to 1)",
        "ari": "ARI (0 to 1)",
        "lc": "How much coding a sample helps: the model's agreement with the reference coding",
        "lc_sub": "Units the model codes (those the analyst did not code); mean of {r} random samples per size",
        "lc_cap": "Agreement of the codebook model with the reference coding on the units the analyst did not code, by "
                  "the number of units coded (random samples of units); from {a0} with none coded to {a1} with {n1}.",
        "lc_alt": "{kind}: agreement (%) against the number of coded units, from 0 to {n1}; it goes from {a0} to {a1}{human}.",
        "lc_alt_human": "; the two readers agree on {h}",
        "lc_x": "Units coded by the analyst (number)",
        "lc_y": "Agreement with the reference (%)",
        "lc_mean": "Model (mean)",
        "lc_band": "Minimum to maximum of the samples",
        "lc_human": "Agreement between the two readers ({h})",
        "ksel": "Choosing the number of themes (chosen: k = {k})",
        "ksel_sub": "Diagnostics of the NMF model for k = {lo} to {hi}; each point is the mean over several seeds",
        "ksel_rule": "threshold of the rule ({v})",
        "ksel_bar": "0.80: stable",
        "ksel_cap": "Coherence, diversity and stability of theme discovery (NMF) for each number of themes k from {lo} "
                    "to {hi}; the dashed line marks the chosen k ({k}), the dotted one the stability bar.",
        "ksel_alt": "{kind}: coherence, diversity and stability against k from {lo} to {hi}; at the chosen k, {k}, "
                    "stability is {stab}.",
        "ct": "Discovered themes against the codebook",
        "ct_sub": "Number of recommendation units by discovered theme (rows) and codebook theme (columns)",
        "ct_cap": "Cross-tabulation of the {n} recommendation units by discovered theme (NMF) and codebook theme; the "
                  "largest cell is “{a}” with “{b}” ({v} units).",
        "ct_alt": "{kind}: discovered themes in rows, codebook themes in columns; the largest cell, {v} units, "
                  "crosses “{a}” with “{b}”.",
        "ct_x": "Codebook theme",
        "ct_y": "Discovered theme",
    },
}


def _t(lang: str, key: str, **kw: object) -> str:
    return localized(_TEXT, lang, key, **kw)


def _labels(model: Model, lang: str) -> dict[str, str]:
    """Spanish model name -> the theme's name in ``lang``."""
    t = model.themes_
    return {str(n): theme_label(str(i), lang, fallback=str(n)) for i, n in zip(t["theme_id"], t["theme"], strict=True)}


def _colors(model: Model) -> dict[str, str]:
    """Spanish model name -> the theme's colour (keyed by its id)."""
    t = model.themes_
    return {str(n): theme_color(str(i)) for i, n in zip(t["theme_id"], t["theme"], strict=True)}


def _method_label(model: Model, lang: str) -> str:
    if isinstance(model, CodebookModel):
        return method_label("codebook", lang)
    return method_label("kmeans" if model.method == "kmeans" else "discovery", lang)


#: Room (px) above a grid of panels for the first row's panel titles.
PANEL_TITLE_SPACE = 34


def _top_labels_space(labels: list[str]) -> int:
    """Room (px) above a heatmap for its column labels, rotated 45 degrees, and the axis title."""
    longest = max((len(label) for label in labels), default=0)
    return int(longest * 6.2 * 0.71) + 36  # ~6.2 px a character at 12 px, sin 45°; axis title and ticks


def plot_theme_sizes(model: Model, *, title: str | None = None, lang: str = "en") -> go.Figure:
    """Horizontal bars: number of recommendations whose primary theme is each theme.

    Hover: size, share and the theme's top terms.
    """
    t = model.themes_
    colors, names = _colors(model), _labels(model, lang)
    labels = [names[str(n)] for n in t["theme"]]
    hover = [
        f"<b>{names[str(name)]}</b><br>{format_number(size, lang)} {_t(lang, 'recs')} "
        f"({format_percent(share, lang, decimals=0)})<br>{', '.join(terms[:6])}"
        for name, size, share, terms in zip(t["theme"], t["size"], t["share"], t["top_terms"], strict=True)
    ]
    fig = go.Figure(
        go.Bar(
            x=t["size"],
            y=labels,
            orientation="h",
            marker_color=[colors[str(n)] for n in t["theme"]],
            text=t["size"],
            textposition="outside",
            hovertext=hover,
            hoverinfo="text",
        )
    )
    fig.update_layout(xaxis_title=_t(lang, "n_recs"), yaxis_title=None, yaxis_autorange="reversed", showlegend=False)
    m = _method_label(model, lang)
    ranked = t.sort_values("size", ascending=False, kind="stable")
    big, small = ranked.iloc[0], ranked.iloc[-1]
    kw = dict(big=names[str(big["theme"])], big_n=int(big["size"]), small=names[str(small["theme"])],
              small_n=int(small["size"]), k=len(t), n=int(t["size"].sum()), m=m)  # fmt: skip
    return style_figure(
        fig, lang=lang, title=title or _t(lang, "sizes", m=m), subtitle=_t(lang, "sizes_sub"),
        caption=_t(lang, "sizes_cap", **kw), alt_text=_t(lang, "sizes_alt", kind=chart_kind("hbars", lang), **kw),
        height=max(360, 28 * len(t) + 200),
    )  # fmt: skip


def plot_top_terms(
    model: Model, *, n_terms: int = 8, n_cols: int = 3, title: str | None = None, lang: str = "en"
) -> go.Figure:
    """Small multiples: the top terms of each theme (FREX order) and their
    weight in the theme's term vector."""
    t = model.themes_[model.themes_["top_terms"].map(len) > 0].reset_index(drop=True)
    feats = model.features_
    index = {feats.labels[term]: i for i, term in enumerate(feats.terms)}
    theme_pos = {name: i for i, name in enumerate(model.themes_["theme"])}
    colors, names = _colors(model), _labels(model, lang)
    n_rows = int(np.ceil(len(t) / n_cols))
    fig = make_subplots(
        rows=n_rows,
        cols=n_cols,
        # whole names on short lines: a cut name is not readable, a long line overflows the narrow panel
        subplot_titles=[wrap(names[str(n)], 24, whole_words=True) for n in t["theme"]],
        horizontal_spacing=0.24,
        vertical_spacing=min(0.3 / n_rows * 2, 0.08),
    )
    for i, (name, terms) in enumerate(zip(t["theme"], t["top_terms"], strict=True)):
        terms = list(terms)[:n_terms]
        H = model.components_[theme_pos[name]]
        # three decimals, as shown: the digits beyond vary with the BLAS kernel
        weights = [round(float(H[index[w]]), 3) if w in index else 0.0 for w in terms]
        # the FREX top terms, drawn heaviest first (ties keep their FREX order)
        order = sorted(range(len(terms)), key=lambda j: -weights[j])
        terms, weights = [terms[j] for j in order], [weights[j] for j in order]
        fig.add_trace(
            go.Bar(
                x=weights[::-1],
                y=terms[::-1],
                orientation="h",
                marker_color=colors[str(name)],
                name=names[str(name)],
                hovertemplate="%{y}: %{x:.3f}<extra>" + names[str(name)] + "</extra>",
                showlegend=False,
            ),
            row=i // n_cols + 1,
            col=i % n_cols + 1,
        )
    fig.update_xaxes(nticks=3, tickformat=".2f")
    for c in range(1, n_cols + 1):
        fig.update_xaxes(title_text=_t(lang, "weight"), row=n_rows, col=c)
    fig.update_layout(showlegend=False)
    fig.update_annotations(font_size=12)
    m = _method_label(model, lang)
    first = t.iloc[0]
    kw = dict(n=n_terms, k=len(t), m=m, first=names[str(first["theme"])], terms=", ".join(list(first["top_terms"])[:4]))
    return style_figure(
        fig, lang=lang, title=title or _t(lang, "terms", m=m), subtitle=_t(lang, "terms_sub"),
        caption=_t(lang, "terms_cap", **kw), alt_text=_t(lang, "terms_alt", kind=chart_kind("small_bars", lang), **kw),
        height=230 * n_rows + 200, top_space=PANEL_TITLE_SPACE,
    )  # fmt: skip


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
    colors, names = _colors(model), _labels(model, lang)
    fig = go.Figure()
    for name in model.themes_["theme"]:
        mask = (a["theme"] == name).to_numpy()
        if not mask.any():
            continue
        idx = np.flatnonzero(mask)
        label = names[str(name)]
        hover = [
            f"<b>{a.at[i, 'rec_id']}</b> ({years[i]}) · {escape_text(label)} "
            f"({format_percent(a.at[i, 'weight'], lang, decimals=0)})<br>{wrap(escape_text(texts[i]), 80)}"
            for i in idx
        ]
        fig.add_trace(
            go.Scatter(
                x=xy[idx, 0],
                y=xy[idx, 1],
                mode="markers",
                name=textwrap.shorten(label, 45, placeholder="…"),
                marker=dict(color=colors[str(name)], size=8, line=dict(width=0.5, color="white")),
                hovertext=hover,
                hoverinfo="text",
            )
        )
    fig.update_layout(
        xaxis=dict(title=_t(lang, "tsne1"), showticklabels=False, zeroline=False),
        yaxis=dict(title=_t(lang, "tsne2"), showticklabels=False, zeroline=False),
        legend_title_text=_t(lang, "theme"),
    )
    m = _method_label(model, lang)
    counts = a["theme"].value_counts(sort=True)
    kw = dict(n=len(a), k=int(a["theme"].nunique()), m=m, big=names[str(counts.index[0])], big_n=int(counts.iloc[0]))
    return style_figure(
        fig, lang=lang, title=title or _t(lang, "map", m=m), subtitle=_t(lang, "map_sub"),
        caption=_t(lang, "map_cap", **kw), alt_text=_t(lang, "map_alt", kind=chart_kind("scatter_map", lang), **kw),
        width=1000, height=680,
    )  # fmt: skip


def plot_theme_similarity(model: ThemeModel, *, title: str | None = None, lang: str = "en") -> go.Figure:
    """Heatmap of the cosine similarity between the themes' term vectors."""
    sim = model.theme_similarity()
    names = _labels(model, lang)
    full = [names.get(str(n), str(n)) for n in sim.index]
    labels = [textwrap.shorten(n, 40, placeholder="…") for n in full]
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
        # column labels on top: long rotated labels at the bottom would run
        # into the source note
        xaxis=dict(title=_t(lang, "theme"), tickangle=-45, side="top"),
        yaxis=dict(title=_t(lang, "theme"), autorange="reversed"),
    )
    filled = np.where(np.isfinite(z), z, -1.0)
    i, j = np.unravel_index(int(np.argmax(filled)), filled.shape)
    kw = dict(k=len(full), a=full[i], b=full[j], v=format_number(float(z[i, j]), lang, decimals=2))
    return style_figure(
        fig, lang=lang, title=title or _t(lang, "similarity"), subtitle=_t(lang, "sim_sub"),
        caption=_t(lang, "sim_cap", **kw), alt_text=_t(lang, "sim_alt", kind=chart_kind("heatmap", lang), **kw),
        width=1000, height=560 + 24 * len(labels) + _top_labels_space(labels) // 2,
        top_space=_top_labels_space(labels),
    )  # fmt: skip


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
            label = {"annotation_text": f"k = {chosen_k}", "annotation_font_size": 10,
                     "annotation_font_color": "#D55E00", "annotation_position": "top right"} if c == 1 else {}
            fig.add_vline(x=chosen_k, line_dash="dash", line_color="#D55E00", row=1, col=c, **label)
    fig.add_hline(y=min_stability, line_dash="dot", line_color="#555555", row=1, col=3,
                  annotation_text=_t(lang, "ksel_rule", v=format_number(min_stability, lang, decimals=2)),
                  annotation_position="top right", annotation_font_size=10)
    fig.add_hline(y=0.8, line_dash="dash", line_color="#999999", row=1, col=3,
                  annotation_text=_t(lang, "ksel_bar"), annotation_position="bottom left", annotation_font_size=10)
    fig.update_yaxes(title_text=_t(lang, "npmi"), row=1, col=1)
    fig.update_yaxes(title_text=_t(lang, "prop"), row=1, col=2)
    fig.update_yaxes(title_text=_t(lang, "ari"), row=1, col=3)
    fig.update_annotations(font_size=12)
    lo, hi = int(diagnostics["k"].min()), int(diagnostics["k"].max())
    at = diagnostics.loc[diagnostics["k"] == chosen_k, "stability"]
    stab = format_number(float(at.iloc[0]), lang, decimals=2) if len(at) else "–"
    kw = dict(lo=lo, hi=hi, k=chosen_k if chosen_k is not None else "?", stab=stab)
    return style_figure(
        fig, lang=lang, title=title or _t(lang, "ksel", **kw), subtitle=_t(lang, "ksel_sub", **kw),
        caption=_t(lang, "ksel_cap", **kw), alt_text=_t(lang, "ksel_alt", kind=chart_kind("panels", lang), **kw),
        width=1000, height=460, top_space=PANEL_TITLE_SPACE,
    )  # fmt: skip


def learning_curve_chart(
    summary: pd.DataFrame,
    *,
    human_agreement: float | None = None,
    score: str = "accuracy",
    title: str | None = None,
    lang: str = "en",
) -> go.Figure:
    """The learning curve of the hybrid workflow: agreement with the reference by number of coded units.

    Parameters
    ----------
    summary : DataFrame
        ``analysis.themes.learning_curve(...).summary``: one row per
        ``n_coded`` with ``n_repeats``, ``<score>_mean``, ``<score>_min``, ``<score>_max``.
    human_agreement : float, optional
        Share of units the two readers coded alike (the overall row of
        :func:`analysis.coding.reliability`), drawn as a dashed reference line.
    score : str, default "accuracy"
        The score shown (a share between 0 and 1).
    """
    data = summary.sort_values("n_coded")
    x = data["n_coded"].astype(int).tolist()
    mean, low, high = (data[f"{score}_{s}"].astype(float) * 100 for s in ("mean", "min", "max"))
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=x + x[::-1], y=[*high.round(2), *low.round(2)[::-1]], fill="toself", mode="lines",
                             fillcolor="rgba(0,114,178,0.18)", line=dict(width=0), hoverinfo="skip",
                             name=_t(lang, "lc_band")))
    fig.add_trace(go.Scatter(x=x, y=mean.round(2), mode="lines+markers", line=dict(color="#0072B2"),
                             name=_t(lang, "lc_mean"),
                             hovertemplate=_t(lang, "lc_x") + ": %{x}<br>" + _t(lang, "lc_y") + ": %{y:.1f}<extra></extra>"))
    human = ""
    if human_agreement is not None:
        h = format_percent(human_agreement, lang)
        human = _t(lang, "lc_alt_human", h=h)
        fig.add_hline(y=round(human_agreement * 100, 2), line_dash="dash", line_color="#D55E00",
                      annotation_text=_t(lang, "lc_human", h=h), annotation_position="bottom right",
                      annotation_font_size=11)
    fig.update_xaxes(title_text=_t(lang, "lc_x"))
    fig.update_yaxes(title_text=_t(lang, "lc_y"))
    reps = int(data["n_repeats"].max())
    kw = dict(a0=format_percent(mean.iloc[0] / 100, lang), a1=format_percent(mean.iloc[-1] / 100, lang), n1=x[-1], r=reps)
    return style_figure(
        fig, lang=lang, title=title or _t(lang, "lc"), subtitle=_t(lang, "lc_sub", **kw), caption=_t(lang, "lc_cap", **kw),
        alt_text=_t(lang, "lc_alt", kind=chart_kind("lines", lang), human=human, **kw), height=460,
    )


def plot_contingency(
    discovery: ThemeModel, codebook: CodebookModel, *, title: str | None = None, lang: str = "en"
) -> go.Figure:
    """Heatmap of recommendations by discovery theme (rows) and codebook theme (columns)."""
    table = contingency(discovery, codebook)
    rows_full = [_labels(discovery, lang).get(str(r), str(r)) for r in table.index]
    cols_full = [_labels(codebook, lang).get(str(c), str(c)) for c in table.columns]
    recs = _t(lang, "recs")
    cols = [textwrap.shorten(c, 40, placeholder="…") for c in cols_full]
    fig = go.Figure(
        go.Heatmap(
            z=table.to_numpy(),
            x=cols,
            y=[textwrap.shorten(r, 40, placeholder="…") for r in rows_full],
            colorscale="Blues",
            text=np.where(table.to_numpy() > 0, table.to_numpy().astype(str), ""),
            texttemplate="%{text}",
            colorbar=dict(title=recs),
            hovertemplate=_t(lang, "ct_y") + ": %{y}<br>" + _t(lang, "ct_x") + ": %{x}<br>%{z} " + recs
            + "<extra></extra>",
        )
    )
    fig.update_layout(
        xaxis=dict(title=_t(lang, "ct_x"), tickangle=-45, side="top"),
        yaxis=dict(title=_t(lang, "ct_y"), autorange="reversed"),
    )
    values = table.to_numpy()
    i, j = np.unravel_index(int(np.argmax(values)), values.shape)
    kw = dict(n=int(values.sum()), a=rows_full[i], b=cols_full[j], v=int(values[i, j]))
    return style_figure(
        fig, lang=lang, title=title or _t(lang, "ct"), subtitle=_t(lang, "ct_sub"),
        caption=_t(lang, "ct_cap", **kw), alt_text=_t(lang, "ct_alt", kind=chart_kind("heatmap", lang), **kw),
        width=1000, height=560 + 26 * len(rows_full) + _top_labels_space(cols) // 2,
        top_space=_top_labels_space(cols),
    )  # fmt: skip

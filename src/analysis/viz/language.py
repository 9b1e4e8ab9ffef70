"""Charts of who is asked to act, how firmly, what recurs and what is cited.

Every chart function returns a plotly ``Figure`` styled by
:func:`analysis.viz.style.style_figure`: a title, a subtitle that states the unit
of count, a caption, alt text, axis titles with units and hover text that
lists the recommendations (``rec_id``) behind each mark, all in ``lang``
("en" or "es"). Colours of ordered categories (modality) are fixed here;
unordered ones (addressees) follow the template's colour-blind-safe colorway;
themes take their own colour (:mod:`analysis.viz.labels`).

Size: about 680 lines, of which some 180 are the chart text in English and
Spanish (``_TEXT``: one table per language with the same keys, alike on
purpose); the seven chart functions share its helpers, so they stay together.

Examples
--------
>>> from analysis.data.corpus import load_corpus
>>> from analysis.language.modality import classify_units
>>> corpus = load_corpus()
>>> fig = addressee_figure(classify_units(corpus.recommendations), corpus)
>>> [t.name for t in fig.data][:3]
['States parties', 'States', 'Conference']
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Final

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from analysis._format import escape_text, id_lines
from analysis.data.corpus import Corpus
from analysis.language.modality import ADDRESSEES, MODALITY_LEVELS, shares_by
from analysis.viz.labels import theme_label
from analysis.viz.style import chart_kind, format_number, localized, meeting_tag, style_figure

__all__ = [
    "MODALITY_COLORS",
    "addressee_figure",
    "crossref_network_figure",
    "legal_references_figure",
    "modality_by_theme_figure",
    "modality_figure",
    "recurrence_timeline_figure",
    "similarity_distribution_figure",
    "threshold_curve_figure",
]

#: Sequential colours for the ordinal modality scale, firm (dark) to optional (light).
MODALITY_COLORS: Final[Mapping[str, str]] = {
    "firm": "#08306B", "consider": "#2171B5", "encourage": "#6BAED6", "optional": "#C6DBEF", "unknown": "#BDBDBD",
}  # fmt: skip
_GREY: Final = "#9E9E9E"

# One table per language with the same keys: alike by design (tests check that the keys match).
_TEXT: dict[str, dict[str, str]] = {
    "en": {
        "firm": "Firm", "consider": "Consider", "encourage": "Encourage", "optional": "Optional", "unknown": "Unknown",
        "States parties": "States parties", "States": "States", "Conference": "Conference",
        "Working Group": "Working Group", "Secretariat": "Secretariat", "UNODC": "UNODC", "other": "other",
        "unit_note": "A unit is a numbered paragraph without lettered items, or one lettered item.",
        "modality_key": "Firm: “deberían …”; consider: “deberían considerar la posibilidad de”, “podrían”; "
                        "encourage: “se alienta a”; optional: “tal vez deseen”.",
        "meeting_hover": "<b>%{{x}}</b> · {name}<br>%{{y:.1f}} % of the meeting's units (%{{customdata[0]}})"
                         "<br>%{{customdata[1]}}<extra></extra>",
        "meeting_x": "Meeting (III adopted none of its own)", "meeting_y": "Share of the meeting's units (%)",
        "ad_title": "Whom the Working Group addressed, meeting by meeting",
        "ad_sub": "Share of recommendation units by addressee (the actor asked to act). {note}",
        "ad_legend": "Addressee",
        "ad_cap": "Share of the recommendation units of each meeting by addressee, the actor asked to act, as read "
                  "from the Spanish text. Meeting III adopted no recommendation of its own.",
        "ad_alt": "{kind}, one bar per meeting with units, split by addressee; over all meetings “{top}” is asked "
                  "most often ({share} of units).",
        "mo_title": "How firmly the Working Group asked, meeting by meeting",
        "mo_sub": "Share of recommendation units by the modality of the governing verb. {mkey}",
        "mo_legend": "Modality (firm to soft)",
        "mo_cap": "Share of the recommendation units of each meeting by the modality of the governing verb, from firm "
                  "(deberían) to optional (tal vez deseen). Meeting III adopted no recommendation of its own.",
        "mo_alt": "{kind}, one bar per meeting with units, split by modality from firm to optional; {firm} of all "
                  "units are firm.",
        "mt_hover": "<b>%{{y}}</b> · {name}<br>%{{x:.1f}} % (%{{customdata[0]}} of %{{customdata[1]}} units)"
                    "<br>%{{customdata[2]}}<extra></extra>",
        "mt_title": "How firmly each theme is asked for",
        "mt_sub": "Share of the theme's recommendation units by modality; themes ordered by their share of firm "
                  "units. {mkey}",
        "mt_x": "Share of the theme's units (%)", "mt_y": "Theme",
        "mt_cap": "Share of the recommendation units of each theme (codebook themes) by the modality of the "
                  "governing verb; themes ordered by their share of firm units.",
        "mt_alt": "{kind}, one bar per theme ({k}), split by modality; the firmest theme is “{top}” ({share} firm), "
                  "the softest “{low}” ({low_share} firm).",
        "rc_unit": "Recommendation unit",
        "rc_hover": "<b>%{{customdata[0]}}</b> (%{{customdata[1]}}) · {name}<br>closest: %{{customdata[2]}} "
                    "(cosine %{{customdata[3]}}) · link: %{{customdata[4]}}<br>%{{customdata[5]}}<extra></extra>",
        "rc_title": "What keeps coming back: recommendations repeated across meetings",
        "rc_sub": "Each row is a chain of near-duplicate or explicitly reiterated recommendation units; each dot is "
                  "one unit at its meeting's date ({chains} chains, {units} units).",
        "rc_x": "Meeting date (year)", "rc_y": "Chain (first words of its most repeated unit)",
        "rc_legend": "Modality of the unit",
        "rc_cap": "Chains of near-duplicate or explicitly reiterated recommendations across meetings; each dot is "
                  "one unit at its meeting's date, coloured by its modality.",
        "rc_alt": "{kind}: {chains} rows, one per chain of repeated recommendations, with {units} dots at the "
                  "meetings' dates; the longest chain spans {span} meetings.",
        "cr_cited": "Cited unit", "cr_citing": "Citing unit",
        "cr_hover": "<b>%{customdata[0]}</b><br>cites: %{customdata[1]}<br>cited by: %{customdata[2]}"
                    "<br>%{customdata[3]}<extra></extra>",
        "cr_title": "Which earlier recommendations the Working Group cites",
        "cr_sub": "Each arrow is one explicit cross-reference from a recommendation unit to the unit it cites "
                  "({n} arrows); {general} more references point to the Working Group's recommendations in general.",
        "cr_x": "Meeting date (year)", "cr_y": "Paragraph number within its meeting",
        "cr_cap": "Explicit cross-references between recommendations: each arrow runs from the citing unit to the "
                  "unit it cites, placed at the meeting's date and the paragraph number.",
        "cr_alt": "{kind}: {n} arrows between {nodes} recommendation units placed by meeting date and paragraph; "
                  "the most cited unit is {top}.",
        "Protocol": "Protocol", "Convention": "Convention", "Other instrument": "Other instrument",
        "lr_hover": "<b>%{y}</b><br>cited by %{x} unit(s): %{customdata[0]}<extra></extra>",
        "lr_title": "Which legal provisions the recommendations cite",
        "lr_sub": "Number of recommendation units that cite each article (paragraph, subparagraph) of the "
                  "Trafficking in Persons Protocol, the Organized Crime Convention or another instrument.",
        "lr_x": "Recommendation units citing it (count)", "lr_y": "Provision", "lr_legend": "Instrument",
        "lr_cap": "Number of recommendation units that cite each provision of the Trafficking in Persons Protocol, "
                  "the Organized Crime Convention, a decision of the Conference or a General Assembly resolution.",
        "lr_alt": "{kind} of {k} provisions; the most cited is {top} ({n} units).",
        "sd_name": "Pairs",
        "sd_hover": "cosine %{customdata[0]:.2f}–%{customdata[1]:.2f}: %{y} pairs<br>%{customdata[2]}<extra></extra>",
        "sd_threshold": " threshold {t}: {n} pairs above",
        "sd_title": "How alike are recommendations of different meetings?",
        "sd_sub": "Cosine similarity of every pair of recommendation units from different meetings ({n} pairs; "
                  "TF-IDF of character 3–5-grams, accents folded, formulae removed).",
        "sd_x": "Cosine similarity of the pair (0–1)", "sd_y": "Pairs (count, log scale)",
        "sd_cap": "Cosine similarity of every pair of recommendation units from different meetings (log scale), "
                  "with the threshold at {t} and example pairs for scale.",
        "sd_alt": "{kind} on a log scale of {n} pairs: most pairs have a cosine below 0.2; {above} pairs lie above "
                  "the threshold of {t}.",
        "tc_chains": "Chains", "tc_largest": "Units in the largest chain",
        "tc_hover": "threshold %{{x:.2f}}: {name} %{{y}}<br>%{{customdata[0]}} links, %{{customdata[1]}} units in "
                    "chains<extra></extra>",
        "tc_chosen": " chosen threshold {t}",
        "tc_title": "Where chains start to merge",
        "tc_sub": "Number of chains (connected components across meetings) and units in the largest one, for each "
                  "similarity threshold.",
        "tc_x": "Similarity threshold (cosine)", "tc_y": "Count (chains / units)",
        "tc_cap": "Number of recurrence chains and size of the largest chain at each similarity threshold from {hi} "
                  "down to {lo}; the chosen threshold is {t}.",
        "tc_alt": "{kind} of two lines against the threshold (falling from {hi} to {lo}): the largest chain grows "
                  "from {small} to {big} units while the number of chains peaks at {peak}.",
    },
    "es": {
        "firm": "Firme", "consider": "Considerar", "encourage": "Alentar", "optional": "Opcional",
        "unknown": "Sin determinar",
        "States parties": "Estados partes", "States": "Estados", "Conference": "Conferencia",
        "Working Group": "Grupo de Trabajo", "Secretariat": "Secretaría", "UNODC": "UNODC", "other": "otros",
        "unit_note": "Una unidad es un párrafo numerado sin apartados con letra, o un apartado con letra.",
        "modality_key": "Firme: «deberían …»; considerar: «deberían considerar la posibilidad de», «podrían»; "
                        "alentar: «se alienta a»; opcional: «tal vez deseen».",
        "meeting_hover": "<b>%{{x}}</b> · {name}<br>%{{y:.1f}} % de las unidades de la reunión (%{{customdata[0]}})"
                         "<br>%{{customdata[1]}}<extra></extra>",
        "meeting_x": "Reunión (la III no aprobó ninguna propia)", "meeting_y": "Proporción de las unidades de la reunión (%)",
        "ad_title": "A quién se dirigió el Grupo de Trabajo, reunión a reunión",
        "ad_sub": "Proporción de unidades de recomendación por destinatario (el actor al que se pide actuar). {note}",
        "ad_legend": "Destinatario",
        "ad_cap": "Proporción de las unidades de recomendación de cada reunión por destinatario, el actor al que se "
                  "pide actuar, según el texto español. La III reunión no aprobó recomendaciones propias.",
        "ad_alt": "{kind}, una barra por reunión con unidades, repartida por destinatario; en el conjunto de las "
                  "reuniones el más frecuente es «{top}» ({share} de las unidades).",
        "mo_title": "Con qué firmeza pidió el Grupo de Trabajo, reunión a reunión",
        "mo_sub": "Proporción de unidades de recomendación por la modalidad del verbo principal. {mkey}",
        "mo_legend": "Modalidad (de firme a suave)",
        "mo_cap": "Proporción de las unidades de recomendación de cada reunión por la modalidad del verbo principal, "
                  "de firme (deberían) a opcional (tal vez deseen). La III reunión no aprobó recomendaciones propias.",
        "mo_alt": "{kind}, una barra por reunión con unidades, repartida por modalidad de firme a opcional; el "
                  "{firm} de todas las unidades son firmes.",
        "mt_hover": "<b>%{{y}}</b> · {name}<br>%{{x:.1f}} % (%{{customdata[0]}} de %{{customdata[1]}} unidades)"
                    "<br>%{{customdata[2]}}<extra></extra>",
        "mt_title": "Con qué firmeza se pide cada tema",
        "mt_sub": "Proporción de las unidades de recomendación del tema por modalidad; temas ordenados por su "
                  "proporción de unidades firmes. {mkey}",
        "mt_x": "Proporción de las unidades del tema (%)", "mt_y": "Tema",
        "mt_cap": "Proporción de las unidades de recomendación de cada tema (temas del libro de códigos) por la "
                  "modalidad del verbo principal; temas ordenados por su proporción de unidades firmes.",
        "mt_alt": "{kind}, una barra por tema ({k}), repartida por modalidad; el tema más firme es «{top}» ({share} "
                  "firmes) y el más suave «{low}» ({low_share} firmes).",
        "rc_unit": "Unidad de recomendación",
        "rc_hover": "<b>%{{customdata[0]}}</b> (%{{customdata[1]}}) · {name}<br>más cercana: %{{customdata[2]}} "
                    "(coseno %{{customdata[3]}}) · vínculo: %{{customdata[4]}}<br>%{{customdata[5]}}<extra></extra>",
        "rc_title": "Lo que vuelve una y otra vez: recomendaciones repetidas entre reuniones",
        "rc_sub": "Cada fila es una cadena de unidades de recomendación casi idénticas o reiteradas expresamente; "
                  "cada punto es una unidad en la fecha de su reunión ({chains} cadenas, {units} unidades).",
        "rc_x": "Fecha de la reunión (año)", "rc_y": "Cadena (primeras palabras de su unidad más repetida)",
        "rc_legend": "Modalidad de la unidad",
        "rc_cap": "Cadenas de recomendaciones casi idénticas o reiteradas expresamente entre reuniones; cada punto "
                  "es una unidad en la fecha de su reunión, coloreada por su modalidad.",
        "rc_alt": "{kind}: {chains} filas, una por cadena de recomendaciones repetidas, con {units} puntos en las "
                  "fechas de las reuniones; la cadena más larga abarca {span} reuniones.",
        "cr_cited": "Unidad citada", "cr_citing": "Unidad que cita",
        "cr_hover": "<b>%{customdata[0]}</b><br>cita: %{customdata[1]}<br>citada por: %{customdata[2]}"
                    "<br>%{customdata[3]}<extra></extra>",
        "cr_title": "Qué recomendaciones anteriores cita el Grupo de Trabajo",
        "cr_sub": "Cada flecha es una referencia expresa de una unidad de recomendación a la unidad que cita "
                  "({n} flechas); otras {general} remiten a las recomendaciones del Grupo de Trabajo en general.",
        "cr_x": "Fecha de la reunión (año)", "cr_y": "Número de párrafo dentro de su reunión",
        "cr_cap": "Referencias expresas entre recomendaciones: cada flecha va de la unidad que cita a la unidad "
                  "citada, situadas en la fecha de la reunión y el número de párrafo.",
        "cr_alt": "{kind}: {n} flechas entre {nodes} unidades de recomendación situadas por fecha de reunión y "
                  "párrafo; la unidad más citada es la {top}.",
        "Protocol": "Protocolo", "Convention": "Convención", "Other instrument": "Otro instrumento",
        "lr_hover": "<b>%{y}</b><br>citada por %{x} unidad(es): %{customdata[0]}<extra></extra>",
        "lr_title": "Qué disposiciones jurídicas citan las recomendaciones",
        "lr_sub": "Número de unidades de recomendación que citan cada artículo (párrafo, apartado) del Protocolo "
                  "contra la Trata de Personas, la Convención contra la Delincuencia Organizada u otro instrumento.",
        "lr_x": "Unidades de recomendación que la citan (número)", "lr_y": "Disposición", "lr_legend": "Instrumento",
        "lr_cap": "Número de unidades de recomendación que citan cada disposición del Protocolo contra la Trata de "
                  "Personas, la Convención contra la Delincuencia Organizada, una decisión de la Conferencia o una "
                  "resolución de la Asamblea General.",
        "lr_alt": "{kind} de {k} disposiciones; la más citada es {top} ({n} unidades).",
        "sd_name": "Pares",
        "sd_hover": "coseno %{customdata[0]:.2f}–%{customdata[1]:.2f}: %{y} pares<br>%{customdata[2]}<extra></extra>",
        "sd_threshold": " umbral {t}: {n} pares por encima",
        "sd_title": "¿Cuánto se parecen las recomendaciones de reuniones distintas?",
        "sd_sub": "Similitud coseno de cada par de unidades de recomendación de reuniones distintas ({n} pares; "
                  "TF-IDF de n-gramas de 3 a 5 caracteres, sin tildes ni fórmulas).",
        "sd_x": "Similitud coseno del par (0–1)", "sd_y": "Pares (número, escala logarítmica)",
        "sd_cap": "Similitud coseno de cada par de unidades de recomendación de reuniones distintas (escala "
                  "logarítmica), con el umbral en {t} y pares de ejemplo como referencia.",
        "sd_alt": "{kind} en escala logarítmica de {n} pares: la mayoría tiene un coseno inferior a 0,2; {above} "
                  "pares superan el umbral de {t}.",
        "tc_chains": "Cadenas", "tc_largest": "Unidades en la cadena mayor",
        "tc_hover": "umbral %{{x:.2f}}: {name} %{{y}}<br>%{{customdata[0]}} vínculos, %{{customdata[1]}} unidades "
                    "en cadenas<extra></extra>",
        "tc_chosen": " umbral elegido {t}",
        "tc_title": "Dónde empiezan a fundirse las cadenas",
        "tc_sub": "Número de cadenas (componentes conexos entre reuniones) y unidades de la mayor, para cada umbral "
                  "de similitud.",
        "tc_x": "Umbral de similitud (coseno)", "tc_y": "Número (cadenas / unidades)",
        "tc_cap": "Número de cadenas de recurrencia y tamaño de la cadena mayor para cada umbral de similitud, de "
                  "{hi} a {lo}; el umbral elegido es {t}.",
        "tc_alt": "{kind} de dos líneas frente al umbral (de {hi} a {lo}): la cadena mayor crece de {small} a {big} "
                  "unidades y el número de cadenas alcanza un máximo de {peak}.",
    },
}  # fmt: skip


def _t(lang: str, key: str, **kw: object) -> str:
    return localized(_TEXT, lang, key, **kw)


def _provision(label: str, lang: str) -> str:
    """A provision label ("Protocol art. 6(2)") in ``lang``."""
    if lang == "en":
        return label
    for en, es in (("Protocol", "Protocolo"), ("Convention", "Convención"), ("COP decision", "Decisión de la COP"),
                   ("GA resolution", "Resolución de la AG"), ("para.", "párr.")):
        label = label.replace(en, es)
    return label


def _id_lines(ids: Sequence[str] | str, per_line: int = 10) -> str:
    """rec_ids for a hover label, ``per_line`` to a line."""
    return id_lines(ids.split(", ") if isinstance(ids, str) else list(ids), per_line)


def _meeting_axis(corpus: Corpus, lang: str) -> pd.DataFrame:
    """Meetings with at least one unit, with labels (meeting III endorsed its proposals at IV)."""
    m = corpus.meetings.loc[corpus.meetings["n_units"] > 0].copy()
    m["label"] = [meeting_tag(r, d.date(), lang) for r, d in zip(m["roman"], m["start_date"], strict=True)]
    return m


def _share_by_meeting(
    shares: pd.DataFrame, column: str, corpus: Corpus, *, lang: str, legend_title: str,
    colors: Mapping[str, str] | None = None,
) -> go.Figure:
    """100 % stacked bars: the share of each category among a meeting's units (unstyled)."""
    axis = _meeting_axis(corpus, lang)
    labels = dict(zip(axis["meeting"], axis["label"], strict=True))
    data = shares.loc[shares["meeting"].isin(list(labels))]
    fig = go.Figure()
    for category in data[column].cat.categories:
        part = data.loc[data[column] == category]
        name = _TEXT[lang].get(str(category), str(category))
        fig.add_trace(go.Bar(
            x=[labels[m] for m in part["meeting"]], y=part["share"] * 100, name=name,
            marker_color=(colors or {}).get(category),
            customdata=np.column_stack([part["units"], [_id_lines(ids) for ids in part["rec_ids"]]]),
            hovertemplate=_t(lang, "meeting_hover", name=name),
        ))
    totals = data.groupby("meeting", observed=True)["units"].sum()
    fig.update_layout(
        barmode="stack",
        xaxis={"title": {"text": _t(lang, "meeting_x")}, "categoryorder": "array",
               "categoryarray": list(labels.values()),
               "tickvals": list(labels.values()),
               "ticktext": [f"{lab.replace(' · ', '<br>')}<br>n = {int(totals.get(m, 0))}" for m, lab in labels.items()]},
        yaxis={"title": {"text": _t(lang, "meeting_y")}, "range": [0, 100],
               "ticksuffix": " %" if lang == "es" else "%"},
        legend={"title": {"text": legend_title}, "traceorder": "normal"},
    )
    return fig


def _pct(x: float, lang: str) -> str:
    return format_number(100 * x, lang, decimals=0) + ("\u00a0%" if lang == "es" else "%")


def addressee_figure(language: pd.DataFrame, corpus: Corpus, *, lang: str = "en") -> go.Figure:
    """Whom each meeting addressed: share of units per addressee, by meeting.

    Examples
    --------
    >>> from analysis.data.corpus import load_corpus
    >>> from analysis.language.modality import classify_units
    >>> corpus = load_corpus()
    >>> fig = addressee_figure(classify_units(corpus.recommendations), corpus)
    >>> fig.layout.yaxis.title.text
    "Share of the meeting's units (%)"
    """
    shares = shares_by(language, corpus.recommendations, "addressee", categories=ADDRESSEES)
    fig = _share_by_meeting(shares, "addressee", corpus, lang=lang, legend_title=_t(lang, "ad_legend"),
                            colors={"other": _GREY, "unknown": "#D9D9D9"})
    counts = language["addressee"].value_counts()
    top = str(counts.index[0])
    return style_figure(
        fig, lang=lang, title=_t(lang, "ad_title"), subtitle=_t(lang, "ad_sub", note=_t(lang, "unit_note")),
        caption=_t(lang, "ad_cap"),
        alt_text=_t(lang, "ad_alt", kind=chart_kind("stacked", lang), top=_TEXT[lang].get(top, top),
                    share=_pct(counts.iloc[0] / counts.sum(), lang)),
    )  # fmt: skip


def modality_figure(language: pd.DataFrame, corpus: Corpus, *, lang: str = "en") -> go.Figure:
    """How firmly each meeting asked: share of units per modality level, by meeting.

    Examples
    --------
    >>> from analysis.data.corpus import load_corpus
    >>> from analysis.language.modality import classify_units
    >>> corpus = load_corpus()
    >>> [t.name for t in modality_figure(classify_units(corpus.recommendations), corpus).data]
    ['Firm', 'Consider', 'Encourage', 'Optional']
    """
    order = [*reversed(MODALITY_LEVELS), "unknown"]
    shares = shares_by(language, corpus.recommendations, "modality", categories=order)
    fig = _share_by_meeting(shares, "modality", corpus, lang=lang, legend_title=_t(lang, "mo_legend"),
                            colors=MODALITY_COLORS)
    firm = float((language["modality"] == "firm").mean())
    return style_figure(
        fig, lang=lang, title=_t(lang, "mo_title"), subtitle=_t(lang, "mo_sub", mkey=_t(lang, "modality_key")),
        caption=_t(lang, "mo_cap"), alt_text=_t(lang, "mo_alt", kind=chart_kind("stacked", lang), firm=_pct(firm, lang)),
    )  # fmt: skip


def modality_by_theme_figure(language: pd.DataFrame, themes: pd.DataFrame, *, lang: str = "en") -> go.Figure:
    """How firmly each theme is asked for: share of units per modality level, by theme.

    Parameters
    ----------
    language : DataFrame
        From :func:`analysis.language.modality.classify_units`.
    themes : DataFrame
        One row per unit with ``rec_id`` and ``theme`` (one method of
        ``recommendation_themes.csv``); with ``theme_id``, themes are named in ``lang``.
    lang : {"en", "es"}
        Language of every text of the chart.

    Examples
    --------
    >>> from analysis.data.corpus import load_recommendations
    >>> from analysis.language.modality import classify_units
    >>> recs = load_recommendations()
    >>> themes = pd.DataFrame({"rec_id": recs["rec_id"], "theme": np.where(recs["meeting"] == 1, "A", "B")})
    >>> fig = modality_by_theme_figure(classify_units(recs), themes)
    >>> list(fig.data[0].y)  # the theme with more firm units last, i.e. on top
    ['B', 'A']
    """
    themes = themes.copy()
    ids = themes["theme_id"].astype(str) if "theme_id" in themes.columns else themes["theme"].astype(str)
    themes["theme"] = [theme_label(i, lang, fallback=str(t)) for i, t in zip(ids, themes["theme"], strict=True)]  # type: ignore[arg-type]
    frame = language.merge(themes[["rec_id", "theme"]], on="rec_id", how="inner", validate="one_to_one")
    firm = frame.assign(is_firm=frame["modality"] == "firm").groupby("theme")["is_firm"].mean()
    order = firm.sort_values(kind="mergesort").index.tolist()  # firmest theme on top
    counts = frame.groupby("theme").size()
    fig = go.Figure()
    for level in reversed(MODALITY_LEVELS):
        ids_by = frame.loc[frame["modality"] == level].groupby("theme")["rec_id"].agg(list)
        n = np.array([len(ids_by.get(t, [])) for t in order])
        share = 100 * n / counts.loc[order].to_numpy()
        name = _t(lang, level)
        fig.add_trace(go.Bar(
            y=order, x=share, orientation="h", name=name, marker_color=MODALITY_COLORS[level],
            customdata=np.column_stack([n, counts.loc[order].to_numpy(), [_id_lines(ids_by.get(t, [])) for t in order]]),
            hovertemplate=_t(lang, "mt_hover", name=name),
        ))
    fig.update_layout(
        barmode="stack",
        xaxis={"title": {"text": _t(lang, "mt_x")}, "range": [0, 100], "ticksuffix": " %" if lang == "es" else "%"},
        yaxis={"title": {"text": _t(lang, "mt_y")}, "categoryorder": "array", "categoryarray": order,
               "tickvals": order, "ticktext": [f"{t} (n = {int(counts[t])})" for t in order]},
        legend={"title": {"text": _t(lang, "mo_legend")}},
    )
    top, low = order[-1], order[0]
    return style_figure(
        fig, lang=lang, title=_t(lang, "mt_title"), subtitle=_t(lang, "mt_sub", mkey=_t(lang, "modality_key")),
        caption=_t(lang, "mt_cap"),
        alt_text=_t(lang, "mt_alt", kind=chart_kind("hstacked", lang), k=len(order), top=top,
                    share=_pct(firm[top], lang), low=low, low_share=_pct(firm[low], lang)),
        width=1000, height=max(420, 200 + 30 * len(order)),
    )  # fmt: skip


def recurrence_timeline_figure(chains: pd.DataFrame, corpus: Corpus, language: pd.DataFrame | None = None,
                               *, min_meetings: int = 2, lang: str = "en") -> go.Figure:
    """Each chain of recurring recommendations as a row of dots on a time line.

    Dots stand at the meeting's date, coloured by the unit's modality when
    ``language`` is given (so a softened or firmed repeat shows), and joined by
    a line; the hover gives the rec_id, the similarity to the closest unit of
    another meeting and how the unit is tied to the chain.

    Examples
    --------
    >>> from analysis.data.corpus import load_corpus
    >>> from analysis.language.recurrence import cross_meeting_pairs, find_chains
    >>> corpus = load_corpus()
    >>> recs = corpus.recommendations
    >>> fig = recurrence_timeline_figure(find_chains(recs, cross_meeting_pairs(recs), 0.6), corpus)
    >>> fig.layout.yaxis.title.text
    'Chain (first words of its most repeated unit)'
    """
    data = chains.loc[chains["n_meetings"] >= min_meetings].copy()
    dates = corpus.meetings.set_index("meeting")["start_date"]
    data["date"] = data["meeting"].map(dates)
    data["row"] = data["chain_id"] + " · " + data["label"].map(lambda t: _preview(str(t).rstrip("…"), 44))
    rows = data.drop_duplicates("chain_id")["row"].tolist()
    texts = corpus.recommendations.set_index("rec_id")["text"]
    data["preview"] = data["rec_id"].map(lambda r: _preview(str(texts.loc[r])))
    if language is not None:
        data = data.merge(language[["rec_id", "modality"]], on="rec_id", how="left", validate="one_to_one")
    fig = go.Figure()
    xs: list[object] = []
    ys: list[object] = []
    for _, part in data.groupby("chain_id", sort=True):
        xs += [*part.groupby("meeting")["date"].first().tolist(), None]
        ys += [*[part["row"].iloc[0]] * part["meeting"].nunique(), None]
    fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines", line={"color": "#BDBDBD", "width": 2}, hoverinfo="skip",
                             showlegend=False))
    groups = (reversed(list(data.groupby("modality", observed=True))) if language is not None
              else [("unit", data)])  # firm first
    for key, part in groups:
        name = _TEXT[lang].get(str(key), _t(lang, "rc_unit")) if str(key) in MODALITY_COLORS else _t(lang, "rc_unit")
        fig.add_trace(go.Scatter(
            x=part["date"], y=part["row"], mode="markers", name=name,
            marker={"size": 11, "color": MODALITY_COLORS.get(str(key), "#2171B5"), "line": {"width": 1, "color": "#FFFFFF"}},
            customdata=np.column_stack([part["rec_id"], part["year"], part["best_match"], part["similarity"].round(2),
                                        part["link"], part["preview"]]),
            hovertemplate=_t(lang, "rc_hover", name=name),
        ))
    years = sorted(set(dates.dt.year))
    fig.update_layout(
        xaxis={"title": {"text": _t(lang, "rc_x")}, "type": "date", "tickformat": "%Y",
               "range": [f"{years[0] - 1}-07-01", f"{years[-1]}-12-31"]},
        yaxis={"title": {"text": _t(lang, "rc_y")}, "categoryorder": "array",
               "categoryarray": list(reversed(rows)), "automargin": True},
        legend={"title": {"text": _t(lang, "rc_legend")}},
    )
    fig.update_layout(title={"xref": "container", "x": 0.01})  # the chain labels make the plot area start late
    span = int(data["n_meetings"].max()) if len(data) else 0
    kw = dict(chains=len(rows), units=len(data), span=span)
    return style_figure(
        fig, lang=lang, title=_t(lang, "rc_title"), subtitle=_t(lang, "rc_sub", **kw), caption=_t(lang, "rc_cap"),
        alt_text=_t(lang, "rc_alt", kind=chart_kind("dots", lang), **kw),
        width=1100, height=max(420, 220 + 24 * len(rows)),
    )  # fmt: skip


def _preview(text: str, width: int = 110) -> str:
    """The start of a recommendation's text, escaped for plotly (shown as written)."""
    return escape_text(text if len(text) <= width else text[:width].rsplit(" ", 1)[0] + "…")


def crossref_network_figure(references: pd.DataFrame, corpus: Corpus, *, lang: str = "en") -> go.Figure:
    """The explicit cross-references between recommendations, drawn on a time line.

    Each node is a unit (or, for a citation of a whole list, a paragraph) at
    its meeting's date (x) and its paragraph number (y); each arrow runs from
    the citing unit to the unit it cites (the most similar unit of the cited
    paragraph). References to the Working Group's recommendations in general
    have no target and are counted in the subtitle.

    Examples
    --------
    >>> from analysis.data.corpus import load_corpus
    >>> from analysis.language.references import extract_references
    >>> corpus = load_corpus()
    >>> fig = crossref_network_figure(extract_references(corpus), corpus)
    >>> len(fig.layout.annotations)
    8
    """
    refs = references.loc[(references["kind"] == "cross_reference") & references["cited_paragraph"].notna()].copy()
    general = int(((references["kind"] == "cross_reference") & references["cited_paragraph"].isna()).sum())
    refs["target"] = refs["cited_rec_id"].fillna(
        refs["cited_meeting"].astype("string") + "." + refs["cited_paragraph"].astype("string"))
    dates = corpus.meetings.set_index("meeting")["start_date"]
    recs = corpus.recommendations.set_index("rec_id")
    paragraphs = corpus.paragraphs.set_index("rec_id")

    def node(rec_id: str) -> tuple[pd.Timestamp, int, str]:
        table = recs if rec_id in recs.index else paragraphs
        row = table.loc[rec_id]
        return dates.loc[row["meeting"]], int(row["paragraph"]), _preview(str(row["text"]), 90)

    ids = list(dict.fromkeys([*refs["rec_id"], *refs["target"]]))
    nodes = pd.DataFrame([(i, *node(i)) for i in ids], columns=["rec_id", "date", "paragraph", "preview"])
    cites = refs.groupby("rec_id")["target"].agg(", ".join)
    cited_by = refs.groupby("target")["rec_id"].agg(", ".join)
    nodes["role"] = np.where(nodes["rec_id"].isin(refs["rec_id"]), "citing", "cited")
    fig = go.Figure()
    for role, color in (("cited", "#E69F00"), ("citing", "#0072B2")):
        part = nodes.loc[nodes["role"] == role]
        fig.add_trace(go.Scatter(
            x=part["date"], y=part["paragraph"], mode="markers+text", name=_t(lang, f"cr_{role}"), text=part["rec_id"],
            textposition="middle right" if role == "citing" else _stacked_label_positions(part),
            marker={"size": 12, "color": color, "line": {"width": 1, "color": "#FFFFFF"}},
            customdata=np.column_stack([part["rec_id"], part["rec_id"].map(cites).fillna("–"),
                                        part["rec_id"].map(cited_by).fillna("–"), part["preview"]]),
            hovertemplate=_TEXT[lang]["cr_hover"],
        ))
    pos = nodes.set_index("rec_id")
    for row in refs.itertuples():
        fig.add_annotation(
            x=pos.loc[row.target, "date"], y=pos.loc[row.target, "paragraph"], ax=pos.loc[row.rec_id, "date"],
            ay=pos.loc[row.rec_id, "paragraph"], xref="x", yref="y", axref="x", ayref="y", showarrow=True,
            arrowhead=3, arrowsize=1.2, arrowwidth=1.3, arrowcolor="#7F7F7F", standoff=7, startstandoff=7, text="",
        )
    years = sorted(set(dates.dt.year))
    fig.update_layout(
        xaxis={"title": {"text": _t(lang, "cr_x")}, "type": "date", "tickformat": "%Y",
               "range": [f"{years[0] - 1}-07-01", f"{years[-1]}-12-31"]},
        yaxis={"title": {"text": _t(lang, "cr_y")}, "autorange": "reversed"},
        legend={"x": 0.99, "xanchor": "right", "y": 0.5, "bgcolor": "rgba(255,255,255,0.8)"},
    )
    top = refs["target"].value_counts().index[0] if len(refs) else "–"
    kw = dict(n=len(refs), general=general, nodes=len(nodes), top=top)
    return style_figure(
        fig, lang=lang, title=_t(lang, "cr_title"), subtitle=_t(lang, "cr_sub", **kw), caption=_t(lang, "cr_cap"),
        alt_text=_t(lang, "cr_alt", kind=chart_kind("network", lang), **kw), height=640,
    )  # fmt: skip


def _stacked_label_positions(nodes: pd.DataFrame) -> list[str]:
    """Left-hand label positions that keep the labels of adjacent paragraphs apart.

    In a run of nodes on consecutive paragraphs at one date, the first label
    goes above its node, the last below and the others beside it.
    """
    taken = set(zip(nodes["date"], nodes["paragraph"], strict=True))
    positions = []
    for date, paragraph in zip(nodes["date"], nodes["paragraph"], strict=True):
        above, below = (date, paragraph - 1) in taken, (date, paragraph + 1) in taken
        positions.append("top left" if below and not above else "bottom left" if above and not below
                         else "middle left")
    return positions


def legal_references_figure(references: pd.DataFrame, *, lang: str = "en") -> go.Figure:
    """How often each provision of the Protocol and the Convention (and other instruments) is cited.

    Examples
    --------
    >>> from analysis.data.corpus import load_corpus
    >>> from analysis.language.references import extract_references
    >>> fig = legal_references_figure(extract_references(load_corpus()))
    >>> sorted(t.name for t in fig.data)
    ['Convention', 'Other instrument', 'Protocol']
    """
    legal = references.loc[references["kind"] == "legal"].copy()
    legal["group"] = legal["instrument"].where(legal["instrument"].isin(["Protocol", "Convention"]), "Other instrument")
    legal["group_order"] = legal["group"].map({"Protocol": 0, "Convention": 1}).fillna(2)
    per = legal.groupby(["group", "provision"]).agg(
        units=("rec_id", "nunique"), rec_ids=("rec_id", lambda s: ", ".join(dict.fromkeys(s))),
        group_order=("group_order", "first"), article=("article", "first"), paragraph=("paragraph", "first"))
    # most cited on top; then Protocol, Convention, others, by article and paragraph
    per = per.reset_index().sort_values(["units", "group_order", "article", "paragraph", "provision"],
                                        ascending=[False, True, True, True, True], kind="mergesort")[::-1]
    per["label"] = per["provision"].map(lambda p: _provision(str(p), lang))
    fig = go.Figure()
    for group, color in (("Protocol", "#0072B2"), ("Convention", "#E69F00"), ("Other instrument", _GREY)):
        part = per.loc[per["group"] == group]
        fig.add_trace(go.Bar(
            y=part["label"], x=part["units"], orientation="h", name=_t(lang, group), marker_color=color,
            customdata=np.column_stack([[_id_lines(i) for i in part["rec_ids"]]]),
            hovertemplate=_TEXT[lang]["lr_hover"],
        ))
    fig.update_layout(
        xaxis={"title": {"text": _t(lang, "lr_x")}, "dtick": 1},
        yaxis={"title": {"text": _t(lang, "lr_y")}, "categoryorder": "array", "categoryarray": per["label"].tolist()},
        legend={"title": {"text": _t(lang, "lr_legend")}},
    )
    fig.update_layout(title={"xref": "container", "x": 0.01})  # long provision labels
    top = per.iloc[-1] if len(per) else None
    return style_figure(
        fig, lang=lang, title=_t(lang, "lr_title"), subtitle=_t(lang, "lr_sub"), caption=_t(lang, "lr_cap"),
        alt_text=_t(lang, "lr_alt", kind=chart_kind("hbars", lang), k=len(per),
                    top=top["label"] if top is not None else "–", n=int(top["units"]) if top is not None else 0),
    )  # fmt: skip


def similarity_distribution_figure(pairs: pd.DataFrame, threshold: float, *,
                                   examples: Sequence[tuple[str, str]] = (), lang: str = "en") -> go.Figure:
    """Histogram of the similarity of all cross-meeting pairs (log scale), with the threshold.

    The hover of a bar of at most 12 pairs lists them (``rec_id_a ~ rec_id_b``);
    ``examples`` are pairs ``(rec_id_a, rec_id_b)`` to mark on the axis.

    Examples
    --------
    >>> pairs = pd.DataFrame({"rec_id_a": ["1.1", "1.2"], "rec_id_b": ["2.1", "2.2"], "similarity": [0.1, 0.9]})
    >>> similarity_distribution_figure(pairs, 0.5).layout.yaxis.type
    'log'
    """
    edges = np.round(np.arange(0, 1.0001, 0.02), 2)
    counts, _ = np.histogram(pairs["similarity"], bins=edges)
    above = int((pairs["similarity"] >= threshold).sum())
    bins = np.clip(np.digitize(pairs["similarity"], edges) - 1, 0, len(edges) - 2)
    named = pairs["rec_id_a"] + " ~ " + pairs["rec_id_b"]
    listed = [_id_lines(named[bins == k].tolist(), per_line=4) if 0 < counts[k] <= 12 else "" for k in range(len(counts))]
    fig = go.Figure(go.Bar(
        x=(edges[:-1] + edges[1:]) / 2, y=counts, width=0.02 * 0.95, name=_t(lang, "sd_name"), marker_color="#0072B2",
        customdata=np.column_stack([edges[:-1], edges[1:], listed]),
        hovertemplate=_TEXT[lang]["sd_hover"],
    ))
    t = format_number(threshold, lang, decimals=3)
    fig.add_vline(x=threshold, line={"color": "#D55E00", "width": 2, "dash": "dash"})
    fig.add_annotation(x=threshold, y=1, yref="paper", xanchor="left", showarrow=False,
                       text=_t(lang, "sd_threshold", t=t, n=above), font={"color": "#D55E00"})
    lookup = pairs.set_index(["rec_id_a", "rec_id_b"])["similarity"]
    for a, b in examples:
        value = float(lookup.get((a, b), lookup.get((b, a), np.nan)))
        fig.add_annotation(x=value, y=0.01, yref="paper", showarrow=True, arrowhead=2, ax=12, ay=-170,
                           text=f"{a} ~ {b}: {format_number(value, lang, decimals=3)}", font={"size": 11},
                           bgcolor="rgba(255,255,255,0.85)")
    fig.update_layout(
        xaxis={"title": {"text": _t(lang, "sd_x")}, "range": [0, 1]},
        yaxis={"title": {"text": _t(lang, "sd_y")}, "type": "log"},
        showlegend=False,
    )
    n = format_number(len(pairs), lang)
    return style_figure(
        fig, lang=lang, title=_t(lang, "sd_title"), subtitle=_t(lang, "sd_sub", n=n), caption=_t(lang, "sd_cap", t=t),
        alt_text=_t(lang, "sd_alt", kind=chart_kind("histogram", lang), n=n, above=above, t=t),
    )  # fmt: skip


def threshold_curve_figure(curve: pd.DataFrame, threshold: float, *, lang: str = "en") -> go.Figure:
    """Chains and the size of the largest chain as the threshold is lowered.

    Examples
    --------
    >>> curve = pd.DataFrame({"threshold": [0.3, 0.4], "links": [9, 3], "chains": [3, 2], "units": [12, 4],
    ...                       "largest": [8, 2]})
    >>> [t.name for t in threshold_curve_figure(curve, 0.35).data]
    ['Chains', 'Units in the largest chain']
    """
    fig = go.Figure()
    for column, key, color in (("chains", "tc_chains", "#0072B2"), ("largest", "tc_largest", "#D55E00")):
        name = _t(lang, key)
        fig.add_trace(go.Scatter(
            x=curve["threshold"], y=curve[column], mode="lines+markers", name=name, line={"color": color},
            customdata=np.column_stack([curve["links"], curve["units"]]),
            hovertemplate=_t(lang, "tc_hover", name=name.lower()),
        ))
    t = format_number(threshold, lang, decimals=3)
    fig.add_vline(x=threshold, line={"color": "#7F7F7F", "width": 2, "dash": "dash"})
    fig.add_annotation(x=threshold, y=1, yref="paper", xanchor="left", showarrow=False, text=_t(lang, "tc_chosen", t=t))
    fig.update_layout(
        xaxis={"title": {"text": _t(lang, "tc_x")}, "autorange": "reversed"},
        yaxis={"title": {"text": _t(lang, "tc_y")}, "rangemode": "tozero"},
        legend={"x": 0.01, "y": 0.99, "bgcolor": "rgba(255,255,255,0.8)"},
    )
    c = curve.sort_values("threshold", ascending=False)
    kw = dict(hi=format_number(float(c["threshold"].iloc[0]), lang, decimals=2),
              lo=format_number(float(c["threshold"].iloc[-1]), lang, decimals=2), t=t)
    return style_figure(
        fig, lang=lang, title=_t(lang, "tc_title"), subtitle=_t(lang, "tc_sub"), caption=_t(lang, "tc_cap", **kw),
        alt_text=_t(lang, "tc_alt", kind=chart_kind("lines", lang), small=int(c["largest"].iloc[0]),
                    big=int(c["largest"].iloc[-1]), peak=int(c["chains"].max()), **kw),
    )  # fmt: skip

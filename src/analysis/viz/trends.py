"""Charts of priority shifts: how each theme's share of the agenda moved, 2009-2018.

Each function takes a table of :mod:`analysis.trends` (the prevalence table
of :meth:`~analysis.trends.ThemeTrends.prevalence` or the saved
``theme_shares`` table, the change table of
:meth:`~analysis.trends.ThemeTrends.change` or the concentration table) and
one method's name, and returns a plotly ``Figure`` styled with
:func:`analysis.viz.style.style_figure`: a title, a subtitle that states the unit
of count, axis titles, the source note, a caption and alt text, and hover
text that lists the recommendations (``rec_id``) behind every point, all in
``lang`` (``"en"`` or ``"es"``).

Every theme keeps one colour, keyed by its ``theme_id``
(:func:`analysis.viz.labels.theme_color`), and is named in the chart's
language (:func:`analysis.viz.labels.theme_label`). Zeros are drawn as zeros;
meeting III, which adopted no recommendations of its own, is shown as a gap
with a note, never as a zero.

Size: about 700 lines, of which some 140 are the chart text in English and
Spanish (``_TEXT``, two tables of the same keys on purpose: one per language);
the six chart functions share the private helpers above them, so they stay in
one module.

Examples
--------
>>> from analysis.data.corpus import load_corpus
>>> from analysis.trends import synthetic_assignments, theme_prevalence
>>> corpus = load_corpus()
>>> shares = theme_prevalence(synthetic_assignments(corpus, n_themes=3), corpus, n_boot=100)
>>> fig = stacked_bars(shares, method="codebook")
>>> [t.name for t in fig.data]
['Theme 1', 'Theme 2', 'Theme 3']
"""

from __future__ import annotations


import math
from collections.abc import Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from analysis._format import escape_text, format_ids, id_lines, wrap
from analysis.viz.labels import theme_color, theme_label
from analysis.viz.style import (
    chart_kind, format_date, format_number, format_percent, format_signed, localized, meeting_tag, method_label,
    style_figure,
)  # fmt: skip

__all__ = [
    "concentration_chart",
    "rank_bump_chart",
    "regression_chart",
    "share_heatmap",
    "share_small_multiples",
    "slope_chart",
    "stacked_bars",
    "theme_palette",
    "unit_phrase",
]

_IDS_PER_LINE = 6
_MUTED = "#C8C8C8"

# One table per language with the same keys: alike by design (tests check that the keys match).
_TEXT: dict[str, dict[str, str]] = {
    "en": {
        "unit_item": "recommendation units (each lettered item counts 1)",
        "unit_paragraph": "numbered paragraphs (each counts 1, shared equally among its lettered items)",
        "word_item": "units", "word_paragraph": "paragraphs",
        "third": "no units<br>of its own:<br>endorsed<br>at IV (¶46)",
        "third_hover": "Meeting III adopted no recommendations of its own;<br>its proposals are paragraph 46 of meeting IV",
        "hover": "<b>{theme}</b><br>Meeting {label}: {share} ({n} of {total} {word})<br>95% CI {lo} to {hi}<br>"
                 "Recommendations: {ids}",
        "more": "and {n} more",
        "theme": "Theme", "meeting_axis": "Meeting (start date)",
        "share_axis": "Share of the meeting's {word} (%)",
        "cap_tail": " Themes: {m}; unit of count: {unit}.",
        "sb_title": "How each meeting's recommendations divide among the themes",
        "sb_sub": "Share of {unit} by primary theme, {m}. Each bar adds up to 100%; n = the meeting's total.",
        "sb_cap": "Theme mix of each meeting of the Working Group, 2009-2018. Meeting III adopted no "
                  "recommendations of its own.",
        "sb_alt": "{kind}, one bar per meeting from I (2009) to VIII (2018), split among {k} themes; "
                  "across all meetings the largest theme is “{big}”.",
        "hm_title": "Theme by meeting: each theme's share of the meeting's recommendations",
        "hm_sub": "Percent of {unit} adopted at the meeting, by primary theme ({m}). Columns add up to 100%.",
        "hm_cap": "Share of each theme in each meeting, 2009-2018. Empty column: meeting III adopted no "
                  "recommendations of its own.",
        "hm_alt": "{kind} of {k} themes (rows) by meeting (columns), each cell the theme's percentage; the largest "
                  "cell is “{big}” at meeting {at} ({v}).",
        "hm_bar": "% of {word}",
        "sm_title": "Each theme's share of the agenda, meeting by meeting, with 95% confidence bands",
        "sm_sub": "Share of {unit} by primary theme ({m}); bands: bootstrap 95% intervals, paragraphs resampled "
                  "within each meeting.{gap}",
        "sm_gap": " Meeting III (19 October 2010) adopted no units of its own: the lines break there.",
        "sm_cap": "Share of each theme at each meeting of the Working Group, 2009-2018, with 95% bootstrap "
                  "confidence bands.",
        "sm_alt": "{kind}, one panel per theme ({k}), share at each meeting with a shaded 95% band; the theme with "
                  "the highest single share is “{big}” ({v} at meeting {at}).",
        "sm_ci": "95% CI",
        "sm_x_date": "Year; each point is a meeting at its start date: {meetings}<br>No meeting in 2012, 2014 or 2016",
        "sm_x_meeting": "Meeting (evenly spaced, I to VIII)",
        "sl_clear": "clear change (Holm-adjusted p < 0.05)", "sl_unclear": "no clear change after Holm's correction",
        "sl_hover": "<b>{theme}</b><br>{period}: {share} ({n} of {total} {word}), 95% CI {lo} to {hi}<br>"
                    "Change: {d} points (95% CI {dlo} to {dhi}), {verdict}<br>Recommendations: {ids}",
        "sl_x": "Period (pooled meetings)", "sl_y": "Share of the period's {word} (%)",
        "sl_title": "Which themes gained and lost ground: {early} against {late}{counted}",
        "sl_by_paragraph": ", counting paragraphs",
        "sl_sub": "Share of {unit} by primary theme ({m}), meetings of each period pooled. Bold: a clear change "
                  "(Holm-adjusted p < 0.05); dotted: not clear. Whiskers: 95% CI. Labels: late share, theme, change in "
                  "percentage points.",
        "sl_cap": "Share of each theme in {early} and {late}, with 95% bootstrap intervals and the change in "
                  "percentage points.",
        "sl_alt": "{kind} of {k} themes from {early} to {late}; the largest rise is “{up}” ({d_up} points), the "
                  "largest fall “{down}” ({d_down} points); {n_clear} of the changes are clear.",
        "rb_rank": "Rank {r} of {k}", "rb_tied": " (tied with {t} other theme{s})",
        "rb_y": "Rank at the meeting (1 = largest share)",
        "rb_title": "Rank of each theme at each meeting",
        "rb_sub": "Themes ranked by their share of the meeting's {unit} ({m}). Hollow marker: theme absent from the "
                  "meeting (ranked below those present, by overall size).{skipped}",
        "rb_skipped": " Meeting III, without units of its own, is left out.",
        "rb_cap": "Rank of each theme by share at each meeting, 2009-2018. Ranks of themes with a few units "
                  "are unstable.",
        "rb_alt": "{kind}: the rank (1 = largest) of {k} themes at each meeting with units; at the last meeting "
                  "the first is “{top}”.",
        "cc_hover": "<b>{label}</b><br>{eff} effective themes (95% CI {lo} to {hi})<br>{nt} themes present among "
                    "{n} {word}<br>normalised entropy {ent}",
        "cc_none": "<b>{label}</b><br>no units of its own",
        "cc_name": "Effective themes", "cc_x": "Meeting, at its start date", "cc_y": "Effective number of themes",
        "cc_title": "Did the meetings become more focused?",
        "cc_sub": "Effective number of themes per meeting: 1 / (chance that two different {word} of the meeting "
                  "share a primary theme), {m}. Fewer = more focused. Whiskers: 95% CI.",
        "cc_cap": "Agenda concentration per meeting as an effective number of themes, with 95% bootstrap "
                  "intervals.",
        "cc_alt": "{kind} with error bars over the meetings on a time axis: the effective number of themes goes "
                  "from {first} at meeting {r1} to {last} at meeting {r2} (lowest {low} at {rl}).",
        "rg_title": "Which themes rose or fell over 2009-2018, year by year",
        "rg_sub": "Change in each theme's share of {unit} per year ({m}): logistic regression on the meeting's year, "
                  "average marginal effect in percentage points, 95% CI with errors clustered by paragraph. Dark: "
                  "clear trend (Holm-adjusted p < 0.05).",
        "rg_x": "Change in share per year (percentage points)",
        "rg_hover": "<b>{theme}</b><br>{pp} points a year (95% CI {lo} to {hi})<br>odds ratio {or_} a year "
                    "(95% CI {or_lo} to {or_hi})<br>p = {p}, Holm-adjusted p = {padj}<br>{n} units",
        "rg_unfit": "<b>{theme}</b><br>not estimated: {note}",
        "rg_clear": "clear trend", "rg_unclear": "no clear trend",
        "rg_cap": "Trend of each theme's share over the years 2009-2018, from a logistic regression with "
                  "paragraph-clustered standard errors.",
        "rg_alt": "{kind}: one point per theme ({k}) with its 95% interval; the steepest rise is “{up}” ({d_up} "
                  "points a year), the steepest fall “{down}” ({d_down}); {n_clear} clear after Holm's correction.",
    },
    "es": {
        "unit_item": "unidades de recomendación (cada apartado con letra cuenta 1)",
        "unit_paragraph": "párrafos numerados (cada uno cuenta 1, repartido a partes iguales entre sus apartados)",
        "word_item": "unidades", "word_paragraph": "párrafos",
        "third": "sin unidades<br>propias:<br>aprobadas<br>en la IV (¶46)",
        "third_hover": "La III reunión no aprobó recomendaciones propias;<br>sus propuestas son el párrafo 46 de la IV",
        "hover": "<b>{theme}</b><br>Reunión {label}: {share} ({n} de {total} {word})<br>IC 95 %: {lo} a {hi}<br>"
                 "Recomendaciones: {ids}",
        "more": "y {n} más",
        "theme": "Tema", "meeting_axis": "Reunión (fecha de inicio)",
        "share_axis": "Proporción de las {word} de la reunión (%)",
        "cap_tail": " Temas: {m}; unidad de cuenta: {unit}.",
        "sb_title": "Cómo se reparten entre los temas las recomendaciones de cada reunión",
        "sb_sub": "Proporción de {unit} por tema principal, {m}. Cada barra suma 100 %; n = total de la reunión.",
        "sb_cap": "Reparto por temas de cada reunión del Grupo de Trabajo, 2009-2018. La III reunión no aprobó "
                  "recomendaciones propias.",
        "sb_alt": "{kind}, una barra por reunión de la I (2009) a la VIII (2018), repartida entre {k} temas; en el "
                  "conjunto de las reuniones el tema mayor es «{big}».",
        "hm_title": "Tema por reunión: la proporción de cada tema en las recomendaciones de la reunión",
        "hm_sub": "Porcentaje de {unit} aprobadas en la reunión, por tema principal ({m}). Cada columna suma 100 %.",
        "hm_cap": "Proporción de cada tema en cada reunión, 2009-2018. Columna vacía: la III reunión no aprobó "
                  "recomendaciones propias.",
        "hm_alt": "{kind} de {k} temas (filas) por reunión (columnas), cada celda el porcentaje del tema; la celda "
                  "mayor es «{big}» en la reunión {at} ({v}).",
        "hm_bar": "% de {word}",
        "sm_title": "La proporción de cada tema en la agenda, reunión a reunión, con bandas de confianza del 95 %",
        "sm_sub": "Proporción de {unit} por tema principal ({m}); bandas: intervalos bootstrap del 95 %, párrafos "
                  "remuestreados dentro de cada reunión.{gap}",
        "sm_gap": " La III reunión (19 de octubre de 2010) no aprobó unidades propias: las líneas se cortan ahí.",
        "sm_cap": "Proporción de cada tema en cada reunión del Grupo de Trabajo, 2009-2018, con bandas de confianza "
                  "bootstrap del 95 %.",
        "sm_alt": "{kind}, un panel por tema ({k}), la proporción en cada reunión con una banda sombreada del 95 %; "
                  "la proporción más alta es la de «{big}» ({v} en la reunión {at}).",
        "sm_ci": "IC 95 %",
        "sm_x_date": "Año; cada punto es una reunión en su fecha de inicio: {meetings}<br>Sin reunión en 2012, 2014 "
                     "ni 2016",
        "sm_x_meeting": "Reunión (a intervalos iguales, I a VIII)",
        "sl_clear": "cambio claro (p ajustada de Holm < 0,05)", "sl_unclear": "sin cambio claro tras la corrección de Holm",
        "sl_hover": "<b>{theme}</b><br>{period}: {share} ({n} de {total} {word}), IC 95 %: {lo} a {hi}<br>"
                    "Cambio: {d} puntos (IC 95 %: {dlo} a {dhi}), {verdict}<br>Recomendaciones: {ids}",
        "sl_x": "Período (reuniones agrupadas)", "sl_y": "Proporción de las {word} del período (%)",
        "sl_title": "Qué temas ganaron y perdieron terreno: {early} frente a {late}{counted}",
        "sl_by_paragraph": ", contando párrafos",
        "sl_sub": "Proporción de {unit} por tema principal ({m}), con las reuniones de cada período agrupadas. "
                  "Trazo grueso: cambio claro (p ajustada de Holm < 0,05); punteado: no claro. Bigotes: IC 95 %. "
                  "Etiquetas: proporción final, tema, cambio en puntos porcentuales.",
        "sl_cap": "Proporción de cada tema en {early} y en {late}, con intervalos bootstrap del 95 % y el cambio en "
                  "puntos porcentuales.",
        "sl_alt": "{kind} de {k} temas de {early} a {late}; la mayor subida es la de «{up}» ({d_up} puntos) y la "
                  "mayor caída la de «{down}» ({d_down} puntos); {n_clear} de los cambios son claros.",
        "rb_rank": "Puesto {r} de {k}", "rb_tied": " (empatado con {t} tema{s} más)",
        "rb_y": "Puesto en la reunión (1 = mayor proporción)",
        "rb_title": "Puesto de cada tema en cada reunión",
        "rb_sub": "Temas ordenados por su proporción de las {unit} de la reunión ({m}). Marcador hueco: tema ausente "
                  "de la reunión (detrás de los presentes, por tamaño total).{skipped}",
        "rb_skipped": " La III reunión, sin unidades propias, no se muestra.",
        "rb_cap": "Puesto de cada tema por proporción en cada reunión, 2009-2018. Los puestos de los temas con pocas "
                  "unidades son inestables.",
        "rb_alt": "{kind}: el puesto (1 = mayor) de {k} temas en cada reunión con unidades; en la última reunión "
                  "el primero es «{top}».",
        "cc_hover": "<b>{label}</b><br>{eff} temas efectivos (IC 95 %: {lo} a {hi})<br>{nt} temas presentes entre "
                    "{n} {word}<br>entropía normalizada {ent}",
        "cc_none": "<b>{label}</b><br>sin unidades propias",
        "cc_name": "Temas efectivos", "cc_x": "Reunión, en su fecha de inicio", "cc_y": "Número efectivo de temas",
        "cc_title": "¿Se centraron más las reuniones?",
        "cc_sub": "Número efectivo de temas por reunión: 1 / (probabilidad de que dos {word} distintas de la reunión "
                  "compartan tema principal), {m}. Menos = más centrada. Bigotes: IC 95 %.",
        "cc_cap": "Concentración de la agenda de cada reunión como número efectivo de temas, con intervalos "
                  "bootstrap del 95 %.",
        "cc_alt": "{kind} con barras de error sobre las reuniones en un eje temporal: el número efectivo de temas "
                  "pasa de {first} en la reunión {r1} a {last} en la reunión {r2} (mínimo {low} en la {rl}).",
        "rg_title": "Qué temas subieron o bajaron en 2009-2018, año a año",
        "rg_sub": "Cambio de la proporción de {unit} de cada tema por año ({m}): regresión logística sobre el año de "
                  "la reunión, efecto marginal medio en puntos porcentuales, IC 95 % con errores agrupados por "
                  "párrafo. Oscuro: tendencia clara (p ajustada de Holm < 0,05).",
        "rg_x": "Cambio de la proporción por año (puntos porcentuales)",
        "rg_hover": "<b>{theme}</b><br>{pp} puntos al año (IC 95 %: {lo} a {hi})<br>razón de momios {or_} al año "
                    "(IC 95 %: {or_lo} a {or_hi})<br>p = {p}, p ajustada de Holm = {padj}<br>{n} unidades",
        "rg_unfit": "<b>{theme}</b><br>sin estimar: {note}",
        "rg_clear": "tendencia clara", "rg_unclear": "sin tendencia clara",
        "rg_cap": "Tendencia de la proporción de cada tema a lo largo de 2009-2018, según una regresión logística "
                  "con errores estándar agrupados por párrafo.",
        "rg_alt": "{kind}: un punto por tema ({k}) con su intervalo del 95 %; la mayor subida es la de «{up}» "
                  "({d_up} puntos al año) y la mayor caída la de «{down}» ({d_down}); {n_clear} claras tras la "
                  "corrección de Holm.",
    },
}  # fmt: skip


def _t(lang: str, key: str, **kw: object) -> str:
    return localized(_TEXT, lang, key, **kw)


def unit_phrase(level: str, lang: str = "en") -> str:
    """What one count is, for subtitles.

    Examples
    --------
    >>> unit_phrase("paragraph")
    'numbered paragraphs (each counts 1, shared equally among its lettered items)'
    >>> unit_phrase("item", "es")
    'unidades de recomendación (cada apartado con letra cuenta 1)'
    """
    return _t(lang, "unit_paragraph" if level == "paragraph" else "unit_item")


def _unit_word(level: str, lang: str = "en") -> str:
    return _t(lang, "word_paragraph" if level == "paragraph" else "word_item")


def _pct(x: float, lang: str, digits: int = 1) -> str:
    return "–" if x is None or (isinstance(x, float) and math.isnan(x)) else format_percent(x, lang, decimals=digits)


def _method_rows(frame: pd.DataFrame, method: str, lang: str = "en") -> pd.DataFrame:
    """The rows of ``method``, with ``label`` (meeting, in ``lang``), ``name`` (theme, in ``lang``)
    and ``color`` (by theme id) added; works on the in-memory tables and the saved ones."""
    rows = frame.loc[frame["method"] == method].copy()
    if rows.empty:
        raise ValueError(f"no rows for method {method!r}; the table has {sorted(frame['method'].unique())}")
    if "date" in rows.columns:
        rows["date"] = pd.to_datetime(rows["date"])
        rows["label"] = [meeting_tag(str(r), d.date(), lang) for r, d in zip(rows["roman"], rows["date"], strict=True)]  # type: ignore[arg-type]
    if "theme" in rows.columns:
        ids = rows["theme_id"].astype(str) if "theme_id" in rows.columns else rows["theme"].astype(str)
        rows["name"] = [theme_label(i, lang, fallback=str(t)) for i, t in zip(ids, rows["theme"], strict=True)]  # type: ignore[arg-type]
        rows["color"] = [theme_color(i) for i in ids]
    return rows


def theme_palette(frame: pd.DataFrame, method: str, lang: str = "en") -> dict[str, str]:
    """One colour per theme of ``method`` (keyed by ``theme_id``), by theme name in ``lang``,
    in the method's canonical theme order.

    ``frame`` is a prevalence table (in theme order) or a change table (with
    ``theme_position``).

    Examples
    --------
    >>> frame = pd.DataFrame({"method": ["m", "m"], "theme_id": ["proteccion", "prevencion"],
    ...                       "theme": ["B", "A"], "theme_position": [1, 0]})
    >>> theme_palette(frame, "m")
    {'Prevention and awareness': '#E69F00', 'Protection and assistance of victims': '#56B4E9'}
    """
    rows = _method_rows(frame, method, lang)
    if "theme_position" in rows.columns:
        rows = rows.sort_values("theme_position", kind="stable")
    rows = rows.drop_duplicates("name")
    return dict(zip(rows["name"].astype(str), rows["color"], strict=True))


def _ids(rec_ids: str, lang: str, limit: int = 15) -> str:
    """``format_ids`` broken over lines of a few ids for a hover box."""
    text = format_ids(rec_ids, limit=limit)
    head, sep, rest = text.partition(" … and ")
    if sep:
        text = head + " … " + _t(lang, "more", n=rest.split()[0])
    return id_lines(text.split(", "), _IDS_PER_LINE, sep=",<br>")


def _n(x: float, lang: str = "en") -> str:
    return format_number(x, lang) if float(x) == int(x) else format_number(x, lang, decimals=1)


def _share_hover(row: pd.Series, level: str, lang: str) -> str:
    """Hover text of one theme at one meeting."""
    if row["n_total"] == 0:
        return f"<b>{row['label']}</b><br>" + _t(lang, "third_hover")
    return _t(lang, "hover", theme=row["name"], label=row["label"], share=_pct(row["share"], lang),
              n=_n(row["n"], lang), total=row["n_total"], word=_unit_word(level, lang), lo=_pct(row["ci_low"], lang),
              hi=_pct(row["ci_high"], lang), ids=_ids(row["rec_ids"], lang))  # fmt: skip


def _level(frame: pd.DataFrame) -> str:
    return str(frame["level"].iloc[0]) if "level" in frame.columns else "item"


def _style(fig: go.Figure, *, key: str, lang: str, method: str, level: str, alt: str, width: int, height: int,
           top_space: int = 0, **kw: object) -> go.Figure:
    """Project style; the caption ends with the method and the unit of count."""
    m, unit = method_label(method, lang, long=True), unit_phrase(level, lang)
    caption = _t(lang, f"{key}_cap", **kw) + _t(lang, "cap_tail", m=m, unit=unit)
    return style_figure(fig, title=_t(lang, f"{key}_title", **kw), subtitle=_t(lang, f"{key}_sub", m=m, unit=unit, **kw),
                        caption=caption, alt_text=alt, lang=lang, width=width, height=height,
                        top_space=top_space)  # fmt: skip


def _meeting_axis(rows: pd.DataFrame) -> list[str]:
    return rows[["meeting", "label"]].drop_duplicates().sort_values("meeting")["label"].astype(str).tolist()


def _meeting_ticks(rows: pd.DataFrame) -> dict[str, object]:
    """A category axis of meetings in order, labelled "IV" over "Oct 2011"."""
    labels = _meeting_axis(rows)
    return {"categoryorder": "array", "categoryarray": labels, "tickvals": labels, "tickangle": 0,
            "ticktext": [label.replace(" · ", "<br>") for label in labels]}  # fmt: skip


def _third_meeting_gap(rows: pd.DataFrame) -> pd.DataFrame:
    """Meetings without units (III unless 4.46 is credited to it)."""
    return rows.loc[rows["n_total"] == 0, ["meeting", "label", "date"]].drop_duplicates()


# --------------------------------------------------------------------------- stacked bars


def stacked_bars(shares: pd.DataFrame, *, method: str = "codebook", lang: str = "en") -> go.Figure:
    """100% stacked bars: each meeting's agenda split by theme, meetings I to VIII.

    Examples
    --------
    >>> from analysis.data.corpus import load_corpus
    >>> from analysis.trends import synthetic_assignments, theme_prevalence
    >>> corpus = load_corpus()
    >>> s = theme_prevalence(synthetic_assignments(corpus, n_themes=2, methods=["m"]), corpus, n_boot=50)
    >>> stacked_bars(s, method="m").layout.yaxis.title.text
    "Share of the meeting's units (%)"
    """
    rows = _method_rows(shares, method, lang)
    level = _level(rows)
    fig = go.Figure()
    for name, g in rows.groupby("name", sort=False):
        fig.add_trace(go.Bar(
            x=g["label"].astype(str), y=100 * g["share"], name=str(name), marker_color=g["color"].iloc[0],
            hovertext=[_share_hover(r, level, lang) for _, r in g.iterrows()], hoverinfo="text",
        ))  # fmt: skip
    totals = rows.drop_duplicates("meeting")
    for r in totals.itertuples():
        text = f"n = {_n(r.n_total, lang)}" if r.n_total else _t(lang, "third")
        fig.add_annotation(x=str(r.label), y=100 if r.n_total else 50, yshift=10 if r.n_total else 0,
                           text=text, showarrow=False, font={"size": 11})  # fmt: skip
    fig.update_layout(
        barmode="stack", legend={"title": {"text": _t(lang, "theme")}, "traceorder": "normal"},
        xaxis={"title": {"text": _t(lang, "meeting_axis")}, **_meeting_ticks(rows)},
        yaxis={"title": {"text": _t(lang, "share_axis", word=_unit_word(level, lang))}, "range": [0, 106],
               "ticksuffix": "%"},
    )  # fmt: skip
    big = rows.groupby("name", sort=False)["n"].sum().idxmax()
    alt = _t(lang, "sb_alt", kind=chart_kind("stacked", lang), k=rows["name"].nunique(), big=big)
    return _style(fig, key="sb", lang=lang, method=method, level=level, alt=alt, width=1100, height=640)


# --------------------------------------------------------------------------- heatmap


def share_heatmap(shares: pd.DataFrame, *, method: str = "codebook", lang: str = "en") -> go.Figure:
    """Heatmap, theme by meeting, with each share printed in its cell (0% printed too).

    Examples
    --------
    >>> from analysis.data.corpus import load_corpus
    >>> from analysis.trends import synthetic_assignments, theme_prevalence
    >>> corpus = load_corpus()
    >>> s = theme_prevalence(synthetic_assignments(corpus, n_themes=2, methods=["m"]), corpus, n_boot=50)
    >>> share_heatmap(s, method="m").data[0].text[0][2]  # meeting III: no units, no number
    ''
    """
    rows = _method_rows(shares, method, lang)
    level = _level(rows)
    themes = rows["name"].drop_duplicates().astype(str).tolist()
    meetings = _meeting_axis(rows)
    grid = rows.pivot_table(index="name", columns="label", values="share", dropna=False, sort=False)
    grid = grid.reindex(index=themes, columns=meetings)
    cells = {(str(r["name"]), str(r["label"])): _share_hover(r, level, lang) for _, r in rows.iterrows()}
    hover = [[cells[(t, m)] for m in meetings] for t in themes]
    text = [["" if np.isnan(v) else _pct(v, lang, 0).replace("\u00a0", "") for v in line] for line in grid.to_numpy()]
    fig = go.Figure(go.Heatmap(
        z=100 * grid.to_numpy(), x=meetings, y=themes, text=text, texttemplate="%{text}", textfont={"size": 11},
        hovertext=hover, hoverinfo="text", zmin=0, xgap=2, ygap=2, colorscale="Blues",
        colorbar={"title": {"text": _t(lang, "hm_bar", word=_unit_word(level, lang))}, "ticksuffix": "%"},
    ))  # fmt: skip
    for r in _third_meeting_gap(rows).itertuples():
        fig.add_annotation(x=str(r.label), y=themes[len(themes) // 2], text=_t(lang, "third"), showarrow=False,
                           font={"size": 11})  # fmt: skip
    fig.update_layout(
        xaxis={"title": {"text": _t(lang, "meeting_axis")}, **_meeting_ticks(rows), "showgrid": False},
        yaxis={"title": {"text": _t(lang, "theme")}, "autorange": "reversed", "showgrid": False},
    )
    top = rows.loc[rows["share"].idxmax()]
    alt = _t(lang, "hm_alt", kind=chart_kind("heatmap", lang), k=len(themes), big=top["name"], at=top["roman"],
             v=_pct(top["share"], lang, 0))  # fmt: skip
    return _style(fig, key="hm", lang=lang, method=method, level=level, alt=alt, width=1100,
                  height=max(420, 34 * len(themes) + 260))


# --------------------------------------------------------------------------- small multiples


def _rgba(hex_color: str, alpha: float) -> str:
    h = hex_color.lstrip("#")
    return f"rgba({int(h[0:2], 16)}, {int(h[2:4], 16)}, {int(h[4:6], 16)}, {alpha})"


def _band(x: Sequence, low: np.ndarray, high: np.ndarray) -> tuple[list, list]:
    """Polygon(s) of a CI band; a missing point (meeting III) splits it, separated by ``None``."""
    xs, ys = [], []
    x = list(x)
    segment: list[int] = []
    for i in [*range(len(x)), None]:
        if i is not None and not np.isnan(low[i]):
            segment.append(i)
            continue
        if segment:
            xs += [x[j] for j in segment] + [x[j] for j in reversed(segment)] + [None]
            ys += [100 * high[j] for j in segment] + [100 * low[j] for j in reversed(segment)] + [None]
        segment = []
    return xs, ys


def share_small_multiples(
    shares: pd.DataFrame, *, method: str = "codebook", time_axis: str = "date", columns: int = 3, lang: str = "en"
) -> go.Figure:
    """One small chart per theme: its share at each meeting with the 95% CI band.

    Parameters
    ----------
    shares : DataFrame
        Prevalence table.
    method : str
        Which method's themes.
    time_axis : {"date", "meeting"}
        ``"date"``: true time, each meeting at its start date, so the years
        without a meeting (2012, 2014, 2016) show as gaps. ``"meeting"``: the
        eight meetings evenly spaced.
    columns : int
        Charts per row.
    lang : {"en", "es"}
        Language of every text of the chart.

    Examples
    --------
    >>> from analysis.data.corpus import load_corpus
    >>> from analysis.trends import synthetic_assignments, theme_prevalence
    >>> corpus = load_corpus()
    >>> s = theme_prevalence(synthetic_assignments(corpus, n_themes=2, methods=["m"]), corpus, n_boot=50)
    >>> fig = share_small_multiples(s, method="m")
    >>> len(fig.data), fig.layout.xaxis.type
    (4, 'date')
    """
    if time_axis not in ("date", "meeting"):
        raise ValueError(f"time_axis must be 'date' or 'meeting', not {time_axis!r}")
    rows = _method_rows(shares, method, lang)
    level = _level(rows)
    themes = rows["name"].drop_duplicates().astype(str).tolist()
    n_rows = math.ceil(len(themes) / columns)
    fig = make_subplots(
        rows=n_rows, cols=columns, shared_xaxes=True, shared_yaxes=True, horizontal_spacing=0.04,
        vertical_spacing=min(0.1, 0.32 / n_rows), subplot_titles=[wrap(t, 46) for t in themes],
    )  # fmt: skip
    top = float(np.nanmax(rows["ci_high"])) if rows["ci_high"].notna().any() else 1.0
    for i, (theme, g) in enumerate(rows.groupby("name", sort=False)):
        g = g.sort_values("meeting")
        x = g["date"].tolist() if time_axis == "date" else g["label"].astype(str).tolist()
        row, col = i // columns + 1, i % columns + 1
        color = g["color"].iloc[0]
        bx, by = _band(x, g["ci_low"].to_numpy(float), g["ci_high"].to_numpy(float))
        fig.add_trace(go.Scatter(x=bx, y=by, mode="lines", fill="toself", fillcolor=_rgba(color, 0.22), line={"width": 0},
                                 hoverinfo="skip", showlegend=False, name=f"{theme}: {_t(lang, 'sm_ci')}"),
                      row=row, col=col)  # fmt: skip
        fig.add_trace(go.Scatter(
            x=x, y=100 * g["share"], mode="lines+markers", line={"color": color, "width": 2},
            marker={"size": 6, "color": color}, connectgaps=False, showlegend=False, name=str(theme),
            hovertext=[_share_hover(r, level, lang) for _, r in g.iterrows()], hoverinfo="text",
        ), row=row, col=col)  # fmt: skip
    meetings = rows.drop_duplicates("meeting").sort_values("meeting")
    if time_axis == "date":
        first, last = int(meetings["year"].min()), int(meetings["year"].max())
        ticks = {"type": "date", "tickvals": [f"{y}-01-01" for y in range(first, last + 2, 2)],
                 "ticktext": [str(y) for y in range(first, last + 2, 2)], "tickangle": 0,
                 "range": [f"{first}-01-01", f"{last}-12-31"],
                 "minor": {"tickvals": [f"{y}-01-01" for y in range(first, last + 2)], "showgrid": True}}  # fmt: skip
        listed = ", ".join(f"{r} {format_date(d.date(), lang, style='month')}"
                           for r, d in zip(meetings["roman"], meetings["date"], strict=True))  # fmt: skip
        x_title = _t(lang, "sm_x_date", meetings=listed)
    else:
        ticks = {"type": "category", "tickvals": meetings["label"].astype(str).tolist(), "tickangle": 0,
                 "ticktext": meetings["roman"].tolist(), "categoryorder": "array",
                 "categoryarray": meetings["label"].astype(str).tolist()}  # fmt: skip
        x_title = _t(lang, "sm_x_meeting")
    fig.update_xaxes(**ticks, tickfont={"size": 10}, showgrid=True)
    fig.update_yaxes(range=[0, 100 * min(1.0, top) * 1.08], ticksuffix="%", tickfont={"size": 10})
    fig.update_annotations(font={"size": 11})
    fig.add_annotation(text=x_title, x=0.5, y=0, xref="paper", yref="paper", yshift=-40, yanchor="top",
                       showarrow=False, font={"size": 12})  # fmt: skip
    fig.add_annotation(text=_t(lang, "share_axis", word=_unit_word(level, lang)), x=0, y=0.5, xref="paper",
                       yref="paper", xshift=-58, textangle=-90, showarrow=False, font={"size": 13})  # fmt: skip
    fig.update_layout(margin={"b": 170})
    gap = _t(lang, "sm_gap") if (rows["n_total"] == 0).any() else ""
    peak = rows.loc[rows["share"].idxmax()]
    alt = _t(lang, "sm_alt", kind=chart_kind("small_lines", lang), k=len(themes), big=peak["name"],
             v=_pct(peak["share"], lang, 0), at=peak["roman"])  # fmt: skip
    return _style(fig, key="sm", lang=lang, method=method, level=level, alt=alt, width=1100,
                  height=210 * n_rows + 340, gap=gap, top_space=30)


# --------------------------------------------------------------------------- slope chart


def _spread(values: Sequence[float], gap: float, lower: float = 0.0) -> list[float]:
    """Label positions near ``values``, at least ``gap`` apart and not below ``lower``.

    Labels are stacked from the bottom up: each goes to its own value or just
    above the label below it, whichever is higher.

    Examples
    --------
    >>> _spread([1.0, 1.1, 5.0, -1.0], gap=1.0)
    [1.0, 2.0, 5.0, 0.0]
    """
    order = np.argsort(values, kind="stable")
    out = np.empty(len(values))
    floor = lower
    for i in order:
        out[i] = max(float(values[i]), floor)
        floor = out[i] + gap
    return [round(float(v), 6) for v in out]


def slope_chart(change: pd.DataFrame, *, method: str = "codebook", lang: str = "en") -> go.Figure:
    """Slope chart: each theme's share early against late, with CIs; clear changes drawn bold.

    Examples
    --------
    >>> from analysis.data.corpus import load_corpus
    >>> from analysis.trends import ThemeTrends, synthetic_assignments
    >>> corpus = load_corpus()
    >>> ch = ThemeTrends.build(synthetic_assignments(corpus, n_themes=2, methods=["m"]), corpus, n_boot=50).change()
    >>> slope_chart(ch, method="m").layout.xaxis.ticktext[0].split("<br>")[0]
    '2009–2011'
    """
    rows = _method_rows(change, method, lang).sort_values("theme_position", kind="stable")
    level = _level(rows)
    first = rows.iloc[0]
    word = _unit_word(level, lang)
    x_text = [f"{first['early']}<br>({_n(first['total_early'], lang)} {word})",
              f"{first['late']}<br>({_n(first['total_late'], lang)} {word})"]  # fmt: skip
    fig = go.Figure()

    def pts(x: float) -> str:
        return format_signed(100 * x, lang)

    for r in rows.itertuples():
        verdict = _t(lang, "sl_clear" if r.clear else "sl_unclear")
        common = dict(theme=r.name, word=word, d=pts(r.diff), dlo=pts(r.diff_low), dhi=pts(r.diff_high), verdict=verdict)
        hover = [
            _t(lang, "sl_hover", period=r.early, share=_pct(r.share_early, lang), n=_n(r.n_early, lang),
               total=_n(r.total_early, lang), lo=_pct(r.low_early, lang), hi=_pct(r.high_early, lang),
               ids=_ids(r.rec_ids_early, lang), **common),
            _t(lang, "sl_hover", period=r.late, share=_pct(r.share_late, lang), n=_n(r.n_late, lang),
               total=_n(r.total_late, lang), lo=_pct(r.low_late, lang), hi=_pct(r.high_late, lang),
               ids=_ids(r.rec_ids_late, lang), **common),
        ]  # fmt: skip
        fig.add_trace(go.Scatter(
            x=[0, 1], y=[100 * r.share_early, 100 * r.share_late], mode="lines+markers", name=str(r.name),
            line={"color": r.color, "width": 3.5 if r.clear else 1.5, "dash": "solid" if r.clear else "dot"},
            marker={"size": 9 if r.clear else 6, "color": r.color},
            error_y={"type": "data", "symmetric": False, "thickness": 1, "width": 3,
                     "color": _rgba(r.color, 0.8 if r.clear else 0.35),
                     "array": [100 * (r.high_early - r.share_early), 100 * (r.high_late - r.share_late)],
                     "arrayminus": [100 * (r.share_early - r.low_early), 100 * (r.share_late - r.low_late)]},
            hovertext=hover, hoverinfo="text", showlegend=False,
        ))  # fmt: skip
    top = 100 * float(max(rows["high_early"].max(), rows["high_late"].max()))
    ys = _spread((100 * rows["share_late"]).tolist(), gap=top / 40)
    for r, y in zip(rows.itertuples(), ys, strict=True):
        fig.add_annotation(
            x=1, y=y, xanchor="left", xshift=14, showarrow=False, font={"size": 11},
            text=f"<span style='color:{r.color}'>●</span> {_pct(r.share_late, lang, 0)}  "
                 f"{escape_text(r.name)}  <b>{pts(r.diff)}</b>",
        )  # fmt: skip
    fig.update_layout(
        margin={"r": 400},
        xaxis={"tickvals": [0, 1], "ticktext": x_text, "range": [-0.15, 1.05], "title": {"text": _t(lang, "sl_x")},
               "showgrid": False},
        yaxis={"title": {"text": _t(lang, "sl_y", word=word)}, "ticksuffix": "%", "rangemode": "tozero"},
    )  # fmt: skip
    up, down = rows.loc[rows["diff"].idxmax()], rows.loc[rows["diff"].idxmin()]
    alt = _t(lang, "sl_alt", kind=chart_kind("slope", lang), k=len(rows), early=first["early"], late=first["late"],
             up=up["name"], d_up=pts(up["diff"]), down=down["name"], d_down=pts(down["diff"]),
             n_clear=int(rows["clear"].sum()))  # fmt: skip
    # the paragraph count says so in its title: the two versions are told apart in a gallery or a report
    counted = _t(lang, "sl_by_paragraph") if level == "paragraph" else ""
    return _style(fig, key="sl", lang=lang, method=method, level=level, alt=alt, width=1050, height=820,
                  early=first["early"], late=first["late"], counted=counted)


# --------------------------------------------------------------------------- bump chart


def rank_bump_chart(
    shares: pd.DataFrame, *, method: str = "codebook", highlight: Sequence[str] | None = None, lang: str = "en"
) -> go.Figure:
    """Bump chart: the rank of each theme at each meeting (1 = largest share).

    ``highlight`` names the themes drawn in their colours (by ``theme_id`` or by
    the name in the table; all by default); the others are drawn thin and
    grey, still with hover text. Ties (most often themes absent from a meeting)
    are broken by the theme's overall size, then by theme order; an absent
    theme is drawn with a hollow marker so that its rank is not read as a real
    position.

    Examples
    --------
    >>> from analysis.data.corpus import load_corpus
    >>> from analysis.trends import synthetic_assignments, theme_prevalence
    >>> corpus = load_corpus()
    >>> s = theme_prevalence(synthetic_assignments(corpus, n_themes=3, methods=["m"]), corpus, n_boot=50)
    >>> fig = rank_bump_chart(s, method="m")
    >>> sorted({int(y) for t in fig.data for y in t.y})
    [1, 2, 3]
    """
    rows = _method_rows(shares, method, lang)
    rows = rows.loc[rows["n_total"] > 0].copy()
    level = _level(rows)
    names = rows["name"].drop_duplicates().astype(str).tolist()
    position = {t: i for i, t in enumerate(names)}
    overall = rows.groupby("name", sort=False)["n"].sum()
    rows["_overall"], rows["_pos"] = rows["name"].map(overall), rows["name"].map(position)
    rows = rows.sort_values(["meeting", "share", "_overall", "_pos"], ascending=[True, False, False, True])
    rows["rank"] = rows.groupby("meeting", observed=True).cumcount() + 1
    tied = rows.groupby(["meeting", "share"], observed=True)["name"].transform("size") - 1
    if highlight is None:
        shown = set(names)
    else:
        wanted = {str(t) for t in highlight}
        ids = rows["theme_id"].astype(str) if "theme_id" in rows.columns else rows["theme"].astype(str)
        shown = set(rows.loc[ids.isin(wanted) | rows["theme"].astype(str).isin(wanted) | rows["name"].isin(wanted),
                             "name"])  # fmt: skip
    fig = go.Figure()
    for theme, g in rows.sort_values("meeting").groupby("name", sort=False):
        on = str(theme) in shown
        color = g["color"].iloc[0] if on else _MUTED
        hover = [
            _share_hover(r, level, lang) + "<br>" + _t(lang, "rb_rank", r=r["rank"], k=len(names))
            + (_t(lang, "rb_tied", t=t, s="s" if t > 1 else "") if t else "")
            for (_, r), t in zip(g.iterrows(), tied.loc[g.index], strict=True)
        ]
        fig.add_trace(go.Scatter(
            x=g["label"].astype(str), y=g["rank"], mode="lines+markers", name=str(theme),
            line={"color": color, "width": 3 if on else 1.5},
            marker={"size": 11 if on else 7, "color": [color if n > 0 else "white" for n in g["n"]],
                    "line": {"color": color, "width": 2}},
            hovertext=hover, hoverinfo="text", showlegend=False,
        ))  # fmt: skip
    last = rows.loc[rows["meeting"] == rows["meeting"].max()]
    for r in last.itertuples():
        mark = r.color if str(r.name) in shown else _MUTED
        fig.add_annotation(x=str(r.label), y=r.rank, text=f"<span style='color:{mark}'>●</span> {escape_text(r.name)}",
                           xanchor="left", xshift=12, showarrow=False, font={"size": 11})  # fmt: skip
    n_meetings = rows["meeting"].nunique()
    fig.update_layout(
        # whole theme names in the right margin, at ~6.3 px a character (11 px font)
        margin={"r": 40 + int(6.3 * max(len(str(n)) for n in last["name"]))},
        xaxis={"title": {"text": _t(lang, "meeting_axis")}, **_meeting_ticks(rows),
               "range": [-0.4, n_meetings - 0.6]},
        yaxis={"title": {"text": _t(lang, "rb_y")}, "autorange": "reversed",
               "tickvals": list(range(1, len(names) + 1)), "showgrid": False, "zeroline": False},
    )  # fmt: skip
    skipped = _t(lang, "rb_skipped") if (shares["n_total"] == 0).any() else ""
    alt = _t(lang, "rb_alt", kind=chart_kind("bump", lang), k=len(names),
             top=last.sort_values("rank")["name"].iloc[0])  # fmt: skip
    return _style(fig, key="rb", lang=lang, method=method, level=level, alt=alt, width=1100,
                  height=max(460, 34 * len(names) + 240), skipped=skipped)


# --------------------------------------------------------------------------- concentration


def concentration_chart(conc: pd.DataFrame, *, method: str = "codebook", lang: str = "en") -> go.Figure:
    """Effective number of themes per meeting (1 / unbiased HHI) on a time axis, with 95% CIs.

    Examples
    --------
    >>> from analysis.data.corpus import load_corpus
    >>> from analysis.trends import ThemeTrends, synthetic_assignments
    >>> corpus = load_corpus()
    >>> c = ThemeTrends.build(synthetic_assignments(corpus, methods=["m"]), corpus, n_boot=50).concentration()
    >>> concentration_chart(c, method="m").layout.xaxis.type
    'date'
    """
    rows = _method_rows(conc, method, lang).sort_values("meeting")
    level = _level(rows)
    word = _unit_word(level, lang)
    rows = rows.assign(
        eff=1 / rows["hhi_corrected"], eff_low=1 / rows["hhi_corrected_high"], eff_high=1 / rows["hhi_corrected_low"]
    )

    def num(x: float) -> str:
        return format_number(x, lang, decimals=1)

    hover = [
        _t(lang, "cc_hover", label=r.label, eff=num(r.eff), lo=num(r.eff_low), hi=num(r.eff_high), nt=r.n_themes,
           n=_n(r.n_total, lang), word=word, ent=format_number(r.entropy, lang, decimals=2))
        if r.n_total else _t(lang, "cc_none", label=r.label)
        for r in rows.itertuples()
    ]  # fmt: skip
    fig = go.Figure(go.Scatter(
        x=rows["date"], y=rows["eff"], mode="lines+markers", connectgaps=False, name=_t(lang, "cc_name"),
        error_y={"type": "data", "symmetric": False, "array": rows["eff_high"] - rows["eff"],
                 "arrayminus": rows["eff"] - rows["eff_low"], "thickness": 1.5, "width": 4},
        line={"color": "#0072B2"}, hovertext=hover, hoverinfo="text",
    ))  # fmt: skip
    fig.update_layout(
        showlegend=False,
        xaxis={"title": {"text": _t(lang, "cc_x")}, "tickvals": rows["date"].tolist(), "type": "date",
               "ticktext": [f"{r}<br>{y}" for r, y in zip(rows["roman"], rows["year"], strict=True)]},
        yaxis={"title": {"text": _t(lang, "cc_y")}, "rangemode": "tozero"},
    )  # fmt: skip
    valid = rows.loc[rows["n_total"] > 0]
    low = valid.loc[valid["eff"].idxmin()]
    alt = _t(lang, "cc_alt", kind=chart_kind("lines", lang), first=num(valid["eff"].iloc[0]), r1=valid["roman"].iloc[0],
             last=num(valid["eff"].iloc[-1]), r2=valid["roman"].iloc[-1], low=num(low["eff"]), rl=low["roman"])  # fmt: skip
    return _style(fig, key="cc", lang=lang, method=method, level=level, alt=alt, width=900, height=520, word=word)


# --------------------------------------------------------------------------- regression


def regression_chart(regression: pd.DataFrame, *, method: str = "reference", lang: str = "en") -> go.Figure:
    """Dot plot: each theme's change in share per year with its 95% CI; clear trends (Holm) drawn dark.

    ``regression`` is :func:`analysis.trends.prevalence_regression`'s table
    (or the saved ``theme_regression``). Themes that could not be fitted are
    listed with their reason in the hover text and no point.

    Examples
    --------
    >>> from analysis.data.corpus import load_corpus
    >>> from analysis.trends import prevalence_regression, synthetic_assignments
    >>> corpus = load_corpus()
    >>> reg = prevalence_regression(synthetic_assignments(corpus, n_themes=3, methods=["m"]), corpus)
    >>> [t.name for t in regression_chart(reg, method="m").data]
    ['no clear trend']
    """
    rows = _method_rows(regression, method, lang).sort_values("theme_position", ascending=False, kind="stable")
    if "clear" not in rows.columns:  # the saved table: clear is p_adjusted < 0.05
        rows["clear"] = (rows["p_adjusted"] < 0.05).fillna(False).astype(bool)

    def pts(x: float) -> str:
        return "–" if pd.isna(x) else format_signed(x, lang)

    def num(x: float, d: int = 2) -> str:
        return "–" if pd.isna(x) else format_number(x, lang, decimals=d)

    def pval(p: float) -> str:
        return "–" if pd.isna(p) else ("< " + num(0.001, 3) if p < 0.001 else num(p, 3))

    hover = [
        _t(lang, "rg_hover", theme=escape_text(r.name), pp=pts(r.pp_per_year), lo=pts(r.pp_low), hi=pts(r.pp_high),
           or_=num(r.odds_ratio), or_lo=num(r.or_low), or_hi=num(r.or_high), p=pval(r.p_value),
           padj=pval(r.p_adjusted), n=format_number(r.n_units, lang))
        if pd.notna(r.pp_per_year) else _t(lang, "rg_unfit", theme=escape_text(r.name), note=escape_text(str(r.note)))
        for r in rows.itertuples()
    ]  # fmt: skip
    rows = rows.assign(_hover=hover)
    fig = go.Figure()
    for clear, g in rows.groupby("clear", sort=True):
        color = "#0072B2" if clear else "#9A9A9A"
        fig.add_trace(go.Scatter(
            x=g["pp_per_year"], y=g["name"], mode="markers", name=_t(lang, "rg_clear" if clear else "rg_unclear"),
            marker={"size": 10 if clear else 7, "color": color},
            error_x={"type": "data", "symmetric": False, "array": g["pp_high"] - g["pp_per_year"],
                     "arrayminus": g["pp_per_year"] - g["pp_low"], "color": color, "thickness": 1.5, "width": 4},
            hovertext=g["_hover"], hoverinfo="text",
        ))  # fmt: skip
    fig.add_vline(x=0, line={"color": "#555555", "width": 1})
    fig.update_layout(
        margin={"l": 40 + int(6.6 * max(len(str(n)) for n in rows["name"]))},
        xaxis={"title": {"text": _t(lang, "rg_x")}, "zeroline": False},
        yaxis={"categoryorder": "array", "categoryarray": rows["name"].tolist(), "automargin": True},
        legend={"orientation": "h", "y": -0.15},
    )  # fmt: skip
    fitted = rows.loc[rows["pp_per_year"].notna()]
    up, down = fitted.loc[fitted["pp_per_year"].idxmax()], fitted.loc[fitted["pp_per_year"].idxmin()]
    alt = _t(lang, "rg_alt", kind=chart_kind("dotplot", lang), k=len(rows), up=up["name"], d_up=pts(up["pp_per_year"]),
             down=down["name"], d_down=pts(down["pp_per_year"]), n_clear=int(rows["clear"].sum()))  # fmt: skip
    return _style(fig, key="rg", lang=lang, method=method, level="item", alt=alt, width=950,
                  height=max(420, 30 * len(rows) + 220))

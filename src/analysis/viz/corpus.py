"""Charts that describe the corpus itself: how much each meeting adopted, how long units are.

Each chart function takes a :class:`~analysis.data.corpus.Corpus` and returns a
plotly ``Figure`` styled by :func:`analysis.viz.style.style_figure`: title,
subtitle that states the unit of count, caption, alt text, axis titles and
hover text, all in ``lang`` ("en" or "es").

Examples
--------
>>> from analysis.data.corpus import load_corpus
>>> fig = meeting_counts_figure(load_corpus())
>>> [trace.name for trace in fig.data]
['Numbered paragraphs', 'Recommendation units']
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from analysis._format import escape_text
from analysis.data.corpus import Corpus
from analysis.viz.style import chart_kind, format_date, localized, meeting_tag, style_figure

__all__ = ["examples_table", "length_figure", "meeting_counts_figure", "meeting_summary"]

_TEXT: dict[str, dict[str, str]] = {
    "en": {
        "paragraphs": "Numbered paragraphs", "units": "Recommendation units",
        "none": "{r}: no units of its own",
        "mc_title": "Recommendations adopted at each meeting of the Working Group, 2009–2018",
        "mc_sub": "Numbered paragraphs and recommendation units per meeting. A unit is a numbered paragraph without "
                  "lettered items, or one lettered item a), b) … of a paragraph.",
        "mc_cap": "Recommendations adopted at each meeting of the Working Group, 2009-2018, counted as numbered "
                  "paragraphs and as recommendation units. Meeting III adopted none of its own: its proposals were "
                  "endorsed at meeting IV (paragraph 46).",
        "mc_alt": "{kind} on a time axis, paragraphs and units side by side: {counts}.",
        "mc_x": "Meeting (start date)", "mc_y": "Number of paragraphs / units",
        "len_name": "Units", "words": "words",
        "len_title": "How long is a recommendation? Words per unit, by meeting",
        "len_sub": "Each dot is one recommendation unit; the median unit has {median} words. Lettered items are "
                   "counted without their lead-in.",
        "len_cap": "Length of each recommendation unit in words, by meeting; each dot is one unit. The longest unit, "
                   "{longest}, has {max} words.",
        "len_alt": "{kind}: words per recommendation unit for meetings I to VIII (no III); medians per meeting lie "
                   "between {lo} and {hi} words, and {over} units have over 100 words.",
        "len_x": "Meeting", "len_y": "Length (words)",
        "pair": "{r} {p} and {u}",
    },
    "es": {
        "paragraphs": "Párrafos numerados", "units": "Unidades de recomendación",
        "none": "{r}: sin unidades propias",
        "mc_title": "Recomendaciones aprobadas en cada reunión del Grupo de Trabajo, 2009–2018",
        "mc_sub": "Párrafos numerados y unidades de recomendación por reunión. Una unidad es un párrafo numerado sin "
                  "apartados con letra, o un apartado a), b) … de un párrafo.",
        "mc_cap": "Recomendaciones aprobadas en cada reunión del Grupo de Trabajo, 2009-2018, contadas como párrafos "
                  "numerados y como unidades de recomendación. La III reunión no aprobó ninguna propia: sus "
                  "propuestas se aprobaron en la IV (párrafo 46).",
        "mc_alt": "{kind} sobre un eje temporal, párrafos y unidades lado a lado: {counts}.",
        "mc_x": "Reunión (fecha de inicio)", "mc_y": "Número de párrafos / unidades",
        "len_name": "Unidades", "words": "palabras",
        "len_title": "¿Qué extensión tiene una recomendación? Palabras por unidad, por reunión",
        "len_sub": "Cada punto es una unidad de recomendación; la unidad mediana tiene {median} palabras. Los "
                   "apartados con letra se cuentan sin su frase introductoria.",
        "len_cap": "Extensión de cada unidad de recomendación en palabras, por reunión; cada punto es una unidad. La "
                   "más larga, {longest}, tiene {max} palabras.",
        "len_alt": "{kind}: palabras por unidad de recomendación en las reuniones I a VIII (sin la III); las medianas "
                   "de cada reunión están entre {lo} y {hi} palabras, y {over} unidades superan las 100 palabras.",
        "len_x": "Reunión", "len_y": "Extensión (palabras)",
        "pair": "{r} {p} y {u}",
    },
}  # fmt: skip


def _t(lang: str, key: str, **kw: object) -> str:
    return localized(_TEXT, lang, key, **kw)


def meeting_summary(corpus: Corpus) -> pd.DataFrame:
    """One row per meeting: dates, paragraphs, units, words and the note, for display.

    Examples
    --------
    >>> from analysis.data.corpus import load_corpus
    >>> meeting_summary(load_corpus())["units"].sum()
    np.int64(288)
    """
    m = corpus.meetings
    words = corpus.recommendations.groupby("meeting", observed=False)["n_words"].sum()
    return pd.DataFrame({
        "meeting": m["roman"],
        "dates": m["dates_text"],
        "paragraphs": m["n_paragraphs"].astype(int),
        "units": m["n_units"].astype(int),
        "words": [int(words.get(k, 0)) for k in m["meeting"]],
        "note": m["note"].fillna(""),
    }).set_index("meeting")


def meeting_counts_figure(corpus: Corpus, *, lang: str = "en") -> go.Figure:
    """Paragraphs and units per meeting, side by side, on a true time axis.

    Bars stand at each meeting's start date, so the years without a meeting
    (2012, 2014, 2016) show as gaps; the third meeting shows zero bars with a
    note, since its recommendations were endorsed (and are counted) at the fourth.
    """
    m = corpus.meetings
    labels = [meeting_tag(r, d.date(), lang) for r, d in zip(m["roman"], m["start_date"], strict=True)]
    dates = [format_date(d.date(), lang) for d in m["start_date"]]
    ticks = [f"{r}<br>{lab.split(' · ')[1]}" for r, lab in zip(m["roman"], labels, strict=True)]
    fig = go.Figure()
    day_ms = 24 * 3600 * 1000
    for column, key, offset in (("n_paragraphs", "paragraphs", -1), ("n_units", "units", 1)):
        name = _t(lang, key)
        values = m[column].astype(int)
        fig.add_trace(go.Bar(
            x=m["start_date"] + pd.to_timedelta(offset * 55, unit="D"),
            y=values,
            width=105 * day_ms,
            name=name,
            text=[str(v) if v else "" for v in values],
            textposition="outside",
            textfont={"size": 11},
            cliponaxis=False,
            customdata=list(zip(labels, m["roman"], dates)),
            hovertemplate=(
                "<b>%{customdata[0]}</b><br>%{customdata[2]}<br>"
                f"{name}: %{{y}}<extra></extra>"
            ),
        ))
    third = m.loc[m["n_units"] == 0]
    for row in third.itertuples():
        fig.add_annotation(
            x=row.start_date, y=0, yanchor="bottom", yshift=4, showarrow=False, textangle=-90,
            text=_t(lang, "none", r=row.roman), font={"size": 11},
        )
    fig.update_layout(
        barmode="overlay",
        xaxis={"title": {"text": _t(lang, "mc_x")}, "tickvals": m["start_date"], "ticktext": ticks,
               "tickangle": 0, "type": "date", "range": [m["start_date"].min() - pd.Timedelta(days=150),
                                         m["start_date"].max() + pd.Timedelta(days=150)]},
        yaxis={"title": {"text": _t(lang, "mc_y")}, "rangemode": "tozero"},
        legend={"orientation": "h", "x": 1, "xanchor": "right", "y": 1.02, "yanchor": "bottom"},
    )
    counts = ", ".join(_t(lang, "pair", r=r.roman, p=int(r.n_paragraphs), u=int(r.n_units))
                       for r in m.itertuples() if r.n_units)  # fmt: skip
    return style_figure(
        fig, lang=lang, title=_t(lang, "mc_title"), subtitle=_t(lang, "mc_sub"), caption=_t(lang, "mc_cap"),
        alt_text=_t(lang, "mc_alt", kind=chart_kind("bars", lang), counts=counts),
    )


def length_figure(corpus: Corpus, *, lang: str = "en") -> go.Figure:
    """Length of each recommendation unit in words, by meeting (box with every point)."""
    r = corpus.recommendations
    m = corpus.meetings.set_index("meeting")
    label = r["meeting"].map(lambda k: f"{m.loc[k, 'roman']} · {m.loc[k, 'year']}").astype(str)
    order = [f"{row.roman} · {row.year}" for row in corpus.meetings.itertuples() if row.n_units > 0]
    preview = (r["text"].str.slice(0, 140) + r["text"].map(lambda t: "…" if len(t) > 140 else "")).map(escape_text)
    words = _t(lang, "words")
    fig = go.Figure(go.Box(
        x=label, y=r["n_words"].astype(int), boxpoints="all", jitter=0.4, pointpos=0,
        marker={"size": 4, "opacity": 0.6}, line={"width": 1.5}, name=_t(lang, "len_name"),
        customdata=list(zip(r["rec_id"], preview)),
        hovertemplate="<b>%{customdata[0]}</b> · %{y} " + words + "<br>%{customdata[1]}<extra></extra>",
    ))
    fig.update_layout(
        xaxis={"title": {"text": _t(lang, "len_x")}, "categoryorder": "array", "categoryarray": order},
        yaxis={"title": {"text": _t(lang, "len_y")}, "rangemode": "tozero"},
        showlegend=False,
    )
    n_words = r["n_words"].astype(int)
    medians = n_words.groupby(r["meeting"], observed=True).median()
    longest = r.loc[n_words.idxmax()]
    return style_figure(
        fig, lang=lang, title=_t(lang, "len_title"), subtitle=_t(lang, "len_sub", median=int(n_words.median())),
        caption=_t(lang, "len_cap", longest=longest["rec_id"], max=int(n_words.max())),
        alt_text=_t(lang, "len_alt", kind=chart_kind("box", lang), lo=int(medians.min()), hi=int(medians.max()),
                    over=int((n_words > 100).sum())),
    )  # fmt: skip


def examples_table(corpus: Corpus, *, per_meeting: int = 1, width: int = 160) -> pd.DataFrame:
    """The first ``per_meeting`` units of each meeting, text shortened to ``width`` characters."""
    r = corpus.recommendations
    first = r.groupby("meeting", observed=True).head(per_meeting)
    text = first["text"].where(first["text"].str.len() <= width, first["text"].str.slice(0, width - 1) + "…")
    return pd.DataFrame({
        "rec_id": first["rec_id"], "year": first["year"], "lead_in": first["lead_in"].fillna(""), "text": text,
    }).set_index("rec_id")

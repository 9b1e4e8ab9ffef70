"""Charts that describe the corpus itself: how much each meeting adopted, how long units are.

Each function takes a :class:`~analysis.data.corpus.Corpus` and returns a plotly
``Figure`` with a title, a subtitle that states the unit of count, axis
titles and hover text; styling for reports is applied by
:func:`analysis.viz.style.style_figure` when the figure is exported.

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

from analysis.data.corpus import Corpus, meeting_label

__all__ = ["examples_table", "length_figure", "meeting_counts_figure", "meeting_summary"]

_UNIT_NOTE = (
    "A unit is a numbered paragraph without lettered items, or one lettered item a), b) … of a paragraph."
)


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


def meeting_counts_figure(corpus: Corpus) -> go.Figure:
    """Paragraphs and units per meeting, side by side, on a true time axis.

    Bars stand at each meeting's start date, so the years without a meeting
    (2012, 2014, 2016) show as gaps; the third meeting shows zero bars with a
    note, since its recommendations were endorsed (and are counted) at the fourth.
    """
    m = corpus.meetings
    labels = meeting_label(m)
    ticks = m["roman"] + "<br>" + m["start_date"].dt.strftime("%b %Y")
    fig = go.Figure()
    day_ms = 24 * 3600 * 1000
    for column, name, offset in (("n_paragraphs", "Numbered paragraphs", -1), ("n_units", "Recommendation units", 1)):
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
            customdata=list(zip(labels, m["ordinal"], m["dates_text"])),
            hovertemplate=(
                "<b>%{customdata[0]}</b> · %{customdata[1]}<br>%{customdata[2]}<br>"
                f"{name}: %{{y}}<extra></extra>"
            ),
        ))
    third = m.loc[m["n_units"] == 0]
    for row in third.itertuples():
        fig.add_annotation(
            x=row.start_date, y=0, yanchor="bottom", yshift=4, showarrow=False, textangle=-90,
            text=f"{row.roman}: no units of its own", font={"size": 11},
        )
    fig.update_layout(
        title={"text": "Recommendations adopted at each meeting of the Working Group, 2009–2018"
                       f"<br><sup>Numbered paragraphs and recommendation units per meeting. {_UNIT_NOTE}</sup>"},
        barmode="overlay",
        xaxis={"title": {"text": "Meeting (start date)"}, "tickvals": m["start_date"], "ticktext": ticks,
               "tickangle": 0, "type": "date", "range": [m["start_date"].min() - pd.Timedelta(days=150),
                                         m["start_date"].max() + pd.Timedelta(days=150)]},
        yaxis={"title": {"text": "Number of paragraphs / units"}, "rangemode": "tozero"},
        legend={"orientation": "h", "x": 1, "xanchor": "right", "y": 1.02, "yanchor": "bottom"},
    )
    return fig


def length_figure(corpus: Corpus) -> go.Figure:
    """Length of each recommendation unit in words, by meeting (box with every point)."""
    r = corpus.recommendations
    m = corpus.meetings.set_index("meeting")
    label = r["meeting"].map(lambda k: f"{m.loc[k, 'roman']} · {m.loc[k, 'year']}").astype(str)
    order = [f"{row.roman} · {row.year}" for row in corpus.meetings.itertuples() if row.n_units > 0]
    preview = r["text"].str.slice(0, 140) + r["text"].map(lambda t: "…" if len(t) > 140 else "")
    fig = go.Figure(go.Box(
        x=label, y=r["n_words"].astype(int), boxpoints="all", jitter=0.4, pointpos=0,
        marker={"size": 4, "opacity": 0.6}, line={"width": 1.5}, name="Units",
        customdata=list(zip(r["rec_id"], preview)),
        hovertemplate="<b>%{customdata[0]}</b> · %{y} words<br>%{customdata[1]}<extra></extra>",
    ))
    median = int(r["n_words"].median())
    fig.update_layout(
        title={"text": "How long is a recommendation? Words per unit, by meeting"
                       f"<br><sup>Each dot is one recommendation unit; the median unit has {median} words. "
                       "Lettered items are counted without their lead-in.</sup>"},
        xaxis={"title": {"text": "Meeting"}, "categoryorder": "array", "categoryarray": order},
        yaxis={"title": {"text": "Length (words)"}, "rangemode": "tozero"},
        showlegend=False,
    )
    return fig


def examples_table(corpus: Corpus, *, per_meeting: int = 1, width: int = 160) -> pd.DataFrame:
    """The first ``per_meeting`` units of each meeting, text shortened to ``width`` characters."""
    r = corpus.recommendations
    first = r.groupby("meeting", observed=True).head(per_meeting)
    text = first["text"].where(first["text"].str.len() <= width, first["text"].str.slice(0, width - 1) + "…")
    return pd.DataFrame({
        "rec_id": first["rec_id"], "year": first["year"], "lead_in": first["lead_in"].fillna(""), "text": text,
    }).set_index("rec_id")

"""Charts of who is asked to act, how firmly, what recurs and what is cited.

Every function returns a plotly ``Figure`` with a title, a subtitle that
states the unit of count (``"Title<br><sup>Subtitle</sup>"``, which
:func:`analysis.viz.style.style_figure` splits), axis titles with units and hover
text that lists the recommendations (``rec_id``) behind each mark. Colours of
ordered categories (modality) are fixed here; unordered ones (addressees)
follow the template's colour-blind-safe colorway.

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

from analysis._format import id_lines
from analysis.data.corpus import Corpus, meeting_label
from analysis.language.modality import ADDRESSEES, MODALITY_LEVELS, shares_by

__all__ = [
    "MODALITY_COLORS",
    "addressee_figure",
    "crossref_network_figure",
    "legal_references_figure",
    "modality_by_theme_figure",
    "modality_figure",
    "recurrence_timeline_figure",
    "share_by_meeting_figure",
    "similarity_distribution_figure",
    "threshold_curve_figure",
]

#: Sequential colours for the ordinal modality scale, firm (dark) to optional (light).
MODALITY_COLORS: Final[Mapping[str, str]] = {
    "firm": "#08306B", "consider": "#2171B5", "encourage": "#6BAED6", "optional": "#C6DBEF", "unknown": "#BDBDBD",
}  # fmt: skip
_GREY: Final = "#9E9E9E"
_UNIT_NOTE: Final = "A unit is a numbered paragraph without lettered items, or one lettered item."
_MODALITY_NAMES: Final[Mapping[str, str]] = {
    "firm": "Firm", "consider": "Consider", "encourage": "Encourage", "optional": "Optional", "unknown": "Unknown",
}  # fmt: skip
_MODALITY_KEY: Final = (
    "Firm: “deberían …”; consider: “deberían considerar la posibilidad de”, “podrían”; "
    "encourage: “se alienta a”; optional: “tal vez deseen”."
)


def _id_lines(ids: Sequence[str] | str, per_line: int = 10) -> str:
    """rec_ids for a hover label, ``per_line`` to a line."""
    return id_lines(ids.split(", ") if isinstance(ids, str) else list(ids), per_line)


# Not the meeting axis of analysis.viz.trends: that one orders the labels of a
# shares table; this one starts from the corpus and keeps the meeting numbers.
def _meeting_axis(corpus: Corpus) -> pd.DataFrame:
    """Meetings with at least one unit, with labels (meeting III endorsed its proposals at IV)."""
    m = corpus.meetings.loc[corpus.meetings["n_units"] > 0].copy()
    m["label"] = meeting_label(m).to_numpy()
    return m


def share_by_meeting_figure(
    shares: pd.DataFrame,
    column: str,
    corpus: Corpus,
    *,
    colors: Mapping[str, str] | None = None,
    names: Mapping[str, str] | None = None,
    title: str,
    subtitle: str,
    legend_title: str,
) -> go.Figure:
    """100 % stacked bars: the share of each category among a meeting's units.

    Parameters
    ----------
    shares : DataFrame
        From :func:`analysis.language.modality.shares_by` with ``by="meeting"``.
    column : str
        The category column of ``shares``.
    corpus : Corpus
        For the meeting labels.
    colors, names : mapping, optional
        Colour and legend name of each category.
    title, subtitle, legend_title : str
        Texts of the chart.
    """
    axis = _meeting_axis(corpus)
    labels = dict(zip(axis["meeting"], axis["label"], strict=True))
    data = shares.loc[shares["meeting"].isin(list(labels))]
    fig = go.Figure()
    for category in data[column].cat.categories:
        part = data.loc[data[column] == category]
        name = (names or {}).get(category, category)
        fig.add_trace(go.Bar(
            x=[labels[m] for m in part["meeting"]], y=part["share"] * 100, name=name,
            marker_color=(colors or {}).get(category),
            customdata=np.column_stack([part["units"], [_id_lines(ids) for ids in part["rec_ids"]]]),
            hovertemplate=(f"<b>%{{x}}</b> · {name}<br>%{{y:.1f}} % of the meeting's units (%{{customdata[0]}})"
                           "<br>%{customdata[1]}<extra></extra>"),
        ))
    totals = data.groupby("meeting", observed=True)["units"].sum()
    fig.update_layout(
        title={"text": f"{title}<br><sup>{subtitle}</sup>"},
        barmode="stack",
        xaxis={"title": {"text": "Meeting (III adopted none of its own)"}, "categoryorder": "array",
               "categoryarray": list(labels.values()),
               "tickvals": list(labels.values()),
               "ticktext": [f"{lab}<br>n = {int(totals.get(m, 0))}" for m, lab in labels.items()]},
        yaxis={"title": {"text": "Share of the meeting's units (%)"}, "range": [0, 100], "ticksuffix": " %"},
        legend={"title": {"text": legend_title}, "traceorder": "normal"},
    )
    return fig


def addressee_figure(language: pd.DataFrame, corpus: Corpus) -> go.Figure:
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
    return share_by_meeting_figure(
        shares, "addressee", corpus, colors={"other": _GREY, "unknown": "#D9D9D9"},
        title="Whom the Working Group addressed, meeting by meeting",
        subtitle=f"Share of recommendation units by addressee (the actor asked to act). {_UNIT_NOTE}",
        legend_title="Addressee",
    )


def modality_figure(language: pd.DataFrame, corpus: Corpus) -> go.Figure:
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
    return share_by_meeting_figure(
        shares, "modality", corpus, colors=MODALITY_COLORS, names=_MODALITY_NAMES,
        title="How firmly the Working Group asked, meeting by meeting",
        subtitle=f"Share of recommendation units by the modality of the governing verb. {_MODALITY_KEY}",
        legend_title="Modality (firm to soft)",
    )


def modality_by_theme_figure(language: pd.DataFrame, themes: pd.DataFrame) -> go.Figure:
    """How firmly each theme is asked for: share of units per modality level, by theme.

    Parameters
    ----------
    language : DataFrame
        From :func:`analysis.language.modality.classify_units`.
    themes : DataFrame
        One row per unit with ``rec_id`` and ``theme`` (one method of
        ``recommendation_themes.csv``).

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
    frame = language.merge(themes[["rec_id", "theme"]], on="rec_id", how="inner", validate="one_to_one")
    firm = frame.assign(is_firm=frame["modality"] == "firm").groupby("theme")["is_firm"].mean()
    order = firm.sort_values(kind="mergesort").index.tolist()  # firmest theme on top
    counts = frame.groupby("theme").size()
    fig = go.Figure()
    for level in reversed(MODALITY_LEVELS):
        ids = frame.loc[frame["modality"] == level].groupby("theme")["rec_id"].agg(list)
        n = np.array([len(ids.get(t, [])) for t in order])
        share = 100 * n / counts.loc[order].to_numpy()
        fig.add_trace(go.Bar(
            y=order, x=share, orientation="h", name=_MODALITY_NAMES[level], marker_color=MODALITY_COLORS[level],
            customdata=np.column_stack([n, counts.loc[order].to_numpy(), [_id_lines(ids.get(t, [])) for t in order]]),
            hovertemplate=("<b>%{y}</b> · " + _MODALITY_NAMES[level] + "<br>%{x:.1f} % (%{customdata[0]} of "
                           "%{customdata[1]} units)<br>%{customdata[2]}<extra></extra>"),
        ))
    fig.update_layout(
        title={"text": "How firmly each theme is asked for<br><sup>Share of the theme's recommendation units by "
                       "modality; themes ordered by their share of firm units. " + _MODALITY_KEY + "</sup>"},
        barmode="stack",
        xaxis={"title": {"text": "Share of the theme's units (%)"}, "range": [0, 100], "ticksuffix": " %"},
        yaxis={"title": {"text": "Theme"}, "categoryorder": "array", "categoryarray": order,
               "tickvals": order, "ticktext": [f"{t} (n = {int(counts[t])})" for t in order]},
        legend={"title": {"text": "Modality (firm to soft)"}},
        height=max(420, 200 + 30 * len(order)),
        width=1000,
        margin={"t": 130},  # a three-line subtitle
    )
    fig.update_layout(title={"xref": "container", "x": 0.01})  # long theme labels
    return fig


def recurrence_timeline_figure(chains: pd.DataFrame, corpus: Corpus, language: pd.DataFrame | None = None,
                               *, min_meetings: int = 2) -> go.Figure:
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
        name = _MODALITY_NAMES.get(str(key), "Recommendation unit")
        fig.add_trace(go.Scatter(
            x=part["date"], y=part["row"], mode="markers", name=name,
            marker={"size": 11, "color": MODALITY_COLORS.get(str(key), "#2171B5"), "line": {"width": 1, "color": "#FFFFFF"}},
            customdata=np.column_stack([part["rec_id"], part["year"], part["best_match"], part["similarity"].round(2),
                                        part["link"], part["preview"]]),
            hovertemplate=("<b>%{customdata[0]}</b> (%{customdata[1]}) · " + name
                           + "<br>closest: %{customdata[2]} (cosine %{customdata[3]}) · link: %{customdata[4]}"
                           "<br>%{customdata[5]}<extra></extra>"),
        ))
    years = sorted(set(dates.dt.year))
    fig.update_layout(
        title={"text": "What keeps coming back: recommendations repeated across meetings<br><sup>Each row is a "
                       "chain of near-duplicate or explicitly reiterated recommendation units; each dot is one "
                       f"unit at its meeting's date ({len(rows)} chains, {len(data)} units).</sup>"},
        xaxis={"title": {"text": "Meeting date (year)"}, "type": "date", "tickformat": "%Y",
               "range": [f"{years[0] - 1}-07-01", f"{years[-1]}-12-31"]},
        yaxis={"title": {"text": "Chain (first words of its most repeated unit)"}, "categoryorder": "array",
               "categoryarray": list(reversed(rows)), "automargin": True},
        legend={"title": {"text": "Modality of the unit"}},
        height=max(420, 220 + 24 * len(rows)),
        width=1100,
    )
    fig.update_layout(title={"xref": "container", "x": 0.01})  # the chain labels make the plot area start late
    return fig


def _preview(text: str, width: int = 110) -> str:
    return text if len(text) <= width else text[:width].rsplit(" ", 1)[0] + "…"


def crossref_network_figure(references: pd.DataFrame, corpus: Corpus) -> go.Figure:
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
    nodes["role"] = np.where(nodes["rec_id"].isin(refs["rec_id"]), "Citing unit", "Cited unit")
    fig = go.Figure()
    for role, color in (("Cited unit", "#E69F00"), ("Citing unit", "#0072B2")):
        part = nodes.loc[nodes["role"] == role]
        fig.add_trace(go.Scatter(
            x=part["date"], y=part["paragraph"], mode="markers+text", name=role, text=part["rec_id"],
            textposition="middle right" if role == "Citing unit" else _stacked_label_positions(part),
            marker={"size": 12, "color": color, "line": {"width": 1, "color": "#FFFFFF"}},
            customdata=np.column_stack([part["rec_id"], part["rec_id"].map(cites).fillna("–"),
                                        part["rec_id"].map(cited_by).fillna("–"), part["preview"]]),
            hovertemplate=("<b>%{customdata[0]}</b><br>cites: %{customdata[1]}<br>cited by: %{customdata[2]}"
                           "<br>%{customdata[3]}<extra></extra>"),
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
        title={"text": "Which earlier recommendations the Working Group cites<br><sup>Each arrow is one explicit "
                       f"cross-reference from a recommendation unit to the unit it cites ({len(refs)} arrows); "
                       f"{general} more references point to the Working Group's recommendations in general.</sup>"},
        xaxis={"title": {"text": "Meeting date (year)"}, "type": "date", "tickformat": "%Y",
               "range": [f"{years[0] - 1}-07-01", f"{years[-1]}-12-31"]},
        yaxis={"title": {"text": "Paragraph number within its meeting"}, "autorange": "reversed"},
        legend={"x": 0.99, "xanchor": "right", "y": 0.5, "bgcolor": "rgba(255,255,255,0.8)"},
        height=640,
    )
    return fig


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


def legal_references_figure(references: pd.DataFrame) -> go.Figure:
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
    fig = go.Figure()
    for group, color in (("Protocol", "#0072B2"), ("Convention", "#E69F00"), ("Other instrument", _GREY)):
        part = per.loc[per["group"] == group]
        fig.add_trace(go.Bar(
            y=part["provision"], x=part["units"], orientation="h", name=group, marker_color=color,
            customdata=np.column_stack([[_id_lines(i) for i in part["rec_ids"]]]),
            hovertemplate="<b>%{y}</b><br>cited by %{x} unit(s): %{customdata[0]}<extra></extra>",
        ))
    fig.update_layout(
        title={"text": "Which legal provisions the recommendations cite<br><sup>Number of recommendation units that "
                       "cite each article (paragraph, subparagraph) of the Trafficking in Persons Protocol, the "
                       "Organized Crime Convention or another instrument.</sup>"},
        xaxis={"title": {"text": "Recommendation units citing it (count)"}, "dtick": 1},
        yaxis={"title": {"text": "Provision"}, "categoryorder": "array", "categoryarray": per["provision"].tolist()},
        legend={"title": {"text": "Instrument"}},
    )
    fig.update_layout(title={"xref": "container", "x": 0.01})  # long provision labels
    return fig


def similarity_distribution_figure(pairs: pd.DataFrame, threshold: float, *,
                                   examples: Sequence[tuple[str, str]] = ()) -> go.Figure:
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
        x=(edges[:-1] + edges[1:]) / 2, y=counts, width=0.02 * 0.95, name="Pairs", marker_color="#0072B2",
        customdata=np.column_stack([edges[:-1], edges[1:], listed]),
        hovertemplate="cosine %{customdata[0]:.2f}–%{customdata[1]:.2f}: %{y} pairs<br>%{customdata[2]}<extra></extra>",
    ))
    fig.add_vline(x=threshold, line={"color": "#D55E00", "width": 2, "dash": "dash"})
    fig.add_annotation(x=threshold, y=1, yref="paper", xanchor="left", showarrow=False,
                       text=f" threshold {threshold:.3f}: {above} pairs above", font={"color": "#D55E00"})
    lookup = pairs.set_index(["rec_id_a", "rec_id_b"])["similarity"]
    for a, b in examples:
        value = float(lookup.get((a, b), lookup.get((b, a), np.nan)))
        fig.add_annotation(x=value, y=0.01, yref="paper", showarrow=True, arrowhead=2, ax=12, ay=-170,
                           text=f"{a} ~ {b}: {value:.3f}", font={"size": 11}, bgcolor="rgba(255,255,255,0.85)")
    fig.update_layout(
        title={"text": "How alike are recommendations of different meetings?<br><sup>Cosine similarity of every "
                       f"pair of recommendation units from different meetings ({len(pairs):,} pairs; TF-IDF of "
                       "character 3–5-grams, accents folded, formulae removed).</sup>"},
        xaxis={"title": {"text": "Cosine similarity of the pair (0–1)"}, "range": [0, 1]},
        yaxis={"title": {"text": "Pairs (count, log scale)"}, "type": "log"},
        showlegend=False,
    )
    return fig


def threshold_curve_figure(curve: pd.DataFrame, threshold: float) -> go.Figure:
    """Chains and the size of the largest chain as the threshold is lowered.

    Examples
    --------
    >>> curve = pd.DataFrame({"threshold": [0.3, 0.4], "links": [9, 3], "chains": [3, 2], "units": [12, 4],
    ...                       "largest": [8, 2]})
    >>> [t.name for t in threshold_curve_figure(curve, 0.35).data]
    ['Chains', 'Units in the largest chain']
    """
    fig = go.Figure()
    for column, name, color in (("chains", "Chains", "#0072B2"), ("largest", "Units in the largest chain", "#D55E00")):
        fig.add_trace(go.Scatter(
            x=curve["threshold"], y=curve[column], mode="lines+markers", name=name, line={"color": color},
            customdata=np.column_stack([curve["links"], curve["units"]]),
            hovertemplate=(f"threshold %{{x:.2f}}: {name.lower()} %{{y}}<br>%{{customdata[0]}} links, "
                           "%{customdata[1]} units in chains<extra></extra>"),
        ))
    fig.add_vline(x=threshold, line={"color": "#7F7F7F", "width": 2, "dash": "dash"})
    fig.add_annotation(x=threshold, y=1, yref="paper", xanchor="left", showarrow=False,
                       text=f" chosen threshold {threshold:.3f}")
    fig.update_layout(
        title={"text": "Where chains start to merge<br><sup>Number of chains (connected components across meetings) "
                       "and units in the largest one, for each similarity threshold.</sup>"},
        xaxis={"title": {"text": "Similarity threshold (cosine)"}, "autorange": "reversed"},
        yaxis={"title": {"text": "Count (chains / units)"}, "rangemode": "tozero"},
        legend={"x": 0.01, "y": 0.99, "bgcolor": "rgba(255,255,255,0.8)"},
    )
    return fig

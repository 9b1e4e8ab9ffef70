"""Charts of priority shifts: how each theme's share of the agenda moved, 2009-2018.

Each function takes a table of :mod:`analysis.trends` (the prevalence table
of :meth:`~analysis.trends.ThemeTrends.prevalence`, the change table of
:meth:`~analysis.trends.ThemeTrends.change` or the concentration table) and
one method's name, and returns a plotly ``Figure`` styled with
:func:`analysis.viz.style.style_figure`: a title, a subtitle that states the unit
of count, axis titles, the source note, a caption for the exporter, and hover
text that lists the recommendations (``rec_id``) behind every point.

Every theme keeps one colour: :func:`analysis.viz.style.theme_colors` over the
method's themes in their canonical order (the codebook's order, as in the
themes charts). Zeros are drawn as zeros; meeting III, which adopted no
recommendations of its own, is shown as a gap with a note, never as a zero.

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

from analysis._format import format_ids, id_lines, signed, wrap
from analysis._format import pct as _pct
from analysis.viz.style import method_label, style_figure, theme_colors

__all__ = [
    "concentration_chart",
    "rank_bump_chart",
    "share_heatmap",
    "share_small_multiples",
    "slope_chart",
    "stacked_bars",
    "theme_palette",
    "unit_phrase",
]

_THIRD_NOTE = "no units<br>of its own:<br>endorsed<br>at IV (¶46)"
_IDS_PER_LINE = 6
_MUTED = "#C8C8C8"


def unit_phrase(level: str) -> str:
    """What one count is, for subtitles.

    Examples
    --------
    >>> unit_phrase("paragraph")
    'numbered paragraphs (each counts 1, shared equally among its lettered items)'
    """
    if level == "paragraph":
        return "numbered paragraphs (each counts 1, shared equally among its lettered items)"
    return "recommendation units (each lettered item counts 1)"


def _unit_word(level: str) -> str:
    return "paragraphs" if level == "paragraph" else "units"


def _method_rows(frame: pd.DataFrame, method: str) -> pd.DataFrame:
    rows = frame.loc[frame["method"] == method]
    if rows.empty:
        raise ValueError(f"no rows for method {method!r}; the table has {sorted(frame['method'].unique())}")
    return rows


def theme_palette(frame: pd.DataFrame, method: str) -> dict[str, str]:
    """One colour per theme of ``method``, in the method's canonical theme order.

    ``frame`` is a prevalence table (in theme order) or a change table (with
    ``theme_position``).

    Examples
    --------
    >>> frame = pd.DataFrame({"method": ["m", "m"], "theme": ["B", "A"], "theme_position": [1, 0]})
    >>> theme_palette(frame, "m")
    {'A': '#0072B2', 'B': '#E69F00'}
    """
    rows = _method_rows(frame, method)
    if "theme_position" in rows.columns:
        rows = rows.sort_values("theme_position", kind="stable")
    return theme_colors(rows["theme"].drop_duplicates().astype(str).tolist())


def _ids(rec_ids: str, limit: int = 15) -> str:
    """``format_ids`` broken over lines of a few ids for a hover box."""
    return id_lines(format_ids(rec_ids, limit=limit).split(", "), _IDS_PER_LINE, sep=",<br>")



def _n(x: float) -> str:
    return f"{x:g}" if float(x) == int(x) else f"{x:.1f}"


def _share_hover(row: pd.Series, level: str) -> str:
    """Hover text of one theme at one meeting."""
    if row["n_total"] == 0:
        return f"<b>{row['label']}</b><br>Meeting III adopted no recommendations of its own;<br>its proposals are paragraph 46 of meeting IV"
    return (
        f"<b>{row['theme']}</b><br>Meeting {row['label']}: {_pct(row['share'])} "
        f"({_n(row['n'])} of {row['n_total']} {_unit_word(level)})<br>"
        f"95% CI {_pct(row['ci_low'])} to {_pct(row['ci_high'])}<br>"
        f"Recommendations: {_ids(row['rec_ids'])}"
    )


def _level(frame: pd.DataFrame) -> str:
    return str(frame["level"].iloc[0]) if "level" in frame.columns else "item"


def _style(fig: go.Figure, *, title: str, subtitle: str, caption: str, method: str, level: str) -> go.Figure:
    """Project style; the caption ends with the method and the unit of count."""
    caption = f"{caption} Themes: {method_label(method, long=True)}; unit of count: {unit_phrase(level)}."
    return style_figure(fig, title=title, subtitle=subtitle, caption=caption, lang="en")


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


def stacked_bars(shares: pd.DataFrame, *, method: str = "codebook") -> go.Figure:
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
    rows = _method_rows(shares, method)
    level, colors = _level(rows), theme_palette(rows, method)
    fig = go.Figure()
    for theme, g in rows.groupby("theme", sort=False):
        fig.add_trace(go.Bar(
            x=g["label"].astype(str), y=100 * g["share"], name=str(theme), marker_color=colors[str(theme)],
            hovertext=[_share_hover(r, level) for _, r in g.iterrows()], hoverinfo="text",
        ))  # fmt: skip
    totals = rows.drop_duplicates("meeting")
    for r in totals.itertuples():
        text = f"n = {_n(r.n_total)}" if r.n_total else _THIRD_NOTE
        fig.add_annotation(x=str(r.label), y=100 if r.n_total else 50, yshift=10 if r.n_total else 0,
                           text=text, showarrow=False, font={"size": 11})  # fmt: skip
    fig.update_layout(
        barmode="stack", width=1100, height=640, legend={"title": {"text": "Theme"}, "traceorder": "normal"},
        xaxis={"title": {"text": "Meeting (start date)"}, **_meeting_ticks(rows)},
        yaxis={"title": {"text": f"Share of the meeting's {_unit_word(level)} (%)"}, "range": [0, 106], "ticksuffix": "%"},
    )  # fmt: skip
    return _style(
        fig,
        title="How each meeting's recommendations divide among the themes",
        subtitle=f"Share of {unit_phrase(level)} by primary theme, {method_label(method, long=True)}. "
        "Each bar adds up to 100%; n = the meeting's total.",
        caption="Theme mix of each meeting of the Working Group, 2009-2018. Meeting III adopted no "
        "recommendations of its own.",
        method=method, level=level,
    )


# --------------------------------------------------------------------------- heatmap


def share_heatmap(shares: pd.DataFrame, *, method: str = "codebook") -> go.Figure:
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
    rows = _method_rows(shares, method)
    level = _level(rows)
    themes = rows["theme"].drop_duplicates().astype(str).tolist()
    meetings = _meeting_axis(rows)
    grid = rows.pivot_table(index="theme", columns="label", values="share", dropna=False, sort=False)
    grid = grid.reindex(index=themes, columns=meetings)
    cells = {(str(r["theme"]), str(r["label"])): _share_hover(r, level) for _, r in rows.iterrows()}
    hover = [[cells[(t, m)] for m in meetings] for t in themes]
    text = [["" if np.isnan(v) else f"{100 * v:.0f}%" for v in line] for line in grid.to_numpy()]
    fig = go.Figure(go.Heatmap(
        z=100 * grid.to_numpy(), x=meetings, y=themes, text=text, texttemplate="%{text}", textfont={"size": 11},
        hovertext=hover, hoverinfo="text", zmin=0, xgap=2, ygap=2, colorscale="Blues",
        colorbar={"title": {"text": f"% of {_unit_word(level)}"}, "ticksuffix": "%"},
    ))  # fmt: skip
    for r in _third_meeting_gap(rows).itertuples():
        fig.add_annotation(x=str(r.label), y=themes[len(themes) // 2], text=_THIRD_NOTE, showarrow=False,
                           font={"size": 11})  # fmt: skip
    fig.update_layout(
        width=1100, height=max(420, 34 * len(themes) + 260),
        xaxis={"title": {"text": "Meeting (start date)"}, **_meeting_ticks(rows), "showgrid": False},
        yaxis={"title": {"text": "Theme"}, "autorange": "reversed", "showgrid": False},
    )
    return _style(
        fig,
        title="Theme by meeting: each theme's share of the meeting's recommendations",
        subtitle=f"Percent of {unit_phrase(level)} adopted at the meeting, by primary theme "
        f"({method_label(method, long=True)}). Columns add up to 100%.",
        caption="Share of each theme in each meeting, 2009-2018. Empty column: meeting III adopted no "
        "recommendations of its own.",
        method=method, level=level,
    )


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
    shares: pd.DataFrame, *, method: str = "codebook", time_axis: str = "date", columns: int = 3
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
    rows = _method_rows(shares, method)
    level, colors = _level(rows), theme_palette(rows, method)
    themes = list(colors)
    n_rows = math.ceil(len(themes) / columns)
    fig = make_subplots(
        rows=n_rows, cols=columns, shared_xaxes=True, shared_yaxes=True, horizontal_spacing=0.04,
        vertical_spacing=min(0.1, 0.32 / n_rows), subplot_titles=[wrap(t, 46) for t in themes],
    )  # fmt: skip
    top = float(np.nanmax(rows["ci_high"])) if rows["ci_high"].notna().any() else 1.0
    for i, (theme, g) in enumerate(rows.groupby("theme", sort=False)):
        g = g.sort_values("meeting")
        x = g["date"].tolist() if time_axis == "date" else g["label"].astype(str).tolist()
        row, col = i // columns + 1, i % columns + 1
        color = colors[str(theme)]
        bx, by = _band(x, g["ci_low"].to_numpy(float), g["ci_high"].to_numpy(float))
        fig.add_trace(go.Scatter(x=bx, y=by, mode="lines", fill="toself", fillcolor=_rgba(color, 0.22), line={"width": 0},
                                 hoverinfo="skip", showlegend=False, name=f"{theme}: 95% CI"), row=row, col=col)  # fmt: skip
        fig.add_trace(go.Scatter(
            x=x, y=100 * g["share"], mode="lines+markers", line={"color": color, "width": 2},
            marker={"size": 6, "color": color}, connectgaps=False, showlegend=False, name=str(theme),
            hovertext=[_share_hover(r, level) for _, r in g.iterrows()], hoverinfo="text",
        ), row=row, col=col)  # fmt: skip
    meetings = rows.drop_duplicates("meeting").sort_values("meeting")
    if time_axis == "date":
        first, last = int(meetings["year"].min()), int(meetings["year"].max())
        ticks = {"type": "date", "tickvals": [f"{y}-01-01" for y in range(first, last + 2, 2)],
                 "ticktext": [str(y) for y in range(first, last + 2, 2)], "tickangle": 0,
                 "range": [f"{first}-01-01", f"{last}-12-31"],
                 "minor": {"tickvals": [f"{y}-01-01" for y in range(first, last + 2)], "showgrid": True}}  # fmt: skip
        x_title = ("Year; each point is a meeting at its start date: " +
                   ", ".join(f"{r} {d:%b %Y}" for r, d in zip(meetings["roman"], meetings["date"], strict=True)) +
                   "<br>No meeting in 2012, 2014 or 2016")  # fmt: skip
    else:
        ticks = {"type": "category", "tickvals": meetings["label"].astype(str).tolist(), "tickangle": 0,
                 "ticktext": meetings["roman"].tolist(), "categoryorder": "array",
                 "categoryarray": meetings["label"].astype(str).tolist()}  # fmt: skip
        x_title = "Meeting (evenly spaced, I to VIII)"
    fig.update_xaxes(**ticks, tickfont={"size": 10}, showgrid=True)
    fig.update_yaxes(range=[0, 100 * min(1.0, top) * 1.08], ticksuffix="%", tickfont={"size": 10})
    fig.update_annotations(font={"size": 11})
    fig.add_annotation(text=x_title, x=0.5, y=0, xref="paper", yref="paper", yshift=-40, yanchor="top",
                       showarrow=False, font={"size": 12})  # fmt: skip
    fig.add_annotation(text=f"Share of the meeting's {_unit_word(level)} (%)", x=0, y=0.5, xref="paper",
                       yref="paper", xshift=-58, textangle=-90, showarrow=False, font={"size": 13})  # fmt: skip
    fig.update_layout(width=1100, height=210 * n_rows + 340, margin={"t": 190, "b": 170})
    gap = " Meeting III (19 October 2010) adopted no units of its own: the lines break there." if (
        rows["n_total"] == 0).any() else ""  # fmt: skip
    return _style(
        fig,
        title="Each theme's share of the agenda, meeting by meeting, with 95% confidence bands",
        subtitle=f"Share of {unit_phrase(level)} by primary theme ({method_label(method, long=True)}); "
        f"bands: bootstrap 95% intervals, units resampled within each meeting.{gap}",
        caption="Share of each theme at each meeting of the Working Group, 2009-2018, with 95% bootstrap "
        "confidence bands.",
        method=method, level=level,
    )



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


def slope_chart(change: pd.DataFrame, *, method: str = "codebook") -> go.Figure:
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
    rows = _method_rows(change, method).sort_values("theme_position", kind="stable")
    level = _level(rows)
    colors = theme_palette(rows, method)
    first = rows.iloc[0]
    word = _unit_word(level)
    x_text = [f"{first['early']}<br>({_n(first['total_early'])} {word})",
              f"{first['late']}<br>({_n(first['total_late'])} {word})"]  # fmt: skip
    fig = go.Figure()
    for r in rows.itertuples():
        verdict = "clear change (95% CI excludes 0)" if r.clear else "no clear change (95% CI includes 0)"
        hover = [
            f"<b>{r.theme}</b><br>{r.early}: {_pct(r.share_early)} ({_n(r.n_early)} of {_n(r.total_early)} {word}), "
            f"95% CI {_pct(r.low_early)} to {_pct(r.high_early)}<br>Change: {100 * r.diff:+.1f} points "
            f"(95% CI {100 * r.diff_low:+.1f} to {100 * r.diff_high:+.1f}), {verdict}<br>"
            f"Recommendations: {_ids(r.rec_ids_early)}",
            f"<b>{r.theme}</b><br>{r.late}: {_pct(r.share_late)} ({_n(r.n_late)} of {_n(r.total_late)} {word}), "
            f"95% CI {_pct(r.low_late)} to {_pct(r.high_late)}<br>Change: {100 * r.diff:+.1f} points "
            f"(95% CI {100 * r.diff_low:+.1f} to {100 * r.diff_high:+.1f}), {verdict}<br>"
            f"Recommendations: {_ids(r.rec_ids_late)}",
        ]
        fig.add_trace(go.Scatter(
            x=[0, 1], y=[100 * r.share_early, 100 * r.share_late], mode="lines+markers", name=str(r.theme),
            line={"color": colors[str(r.theme)], "width": 3.5 if r.clear else 1.5, "dash": "solid" if r.clear else "dot"},
            marker={"size": 9 if r.clear else 6, "color": colors[str(r.theme)]},
            error_y={"type": "data", "symmetric": False, "thickness": 1, "width": 3,
                     "color": _rgba(colors[str(r.theme)], 0.8 if r.clear else 0.35),
                     "array": [100 * (r.high_early - r.share_early), 100 * (r.high_late - r.share_late)],
                     "arrayminus": [100 * (r.share_early - r.low_early), 100 * (r.share_late - r.low_late)]},
            hovertext=hover, hoverinfo="text", showlegend=False,
        ))  # fmt: skip
    top = 100 * float(max(rows["high_early"].max(), rows["high_late"].max()))
    ys = _spread((100 * rows["share_late"]).tolist(), gap=top / 40)
    for r, y in zip(rows.itertuples(), ys, strict=True):
        fig.add_annotation(
            x=1, y=y, xanchor="left", xshift=14, showarrow=False, font={"size": 11},
            text=f"<span style='color:{colors[str(r.theme)]}'>●</span> {_pct(r.share_late, 0)}  "
                 f"{_short(str(r.theme), 42)}  <b>{signed(100 * r.diff)}</b>",
        )  # fmt: skip
    fig.update_layout(
        width=1050, height=820, margin={"r": 400},
        xaxis={"tickvals": [0, 1], "ticktext": x_text, "range": [-0.15, 1.05], "title": {"text": "Period (pooled meetings)"},
               "showgrid": False},
        yaxis={"title": {"text": f"Share of the period's {word} (%)"}, "ticksuffix": "%", "rangemode": "tozero"},
    )  # fmt: skip
    return _style(
        fig,
        title=f"Which themes gained and lost ground: {first['early']} against {first['late']}",
        subtitle=f"Share of {unit_phrase(level)} by primary theme ({method_label(method, long=True)}), meetings "
        "of each period pooled. Bold: the 95% CI of the change excludes 0; dotted: it does not. Whiskers: 95% CI. "
        "Labels: late share, theme, change in percentage points.",
        caption=f"Share of each theme in {first['early']} and {first['late']}, with 95% bootstrap intervals and "
        "the change in percentage points.",
        method=method, level=level,
    )



def _short(theme: str, width: int = 34) -> str:
    return theme if len(theme) <= width else theme[: width - 1].rstrip() + "…"


# --------------------------------------------------------------------------- bump chart


def rank_bump_chart(
    shares: pd.DataFrame, *, method: str = "codebook", highlight: Sequence[str] | None = None
) -> go.Figure:
    """Bump chart: the rank of each theme at each meeting (1 = largest share).

    ``highlight`` names the themes drawn in their colours (all by default);
    the others are drawn thin and grey, still with hover text. Ties (most often themes absent from a meeting) are broken by the theme's
    overall size, then by theme order; an absent theme is drawn with a hollow
    marker so that its rank is not read as a real position.

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
    rows = _method_rows(shares, method)
    rows = rows.loc[rows["n_total"] > 0].copy()
    level, colors = _level(rows), theme_palette(rows, method)
    position = {t: i for i, t in enumerate(colors)}
    overall = rows.groupby("theme", sort=False)["n"].sum()
    rows["_overall"], rows["_pos"] = rows["theme"].map(overall), rows["theme"].map(position)
    rows = rows.sort_values(["meeting", "share", "_overall", "_pos"], ascending=[True, False, False, True])
    rows["rank"] = rows.groupby("meeting", observed=True).cumcount() + 1
    tied = rows.groupby(["meeting", "share"], observed=True)["theme"].transform("size") - 1
    shown = set(colors) if highlight is None else {str(t) for t in highlight}
    fig = go.Figure()
    for theme, g in rows.sort_values("meeting").groupby("theme", sort=False):
        color = colors[str(theme)] if str(theme) in shown else _MUTED
        hover = [
            _share_hover(r, level) + f"<br>Rank {r['rank']} of {len(colors)}"
            + (f" (tied with {t} other theme{'s' if t > 1 else ''})" if t else "")
            for (_, r), t in zip(g.iterrows(), tied.loc[g.index], strict=True)
        ]
        fig.add_trace(go.Scatter(
            x=g["label"].astype(str), y=g["rank"], mode="lines+markers", name=str(theme),
            line={"color": color, "width": 3 if str(theme) in shown else 1.5},
            marker={"size": 11 if str(theme) in shown else 7, "color": [color if n > 0 else "white" for n in g["n"]],
                    "line": {"color": color, "width": 2}},
            hovertext=hover, hoverinfo="text", showlegend=False,
        ))  # fmt: skip
    last = rows.loc[rows["meeting"] == rows["meeting"].max()]
    for r in last.itertuples():
        mark = colors[str(r.theme)] if str(r.theme) in shown else _MUTED
        fig.add_annotation(x=str(r.label), y=r.rank, text=f"<span style='color:{mark}'>●</span> {_short(str(r.theme), 42)}",
                           xanchor="left", xshift=12, showarrow=False, font={"size": 11})  # fmt: skip
    fig.update_layout(
        width=1100, height=max(460, 34 * len(colors) + 240), margin={"r": 300},
        xaxis={"title": {"text": "Meeting (start date)"}, **_meeting_ticks(rows)},
        yaxis={"title": {"text": "Rank at the meeting (1 = largest share)"}, "autorange": "reversed",
               "tickvals": list(range(1, len(colors) + 1)), "showgrid": False, "zeroline": False},
    )  # fmt: skip
    skipped = " Meeting III, without units of its own, is left out." if (shares["n_total"] == 0).any() else ""
    return _style(
        fig,
        title="Rank of each theme at each meeting",
        subtitle=f"Themes ranked by their share of the meeting's {unit_phrase(level)} "
        f"({method_label(method, long=True)}). Hollow marker: theme absent from the meeting (ranked below "
        f"those present, by overall size).{skipped}",
        caption="Rank of each theme by share at each meeting, 2009-2018. Ranks of themes with a few units "
        "are unstable.",
        method=method, level=level,
    )


# --------------------------------------------------------------------------- concentration


def concentration_chart(conc: pd.DataFrame, *, method: str = "codebook") -> go.Figure:
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
    rows = _method_rows(conc, method).sort_values("meeting")
    level = _level(rows)
    word = _unit_word(level)
    rows = rows.assign(
        eff=1 / rows["hhi_corrected"], eff_low=1 / rows["hhi_corrected_high"], eff_high=1 / rows["hhi_corrected_low"]
    )
    hover = [
        f"<b>{r.label}</b><br>{r.eff:.1f} effective themes (95% CI {r.eff_low:.1f} to {r.eff_high:.1f})<br>"
        f"{r.n_themes} themes present among {_n(r.n_total)} {word}<br>normalised entropy {r.entropy:.2f}"
        if r.n_total else f"<b>{r.label}</b><br>no units of its own"
        for r in rows.itertuples()
    ]
    fig = go.Figure(go.Scatter(
        x=rows["date"], y=rows["eff"], mode="lines+markers", connectgaps=False, name="Effective themes",
        error_y={"type": "data", "symmetric": False, "array": rows["eff_high"] - rows["eff"],
                 "arrayminus": rows["eff"] - rows["eff_low"], "thickness": 1.5, "width": 4},
        line={"color": "#0072B2"}, hovertext=hover, hoverinfo="text",
    ))  # fmt: skip
    fig.update_layout(
        width=900, height=520, showlegend=False,
        xaxis={"title": {"text": "Meeting, at its start date"}, "tickvals": rows["date"].tolist(), "type": "date",
               "ticktext": [f"{r}<br>{y}" for r, y in zip(rows["roman"], rows["year"], strict=True)]},
        yaxis={"title": {"text": "Effective number of themes"}, "rangemode": "tozero"},
    )  # fmt: skip
    return _style(
        fig,
        title="Did the meetings become more focused?",
        subtitle=f"Effective number of themes per meeting: 1 / (chance that two different {word} of the meeting "
        f"share a primary theme), {method_label(method, long=True)}. Fewer = more focused. Whiskers: 95% CI.",
        caption="Agenda concentration per meeting as an effective number of themes, with 95% bootstrap "
        "intervals.",
        method=method, level=level,
    )

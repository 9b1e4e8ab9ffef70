"""Explore the recommendations: one table, a timeline chart, a JupyterLab explorer and an offline HTML page.

* :func:`explorer_table` joins the units with their codebook and discovery
  themes and their addressee and modality (from ``data/processed/``).
* :func:`timeline_figure` places every recommendation as a point: meeting date
  across, theme down, with the full text and ``rec_id`` on hover.
* :class:`Explorer` is the JupyterLab explorer (ipywidgets): a search box,
  meeting and theme filters, a result table and the timeline, linked.
* :func:`write_explorer_html` writes a standalone page that works offline with
  no server: the same timeline, filters by theme, meeting and words, a list of
  the matching recommendations, and a shareable URL (``#theme=…&meeting=4&q=…``).

Recommendation text is always escaped: a text that holds ``<script>`` or
``<img onerror=…>`` shows as text and never runs.

Examples
--------
>>> table = explorer_table()  # doctest: +SKIP
>>> Explorer(table).widget  # doctest: +SKIP
"""

from __future__ import annotations

import html
import json
import math
import textwrap
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from analysis._format import escape_text
from analysis.data.corpus import ROMAN, Corpus, load_corpus
from analysis.export.pages import ensure_plotlyjs
from analysis.data.files import atomic_write_bytes
from analysis.data.paths import FIGURES_DIR, PROCESSED_DIR
from analysis.data.tables import read_table, table_exists
from analysis.explore.search import SearchIndex
from analysis.viz.labels import theme_color, theme_label, theme_labels
from analysis.viz.style import chart_kind, localized, source_note, style_figure
from analysis.text.analyzer import normalize

__all__ = ["Explorer", "explorer_table", "hover_text", "results_html", "timeline_figure", "timeline_positions", "write_explorer_html"]

_UNASSIGNED = "(no theme)"


def explorer_table(corpus: Corpus | None = None, processed_dir: Path = PROCESSED_DIR) -> pd.DataFrame:
    """One row per recommendation unit with its themes, addressee and modality.

    Columns: ``rec_id, meeting (int), roman, year, date, lead_in, text, theme,
    theme_weight, discovery_theme, addressee, modality``. ``theme`` is the
    codebook theme (the analyst's categories); ``discovery_theme`` the theme
    found without supervision.

    Raises
    ------
    FileNotFoundError
        When the theme assignments have not been computed yet (run ``make figures``).
    """
    corpus = corpus if corpus is not None else load_corpus()
    processed_dir = Path(processed_dir)
    units = corpus.recommendations
    table = pd.DataFrame({
        "rec_id": units["rec_id"],
        "meeting": units["meeting"].astype(int),
        "roman": [ROMAN[m - 1] for m in units["meeting"].astype(int)],
        "year": units["year"],
        "date": units["date"],
        "lead_in": units["lead_in"].fillna(""),
        "text": units["text"],
    })
    if not table_exists("recommendation_themes", processed_dir):
        raise FileNotFoundError(
            f"{processed_dir / 'recommendation_themes.csv'} is missing: run `make figures` to compute the themes first"
        )
    themes = read_table("recommendation_themes", processed_dir)
    for method, column in (("codebook", "theme"), ("discovery", "discovery_theme")):
        part = themes.loc[themes["method"] == method, ["rec_id", "theme", "weight"]]
        part = part.rename(columns={"theme": column, "weight": f"{column}_weight"})
        table = table.merge(part, on="rec_id", how="left", validate="one_to_one")
    table = table.drop(columns=["discovery_theme_weight"])
    if table_exists("unit_language", processed_dir):
        lang = read_table("unit_language", processed_dir)[["rec_id", "addressee", "modality"]].astype("string")
        table = table.merge(lang, on="rec_id", how="left", validate="one_to_one")
    for col in ("theme", "discovery_theme"):
        table[col] = table[col].fillna(_UNASSIGNED).astype("string")
    return table


def _theme_order(table: pd.DataFrame) -> list[str]:
    """Themes from the largest to the smallest (ties by name); "(no theme)" last."""
    counts = table["theme"].value_counts()
    order = sorted(counts.index, key=lambda t: (t == _UNASSIGNED, -counts[t], t))
    return [str(t) for t in order]


def timeline_positions(table: pd.DataFrame, themes: list[str] | None = None) -> pd.DataFrame:
    """Deterministic x (date) and y (theme row) positions: each (meeting, theme) cell is a small grid.

    >>> df = pd.DataFrame({"rec_id": ["1.1", "1.2"], "meeting": [1, 1], "theme": ["A", "A"],
    ...                    "date": pd.to_datetime(["2009-04-14"] * 2)})
    >>> timeline_positions(df)[["x", "y"]].round(2).astype(str).values.tolist()
    [['2009-03-05', '0.0'], ['2009-05-24', '0.0']]
    """
    themes = themes if themes is not None else _theme_order(table)
    row = {t: i for i, t in enumerate(themes)}
    xs, ys = np.zeros(len(table)), np.zeros(len(table))
    out = table[["rec_id", "meeting", "theme", "date"]].reset_index(drop=True)
    for _, idx in out.groupby(["meeting", "theme"], sort=False).groups.items():
        idx = np.asarray(sorted(idx))
        n = len(idx)
        cols = math.ceil(math.sqrt(n * 2))
        rows = math.ceil(n / cols)
        k = np.arange(n)
        xs[idx] = (k % cols - (cols - 1) / 2) * (80 / max(cols - 1, 1)) if cols > 1 else 0
        ys[idx] = (k // cols - (rows - 1) / 2) * (0.6 / max(rows - 1, 1)) if rows > 1 else 0
    out["x"] = (pd.to_datetime(out["date"]) + pd.to_timedelta(np.round(xs), unit="D")).dt.strftime("%Y-%m-%d")
    out["y"] = [row[t] for t in out["theme"]] + ys
    return out


_HOVER_TEXT: dict[str, dict[str, str]] = {
    "en": {"meeting": "meeting", "theme": "Theme", "to": "Addressed to"},
    "es": {"meeting": "reunión", "theme": "Tema", "to": "Dirigida a"},
}


def hover_text(row: pd.Series, *, width: int = 90, lang: str = "en") -> str:
    """HTML-escaped hover text in ``lang``: rec_id, meeting, theme, then the full text wrapped, as written."""
    words = _HOVER_TEXT["es" if lang == "es" else "en"]
    lines = [f"<b>{escape_text(row['rec_id'])}</b> · {words['meeting']} {escape_text(row['roman'])} ({row['year']})"]
    lines.append(f"{words['theme']}: {escape_text(_name_label(str(row['theme']), lang))}")
    if "addressee" in row and pd.notna(row.get("addressee")):
        lines.append(f"{words['to']}: {escape_text(row['addressee'])} · {escape_text(row.get('modality', ''))}")
    body = (f"{row['lead_in']} … " if row.get("lead_in") else "") + str(row["text"])
    lines += [escape_text(line) for line in textwrap.wrap(body, width)]
    return "<br>".join(lines)


def _name_colors(themes: list[str]) -> dict[str, str]:
    """Spanish theme name -> the theme's colour, keyed by its codebook id."""
    ids = {v["es"]: k for k, v in theme_labels().items() if v.get("es")}
    return {t: theme_color(ids.get(t, t)) for t in themes}


def _name_label(theme: str, lang: str) -> str:
    ids = {v["es"]: k for k, v in theme_labels().items() if v.get("es")}
    return theme_label(ids[theme], lang) if theme in ids else theme


_TIMELINE_TEXT: dict[str, dict[str, str]] = {
    "en": {
        "title": "Every recommendation on a timeline, by theme",
        "sub": "One dot per recommendation unit, placed at its meeting's date and in its codebook theme; hover for "
               "the full text.",
        "cap": "Every recommendation unit of the Working Group, 2009-2018, by meeting (across) and codebook theme "
               "(down); one dot per unit.",
        "alt": "{kind}: rows are {k} codebook themes, columns the eight meetings from 2009 to 2018; each "
               "recommendation is a dot in its theme's row at its meeting's date; the fullest row is “{big}”.",
        "x": "Meeting (date)", "y": "Codebook theme",
    },
    "es": {
        "title": "Todas las recomendaciones en una línea de tiempo, por tema",
        "sub": "Un punto por unidad de recomendación, en la fecha de su reunión y en su tema del libro de códigos; "
               "pase el cursor para ver el texto completo.",
        "cap": "Todas las unidades de recomendación del Grupo de Trabajo, 2009-2018, por reunión (en horizontal) y "
               "tema del libro de códigos (en vertical); un punto por unidad.",
        "alt": "{kind}: las filas son {k} temas del libro de códigos y las columnas las ocho reuniones de 2009 a "
               "2018; cada recomendación es un punto en la fila de su tema en la fecha de su reunión; la fila más "
               "poblada es «{big}».",
        "x": "Reunión (fecha)", "y": "Tema del libro de códigos",
    },
}  # fmt: skip


def timeline_figure(table: pd.DataFrame, *, highlight: pd.Series | None = None, lang: str = "en") -> go.Figure:
    """Every recommendation as a point: meeting date across, codebook theme down (styled, in ``lang``).

    ``highlight`` (a boolean mask over ``table``) dims the other points, as the
    explorer does for search results.
    """
    themes = _theme_order(table)
    colors = _name_colors(themes)
    labels = [_name_label(t, lang) for t in themes]
    pos = timeline_positions(table, themes)
    hover = [hover_text(r, lang=lang) for _, r in table.iterrows()]
    fig = go.Figure()
    mask = np.ones(len(table), dtype=bool) if highlight is None else np.asarray(highlight, dtype=bool)
    for theme in themes:
        idx = np.flatnonzero((pos["theme"] == theme).to_numpy())
        fig.add_trace(go.Scatter(
            x=pos["x"].iloc[idx], y=pos["y"].iloc[idx], mode="markers", name=_name_label(theme, lang),
            marker={"size": 8, "color": colors.get(theme, "#999999"), "line": {"width": 0.5, "color": "white"}},
            hovertext=[hover[i] for i in idx], hovertemplate="%{hovertext}<extra></extra>",
            customdata=table["rec_id"].iloc[idx],
            selectedpoints=[j for j, i in enumerate(idx) if mask[i]] if highlight is not None else None,
            unselected={"marker": {"opacity": 0.12}},
        ))
    meetings = table.drop_duplicates("meeting").sort_values("meeting")
    dates = pd.to_datetime(table["date"])
    span = [(dates.min() - pd.Timedelta(days=150)).strftime("%Y-%m-%d"),
            (dates.max() + pd.Timedelta(days=150)).strftime("%Y-%m-%d")]
    def t(key: str, **kw: object) -> str:
        return localized(_TIMELINE_TEXT, lang, key, **kw)

    fig.update_layout(
        xaxis={"title": {"text": t("x")}, "type": "date",
               "tickvals": pd.to_datetime(meetings["date"]).dt.strftime("%Y-%m-%d").tolist(),
               "ticktext": (meetings["roman"] + "<br>" + meetings["year"].astype(str)).tolist(),
               "range": span, "autorange": False},
        yaxis={"title": {"text": t("y")}, "tickvals": list(range(len(themes))), "ticktext": labels,
               "range": [len(themes) - 0.5, -0.5], "autorange": False, "zeroline": False},
        hoverlabel={"align": "left"}, showlegend=False,
    )
    big = labels[0] if labels else "–"
    return style_figure(fig, lang=lang, title=t("title"), subtitle=t("sub"), caption=t("cap"),
                        alt_text=t("alt", kind=chart_kind("dots", lang), k=len(themes), big=big),
                        height=max(500, 38 * len(themes) + 240))


# --------------------------------------------------------------------------- #
# JupyterLab explorer
# --------------------------------------------------------------------------- #


def results_html(results: pd.DataFrame, *, total: int | None = None, max_rows: int = 25) -> str:
    """Search results as an HTML table for a notebook: rec_id, meeting, theme and the text.

    The text column is ``highlighted`` when present (already escaped, matches in
    ``<mark>``), otherwise the escaped ``text``.

    Examples
    --------
    >>> df = pd.DataFrame({"rec_id": ["4.1"], "roman": ["IV"], "year": [2011], "theme": ["A"],
    ...                    "text": ["<b>órganos</b>"]})
    >>> "&lt;b&gt;órganos" in results_html(df)
    True
    """
    if results.empty:
        of = f" of {total}" if total is not None else ""
        return (f"<p><b>No recommendation matches</b> these words and filters (0{of}). Try fewer words, "
                "another spelling, or clear the meeting and theme filters.</p>")
    rows = results.head(max_rows)
    texts = rows["highlighted"] if "highlighted" in rows.columns else rows["text"].map(html.escape)
    body = "".join(
        f"<tr><td><b>{html.escape(str(r.rec_id))}</b></td><td>{html.escape(str(r.roman))}&nbsp;({r.year})</td>"
        f"<td>{html.escape(str(r.theme))}</td><td style='text-align:left'>{text}</td></tr>"
        for r, text in zip(rows.itertuples(), texts)
    )
    head = "<tr><th>rec_id</th><th>meeting</th><th>theme</th><th style='text-align:left'>text</th></tr>"
    shown = f" (first {max_rows} shown)" if len(results) > max_rows else ""
    of = f" of {total}" if total is not None else ""
    return f"<p>{len(results)}{of} recommendations{shown}</p><table>{head}{body}</table>"


class Explorer:
    """A search-and-filter explorer for JupyterLab, built from ipywidgets.

    The logic (:meth:`update`) runs without a browser: it sets
    :attr:`results` (the matching units, best first) and highlights them in
    :attr:`figure`; the widgets only call it.

    Parameters
    ----------
    table : DataFrame
        From :func:`explorer_table`.
    max_rows : int
        Rows shown in the result table.

    Examples
    --------
    >>> ex = Explorer(explorer_table())  # doctest: +SKIP
    >>> ex.update(query="organos", meeting=4).results["rec_id"].head(3).tolist()  # doctest: +SKIP
    ['4.1', '4.7', '4.4']
    >>> ex.widget  # doctest: +SKIP
    """

    ALL = "(all)"

    def __init__(self, table: pd.DataFrame, *, max_rows: int = 25, lang: str = "en") -> None:
        self.table = table.reset_index(drop=True)
        self.max_rows = max_rows
        self.lang = lang
        self.index = SearchIndex().fit(self.table)
        self.results = self.table.assign(score=np.nan, highlighted=[html.escape(t) for t in self.table["text"]])
        self._figure: go.Figure | None = None
        self._widget: Any = None

    @property
    def figure(self) -> go.Figure:
        """The linked timeline: the results highlighted, the other recommendations dimmed."""
        if self._figure is None:
            self._figure = timeline_figure(self.table, lang=self.lang)
        return self._figure

    def update(self, query: str = "", *, meeting: int | str | None = None, theme: str | None = None,
               phrase: bool = False) -> Explorer:
        """Filter and search; update :attr:`results` and the highlight in :attr:`figure`."""
        meeting = None if meeting in (None, self.ALL, "") else int(meeting)
        theme = None if theme in (None, self.ALL, "") else theme
        if query and query.strip():
            self.results = self.index.search(query, phrase=phrase, meeting=meeting, theme=theme)
        else:
            mask = np.ones(len(self.table), dtype=bool)
            if meeting is not None:
                mask &= (self.table["meeting"] == meeting).to_numpy()
            if theme is not None:
                mask &= (self.table["theme"] == theme).to_numpy()
            self.results = self.table[mask].assign(
                score=np.nan, highlighted=[html.escape(t) for t in self.table.loc[mask, "text"]]
            )
        hits = set(self.results["rec_id"])
        fig = self.figure
        with fig.batch_update():
            for trace in fig.data:
                ids = list(trace.customdata)
                trace.selectedpoints = [i for i, r in enumerate(ids) if r in hits]
        return self

    def results_html(self) -> str:
        """The result table as HTML; see :func:`results_html`."""
        return results_html(self.results, total=len(self.table), max_rows=self.max_rows)

    @property
    def widget(self) -> Any:
        """The explorer UI (an ipywidgets ``VBox``)."""
        if self._widget is None:
            import ipywidgets as w

            query = w.Text(placeholder="Search, e.g. víctimas niños, indemnización, organos", description="Search")
            phrase = w.Checkbox(description="exact phrase", value=False)
            meeting = w.Dropdown(description="Meeting",
                                 options=[(self.ALL, self.ALL)] + [(f"{ROMAN[m - 1]} ({y})", m) for m, y in
                                          self.table.drop_duplicates("meeting")[["meeting", "year"]].itertuples(index=False)])
            theme = w.Dropdown(description="Theme", options=[(self.ALL, self.ALL)] + [
                (_name_label(name, self.lang), name) for name in _theme_order(self.table)])
            out = w.HTML(self.results_html())
            # The chart is shown through plotly's own notebook renderer in an Output, redrawn on each
            # change: it takes the notebook's width and follows resizes (a FigureWidget is drawn at
            # plotly's fallback 700 px in JupyterLab and redraws its title only on the first edit).
            plot = w.Output(layout=w.Layout(width="100%"))

            def draw() -> None:
                from analysis.run.display import show

                with plot:
                    plot.clear_output(wait=True)
                    show(self.figure, static=False)

            def refresh(_: Any = None) -> None:
                self.update(query.value, meeting=meeting.value, theme=theme.value, phrase=phrase.value)
                out.value = self.results_html()
                draw()

            for control in (query, phrase, meeting, theme):
                control.observe(refresh, names="value")
            draw()
            self._widget = w.VBox([w.HBox([query, phrase]), w.HBox([meeting, theme]), plot, out],
                                  layout=w.Layout(width="100%"))
        return self._widget


# --------------------------------------------------------------------------- #
# Standalone HTML explorer
# --------------------------------------------------------------------------- #


def _json_for_script(data: Any) -> str:
    """JSON that is safe inside ``<script type="application/json">`` (no ``<``, ``>`` or ``&``)."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Explorer · Recommendations of the Working Group on Trafficking in Persons, 2009–2018</title>
<script src="plotly.min.js"></script>
<style>
 body {{ font-family: "Source Sans 3", "Segoe UI", Roboto, Arial, sans-serif; margin: 1.5rem; color: #222; }}
 h1 {{ font-size: 1.4rem; margin-bottom: .2rem; }}
 .sub {{ color: #555; margin-top: 0; }}
 .controls {{ display: flex; gap: 1rem; flex-wrap: wrap; align-items: end; margin: 1rem 0; }}
 label {{ display: flex; flex-direction: column; font-size: .85rem; color: #444; }}
 select, input {{ font-size: 1rem; padding: .25rem; min-width: 14rem; }}
 #count {{ font-weight: 600; }}
 #results li {{ margin: .4rem 0; max-width: 70rem; }}
 #results .id {{ font-weight: 700; margin-right: .4rem; }}
 #results .meta {{ color: #666; font-size: .85rem; margin-left: .4rem; }}
 .source {{ color: #666; font-size: .8rem; margin-top: 2rem; }}
</style>
</head>
<body>
<h1>Every recommendation of the Working Group on Trafficking in Persons, 2009–2018</h1>
<p class="sub">One dot per recommendation unit, at its meeting's date and in its codebook theme. Hover for the full text; filter below. The address of this page keeps the filters, so a view can be shared.</p>
<div class="controls">
 <label>Theme <select id="theme"><option value="">All themes</option>{theme_options}</select></label>
 <label>Meeting <select id="meeting"><option value="">All meetings</option>{meeting_options}</select></label>
 <label>Words in the text (accents optional) <input id="q" type="search" placeholder="e.g. organos, indemnización"></label>
 <span id="count"></span>
</div>
<div id="plot" style="width:100%;height:{height}px;"></div>
<ol id="results"></ol>
<p class="source">{source}</p>
<script type="application/json" id="data">{data}</script>
<script>
(function () {{
  "use strict";
  var D = JSON.parse(document.getElementById("data").textContent);
  var sel = {{theme: document.getElementById("theme"), meeting: document.getElementById("meeting"), q: document.getElementById("q")}};
  function fold(s) {{ return s.normalize("NFD").replace(/[\\u0300-\\u036f]/g, "").toLowerCase(); }}
  function readHash() {{
    var p = new URLSearchParams(location.hash.slice(1));
    sel.theme.value = p.get("theme") || ""; sel.meeting.value = p.get("meeting") || ""; sel.q.value = p.get("q") || "";
  }}
  function writeHash() {{
    var p = new URLSearchParams();
    if (sel.theme.value) p.set("theme", sel.theme.value);
    if (sel.meeting.value) p.set("meeting", sel.meeting.value);
    if (sel.q.value) p.set("q", sel.q.value);
    history.replaceState(null, "", "#" + p.toString());
  }}
  function keep(pt) {{
    if (sel.theme.value && pt.theme !== sel.theme.value) return false;
    if (sel.meeting.value && String(pt.meeting) !== sel.meeting.value) return false;
    var words = fold(sel.q.value).split(/\\s+/).filter(Boolean);
    for (var i = 0; i < words.length; i++) {{ if (pt.folded.indexOf(words[i]) < 0) return false; }}
    return true;
  }}
  function render() {{
    var shown = D.points.filter(keep);
    var traces = D.themes.map(function (t) {{
      var pts = shown.filter(function (p) {{ return p.theme === t; }});
      return {{type: "scatter", mode: "markers", name: D.labels[t], x: pts.map(function (p) {{ return p.x; }}),
               y: pts.map(function (p) {{ return p.y; }}), hovertext: pts.map(function (p) {{ return p.hover; }}),
               hovertemplate: "%{{hovertext}}<extra></extra>",
               marker: {{size: 8, color: D.colors[t], line: {{width: 0.5, color: "white"}}}}}};
    }});
    Plotly.react("plot", traces, D.layout, {{responsive: true, displaylogo: false}});
    document.getElementById("count").textContent = shown.length + " of " + D.points.length + " recommendations";
    var list = document.getElementById("results");
    list.textContent = "";
    if (!shown.length) {{
      var none = document.createElement("li");
      none.textContent = "No recommendation matches these words and filters. Try fewer words, another spelling, or clear the filters.";
      list.appendChild(none);
    }}
    shown.slice(0, 300).forEach(function (p) {{
      var li = document.createElement("li"), id = document.createElement("span"), meta = document.createElement("span");
      id.className = "id"; id.textContent = p.rec_id;
      meta.className = "meta"; meta.textContent = "meeting " + p.roman + " (" + p.year + ") · " + p.label;
      li.appendChild(id); li.appendChild(document.createTextNode(p.text)); li.appendChild(meta);
      list.appendChild(li);
    }});
  }}
  readHash();
  ["change", "input"].forEach(function (ev) {{
    [sel.theme, sel.meeting, sel.q].forEach(function (el) {{ el.addEventListener(ev, function () {{ writeHash(); render(); }}); }});
  }});
  window.addEventListener("hashchange", function () {{ readHash(); render(); }});
  render();
}})();
</script>
</body>
</html>
"""


def write_explorer_html(table: pd.DataFrame, path: Path | str = FIGURES_DIR / "html" / "explorer.html") -> Path:
    """Write the standalone, offline explorer page; return its path.

    The page loads ``plotly.min.js`` from its own folder (copied there if
    missing) and nothing from the network.
    """
    path = Path(path)
    ensure_plotlyjs(path.parent)
    fig = timeline_figure(table, lang="en")
    layout = json.loads(fig.to_json())["layout"]
    layout["title"] = {"text": ""}  # the page has its own heading
    layout["margin"] = {**layout.get("margin", {}), "t": 30}
    themes = _theme_order(table)
    colors = _name_colors(themes)
    pos = timeline_positions(table, themes)
    points = [
        {
            "rec_id": r.rec_id, "theme": r.theme, "meeting": int(r.meeting), "roman": r.roman, "year": int(r.year),
            "x": x, "y": round(float(y), 4), "text": (f"{r.lead_in} … " if r.lead_in else "") + r.text,
            "folded": normalize(f"{r.lead_in} {r.text}"), "hover": hover_text(pd.Series(r._asdict()), lang="en"),
            "label": _name_label(r.theme, "en"),
        }
        for r, x, y in zip(table.itertuples(index=False), pos["x"], pos["y"])
    ]
    meetings = table.drop_duplicates("meeting").sort_values("meeting")
    page = _PAGE.format(
        theme_options="".join(
            f'<option value="{html.escape(t, quote=True)}">{html.escape(_name_label(t, "en"))}</option>' for t in themes
        ),
        meeting_options="".join(
            f'<option value="{int(m.meeting)}">{html.escape(m.roman)} ({int(m.year)})</option>' for m in meetings.itertuples()
        ),
        height=int(layout.get("height", 700)),
        source=html.escape(source_note("en")),
        data=_json_for_script({"points": points, "themes": themes,
                               "colors": {t: colors.get(t, "#999999") for t in themes},
                               "labels": {t: _name_label(t, "en") for t in themes}, "layout": layout}),
    )
    return atomic_write_bytes(path, page.encode("utf-8"))


"""The project's look: a plotly template, a colour-blind-safe palette, formatting.

Every chart of the project goes through :func:`style_figure` (or at least
through :func:`make_template`) and then through :func:`analysis.export.export`.
Nothing here touches plotly's global state: ``plotly.io.templates.default`` is
never changed; the template is an object you attach to a figure.

Main entry points
-----------------
make_template(lang="es")
    A ``go.layout.Template``: typography, margins, palette, grid, number
    separators and the source note (a named template annotation).
style_figure(fig, *, title, subtitle=None, caption=None, alt_text=None, lang="es")
    Attach the template, title, subtitle and source note to a figure, and store
    the caption and alt text in ``fig.layout.meta`` for the exporter.
theme_colors(themes)
    One fixed colour per theme, assigned in the order given.
format_number / format_percent / format_date
    Spanish (or English) formatting for text that goes into charts.
plotly_locale(lang) / plotly_config(lang)
    The plotly.js locale (month names, separators, mode bar) and the HTML
    config that uses it, both without any network load.

Examples
--------
>>> import plotly.graph_objects as go
>>> from analysis.viz.style import style_figure, theme_colors
>>> colors = theme_colors(["Prevención", "Protección", "Enjuiciamiento"])
>>> fig = go.Figure(go.Bar(x=list(colors), y=[12, 30, 7],
...                        marker_color=list(colors.values())))
>>> fig = style_figure(fig, title="Recomendaciones por tema",
...                    caption="Número de recomendaciones de cada tema.")
>>> fig.layout.separators
',.'

Size: about 760 lines, most of it the template's settings, the header geometry and the
Spanish/English locale tables, which are data.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any, Final, Literal

import plotly.graph_objects as go

from analysis._format import wrap

__all__ = [
    "ALT_TEXT_KEY",
    "CAPTION_KEY",
    "FONT_FAMILY",
    "LANGS",
    "META_KEY",
    "PALETTE",
    "SOURCE_NOTE",
    "TEMPLATE_NAME",
    "Lang",
    "figure_meta",
    "header_height",
    "format_date",
    "format_number",
    "format_percent",
    "format_signed",
    "meeting_tag",
    "make_template",
    "plotly_config",
    "plotly_locale",
    "source_note",
    "style_figure",
    "theme_colors",
    "chart_kind",
    "localized",
    "uses_template",
]

Lang = Literal["es", "en"]
#: Languages the chart text can be written in.
LANGS: Final[tuple[str, ...]] = ("es", "en")

#: Name recorded on styled figures (``layout.meta[META_KEY]["template"]``) and in the manifest.
TEMPLATE_NAME: Final = "wg4"
#: Key of the project's entry in ``fig.layout.meta``.
META_KEY: Final = "wg4"
CAPTION_KEY: Final = "caption"
ALT_TEXT_KEY: Final = "alt_text"
#: ``name`` of the source-note annotation in the template (override it with ``templateitemname``).
SOURCE_ITEM: Final = "wg4-source"

#: The source note of every chart: the document and its symbol.
SOURCE_NOTE: Final[Mapping[str, str]] = {
    "es": (
        "Fuente: Recomendaciones aprobadas por el Grupo de Trabajo sobre la Trata de "
        "Personas en sus ocho primeras reuniones (CTOC/COP/WG.4, 2019)"
    ),
    "en": (
        "Source: Recommendations adopted by the Working Group on Trafficking in Persons "
        "at its first eight meetings (CTOC/COP/WG.4, 2019)"
    ),
}

#: Font stack: the first one installed wins (DejaVu Sans on a bare Debian).
FONT_FAMILY: Final = (
    '"Source Sans 3", "Source Sans Pro", "Noto Sans", "Liberation Sans", Arial, '
    '"DejaVu Sans", sans-serif'
)
TEXT_COLOR: Final = "#222222"
MUTED_COLOR: Final = "#5F5F5F"
GRID_COLOR: Final = "#E3E3E3"
AXIS_COLOR: Final = "#8C8C8C"

#: Colour-blind-safe categorical palette, 20 colours, in assignment order:
#: Okabe & Ito (2008) without black, then Paul Tol's "muted" scheme, then four
#: of Tol's "light" scheme. The earlier colours are the most distinguishable.
PALETTE: Final[tuple[str, ...]] = (
    # Okabe-Ito
    "#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442",
    # Paul Tol, muted
    "#332288", "#117733", "#44AA99", "#88CCEE", "#DDCC77", "#CC6677", "#AA4499",
    "#882255", "#999933",
    # Paul Tol, light
    "#EE8866", "#FFAABB", "#BBCC33", "#77AADD",
)  # fmt: skip

#: Characters per line of title and subtitle at the default 900 px width.
TITLE_WRAP: Final = 80
SUBTITLE_WRAP: Final = 115

#: Margins (px) of the template; the bottom one leaves room for the source note. The top
#: one is set by :func:`style_figure` from the lines of title and subtitle (:func:`header_height`).
MARGIN: Final[Mapping[str, int]] = {"l": 72, "r": 32, "t": 96, "b": 118}
#: Header geometry (px): space above the title, line heights of title (20 px font) and
#: subtitle (13 px), the gap between them and the gap from the header to the plot area.
HEADER_PAD: Final = 18
TITLE_LINE: Final = 26
SUBTITLE_LINE: Final = 18
SUBTITLE_GAP: Final = 8
HEADER_GAP: Final = 22
#: Left edge (px) of title and subtitle, from the figure's left edge.
HEADER_LEFT: Final = 16

_MONTHS: Final[Mapping[str, tuple[str, ...]]] = {
    "es": (
        "enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
        "septiembre", "octubre", "noviembre", "diciembre",
    ),
    "en": (
        "January", "February", "March", "April", "May", "June", "July", "August",
        "September", "October", "November", "December",
    ),
}  # fmt: skip
_DAYS: Final[Mapping[str, tuple[str, ...]]] = {
    "es": ("domingo", "lunes", "martes", "miércoles", "jueves", "viernes", "sábado"),
    "en": ("Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"),
}
_SEPARATORS: Final[Mapping[str, str]] = {"es": ",.", "en": ".,"}

#: Spanish strings for plotly.js's mode bar and messages.
_ES_DICTIONARY: Final[Mapping[str, str]] = {
    "Autoscale": "Autoescalar",
    "Box Select": "Selección rectangular",
    "Compare data on hover": "Comparar datos al pasar el cursor",
    "Double-click to zoom back out": "Doble clic para restablecer el zoom",
    "Download plot": "Descargar gráfico",
    "Download plot as a PNG": "Descargar gráfico como PNG",
    "Download plot as a png": "Descargar gráfico como PNG",
    "Download plot as JSON": "Descargar gráfico como JSON",
    "Lasso Select": "Selección con lazo",
    "Pan": "Desplazar",
    "Produced with Plotly.js": "Hecho con Plotly.js",
    "Reset axes": "Restablecer ejes",
    "Reset view": "Restablecer vista",
    "Show closest data on hover": "Mostrar el dato más cercano al pasar el cursor",
    "Toggle Spike Lines": "Mostrar u ocultar líneas guía",
    "Zoom": "Zoom",
    "Zoom in": "Acercar",
    "Zoom out": "Alejar",
    "autoscale": "autoescalar",
    "max": "máx.",
    "median": "mediana",
    "min": "mín.",
    "new text": "texto nuevo",
    "trace": "serie",
}


def _check_lang(lang: str) -> str:
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {LANGS}, got {lang!r}")
    return lang


def source_note(lang: Lang = "es") -> str:
    """Return the source note in the chart language.

    Examples
    --------
    >>> source_note("en").startswith("Source: Recommendations adopted")
    True
    >>> "CTOC/COP/WG.4" in source_note("es")
    True
    """
    return SOURCE_NOTE[_check_lang(lang)]


#: How each theme method is named in charts: the short form in theme-chart
#: titles, the long one in trend captions, where the method is named once per chart.
_METHOD_LABELS: Final[Mapping[str, Mapping[str, str]]] = {
    "es": {"codebook": "libro de códigos", "discovery": "descubrimiento, NMF", "kmeans": "descubrimiento, k-means",
           "reference": "codificación de referencia"},
    "en": {"codebook": "codebook", "discovery": "discovery, NMF", "kmeans": "discovery, k-means",
           "reference": "reference coding"},
    "en-long": {"codebook": "codebook themes", "discovery": "themes discovered without labels (NMF)",
                "reference": "themes of the reference coding: two readers, adjudicated"},
    "es-long": {"codebook": "temas del libro de códigos", "discovery": "temas descubiertos sin etiquetas (NMF)",
                "reference": "temas de la codificación de referencia: dos lectores, con arbitraje"},
}


def method_label(method: str, lang: str = "en", *, long: bool = False) -> str:
    """The name of a theme method in a chart (``long``: the caption form).

    >>> method_label("discovery"), method_label("codebook", long=True)
    ('discovery, NMF', 'codebook themes')
    >>> method_label("codebook", "es", long=True)
    'temas del libro de códigos'
    """
    return _METHOD_LABELS[f"{_check_lang(lang)}-long" if long else _check_lang(lang)].get(method, method)


def localized(texts: Mapping[str, Mapping[str, str]], lang: str, key: str, **values: object) -> str:
    """``texts[lang][key]`` with ``values`` filled in: the text tables of the chart modules.

    >>> localized({"en": {"n": "{k} themes"}, "es": {"n": "{k} temas"}}, "es", "n", k=3)
    '3 temas'
    """
    return texts[_check_lang(lang)][key].format(**values)


def chart_kind(kind: str, lang: str) -> str:
    """The name of a chart type in ``lang``, for alt texts (``"bars"`` -> ``"Bar chart"``)."""
    return _CHART_KINDS[kind][_check_lang(lang)]


_CHART_KINDS: Final[Mapping[str, Mapping[str, str]]] = {
    "hbars": {"en": "Horizontal bar chart", "es": "Gráfico de barras horizontales"},
    "bars": {"en": "Bar chart", "es": "Gráfico de barras"},
    "stacked": {"en": "100% stacked bar chart", "es": "Gráfico de barras apiladas al 100 %"},
    "hstacked": {"en": "Horizontal 100% stacked bar chart", "es": "Gráfico de barras horizontales apiladas al 100 %"},
    "small_bars": {"en": "Small multiples of horizontal bar charts", "es": "Pequeños múltiplos de barras horizontales"},
    "scatter_map": {"en": "Scatter map (t-SNE)", "es": "Mapa de dispersión (t-SNE)"},
    "heatmap": {"en": "Heatmap", "es": "Mapa de calor"},
    "lines": {"en": "Line chart", "es": "Gráfico de líneas"},
    "small_lines": {"en": "Small multiples of line charts", "es": "Pequeños múltiplos de gráficos de líneas"},
    "slope": {"en": "Slope chart", "es": "Gráfico de pendientes"},
    "bump": {"en": "Bump chart", "es": "Gráfico de rangos (bump chart)"},
    "box": {"en": "Box plot with every point", "es": "Diagrama de cajas con cada punto"},
    "dots": {"en": "Dot chart on a time axis", "es": "Gráfico de puntos sobre un eje temporal"},
    "dotplot": {"en": "Dot plot with intervals", "es": "Gráfico de puntos con intervalos"},
    "network": {"en": "Network of arrows on a time axis", "es": "Red de flechas sobre un eje temporal"},
    "histogram": {"en": "Histogram", "es": "Histograma"},
    "panels": {"en": "Three line charts side by side", "es": "Tres gráficos de líneas lado a lado"},
}


def _wrap(text: str, width: int = 100) -> str:
    # Titles and notes keep hyphenated and long words whole.
    return wrap(text, width, whole_words=True)


#: A tag of plotly's text markup (``<br>``, ``<b>``, ``</sup>``...); a bare "<" as in "p < 0.05" is not one.
_MARKUP_TAG = re.compile(r"</?[A-Za-z][^<>]*>")


def _wrap_plain(text: str, width: int) -> str:
    """Wrap ``text`` unless it already has markup (line breaks or tags) of its own.

    Examples
    --------
    >>> _wrap_plain("Dark: clear trend (Holm-adjusted p < 0.05). " * 3, 60).count("<br>")
    2
    >>> _wrap_plain("One line<br>and another", 10)
    'One line<br>and another'
    """
    return text if _MARKUP_TAG.search(text) else _wrap(text, width)


def theme_colors(themes: Sequence[str]) -> dict[str, str]:
    """Assign one palette colour to each theme, in the order given.

    The assignment depends only on the order of ``themes``: pass the project's
    canonical, ordered list of themes everywhere and a theme keeps its colour
    in every chart (use the result as plotly express's ``color_discrete_map``).

    Parameters
    ----------
    themes : sequence of str
        Distinct theme labels, in their canonical order.

    Returns
    -------
    dict of str to str
        Theme label -> ``"#RRGGBB"`` colour, in the order of ``themes``.

    Raises
    ------
    ValueError
        If a theme is repeated, or there are more themes than the
        ``len(PALETTE)`` (20) distinguishable colours.

    Examples
    --------
    >>> theme_colors(["Prevención", "Protección"])
    {'Prevención': '#0072B2', 'Protección': '#E69F00'}
    >>> theme_colors(["Protección"])["Protección"]  # position, not name, decides
    '#0072B2'
    """
    themes = list(themes)
    repeated = sorted(t for t, n in Counter(themes).items() if n > 1)
    if repeated:
        raise ValueError(f"themes must be distinct; repeated: {repeated}")
    if len(themes) > len(PALETTE):
        raise ValueError(
            f"{len(themes)} themes but only {len(PALETTE)} colour-blind-safe colours; "
            "group the smallest themes (e.g. into 'Otros') before plotting"
        )
    return dict(zip(themes, PALETTE, strict=False))


def plotly_locale(lang: Lang = "es") -> dict[str, Any]:
    """Return the plotly.js locale for ``lang`` (``{"dictionary", "format"}``).

    It gives Spanish month and day names, decimal comma and thousands point to
    date axes and hover labels. It is passed inline in the config, so nothing
    is loaded from the network.

    Examples
    --------
    >>> plotly_locale("es")["format"]["shortMonths"][3]
    'abr'
    >>> plotly_locale("en")["format"]["decimal"]
    '.'
    """
    _check_lang(lang)
    days = _DAYS[lang]
    decimal, thousands = _SEPARATORS[lang]
    return {
        "dictionary": dict(_ES_DICTIONARY) if lang == "es" else {},
        "format": {
            "days": list(days),
            "shortDays": [d[:3] for d in days],
            "months": list(_MONTHS[lang]),
            "shortMonths": [m[:3] for m in _MONTHS[lang]],
            "date": "%d/%m/%Y",
            "decimal": decimal,
            "thousands": thousands,
            "grouping": [3],
            "currency": ["", "\u00a0€"] if lang == "es" else ["$", ""],
        },
    }


def plotly_config(lang: Lang = "es", *, filename: str = "figura", scale: float = 3) -> dict[str, Any]:
    """Return the plotly.js config for interactive (HTML) figures.

    Responsive, no plotly logo, no "Share chart" (cloud upload) button, the
    ``lang`` locale given inline, and the mode bar's download button set to a
    print-quality PNG named ``filename``.

    Examples
    --------
    >>> cfg = plotly_config("es", filename="temas")
    >>> cfg["locale"], cfg["responsive"], cfg["toImageButtonOptions"]["filename"]
    ('es', True, 'temas')
    """
    _check_lang(lang)
    return {
        "responsive": True,
        "displaylogo": False,
        "modeBarButtonsToRemove": ["sendChartToCloud"],
        "locale": lang,
        "locales": {lang: plotly_locale(lang)},
        "toImageButtonOptions": {"format": "png", "filename": filename, "scale": scale},
    }


def make_template(lang: Lang = "es") -> go.layout.Template:
    """Build the project's plotly template for charts written in ``lang``.

    Typography (one sans-serif stack, sizes for print), margins that leave room
    for the source note, the colour-blind-safe :data:`PALETTE` as colorway,
    light grid, left-aligned title and subtitle, number separators of the
    language (``",."`` for Spanish: ``1.234,5``) and the source note as a
    named template annotation (``name="wg4-source"``), drawn on every figure
    that uses the template.

    Parameters
    ----------
    lang : {"es", "en"}
        Language of the chart text.

    Returns
    -------
    plotly.graph_objects.layout.Template
        A new object on every call; nothing global is registered.

    Examples
    --------
    >>> t = make_template("es")
    >>> t.layout.separators, t.layout.colorway[0]
    (',.', '#0072B2')
    >>> t.layout.annotations[0].name
    'wg4-source'
    """
    _check_lang(lang)
    axis = dict(
        automargin=True,
        showgrid=True,
        gridcolor=GRID_COLOR,
        gridwidth=1,
        zeroline=False,
        showline=True,
        linecolor=AXIS_COLOR,
        linewidth=1,
        ticks="outside",
        tickcolor=AXIS_COLOR,
        ticklen=4,
        tickfont=dict(size=12, color=TEXT_COLOR),
        title=dict(font=dict(size=13, color=TEXT_COLOR), standoff=10),
    )
    note = dict(
        name=SOURCE_ITEM,
        text=_wrap(SOURCE_NOTE[lang]),
        xref="paper",
        yref="paper",
        x=0,
        y=0,
        xanchor="left",
        yanchor="bottom",
        align="left",
        # the anchor sits 8 px above the bottom edge of the figure
        yshift=-(MARGIN["b"] - 8),
        showarrow=False,
        font=dict(size=10, color=MUTED_COLOR),
    )
    layout = go.Layout(
        font=dict(family=FONT_FAMILY, size=13, color=TEXT_COLOR),
        # title and subtitle from the figure's left edge, not the plot's: a chart with long
        # row labels would otherwise push them off the right edge
        title=dict(
            x=0,
            xref="container",
            xanchor="left",
            y=1,
            yref="container",
            yanchor="top",
            pad=dict(t=HEADER_PAD, l=HEADER_LEFT),
            font=dict(size=20, color=TEXT_COLOR),
            subtitle=dict(font=dict(size=13, color=MUTED_COLOR)),
        ),
        margin=dict(MARGIN, pad=0, autoexpand=True),
        colorway=list(PALETTE),
        paper_bgcolor="#FFFFFF",
        plot_bgcolor="#FFFFFF",
        separators=_SEPARATORS[lang],
        xaxis=dict(axis, showgrid=False),
        yaxis=axis,
        legend=dict(
            font=dict(size=12),
            title=dict(font=dict(size=12)),
            bgcolor="rgba(255,255,255,0)",
            traceorder="normal",
        ),
        hoverlabel=dict(font=dict(family=FONT_FAMILY, size=12), namelength=-1),
        bargap=0.25,
        annotations=[note],
    )
    data = go.layout.template.Data(
        bar=[go.Bar(marker=dict(line=dict(width=0)))],
        scatter=[go.Scatter(line=dict(width=2.5), marker=dict(size=7))],
        heatmap=[go.Heatmap(colorscale="Cividis")],
    )
    return go.layout.Template(layout=layout, data=data)


def figure_meta(fig: go.Figure) -> dict[str, Any]:
    """Return the project's metadata stored on ``fig`` (empty dict if none).

    Examples
    --------
    >>> import plotly.graph_objects as go
    >>> figure_meta(go.Figure())
    {}
    """
    meta = fig.layout.meta
    if isinstance(meta, Mapping) and isinstance(meta.get(META_KEY), Mapping):
        return dict(meta[META_KEY])
    return {}


def uses_template(fig: go.Figure) -> bool:
    """Whether ``fig`` was styled with the project template by :func:`style_figure`.

    Examples
    --------
    >>> import plotly.graph_objects as go
    >>> uses_template(go.Figure())
    False
    >>> uses_template(style_figure(go.Figure(), title="T"))
    True
    """
    info = figure_meta(fig)
    if info.get("template") != TEMPLATE_NAME:
        return False
    layout_template = fig.layout.template.layout
    return layout_template.colorway == PALETTE and any(
        a.name == SOURCE_ITEM for a in layout_template.annotations
    )


def style_figure(
    fig: go.Figure,
    *,
    title: str | None = None,
    subtitle: str | None = None,
    caption: str | None = None,
    alt_text: str | None = None,
    source: str | None = None,
    lang: Lang = "es",
    width: int | None = None,
    height: int | None = None,
    top_space: int = 0,
) -> go.Figure:
    """Give ``fig`` the project's look, title, subtitle and source note.

    The figure is changed in place and returned, like plotly's
    ``update_layout``. Calling it again replaces the earlier values.

    Parameters
    ----------
    fig : plotly.graph_objects.Figure
        The figure to style.
    title : str, optional
        Chart title. Default: the figure's own title, where the common idiom
        ``"Title<br><sup>Subtitle</sup>"`` is split into title and subtitle.
        A figure must end up with a non-empty title.
    subtitle : str, optional
        A line under the title, e.g. the unit or the period.
    caption : str, optional
        Caption for reports and the gallery; stored in ``layout.meta`` and
        used by :func:`analysis.export.export` unless it is given one.
    alt_text : str, optional
        Text alternative for screen readers; stored like ``caption``.
    source : str, optional
        Source note; defaults to :data:`SOURCE_NOTE` in ``lang``. ``""``
        hides it.
    lang : {"es", "en"}
        Language of the chart text: template separators, source note, locale.
    width, height : int, optional
        Size (px) of the exported files, stored in ``layout.meta``; the
        figure itself keeps no fixed width, so it fills the notebook's width.
        ``height`` is also the displayed height.
    top_space : int
        Room (px) between the header and the plot area, for what a chart puts
        there (column labels on top, panel titles). The top margin is the
        header's height (:func:`header_height`) plus this, so the subtitle
        never runs into the plot and no empty band is left above it.

    Returns
    -------
    plotly.graph_objects.Figure
        ``fig`` itself.

    Examples
    --------
    >>> import plotly.graph_objects as go
    >>> fig = style_figure(go.Figure(go.Bar(x=["a"], y=[1234.5])), title="Totales",
    ...                    subtitle="2009-2018", lang="en")
    >>> fig.layout.title.text, fig.layout.title.subtitle.text, fig.layout.separators
    ('Totales', '2009-2018', '.,')
    >>> figure_meta(fig)["lang"]
    'en'
    >>> fig = go.Figure(layout_title_text="Temas<br><sup>Número de unidades</sup>")
    >>> style_figure(fig).layout.title.subtitle.text
    'Número de unidades'
    """
    _check_lang(lang)
    if title is None:
        title, own_subtitle = _split_title(fig.layout.title.text)
        subtitle = subtitle if subtitle is not None else own_subtitle
    if not isinstance(title, str) or not title.strip():
        raise ValueError("style_figure needs a title: pass title=... or give the figure one")
    template = make_template(lang)
    old = fig.layout.meta
    meta = dict(old) if isinstance(old, Mapping) else ({} if old is None else {"user": old})
    info: dict[str, Any] = {"template": TEMPLATE_NAME, "lang": lang, "title": title}
    if subtitle:
        info["subtitle"] = subtitle
    if caption:
        info[CAPTION_KEY] = caption
    if alt_text:
        info[ALT_TEXT_KEY] = alt_text
    if width:
        info["width"] = int(width)
    if height:
        info["height"] = int(height)
    meta[META_KEY] = info
    title_text = _wrap_plain(title, TITLE_WRAP)
    subtitle_text = _wrap_plain(subtitle, SUBTITLE_WRAP) if subtitle else None
    fig.update_layout(
        template=template,
        title=dict(text=title_text, subtitle=dict(text=subtitle_text)),
        separators=_SEPARATORS[lang],
        meta=meta,
        margin_t=header_height(title_text, subtitle_text) + int(top_space),
    )
    if height:
        fig.layout.height = int(height)
    # Drop an override of the source note from an earlier call, then add ours.
    fig.layout.annotations = [
        a for a in fig.layout.annotations if a.templateitemname != SOURCE_ITEM
    ]
    if source is not None:
        if source:
            fig.add_annotation(templateitemname=SOURCE_ITEM, text=_wrap(source))
        else:
            fig.add_annotation(templateitemname=SOURCE_ITEM, visible=False)
    return fig


def header_height(title: str, subtitle: str | None = None) -> int:
    """Height (px) of a chart's header: title and subtitle as wrapped (``<br>`` between lines), with gaps.

    Examples
    --------
    >>> header_height("One line"), header_height("One line", "Two<br>lines")
    (66, 110)
    """
    height = HEADER_PAD + TITLE_LINE * _n_lines(title) + HEADER_GAP
    if subtitle:
        height += SUBTITLE_GAP + SUBTITLE_LINE * _n_lines(subtitle)
    return height


def _n_lines(text: str) -> int:
    return len(re.findall(r"<br\s*/?>", text, flags=re.IGNORECASE)) + 1


_SUP_SUBTITLE = re.compile(r"^(?P<title>.*?)\s*<br\s*/?>\s*<sup>(?P<sub>.*)</sup>\s*$", re.S | re.I)


def _split_title(text: str | None) -> tuple[str | None, str | None]:
    """Split ``"Title<br><sup>Subtitle</sup>"`` into ``("Title", "Subtitle")``."""
    if not text:
        return None, None
    match = _SUP_SUBTITLE.match(text)
    if match:
        return match["title"], match["sub"]
    return text, None


def meeting_tag(roman: str, date: _dt.date | str, lang: Lang = "es") -> str:
    """A meeting's short label in ``lang``: ``'IV · oct 2011'`` / ``'IV · Oct 2011'``.

    >>> meeting_tag("IV", "2011-11-10", "en"), meeting_tag("IV", "2011-11-10", "es")
    ('IV · Nov 2011', 'IV · nov 2011')
    """
    _check_lang(lang)
    if isinstance(date, str):
        date = _dt.date.fromisoformat(date[:10])
    return f"{roman} · {_MONTHS[lang][date.month - 1][:3]} {date.year}"


def format_signed(value: float, lang: Lang = "es", *, decimals: int = 1) -> str:
    """A signed number with a true minus sign: ``'+3,5'`` / ``'−1.0'``.

    >>> format_signed(3.46), format_signed(-1, "en")
    ('+3,5', '−1.0')
    """
    text = format_number(abs(value), lang, decimals=decimals)
    return ("−" if value < 0 and float(f"{abs(value):.{decimals}f}") != 0 else "+") + text


def _group(digits: str, sep: str) -> str:
    head = len(digits) % 3 or 3
    parts = [digits[:head]] + [digits[i : i + 3] for i in range(head, len(digits), 3)]
    return sep.join(parts)


def format_number(value: float, lang: Lang = "es", *, decimals: int = 0) -> str:
    """Format a number with the separators of ``lang`` (as the charts show it).

    Examples
    --------
    >>> format_number(1234567.891, decimals=2)
    '1.234.567,89'
    >>> format_number(-1234.5, "en", decimals=1)
    '-1,234.5'
    >>> format_number(42)
    '42'
    """
    decimal, thousands = _SEPARATORS[_check_lang(lang)]
    text = f"{abs(value):.{decimals}f}"
    whole, _, frac = text.partition(".")
    sign = "-" if value < 0 and float(text) != 0 else ""
    return sign + _group(whole, thousands) + (decimal + frac if frac else "")


def format_percent(value: float, lang: Lang = "es", *, decimals: int = 1) -> str:
    """Format a fraction (0.125) as a percentage: ``'12,5 %'`` (es), ``'12.5%'`` (en).

    Spanish writes a space before the sign (RAE); English does not.

    Examples
    --------
    >>> format_percent(0.125)
    '12,5\xa0%'
    >>> format_percent(0.125, "en")
    '12.5%'
    """
    number = format_number(value * 100, lang, decimals=decimals)
    return f"{number}\u00a0%" if lang == "es" else f"{number}%"


def format_date(
    value: _dt.date | str,
    lang: Lang = "es",
    *,
    style: Literal["long", "month", "short"] = "long",
) -> str:
    """Format a date in ``lang``: ``'14 de abril de 2009'`` / ``'14 April 2009'``.

    Parameters
    ----------
    value : datetime.date, datetime.datetime, pandas.Timestamp or ISO string
        The date.
    lang : {"es", "en"}
        Language.
    style : {"long", "month", "short"}
        ``long``: day, month and year; ``month``: month and year;
        ``short``: ``dd/mm/yyyy``.

    Examples
    --------
    >>> format_date("2009-04-14")
    '14 de abril de 2009'
    >>> format_date("2009-04-14", "en")
    '14 April 2009'
    >>> format_date("2018-07-02", style="month")
    'julio de 2018'
    >>> format_date("2018-07-02", style="short")
    '02/07/2018'
    """
    _check_lang(lang)
    if isinstance(value, str):
        value = _dt.date.fromisoformat(value[:10])
    month = _MONTHS[lang][value.month - 1]
    if style == "short":
        return f"{value.day:02d}/{value.month:02d}/{value.year}"
    if style == "month":
        return f"{month} de {value.year}" if lang == "es" else f"{month} {value.year}"
    if style == "long":
        if lang == "es":
            return f"{value.day} de {month} de {value.year}"
        return f"{value.day} {month} {value.year}"
    raise ValueError(f"style must be 'long', 'month' or 'short', got {style!r}")

"""Offline HTML pages of figures, the shared plotly.js, plain-text titles and default alt text.

Every HTML page loads one shared copy of plotly.js from a folder of its own
(:func:`ensure_plotlyjs`) instead of embedding 4.8 MB each, and nothing from
the network.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Final

import plotly.graph_objects as go
import plotly.io as pio

from analysis.data.files import atomic_write_bytes
from analysis.export.render import PLOTLYJS_SOURCE
from analysis.run.provenance import sha256_file
from analysis.viz import style

__all__ = ["PLOTLYJS_NAME", "default_alt_text", "ensure_plotlyjs", "html_page", "plain_text"]

PLOTLYJS_NAME: Final = "plotly.min.js"

_HTML_PAGE: Final = """\
<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<meta name="description" content="{caption}">
<script src="{plotlyjs}"></script>
<style>
body {{ margin: 0 auto; max-width: {max_width}px; padding: 16px; font-family: {font}; color: #222; }}
figure {{ margin: 0; }}
figcaption {{ margin-top: 8px; font-size: 14px; line-height: 1.4; }}
.visually-hidden {{ position: absolute; width: 1px; height: 1px; overflow: hidden;
  clip: rect(0 0 0 0); white-space: nowrap; }}
</style>
</head>
<body>
<figure aria-describedby="{name}-alt">
<p id="{name}-alt" class="visually-hidden">{alt_text}</p>
{div}
<figcaption>{caption}</figcaption>
</figure>
</body>
</html>
"""

_TRACE_NAMES: Final[Mapping[str, tuple[str, str]]] = {
    "bar": ("Gráfico de barras", "Bar chart"),
    "scatter": ("Gráfico de líneas", "Line chart"),
    "scatter-markers": ("Diagrama de dispersión", "Scatter plot"),
    "heatmap": ("Mapa de calor", "Heatmap"),
    "pie": ("Gráfico de sectores", "Pie chart"),
    "box": ("Diagrama de cajas", "Box plot"),
    "histogram": ("Histograma", "Histogram"),
    "treemap": ("Diagrama de árbol", "Treemap"),
    "sankey": ("Diagrama de Sankey", "Sankey diagram"),
}



def plain_text(text: str | None) -> str:
    """Plotly rich text to plain text: ``<br>`` to a space, other tags dropped, entities decoded.

    Examples
    --------
    >>> plain_text("Temas<br><i>2009&ndash;2018</i>")
    'Temas 2009–2018'
    """
    if not text:
        return ""
    text = re.sub(r"<br\s*/?>", " ", text, flags=re.IGNORECASE)
    text = re.sub(r"<[^>]+>", "", text)
    return re.sub(r"\s+", " ", html.unescape(text)).strip()



def default_alt_text(fig: go.Figure, lang: style.Lang = "es") -> str:
    """A short text alternative built from the chart type, title and subtitle.

    Prefer writing one that states what the chart shows; this is the floor.

    Examples
    --------
    >>> fig = go.Figure(go.Bar(x=["a"], y=[1]), layout_title_text="Temas")
    >>> default_alt_text(fig)
    'Gráfico de barras: Temas.'
    >>> default_alt_text(fig, "en")
    'Bar chart: Temas.'
    >>> default_alt_text(go.Figure(go.Scatter(x=[1], y=[2], mode="markers"), layout_title_text="Mapa"), "en")
    'Scatter plot: Mapa.'
    """
    # a scatter trace is a line chart only when it draws lines
    kinds = sorted({
        "scatter-markers" if t.type == "scatter" and "lines" not in (t.mode or "lines") else t.type
        for t in fig.data
    })  # fmt: skip
    index = 0 if lang == "es" else 1
    default = ("Gráfico", "Chart")[index]
    kind = _TRACE_NAMES.get(kinds[0], (default, default))[index] if len(kinds) == 1 else default
    title = plain_text(fig.layout.title.text)
    subtitle = plain_text(fig.layout.title.subtitle.text)
    return f"{kind}: {title}" + (f" ({subtitle})" if subtitle else "") + "."


def ensure_plotlyjs(html_dir: Path) -> Path:
    """Make ``html_dir/plotly.min.js`` a copy of the installed plotly's bundle.

    Copies (atomically) only when it is missing or differs in size or content.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     ensure_plotlyjs(Path(d)).stat().st_size > 1_000_000
    True
    """
    target = html_dir / PLOTLYJS_NAME
    source = PLOTLYJS_SOURCE
    if target.is_file() and target.stat().st_size == source.stat().st_size:
        if sha256_file(target) == sha256_file(source):
            return target
    atomic_write_bytes(target, source.read_bytes())
    return target




def html_page(
    fig: go.Figure,
    name: str,
    *,
    title: str,
    caption: str,
    alt_text: str,
    lang: str,
    width: int,
    height: int,
    scale: float,
    plotlyjs: str,
) -> str:
    """A complete, offline page of ``fig`` that loads plotly.js from ``plotlyjs`` (a relative URL), nothing else."""
    config = style.plotly_config(lang if lang in style.LANGS else "es", filename=name, scale=scale)  # type: ignore[arg-type]
    fig = go.Figure(fig)
    for i, trace in enumerate(fig.data):
        if trace.uid is None:
            trace.uid = f"{name}-{i}"
    div = pio.to_html(
        fig,
        config=config,
        include_plotlyjs=False,
        include_mathjax=False,
        full_html=False,
        div_id=name,
        default_width="100%",
        default_height=f"{height}px",
        validate=False,
    )
    return _HTML_PAGE.format(
        lang=html.escape(lang),
        title=html.escape(title),
        caption=html.escape(caption),
        alt_text=html.escape(alt_text),
        name=html.escape(name),
        plotlyjs=html.escape(plotlyjs),
        max_width=width + 32,
        font=style.FONT_FAMILY,
        div=div.strip(),
    )


# --------------------------------------------------------------------------- session API


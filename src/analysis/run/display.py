"""Show figures in notebooks: interactive in JupyterLab, a static image everywhere else, reproducible.

Plotly's default notebook renderer embeds plotly.js and a random ``<div>`` id
in every output, which makes notebooks heavy and their outputs differ from run
to run. :func:`show` sends the figure as plotly's JSON mime bundle instead
(JupyterLab draws it interactively and at the notebook's width; nbval compares
it exactly) together with a PNG of the same figure, which is what GitHub, a
Git host or any viewer without JavaScript shows.
"""

from __future__ import annotations

import base64
import json
from typing import Any

import plotly.graph_objects as go
import plotly.io as pio

__all__ = ["show"]

#: plotly.js options of every displayed figure: no logo, the width of the notebook.
DISPLAY_CONFIG: dict[str, Any] = {"displaylogo": False, "responsive": True}


def show(fig: go.Figure, exporter: Any = None, *, static: bool = True) -> None:
    """Display ``fig`` in a notebook: interactive JSON, plus a PNG for viewers without JavaScript.

    Parameters
    ----------
    fig : plotly.graph_objects.Figure
        The figure.
    exporter : analysis.export.FigureExporter, optional
        Renders the PNG (its Chromium, or the main job's); default: the one
        of the enclosing :func:`analysis.export.export_session`. Without one,
        a one-off exporter starts a Chromium for this figure.
    static : bool
        Add the PNG (at the figure's export width, scale 1). ``False`` shows
        the interactive figure only (the explorer redraws it at every change).

    Examples
    --------
    >>> import plotly.graph_objects as go
    >>> show(go.Figure(go.Bar(x=["a"], y=[1])), static=False)  # doctest: +SKIP
    """
    from IPython.display import display

    from analysis.export.pages import plain_text  # here: analysis.export imports analysis.run

    spec = fig.to_dict()
    spec["config"] = dict(DISPLAY_CONFIG)
    bundle: dict[str, Any] = {
        "application/vnd.plotly.v1+json": json.loads(pio.to_json(spec, validate=False, remove_uids=False)),
        "text/plain": plain_text(fig.layout.title.text) or "Figure",
    }
    if static:
        from analysis.export.exporter import FigureExporter, current_exporter

        chosen = exporter or current_exporter()
        if chosen is None:
            with FigureExporter() as one_off:
                png = one_off.preview(fig)
        else:
            png = chosen.preview(fig)
        bundle["image/png"] = base64.b64encode(png).decode("ascii")
    display(bundle, raw=True)

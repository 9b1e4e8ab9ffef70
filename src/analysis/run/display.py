"""Show figures in notebooks so that their stored outputs are reproducible.

Plotly's default notebook renderer embeds plotly.js and a random ``<div>`` id
in every output, which makes notebooks heavy and their outputs differ from run
to run. :func:`show` sends the figure as plotly's JSON mime bundle instead:
JupyterLab renders it interactively, and nbval can compare it exactly.
"""

from __future__ import annotations

import plotly.graph_objects as go

__all__ = ["show"]


def show(fig: go.Figure) -> None:
    """Display ``fig`` in a notebook as an interactive, reproducible output.

    Examples
    --------
    >>> import plotly.graph_objects as go
    >>> show(go.Figure(go.Bar(x=["a"], y=[1])))  # doctest: +SKIP
    """
    fig.show(renderer="plotly_mimetype", config={"displaylogo": False, "responsive": True})

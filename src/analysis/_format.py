"""Numbers, id lists and text as they are written in report sentences, tables and hover boxes.

One definition each, used by the report sentences (:mod:`analysis.trends.report`)
and the charts (:mod:`analysis.viz`).
"""

from __future__ import annotations

import math
import html
import textwrap
from collections.abc import Sequence


def pct(x: float | None, digits: int = 1) -> str:
    """A share as a percentage; ``–`` for a missing value.

    >>> pct(0.1234), pct(float("nan")), pct(0.5, 0)
    ('12.3%', '–', '50%')
    """
    return "–" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{100 * x:.{digits}f}%"


def signed(x: float) -> str:
    """``+1.5`` / ``−1.5`` (typographic minus); percentage points are ``signed(100 * share)``.

    >>> signed(1.5), signed(-0.04)
    ('+1.5', '−0.0')
    """
    return f"{x:+.1f}".replace("-", "−")


def format_ids(rec_ids: str | Sequence[str], *, limit: int = 15) -> str:
    """A hover-friendly list of rec_ids, cut after ``limit`` with "… and N more".

    Examples
    --------
    >>> format_ids("1.1 1.2 1.3", limit=2)
    '1.1, 1.2 … and 1 more'
    >>> format_ids("")
    'none'
    >>> import pandas as pd; format_ids(pd.NA)  # a saved table stores "no rec_id" as missing
    'none'
    """
    if isinstance(rec_ids, str):
        ids = rec_ids.split()
    elif rec_ids is None or not hasattr(rec_ids, "__iter__"):  # missing: pd.NA, NaN
        ids = []
    else:
        ids = list(rec_ids)
    if not ids:
        return "none"
    head = ", ".join(ids[:limit])
    return head if len(ids) <= limit else f"{head} … and {len(ids) - limit} more"


def id_lines(ids: Sequence[str], per_line: int, *, sep: str = "<br>", empty: str = "–") -> str:
    """Items joined by ", ", ``per_line`` to a line, lines joined by ``sep`` (a hover box).

    >>> id_lines(["1.1", "1.2", "1.3"], 2)
    '1.1, 1.2<br>1.3'
    >>> id_lines([], 2)
    '–'
    """
    items = [i for i in ids if i]
    if not items:
        return empty
    return sep.join(", ".join(items[k : k + per_line]) for k in range(0, len(items), per_line))


def wrap(text: str, width: int, *, whole_words: bool = False) -> str:
    """``text`` in lines of at most ``width`` characters joined by ``<br>`` (plotly text).

    ``whole_words=True`` never breaks a word, even at a hyphen or when longer
    than ``width`` (titles, source notes); otherwise :func:`textwrap.wrap`'s
    defaults apply (chart labels). Empty text comes back as it is.

    >>> wrap("trata de personas", 8)
    'trata de<br>personas'
    >>> wrap("Naciones Unidas-UNODC", 10, whole_words=True)
    'Naciones<br>Unidas-UNODC'
    """
    if not text:
        return text
    lines = textwrap.wrap(str(text), width, break_on_hyphens=not whole_words, break_long_words=not whole_words)
    return "<br>".join(lines) or str(text)


def escape_text(text: object) -> str:
    """Text from the document made safe for plotly's hover and label text, shown as written.

    Plotly reads ``<b>``, ``<a>``, ``<br>`` … in hover text as markup, so ``&``,
    ``<`` and ``>`` become entities; quotes stay as they are (plotly would
    show ``&quot;`` literally).

    >>> escape_text('los "<b>órganos</b>" & tejidos')
    'los "&lt;b&gt;órganos&lt;/b&gt;" &amp; tejidos'
    """
    return html.escape(str(text), quote=False)

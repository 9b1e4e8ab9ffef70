"""What makes a figure file reproducible: PNG size, SVG and PDF byte normalisation, and the data hash.

plotly.js and Chromium put random ids and dates into the files they write;
the functions here replace them with fixed values, so that the same figure
always gives the same bytes, and hash the data behind a figure at a fixed
precision, so that noise in the last digits of a float does not change it.
"""

from __future__ import annotations

import hashlib
import json
import re
import struct
from typing import Any, Final

import pandas as pd
import plotly.graph_objects as go
from plotly.utils import PlotlyJSONEncoder

__all__ = ["HASH_DECIMALS", "hash_data", "normalise_pdf", "normalise_svg", "png_size"]

#: Decimals at which floats enter a data hash (see :func:`hash_data`).
HASH_DECIMALS: Final = 9
_PNG_SIGNATURE: Final = b"\x89PNG\r\n\x1a\n"


def png_size(data: bytes) -> tuple[int, int]:
    """Return ``(width, height)`` in pixels of PNG ``data``.

    Raises
    ------
    ValueError
        If ``data`` is not a PNG.

    Examples
    --------
    >>> header = b"\\x89PNG\\r\\n\\x1a\\n" + struct.pack(">I4sII", 13, b"IHDR", 2700, 1620)
    >>> png_size(header)
    (2700, 1620)
    """
    if data[:8] != _PNG_SIGNATURE or data[12:16] != b"IHDR":
        raise ValueError("not a PNG (bad signature or no IHDR chunk)")
    width, height = struct.unpack(">II", data[16:24])
    return width, height


_SVG_UID_RE: Final = re.compile(r'id="defs-([0-9a-z]+)"')
_SVG_REF_RE: Final = re.compile(r"""(id="|url\(#|url\('#|url\("#|href="#)([^"')]*)""")


def normalise_svg(svg: str | bytes) -> bytes:
    """Replace the random ids that plotly.js puts in an SVG by fixed ones.

    plotly.js names clip paths and defs after a random per-plot uid
    (``clip4a1b2cxyplot``); they are replaced, in ids and references only, by
    ``"wg4"`` so that the same figure always gives the same bytes.

    Examples
    --------
    >>> normalise_svg('<defs id="defs-9f3a1c"/><g clip-path="url(#clip9f3a1cxy)"/>')
    b'<defs id="defs-wg4"/><g clip-path="url(#clipwg4xy)"/>'
    """
    text = svg.decode("utf-8") if isinstance(svg, bytes) else svg
    match = _SVG_UID_RE.search(text)
    if match:
        uid = match.group(1)
        text = _SVG_REF_RE.sub(lambda m: m.group(1) + m.group(2).replace(uid, "wg4"), text)
    return text.encode("utf-8")


_PDF_DATE_RE: Final = re.compile(rb"/(CreationDate|ModDate)\s*\(D:\d{14}")


def normalise_pdf(pdf: bytes) -> bytes:
    """Fix the creation and modification dates of a PDF (same length, offsets kept).

    Examples
    --------
    >>> normalise_pdf(b"/CreationDate (D:20261128120844+00'00')")
    b"/CreationDate (D:20190101000000+00'00')"
    """
    return _PDF_DATE_RE.sub(lambda m: m.group(0)[:-14] + b"20190101000000", pdf)


def hash_data(data: pd.DataFrame | pd.Series | go.Figure) -> str:
    """Return ``"sha256:<hex>"`` of the data behind a figure.

    A DataFrame or Series is hashed with its values, index, column names and
    dtypes (pandas' stable row hash); a figure is hashed through its traces'
    JSON. Floats are hashed at :data:`HASH_DECIMALS` decimals, so that noise
    in their last digits (another BLAS kernel, another CPU) does not change
    the hash. Equal data give equal hashes in every run and on every machine.

    Examples
    --------
    >>> df = pd.DataFrame({"tema": ["a", "b"], "n": [3, 4]})
    >>> hash_data(df) == hash_data(df.copy())
    True
    >>> hash_data(df) == hash_data(df.assign(n=[3, 5]))
    False
    >>> shares = pd.DataFrame({"share": [0.1 + 0.2, 0.5]})
    >>> hash_data(shares) == hash_data(pd.DataFrame({"share": [0.3, 0.5]}))
    True
    """
    h = hashlib.sha256()
    if isinstance(data, go.Figure):
        h.update(b"figure\0")
        traces = json.loads(json.dumps(data.to_dict()["data"], cls=PlotlyJSONEncoder))
        h.update(json.dumps(_round_floats(traces), sort_keys=True).encode())
        return "sha256:" + h.hexdigest()
    if isinstance(data, pd.Series):
        data = data.to_frame()
    if not isinstance(data, pd.DataFrame):
        raise TypeError(f"data must be a DataFrame, Series or Figure, not {type(data).__name__}")
    floats = data.select_dtypes("floating").columns
    data = data.assign(**{str(c): data[c].round(HASH_DECIMALS) + 0.0 for c in floats}) if len(floats) else data
    h.update(b"frame\0")
    h.update(json.dumps([[str(c), str(t)] for c, t in data.dtypes.items()]).encode())
    h.update(json.dumps([str(n) for n in data.index.names]).encode())
    try:
        rows = pd.util.hash_pandas_object(data, index=True).to_numpy()
        h.update(rows.tobytes())
    except TypeError:  # unhashable cells (lists, dicts): fall back on their text
        h.update(data.to_json(orient="split", date_format="iso").encode())
    return "sha256:" + h.hexdigest()


def _round_floats(obj: Any) -> Any:
    """``obj`` (parsed JSON) with every float rounded to :data:`HASH_DECIMALS`."""
    if isinstance(obj, float):
        return round(obj, HASH_DECIMALS) + 0.0
    if isinstance(obj, list):
        return [_round_floats(x) for x in obj]
    if isinstance(obj, dict):
        return {k: _round_floats(v) for k, v in obj.items()}
    return obj


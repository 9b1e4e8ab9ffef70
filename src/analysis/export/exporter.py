"""Export report-ready figures: PNG, SVG, PDF and offline HTML, with a manifest.

Every chart of the project is written by :func:`export` (or
:meth:`FigureExporter.export`). Static formats go through kaleido, which drives
a headless Chromium; one Chromium is started per batch (an
:func:`export_session` or a :class:`FigureExporter`), not per figure.

Layout of ``figures/`` (``out_dir``)::

    figures/
        manifest.json             one entry per figure and language, "<lang>/<name>" (merged, sorted, no timestamps)
        README.md                 the gallery in English: every PNG with its title, caption, links
        README.es.md              the gallery in Spanish
        <lang>/png/<name>.png     raster at print resolution (scale >= 2, default 3); lang is "en" or "es"
        <lang>/svg/<name>.svg     vector, random ids normalised
        <lang>/pdf/<name>.pdf     vector, creation dates normalised
        <lang>/html/<name>.html   interactive, works offline
        html/plotly.min.js        the one shared copy of plotly.js that every HTML page loads

A figure is written in the language of its text (``lang`` stored on it by
:func:`analysis.viz.style.style_figure`); :meth:`FigureExporter.export_chart`
calls a chart function once per language and exports both.

Every file is written atomically (a temporary file in the same folder, then
``os.replace``), and all formats of a figure are rendered before the first
one is written, so an interrupted or failed export leaves the previous files
as they were and no half-written file. A second run writes identical files.

Render cache. The manifest records, per figure and static format, a render
key (SHA-256 of the figure spec, size, scale, format, the plotly and kaleido
versions and the script kaleido's page runs) and the SHA-256 of the file
written. When both still match, the file is kept and Chromium is not asked
again (nor started, unless ``prestart``); an HTML page is rewritten only when
its bytes change. ``WG4_RENDER_CACHE=off`` (``pipeline --force``) renders
everything again.

Examples
--------
>>> import plotly.graph_objects as go
>>> from analysis.viz.style import style_figure
>>> fig = style_figure(go.Figure(go.Bar(x=["2009", "2010"], y=[14, 21])),
...                    title="Recomendaciones por año",
...                    caption="Recomendaciones aprobadas en cada reunión.")
>>> with export_session(source_notebook="notebooks/01_corpus.ipynb") as ex:  # doctest: +SKIP
...     paths = ex.export(fig, "recomendaciones_por_anio")
...     paths["png"].name
'recomendaciones_por_anio.png'

Size. This module is longer than the others (about 1,100 lines) because the
exporter, its kaleido worker, the render cache and the manifest share private
state (the worker holder, the context variable of the current exporter, the
manifest lock) that tests patch by module attribute; splitting it would need
that state passed between modules. The sections below are marked.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import contextvars
import functools
import hashlib
import html
import json
import os
import re
import struct
import threading
import time
import warnings
import weakref
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any, Final

import pandas as pd
import plotly
import plotly.graph_objects as go
import plotly.io as pio
from plotly.utils import PlotlyJSONEncoder

from analysis.viz import style
from analysis.run.browser import INSTALL_HINT, BrowserNotFoundError, find_browser
from analysis.data.files import atomic_write_bytes, private_temp_dir
from analysis.data.paths import FIGURES_DIR, PROJECT_ROOT
from analysis.export.render_service import RemoteRenderer, RemoteRenderError, service_address
from analysis.run.provenance import RENDER_CACHE_ENV, declare_output, log_timing, sha256_file

__all__ = [
    "audit",
    "DEFAULT_HEIGHT",
    "DEFAULT_SCALE",
    "DEFAULT_WIDTH",
    "FORMATS",
    "ExportError",
    "FigureExporter",
    "default_alt_text",
    "ensure_plotlyjs",
    "export",
    "export_session",
    "hash_data",
    "normalise_pdf",
    "normalise_svg",
    "png_size",
    "read_manifest",
    "write_gallery",
]

#: Every format, in the order they are written.
FORMATS: Final[tuple[str, ...]] = ("png", "svg", "pdf", "html")
#: Formats rendered by kaleido + Chromium.
STATIC_FORMATS: Final[tuple[str, ...]] = ("png", "svg", "pdf")
DEFAULT_WIDTH: Final = 900
DEFAULT_HEIGHT: Final = 540
#: PNG scale: 900 px x 3 = 2700 px, about 400 dpi across a 17 cm text column.
DEFAULT_SCALE: Final = 3
MIN_PNG_SCALE: Final = 2
#: Decimals at which floats enter a data hash (see :func:`hash_data`).
HASH_DECIMALS: Final = 9
MANIFEST_NAME: Final = "manifest.json"
GALLERY_NAME: Final = "README.md"
#: Gallery file of each language (English is the main one).
GALLERY_NAMES: Final[Mapping[str, str]] = {"en": "README.md", "es": "README.es.md"}
PLOTLYJS_NAME: Final = "plotly.min.js"
#: Folder (under ``out_dir``) of the one shared plotly.js, and how a language's HTML page reaches it.
PLOTLYJS_DIR: Final = "html"
PLOTLYJS_SRC: Final = f"../../{PLOTLYJS_DIR}/{PLOTLYJS_NAME}"
#: Seconds allowed for Chromium to start and for one render.
STARTUP_TIMEOUT: Final = 60.0
RENDER_TIMEOUT: Final = 90.0
#: Renders tried, each with a fresh Chromium, before an export fails.
RENDER_ATTEMPTS: Final = 2
#: Tabs of the one Chromium that render side by side (the formats of a figure,
#: and the figures of notebooks that run at the same time); ``WG4_RENDER_TABS`` overrides.
RENDER_TABS: Final = max(1, int(os.environ.get("WG4_RENDER_TABS", "3")))

#: Bump when the normalisation of rendered files changes: every cached render is then redone.
RENDER_CACHE_VERSION: Final = 1

_NAME_RE: Final = re.compile(r"^[a-z0-9][a-z0-9_-]{0,99}$")
_PNG_SIGNATURE: Final = b"\x89PNG\r\n\x1a\n"
_PLOTLYJS_SOURCE: Final = Path(plotly.__file__).parent / "package_data" / PLOTLYJS_NAME
_CURRENT: contextvars.ContextVar[FigureExporter | None] = contextvars.ContextVar(
    "wg4_figure_exporter", default=None
)

#: Runs in kaleido's page, after plotly.js: registers the Spanish locale and
#: renders each figure with the locale (and PDF title) stored in its layout.meta
#: by analysis.viz.style, because kaleido passes only data and layout to plotly.js.
_KALEIDO_PAGE_JS: Final = """\
(function () {
  var locales = %(locales)s;
  Object.keys(locales).forEach(function (name) {
    Plotly.register({moduleType: "locale", name: name,
                     dictionary: locales[name].dictionary, format: locales[name].format});
  });
  var toImage = Plotly.toImage;
  Plotly.toImage = function (gd, opts) {
    var meta = gd && gd.layout && gd.layout.meta;
    var info = meta && meta[%(key)s];
    if (info) {
      gd.config = Object.assign({}, gd.config || {}, {locale: info.lang || "en"});
      if (info.title) { document.title = info.title; }
    }
    return toImage.apply(this, arguments);
  };
})();
"""

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
    "heatmap": ("Mapa de calor", "Heatmap"),
    "pie": ("Gráfico de sectores", "Pie chart"),
    "box": ("Diagrama de cajas", "Box plot"),
    "histogram": ("Histograma", "Histogram"),
    "treemap": ("Diagrama de árbol", "Treemap"),
    "sankey": ("Diagrama de Sankey", "Sankey diagram"),
}


class ExportError(RuntimeError):
    """A figure could not be rendered or written."""


# --------------------------------------------------------------------------- helpers


@contextlib.contextmanager
def _locked(directory: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``directory`` for a read-modify-write of the manifest."""
    directory.mkdir(parents=True, exist_ok=True)
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX
        yield
        return
    with open(directory / ".manifest.lock", "a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _plain(text: str | None) -> str:
    """Plotly rich text to plain text: ``<br>`` to a space, other tags dropped."""
    if not text:
        return ""
    text = re.sub(r"<br\s*/?>", " ", text, flags=re.IGNORECASE)
    text = re.sub(r"<[^>]+>", "", text)
    return re.sub(r"\s+", " ", html.unescape(text)).strip()


def _relative(path: Path | str | None) -> str | None:
    """A path relative to the project root, with forward slashes, when it is inside it."""
    if path is None:
        return None
    p = Path(path)
    with contextlib.suppress(ValueError):
        p = p.resolve().relative_to(PROJECT_ROOT)
    return p.as_posix()


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
    """
    kinds = sorted({trace.type for trace in fig.data})
    index = 0 if lang == "es" else 1
    default = ("Gráfico", "Chart")[index]
    kind = _TRACE_NAMES.get(kinds[0], (default, default))[index] if len(kinds) == 1 else default
    title = _plain(fig.layout.title.text)
    subtitle = _plain(fig.layout.title.subtitle.text)
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
    source = _PLOTLYJS_SOURCE
    if target.is_file() and target.stat().st_size == source.stat().st_size:
        if _file_digest(target) == _file_digest(source):
            return target
    atomic_write_bytes(target, source.read_bytes())
    return target


def _file_digest(path: Path) -> str:
    with open(path, "rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


# --------------------------------------------------------------------------- kaleido


def _page_js() -> str:
    """The script added to kaleido's page: the project's locales and the per-figure locale switch."""
    locales = {lang: style.plotly_locale(lang) for lang in style.LANGS if lang != "en"}
    return _KALEIDO_PAGE_JS % {"locales": json.dumps(locales), "key": json.dumps(style.META_KEY)}


@functools.lru_cache(maxsize=1)
def _renderer_id() -> str:
    """What, besides the figure, decides a static file's bytes: versions and the page script."""
    from importlib.metadata import version

    parts = [f"cache={RENDER_CACHE_VERSION}", f"plotly={plotly.__version__}", f"kaleido={version('kaleido')}",
             hashlib.sha256(_page_js().encode("utf-8")).hexdigest()]  # fmt: skip
    return ";".join(parts)


def render_key(spec: Mapping[str, Any], fmt: str, *, width: int, height: int, scale: float) -> str:
    """The render cache key of one static file: figure spec, size, scale, format and renderer.

    Examples
    --------
    >>> spec = {"data": [{"type": "bar", "y": [1, 2]}], "layout": {}}
    >>> render_key(spec, "png", width=900, height=540, scale=3) == render_key(
    ...     spec, "png", width=900, height=540, scale=3)
    True
    >>> render_key(spec, "png", width=900, height=540, scale=3) == render_key(
    ...     spec, "svg", width=900, height=540, scale=3)
    False
    """
    doc = {"spec": spec, "format": fmt, "width": width, "height": height, "scale": scale,
           "renderer": _renderer_id()}  # fmt: skip
    text = json.dumps(doc, cls=PlotlyJSONEncoder, sort_keys=True, ensure_ascii=False)
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


class _KaleidoWorker:
    """One kaleido (one headless Chromium) served from a private event-loop thread.

    Not kaleido's global sync server: each worker owns its loop, so there is no
    process-wide state, a failed start raises instead of hanging, and renders
    have a timeout.
    """

    def __init__(self, browser: Path, *, timeout: float) -> None:
        import kaleido

        with contextlib.suppress(ImportError):
            # Chromium's protocol events that kaleido does not use (more of them with
            # several tabs, mostly as they close) are not a problem of the figure: keep
            # them off the notebook's stderr.
            from choreographer.errors import UnhandledMessageWarning

            warnings.filterwarnings("ignore", category=UnhandledMessageWarning)

        self._timeout = timeout
        self._tmp = private_temp_dir("kaleido")
        page_js = Path(self._tmp.name) / "wg4_locales.js"
        page_js.write_text(_page_js(), encoding="utf-8")
        # plotly.js from the installed plotly, MathJax off: the page loads nothing remote.
        page = kaleido.PageGenerator(plotly=str(_PLOTLYJS_SOURCE), mathjax=False, others=[str(page_js)])
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="wg4-kaleido", daemon=True)
        self._thread.start()

        # Chromium's profile inside this worker's own temporary folder, so that the folder a
        # killed run leaves is one the next start recognises and removes (a snap Chromium
        # cannot see /tmp: choreographer then puts the profile in the home folder itself).
        profile = {} if "snap" in str(browser) else {"tmp_dir": self._tmp.name}

        async def _open() -> Any:
            k = kaleido.Kaleido(n=RENDER_TABS, timeout=timeout, page_generator=page, path=str(browser), **profile)
            await k.open()
            return k

        try:
            self._kaleido = self._call(_open(), STARTUP_TIMEOUT)
        except BaseException:
            self._stop_loop()
            raise

    def _call(self, coro: Any, timeout: float) -> Any:
        future = asyncio.run_coroutine_threadsafe(coro, self._loop)
        try:
            return future.result(timeout)
        except TimeoutError:
            future.cancel()
            raise

    def render(self, fig: Mapping[str, Any], opts: Mapping[str, Any]) -> bytes:
        return self._call(self._kaleido.calc_fig(dict(fig), opts=dict(opts)), self._timeout + 10)

    def _stop_loop(self) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        if not self._thread.is_alive():
            self._loop.close()
        self._tmp.cleanup()

    def close(self) -> None:
        try:
            self._call(self._kaleido.close(), 30)
            # with several tabs, kaleido can leave tasks behind; finish them before the loop
            # stops, or asyncio reports each as "destroyed but pending" on stderr
            self._call(_drain_tasks(), 10)
        finally:
            self._stop_loop()


async def _drain_tasks() -> None:
    """Cancel and await every other task of the running loop."""
    tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)


def _close_worker(holder: dict[str, _KaleidoWorker | None]) -> None:
    worker = holder.pop("worker", None)
    if worker is not None:
        with contextlib.suppress(Exception):
            worker.close()


# --------------------------------------------------------------------------- exporter


class FigureExporter:
    """Export many figures with one Chromium (started at the first static export).

    Use it as a context manager (or call :meth:`close`); :func:`export_session`
    also makes it the exporter that the module-level :func:`export` uses.

    Parameters
    ----------
    out_dir : path, default ``analysis.data.paths.FIGURES_DIR``
        Where ``png/``, ``svg/``, ``pdf/``, ``html/``, ``manifest.json`` and
        ``README.md`` go.
    source_notebook : path, optional
        Default notebook recorded in the manifest for figures of this batch.
    browser : path, optional
        Chromium/Chrome executable; default :func:`analysis.run.browser.find_browser`.
    timeout : float
        Seconds allowed for one render.
    gallery : bool
        Rewrite ``README.md`` after each export.
    prestart : bool
        Start Chromium at once in a background thread, so that its start-up
        (a few seconds) overlaps the caller's work before the first export.

    Attributes
    ----------
    browser_starts : int
        How many times a Chromium was started (1 per batch with static formats).

    Examples
    --------
    >>> with FigureExporter("/tmp/figs") as ex:  # doctest: +SKIP
    ...     ex.export(fig_a, "a", caption="...")
    ...     ex.export(fig_b, "b", caption="...")
    ...     ex.browser_starts
    1
    """

    def __init__(
        self,
        out_dir: Path | str = FIGURES_DIR,
        *,
        source_notebook: Path | str | None = None,
        browser: Path | str | None = None,
        timeout: float = RENDER_TIMEOUT,
        gallery: bool = True,
        prestart: bool = False,
    ) -> None:
        self.out_dir = Path(out_dir)
        self.source_notebook = source_notebook
        self.browser = Path(browser) if browser else None
        self.timeout = timeout
        self.gallery = gallery
        self.browser_starts = 0
        self._lock = threading.Lock()
        self._holder: dict[str, _KaleidoWorker | None] = {}
        # closes Chromium if the exporter is dropped without close()
        self._finalizer = weakref.finalize(self, _close_worker, self._holder)
        if prestart and service_address() is None and (self.browser or find_browser()):
            # Start Chromium now, in the background, while the caller computes;
            # the first render waits for it (it holds the lock until started).
            self._lock.acquire()
            threading.Thread(target=self._start_in_background, name="wg4-prestart", daemon=True).start()

    def _start_in_background(self) -> None:
        try:
            self._worker()
        except Exception:  # noqa: BLE001 - the first render raises the same error, with context
            pass
        finally:
            self._lock.release()

    # -- lifecycle
    def __enter__(self) -> FigureExporter:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Stop Chromium, if it was started. The exporter can be used again."""
        with self._lock:
            _close_worker(self._holder)

    @property
    def running(self) -> bool:
        """Whether a Chromium is running for this exporter."""
        return self._holder.get("worker") is not None

    def _worker(self) -> _KaleidoWorker | RemoteRenderer:
        worker = self._holder.get("worker")
        if worker is None and self.browser is None and (address := service_address()) is not None:
            # under the main job: its one Chromium renders for every notebook
            worker = RemoteRenderer(address, timeout=self.timeout + STARTUP_TIMEOUT)
            self._holder["worker"] = worker
        if worker is None:
            browser = self.browser or find_browser()
            if browser is None or not Path(browser).is_file():
                raise BrowserNotFoundError(INSTALL_HINT)
            worker = _KaleidoWorker(Path(browser), timeout=self.timeout)
            self._holder["worker"] = worker
            self.browser_starts += 1
        return worker

    # -- rendering
    def render(
        self,
        fig: go.Figure | Mapping[str, Any],
        fmt: str,
        *,
        width: int = DEFAULT_WIDTH,
        height: int = DEFAULT_HEIGHT,
        scale: float = DEFAULT_SCALE,
    ) -> bytes:
        """Render ``fig`` as ``fmt`` (png, svg or pdf) and return the bytes, normalised.

        Examples
        --------
        >>> with FigureExporter() as ex:  # doctest: +SKIP
        ...     ex.render(fig, "png")[:4]
        b'\\x89PNG'
        """
        if fmt not in STATIC_FORMATS:
            raise ValueError(f"render() makes {STATIC_FORMATS}, not {fmt!r}")
        spec = fig.to_dict() if isinstance(fig, go.Figure) else dict(fig)
        data = self.render_raw(spec, {"format": fmt, "width": width, "height": height, "scale": scale})
        if fmt == "svg":
            return normalise_svg(data)
        if fmt == "pdf":
            return normalise_pdf(data)
        return data

    def render_raw(self, spec: Mapping[str, Any], opts: Mapping[str, Any]) -> bytes:
        """kaleido's bytes for ``spec`` with ``opts`` (format, width, height,
        scale), not normalised; a failed render is tried once more with a new
        Chromium. Raises :class:`ExportError`.

        Safe to call from several threads at once: the browser renders in
        :data:`RENDER_TABS` tabs side by side (the lock only guards starting
        and replacing it).
        """
        for attempt in range(1, RENDER_ATTEMPTS + 1):
            with self._lock:
                worker = self._worker()
            try:
                return worker.render(spec, opts)
            except ValueError:
                raise
            except RemoteRenderError as err:  # the service has tried already
                raise ExportError(f"kaleido could not render {opts.get('format')}: {err}") from err
            except Exception as err:
                # The browser may be hung or gone, or its page not ready (kaleido
                # can start a tab before its scripts are defined, seen under
                # load as "kaleido_scopes is not defined"): drop it and try once
                # more with a new one (unless another thread replaced it already).
                with self._lock:
                    if self._holder.get("worker") is worker:
                        _close_worker(self._holder)
                if attempt == RENDER_ATTEMPTS:
                    raise ExportError(
                        f"kaleido could not render {opts.get('format')} ({attempt} attempts, each with a new "
                        f"browser): {err!r}"
                    ) from err
        raise AssertionError("unreachable")  # pragma: no cover

    def export(
        self,
        fig: go.Figure,
        name: str,
        *,
        caption: str | None = None,
        alt_text: str | None = None,
        formats: Sequence[str] = FORMATS,
        out_dir: Path | str | None = None,
        source_notebook: Path | str | None = None,
        data: pd.DataFrame | pd.Series | None = None,
        scale: float = DEFAULT_SCALE,
        width: int | None = None,
        height: int | None = None,
    ) -> dict[str, Path]:
        """Write ``fig`` in ``formats`` and record it in the manifest and gallery.

        Parameters
        ----------
        fig : plotly.graph_objects.Figure
            The figure, normally styled with :func:`analysis.viz.style.style_figure`.
            It is not modified.
        name : str
            File stem and manifest key: lower-case letters, digits, ``_``, ``-``.
        caption : str, optional
            Caption; defaults to the one stored by ``style_figure``. Required.
        alt_text : str, optional
            Text alternative; defaults to the stored one, else
            :func:`default_alt_text`.
        formats : sequence of {"png", "svg", "pdf", "html"}
            Formats to write.
        out_dir : path, optional
            Output folder; defaults to the exporter's.
        source_notebook : path, optional
            Notebook that made the figure; defaults to the exporter's.
        data : DataFrame or Series, optional
            The data behind the figure; its hash goes into the manifest
            (default: the hash of the figure's traces).
        scale : float
            PNG scale factor, at least 2 (print resolution).
        width, height : int, optional
            Layout size in px; default the figure's, else 900 x 540.

        Returns
        -------
        dict of str to Path
            Format -> written file.

        Raises
        ------
        ValueError
            A bad name or format, no title, no caption, or ``scale < 2``.
        analysis.run.browser.BrowserNotFoundError
            A static format was asked for and no Chromium is installed.
        ExportError
            kaleido failed; no file of the figure was changed.
        """
        out = Path(out_dir) if out_dir is not None else self.out_dir
        formats = _check_formats(formats)
        if not _NAME_RE.match(name):
            raise ValueError(
                f"figure name {name!r} must be 1-100 characters of a-z, 0-9, '_' or '-', "
                "starting with a letter or digit"
            )
        if not isinstance(fig, go.Figure):
            raise TypeError(f"fig must be a plotly.graph_objects.Figure, not {type(fig).__name__}")
        info = style.figure_meta(fig)
        title = _plain(fig.layout.title.text)
        if not title:
            raise ValueError(
                f"figure {name!r} has no title; give one with style_figure(fig, title=...)"
            )
        caption = (caption if caption is not None else info.get(style.CAPTION_KEY)) or ""
        if not caption.strip():
            raise ValueError(
                f"figure {name!r} has no caption; pass export(..., caption=...) "
                "or style_figure(..., caption=...)"
            )
        if "png" in formats and scale < MIN_PNG_SCALE:
            raise ValueError(f"PNG scale must be >= {MIN_PNG_SCALE} for print, got {scale}")
        lang = info.get("lang", "es")
        alt_text = alt_text or info.get(style.ALT_TEXT_KEY) or default_alt_text(fig, lang)
        width = int(width or info.get("width") or fig.layout.width or DEFAULT_WIDTH)
        height = int(height or info.get("height") or fig.layout.height or DEFAULT_HEIGHT)
        key_name = f"{lang}/{name}"

        spec = fig.to_dict()
        for i, trace in enumerate(spec.get("data", [])):
            trace.setdefault("uid", f"{name}-{i}")  # plotly.js would draw random ones

        # Render everything first: a failure leaves every earlier file untouched. A file whose
        # render key and digest match the manifest's record is already what a render would give.
        recorded = read_manifest(out / MANIFEST_NAME).get(key_name, {}).get("render", {})
        if os.environ.get(RENDER_CACHE_ENV, "").lower() == "off":
            recorded = {}
        renders: dict[str, dict[str, str]] = {}
        payloads: dict[str, bytes] = {}
        # the static formats that must be rendered, rendered side by side (one tab each)
        todo = [
            fmt for fmt in formats if fmt != "html" and not (
                recorded.get(fmt, {}).get("key") == render_key(spec, fmt, width=width, height=height, scale=scale)
                and recorded.get(fmt, {}).get("sha256") is not None
                and sha256_file(out / lang / fmt / f"{name}.{fmt}") == recorded[fmt]["sha256"])
        ]
        rendered: dict[str, Any] = {}
        seconds: dict[str, float] = {}  # each format's own render time (they overlap)
        if todo:
            with concurrent.futures.ThreadPoolExecutor(max_workers=len(todo), thread_name_prefix="wg4-export") as pool:
                jobs = {fmt: pool.submit(_timed, self.render, spec, fmt, width=width, height=height, scale=scale)
                        for fmt in todo}  # fmt: skip
                for fmt, job in jobs.items():
                    try:
                        rendered[fmt], seconds[fmt] = job.result()
                    except ExportError as err:
                        rendered[fmt] = err
        for fmt in formats:
            path = out / lang / fmt / f"{name}.{fmt}"
            start = time.perf_counter()
            if fmt == "html":
                key = None
                payload = _html_page(
                    fig, name, title=title, caption=caption, alt_text=alt_text,
                    lang=lang, height=height, width=width, scale=scale,
                ).encode("utf-8")  # fmt: skip
                digest = hashlib.sha256(payload).hexdigest()
                cached = sha256_file(path) == digest
            else:
                key = render_key(spec, fmt, width=width, height=height, scale=scale)
                digest = recorded.get(fmt, {}).get("sha256")
                cached = recorded.get(fmt, {}).get("key") == key and digest is not None and sha256_file(path) == digest
                if not cached:
                    result = rendered[fmt] if fmt in rendered else self.render(
                        spec, fmt, width=width, height=height, scale=scale)
                    if isinstance(result, ExportError):
                        raise ExportError(f"figure {name!r}: {result}; no file was written") from result
                    payload = result
                    digest = hashlib.sha256(payload).hexdigest()
            if not cached:
                payloads[fmt] = payload
            renders[fmt] = {"sha256": digest} if key is None else {"key": key, "sha256": digest}
            log_timing("export", format=fmt, figure=name, cached=cached,
                       seconds=seconds.get(fmt, time.perf_counter() - start),
                       notebook=_relative(source_notebook or self.source_notebook))  # fmt: skip

        paths: dict[str, Path] = {}
        for fmt in formats:
            path = out / lang / fmt / f"{name}.{fmt}"
            if fmt == "html":
                ensure_plotlyjs(out / PLOTLYJS_DIR)
            if fmt in payloads:
                atomic_write_bytes(path, payloads[fmt])
            declare_output(path)  # an output of the notebook even when the cache kept it
            paths[fmt] = path

        entry: dict[str, Any] = {
            "key": key_name,
            "name": name,
            "title": title,
            "subtitle": _plain(fig.layout.title.subtitle.text) or None,
            "caption": caption,
            "alt_text": alt_text,
            "lang": lang,
            "template": style.TEMPLATE_NAME if style.uses_template(fig) else None,
            "formats": list(formats),
            "files": {fmt: f"{lang}/{fmt}/{name}.{fmt}" for fmt in formats},
            "source_notebook": _relative(source_notebook or self.source_notebook),
            "data_hash": hash_data(data if data is not None else fig),
            "width": width,
            "height": height,
            "scale": scale,
            "render": renders,
        }
        if "png" in formats:
            entry["png_pixels"] = list(png_size(payloads.get("png") or paths["png"].read_bytes()[:24]))
        _update_manifest(out, entry)
        if self.gallery:
            write_gallery(out / MANIFEST_NAME)
        return paths

    def export_chart(
        self,
        chart: Any,
        *args: Any,
        name: str,
        data: pd.DataFrame | pd.Series | None = None,
        langs: Sequence[str] = ("en", "es"),
        **kwargs: Any,
    ) -> go.Figure:
        """Call ``chart(*args, lang=..., **kwargs)`` once per language, export each figure, return the first.

        The figure returned (English by default) is the one a notebook shows;
        every language lands in its own folder (``figures/<lang>/...``).

        Examples
        --------
        >>> with FigureExporter() as ex:  # doctest: +SKIP
        ...     fig = ex.export_chart(tp.plot_theme_sizes, model, name="themes_sizes")
        """
        figures = [chart(*args, lang=lang, **kwargs) for lang in langs]
        for fig in figures:
            self.export(fig, name, data=data)
        return figures[0]


def _timed(fn: Any, *args: Any, **kwargs: Any) -> tuple[Any, float]:
    """``fn(*args, **kwargs)`` and the seconds it took."""
    start = time.perf_counter()
    return fn(*args, **kwargs), time.perf_counter() - start


def _check_formats(formats: Iterable[str]) -> tuple[str, ...]:
    if isinstance(formats, str):
        formats = (formats,)
    chosen = tuple(dict.fromkeys(f.lower().lstrip(".") for f in formats))
    unknown = [f for f in chosen if f not in FORMATS]
    if unknown or not chosen:
        raise ValueError(f"formats must be a non-empty subset of {FORMATS}; got {list(formats)}")
    return chosen


def _html_page(
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
) -> str:
    """A complete, offline page: loads ``plotly.min.js`` beside it, nothing else."""
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
        plotlyjs=PLOTLYJS_SRC,
        max_width=width + 32,
        font=style.FONT_FAMILY,
        div=div.strip(),
    )


# --------------------------------------------------------------------------- session API


@contextlib.contextmanager
def export_session(
    out_dir: Path | str = FIGURES_DIR,
    *,
    source_notebook: Path | str | None = None,
    **kwargs: Any,
) -> Iterator[FigureExporter]:
    """Open a :class:`FigureExporter` that :func:`export` uses inside the block.

    Chromium is started once, at the first static export in the block, and
    stopped at its end. The current exporter is held in a context variable,
    not in module state, so sessions nest and threads do not share one.

    Examples
    --------
    >>> with export_session() as session:  # doctest: +SKIP
    ...     export(fig_a, "a", caption="...")
    ...     export(fig_b, "b", caption="...")
    ...     session.browser_starts
    1
    """
    exporter = FigureExporter(out_dir, source_notebook=source_notebook, **kwargs)
    token = _CURRENT.set(exporter)
    try:
        yield exporter
    finally:
        _CURRENT.reset(token)
        exporter.close()


def export(
    fig: go.Figure,
    name: str,
    *,
    caption: str | None = None,
    alt_text: str | None = None,
    formats: Sequence[str] = FORMATS,
    out_dir: Path | str | None = None,
    source_notebook: Path | str | None = None,
    data: pd.DataFrame | pd.Series | None = None,
    scale: float = DEFAULT_SCALE,
    width: int | None = None,
    height: int | None = None,
    exporter: FigureExporter | None = None,
) -> dict[str, Path]:
    """Export one figure; see :meth:`FigureExporter.export` for the parameters.

    Uses ``exporter``, else the one of the enclosing :func:`export_session`,
    else a one-off exporter (one Chromium start for this figure only; HTML-only
    exports never start one).

    Examples
    --------
    >>> import plotly.graph_objects as go
    >>> from analysis.viz.style import style_figure
    >>> fig = style_figure(go.Figure(go.Bar(x=["a", "b"], y=[3, 5])), title="Temas",
    ...                    caption="Recomendaciones por tema.")
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     sorted(export(fig, "temas", formats=["html"], out_dir=d))
    ['html']
    """
    exporter = exporter or _CURRENT.get()
    kwargs: dict[str, Any] = dict(
        caption=caption, alt_text=alt_text, formats=formats, out_dir=out_dir,
        source_notebook=source_notebook, data=data, scale=scale, width=width, height=height,
    )  # fmt: skip
    if exporter is not None:
        return exporter.export(fig, name, **kwargs)
    with FigureExporter(out_dir if out_dir is not None else FIGURES_DIR) as one_off:
        return one_off.export(fig, name, **kwargs)


# --------------------------------------------------------------------------- manifest & gallery


def read_manifest(path: Path | str = FIGURES_DIR / MANIFEST_NAME) -> dict[str, dict[str, Any]]:
    """Return the manifest's figures, name -> entry (empty if there is no manifest).

    Examples
    --------
    >>> read_manifest("/nonexistent/manifest.json")
    {}
    """
    path = Path(path)
    if not path.is_file():
        return {}
    doc = json.loads(path.read_text(encoding="utf-8"))
    return dict(doc.get("figures", {}))


def audit(manifest_path: Path | str = FIGURES_DIR / MANIFEST_NAME) -> pd.DataFrame:
    """Check every exported figure: one row per figure, one boolean column per check.

    Checks: the PNG has its signature and print resolution (at least 1,800
    pixels wide), the SVG parses as XML, the PDF has its header, the HTML loads
    plotly.js from its own folder and nothing from the network, and the entry
    has a title, caption, alt text and the project template. ``ok`` is true
    when every check passes.

    Examples
    --------
    >>> audit("/nonexistent/manifest.json").empty
    True
    """
    import xml.etree.ElementTree as ET

    manifest_path = Path(manifest_path)
    base = manifest_path.parent
    rows = []
    for name, e in sorted(read_manifest(manifest_path).items()):
        files = {fmt: base / rel for fmt, rel in e.get("files", {}).items()}
        row: dict[str, Any] = {"name": e.get("name", name), "lang": e.get("lang"), "notebook": e.get("source_notebook"),
                               "title": e.get("title")}
        png = files.get("png")
        data = png.read_bytes() if png and png.is_file() else b""
        row["png_pixels"] = "x".join(map(str, png_size(data))) if data[:8] == b"\x89PNG\r\n\x1a\n" else ""
        row["png_ok"] = bool(row["png_pixels"]) and png_size(data)[0] >= 1800
        svg = files.get("svg")
        try:
            row["svg_ok"] = bool(svg and svg.is_file() and ET.fromstring(svg.read_bytes()).tag.endswith("svg"))
        except ET.ParseError:
            row["svg_ok"] = False
        pdf = files.get("pdf")
        row["pdf_ok"] = bool(pdf and pdf.is_file() and pdf.read_bytes()[:5] == b"%PDF-")
        page = files.get("html")
        text = page.read_text(encoding="utf-8") if page and page.is_file() else ""
        row["html_offline"] = bool(text) and f'src="{PLOTLYJS_SRC}"' in text and not re.search(
            r"""(src|href)=["']https?://""", text
        )
        row["described"] = all(e.get(k) for k in ("title", "caption", "alt_text"))
        row["template"] = e.get("template") == "wg4"
        row["ok"] = all(row[k] for k in ("png_ok", "svg_ok", "pdf_ok", "html_offline", "described", "template"))
        rows.append(row)
    columns = ["name", "lang", "notebook", "title", "png_pixels", "png_ok", "svg_ok", "pdf_ok", "html_offline",
               "described", "template", "ok"]
    return pd.DataFrame(rows, columns=columns)


def _dump_json(doc: Any) -> bytes:
    return (json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")


def _update_manifest(out_dir: Path, entry: Mapping[str, Any]) -> Path:
    """Merge ``entry`` into ``out_dir/manifest.json`` by name, under a lock, atomically."""
    path = out_dir / MANIFEST_NAME
    with _locked(out_dir):
        figures = read_manifest(path)
        figures[entry.get("key", entry["name"])] = dict(entry)
        atomic_write_bytes(path, _dump_json({"schema": 1, "figures": figures}))
    return path


_FORMAT_LABELS: Final[Mapping[str, str]] = {
    "svg": "SVG",
    "pdf": "PDF",
    "html": "interactive HTML",
    "png": "PNG",
}


def _md(text: str) -> str:
    """Escape the characters that would change the meaning of Markdown inline text."""
    return re.sub(r"([\\`*_\[\]<>|#])", r"\\\1", text)


_GALLERY_TEXT: Final[Mapping[str, Mapping[str, str]]] = {
    "en": {
        "title": "Figures",
        "intro": "Every figure of the analysis in English, as exported by the notebooks. PNG (print resolution) is "
                 "shown; SVG and PDF are vector versions for reports, and the interactive HTML works offline (all "
                 "pages share `html/plotly.min.js`).",
        "other": "The same figures in Spanish: [README.es.md](README.es.md).",
        "auto": "Written by `analysis.export.exporter` from `manifest.json`: do not edit by hand; `make figures` "
                "regenerates it.",
        "notebook": "notebook", "svg": "SVG", "pdf": "PDF", "html": "interactive HTML",
    },
    "es": {
        "title": "Figuras",
        "intro": "Todas las figuras del análisis en español, tal como las exportan los cuadernos. Se muestra el PNG "
                 "(resolución de impresión); SVG y PDF son versiones vectoriales para informes, y el HTML "
                 "interactivo funciona sin conexión (todas las páginas comparten `html/plotly.min.js`).",
        "other": "Las mismas figuras en inglés: [README.md](README.md).",
        "auto": "Escrito por `analysis.export.exporter` a partir de `manifest.json`: no lo edite a mano; "
                "`make figures` lo regenera.",
        "notebook": "cuaderno", "svg": "SVG", "pdf": "PDF", "html": "HTML interactivo",
    },
}


def write_gallery(
    manifest_path: Path | str = FIGURES_DIR / MANIFEST_NAME,
    out: Path | str | None = None,
    *,
    lang: str | None = None,
) -> Path:
    """Write the galleries (``README.md`` in English, ``README.es.md`` in Spanish, beside the manifest).

    Each figure: its title, the PNG (with its alt text), the caption, the
    source notebook and links to the other formats. Figures are grouped in the
    order of their source notebook, then name; the file has no timestamps.
    With ``lang``, only that language's gallery is written (to ``out`` if
    given); entries without a language count as English. Returns the path of
    the English gallery (or of ``lang``'s).

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     _ = _update_manifest(Path(d), {"name": "a", "title": "T", "caption": "C",
    ...                                    "alt_text": "A", "files": {"png": "png/a.png"}})
    ...     print(write_gallery(Path(d) / "manifest.json").read_text().splitlines()[8])
    ## T
    """
    manifest_path = Path(manifest_path)
    figures = read_manifest(manifest_path)
    if lang is None:
        langs = sorted({e.get("lang") or "en" for e in figures.values()} | {"en"}, key=lambda k: k != "en")
        paths = [write_gallery(manifest_path, out if k == "en" else None, lang=k) for k in langs]
        return paths[0]
    text = _GALLERY_TEXT.get(lang, _GALLERY_TEXT["en"])
    out_path = Path(out) if out is not None else manifest_path.parent / GALLERY_NAMES.get(lang, f"README.{lang}.md")
    base = manifest_path.parent
    rel = Path(os.path.relpath(base, out_path.parent)) if out_path.parent != base else None

    def link(file: str) -> str:
        return (rel / file).as_posix() if rel is not None else file

    lines = [f"# {text['title']}", "", text["intro"], "", text["other"], "", text["auto"], ""]
    mine = [e for e in figures.values() if (e.get("lang") or "en") == lang]
    entries = sorted(mine, key=lambda e: (e.get("source_notebook") or "", e["name"]))
    for e in entries:
        files = e.get("files", {})
        lines.append(f"## {_md(e.get('title') or e['name'])}")
        lines.append("")
        if "png" in files:
            lines.append(f"![{_md(e.get('alt_text', ''))}]({link(files['png'])})")
            lines.append("")
        lines.append(_md(e.get("caption", "")))
        lines.append("")
        links = [f"[{text[f]}]({link(files[f])})" for f in FORMATS if f in files and f != "png"]
        details = [f"`{e['name']}`"]
        if e.get("source_notebook"):
            details.append(f"{text['notebook']}: `{e['source_notebook']}`")
        lines.append(" · ".join(details + links))
        lines.append("")
    atomic_write_bytes(out_path, ("\n".join(lines).rstrip() + "\n").encode("utf-8"))
    return out_path


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m analysis.export.exporter --gallery``: rewrite figures/README.md from the manifest."""
    import argparse

    parser = argparse.ArgumentParser(description="Figure export utilities.")
    parser.add_argument("--out-dir", type=Path, default=FIGURES_DIR)
    parser.add_argument("--gallery", action="store_true", help="rewrite the gallery from the manifest")
    parser.add_argument("--copy-plotlyjs", action="store_true", help="refresh html/plotly.min.js")
    args = parser.parse_args(argv)
    if args.copy_plotlyjs:
        print(ensure_plotlyjs(args.out_dir / "html"))
    if args.gallery:
        print(write_gallery(args.out_dir / MANIFEST_NAME))
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())

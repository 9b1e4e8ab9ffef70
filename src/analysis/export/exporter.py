"""Export report-ready figures: PNG, SVG, PDF and offline HTML, at any size, anywhere.

:func:`export` (or :meth:`FigureExporter.export`) writes one figure. Its
target says where:

- a **name** (``"themes_sizes"``) is one of the project's figures: the files go
  to ``figures/<lang>/<format>/<name>.<format>`` and the figure is recorded in
  ``figures/manifest.json`` and the galleries (:mod:`analysis.export.manifest`);
- a **path** (``"report/fig3.png"``, or any :class:`~pathlib.Path`) is yours:
  the file is written there, at the size you ask for, and nothing of the
  project changes. Formats follow the suffix unless ``formats`` says otherwise.

``record=`` overrides either default. Static formats go through kaleido,
which drives a headless Chromium; one Chromium is started per batch (an
:func:`export_session` or a :class:`FigureExporter`), not per figure.

Layout of ``figures/`` (``out_dir``)::

    figures/
        manifest.json             one entry per figure and language, "<lang>/<name>" (merged, sorted, no timestamps)
        README.md                 the gallery in English: every PNG with its title, caption, links
        README.es.md              the gallery in Spanish
        <lang>/png/<name>.png     raster at print resolution (default scale 3); lang is "en" or "es"
        <lang>/svg/<name>.svg     vector, random ids normalised
        <lang>/html/<name>.html   interactive, works offline
        <lang>/pdf/<name>.pdf     vector, creation dates normalised (only when asked: formats=[..., "pdf"])
        html/plotly.min.js        the one shared copy of plotly.js that every HTML page loads

Every file is written atomically, and all formats of a figure are rendered
before the first one is written, so an interrupted or failed export leaves
the previous files as they were and no half-written file. A second run writes
identical files.

Render cache. The manifest records, per figure and static format, a render
key (:func:`analysis.export.render.render_key`) and the SHA-256 of the file
written. When both still match, the file is kept and Chromium is not asked
again (nor started, unless ``prestart``); an HTML page is rewritten only when
its bytes change. ``WG4_RENDER_CACHE=off`` (``pipeline --force``) renders
everything again.

Size: about 650 lines, most of them the docstrings of :meth:`FigureExporter.export`
and :func:`export` (every parameter explained once for each entry point); the
rendering, the bytes, the pages and the manifest live in their own modules.

Examples
--------
>>> import plotly.graph_objects as go
>>> from analysis.viz.style import style_figure
>>> fig = style_figure(go.Figure(go.Bar(x=["2009", "2010"], y=[14, 21])),
...                    title="Recomendaciones por año",
...                    caption="Recomendaciones aprobadas en cada reunión.")
>>> export(fig, "report/recomendaciones.png", width=1600, height=900, scale=1)  # doctest: +SKIP
{'png': PosixPath('report/recomendaciones.png')}
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import contextvars
import hashlib
import os
import re
import threading
import time
import weakref
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any, Final

import pandas as pd
import plotly.graph_objects as go

from analysis.data.files import atomic_write_bytes
from analysis.data.paths import FIGURES_DIR, display_path
from analysis.export.manifest import (
    MANIFEST_NAME, MIN_PRINT_PIXELS, PLOTLYJS_DIR, PLOTLYJS_SRC, read_manifest, update_manifest,
    write_gallery,
)  # fmt: skip
from analysis.export.normalise import hash_data, normalise_pdf, normalise_svg, png_size
from analysis.export.pages import PLOTLYJS_NAME, default_alt_text, ensure_plotlyjs, html_page, plain_text
from analysis.export.render import (
    FORMATS, RENDER_ATTEMPTS, RENDER_TIMEOUT, STARTUP_TIMEOUT, STATIC_FORMATS, ExportError, _close_worker,
    _KaleidoWorker, render_key,
)  # fmt: skip
from analysis.export.render_service import RemoteRenderer, RemoteRenderError, service_address
from analysis.run.browser import INSTALL_HINT, BrowserNotFoundError, find_browser
from analysis.run.provenance import RENDER_CACHE_ENV, declare_output, log_timing, sha256_file
from analysis.viz import style

__all__ = [
    "DEFAULT_FORMATS",
    "DEFAULT_HEIGHT",
    "DEFAULT_SCALE",
    "DEFAULT_WIDTH",
    "FigureExporter",
    "current_exporter",
    "export",
    "export_session",
]

#: Formats of a named project figure: raster, vector and interactive. PDF on request
#: (``formats=[..., "pdf"]`` or a ``.pdf`` path): SVG is the vector format for reports.
DEFAULT_FORMATS: Final[tuple[str, ...]] = ("png", "svg", "html")
DEFAULT_WIDTH: Final = 900
DEFAULT_HEIGHT: Final = 540
#: PNG scale: 900 px x 3 = 2700 px, about 400 dpi across a 17 cm text column.
DEFAULT_SCALE: Final = 3
#: Scale of the PNG shown beside a chart in a notebook (about 100 kB a chart).
PREVIEW_SCALE: Final = 1

_NAME_RE: Final = re.compile(r"^[a-z0-9][a-z0-9_-]{0,99}$")
_CURRENT: contextvars.ContextVar[FigureExporter | None] = contextvars.ContextVar(
    "wg4_figure_exporter", default=None
)


class FigureExporter:
    """Export many figures with one Chromium (started at the first static export).

    Use it as a context manager (or call :meth:`close`); :func:`export_session`
    also makes it the exporter that the module-level :func:`export` uses.

    Parameters
    ----------
    out_dir : path, default ``analysis.data.paths.FIGURES_DIR``
        Where named figures go (``<lang>/<format>/``), with ``manifest.json``
        and the galleries.
    source_notebook : path, optional
        Default notebook recorded in the manifest for figures of this batch.
    browser : path, optional
        Chromium/Chrome executable; default :func:`analysis.run.browser.find_browser`.
    timeout : float
        Seconds allowed for one render.
    gallery : bool
        Rewrite the galleries after each recorded export.
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
        self._previews: dict[str, bytes] = {}
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
            try:
                worker = _KaleidoWorker(Path(browser), timeout=self.timeout)
            except Exception as err:  # choreographer's own message suggests downloading a browser: ours does not
                raise ExportError(
                    f"the browser {browser} could not be started for static export ({type(err).__name__}).\n"
                    + INSTALL_HINT.split("\n", 1)[1]
                ) from err
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
        target: str | Path,
        *,
        caption: str | None = None,
        alt_text: str | None = None,
        formats: str | Sequence[str] | None = None,
        out_dir: Path | str | None = None,
        source_notebook: Path | str | None = None,
        data: pd.DataFrame | pd.Series | None = None,
        scale: float = DEFAULT_SCALE,
        width: int | None = None,
        height: int | None = None,
        record: bool | None = None,
    ) -> dict[str, Path]:
        """Write ``fig`` in ``formats``; a named figure is also recorded in the manifest and galleries.

        Parameters
        ----------
        fig : plotly.graph_objects.Figure
            The figure, normally from one of the chart functions of
            :mod:`analysis.viz`. It is not modified.
        target : str or Path
            A figure **name** (lower-case letters, digits, ``_``, ``-``) writes
            ``<out_dir>/<lang>/<format>/<name>.<format>``; a **path** (with a
            folder or a suffix, or a :class:`~pathlib.Path`) writes exactly
            there: ``"report/fig.png"`` gives ``report/fig.png`` (and
            ``report/fig.svg`` ... for the other ``formats``).
        caption, alt_text : str, optional
            Default to those stored on the figure (``alt_text`` else
            :func:`~analysis.export.pages.default_alt_text`). A recorded
            figure needs a title and a caption.
        formats : str or sequence of {"png", "svg", "pdf", "html"}, optional
            Default: :data:`DEFAULT_FORMATS` (PNG, SVG, HTML) for a name, the
            suffix's for a path.
        out_dir : path, optional
            Folder of named figures; defaults to the exporter's.
        source_notebook : path, optional
            Notebook that made the figure; defaults to the exporter's.
        data : DataFrame or Series, optional
            The data behind the figure; its hash goes into the manifest
            (default: the hash of the figure's traces).
        scale : float
            PNG pixels per layout pixel (> 0). A recorded PNG must be at least
            :data:`~analysis.export.manifest.MIN_PRINT_PIXELS` wide.
        width, height : int, optional
            Layout size in px; default the figure's, else 900 x 540.
        record : bool, optional
            Record in the manifest and galleries: default true for a name,
            false for a path (a path cannot be recorded).

        Returns
        -------
        dict of str to Path
            Format -> written file.

        Raises
        ------
        ValueError
            A bad name, path suffix, format, size or scale; a recorded figure
            with no title, no caption or below print resolution.
        analysis.run.browser.BrowserNotFoundError
            A static format was asked for and no Chromium is installed.
        ExportError
            kaleido failed; no file of the figure was changed.

        Examples
        --------
        >>> with FigureExporter() as ex:  # doctest: +SKIP
        ...     ex.export(fig, "themes_sizes")                       # figures/en/*/themes_sizes.*, recorded
        ...     ex.export(fig, "out/sizes.png", width=1600, height=900, scale=1)   # one 1600 x 900 PNG
        """
        if not isinstance(fig, go.Figure):
            raise TypeError(f"fig must be a plotly.graph_objects.Figure, not {type(fig).__name__}")
        info = style.figure_meta(fig)
        lang = info.get("lang", "es")
        named = isinstance(target, str) and _NAME_RE.match(target) is not None
        out = Path(out_dir) if out_dir is not None else self.out_dir
        if named:
            name = str(target)
            chosen = _check_formats(DEFAULT_FORMATS if formats is None else formats)
            files = {fmt: out / lang / fmt / f"{name}.{fmt}" for fmt in chosen}
            record = True if record is None else record
        else:
            name, chosen, files = _path_target(target, formats)
            if record:
                raise ValueError(
                    f"{str(target)!r} is a path; only a named figure is recorded in the manifest "
                    "(export(fig, 'name', out_dir=...))"
                )
            record = False
        title = plain_text(fig.layout.title.text)
        caption = (caption if caption is not None else info.get(style.CAPTION_KEY)) or ""
        if record and not title:
            raise ValueError(f"figure {name!r} has no title; give one with style_figure(fig, title=...)")
        if record and not caption.strip():
            raise ValueError(
                f"figure {name!r} has no caption; pass export(..., caption=...) or style_figure(..., caption=...)"
            )
        width = int(width or info.get("width") or fig.layout.width or DEFAULT_WIDTH)
        height = int(height or info.get("height") or fig.layout.height or DEFAULT_HEIGHT)
        if width <= 0 or height <= 0 or not scale > 0:
            raise ValueError(f"width, height and scale must be positive; got {width} x {height} at scale {scale}")
        if record and "png" in chosen and width * scale < MIN_PRINT_PIXELS:
            raise ValueError(
                f"figure {name!r}: a recorded PNG is print resolution, at least {MIN_PRINT_PIXELS} px wide; "
                f"{width} x {scale} = {width * scale:g} px. Raise scale, or export to a path "
                f"(export(fig, 'folder/{name}.png', ...)) to write any size"
            )
        alt_text = alt_text or info.get(style.ALT_TEXT_KEY) or default_alt_text(fig, lang)
        key_name = f"{lang}/{name}"
        notebook = source_notebook or self.source_notebook
        source = display_path(notebook) if notebook is not None else None

        spec = fig.to_dict()
        for i, trace in enumerate(spec.get("data", [])):
            trace.setdefault("uid", f"{name}-{i}")  # plotly.js would draw random ones

        # Render everything first: a failure leaves every earlier file untouched. A file whose
        # render key and digest match the manifest's record is already what a render would give.
        recorded = read_manifest(out / MANIFEST_NAME).get(key_name, {}).get("render", {}) if record else {}
        if os.environ.get(RENDER_CACHE_ENV, "").lower() == "off":
            recorded = {}
        keys = {fmt: render_key(spec, fmt, width=width, height=height, scale=scale) for fmt in chosen if fmt != "html"}

        def cached(fmt: str) -> bool:
            rec = recorded.get(fmt, {})
            return rec.get("key") == keys[fmt] and rec.get("sha256") is not None and (
                sha256_file(files[fmt]) == rec["sha256"])  # fmt: skip

        todo = [fmt for fmt in keys if not cached(fmt)]
        rendered: dict[str, bytes] = {}
        seconds: dict[str, float] = {}  # each format's own render time (they overlap)
        if todo:
            # the formats of a figure render side by side, one tab each
            failures: dict[str, ExportError] = {}
            with concurrent.futures.ThreadPoolExecutor(max_workers=len(todo), thread_name_prefix="wg4-export") as pool:
                jobs = {fmt: pool.submit(_timed, self.render, spec, fmt, width=width, height=height, scale=scale)
                        for fmt in todo}  # fmt: skip
                for fmt, job in jobs.items():
                    try:
                        rendered[fmt], seconds[fmt] = job.result()
                    except ExportError as err:
                        failures[fmt] = err
            if failures:
                err = next(iter(failures.values()))
                raise type(err)(f"figure {name!r}: {err}; no file was written") from err  # keeps BrowserNotFoundError
        if "html" in chosen:
            start = time.perf_counter()
            rendered["html"] = html_page(
                fig, name, title=title, caption=caption, alt_text=alt_text, lang=lang, height=height,
                width=width, scale=scale, plotlyjs=PLOTLYJS_SRC if named else PLOTLYJS_NAME,
            ).encode("utf-8")  # fmt: skip
            seconds["html"] = time.perf_counter() - start

        renders: dict[str, dict[str, str]] = {}
        for fmt in chosen:
            path = files[fmt]
            if fmt == "html":
                ensure_plotlyjs(out / PLOTLYJS_DIR if named else path.parent)
            digest = hashlib.sha256(rendered[fmt]).hexdigest() if fmt in rendered else recorded[fmt]["sha256"]
            if fmt in rendered and sha256_file(path) != digest:
                atomic_write_bytes(path, rendered[fmt])
            renders[fmt] = {"sha256": digest} if fmt == "html" else {"key": keys[fmt], "sha256": digest}
            declare_output(path)  # an output of the notebook even when the cache kept it
            log_timing("export", format=fmt, figure=name, cached=fmt not in rendered or fmt == "html",
                       seconds=seconds.get(fmt, 0.0), notebook=source)  # fmt: skip
        if not record:
            return files

        entry: dict[str, Any] = {
            "key": key_name,
            "name": name,
            "title": title,
            "subtitle": plain_text(fig.layout.title.subtitle.text) or None,
            "caption": caption,
            "alt_text": alt_text,
            "lang": lang,
            "template": style.TEMPLATE_NAME if style.uses_template(fig) else None,
            "formats": list(chosen),
            "files": {fmt: f"{lang}/{fmt}/{name}.{fmt}" for fmt in chosen},
            "source_notebook": source,
            "data_hash": hash_data(data if data is not None else fig),
            "width": width,
            "height": height,
            "scale": scale,
            "render": renders,
        }
        if "png" in chosen:
            entry["png_pixels"] = list(png_size(rendered.get("png") or files["png"].read_bytes()[:24]))
        update_manifest(out, entry)
        if self.gallery:
            write_gallery(out / MANIFEST_NAME)
        return files

    def preview(self, fig: go.Figure, *, scale: float = PREVIEW_SCALE) -> bytes:
        """A PNG of ``fig`` at its export size and ``scale`` (default 1): the static image beside a notebook's chart.

        Rendered once per figure spec and exporter (a second call with the same
        figure returns the same bytes without rendering).

        Examples
        --------
        >>> with FigureExporter() as ex:  # doctest: +SKIP
        ...     ex.preview(fig)[:4]
        b'\\x89PNG'
        """
        info = style.figure_meta(fig)
        width = int(info.get("width") or fig.layout.width or DEFAULT_WIDTH)
        height = int(info.get("height") or fig.layout.height or DEFAULT_HEIGHT)
        spec = fig.to_dict()
        for i, trace in enumerate(spec.get("data", [])):
            trace.setdefault("uid", f"preview-{i}")  # plotly.js would draw random ones
        key = render_key(spec, "png", width=width, height=height, scale=scale)
        if key not in self._previews:
            self._previews[key] = self.render(spec, "png", width=width, height=height, scale=scale)
        return self._previews[key]

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
        every language lands in its own folder (``figures/<lang>/...``). Its
        :meth:`preview` (the PNG a notebook stores beside the chart) renders
        while the files are exported, in a tab of the same Chromium.

        Examples
        --------
        >>> with FigureExporter() as ex:  # doctest: +SKIP
        ...     fig = ex.export_chart(tp.plot_theme_sizes, model, name="themes_sizes")
        """
        figures = [chart(*args, lang=lang, **kwargs) for lang in langs]
        with concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="wg4-preview") as pool:
            preview = pool.submit(self.preview, figures[0])
            for fig in figures:
                self.export(fig, name, data=data)
            try:
                preview.result()
            except Exception:  # noqa: BLE001 - show() renders it again and reports the error there
                pass
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


def current_exporter() -> FigureExporter | None:
    """The exporter of the enclosing :func:`export_session`, if any."""
    return _CURRENT.get()


def export(
    fig: go.Figure,
    target: str | Path,
    *,
    width: int | None = None,
    height: int | None = None,
    scale: float = DEFAULT_SCALE,
    formats: str | Sequence[str] | None = None,
    caption: str | None = None,
    alt_text: str | None = None,
    out_dir: Path | str | None = None,
    source_notebook: Path | str | None = None,
    data: pd.DataFrame | pd.Series | None = None,
    record: bool | None = None,
    exporter: FigureExporter | None = None,
) -> dict[str, Path]:
    """Export one figure to a path (any size, nothing else touched) or as a named project figure.

    See :meth:`FigureExporter.export` for the parameters. Uses ``exporter``,
    else the one of the enclosing :func:`export_session`, else a one-off
    exporter (one Chromium start for this figure only; HTML-only exports never
    start one).

    Examples
    --------
    >>> import plotly.graph_objects as go
    >>> from analysis.viz.style import style_figure
    >>> fig = style_figure(go.Figure(go.Bar(x=["a", "b"], y=[3, 5])), title="Temas",
    ...                    caption="Recomendaciones por tema.")
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     sorted(p.name for p in export(fig, Path(d) / "temas.html").values())
    ['temas.html']
    >>> with tempfile.TemporaryDirectory() as d:
    ...     sorted(export(fig, "temas", formats=["html"], out_dir=d))
    ['html']
    """
    exporter = exporter or _CURRENT.get()
    kwargs: dict[str, Any] = dict(
        caption=caption, alt_text=alt_text, formats=formats, out_dir=out_dir, source_notebook=source_notebook,
        data=data, scale=scale, width=width, height=height, record=record,
    )  # fmt: skip
    if exporter is not None:
        return exporter.export(fig, target, **kwargs)
    with FigureExporter(out_dir if out_dir is not None else FIGURES_DIR) as one_off:
        return one_off.export(fig, target, **kwargs)


def _path_target(target: str | Path, formats: str | Sequence[str] | None) -> tuple[str, tuple[str, ...], dict[str, Path]]:
    """Name, formats and files of an export to a path: the suffix decides the format unless ``formats`` is given."""
    path = Path(target)
    if path.name in ("", ".", ".."):
        raise ValueError(f"target {str(target)!r} is neither a figure name (a-z, 0-9, '_', '-') nor a file path")
    suffix = path.suffix.lower().lstrip(".")
    if formats is None and suffix not in FORMATS:
        raise ValueError(
            f"cannot tell what {str(target)!r} is: a figure name has only a-z, 0-9, '_' and '-', and a path "
            f"needs a suffix ({', '.join(FORMATS)}) or formats=..."
        )
    chosen = _check_formats((suffix,) if formats is None else formats)
    stem = path.with_suffix("") if suffix in FORMATS else path
    return stem.name, chosen, {fmt: stem.with_name(f"{stem.name}.{fmt}") for fmt in chosen}

"""Rendering with kaleido: one headless Chromium per worker, the page script, and the render cache key.

:class:`_KaleidoWorker` owns one kaleido (one Chromium with
:data:`RENDER_TABS` tabs) served from a private event-loop thread, so there is
no process-wide state, a failed start raises instead of hanging, and renders
have a timeout. :func:`render_key` says what, besides the figure, decides a
static file's bytes.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import hashlib
import json
import os
import threading
import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final

import plotly
from plotly.utils import PlotlyJSONEncoder

from analysis._errors import ExportError
from analysis.data.files import private_temp_dir
from analysis.viz import style

__all__ = ["ExportError", "FORMATS", "RENDER_TABS", "STATIC_FORMATS", "render_key"]

#: Every format, in the order they are written.
FORMATS: Final[tuple[str, ...]] = ("png", "svg", "pdf", "html")
#: Formats rendered by kaleido + Chromium.
STATIC_FORMATS: Final[tuple[str, ...]] = ("png", "svg", "pdf")
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
#: plotly.js of the installed plotly: kaleido's page loads it, and HTML pages get a copy.
PLOTLYJS_SOURCE: Final = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"

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
        page = kaleido.PageGenerator(plotly=str(PLOTLYJS_SOURCE), mathjax=False, others=[str(page_js)])
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

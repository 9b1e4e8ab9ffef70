"""One Chromium for many notebooks: static renders served on a Unix socket.

The main job runs every notebook in its own kernel process. Without help,
each would start its own headless Chromium for its PNG, SVG and PDF files.
:class:`RenderService` runs one :class:`~analysis.export.exporter.FigureExporter` (one
Chromium) in the main job's process and serves renders on a Unix socket in a
private temporary folder; the job names the socket to the notebooks in the
``WG4_RENDER_SOCKET`` environment variable, and every ``FigureExporter``
created there renders through it (:class:`RemoteRenderer`) instead of starting
a browser. Without the variable (nbval, a notebook opened in JupyterLab)
exporters start their own Chromium as before.

Protocol: one request per connection. The client sends a JSON document
``{"spec": <figure dict>, "opts": {"format", "width", "height", "scale"}}``;
the service answers with one status byte (``0`` ok, ``1`` error) and then the
kaleido output or the error message. Each message is preceded by its length
(8 bytes, big-endian).

Examples
--------
>>> from analysis.export.exporter import FigureExporter
>>> with RenderService(FigureExporter()) as service:  # doctest: +SKIP
...     png = RemoteRenderer(service.address).render(fig.to_dict(), {"format": "png", "width": 900,
...                                                                  "height": 540, "scale": 3})
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import socketserver
import struct
import threading
from collections.abc import Mapping
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Final

from plotly.utils import PlotlyJSONEncoder

from analysis.data.files import private_temp_dir

if TYPE_CHECKING:
    from analysis.export.exporter import FigureExporter

__all__ = ["RENDER_SOCKET_ENV", "RemoteRenderError", "RemoteRenderer", "RenderService", "service_address"]

#: Environment variable naming the socket of the main job's render service.
RENDER_SOCKET_ENV: Final = "WG4_RENDER_SOCKET"
_LENGTH: Final = struct.Struct(">Q")
_OK, _ERROR = b"\x00", b"\x01"


class RemoteRenderError(RuntimeError):
    """The render service could not render a figure, or could not be reached."""


def _send(sock: socket.socket, payload: bytes) -> None:
    sock.sendall(_LENGTH.pack(len(payload)) + payload)


def _receive(sock: socket.socket, n: int) -> bytes:
    chunks, left = [], n
    while left:
        chunk = sock.recv(min(left, 1 << 20))
        if not chunk:
            raise ConnectionError("the render service closed the connection")
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _receive_message(sock: socket.socket) -> bytes:
    (n,) = _LENGTH.unpack(_receive(sock, _LENGTH.size))
    return _receive(sock, n)


class _Handler(socketserver.BaseRequestHandler):
    server: _Server

    def handle(self) -> None:
        try:
            request = json.loads(_receive_message(self.request))
            data = self.server.exporter.render_raw(request["spec"], request["opts"])
            status = _OK
        except Exception as err:  # noqa: BLE001 - every failure goes back to the client, named
            data, status = f"{type(err).__name__}: {err}".encode("utf-8", "replace"), _ERROR
        with contextlib.suppress(ConnectionError):  # the client gave up (its timeout): nothing to tell
            self.request.sendall(status)
            _send(self.request, data)


class _Server(socketserver.ThreadingUnixStreamServer):
    daemon_threads = True

    def __init__(self, address: str, exporter: FigureExporter) -> None:
        self.exporter = exporter
        super().__init__(address, _Handler)


class RenderService:
    """Serve ``exporter``'s renders (one Chromium) on a Unix socket until closed.

    Parameters
    ----------
    exporter : FigureExporter
        Renders every request; its Chromium is the only one the notebooks use.
        It is closed with the service.
    """

    def __init__(self, exporter: FigureExporter) -> None:
        self.exporter = exporter
        self._folder = private_temp_dir("render")
        self.address = os.path.join(self._folder.name, "render.sock")
        self._server = _Server(self.address, exporter)
        self._thread = threading.Thread(target=self._server.serve_forever, name="wg4-render-service", daemon=True)
        self._thread.start()

    def env(self) -> dict[str, str]:
        """The environment variable that points a notebook's exporters at this service."""
        return {RENDER_SOCKET_ENV: self.address}

    def close(self) -> None:
        """Stop serving, stop Chromium, remove the socket's folder."""
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=10)
        try:
            self.exporter.close()
        finally:
            self._folder.cleanup()

    def __enter__(self) -> RenderService:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()


class RemoteRenderer:
    """A render worker that asks the service at ``address`` (same interface as a local worker)."""

    def __init__(self, address: str | os.PathLike[str], *, timeout: float = 120.0) -> None:
        self.address = os.fspath(address)
        self.timeout = timeout

    def render(self, fig: Mapping[str, Any], opts: Mapping[str, Any]) -> bytes:
        """kaleido's bytes for ``fig`` rendered with ``opts``; :class:`RemoteRenderError` on failure."""
        request = json.dumps({"spec": dict(fig), "opts": dict(opts)}, cls=PlotlyJSONEncoder).encode("utf-8")
        try:
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
                sock.settimeout(self.timeout)
                sock.connect(self.address)
                _send(sock, request)
                status = _receive(sock, 1)
                payload = _receive_message(sock)
        except OSError as err:
            raise RemoteRenderError(f"the render service at {self.address} could not be reached: {err}") from err
        if status != _OK:
            raise RemoteRenderError(payload.decode("utf-8", "replace"))
        return payload

    def close(self) -> None:
        """Nothing to stop: the service owns the browser."""


def service_address() -> Path | None:
    """The render service named by ``WG4_RENDER_SOCKET``, if set and present."""
    value = os.environ.get(RENDER_SOCKET_ENV)
    return Path(value) if value and Path(value).exists() else None

"""One Chromium for the whole main job: renders served to other processes on a Unix socket."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import nbformat
import plotly.graph_objects as go
import pytest

from analysis.export import exporter as ex
from analysis.run.browser import find_browser
from analysis.export import ExportError, FigureExporter
from analysis.run.pipeline import run_all
from analysis.export.render_service import RENDER_SOCKET_ENV, RemoteRenderer, RemoteRenderError, RenderService
from analysis.viz.style import style_figure

needs_browser = pytest.mark.skipif(find_browser() is None, reason="no Chromium for static export")


class _FakeExporter:
    """Stands in for a FigureExporter: echoes the request, fails on format 'bad'."""

    def __init__(self) -> None:
        self.requests: list[tuple[dict[str, Any], dict[str, Any]]] = []
        self.closed = False

    def render_raw(self, spec: dict[str, Any], opts: dict[str, Any]) -> bytes:
        if opts["format"] == "bad":
            raise ExportError("kaleido could not render bad: simulated")
        self.requests.append((spec, opts))
        return json.dumps([spec["data"][0]["y"], opts["width"]]).encode() * 50_000  # several MB back

    def close(self) -> None:
        self.closed = True


def figure() -> go.Figure:
    return style_figure(go.Figure(go.Bar(x=["a", "b"], y=[1, 2])), title="Prueba", caption="Una prueba.")


def test_requests_and_answers_cross_the_socket_whole() -> None:
    fake = _FakeExporter()
    with RenderService(fake) as service:  # type: ignore[arg-type]
        assert Path(service.address).exists()
        data = RemoteRenderer(service.address).render({"data": [{"y": [1, 2]}]}, {"format": "png", "width": 900})
        assert data == json.dumps([[1, 2], 900]).encode() * 50_000
        with pytest.raises(RemoteRenderError, match="ExportError: kaleido could not render bad: simulated"):
            RemoteRenderer(service.address).render({"data": [{"y": [1]}]}, {"format": "bad", "width": 1})
        folder = Path(service.address).parent
    assert fake.closed and not folder.exists()  # the exporter is closed and the socket's folder removed


def test_an_exporter_under_the_service_starts_no_browser(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = _FakeExporter()
    with RenderService(fake) as service:  # type: ignore[arg-type]
        monkeypatch.setenv(RENDER_SOCKET_ENV, service.address)
        monkeypatch.setattr(ex, "_KaleidoWorker", None)  # a local browser start would fail loudly
        with FigureExporter(tmp_path, prestart=True) as exporter:
            svg = exporter.render(figure(), "svg", width=700, height=400, scale=1)
            assert exporter.browser_starts == 0
            with pytest.raises(ExportError, match="simulated"):
                exporter.render_raw({"data": [{"y": [1]}]}, {"format": "bad", "width": 1})
    assert svg.startswith(b"[[")
    assert fake.requests[0][1] == {"format": "svg", "width": 700, "height": 400, "scale": 1}


def test_an_unreachable_service_is_an_export_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    socket_path = tmp_path / "gone.sock"
    socket_path.write_text("")  # present, but nobody listens
    monkeypatch.setenv(RENDER_SOCKET_ENV, str(socket_path))
    with FigureExporter(tmp_path) as exporter, pytest.raises(ExportError, match="could not be reached"):
        exporter.render(figure(), "png")


@needs_browser
def test_another_process_renders_a_real_png_through_the_service(tmp_path: Path) -> None:
    code = (
        "import plotly.graph_objects as go\n"
        "from analysis.export.exporter import FigureExporter\n"
        "from analysis.viz.style import style_figure\n"
        "fig = style_figure(go.Figure(go.Bar(x=['a'], y=[1])), title='T', caption='C')\n"
        "ex = FigureExporter(prestart=True)\n"
        "png = ex.render(fig, 'png', width=300, height=200, scale=2)\n"
        "print(png[:8].hex(), ex.browser_starts)\n"
    )
    with RenderService(FigureExporter()) as service:
        done = subprocess.run([sys.executable, "-c", code], env={**os.environ, **service.env()},
                              capture_output=True, text=True, check=True)  # fmt: skip
        starts_here = service.exporter.browser_starts
    assert done.stdout.split() == [b"\x89PNG\r\n\x1a\n".hex(), "0"]  # a PNG, and no browser of its own
    assert starts_here == 1


@needs_browser
def test_the_main_job_serves_every_notebook_from_one_browser(tmp_path: Path) -> None:
    code = (
        "import plotly.graph_objects as go\n"
        "from analysis.export.exporter import FigureExporter\n"
        "from analysis.export.render_service import RemoteRenderer\n"
        "ex = FigureExporter()\n"
        "ex.render(go.Figure(go.Bar(y=[1])), 'svg', width=300, height=200, scale=1)\n"
        "open('../worker.txt', 'w').write(type(ex._holder['worker']).__name__ + ' ' + str(ex.browser_starts))\n"
    )
    (tmp_path / "notebooks").mkdir()
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = tmp_path / "notebooks" / "01_export.ipynb"
    nbformat.write(nb, path)
    run_all([path], jobs=1, root=tmp_path, out=io.StringIO())
    assert (tmp_path / "worker.txt").read_text() == f"{RemoteRenderer.__name__} 0"

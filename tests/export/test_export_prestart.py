"""An exporter can start its Chromium in the background, before the first export."""

from __future__ import annotations

import time

import plotly.graph_objects as go
import pytest

from analysis.run.browser import find_browser
from analysis.export.exporter import FigureExporter

pytestmark = pytest.mark.skipif(find_browser() is None, reason="no Chromium/Chrome found")


def test_prestart_starts_one_browser_that_the_first_render_uses(tmp_path):
    with FigureExporter(tmp_path, prestart=True) as ex:
        deadline = time.monotonic() + 60
        while not ex.running and time.monotonic() < deadline:
            time.sleep(0.1)
        assert ex.running and ex.browser_starts == 1  # started with no export asked for
        png = ex.render(go.Figure(go.Bar(x=["a"], y=[1])), "png")
        assert png[:4] == b"\x89PNG" and ex.browser_starts == 1


def test_without_prestart_nothing_starts_until_a_static_export(tmp_path):
    with FigureExporter(tmp_path) as ex:
        time.sleep(0.5)
        assert not ex.running and ex.browser_starts == 0

"""A real browser opens an exported HTML figure with the network off, and the plot renders.

Headless Chromium (the one kaleido uses) loads ``figures/html/<name>.html``
from a ``file://`` URL with DNS mapped to nothing and every request sent to a
closed local port. The plot must draw (its SVG nodes exist, the screenshot
shows the bars in their theme colours) and the page must log nothing to the
console. Two controls prove that the check can fail: a page whose plotly.js is
missing, and a page that wants plotly.js from a CDN.
"""

from __future__ import annotations

import re
import struct
import subprocess
import zlib
from dataclasses import dataclass
from pathlib import Path

import plotly.graph_objects as go
import pytest

from analysis.run.browser import find_browser, headless_command
from analysis.export.exporter import export
from analysis.viz.style import style_figure, theme_colors

BROWSER = find_browser()
pytestmark = pytest.mark.skipif(BROWSER is None, reason="no Chromium/Chrome found: cannot open the HTML in a browser")

THEMES = ["Prevención", "Protección de las víctimas", "Enjuiciamiento", "Cooperación internacional"]
COUNTS = [41, 77, 58, 35]
WINDOW = (960, 720)


# --------------------------------------------------------------------------- a small PNG decoder


def decode_png(data: bytes) -> tuple[int, int, int, list[bytes]]:
    """Decode an 8-bit RGB/RGBA, non-interlaced PNG: ``(width, height, channels, rows)``."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, header = 8, bytearray(), None
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    assert header is not None
    width, height, depth, colour, _, _, interlace = header
    assert depth == 8 and colour in (2, 6) and interlace == 0, f"unsupported PNG {header}"
    bpp = 3 if colour == 2 else 4
    raw = zlib.decompress(bytes(idat))
    stride = width * bpp
    rows: list[bytes] = []
    prev = bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        ftype, line = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        if ftype == 1:
            for i in range(bpp, stride):
                line[i] = (line[i] + line[i - bpp]) & 0xFF
        elif ftype == 2:
            line = bytearray((a + b) & 0xFF for a, b in zip(line, prev, strict=True))
        elif ftype == 3:
            for i in range(stride):
                left = line[i - bpp] if i >= bpp else 0
                line[i] = (line[i] + ((left + prev[i]) >> 1)) & 0xFF
        elif ftype == 4:
            for i in range(stride):
                a = line[i - bpp] if i >= bpp else 0
                b = prev[i]
                c = prev[i - bpp] if i >= bpp else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[i] = (line[i] + pred) & 0xFF
        rows.append(bytes(line))
        prev = line
    return width, height, bpp, rows


def colour_counts(png: bytes, targets: dict[str, str]) -> tuple[float, dict[str, int]]:
    """Fraction of non-white pixels, and pixels within a small distance of each target colour."""
    width, height, bpp, rows = decode_png(png)
    rgb = {k: tuple(int(v[i : i + 2], 16) for i in (1, 3, 5)) for k, v in targets.items()}
    counts = dict.fromkeys(targets, 0)
    non_white = 0
    for row in rows:
        for x in range(0, width * bpp, bpp):
            r, g, b = row[x], row[x + 1], row[x + 2]
            if r < 245 or g < 245 or b < 245:
                non_white += 1
                for key, (tr, tg, tb) in rgb.items():
                    if abs(r - tr) + abs(g - tg) + abs(b - tb) <= 12:
                        counts[key] += 1
    return non_white / (width * height), counts


def test_png_decoder_on_a_known_image() -> None:
    # 2x2 RGB: red, green / blue, white; rows with filters None and Paeth
    rows = [b"\x00" + bytes([255, 0, 0, 0, 255, 0]), b"\x04" + bytes([0, 0, 255, 255, 255, 255])]
    # Paeth-filter the second row by hand against the first
    prev, cur, out = rows[0][1:], rows[1][1:], bytearray()
    for i, v in enumerate(cur):
        a = cur[i - 3] if i >= 3 else 0
        b, c = prev[i], (prev[i - 3] if i >= 3 else 0)
        p = a + b - c
        pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
        out.append((v - (a if pa <= pb and pa <= pc else (b if pb <= pc else c))) & 0xFF)
    raw = rows[0] + b"\x04" + bytes(out)

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0))
    png += chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")
    assert decode_png(png) == (2, 2, 3, [bytes([255, 0, 0, 0, 255, 0]), bytes([0, 0, 255, 255, 255, 255])])
    fraction, counts = colour_counts(png, {"red": "#FF0000", "blue": "#0000FF"})
    assert fraction == 0.75 and counts == {"red": 1, "blue": 1}


# --------------------------------------------------------------------------- the browser


@dataclass
class Rendered:
    screenshot: bytes
    dom: str
    console: list[str]


def open_offline(page: Path, profile: Path) -> Rendered:
    """Screenshot ``page`` and dump its DOM in an offline headless Chromium."""
    url = page.resolve().as_uri()
    common = ["--enable-logging=stderr", "--v=0", "--virtual-time-budget=10000"]
    shot = profile / "shot.png"
    run = subprocess.run(
        headless_command(url, user_data_dir=profile / "a", browser=BROWSER,
                         extra=[*common, f"--window-size={WINDOW[0]},{WINDOW[1]}", f"--screenshot={shot}"]),
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert shot.is_file(), f"Chromium wrote no screenshot (exit {run.returncode}):\n{run.stderr[-2000:]}"
    dom = subprocess.run(
        headless_command(url, user_data_dir=profile / "b", browser=BROWSER, extra=[*common, "--dump-dom"]),
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    console = [line for line in (run.stderr + dom.stderr).splitlines() if re.search(r"CONSOLE[:(]", line)]
    return Rendered(shot.read_bytes(), dom.stdout, console)


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An exported HTML figure (a bar chart of counts), its shared plotly.min.js beside it."""
    out = tmp_path_factory.mktemp("figures")
    colors = theme_colors(THEMES)
    fig = go.Figure(go.Bar(x=THEMES, y=COUNTS, marker_color=list(colors.values()), name="Unidades"))
    style_figure(fig, title="Recomendaciones por tema", subtitle="Unidades, 2009-2018",
                 caption="Número de unidades de recomendación por tema.")  # fmt: skip
    return export(fig, "temas", formats=["html"], out_dir=out)["html"]


def test_exported_html_renders_offline_without_console_errors(exported: Path, tmp_path: Path) -> None:
    result = open_offline(exported, tmp_path)
    assert result.console == [], "the page logged to the console:\n" + "\n".join(result.console)
    # plotly.js built the plot: its SVG layers and one bar per theme
    assert result.dom.count('class="main-svg"') >= 2
    assert len(re.findall(r'<g class="point">', result.dom)) == len(THEMES)
    assert "Recomendaciones por tema" in result.dom and "CTOC/COP/WG.4" in result.dom
    # and the screenshot shows it: not blank, each bar in its theme's colour
    fraction, counts = colour_counts(result.screenshot, theme_colors(THEMES))
    assert fraction > 0.03, f"screenshot is nearly blank ({fraction:.1%} non-white)"
    for theme, n in counts.items():
        assert n > 500, f"bar of {theme!r} not visible in the screenshot ({n} px)"


def test_control_missing_plotlyjs_is_detected(exported: Path, tmp_path: Path) -> None:
    broken = tmp_path / "site" / "temas.html"
    broken.parent.mkdir()
    broken.write_text(exported.read_text(encoding="utf-8"), encoding="utf-8")  # no plotly.min.js beside it
    result = open_offline(broken, tmp_path)
    assert any("Plotly is not defined" in line for line in result.console), result.console
    assert 'class="main-svg"' not in result.dom
    _, counts = colour_counts(result.screenshot, theme_colors(THEMES))
    assert max(counts.values()) < 50


def test_control_the_browser_really_has_no_network(exported: Path, tmp_path: Path) -> None:
    cdn = tmp_path / "site" / "temas.html"
    cdn.parent.mkdir()
    text = exported.read_text(encoding="utf-8")
    cdn.write_text(text.replace('src="plotly.min.js"', 'src="https://cdn.plot.ly/plotly-3.1.0.min.js"'), encoding="utf-8")
    result = open_offline(cdn, tmp_path)
    assert 'class="main-svg"' not in result.dom, "a CDN script loaded: the test browser is not offline"
    assert any("Plotly is not defined" in line for line in result.console), result.console

"""Time to export N figures in every format: one kaleido session vs. naive ways.

Three ways of writing the same N figures as PNG, SVG, PDF and HTML:

- ``session``: one :func:`analysis.export.exporter.export_session` for the batch
  (one Chromium start in all);
- ``one-off``: :func:`analysis.export.exporter.export` with no session (one Chromium
  start per figure);
- ``plotly.io``: ``plotly.io.write_image`` per static file plus
  ``write_html`` (kaleido starts a Chromium per file), the naive baseline.

Files go to a temporary folder; ``figures/`` is not touched. Not a timed test:
it prints a table. Run ``python benchmarks/bench_export.py --n 6`` (``make
bench`` runs it with the defaults).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import plotly.graph_objects as go
import plotly.io as pio

from analysis.run.browser import browser_env, find_browser
from analysis.export.exporter import DEFAULT_HEIGHT, DEFAULT_SCALE, DEFAULT_WIDTH, export, export_session
from analysis.viz.style import style_figure, theme_colors

THEMES = [
    "Prevención", "Protección de las víctimas", "Enjuiciamiento", "Cooperación internacional",
    "Recopilación de datos", "Asistencia técnica",
]  # fmt: skip


def make_figures(n: int) -> list[go.Figure]:
    """``n`` small, distinct report figures: bar charts of counts and yearly lines."""
    colors = theme_colors(THEMES)
    figures = []
    for i in range(n):
        if i % 2 == 0:
            counts = [(7 * i + 13 * k) % 50 + 5 for k in range(len(THEMES))]
            fig = go.Figure(go.Bar(x=THEMES, y=counts, marker_color=list(colors.values())))
        else:
            years = [2009, 2010, 2011, 2013, 2015, 2017, 2018]
            fig = go.Figure([
                go.Scatter(x=years, y=[(i + k * j) % 17 + 3 for j in range(len(years))], name=t,
                           line_color=colors[t], mode="lines+markers")
                for k, t in enumerate(THEMES[:3])
            ])  # fmt: skip
        style_figure(fig, title=f"Figura de prueba {i + 1}", subtitle="Unidades de recomendación",
                     caption=f"Figura sintética {i + 1} para medir la exportación.")  # fmt: skip
        figures.append(fig)
    return figures


def run_session(figures: list[go.Figure], out: Path) -> int:
    with export_session(out) as session:
        for i, fig in enumerate(figures):
            export(fig, f"fig_{i:02d}")
        return session.browser_starts


def run_one_off(figures: list[go.Figure], out: Path) -> int:
    for i, fig in enumerate(figures):
        export(fig, f"fig_{i:02d}", out_dir=out)
    return len(figures)


def run_plotly_io(figures: list[go.Figure], out: Path) -> int:
    os.environ.update(browser_env())
    for i, fig in enumerate(figures):
        for fmt in ("png", "svg", "pdf"):
            pio.write_image(fig, out / f"fig_{i:02d}.{fmt}", scale=DEFAULT_SCALE,
                            width=DEFAULT_WIDTH, height=DEFAULT_HEIGHT)  # fmt: skip
        pio.write_html(fig, out / f"fig_{i:02d}.html", include_plotlyjs="directory")
    return 3 * len(figures)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=6, help="figures per method (default 6)")
    parser.add_argument("--skip-plotly-io", action="store_true", help="leave out the slowest baseline")
    args = parser.parse_args(argv)
    if find_browser() is None:
        print("no Chromium/Chrome found: static export cannot be benchmarked here", file=sys.stderr)
        return 0
    figures = make_figures(args.n)
    methods: list[tuple[str, Callable[[list[go.Figure], Path], int]]] = [
        ("session", run_session),
        ("one-off", run_one_off),
    ]
    if not args.skip_plotly_io:
        methods.append(("plotly.io", run_plotly_io))
    rows = []
    for label, run in methods:
        with tempfile.TemporaryDirectory(prefix="bench-export-") as tmp:
            start = time.perf_counter()
            starts = run(figures, Path(tmp))
            elapsed = time.perf_counter() - start
        rows.append((label, starts, elapsed))
        print(f"  {label}: {elapsed:.1f} s", flush=True)

    base = rows[0][2]
    print(f"\nExport of {args.n} figures x 4 formats (PNG scale {DEFAULT_SCALE}, SVG, PDF, HTML), "
          f"{DEFAULT_WIDTH}x{DEFAULT_HEIGHT} px")  # fmt: skip
    print(f"{'method':<11} {'browser starts':>14} {'total s':>9} {'s / figure':>11} {'vs session':>11}")
    for label, starts, elapsed in rows:
        print(f"{label:<11} {starts:>14d} {elapsed:>9.1f} {elapsed / args.n:>11.2f} {elapsed / base:>10.1f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

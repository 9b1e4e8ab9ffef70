"""Stage 7, export: every figure as PNG, SVG, PDF and HTML, at any size, with a manifest, galleries and an audit.

- :mod:`~analysis.export.exporter`: :class:`FigureExporter` and the one-call :func:`export`
  (a name: a recorded project figure; a path: any file, any size);
- :mod:`~analysis.export.render`: the kaleido worker (one headless Chromium) and the render cache key;
- :mod:`~analysis.export.normalise`: PNG size, reproducible SVG and PDF bytes, the data hash;
- :mod:`~analysis.export.pages`: offline HTML pages sharing one plotly.js, default alt text;
- :mod:`~analysis.export.manifest`: ``figures/manifest.json``, the galleries and :func:`audit`;
- :mod:`~analysis.export.render_service`: one Chromium serving renders to every notebook of the main job.
"""

from analysis.export.exporter import FigureExporter, export, export_session
from analysis.export.manifest import audit, read_manifest, write_gallery
from analysis.export.render import ExportError

__all__ = ["ExportError", "FigureExporter", "audit", "export", "export_session", "read_manifest", "write_gallery"]

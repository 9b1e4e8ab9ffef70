"""Stage 7, export: every figure as PNG, SVG, PDF and HTML, with a manifest, a gallery and an audit.

- :mod:`~analysis.export.exporter`: :class:`FigureExporter` and the one-call :func:`export`,
  the kaleido worker, byte normalisation, the render cache, the manifest and gallery;
- :mod:`~analysis.export.render_service`: one Chromium serving renders to every notebook of the main job.
"""

from analysis.export.exporter import FigureExporter, audit, export, export_session, read_manifest, write_gallery

__all__ = ["FigureExporter", "audit", "export", "export_session", "read_manifest", "write_gallery"]

"""Exceptions shared by stages that cannot import each other (``export`` uses ``run.browser``)."""

from __future__ import annotations

__all__ = ["ExportError"]


class ExportError(RuntimeError):
    """A figure could not be rendered or written (no browser, a browser that fails, a failed render)."""

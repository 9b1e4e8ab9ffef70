"""Running the project: the main job, its provenance records, the browser, display and the portability check.

Entry points: ``python -m analysis.run.pipeline`` (``make figures``),
``python -m analysis.run.portability`` (``make check-portable``) and
``python -m analysis.run.browser --ensure`` (``make setup``).
"""

from analysis.run.display import show

__all__ = ["show"]

"""Stage 6, exploring: full-text search and the interactive explorer of recommendations."""

from analysis.explore.explorer import Explorer, explorer_table, results_html, timeline_figure, write_explorer_html
from analysis.explore.search import SearchIndex

__all__ = ["Explorer", "SearchIndex", "explorer_table", "results_html", "timeline_figure", "write_explorer_html"]

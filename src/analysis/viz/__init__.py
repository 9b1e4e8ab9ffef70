"""Charts: the project style (:mod:`~analysis.viz.style`) and one module of charts per stage.

- :mod:`~analysis.viz.corpus`: the corpus overview (notebook 01);
- :mod:`~analysis.viz.themes`: themes (notebook 02);
- :mod:`~analysis.viz.trends`: priority shifts (notebook 03);
- :mod:`~analysis.viz.language`: actors, language, references and recurrence (notebook 04).

Chart modules are imported by name (``from analysis.viz import trends as trend_charts``);
only the style, which every chart and notebook uses, is exported here.
"""

from analysis.viz.style import style_figure, theme_colors

__all__ = ["style_figure", "theme_colors"]

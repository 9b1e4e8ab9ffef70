"""Recommendation text in hovers and labels is shown as written: markup escaped, quotes kept."""

from __future__ import annotations

import pytest

from analysis.data import load_corpus
from analysis.explore.explorer import explorer_table, hover_text
from analysis.themes import CodebookModel
from analysis.viz import corpus as corpus_plots
from analysis.viz import themes as theme_plots
from analysis.viz.language import _preview

HOSTILE = 'los "<b>órganos</b>" <a href="https://x.test">aquí</a> & <script>alert(1)</script>'


def _assert_shown_as_written(text: str) -> None:
    assert "<script>" not in text and "<a href" not in text and "<b>órganos" not in text
    assert "&lt;script&gt;" in text and "&lt;b&gt;órganos&lt;/b&gt;" in text and "&amp;" in text
    assert '"' in text and "&quot;" not in text


@pytest.fixture(scope="module")
def hostile_corpus():
    corpus = load_corpus()
    corpus.recommendations.loc[0, "text"] = HOSTILE
    return corpus


def test_length_chart_preview(hostile_corpus) -> None:
    fig = corpus_plots.length_figure(hostile_corpus, lang="en")
    preview = [d[1] for d in fig.data[0].customdata if d[0] == hostile_corpus.recommendations.loc[0, "rec_id"]][0]
    _assert_shown_as_written(preview)


def test_theme_map_hover(hostile_corpus) -> None:
    recs = hostile_corpus.recommendations
    model = CodebookModel().fit(load_corpus().recommendations)
    fig = theme_plots.plot_theme_map(model, recs, lang="es")
    hovers = [h for trace in fig.data for h in trace.hovertext if h.startswith(f"<b>{recs.loc[0, 'rec_id']}</b>")]
    assert len(hovers) == 1
    _assert_shown_as_written(hovers[0].replace("<br>", " "))


def test_language_previews_and_explorer_hover() -> None:
    _assert_shown_as_written(_preview(HOSTILE, 200))
    row = explorer_table().iloc[0].copy()
    row["text"] = HOSTILE
    _assert_shown_as_written(hover_text(row, width=500))


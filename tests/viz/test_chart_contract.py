"""The chart contract, on the real data, in both languages.

Every public chart function (every public function of an ``analysis.viz``
chart module, or of ``analysis.explore``, annotated to return a
``go.Figure``) is discovered here, so a new chart cannot skip the test. Each
is called in English and in Spanish and must return a styled figure with a
title, subtitle, caption and alt text in that language; an English chart
shows no Spanish theme name; and a theme keeps the colour of its id in every
chart.
"""

from __future__ import annotations

import functools
import importlib
import inspect
import json
import pkgutil
import re

import plotly.graph_objects as go
import pytest

import analysis.viz
from analysis.viz.labels import spanish_theme_names, theme_color, theme_labels
from analysis.viz.style import SUBTITLE_WRAP, TITLE_WRAP, figure_meta, uses_template

_SKIP = {"analysis.viz.style", "analysis.viz.labels"}


def _chart_functions() -> dict[str, object]:
    found = {}
    modules = [f"analysis.viz.{m.name}" for m in pkgutil.iter_modules(analysis.viz.__path__)]
    for name in [*modules, "analysis.explore.explorer"]:
        if name in _SKIP:
            continue
        module = importlib.import_module(name)
        for attr in getattr(module, "__all__", []):
            fn = getattr(module, attr)
            if inspect.isfunction(fn) and inspect.signature(fn).return_annotation in (go.Figure, "go.Figure"):
                found[f"{name.rsplit('.', 1)[1]}.{attr}"] = fn
    return found


CHARTS = _chart_functions()


@functools.cache
def _inputs() -> dict[str, object]:
    """Real data for every chart: the processed tables and models fitted as notebook 02 fits them."""
    from analysis import trends
    from analysis.data import load_corpus, read_table
    from analysis.explore import explorer_table
    from analysis.language import classify_units
    from analysis.language import recurrence, references
    from analysis.themes import CodebookModel, ThemeModel

    corpus = load_corpus()
    recs = corpus.recommendations
    discovery = ThemeModel(n_themes=15, random_state=0).fit(recs)
    codebook = CodebookModel().fit(recs)
    built = trends.ThemeTrends.build(trends.read_assignments(), corpus, n_boot=200)
    lang_table = classify_units(recs)
    pairs = recurrence.cross_meeting_pairs(recs)
    themes = read_table("recommendation_themes")
    from analysis.coding import CODING_DIR, read_coding, reliability
    from analysis.themes import learning_curve

    reference = read_coding(CODING_DIR / "reference.csv")
    learning = learning_curve(recs, reference, sizes=(0, 30, 60), n_repeats=2).summary
    readers = reliability(*(read_coding(CODING_DIR / f"reading_{i}.csv") for i in (1, 2)), n_boot=50)
    diagnostics = __import__("pandas").DataFrame({"k": [6, 10, 15], "coherence": [0.1, 0.12, 0.11],
                                                  "diversity": [0.9, 0.85, 0.8], "stability": [0.95, 0.9, 0.88]})
    return {
        "corpus": corpus, "recs": recs, "discovery": discovery, "codebook": codebook,
        "shares": read_table("theme_shares"), "change": built.change(), "concentration": built.concentration(),
        "regression": trends.prevalence_regression(trends.read_assignments(), corpus),
        "language": lang_table, "refs": references.extract_references(corpus), "pairs": pairs,
        "curve": recurrence.threshold_curve(pairs, recs["rec_id"], [0.3, 0.4, 0.5, 0.6]),
        "chains": read_table("recurrences"), "themes": themes.loc[themes["method"] == "codebook"],
        "diagnostics": diagnostics, "explorer": explorer_table(),
        "learning": learning, "human": float(readers.loc[0, "agreement"]),
    }


def _call(key: str, lang: str) -> list[go.Figure]:
    """The chart ``key`` in ``lang`` (both methods for the trend charts)."""
    x = _inputs()
    fn = CHARTS[key]
    calls = {
        "corpus.meeting_counts_figure": lambda: [fn(x["corpus"], lang=lang)],
        "corpus.length_figure": lambda: [fn(x["corpus"], lang=lang)],
        "themes.plot_theme_sizes": lambda: [fn(x["discovery"], lang=lang), fn(x["codebook"], lang=lang)],
        "themes.plot_top_terms": lambda: [fn(x["discovery"], lang=lang), fn(x["codebook"], lang=lang)],
        "themes.plot_theme_map": lambda: [fn(x["discovery"], x["recs"], lang=lang)],
        "themes.plot_theme_similarity": lambda: [fn(x["discovery"], lang=lang)],
        "themes.plot_k_selection": lambda: [fn(x["diagnostics"], 15, lang=lang)],
        "themes.learning_curve_chart": lambda: [fn(x["learning"], human_agreement=x["human"], lang=lang),
                                                fn(x["learning"], lang=lang)],
        "themes.plot_contingency": lambda: [fn(x["discovery"], x["codebook"], lang=lang)],
        "trends.stacked_bars": lambda: [fn(x["shares"], method=m, lang=lang) for m in ("codebook", "discovery")],
        "trends.share_heatmap": lambda: [fn(x["shares"], method=m, lang=lang) for m in ("codebook", "discovery")],
        "trends.share_small_multiples": lambda: [fn(x["shares"], method=m, lang=lang) for m in ("codebook", "discovery")],
        "trends.slope_chart": lambda: [fn(x["change"], method=m, lang=lang) for m in ("codebook", "discovery")],
        "trends.rank_bump_chart": lambda: [fn(x["shares"], method=m, lang=lang) for m in ("codebook", "discovery")],
        "trends.concentration_chart": lambda: [fn(x["concentration"], lang=lang)],
        "trends.regression_chart": lambda: [fn(x["regression"], method=m, lang=lang) for m in ("reference", "codebook", "discovery")],
        "language.addressee_figure": lambda: [fn(x["language"], x["corpus"], lang=lang)],
        "language.modality_figure": lambda: [fn(x["language"], x["corpus"], lang=lang)],
        "language.modality_by_theme_figure": lambda: [fn(x["language"], x["themes"], lang=lang)],
        "language.recurrence_timeline_figure": lambda: [fn(x["chains"], x["corpus"], x["language"], lang=lang)],
        "language.crossref_network_figure": lambda: [fn(x["refs"], x["corpus"], lang=lang)],
        "language.legal_references_figure": lambda: [fn(x["refs"], lang=lang)],
        "language.similarity_distribution_figure": lambda: [fn(x["pairs"], 0.5, lang=lang)],
        "language.threshold_curve_figure": lambda: [fn(x["curve"], 0.4, lang=lang)],
        "explorer.timeline_figure": lambda: [fn(x["explorer"], lang=lang)],
    }
    assert key in calls, f"new chart function {key}: add a call on the real data to tests/viz/test_chart_contract.py"
    return calls[key]()


def test_every_chart_is_called() -> None:
    assert len(CHARTS) >= 20


def _kinds(lang: str) -> tuple[str, ...]:
    """The names of chart types in ``lang``: an alt text starts by naming its chart's type."""
    from analysis.viz.style import _CHART_KINDS

    return tuple(v[lang] for v in _CHART_KINDS.values())


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("key", sorted(CHARTS))
def test_chart_contract(key: str, lang: str) -> None:
    for fig in _call(key, lang):
        assert isinstance(fig, go.Figure)
        info = figure_meta(fig)
        assert uses_template(fig), key
        assert info["lang"] == lang
        for field in ("title", "subtitle", "caption", "alt_text"):
            assert str(info.get(field, "")).strip(), f"{key} ({lang}) has no {field}"
        assert fig.layout.title.subtitle.text
        # a header line longer than the wrap width runs off the chart's right edge
        for text, width in ((fig.layout.title.text, TITLE_WRAP), (fig.layout.title.subtitle.text, SUBTITLE_WRAP)):
            lines = re.split(r"<br\s*/?>", re.sub(r"</?(?:b|i|sup|sub|span)\b[^<>]*>", "", text))
            assert max(len(line) for line in lines) <= width, f"{key} ({lang}): header line not wrapped: {text!r}"
        assert info["caption"] != info["title"]
        assert info["alt_text"].startswith(_kinds(lang)), info["alt_text"]
        assert fig.layout.width is None, f"{key}: a fixed width stops the chart filling the notebook"
        assert fig.layout.separators == (",." if lang == "es" else ".,")


def _shown_text(fig: go.Figure) -> str:
    """Every text a reader sees, without the recommendation texts and terms quoted from the source."""
    spec = json.loads(fig.to_json())
    parts = [json.dumps(spec["layout"], ensure_ascii=False)]
    for trace in spec["data"]:
        parts.append(str(trace.get("name", "")))
        if trace.get("orientation") == "h" or trace.get("type") == "heatmap":
            parts.append(json.dumps(trace.get("y", []), ensure_ascii=False))
        if trace.get("type") == "heatmap":
            parts.append(json.dumps(trace.get("x", []), ensure_ascii=False))
        for text in trace.get("hovertext") or []:
            parts.append(str(text).split("<br>")[0])  # the line that names the theme
        parts.append(str(trace.get("hovertemplate", "")))
    parts.append(json.dumps(figure_meta(fig), ensure_ascii=False))
    return "\n".join(parts)


@pytest.mark.parametrize("key", sorted(CHARTS))
def test_no_spanish_theme_name_in_english_charts(key: str) -> None:
    # names that are the same in both languages (or start another word) are not Spanish tells
    english = {v["en"] for v in theme_labels().values() if v.get("en")}
    spanish = {n for n in spanish_theme_names() if n not in english}
    for fig in _call(key, "en"):
        text = _shown_text(fig)
        found = sorted(n for n in spanish if re.search(rf"(?<!\w){re.escape(n[:40])}", text))
        assert not found, f"{key}: Spanish theme names in an English chart: {found}"


def _colors_by_id(fig: go.Figure, lang: str) -> dict[str, set[str]]:
    """theme_id -> the colours its traces or bars use in ``fig``."""
    by_name = {v[lang]: k for k, v in theme_labels().items() if v.get(lang)}
    seen: dict[str, set[str]] = {}
    for trace in fig.data:
        color = getattr(getattr(trace, "marker", None), "color", None)
        if trace.type == "bar" and trace.orientation == "h" and isinstance(color, (list, tuple)):
            for name, c in zip(trace.y, color, strict=True):
                if name in by_name:
                    seen.setdefault(by_name[name], set()).add(str(c).upper())
        elif trace.name in by_name and isinstance(color, str):
            seen.setdefault(by_name[trace.name], set()).add(color.upper())
    return seen


def test_a_theme_has_its_ids_colour_in_every_chart() -> None:
    x = _inputs()
    checked = 0
    for lang in ("en", "es"):
        from analysis.explore import timeline_figure
        from analysis.viz import themes as tp
        from analysis.viz import trends as tv

        figs = [tp.plot_theme_sizes(x["discovery"], lang=lang), tp.plot_theme_sizes(x["codebook"], lang=lang),
                tp.plot_theme_map(x["discovery"], x["recs"], lang=lang), tp.plot_top_terms(x["codebook"], lang=lang),
                timeline_figure(x["explorer"], lang=lang)]
        figs += [f(x["shares"], method=m, lang=lang) for f in (tv.stacked_bars, tv.share_small_multiples)
                 for m in ("codebook", "discovery")]
        for fig in figs:
            for theme_id, colors in _colors_by_id(fig, lang).items():
                assert colors == {theme_color(theme_id)}, (theme_id, colors)
                checked += 1
    assert checked > 100


def test_codebook_colours_are_fixed_distinct_and_from_the_palette() -> None:
    from analysis.themes import load_codebook
    from analysis.viz.style import PALETTE

    colors = [t.color for t in load_codebook().themes]
    assert all(colors) and len(set(colors)) == len(colors)
    assert set(colors) <= set(PALETTE)
    discovered = {k: v["color"] for k, v in theme_labels().items() if re.fullmatch(r"D\d+", k)}
    assert len(set(discovered.values())) == len(discovered) and set(discovered.values()) <= set(PALETTE)


def test_saved_tables_feed_the_charts() -> None:
    from analysis.data import read_table
    from analysis.viz import trends as tv

    fig = tv.stacked_bars(read_table("theme_shares"), lang="es")
    assert "Protección y asistencia a las víctimas" in {t.name for t in fig.data}


def test_a_discovered_theme_without_a_label_keeps_its_spanish_name(tmp_path) -> None:
    from analysis.viz.labels import theme_label

    assert theme_label("D99", "en", fallback="trata · órganos") == "trata · órganos"
    assert theme_color("D99") == theme_color("D99")

"""The project's plotly template, palette and Spanish/English formatting (no browser)."""

from __future__ import annotations

import datetime as dt
import json
import re

import plotly.graph_objects as go
import plotly.io as pio
import pytest
from hypothesis import given
from hypothesis import strategies as st

from analysis.viz import style
from analysis.viz.style import (
    PALETTE,
    SOURCE_NOTE,
    figure_meta,
    format_date,
    format_number,
    format_percent,
    make_template,
    plotly_config,
    plotly_locale,
    style_figure,
    theme_colors,
    uses_template,
)

THEMES = ["Prevención", "Protección de las víctimas", "Enjuiciamiento", "Cooperación internacional"]


def _bar() -> go.Figure:
    return go.Figure(go.Bar(x=THEMES, y=[41, 77, 58, 35], name="Unidades"))


def _plain(text: str) -> str:
    return re.sub(r"<br>", " ", text)


# --------------------------------------------------------------------------- palette


def test_palette_has_twenty_distinct_hex_colours_okabe_ito_first() -> None:
    assert len(PALETTE) == 20
    assert len(set(PALETTE)) == 20
    assert all(re.fullmatch(r"#[0-9A-F]{6}", c) for c in PALETTE)
    # Okabe-Ito (without black) come first: the most distinguishable colours.
    assert PALETTE[:7] == ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442")


def _luminance(hex_colour: str) -> float:
    r, g, b = (int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in (r, g, b)]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def test_palette_first_colours_stand_out_from_a_white_page() -> None:
    # No near-white colour among the first ten (they would vanish on paper).
    assert all(_luminance(c) < 0.85 for c in PALETTE[:10])


def test_theme_colors_follow_the_given_order_deterministically() -> None:
    colors = theme_colors(THEMES)
    assert list(colors) == THEMES
    assert list(colors.values()) == list(PALETTE[:4])
    assert theme_colors(list(THEMES)) == colors  # same ordered list, same colours
    # a theme's colour depends on its position in the canonical list
    assert theme_colors(THEMES[::-1])[THEMES[0]] == PALETTE[3]


def test_theme_colors_one_colour_per_theme_up_to_twenty() -> None:
    themes = [f"tema {i}" for i in range(20)]
    colors = theme_colors(themes)
    assert len(set(colors.values())) == 20


def test_theme_colors_refuses_too_many_or_repeated_themes() -> None:
    with pytest.raises(ValueError, match="21 themes"):
        theme_colors([f"t{i}" for i in range(21)])
    with pytest.raises(ValueError, match="repeated.*Prevención"):
        theme_colors(["Prevención", "Protección", "Prevención"])


# --------------------------------------------------------------------------- template


@pytest.mark.parametrize(("lang", "separators"), [("es", ",."), ("en", ".,")])
def test_make_template_carries_typography_palette_separators_and_source(lang: str, separators: str) -> None:
    t = make_template(lang)
    assert isinstance(t, go.layout.Template)
    assert t.layout.separators == separators
    assert t.layout.colorway == PALETTE
    assert "sans-serif" in t.layout.font.family
    assert t.layout.title.x == 0 and t.layout.title.xanchor == "left"
    assert t.layout.margin.b >= 100  # room for the source note
    (note,) = t.layout.annotations
    assert note.name == "wg4-source"
    assert _plain(note.text) == SOURCE_NOTE[lang]
    assert "CTOC/COP/WG.4" in note.text


def test_source_notes_are_the_documented_texts() -> None:
    assert SOURCE_NOTE["es"] == (
        "Fuente: Recomendaciones aprobadas por el Grupo de Trabajo sobre la Trata de Personas "
        "en sus ocho primeras reuniones (CTOC/COP/WG.4, 2019)"
    )
    assert SOURCE_NOTE["en"] == (
        "Source: Recommendations adopted by the Working Group on Trafficking in Persons "
        "at its first eight meetings (CTOC/COP/WG.4, 2019)"
    )


def test_make_template_returns_a_new_object_and_touches_no_global_state() -> None:
    before = pio.templates.default
    names = set(pio.templates)
    a, b = make_template("es"), make_template("es")
    style_figure(_bar(), title="Temas")
    assert a is not b and a.to_plotly_json() == b.to_plotly_json()
    assert pio.templates.default == before
    assert set(pio.templates) == names


def test_unknown_language_is_refused() -> None:
    with pytest.raises(ValueError, match="lang must be one of"):
        make_template("fr")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="lang"):
        style_figure(_bar(), title="T", lang="de")  # type: ignore[arg-type]


# --------------------------------------------------------------------------- style_figure


def test_style_figure_sets_title_subtitle_template_and_meta() -> None:
    fig = _bar()
    out = style_figure(
        fig, title="Recomendaciones por tema", subtitle="2009-2018", caption="Unidades por tema.",
        alt_text="Barras: protección de las víctimas es el tema más frecuente.",
    )
    assert out is fig
    assert fig.layout.title.text == "Recomendaciones por tema"
    assert fig.layout.title.subtitle.text == "2009-2018"
    assert fig.layout.separators == ",."
    assert uses_template(fig)
    meta = figure_meta(fig)
    assert meta["caption"] == "Unidades por tema."
    assert meta["alt_text"].startswith("Barras")
    assert meta["lang"] == "es" and meta["template"] == "wg4"
    # the figure stays valid plotly JSON (what kaleido and the HTML receive)
    go.Figure(json.loads(fig.to_json()))


def test_style_figure_keeps_other_meta_and_is_idempotent() -> None:
    fig = _bar()
    fig.layout.meta = {"mine": 1}
    style_figure(fig, title="A", source="Fuente: elaboración propia")
    style_figure(fig, title="B", source="Fuente: otra")
    assert fig.layout.meta["mine"] == 1
    overrides = [a for a in fig.layout.annotations if a.templateitemname == "wg4-source"]
    assert len(overrides) == 1 and overrides[0].text == "Fuente: otra"
    assert fig.layout.title.text == "B"
    style_figure(fig, title="C")  # back to the template's note: no override left
    assert not [a for a in fig.layout.annotations if a.templateitemname == "wg4-source"]


def test_style_figure_can_hide_the_source_note() -> None:
    fig = style_figure(_bar(), title="T", source="")
    (override,) = fig.layout.annotations
    assert override.templateitemname == "wg4-source" and override.visible is False


def test_style_figure_uses_the_figures_own_title_and_splits_the_sup_idiom() -> None:
    fig = _bar().update_layout(title_text="Unidades por tema<br><sup>Número de unidades, 2009-2018</sup>")
    style_figure(fig, lang="en")
    assert fig.layout.title.text == "Unidades por tema"
    assert fig.layout.title.subtitle.text == "Número de unidades, 2009-2018"
    assert fig.layout.separators == ".,"


def test_style_figure_needs_a_title() -> None:
    with pytest.raises(ValueError, match="title"):
        style_figure(_bar())
    with pytest.raises(ValueError, match="title"):
        style_figure(_bar(), title="   ")


def test_long_titles_and_subtitles_are_wrapped() -> None:
    fig = style_figure(_bar(), title="palabra " * 20, subtitle="otra palabra " * 20)
    assert all(len(line) <= style.TITLE_WRAP for line in fig.layout.title.text.split("<br>"))
    lines = fig.layout.title.subtitle.text.split("<br>")
    assert len(lines) >= 2 and all(len(line) <= style.SUBTITLE_WRAP for line in lines)


def test_uses_template_is_false_for_plain_and_fake_figures() -> None:
    assert not uses_template(_bar())
    fake = _bar().update_layout(meta={"wg4": {"template": "wg4"}})  # marker without template
    assert not uses_template(fake)


# --------------------------------------------------------------------------- locale, config


def test_spanish_plotly_locale() -> None:
    loc = plotly_locale("es")
    fmt = loc["format"]
    assert fmt["months"][0] == "enero" and fmt["shortMonths"][3] == "abr"
    assert len(fmt["months"]) == len(fmt["shortMonths"]) == 12 and len(fmt["days"]) == 7
    assert (fmt["decimal"], fmt["thousands"]) == (",", ".")
    assert loc["dictionary"]["Reset axes"] == "Restablecer ejes"


def test_plotly_config_is_offline_responsive_and_localised() -> None:
    cfg = plotly_config("es", filename="temas", scale=3)
    assert cfg["responsive"] is True and cfg["displaylogo"] is False
    assert cfg["locale"] == "es" and "es" in cfg["locales"]
    assert "sendChartToCloud" in cfg["modeBarButtonsToRemove"]
    assert not re.search(r"https?://", json.dumps(cfg))


# --------------------------------------------------------------------------- formatting


def test_format_number_examples() -> None:
    assert format_number(1234567.891, decimals=2) == "1.234.567,89"
    assert format_number(1234567.891, "en", decimals=2) == "1,234,567.89"
    assert format_number(999) == "999"
    assert format_number(1000) == "1.000"
    assert format_number(-0.0004, decimals=2) == "0,00"
    assert format_number(-1500.25, decimals=1) == "-1.500,2"  # round-half-even, like Python


@given(st.floats(min_value=-1e12, max_value=1e12, allow_nan=False), st.integers(0, 4))
def test_format_number_round_trips(value: float, decimals: int) -> None:
    es = format_number(value, "es", decimals=decimals)
    en = format_number(value, "en", decimals=decimals)
    assert float(es.replace(".", "").replace(",", ".")) == float(f"{value:.{decimals}f}")
    assert es.translate(str.maketrans(",.", ".,")) == en
    # groups of three digits between thousands separators
    whole = es.lstrip("-").split(",")[0]
    assert re.fullmatch(r"\d{1,3}(\.\d{3})*", whole)


def test_format_percent() -> None:
    assert format_percent(0.125) == "12,5\u00a0%"
    assert format_percent(0.125, "en") == "12.5%"
    assert format_percent(1, decimals=0) == "100\u00a0%"


def test_format_date() -> None:
    d = dt.date(2009, 4, 14)
    assert format_date(d) == "14 de abril de 2009"
    assert format_date(d, "en") == "14 April 2009"
    assert format_date(dt.datetime(2018, 7, 2, 10, 30), style="month") == "julio de 2018"
    assert format_date("2018-07-02", "en", style="month") == "July 2018"
    assert format_date("2013-11-06", style="short") == "06/11/2013"
    with pytest.raises(ValueError, match="style"):
        format_date(d, style="iso")  # type: ignore[arg-type]

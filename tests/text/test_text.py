"""Spanish text processing: synthetic cases for the analyzer, plus the real corpus."""

from __future__ import annotations

import pickle

import pandas as pd
import pytest

from analysis.text.analyzer import (
    SPANISH_STOP_WORDS,
    SpanishAnalyzer,
    compose_document,
    compose_documents,
    fold_accents,
    make_vectorizer,
    normalize,
    topical_lead_in,
)


@pytest.fixture(scope="module")
def an() -> SpanishAnalyzer:
    return SpanishAnalyzer()



def test_fold_accents_keeps_enye_and_length() -> None:
    text = "Víctimas, PROTECCIÓN, pingüino, niño, año"
    folded = fold_accents(text)
    assert folded == "Victimas, PROTECCION, pinguino, niño, año"
    assert len(folded) == len(text)


def test_accent_insensitive_matching(an: SpanishAnalyzer) -> None:
    assert an("protección de las víctimas") == an("proteccion de las victimas")
    assert an("EXTRACCIÓN DE ÓRGANOS") == an("extraccion de organos") == ["extraccion_de_organos"]


def test_inflected_forms_count_together(an: SpanishAnalyzer) -> None:
    assert an("víctima")[0] == an("víctimas")[0]
    assert an("capacitar")[0] == an("capacitación")[0]
    assert an("identificar")[0] == an("identificación")[0]
    assert an("sensibilización")[0] == an("concienciación")[0]


def test_labels_show_surface_forms_not_stems(an: SpanishAnalyzer) -> None:
    docs = ["las víctimas", "víctimas y víctima", "capacitación", "capacitar", "la capacitación"]
    forms = an.surface_forms(docs)
    assert forms["victim"] == "víctimas"
    assert forms["capacit"] == "capacitación"


def test_multiword_terms_are_one_term(an: SpanishAnalyzer) -> None:
    terms = an(
        "la sociedad civil, la justicia penal, la asistencia judicial recíproca "
        "y la trata con fines de extracción de órganos"
    )
    assert terms == ["sociedad_civil", "justicia_penal", "asistencia_judicial_reciproca", "extraccion_de_organos"]
    # the words of a multi-word term are not counted again
    assert "civil" not in terms and "justici" not in terms


def test_multiword_display_form(an: SpanishAnalyzer) -> None:
    forms = an.surface_forms(["agentes de primera línea", "personal de primera línea"])
    assert forms["primera_linea"] == "primera línea"


def test_non_punishment_variants_share_one_term(an: SpanishAnalyzer) -> None:
    variants = [
        "la posibilidad de no sancionar ni enjuiciar a las víctimas",
        "que no se sancione ni enjuicie a las víctimas",
        "la práctica de no imponer sanciones ni enjuiciar",
        "evitar que se sancione o enjuicie a las víctimas",
    ]
    for v in variants:
        assert "no_sancionar_ni_enjuiciar" in an(v), v


@pytest.mark.parametrize(
    "boilerplate",
    [
        "Los Estados partes deberían considerar la posibilidad de",
        "de conformidad con su legislación nacional",
        "el Protocolo contra la Trata de Personas",
        "la Convención de las Naciones Unidas contra la Delincuencia Organizada Transnacional",
        "la trata de personas",
        "cuando proceda",
        "Se alienta a los Estados partes a que estudien la posibilidad de",
        "las recomendaciones que figuran en el párrafo 17 del informe del Grupo de Trabajo "
        "sobre su reunión celebrada en Viena los días 14",
    ],
)
def test_boilerplate_yields_no_terms(an: SpanishAnalyzer, boilerplate: str) -> None:
    assert an(boilerplate) == []


def test_boilerplate_removed_around_content(an: SpanishAnalyzer) -> None:
    terms = an(
        "Los Estados partes deberían considerar la posibilidad de establecer, de conformidad "
        "con su legislación nacional, un fondo de indemnización para las víctimas de la trata de personas."
    )
    assert terms == ["fond", "indemniz", "victim"]


def test_stop_words_dropped(an: SpanishAnalyzer) -> None:
    assert "de" in SPANISH_STOP_WORDS and "estados" in SPANISH_STOP_WORDS
    assert an("de la que por para con sus también") == []
    assert an.is_stop_or_boilerplate("deberían")
    assert not an.is_stop_or_boilerplate("trabajo forzoso")


def test_domain_stop_words_do_not_swallow_meaningful_words(an: SpanishAnalyzer) -> None:
    # "estudios" shares a stem with the hedge "estudiar", "activos" with "actividades"
    assert an("estudios") and an("decomiso de activos")[-1] == an("activos")[0]


def test_topical_lead_in() -> None:
    assert topical_lead_in("Respecto de la prevención y sensibilización, los Estados partes deberían:")
    assert topical_lead_in("A fin de asegurar que no se sancione ni enjuicie a las víctimas, los Estados partes deberían:")
    assert topical_lead_in("Los Estados partes deberían:") == ""
    assert topical_lead_in(
        "El Grupo de Trabajo recomendó a la Conferencia de las Partes que examinara las siguientes recomendaciones:"
    ) == ""
    assert topical_lead_in(None) == ""
    assert compose_document("capacitar a la policía", "Respecto de la capacitación, los Estados partes deberían:") == (
        "Respecto de la capacitación, los Estados partes deberían: capacitar a la policía"
    )


def test_normalize_is_lowercase_and_folded() -> None:
    assert normalize("Á É Í Ó Ú Ü Ñ") == "a e i o u u ñ"


def test_vectorizer_and_analyzer_pickle(an: SpanishAnalyzer) -> None:
    vec = make_vectorizer(min_df=1, max_df=1.0)
    X = vec.fit_transform(["sociedad civil y víctimas", "víctimas"])
    assert X.shape == (2, 2)
    clone = pickle.loads(pickle.dumps(an))
    assert clone("extracción de órganos") == an("extracción de órganos")


def test_real_corpus_lead_ins_and_boilerplate(recs: pd.DataFrame) -> None:
    docs = compose_documents(recs)
    assert len(docs) == len(recs)
    by_id = dict(zip(recs["rec_id"], docs, strict=True))
    # the topic of a lettered item comes from its lead-in ...
    assert by_id["1.7.a"].startswith("Respecto de la prevención y sensibilización")
    # ... but a procedural lead-in is left out
    assert not by_id["7.1.a"].startswith("El Grupo de Trabajo")
    an = SpanishAnalyzer()
    vec = make_vectorizer(an)
    vec.fit(docs)
    vocab = set(vec.vocabulary_)
    for boiler in ("estad", "part", "deb", "deberi", "consider", "posibil", "trat", "protocol", "conform"):
        assert boiler not in vocab
    for term in ("sociedad_civil", "extraccion_de_organos", "justicia_penal", "no_sancionar_ni_enjuiciar"):
        assert term in vocab

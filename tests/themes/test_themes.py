"""Themes on the real corpus: discovery, codebook, diagnostics, outputs."""

from __future__ import annotations

import doctest

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone

import analysis.text.analyzer
import analysis.viz.themes
import analysis.themes.codebook
import analysis.themes.diagnostics
import analysis.themes.discovery
import analysis.themes.features
import analysis.themes.selection
import analysis.themes.tables
from analysis.text.analyzer import SPANISH_STOP_WORDS, SpanishAnalyzer, normalize
from analysis.themes import (
    UNASSIGNED,
    CodebookModel,
    ThemeModel,
    agreement,
    choose_n_themes,
    contingency,
    load_codebook,
    select_n_themes,
    theme_tables,
    write_theme_tables,
)

ORGAN_REMOVAL = ["4.1", "4.2", "4.3", "4.4", "4.5", "4.6", "4.7", "4.8", "4.45.k"]
# non-punishment of victims: 2009, 2010, 2013, 2017, 2018
NON_PUNISHMENT = ["1.11.b", "2.43", "2.44", "2.50.a", "5.35", "7.2.b", "8.1.c"]
BOILERPLATE_WORDS = {
    "estados", "partes", "deberian", "deberia", "considerar", "posibilidad", "trata",
    "protocolo", "convencion", "conformidad", "medidas", "adoptar", "velar", "procurar",
}  # fmt: skip
BOILERPLATE_PHRASES = {
    "estados partes", "trata de personas", "considerar la posibilidad", "de conformidad con",
    "protocolo contra la trata de personas", "legislacion interna",
}  # fmt: skip



@pytest.fixture(scope="module")
def diagnostics(recs: pd.DataFrame) -> pd.DataFrame:
    return select_n_themes(recs)


@pytest.fixture(scope="module")
def k(diagnostics: pd.DataFrame) -> int:
    return choose_n_themes(diagnostics)


@pytest.fixture(scope="module")
def discovery(recs: pd.DataFrame, k: int) -> ThemeModel:
    return ThemeModel(n_themes=k, random_state=0).fit(recs)


@pytest.fixture(scope="module")
def codebook(recs: pd.DataFrame) -> CodebookModel:
    return CodebookModel().fit(recs)


def _theme_of(model: ThemeModel | CodebookModel, ids: list[str]) -> pd.Series:
    return model.assignments_.set_index("rec_id").loc[ids, "theme"]


def _codebook_row(model: CodebookModel, rec_id: str) -> pd.Series:
    return model.assignments_.set_index("rec_id").loc[rec_id]


# --- model selection ---------------------------------------------------------------------


def test_diagnostics_cover_k_6_to_25(diagnostics: pd.DataFrame) -> None:
    assert diagnostics["k"].tolist() == list(range(6, 26))
    assert diagnostics["stability"].between(-1, 1).all()
    assert diagnostics["diversity"].between(0, 1).all()
    assert diagnostics["coherence"].between(-1, 1).all()


def test_chosen_k_is_stable(diagnostics: pd.DataFrame, k: int) -> None:
    assert 6 <= k <= 25
    row = diagnostics.set_index("k").loc[k]
    assert row["stability"] >= 0.8  # mean pairwise ARI over 10 seeds
    assert row["min_size"] >= 5


# --- discovery ----------------------------------------------------------------------------


def test_same_seed_same_themes(recs: pd.DataFrame, discovery: ThemeModel) -> None:
    again = ThemeModel(n_themes=discovery.n_themes, random_state=0).fit(recs)
    pd.testing.assert_frame_equal(again.themes_, discovery.themes_)
    pd.testing.assert_frame_equal(again.assignments_, discovery.assignments_)


def test_theme_table_shape(discovery: ThemeModel, k: int, recs: pd.DataFrame) -> None:
    t = discovery.themes_
    assert t["theme_id"].tolist() == [f"D{i:02d}" for i in range(1, k + 1)]
    assert t["size"].sum() == len(recs)
    assert t["size"].is_monotonic_decreasing
    assert t["theme"].is_unique
    assert all(len(r) == 3 for r in t["representative"])
    # representative recommendations belong to their theme
    a = discovery.assignments_.set_index("rec_id")
    for name, reps in zip(t["theme"], t["representative"], strict=True):
        assert (a.loc[reps, "theme"] == name).all()


def test_no_catch_all_theme(discovery: ThemeModel, codebook: CodebookModel) -> None:
    assert discovery.themes_["share"].max() < 0.2
    assert codebook.themes_["share"].max() < 0.2


def test_non_punishment_shares_a_theme(discovery: ThemeModel, codebook: CodebookModel) -> None:
    assert _theme_of(discovery, NON_PUNISHMENT).nunique() == 1
    # 2.50.a is a subject under "La Secretaría debería recopilar y difundir:": by
    # rule 2 of the coding manual it is data (datos), as the reference codes it
    themes = _theme_of(codebook, NON_PUNISHMENT)
    assert themes.drop("2.50.a").unique().tolist() == ["No sanción de las víctimas"]
    assert _codebook_row(codebook, "2.50.a")["theme_id"] == "datos"


def test_organ_removal_shares_a_theme(discovery: ThemeModel, codebook: CodebookModel) -> None:
    # 4.45.k names organ removal as a topic for future meetings: by rule 1 of the
    # coding manual it is the Working Group's process, organ removal secondary (as
    # the reference codes it)
    assert _theme_of(codebook, ORGAN_REMOVAL).drop("4.45.k").unique().tolist() == ["Formas y contextos específicos"]
    agenda = _codebook_row(codebook, "4.45.k")
    assert (agenda["theme_id"], agenda["secondary_theme_id"]) == ("proceso", "formas_contextos")
    # discovery finds an organ-removal theme of its own, named by the term
    themes = _theme_of(discovery, ORGAN_REMOVAL)
    assert themes.nunique() == 1
    assert "extracción de órganos" in themes.iloc[0]


def test_labels_have_no_stop_word_or_boilerplate(discovery: ThemeModel, codebook: CodebookModel) -> None:
    an = SpanishAnalyzer()
    for model in (discovery, codebook):
        for name, terms in zip(model.themes_["theme"], model.themes_["top_terms"], strict=True):
            for term in terms:
                assert not an.is_stop_or_boilerplate(term), (name, term)
                assert normalize(term) not in SPANISH_STOP_WORDS, (name, term)
                if " " in term:
                    assert normalize(term) not in BOILERPLATE_PHRASES, (name, term)
                else:
                    assert normalize(term) not in BOILERPLATE_WORDS, (name, term)
            if isinstance(model, ThemeModel):
                for part in name.split(" · "):
                    assert part in terms


def test_labels_have_no_formula_words(discovery: ThemeModel, codebook: CodebookModel) -> None:
    # formulae, not topics: "a los Estados que lo soliciten" / "que la
    # solicitaran", "en futuras reuniones", "la acción internacional"
    formula = {"solicit", "solicitud", "futur", "accion"}
    an = SpanishAnalyzer()
    assert {k for w in analysis.themes.features.LABEL_FORMULA_WORDS for k in an(w)} == formula
    for model in (discovery, codebook):
        for name, terms in zip(model.themes_["theme"], model.themes_["top_terms"], strict=True):
            for term in [*terms, *name.split(" · ")]:
                assert not set(an(term)) & formula, (name, term)
    # the formula words as printed never appear as a word of a discovery label
    words = {normalize(w) for name in discovery.themes_["theme"] for w in name.split()}
    assert not words & {"soliciten", "solicitaran", "solicitasen", "futuras", "futura", "accion"}


def test_secondary_theme_is_substantial(discovery: ThemeModel) -> None:
    a = discovery.assignments_
    has = a["secondary_theme"].notna()
    assert has.any()
    assert (a.loc[has, "secondary_weight"] >= discovery.secondary_threshold).all()
    assert (a.loc[has, "secondary_theme"] != a.loc[has, "theme"]).all()
    assert np.allclose(discovery.doc_theme_.sum(axis=1), 1)


def test_sklearn_api(recs: pd.DataFrame) -> None:
    model = ThemeModel(n_themes=8, random_state=1)
    assert model.get_params()["n_themes"] == 8
    W = clone(model).fit_transform(recs)
    assert W.shape == (len(recs), 8)
    new = model.fit(recs).transform(["indemnización y restitución a las víctimas por los daños sufridos"])
    assert new.shape == (1, 8) and np.isclose(new.sum(), 1)
    # the new text goes where the compensation recommendations of 2011 are
    compensation = model.assignments_.set_index("rec_id").loc["4.46.c", "theme"]
    assert model.themes_["theme"].iloc[int(np.argmax(new[0]))] == compensation


def test_kmeans_alternative(recs: pd.DataFrame) -> None:
    alt = ThemeModel(n_themes=12, method="kmeans").fit(recs)
    assert alt.themes_["size"].sum() == len(recs)
    with pytest.raises(ValueError):
        ThemeModel(method="lda").fit(recs)


# --- codebook ------------------------------------------------------------------------------


def test_codebook_file() -> None:
    cb = load_codebook()
    assert len(cb) >= 15
    assert cb.ids[0] == "legislacion"
    assert all(t.seeds and t.description and t.name for t in cb.themes)


def test_codebook_validation(tmp_path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "cb.toml"
    bad.write_text('[[theme]]\nid = "a"\nname = "A"\ndescription = "x"\nseeds = []\n', encoding="utf-8")
    with pytest.raises(ValueError, match="no seeds"):
        load_codebook(bad)
    bad.write_text('[[theme]]\nid = "a"\nname = "A"\n', encoding="utf-8")
    with pytest.raises(ValueError, match="lacks"):
        load_codebook(bad)


def test_codebook_assigns_or_flags(codebook: CodebookModel, recs: pd.DataFrame) -> None:
    a = codebook.assignments_
    assert len(a) == len(recs)
    flagged = a["flagged"]
    assert (a.loc[flagged, "theme"] == UNASSIGNED).all()
    assert (a.loc[~flagged, "theme"] != UNASSIGNED).all()
    assert flagged.mean() <= 0.1  # flagged, not many
    assert a["weight"].between(0, 1).all()
    assert (a.loc[flagged, "weight"] < codebook.min_confidence).all()
    assert codebook.themes_["size"].sum() == len(recs)
    # every codebook theme is used
    assert (codebook.themes_["size"] > 0).all()


def test_codebook_examples(codebook: CodebookModel) -> None:
    a = codebook.assignments_.set_index("rec_id")["theme"]
    assert a["6.2"] == "Explotación laboral y contratación"  # recruitment fees
    assert a["4.46.c"] == "Indemnización y acceso a la justicia"
    assert a["2.33"] == "Reducción de la demanda"
    assert a["7.2.n"] == "Formas y contextos específicos"  # terrorist groups
    assert a["1.17.c"] == "Datos, investigación y seguimiento"


def test_methods_compared(discovery: ThemeModel, codebook: CodebookModel, recs: pd.DataFrame) -> None:
    table = contingency(discovery, codebook)
    assert table.to_numpy().sum() == len(recs)
    scores = agreement(discovery, codebook)
    assert 0.2 < scores["ami"] < 1


# --- outputs -------------------------------------------------------------------------------


def test_output_tables(discovery: ThemeModel, codebook: CodebookModel, recs: pd.DataFrame, tmp_path) -> None:  # type: ignore[no-untyped-def]
    long, themes = theme_tables(discovery, codebook)
    assert long.columns.tolist() == ["rec_id", "method", "theme_id", "theme", "weight", "secondary_theme"]
    assert themes.columns.tolist() == ["method", "theme_id", "theme", "size", "top_terms", "representative"]
    assert len(long) == 2 * len(recs)
    assert set(long["method"]) == {"discovery", "codebook"}
    p1 = write_theme_tables(discovery, codebook, directory=tmp_path / "a")
    p2 = write_theme_tables(discovery, codebook, directory=tmp_path / "b")
    for a, b in zip(p1, p2, strict=True):
        assert a.read_bytes() == b.read_bytes()
    back = pd.read_csv(p1[0], dtype=str, keep_default_na=False)
    assert back["method"].is_monotonic_increasing
    assert back.loc[back["method"] == "codebook", "rec_id"].tolist() == recs["rec_id"].tolist()


def test_figures(discovery: ThemeModel, codebook: CodebookModel, recs: pd.DataFrame, diagnostics, k) -> None:  # type: ignore[no-untyped-def]
    from analysis.viz import themes as tp

    coords = np.zeros((len(recs), 2))
    fig = tp.plot_theme_map(discovery, recs, coords=coords)
    hover = " ".join(h for tr in fig.data for h in tr.hovertext)
    assert "4.46.i" in hover and "indemnización" in hover
    assert sum(len(tr.x) for tr in fig.data) == len(recs)
    for fig in (
        tp.plot_theme_sizes(discovery),
        tp.plot_top_terms(codebook),
        tp.plot_theme_similarity(discovery),
        tp.plot_k_selection(diagnostics, k),
        tp.plot_contingency(discovery, codebook),
    ):
        assert fig.layout.title.text


@pytest.mark.parametrize("module", [analysis.text.analyzer, analysis.themes.codebook, analysis.themes.diagnostics, analysis.themes.discovery, analysis.themes.features, analysis.themes.selection, analysis.themes.tables, analysis.viz.themes])
def test_docstring_examples(module) -> None:  # type: ignore[no-untyped-def]
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0


def test_theme_matches_reads_the_contingency_table(discovery: ThemeModel, codebook: CodebookModel) -> None:
    from analysis.themes import contingency, theme_matches

    counts = contingency(discovery, codebook)
    matches = theme_matches(counts).set_index("theme")
    assert matches["units"].sum() == len(discovery.assignments_)
    members = discovery.assignments_.merge(codebook.assignments_, on="rec_id", suffixes=("", "_codebook"))
    for theme, row in matches.iterrows():
        theirs = members.loc[members["theme"] == theme, "theme_codebook"].value_counts()
        assert row["units"] == theirs.sum()
        assert row["in_best_match"] == theirs.max()
        assert theirs[row["best_match"]] == theirs.max()
        assert row["columns_used"] == len(theirs)
        assert row["share"] == pytest.approx(theirs.max() / theirs.sum(), abs=1e-4)

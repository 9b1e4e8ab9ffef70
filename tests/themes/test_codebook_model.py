"""The codebook model against the human reference coding: lead-in roles, seeds in collocations, the hybrid
workflow, the learning curve, saving and loading."""

from __future__ import annotations

import dataclasses
import pickle
import warnings

import numpy as np
import pandas as pd
import pytest

from analysis.coding import CODING_DIR, read_coding, validation_summary
from analysis.themes import (CodebookError, CodebookModel, ModelFileError, TextFeatures, learning_curve,
                             load_codebook)
from analysis.themes.codebook_schema import CodebookTheme


@pytest.fixture(scope="module")
def reference() -> pd.DataFrame:
    return read_coding(CODING_DIR / "reference.csv")


@pytest.fixture(scope="module")
def ref_primary(reference: pd.DataFrame) -> pd.Series:
    return reference.set_index("rec_id")["primary"]


@pytest.fixture(scope="module")
def features(recs: pd.DataFrame) -> TextFeatures:
    return CodebookModel().featurize(recs)


@pytest.fixture(scope="module")
def model(features: TextFeatures) -> CodebookModel:
    return CodebookModel().fit(features)


def _themes(model: CodebookModel) -> pd.Series:
    return model.assignments_.set_index("rec_id")["theme_id"]


# --- agreement with the reference ----------------------------------------------------------


def test_agreement_with_the_reference_is_above_the_measured_floor(model: CodebookModel, ref_primary: pd.Series) -> None:
    scores = validation_summary(_themes(model), ref_primary)
    # Before lead-ins were read by role the model agreed with the reference on
    # 65.3% of the units (kappa 0.62, macro F1 0.67); it now agrees on 70.5%
    # (kappa 0.68, macro F1 0.73). The floors sit just under the measured values.
    assert scores["accuracy"] >= 0.70
    assert scores["kappa"] >= 0.67
    assert scores["macro_f1"] >= 0.72


def test_lead_ins_that_set_the_theme_follow_the_manual(model: CodebookModel, recs: pd.DataFrame, ref_primary: pd.Series) -> None:
    a = model.assignments_.set_index("rec_id")
    agenda = recs.loc[recs["lead_in"].fillna("").str.contains("futuros períodos de sesiones"), "rec_id"]
    compile_ = recs.loc[recs["lead_in"].fillna("").str.startswith("La Secretaría debería recopilar"), "rec_id"]
    assert len(agenda) >= 10 and len(compile_) >= 2
    assert (a.loc[agenda, "lead_in_role"] == "agenda").all()
    assert (a.loc[agenda, "theme_id"] == "proceso").all()
    assert (a.loc[compile_, "theme_id"] == "datos").all()
    # the item's own subject is the secondary theme: organ removal as an agenda topic
    assert a.loc["4.45.k", "secondary_theme_id"] == "formas_contextos"
    # and the reference agrees with every one of them
    assert (ref_primary.loc[agenda] == "proceso").all() and (ref_primary.loc[compile_] == "datos").all()
    # a generic lead-in has no role
    generic = recs.loc[recs["lead_in"] == "Los Estados partes deberían:", "rec_id"]
    assert a.loc[generic, "lead_in_role"].isna().all()


def test_topical_lead_in_seeds_count_for_their_items(features: TextFeatures) -> None:
    cb = load_codebook()
    without = dataclasses.replace(cb, lead_ins=tuple(r for r in cb.lead_ins if r.effect != "weighs"))
    with_roles, no_topical = CodebookModel(cb).fit(features), CodebookModel(without).fit(features)
    i = features.ids.index(next(r for r, li in zip(features.ids, features.lead_ins, strict=True)
                                if li.startswith("Respecto de la protección y asistencia a las víctimas")))
    j = cb.ids.index("proteccion")
    assert with_roles.seed_scores_[i, j] > no_topical.seed_scores_[i, j]


def test_a_multi_word_seed_counts_where_the_text_joins_it_into_a_longer_collocation(features: TextFeatures) -> None:
    # the analyzer joins "fondo fiduciario de contribuciones voluntarias" into one
    # token in context, while the seed "fondo fiduciario" alone is two words
    an = features.analyzer
    assert an("fondo fiduciario") == ["fond", "fiduciari"]
    assert "fondo_fiduciario" in an("el Fondo Fiduciario de Contribuciones Voluntarias")
    cb = load_codebook()
    themes = list(cb.themes)
    j = cb.ids.index("proteccion")
    themes[j] = dataclasses.replace(themes[j], seeds=(*themes[j].seeds, "fondo fiduciario"))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a seed that matched nothing would warn
        m = CodebookModel(dataclasses.replace(cb, themes=tuple(themes))).fit(features)
    assert "fondo fiduciario" not in set(m.dead_seeds_["seed"])
    joined = [i for i, d in enumerate(features.docs) if "fondo_fiduciario" in an(d)]
    assert joined
    base = CodebookModel(cb).fit(features)
    assert (m.seed_scores_[joined, j] > base.seed_scores_[joined, j]).all()


def test_a_one_word_seed_counts_inside_a_collocation(features: TextFeatures) -> None:
    # "datos" is a seed of datos; "base de datos" is joined into base_de_datos
    m = CodebookModel().fit(features)
    j = m.codebook_.ids.index("datos")
    an = features.analyzer
    rows = [i for i, t in enumerate(features.texts) if "base_de_datos" in an(t)]
    assert rows and (m.seed_scores_[rows, j] > 0).all()


# --- hybrid workflow ----------------------------------------------------------------------


def test_coded_units_keep_their_theme(features: TextFeatures, reference: pd.DataFrame) -> None:
    sample = reference.sample(60, random_state=1)
    m = CodebookModel().fit(features, y=sample)
    a = m.assignments_.set_index("rec_id")
    coded = sample.set_index("rec_id")["primary"]
    assert (a.loc[coded.index, "theme_id"] == coded).all()
    assert a.loc[coded.index, "coded"].all() and not a["coded"].drop(coded.index).any()
    assert not a.loc[coded.index, "flagged"].any()


def test_a_series_works_as_a_partial_coding(features: TextFeatures) -> None:
    m = CodebookModel().fit(features, y=pd.Series({"1.2": "datos", "1.3": "proteccion"}))
    assert _themes(m).loc[["1.2", "1.3"]].tolist() == ["datos", "proteccion"]


def test_coding_a_sample_improves_agreement_on_the_other_units(features: TextFeatures, ref_primary: pd.Series) -> None:
    gains = []
    for seed in range(4):
        coded = ref_primary.sample(100, random_state=seed)
        held = ref_primary.drop(coded.index)
        alone = validation_summary(_themes(CodebookModel().fit(features)), held)["accuracy"]
        hybrid = validation_summary(_themes(CodebookModel().fit(features, y=coded)), held)["accuracy"]
        gains.append(hybrid - alone)
    assert np.mean(gains) > 0


@pytest.mark.parametrize(
    ("y", "message"),
    [
        (pd.Series({"1.2": "datos", "99.1": "datos"}), "not among the recommendations fitted: 99.1"),
        (pd.Series({"1.2": "datoz"}), "theme id(s) not in data/codebook.toml: 'datoz'"),
        (pd.DataFrame({"rec_id": ["1.2"], "theme": ["datos"]}), "needs the columns 'rec_id' and 'primary'"),
        (pd.DataFrame({"rec_id": ["1.2", "1.2"], "primary": ["datos", "datos"]}), "units coded more than once: 1.2"),
        (pd.Series({"1.2": None}), "without a theme: 1.2"),
    ],
)
def test_a_bad_partial_coding_is_refused_naming_the_problem(features: TextFeatures, y: object, message: str) -> None:
    with pytest.raises(ValueError) as err:
        CodebookModel().fit(features, y=y)
    assert message in str(err.value)


# --- learning curve -----------------------------------------------------------------------


def test_learning_curve_shape_and_improvement(features: TextFeatures, reference: pd.DataFrame) -> None:
    sizes = (0, 30, 100, 150)
    lc = learning_curve(features, reference, sizes=sizes, n_repeats=3)
    assert lc.curve.columns.tolist() == ["n_coded", "repeat", "n_scored", "accuracy", "kappa", "macro_f1"]
    assert len(lc.curve) == len(sizes) * 3
    assert (lc.curve["n_scored"] == len(reference) - lc.curve["n_coded"]).all()
    assert lc.summary["n_coded"].tolist() == list(sizes)
    assert {"accuracy_mean", "accuracy_sd", "accuracy_min", "accuracy_max", "kappa_mean", "macro_f1_mean"} <= set(lc.summary)
    zero = lc.curve.loc[lc.curve["n_coded"] == 0, "accuracy"]
    assert zero.nunique() == 1  # no coded unit: the same fit every repeat
    mean = lc.summary.set_index("n_coded")["accuracy_mean"]
    # monotone-ish: coding units never makes the model clearly worse, and 100 coded beat none
    assert mean.loc[100] > mean.loc[0]
    assert (mean >= mean.loc[0] - 0.01).all()


def test_learning_curve_refuses_sizes_that_leave_nothing_to_score(features: TextFeatures, reference: pd.DataFrame) -> None:
    with pytest.raises(ValueError, match="sizes \\[288\\]"):
        learning_curve(features, reference, sizes=(0, 288))


# --- saving and loading -------------------------------------------------------------------


def test_save_and_load_round_trip(model: CodebookModel, recs: pd.DataFrame, tmp_path) -> None:
    path = model.save(tmp_path / "model.joblib")
    loaded = CodebookModel.load(path)
    new = recs.sample(20, random_state=0)
    np.testing.assert_array_equal(loaded.transform(new), model.transform(new))
    texts = ["Los Estados deberían indemnizar a las víctimas de la trata.", "Capacitar a los jueces y fiscales."]
    np.testing.assert_array_equal(loaded.transform(texts), model.transform(texts))
    assert model.predict(texts).tolist() == ["indemnizacion", "capacitacion"]
    pd.testing.assert_frame_equal(loaded.assignments_, model.assignments_)


def test_transform_of_the_fitted_units_gives_the_fitted_decision(model: CodebookModel, recs: pd.DataFrame) -> None:
    # lead-ins are read by role in transform too: agenda items are proceso
    np.testing.assert_allclose(model.transform(recs), model.proba_, atol=1e-9)


def test_loading_a_model_of_another_codebook_is_refused(model: CodebookModel, tmp_path) -> None:
    path = model.save(tmp_path / "model.joblib")
    cb = load_codebook()
    themes = list(cb.themes)
    themes[0] = dataclasses.replace(themes[0], seeds=(*themes[0].seeds, "tipificar"))
    with pytest.raises(ModelFileError, match="model.joblib: the model was fitted with a different codebook"):
        CodebookModel.load(path, codebook=dataclasses.replace(cb, themes=tuple(themes)))


@pytest.mark.parametrize(("content", "message"), [
    (b"not a pickle at all", "not a saved codebook model \\(cannot be read"),
    (pickle.dumps({"something": "else"}), "not a saved codebook model \\(written by CodebookModel.save\\)"),
])
def test_loading_a_corrupt_or_foreign_file_is_refused(tmp_path, content: bytes, message: str) -> None:
    path = tmp_path / "other.joblib"
    path.write_bytes(content)
    with pytest.raises(ModelFileError, match="other.joblib: " + message):
        CodebookModel.load(path)


def test_loading_a_missing_file_names_it(tmp_path) -> None:
    with pytest.raises(ModelFileError, match="nothing.joblib: file not found"):
        CodebookModel.load(tmp_path / "nothing.joblib")


def test_an_unfitted_model_cannot_be_saved(tmp_path) -> None:
    with pytest.raises(ValueError, match="not fitted"):
        CodebookModel().save(tmp_path / "m.joblib")


def test_training_labels_of_one_theme_are_refused(features: TextFeatures) -> None:
    cb = load_codebook()
    one = CodebookTheme(id="solo", name="Solo", name_en="Solo", description="x", seeds=("víctimas",))
    other = CodebookTheme(id="nada", name="Nada", name_en="Nada", description="x", seeds=("xilófono",))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(CodebookError, match="at least two themes"):
            CodebookModel(dataclasses.replace(cb, themes=(one, other), lead_ins=())).fit(features)

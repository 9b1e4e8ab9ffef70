"""Coding sessions, the coding widget, agreement of partial files and the validation tables, on the real corpus."""

from __future__ import annotations

import html
from pathlib import Path

import pandas as pd
import pytest

from analysis.coding import (
    CODING_DIR, CodingError, CodingSession, coder_agreement, model_suggestions, read_coding, reliability,
    validation_tables, write_coding, write_validation_tables,
)  # fmt: skip
from analysis.coding.session import parse_entry
from analysis.coding.widget import CodingWidget
from analysis.data import read_table
from analysis.data.corpus import load_recommendations
from analysis.themes import CodebookModel, load_codebook, theme_tables
from analysis.viz.labels import theme_label


@pytest.fixture(scope="module")
def recs() -> pd.DataFrame:
    return load_recommendations()


@pytest.fixture(scope="module")
def model(recs) -> CodebookModel:
    return CodebookModel().fit(recs)


@pytest.fixture(scope="module")
def reference() -> pd.DataFrame:
    return read_coding(CODING_DIR / "reference.csv")


IDS = tuple(load_codebook().ids)


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


# --------------------------------------------------------------------------- order


def test_without_suggestions_units_come_in_document_order(tmp_path, recs):
    session = CodingSession(tmp_path / "a.csv", "a", recs)
    assert session.order == recs["rec_id"].tolist()
    assert (session.current, session.progress) == ("1.1", (0, 288))
    assert not (tmp_path / "a.csv").exists()  # nothing is written before the first decision


def test_with_suggestions_the_least_certain_unit_comes_first_ties_in_document_order(tmp_path, recs, model):
    suggestions = model_suggestions(model)
    session = CodingSession(tmp_path / "a.csv", "a", recs, suggestions)
    confidence = suggestions.set_index("rec_id")["confidence"]
    document = {r: i for i, r in enumerate(recs["rec_id"])}
    keys = [(confidence[r], document[r]) for r in session.order]
    assert keys == sorted(keys) and len(set(session.order)) == 288
    assert confidence.duplicated().any()  # real ties exist, and the order above breaks them by position
    first = session.unit()
    assert first["confidence"] == confidence.min()
    name = {t.id: t.name for t in model.codebook_.themes}[first["suggestion"]]
    assert name == model.assignments_.set_index("rec_id").loc[first["rec_id"], "best_theme"]


def test_suggestions_must_cover_every_unit_once(tmp_path, recs, model):
    suggestions = model_suggestions(model)
    with pytest.raises(CodingError, match=r"missing \['1.1'\]"):
        CodingSession(tmp_path / "a.csv", "a", recs, suggestions.iloc[1:])
    with pytest.raises(CodingError, match=r"missing column\(s\) \['confidence'\]"):
        CodingSession(tmp_path / "a.csv", "a", recs, suggestions.drop(columns="confidence"))


# --------------------------------------------------------------------------- saving and resuming


def test_every_decision_is_saved_as_a_whole_file_and_a_new_session_resumes_after_the_last(tmp_path, recs):
    path = tmp_path / "reader_3.csv"
    session = CodingSession(path, "reader_3", recs)
    session.record("1.1", "proceso", ["cooperacion_internacional"], note="rule 15, with a comma")
    assert _lines(path) == ["rec_id,coder,primary,secondary,note",
                            '1.1,reader_3,proceso,cooperacion_internacional,"rule 15, with a comma"']  # fmt: skip
    session.record("1.2", "legislacion")
    session.skip()  # 1.3 left for later
    session.record("1.4", "datos", ["prevencion", "legislacion"])
    saved = read_coding(path, complete=False, coder="reader_3")
    assert saved["rec_id"].tolist() == ["1.1", "1.2", "1.4"]
    assert saved.loc[2, "secondary"] == ["prevencion", "legislacion"]

    again = CodingSession(path, "reader_3", recs)
    assert again.progress == (3, 288)
    assert again.current == session.order[4]  # where the coder stopped (after 1.4), not the skipped 1.3
    assert again.decisions == session.decisions


def test_skipped_units_come_back_once_the_others_are_coded(tmp_path, recs):
    units = recs.head(3)
    session = CodingSession(tmp_path / "a.csv", "a", units)
    session.skip()
    session.record("1.2", "legislacion")
    session.record("1.3", "legislacion")
    assert session.current == "1.1"
    session.record("1.1", "proceso")
    assert (session.current, session.done, session.progress) == (None, True, (3, 3))
    assert read_coding(tmp_path / "a.csv", rec_ids=units["rec_id"].tolist())["primary"].tolist() == [
        "proceso", "legislacion", "legislacion"]  # a finished file is a complete coder's file


def test_going_back_shows_the_decision_and_a_change_replaces_it(tmp_path, recs):
    path = tmp_path / "a.csv"
    session = CodingSession(path, "a", recs)
    session.record("1.1", "proceso")
    session.record("1.2", "legislacion")
    session.back()
    assert session.current == "1.2" and session.unit()["decision"].primary == "legislacion"
    session.back()
    session.back()  # no unit before the first
    assert session.current == "1.1"
    session.record("1.1", "cooperacion_internacional", ["proceso"])
    assert session.current == "1.3"
    saved = read_coding(path, complete=False, coder="a")
    assert saved[["rec_id", "primary"]].values.tolist() == [["1.2", "legislacion"], ["1.1", "cooperacion_internacional"]]
    assert CodingSession(path, "a", recs).current == "1.3"


def test_a_note_is_kept_until_the_unit_is_coded_or_added_to_its_decision(tmp_path, recs):
    session = CodingSession(tmp_path / "a.csv", "a", recs)
    session.annotate("lead-in decides (rule 4)")
    session.record("1.1", "proceso")
    assert session.decisions["1.1"].note == "lead-in decides (rule 4)"
    session.back()
    session.annotate("second look")
    assert session.current == "1.1"
    assert read_coding(tmp_path / "a.csv", complete=False)["note"].tolist() == ["second look"]


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("primary", "secondary", "message"),
    [
        ("trata", (), r"unit 1.1: primary theme 'trata' is not in the codebook"),
        ("proceso", ("datos", "sin_tema"), r"unit 1.1: secondary theme 'sin_tema' is not in the codebook"),
        ("proceso", ("proceso",), r"unit 1.1: at most 2 distinct secondary themes"),
        ("proceso", ("datos", "legislacion", "prevencion"), r"at most 2 distinct secondary themes"),
    ],
)
def test_a_bad_theme_is_named_and_nothing_is_saved(tmp_path, recs, primary, secondary, message):
    session = CodingSession(tmp_path / "a.csv", "a", recs)
    with pytest.raises(CodingError, match=message):
        session.record("1.1", primary, secondary)
    assert not (tmp_path / "a.csv").exists() and session.progress == (0, 288) and session.current == "1.1"


def test_a_file_of_another_coder_is_named_with_its_line(tmp_path, recs):
    path = tmp_path / "a.csv"
    CodingSession(path, "reader_3", recs).record("1.1", "proceso")
    with pytest.raises(CodingError, match=r"a.csv, line 2, field 'coder': the file is coded by 'reader_3', not 'reader_4'"):
        CodingSession(path, "reader_4", recs)


def test_a_file_with_a_unit_outside_the_corpus_is_named_with_its_line(tmp_path, recs):
    path = tmp_path / "a.csv"
    path.write_text("rec_id,coder,primary,secondary,note\n1.1,a,proceso,,\n9.1,a,datos,,\n", encoding="utf-8")
    with pytest.raises(CodingError, match=r"a.csv, line 3, field 'rec_id': no such unit '9.1'"):
        CodingSession(path, "a", recs)


def test_typed_lines_are_read_by_number_or_id_and_bad_ones_named():
    assert parse_entry("3 7 12", IDS).themes == (IDS[2], IDS[6], IDS[11])
    assert parse_entry("proceso, 1", IDS).themes == ("proceso", IDS[0])
    assert parse_entry("s", IDS).action == "skip" and parse_entry("n s", IDS) == parse_entry("n  s ", IDS)
    with pytest.raises(CodingError, match=r"'16' is not a theme: type a number from 1 to 15"):
        parse_entry("3 16", IDS)
    with pytest.raises(CodingError, match=r"'0' is not a theme"):
        parse_entry("0", IDS)


# --------------------------------------------------------------------------- the widget


def test_the_widget_forwards_each_typed_line_to_the_session(tmp_path, recs, model):
    suggestions = model_suggestions(model)
    session = CodingSession(tmp_path / "a.csv", "a", recs, suggestions)
    coder = CodingWidget(session, lang="es")
    box = coder.widget  # built without a browser
    first, second = session.order[:2]
    suggested = session.unit()["suggestion"]
    assert first in coder._unit.value and theme_label(suggested, "es") in coder._unit.value

    assert coder.submit("") == f"{first} codificada: {theme_label(suggested, 'es')} (principal)."
    assert session.decisions[first].primary == suggested and session.current == second
    coder.submit("n dudosa")
    coder.submit("3 7 12")
    assert session.decisions[second] == type(session.decisions[first])(second, IDS[2], (IDS[6], IDS[11]), "dudosa")
    assert coder._progress.value == 2 and coder._progress_label.value == "2 de 288 unidades codificadas"
    assert coder.submit("b") == f"De vuelta a {second}."
    assert "Codificada como" in coder._unit.value
    third = session.order[2]
    coder.submit("s")  # from a coded unit, on to the next unit not yet coded
    assert session.current == third
    coder.submit("s")
    assert session.current == session.order[3] and third not in session.decisions
    message = coder.submit("99")
    assert message.startswith("'99' is not a theme") and html.escape(message) in coder._message.value
    assert session.progress == (2, 288)
    assert read_coding(tmp_path / "a.csv", complete=False)["rec_id"].tolist() == [first, second]
    assert box is coder.widget


def test_the_widget_lists_the_themes_numbered_in_its_language(tmp_path, recs):
    coder = CodingWidget(CodingSession(tmp_path / "a.csv", "a", recs), lang="en")
    listed = coder.themes_html()
    assert listed.count("<li>") == len(IDS) and theme_label(IDS[0], "en") in listed
    assert "no suggestion" in coder.unit_html()
    assert coder.submit("") == "unit 1.1: there is no suggestion to accept"
    with pytest.raises(ValueError, match="lang"):
        CodingWidget(coder.session, lang="fr")


# --------------------------------------------------------------------------- agreement of partial files


def test_agreement_of_partial_files_uses_the_units_both_coded(tmp_path):
    one, two = (read_coding(CODING_DIR / f"reading_{i}.csv") for i in (1, 2))
    write_coding(one.iloc[:200], tmp_path / "one.csv")
    write_coding(two.iloc[150:], tmp_path / "two.csv")
    table = coder_agreement(tmp_path / "one.csv", tmp_path / "two.csv", n_boot=200)
    assert int(table.loc[0, "n_units"]) == 50
    expected = reliability(one.iloc[150:200], two.iloc[150:200], n_boot=200)
    pd.testing.assert_frame_equal(table, expected)


def test_agreement_of_files_with_no_unit_in_common_is_an_error(tmp_path):
    one = read_coding(CODING_DIR / "reading_1.csv")
    write_coding(one.iloc[:100], tmp_path / "one.csv")
    write_coding(one.iloc[100:], tmp_path / "two.csv")
    with pytest.raises(CodingError, match=r"one.csv \(100 units\) and .*two.csv \(188 units\) have no coded unit in common"):
        coder_agreement(tmp_path / "one.csv", tmp_path / "two.csv")


# --------------------------------------------------------------------------- validation tables


def test_the_validation_tables_are_written_and_read_back(tmp_path, recs, model, reference):
    from analysis.themes import ThemeModel

    discovery = ThemeModel(n_themes=15, random_state=0).fit(recs)
    themes, _ = theme_tables(discovery, model)
    readings = [read_coding(CODING_DIR / f"reading_{i}.csv") for i in (1, 2)]
    written = write_validation_tables(themes, reference, *readings, directory=tmp_path, n_boot=300)
    assert sorted(p.name for p in written) == sorted(
        f"{n}.{e}" for n in ("coding_reliability", "theme_validation", "theme_validation_by_theme") for e in ("csv", "parquet"))

    reliability_table = read_table("coding_reliability", tmp_path)
    assert reliability_table["scope"].tolist() == ["overall", *["theme"] * len(IDS)]
    assert reliability_table["theme_id"].tolist()[1:] == list(IDS)
    overall = reliability_table.iloc[0]
    assert overall["n_units"] == 288 and overall["kappa_low"] <= overall["kappa"] <= overall["kappa_high"]

    validation = read_table("theme_validation", tmp_path).set_index("method")
    codebook = model.assignments_.set_index("rec_id")["theme_id"]
    truth = reference.set_index("rec_id")["primary"]
    assert validation.loc["codebook", "accuracy"] == round(float((codebook.loc[truth.index] == truth).mean()), 4)
    assert pd.isna(validation.loc["discovery", "accuracy"]) and 0 < validation.loc["discovery", "ami"] < 1

    by_theme = read_table("theme_validation_by_theme", tmp_path)
    assert set(by_theme["method"]) == {"codebook"} and by_theme["theme_id"].tolist() == list(IDS)
    assert by_theme["support"].sum() == int(truth.isin(IDS).sum())
    for name in ("coding_reliability", "theme_validation", "theme_validation_by_theme"):
        text = (tmp_path / f"{name}.csv").read_text(encoding="utf-8")
        assert all(len(cell.split(".")[1]) <= 4 for cell in text.replace("\n", ",").split(",")
                   if cell.replace(".", "").isdigit() and "." in cell), name  # rounded: the same on any BLAS


def test_a_method_called_reference_is_not_measured_against_itself(reference):
    rows = pd.concat([
        pd.DataFrame({"rec_id": reference["rec_id"], "method": m, "theme_id": reference["primary"]})
        for m in ("reference", "copy")
    ])  # fmt: skip
    tables = validation_tables(rows, reference, reference, reference, n_boot=50)
    assert tables["theme_validation"]["method"].tolist() == ["copy"]
    assert tables["theme_validation_by_theme"]["f1"].eq(1.0).all()


def test_the_buttons_do_what_the_keyboard_does(tmp_path, recs, model):
    import ipywidgets as w

    session = CodingSession(tmp_path / "a.csv", "a", recs, model_suggestions(model))
    coder = CodingWidget(session, lang="en")
    buttons = {b.description: b for b in _walk(coder.widget) if isinstance(b, w.Button)}
    first, second = session.order[:2]
    buttons["Accept suggestion"].click()
    assert session.decisions[first].primary == session.unit(first)["suggestion"]
    coder._entry.value = "a second look"
    buttons["Add note"].click()
    assert coder._entry.value == "" and session.unit(second)["note"] == "a second look"
    buttons[f"6 · {theme_label(IDS[5], 'en')}"].click()
    assert session.decisions[second] == type(session.decisions[second])(second, IDS[5], (), "a second look")
    buttons["Back"].click()
    assert session.current == second
    buttons["Skip"].click()
    assert session.current == session.order[2] and coder._progress.value == 2


def _walk(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _walk(child)

"""Addressee and modality extractors, on real sentences of the corpus."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from analysis.language.modality import (
    ADDRESSEES,
    LEAD_IN_RULES,
    MODALITY_LEVELS,
    MODALITY_RULES,
    classify_unit,
    classify_units,
    find_modality,
    governing_text,
    rule_counts,
    shares_by,
)



@pytest.fixture(scope="module")
def lang(recs: pd.DataFrame) -> pd.DataFrame:
    return classify_units(recs).set_index("rec_id")


def unit(recs: pd.DataFrame, rec_id: str) -> tuple[str, str | None]:
    row = recs.loc[recs["rec_id"] == rec_id].iloc[0]
    return str(row["text"]), None if pd.isna(row["lead_in"]) else str(row["lead_in"])


# --------------------------------------------------------------------------- hard cases of the issue


def test_lettered_item_inherits_subject_and_modal_of_lead_in(recs: pd.DataFrame) -> None:
    # 1.7.a: "Respecto de la prevención y sensibilización, los Estados partes deberían:" + "estudiar la posibilidad de ..."
    u = classify_unit(*unit(recs, "1.7.a"))
    assert (u.addressee, u.modality) == ("States parties", "consider")
    assert u.modality_phrase == "deberían: estudiar la posibilidad"
    # 1.7.b, same lead-in, "iniciar campañas ...": firm, although a later sentence says "deberían estudiar la posibilidad"
    u = classify_unit(*unit(recs, "1.7.b"))
    assert (u.addressee, u.modality, u.modality_phrase) == ("States parties", "firm", "deberían")


#: (rec_id, addressee, modality, what the text says)
CASES = [
    ("1.19.a", "Conference", "consider", "lead-in '... la Conferencia debería estudiar la posibilidad de:'"),
    ("1.17.c", "Conference", "firm", "lead-in 'la Conferencia debería:' + 'pedir a los Estados partes que ...'"),
    ("5.24", "States parties", "encourage", "'Se alienta a los Estados partes a que consideren la posibilidad'"),
    ("2.4", "States parties", "encourage", "'Se alentó a los Estados partes a que tuvieran presente ...'"),
    ("6.19", "States", "encourage", "'Se alienta a los Estados a definir claramente ...'"),
    ("5.42", "States parties", "encourage", "'El Grupo de Trabajo ... propuso que los Estados partes siguieran ...'"),
    ("4.41", "Working Group", "firm", "'El Grupo de Trabajo sobre la Trata de Personas debería proseguir ...'"),
    ("4.45.k", "Conference", "firm", "lead-in 'El Grupo de Trabajo recomienda a la Conferencia que se examinen'"),
    ("5.2", "UNODC", "firm", "'La Oficina de las Naciones Unidas contra la Droga y el Delito (UNODC) debería'"),
    ("2.57", "Secretariat", "consider", "'La Secretaría debería considerar la posibilidad de recopilar ...'"),
    ("8.1.c", "States parties", "consider", "lead-in 'deberían:' + 'considerar la posibilidad, de conformidad ...'"),
    ("8.2.c", "States parties", "firm", "lead-in 'deberían:' + 'esforzarse por ofrecer ...'"),
]


@pytest.mark.parametrize(("rec_id", "addressee", "modality", "says"), CASES, ids=[c[0] for c in CASES])
def test_unit_reading(recs: pd.DataFrame, rec_id: str, addressee: str, modality: str, says: str) -> None:
    u = classify_unit(*unit(recs, rec_id))
    assert (u.addressee, u.modality) == (addressee, modality), says


def test_encouraged_past_tense(recs: pd.DataFrame) -> None:
    text, lead_in = unit(recs, "2.12")
    assert text.startswith("Se alentó a los Estados partes a que establecieran alianzas")
    u = classify_unit(text, lead_in)
    assert (u.addressee, u.modality, u.modality_rank) == ("States parties", "encourage", 2)
    assert u.addressee_phrase == "Se alentó a los Estados partes"


def test_passive_should_encourage_is_impersonal(recs: pd.DataFrame) -> None:
    text, lead_in = unit(recs, "4.1")
    assert text.startswith("Debería alentarse la coordinación")
    u = classify_unit(text, lead_in)
    assert (u.addressee, u.addressee_rule) == ("other", "impersonal")
    assert (u.modality, u.modality_phrase) == ("firm", "Debería alentarse")


def test_passive_with_named_agent(recs: pd.DataFrame) -> None:
    # 4.10 "Debería solicitarse a la UNODC que realizara una evaluación ..."
    assert classify_unit(*unit(recs, "4.10"))[:1] == ("UNODC",)
    # 6.14 "La cuestión ... debería examinarse en futuras reuniones del Grupo de Trabajo."
    u = classify_unit(*unit(recs, "6.14"))
    assert (u.addressee, u.addressee_rule, u.modality) == ("Working Group", "agent", "firm")


def test_reflexive_verb_is_not_impersonal(recs: pd.DataFrame) -> None:
    # 4.46.g "Los Estados partes deberían asegurarse de que ..."
    u = classify_unit(*unit(recs, "4.46.g"))
    assert (u.addressee, u.addressee_rule, u.modality_rule) == ("States parties", "subject", "should")


def test_meeting_vii_items_are_addressed_to_states_parties(recs: pd.DataFrame) -> None:
    text, lead_in = unit(recs, "7.1.c")
    assert lead_in is not None and "recomendó a la Conferencia de las Partes" in lead_in
    u = classify_unit(text, lead_in)
    assert (u.addressee, u.modality, u.modality_phrase) == ("States parties", "firm", "alojar")
    assert u.addressee_rule == "lead-in:for_conference_approval"
    # 7.2.b "considerar, de conformidad con su legislación nacional ..., la posibilidad de no sancionar ..."
    u = classify_unit(*unit(recs, "7.2.b"))
    assert (u.addressee, u.modality) == ("States parties", "consider")
    assert u.modality_phrase.startswith("considerar, de conformidad") and u.modality_phrase.endswith("la posibilidad")


def test_reiteration_of_earlier_recommendation_keeps_its_hedge(recs: pd.DataFrame) -> None:
    # 7.1.f "reiterar su recomendación anterior de que los Estados partes estudien la posibilidad de ..."
    u = classify_unit(*unit(recs, "7.1.f"))
    assert (u.addressee, u.modality, u.modality_phrase) == ("States parties", "consider", "estudien la posibilidad")


def test_endorsed_list_is_read_item_by_item(recs: pd.DataFrame) -> None:
    # 4.46 lead-in: "El Grupo de Trabajo hizo suyas ... las siguientes recomendaciones ..."
    assert classify_unit(*unit(recs, "4.46.b"))[:1] == ("States parties",)
    assert classify_unit(*unit(recs, "4.46.j"))[:1] == ("States",)  # "Los Estados deberían tener en cuenta"
    u = classify_unit(*unit(recs, "4.46.a"))  # "Se debería reconocer que ..."
    assert (u.addressee, u.modality_phrase) == ("other", "Se debería")
    # 2.24 lead-in "... cabe señalar lo siguiente:" mentions States parties, but a) is for the Conference
    assert classify_unit(*unit(recs, "2.24.a"))[:1] == ("Conference",)


def test_parenthetical_between_subject_and_verb(recs: pd.DataFrame) -> None:
    # 1.6 "la Secretaría, en consulta con los Estados partes, debería publicar ..."
    assert classify_unit(*unit(recs, "1.6"))[:2] == (
        "Secretariat", "la Secretaría, en consulta con los Estados partes, debería")
    # 6.1 "Los Estados, sean países de origen o de destino de los trabajadores migrantes, deberían ..."
    assert classify_unit(*unit(recs, "6.1"))[:1] == ("States",)


def test_coordinated_subject_takes_the_first(recs: pd.DataFrame) -> None:
    # 5.33 "... los Estados partes y la UNODC deberían seguir promoviendo ..."
    assert classify_unit(*unit(recs, "5.33"))[:2] == ("States parties", "los Estados partes y la UNODC deberían")


def test_states_are_not_states_parties(recs: pd.DataFrame) -> None:
    # 1.2 "los Estados que no lo hayan hecho aún deberían pasar a ser partes"
    assert classify_unit(*unit(recs, "1.2"))[:1] == ("States",)
    # 6.13 "Las partes deberían considerar la posibilidad ..."
    assert classify_unit(*unit(recs, "6.13"))[:1] == ("States parties",)


def test_subordinate_could_does_not_govern(recs: pd.DataFrame) -> None:
    # 1.6 opens "Respecto de la definición de los conceptos que podrían requerir ...": the main verb is "debería"
    u = classify_unit(*unit(recs, "1.6"))
    assert (u.modality, u.modality_phrase) == ("firm", "debería")
    # 2.30 "Los Estados partes podrían aplicar ...": a main-clause "podrían" is a hedge
    assert classify_unit(*unit(recs, "2.30")).modality == "consider"


def test_may_wish_is_optional(recs: pd.DataFrame) -> None:
    # 5.4 "Los Estados partes tal vez deseen considerar la posibilidad de ..."
    u = classify_unit(*unit(recs, "5.4"))
    assert (u.modality, u.modality_rank, u.modality_phrase) == ("optional", 1, "tal vez deseen")


def test_working_group_recommends_to_the_conference(recs: pd.DataFrame) -> None:
    # 1.1 "... el Grupo de Trabajo recomendó que los Estados adoptaran ..."
    assert classify_unit(*unit(recs, "1.1"))[:1] == ("States",)
    # 5.43 "... recomendó a la Conferencia que se considerara la posibilidad de examinar ..."
    u = classify_unit(*unit(recs, "5.43"))
    assert (u.addressee, u.modality) == ("Conference", "consider")
    # 5.41 "... solicitó a la Secretaría que preparara ..."
    assert classify_unit(*unit(recs, "5.41"))[:1] == ("Secretariat",)


def test_future_tense_is_firm(recs: pd.DataFrame) -> None:
    u = classify_unit(*unit(recs, "5.1"))  # "Los Estados partes reconocerán el papel de la sociedad civil ..."
    assert (u.addressee, u.modality, u.modality_rule) == ("States parties", "firm", "shall")


def test_subjunctive_is_not_future() -> None:
    # "procuraran" (subjunctive, 2.4) must not fire the "shall" rule, "procurarán" (future, 6.21) must
    assert find_modality("y procuraran integrarla efectivamente").rule is None
    assert find_modality("Los Estados partes procurarán aplicar plenamente").rule == "shall"


# --------------------------------------------------------------------------- the whole corpus


def test_every_unit_is_classified(lang: pd.DataFrame) -> None:
    assert len(lang) == 288
    assert (lang["modality"] != "unknown").all()
    assert (lang["addressee"] != "unknown").all()
    assert (lang["addressee"] == "other").mean() < 0.05


def test_every_phrase_is_in_the_text(recs: pd.DataFrame, lang: pd.DataFrame) -> None:
    for row in recs.itertuples():
        text, _ = governing_text(row.text, row.lead_in)
        phrase = lang.loc[row.rec_id, "modality_phrase"]
        assert phrase in text, row.rec_id


def test_distribution_of_the_corpus(lang: pd.DataFrame) -> None:
    assert lang["addressee"].value_counts().to_dict() == {
        "States parties": 206, "Conference": 31, "States": 22, "Secretariat": 17, "UNODC": 7, "other": 3,
        "Working Group": 2, "unknown": 0,
    }
    assert lang["modality"].value_counts().to_dict() == {
        "firm": 206, "consider": 55, "encourage": 24, "optional": 3, "unknown": 0,
    }


def test_output_columns_and_dtypes(lang: pd.DataFrame) -> None:
    assert list(lang.reset_index().columns[:6]) == [
        "rec_id", "addressee", "addressee_phrase", "modality", "modality_rank", "modality_phrase"]
    assert list(lang["addressee"].cat.categories) == list(ADDRESSEES)
    assert lang["modality"].cat.ordered
    ranks = lang.groupby("modality", observed=True)["modality_rank"].unique()
    assert {k: list(v) for k, v in ranks.items()} == {m: [i] for i, m in enumerate(MODALITY_LEVELS, 1)}


def test_rule_counts_add_up(lang: pd.DataFrame) -> None:
    counts = rule_counts(lang.reset_index())
    assert counts.groupby("step", observed=True)["units"].sum().to_dict() == {
        "lead-in": 288, "addressee": 288, "modality": 288}
    assert "none" not in set(counts["rule"])
    lead = counts.loc[counts["step"] == "lead-in"].set_index("rule")["units"].to_dict()
    # 110 lettered items: 73 read with their lead-in, 25 sent to the Conference (VII), 10 endorsed (IV.46), 2 (II.24)
    assert lead == {"no_lead_in": 178, "inherit": 73, "for_conference_approval": 25, "endorsed_list": 10,
                    "observations_list": 2}


def test_shares_by_meeting(recs: pd.DataFrame, lang: pd.DataFrame) -> None:
    shares = shares_by(lang.reset_index(), recs, "modality")
    totals = shares.groupby("meeting", observed=True)["share"].sum().round(9)
    assert set(totals.drop(3)) == {1.0} and totals.loc[3] == 0  # meeting III adopted nothing of its own
    row = shares.loc[(shares["meeting"] == 5) & (shares["modality"] == "optional")].iloc[0]
    assert row["units"] == 2 and row["rec_ids"] == "5.4, 5.5"


def test_rule_tables_are_named_and_compiled() -> None:
    for table in (MODALITY_RULES, LEAD_IN_RULES):
        names = [rule.name for rule in table]
        assert len(names) == len(set(names))
        assert all(isinstance(rule.pattern, re.Pattern) for rule in table)
    assert {rule.modality for rule in MODALITY_RULES} == set(MODALITY_LEVELS)


def test_explain_units_shows_the_end_of_the_lead_in(recs: pd.DataFrame, lang: pd.DataFrame) -> None:
    from analysis.language.modality import explain_units

    table = explain_units(lang.reset_index(), recs, ["1.7.a", "4.1"])
    assert table.loc["1.7.a", "text"].startswith("… los Estados partes deberían: | estudiar la posibilidad")
    assert table.loc["4.1", ["addressee", "modality_phrase"]].tolist() == ["other", "Debería alentarse"]


def test_share_figures_list_the_units_behind_each_bar(lang: pd.DataFrame) -> None:
    from analysis.data.corpus import load_corpus
    from analysis.viz.language import addressee_figure, modality_figure

    corpus = load_corpus()
    fig = addressee_figure(lang.reset_index(), corpus)
    secretariat = next(t for t in fig.data if t.name == "Secretariat")
    first_meeting = secretariat.customdata[0]
    assert int(first_meeting[0]) == 9 and "1.4, 1.6, 1.9" in first_meeting[1]
    optional = next(t for t in modality_figure(lang.reset_index(), corpus).data if t.name == "Optional")
    assert [row[1] for row in optional.customdata if row[1] != "–"] == ["4.17", "5.4, 5.5"]
    assert not any(t.startswith("III ") for t in fig.layout.xaxis.ticktext)  # III adopted nothing of its own


def test_committed_table_matches_the_extractor(lang: pd.DataFrame) -> None:
    from analysis.data.paths import PROCESSED_DIR
    from analysis.data.tables import to_csv_text

    committed = (PROCESSED_DIR / "unit_language.csv").read_text(encoding="utf-8")
    assert committed == to_csv_text(lang.reset_index())

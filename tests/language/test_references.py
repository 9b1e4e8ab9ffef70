"""Legal references and cross-references, on real sentences of the corpus."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.data.corpus import load_corpus
from analysis.language.references import (
    REFERENCE_COLUMNS,
    REPORT_PARAGRAPH_OFFSETS,
    extract_references,
    find_cross_references,
    find_legal_references,
    offset_evidence,
    reiterations,
)


@pytest.fixture(scope="module")
def refs() -> pd.DataFrame:
    return extract_references(load_corpus())


def text_of(rec_id: str) -> str:
    recs = load_corpus().recommendations
    return str(recs.loc[recs["rec_id"] == rec_id, "text"].iloc[0])


LEGAL_CASES = [
    ("7.1.d", ["Protocol art. 6(3)(d)"]),  # "artículo 6, párrafo 3 d), del Protocolo"
    ("4.46.c", ["Protocol art. 6(6)"]),  # "artículo 6, párrafo 6, del Protocolo contra la Trata de Personas"
    ("2.5", ["Protocol art. 6(2)"]),  # "el apartado 2 del artículo 6 del Protocolo"
    ("2.25.a", ["Protocol art. 3(a)"]),  # "el apartado a) del artículo 3 del Protocolo"
    ("2.30", ["Convention art. 26(2)", "Convention art. 26(3)"]),  # "los párrafos 2 y 3 del artículo 26"
    ("5.33", ["Convention art. 32", "Convention art. 37"]),  # "los artículos 32 y 37 de la Convención"
    ("5.24", ["Convention art. 15"]),  # "en consonancia con el artículo 15 de la Convención de las Naciones Unidas"
    ("1.1", ["COP decision 4/4"]),  # "establecido en la decisión 4/4 de la Conferencia"
    ("4.45.g", ["GA resolution 64/293, para. 44"]),  # "párrafo 44 de la resolución 64/293 de la Asamblea General"
    ("2.6", []),  # "Informe Mundial ... publicado por la UNODC en 2009": no provision
]


@pytest.mark.parametrize(("rec_id", "provisions"), LEGAL_CASES, ids=[c[0] for c in LEGAL_CASES])
def test_legal_references_of_real_units(rec_id: str, provisions: list[str]) -> None:
    assert [r["provision"] for r in find_legal_references(text_of(rec_id))] == provisions


def test_legal_reference_fields() -> None:
    [ref] = find_legal_references(text_of("7.1.d"))
    assert (ref["instrument"], ref["article"], ref["paragraph"], ref["subparagraph"]) == ("Protocol", 6, 3, "d")
    assert ref["phrase"] == "artículo 6, párrafo 3 d), del Protocolo"
    assert text_of("7.1.d")[ref["start"]:ref["end"]] == ref["phrase"]


def test_a_provision_is_not_counted_twice() -> None:
    # "apartado 2 del artículo 6 del Protocolo" also contains "artículo 6 del Protocolo"
    assert len(find_legal_references("de conformidad con el apartado 2 del artículo 6 del Protocolo")) == 1


def test_report_paragraph_citations() -> None:
    refs = find_cross_references(text_of("2.34"))
    assert [(r["rule"], r["report_paragraph"], r["report_year"]) for r in refs] == [("report_paragraph", 11, 2009)]
    [ref] = find_cross_references(text_of("2.8"))
    assert ref["symbol"] == "CTOC/COP/WG.4/2009/2"


def test_2009_report_numbers_one_higher_than_this_document() -> None:
    evidence = offset_evidence(load_corpus())
    assert sorted(evidence["rec_id"]) == ["2.15", "2.17", "2.24.b", "2.34", "2.43", "2.8"]
    assert (evidence["best_offset"] == -1).all()
    assert REPORT_PARAGRAPH_OFFSETS[1] == -1


RESOLVED = [
    ("2.34", 10, "1.10.a;1.10.b", "1.10.b"),  # "párrafo 11 ... 2009" on demand -> 1.10.b "desalentar la demanda"
    ("2.43", 11, "1.11.a;1.11.b", "1.11.b"),  # "párrafo 12 ... 2009" on non-punishment -> 1.11
    ("2.8", 16, "1.16.a;1.16.b", "1.16.b"),  # "párrafo 17" -> national coordination bodies
    ("2.24.b", 6, "1.6", "1.6"),  # "párrafo 7" -> documents on the Protocol's concepts
    ("7.1.f", 24, "4.24", "4.24"),  # "su recomendación anterior" -> the reflection period of 2011
]


@pytest.mark.parametrize(("rec_id", "paragraph", "targets", "best"), RESOLVED, ids=[c[0] for c in RESOLVED])
def test_cross_references_resolve_to_rec_ids(refs: pd.DataFrame, rec_id: str, paragraph: int, targets: str,
                                             best: str) -> None:
    row = refs.loc[(refs["rec_id"] == rec_id) & (refs["kind"] == "cross_reference")].iloc[0]
    assert (row["cited_paragraph"], row["target_rec_ids"], row["cited_rec_id"]) == (paragraph, targets, best)


def test_section_reference_and_general_references(refs: pd.DataFrame) -> None:
    row = refs.loc[refs["rule"] == "report_section"].iloc[0]
    assert (row["rec_id"], row["cited_meeting"], row["cited_paragraph"]) == ("5.44", 4, 45)
    assert pd.isna(row["cited_rec_id"])  # a list of topics, not one recommendation
    general = refs.loc[refs["rule"] == "all_recommendations", "rec_id"].tolist()
    assert general == ["4.43", "5.41", "5.42"]


def test_table_shape(refs: pd.DataFrame) -> None:
    assert tuple(refs.columns) == REFERENCE_COLUMNS
    assert refs["kind"].value_counts().to_dict() == {"legal": 16, "cross_reference": 11}
    assert refs.loc[refs["kind"] == "legal", "provision"].notna().all()
    recs = load_corpus().recommendations.set_index("rec_id")
    for row in refs.itertuples():
        assert recs.loc[row.rec_id, "text"][row.start:row.end] == row.phrase


def test_reiterations_are_the_resolved_restatements(refs: pd.DataFrame) -> None:
    links = reiterations(refs)
    assert links.to_numpy().tolist() == [
        ["2.8", "1.16.b"], ["2.15", "1.18.a"], ["2.17", "1.17.b"], ["2.24.b", "1.6"], ["2.34", "1.10.b"],
        ["2.43", "1.11.b"], ["7.1.f", "4.24"],
    ]


def test_committed_table_matches_the_extractor(refs: pd.DataFrame) -> None:
    from analysis.data.paths import PROCESSED_DIR
    from analysis.data.tables import to_csv_text

    assert (PROCESSED_DIR / "references.csv").read_text(encoding="utf-8") == to_csv_text(refs)

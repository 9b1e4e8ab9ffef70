"""The corpus model: the real document and small synthetic ones for each pitfall."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

import pandas as pd
import pytest

from analysis.data.corpus import (
    LINE_ROLES,
    CorpusError,
    load_corpus,
    load_recommendations,
    parse,
    parse_spanish_dates,
)
from analysis.data.paths import RAW_CORPUS
from corpus_mutations import word_balance

HEADING = "I. Primera reunión: Viena, 14 y 15 de abril de 2009"



@pytest.fixture(scope="module")
def units(corpus):
    return corpus.recommendations.set_index("rec_id")


@pytest.fixture(scope="module")
def raw_lines():
    return RAW_CORPUS.read_text(encoding="utf-8").splitlines()


# --------------------------------------------------------------------------- #
# The real document
# --------------------------------------------------------------------------- #


def test_meetings_are_the_eight_of_2009_to_2018(corpus):
    m = corpus.meetings
    assert m["roman"].tolist() == ["I", "II", "III", "IV", "V", "VI", "VII", "VIII"]
    assert m["year"].tolist() == [2009, 2010, 2010, 2011, 2013, 2015, 2017, 2018]
    assert (m["city"] == "Viena").all()
    first = m.iloc[0]
    assert first["ordinal"] == "Primera reunión"
    assert (first["start_date"], first["end_date"]) == (pd.Timestamp("2009-04-14"), pd.Timestamp("2009-04-15"))
    second = m.iloc[1]
    assert (second["start_date"], second["end_date"]) == (pd.Timestamp("2010-01-27"), pd.Timestamp("2010-01-29"))
    third = m.iloc[2]
    assert third["start_date"] == third["end_date"] == pd.Timestamp("2010-10-19")


def test_third_meeting_has_no_units_of_its_own_and_a_note(corpus):
    third = corpus.meetings.set_index("roman").loc["III"]
    assert third["n_units"] == 0 and third["n_paragraphs"] == 0
    assert "en su cuarta reunión" in third["source_note"]
    assert "paragraph 46 of meeting IV" in third["note"]
    assert "III" in corpus.meetings.set_index("roman").loc["IV", "note"]


def test_paragraph_counts_match_the_numbered_lines_of_the_source(corpus, raw_lines):
    # An independent count: numbered lines after each heading.
    heading = re.compile(r"^[IVX]+\. \w+ reunión:")
    counts: Counter[int] = Counter()
    meeting = 0
    for line in raw_lines:
        if heading.match(line):
            meeting += 1
        elif meeting and re.match(r"^\d+\. ", line):
            counts[meeting] += 1
    got = corpus.meetings.set_index("meeting")["n_paragraphs"]
    assert {m: int(got[m]) for m in range(1, 9)} == {m: counts.get(m, 0) for m in range(1, 9)}
    assert corpus.meetings["n_paragraphs"].sum() == len(corpus.paragraphs)


def test_unit_counts_per_meeting(corpus):
    # Read off the document by hand: e.g. meeting VII is two paragraphs of 10 and 15 items.
    counts = corpus.recommendations.groupby("meeting", observed=False).size()
    assert counts.to_dict() == {1: 46, 2: 61, 3: 0, 4: 65, 5: 44, 6: 22, 7: 25, 8: 25}
    assert corpus.meetings["n_units"].tolist() == list(counts)


def test_rec_ids_are_unique_and_well_formed(corpus):
    ids = corpus.recommendations["rec_id"]
    assert ids.is_unique
    assert ids.str.fullmatch(r"[1-8]\.\d+(\.[a-z])?").all()
    assert corpus.paragraphs["rec_id"].is_unique


def test_items_carry_their_lead_in_and_paragraph_units_do_not(units):
    assert units.loc["1.7.a", "lead_in"] == "Respecto de la prevención y sensibilización, los Estados partes deberían:"
    assert units.loc["1.7.d", "lead_in"] == units.loc["1.7.a", "lead_in"]
    assert units.loc["1.7.d", "text"].startswith("explorar las modalidades")
    assert pd.isna(units.loc["1.1", "lead_in"]) and pd.isna(units.loc["1.1", "item"])
    assert units.loc["8.1.q", "item"] == "q"


def test_item_after_footnotes_stays_in_its_paragraph(units):
    # 1.7.d follows two footnote lines (a page break) and still belongs to 1.7.
    assert units.loc["1.7.d", "paragraph"] == 7
    assert units.loc["1.7.d", "first_line"] > units.loc["1.7.c", "last_line"]


def test_continuation_after_a_page_break_joins_its_paragraph(units):
    text = units.loc["2.44", "text"]
    assert "se alienta a los Estados partes a utilizar instrumentos de asistencia técnica" in text
    assert units.loc["2.44", "last_line"] - units.loc["2.44", "first_line"] >= 2


def test_letter_i_and_roman_i_are_told_apart(corpus, units):
    # 4.46.i is the ninth lettered item and opens a list of roman sub-items.
    assert units.loc["4.46.i", "text"].startswith("Al cumplir los requisitos")
    assert len(units.loc["4.46.i", "subitems"]) == 3
    assert units.loc["4.46.i", "subitems"][0].startswith("disposiciones que permitan a las víctimas iniciar")
    assert "i) disposiciones que permitan" in units.loc["4.46.i", "text"]
    assert len(units.loc["4.46.j", "subitems"]) == 6
    # "i)" after "h)" that opens no list is the letter i.
    assert units.loc["7.1.i", "text"].startswith("cuando sea posible, prestar apoyo al fondo fiduciario")
    assert units.loc["8.1.i", "subitems"] == []
    subs = corpus.subitems
    assert subs.groupby("rec_id").size().to_dict() == {"4.46.i": 3, "4.46.j": 6}
    assert subs["subitem"].tolist()[:4] == ["i", "ii", "iii", "i"]


def test_paragraph_46_of_the_fourth_meeting_was_proposed_at_the_third(corpus, units):
    proposed = corpus.recommendations.dropna(subset=["proposed_meeting"])
    assert set(proposed["rec_id"].str.rsplit(".", n=1).str[0]) == {"4.46"}
    assert (proposed["proposed_meeting"] == 3).all()
    assert (proposed["proposed_date"] == pd.Timestamp("2010-10-19")).all()
    assert len(proposed) == 10  # items a) to j)


def test_footnote_markers_are_removed_and_linked(corpus, units):
    assert not corpus.recommendations["text"].str.contains(r"[⁰¹²³⁴⁵⁶⁷⁸⁹]").any()
    assert "Transnacional, y respecto" in units.loc["1.2", "text"]
    assert units.loc["1.2", "footnotes"] == [
        "Naciones Unidas, Treaty Series, vol. 2237, núm. 39574.",
        "Ibid., vol. 2225, núm. 39574.",
    ]
    assert units.loc["2.46", "footnotes"][0].startswith("De conformidad con la Ley Modelo")
    assert corpus.footnotes["footnote"].tolist() == [1, 2, 3, 4, 5]
    assert corpus.footnotes["cited_by"].tolist() == ["1.2", "1.2", "2.1", "2.44", "2.46"]


def test_text_is_clean(corpus):
    for frame in (corpus.recommendations, corpus.paragraphs):
        text = frame["text"]
        assert not text.str.contains(r"\*|\]\(|\(#\)|\s{2,}|^\s|\s$|^- ", regex=True).any()
        assert all(unicodedata.is_normalized("NFC", t) for t in text)
    assert not corpus.recommendations["lead_in"].dropna().str.contains(r"\*|\s{2,}").any()
    assert "Informe Mundial sobre la Trata de Personas publicado" in corpus.recommendations.set_index("rec_id").loc["2.6", "text"]


def test_paragraph_text_holds_its_items(corpus, units):
    para = corpus.paragraphs.set_index("rec_id").loc["1.5", "text"]
    assert para.startswith("Los Estados partes deberían: a) tipificar como delito")
    assert " b) promulgar legislación" in para
    assert corpus.paragraphs.set_index("rec_id").loc["1.5", "n_items"] == 2


def test_every_line_of_the_source_is_accounted_for(corpus, raw_lines):
    lines = corpus.lines
    assert len(lines) == len(raw_lines)
    assert lines["line"].tolist() == list(range(1, len(raw_lines) + 1))
    assert lines["role"].notna().all() and set(lines["role"]) <= set(LINE_ROLES)
    blank = [not line.strip() for line in raw_lines]
    assert ((lines["role"] == "blank") == blank).all()
    # Lines of units point at a rec_id that exists.
    unit_lines = lines[lines["role"].isin(["paragraph", "item", "subitem", "continuation"])]
    known = set(corpus.recommendations["rec_id"]) | set(corpus.paragraphs["rec_id"])
    assert unit_lines["rec_id"].notna().all() and set(unit_lines["rec_id"]) <= known
    # Each unit's first..last lines are the lines that name it (or its sub-items).
    for rec_id, first, last in corpus.recommendations[["rec_id", "first_line", "last_line"]].itertuples(index=False):
        own = unit_lines.loc[unit_lines["rec_id"] == rec_id, "line"]
        assert own.min() == first and own.max() == last, rec_id


def test_every_word_lands_in_exactly_one_unit_lead_in_or_footnote(corpus):
    # words of every body line (numbers and item labels aside) against the words of the tables;
    # the count is shared with the fuzz test (corpus_mutations.word_balance)
    missing, extra = word_balance(corpus)
    assert not missing and not extra, (missing, extra)


def test_dtypes_are_explicit(corpus):
    r = corpus.recommendations
    assert isinstance(r["meeting"].dtype, pd.CategoricalDtype) and r["meeting"].cat.ordered
    assert r["meeting"].cat.categories.tolist() == list(range(1, 9))
    for col in ("rec_id", "text", "lead_in", "item"):
        assert isinstance(r[col].dtype, pd.StringDtype), col
    for col in ("year", "paragraph", "first_line", "last_line", "proposed_meeting", "n_words"):
        assert r[col].dtype == "Int64", col
    assert r["date"].dtype == "datetime64[s]"


def test_load_recommendations_levels(corpus):
    assert load_recommendations().equals(corpus.recommendations)
    para = load_recommendations(level="paragraph")
    assert len(para) == 197 and para["rec_id"].str.fullmatch(r"\d\.\d+").all()
    with pytest.raises(ValueError, match="level must be"):
        load_recommendations(level="sentence")


# --------------------------------------------------------------------------- #
# Synthetic documents: each pitfall and each error
# --------------------------------------------------------------------------- #


def doc(*lines: str) -> str:
    return "\n".join([HEADING, *lines]) + "\n"


def test_bullets_links_and_emphasis_are_removed():
    c = parse(doc(
        "1. Los Estados partes deberían:",
        " - a) leer el *Informe Mundial* ([CTOC/COP/WG.4/2019/4](#));",
        "- b) actuar.",
    ))
    assert c.recommendations["text"].tolist() == ["leer el Informe Mundial (CTOC/COP/WG.4/2019/4);", "actuar."]


def test_nine_letters_then_roman_subitems():
    letters = [f"{ch}) punto {ch};" for ch in "abcdefgh"]
    c = parse(doc(
        "1. Los Estados partes deberían:", *letters,
        "i) adoptar una de las opciones:", "i) primera;", "ii) segunda.",
        "j) concluir.",
    ))
    r = c.recommendations.set_index("rec_id")
    assert r.index.tolist()[-2:] == ["1.1.i", "1.1.j"]
    assert r.loc["1.1.i", "subitems"] == ["primera;", "segunda."]
    assert r.loc["1.1.i", "text"] == "adoptar una de las opciones: i) primera; ii) segunda."


def test_roman_list_needs_a_colon_to_open():
    c = parse(doc("1. Los Estados partes deberían:", *[f"{ch}) x;" for ch in "abcdefgh"], "i) noveno punto."))
    assert c.recommendations["rec_id"].iloc[-1] == "1.1.i"
    assert c.subitems.empty


def test_footnote_and_continuation_across_a_page_break():
    c = parse(doc(
        "1. Los Estados partes deberían aplicar el Protocolo¹ y", "", "¹ Nota al pie.", "", "seguir adelante.",
        "2. Otra recomendación.",
    ))
    r = c.recommendations.set_index("rec_id")
    assert r.loc["1.1", "text"] == "Los Estados partes deberían aplicar el Protocolo y seguir adelante."
    assert r.loc["1.1", "footnotes"] == ["Nota al pie."]
    assert c.lines["role"].tolist() == [
        "meeting_heading", "paragraph", "blank", "footnote", "blank", "continuation", "paragraph"
    ]


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        (doc("1. Uno.", "3. Tres."), 3, "paragraph 3 of meeting I is out of sequence; expected paragraph 2"),
        (doc("1. Deberían:", "a) uno;", "c) tres."), 4, "item 'c)' of paragraph 1.1 is out of sequence; expected 'b)'"),
        (doc("1. Uno.", "Una línea que no es nada."), 3, "unexpected line"),
        (doc("a) sin párrafo."), 2, "outside a numbered paragraph"),
        (doc("continúa nada."), 2, "continues nothing"),
        (doc("1. Uno.", "² Nota."), 3, "footnote 2 is out of sequence; expected footnote 1"),
        (doc("1. Uno.", "III. Tercera reunión: Viena, 19 de octubre de 2010"), 3, "expected 'II'"),
        ("II. Segunda reunión: Viena, 27 a 29 de enero de 2010\n", 1, "expected 'I'"),
        ("I. Primera reunión: Viena, el año pasado\n", 1, "cannot read the meeting dates"),
    ],
)
def test_errors_name_the_line_and_what_was_expected(text, line, message):
    with pytest.raises(CorpusError) as err:
        parse(text, source="doc.txt")
    assert err.value.line == line
    assert str(err.value).startswith(f"doc.txt, line {line}: ")
    assert message in str(err.value)


def test_footnote_marker_without_footnote():
    with pytest.raises(CorpusError, match="footnote marker 1 cited by 1.1 has no footnote text"):
        parse(doc("1. Uno¹."))


def test_footnote_never_cited():
    with pytest.raises(CorpusError, match=r"line 3: footnote 1 is never cited"):
        parse(doc("1. Uno.", "¹ Nota."), source="x")


def test_empty_document():
    with pytest.raises(CorpusError, match="the document is empty"):
        parse("  \n\n", source="empty.txt")


def test_document_without_meeting_headings():
    with pytest.raises(CorpusError, match="no meeting headings found"):
        parse("1. Una recomendación suelta.\n")


def test_bytes_that_are_not_utf8_name_the_file_and_line(tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes(doc("1. Uno.", "2. Acción pública.").encode("latin-1"))
    with pytest.raises(CorpusError) as err:
        load_corpus(path)
    assert err.value.line == 1  # "reunión" on the heading line is already Latin-1
    assert str(path) in str(err.value) and "not UTF-8" in str(err.value)


def test_missing_file():
    with pytest.raises(CorpusError, match="file not found"):
        load_corpus("/nonexistent/corpus.txt")


def test_corpus_error_is_a_value_error():
    assert issubclass(CorpusError, ValueError)


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("14 y 15 de abril de 2009", "2009-04-14", "2009-04-15"),
        ("19 de octubre de 2010", "2010-10-19", "2010-10-19"),
        ("6 a 8 de septiembre de 2017", "2017-09-06", "2017-09-08"),
        ("30 de noviembre a 2 de diciembre de 2015", "2015-11-30", "2015-12-02"),
    ],
)
def test_spanish_dates(text, start, end):
    got = parse_spanish_dates(text)
    assert (str(got[0]), str(got[1])) == (start, end)


def test_cite_names_meeting_paragraph_item_and_origin(corpus):
    assert "Primera reunión (Viena, 14 y 15 de abril de 2009), recommendation 7 d) [rec_id 1.7.d]" in corpus.cite("1.7.d")
    assert "proposed at the Tercera reunión (19 de octubre de 2010)" in corpus.cite("4.46.c")
    assert "recommendation 3 [rec_id 2.3]" in corpus.cite("2.3")
    with pytest.raises(KeyError, match="no recommendation with rec_id '9.1'"):
        corpus.cite("9.1")

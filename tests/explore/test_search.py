"""Search: accent-insensitive, inflection-aware ranking and filters, on real queries."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.data.corpus import load_recommendations
from analysis.explore.search import SearchIndex, highlight, search_terms


@pytest.fixture(scope="module")
def index():
    return SearchIndex().fit(load_recommendations())


def test_organos_without_accent_finds_organ_removal(index):
    hits = index.search("organos")
    top = hits.head(8)
    assert top["text"].str.contains("órganos").all()
    # every unit of the fourth meeting's organ-removal block (4.1-4.8) is found
    assert {f"4.{n}" for n in range(1, 9)} <= set(hits["rec_id"])
    assert "<mark>órganos</mark>" in top.loc[0, "highlighted"]


def test_accents_and_case_do_not_matter(index):
    a = index.search("ÓRGANOS")["rec_id"].tolist()
    assert a == index.search("organos")["rec_id"].tolist() == index.search("órganos")["rec_id"].tolist()


def test_inflection_counts_together(index):
    singular = set(index.search("víctima")["rec_id"])
    plural = set(index.search("víctimas")["rec_id"])
    assert singular == plural and len(plural) > 100
    assert search_terms("indemnizar") == search_terms("indemnizaciones")[:0] + search_terms("indemnizar")


def test_victimas_ninos_ranks_child_victims_first(index):
    top = index.search("víctimas niños", top=5)
    assert top["text"].str.contains(r"niñ", regex=True).all()
    assert (top["score"].diff().dropna() <= 0).all()


def test_indemnizacion_finds_compensation_and_filters_by_meeting(index):
    hits = index.search("indemnización")
    assert hits.loc[0, "rec_id"] == "1.13"
    in_iv = index.search("indemnización", meeting=4)
    assert set(in_iv["rec_id"]) <= set(hits["rec_id"])
    assert (in_iv["meeting"] == 4).all() and in_iv["rec_id"].str.startswith("4.46").sum() >= 6
    assert set(index.search("indemnización", year=[2009, 2018])["year"]) == {2009, 2018}


def test_phrase_mode_finds_the_non_punishment_wording(index):
    hits = index.search("no sancionar ni enjuiciar", phrase=True)
    assert hits["rec_id"].tolist() == ["1.11.b", "7.2.b", "8.1.c"]
    assert (hits["score"] == 1.0).all()
    assert "<mark>no sancionar ni enjuiciar</mark>" in hits.loc[0, "highlighted"]
    # words in another order are no phrase match
    assert index.search("enjuiciar ni sancionar", phrase=True).empty


def test_no_match_gives_an_empty_frame_with_the_columns(index):
    hits = index.search("astronáutica")
    assert hits.empty and {"rec_id", "score", "highlighted"} <= set(hits.columns)


def test_bad_calls_say_what_is_wrong(index):
    with pytest.raises(ValueError, match="the query is empty"):
        index.search("  ")
    with pytest.raises(ValueError, match="cannot filter on 'theme'"):
        index.search("víctimas", theme="Protección")
    with pytest.raises(RuntimeError, match="call fit"):
        SearchIndex().search("x")
    with pytest.raises(ValueError, match="lack the column"):
        SearchIndex().fit(pd.DataFrame({"rec_id": ["1.1"]}))


def test_highlight_escapes_markup_in_the_text():
    out = highlight('<script>alert(1)</script> víctimas <img src=x onerror="alert(2)">', "victimas")
    assert "<script>" not in out and "<img" not in out
    assert "&lt;script&gt;" in out and "<mark>víctimas</mark>" in out

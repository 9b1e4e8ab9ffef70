"""Near-duplicate and reiterated recommendations: similarity, threshold, chains."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.data.corpus import load_corpus
from analysis.language.recurrence import (
    chain_summary,
    choose_threshold,
    cross_meeting_pairs,
    find_chains,
    prepare_text,
    threshold_curve,
    unit_similarity,
)
from analysis.language.references import extract_references, reiterations


@pytest.fixture(scope="module")
def data() -> dict[str, pd.DataFrame]:
    corpus = load_corpus()
    recs = corpus.recommendations
    sim = unit_similarity(recs)
    pairs = cross_meeting_pairs(recs, sim)
    refs = extract_references(corpus, sim)
    return {"recs": recs, "sim": sim, "pairs": pairs, "refs": refs}


def test_boilerplate_and_accents_do_not_count() -> None:
    a = prepare_text("Los Estados partes deberían considerar la posibilidad de no sancionar a las víctimas")
    b = prepare_text("Se alienta a los Estados partes a que no sancionen a las victimas")
    assert a == "no sancionar a las victimas"
    assert b == "a que no sancionen a las victimas"


def test_similarity_is_symmetric_with_unit_diagonal(data: dict[str, pd.DataFrame]) -> None:
    sim = data["sim"].to_numpy()
    assert sim.shape == (288, 288)
    assert np.allclose(sim, sim.T) and np.allclose(np.diag(sim), 1)


def test_near_duplicates_across_meetings_are_the_most_similar_pairs(data: dict[str, pd.DataFrame]) -> None:
    pairs = data["pairs"]
    top = {tuple(p) for p in pairs.head(6)[["rec_id_a", "rec_id_b"]].to_numpy()}
    # non-punishment (2009, 2017, 2018), smuggling is not trafficking (2011, 2017), reflection period
    # (2011, 2017), the trust fund (2011, 2017)
    assert {("7.2.b", "8.1.c"), ("1.11.b", "7.2.b"), ("1.11.b", "8.1.c"), ("4.46.a", "7.2.o"),
            ("4.24", "7.1.f"), ("4.30", "7.1.i")} == top


def test_pairs_are_across_meetings_only(data: dict[str, pd.DataFrame]) -> None:
    pairs = data["pairs"]
    assert (pairs["meeting_a"] < pairs["meeting_b"]).all()
    per_meeting = data["recs"]["meeting"].astype(int).value_counts()
    same = int((per_meeting * (per_meeting - 1) // 2).sum())
    assert len(pairs) == 288 * 287 // 2 - same


def test_threshold_is_the_quantile_and_above_percolation(data: dict[str, pd.DataFrame]) -> None:
    pairs = data["pairs"]
    tau = choose_threshold(pairs)
    assert (pairs["similarity"] >= tau).sum() == 35  # 1 pair in 1,000 of 34,606
    curve = threshold_curve(pairs, data["recs"]["rec_id"], [tau, 0.30])
    assert curve.loc[0, "largest"] <= 4  # no chain drift at the threshold ...
    assert curve.loc[1, "largest"] >= 30  # ... but a giant component a little below it


def test_non_punishment_chain_spans_five_meetings(data: dict[str, pd.DataFrame]) -> None:
    pairs = data["pairs"]
    chains = find_chains(data["recs"], pairs, choose_threshold(pairs), reiterations(data["refs"]))
    first = chains.loc[chains["chain_id"] == "R01"]
    assert first["rec_id"].tolist() == ["1.11.b", "2.43", "5.35", "7.2.b", "8.1.c"]
    assert first["years"].iloc[0] == "2009, 2010, 2013, 2017, 2018"
    assert first.set_index("rec_id").loc["2.43", "link"] == "cited"  # reaffirms paragraph 12 of the 2009 report
    assert first["label"].iloc[0].startswith("no sancionar ni enjuiciar a las víctimas")


def test_chains_without_citations_lose_the_reaffirmation(data: dict[str, pd.DataFrame]) -> None:
    pairs = data["pairs"]
    chains = find_chains(data["recs"], pairs, choose_threshold(pairs))
    assert "2.43" not in set(chains["rec_id"])
    assert set(chains["link"]) == {"similar"}


def test_every_chain_spans_meetings_and_members_are_unique(data: dict[str, pd.DataFrame]) -> None:
    pairs = data["pairs"]
    chains = find_chains(data["recs"], pairs, choose_threshold(pairs), reiterations(data["refs"]))
    assert chains["rec_id"].is_unique
    assert (chains["n_meetings"] >= 2).all()
    summary = chain_summary(chains)
    assert summary["units"].sum() == len(chains)
    assert summary["n_meetings"].is_monotonic_decreasing


def test_higher_threshold_gives_fewer_chains(data: dict[str, pd.DataFrame]) -> None:
    curve = threshold_curve(data["pairs"], data["recs"]["rec_id"], [0.35, 0.45, 0.6, 0.95])
    assert curve["links"].is_monotonic_decreasing
    assert curve["units"].is_monotonic_decreasing
    assert curve.iloc[-1]["chains"] == 0


def test_committed_table_matches_the_chains(data: dict[str, pd.DataFrame]) -> None:
    from analysis.data.paths import PROCESSED_DIR
    from analysis.data.tables import to_csv_text

    pairs = data["pairs"]
    chains = find_chains(data["recs"], pairs, choose_threshold(pairs), reiterations(data["refs"]))
    assert (PROCESSED_DIR / "recurrences.csv").read_text(encoding="utf-8") == to_csv_text(chains)

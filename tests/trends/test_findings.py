"""Every finding that notebook 03 states in words, checked against an independent computation from the data.

The sentence functions of :mod:`analysis.trends.report` are run as the
notebook runs them, on the reference coding; each number and each
"rises/falls/clear" word of a sentence is then compared with what plain
pandas (and, for the regression, a separate statsmodels fit) computes
directly from ``data/coding/reference.csv`` and the corpus's meeting years.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from analysis import trends
from analysis.coding import CODING_DIR, read_coding
from analysis.data import load_corpus
from analysis.themes.codebook import load_codebook

EARLY, LATE = (2009, 2011), (2015, 2018)
NUMBER = r"[+−-]?\d+(?:\.\d+)?"


def _num(text: str) -> float:
    return float(text.replace("−", "-"))


@pytest.fixture(scope="module")
def corpus():
    return load_corpus()


@pytest.fixture(scope="module")
def direct(corpus) -> pd.DataFrame:
    """Each unit of the reference with its theme name, meeting year and paragraph, from the files directly."""
    ref = pd.read_csv(CODING_DIR / "reference.csv", dtype=str)
    names = dict(zip(load_codebook().ids, load_codebook().names, strict=True))
    recs = corpus.recommendations[["rec_id", "meeting", "paragraph", "year"]].astype({"rec_id": str})
    out = ref.merge(recs, on="rec_id", how="left", validate="one_to_one")
    assert out["year"].notna().all() and len(out) == len(recs)
    out["theme"] = out["primary"].map(names)
    out["paragraph_id"] = out["meeting"].astype(int).astype(str) + "." + out["paragraph"].astype(str)
    return out


@pytest.fixture(scope="module")
def built(corpus):
    assignments = trends.read_assignments()
    assert (assignments["method"] == "reference").sum() == 288, "recommendation_themes lacks the reference: run notebook 02"
    by_item = trends.ThemeTrends.build(assignments, corpus)
    by_paragraph = trends.ThemeTrends.build(assignments, corpus, level="paragraph")
    return assignments, by_item, by_paragraph, by_item.change()


def _period_shares(direct: pd.DataFrame, years: tuple[int, int]) -> tuple[pd.Series, pd.Series, int]:
    rows = direct.loc[direct["year"].astype(int).between(*years)]
    counts = rows["theme"].value_counts()
    return counts / len(rows), counts, len(rows)


def test_the_reference_coding_matches_read_coding(direct):
    # the independent reading of the file agrees with the library's reader
    lib = read_coding(CODING_DIR / "reference.csv").set_index("rec_id")["primary"]
    assert (direct.set_index("rec_id")["primary"] == lib.loc[direct["rec_id"]].to_numpy()).all()


def test_finding_sentences_state_the_shares_directions_and_verdicts(built, direct):
    _, _, _, change = built
    sentences = trends.finding_sentences(change, "reference")
    early, n_early, total_early = _period_shares(direct, EARLY)
    late, n_late, total_late = _period_shares(direct, LATE)
    rows = change.loc[change["method"] == "reference"].set_index("theme")
    assert len(sentences) == len(rows) == direct["primary"].nunique()
    pattern = re.compile(
        rf"^(?P<theme>.+) (?P<verb>rises|falls|stays) from (?P<e>{NUMBER})% of units in 2009–2011 "
        rf"\((?P<ne>\d+) of (?P<te>\d+)\) to (?P<l>{NUMBER})% in 2015–2018 \((?P<nl>\d+) of (?P<tl>\d+)\), "
        rf"(?P<d>{NUMBER}) percentage points \(95% CI (?P<lo>{NUMBER}) to (?P<hi>{NUMBER})\); "
        rf"(?P<verdict>a clear|not a clear) change after Holm's correction \(adjusted p = (?P<p><0\.001|[\d.]+)\)\.$"
    )
    for sentence in sentences:
        m = pattern.match(sentence)
        assert m, sentence
        theme = m["theme"]
        e, lt = early.get(theme, 0.0), late.get(theme, 0.0)
        assert int(m["ne"]) == n_early.get(theme, 0) and int(m["te"]) == total_early
        assert int(m["nl"]) == n_late.get(theme, 0) and int(m["tl"]) == total_late
        assert _num(m["e"]) == pytest.approx(100 * e, abs=0.051)
        assert _num(m["l"]) == pytest.approx(100 * lt, abs=0.051)
        assert _num(m["d"]) == pytest.approx(100 * (lt - e), abs=0.051)
        assert m["verb"] == ("rises" if lt > e else "falls" if lt < e else "stays")
        assert _num(m["lo"]) <= _num(m["d"]) <= _num(m["hi"])
        # "clear" is exactly an adjusted p below 0.05, and the adjusted p is Holm's of the kept p-values
        row = rows.loc[theme]
        assert (m["verdict"] == "a clear") == bool(row["p_adjusted"] < 0.05)
        if m["verdict"] == "a clear":
            assert m["p"] == "<0.001" or float(m["p"]) < 0.05


def test_holm_adjustment_recomputed_by_hand(built):
    _, _, _, change = built
    rows = change.loc[change["method"] == "reference"]
    p = rows["p_value"].to_numpy()
    order = np.argsort(p, kind="stable")
    running, expected = 0.0, np.empty(len(p))
    for i, j in enumerate(order):
        running = max(running, min(1.0, (len(p) - i) * p[j]))
        expected[j] = running
    np.testing.assert_allclose(rows["p_adjusted"], expected.round(6), atol=1e-6)
    # p_value keeps the larger of Fisher's exact test and the bootstrap test
    np.testing.assert_allclose(rows["p_value"], np.maximum(rows["p_exact"], rows["p_boot"]))


def test_clear_summary_names_exactly_the_adjusted_significant_themes(built):
    _, _, _, change = built
    summary = trends.clear_summary(change, "reference")
    rows = change.loc[change["method"] == "reference"]
    clear = rows.loc[rows["p_adjusted"] < 0.05]
    m = re.match(r"^Of (\d+) themes, (\d+) changes? clearly after Holm's correction", summary)
    assert m and int(m[1]) == len(rows) and int(m[2]) == len(clear)
    for r in rows.itertuples():
        named = f"{r.theme} (rise)" in summary or f"{r.theme} (fall)" in summary
        assert named == (r.p_adjusted < 0.05), r.theme
    for r in clear.itertuples():
        assert f"{r.theme} ({'rise' if r.diff > 0 else 'fall'})" in summary
    # the charts highlight the same themes
    assert trends.changed_themes(change, "reference") == clear.sort_values("rank")["theme"].tolist()


def test_regression_sentences_against_a_separate_fit(built, direct):
    import statsmodels.formula.api as smf

    assignments, _, _, _ = built
    regression = trends.prevalence_regression(assignments, load_corpus(), methods=["reference"])
    sentences = trends.regression_sentences(regression, "reference")
    rows = regression.set_index("theme")
    clear = rows.loc[rows["p_adjusted"] < 0.05]
    if len(clear):
        assert sentences[0].startswith("A clear trend over 2009–2018 after Holm's correction: ")
        assert all(t in sentences[0] for t in clear.index)
    else:
        assert sentences[0] == "No theme has a clear trend over 2009–2018 after Holm's correction."
    data = direct.assign(year=direct["year"].astype(int), group=pd.factorize(direct["paragraph_id"])[0])
    for sentence in sentences[1:]:
        m = re.match(rf"^Not clear after the correction \(p = ([\d.<]+) before it\): (.+) \(({NUMBER}) points a year", sentence)
        assert m, sentence
        theme = m[2]
        fit = smf.glm("y ~ year", data.assign(y=(data["theme"] == theme).astype(float)),
                      family=__import__("statsmodels.api").api.families.Binomial()).fit(
            cov_type="cluster", cov_kwds={"groups": data["group"]})  # fmt: skip
        assert float(m[1]) == pytest.approx(fit.pvalues["year"], abs=0.0011)
        assert np.sign(_num(m[3])) == np.sign(fit.params["year"])
        assert rows.loc[theme, "p_adjusted"] >= 0.05 and fit.pvalues["year"] < 0.05


def test_concentration_sentence_of_the_reference(built, direct):
    _, by_item, _, _ = built
    sentence = [s for s in trends.concentration_sentences(by_item.concentration_change()) if s.startswith("reference")][0]
    hhi = {}
    for meeting, g in direct.groupby("meeting"):
        n = len(g)
        counts = g["theme"].value_counts().to_numpy()
        hhi[int(meeting)] = ((counts**2).sum() - n) / (n * (n - 1))
    years = direct.groupby("meeting")["year"].first().astype(int)
    mean = {p: np.mean([hhi[k] for k, y in years.items() if yrs[0] <= y <= yrs[1]]) for p, yrs in (("e", EARLY), ("l", LATE))}
    m = re.match(rf"^reference themes: mean unbiased HHI ([\d.]+) in 2009–2011 and ([\d.]+) in 2015–2018", sentence)
    assert m, sentence
    assert float(m[1]) == pytest.approx(mean["e"], abs=5e-4) and float(m[2]) == pytest.approx(mean["l"], abs=5e-4)
    assert ("more focused late" in sentence) <= (mean["l"] > mean["e"])


def test_robustness_sentences_directions_by_unit_and_by_paragraph(built, direct):
    assignments, by_item, by_paragraph, _ = built
    robustness = trends.level_robustness(assignments, load_corpus(), changes=(by_item.change(), by_paragraph.change()))
    sentences = trends.robustness_sentences(robustness, "reference")
    frac = 1 / direct.groupby("paragraph_id")["rec_id"].transform("size")
    weighted = direct.assign(w=frac)

    def diff(theme: str, weight: str | None) -> float:
        out = []
        for years in (EARLY, LATE):
            rows = weighted.loc[weighted["year"].astype(int).between(*years)]
            w = rows[weight] if weight else pd.Series(1.0, index=rows.index)
            out.append(w[rows["theme"] == theme].sum() / w.sum())
        return out[1] - out[0]

    rows = robustness.loc[robustness["method"] == "reference"]
    assert len(sentences) == int((rows["clear_item"] | rows["clear_paragraph"]).sum())
    for sentence in sentences:
        theme = sentence.split(": a clear ")[0]
        by_unit = re.search(rf"({NUMBER}) points \(95% CI [^)]*\)(?: by unit|; by paragraph)", sentence)
        d_item, d_para = diff(theme, None), diff(theme, "w")
        r = rows.set_index("theme").loc[theme]
        assert r["diff_item"] == pytest.approx(d_item) and r["diff_paragraph"] == pytest.approx(d_para)
        if "by unit only" in sentence or "under both counts" in sentence:
            assert by_unit and _num(by_unit[1]) == pytest.approx(100 * d_item, abs=0.051)
        word = re.search(r"a clear (rise|fall)", sentence)[1]
        lead = d_para if "by paragraph only" in sentence else d_item
        assert word == ("rise" if lead > 0 else "fall")


def test_the_reference_method_in_the_themes_table_is_the_coding(direct):
    from analysis.themes import theme_tables

    names = dict(zip(load_codebook().ids, load_codebook().names, strict=True))
    long, themes = theme_tables(reference=read_coding(CODING_DIR / "reference.csv"))
    rows = long.set_index("rec_id").loc[direct["rec_id"]]
    assert (rows["method"] == "reference").all() and (rows["weight"] == 1.0).all()
    assert (rows["theme_id"].to_numpy() == direct["primary"].to_numpy()).all()
    first = direct["secondary"].fillna("").str.split(";").str[0].map(lambda t: names.get(t, ""))
    assert (rows["secondary_theme"].to_numpy() == first.to_numpy()).all()
    assert themes.set_index("theme_id")["size"].sum() == len(direct)
    # the table notebook 03 reads holds the same rows
    saved = trends.read_assignments()
    saved = saved.loc[saved["method"] == "reference"].set_index("rec_id").loc[direct["rec_id"]]
    assert (saved["theme_id"].to_numpy() == direct["primary"].to_numpy()).all()


def test_the_notebook_states_the_same_findings_with_english_theme_names(built):
    """The notebook reads the sentences in English: the same findings, each theme under its codebook ``name_en``."""
    change = built[3]
    english = {t.name: t.name_en for t in load_codebook().themes}
    named = trends.in_language(change, "en")
    spanish_sentences = trends.finding_sentences(change, "reference")
    english_sentences = trends.finding_sentences(named, "reference")
    assert len(english_sentences) == len(spanish_sentences) == (change["method"] == "reference").sum()
    for es, en in zip(spanish_sentences, english_sentences, strict=True):
        theme = next(name for name in english if es.startswith(name + " "))
        assert en == english[theme] + es[len(theme):]
    assert trends.clear_summary(named, "reference") == _swap(trends.clear_summary(change, "reference"), english)


def _swap(text: str, names: dict[str, str]) -> str:
    for es, en in sorted(names.items(), key=lambda kv: -len(kv[0])):
        text = text.replace(es, en)
    return text

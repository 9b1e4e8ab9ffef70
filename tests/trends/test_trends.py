"""Priority shifts: prevalence, bootstrap, change, concentration (analysis.trends.estimator)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis import trends
from analysis._format import format_ids
from analysis.trends._statistics import bootstrap_multiplicities
from analysis.trends.estimator import SHARE_COLUMNS
from analysis.trends.inputs import meeting_table, primary_themes
from analysis.data.corpus import load_corpus
from analysis.data.paths import PROCESSED_DIR

N_BOOT = 300  # enough for the properties; the default (2,000) is for the analysis


@pytest.fixture(scope="module")
def corpus():
    return load_corpus()


@pytest.fixture(scope="module")
def rec_ids(corpus):
    return corpus.recommendations["rec_id"].astype(str).to_numpy()


def assign(rec_ids, themes, *, method="codebook", weight=None):
    """Assignments with one row per unit: ``themes[i]`` is the theme name of unit i."""
    themes = np.asarray(themes, dtype=object)
    return pd.DataFrame({
        "rec_id": rec_ids,
        "method": method,
        "theme_id": [f"T{t}" if not str(t).startswith("T") else t for t in themes],
        "theme": themes.astype(str),
        "weight": 1.0 if weight is None else weight,
    })


def skewed(rec_ids, probs, seed, method="codebook"):
    rng = np.random.default_rng(seed)
    picks = rng.choice(len(probs), size=len(rec_ids), p=probs)
    return assign(rec_ids, [f"Theme {k + 1:02d}" for k in picks], method=method).assign(
        theme_id=[f"T{k + 1:02d}" for k in picks]
    )


# Random assignments: 1 to 7 themes with random (often very uneven) probabilities,
# so that many themes are missing from some meetings.
assignment_params = st.tuples(
    st.lists(st.floats(0.01, 1.0), min_size=1, max_size=7),
    st.integers(0, 2**32 - 1),
    st.sampled_from(trends.LEVELS),
    st.booleans(),
)
PROPERTY_SETTINGS = settings(
    max_examples=20, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _probs(raw):
    p = np.array(raw) ** 3  # skew: some themes rare
    return p / p.sum()


# --------------------------------------------------------------------------- properties


@PROPERTY_SETTINGS
@given(params=assignment_params)
def test_properties_of_the_share_table_on_random_assignments(corpus, rec_ids, params):
    raw, seed, level, attribute_proposed = params
    probs = _probs(raw)
    fake = pd.concat([skewed(rec_ids, probs, seed, "codebook"), skewed(rec_ids, probs, seed + 1, "discovery")])
    shares = trends.theme_prevalence(fake, corpus, level=level, attribute_proposed=attribute_proposed, n_boot=N_BOOT)
    n_themes = shares.groupby("method")["theme"].nunique()
    # zero rows: every method x meeting x theme is there
    assert len(shares) == 8 * n_themes.sum()
    assert not shares.duplicated(["method", "meeting", "theme"]).any()
    filled = shares.loc[shares["n_total"] > 0]
    # shares sum to 1 per meeting and method; n sums to the meeting's total
    by = filled.groupby(["method", "meeting"], observed=True)
    np.testing.assert_allclose(by["share"].sum(), 1.0, atol=1e-9)
    np.testing.assert_allclose(by["weight_share"].sum(), 1.0, atol=1e-9)
    np.testing.assert_allclose(by["n"].sum(), by["n_total"].first(), atol=1e-9)
    # every CI contains its estimate and lies in [0, 1]
    assert (filled["ci_low"] <= filled["share"] + 1e-12).all()
    assert (filled["share"] <= filled["ci_high"] + 1e-12).all()
    assert filled["ci_low"].between(0, 1).all() and filled["ci_high"].between(0, 1).all()
    # a theme absent from a meeting: n = 0, share 0, CI [0, 0], no rec_ids
    absent = filled.loc[filled["n"] == 0]
    assert (absent["share"] == 0).all() and (absent["ci_high"] == 0).all() and (absent["rec_ids"] == "").all()
    # a theme that fills a whole meeting: CI [1, 1]
    full = filled.loc[np.isclose(filled["share"], 1)]
    assert np.allclose(full[["ci_low", "ci_high"]], 1)
    # the rec_ids behind n are exactly the units counted (item level)
    if level == "item":
        assert (filled["rec_ids"].str.split().str.len().fillna(0) == filled["n"]).all()
    # meeting III: explicit, empty unless paragraph 46 of meeting IV is attributed to it
    third = shares.loc[shares["roman"] == "III"]
    if attribute_proposed:
        expected = 10 if level == "item" else 1
        assert (third["n_total"] == expected).all()
    else:
        assert (third["n_total"] == 0).all() and third["share"].isna().all()


@PROPERTY_SETTINGS
@given(params=assignment_params)
def test_period_change_on_random_assignments(corpus, rec_ids, params):
    raw, seed, level, attribute_proposed = params
    fake = skewed(rec_ids, _probs(raw), seed)
    ch = trends.ThemeTrends.build(fake, corpus, level=level, attribute_proposed=attribute_proposed, n_boot=N_BOOT).change()
    assert ch["rank"].tolist() == list(range(1, len(ch) + 1))
    assert ch["diff"].is_monotonic_decreasing
    np.testing.assert_allclose(ch["share_early"].sum(), 1.0)
    np.testing.assert_allclose(ch["share_late"].sum(), 1.0)
    np.testing.assert_allclose(ch["diff"], ch["share_late"] - ch["share_early"])
    for p in ("early", "late"):
        assert (ch[f"low_{p}"] <= ch[f"share_{p}"] + 1e-12).all() and (ch[f"share_{p}"] <= ch[f"high_{p}"] + 1e-12).all()
    assert ((ch["diff_low"] <= ch["diff"] + 1e-12) & (ch["diff"] <= ch["diff_high"] + 1e-12)).all()
    assert (ch["ci_excludes_0"] == ((ch["diff_low"] > 0) | (ch["diff_high"] < 0))).all()
    # clear: Holm-adjusted p below 5%, never more than the unadjusted test allows
    assert (ch["clear"] == (ch["p_adjusted"] < 0.05)).all()
    assert (ch["p_adjusted"] >= ch["p_value"] - 1e-9).all() and not (ch["clear"] & (ch["p_value"] >= 0.05)).any()
    # a theme never seen has no first meeting; a theme seen has first <= last
    seen = ch.loc[ch["n_meetings"].notna()]
    order = {r: i for i, r in enumerate(["I", "II", "III", "IV", "V", "VI", "VII", "VIII"])}
    assert (seen["first_meeting"].map(order) <= seen["last_meeting"].map(order)).all()


@settings(max_examples=30, deadline=None, derandomize=True)
@given(sizes=st.lists(st.integers(0, 40), min_size=1, max_size=8), seed=st.integers(0, 2**32 - 1))
def test_bootstrap_multiplicities_resample_within_each_group(sizes, seed):
    mult = bootstrap_multiplicities(sizes, n_boot=50, seed=seed)
    assert [m.shape for m in mult] == [(50, n) for n in sizes]
    for m, n in zip(mult, sizes, strict=True):
        assert (m >= 0).all() and (m.sum(axis=1) == n).all()
    again = bootstrap_multiplicities(sizes, n_boot=50, seed=seed)
    assert all(np.array_equal(a, b) for a, b in zip(mult, again, strict=True))


# --------------------------------------------------------------------------- bootstrap


def test_bootstrap_is_deterministic_for_a_seed_and_changes_with_it(corpus, rec_ids):
    fake = skewed(rec_ids, [0.5, 0.3, 0.2], 7)
    a = trends.theme_prevalence(fake, corpus, n_boot=500, seed=11)
    b = trends.theme_prevalence(fake, corpus, n_boot=500, seed=11)
    c = trends.theme_prevalence(fake, corpus, n_boot=500, seed=12)
    pd.testing.assert_frame_equal(a, b)
    assert not np.allclose(a["ci_low"].dropna(), c["ci_low"].dropna())
    pd.testing.assert_series_equal(a["share"], c["share"])  # the estimates do not depend on the seed


def test_a_meetings_draws_do_not_depend_on_the_other_meetings():
    a = bootstrap_multiplicities([5, 9], n_boot=20, seed=3, keys=[1, 2])
    b = bootstrap_multiplicities([9], n_boot=20, seed=3, keys=[2])
    assert np.array_equal(a[1], b[0])


def test_bootstrap_multiplicities_are_uniform_on_average():
    (m,) = bootstrap_multiplicities([30], n_boot=20000, seed=0)
    np.testing.assert_allclose(m.mean(axis=0), 1.0, atol=0.03)  # each unit drawn once on average
    np.testing.assert_allclose(m.var(axis=0), 1 - 1 / 30, atol=0.05)  # binomial(30, 1/30)


def test_ci_width_matches_the_binomial_standard_error(corpus, rec_ids):
    """Meeting II has 61 units; a theme with 30 of them has se = sqrt(p(1-p)/n) ≈ 0.064."""
    meeting = corpus.recommendations["meeting"].astype(int).to_numpy()
    themes = np.where(np.arange(len(rec_ids)) % 2 == 0, "A", "B")
    shares = trends.theme_prevalence(assign(rec_ids, themes), corpus, n_boot=4000)
    row = shares.loc[(shares["roman"] == "II") & (shares["theme"] == "A")].iloc[0]
    n, p = int((meeting == 2).sum()), row["share"]
    se = np.sqrt(p * (1 - p) / n)
    assert row["ci_high"] - row["ci_low"] == pytest.approx(2 * 1.96 * se, rel=0.12)


# --------------------------------------------------------------------------- known answers


def test_known_shares_and_change_on_a_constructed_assignment(corpus, rec_ids):
    """Everything is theme A, except meeting VIII, which is all B."""
    meeting = corpus.recommendations["meeting"].astype(int).to_numpy()
    fake = assign(rec_ids, np.where(meeting == 8, "B", "A"))
    shares = trends.theme_prevalence(fake, corpus, n_boot=N_BOOT).set_index(["roman", "theme"])
    assert shares.loc[("VIII", "B"), ["n", "n_total", "share", "ci_low", "ci_high"]].tolist() == [25, 25, 1.0, 1.0, 1.0]
    assert shares.loc[("VIII", "A"), ["n", "share", "ci_low", "ci_high", "rec_ids"]].tolist() == [0, 0.0, 0.0, 0.0, ""]
    assert shares.loc[("VII", "A"), "rec_ids"].split()[:2] == ["7.1.a", "7.1.b"]
    ch = trends.ThemeTrends.build(fake, corpus, n_boot=N_BOOT).change().set_index("theme")
    # early 2009-2011 = I, II, IV (172 units); late 2015-2018 = VI, VII, VIII (72 units)
    assert ch.loc["B", ["n_early", "total_early", "n_late", "total_late", "rank"]].tolist() == [0, 172, 25, 72, 1]
    assert ch.loc["B", "diff"] == pytest.approx(25 / 72)
    assert ch.loc["B", "clear"] and ch.loc["A", "clear"]
    assert ch.loc["B", "p_exact"] < 1e-12 and ch["p_exact"].between(0, 1).all()
    assert ch.loc["B", ["first_meeting", "last_meeting", "n_meetings"]].tolist() == ["VIII", "VIII", 1]
    assert ch.loc["A", ["first_meeting", "last_meeting", "n_meetings"]].tolist() == ["I", "VII", 6]


def test_paragraph_level_gives_each_paragraph_one_vote(corpus, rec_ids):
    """Meeting VIII: paragraph 1 has 17 items, paragraph 2 has 8. Item level 17/25; paragraph level 1/2."""
    para = corpus.recommendations["rec_id"].str.rsplit(".", n=1).str[0].to_numpy()
    fake = assign(rec_ids, np.where(para == "8.1", "A", "B"))
    item = trends.theme_prevalence(fake, corpus, n_boot=N_BOOT).set_index(["roman", "theme"])
    para_level = trends.theme_prevalence(fake, corpus, level="paragraph", n_boot=N_BOOT).set_index(["roman", "theme"])
    assert item.loc[("VIII", "A"), ["n", "n_total", "share"]].tolist() == [17, 25, 17 / 25]
    assert para_level.loc[("VIII", "A"), ["n", "n_total", "share"]].tolist() == [1.0, 2, 0.5]
    assert para_level.loc[("VIII", "A"), "rec_ids"].split() == [f"8.1.{c}" for c in "abcdefghijklmnopq"]
    # units split between themes within one paragraph weigh 1/n_items each
    mixed = assign(rec_ids, np.where(np.isin(rec_ids, ["1.5.a"]), "A", "B"))
    m = trends.theme_prevalence(mixed, corpus, level="paragraph", n_boot=N_BOOT).set_index(["roman", "theme"])
    assert m.loc[("I", "A"), "n"] == pytest.approx(0.5)  # paragraph 1.5 has items a) and b)
    assert m.loc[("I", "A"), "rec_ids"] == "1.5.a"


def test_attribute_proposed_moves_paragraph_46_to_meeting_three(corpus, rec_ids):
    fake = assign(rec_ids, np.where(np.char.startswith(rec_ids.astype(str), "4.46."), "C", "A"))
    default = trends.theme_prevalence(fake, corpus, n_boot=N_BOOT).set_index(["roman", "theme"])
    moved = trends.theme_prevalence(fake, corpus, attribute_proposed=True, n_boot=N_BOOT).set_index(["roman", "theme"])
    assert default.loc[("IV", "C"), ["n", "n_total"]].tolist() == [10, 65]
    assert np.isnan(default.loc[("III", "C"), "share"])
    assert moved.loc[("III", "C"), ["n", "n_total", "share"]].tolist() == [10, 10, 1.0]
    assert moved.loc[("IV", "C"), ["n", "n_total"]].tolist() == [0, 55]
    assert str(moved.loc[("III", "C"), "date"].date()) == "2010-10-19"
    meetings = meeting_table(corpus, attribute_proposed=True).set_index("roman")
    assert "proposed here" in meetings.loc["III", "note"]


def test_weight_share_uses_every_assignment_row(corpus, rec_ids):
    """Each unit: primary A (weight 0.6) and secondary B (0.4). Count share of A is 1, weight share 0.6."""
    fake = pd.concat([
        assign(rec_ids, ["A"] * len(rec_ids), weight=0.6),
        assign(rec_ids, ["B"] * len(rec_ids), weight=0.4),
    ])
    shares = trends.theme_prevalence(fake, corpus, n_boot=N_BOOT)
    a = shares.loc[(shares["theme"] == "A") & (shares["n_total"] > 0)]
    assert (a["share"] == 1).all()
    np.testing.assert_allclose(a["weight_share"], 0.6)


def test_primary_theme_is_the_heaviest_with_ties_to_the_first_theme():
    df = pd.DataFrame({
        "rec_id": ["1.1", "1.1", "1.2", "1.2"], "method": ["m"] * 4,
        "theme_id": ["T2", "T1", "T2", "T1"], "theme": ["B", "A", "B", "A"], "weight": [0.7, 0.3, 0.5, 0.5],
    })
    assert primary_themes(df)["theme"].tolist() == ["B", "A"]


def test_codebook_order_wins_over_theme_id_order(tmp_path):
    book = tmp_path / "codebook.toml"
    book.write_text('[[theme]]\nid = "zeta"\nname = "Z"\n\n[[theme]]\nid = "alfa"\nname = "A"\n', encoding="utf-8")
    df = pd.DataFrame({"rec_id": ["1.1", "1.2", "1.3"], "method": ["codebook"] * 3,
                       "theme_id": ["alfa", "zeta", "otro"], "theme": ["A", "Z", "O"]})
    assert trends.theme_order(df, codebook=book) == {"codebook": ["Z", "A", "O"]}


def test_assignments_must_cover_every_unit(corpus, rec_ids):
    fake = assign(rec_ids[:-1], ["A"] * (len(rec_ids) - 1))
    with pytest.raises(ValueError, match="units without a theme"):
        trends.theme_prevalence(fake, corpus, n_boot=10)
    with pytest.raises(ValueError, match="level must be"):
        trends.theme_prevalence(assign(rec_ids, ["A"] * len(rec_ids)), corpus, level="sentence")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="non-negative"):
        trends.theme_prevalence(assign(rec_ids, ["A"] * len(rec_ids), weight=-1.0), corpus)


# --------------------------------------------------------------------------- concentration


def test_concentration_of_a_one_theme_meeting_and_an_even_meeting(corpus, rec_ids):
    meeting = corpus.recommendations["meeting"].astype(int).to_numpy()
    idx = np.arange(len(rec_ids))
    # meeting VIII: one theme; meeting V (44 units): 4 themes x 11 units
    themes = np.where(meeting == 8, "A", np.array(["A", "B", "C", "D"])[idx % 4])
    conc = trends.ThemeTrends.build(assign(rec_ids, themes), corpus, n_boot=N_BOOT).concentration().set_index("roman")
    assert conc.loc["VIII", ["n_themes", "hhi", "hhi_corrected"]].tolist() == [1, 1.0, 1.0]
    assert conc.loc["VIII", "entropy"] == pytest.approx(0.0)
    assert conc.loc["V", "hhi"] == pytest.approx(0.25)
    assert conc.loc["V", "hhi_corrected"] == pytest.approx((44 * 0.25 - 1) / 43)
    assert conc.loc["V", "entropy"] == pytest.approx(1 + 3 / (2 * 44) / np.log(4))  # Miller-Madow
    assert np.isnan(conc.loc["III", "entropy"])
    filled = conc.dropna(subset=["hhi"])
    for m in ("entropy", "hhi", "hhi_corrected"):
        assert (filled[f"{m}_low"] <= filled[m] + 1e-9).all() and (filled[m] <= filled[f"{m}_high"] + 1e-9).all()


def test_concentration_change_sees_late_meetings_focus(corpus, rec_ids):
    meeting = corpus.recommendations["meeting"].astype(int).to_numpy()
    idx = np.arange(len(rec_ids))
    themes = np.where(meeting >= 6, np.array(["A", "A", "A", "B"])[idx % 4], np.array(list("ABCDEF"))[idx % 6])
    table = trends.ThemeTrends.build(assign(rec_ids, themes), corpus, n_boot=N_BOOT).concentration_change()
    cc = table.iloc[0]
    assert cc["more_focused"] and cc["clear"] and cc["diff_low"] > 0
    assert trends.concentration_sentences(table)[0].endswith(": more focused late.")


# --------------------------------------------------------------------------- robustness and output


def test_level_robustness_flags_a_conclusion_that_flips(corpus, rec_ids):
    """Meeting VIII's long paragraph 1 (17 items) is theme A, and about 12% of the early units; the rest is B.

    By items A rises (17 of 72 late units); by paragraphs it falls (1 of 26 late paragraphs).
    """
    para = corpus.recommendations["rec_id"].str.rsplit(".", n=1).str[0].to_numpy()
    year = corpus.recommendations["year"].astype(int).to_numpy()
    rng = np.random.default_rng(0)
    themes = np.where(para == "8.1", "A", np.where((year <= 2011) & (rng.random(len(para)) < 0.12), "A", "B"))
    rob = trends.level_robustness(assign(rec_ids, themes), corpus, n_boot=N_BOOT, resample="unit").set_index("theme")
    assert rob.loc["A", "diff_item"] > 0.1
    assert rob.loc["A", "diff_paragraph"] < 0
    assert not rob.loc["A", "same_direction"] and not rob.loc["A", "same_verdict"]
    assert rob.loc["B", "diff_item"] == pytest.approx(-rob.loc["A", "diff_item"])
    table = trends.robustness_table(rob.reset_index(), "codebook")
    assert table.loc["A", "same conclusion"] == "no" and table.loc["A", "by item, points (95% CI)"].startswith("+")
    sentences = trends.robustness_sentences(rob.reset_index(), "codebook")
    clear = rob.loc[rob["clear_item"] | rob["clear_paragraph"]]
    assert len(sentences) == len(clear) and all(s.startswith(tuple(f"{t}: a clear" for t in clear.index)) for s in sentences)
    summary = trends.robustness_summary(rob.reset_index()).iloc[0]
    assert summary["themes"] == 2 and summary["same direction"] == 0
    # resampling whole paragraphs (the default), the rise carried by one paragraph is no longer clear
    clustered = trends.level_robustness(assign(rec_ids, themes), corpus, n_boot=N_BOOT).set_index("theme")
    assert clustered.loc["A", "diff_item"] == pytest.approx(rob.loc["A", "diff_item"])
    assert not clustered.loc["A", "clear_item"]


def test_theme_shares_table_has_the_published_columns(corpus, rec_ids):
    shares = trends.theme_prevalence(skewed(rec_ids, [0.6, 0.4], 1), corpus, n_boot=N_BOOT)
    table = trends.theme_shares_table(shares)
    assert list(table.columns) == list(SHARE_COLUMNS)
    assert len(table) == len(shares)


def test_format_ids_caps_long_lists():
    ids = [f"1.{i}" for i in range(1, 21)]
    assert format_ids(ids) == ", ".join(ids[:15]) + " … and 5 more"
    assert format_ids(ids[:3]) == "1.1, 1.2, 1.3"


# --------------------------------------------------------------------------- reference labels


def test_reference_agreement_is_perfect_for_the_same_labels_and_poor_for_other_ones(corpus, rec_ids):
    fake = skewed(rec_ids, [0.4, 0.3, 0.2, 0.1], 3)
    held_out = fake.iloc[::4][["rec_id", "theme_id"]]
    same = trends.reference_agreement(fake, held_out, corpus).set_index("meeting")
    assert same.loc["all", "n_labelled"] == len(held_out)
    assert (same["agreement"] == 1).all() and (same["tvd_same_units"] == 0).all()
    assert "III" not in same.index  # no units of its own
    other = held_out.assign(theme_id=np.roll(held_out["theme_id"].to_numpy(), 7))
    shuffled = trends.reference_agreement(fake, other, corpus).set_index("meeting")
    assert shuffled.loc["all", "agreement"] < 0.6
    assert shuffled.loc["all", "tvd_same_units"] == pytest.approx(0.0, abs=1e-9)  # same overall mix, other units
    assert shuffled.drop(index="all")["tvd_same_units"].max() > 0.1  # but not the same mix per meeting
    wrong = held_out.assign(theme_id="T99")
    assert trends.reference_agreement(fake, wrong, corpus).set_index("meeting").loc["all", "tvd_same_units"] == 1


# --------------------------------------------------------------------------- figures


@pytest.fixture(scope="module")
def built(corpus, rec_ids):
    meeting = corpus.recommendations["meeting"].astype(int).to_numpy()
    # theme C only in meeting VIII (so it is absent, a true zero, elsewhere); A and B alternate
    themes = np.where(meeting == 8, "C", np.where(np.arange(len(rec_ids)) % 3 == 0, "B", "A"))
    tt = trends.ThemeTrends.build(assign(rec_ids, themes), corpus, n_boot=N_BOOT)
    return tt, tt.prevalence(), tt.change(), tt.concentration()


def _figures(built):
    from analysis.viz import trends as tp

    _, shares, change, conc = built
    return {
        "bars": tp.stacked_bars(shares),
        "heatmap": tp.share_heatmap(shares),
        "small_date": tp.share_small_multiples(shares),
        "small_meeting": tp.share_small_multiples(shares, time_axis="meeting"),
        "slope": tp.slope_chart(change),
        "bump": tp.rank_bump_chart(shares, highlight=["C"]),
        "concentration": tp.concentration_chart(conc),
    }


def test_every_figure_has_title_unit_subtitle_axes_source_and_caption(built):
    from analysis.viz.style import figure_meta, uses_template

    for name, fig in _figures(built).items():
        assert fig.layout.title.text, name
        subtitle = fig.layout.title.subtitle.text
        assert "units" in subtitle or "paragraphs" in subtitle, name
        axis_titles = [a.title.text for a in (fig.layout.xaxis, fig.layout.yaxis) if a.title.text]
        annotations = " ".join(a.text for a in fig.layout.annotations)
        assert len(axis_titles) == 2 or ("Share of the meeting's units" in annotations), name
        assert uses_template(fig) and figure_meta(fig)["caption"], name
        assert any(a.text and "Working Group on Trafficking" in a.text for a in fig.layout.template.layout.annotations)


def test_hover_text_lists_the_recommendations_behind_a_point(built):
    figs = _figures(built)
    bars = {t.name: t for t in figs["bars"].data}
    viii = list(bars["C"].x).index("VIII · Jul 2018")
    hover = bars["C"].hovertext[viii]
    assert "100.0% (25 of 25 units)" in hover and "8.1.a, 8.1.b" in hover and "… and 10 more" in hover
    assert "95% CI 100.0% to 100.0%" in hover
    heat = figs["heatmap"].data[0]
    assert "Recommendations: 1.1," in heat.hovertext[list(heat.y).index("B")][0]
    slope = next(t for t in figs["slope"].data if t.name == "C")
    assert "Recommendations: none" in slope.hovertext[0] and "8.1.a" in slope.hovertext[1]


def test_zeros_are_drawn_and_meeting_three_is_a_gap(built):
    figs = _figures(built)
    bars = {t.name: t for t in figs["bars"].data}
    ys = dict(zip(bars["C"].x, bars["C"].y, strict=True))
    assert ys["I · Apr 2009"] == 0 and np.isnan(ys["III · Oct 2010"])  # a true zero, and no data
    heat = figs["heatmap"].data[0]
    row = list(heat.y).index("C")
    assert heat.text[row][0] == "0%" and heat.text[row][2] == "" and heat.text[row][-1] == "100%"
    small = [t for t in figs["small_date"].data if t.name == "C"][0]
    assert list(small.y[:2]) == [0, 0] and np.isnan(small.y[2]) and small.connectgaps is False
    band = [t for t in figs["small_date"].data if t.name == "C: 95% CI"][0]
    assert None in list(band.x)  # the band breaks at meeting III
    assert "No meeting in 2012, 2014 or 2016" in " ".join(a.text for a in figs["small_date"].layout.annotations)
    assert "III" not in list(figs["bump"].data[0].x)[0]


def test_one_colour_per_theme_keyed_by_its_id(built):
    from analysis.viz.labels import theme_color

    shares = built[1]
    expected = {name: theme_color(tid) for name, tid in
                shares[["theme", "theme_id"]].drop_duplicates().itertuples(index=False)}
    figs = _figures(built)
    assert {t.name: t.marker.color for t in figs["bars"].data} == expected
    assert {t.name: t.line.color for t in figs["slope"].data} == expected
    bump = {t.name: t.line.color for t in figs["bump"].data}
    assert bump["C"] == expected["C"] and bump["A"] != expected["A"]  # only the highlighted theme keeps its colour


def test_paragraph_level_figures_say_so(corpus, rec_ids):
    from analysis.viz import trends as tp

    tt = trends.ThemeTrends.build(skewed(rec_ids, [0.5, 0.5], 2), corpus, level="paragraph", n_boot=N_BOOT)
    for fig in (tp.slope_chart(tt.change()), tp.stacked_bars(tt.prevalence())):
        assert "numbered paragraphs (each counts 1" in fig.layout.title.subtitle.text
    assert list(tp.slope_chart(tt.change()).layout.xaxis.ticktext) == [
        "2009–2011<br>(127 paragraphs)", "2015–2018<br>(26 paragraphs)"
    ]


def test_time_axis_is_true_time_and_meeting_axis_is_evenly_spaced(built):
    figs = _figures(built)
    assert figs["small_date"].layout.xaxis.type == "date"
    assert figs["small_meeting"].layout.xaxis.type == "category"
    assert list(figs["small_meeting"].layout.xaxis.ticktext) == ["I", "II", "III", "IV", "V", "VI", "VII", "VIII"]


def test_paragraph_level_concentration_is_the_overlap_of_two_different_paragraphs(corpus, rec_ids):
    """VIII: paragraph 1 all A, paragraph 2 all B -> two paragraphs never share a theme: corrected HHI 0."""
    para = corpus.recommendations["rec_id"].str.rsplit(".", n=1).str[0].to_numpy()
    themes = np.where(para == "8.1", "A", np.where(np.isin(rec_ids, ["1.5.a"]), "A", "B"))
    conc = trends.ThemeTrends.build(assign(rec_ids, themes), corpus, level="paragraph", n_boot=N_BOOT)
    conc = conc.concentration().set_index("roman")
    assert conc.loc["VIII", ["n_total", "hhi", "hhi_corrected"]].tolist() == [2, 0.5, 0.0]
    # I: 23 paragraphs, 22 all B and one (1.5) half A, half B: pairs overlap 1 (21·22 of them) or 0.5 (2·22)
    expected = (22 * 21 * 1 + 2 * 22 * 0.5) / (23 * 22)
    assert conc.loc["I", "hhi_corrected"] == pytest.approx(expected)
    assert (conc["hhi_corrected"].dropna() >= 0).all()


# --------------------------------------------------------------------------- the real theme assignments

needs_real = pytest.mark.skipif(
    not (PROCESSED_DIR / "recommendation_themes.csv").exists(),
    reason="the themes step (notebook 02) has not written recommendation_themes.csv",
)


@pytest.fixture(scope="module")
def real(corpus):
    assignments = trends.read_assignments()
    return assignments, trends.ThemeTrends.build(assignments, corpus)


@needs_real
def test_real_shares_match_a_direct_count_of_the_assignments(corpus, real):
    assignments, tt = real
    shares = tt.prevalence()
    units = corpus.recommendations[["rec_id", "meeting"]].astype({"rec_id": str, "meeting": int})
    direct = (assignments.astype({"rec_id": str}).merge(units, on="rec_id")
              .groupby(["method", "meeting", "theme"]).size().rename("direct"))  # fmt: skip
    got = shares.loc[shares["n"] > 0].astype({"meeting": int}).set_index(["method", "meeting", "theme"])["n"]
    pd.testing.assert_series_equal(got.sort_index(), direct.sort_index().astype(got.dtype), check_names=False)
    filled = shares.loc[shares["n_total"] > 0]
    np.testing.assert_allclose(filled.groupby(["method", "meeting"], observed=True)["share"].sum(), 1.0)
    assert ((filled["ci_low"] <= filled["share"]) & (filled["share"] <= filled["ci_high"])).all()
    assert set(shares["method"]) == {"codebook", "discovery", "reference"}
    assert (shares.groupby("method")["meeting"].nunique() == 8).all()


@needs_real
@pytest.mark.skipif(not (PROCESSED_DIR / "theme_shares.csv").exists(), reason="notebook 03 has not run yet")
def test_committed_theme_shares_equal_a_fresh_computation(real):
    from analysis.data.tables import read_table, to_csv_text

    _, tt = real
    fresh = trends.theme_shares_table(tt.prevalence())
    committed = (PROCESSED_DIR / "theme_shares.csv").read_text(encoding="utf-8")
    assert committed == to_csv_text(fresh), "data/processed/theme_shares.csv is stale: run notebook 03"
    back = read_table("theme_shares")
    assert list(back.columns) == list(SHARE_COLUMNS) and len(back) == len(fresh)


@pytest.mark.skipif(not (PROCESSED_DIR / "theme_shares.csv").exists(), reason="notebook 03 has not run yet")
@pytest.mark.parametrize("method", ["codebook", "discovery"])
@pytest.mark.parametrize("value", ["share", "n", "ci_high"])
def test_theme_by_meeting_on_the_saved_shares(method, value):
    from analysis.data.tables import read_table

    long = read_table("theme_shares")
    wide = trends.theme_by_meeting(long, method=method, value=value)
    rows = long.loc[long["method"] == method]
    assert wide.index.tolist() == list(dict.fromkeys(rows["theme"].astype(str)))
    assert wide.columns.tolist() == ["I", "II", "III", "IV", "V", "VI", "VII", "VIII"]
    if method == "codebook":  # the codebook's order
        from analysis.themes.codebook import codebook_ids

        ids, codebook = list(dict.fromkeys(rows["theme_id"].astype(str))), codebook_ids()
        assert [i for i in ids if i in codebook] == [i for i in codebook if i in ids] and len(set(ids) & set(codebook)) > 10
    for row in rows.itertuples():
        got, expected = wide.loc[str(row.theme), str(row.roman)], getattr(row, value)
        assert (pd.isna(got) and pd.isna(expected)) or got == expected
    assert wide.size == len(rows)
    if value != "n":
        assert wide["III"].isna().all()


def test_theme_by_meeting_names_what_it_lacks():
    shares = pd.DataFrame({"method": ["codebook"], "meeting": [1], "roman": ["I"], "theme": ["A"], "share": [1.0]})
    with pytest.raises(ValueError, match="method 'discovery'"):
        trends.theme_by_meeting(shares, method="discovery")
    with pytest.raises(ValueError, match="value must be one of"):
        trends.theme_by_meeting(shares, value="rec_ids")

"""Findings of the priority shifts in words: readable tables and report sentences.

Each function takes a table of :class:`analysis.trends.ThemeTrends` (or of
:func:`analysis.trends.level_robustness`) and returns a table or sentences for
notebook 03; numbers are formatted by :mod:`analysis._format`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis._format import pct as _pct
from analysis._format import signed
from analysis.viz.labels import theme_label

__all__ = [
    "change_sentences",
    "change_table",
    "clear_summary",
    "concentration_sentences",
    "finding_sentences",
    "in_language",
    "model_comparison",
    "model_distance",
    "regression_sentences",
    "regression_table",
    "robustness_sentences",
    "robustness_summary",
    "robustness_table",
]



def in_language(table: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """``table`` with its ``theme`` column in ``lang``, from ``theme_id`` (codebook and discovered themes).

    The tables of :class:`~analysis.trends.ThemeTrends` name themes as the
    data does (Spanish codebook names, discovered themes by their terms); the
    sentences and tables of this module are in English, so pass them the
    table in English. A theme without a label keeps its name.

    Examples
    --------
    >>> rows = pd.DataFrame({"theme_id": ["proteccion"], "theme": ["Protección y asistencia a las víctimas"]})
    >>> in_language(rows, "en")["theme"].tolist()
    ['Protection and assistance of victims']
    """
    names = [theme_label(str(i), lang, fallback=str(t)) for i, t in zip(table["theme_id"], table["theme"], strict=True)]  # type: ignore[arg-type]
    return table.assign(theme=names)


def change_table(change: pd.DataFrame, method: str = "reference") -> pd.DataFrame:
    """The early-late change of one method as a readable table, largest rise first.

    Examples
    --------
    >>> from analysis.data.corpus import load_corpus
    >>> from analysis.trends import ThemeTrends, synthetic_assignments, theme_prevalence
    >>> corpus = load_corpus()
    >>> ch = ThemeTrends.build(synthetic_assignments(corpus, n_themes=2, methods=["m"]), corpus, n_boot=100).change()
    >>> change_table(ch, "m").columns.tolist()
    ['2009–2011, % (95% CI)', '2015–2018, % (95% CI)', 'change, points (95% CI)', 'p', 'Holm-adjusted p', 'clear change', 'first seen', 'last seen']
    """
    rows = change.loc[change["method"] == method].sort_values("rank")
    early, late = rows["early"].iloc[0], rows["late"].iloc[0]

    def cell(share: pd.Series, low: pd.Series, high: pd.Series) -> list[str]:
        return [f"{100 * s:.1f} ({100 * lo:.1f}–{100 * hi:.1f})" for s, lo, hi in zip(share, low, high, strict=True)]

    return pd.DataFrame({
        "theme": rows["theme"].astype(str),
        f"{early}, % (95% CI)": cell(rows["share_early"], rows["low_early"], rows["high_early"]),
        f"{late}, % (95% CI)": cell(rows["share_late"], rows["low_late"], rows["high_late"]),
        "change, points (95% CI)": [
            f"{signed(100 * d)} ({signed(100 * lo)} to {signed(100 * hi)})"
            for d, lo, hi in zip(rows["diff"], rows["diff_low"], rows["diff_high"], strict=True)
        ],
        "p": rows["p_value"].map(_p),
        "Holm-adjusted p": rows["p_adjusted"].map(_p),
        "clear change": np.where(rows["clear"], np.where(rows["diff"] > 0, "rise", "fall"), ""),
        "first seen": rows["first_meeting"].fillna("never"),
        "last seen": rows["last_meeting"].fillna("never"),
    }).set_index("theme")  # fmt: skip


def change_sentences(change: pd.DataFrame, method: str = "reference", *, level: str = "item") -> list[str]:
    """One sentence per theme whose change is clear (Holm-adjusted p below 0.05), with its numbers, largest rise first.

    Examples
    --------
    >>> row = {"method": "m", "theme": "Protección", "clear": True, "rank": 1, "early": "2009", "late": "2017–2018",
    ...        "share_early": .1, "low_early": .05, "high_early": .2, "share_late": .4, "low_late": .3,
    ...        "high_late": .5, "diff": .3, "diff_low": .1, "diff_high": .45, "n_early": 4, "total_early": 40,
    ...        "n_late": 20, "total_late": 50}
    >>> print(change_sentences(pd.DataFrame([row]), "m")[0])
    Protección went from 10.0% of units in 2009 (95% CI 5.0–20.0%; 4 of 40) to 40.0% in 2017–2018 (95% CI 30.0–50.0%; 20 of 50): +30.0 percentage points (95% CI +10.0 to +45.0).
    """
    unit = "paragraphs" if level == "paragraph" else "units"
    rows = change.loc[(change["method"] == method) & change["clear"]].sort_values("rank")

    def n(x: float) -> str:
        return f"{x:g}" if float(x) == int(x) else f"{x:.1f}"

    return [
        f"{r.theme} went from {_pct(r.share_early)} of {unit} in {r.early} (95% CI {100 * r.low_early:.1f}–"
        f"{_pct(r.high_early)}; {n(r.n_early)} of {n(r.total_early)}) to {_pct(r.share_late)} in {r.late} "
        f"(95% CI {100 * r.low_late:.1f}–{_pct(r.high_late)}; {n(r.n_late)} of {n(r.total_late)}): "
        f"{signed(100 * r.diff)} percentage points (95% CI {signed(100 * r.diff_low)} to {signed(100 * r.diff_high)})."
        for r in rows.itertuples()
    ]


def robustness_summary(robustness: pd.DataFrame) -> pd.DataFrame:
    """Per method: how many themes keep the direction and the verdict of their change by paragraph.

    Examples
    --------
    >>> rob = pd.DataFrame({"method": ["m", "m"], "same_direction": [True, False], "same_verdict": [True, False],
    ...                     "clear_item": [True, False], "clear_paragraph": [True, True]})
    >>> robustness_summary(rob).to_dict("records")
    [{'method': 'm', 'themes': 2, 'clear by item': 1, 'clear by paragraph': 2, 'same direction': 1, 'same verdict': 1}]
    """
    g = robustness.groupby("method", sort=False)
    return pd.DataFrame({
        "themes": g.size(),
        "clear by item": g["clear_item"].sum(),
        "clear by paragraph": g["clear_paragraph"].sum(),
        "same direction": g["same_direction"].sum(),
        "same verdict": g["same_verdict"].sum(),
    }).astype(int).reset_index()  # fmt: skip


def robustness_table(robustness: pd.DataFrame, method: str = "codebook") -> pd.DataFrame:
    """The change of each theme by item and by paragraph, readable, for one method.

    Examples
    --------
    >>> rob = pd.DataFrame({"method": ["m"], "theme": ["A"], "diff_item": [0.1], "diff_low_item": [0.02],
    ...                     "diff_high_item": [0.2], "clear_item": [True], "diff_paragraph": [-0.05],
    ...                     "diff_low_paragraph": [-0.2], "diff_high_paragraph": [0.1], "clear_paragraph": [False],
    ...                     "same_direction": [False], "same_verdict": [False]})
    >>> robustness_table(rob, "m").iloc[0].tolist()
    ['+10.0 (+2.0 to +20.0)', '−5.0 (−20.0 to +10.0)', 'no']
    """
    rows = robustness.loc[robustness["method"] == method]

    def cell(level: str) -> list[str]:
        return [
            f"{signed(100 * d)} ({signed(100 * lo)} to {signed(100 * hi)})"
            for d, lo, hi in zip(rows[f"diff_{level}"], rows[f"diff_low_{level}"], rows[f"diff_high_{level}"], strict=True)
        ]

    return pd.DataFrame({
        "theme": rows["theme"].astype(str),
        "by item, points (95% CI)": cell("item"),
        "by paragraph, points (95% CI)": cell("paragraph"),
        "same conclusion": np.where(rows["same_verdict"], "yes", np.where(rows["same_direction"], "direction only", "no")),
    }).set_index("theme")  # fmt: skip


def _change_cell(diff: float, low: float, high: float) -> str:
    return f"{signed(100 * diff)} points (95% CI {signed(100 * low)} to {signed(100 * high)})"


def robustness_sentences(robustness: pd.DataFrame, method: str = "codebook") -> list[str]:
    """One sentence per theme whose change is clear under either unit of count, saying whether it holds under both.

    Examples
    --------
    >>> rob = pd.DataFrame({"method": ["m"], "theme": ["A"], "diff_item": [0.1], "diff_low_item": [0.02],
    ...                     "diff_high_item": [0.2], "clear_item": [True], "diff_paragraph": [-0.05],
    ...                     "diff_low_paragraph": [-0.2], "diff_high_paragraph": [0.1], "clear_paragraph": [False],
    ...                     "same_direction": [False], "same_verdict": [False], "rank_item": [1]})
    >>> print(robustness_sentences(rob, "m")[0])
    A: a clear rise by unit only, +10.0 points (95% CI +2.0 to +20.0); by paragraph −5.0 points (95% CI −20.0 to +10.0).
    """
    rows = robustness.loc[(robustness["method"] == method) & (robustness["clear_item"] | robustness["clear_paragraph"])]
    out = []
    for r in rows.sort_values("rank_item").itertuples():
        by_item = _change_cell(r.diff_item, r.diff_low_item, r.diff_high_item)
        by_para = _change_cell(r.diff_paragraph, r.diff_low_paragraph, r.diff_high_paragraph)
        if r.same_verdict:
            word = "rise" if r.diff_item > 0 else "fall"
            out.append(f"{r.theme}: a clear {word} under both counts, {by_item} by unit and {by_para} by paragraph.")
        elif r.clear_item:
            word = "rise" if r.diff_item > 0 else "fall"
            out.append(f"{r.theme}: a clear {word} by unit only, {by_item}; by paragraph {by_para}.")
        else:
            word = "rise" if r.diff_paragraph > 0 else "fall"
            out.append(f"{r.theme}: a clear {word} by paragraph only, {by_para}; by unit {by_item}.")
    return out


def concentration_sentences(concentration_change: pd.DataFrame) -> list[str]:
    """One sentence per method: the mean unbiased HHI early and late and whether the change is clear.

    Examples
    --------
    >>> cc = pd.DataFrame([{"method": "m", "early": "2009", "late": "2018", "mean_early": 0.08, "mean_late": 0.14,
    ...                     "diff": 0.06, "diff_low": -0.001, "diff_high": 0.1, "clear": False}])
    >>> print(concentration_sentences(cc)[0])
    m themes: mean unbiased HHI 0.080 in 2009 and 0.140 in 2018, a difference of +0.060 (95% CI −0.001 to +0.100): no clear change.
    """
    def num(x: float) -> str:
        return f"{x:+.3f}".replace("-", "−")

    return [
        f"{r.method} themes: mean unbiased HHI {r.mean_early:.3f} in {r.early} and {r.mean_late:.3f} in {r.late}, "
        f"a difference of {num(r.diff)} (95% CI {num(r.diff_low)} to {num(r.diff_high)}): "
        + (("more focused late" if r.diff > 0 else "less focused late") if r.clear else "no clear change") + "."
        for r in concentration_change.itertuples()
    ]



def _p(p: float) -> str:
    return "<0.001" if p < 0.001 else f"{p:.3f}"


def finding_sentences(change: pd.DataFrame, method: str = "reference", themes: list[str] | None = None) -> list[str]:
    """One sentence per theme (``themes``, by id, or every theme): its early and late shares, the change and the verdict.

    Unlike :func:`change_sentences` it also states the changes that are not
    clear, so that a reader sees the direction and size of every shift
    named. "Clear" means a Holm-adjusted p-value below 0.05.

    Examples
    --------
    >>> row = {"method": "m", "theme_id": "a", "theme": "A", "rank": 1, "early": "2009–2011", "late": "2015–2018",
    ...        "share_early": .1, "share_late": .2, "diff": .1, "diff_low": -.01, "diff_high": .2, "n_early": 10,
    ...        "total_early": 100, "n_late": 10, "total_late": 50, "p_adjusted": 0.2, "clear": False}
    >>> print(finding_sentences(pd.DataFrame([row]), "m")[0])
    A rises from 10.0% of units in 2009–2011 (10 of 100) to 20.0% in 2015–2018 (10 of 50), +10.0 percentage points (95% CI −1.0 to +20.0); not a clear change after Holm's correction (adjusted p = 0.200).
    """
    rows = change.loc[change["method"] == method].sort_values("rank")
    if themes is not None:
        rows = rows.set_index("theme_id").loc[list(themes)].reset_index()
    out = []
    for r in rows.itertuples():
        verb = "rises" if r.diff > 0 else ("falls" if r.diff < 0 else "stays")
        verdict = "a clear change" if r.clear else "not a clear change"
        out.append(
            f"{r.theme} {verb} from {_pct(r.share_early)} of units in {r.early} ({r.n_early:g} of {r.total_early:g}) "
            f"to {_pct(r.share_late)} in {r.late} ({r.n_late:g} of {r.total_late:g}), {signed(100 * r.diff)} "
            f"percentage points (95% CI {signed(100 * r.diff_low)} to {signed(100 * r.diff_high)}); "
            f"{verdict} after Holm's correction (adjusted p = {_p(r.p_adjusted)})."
        )
    return out


def clear_summary(change: pd.DataFrame, method: str = "reference") -> str:
    """One sentence: which changes of ``method`` are clear after Holm's correction, and how many tested.

    Examples
    --------
    >>> ch = pd.DataFrame({"method": ["m"] * 3, "theme": ["A", "B", "C"], "rank": [1, 2, 3], "clear": [True, False, False],
    ...                    "diff": [0.2, 0.0, -0.2], "ci_excludes_0": [True, False, True]})
    >>> print(clear_summary(ch, "m"))
    Of 3 themes, 1 changes clearly after Holm's correction: A (rise). Before the correction the 95% interval of the change excluded 0 for 2.
    """
    rows = change.loc[change["method"] == method].sort_values("rank")
    clear = rows.loc[rows["clear"]]
    named = ", ".join(f"{r.theme} ({'rise' if r.diff > 0 else 'fall'})" for r in clear.itertuples())
    head = f"Of {len(rows)} themes, {len(clear)} " + ("changes" if len(clear) == 1 else "change")
    head += f" clearly after Holm's correction: {named}." if len(clear) else " clearly after Holm's correction."
    return head + f" Before the correction the 95% interval of the change excluded 0 for {int(rows['ci_excludes_0'].sum())}."


def model_comparison(change: pd.DataFrame, reference: str = "reference", models: tuple[str, ...] = ("codebook",)) -> pd.DataFrame:
    """Each model's early and late shares and change beside the reference's, theme by theme, with the gaps.

    Themes are matched by ``theme_id`` (only models that use the codebook's
    themes can be compared theme by theme). Shares in percent, rounded to 1
    decimal; ``gap`` columns are the model minus the reference, in points.

    Examples
    --------
    >>> ch = pd.DataFrame({"method": ["reference", "codebook"], "theme_id": ["a", "a"], "theme": ["A", "A"],
    ...                    "rank": [1, 1], "share_early": [.1, .2], "share_late": [.3, .2], "diff": [.2, 0.0],
    ...                    "clear": [True, False]})
    >>> [str(v) for v in model_comparison(ch).iloc[0]]
    ['10.0', '30.0', '20.0', 'rise', '20.0', '20.0', '0.0', '', '-20.0']
    """
    keep = ["theme_id", "share_early", "share_late", "diff", "clear"]
    ref = change.loc[change["method"] == reference].sort_values("rank")
    table = pd.DataFrame({
        "theme": ref["theme"].astype(str).to_numpy(),
        f"{reference}: early %": (100 * ref["share_early"]).round(1).to_numpy(),
        f"{reference}: late %": (100 * ref["share_late"]).round(1).to_numpy(),
        f"{reference}: change": (100 * ref["diff"]).round(1).to_numpy(),
        f"{reference}: clear": np.where(ref["clear"], np.where(ref["diff"] > 0, "rise", "fall"), ""),
    })  # fmt: skip
    for model in models:
        rows = change.loc[change["method"] == model, keep].set_index("theme_id").reindex(ref["theme_id"])
        table[f"{model}: early %"] = (100 * rows["share_early"]).round(1).to_numpy()
        table[f"{model}: late %"] = (100 * rows["share_late"]).round(1).to_numpy()
        table[f"{model}: change"] = (100 * rows["diff"]).round(1).to_numpy()
        table[f"{model}: clear"] = np.where(rows["clear"].fillna(False).astype(bool),
                                            np.where(rows["diff"] > 0, "rise", "fall"), "")  # fmt: skip
        table[f"{model}: change gap"] = (100 * (rows["diff"].to_numpy() - ref["diff"].to_numpy())).round(1)
    return table.set_index("theme")


def model_distance(change: pd.DataFrame, reference: str = "reference", models: tuple[str, ...] = ("codebook",)) -> pd.DataFrame:
    """How far each model's theme mix is from the reference's, per period: total variation distance and largest gap.

    ``tvd`` is ``0.5 · Σ |p_model − p_reference|`` over the themes (0 = the
    same mix, 1 = disjoint), in points; ``largest gap`` names the theme
    whose share differs most. Themes the reference does not use (the
    model's "no clear theme") count in full.

    Examples
    --------
    >>> ch = pd.DataFrame({"method": ["reference"] * 2 + ["codebook"] * 2, "theme_id": ["a", "b"] * 2,
    ...                    "theme": ["A", "B"] * 2, "share_early": [.5, .5, .6, .4], "share_late": [.5, .5, .5, .5],
    ...                    "early": "E", "late": "L"})
    >>> model_distance(ch).to_dict("records")[0]
    {'model': 'codebook', 'period': 'E', 'tvd, points': 10.0, 'largest gap': 'A', 'gap, points': 10.0}
    """
    ref = change.loc[change["method"] == reference]
    rows = []
    for model in models:
        rows_m = change.loc[change["method"] == model]
        for p in ("early", "late"):
            a = rows_m.set_index("theme_id")[f"share_{p}"]
            b = ref.set_index("theme_id")[f"share_{p}"]
            gap = a.sub(b, fill_value=0.0)
            names = {**dict(zip(ref["theme_id"], ref["theme"], strict=True)),
                     **dict(zip(rows_m["theme_id"], rows_m["theme"], strict=True))}  # fmt: skip
            top = gap.abs().idxmax()
            rows.append({"model": model, "period": str(rows_m[p].iloc[0]),
                         "tvd, points": round(float(50 * gap.abs().sum()), 1),
                         "largest gap": str(names[top]), "gap, points": round(float(100 * gap[top]), 1)})  # fmt: skip
    return pd.DataFrame(rows)


def regression_table(regression: pd.DataFrame, method: str = "reference") -> pd.DataFrame:
    """The prevalence regression of one method as a readable table, in theme order.

    Examples
    --------
    >>> reg = pd.DataFrame({"method": ["m"], "theme": ["A"], "theme_position": [0], "n_units": [20],
    ...                     "odds_ratio": [1.2], "or_low": [1.05], "or_high": [1.4], "pp_per_year": [2.0],
    ...                     "pp_low": [0.5], "pp_high": [3.5], "p_value": [0.004], "p_adjusted": [0.04],
    ...                     "clear": [True], "note": [""]})
    >>> [str(v) for v in regression_table(reg, "m").iloc[0]]
    ['20', '1.20 (1.05–1.40)', '+2.0 (+0.5 to +3.5)', '0.004', '0.040', 'rise', '']
    """
    rows = regression.loc[regression["method"] == method].sort_values("theme_position")

    def ratio(v: float, lo: float, hi: float) -> str:
        return "" if pd.isna(v) else f"{v:.2f} ({lo:.2f}–{hi:.2f})"

    def points(v: float, lo: float, hi: float) -> str:
        return "" if pd.isna(v) else f"{signed(v)} ({signed(lo)} to {signed(hi)})"

    return pd.DataFrame({
        "theme": rows["theme"].astype(str),
        "units": rows["n_units"].astype(int),
        "odds ratio per year (95% CI)": [ratio(*v) for v in zip(rows["odds_ratio"], rows["or_low"], rows["or_high"], strict=True)],
        "points per year (95% CI)": [points(*v) for v in zip(rows["pp_per_year"], rows["pp_low"], rows["pp_high"], strict=True)],
        "p": rows["p_value"].map(lambda p: "" if pd.isna(p) else _p(p)),
        "Holm-adjusted p": rows["p_adjusted"].map(lambda p: "" if pd.isna(p) else _p(p)),
        "clear trend": np.where(rows["clear"], np.where(rows["pp_per_year"] > 0, "rise", "fall"), ""),
        "note": rows["note"].astype(str),
    }).set_index("theme")  # fmt: skip


def regression_sentences(regression: pd.DataFrame, method: str = "reference") -> list[str]:
    """A sentence naming the themes with a clear trend over the years (Holm-adjusted), or saying there is none;
    then one sentence per theme whose unadjusted p is below 0.05 without surviving the correction.

    Examples
    --------
    >>> reg = pd.DataFrame({"method": ["m", "m"], "theme": ["A", "B"], "theme_position": [0, 1], "pp_per_year": [2.0, -1.0],
    ...                     "pp_low": [0.5, -2.0], "pp_high": [3.5, 0.1], "odds_ratio": [1.2, 0.9], "p_value": [0.004, 0.03],
    ...                     "p_adjusted": [0.008, 0.03], "clear": [True, True]})
    >>> print(regression_sentences(reg, "m")[0])
    A clear trend over 2009–2018 after Holm's correction: A (+2.0 points a year, 95% CI +0.5 to +3.5; odds ratio 1.20 a year, adjusted p = 0.008); B (−1.0 points a year, 95% CI −2.0 to +0.1; odds ratio 0.90 a year, adjusted p = 0.030).
    """
    rows = regression.loc[regression["method"] == method].sort_values("theme_position")

    def part(r: object) -> str:
        return (f"{r.theme} ({signed(r.pp_per_year)} points a year, 95% CI {signed(r.pp_low)} to {signed(r.pp_high)}; "
                f"odds ratio {r.odds_ratio:.2f} a year, adjusted p = {_p(r.p_adjusted)})")  # fmt: skip

    clear = rows.loc[rows["clear"]]
    out = [
        "A clear trend over 2009–2018 after Holm's correction: " + "; ".join(part(r) for r in clear.itertuples()) + "."
        if len(clear) else "No theme has a clear trend over 2009–2018 after Holm's correction."
    ]
    near = rows.loc[~rows["clear"] & (rows["p_value"] < 0.05)]
    out += [f"Not clear after the correction (p = {_p(r.p_value)} before it): {part(r)}." for r in near.itertuples()]
    return out

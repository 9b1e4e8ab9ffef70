"""Findings of the priority shifts in words: readable tables and report sentences.

Each function takes a table of :class:`analysis.trends.ThemeTrends` (or of
:func:`analysis.trends.level_robustness`) and returns a table or sentences for
notebook 03; numbers are formatted by :mod:`analysis._format`.
"""

from __future__ import annotations

from analysis._format import pct as _pct
from analysis._format import signed


import numpy as np
import pandas as pd

__all__ = [
    "change_sentences",
    "change_table",
    "concentration_sentences",
    "robustness_sentences",
    "robustness_summary",
    "robustness_table",
]



def change_table(change: pd.DataFrame, method: str = "codebook") -> pd.DataFrame:
    """The early-late change of one method as a readable table, largest rise first.

    Examples
    --------
    >>> from analysis.data.corpus import load_corpus
    >>> from analysis.trends import ThemeTrends, synthetic_assignments, theme_prevalence
    >>> corpus = load_corpus()
    >>> ch = ThemeTrends.build(synthetic_assignments(corpus, n_themes=2, methods=["m"]), corpus, n_boot=100).change()
    >>> change_table(ch, "m").columns.tolist()
    ['2009–2011, % (95% CI)', '2015–2018, % (95% CI)', 'change, points (95% CI)', 'clear change', 'exact p', 'first seen', 'last seen']
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
        "clear change": np.where(rows["clear"], np.where(rows["diff"] > 0, "rise", "fall"), ""),
        "exact p": rows["p_exact"].map(lambda p: f"{p:.3f}"),
        "first seen": rows["first_meeting"].fillna("never"),
        "last seen": rows["last_meeting"].fillna("never"),
    }).set_index("theme")  # fmt: skip


def change_sentences(change: pd.DataFrame, method: str = "codebook", *, level: str = "item") -> list[str]:
    """One sentence per theme whose change is clear, with its numbers, largest rise first.

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


"""Tables derived from the estimates: shares in long form, spans, robustness, changed themes, agreement.

They take the tables of :class:`analysis.trends.ThemeTrends`; :func:`level_robustness`
and :func:`reference_agreement` run the estimator again (other unit of count,
other assignments).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from analysis.data.corpus import Corpus
from analysis.trends.estimator import EARLY, LATE, SHARE_COLUMNS, ThemeTrends
from analysis.trends.inputs import LEVELS, primary_themes, units_table

__all__ = [
    "changed_themes",
    "level_robustness",
    "reference_agreement",
    "theme_by_meeting",
    "theme_shares_table",
]


def theme_shares_table(shares: pd.DataFrame) -> pd.DataFrame:
    """The columns of ``data/processed/theme_shares.csv`` (:data:`SHARE_COLUMNS`).

    Examples
    --------
    >>> from analysis.data.corpus import load_corpus
    >>> from analysis.trends import ThemeTrends, synthetic_assignments, theme_prevalence
    >>> corpus = load_corpus()
    >>> table = theme_shares_table(theme_prevalence(synthetic_assignments(corpus), corpus, n_boot=50))
    >>> list(table.columns) == list(SHARE_COLUMNS)
    True
    """
    return shares.loc[:, list(SHARE_COLUMNS)].reset_index(drop=True)


def theme_by_meeting(shares: pd.DataFrame, method: str = "codebook", value: str = "share") -> pd.DataFrame:
    """One method's shares as a wide table: one row per theme, one column per meeting.

    Parameters
    ----------
    shares : DataFrame
        The long table of shares, as saved (``read_table("theme_shares")``)
        or as computed (:meth:`ThemeTrends.prevalence`).
    method : str
        ``"codebook"`` (default) or ``"discovery"``.
    value : str
        The column shown: ``"share"`` (default), ``"n"``, ``"ci_low"``,
        ``"ci_high"``, ``"weight_share"`` or ``"n_total"``.

    Returns
    -------
    DataFrame
        Index ``theme`` (readable names, in the table's theme order: the
        codebook's for the codebook), columns ``I`` … ``VIII`` in meeting
        order. Every meeting is a column, meeting III included: its shares
        are empty (NaN), since the Working Group adopted nothing of its own
        there, and its counts are 0. The values are the long table's.

    Examples
    --------
    >>> from analysis.data import read_table
    >>> wide = theme_by_meeting(read_table("theme_shares"))
    >>> wide.columns.tolist()
    ['I', 'II', 'III', 'IV', 'V', 'VI', 'VII', 'VIII']
    >>> bool(wide["III"].isna().all())
    True
    """
    values = ("share", "n", "n_total", "ci_low", "ci_high", "weight_share")
    if value not in values:
        raise ValueError(f"value must be one of {list(values)}, not {value!r}")
    rows = shares.loc[shares["method"].astype(str) == method]
    if rows.empty:
        known = sorted(shares["method"].astype(str).unique())
        raise ValueError(f"no shares for method {method!r}; the table has {known}")
    meetings = rows[["meeting", "roman"]].astype({"meeting": int, "roman": str}).drop_duplicates().sort_values("meeting")
    themes = list(dict.fromkeys(rows["theme"].astype(str)))
    wide = rows.astype({"theme": str, "roman": str}).pivot(index="theme", columns="roman", values=value)
    wide = wide.reindex(index=themes, columns=meetings["roman"].tolist())
    wide.columns.name = "meeting"
    return wide


def level_robustness(
    assignments: pd.DataFrame,
    corpus: Corpus,
    *,
    early: tuple[int, int] = EARLY,
    late: tuple[int, int] = LATE,
    changes: tuple[pd.DataFrame, ...] = (),
    **options: Any,
) -> pd.DataFrame:
    """The early-late change of each theme counted by item and by paragraph, side by side.

    Parameters
    ----------
    assignments, corpus, early, late
        As in :meth:`ThemeTrends.change`.
    changes : tuple of DataFrame
        Change tables already computed (:meth:`ThemeTrends.change`, from the
        same assignments and periods), one per level at most; a level found
        there (by its ``level`` column) is neither built nor computed again.
    **options
        Passed to :meth:`ThemeTrends.build` (``n_boot``, ``seed`` …), except ``level``.

    Returns
    -------
    DataFrame
        One row per method and theme: ``diff``, ``diff_low``, ``diff_high``,
        ``clear`` and ``rank`` at each level (suffixes ``_item`` and
        ``_paragraph``), ``same_direction`` (the two differences have the
        same sign) and ``same_verdict`` (the same sign and the same answer
        to "does the CI exclude 0?").

    Examples
    --------
    >>> from analysis.data.corpus import load_corpus
    >>> from analysis.trends import ThemeTrends, synthetic_assignments, theme_prevalence
    >>> corpus = load_corpus()
    >>> rob = level_robustness(synthetic_assignments(corpus, methods=["m"]), corpus, n_boot=100)
    >>> rob.columns[:4].tolist()
    ['method', 'theme_id', 'theme', 'diff_item']
    """
    keep = ["method", "theme_id", "theme", "diff", "diff_low", "diff_high", "clear", "rank"]
    ready = {str(c["level"].iloc[0]): c for c in changes}
    labels = {f"{early[0]}–{early[1]}" if early[0] != early[1] else str(early[0]),
              f"{late[0]}–{late[1]}" if late[0] != late[1] else str(late[0])}  # fmt: skip
    for level, table in ready.items():
        if set(table["early"]) | set(table["late"]) != labels:
            raise ValueError(f"the {level}-level change table compares other periods than {sorted(labels)}")
    item, para = (
        (ready[level] if level in ready else
         ThemeTrends.build(assignments, corpus, level=level, **options).change(early, late))[keep]  # type: ignore[arg-type]
        for level in LEVELS
    )
    out = item.merge(para, on=["method", "theme_id", "theme"], suffixes=("_item", "_paragraph"))
    out["same_direction"] = np.sign(out["diff_item"]) == np.sign(out["diff_paragraph"])
    out["same_verdict"] = out["same_direction"] & (out["clear_item"] == out["clear_paragraph"])
    return out


def changed_themes(change: pd.DataFrame, method: str = "reference") -> list[str]:
    """Themes of ``method`` whose early-late change is clear (Holm-adjusted p below 0.05), largest rise first.

    The flag the slope chart draws bold and the bump chart colours.

    Examples
    --------
    >>> change = pd.DataFrame({"method": ["m"] * 3, "theme": ["A", "B", "C"], "clear": [True, False, True]})
    >>> changed_themes(change, "m")
    ['A', 'C']
    """
    rows = change.loc[(change["method"] == method) & change["clear"]]
    return rows["theme"].astype(str).tolist()


def reference_agreement(
    assignments: pd.DataFrame,
    labels: pd.DataFrame,
    corpus: Corpus,
    *,
    method: str = "codebook",
    attribute_proposed: bool = False,
) -> pd.DataFrame:
    """How close a method's theme mix per meeting comes to a reference (expert) labelling.

    Parameters
    ----------
    assignments : DataFrame
        Long table of theme assignments.
    labels : DataFrame
        Reference labels, one row per labelled unit: ``rec_id`` and
        ``theme_id`` (the expert's primary theme, with the method's theme
        ids). May cover a held-out sample of the units only.
    corpus : Corpus
    method : str
        The method compared (``"codebook"`` by default).
    attribute_proposed : bool
        As in :meth:`ThemeTrends.build`.

    Returns
    -------
    DataFrame
        One row per meeting with labelled units, then an ``"all"`` row:
        ``n_labelled``, ``agreement`` (share of labelled units where the
        method's primary theme is the expert's), ``tvd_same_units`` (total
        variation distance, ``0.5·Σ|p - q|``, between the method's and the
        expert's theme mix over the labelled units: 0 = the same mix, 1 =
        disjoint) and ``max_gap`` (the largest difference of one theme's
        share, in the same units).

    Examples
    --------
    >>> from analysis.data.corpus import load_corpus
    >>> from analysis.trends import ThemeTrends, synthetic_assignments, theme_prevalence
    >>> corpus = load_corpus()
    >>> fake = synthetic_assignments(corpus, methods=["codebook"])
    >>> same = fake[["rec_id", "theme_id"]].iloc[::3]
    >>> reference_agreement(fake, same, corpus).set_index("meeting").loc["all", ["agreement", "tvd_same_units"]].tolist()
    [1.0, 0.0]
    """
    missing = {"rec_id", "theme_id"} - set(labels.columns)
    if missing:
        raise ValueError(f"reference labels lack the columns {sorted(missing)}")
    primary = primary_themes(assignments)
    primary = primary.loc[primary["method"] == method, ["rec_id", "theme_id"]]
    if primary.empty:
        raise ValueError(f"no assignments for method {method!r}")
    units = units_table(corpus, attribute_proposed)[["rec_id", "meeting"]]
    ref = labels[["rec_id", "theme_id"]].astype({"rec_id": str, "theme_id": str}).drop_duplicates("rec_id")
    both = ref.merge(primary.astype({"rec_id": str, "theme_id": str}), on="rec_id", suffixes=("_ref", "_method"))
    both = both.merge(units, on="rec_id")
    if both.empty:
        raise ValueError("no labelled unit has an assignment of the method")
    roman = dict(zip(corpus.meetings["meeting"].astype(int), corpus.meetings["roman"].astype(str), strict=True))
    rows = []
    groups = [(roman[int(k)], g) for k, g in both.groupby("meeting", sort=True)] + [("all", both)]
    for name, g in groups:
        ref_mix = g["theme_id_ref"].value_counts(normalize=True)
        method_mix = g["theme_id_method"].value_counts(normalize=True)
        gap = ref_mix.sub(method_mix, fill_value=0).abs()
        rows.append({
            "meeting": name, "n_labelled": len(g),
            "agreement": float((g["theme_id_ref"] == g["theme_id_method"]).mean()),
            "tvd_same_units": float(0.5 * gap.sum()), "max_gap": float(gap.max()),
        })  # fmt: skip
    return pd.DataFrame(rows)

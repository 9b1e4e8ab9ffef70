"""Priority shifts: theme prevalence per meeting, with bootstrap uncertainty.

The input is the themes step's long table of assignments
(``data/processed/recommendation_themes.csv``): one or more rows per
recommendation unit and method, with ``rec_id``, ``method``, ``theme_id``,
``theme`` and ``weight``. A unit's *primary* theme is its row of highest
weight (ties: the theme that comes first in the method's theme order).

Units of count
--------------
``level="item"`` (default)
    Every recommendation unit counts 1: a paragraph with 17 lettered items
    weighs 17.
``level="paragraph"``
    Every numbered paragraph counts 1, shared among its units: each unit
    weighs ``1 / n_items`` and brings that fraction to its primary theme
    (*fractional weighting*). ``n`` is then a number of paragraph-equivalents
    and may be fractional. No unit is dropped and no tie needs breaking, which
    a "majority theme of the paragraph" rule would need.

Estimates
---------
``share``
    ``n`` over the meeting's total: the part of the meeting's agenda, in
    units (or paragraphs), whose primary theme is the theme.
``weight_share``
    The theme's summed ``weight`` over the meeting's summed weight (every
    assignment row counts, not only the primary one).
``ci_low``, ``ci_high``
    Percentile interval of a nonparametric bootstrap: the observations
    (units, or paragraphs at paragraph level) of each meeting are resampled
    with replacement within the meeting, ``n_boot`` times. Each meeting has
    its own random stream, ``numpy.random.default_rng([seed, meeting])``, so
    a result depends only on the seed and the meeting, and the same draws
    serve every method (the comparison of methods is paired). The resampling
    is vectorised: one ``bincount`` gives the multiplicity of each
    observation in each replicate, and a matrix product the theme sums.

Main entry points
-----------------
:meth:`ThemeTrends.build` lays the assignments out per meeting and draws the
bootstrap once; its :meth:`~ThemeTrends.prevalence`,
:meth:`~ThemeTrends.change` (early against late),
:meth:`~ThemeTrends.concentration` and
:meth:`~ThemeTrends.concentration_change` share those draws.
:func:`theme_prevalence` is the one-call form of the first, and
:func:`level_robustness` sets the change by item beside the change by
paragraph.

Meeting III adopted no recommendations of its own: it stays in every table
with ``n_total = 0`` and an undefined (NaN) share, so that its absence is
explicit. With ``attribute_proposed=True`` the ten units of paragraph 46 of
meeting IV (``4.46.a``-``4.46.j``), proposed at meeting III on 19 October
2010 and endorsed a year later, are counted at meeting III instead.

Examples
--------
>>> from analysis.data.corpus import load_corpus
>>> from analysis.trends import ThemeTrends, synthetic_assignments, theme_prevalence
>>> corpus = load_corpus()
>>> fake = synthetic_assignments(corpus, n_themes=3, methods=["codebook"], seed=1)
>>> shares = theme_prevalence(fake, corpus, n_boot=200)
>>> shares.groupby("meeting", observed=True)["share"].sum().round(6).tolist()
[1.0, 1.0, 0.0, 1.0, 1.0, 1.0, 1.0, 1.0]
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

from analysis.data.corpus import Corpus
from analysis.trends._statistics import (
    DEFAULT_N_BOOT,
    DEFAULT_SEED,
    concentration_measures,
    divide,
    fisher,
    interval,
    bootstrap_multiplicities,
    bootstrap_p,
    cluster_multiplicities,
    confusion_rates,
    holm,
    misclassification_corrected,
)
from analysis.trends.inputs import LEVELS, check_assignments, units_table, meeting_table, primary_themes, theme_order

__all__ = [
    "EARLY",
    "LATE",
    "SHARE_COLUMNS",
    "Level",
    "ThemeTrends",
    "theme_prevalence",
    "theme_span",
]

Level = Literal["item", "paragraph"]
#: Years of the early and late periods compared by :meth:`ThemeTrends.change`.
EARLY: tuple[int, int] = (2009, 2011)
LATE: tuple[int, int] = (2015, 2018)
#: Columns of ``data/processed/theme_shares.csv``, in order.
SHARE_COLUMNS: tuple[str, ...] = (
    "method", "meeting", "roman", "year", "date", "theme_id", "theme", "n", "n_total",
    "share", "ci_low", "ci_high", "weight_share", "rec_ids",
)  # fmt: skip


@dataclass(frozen=True)
class _Method:
    """One method's observations: composition by primary theme and by weight."""

    themes: pd.DataFrame  # theme_id, theme, in order
    x: np.ndarray  # (n_obs, K): fraction of each observation on each primary theme; rows sum to 1
    w: np.ndarray  # (n_obs, K): assignment weight of each observation on each theme
    ids: pd.DataFrame  # meeting, theme, rec_ids (units with that primary theme there, in order)


@dataclass(frozen=True)
class _Design:
    """Everything the estimates need: meetings, observations and each method's matrices."""

    level: str
    attribute_proposed: bool
    meetings: pd.DataFrame
    slices: tuple[slice, ...]  # rows of the observation matrices of each meeting
    methods: dict[str, _Method]
    clusters: tuple[np.ndarray, ...]  # paragraph (0 … P-1) of each observation, per meeting


def _design(
    assignments: pd.DataFrame, corpus: Corpus, *, level: str = "item", attribute_proposed: bool = False
) -> _Design:
    if level not in LEVELS:
        raise ValueError(f"level must be one of {LEVELS}, not {level!r}")
    assignments = check_assignments(assignments)
    units = units_table(corpus, attribute_proposed)
    meetings = meeting_table(corpus, attribute_proposed=attribute_proposed)
    obs_col = "rec_id" if level == "item" else "paragraph_id"
    # Observations in meeting order; each unit's fraction of its observation.
    obs_ids = units[obs_col].drop_duplicates()
    obs_pos = pd.Series(np.arange(len(obs_ids)), index=obs_ids.to_numpy())
    units = units.assign(
        obs=obs_pos.loc[units[obs_col]].to_numpy(),
        frac=1.0 / units.groupby(obs_col)["rec_id"].transform("size").to_numpy(),
    )
    per_meeting = units.drop_duplicates("obs").groupby("meeting").size()
    sizes = per_meeting.reindex(meetings["meeting"].astype(int), fill_value=0).to_numpy()
    bounds = np.concatenate([[0], np.cumsum(sizes)])
    slices = tuple(slice(int(a), int(b)) for a, b in zip(bounds[:-1], bounds[1:], strict=True))
    primary = primary_themes(assignments)
    orders = theme_order(assignments)
    known = set(units["rec_id"])
    methods: dict[str, _Method] = {}
    for method, order in orders.items():
        rows = assignments.loc[assignments["method"] == method]
        unknown = sorted(set(rows["rec_id"]) - known)
        missing = sorted(known - set(rows["rec_id"]))
        if unknown or missing:
            raise ValueError(
                f"method {method!r}: assignments must cover the corpus's units exactly; "
                f"unknown rec_ids {unknown[:5]}, units without a theme {missing[:5]}"
            )
        pos = {t: i for i, t in enumerate(order)}
        ids = rows[["theme_id", "theme"]].drop_duplicates("theme").set_index("theme").loc[order, "theme_id"]
        themes = pd.DataFrame({"theme_id": ids.to_numpy(), "theme": order})
        u = units.set_index("rec_id")
        x = np.zeros((len(obs_ids), len(order)))
        top = primary.loc[primary["method"] == method].set_index("rec_id").loc[units["rec_id"]]
        np.add.at(x, (units["obs"].to_numpy(), top["theme"].map(pos).to_numpy()), units["frac"].to_numpy())
        w = np.zeros_like(x)
        np.add.at(
            w,
            (u.loc[rows["rec_id"], "obs"].to_numpy(), rows["theme"].map(pos).to_numpy()),
            (rows["weight"].to_numpy() * u.loc[rows["rec_id"], "frac"].to_numpy()),
        )
        listing = units.assign(theme=top["theme"].to_numpy())
        listing = listing.groupby(["meeting", "theme"], sort=False)["rec_id"].agg(tuple).rename("rec_ids")
        methods[method] = _Method(themes=themes, x=x, w=w, ids=listing.reset_index())
    first = units.drop_duplicates("obs").sort_values("obs")
    clusters = tuple(
        pd.factorize(first["paragraph_id"].iloc[sl])[0].astype(int) for sl in slices
    )
    return _Design(level, attribute_proposed, meetings, slices, methods, clusters)


def _sizes(design: _Design) -> np.ndarray:
    """Observations per meeting (units, or paragraphs at paragraph level)."""
    return np.array([s.stop - s.start for s in design.slices])




# --------------------------------------------------------------------------- #
# The estimates
# --------------------------------------------------------------------------- #


@dataclass(frozen=True)
class ThemeTrends:
    """Theme assignments laid out per meeting, with their bootstrap draws, ready to estimate.

    Build it once with :meth:`build` and ask it for :meth:`prevalence`,
    :meth:`change`, :meth:`concentration` and :meth:`concentration_change`:
    they all use the same draws, so their intervals agree with each other.
    Immutable; nothing is cached or shared between instances.

    Examples
    --------
    >>> from analysis.data.corpus import load_corpus
    >>> from analysis.trends import ThemeTrends, synthetic_assignments, theme_prevalence
    >>> corpus = load_corpus()
    >>> tt = ThemeTrends.build(synthetic_assignments(corpus, methods=["m"]), corpus, n_boot=200)
    >>> tt.level, tt.n_boot, tt.meetings["n_obs"].tolist()
    ('item', 200, [46, 61, 0, 65, 44, 22, 25, 25])
    """

    design: _Design
    multiplicities: tuple[np.ndarray, ...]
    seed: int
    ci: float

    @classmethod
    def build(
        cls,
        assignments: pd.DataFrame,
        corpus: Corpus,
        *,
        level: Level = "item",
        attribute_proposed: bool = False,
        n_boot: int = DEFAULT_N_BOOT,
        seed: int = DEFAULT_SEED,
        ci: float = 0.95,
        resample: Literal["paragraph", "unit"] = "paragraph",
    ) -> ThemeTrends:
        """Lay out ``assignments`` per meeting and draw the bootstrap.

        Parameters
        ----------
        assignments : DataFrame
            Long table of theme assignments (see :data:`ASSIGNMENT_COLUMNS`);
            every unit of ``corpus`` needs a theme in every method.
        corpus : Corpus
            The corpus the assignments refer to.
        level : {"item", "paragraph"}
            Unit of count (see the module docstring).
        attribute_proposed : bool
            Count paragraph 46 of meeting IV at meeting III (19 October 2010).
        n_boot, seed, ci : int, int, float
            Bootstrap replicates, seed and confidence level.
        resample : {"paragraph", "unit"}
            What the bootstrap draws within each meeting. ``"paragraph"``
            (default): whole numbered paragraphs, so the lettered items of
            one paragraph, which share its lead-in and often its theme, move
            together (a cluster bootstrap; a replicate's number of units
            varies, and each share is taken over the replicate's own total).
            ``"unit"``: units one by one, as if independent (narrower,
            over-confident intervals at item level). At paragraph level the
            two are the same.
        """
        if resample not in ("paragraph", "unit"):
            raise ValueError(f"resample must be 'paragraph' or 'unit', not {resample!r}")
        if not 0 < ci < 1:
            raise ValueError(f"ci must be between 0 and 1, not {ci}")
        design = _design(assignments, corpus, level=level, attribute_proposed=attribute_proposed)
        keys = design.meetings["meeting"].astype(int)
        if resample == "paragraph":
            mult = cluster_multiplicities(design.clusters, n_boot=n_boot, seed=seed, keys=keys)
        else:
            mult = bootstrap_multiplicities(_sizes(design), n_boot=n_boot, seed=seed, keys=keys)
        # as floats, so that the products with the theme matrices run in BLAS
        return cls(design, tuple(m.astype(float) for m in mult), seed, ci)

    @property
    def level(self) -> str:
        """The unit of count, ``"item"`` or ``"paragraph"``."""
        return self.design.level

    @property
    def n_boot(self) -> int:
        """Bootstrap replicates."""
        return int(self.multiplicities[0].shape[0])

    @property
    def meetings(self) -> pd.DataFrame:
        """:func:`meeting_table` with ``n_obs``, the observations counted (units or paragraphs)."""
        return self.design.meetings.assign(n_obs=_sizes(self.design))

    def _sums(self, method: _Method) -> tuple[np.ndarray, np.ndarray]:
        """Theme sums per meeting (M, K) and their replicates (B, M, K)."""
        # rounded so that fractions 1/n_items of a paragraph add up to whole paragraphs exactly
        sums = np.stack([method.x[s].sum(axis=0) for s in self.design.slices]).round(12)
        boot = np.stack([c @ method.x[s] for c, s in zip(self.multiplicities, self.design.slices, strict=True)], axis=1)
        return sums, boot

    # ----------------------------------------------------------------- prevalence

    def prevalence(self) -> pd.DataFrame:
        """Share of each theme in each meeting, for every method, with bootstrap CIs.

        Returns
        -------
        DataFrame
            One row per method, meeting and theme, zeros included (a theme
            absent from a meeting has ``n = 0``, ``share = 0`` and CI
            ``[0, 0]``); columns ``method``, ``level``, ``meeting``,
            ``roman``, ``year``, ``date``, ``label``, ``theme_id``, ``theme``,
            ``n``, ``n_total``, ``share``, ``ci_low``, ``ci_high``,
            ``weight_share`` and ``rec_ids`` (the units behind ``n``,
            space-separated). A meeting without units has NaN shares.

        Examples
        --------
        >>> from analysis.data.corpus import load_corpus
        >>> from analysis.trends import ThemeTrends, synthetic_assignments, theme_prevalence
        >>> corpus = load_corpus()
        >>> fake = synthetic_assignments(corpus, n_themes=2, methods=["m"])
        >>> s = ThemeTrends.build(fake, corpus, level="paragraph", n_boot=100).prevalence()
        >>> s.loc[s["roman"] == "VII", ["theme", "n_total"]].to_numpy().tolist()
        [['Theme 1', 2], ['Theme 2', 2]]
        """
        meetings, n_total = self.design.meetings, _sizes(self.design)
        frames = []
        for name, method in self.design.methods.items():
            sums, boot = self._sums(method)
            wsums = np.stack([method.w[s].sum(axis=0) for s in self.design.slices])
            low, high = interval(divide(boot, boot.sum(axis=-1, keepdims=True)), self.ci)
            k = len(method.themes)
            frame = pd.DataFrame({
                "method": name,
                "level": self.level,
                **{c: np.repeat(meetings[c].to_numpy(), k) for c in ("meeting", "roman", "year", "date", "label")},
                "theme_id": np.tile(method.themes["theme_id"].to_numpy(), len(meetings)),
                "theme": np.tile(method.themes["theme"].to_numpy(), len(meetings)),
                "n": sums.ravel(),
                "n_total": np.repeat(n_total, k),
                "share": divide(sums, n_total[:, None]).ravel(),
                "ci_low": low.ravel(),
                "ci_high": high.ravel(),
                "weight_share": divide(wsums, wsums.sum(axis=1, keepdims=True)).ravel(),
            })
            ids = method.ids.assign(rec_ids=method.ids["rec_ids"].map(" ".join))
            frame = frame.merge(ids, how="left", on=["meeting", "theme"])
            frames.append(frame.assign(rec_ids=frame["rec_ids"].fillna("")))
        out = pd.concat(frames, ignore_index=True)
        out["meeting"] = out["meeting"].astype(meetings["meeting"].dtype)
        if self.level == "item":
            out["n"] = out["n"].round().astype(int)
        return out.astype({"method": "string", "level": "string", "roman": "string", "label": "string",
                           "theme_id": "string", "theme": "string", "rec_ids": "string"})  # fmt: skip

    # ----------------------------------------------------------------- change

    def change(
        self, early: tuple[int, int] = EARLY, late: tuple[int, int] = LATE, *, shares: pd.DataFrame | None = None
    ) -> pd.DataFrame:
        """Share of each theme early against late, the difference with a CI, ranked.

        A period's share pools its meetings' observations (a meeting weighs
        by its size); its replicates sum the meetings' replicates, so the CI
        of the difference accounts for the sampling of both periods.

        A change is called *clear* only when it passes two tests and a
        correction for testing every theme at once. The bootstrap p-value
        respects the clustering of items in paragraphs but is meaningless
        when a theme has no unit in a period (every replicate is then 0 and
        the interval collapses to [0, 0]); Fisher's exact test handles that
        case but treats units as independent. ``p_value`` is the larger of
        the two, and Holm's step-down adjustment across the method's themes
        keeps the chance of calling any unchanged theme clear below
        ``1 - ci`` (see :func:`~analysis.trends._statistics.holm` for why
        Holm rather than Benjamini-Hochberg).

        Parameters
        ----------
        early, late : (int, int)
            First and last year of each period (inclusive), by meeting year.
        shares : DataFrame, optional
            This estimator's :meth:`prevalence` table, when already computed
            (it gives the ``rec_ids`` and the spans); computed otherwise.

        Returns
        -------
        DataFrame
            One row per method and theme, ranked within the method from the
            largest rise to the largest fall: ``level``, ``theme_position`` (the theme's
            place in the method's canonical order), ``early``/``late`` labels,
            ``n_early``, ``total_early``, ``share_early``, ``low_early``,
            ``high_early``, the same for ``late``, ``diff``, ``diff_low``,
            ``diff_high``, ``ci_excludes_0`` (the CI of the difference excludes
            0, before any correction), ``p_exact`` (two-sided Fisher exact
            test of the two counts; at paragraph level the counts are
            rounded), ``p_boot`` (two-sided bootstrap p-value of the
            difference, :func:`~analysis.trends._statistics.bootstrap_p`),
            ``p_value`` (the larger of the two), ``p_adjusted`` (Holm's
            adjustment of ``p_value`` across the method's themes,
            :func:`~analysis.trends._statistics.holm`) and ``clear``
            (``p_adjusted`` below ``1 - ci``),
            ``rank``, the first and last meeting where the theme appears
            (:func:`theme_span`), and ``rec_ids_early``/``rec_ids_late``.

        Examples
        --------
        >>> from analysis.data.corpus import load_corpus
        >>> from analysis.trends import ThemeTrends, synthetic_assignments, theme_prevalence
        >>> corpus = load_corpus()
        >>> ch = ThemeTrends.build(synthetic_assignments(corpus, n_themes=3), corpus, n_boot=200).change()
        >>> ch.loc[0, ["early", "total_early", "late", "total_late"]].astype(str).tolist()
        ['2009–2011', '172', '2015–2018', '72']
        """
        n_total = _sizes(self.design)
        masks = {"early": _period_mask(self.design.meetings, early), "late": _period_mask(self.design.meetings, late)}
        labels = {"early": _period_label(early), "late": _period_label(late)}
        if any(n_total[m].sum() == 0 for m in masks.values()):
            raise ValueError(f"a period has no units: early {early}, late {late}")
        if shares is None:
            shares = self.prevalence()
        elif set(shares["level"]) != {self.level} or set(shares["method"]) != set(self.design.methods):
            raise ValueError("shares must be this estimator's prevalence() table (same level and methods)")
        frames = []
        for name, method in self.design.methods.items():
            sums, boot = self._sums(method)
            frame = method.themes.assign(
                method=name, level=self.level, theme_position=np.arange(len(method.themes)),
                early=labels["early"], late=labels["late"],
            )
            period_boot = {}
            for p, mask in masks.items():
                total = n_total[mask].sum()
                pooled = boot[:, mask, :].sum(axis=1)
                period_boot[p] = divide(pooled, pooled.sum(axis=-1, keepdims=True))
                frame[f"n_{p}"] = sums[mask].sum(axis=0)
                frame[f"total_{p}"] = int(total)
                frame[f"share_{p}"] = frame[f"n_{p}"] / total
                frame[f"low_{p}"], frame[f"high_{p}"] = interval(period_boot[p], self.ci)
                rows = shares.loc[(shares["method"] == name) & shares["meeting"].isin(self.design.meetings.loc[mask, "meeting"])]
                ids = rows.groupby("theme", sort=False)["rec_ids"].agg(lambda s: " ".join(i for i in s if i))
                frame[f"rec_ids_{p}"] = frame["theme"].map(ids).fillna("").to_numpy()
            frame["diff"] = frame["share_late"] - frame["share_early"]
            frame["diff_low"], frame["diff_high"] = interval(period_boot["late"] - period_boot["early"], self.ci)
            frame["ci_excludes_0"] = (frame["diff_low"] > 0) | (frame["diff_high"] < 0)
            frame["p_exact"] = [
                fisher(a, int(frame["total_early"].iloc[0]), b, int(frame["total_late"].iloc[0]))
                for a, b in zip(frame["n_early"], frame["n_late"], strict=True)
            ]
            frame["p_boot"] = bootstrap_p(period_boot["late"] - period_boot["early"])
            frame["p_value"] = np.fmax(frame["p_boot"], frame["p_exact"])
            frame["p_adjusted"] = holm(frame["p_value"].to_numpy()).round(6)
            frame["clear"] = frame["p_adjusted"] < 1 - self.ci
            frame = frame.sort_values(["diff", "share_late"], ascending=False, kind="stable")
            frames.append(frame.assign(rank=np.arange(1, len(frame) + 1)))
        out = pd.concat(frames, ignore_index=True).merge(theme_span(shares), how="left", on=["method", "theme_id", "theme"])
        if self.level == "item":
            out = out.astype({"n_early": int, "n_late": int})
        cols = ["method", "level", "rank", "theme_id", "theme", "theme_position", "early", "n_early", "total_early", "share_early", "low_early",
                "high_early", "late", "n_late", "total_late", "share_late", "low_late", "high_late", "diff",
                "diff_low", "diff_high", "ci_excludes_0", "p_exact", "p_boot", "p_value", "p_adjusted", "clear", "first_meeting", "last_meeting", "n_meetings", "rec_ids_early",
                "rec_ids_late"]  # fmt: skip
        return out[cols]

    # ----------------------------------------------------------------- misclassification

    def corrected_change(
        self, model: str = "codebook", reference: str = "reference", early: tuple[int, int] = EARLY,
        late: tuple[int, int] = LATE,
    ) -> pd.DataFrame:
        """A model's early and late shares corrected for its classification errors against the reference.

        The model's confusion with the reference coding (units by reference
        theme and model label) gives ``M[i, j] = P(model says j | theme i)``;
        each period's observed label shares ``q`` are then solved for the
        true shares ``p`` in ``q = Mᵀ p`` on the simplex
        (:func:`~analysis.trends._statistics.misclassification_corrected`).
        The intervals come from a bootstrap that resamples both the
        meetings' paragraphs (the draws of :meth:`build`) and, independently,
        the paragraphs of the validation units, so they include the
        uncertainty of the error rates as well as the sampling of units.

        The reference covers every unit here, so the correction mostly
        shows how much of the model's early-late pattern is its own error;
        it is meant for coding a sample by hand and correcting the rest.

        Returns
        -------
        DataFrame
            One row per theme of the reference: ``theme_id``, ``theme``,
            for each period the model's observed ``observed_<p>``, the
            ``corrected_<p>`` share with ``low_<p>``/``high_<p>`` and the
            reference's ``reference_<p>``; then ``diff`` (corrected late -
            early) with ``diff_low``/``diff_high``. Rounded to 6 decimals.

        Examples
        --------
        >>> from analysis.data.corpus import load_corpus
        >>> from analysis.trends import ThemeTrends, synthetic_assignments
        >>> corpus = load_corpus()
        >>> fake = synthetic_assignments(corpus, n_themes=3, methods=["codebook"])
        >>> both = pd.concat([fake, fake.assign(method="reference")])
        >>> c = ThemeTrends.build(both, corpus, n_boot=100).corrected_change()
        >>> bool((c["corrected_early"] - c["reference_early"]).abs().max() < 1e-3)
        True
        """
        if self.level != "item":
            raise ValueError("the misclassification correction needs level='item' (one label per unit)")
        for name in (model, reference):
            if name not in self.design.methods:
                raise ValueError(f"no assignments for method {name!r}; known: {sorted(self.design.methods)}")
        ref, mod = self.design.methods[reference], self.design.methods[model]
        ref_ids = ref.themes["theme_id"].tolist()
        mod_ids = mod.themes["theme_id"].tolist()
        # model labels: the reference's themes first (a zero column where the model lacks one), then its others
        columns = [mod_ids.index(t) if t in mod_ids else -1 for t in ref_ids]
        columns += [j for j, t in enumerate(mod_ids) if t not in ref_ids]
        padded = np.hstack([mod.x, np.zeros((mod.x.shape[0], 1))])
        labels = padded[:, columns]
        _, boot = self._sums(mod)
        boot = np.concatenate([boot, np.zeros((*boot.shape[:2], 1))], axis=-1)[..., columns]
        sums = labels.copy()
        # validation: paragraphs of all units resampled, independently of the meetings' draws
        clusters = np.concatenate([c + (i * 10_000) for i, c in enumerate(self.design.clusters)])
        clusters = pd.factorize(clusters)[0]
        weights = cluster_multiplicities([clusters], n_boot=self.n_boot, seed=self.seed, keys=[10**6])[0].astype(float)
        confusion = ref.x.T @ labels
        confusion_boot = np.einsum("bu,uk,uj->bkj", weights, ref.x, labels, optimize=True)
        rates, rates_boot = confusion_rates(confusion), confusion_rates(confusion_boot)
        frame = ref.themes.assign(method=model, reference=reference)
        boots = {}
        for p, years in (("early", early), ("late", late)):
            mask = _period_mask(self.design.meetings, years)
            rows = np.concatenate([np.arange(s.start, s.stop) for s, m in zip(self.design.slices, mask, strict=True) if m])
            observed = sums[rows].sum(axis=0)
            truth = ref.x[rows].sum(axis=0)
            frame[f"observed_{p}"] = observed[: len(ref_ids)] / observed.sum()
            frame[f"corrected_{p}"] = misclassification_corrected(observed, rates)
            boots[p] = misclassification_corrected(boot[:, mask, :].sum(axis=1), rates_boot)
            frame[f"low_{p}"], frame[f"high_{p}"] = interval(boots[p], self.ci)
            frame[f"reference_{p}"] = truth / truth.sum()
        frame["diff"] = frame["corrected_late"] - frame["corrected_early"]
        frame["diff_low"], frame["diff_high"] = interval(boots["late"] - boots["early"], self.ci)
        numbers = [c for c in frame.columns if c not in ("theme_id", "theme", "method", "reference")]
        frame[numbers] = frame[numbers].astype(float).round(6)
        return frame.reset_index(drop=True)

    # ----------------------------------------------------------------- concentration

    def _concentration(self, method: _Method) -> tuple[np.ndarray, dict[str, np.ndarray], dict[str, np.ndarray]]:
        """Theme sums (M, K), point measures (M,) and bootstrap measures (B, M) of one method."""
        n_total = _sizes(self.design).astype(float)
        sums, boot = self._sums(method)
        # Σ_i |x_i|² per meeting: 1 per observation for one-hot units, less for a paragraph of several themes
        self_products = (method.x**2).sum(axis=1)
        q = np.array([self_products[s].sum() for s in self.design.slices])
        q_boot = np.stack([c @ self_products[s] for c, s in zip(self.multiplicities, self.design.slices, strict=True)], axis=1)
        point = concentration_measures(sums, n_total, q)
        replicates = concentration_measures(boot, boot.sum(axis=-1), q_boot)
        return sums, point, replicates

    def concentration(self) -> pd.DataFrame:
        """How concentrated each meeting's agenda is on few themes, with bootstrap CIs.

        ``entropy`` is the Shannon entropy of the meeting's theme shares over
        ``log K`` (about 1 = spread evenly over the ``K`` themes, 0 = one
        theme). ``hhi`` is the Herfindahl-Hirschman index ``sum(p²)`` (1/K
        to 1) and ``hhi_corrected`` its unbiased form, ``(n·HHI - 1)/(n - 1)``
        for units: the chance that two different observations of the
        meeting share a theme (for paragraphs, the mean overlap of the theme
        mixes of two different paragraphs). ``effective_themes = 1 / hhi_corrected`` is the number of
        equally large themes with the same concentration.

        Plug-in measures make small meetings look focused (22 units cannot
        show many rare themes), and the late meetings are the small ones;
        hence the corrections: Miller-Madow for the entropy
        (``+ (m - 1)/2n``, ``m`` themes present; it can push a near-even
        meeting slightly above 1) and the unbiased HHI. The intervals are
        bias-corrected percentile (BC) intervals, since the replicates of
        these statistics are shifted from the estimate.

        Returns
        -------
        DataFrame
            One row per method and meeting: ``n_total``, ``n_themes``
            (present), each measure with ``_low``/``_high`` bounds, and
            ``effective_themes``.

        Examples
        --------
        >>> from analysis.data.corpus import load_corpus
        >>> from analysis.trends import ThemeTrends, synthetic_assignments, theme_prevalence
        >>> corpus = load_corpus()
        >>> c = ThemeTrends.build(synthetic_assignments(corpus, methods=["m"]), corpus, n_boot=100).concentration()
        >>> bool(((c["entropy"] > 0.8) | c["entropy"].isna()).all())
        True
        """
        frames = []
        for name, method in self.design.methods.items():
            sums, point, boot = self._concentration(method)
            frame = self.design.meetings[["meeting", "roman", "year", "date", "label"]].assign(
                method=name, level=self.level, n_total=_sizes(self.design), n_themes=(sums > 0).sum(axis=1)
            )
            for measure, values in point.items():
                frame[measure] = values
                frame[f"{measure}_low"], frame[f"{measure}_high"] = interval(boot[measure], self.ci, values)
            frames.append(frame.assign(effective_themes=1 / frame["hhi_corrected"]))
        out = pd.concat(frames, ignore_index=True)
        first = ["method", "level", "meeting", "roman", "year", "date", "label", "n_total", "n_themes"]
        return out[first + [c for c in out.columns if c not in first]]

    def concentration_change(self, early: tuple[int, int] = EARLY, late: tuple[int, int] = LATE) -> pd.DataFrame:
        """Did meetings become more focused? Mean unbiased HHI of early and late meetings.

        Each period's value is the plain mean of its meetings'
        ``hhi_corrected`` (see :meth:`concentration`; every meeting counts
        once); the BC interval of the difference (late - early) comes from
        the same replicates. A positive ``diff`` means more focused late
        meetings.

        Only the unbiased HHI is compared: in simulations with the same theme
        mix at every meeting (random assignments to 8 themes), the
        difference of the Miller-Madow entropy still leant towards "late
        meetings are more focused" and its 95% interval excluded 0 in about
        15% of runs, against about 10% for the unbiased HHI. Treat an
        interval that barely excludes 0 as inconclusive.

        Examples
        --------
        >>> from analysis.data.corpus import load_corpus
        >>> from analysis.trends import ThemeTrends, synthetic_assignments, theme_prevalence
        >>> corpus = load_corpus()
        >>> tt = ThemeTrends.build(synthetic_assignments(corpus, methods=["m"]), corpus, n_boot=100)
        >>> tt.concentration_change()[["measure", "early", "late"]].to_numpy().tolist()
        [['hhi_corrected', '2009–2011', '2015–2018']]
        """
        filled = _sizes(self.design) > 0
        masks = {p: _period_mask(self.design.meetings, years) & filled for p, years in (("early", early), ("late", late))}
        rows = []
        for name, method in self.design.methods.items():
            _, point, boot = self._concentration(method)
            before, after = (point["hhi_corrected"][masks[p]].mean() for p in ("early", "late"))
            diff = boot["hhi_corrected"][:, masks["late"]].mean(axis=1) - boot["hhi_corrected"][:, masks["early"]].mean(axis=1)
            low, high = interval(diff, self.ci, np.array(after - before))
            rows.append({
                "method": name, "level": self.level, "measure": "hhi_corrected",
                "early": _period_label(early), "mean_early": before,
                "late": _period_label(late), "mean_late": after,
                "diff": after - before, "diff_low": float(low), "diff_high": float(high),
                "more_focused": bool(after > before), "clear": bool(low > 0 or high < 0),
            })  # fmt: skip
        return pd.DataFrame(rows)


def _period_mask(meetings: pd.DataFrame, years: tuple[int, int]) -> np.ndarray:
    return ((meetings["year"] >= years[0]) & (meetings["year"] <= years[1])).to_numpy()


def _period_label(years: tuple[int, int]) -> str:
    return f"{years[0]}–{years[1]}" if years[0] != years[1] else str(years[0])



def theme_prevalence(assignments: pd.DataFrame, corpus: Corpus, **options: Any) -> pd.DataFrame:
    """:meth:`ThemeTrends.prevalence` in one call; ``options`` go to :meth:`ThemeTrends.build`.

    Examples
    --------
    >>> from analysis.data.corpus import load_corpus
    >>> from analysis.trends import ThemeTrends, synthetic_assignments, theme_prevalence
    >>> corpus = load_corpus()
    >>> s = theme_prevalence(synthetic_assignments(corpus, methods=["m"]), corpus, n_boot=50)
    >>> s.groupby("roman", sort=False)["n"].sum().tolist()
    [46, 61, 0, 65, 44, 22, 25, 25]
    """
    return ThemeTrends.build(assignments, corpus, **options).prevalence()


def theme_span(shares: pd.DataFrame) -> pd.DataFrame:
    """First and last meeting where each theme appears (``n > 0``), and in how many.

    Examples
    --------
    >>> from analysis.data.corpus import load_corpus
    >>> from analysis.trends import ThemeTrends, synthetic_assignments, theme_prevalence
    >>> corpus = load_corpus()
    >>> span = theme_span(theme_prevalence(synthetic_assignments(corpus, n_themes=2), corpus, n_boot=50))
    >>> span[["first_meeting", "last_meeting", "n_meetings"]].drop_duplicates().to_numpy().tolist()
    [['I', 'VIII', 7]]
    """
    present = shares.loc[shares["n"] > 0].sort_values("meeting", kind="stable")
    g = present.groupby(["method", "theme_id", "theme"], observed=True, sort=False)
    span = g.agg(
        first_meeting=("roman", "first"), first_year=("year", "first"),
        last_meeting=("roman", "last"), last_year=("year", "last"), n_meetings=("roman", "size"),
    ).reset_index()  # fmt: skip
    keys = shares[["method", "theme_id", "theme"]].drop_duplicates()
    return keys.merge(span, how="left", on=["method", "theme_id", "theme"]).reset_index(drop=True)

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
>>> from analysis.corpus import load_corpus
>>> corpus = load_corpus()
>>> fake = synthetic_assignments(corpus, n_themes=3, methods=["codebook"], seed=1)
>>> shares = theme_prevalence(fake, corpus, n_boot=200)
>>> shares.groupby("meeting", observed=True)["share"].sum().round(6).tolist()
[1.0, 1.0, 0.0, 1.0, 1.0, 1.0, 1.0, 1.0]
"""

from __future__ import annotations

import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy import special, stats

from analysis.corpus import Corpus, meeting_dtype, meeting_label
from analysis.paths import DATA_DIR, PROCESSED_DIR

__all__ = [
    "ASSIGNMENT_COLUMNS",
    "CODEBOOK_PATH",
    "DEFAULT_N_BOOT",
    "DEFAULT_SEED",
    "EARLY",
    "LATE",
    "LEVELS",
    "SHARE_COLUMNS",
    "Level",
    "ThemeTrends",
    "bootstrap_multiplicities",
    "change_sentences",
    "change_table",
    "changed_themes",
    "concentration_sentences",
    "format_ids",
    "level_robustness",
    "meeting_table",
    "primary_themes",
    "read_assignments",
    "reference_agreement",
    "robustness_sentences",
    "robustness_summary",
    "robustness_table",
    "synthetic_assignments",
    "theme_order",
    "theme_prevalence",
    "theme_shares_table",
    "theme_span",
]

Level = Literal["item", "paragraph"]
#: The two units of count.
LEVELS: tuple[str, ...] = ("item", "paragraph")
#: Columns the themes step's long table must have (``weight`` is optional: 1 when absent).
ASSIGNMENT_COLUMNS: tuple[str, ...] = ("rec_id", "method", "theme_id", "theme", "weight")
#: Replicates of the bootstrap.
DEFAULT_N_BOOT = 2000
#: Seed of the bootstrap (the first meeting's opening day).
DEFAULT_SEED = 20090414
#: Years of the early and late periods compared by :meth:`ThemeTrends.change`.
EARLY: tuple[int, int] = (2009, 2011)
LATE: tuple[int, int] = (2015, 2018)
#: Columns of ``data/processed/theme_shares.csv``, in order.
SHARE_COLUMNS: tuple[str, ...] = (
    "method", "meeting", "roman", "year", "date", "theme_id", "theme", "n", "n_total",
    "share", "ci_low", "ci_high", "weight_share", "rec_ids",
)  # fmt: skip

_ASSIGNMENTS_PATH = PROCESSED_DIR / "recommendation_themes.csv"
#: The codebook, whose theme order is the order of tables and figures.
CODEBOOK_PATH = DATA_DIR / "codebook.toml"


# --------------------------------------------------------------------------- #
# Inputs
# --------------------------------------------------------------------------- #


def read_assignments(path: str | Path = _ASSIGNMENTS_PATH) -> pd.DataFrame:
    """Read the themes step's long table of theme assignments.

    Parameters
    ----------
    path : path
        The CSV (default ``data/processed/recommendation_themes.csv``).

    Returns
    -------
    DataFrame
        As stored, with ``rec_id``, ``method``, ``theme_id`` and ``theme`` as
        strings and ``weight`` as float (1.0 where the file has none).

    Raises
    ------
    FileNotFoundError
        If the themes step has not written the table yet.
    ValueError
        If a required column is missing.
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"{path} not found: run the themes notebook (02) first")
    return _check_assignments(pd.read_csv(path, dtype={"rec_id": "string", "theme_id": "string"}))


def _check_assignments(assignments: pd.DataFrame) -> pd.DataFrame:
    missing = [c for c in ASSIGNMENT_COLUMNS if c != "weight" and c not in assignments.columns]
    if missing:
        raise ValueError(f"theme assignments lack the columns {missing}; expected {list(ASSIGNMENT_COLUMNS)}")
    out = assignments.copy()
    if "weight" not in out.columns:
        out["weight"] = 1.0
    out = out.astype({"rec_id": "string", "method": "string", "theme_id": "string", "theme": "string"})
    out["weight"] = pd.to_numeric(out["weight"]).astype(float)
    if not np.isfinite(out["weight"]).all() or (out["weight"] < 0).any():
        raise ValueError("theme weights must be finite and non-negative")
    return out


def synthetic_assignments(
    corpus: Corpus,
    *,
    n_themes: int = 5,
    methods: Sequence[str] = ("discovery", "codebook"),
    seed: int = 0,
    rows_per_unit: int = 1,
) -> pd.DataFrame:
    """Random theme assignments in the themes step's long format, for tests and demos.

    Each unit gets ``rows_per_unit`` distinct random themes with random
    weights in (0, 1]; theme ids are ``"T01"``, ``"T02"`` … and names
    ``"Theme 1"`` ….

    Examples
    --------
    >>> from analysis.corpus import load_corpus
    >>> fake = synthetic_assignments(load_corpus(), n_themes=4, rows_per_unit=2)
    >>> fake.groupby("method").size().to_dict()
    {'codebook': 576, 'discovery': 576}
    """
    rng = np.random.default_rng(seed)
    rec_ids = corpus.recommendations["rec_id"].to_numpy(dtype=object)
    rows_per_unit = min(rows_per_unit, n_themes)
    frames = []
    for method in methods:
        picks = np.argsort(rng.random((len(rec_ids), n_themes)), axis=1)[:, :rows_per_unit]
        frames.append(pd.DataFrame({
            "rec_id": np.repeat(rec_ids, rows_per_unit),
            "method": method,
            "theme_id": [f"T{k + 1:02d}" for k in picks.ravel()],
            "theme": [f"Theme {k + 1}" for k in picks.ravel()],
            "weight": 1.0 - rng.random(picks.size),
        }))
    return _check_assignments(pd.concat(frames, ignore_index=True))


def theme_order(assignments: pd.DataFrame, codebook: str | Path | None = CODEBOOK_PATH) -> dict[str, list[str]]:
    """The themes of each method in their canonical order.

    Themes whose ``theme_id`` is in the codebook (``data/codebook.toml``,
    whose order "is the order used in tables and figures") come first, in
    the codebook's order; the others follow by ``theme_id`` (``"T2"`` before
    ``"T10"``). Pass a method's list to :func:`analysis.style.theme_colors`
    so that a theme keeps its colour in every chart.

    Examples
    --------
    >>> df = pd.DataFrame({"rec_id": ["1.1", "1.2", "1.3"], "method": ["m"] * 3,
    ...                    "theme_id": ["T10", "T2", "prevencion"], "theme": ["B", "A", "Prevención"]})
    >>> theme_order(df)
    {'m': ['Prevención', 'A', 'B']}
    """
    themes = _check_assignments(assignments)[["method", "theme_id", "theme"]].drop_duplicates()
    clash = themes.groupby(["method", "theme_id"]).size()
    if (clash > 1).any():
        raise ValueError(f"a theme_id has more than one name: {clash[clash > 1].index.tolist()}")
    known = _codebook_ids(codebook)
    position = themes["theme_id"].map(lambda t: known.index(t) if t in known else len(known))
    natural = themes["theme_id"].astype(str).str.replace(r"\d+", lambda m: m.group().zfill(6), regex=True)
    themes = themes.assign(_pos=position.to_numpy(), _nat=natural.to_numpy())
    themes = themes.sort_values(["method", "_pos", "_nat"], kind="stable")
    return {str(m): g["theme"].astype(str).tolist() for m, g in themes.groupby("method", sort=False)}


def _codebook_ids(path: str | Path | None) -> list[str]:
    """Theme ids of the codebook, in its order (empty if there is none)."""
    if path is None or not Path(path).is_file():
        return []
    with open(path, "rb") as fh:
        return [str(t["id"]) for t in tomllib.load(fh).get("theme", [])]


def primary_themes(assignments: pd.DataFrame) -> pd.DataFrame:
    """One row per method and unit: the theme of highest weight.

    Ties go to the theme that comes first in the method's order
    (:func:`theme_order`).

    Examples
    --------
    >>> df = pd.DataFrame({"rec_id": ["1.1", "1.1", "1.2"], "method": ["m"] * 3,
    ...                    "theme_id": ["a", "b", "b"], "theme": ["A", "B", "B"],
    ...                    "weight": [0.4, 0.6, 0.5]})
    >>> primary_themes(df)[["rec_id", "theme", "weight"]].to_numpy().tolist()
    [['1.1', 'B', 0.6], ['1.2', 'B', 0.5]]
    """
    df = _check_assignments(assignments)
    order = theme_order(df)
    position = {(m, t): i for m, themes in order.items() for i, t in enumerate(themes)}
    df["_pos"] = [position[(m, t)] for m, t in zip(df["method"], df["theme"], strict=True)]
    df = df.sort_values(["method", "rec_id", "weight", "_pos"], ascending=[True, True, False, True], kind="stable")
    return df.drop_duplicates(["method", "rec_id"]).drop(columns="_pos").reset_index(drop=True)


# --------------------------------------------------------------------------- #
# Meetings and units
# --------------------------------------------------------------------------- #


def _units(corpus: Corpus, attribute_proposed: bool) -> pd.DataFrame:
    """rec_id, meeting (int), paragraph_id, in document order; 4.46 moved to III on request."""
    r = corpus.recommendations
    meeting = r["meeting"].astype(int)
    if attribute_proposed:
        meeting = r["proposed_meeting"].fillna(meeting).astype(int)
    return pd.DataFrame({
        "rec_id": r["rec_id"].astype(str),
        "meeting": meeting.to_numpy(),
        "paragraph_id": (r["meeting"].astype(int).astype(str) + "." + r["paragraph"].astype(str)).to_numpy(),
    }).sort_values("meeting", kind="stable").reset_index(drop=True)


def meeting_table(corpus: Corpus, *, attribute_proposed: bool = False) -> pd.DataFrame:
    """One row per meeting: dates, labels and how many units and paragraphs it counts.

    Parameters
    ----------
    corpus : Corpus
    attribute_proposed : bool
        Count paragraph 46 of meeting IV at meeting III, where it was proposed.

    Returns
    -------
    DataFrame
        ``meeting`` (ordered categorical), ``roman``, ``year``, ``date`` (start
        date), ``label`` ("IV · Oct 2011"), ``n_units``, ``n_paragraphs``,
        ``note``.

    Examples
    --------
    >>> from analysis.corpus import load_corpus
    >>> m = meeting_table(load_corpus(), attribute_proposed=True)
    >>> m.set_index("roman").loc[["III", "IV"], ["n_units", "n_paragraphs"]].to_numpy().tolist()
    [[10, 1], [55, 45]]
    """
    units = _units(corpus, attribute_proposed)
    m = corpus.meetings
    counts = units.groupby("meeting").agg(n_units=("rec_id", "size"), n_paragraphs=("paragraph_id", "nunique"))
    counts = counts.reindex(m["meeting"].astype(int), fill_value=0)
    note = m["note"].astype(object).where(m["note"].notna(), None)
    if attribute_proposed:
        note = [
            "Counts paragraph 46 of meeting IV (4.46.a-j), proposed here and endorsed at meeting IV."
            if k == 3 else ("Paragraph 46 is counted at meeting III, where it was proposed." if k == 4 else None)
            for k in m["meeting"].astype(int)
        ]
    return pd.DataFrame({
        "meeting": m["meeting"].astype(meeting_dtype(len(m))),
        "roman": m["roman"].astype(str),
        "year": m["year"].astype(int),
        "date": m["start_date"],
        "label": meeting_label(m).astype(str),
        "n_units": counts["n_units"].to_numpy(),
        "n_paragraphs": counts["n_paragraphs"].to_numpy(),
        "note": pd.Series(note, index=m.index, dtype="string"),
    }).reset_index(drop=True)


# --------------------------------------------------------------------------- #
# The bootstrap
# --------------------------------------------------------------------------- #


def bootstrap_multiplicities(
    sizes: Sequence[int], *, n_boot: int = DEFAULT_N_BOOT, seed: int = DEFAULT_SEED, keys: Sequence[int] | None = None
) -> list[np.ndarray]:
    """How often each observation of each group is drawn in each bootstrap replicate.

    Parameters
    ----------
    sizes : sequence of int
        Number of observations in each group (meeting).
    n_boot : int
        Replicates.
    seed : int
        Seed; group ``g`` draws from ``numpy.random.default_rng([seed, keys[g]])``.
    keys : sequence of int, optional
        A stable key per group (the meeting number); ``0, 1, …`` by default.

    Returns
    -------
    list of ndarray
        For group ``g``, an ``(n_boot, sizes[g])`` integer array whose rows sum
        to ``sizes[g]``: resampling with replacement within the group.

    Examples
    --------
    >>> mult = bootstrap_multiplicities([3, 0], n_boot=4, seed=1)
    >>> [m.shape for m in mult], mult[0].sum(axis=1).tolist()
    ([(4, 3), (4, 0)], [3, 3, 3, 3])
    """
    keys = list(range(len(sizes))) if keys is None else list(keys)
    out = []
    for n, key in zip(sizes, keys, strict=True):
        n = int(n)
        if n == 0:
            out.append(np.zeros((n_boot, 0), dtype=np.int64))
            continue
        rng = np.random.default_rng([seed, int(key)])
        draws = rng.integers(0, n, size=(n_boot, n))
        flat = (np.arange(n_boot)[:, None] * n + draws).ravel()
        out.append(np.bincount(flat, minlength=n_boot * n).reshape(n_boot, n))
    return out


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


def _design(
    assignments: pd.DataFrame, corpus: Corpus, *, level: str = "item", attribute_proposed: bool = False
) -> _Design:
    if level not in LEVELS:
        raise ValueError(f"level must be one of {LEVELS}, not {level!r}")
    assignments = _check_assignments(assignments)
    units = _units(corpus, attribute_proposed)
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
    return _Design(level, attribute_proposed, meetings, slices, methods)


def _sizes(design: _Design) -> np.ndarray:
    """Observations per meeting (units, or paragraphs at paragraph level)."""
    return np.array([s.stop - s.start for s in design.slices])


def _divide(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, num / np.where(den > 0, den, 1), np.nan)


def _interval(boot: np.ndarray, ci: float, point: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Bootstrap interval over axis 0; NaN where every replicate is NaN.

    Without ``point``: the percentile interval. With ``point`` (the estimate,
    shaped like ``boot[0]``): the bias-corrected percentile interval (Efron's
    BC), for statistics such as entropy whose replicates are shifted away
    from the estimate; the quantiles move by ``2·z0`` where ``Φ(z0)`` is the
    fraction of replicates below the estimate. When the estimate lies at the
    edge of its replicates (entropy of a meeting spread evenly over its
    themes), BC puts both bounds on one side of it; the interval is then
    stretched to reach the estimate.
    """
    if not 0 < ci < 1:
        raise ValueError(f"ci must be between 0 and 1, not {ci}")
    alpha = (1 - ci) / 2
    empty = np.isnan(boot).all(axis=0)
    filled = np.where(np.isnan(boot), 0.0, boot)
    if point is None:
        low, high = np.quantile(filled, [alpha, 1 - alpha], axis=0)
    else:
        b = boot.shape[0]
        below = (filled < point).mean(axis=0) + 0.5 * (filled == point).mean(axis=0)
        z0 = special.ndtri(np.clip(below, 0.5 / b, 1 - 0.5 / b))
        ordered = np.sort(filled, axis=0)
        low, high = (_quantile_at(ordered, special.ndtr(2 * z0 + special.ndtri(q))) for q in (alpha, 1 - alpha))
        # An estimate at the edge of its replicates (an even or a one-theme meeting) stays inside its interval.
        low, high = np.minimum(low, point), np.maximum(high, point)
    return np.where(empty, np.nan, low), np.where(empty, np.nan, high)


def _quantile_at(ordered: np.ndarray, q: np.ndarray) -> np.ndarray:
    """Linear-interpolation quantile ``q`` (one per cell) of ``ordered`` (sorted along axis 0)."""
    pos = np.asarray(q) * (ordered.shape[0] - 1)
    lo = np.floor(pos).astype(int)
    hi = np.minimum(lo + 1, ordered.shape[0] - 1)
    a = np.take_along_axis(ordered, lo[None, ...], axis=0)[0]
    b = np.take_along_axis(ordered, hi[None, ...], axis=0)[0]
    return a + (pos - lo) * (b - a)


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
    >>> from analysis.corpus import load_corpus
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
        """
        if not 0 < ci < 1:
            raise ValueError(f"ci must be between 0 and 1, not {ci}")
        design = _design(assignments, corpus, level=level, attribute_proposed=attribute_proposed)
        keys = design.meetings["meeting"].astype(int)
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
        >>> from analysis.corpus import load_corpus
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
            low, high = _interval(_divide(boot, n_total[None, :, None]), self.ci)
            k = len(method.themes)
            frame = pd.DataFrame({
                "method": name,
                "level": self.level,
                **{c: np.repeat(meetings[c].to_numpy(), k) for c in ("meeting", "roman", "year", "date", "label")},
                "theme_id": np.tile(method.themes["theme_id"].to_numpy(), len(meetings)),
                "theme": np.tile(method.themes["theme"].to_numpy(), len(meetings)),
                "n": sums.ravel(),
                "n_total": np.repeat(n_total, k),
                "share": _divide(sums, n_total[:, None]).ravel(),
                "ci_low": low.ravel(),
                "ci_high": high.ravel(),
                "weight_share": _divide(wsums, wsums.sum(axis=1, keepdims=True)).ravel(),
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

    def change(self, early: tuple[int, int] = EARLY, late: tuple[int, int] = LATE) -> pd.DataFrame:
        """Share of each theme early against late, the difference with a CI, ranked.

        A period's share pools its meetings' observations (a meeting weighs
        by its size); its replicates sum the meetings' replicates, so the CI
        of the difference accounts for the sampling of both periods.

        Parameters
        ----------
        early, late : (int, int)
            First and last year of each period (inclusive), by meeting year.

        Returns
        -------
        DataFrame
            One row per method and theme, ranked within the method from the
            largest rise to the largest fall: ``level``, ``theme_position`` (the theme's
            place in the method's canonical order), ``early``/``late`` labels,
            ``n_early``, ``total_early``, ``share_early``, ``low_early``,
            ``high_early``, the same for ``late``, ``diff``, ``diff_low``,
            ``diff_high``, ``clear`` (the CI of the difference excludes 0),
            ``p_exact`` (two-sided Fisher exact test of the two counts; a
            check on ``clear`` where a count is 0, whose bootstrap interval
            collapses to [0, 0]; at paragraph level the counts are rounded),
            ``rank``, the first and last meeting where the theme appears
            (:func:`theme_span`), and ``rec_ids_early``/``rec_ids_late``.

        Examples
        --------
        >>> from analysis.corpus import load_corpus
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
        shares = self.prevalence()
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
                period_boot[p] = boot[:, mask, :].sum(axis=1) / total
                frame[f"n_{p}"] = sums[mask].sum(axis=0)
                frame[f"total_{p}"] = int(total)
                frame[f"share_{p}"] = frame[f"n_{p}"] / total
                frame[f"low_{p}"], frame[f"high_{p}"] = _interval(period_boot[p], self.ci)
                rows = shares.loc[(shares["method"] == name) & shares["meeting"].isin(self.design.meetings.loc[mask, "meeting"])]
                ids = rows.groupby("theme", sort=False)["rec_ids"].agg(lambda s: " ".join(i for i in s if i))
                frame[f"rec_ids_{p}"] = frame["theme"].map(ids).fillna("").to_numpy()
            frame["diff"] = frame["share_late"] - frame["share_early"]
            frame["diff_low"], frame["diff_high"] = _interval(period_boot["late"] - period_boot["early"], self.ci)
            frame["clear"] = (frame["diff_low"] > 0) | (frame["diff_high"] < 0)
            frame["p_exact"] = [
                _fisher(a, int(frame["total_early"].iloc[0]), b, int(frame["total_late"].iloc[0]))
                for a, b in zip(frame["n_early"], frame["n_late"], strict=True)
            ]
            frame = frame.sort_values(["diff", "share_late"], ascending=False, kind="stable")
            frames.append(frame.assign(rank=np.arange(1, len(frame) + 1)))
        out = pd.concat(frames, ignore_index=True).merge(theme_span(shares), how="left", on=["method", "theme_id", "theme"])
        if self.level == "item":
            out = out.astype({"n_early": int, "n_late": int})
        cols = ["method", "level", "rank", "theme_id", "theme", "theme_position", "early", "n_early", "total_early", "share_early", "low_early",
                "high_early", "late", "n_late", "total_late", "share_late", "low_late", "high_late", "diff",
                "diff_low", "diff_high", "clear", "p_exact", "first_meeting", "last_meeting", "n_meetings", "rec_ids_early",
                "rec_ids_late"]  # fmt: skip
        return out[cols]

    # ----------------------------------------------------------------- concentration

    def _concentration(self, method: _Method) -> tuple[np.ndarray, dict[str, np.ndarray], dict[str, np.ndarray]]:
        """Theme sums (M, K), point measures (M,) and bootstrap measures (B, M) of one method."""
        n_total = _sizes(self.design).astype(float)
        sums, boot = self._sums(method)
        # Σ_i |x_i|² per meeting: 1 per observation for one-hot units, less for a paragraph of several themes
        self_products = (method.x**2).sum(axis=1)
        q = np.array([self_products[s].sum() for s in self.design.slices])
        q_boot = np.stack([c @ self_products[s] for c, s in zip(self.multiplicities, self.design.slices, strict=True)], axis=1)
        point = _concentration_measures(sums, n_total, q)
        replicates = _concentration_measures(boot, n_total[None, :], q_boot)
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
        >>> from analysis.corpus import load_corpus
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
                frame[f"{measure}_low"], frame[f"{measure}_high"] = _interval(boot[measure], self.ci, values)
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
        >>> from analysis.corpus import load_corpus
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
            low, high = _interval(diff, self.ci, np.array(after - before))
            rows.append({
                "method": name, "level": self.level, "measure": "hhi_corrected",
                "early": _period_label(early), "mean_early": before,
                "late": _period_label(late), "mean_late": after,
                "diff": after - before, "diff_low": float(low), "diff_high": float(high),
                "more_focused": bool(after > before), "clear": bool(low > 0 or high < 0),
            })  # fmt: skip
        return pd.DataFrame(rows)


def _fisher(n_a: float, total_a: int, n_b: float, total_b: int) -> float:
    """Two-sided Fisher exact p-value of ``n_a`` of ``total_a`` against ``n_b`` of ``total_b`` (counts rounded)."""
    a, b = round(float(n_a)), round(float(n_b))
    return float(stats.fisher_exact([[a, total_a - a], [b, total_b - b]]).pvalue)


def _period_mask(meetings: pd.DataFrame, years: tuple[int, int]) -> np.ndarray:
    return ((meetings["year"] >= years[0]) & (meetings["year"] <= years[1])).to_numpy()


def _period_label(years: tuple[int, int]) -> str:
    return f"{years[0]}–{years[1]}" if years[0] != years[1] else str(years[0])


def _concentration_measures(sums: np.ndarray, n: np.ndarray, q: np.ndarray) -> dict[str, np.ndarray]:
    """Concentration of theme sums ``sums`` (..., K) over ``n`` observations each.

    ``q`` is the sum over the observations of ``|x_i|²`` (``x_i`` the
    observation's theme composition; 1 for a unit with one primary theme).
    ``entropy``: Shannon entropy of the shares with the Miller-Madow
    correction ``(m - 1) / 2n`` (``m`` themes present), over ``log K``.
    ``hhi``: plug-in ``sum(p²)``. ``hhi_corrected``:
    ``(|S|² - q) / (n (n - 1))``, the mean of ``x_i · x_j`` over pairs of
    different observations, which is unbiased and never negative; for
    one-hot units it is ``(n·HHI - 1) / (n - 1)``.
    """
    k = sums.shape[-1]
    with np.errstate(divide="ignore", invalid="ignore"):
        p = sums / np.where(n > 0, n, np.nan)[..., None]
        plogp = np.where(p > 0, p * np.log(np.where(p > 0, p, 1)), 0.0)
        present = (p > 1e-12).sum(axis=-1)
        miller_madow = np.where(n > 0, (present - 1) / (2 * np.where(n > 0, n, 1)), np.nan)
        entropy = (-plogp.sum(axis=-1) + miller_madow) / np.log(k) if k > 1 else np.zeros(p.shape[:-1])
        hhi = (p**2).sum(axis=-1)
        pairs = np.where(n > 1, n * (n - 1), np.nan)
        hhi_corrected = np.where(n > 1, ((sums**2).sum(axis=-1) - q) / pairs, np.nan)
    nan = np.isnan(p).any(axis=-1)
    return {
        "entropy": np.where(nan, np.nan, entropy),
        "hhi": np.where(nan, np.nan, hhi),
        "hhi_corrected": np.where(nan, np.nan, hhi_corrected),
    }


# --------------------------------------------------------------------------- #
# Tables derived from the estimates
# --------------------------------------------------------------------------- #


def theme_prevalence(assignments: pd.DataFrame, corpus: Corpus, **options: Any) -> pd.DataFrame:
    """:meth:`ThemeTrends.prevalence` in one call; ``options`` go to :meth:`ThemeTrends.build`.

    Examples
    --------
    >>> from analysis.corpus import load_corpus
    >>> corpus = load_corpus()
    >>> s = theme_prevalence(synthetic_assignments(corpus, methods=["m"]), corpus, n_boot=50)
    >>> s.groupby("roman", sort=False)["n"].sum().tolist()
    [46, 61, 0, 65, 44, 22, 25, 25]
    """
    return ThemeTrends.build(assignments, corpus, **options).prevalence()


def theme_shares_table(shares: pd.DataFrame) -> pd.DataFrame:
    """The columns of ``data/processed/theme_shares.csv`` (:data:`SHARE_COLUMNS`).

    Examples
    --------
    >>> from analysis.corpus import load_corpus
    >>> corpus = load_corpus()
    >>> table = theme_shares_table(theme_prevalence(synthetic_assignments(corpus), corpus, n_boot=50))
    >>> list(table.columns) == list(SHARE_COLUMNS)
    True
    """
    return shares.loc[:, list(SHARE_COLUMNS)].reset_index(drop=True)


def theme_span(shares: pd.DataFrame) -> pd.DataFrame:
    """First and last meeting where each theme appears (``n > 0``), and in how many.

    Examples
    --------
    >>> from analysis.corpus import load_corpus
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


def level_robustness(
    assignments: pd.DataFrame,
    corpus: Corpus,
    *,
    early: tuple[int, int] = EARLY,
    late: tuple[int, int] = LATE,
    **options: Any,
) -> pd.DataFrame:
    """The early-late change of each theme counted by item and by paragraph, side by side.

    Parameters
    ----------
    assignments, corpus, early, late
        As in :meth:`ThemeTrends.change`.
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
    >>> from analysis.corpus import load_corpus
    >>> corpus = load_corpus()
    >>> rob = level_robustness(synthetic_assignments(corpus, methods=["m"]), corpus, n_boot=100)
    >>> rob.columns[:4].tolist()
    ['method', 'theme_id', 'theme', 'diff_item']
    """
    keep = ["method", "theme_id", "theme", "diff", "diff_low", "diff_high", "clear", "rank"]
    item, para = (
        ThemeTrends.build(assignments, corpus, level=level, **options).change(early, late)[keep]  # type: ignore[arg-type]
        for level in LEVELS
    )
    out = item.merge(para, on=["method", "theme_id", "theme"], suffixes=("_item", "_paragraph"))
    out["same_direction"] = np.sign(out["diff_item"]) == np.sign(out["diff_paragraph"])
    out["same_verdict"] = out["same_direction"] & (out["clear_item"] == out["clear_paragraph"])
    return out


def format_ids(rec_ids: str | Sequence[str], *, limit: int = 15) -> str:
    """A hover-friendly list of rec_ids, cut after ``limit`` with "… and N more".

    Examples
    --------
    >>> format_ids("1.1 1.2 1.3", limit=2)
    '1.1, 1.2 … and 1 more'
    >>> format_ids("")
    'none'
    """
    ids = rec_ids.split() if isinstance(rec_ids, str) else list(rec_ids)
    if not ids:
        return "none"
    head = ", ".join(ids[:limit])
    return head if len(ids) <= limit else f"{head} … and {len(ids) - limit} more"


def changed_themes(change: pd.DataFrame, method: str = "codebook") -> list[str]:
    """Themes of ``method`` whose early-late change is clear (its 95% CI excludes 0), largest rise first.

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
    >>> from analysis.corpus import load_corpus
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
    units = _units(corpus, attribute_proposed)[["rec_id", "meeting"]]
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


# --------------------------------------------------------------------------- #
# Findings for the report
# --------------------------------------------------------------------------- #


def _pct(x: float) -> str:
    return f"{100 * x:.1f}%"


def _points(x: float) -> str:
    return f"{100 * x:+.1f}".replace("-", "−")


def change_table(change: pd.DataFrame, method: str = "codebook") -> pd.DataFrame:
    """The early-late change of one method as a readable table, largest rise first.

    Examples
    --------
    >>> from analysis.corpus import load_corpus
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
            f"{_points(d)} ({_points(lo)} to {_points(hi)})"
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
        f"{_points(r.diff)} percentage points (95% CI {_points(r.diff_low)} to {_points(r.diff_high)})."
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
            f"{_points(d)} ({_points(lo)} to {_points(hi)})"
            for d, lo, hi in zip(rows[f"diff_{level}"], rows[f"diff_low_{level}"], rows[f"diff_high_{level}"], strict=True)
        ]

    return pd.DataFrame({
        "theme": rows["theme"].astype(str),
        "by item, points (95% CI)": cell("item"),
        "by paragraph, points (95% CI)": cell("paragraph"),
        "same conclusion": np.where(rows["same_verdict"], "yes", np.where(rows["same_direction"], "direction only", "no")),
    }).set_index("theme")  # fmt: skip


def _change_cell(diff: float, low: float, high: float) -> str:
    return f"{_points(diff)} points (95% CI {_points(low)} to {_points(high)})"


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

"""Inputs of the priority shifts: the themes step's assignments, theme order, meetings and units.

:func:`read_assignments` reads the processed table ``recommendation_themes``;
:func:`synthetic_assignments` makes a table of the same shape for tests and
benchmarks; :func:`theme_order` gives each method's themes in the codebook's
order; :func:`meeting_table` the meetings with their numbers of units.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.data.corpus import Corpus, meeting_dtype, meeting_label
from analysis.data.paths import CODEBOOK_PATH, PROCESSED_DIR
from analysis.data.tables import read_table, table_exists
from analysis.themes.codebook import codebook_ids

__all__ = [
    "ASSIGNMENT_COLUMNS",
    "LEVELS",
    "check_assignments",
    "meeting_table",
    "primary_themes",
    "read_assignments",
    "synthetic_assignments",
    "theme_order",
    "units_table",
]

#: The two units of count.
LEVELS: tuple[str, ...] = ("item", "paragraph")
#: Columns the themes step's long table must have (``weight`` is optional: 1 when absent).
ASSIGNMENT_COLUMNS: tuple[str, ...] = ("rec_id", "method", "theme_id", "theme", "weight")


def read_assignments(directory: str | Path = PROCESSED_DIR) -> pd.DataFrame:
    """Read the themes step's long table of theme assignments.

    Parameters
    ----------
    directory : path
        Where the processed tables are (default ``data/processed/``); the
        table is read with :func:`analysis.data.tables.read_table`.

    Returns
    -------
    DataFrame
        As stored, with ``rec_id``, ``method``, ``theme_id`` and ``theme`` as
        strings and ``weight`` as float.

    Raises
    ------
    FileNotFoundError
        If the themes step has not written the table yet.
    ValueError
        If a required column is missing.
    """
    if not table_exists("recommendation_themes", Path(directory)):
        raise FileNotFoundError(
            f"{Path(directory) / 'recommendation_themes.csv'} not found: run the themes notebook (02) first"
        )
    return check_assignments(read_table("recommendation_themes", Path(directory)))


def check_assignments(assignments: pd.DataFrame) -> pd.DataFrame:
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
    >>> from analysis.data.corpus import load_corpus
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
    return check_assignments(pd.concat(frames, ignore_index=True))


def theme_order(assignments: pd.DataFrame, codebook: str | Path | None = CODEBOOK_PATH) -> dict[str, list[str]]:
    """The themes of each method in their canonical order.

    Themes whose ``theme_id`` is in the codebook (``data/codebook.toml``,
    whose order "is the order used in tables and figures") come first, in
    the codebook's order; the others follow by ``theme_id`` (``"T2"`` before
    ``"T10"``). Pass a method's list to :func:`analysis.viz.style.theme_colors`
    so that a theme keeps its colour in every chart.

    Examples
    --------
    >>> df = pd.DataFrame({"rec_id": ["1.1", "1.2", "1.3"], "method": ["m"] * 3,
    ...                    "theme_id": ["T10", "T2", "prevencion"], "theme": ["B", "A", "Prevención"]})
    >>> theme_order(df)
    {'m': ['Prevención', 'A', 'B']}
    """
    themes = check_assignments(assignments)[["method", "theme_id", "theme"]].drop_duplicates()
    clash = themes.groupby(["method", "theme_id"]).size()
    if (clash > 1).any():
        raise ValueError(f"a theme_id has more than one name: {clash[clash > 1].index.tolist()}")
    known = codebook_ids(codebook)
    position = themes["theme_id"].map(lambda t: known.index(t) if t in known else len(known))
    natural = themes["theme_id"].astype(str).str.replace(r"\d+", lambda m: m.group().zfill(6), regex=True)
    themes = themes.assign(_pos=position.to_numpy(), _nat=natural.to_numpy())
    themes = themes.sort_values(["method", "_pos", "_nat"], kind="stable")
    return {str(m): g["theme"].astype(str).tolist() for m, g in themes.groupby("method", sort=False)}


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
    df = check_assignments(assignments)
    order = theme_order(df)
    position = {(m, t): i for m, themes in order.items() for i, t in enumerate(themes)}
    df["_pos"] = [position[(m, t)] for m, t in zip(df["method"], df["theme"], strict=True)]
    df = df.sort_values(["method", "rec_id", "weight", "_pos"], ascending=[True, True, False, True], kind="stable")
    return df.drop_duplicates(["method", "rec_id"]).drop(columns="_pos").reset_index(drop=True)


# --------------------------------------------------------------------------- #
# Meetings and units
# --------------------------------------------------------------------------- #


def units_table(corpus: Corpus, attribute_proposed: bool) -> pd.DataFrame:
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
    >>> from analysis.data.corpus import load_corpus
    >>> m = meeting_table(load_corpus(), attribute_proposed=True)
    >>> m.set_index("roman").loc[["III", "IV"], ["n_units", "n_paragraphs"]].to_numpy().tolist()
    [[10, 1], [55, 45]]
    """
    units = units_table(corpus, attribute_proposed)
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



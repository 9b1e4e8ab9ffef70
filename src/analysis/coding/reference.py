"""The reference coding: the two readings where they agree, the adjudicator's decision where they do not.

``data/coding/adjudication.csv`` holds one row per unit on which the readings
differ (primary theme or secondary themes): ``rec_id, primary, secondary,
reason, chosen`` (``reader_1``, ``reader_2`` or ``other``). A unit coded alike
by both readers takes their coding. ``python -m analysis.coding.reference``
rebuilds ``data/coding/reference.csv`` from the three files.
"""

from __future__ import annotations

import csv
import sys
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from analysis.coding.files import CODING_DIR, CodingError, check_rows, read_coding, write_coding
from analysis.data.paths import display_path

__all__ = ["ADJUDICATION_COLUMNS", "build_reference", "disputed_units", "read_adjudication"]

ADJUDICATION_COLUMNS = ["rec_id", "primary", "secondary", "reason", "chosen"]
CHOICES = ("reader_1", "reader_2", "other")


def disputed_units(first: pd.DataFrame, second: pd.DataFrame) -> list[str]:
    """The units on which two codings differ, in primary or in secondary themes (in unit order)."""
    merged = first.merge(second, on="rec_id", suffixes=("_1", "_2"), validate="one_to_one")
    differ = (merged["primary_1"] != merged["primary_2"]) | (
        merged["secondary_1"].map(tuple) != merged["secondary_2"].map(tuple))  # fmt: skip
    return merged.loc[differ, "rec_id"].tolist()


def read_adjudication(path: Path | str, *, theme_ids: Sequence[str], rec_ids: Sequence[str]) -> pd.DataFrame:
    """The adjudicator's decisions, checked like a coder's file: ``rec_id, primary, secondary, reason, chosen``.

    Returns the coders' frame (``note`` holds the reason) with a ``chosen`` column.
    """
    path = Path(path)
    place = display_path(path)
    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader, None)
        if header != ADJUDICATION_COLUMNS:
            raise CodingError(f"{place}, line 1: the header must be {','.join(ADJUDICATION_COLUMNS)}; found {header!r}")
        lines = [(reader.line_num, row) for row in reader]
    chosen = {}
    for line, row in lines:
        if len(row) == len(ADJUDICATION_COLUMNS):
            if row[4] not in CHOICES:
                raise CodingError(f"{place}, line {line}, field 'chosen': {row[4]!r} is not one of {', '.join(CHOICES)}")
            chosen[row[0].strip()] = row[4]
    as_coding = [(line, [*row[:1], "adjudicator", *row[1:4]] if len(row) == len(ADJUDICATION_COLUMNS) else row)
                 for line, row in lines]  # fmt: skip
    decisions = check_rows(as_coding, place, set(theme_ids), rec_ids)
    return decisions.assign(chosen=decisions["rec_id"].map(chosen))


def build_reference(first: pd.DataFrame, second: pd.DataFrame, decisions: pd.DataFrame) -> pd.DataFrame:
    """The reference coding (``coder`` = ``reference``), every unit accounted for.

    Raises
    ------
    CodingError
        A disputed unit without a decision, or a decision for a unit the
        readings agree on.
    """
    disputed = disputed_units(first, second)
    decided = decisions["rec_id"].tolist()
    if missing := [r for r in disputed if r not in decided]:
        raise CodingError(f"adjudication: {len(missing)} disputed unit(s) without a decision, first {missing[:5]}")
    if extra := [r for r in decided if r not in disputed]:
        raise CodingError(f"adjudication: decisions for units the readings agree on: {extra[:5]}")
    by_id = decisions.set_index("rec_id")
    rows = []
    for r in first.itertuples(index=False):
        if r.rec_id in by_id.index:
            d = by_id.loc[r.rec_id]
            rows.append((r.rec_id, "reference", d["primary"], list(d["secondary"]), f"adjudicated ({d['chosen']}): {d['note']}"))
        else:
            rows.append((r.rec_id, "reference", r.primary, list(r.secondary), "both readings"))
    return pd.DataFrame(rows, columns=["rec_id", "coder", "primary", "secondary", "note"])


def main(argv: Sequence[str] | None = None) -> int:
    """Rebuild ``data/coding/reference.csv`` from the two readings and the adjudication."""
    from analysis.data.corpus import load_recommendations
    from analysis.themes.codebook import load_codebook

    ids, units = load_codebook().ids, load_recommendations()["rec_id"].tolist()
    first, second = (read_coding(CODING_DIR / f"reading_{i}.csv", theme_ids=ids, rec_ids=units) for i in (1, 2))
    decisions = read_adjudication(CODING_DIR / "adjudication.csv", theme_ids=ids,
                                  rec_ids=disputed_units(first, second))  # fmt: skip
    path = write_coding(build_reference(first, second, decisions), CODING_DIR / "reference.csv")
    print(path)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

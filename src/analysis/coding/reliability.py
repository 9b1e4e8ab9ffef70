"""How far two coders agree: percent agreement, Cohen's kappa and Krippendorff's alpha, overall and per theme."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from analysis.coding._statistics import agreement_interval, cohen_kappa, krippendorff_alpha
from analysis.coding.files import CodingError, read_coding
from analysis.data.paths import display_path

__all__ = ["coder_agreement", "reliability"]


def _paragraph(rec_id: str) -> str:
    return ".".join(rec_id.split(".")[:2])


def reliability(
    first: pd.DataFrame,
    second: pd.DataFrame,
    *,
    theme_ids: list[str] | None = None,
    names: Mapping[str, str] | None = None,
    n_boot: int = 2000,
    seed: int = 20090414,
) -> pd.DataFrame:
    """Agreement of two codings on the primary theme: one row overall, then one per theme.

    Per theme, the two codings are reduced to "this theme is primary / it is
    not", so a theme's kappa says how reliably the coders recognise it.
    Intervals (95%) come from a bootstrap that resamples paragraphs.

    Parameters
    ----------
    first, second : DataFrame
        Codings from :func:`analysis.coding.read_coding`, of the same units.
    theme_ids : list of str, optional
        Order of the per-theme rows (default: as first seen in ``first``).
    names : mapping of str to str, optional
        A readable name per theme id, put in a ``theme`` column beside ``theme_id``.

    Returns
    -------
    DataFrame
        ``scope`` ("overall" or "theme"), ``theme_id``, ``n_units``,
        ``n_first``, ``n_second`` (units each coder gave this primary theme),
        ``agreement`` (share of units coded alike), ``kappa``, ``kappa_low``,
        ``kappa_high``, ``alpha``, ``alpha_low``, ``alpha_high``.

    Examples
    --------
    >>> from analysis.coding import CODING_DIR, read_coding
    >>> a, b = (read_coding(CODING_DIR / f"reading_{x}.csv") for x in "12")
    >>> table = reliability(a, b, n_boot=200)
    >>> table.loc[0, "scope"], int(table.loc[0, "n_units"])
    ('overall', 288)
    """
    merged = first[["rec_id", "primary"]].merge(
        second[["rec_id", "primary"]], on="rec_id", suffixes=("_1", "_2"), validate="one_to_one"
    )
    if len(merged) != len(first) or len(merged) != len(second):
        raise ValueError(f"the two codings cover different units ({len(first)} and {len(second)}, {len(merged)} shared)")
    one, two = merged["primary_1"].tolist(), merged["primary_2"].tolist()
    clusters = merged["rec_id"].map(_paragraph).tolist()
    themes = theme_ids or list(dict.fromkeys(one + two))

    def row(scope: str, theme: str | None, x: list[str], y: list[str]) -> dict[str, object]:
        agree = sum(p == q for p, q in zip(x, y, strict=True)) / len(x)
        return {
            "scope": scope, "theme_id": theme, "n_units": len(x),
            "n_first": sum(p == theme for p in one) if theme else len(x),
            "n_second": sum(q == theme for q in two) if theme else len(y),
            "agreement": round(agree, 6), "kappa": round(cohen_kappa(x, y), 6),
            "alpha": round(krippendorff_alpha(x, y), 6),
            **agreement_interval(x, y, clusters, n_boot=n_boot, seed=seed),
        }  # fmt: skip

    rows = [row("overall", None, one, two)]
    for theme in themes:
        rows.append(row("theme", theme, [str(p == theme) for p in one], [str(q == theme) for q in two]))
    columns = ["scope", "theme_id", "n_units", "n_first", "n_second", "agreement", "kappa", "kappa_low",
               "kappa_high", "alpha", "alpha_low", "alpha_high"]  # fmt: skip
    table = pd.DataFrame(rows)[columns]
    if names is not None:
        table.insert(2, "theme", table["theme_id"].map(lambda t: names.get(t, t) if t else None))
    return table


def coder_agreement(
    first: Path | str,
    second: Path | str,
    *,
    theme_ids: list[str] | None = None,
    names: Mapping[str, str] | None = None,
    n_boot: int = 2000,
    seed: int = 20090414,
) -> pd.DataFrame:
    """Agreement of two coders' files, complete or still being coded, on the units both have coded.

    Reads both files (every problem named with file, line and field), keeps
    the units both coded and returns :func:`reliability`'s table on them:
    ``n_units`` says how many.

    Raises
    ------
    CodingError
        When a file is not a valid coder's file, or the two share no unit.

    Examples
    --------
    >>> from analysis.coding import CODING_DIR
    >>> table = coder_agreement(CODING_DIR / "reading_1.csv", CODING_DIR / "reading_2.csv", n_boot=100)
    >>> int(table.loc[0, "n_units"]), round(float(table.loc[0, "kappa"]), 2)
    (288, 0.98)
    """
    one, two = (read_coding(p, theme_ids=theme_ids, complete=False) for p in (first, second))
    shared = set(one["rec_id"]) & set(two["rec_id"])
    if not shared:
        raise CodingError(f"{display_path(Path(first))} ({len(one)} units) and {display_path(Path(second))} "
                          f"({len(two)} units) have no coded unit in common")  # fmt: skip
    one, two = (c[c["rec_id"].isin(shared)].reset_index(drop=True) for c in (one, two))
    return reliability(one, two, theme_ids=theme_ids, names=names, n_boot=n_boot, seed=seed)

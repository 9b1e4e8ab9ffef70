"""An automatic coding measured against the reference: agreement, per-theme scores, confusion, disagreements.

Every function takes two Series indexed by ``rec_id``: the method's primary
theme and the reference's. The codebook model speaks the reference's
language (theme ids of the codebook, plus "no clear theme" for units it does
not assign), so it is scored unit by unit; themes discovered without labels
have ids of their own, so they are compared by adjusted mutual information
and purity only.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from sklearn.metrics import adjusted_mutual_info_score, precision_recall_fscore_support

from analysis.coding._statistics import cohen_kappa

__all__ = [
    "confusion",
    "disagreements",
    "per_theme_scores",
    "purity",
    "reliability_sentence",
    "validation_sentences",
    "validation_summary",
    "validation_table",
]


def _aligned(predicted: pd.Series, reference: pd.Series) -> tuple[pd.Series, pd.Series]:
    missing = reference.index.difference(predicted.index)
    if len(missing):
        raise ValueError(f"the method has no theme for {len(missing)} unit(s) of the reference, first {list(missing[:5])}")
    return predicted.loc[reference.index].astype(str), reference.astype(str)


def purity(predicted: pd.Series, reference: pd.Series) -> float:
    """Share of units whose predicted group's most common reference theme is their own.

    Examples
    --------
    >>> round(purity(pd.Series(["a", "a", "b"]), pd.Series(["x", "y", "y"])), 3)
    0.667
    """
    table = pd.crosstab(predicted.to_numpy(), reference.to_numpy())
    return float(table.max(axis=1).sum() / table.to_numpy().sum())


def validation_summary(predicted: pd.Series, reference: pd.Series, *, same_labels: bool = True) -> dict[str, float]:
    """One method against the reference: ``n``, ``accuracy``, ``kappa``, ``macro_f1`` (same labels only), ``ami``, ``purity``.

    Examples
    --------
    >>> ref = pd.Series(["a", "a", "b", "b"], index=["1", "2", "3", "4"])
    >>> validation_summary(pd.Series(["a", "b", "b", "b"], index=ref.index), ref)["accuracy"]
    0.75
    """
    pred, ref = _aligned(predicted, reference)
    out: dict[str, float] = {"n": float(len(ref))}
    if same_labels:
        out["accuracy"] = round(float((pred == ref).mean()), 6)
        out["kappa"] = round(cohen_kappa(pred.tolist(), ref.tolist()), 6)
        labels = sorted(set(ref))
        _, _, f1, _ = precision_recall_fscore_support(ref, pred, labels=labels, zero_division=0)
        out["macro_f1"] = round(float(np.mean(f1)), 6)
    out["ami"] = round(float(adjusted_mutual_info_score(ref, pred)), 6)
    out["purity"] = round(purity(pred, ref), 6)
    return out


def per_theme_scores(
    predicted: pd.Series,
    reference: pd.Series,
    theme_ids: list[str] | None = None,
    names: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """Precision, recall, F1 and support (reference units) of each theme, in ``theme_ids`` order.

    ``names`` (theme id -> readable name) adds a ``theme`` column.

    Examples
    --------
    >>> ref = pd.Series(["a", "a", "b", "b"], index=list("1234"))
    >>> per_theme_scores(pd.Series(["a", "b", "b", "b"], index=ref.index), ref)["recall"].tolist()
    [0.5, 1.0]
    """
    pred, ref = _aligned(predicted, reference)
    labels = theme_ids or sorted(set(ref) | set(pred))
    precision, recall, f1, support = precision_recall_fscore_support(ref, pred, labels=labels, zero_division=0)
    predicted_n = [int((pred == t).sum()) for t in labels]
    table = pd.DataFrame({
        "theme_id": labels, "support": support.astype(int), "predicted": predicted_n,
        "precision": np.round(precision, 6), "recall": np.round(recall, 6), "f1": np.round(f1, 6),
    })  # fmt: skip
    if names is not None:
        table.insert(1, "theme", [names.get(t, t) for t in labels])
    return table


def confusion(
    predicted: pd.Series,
    reference: pd.Series,
    theme_ids: list[str] | None = None,
    names: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """Units by reference theme (rows) and method's theme (columns), every theme listed even when empty.

    ``names`` (theme id -> readable name) labels rows and columns.
    """
    pred, ref = _aligned(predicted, reference)
    rows = theme_ids or sorted(set(ref))
    cols = list(dict.fromkeys([*(theme_ids or []), *sorted(set(pred))]))
    table = pd.crosstab(pd.Categorical(ref, categories=rows), pd.Categorical(pred, categories=cols), dropna=False)
    table.index.name, table.columns.name = "reference", "method"
    if names is not None:
        table = table.rename(index=lambda t: names.get(t, t), columns=lambda t: names.get(t, t))
    return table


def disagreements(
    predicted: pd.Series,
    reference: pd.Series,
    texts: pd.Series | None = None,
    names: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """The units where the method's theme differs from the reference's, to read: ``rec_id``, both themes, text.

    ``names`` (theme id -> readable name) shows the themes by name.
    """
    pred, ref = _aligned(predicted, reference)
    differ = ref.index[(pred != ref).to_numpy()]
    label = (lambda t: names.get(t, t)) if names is not None else (lambda t: t)  # noqa: E731
    out = pd.DataFrame({"rec_id": differ, "reference": ref.loc[differ].map(label).to_numpy(),
                        "method": pred.loc[differ].map(label).to_numpy()})  # fmt: skip
    if texts is not None:
        out["text"] = texts.reindex(differ).to_numpy()
    return out.reset_index(drop=True)


def validation_table(
    methods: Mapping[str, pd.Series], reference: pd.Series, *, same_labels: Sequence[str] = ("codebook",)
) -> pd.DataFrame:
    """Several methods against the reference, one row each (see :func:`validation_summary`).

    ``same_labels`` names the methods that assign codebook theme ids, scored
    unit by unit; the others (themes discovered without labels) get AMI and
    purity only, their other columns empty.

    Examples
    --------
    >>> ref = pd.Series(["a", "a", "b", "b"], index=list("1234"))
    >>> validation_table({"codebook": ref, "discovery": pd.Series(list("xxyy"), index=ref.index)}, ref)["ami"].tolist()
    [1.0, 1.0]
    """
    rows = [
        {"method": name, **validation_summary(predicted, reference, same_labels=name in same_labels)}
        for name, predicted in methods.items()
    ]
    columns = ["method", "n", "accuracy", "kappa", "macro_f1", "ami", "purity"]
    table = pd.DataFrame(rows).reindex(columns=columns)
    table["n"] = table["n"].astype(int)
    return table


def reliability_sentence(table: pd.DataFrame) -> str:
    """One sentence on the reliability of two readings, from :func:`analysis.coding.reliability`'s table.

    Names the overall agreement, kappa and alpha with their intervals, and the
    themes whose kappa is lowest.
    """
    overall = table.loc[table["scope"] == "overall"].iloc[0]
    themes = table.loc[table["scope"] == "theme"].sort_values(["kappa", "theme_id"])
    label = "theme" if "theme" in table.columns else "theme_id"
    weakest = ", ".join(f"{getattr(r, label)} ({r.kappa:.2f})" for r in themes.head(3).itertuples())
    return (
        f"The two readings give the same primary theme to {overall['agreement']:.1%} of the "
        f"{int(overall['n_units'])} units: Cohen's kappa {overall['kappa']:.2f} "
        f"(95% interval {overall['kappa_low']:.2f}–{overall['kappa_high']:.2f}, paragraphs resampled), "
        f"Krippendorff's alpha {overall['alpha']:.2f} ({overall['alpha_low']:.2f}–{overall['alpha_high']:.2f}). "
        f"The themes read least alike: {weakest}."
    )


def validation_sentences(table: pd.DataFrame) -> list[str]:
    """Sentences on how far each method is from the reference, from :func:`validation_table`'s table."""
    out = []
    for r in table.itertuples():
        if pd.notna(r.accuracy):
            out.append(
                f"The {r.method} model gives the reference's primary theme to {r.accuracy:.1%} of the {r.n} units "
                f"(kappa {r.kappa:.2f}, macro F1 {r.macro_f1:.2f}, AMI {r.ami:.2f})."
            )
        else:
            out.append(
                f"The {r.method} themes share information with the reference's themes at AMI {r.ami:.2f}; "
                f"{r.purity:.1%} of the units fall in a group whose most common reference theme is their own."
            )
    return out

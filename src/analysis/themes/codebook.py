"""The model that assigns the named themes of ``data/codebook.toml`` (:class:`CodebookModel`).

The file itself, its schema and its validation are in
:mod:`analysis.themes.codebook_schema`; :func:`load_codebook`,
:class:`Codebook`, :class:`CodebookTheme` and :class:`CodebookError` can be
imported from here too.
"""


from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import normalize
from threadpoolctl import threadpool_limits

from analysis.themes.codebook_schema import (
    Codebook,
    CodebookError,
    CodebookTheme,
    CodebookWarning,
    RESERVED_ID,
    codebook_ids,
    load_codebook,
)
from analysis.themes.ranking import argmax_rows, at_least, order_desc, quantize
from analysis.themes.diagnostics import top_terms
from analysis.themes.features import Documents, TextFeatures, documents_and_ids, shown_terms

__all__ = [
    "UNASSIGNED",
    "Codebook",
    "CodebookError",
    "CodebookModel",
    "CodebookTheme",
    "CodebookWarning",
    "codebook_ids",
    "load_codebook",
]

#: Name given to a recommendation that no codebook theme fits well.
UNASSIGNED: str = "Sin tema claro"
_UNASSIGNED_ID = RESERVED_ID


def _count_phrase(seq: Sequence[str], pattern: Sequence[str]) -> int:
    if len(pattern) == 1:
        return sum(1 for s in seq if s == pattern[0])
    n = len(pattern)
    return sum(1 for i in range(len(seq) - n + 1) if list(seq[i : i + n]) == list(pattern))


class CodebookModel(TransformerMixin, BaseEstimator):
    """Assign every recommendation a codebook theme, with a confidence.

    1. *Seed scores*: each theme's seeds are analysed like the text (so
       inflections and accents match, multi-word seeds match as phrases) and
       counted in every recommendation: ``sum(weight * idf(seed) *
       log(1 + count))``; a ``key_seeds`` term (a topic that decides the
       theme wherever it is mentioned, e.g. organ removal) counts three times.
    2. *Clear cases*: a recommendation that mentions a key seed takes that
       theme; one whose best seed score is at least ``margin`` times its
       second best is labelled by its seeds.
    3. *Classifier*: a class-balanced logistic regression on the smoothed
       TF-IDF, trained on the clear cases only, gives every recommendation a
       probability per theme.
    4. *Decision*: ``(1 - seed_weight) * probability + seed_weight *
       normalised seed score``; the best theme's value is the confidence.
       Below ``min_confidence`` the recommendation is flagged and its theme
       is :data:`UNASSIGNED` (its best guess stays in ``assignments_``).

    Parameters
    ----------
    codebook : Codebook, optional
        Default: :func:`load_codebook`.
    smoothing : float, default 0.6
    margin : float, default 1.5
    C : float, default 3.0
        Inverse regularisation of the logistic regression.
    seed_weight : float, default 0.3
    min_confidence : float, default 0.2
    secondary_threshold : float, default 0.25
    random_state : int, default 0

    Attributes
    ----------
    themes_, assignments_ : pandas.DataFrame
        As in :class:`ThemeModel`; ``assignments_`` adds ``best_theme``,
        ``flagged`` and ``seeded`` (labelled by its seeds in step 2).
    proba_ : numpy.ndarray
        Decision values (rows sum to 1), columns in codebook order.
    seed_scores_ : numpy.ndarray

    Examples
    --------
    >>> from analysis.data.corpus import load_recommendations
    >>> cm = CodebookModel().fit(load_recommendations())
    >>> cm.assignments_.set_index("rec_id").loc["1.11.b", "theme"]
    'No sanción de las víctimas'
    """

    def __init__(
        self,
        codebook: Codebook | None = None,
        *,
        smoothing: float = 0.6,
        margin: float = 1.5,
        C: float = 3.0,
        seed_weight: float = 0.3,
        min_confidence: float = 0.2,
        secondary_threshold: float = 0.25,
        random_state: int = 0,
    ) -> None:
        self.codebook = codebook
        self.smoothing = smoothing
        self.margin = margin
        self.C = C
        self.seed_weight = seed_weight
        self.min_confidence = min_confidence
        self.secondary_threshold = secondary_threshold
        self.random_state = random_state

    def featurize(self, X: Documents) -> TextFeatures:
        """The representation used (vocabulary from terms in one recommendation on)."""
        return TextFeatures.build(X, smoothing=self.smoothing, min_df=1, max_df=0.5)

    def seed_scores(self, feats: TextFeatures) -> np.ndarray:
        """Seed score of every recommendation (rows) for every theme (columns)."""
        cb = self.codebook_
        seqs = [feats.analyzer(doc) for doc in feats.docs]
        n = len(seqs)
        S = np.zeros((n, len(cb)))
        K = np.zeros((n, len(cb)))  # key-seed mentions
        dead: list[dict[str, object]] = []  # seeds that cannot count: only stop words, or matching nothing
        for j, theme in enumerate(cb.themes):
            seeds = [(x, 1.0, "seeds") for x in theme.seeds] + [(x, 3.0, "key_seeds") for x in theme.key_seeds]
            for seed, strength, field_name in seeds:
                pattern = feats.analyzer(seed)
                if not pattern:
                    dead.append({"position": j, "field": field_name, "seed": seed, "reason": "stop words"})
                    continue
                counts = np.array([_count_phrase(s, pattern) for s in seqs], dtype=float)
                if strength > 1:
                    K[:, j] += counts
                df = np.count_nonzero(counts)
                if df == 0:
                    dead.append({"position": j, "field": field_name, "seed": seed, "reason": "no match"})
                    continue
                idf = np.log((1 + n) / (1 + df)) + 1
                S[:, j] += strength * theme.weight * idf * np.log1p(counts)
        self.key_mentions_ = K
        self.dead_seeds_ = pd.DataFrame(dead, columns=["position", "field", "seed", "reason"])
        return S

    def _warn_dead_seeds(self, ids: Sequence[str]) -> None:
        """One :class:`CodebookWarning` per theme and field whose seeds cannot count, and per unknown example."""
        cb = self.codebook_
        for (j, field_name), group in self.dead_seeds_.groupby(["position", "field"], sort=False):
            parts = []
            for reason, one, several in (
                ("no match", "matches no recommendation of the corpus", "match no recommendation of the corpus"),
                ("stop words", "is only stop words or boilerplate, never matched",
                 "are only stop words or boilerplate, never matched"),
            ):
                seeds = group.loc[group["reason"] == reason, "seed"].tolist()
                if seeds:
                    parts.append(f"{', '.join(repr(s) for s in seeds)} {one if len(seeds) == 1 else several}")
            warnings.warn(CodebookWarning(f"{cb.where(int(j), str(field_name))}: {'; '.join(parts)}"), stacklevel=3)
        known = set(ids)
        for j, theme in enumerate(cb.themes):
            unknown = [x for x in theme.examples if x not in known]
            if unknown:
                warnings.warn(CodebookWarning(f"{cb.where(j, 'examples')}: {', '.join(repr(x) for x in unknown)} "
                                              "not among the recommendations fitted"), stacklevel=3)

    def _check_clear_cases(self, S: np.ndarray, labels: np.ndarray) -> None:
        """The classifier learns from the clear cases: they must cover at least two themes."""
        cb = self.codebook_
        covered = sorted(set(labels.tolist()))
        if len(covered) >= 2:
            return
        silent = [cb.where(j) for j in range(len(cb)) if not S[:, j].any()]
        has = f"only {cb.where(covered[0])} has any" if covered else "no theme has any"
        raise CodebookError([
            f"{cb.source}: the seeds must label clear cases of at least two themes for the classifier to learn "
            f"from; {has}" + (f"; the seeds of {'; '.join(silent)} match no recommendation" if silent else "")
        ], cb.source)

    def fit(self, X: Documents | TextFeatures, y: None = None) -> CodebookModel:
        """Fit on a recommendations table, a list of texts or :class:`TextFeatures`.

        Warns
        -----
        CodebookWarning
            For each theme whose seeds (or key seeds) include some that can
            never count on this corpus: seeds that are only stop words, and
            seeds that match no recommendation (named with the file, the
            theme and the field); and for ``examples`` that are not among
            the recommendations fitted. They are also in ``dead_seeds_``.

        Raises
        ------
        CodebookError
            When the seeds label clear cases of fewer than two themes: the
            classifier would have nothing to tell apart.
        """
        self.codebook_ = self.codebook if self.codebook is not None else load_codebook()
        feats = X if isinstance(X, TextFeatures) else self.featurize(X)
        self.features_ = feats
        T = len(self.codebook_)
        S = quantize(self.seed_scores(feats))
        top2 = np.sort(S, axis=1)[:, -2:]
        seeded = (top2[:, 1] > 0) & (top2[:, 1] >= quantize(self.margin * top2[:, 0]))
        seed_label = argmax_rows(S)
        # a key seed decides: the recommendation takes the theme of its key seeds
        keyed = self.key_mentions_.sum(axis=1) > 0
        seed_label[keyed] = argmax_rows(np.where(self.key_mentions_[keyed] > 0, S[keyed], -1))
        seeded |= keyed
        self._warn_dead_seeds(feats.ids)
        self._check_clear_cases(S, seed_label[seeded])
        with threadpool_limits(1):
            # a tight tolerance: the penalised likelihood has one optimum, and
            # every BLAS kernel reaches it to far below ranking.DECIMALS
            clf = LogisticRegression(C=self.C, max_iter=5000, tol=1e-10, class_weight="balanced")
            clf.fit(feats.smoothed[seeded], seed_label[seeded])
            proba = np.zeros((len(S), T))
            proba[:, clf.classes_] = clf.predict_proba(feats.smoothed)
        self.classifier_ = clf
        s_norm = S / np.maximum(S.sum(axis=1, keepdims=True), 1e-12)
        decision = (1 - self.seed_weight) * proba + self.seed_weight * s_norm
        # the clear cases keep the theme their seeds give: the classifier
        # labels the rest
        decision[seeded] = 0.5 * proba[seeded] + 0.5 * s_norm[seeded]
        keep = decision[seeded, seed_label[seeded]]
        decision[seeded] = np.minimum(decision[seeded], keep[:, None])
        decision /= decision.sum(axis=1, keepdims=True)
        labels = argmax_rows(decision)
        labels[seeded] = seed_label[seeded]  # may tie with another theme: the seeds decide
        self.seed_scores_ = S
        self.seeded_ = seeded
        self.proba_ = decision
        self.labels_ = labels
        self.flagged_ = ~at_least(decision[np.arange(len(S)), labels], self.min_confidence)
        self._build_tables(feats)
        return self

    def _build_tables(self, feats: TextFeatures) -> None:
        cb = self.codebook_
        P = self.proba_
        ids = np.array(cb.ids, dtype=object)
        names = np.array(cb.names, dtype=object)
        rows = np.arange(len(P))
        first = self.labels_
        others = np.where(np.arange(P.shape[1]) == first[:, None], -1.0, P)
        second = argmax_rows(others)
        has_second = at_least(P[rows, second], self.secondary_threshold) & ~self.flagged_
        self.assignments_ = pd.DataFrame(
            {
                "rec_id": feats.ids,
                "theme_id": np.where(self.flagged_, _UNASSIGNED_ID, ids[first]),
                "theme": np.where(self.flagged_, UNASSIGNED, names[first]),
                "weight": P[rows, first],
                "secondary_theme_id": pd.array(np.where(has_second, ids[second], None), dtype="string"),
                "secondary_theme": pd.array(np.where(has_second, names[second], None), dtype="string"),
                "secondary_weight": np.where(has_second, P[rows, second], np.nan),
                "best_theme": names[first],
                "flagged": self.flagged_,
                "seeded": self.seeded_,
            }
        )
        # distinctive terms: FREX on the mean smoothed TF-IDF of each theme's members
        H = np.vstack(
            [
                feats.smoothed[(self.labels_ == j) & ~self.flagged_].mean(axis=0)
                if np.any((self.labels_ == j) & ~self.flagged_)
                else np.zeros(feats.smoothed.shape[1])
                for j in range(len(cb))
            ]
        )
        self.components_ = H
        shown = (np.asarray(feats.binary.sum(axis=0)).ravel() >= 2) & shown_terms(feats)
        tops = top_terms(H, 10, shown=shown)
        table = []
        for j, (theme, top) in enumerate(zip(cb.themes, tops, strict=True)):
            members = np.flatnonzero((self.labels_ == j) & ~self.flagged_)
            best = members[order_desc(P[members, j])][:3]
            table.append(
                {
                    "theme_id": theme.id,
                    "theme": theme.name,
                    "size": int(len(members)),
                    "share": len(members) / len(P),
                    "top_terms": [feats.labels[feats.terms[i]] for i in top] if len(members) else [],
                    "representative": [feats.ids[i] for i in best],
                }
            )
        n_flag = int(self.flagged_.sum())
        table.append(
            {
                "theme_id": _UNASSIGNED_ID,
                "theme": UNASSIGNED,
                "size": n_flag,
                "share": n_flag / len(P),
                "top_terms": [],
                "representative": [feats.ids[i] for i in np.flatnonzero(self.flagged_)[:3]],
            }
        )
        self.themes_ = pd.DataFrame(table)

    def transform(self, X: Documents) -> np.ndarray:
        """Classifier probabilities of new texts (columns in codebook order)."""
        docs, _ = documents_and_ids(X)
        feats = self.features_
        vocab = {t: i for i, t in enumerate(feats.terms)}
        M = np.zeros((len(docs), len(vocab)))
        for r, doc in enumerate(docs):
            for key in feats.analyzer(doc):
                if key in vocab:
                    M[r, vocab[key]] += 1
        proba = np.zeros((len(docs), len(self.codebook_)))
        proba[:, self.classifier_.classes_] = self.classifier_.predict_proba(normalize(np.log1p(M)))
        return proba

    def fit_transform(self, X: Documents | TextFeatures, y: None = None, **fit_params: object) -> np.ndarray:
        """Fit and return the decision values of the fitted recommendations."""
        return self.fit(X).proba_



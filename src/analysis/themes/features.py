"""The representation shared by both theme models: TF-IDF on analyzer terms, binary occurrences, PPMI smoothing.
"""


from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.preprocessing import normalize

from analysis.text.analyzer import SpanishAnalyzer, compose_documents, make_vectorizer

__all__ = [
    "LABEL_FORMULA_WORDS",
    "Documents",
    "TextFeatures",
    "documents_and_ids",
    "represent",
    "term_counts",
    "texts_and_lead_ins",
    "shown_terms",
]

#: Words of procedural formulae that are never shown as a theme's top terms or
#: in its name, although the models still see them: "a los Estados que lo
#: soliciten" / "que la solicitaran" (technical assistance on request), "en
#: futuras reuniones del Grupo de Trabajo" (the agenda), "la acción
#: internacional" (generic "acción"). They are excluded here, at the label,
#: and not in the analyzer (:data:`analysis.text.analyzer.DOMAIN_STOP_WORDS`), because
#: dropping them there was tried and hurt the themes: with any of them
#: removed from the representation, the stability at k = 15 fell below the
#: 0.85 bar (0.75-0.84), the rule chose k = 6-14 instead, and the organ-removal
#: recommendations of meeting IV no longer shared a theme. Given as words; any
#: inflection is excluded (they are compared as analyzer term keys).
#: Multi-word terms that contain them ("plan de acción") are not affected.
LABEL_FORMULA_WORDS: tuple[str, ...] = ("soliciten", "solicitud", "futuras", "acción")



Documents = pd.DataFrame | Sequence[str]


def documents_and_ids(X: Documents) -> tuple[list[str], list[str]]:
    """Texts to analyse and their ids, from a recommendations table or strings."""
    if isinstance(X, pd.DataFrame):
        ids = [str(r) for r in X["rec_id"]] if "rec_id" in X else [str(i) for i in range(len(X))]
        return compose_documents(X), ids
    docs = [str(x) for x in X]
    return docs, [str(i) for i in range(len(docs))]


def texts_and_lead_ins(X: Documents) -> dict[str, list[str]]:
    """Each recommendation's own text and lead-in (``""`` if none); bare texts have no lead-in."""
    if isinstance(X, pd.DataFrame) and "text" in X:
        lead = X["lead_in"] if "lead_in" in X else pd.Series([None] * len(X), index=X.index)
        return {
            "texts": [str(t) for t in X["text"]],
            "lead_ins": ["" if li is None or pd.isna(li) else str(li) for li in lead],
        }
    docs, _ = documents_and_ids(X)
    return {"texts": docs, "lead_ins": [""] * len(docs)}


def _ppmi_smoother(binary: sp.csr_matrix) -> np.ndarray:
    """Row-stochastic term-to-term matrix from positive PMI of co-occurrence
    in the same recommendation (zero diagonal)."""
    cooc = (binary.T @ binary).toarray()
    n_docs = binary.shape[0]
    df = np.diag(cooc).copy()
    with np.errstate(divide="ignore"):
        pmi = np.log(cooc * n_docs / np.outer(df, df))
    pmi[~np.isfinite(pmi) | (pmi < 0)] = 0.0
    np.fill_diagonal(pmi, 0.0)
    return normalize(pmi, norm="l1")


@dataclass
class TextFeatures:
    """The shared document representation.

    Attributes
    ----------
    tfidf : scipy.sparse.csr_matrix
        L2-normalised sublinear TF-IDF (recommendations x terms).
    smoothed : numpy.ndarray
        ``normalize(tfidf + smoothing * normalize(tfidf @ P))`` where ``P`` is
        the row-normalised positive-PMI co-occurrence matrix of the terms.
    binary : scipy.sparse.csr_matrix
        Term presence, for coherence.
    terms : numpy.ndarray
        Term keys (column order).
    labels : dict
        Term key -> most frequent surface form (what readers see).
    docs, ids : list of str
        Analysed texts and recommendation ids.
    cache : dict
        Results that models derive from these features and reuse when they
        are fitted on them again (seed counts), so that repeated fits are cheap.
    texts, lead_ins : list of str
        Each recommendation's own text and its paragraph's lead-in (``""``
        when it has none or when built from bare texts), for models that read
        the lead-in by its role (:class:`CodebookModel`).

    Examples
    --------
    >>> from analysis.data.corpus import load_recommendations
    >>> feats = TextFeatures.build(load_recommendations())
    >>> feats.smoothed.shape[0] == len(feats.ids)
    True
    """

    tfidf: sp.csr_matrix
    smoothed: np.ndarray
    binary: sp.csr_matrix
    terms: np.ndarray
    labels: dict[str, str]
    docs: list[str]
    ids: list[str]
    analyzer: SpanishAnalyzer = field(repr=False)
    smoothing: float = 0.0
    texts: list[str] = field(default_factory=list, repr=False)
    lead_ins: list[str] = field(default_factory=list, repr=False)
    cache: dict = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not self.texts:
            self.texts = list(self.docs)
        if not self.lead_ins:
            self.lead_ins = [""] * len(self.docs)

    @classmethod
    def build(
        cls,
        X: Documents,
        *,
        smoothing: float = 0.6,
        min_df: int | float = 2,
        max_df: int | float = 0.5,
        analyzer: SpanishAnalyzer | None = None,
    ) -> TextFeatures:
        """Vectorise a corpus (a recommendations table or a list of texts)."""
        docs, ids = documents_and_ids(X)
        analyzer = analyzer if analyzer is not None else SpanishAnalyzer()
        vec = make_vectorizer(analyzer, min_df=min_df, max_df=max_df)
        tfidf = vec.fit_transform(docs).tocsr()
        binary = (tfidf > 0).astype(np.float64).tocsr()
        dense = tfidf.toarray()
        if smoothing > 0:
            spread = normalize(tfidf @ _ppmi_smoother(binary))
            smoothed = normalize(dense + smoothing * spread)
        else:
            smoothed = dense
        surface = analyzer.surface_forms(docs)
        terms = vec.get_feature_names_out()
        return cls(
            tfidf=tfidf,
            smoothed=np.asarray(smoothed),
            binary=binary,
            terms=terms,
            labels={t: surface.get(t, t) for t in terms},
            docs=docs,
            ids=ids,
            analyzer=analyzer,
            smoothing=smoothing,
            **texts_and_lead_ins(X),
        )


def term_counts(feats: TextFeatures, docs: Sequence[str]) -> np.ndarray:
    """Counts of the vocabulary's terms in (new) texts (texts x terms); other terms are ignored."""
    vocab = {t: i for i, t in enumerate(feats.terms)}
    counts = np.zeros((len(docs), len(vocab)))
    for r, doc in enumerate(docs):
        for key in feats.analyzer(doc):
            if key in vocab:
                counts[r, vocab[key]] += 1
    return counts


def represent(feats: TextFeatures, docs: Sequence[str]) -> np.ndarray:
    """The smoothed representation of (new) texts in the vocabulary, idf and smoothing of ``feats``.

    Terms outside the vocabulary are ignored. For the texts ``feats`` was
    built from, this gives ``feats.smoothed`` again.

    Examples
    --------
    >>> from analysis.data.corpus import load_recommendations
    >>> feats = TextFeatures.build(load_recommendations())
    >>> bool(np.allclose(represent(feats, feats.docs[:5]), feats.smoothed[:5]))
    True
    """
    counts = term_counts(feats, docs)
    n_docs = feats.binary.shape[0]
    df = np.asarray(feats.binary.sum(axis=0)).ravel()
    idf = np.log((1 + n_docs) / (1 + df)) + 1  # TfidfVectorizer's smooth idf
    tf = np.where(counts > 0, 1 + np.log(np.maximum(counts, 1)), 0.0)  # sublinear tf
    tfidf = normalize(tf * idf)
    if feats.smoothing > 0:
        return normalize(tfidf + feats.smoothing * normalize(tfidf @ _ppmi_smoother(feats.binary)))
    return tfidf


def shown_terms(feats: TextFeatures) -> np.ndarray:
    """Mask of the terms that may be shown as top terms (not formula words)."""
    hidden = {key for w in LABEL_FORMULA_WORDS for key in feats.analyzer(w)}
    return np.array([t not in hidden for t in feats.terms], dtype=bool)

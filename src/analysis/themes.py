"""Themes of the recommendations: unsupervised discovery and a guided codebook.

Two models share one representation of the text (:class:`TextFeatures`):
TF-IDF on :class:`analysis.text.SpanishAnalyzer` terms, *smoothed* by term
co-occurrence so that two short recommendations that use related words (e.g.
"indemnización" and "restitución") are close even when they share none.

- :class:`ThemeModel` discovers ``n_themes`` themes without labels: NMF on the
  smoothed TF-IDF (default) or k-means on its LSA projection (alternative).
  Each theme gets FREX-weighted top terms, its most representative
  recommendations, a size and a readable name made of its two top terms.
- :class:`CodebookModel` assigns every recommendation a theme of the editable
  codebook (``data/codebook.toml``): seed terms label the clear cases, a
  logistic regression trained on those labels the rest, and a recommendation
  whose best theme is weak is flagged ("Sin tema claro"), not forced.

:func:`select_n_themes` computes the model-selection diagnostics over k
(NPMI coherence, topic diversity, stability across seeds) and
:func:`choose_n_themes` applies the documented rule; :func:`theme_tables` and
:func:`write_theme_tables` produce the tidy outputs.
"""

from __future__ import annotations

import itertools
import textwrap
import tomllib
from concurrent.futures import ThreadPoolExecutor
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.decomposition import NMF, TruncatedSVD
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import adjusted_mutual_info_score, adjusted_rand_score
from sklearn.preprocessing import normalize
from threadpoolctl import threadpool_limits

from analysis.clustering import stable_kmeans
from analysis.paths import DATA_DIR, PROCESSED_DIR
from analysis.ranking import argmax_rows, at_least, ecdf_rows, order_desc, order_rows_desc, quantize
from analysis.text import SpanishAnalyzer, compose_documents, make_vectorizer

__all__ = [
    "CODEBOOK_PATH",
    "LABEL_FORMULA_WORDS",
    "UNASSIGNED",
    "Codebook",
    "CodebookModel",
    "CodebookTheme",
    "TextFeatures",
    "ThemeModel",
    "agreement",
    "choose_n_themes",
    "compare_methods",
    "contingency",
    "frex",
    "load_codebook",
    "npmi_coherence",
    "representative_table",
    "select_n_themes",
    "theme_tables",
    "top_terms",
    "topic_diversity",
    "write_theme_tables",
]

#: The editable codebook.
CODEBOOK_PATH: Path = DATA_DIR / "codebook.toml"
#: Name given to a recommendation that no codebook theme fits well.
UNASSIGNED: str = "Sin tema claro"
_UNASSIGNED_ID = "sin_tema"

#: Words of procedural formulae that are never shown as a theme's top terms or
#: in its name, although the models still see them: "a los Estados que lo
#: soliciten" / "que la solicitaran" (technical assistance on request), "en
#: futuras reuniones del Grupo de Trabajo" (the agenda), "la acción
#: internacional" (generic "acción"). They are excluded here, at the label,
#: and not in the analyzer (:data:`analysis.text.DOMAIN_STOP_WORDS`), because
#: dropping them there was tried and hurt the themes: with any of them
#: removed from the representation, the stability at k = 15 fell below the
#: 0.85 bar (0.75-0.84), the rule chose k = 6-14 instead, and the organ-removal
#: recommendations of meeting IV no longer shared a theme. Given as words; any
#: inflection is excluded (they are compared as analyzer term keys).
#: Multi-word terms that contain them ("plan de acción") are not affected.
LABEL_FORMULA_WORDS: tuple[str, ...] = ("soliciten", "solicitud", "futuras", "acción")

Corpus = pd.DataFrame | Sequence[str]


# --- representation -------------------------------------------------------------------


def _documents(X: Corpus) -> tuple[list[str], list[str]]:
    """Texts to analyse and their ids, from a recommendations table or strings."""
    if isinstance(X, pd.DataFrame):
        ids = [str(r) for r in X["rec_id"]] if "rec_id" in X else [str(i) for i in range(len(X))]
        return compose_documents(X), ids
    docs = [str(x) for x in X]
    return docs, [str(i) for i in range(len(docs))]


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

    Examples
    --------
    >>> from analysis.corpus import load_recommendations
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

    @classmethod
    def build(
        cls,
        X: Corpus,
        *,
        smoothing: float = 0.6,
        min_df: int | float = 2,
        max_df: int | float = 0.5,
        analyzer: SpanishAnalyzer | None = None,
    ) -> TextFeatures:
        """Vectorise a corpus (a recommendations table or a list of texts)."""
        docs, ids = _documents(X)
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
        )


def _shown_terms(feats: TextFeatures) -> np.ndarray:
    """Mask of the terms that may be shown as top terms (not formula words)."""
    hidden = {key for w in LABEL_FORMULA_WORDS for key in feats.analyzer(w)}
    return np.array([t not in hidden for t in feats.terms], dtype=bool)


# --- diagnostics ------------------------------------------------------------------------


def npmi_coherence(top_term_indices: Sequence[Sequence[int]], binary: sp.spmatrix) -> np.ndarray:
    """Mean normalised PMI of the pairs of top terms of each theme.

    Probabilities are document frequencies in the corpus itself; a pair that
    never co-occurs scores -1. Higher is more coherent (range -1 to 1).

    Examples
    --------
    >>> B = sp.csr_matrix(np.array([[1, 1, 0], [1, 1, 0], [0, 0, 1], [0, 1, 1]]))
    >>> npmi_coherence([[0, 1], [0, 2]], B).round(3)
    array([ 0.415, -1.   ])
    """
    B = sp.csr_matrix(binary, dtype=np.float64)
    n = B.shape[0]
    out = []
    for idx in top_term_indices:
        idx = list(idx)
        sub = B[:, idx]
        co = (sub.T @ sub).toarray() / n
        p = np.diag(co)
        vals = []
        for i, j in itertools.combinations(range(len(idx)), 2):
            pij = co[i, j]
            if pij <= 0:
                vals.append(-1.0)
            elif pij >= 1:
                vals.append(1.0)
            else:
                vals.append(np.log(pij / (p[i] * p[j])) / -np.log(pij))
        out.append(float(np.mean(vals)) if vals else 0.0)
    return np.array(out)


def topic_diversity(top_term_indices: Sequence[Sequence[int]]) -> float:
    """Share of unique terms among all themes' top terms (1 = no overlap).

    Examples
    --------
    >>> topic_diversity([[0, 1, 2], [2, 3, 4]])
    0.8333333333333334
    """
    flat = [t for idx in top_term_indices for t in idx]
    return len(set(flat)) / len(flat) if flat else 0.0


def frex(components: np.ndarray, weight: float = 0.5) -> np.ndarray:
    """FREX score of every term in every theme (Roberts et al., STM).

    The harmonic mean of the within-theme empirical-CDF ranks of a term's
    *frequency* in the theme and of its *exclusivity* to the theme
    (its weight in the theme over its weight in all themes).
    ``weight`` is the weight of exclusivity.

    Examples
    --------
    >>> H = np.array([[5.0, 3.0, 0.1], [5.0, 0.1, 3.0]])
    >>> frex(H, weight=0.7).argmax(axis=1)  # term 0 is frequent everywhere, not exclusive
    array([1, 2])
    """
    H = np.maximum(np.asarray(components, dtype=float), 0) + 1e-12
    freq = H / H.sum(axis=1, keepdims=True)
    excl = H / H.sum(axis=0, keepdims=True)
    # ranks on values compared at ranking.DECIMALS: terms with the same weight
    # (e.g. terms that always occur together) share a rank on every machine
    return 1.0 / (weight / ecdf_rows(excl) + (1 - weight) / ecdf_rows(freq))


def top_terms(H: np.ndarray, n: int, *, shown: np.ndarray | None = None, frex_weight: float = 0.5) -> list[list[int]]:
    """The ``n`` most distinctive terms of each theme (rows of ``H``).

    A top term must be among the theme's 40 heaviest terms (FREX alone would
    promote terms seen once) and be ``shown`` (formula words never are);
    candidates are ranked by FREX, then weight, then term key (the column
    order), all compared at :data:`analysis.ranking.DECIMALS` so that the
    ranking does not change with floating-point noise.

    Examples
    --------
    >>> H = np.array([[0.9, 0.5, 0.5, 0.0], [0.1, 0.0, 0.1, 0.8]])
    >>> top_terms(H, 2)
    [[0, 1], [3, 2]]
    """
    scores = frex(H, frex_weight)
    masked = H if shown is None else np.where(shown, H, -1.0)
    heavy = order_rows_desc(masked)[:, :40]
    out = []
    for j, cand in enumerate(heavy):
        ranked = cand[np.lexsort((cand, -quantize(H[j, cand]), -quantize(scores[j, cand])))]
        out.append([int(i) for i in ranked[:n]])
    return out


# --- discovery ------------------------------------------------------------------------------


class ThemeModel(TransformerMixin, BaseEstimator):
    """Discover themes in the recommendations (scikit-learn style).

    Parameters
    ----------
    n_themes : int, default 15
        Number of themes (k).
    method : {"nmf", "kmeans"}, default "nmf"
        ``"nmf"``: non-negative matrix factorisation of the smoothed TF-IDF
        (NNDSVDa start, multiplicative updates), a recommendation's theme
        weights are its row of W with each theme scaled by the norm of its
        term vector. ``"kmeans"``: k-means (10 starts) on the L2-normalised
        100-dimensional LSA projection; weights are the positive cosine
        similarities to the centroids.
    smoothing : float, default 0.6
        Weight of the co-occurrence smoothing of the TF-IDF (0 = plain TF-IDF).
    min_df, max_df : int or float
        Vocabulary limits of the vectorizer.
    random_state : int, default 0
        Seed of the randomized SVD (NMF start, LSA) and of k-means.
    max_iter : int, default 400
    tol : float, default 1e-3
    secondary_threshold : float, default 0.25
        A second theme is reported when it holds at least this share of a
        recommendation's theme weight.
    n_top_terms : int, default 10
    frex_weight : float, default 0.5
        Weight of exclusivity in FREX (0.5: as much as frequency).

    Attributes
    ----------
    themes_ : pandas.DataFrame
        One row per theme, largest first: ``theme_id`` (``"D01"``...),
        ``theme`` (name), ``size``, ``share``, ``top_terms`` (list of surface
        forms, FREX order), ``representative`` (3 rec_ids), ``coherence``.
    assignments_ : pandas.DataFrame
        One row per recommendation: ``rec_id``, ``theme_id``, ``theme``,
        ``weight`` (share of the primary theme), ``secondary_theme_id``,
        ``secondary_theme``, ``secondary_weight``.
    doc_theme_ : numpy.ndarray
        Theme shares (rows sum to 1), columns in ``themes_`` order.
    components_ : numpy.ndarray
        Theme-term weights (themes x terms), rows in ``themes_`` order.
    labels_ : numpy.ndarray
        Primary theme index (into ``themes_``) of each recommendation.
    features_ : TextFeatures

    Examples
    --------
    >>> from analysis.corpus import load_recommendations
    >>> model = ThemeModel(n_themes=12, random_state=0).fit(load_recommendations())
    >>> model.themes_[["theme_id", "theme", "size"]].shape
    (12, 3)
    """

    def __init__(
        self,
        n_themes: int = 15,
        *,
        method: str = "nmf",
        smoothing: float = 0.6,
        min_df: int | float = 2,
        max_df: int | float = 0.5,
        random_state: int = 0,
        max_iter: int = 400,
        tol: float = 1e-3,
        secondary_threshold: float = 0.25,
        n_top_terms: int = 10,
        frex_weight: float = 0.5,
    ) -> None:
        self.n_themes = n_themes
        self.method = method
        self.smoothing = smoothing
        self.min_df = min_df
        self.max_df = max_df
        self.random_state = random_state
        self.max_iter = max_iter
        self.tol = tol
        self.secondary_threshold = secondary_threshold
        self.n_top_terms = n_top_terms
        self.frex_weight = frex_weight

    # -- fitting --------------------------------------------------------------------------
    def featurize(self, X: Corpus) -> TextFeatures:
        """The representation this model would fit on (reusable across fits)."""
        return TextFeatures.build(X, smoothing=self.smoothing, min_df=self.min_df, max_df=self.max_df)

    def fit(self, X: Corpus | TextFeatures, y: None = None) -> ThemeModel:
        """Fit on a recommendations table (``load_recommendations()``), a list
        of texts, or prebuilt :class:`TextFeatures`."""
        feats = X if isinstance(X, TextFeatures) else self.featurize(X)
        self.features_ = feats
        with threadpool_limits(1):
            W, H = self._factorise(feats.smoothed)
        self._finish(W, H, feats)
        return self

    def _factorise(self, M: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        k = self.n_themes
        if self.method == "nmf":
            nmf = NMF(
                n_components=k,
                init="nndsvda",
                solver="mu",
                max_iter=self.max_iter,
                tol=self.tol,
                random_state=self.random_state,
            )
            # float64: in float32 the fits of two BLAS kernels differ by 1e-4,
            # enough to move a recommendation between themes; in float64 they
            # agree to about 1e-12 and stop after the same number of iterations
            W = nmf.fit_transform(np.asarray(M, dtype=np.float64))
            H = nmf.components_
            scale = np.linalg.norm(H, axis=1)
            scale[scale == 0] = 1.0
            self._nmf = nmf
            return W * scale, H / scale[:, None]
        if self.method == "kmeans":
            n_comp = min(100, M.shape[1] - 1, M.shape[0] - 1)
            self._svd = TruncatedSVD(n_components=n_comp, random_state=self.random_state)
            Z = normalize(self._svd.fit_transform(M))
            km = stable_kmeans(Z, k, n_init=10, random_state=self.random_state)
            self._kmeans = km
            centers = normalize(km.centers)
            W = np.maximum(Z @ centers.T, 0)
            W[np.arange(len(Z)), km.labels] = np.maximum(W[np.arange(len(Z)), km.labels], 1e-9)
            H = np.vstack(
                [M[km.labels == j].mean(axis=0) if np.any(km.labels == j) else np.zeros(M.shape[1]) for j in range(k)]
            )
            return W, H
        raise ValueError(f"method must be 'nmf' or 'kmeans', not {self.method!r}")

    def _finish(self, W: np.ndarray, H: np.ndarray, feats: TextFeatures) -> None:
        k = W.shape[1]
        empty = W.sum(axis=1) <= 1e-12
        if empty.any():
            # a recommendation the factorisation left at zero: its weights are
            # its cosine similarities to the themes' term vectors
            W = W.copy()
            W[empty] = np.maximum(feats.smoothed[empty] @ normalize(H).T, 0) + 1e-12
        shares = W / W.sum(axis=1, keepdims=True)
        raw_labels = argmax_rows(shares)
        sizes = np.bincount(raw_labels, minlength=k)
        first_doc = np.array([np.argmax(raw_labels == j) if sizes[j] else len(raw_labels) for j in range(k)])
        order = np.lexsort((first_doc, -sizes))  # largest first, then by first recommendation
        shares, H = shares[:, order], H[order]
        self.components_ = H
        self.doc_theme_ = shares
        self.labels_ = argmax_rows(shares)
        self.top_term_indices_ = top_terms(H, self.n_top_terms, shown=_shown_terms(feats), frex_weight=self.frex_weight)
        self.themes_ = self._theme_table(feats)
        self.assignments_ = self._assignment_table(feats)

    def _theme_names(self, feats: TextFeatures) -> list[str]:
        names: list[str] = []
        for idx in self.top_term_indices_:
            words = [feats.labels[feats.terms[i]] for i in idx]
            n_words = 2
            name = " · ".join(words[:n_words])
            while name in names and n_words < len(words):
                n_words += 1
                name = " · ".join(words[:n_words])
            names.append(name)
        return names

    def _theme_table(self, feats: TextFeatures) -> pd.DataFrame:
        k = self.components_.shape[0]
        names = self._theme_names(feats)
        coh = npmi_coherence(self.top_term_indices_, feats.binary)
        rows = []
        for j in range(k):
            members = np.flatnonzero(self.labels_ == j)
            best = members[order_desc(self.doc_theme_[members, j])][:3]
            rows.append(
                {
                    "theme_id": f"D{j + 1:02d}",
                    "theme": names[j],
                    "size": int(len(members)),
                    "share": len(members) / len(self.labels_),
                    "top_terms": [feats.labels[feats.terms[i]] for i in self.top_term_indices_[j]],
                    "representative": [feats.ids[i] for i in best],
                    "coherence": float(coh[j]),
                }
            )
        return pd.DataFrame(rows)

    def _assignment_table(self, feats: TextFeatures) -> pd.DataFrame:
        S = self.doc_theme_
        order = order_rows_desc(S)
        first, second = order[:, 0], order[:, 1]
        rows = np.arange(len(S))
        has_second = at_least(S[rows, second], self.secondary_threshold)
        ids, names = self.themes_["theme_id"].to_numpy(), self.themes_["theme"].to_numpy()
        return pd.DataFrame(
            {
                "rec_id": feats.ids,
                "theme_id": ids[first],
                "theme": names[first],
                "weight": S[rows, first],
                "secondary_theme_id": pd.array(np.where(has_second, ids[second], None), dtype="string"),
                "secondary_theme": pd.array(np.where(has_second, names[second], None), dtype="string"),
                "secondary_weight": np.where(has_second, S[rows, second], np.nan),
            }
        )

    # -- transform --------------------------------------------------------------------------
    def transform(self, X: Corpus) -> np.ndarray:
        """Theme shares of new texts (rows sum to 1; columns in ``themes_`` order).

        Texts are vectorised with the fitted vocabulary (without smoothing).
        """
        docs, _ = _documents(X)
        feats = self.features_
        vocab = {t: i for i, t in enumerate(feats.terms)}
        M = np.zeros((len(docs), len(vocab)))
        for r, doc in enumerate(docs):
            for key in feats.analyzer(doc):
                if key in vocab:
                    M[r, vocab[key]] += 1
        M = normalize(np.log1p(M))
        W = np.maximum(M @ np.linalg.pinv(self.components_), 0)
        return W / np.maximum(W.sum(axis=1, keepdims=True), 1e-12)

    def fit_transform(self, X: Corpus | TextFeatures, y: None = None, **fit_params: object) -> np.ndarray:
        """Fit and return the theme shares of the fitted recommendations."""
        return self.fit(X).doc_theme_

    # -- convenience ------------------------------------------------------------------------
    def theme_similarity(self) -> pd.DataFrame:
        """Cosine similarity of the themes' term vectors (themes_ order, named)."""
        H = normalize(self.components_)
        names = self.themes_["theme"].tolist()
        return pd.DataFrame(H @ H.T, index=names, columns=names)

    def describe(self, n_terms: int = 6) -> pd.DataFrame:
        """A compact table for reading: name, size, top terms, representative ids."""
        t = self.themes_
        return pd.DataFrame(
            {
                "theme_id": t["theme_id"],
                "theme": t["theme"],
                "size": t["size"],
                "top_terms": [", ".join(x[:n_terms]) for x in t["top_terms"]],
                "representative": [", ".join(x) for x in t["representative"]],
            }
        ).set_index("theme_id")


# --- model selection ----------------------------------------------------------------------


def _mean_pairwise_ari(labelings: Sequence[np.ndarray]) -> float:
    pairs = list(itertools.combinations(range(len(labelings)), 2))
    return float(np.mean([adjusted_rand_score(labelings[i], labelings[j]) for i, j in pairs])) if pairs else 1.0


def select_n_themes(
    X: Corpus | TextFeatures,
    ks: Iterable[int] = range(6, 26),
    seeds: Iterable[int] = range(10),
    *,
    n_coherence_terms: int = 10,
    n_diversity_terms: int = 25,
    n_jobs: int = 1,
    **model_params: object,
) -> pd.DataFrame:
    """Diagnostics of :class:`ThemeModel` for every k.

    For each k the model is fitted once per seed. Reported per k:

    - ``coherence``: mean NPMI of the top ``n_coherence_terms`` terms (by
      weight) of each theme, seed 0;
    - ``diversity``: share of unique terms among the top
      ``n_diversity_terms`` terms of all themes, seed 0;
    - ``stability``: mean pairwise adjusted Rand index of the primary themes
      across seeds;
    - ``largest_share``: share of the recommendations in the largest theme
      (a catch-all theme shows here);
    - ``min_size``: size of the smallest theme.

    Fits run on ``n_jobs`` threads (the NMF updates mostly hold the GIL, so
    more threads help little); results do not depend on it.

    Examples
    --------
    >>> from analysis.corpus import load_recommendations
    >>> diag = select_n_themes(load_recommendations(), ks=[8, 10], seeds=range(3))
    >>> list(diag.columns)
    ['k', 'coherence', 'diversity', 'stability', 'largest_share', 'min_size']
    """
    seeds = list(seeds)
    base = ThemeModel(**model_params)  # type: ignore[arg-type]
    feats = X if isinstance(X, TextFeatures) else base.featurize(X)

    def one_k(k: int) -> dict[str, float]:
        labelings, H = [], None
        for seed in seeds:
            m = ThemeModel(**{**base.get_params(), "n_themes": k, "random_state": seed})
            W, H_seed = m._factorise(feats.smoothed)
            labelings.append(argmax_rows(W))
            H = H_seed if H is None else H
        assert H is not None
        heaviest = order_rows_desc(H)
        top_w = heaviest[:, :n_coherence_terms].tolist()
        top_d = heaviest[:, :n_diversity_terms].tolist()
        sizes = np.bincount(labelings[0], minlength=k)
        return _diagnostic_row(k, top_w, top_d, labelings, sizes, feats)

    # one BLAS thread per fit, fits of different k side by side: the small
    # matrix products release the GIL, so threads use both cores
    with threadpool_limits(1), ThreadPoolExecutor(max_workers=n_jobs) as pool:
        rows = list(pool.map(one_k, list(ks)))
    return pd.DataFrame(rows)


def _diagnostic_row(
    k: int,
    top_w: list[list[int]],
    top_d: list[list[int]],
    labelings: list[np.ndarray],
    sizes: np.ndarray,
    feats: TextFeatures,
) -> dict[str, float]:
    return {
        "k": k,
        "coherence": float(npmi_coherence(top_w, feats.binary).mean()),
        "diversity": topic_diversity(top_d),
        "stability": _mean_pairwise_ari(labelings),
        "largest_share": float(sizes.max() / sizes.sum()),
        "min_size": int(sizes.min()),
    }


def choose_n_themes(
    diagnostics: pd.DataFrame,
    *,
    min_stability: float = 0.85,
    min_diversity: float = 0.75,
    min_size: int = 5,
) -> int:
    """The k to use, by a fixed rule on :func:`select_n_themes` output.

    The finest reproducible, non-redundant, coherent partition: the largest
    k whose stability (mean ARI across seeds) is at least ``min_stability``,
    whose diversity is at least ``min_diversity`` (themes do not repeat
    each other's terms), whose coherence is at least the median coherence
    over all k, and whose smallest theme has at least ``min_size``
    recommendations. If no k passes, the most stable k.

    The stability bar (0.85) sits above the project's quality bar (0.8):
    the mean ARI over 10 seeds is itself an estimate, and the chosen k must
    clear the quality bar with a margin.

    Examples
    --------
    >>> d = pd.DataFrame({"k": [6, 8, 10, 12], "coherence": [0.1, 0.2, 0.15, 0.2],
    ...                   "diversity": [0.9, 0.8, 0.85, 0.7], "stability": [0.9, 0.85, 0.7, 0.9],
    ...                   "min_size": [10, 8, 6, 6]})
    >>> choose_n_themes(d)
    8
    """
    d = diagnostics
    ok = d[
        (d["stability"] >= min_stability)
        & (d["diversity"] >= min_diversity)
        & (d["coherence"] >= d["coherence"].median())
        & (d["min_size"] >= min_size)
    ]
    if ok.empty:
        return int(d.sort_values(["stability", "k"], ascending=[False, True], kind="stable")["k"].iloc[0])
    return int(ok["k"].max())


# --- codebook --------------------------------------------------------------------------------


@dataclass(frozen=True)
class CodebookTheme:
    """One theme of the codebook."""

    id: str
    name: str
    name_en: str
    description: str
    seeds: tuple[str, ...]
    weight: float = 1.0
    pillar: str = ""
    key_seeds: tuple[str, ...] = ()


@dataclass(frozen=True)
class Codebook:
    """The named themes of ``data/codebook.toml``, in file order.

    Examples
    --------
    >>> cb = load_codebook()
    >>> len(cb) >= 15, cb.themes[0].id
    (True, 'legislacion')
    """

    themes: tuple[CodebookTheme, ...]

    def __len__(self) -> int:
        return len(self.themes)

    @property
    def names(self) -> list[str]:
        return [t.name for t in self.themes]

    @property
    def ids(self) -> list[str]:
        return [t.id for t in self.themes]

    def to_frame(self) -> pd.DataFrame:
        """One row per theme: id, name, name_en, pillar, description, seeds."""
        return pd.DataFrame(
            [
                {
                    "theme_id": t.id,
                    "theme": t.name,
                    "name_en": t.name_en,
                    "pillar": t.pillar,
                    "description": t.description,
                    "n_seeds": len(t.seeds),
                    "seeds": ", ".join(t.seeds),
                }
                for t in self.themes
            ]
        )


def load_codebook(path: str | Path = CODEBOOK_PATH) -> Codebook:
    """Read and check the codebook TOML (stdlib ``tomllib``).

    Raises
    ------
    ValueError
        If a theme lacks a field, an id or name repeats, or a theme has no seed.
    """
    with open(path, "rb") as fh:
        data = tomllib.load(fh)
    themes = []
    for entry in data.get("theme", []):
        missing = {"id", "name", "description", "seeds"} - set(entry)
        if missing:
            raise ValueError(f"codebook theme {entry.get('id', '?')!r} lacks {sorted(missing)}")
        if not entry["seeds"]:
            raise ValueError(f"codebook theme {entry['id']!r} has no seeds")
        themes.append(
            CodebookTheme(
                id=entry["id"],
                name=entry["name"],
                name_en=entry.get("name_en", entry["name"]),
                description=entry["description"],
                seeds=tuple(entry["seeds"]),
                weight=float(entry.get("weight", 1.0)),
                pillar=entry.get("pillar", ""),
                key_seeds=tuple(entry.get("key_seeds", ())),
            )
        )
    for attr in ("id", "name"):
        values = [getattr(t, attr) for t in themes]
        if len(set(values)) != len(values):
            raise ValueError(f"codebook theme {attr}s must be unique")
    if not themes:
        raise ValueError("the codebook has no [[theme]]")
    return Codebook(tuple(themes))


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
    >>> from analysis.corpus import load_recommendations
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

    def featurize(self, X: Corpus) -> TextFeatures:
        """The representation used (vocabulary from terms in one recommendation on)."""
        return TextFeatures.build(X, smoothing=self.smoothing, min_df=1, max_df=0.5)

    def seed_scores(self, feats: TextFeatures) -> np.ndarray:
        """Seed score of every recommendation (rows) for every theme (columns)."""
        cb = self.codebook_
        seqs = [feats.analyzer(doc) for doc in feats.docs]
        n = len(seqs)
        S = np.zeros((n, len(cb)))
        K = np.zeros((n, len(cb)))  # key-seed mentions
        for j, theme in enumerate(cb.themes):
            for seed, strength in [(x, 1.0) for x in theme.seeds] + [(x, 3.0) for x in theme.key_seeds]:
                pattern = feats.analyzer(seed)
                if strength > 1 and pattern:
                    K[:, j] += [_count_phrase(s, pattern) for s in seqs]
                if not pattern:
                    continue
                counts = np.array([_count_phrase(s, pattern) for s in seqs], dtype=float)
                df = np.count_nonzero(counts)
                if df == 0:
                    continue
                idf = np.log((1 + n) / (1 + df)) + 1
                S[:, j] += strength * theme.weight * idf * np.log1p(counts)
        self.key_mentions_ = K
        return S

    def fit(self, X: Corpus | TextFeatures, y: None = None) -> CodebookModel:
        """Fit on a recommendations table, a list of texts or :class:`TextFeatures`."""
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
        shown = (np.asarray(feats.binary.sum(axis=0)).ravel() >= 2) & _shown_terms(feats)
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

    def transform(self, X: Corpus) -> np.ndarray:
        """Classifier probabilities of new texts (columns in codebook order)."""
        docs, _ = _documents(X)
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

    def fit_transform(self, X: Corpus | TextFeatures, y: None = None, **fit_params: object) -> np.ndarray:
        """Fit and return the decision values of the fitted recommendations."""
        return self.fit(X).proba_


def compare_methods(
    X: Corpus | TextFeatures,
    n_themes: int,
    *,
    methods: Sequence[str] = ("nmf", "kmeans"),
    seeds: Iterable[int] = range(10),
    reference: CodebookModel | None = None,
    smoothing: float = 0.6,
) -> pd.DataFrame:
    """Discovery methods side by side at one k.

    Per method: ``coherence`` (mean NPMI of the FREX top terms shown to
    readers), ``diversity`` (unique share of the top 25 terms), ``stability``
    (mean pairwise ARI over ``seeds``), ``largest_share``, ``min_size`` and,
    with a fitted ``reference`` codebook model, ``ami_codebook`` (adjusted
    mutual information with its assignments).
    """
    seeds = list(seeds)
    feats = X if isinstance(X, TextFeatures) else TextFeatures.build(X, smoothing=smoothing)
    rows = []
    for method in methods:
        models = [ThemeModel(n_themes, method=method, random_state=s, smoothing=smoothing).fit(feats) for s in seeds]
        m = models[0]
        top25 = order_rows_desc(m.components_)[:, :25].tolist()
        row = {
            "method": method,
            "coherence": float(npmi_coherence(m.top_term_indices_, feats.binary).mean()),
            "diversity": topic_diversity(top25),
            "stability": _mean_pairwise_ari([x.labels_ for x in models]),
            "largest_share": float(m.themes_["share"].max()),
            "min_size": int(m.themes_["size"].min()),
        }
        if reference is not None:
            row["ami_codebook"] = agreement(m, reference)["ami"]
        rows.append(row)
    return pd.DataFrame(rows).set_index("method")


def representative_table(
    model: ThemeModel | CodebookModel, recommendations: pd.DataFrame, *, width: int = 160
) -> pd.DataFrame:
    """The representative recommendations of each theme with their text
    (shortened to ``width`` characters), for reading."""
    text = recommendations.set_index(recommendations["rec_id"].astype(str))["text"]
    rows = [
        {"theme": name, "rec_id": rid, "text": textwrap.shorten(str(text.get(rid, "")), width, placeholder=" …")}
        for name, reps in zip(model.themes_["theme"], model.themes_["representative"], strict=True)
        if name != UNASSIGNED
        for rid in reps
    ]
    return pd.DataFrame(rows).set_index(["theme", "rec_id"])


# --- comparison and outputs ---------------------------------------------------------------------


def contingency(discovery: ThemeModel, codebook: CodebookModel) -> pd.DataFrame:
    """Counts of recommendations by discovery theme (rows) and codebook theme
    (columns), both in their models' order."""
    a = discovery.assignments_.set_index("rec_id")["theme"]
    b = codebook.assignments_.set_index("rec_id")["theme"].reindex(a.index)
    table = pd.crosstab(a, b)
    rows = [t for t in discovery.themes_["theme"] if t in table.index]
    cols = [t for t in codebook.themes_["theme"] if t in table.columns]
    return table.loc[rows, cols]


def agreement(discovery: ThemeModel, codebook: CodebookModel) -> dict[str, float]:
    """Adjusted mutual information and adjusted Rand index between the two
    assignments (flagged recommendations count as their own group)."""
    a = discovery.assignments_.set_index("rec_id")["theme_id"]
    b = codebook.assignments_.set_index("rec_id")["theme_id"].reindex(a.index)
    return {
        "ami": float(adjusted_mutual_info_score(a, b)),
        "ari": float(adjusted_rand_score(a, b)),
    }


def theme_tables(*models: ThemeModel | CodebookModel) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The two tidy output tables for any number of fitted models.

    Returns
    -------
    recommendation_themes : pandas.DataFrame
        Long format, one row per recommendation and method: ``rec_id``,
        ``method`` ("discovery" or "codebook"), ``theme_id``, ``theme``,
        ``weight`` (share of the primary theme, rounded to 4 decimals),
        ``secondary_theme`` (empty when none is substantial).
    themes : pandas.DataFrame
        ``method``, ``theme_id``, ``theme``, ``size``, ``top_terms`` and
        ``representative`` (``"; "``-joined).
    """
    recs, themes = [], []
    for model in models:
        method = "codebook" if isinstance(model, CodebookModel) else "discovery"
        a = model.assignments_
        recs.append(
            pd.DataFrame(
                {
                    "rec_id": a["rec_id"],
                    "method": method,
                    "theme_id": a["theme_id"],
                    "theme": a["theme"],
                    "weight": a["weight"].round(4),
                    "secondary_theme": a["secondary_theme"].fillna(""),
                }
            )
        )
        t = model.themes_
        themes.append(
            pd.DataFrame(
                {
                    "method": method,
                    "theme_id": t["theme_id"],
                    "theme": t["theme"],
                    "size": t["size"],
                    "top_terms": ["; ".join(x) for x in t["top_terms"]],
                    "representative": ["; ".join(x) for x in t["representative"]],
                }
            )
        )
    return (
        pd.concat(recs, ignore_index=True),
        pd.concat(themes, ignore_index=True),
    )


def write_theme_tables(
    *models: ThemeModel | CodebookModel, directory: str | Path = PROCESSED_DIR
) -> tuple[Path, Path]:
    """Write ``recommendation_themes.csv`` and ``themes.csv`` (UTF-8, sorted,
    deterministic) and return their paths.

    Rows of ``recommendation_themes.csv`` are sorted by method, then by the
    recommendation's order in the corpus; ``themes.csv`` by method, then
    theme order.
    """
    recs, themes = theme_tables(*models)
    order = {rid: i for i, rid in enumerate(dict.fromkeys(recs["rec_id"]))}
    recs = recs.assign(_o=recs["rec_id"].map(order)).sort_values(["method", "_o"], kind="stable").drop(columns="_o")
    themes = themes.sort_values("method", kind="stable")
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    paths = (directory / "recommendation_themes.csv", directory / "themes.csv")
    for frame, path in zip((recs, themes), paths, strict=True):
        frame.to_csv(path, index=False, encoding="utf-8", lineterminator="\n", float_format="%.4f")
    return paths

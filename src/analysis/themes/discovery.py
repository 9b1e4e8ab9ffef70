"""Themes discovered without labels: NMF on TF-IDF (:class:`ThemeModel`), k-means and LSA for comparison.
"""


from __future__ import annotations


import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.decomposition import NMF, TruncatedSVD
from sklearn.preprocessing import normalize
from threadpoolctl import threadpool_limits

from analysis.themes.clustering import stable_kmeans
from analysis.themes.ranking import argmax_rows, at_least, order_desc, order_rows_desc
from analysis.themes.diagnostics import npmi_coherence, top_terms
from analysis.themes.features import Documents, TextFeatures, documents_and_ids, shown_terms, term_counts

__all__ = [
    "ThemeModel",
]


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
    >>> from analysis.data.corpus import load_recommendations
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
    def featurize(self, X: Documents) -> TextFeatures:
        """The representation this model would fit on (reusable across fits)."""
        return TextFeatures.build(X, smoothing=self.smoothing, min_df=self.min_df, max_df=self.max_df)

    def fit(self, X: Documents | TextFeatures, y: None = None) -> ThemeModel:
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
        self.top_term_indices_ = top_terms(H, self.n_top_terms, shown=shown_terms(feats), frex_weight=self.frex_weight)
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
    def transform(self, X: Documents) -> np.ndarray:
        """Theme shares of new texts (rows sum to 1; columns in ``themes_`` order).

        Texts are vectorised with the fitted vocabulary (without smoothing).
        """
        docs, _ = documents_and_ids(X)
        M = normalize(np.log1p(term_counts(self.features_, docs)))
        W = np.maximum(M @ np.linalg.pinv(self.components_), 0)
        return W / np.maximum(W.sum(axis=1, keepdims=True), 1e-12)

    def fit_transform(self, X: Documents | TextFeatures, y: None = None, **fit_params: object) -> np.ndarray:
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

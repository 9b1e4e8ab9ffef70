"""The model that assigns the named themes of ``data/codebook.toml`` (:class:`CodebookModel`).

The file itself, its schema and its validation are in
:mod:`analysis.themes.codebook_schema`; :func:`load_codebook`,
:class:`Codebook`, :class:`CodebookTheme` and :class:`CodebookError` can be
imported from here too.
"""


from __future__ import annotations

import hashlib
import warnings
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path

import joblib
import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import normalize
from threadpoolctl import threadpool_limits

from analysis import __version__
from analysis.data.files import atomic_path
from analysis.data.paths import display_path
from analysis.text.analyzer import SpanishAnalyzer

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
from analysis.themes.features import Documents, TextFeatures, documents_and_ids, represent, shown_terms, texts_and_lead_ins
from analysis.themes.lead_ins import lead_in_roles

__all__ = [
    "UNASSIGNED",
    "Codebook",
    "CodebookError",
    "CodebookModel",
    "CodebookTheme",
    "CodebookWarning",
    "MODEL_FORMAT",
    "ModelFileError",
    "codebook_digest",
    "codebook_ids",
    "load_codebook",
]

#: Name given to a recommendation that no codebook theme fits well.
UNASSIGNED: str = "Sin tema claro"
_UNASSIGNED_ID = RESERVED_ID
#: What a file written by :meth:`CodebookModel.save` says it is.
MODEL_FORMAT: str = "analysis.themes.CodebookModel/1"


class ModelFileError(ValueError):
    """A saved model file that cannot be used (missing, corrupt, foreign, or made from another codebook)."""


def codebook_digest(codebook: Codebook) -> str:
    """SHA-256 of what the model reads from a codebook: its themes (ids, seeds, weights...) and lead-in roles.

    The file name and the coding manual's prose are not part of it.

    Examples
    --------
    >>> len(codebook_digest(load_codebook()))
    64
    """
    return hashlib.sha256(repr((codebook.themes, codebook.lead_ins)).encode("utf-8")).hexdigest()


def _impose(decision: np.ndarray, labels: np.ndarray, rows: np.ndarray, themes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Give ``rows`` the primary theme ``themes[rows]``: half its weight, the other half spread as the
    model's decision over the other themes (so that the unit's own subject comes second)."""
    decision, labels = decision.copy(), labels.copy()
    idx = np.flatnonzero(rows)
    if len(idx):
        own = decision[idx].copy()
        own[np.arange(len(idx)), themes[idx]] = 0.0
        own /= np.maximum(own.sum(axis=1, keepdims=True), 1e-12)
        decision[idx] = 0.5 * own
        decision[idx, themes[idx]] += 0.5
        labels[idx] = themes[idx]
    return decision, labels


def _count_phrase(seq: Sequence[str], pattern: Sequence[str]) -> int:
    if len(pattern) == 1:
        return sum(1 for s in seq if s == pattern[0])
    n = len(pattern)
    return sum(1 for i in range(len(seq) - n + 1) if list(seq[i : i + n]) == list(pattern))


def _plain_analyzer(analyzer: SpanishAnalyzer) -> SpanishAnalyzer:
    """The same analyzer without multi-word terms: the words of a collocation one by one."""
    return SpanishAnalyzer(
        boilerplate=analyzer.boilerplate, multiword_terms=(), extra_stop_words=analyzer.extra_stop_words,
        stem=analyzer.stem, min_length=analyzer.min_length,
    )


class _SeedMatcher:
    """Counts seeds in texts as they appear there, collocations included.

    The analyzer joins collocations *in context* ("fondo fiduciario de
    contribuciones voluntarias" -> ``fondo_fiduciario``), so a seed analysed
    alone ("fondo fiduciario" -> ``fond fiduciari``; "datos" -> ``dat``) may
    never equal the joined token of the text ("base de datos" ->
    ``base_de_datos``). Each text is therefore kept as its joined tokens,
    each with the words it is made of; a seed is matched against the text in
    which every joined token that is not part of the seed's own analysis is
    replaced by its words. A seed that is itself a collocation ("extracción
    de órganos") still matches the joined token.
    """

    def __init__(self, analyzer: SpanishAnalyzer, texts: Sequence[str]) -> None:
        plain = _plain_analyzer(analyzer)
        self.tokens = [
            [(key, tuple(plain(surface)) if " " in surface else ()) for key, surface in analyzer.analyze_with_surface(t)]
            for t in texts
        ]
        self.expanded = [[w for key, parts in doc for w in (parts or (key,))] for doc in self.tokens]
        self.joined_keys = {key for doc in self.tokens for key, parts in doc if parts}
        self.joined_counts = [Counter(key for key, _ in doc) for doc in self.tokens]
        self.expanded_counts = [Counter(doc) for doc in self.expanded]

    def counts(self, pattern: Sequence[str]) -> np.ndarray:
        if len(pattern) == 1:  # one term: a joined one counts as itself, any other also inside collocations
            table = self.joined_counts if pattern[0] in self.joined_keys else self.expanded_counts
            return np.array([c[pattern[0]] for c in table], dtype=float)
        keep = set(pattern) & self.joined_keys
        out = np.zeros(len(self.tokens))
        for r, (doc, expanded) in enumerate(zip(self.tokens, self.expanded, strict=True)):
            seq = [w for key, parts in doc for w in ((key,) if key in keep or not parts else parts)] if keep else expanded
            out[r] = _count_phrase(seq, pattern)
        return out


def _training_labels(y: object, ids: Sequence[str], theme_ids: Sequence[str], source: str) -> dict[str, str]:
    """A partial coding as ``rec_id -> theme id``, checked against the units fitted and the codebook."""
    if isinstance(y, pd.DataFrame):
        missing = [c for c in ("rec_id", "primary") if c not in y]
        if missing:
            raise ValueError(f"y: a coding needs the columns 'rec_id' and 'primary' (as read_coding returns); "
                             f"missing {missing}")
        pairs = list(zip(y["rec_id"].astype(str), y["primary"], strict=True))
    elif isinstance(y, pd.Series):
        pairs = list(zip(y.index.astype(str), y, strict=True))
    elif isinstance(y, Mapping):
        pairs = [(str(k), v) for k, v in y.items()]
    else:
        raise TypeError(f"y must be a coding (DataFrame with rec_id, primary), a Series or a mapping rec_id -> theme id, "
                        f"not {type(y).__name__}")
    problems = []
    counts = pd.Series([r for r, _ in pairs]).value_counts()
    if (counts > 1).any():
        problems.append(f"units coded more than once: {', '.join(counts[counts > 1].index[:10])}")
    known = set(ids)
    unknown = [r for r, _ in pairs if r not in known]
    if unknown:
        problems.append(f"{len(unknown)} rec_id(s) not among the recommendations fitted: {', '.join(unknown[:10])}")
    missing_theme = [r for r, t in pairs if t is None or (isinstance(t, float) and np.isnan(t))]
    if missing_theme:
        problems.append(f"{len(missing_theme)} unit(s) without a theme: {', '.join(missing_theme[:10])}")
    valid = set(theme_ids)
    bad = sorted({str(t) for r, t in pairs if r not in missing_theme and str(t) not in valid})
    if bad:
        problems.append(f"theme id(s) not in {source}: {', '.join(map(repr, bad))}")
    if problems:
        raise ValueError("y: " + "; ".join(problems))
    return {r: str(t) for r, t in pairs}


class CodebookModel(TransformerMixin, BaseEstimator):
    """Assign every recommendation a codebook theme, with a confidence.

    1. *Seed scores*: each theme's seeds are analysed like the text (so
       inflections and accents match, multi-word seeds match as phrases) and
       counted in every recommendation *as they appear in it*: a seed also
       counts inside a collocation the analyzer joins in context ("datos" in
       "base de datos", "fondo fiduciario" in "fondo fiduciario de
       contribuciones voluntarias"). The score is ``sum(weight * idf(seed) *
       log(1 + count))``; a ``key_seeds`` term (a topic that decides the
       theme wherever it is mentioned, e.g. organ removal) counts three times.
    2. *Lead-ins, by role* (the codebook's ``[[lead_in]]`` tables, rule 4
       of the coding manual): the seeds found in a *topical* lead-in
       ("Respecto de la protección y asistencia a las víctimas, ...") are
       added to each of its items' seed scores, times the role's ``weight``
       (1.0: the lead-in counts as much as the item's own words, as it is
       read as one sentence with the item); a lead-in that *sets* the theme
       (future agenda topics -> ``proceso``, "La Secretaría debería recopilar
       y difundir:" -> ``datos``) gives its items that primary theme, their own
       subject becoming the secondary theme; a generic lead-in ("Los Estados
       partes deberían:") is not read.
    3. *Clear cases*: a recommendation that mentions a key seed takes that
       theme; one whose best seed score is at least ``margin`` times its
       second best is labelled by its seeds.
    4. *Classifier*: a class-balanced logistic regression on the smoothed
       TF-IDF, trained on the clear cases (and on the units an analyst coded,
       see below), gives every recommendation a probability per theme. Units
       whose lead-in sets the theme do not train it: their words are about
       their subject, not about the theme the lead-in gives them.
    5. *Decision*: ``(1 - seed_weight) * probability + seed_weight *
       normalised seed score``; the clear cases keep the theme of their
       seeds. The best theme's value is the confidence; below
       ``min_confidence`` the recommendation is flagged and its theme is
       :data:`UNASSIGNED` (its best guess stays in ``assignments_``).

    *Hybrid coding*: ``fit(X, y=coded)`` with a partial coding by an analyst
    (a frame from :func:`analysis.coding.read_coding` or ``rec_id -> theme
    id``). The coded units keep their theme and join the clear cases in the
    classifier's training set, each counting ``coded_weight`` times: on the
    reference coding, training on the coded units *alongside* the clear
    cases did better on the units not coded than training on the coded units
    alone (which leaves the classifier too few examples below 100 coded
    units), and a weight of 3 did slightly better than 1
    (:func:`analysis.themes.learning_curve` measures the gain).

    ``margin`` is 2.0: a stricter test of a clear case gives the classifier
    fewer but cleaner labels (on the reference coding, agreement 70.5%
    against 69.1% with 1.5).

    Parameters
    ----------
    codebook : Codebook, optional
        Default: :func:`load_codebook`.
    smoothing : float, default 0.6
    margin : float, default 2.0
    C : float, default 3.0
        Inverse regularisation of the logistic regression.
    seed_weight : float, default 0.3
    min_confidence : float, default 0.2
    secondary_threshold : float, default 0.25
    coded_weight : float, default 3.0
        Weight of a unit coded by an analyst in the classifier's training,
        relative to a clear case labelled by the seeds.
    random_state : int, default 0

    Attributes
    ----------
    themes_, assignments_ : pandas.DataFrame
        As in :class:`ThemeModel`; ``assignments_`` adds ``best_theme``,
        ``flagged``, ``seeded`` (labelled by its seeds in step 3), ``coded``
        (theme given by the analyst's coding) and ``lead_in_role`` (the role
        of its lead-in, empty for a generic one or none). A unit whose
        lead-in sets its theme always has its own subject as secondary theme.
    proba_ : numpy.ndarray
        Decision values (rows sum to 1), columns in codebook order.
    seed_scores_ : numpy.ndarray
    dead_seeds_ : pandas.DataFrame
        Seeds that cannot count on the fitted corpus.

    Examples
    --------
    >>> from analysis.data.corpus import load_recommendations
    >>> recs = load_recommendations()
    >>> cm = CodebookModel().fit(recs)
    >>> cm.assignments_.set_index("rec_id").loc["1.11.b", "theme"]
    'No sanción de las víctimas'
    >>> row = cm.assignments_.set_index("rec_id").loc["4.45.a"]
    >>> row["lead_in_role"], row["theme_id"]
    ('agenda', 'proceso')
    >>> hybrid = CodebookModel().fit(recs, y={"1.2": "datos"})
    >>> row = hybrid.assignments_.set_index("rec_id").loc["1.2"]
    >>> row["theme_id"], bool(row["coded"])
    ('datos', True)
    """

    def __init__(
        self,
        codebook: Codebook | None = None,
        *,
        smoothing: float = 0.6,
        margin: float = 2.0,
        C: float = 3.0,
        seed_weight: float = 0.3,
        min_confidence: float = 0.2,
        secondary_threshold: float = 0.25,
        coded_weight: float = 3.0,
        random_state: int = 0,
    ) -> None:
        self.codebook = codebook
        self.smoothing = smoothing
        self.margin = margin
        self.C = C
        self.seed_weight = seed_weight
        self.min_confidence = min_confidence
        self.secondary_threshold = secondary_threshold
        self.coded_weight = coded_weight
        self.random_state = random_state

    def featurize(self, X: Documents) -> TextFeatures:
        """The representation used (vocabulary from terms in one recommendation on)."""
        return TextFeatures.build(X, smoothing=self.smoothing, min_df=1, max_df=0.5)

    def _seeds(self) -> list[tuple[int, float, str, str]]:
        """Every seed as ``(theme position, strength, seed, field)``; a key seed counts three times."""
        out = []
        for j, theme in enumerate(self.codebook_.themes):
            out += [(j, theme.weight, x, "seeds") for x in theme.seeds]
            out += [(j, 3.0 * theme.weight, x, "key_seeds") for x in theme.key_seeds]
        return out

    def _seed_counts(self, texts: Sequence[str], lead_ins: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """Counts of every seed (columns) in each text and in each lead-in (rows).

        The counts of the fitted texts are kept in ``features_.cache``, so
        that fits that reuse the features (the learning curve) count once.
        """
        analyzer = self.features_.analyzer
        patterns = [tuple(analyzer(seed)) for _, _, seed, _ in self._seeds()]
        key = ("seed_counts", tuple(patterns), tuple(texts), tuple(lead_ins))
        cached = self.features_.cache.get(key)
        if cached is None:
            cached = self.features_.cache[key] = self._count_seeds(patterns, texts, lead_ins)
        return cached

    def _count_seeds(self, patterns: Sequence[Sequence[str]], texts: Sequence[str], lead_ins: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        analyzer = self.features_.analyzer
        out = []
        for docs in (texts, lead_ins):
            distinct = sorted(set(docs))
            matcher = _SeedMatcher(analyzer, distinct)
            C = np.column_stack([matcher.counts(p) if p else np.zeros(len(distinct)) for p in patterns])
            index = {d: i for i, d in enumerate(distinct)}
            out.append(C[[index[d] for d in docs]])
        return out[0], out[1]

    def _seed_evidence(self, texts: Sequence[str], lead_ins: Sequence[str]) -> dict[str, np.ndarray]:
        """Seed scores, key mentions, lead-in roles and the clear cases of a set of texts (fitted idf)."""
        cb = self.codebook_
        seeds = self._seeds()
        C_text, C_lead = self._seed_counts(texts, lead_ins)
        roles = lead_in_roles(lead_ins, cb.lead_ins)
        weighs = np.array([r.weight if r is not None and r.effect == "weighs" else 0.0 for r in roles])
        sets = np.array([cb.ids.index(r.theme) if r is not None and r.effect == "sets" else -1 for r in roles])
        to_theme = np.zeros((len(seeds), len(cb)))
        to_theme[np.arange(len(seeds)), [j for j, _, _, _ in seeds]] = 1.0
        strength = np.array([w for _, w, _, _ in seeds]) * self.seed_idf_
        S = (np.log1p(C_text) * strength) @ to_theme + weighs[:, None] * ((np.log1p(C_lead) * strength) @ to_theme)
        S = quantize(S)
        is_key = np.array([f == "key_seeds" for _, _, _, f in seeds], dtype=float)
        K = (C_text * is_key) @ to_theme
        top2 = np.sort(S, axis=1)[:, -2:]
        seeded = (top2[:, 1] > 0) & (top2[:, 1] >= quantize(self.margin * top2[:, 0]))
        seed_label = argmax_rows(S)
        # a key seed decides: the recommendation takes the theme of its key seeds
        keyed = K.sum(axis=1) > 0
        seed_label[keyed] = argmax_rows(np.where(K[keyed] > 0, S[keyed], -1))
        seeded |= keyed
        return {"S": S, "K": K, "sets": sets, "seeded": seeded & (sets < 0), "seed_label": seed_label,
                "role": np.array([r.role if r is not None else "" for r in roles], dtype=object)}

    def _fit_seed_idf(self, texts: Sequence[str], lead_ins: Sequence[str]) -> None:
        """The idf of each seed on the fitted corpus (0 for seeds that cannot count) and ``dead_seeds_``."""
        cb = self.codebook_
        seeds = self._seeds()
        C_text, C_lead = self._seed_counts(texts, lead_ins)
        roles = lead_in_roles(lead_ins, cb.lead_ins)
        weighs = np.array([r is not None and r.effect == "weighs" for r in roles])
        df = np.count_nonzero((C_text > 0) | ((C_lead > 0) & weighs[:, None]), axis=0)
        n = len(texts)
        self.seed_idf_ = np.where(df > 0, np.log((1 + n) / (1 + df)) + 1, 0.0)
        analyzer = self.features_.analyzer
        dead = [
            {"position": j, "field": f, "seed": seed, "reason": "stop words" if not analyzer(seed) else "no match"}
            for (j, _, seed, f), d in zip(seeds, df, strict=True)
            if d == 0
        ]
        self.dead_seeds_ = pd.DataFrame(dead, columns=["position", "field", "seed", "reason"])

    def seed_scores(self, feats: TextFeatures) -> np.ndarray:
        """Seed score of every recommendation (rows) for every theme (columns), topical lead-ins included."""
        return self._seed_evidence(feats.texts, feats.lead_ins)["S"]

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

    def fit(self, X: Documents | TextFeatures, y: pd.DataFrame | pd.Series | Mapping[str, str] | None = None) -> CodebookModel:
        """Fit on a recommendations table, a list of texts or :class:`TextFeatures`.

        Parameters
        ----------
        X : DataFrame, list of str or TextFeatures
            A recommendations table (its ``lead_in`` column is read by role),
            texts, or features built once and reused (:meth:`featurize`).
        y : DataFrame, Series or mapping, optional
            A partial coding by an analyst: a frame as returned by
            :func:`analysis.coding.read_coding` (``rec_id``, ``primary``), or
            ``rec_id -> theme id``. The coded units train the classifier and
            keep their coded theme in ``assignments_``; the model codes the rest.

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
            When the training labels cover fewer than two themes: the
            classifier would have nothing to tell apart.
        ValueError
            When ``y`` names units that were not fitted, theme ids that are
            not in the codebook, or codes a unit twice.
        """
        self.codebook_ = self.codebook if self.codebook is not None else load_codebook()
        feats = X if isinstance(X, TextFeatures) else self.featurize(X)
        self.features_ = feats
        cb = self.codebook_
        T = len(cb)
        coded_label = np.full(len(feats.ids), -1)
        if y is not None:
            labels_given = _training_labels(y, feats.ids, cb.ids, cb.source)
            position = {r: i for i, r in enumerate(feats.ids)}
            for rec_id, theme_id in labels_given.items():
                coded_label[position[rec_id]] = cb.ids.index(theme_id)
        coded = coded_label >= 0
        self._fit_seed_idf(feats.texts, feats.lead_ins)
        ev = self._seed_evidence(feats.texts, feats.lead_ins)
        S, seeded, seed_label = ev["S"], ev["seeded"], ev["seed_label"]
        self.key_mentions_ = ev["K"]
        self._warn_dead_seeds(feats.ids)
        # training set: the seeds' clear cases and the coded units (their coded
        # theme wins); units under a lead-in that sets the theme are labelled by
        # the lead-in, not by their words, and do not train the classifier
        train_label = np.where(coded, coded_label, seed_label)
        train = (seeded | coded) & (ev["sets"] < 0)
        self._check_clear_cases(S, train_label[train])
        weights = np.where(coded, self.coded_weight, 1.0)[train]
        with threadpool_limits(1):
            # a tight tolerance: the penalised likelihood has one optimum, and
            # every BLAS kernel reaches it to far below ranking.DECIMALS
            clf = LogisticRegression(C=self.C, max_iter=5000, tol=1e-10, class_weight="balanced")
            clf.fit(feats.smoothed[train], train_label[train], sample_weight=weights)
        self.classifier_ = clf
        decision, labels = self._decide(ev, feats.smoothed)
        # coded units keep their coded theme; the model's view gives the secondary
        decision, labels = _impose(decision, labels, coded, coded_label)
        self.seed_scores_ = S
        self.seeded_ = seeded & ~coded
        self.coded_ = coded
        self.lead_in_role_ = ev["role"]
        self.set_by_lead_in_ = (ev["sets"] >= 0) & ~coded
        self.proba_ = decision
        self.labels_ = labels
        self.flagged_ = ~at_least(decision[np.arange(len(S)), labels], self.min_confidence) & ~coded & ~self.set_by_lead_in_
        self._build_tables(feats)
        return self

    def _decide(self, ev: dict[str, np.ndarray], smoothed: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Decision values and primary themes from the seed evidence and the classifier."""
        S, seeded, seed_label = ev["S"], ev["seeded"], ev["seed_label"]
        T = len(self.codebook_)
        with threadpool_limits(1):
            proba = np.zeros((len(S), T))
            proba[:, self.classifier_.classes_] = self.classifier_.predict_proba(smoothed)
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
        # a lead-in that sets the theme (agenda, compilation): the item's own
        # subject becomes the second theme
        return _impose(decision, labels, ev["sets"] >= 0, ev["sets"])

    def _build_tables(self, feats: TextFeatures) -> None:
        cb = self.codebook_
        P = self.proba_
        ids = np.array(cb.ids, dtype=object)
        names = np.array(cb.names, dtype=object)
        rows = np.arange(len(P))
        first = self.labels_
        others = np.where(np.arange(P.shape[1]) == first[:, None], -1.0, P)
        second = argmax_rows(others)
        has_second = (at_least(P[rows, second], self.secondary_threshold) | self.set_by_lead_in_) & ~self.flagged_
        has_second &= P[rows, second] > 0
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
                "coded": self.coded_,
                "lead_in_role": pd.array(np.where(self.lead_in_role_ == "", None, self.lead_in_role_), dtype="string"),
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
        """Decision values of (new) texts, columns in codebook order, as :meth:`fit` computes them.

        A recommendations table is read with its lead-ins (by role); bare
        texts have none. The argmax of a row is the theme the model gives.
        For the fitted recommendations this is ``proba_`` except for coded units.
        """
        docs, _ = documents_and_ids(X)
        parts = texts_and_lead_ins(X)
        ev = self._seed_evidence(parts["texts"], parts["lead_ins"])
        decision, _ = self._decide(ev, represent(self.features_, docs))
        return decision

    def predict(self, X: Documents) -> np.ndarray:
        """Theme ids of (new) texts: the argmax of :meth:`transform`."""
        return np.array(self.codebook_.ids, dtype=object)[argmax_rows(self.transform(X))]

    def save(self, path: str | Path) -> Path:
        """Write the fitted model to ``path`` (joblib), atomically, with the package version and the codebook digest.

        Examples
        --------
        >>> import tempfile, pathlib
        >>> from analysis.data.corpus import load_recommendations
        >>> recs = load_recommendations()
        >>> cm = CodebookModel().fit(recs)
        >>> path = cm.save(pathlib.Path(tempfile.mkdtemp()) / "codebook_model.joblib")
        >>> bool((CodebookModel.load(path).predict(recs[:5]) == cm.predict(recs[:5])).all())
        True
        """
        if not hasattr(self, "classifier_"):
            raise ValueError("the model is not fitted: call fit() before save()")
        payload = {"format": MODEL_FORMAT, "version": __version__, "codebook_digest": codebook_digest(self.codebook_),
                   "codebook_source": self.codebook_.source, "model": self}
        path = Path(path)
        with atomic_path(path) as tmp:
            joblib.dump(payload, tmp)
        return path

    @classmethod
    def load(cls, path: str | Path, codebook: Codebook | None = None) -> CodebookModel:
        """Read a model written by :meth:`save`.

        Parameters
        ----------
        path : path
        codebook : Codebook, optional
            The codebook the model must have been fitted with (default:
            :func:`load_codebook`).

        Raises
        ------
        ModelFileError
            Naming the file: missing, corrupt or not a saved model, or saved
            with a different codebook (themes, seeds or lead-in roles changed:
            refit the model).

        Warns
        -----
        UserWarning
            When the file was written by another version of the package.
        """
        where = display_path(path)
        try:
            payload = joblib.load(path)
        except FileNotFoundError:
            raise ModelFileError(f"{where}: file not found") from None
        except Exception as err:  # noqa: BLE001 - any unpickling failure means a corrupt or foreign file
            raise ModelFileError(f"{where}: not a saved codebook model (cannot be read: {type(err).__name__}: {err})") from None
        if not isinstance(payload, dict) or payload.get("format") != MODEL_FORMAT or not isinstance(payload.get("model"), cls):
            raise ModelFileError(f"{where}: not a saved codebook model (written by CodebookModel.save)")
        expected = codebook if codebook is not None else load_codebook()
        if payload.get("codebook_digest") != codebook_digest(expected):
            raise ModelFileError(
                f"{where}: the model was fitted with a different codebook ({payload.get('codebook_source')}) "
                f"than {expected.source} (themes, seeds or lead-in roles differ); refit and save the model again"
            )
        if payload.get("version") != __version__:
            warnings.warn(f"{where}: saved by version {payload.get('version')} of the package, read by {__version__}",
                          stacklevel=2)
        return payload["model"]

    def fit_transform(self, X: Documents | TextFeatures, y: object = None, **fit_params: object) -> np.ndarray:
        """Fit and return the decision values of the fitted recommendations."""
        return self.fit(X, y).proba_



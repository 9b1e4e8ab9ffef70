"""Full-text search over the recommendations: accent-insensitive and inflection-aware.

:class:`SearchIndex` ranks recommendation units by TF-IDF cosine similarity to
a query. Words are lower-cased, accent-folded and stemmed with the Snowball
Spanish stemmer, so "organos" finds "órganos" and "víctima" finds "víctimas".
An exact-phrase mode matches the query as a phrase (still accent- and
case-insensitive). Results are a DataFrame, with the matched words marked up
for display in ``highlighted`` (HTML; the recommendation text itself is
escaped, so a text that holds markup shows as text).

Examples
--------
>>> from analysis.data.corpus import load_recommendations
>>> index = SearchIndex().fit(load_recommendations())
>>> index.search("organos", top=3)["rec_id"].tolist()
['4.1', '4.45.k', '4.7']
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd
import snowballstemmer
from sklearn.feature_extraction.text import TfidfVectorizer

from analysis.text.analyzer import normalize

__all__ = ["FUNCTION_WORDS", "SearchIndex", "highlight", "search_terms"]

_WORD = re.compile(r"[^\W\d_]+|\d+", re.UNICODE)

#: Function words that carry no meaning in a query (accent-folded). Kept short
#: on purpose: a broad stop list would make words such as "trata" unsearchable.
FUNCTION_WORDS: frozenset[str] = frozenset(
    """
    a al como con de del e el en es la las le les lo los o para por que se su sus un una unas
    unos u y ya
    """.split()
)


class _Stemmer:
    """Accent-folded Snowball stems of the words of a text (function words dropped)."""

    def __init__(self) -> None:
        self._stemmer = snowballstemmer.stemmer("spanish")
        self._cache: dict[str, str] = {}

    def stem(self, word: str) -> str:
        if word not in self._cache:
            self._cache[word] = normalize(self._stemmer.stemWord(word))
        return self._cache[word]

    def __call__(self, text: str) -> list[str]:
        words = _WORD.findall(normalize(text))
        return [self.stem(w) for w in words if w not in FUNCTION_WORDS]


class _IndexAnalyzer(_Stemmer):
    """Index terms: each word's stem and its exact accent-folded form.

    The stem makes inflected forms match ("víctima" finds "víctimas"); the
    exact form ranks a document with the very word above one that only shares
    the stem (Snowball gives "órganos" and "organismos" the same stem).
    """

    def __call__(self, text: str) -> list[str]:
        words = [w for w in _WORD.findall(normalize(text)) if w not in FUNCTION_WORDS]
        return [f"s:{self.stem(w)}" for w in words] + [f"w:{w}" for w in words]


def search_terms(query: str) -> list[str]:
    """The stems a query searches for.

    >>> search_terms("Víctimas de la trata")
    ['victim', 'trat']
    """
    return _Stemmer()(query)


def _folded_with_map(text: str) -> tuple[str, list[int]]:
    """Accent-folded lower-case ``text`` and, per folded character, its index in ``text``."""
    folded_chars: list[str] = []
    index: list[int] = []
    for i, ch in enumerate(text):
        f = normalize(ch)
        folded_chars.append(f)
        index.extend([i] * len(f))
    return "".join(folded_chars), index


def _spans(text: str, stems: Iterable[str], phrases: Iterable[str], stemmer: _Stemmer) -> list[tuple[int, int]]:
    folded, index = _folded_with_map(text)
    wanted = set(stems)
    spans: list[tuple[int, int]] = []
    if wanted:
        for m in _WORD.finditer(folded):
            if stemmer.stem(m.group()) in wanted:
                spans.append((index[m.start()], index[m.end() - 1] + 1))
    for phrase in phrases:
        for m in re.finditer(re.escape(normalize(phrase)), folded):
            if m.end() > m.start():
                spans.append((index[m.start()], index[m.end() - 1] + 1))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def highlight(text: str, query: str, *, phrase: bool = False, tag: str = "mark") -> str:
    """``text`` as HTML with the words that match ``query`` wrapped in ``<mark>``.

    Everything else is HTML-escaped, so the result is safe to display.

    Examples
    --------
    >>> highlight("Extracción de órganos <b>", "organos")
    'Extracción de <mark>órganos</mark> &lt;b&gt;'
    """
    stemmer = _Stemmer()
    spans = _spans(text, [] if phrase else stemmer(query), [query] if phrase else [], stemmer)
    out, pos = [], 0
    for start, end in spans:
        out.append(html.escape(text[pos:start]))
        out.append(f"<{tag}>{html.escape(text[start:end])}</{tag}>")
        pos = end
    out.append(html.escape(text[pos:]))
    return "".join(out)


class SearchIndex:
    """A TF-IDF index of recommendation units for ranked search.

    Parameters
    ----------
    text_columns : sequence of str
        Columns whose text is indexed, joined (default: the unit's ``lead_in``
        and ``text``, so "indemnización" finds the items of a paragraph whose
        lead-in is about compensation).
    filter_columns : sequence of str
        Columns that :meth:`search` can filter on, when the frame has them.

    Attributes
    ----------
    units_ : DataFrame
        The indexed frame (reset index).
    vectorizer_ : TfidfVectorizer
        Fitted on the stems of ``text_columns``.

    Examples
    --------
    >>> from analysis.data.corpus import load_recommendations
    >>> index = SearchIndex().fit(load_recommendations())
    >>> hits = index.search("indemnización", meeting=4)
    >>> hits["rec_id"].str.startswith("4.46").all(), len(hits) > 3
    (np.True_, True)
    """

    def __init__(
        self,
        text_columns: Sequence[str] = ("lead_in", "text"),
        filter_columns: Sequence[str] = ("meeting", "year", "theme", "addressee"),
    ) -> None:
        self.text_columns = tuple(text_columns)
        self.filter_columns = tuple(filter_columns)

    def get_params(self) -> dict[str, Any]:
        return {"text_columns": self.text_columns, "filter_columns": self.filter_columns}

    def fit(self, units: pd.DataFrame) -> SearchIndex:
        """Index ``units`` (one row per recommendation, with ``rec_id`` and the text columns)."""
        missing = [c for c in ("rec_id", *self.text_columns) if c not in units.columns]
        if missing:
            raise ValueError(f"units lack the column(s) {missing}; expected rec_id and {list(self.text_columns)}")
        self.units_ = units.reset_index(drop=True)
        docs = self._documents(self.units_)
        self.vectorizer_ = TfidfVectorizer(analyzer=_IndexAnalyzer(), sublinear_tf=True, norm="l2")
        self._matrix = self.vectorizer_.fit_transform(docs)
        self._folded = [normalize(d) for d in docs]
        return self

    def _documents(self, units: pd.DataFrame) -> list[str]:
        parts = [units[c].fillna("").astype(str) for c in self.text_columns]
        joined = parts[0]
        for p in parts[1:]:
            joined = joined + " " + p
        return joined.str.strip().tolist()

    def _mask(self, filters: dict[str, Any]) -> np.ndarray:
        mask = np.ones(len(self.units_), dtype=bool)
        for column, wanted in filters.items():
            if wanted is None:
                continue
            if column not in self.units_.columns:
                raise ValueError(
                    f"cannot filter on {column!r}: the indexed table has no such column "
                    f"(it has {', '.join(map(str, self.units_.columns))})"
                )
            values = wanted if isinstance(wanted, (list, tuple, set, frozenset)) else [wanted]
            col = self.units_[column]
            if isinstance(col.dtype, pd.CategoricalDtype):
                col = col.astype(object)
            mask &= col.isin(list(values)).to_numpy(dtype=bool, na_value=False)
        return mask

    def search(
        self,
        query: str,
        *,
        phrase: bool = False,
        top: int | None = None,
        meeting: int | Iterable[int] | None = None,
        year: int | Iterable[int] | None = None,
        theme: str | Iterable[str] | None = None,
        addressee: str | Iterable[str] | None = None,
    ) -> pd.DataFrame:
        """Units that match ``query``, best first.

        Parameters
        ----------
        query : str
            Words to look for (any form, accents optional). With
            ``phrase=True``, the exact phrase, accent- and case-insensitive.
        top : int, optional
            Keep the best ``top`` results.
        meeting, year, theme, addressee : value or list of values, optional
            Keep units whose column has one of these values.

        Returns
        -------
        DataFrame
            The indexed columns plus ``score`` (cosine similarity; 1.0 for a
            phrase match) and ``highlighted`` (HTML-safe text with ``<mark>``),
            sorted by score then ``rec_id``. Empty (same columns) if nothing
            matches.
        """
        if not hasattr(self, "units_"):
            raise RuntimeError("call fit(units) before search()")
        if not query or not query.strip():
            raise ValueError("the query is empty")
        mask = self._mask({"meeting": meeting, "year": year, "theme": theme, "addressee": addressee})
        if phrase:
            needle = normalize(query.strip())
            scores = np.array([1.0 if needle in d else 0.0 for d in self._folded])
        else:
            q = self.vectorizer_.transform([query])
            scores = (self._matrix @ q.T).toarray().ravel()
        keep = np.flatnonzero(mask & (scores > 0))
        result = self.units_.iloc[keep].copy()
        result.insert(1, "score", np.round(scores[keep], 6))
        result = result.sort_values(["score", "rec_id"], ascending=[False, True], kind="mergesort")
        if top is not None:
            result = result.head(top)
        result["highlighted"] = [
            highlight(t, query, phrase=phrase) for t in result["text"].astype(str)
        ]
        return result.reset_index(drop=True)

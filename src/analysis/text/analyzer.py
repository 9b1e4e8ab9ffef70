"""Spanish text processing for the recommendations: normalisation, stop words,
boilerplate, stemming with readable surface forms, multi-word terms.

The entry point is :class:`SpanishAnalyzer`, a callable that turns a document
into a list of *term keys* for scikit-learn's vectorizers (``analyzer=``), and
:func:`make_vectorizer`, which wires it into a ``TfidfVectorizer``.

How a document becomes terms
----------------------------
1. NFC, lower case; a parallel *accent-folded* copy is kept for matching
   (``víctimas`` and ``victimas`` match alike; ``ñ`` stays ``ñ``).
2. Words are stemmed with the Snowball Spanish stemmer, and a few stems of the
   same concept are merged (``identificación``/``identificar``,
   ``sensibilización``/``concienciación``...): see :data:`STEM_MERGES`.
3. Boilerplate phrases that every recommendation repeats (``los Estados partes
   deberían``, ``considerar la posibilidad de``, ``de conformidad con la
   legislación nacional``, ``Protocolo contra la Trata de Personas``...) are
   matched on the stem sequence and dropped: :data:`BOILERPLATE_PATTERNS`.
4. Multi-word terms (``sociedad civil``, ``extracción de órganos``,
   ``asistencia judicial recíproca``...) are matched next and emitted as one
   term each, their words not counted again: :data:`MULTIWORD_TERMS`.
5. Remaining words are dropped if they are Spanish stop words (spaCy's list,
   no model needed), generic recommendation vocabulary
   (:data:`DOMAIN_STOP_WORDS`), numbers, Roman numerals or shorter than three
   letters; the others are emitted as their (merged) stem.

A term key is never shown to a reader: :meth:`SpanishAnalyzer.surface_forms`
maps every key to its most frequent surface form in a corpus (``victim`` ->
``víctimas``), which is what labels use.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import snowballstemmer
from sklearn.feature_extraction.text import TfidfVectorizer

from analysis.text.lexicon import (
    BOILERPLATE_PATTERNS,
    DOMAIN_STOP_EXCEPTIONS,
    DOMAIN_STOP_WORDS,
    MULTIWORD_TERMS,
    SPANISH_STOP_WORDS,
    STEM_MERGES,
    WORD_OVERRIDES,
)
from analysis.text.normalize import fold_accents, normalize

__all__ = [
    "SpanishAnalyzer",
    "compose_document",
    "compose_documents",
    "make_vectorizer",
    "topical_lead_in",
]

_WORD_RE = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?|\d+(?:[.,]\d+)*|[,;:]", re.UNICODE)
_ROMAN_RE = re.compile(r"^[ivxlc]+$")


@dataclass(frozen=True)
class _Pattern:
    key: str
    display: str
    regex: re.Pattern[str]
    drop: bool


class SpanishAnalyzer:
    """Turn Spanish recommendation text into term keys for a vectorizer.

    Parameters
    ----------
    boilerplate : sequence of str, optional
        Phrase patterns dropped before tokenising (default
        :data:`BOILERPLATE_PATTERNS`).
    multiword_terms : sequence of (str, str), optional
        ``(display, pattern)`` multi-word terms emitted as one term (default
        :data:`MULTIWORD_TERMS`).
    extra_stop_words : iterable of str, optional
        More words to drop (any inflection: they are stemmed).
    stem : bool, default True
        Stem words (and merge :data:`STEM_MERGES`); if False, keys are the
        accent-folded words.
    min_length : int, default 3
        Shorter single words are dropped.
    phrase_weight : int, default 1
        A multi-word term is counted this many times: it names a concept
        ("extracción de órganos") more specifically than any single word.

    Examples
    --------
    >>> an = SpanishAnalyzer()
    >>> an("Los Estados partes deberían proteger a las víctimas y a la sociedad civil")
    ['proteccion', 'victim', 'sociedad_civil']
    >>> an.surface_forms(["las víctimas", "proteger a la víctima", "víctimas"])["victim"]
    'víctimas'
    """

    def __init__(
        self,
        boilerplate: Sequence[str] | None = None,
        multiword_terms: Sequence[tuple[str, str]] | None = None,
        extra_stop_words: Iterable[str] = (),
        *,
        stem: bool = True,
        min_length: int = 3,
        phrase_weight: int = 1,
    ) -> None:
        self.boilerplate = tuple(BOILERPLATE_PATTERNS if boilerplate is None else boilerplate)
        self.multiword_terms = tuple(MULTIWORD_TERMS if multiword_terms is None else multiword_terms)
        self.extra_stop_words = tuple(extra_stop_words)
        self.stem = stem
        self.min_length = min_length
        self.phrase_weight = phrase_weight
        self._stemmer = snowballstemmer.stemmer("spanish")
        self._stem_cache: dict[str, str] = {}
        self._doc_cache: dict[str, tuple[tuple[str, str], ...]] = {}
        self._stop_stems = frozenset(
            {self._stem_word(normalize(w)) for w in DOMAIN_STOP_WORDS}
            | {self._stem_word(normalize(w)) for w in self.extra_stop_words}
        )
        self._stop_words = SPANISH_STOP_WORDS
        # named instruments and bodies that contain boilerplate ("Principios y
        # Directrices ... sobre los Derechos Humanos y la Trata de Personas")
        # are matched before the boilerplate that would cut them
        named = [(d, p) for d, p in self.multiword_terms if " trata " in f" {p} "]
        others = [(d, p) for d, p in self.multiword_terms if " trata " not in f" {p} "]
        self._patterns = tuple(
            [self._compile(pat, disp, drop=False) for disp, pat in named]
            + [self._compile(p, p, drop=True) for p in self.boilerplate]
            + [self._compile(pat, disp, drop=False) for disp, pat in others]
        )

    # -- helpers ------------------------------------------------------------------
    def _stem_word(self, folded: str) -> str:
        cached = self._stem_cache.get(folded)
        if cached is None:
            if not self.stem or not folded[:1].isalpha():
                cached = folded
            elif folded in WORD_OVERRIDES:
                cached = WORD_OVERRIDES[folded]
            else:
                cached = self._stemmer.stemWord(folded)
                cached = STEM_MERGES.get(cached, cached)
            self._stem_cache[folded] = cached
        return cached

    def _compile(self, pattern: str, display: str, *, drop: bool) -> _Pattern:
        parts = []
        for slot in pattern.split():
            if slot == "~":  # a gap of up to 12 words
                parts.append(r"(?:\S+ ){0,12}?")
                continue
            optional = slot.endswith("?") and len(slot) > 1
            words = slot.rstrip("?").split("|")
            alts = sorted(
                {r"\d\S*" if w == "#" else re.escape(self._stem_word(normalize(w))) for w in words},
                key=len,
                reverse=True,
            )
            body = "(?:" + "|".join(alts) + ") "
            parts.append(f"(?:{body})?" if optional else body)
        key = "_".join(normalize(display).replace(",", "").split())
        return _Pattern(key=key, display=display, regex=re.compile(" " + "".join(parts)), drop=drop)

    def _tokenize(self, doc: str) -> tuple[list[str], list[str], list[str]]:
        """Surface words (NFC, lower case but acronyms), folded words, stems."""
        text = unicodedata.normalize("NFC", doc)
        surfaces, stems, folded = [], [], []
        for m in _WORD_RE.finditer(text):
            word = m.group()
            low = word.lower()
            surface = word if (word.isupper() and len(word) > 1) else low
            f = fold_accents(low)
            surfaces.append(surface)
            folded.append(f)
            stems.append(f if not f[:1].isalpha() else self._stem_word(f))
        return surfaces, folded, stems

    def analyze_with_surface(self, doc: str) -> tuple[tuple[str, str], ...]:
        """Term keys with the surface form each came from, in text order.

        Examples
        --------
        >>> SpanishAnalyzer().analyze_with_surface("extracción de órganos y sanciones")
        (('extraccion_de_organos', 'extracción de órganos'), ('sancion', 'sanciones'))
        """
        cached = self._doc_cache.get(doc)
        if cached is not None:
            return cached
        surfaces, folded, stems = self._tokenize(doc)
        n = len(stems)
        # character offset of each token in the " s1 s2 ... " string
        offsets: dict[int, int] = {}
        pos = 0
        for i, s in enumerate(stems):
            offsets[pos] = i
            pos += len(s) + 1
        joined = " " + " ".join(stems) + " "
        taken: list[str | None] = [None] * n  # key of the pattern that took a token
        starts: dict[int, tuple[str, int]] = {}  # token index -> (key, end) of an emitted phrase
        for pat in self._patterns:
            for m in pat.regex.finditer(joined):
                i = offsets.get(m.start())
                if i is None:
                    continue
                j = i + m.group().count(" ") - 1
                j = max(j, i + 1)
                if any(taken[t] is not None for t in range(i, j)):
                    continue
                for t in range(i, j):
                    taken[t] = pat.key
                if not pat.drop:
                    starts[i] = (pat.key, j)
        out: list[tuple[str, str]] = []
        i = 0
        while i < n:
            if i in starts:
                key, j = starts[i]
                surface = " ".join(w for w in surfaces[i:j] if w not in ",;:")
                out.extend([(key, surface)] * self.phrase_weight)
                i = j
                continue
            if taken[i] is None:
                f, s = folded[i], stems[i]
                if (
                    f[:1].isalpha()
                    and len(f) >= self.min_length
                    and f not in self._stop_words
                    and (s not in self._stop_stems or f in DOMAIN_STOP_EXCEPTIONS)
                    and not _ROMAN_RE.match(f)
                ):
                    out.append((s, surfaces[i]))
            i += 1
        result = tuple(out)
        self._doc_cache[doc] = result
        return result

    def __call__(self, doc: str) -> list[str]:
        """Term keys of ``doc`` (what a vectorizer counts)."""
        return [key for key, _ in self.analyze_with_surface(doc)]

    def surface_forms(self, docs: Iterable[str]) -> dict[str, str]:
        """Map every term key to its most frequent surface form in ``docs``.

        Ties go to the alphabetically first form, so the map is deterministic.
        A multi-word term shows its curated display form ("primera línea",
        not the variant "de primera línea").

        Examples
        --------
        >>> SpanishAnalyzer().surface_forms(["capacitación", "capacitar", "la capacitación"])
        {'capacit': 'capacitación'}
        """
        counts: dict[str, Counter[str]] = defaultdict(Counter)
        for doc in docs:
            for key, surface in self.analyze_with_surface(doc):
                counts[key][surface] += 1
        display = {p.key: p.display for p in self._patterns if not p.drop}
        return {
            k: display.get(k) or min(c.items(), key=lambda kv: (-kv[1], kv[0]))[0]
            for k, c in sorted(counts.items())
        }

    def is_stop_or_boilerplate(self, term: str) -> bool:
        """True if ``term`` (surface text, any case/accents) is a stop word,
        generic vocabulary or boilerplate, i.e. would produce no term or only
        dropped material.

        Examples
        --------
        >>> an = SpanishAnalyzer()
        >>> an.is_stop_or_boilerplate("Estados partes"), an.is_stop_or_boilerplate("deberían")
        (True, True)
        >>> an.is_stop_or_boilerplate("sociedad civil")
        False
        """
        return len(self(term)) == 0

    def __repr__(self) -> str:
        return (
            f"SpanishAnalyzer(boilerplate=<{len(self.boilerplate)} patterns>, "
            f"multiword_terms=<{len(self.multiword_terms)} terms>, stem={self.stem})"
        )

    def __getstate__(self) -> dict:
        state = self.__dict__.copy()
        state["_stemmer"] = None
        return state

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self._stemmer = snowballstemmer.stemmer("spanish")


# --- documents ------------------------------------------------------------------------

_TOPICAL_LEAD_IN = re.compile(
    r"^\s*(respecto|con respecto|en cuanto|en relacion|en lo referente|en lo que respecta|"
    r"a fin de|para (?:evitar|asegurar)|al aplicar)\b",
)


def topical_lead_in(lead_in: str | None) -> str:
    """The lead-in if it names a topic, else ``""``.

    A lead-in names a topic when it opens with "Respecto de", "Con respecto
    a", "A fin de", "Al aplicar"...: "Respecto de la prevención y
    sensibilización, los Estados partes deberían:". Lead-ins that only say
    who should act ("Los Estados partes deberían:", "El Grupo de Trabajo
    recomendó a la Conferencia ... las siguientes recomendaciones") are
    dropped, so that procedural wording does not pull items into a theme.

    Examples
    --------
    >>> topical_lead_in("Respecto de la capacitación, los Estados partes deberían:")
    'Respecto de la capacitación, los Estados partes deberían:'
    >>> topical_lead_in("Los Estados partes deberían:")
    ''
    """
    if lead_in is None or pd.isna(lead_in):
        return ""
    return str(lead_in) if _TOPICAL_LEAD_IN.match(normalize(str(lead_in))) else ""


def compose_document(text: str, lead_in: str | None = None) -> str:
    """The text analysed for one recommendation: topical lead-in + text.

    Examples
    --------
    >>> compose_document("capacitar a la policía;", "Los Estados partes deberían:")
    'capacitar a la policía;'
    """
    lead = topical_lead_in(lead_in)
    return f"{lead} {text}" if lead else str(text)


def compose_documents(recs: pd.DataFrame) -> list[str]:
    """:func:`compose_document` for every row of a recommendations table
    (columns ``text`` and ``lead_in``)."""
    lead = recs["lead_in"] if "lead_in" in recs else pd.Series([None] * len(recs))
    return [compose_document(t, li) for t, li in zip(recs["text"], lead, strict=True)]


def make_vectorizer(
    analyzer: SpanishAnalyzer | None = None,
    *,
    min_df: int | float = 2,
    max_df: int | float = 0.5,
    sublinear_tf: bool = True,
    norm: str | None = "l2",
) -> TfidfVectorizer:
    """A ``TfidfVectorizer`` on :class:`SpanishAnalyzer` terms.

    Parameters
    ----------
    analyzer : SpanishAnalyzer, optional
        Default: a new ``SpanishAnalyzer()``.
    min_df, max_df : int or float
        Passed to ``TfidfVectorizer``: terms in fewer than 2 recommendations
        carry no theme; terms in more than half are not distinctive.
    sublinear_tf : bool, default True
        ``1 + log(tf)``: a long recommendation repeating a word is not more
        about it in proportion.
    norm : {"l2", "l1", None}

    Examples
    --------
    >>> vec = make_vectorizer(min_df=2, max_df=1.0)
    >>> X = vec.fit_transform(["sociedad civil y víctimas", "víctimas y sociedad civil", "datos"])
    >>> sorted(vec.vocabulary_)
    ['sociedad_civil', 'victim']
    """
    return TfidfVectorizer(
        analyzer=analyzer if analyzer is not None else SpanishAnalyzer(),
        min_df=min_df,
        max_df=max_df,
        sublinear_tf=sublinear_tf,
        norm=norm,
        dtype=np.float64,
    )

"""Stage 2, text: Spanish normalisation, the lexicon and the analyzer that turns a recommendation into terms.

- :mod:`~analysis.text.normalize`: NFC, lower case, accent folding;
- :mod:`~analysis.text.lexicon`: stop words, UN boilerplate, multi-word terms, stem merges (data only);
- :mod:`~analysis.text.analyzer`: :class:`SpanishAnalyzer`, documents, :func:`make_vectorizer`.
"""

from analysis.text.analyzer import SpanishAnalyzer, compose_document, compose_documents, make_vectorizer
from analysis.text.normalize import fold_accents, normalize

__all__ = ["SpanishAnalyzer", "compose_document", "compose_documents", "fold_accents", "make_vectorizer", "normalize"]

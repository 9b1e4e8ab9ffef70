"""Normalisation of Spanish text for matching: NFC, lower case, accent folding.
"""

from __future__ import annotations

import unicodedata

__all__ = ["fold_accents", "normalize"]



# Combining marks removed by accent folding. The tilde (U+0303) is kept, so
# that "ñ" stays a letter of its own ("año" is not "ano").
_FOLDED_MARKS = frozenset({"\u0300", "\u0301", "\u0302", "\u0308"})


def _fold_char(char: str) -> str:
    decomposed = unicodedata.normalize("NFD", char)
    kept = "".join(c for c in decomposed if c not in _FOLDED_MARKS)
    folded = unicodedata.normalize("NFC", kept)
    return folded if len(folded) == 1 else char


def fold_accents(text: str, *, keep_enye: bool = True) -> str:
    """Remove acute, grave, circumflex accents and diaeresis; keep ``ñ``.

    The result has exactly as many characters as the NFC input, so character
    offsets in the folded text are offsets in the original.

    ``keep_enye=False`` removes every diacritic, ``ñ``'s tilde too: the form
    compared by the character n-grams of :mod:`analysis.language.recurrence`
    (offsets are then not kept).

    Examples
    --------
    >>> fold_accents("Víctimas, extracción de órganos, pingüino, niño")
    'Victimas, extraccion de organos, pinguino, niño'
    >>> fold_accents("se alentó a los estados partes; niños", keep_enye=False)
    'se alento a los estados partes; ninos'
    """
    if not keep_enye:
        return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    text = unicodedata.normalize("NFC", text)
    return "".join(_fold_char(c) if ord(c) > 127 else c for c in text)


def normalize(text: str) -> str:
    """NFC, lower case and accent folding: the form used for matching.

    Examples
    --------
    >>> normalize("Protección  de las VÍCTIMAS")
    'proteccion  de las victimas'
    """
    return fold_accents(unicodedata.normalize("NFC", text).lower())

"""Structural checks that the order of numbers alone does not make.

The line grammar (:mod:`analysis.data.corpus_parser`) checks that headings,
paragraphs, items and footnotes come in sequence. Damage can keep the
sequence intact: a deleted line that opened a paragraph (its items then hang
under the paragraph above), a list cut after an item ending with ``;``, a
paragraph cut mid-sentence, two lines run together, an item marker without
its space (``j)tener``), or a file cut after its fourth meeting. The
functions here read what the document declares about itself (its
punctuation, its front matter) and say what is missing; the parser turns
their answers into a :class:`~analysis.data.corpus_grammar.CorpusError` or a
:class:`~analysis.data.corpus_grammar.CorpusWarning` with the line.

Examples
--------
>>> ending_problem("tipificar como delito la trata;", "item 1.5.b", last=True)
"item 1.5.b ends with ';' and nothing follows it: the list's next item is missing"
>>> ending_problem("proteger a las víctimas.", "item 1.5.b", last=True) is None
True
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from analysis.data._numerals import cardinal_value
from analysis.data.corpus_grammar import _DECLARED_MEETINGS_RE, clean_text

__all__ = [
    "Declaration",
    "declared_meetings",
    "ending_problem",
    "glued_marker",
    "invisible_start",
    "merged_label",
]

#: A sentence is complete when it ends with a full stop (or ! ? …), perhaps inside quotes or brackets.
_TERMINAL_RE = re.compile(r"[.!?…][\"'»”’)\]]*$")
#: An item marker in the middle of a line, after the ';' or ':' that ends the text before it.
_INLINE_LABEL_RE = re.compile(r"[;:]\s+(?:-\s+)?(?P<label>[a-z]{1,4})\)\s")
#: An item marker glued to its text ("j)tener") or standing alone ("j)").
_GLUED_LABEL_RE = re.compile(r"^(?:-\s*)?(?P<label>[a-z]{1,4})\)(?=\S|$)")
#: A paragraph number glued to its text ("12.Los"; not "1.000").
_GLUED_NUMBER_RE = re.compile(r"^(?P<num>\d+)\.(?=[^\d\s])")


@dataclass(frozen=True)
class Declaration:
    """How many meetings the front matter says the document holds, and where it says so."""

    count: int
    line: int
    phrase: str


def declared_meetings(lines: Sequence[str]) -> Declaration | None:
    """The first "en sus ocho primeras reuniones" of ``lines`` (the front matter), or ``None``.

    >>> declared_meetings(["Recomendaciones aprobadas ... en sus ocho primeras reuniones"])
    Declaration(count=8, line=1, phrase='ocho primeras reuniones')
    """
    for lineno, line in enumerate(lines, 1):
        for m in _DECLARED_MEETINGS_RE.finditer(line):
            count = cardinal_value(m["count"])
            if count:
                return Declaration(count, lineno, m.group()[m.start("count") - m.start():])
    return None


def ending_problem(raw: str, what: str, *, last: bool, announces: str = "items") -> str | None:
    """Why the text ``raw`` of a unit cannot end where it does, or ``None`` when it can.

    A unit ends a sentence (``.``). An item that another item follows
    (``last=False``) may end with ``;``. A text that ends with ``:`` announces
    ``announces`` that are not there (the caller has checked that none
    followed), and one that ends with neither was cut mid-sentence.
    """
    text = clean_text(raw)
    if _TERMINAL_RE.search(text) or (text.endswith(";") and not last):
        return None
    if text.endswith(";"):
        return f"{what} ends with ';' and nothing follows it: the list's next item is missing"
    if text.endswith(":"):
        return f"{what} ends with ':' but the {announces} it announces do not follow"
    return (
        f"{what} ends mid-sentence ('…{text[-40:]}'): the rest of its text is missing "
        "(a deleted line, or the file cut here)"
    )


def merged_label(text: str, expected: Sequence[str]) -> str | None:
    """The item marker of ``expected`` that stands inside ``text`` after a ``;`` or ``:``, if any.

    Such a line is two lines run together: ``a) tipificar ...; - b) promulgar ...``.

    >>> merged_label("a) tipificar como delito la trata; - b) promulgar leyes.", ["b", "i"])
    'b'
    """
    for m in _INLINE_LABEL_RE.finditer(text):
        if m["label"] in expected:
            return m["label"]
    return None


def glued_marker(line: str) -> str | None:
    """A hint when ``line`` starts with an item marker or paragraph number not followed by a space.

    >>> glued_marker("j)tener en cuenta")
    "it starts with the item marker 'j)' without a space after it (write 'j) ...')"
    >>> glued_marker("12.Los Estados partes")
    "it starts with the paragraph number '12.' without a space after it (write '12. ...')"
    """
    if m := _GLUED_LABEL_RE.match(line):
        return f"it starts with the item marker '{m['label']})' without a space after it (write '{m['label']}) ...')"
    if m := _GLUED_NUMBER_RE.match(line):
        return f"it starts with the paragraph number '{m['num']}.' without a space after it (write '{m['num']}. ...')"
    return None


def invisible_start(line: str) -> str | None:
    """A hint when ``line`` starts with an invisible character (zero-width space, byte-order mark ...).

    >>> invisible_start("\\u200b1. Los Estados partes")
    'it starts with the invisible character U+200B (ZERO WIDTH SPACE); delete it'
    """
    if line and unicodedata.category(line[0]) in ("Cf", "Cc", "Co", "Cn"):
        name = unicodedata.name(line[0], "no name")
        return f"it starts with the invisible character U+{ord(line[0]):04X} ({name}); delete it"
    return None

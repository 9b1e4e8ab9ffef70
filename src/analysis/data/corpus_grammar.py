"""The document's grammar: its vocabulary, the errors it raises, text cleaning and dates.

The language-specific parts of the parser (month names, ordinal names of
meetings, the ``reunión`` heading) live at the top of this module; the line
grammar that uses them is :mod:`analysis.data.corpus_parser`, and the public
entry points are in :mod:`analysis.data.corpus`.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from analysis.data._numerals import MAX_NUMBER, ordinal_names, roman

__all__ = [
    "CorpusError",
    "CorpusWarning",
    "LINE_ROLES",
    "MONTHS",
    "ORDINALS",
    "ROMAN",
    "SOURCE_TITLE",
    "SUPERSCRIPTS",
    "clean_text",
    "footnote_markers",
    "parse_spanish_dates",
    "prepare_text",
    "split_lines",
]

# --------------------------------------------------------------------------- #
# Vocabulary of the document
# --------------------------------------------------------------------------- #

#: Meeting numbers as headings write them: ``ROMAN[n - 1]`` for meeting ``n`` (generated to 99).
ROMAN = tuple(roman(n) for n in range(1, MAX_NUMBER + 1))
ROMAN_LOWER = tuple(r.lower() for r in ROMAN)
#: The usual ordinal name of meeting ``n`` is ``ORDINALS[n - 1]``; every accepted
#: spelling ("Undécima" or "Decimoprimera") is in ``ordinal_names(n)``.
ORDINALS = tuple(ordinal_names(n)[0] for n in range(1, MAX_NUMBER + 1))
MONTHS = {
    "enero": 1, "febrero": 2, "marzo": 3, "abril": 4, "mayo": 5, "junio": 6,
    "julio": 7, "agosto": 8, "septiembre": 9, "setiembre": 9, "octubre": 10,
    "noviembre": 11, "diciembre": 12,
}
SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
#: Years a meeting date may have: from the founding of the United Nations to the end of the century.
YEARS = range(1945, 2100)
#: "en sus ocho primeras reuniones": how the front matter declares how many meetings the document holds.
_DECLARED_MEETINGS_RE = re.compile(r"\ben\s+sus\s+(?P<count>[\w ]+?)\s+primeras\s+reuniones\b", re.IGNORECASE)

#: How the source document is cited.
SOURCE_TITLE = (
    "Secretariat background paper, Recomendaciones aprobadas por el Grupo de Trabajo sobre la Trata "
    "de Personas en sus ocho primeras reuniones (Vienna, 2019; CTOC/COP/WG.4)"
)
_SUPERSCRIPT_TO_DIGIT = str.maketrans(SUPERSCRIPTS, "0123456789")

#: Every role a line of the source can play. Each line gets exactly one.
LINE_ROLES = (
    "blank",            # empty or white space only
    "front_matter",     # before the first meeting heading
    "meeting_heading",  # "I. Primera reunión: Viena, 14 y 15 de abril de 2009"
    "meeting_note",     # prose under a heading that is not a recommendation
    "paragraph",        # "12. Respecto de ..." : opens a numbered paragraph
    "item",             # "a) ..." : a lettered item of the current paragraph
    "subitem",          # "ii) ..." : a roman sub-item of the current item
    "continuation",     # text that goes on after a page break or footnotes
    "footnote",         # "³ E/2002/68/Add.1." : a footnote's text
)

_HEADING_RE = re.compile(
    r"^(?P<roman>[IVXLC]+)\.\s+(?P<ordinal>\w+(?:\s+\w+)?)\s+reunión\s*:\s*(?P<city>[^,]+),\s*(?P<dates>.+?)\s*$"
)
_PARAGRAPH_RE = re.compile(r"^(?P<num>\d+)\.\s+(?P<text>\S.*)$")
_LABEL_RE = re.compile(r"^(?:-\s+)?(?P<label>[a-z]{1,4})\)\s+(?P<text>\S.*)$")
_FOOTNOTE_RE = re.compile(rf"^(?P<num>[{SUPERSCRIPTS}]+)\s+(?P<text>\S.*)$")
_MARKER_RE = re.compile(rf"[{SUPERSCRIPTS}]+")
_LINK_RE = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_EMPHASIS_RE = re.compile(r"(?<![\w*])\*(?!\s)([^*]+?)(?<!\s)\*(?![\w*])")
_SPACES_RE = re.compile(r"\s+")
_DATE_RE = re.compile(
    r"^(?:del\s+)?(?P<d1>\d{1,2})(?:\s+de\s+(?P<m1>[a-záéíóú]+)(?:\s+de\s+(?P<y1>\d{4}))?)?"
    r"(?:\s+(?:y|a|al)\s+(?P<d2>\d{1,2})(?:\s+de\s+(?P<m2>[a-záéíóú]+))?)?"
    r"\s+de\s+(?P<y2>\d{4})$"
)
_INLINE_DATE_RE = re.compile(r"\b(\d{1,2}) de ([a-záéíóú]+) de (\d{4})\b")
#: The only line breaks: an editor's and ``grep -n``'s (not ``\f``, ``\v``, U+0085, U+2028 ...).
_LINE_BREAK_RE = re.compile(r"\r\n|\r|\n")


class _Located:
    """A message that names the file and the 1-based line (where there is one); the parts are kept as attributes."""

    def __init__(self, message: str, *, source: str = "<string>", line: int | None = None) -> None:
        self.source = source
        self.line = line
        self.reason = message
        where = f"{source}, line {line}" if line is not None else source
        super().__init__(f"{where}: {message}")


class CorpusError(_Located, ValueError):
    """The source text breaks the document's rules.

    The message names the file, the 1-based line number (where there is one)
    and what was expected; the parts are also kept as attributes
    (``source``, ``line``, ``reason``).
    """


class CorpusWarning(_Located, UserWarning):
    """The document may legitimately be partial, and something it declares is missing.

    For example, a front matter that speaks of "ocho primeras reuniones" over
    a text with four meeting headings: the file may have been cut. The
    message names the file and the last line read, as :class:`CorpusError`'s
    does. Turn it into an error with
    ``warnings.simplefilter("error", CorpusWarning)``.
    """


# --------------------------------------------------------------------------- #
# Lines
# --------------------------------------------------------------------------- #


def prepare_text(text: str) -> str:
    r"""``text`` as the parser reads it: Unicode NFC, without a leading byte-order mark.

    A file saved with decomposed accents (NFD) then parses exactly as the
    same file in NFC.

    >>> prepare_text("\ufeffreunio\u0301n") == "reunión"
    True
    """
    return unicodedata.normalize("NFC", text.removeprefix("\ufeff"))


def split_lines(text: str) -> list[str]:
    r"""The lines of ``text``, split only at ``\n``, ``\r\n`` and ``\r``, as an editor and ``grep -n`` count them.

    Unlike :meth:`str.splitlines`, a form feed (page-break residue of PDF
    extraction), ``\v``, ``\x1c``-``\x1e``, U+0085, U+2028 and U+2029 stay
    inside their line, so line numbers match the file's.

    >>> split_lines("a\fb\r\nc\rd\n")
    ['a\x0cb', 'c', 'd']
    """
    lines = _LINE_BREAK_RE.split(text)
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def line_of_offset(data: bytes | str, offset: int) -> int:
    """The 1-based line (see :func:`split_lines`) that holds position ``offset`` of ``data``."""
    head = data[:offset]
    if isinstance(head, bytes):
        head = head.decode("latin-1")  # one character per byte: only the line breaks matter
    return len(_LINE_BREAK_RE.findall(head)) + 1


# --------------------------------------------------------------------------- #
# Text cleaning
# --------------------------------------------------------------------------- #


def clean_text(raw: str) -> str:
    """Return ``raw`` as clean display text.

    Markdown links keep their label, ``*emphasis*`` loses its asterisks,
    superscript footnote markers go, white space is folded to single spaces and
    the result is Unicode NFC.

    Examples
    --------
    >>> clean_text("el *Informe Mundial*³ ([CTOC/COP/WG.4/2019/4](#))  ")
    'el Informe Mundial (CTOC/COP/WG.4/2019/4)'
    """
    text = unicodedata.normalize("NFC", raw)
    if any(ch in text for ch in SUPERSCRIPTS):
        text = _MARKER_RE.sub("", text)
    if "](" in text:
        text = _LINK_RE.sub(r"\1", text)
    if "*" in text:
        text = _EMPHASIS_RE.sub(r"\1", text)
    return _SPACES_RE.sub(" ", text).strip()


def footnote_markers(raw: str) -> list[int]:
    """Footnote numbers cited by superscript markers in ``raw``, in order.

    >>> footnote_markers("Transnacional¹, y el Protocolo²")
    [1, 2]
    """
    return [int(m.group().translate(_SUPERSCRIPT_TO_DIGIT)) for m in _MARKER_RE.finditer(raw)]


def _join(parts: list[str]) -> str:
    return _SPACES_RE.sub(" ", " ".join(p.strip() for p in parts if p.strip())).strip()


def parse_spanish_dates(text: str, *, source: str = "<string>", line: int | None = None) -> tuple[dt.date, dt.date]:
    """Parse a Spanish date or date range into ``(start, end)``.

    Handles "19 de octubre de 2010", "14 y 15 de abril de 2009",
    "27 a 29 de enero de 2010" and "30 de noviembre a 2 de diciembre de 2015".

    >>> parse_spanish_dates("27 a 29 de enero de 2010")
    (datetime.date(2010, 1, 27), datetime.date(2010, 1, 29))

    Raises
    ------
    CorpusError
        Naming ``source`` and ``line``, for dates it cannot read, a day the
        month does not have, a year outside :data:`YEARS`, or an end before
        the start ("14 y 05 de abril de 2009").
    """
    match = _DATE_RE.match(text.strip().lower())
    if not match:
        raise CorpusError(f"cannot read the meeting dates {text!r}; expected e.g. '14 y 15 de abril de 2009'", source=source, line=line)
    g = match.groupdict()
    year_end = int(g["y2"])
    month_last = g["m2"] or g["m1"]
    # "19 de octubre de 2010": the single month was captured as m1 with no second day
    if g["d2"] is None:
        month_last = g["m1"]
    try:
        if g["d2"] is None:
            if month_last is None:
                raise KeyError(text)
            day = dt.date(year_end, MONTHS[month_last], int(g["d1"]))
            return day, day
        end = dt.date(year_end, MONTHS[month_last], int(g["d2"]))
        start_month = MONTHS[g["m1"]] if g["m1"] else end.month
        start_year = int(g["y1"]) if g["y1"] else (year_end if start_month <= end.month else year_end - 1)
        start = dt.date(start_year, start_month, int(g["d1"]))
    except (KeyError, ValueError) as err:
        raise CorpusError(f"cannot read the meeting dates {text!r} ({err})", source=source, line=line) from None
    for year in {start.year, end.year}:
        if year not in YEARS:
            raise CorpusError(
                f"the meeting dates {text!r} give the year {year:04d}; expected a year from {YEARS[0]} to {YEARS[-1]}",
                source=source, line=line,
            )
    if end < start:
        raise CorpusError(
            f"the meeting dates {text!r} end ({end}) before they start ({start})", source=source, line=line
        )
    return start, end


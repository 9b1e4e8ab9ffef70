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

__all__ = [
    "CorpusError",
    "LINE_ROLES",
    "MONTHS",
    "ORDINALS",
    "ROMAN",
    "SOURCE_TITLE",
    "SUPERSCRIPTS",
    "clean_text",
    "footnote_markers",
    "parse_spanish_dates",
]

# --------------------------------------------------------------------------- #
# Vocabulary of the document
# --------------------------------------------------------------------------- #

ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")
ROMAN_LOWER = tuple(r.lower() for r in ROMAN)
ORDINALS = (
    "Primera", "Segunda", "Tercera", "Cuarta", "Quinta", "Sexta",
    "Séptima", "Octava", "Novena", "Décima", "Undécima", "Duodécima",
)
MONTHS = {
    "enero": 1, "febrero": 2, "marzo": 3, "abril": 4, "mayo": 5, "junio": 6,
    "julio": 7, "agosto": 8, "septiembre": 9, "setiembre": 9, "octubre": 10,
    "noviembre": 11, "diciembre": 12,
}
SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"

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
    r"^(?P<roman>[IVXL]+)\.\s+(?P<ordinal>\w+)\s+reunión\s*:\s*(?P<city>[^,]+),\s*(?P<dates>.+?)\s*$"
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


class CorpusError(ValueError):
    """The source text breaks the document's rules.

    The message names the file, the 1-based line number (where there is one)
    and what was expected; the parts are also kept as attributes.
    """

    def __init__(self, message: str, *, source: str = "<string>", line: int | None = None) -> None:
        self.source = source
        self.line = line
        self.reason = message
        where = f"{source}, line {line}" if line is not None else source
        super().__init__(f"{where}: {message}")


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
    return start, end


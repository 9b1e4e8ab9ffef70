"""The line grammar of the document: a state machine that reads it line by line.

:class:`_Parser` gives every line of the source one role (see
:data:`~analysis.data.corpus_grammar.LINE_ROLES`) and builds the intermediate
structures (meetings, paragraphs, items, sub-items, footnotes) that
:mod:`analysis.data.corpus` turns into tables. It raises
:class:`~analysis.data.corpus_grammar.CorpusError`, naming the file and the
line, when the text breaks the document's rules.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from analysis.data.corpus_grammar import (
    _FOOTNOTE_RE,
    _HEADING_RE,
    _LABEL_RE,
    _PARAGRAPH_RE,
    _SUPERSCRIPT_TO_DIGIT,
    ORDINALS,
    ROMAN,
    ROMAN_LOWER,
    CorpusError,
    _join,
    parse_spanish_dates,
)

# --------------------------------------------------------------------------- #
# Intermediate structures
# --------------------------------------------------------------------------- #


@dataclass
class _Subitem:
    label: str
    parts: list[str]
    first_line: int
    last_line: int


@dataclass
class _Item:
    letter: str
    parts: list[str]
    first_line: int
    last_line: int
    subitems: list[_Subitem] = field(default_factory=list)


@dataclass
class _Paragraph:
    meeting: int
    number: int
    lead_parts: list[str]
    first_line: int
    last_line: int
    items: list[_Item] = field(default_factory=list)


@dataclass
class _Meeting:
    number: int
    roman: str
    ordinal: str
    city: str
    dates_text: str
    start: dt.date
    end: dt.date
    line: int
    note_parts: list[str] = field(default_factory=list)
    paragraphs: list[_Paragraph] = field(default_factory=list)



# --------------------------------------------------------------------------- #
# The parser
# --------------------------------------------------------------------------- #


class _Parser:
    """Line-by-line state machine; see :func:`parse`."""

    def __init__(self, text: str, source: str) -> None:
        self.source = source
        self.raw_lines = text.splitlines()
        self.meetings: list[_Meeting] = []
        self.footnotes: dict[int, tuple[str, int]] = {}
        self.roles: list[tuple[int, str, int | None, str | None]] = []
        self.paragraph: _Paragraph | None = None
        self.item: _Item | None = None
        self.subitem: _Subitem | None = None
        self.last_footnote: int = 0

    # -- helpers ----------------------------------------------------------- #
    def error(self, message: str, line: int | None = None) -> CorpusError:
        return CorpusError(message, source=self.source, line=line)

    def record(self, lineno: int, role: str, rec_id: str | None = None) -> None:
        meeting = self.meetings[-1].number if self.meetings else None
        self.roles.append((lineno, role, meeting, rec_id))

    def current_rec_id(self) -> str | None:
        p, it = self.paragraph, self.item
        if p is None:
            return None
        if it is None:
            return f"{p.meeting}.{p.number}"
        return f"{p.meeting}.{p.number}.{it.letter}"

    # -- main loop --------------------------------------------------------- #
    def run(self) -> None:
        first_heading = next(
            (i for i, line in enumerate(self.raw_lines, 1) if _HEADING_RE.match(line.strip())), None
        )
        if first_heading is None:
            raise self.error(
                "no meeting headings found; expected lines such as "
                "'I. Primera reunión: Viena, 14 y 15 de abril de 2009'"
            )
        for lineno, raw in enumerate(self.raw_lines, 1):
            line = raw.strip()
            if not line:
                self.record(lineno, "blank")
            elif lineno < first_heading:
                self.record(lineno, "front_matter")
            else:
                self.line(lineno, line)
        self.close_meeting()

    def line(self, lineno: int, line: str) -> None:
        if m := _HEADING_RE.match(line):
            self.heading(lineno, m)
        elif m := _FOOTNOTE_RE.match(line):
            self.footnote(lineno, m)
        elif m := _PARAGRAPH_RE.match(line):
            self.new_paragraph(lineno, m)
        elif m := _LABEL_RE.match(line):
            self.label(lineno, m)
        elif line[0].islower():
            self.continuation(lineno, line)
        elif self.meetings and not self.meetings[-1].paragraphs:
            self.meetings[-1].note_parts.append(line)
            self.record(lineno, "meeting_note")
        else:
            raise self.error(
                f"unexpected line {line[:60]!r}; expected a numbered paragraph ('12. ...'), "
                "a lettered item ('a) ...'), a roman sub-item ('ii) ...'), a footnote ('³ ...'), "
                "a meeting heading or a lowercase continuation of the text above",
                lineno,
            )

    def heading(self, lineno: int, m: re.Match[str]) -> None:
        roman, ordinal = m["roman"], m["ordinal"]
        expected = len(self.meetings) + 1
        if roman not in ROMAN or ROMAN.index(roman) + 1 != expected:
            raise self.error(
                f"meeting heading {roman!r} out of order; expected {ROMAN[expected - 1]!r} (meeting {expected})",
                lineno,
            )
        if ordinal.lower() != ORDINALS[expected - 1].lower():
            raise self.error(
                f"meeting {roman} is called {ordinal!r}; expected {ORDINALS[expected - 1]!r}", lineno
            )
        self.close_meeting()
        start, end = parse_spanish_dates(m["dates"], source=self.source, line=lineno)
        if self.meetings and start < self.meetings[-1].start:
            raise self.error(f"meeting {roman} starts on {start}, before the meeting above it", lineno)
        self.meetings.append(
            _Meeting(expected, roman, f"{ordinal} reunión", m["city"].strip(), m["dates"], start, end, lineno)
        )
        self.record(lineno, "meeting_heading")

    def close_meeting(self) -> None:
        self.close_paragraph()

    def close_paragraph(self) -> None:
        self.paragraph = None
        self.item = None
        self.subitem = None

    def new_paragraph(self, lineno: int, m: re.Match[str]) -> None:
        if not self.meetings:  # pragma: no cover - guarded by run()
            raise self.error("a numbered paragraph before any meeting heading", lineno)
        meeting = self.meetings[-1]
        number = int(m["num"])
        expected = len(meeting.paragraphs) + 1
        if number != expected:
            raise self.error(
                f"paragraph {number} of meeting {meeting.roman} is out of sequence; expected paragraph {expected}",
                lineno,
            )
        self.close_paragraph()
        self.paragraph = _Paragraph(meeting.number, number, [m["text"]], lineno, lineno)
        meeting.paragraphs.append(self.paragraph)
        self.record(lineno, "paragraph", self.current_rec_id())

    def label(self, lineno: int, m: re.Match[str]) -> None:
        label, text = m["label"], m["text"]
        p = self.paragraph
        if p is None:
            raise self.error(f"item '{label})' outside a numbered paragraph", lineno)
        next_letter = chr(ord(p.items[-1].letter) + 1) if p.items else "a"
        it = self.item
        # Roman sub-items open after an item that ends with ':' and run i, ii, iii ...
        next_roman = None
        if it is not None:
            if it.subitems:
                n = len(it.subitems)
                next_roman = ROMAN_LOWER[n] if n < len(ROMAN_LOWER) else None
            elif _join(it.parts).endswith(":"):
                next_roman = "i"
        if label == next_roman:
            # "i)" is both the ninth letter and the first roman numeral: after an
            # item that opens a list with ':' it is a sub-item; otherwise a letter.
            sub = _Subitem(label, [text], lineno, lineno)
            it.subitems.append(sub)  # type: ignore[union-attr]
            self.subitem = sub
            it.last_line = p.last_line = lineno  # type: ignore[union-attr]
            self.record(lineno, "subitem", self.current_rec_id())
            return
        if label == next_letter:
            if p.items == [] and not _join(p.lead_parts):
                raise self.error(f"item '{label})' has no lead-in sentence", lineno)
            self.item = _Item(label, [text], lineno, lineno)
            self.subitem = None
            p.items.append(self.item)
            p.last_line = lineno
            self.record(lineno, "item", self.current_rec_id())
            return
        expected = f"'{next_letter})'" + (f" or sub-item '{next_roman})'" if next_roman else "")
        raise self.error(
            f"item '{label})' of paragraph {p.meeting}.{p.number} is out of sequence; expected {expected}",
            lineno,
        )

    def continuation(self, lineno: int, line: str) -> None:
        p = self.paragraph
        if p is None:
            raise self.error(
                f"text {line[:60]!r} continues nothing: no paragraph is open (it starts in lowercase)", lineno
            )
        target = self.subitem.parts if self.subitem else self.item.parts if self.item else p.lead_parts
        target.append(line)
        for obj in (self.subitem, self.item, p):
            if obj is not None:
                obj.last_line = lineno
        self.record(lineno, "continuation", self.current_rec_id())

    def footnote(self, lineno: int, m: re.Match[str]) -> None:
        number = int(m["num"].translate(_SUPERSCRIPT_TO_DIGIT))
        if number != self.last_footnote + 1:
            raise self.error(f"footnote {number} is out of sequence; expected footnote {self.last_footnote + 1}", lineno)
        self.last_footnote = number
        self.footnotes[number] = (m["text"], lineno)
        self.record(lineno, "footnote")


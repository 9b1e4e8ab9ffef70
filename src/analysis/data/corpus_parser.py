"""The line grammar of the document: a state machine that reads it line by line.

:class:`_Parser` gives every line of the source one role (see
:data:`~analysis.data.corpus_grammar.LINE_ROLES`) and builds the intermediate
structures (meetings, paragraphs, items, sub-items, footnotes) that
:mod:`analysis.data.corpus` turns into tables. It raises
:class:`~analysis.data.corpus_grammar.CorpusError`, naming the file and the
line, when the text breaks the document's rules, and collects a
:class:`~analysis.data.corpus_grammar.CorpusWarning` where the document may
legitimately be partial (fewer meetings than its front matter declares).
Checks beyond the order of numbers are in :mod:`analysis.data.corpus_checks`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from analysis.data._numerals import MAX_NUMBER, ordinal_names
from analysis.data.corpus_checks import (
    Declaration,
    declared_meetings,
    ending_problem,
    glued_marker,
    invisible_start,
    merged_label,
)
from analysis.data.corpus_grammar import (
    _FOOTNOTE_RE,
    _HEADING_RE,
    _LABEL_RE,
    _PARAGRAPH_RE,
    _SUPERSCRIPT_TO_DIGIT,
    ROMAN,
    ROMAN_LOWER,
    CorpusError,
    CorpusWarning,
    _join,
    clean_text,
    footnote_markers,
    parse_spanish_dates,
    split_lines,
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

#: Roles of the lines whose footnote markers count as citations.
_CITING_ROLES = frozenset({"paragraph", "item", "subitem", "continuation"})


class _Parser:
    """Line-by-line state machine; see :func:`analysis.data.corpus.parse`.

    ``text`` is read as :func:`~analysis.data.corpus_grammar.prepare_text` gives it.
    """

    def __init__(self, text: str, source: str) -> None:
        self.source = source
        self.raw_lines = split_lines(text)
        self.meetings: list[_Meeting] = []
        self.footnotes: dict[int, tuple[str, int]] = {}
        self.marker_lines: dict[int, int] = {}  # footnote number -> first line that cites it
        self.roles: list[tuple[int, str, int | None, str | None]] = []
        self.warnings: list[CorpusWarning] = []
        self.paragraph: _Paragraph | None = None
        self.item: _Item | None = None
        self.subitem: _Subitem | None = None
        self.last_footnote: int = 0
        self.declared: Declaration | None = None

    # -- helpers ----------------------------------------------------------- #
    def error(self, message: str, line: int | None = None) -> CorpusError:
        return CorpusError(message, source=self.source, line=line)

    def record(self, lineno: int, role: str, rec_id: str | None = None, text: str = "") -> None:
        meeting = self.meetings[-1].number if self.meetings else None
        self.roles.append((lineno, role, meeting, rec_id))
        if role in _CITING_ROLES:
            for number in footnote_markers(text):
                self.marker_lines.setdefault(number, lineno)

    def current_rec_id(self) -> str | None:
        p, it = self.paragraph, self.item
        if p is None:
            return None
        if it is None:
            return f"{p.meeting}.{p.number}"
        return f"{p.meeting}.{p.number}.{it.letter}"

    def next_letter(self) -> str:
        p = self.paragraph
        return chr(ord(p.items[-1].letter) + 1) if p is not None and p.items else "a"

    # -- main loop --------------------------------------------------------- #
    def run(self) -> None:
        first_heading = next(
            (i for i, line in enumerate(self.raw_lines, 1) if _HEADING_RE.match(line.strip())), None
        )
        if first_heading is None:
            raise self.error(
                "no meeting headings found up to the end of the document; expected lines such as "
                "'I. Primera reunión: Viena, 14 y 15 de abril de 2009'",
                max(len(self.raw_lines), 1),
            )
        self.declared = declared_meetings(self.raw_lines[: first_heading - 1])
        for lineno, raw in enumerate(self.raw_lines, 1):
            line = raw.strip()
            if not line:
                self.record(lineno, "blank")
            elif lineno < first_heading:
                self.record(lineno, "front_matter")
            else:
                self.line(lineno, line)
        self.close_meeting()
        self.check_meeting_count()

    def line(self, lineno: int, line: str) -> None:
        if hint := invisible_start(line):
            raise self.error(f"line {line[:60]!r} fits no rule: {hint}", lineno)
        if m := _HEADING_RE.match(line):
            self.heading(lineno, m)
        elif m := _FOOTNOTE_RE.match(line):
            self.footnote(lineno, m)
        elif m := _PARAGRAPH_RE.match(line):
            self.new_paragraph(lineno, m)
            self.check_merged(lineno, line)
        elif m := _LABEL_RE.match(line):
            self.label(lineno, m)
            self.check_merged(lineno, m["text"])
        elif line[0].islower():
            self.continuation(lineno, line)
            self.check_merged(lineno, line)
        elif hint := glued_marker(line):
            raise self.error(f"line {line[:60]!r} fits no rule: {hint}", lineno)
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
        roman, ordinal = m["roman"], " ".join(m["ordinal"].split())
        expected = len(self.meetings) + 1
        if expected > MAX_NUMBER:
            raise self.error(f"meeting {roman}: the parser knows the names of meetings 1 to {MAX_NUMBER} only", lineno)
        if self.declared is not None and expected > self.declared.count:
            raise self.error(
                f"meeting heading {roman!r} is meeting {expected}, but the front matter declares "
                f"{self.declared.count} (line {self.declared.line}: {self.declared.phrase!r})",
                lineno,
            )
        if roman != ROMAN[expected - 1]:
            raise self.error(
                f"meeting heading {roman!r} out of order; expected {ROMAN[expected - 1]!r} (meeting {expected})",
                lineno,
            )
        names = ordinal_names(expected)
        if ordinal.lower() not in {name.lower() for name in names}:
            raise self.error(f"meeting {roman} is called {ordinal!r}; expected {names[0]!r}", lineno)
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
        if self.meetings and not self.meetings[-1].paragraphs and not self.meetings[-1].note_parts:
            meeting = self.meetings[-1]
            raise self.error(
                f"meeting {meeting.roman} has neither a numbered paragraph nor a note under its heading: "
                "its text is missing (the file may be cut here)",
                meeting.line,
            )

    def close_paragraph(self) -> None:
        p = self.paragraph
        if p is not None:
            if p.items:
                self.check_item_end(p.items[-1], last=True)
            elif problem := ending_problem(
                _join(p.lead_parts), f"paragraph {p.meeting}.{p.number}", last=True, announces="lettered items ('a) ...')"
            ):
                raise self.error(problem, p.last_line)
        self.paragraph = None
        self.item = None
        self.subitem = None

    def check_item_end(self, it: _Item, *, last: bool) -> None:
        """The item (or its last sub-item) ends as its place in the list requires."""
        p = self.paragraph
        rec_id = f"{p.meeting}.{p.number}.{it.letter}" if p is not None else it.letter
        if it.subitems:
            sub = it.subitems[-1]
            problem = ending_problem(_join(sub.parts), f"sub-item {rec_id} {sub.label})", last=last)
        else:
            problem = ending_problem(
                _join(it.parts), f"item {rec_id}", last=last, announces="sub-items ('i) ...')"
            )
        if problem:
            raise self.error(problem, it.last_line)

    def check_merged(self, lineno: int, text: str) -> None:
        """Two lines run together: an item marker the list expects next stands inside ``text``."""
        if self.paragraph is not None and (label := merged_label(text, [self.next_letter(), "i"])):
            raise self.error(
                f"item '{label})' stands inside the text of {self.current_rec_id()}: "
                f"a line break before '{label})' is missing",
                lineno,
            )

    def check_meeting_count(self) -> None:
        declared = self.declared
        if declared is not None and len(self.meetings) < declared.count:
            last = max((line for line, role, *_ in self.roles if role != "blank"), default=1)
            found = ROMAN[0] + (f" to {ROMAN[len(self.meetings) - 1]}" if len(self.meetings) > 1 else "")
            self.warnings.append(CorpusWarning(
                f"{declared.count} meetings expected by the front matter (line {declared.line}: "
                f"{declared.phrase!r}), {len(self.meetings)} found ({found}): meetings "
                f"{ROMAN[len(self.meetings)]} to {ROMAN[declared.count - 1]} are missing; "
                f"the document may be cut after line {last}",
                source=self.source, line=last,
            ))

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
        self.record(lineno, "paragraph", self.current_rec_id(), m["text"])

    def label(self, lineno: int, m: re.Match[str]) -> None:
        label, text = m["label"], m["text"]
        p = self.paragraph
        if p is None:
            raise self.error(f"item '{label})' outside a numbered paragraph", lineno)
        next_letter = self.next_letter()
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
            if it.subitems:  # type: ignore[union-attr]
                previous = it.subitems[-1]  # type: ignore[union-attr]
                where = f"sub-item {self.current_rec_id()} {previous.label})"
                if problem := ending_problem(_join(previous.parts), where, last=False):
                    raise self.error(problem, previous.last_line)
            sub = _Subitem(label, [text], lineno, lineno)
            it.subitems.append(sub)  # type: ignore[union-attr]
            self.subitem = sub
            it.last_line = p.last_line = lineno  # type: ignore[union-attr]
            self.record(lineno, "subitem", self.current_rec_id(), text)
            return
        if label == next_letter:
            if not p.items:
                lead = clean_text(_join(p.lead_parts))
                if not lead:
                    raise self.error(f"item '{label})' has no lead-in sentence", lineno)
                if not lead.endswith(":"):
                    raise self.error(
                        f"item '{label})' follows paragraph {p.meeting}.{p.number}, whose text does not end "
                        f"with ':' as the lead-in of a list does: the line that opens the items' own "
                        f"paragraph ('{p.number + 1}. ...:') may be missing",
                        lineno,
                    )
            else:
                self.check_item_end(p.items[-1], last=False)
            self.item = _Item(label, [text], lineno, lineno)
            self.subitem = None
            p.items.append(self.item)
            p.last_line = lineno
            self.record(lineno, "item", self.current_rec_id(), text)
            return
        expected = f"'{next_letter})'" + (f" or sub-item '{next_roman})'" if next_roman else "")
        hint = ""
        if label == "a" and p.items:
            hint = (
                f"; a new list starts under paragraph {p.meeting}.{p.number}, which already has one: "
                f"the line that opens the next paragraph ('{p.number + 1}. ...:') may be missing"
            )
        raise self.error(
            f"item '{label})' of paragraph {p.meeting}.{p.number} is out of sequence; expected {expected}{hint}",
            lineno,
        )

    def continuation(self, lineno: int, line: str) -> None:
        if hint := glued_marker(line):
            raise self.error(f"line {line[:60]!r} fits no rule: {hint}", lineno)
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
        self.record(lineno, "continuation", self.current_rec_id(), line)

    def footnote(self, lineno: int, m: re.Match[str]) -> None:
        number = int(m["num"].translate(_SUPERSCRIPT_TO_DIGIT))
        if number != self.last_footnote + 1:
            raise self.error(f"footnote {number} is out of sequence; expected footnote {self.last_footnote + 1}", lineno)
        self.last_footnote = number
        self.footnotes[number] = (m["text"], lineno)
        self.record(lineno, "footnote")

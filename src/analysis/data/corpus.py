"""Parse the recommendations document into tidy pandas DataFrames.

The source is the Spanish edition of the Secretariat's 2019 background paper
"Recomendaciones aprobadas por el Grupo de Trabajo sobre la Trata de Personas
en sus ocho primeras reuniones", extracted to Markdown-like text. Its shape::

    <front matter: title, symbol, introduction>
    I. Primera reunión: Viena, 14 y 15 de abril de 2009
    1. Respecto de ..., el Grupo de Trabajo recomendó que ...
    5. Los Estados partes deberían:
     - a) tipificar como delito ...;
    ¹ Naciones Unidas, *Treaty Series*, vol. 2237, núm. 39574.      <- footnote
    d) explorar ...                                                  <- item after a page break
    utilizar instrumentos de asistencia técnica ...                  <- continuation line
    i) disposiciones que permitan ...                                <- roman sub-item

:func:`parse` turns such a text into a :class:`Corpus`, which accounts for
every line of the source (see :attr:`Corpus.lines`) and raises
:class:`CorpusError`, naming the file and line, when the text breaks the
document's rules. :func:`load_corpus` and :func:`load_recommendations` read the
bundled raw file.

Examples
--------
>>> corpus = parse('''I. Primera reunión: Viena, 14 y 15 de abril de 2009
... 1. Los Estados partes deberían:
... a) tipificar como delito la trata;
... b) proteger a las víctimas.
... ''')
>>> corpus.recommendations[["rec_id", "text"]].to_numpy().tolist()
[['1.1.a', 'tipificar como delito la trata;'], ['1.1.b', 'proteger a las víctimas.']]

Layout: the document's vocabulary, errors, text cleaning and dates are in
:mod:`analysis.data.corpus_grammar`; the line-by-line state machine in
:mod:`analysis.data.corpus_parser`; this module builds the :class:`Corpus`
tables and holds the entry points. The grammar's public names
(:class:`CorpusError`, :func:`clean_text`, :func:`parse_spanish_dates` ...)
can be imported from here too.
"""

from __future__ import annotations

import datetime as dt
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import pandas as pd

from analysis.data.corpus_grammar import (
    _INLINE_DATE_RE,
    LINE_ROLES,
    MONTHS,
    ROMAN,
    SOURCE_TITLE,
    CorpusError,
    CorpusWarning,
    _join,
    clean_text,
    footnote_markers,
    line_of_offset,
    prepare_text,
)
from analysis.data.corpus_grammar import ORDINALS, SUPERSCRIPTS, parse_spanish_dates  # noqa: F401 - importable here too
from analysis.data.corpus_parser import _Item, _Meeting, _Parser
from analysis.data.paths import RAW_CORPUS, display_path

__all__ = [
    "Corpus",
    "CorpusError",
    "CorpusWarning",
    "LINE_ROLES",
    "decode_text",
    "load_corpus",
    "load_recommendations",
    "meeting_label",
    "parse",
    "read_text",
]


@dataclass(frozen=True)
class Corpus:
    """The parsed document as tidy DataFrames.

    Attributes
    ----------
    meetings : DataFrame
        One row per meeting I to VIII.
    recommendations : DataFrame
        One row per recommendation unit: a numbered paragraph without lettered
        items, or one lettered item (with its paragraph's ``lead_in``).
    paragraphs : DataFrame
        One row per numbered paragraph with its whole text, items included.
    subitems : DataFrame
        One row per roman sub-item, linked to its unit by ``rec_id``.
    footnotes : DataFrame
        One row per footnote: number, text, the line it stands on and the
        ``rec_id`` of the units (or paragraphs) that cite it.
    lines : DataFrame
        One row per line of the source: its role (see :data:`LINE_ROLES`),
        the meeting and the ``rec_id`` it belongs to.
    source : str
        Where the text came from (a path or ``"<string>"``).
    """

    meetings: pd.DataFrame
    recommendations: pd.DataFrame
    paragraphs: pd.DataFrame
    subitems: pd.DataFrame
    footnotes: pd.DataFrame
    lines: pd.DataFrame
    source: str = "<string>"

    def cite(self, rec_id: str) -> str:
        """A citation for one recommendation unit or paragraph, for a report.

        Examples
        --------
        >>> load_corpus().cite("1.7.d")
        'Working Group on Trafficking in Persons, Primera reunión (Viena, 14 y 15 de abril de 2009), recommendation 7 d) [rec_id 1.7.d]. In: Secretariat background paper, Recomendaciones aprobadas por el Grupo de Trabajo sobre la Trata de Personas en sus ocho primeras reuniones (Vienna, 2019; CTOC/COP/WG.4).'
        """
        table = self.recommendations if rec_id.count(".") == 2 else self.paragraphs
        match = table.loc[table["rec_id"] == rec_id]
        if match.empty:
            raise KeyError(f"no recommendation with rec_id {rec_id!r}; rec_ids look like '1.7' or '1.7.d'")
        row = match.iloc[0]
        meeting = self.meetings.loc[self.meetings["meeting"] == row["meeting"]].iloc[0]
        item = row.get("item")
        number = f"{row['paragraph']}" + (f" {item})" if isinstance(item, str) else "")
        proposed = ""
        if pd.notna(row["proposed_meeting"]):
            origin = self.meetings.loc[self.meetings["meeting"] == row["proposed_meeting"]].iloc[0]
            proposed = f", proposed at the {origin['ordinal']} ({origin['dates_text']})"
        return (
            f"Working Group on Trafficking in Persons, {meeting['ordinal']} ({meeting['city']}, "
            f"{meeting['dates_text']}), recommendation {number}{proposed} [rec_id {rec_id}]. "
            f"In: {SOURCE_TITLE}."
        )

    def __repr__(self) -> str:
        return (
            f"Corpus(source={self.source!r}, meetings={len(self.meetings)}, "
            f"paragraphs={len(self.paragraphs)}, recommendations={len(self.recommendations)}, "
            f"footnotes={len(self.footnotes)}, lines={len(self.lines)})"
        )


# --------------------------------------------------------------------------- #
# From parsed structures to DataFrames
# --------------------------------------------------------------------------- #


def _proposed_meeting(lead_in: str, meetings: list[_Meeting], own: int) -> int | None:
    """The meeting at which a paragraph's recommendations were proposed, if not ``own``.

    Paragraph 46 of the fourth meeting says it holds what "el Presidente ...
    había propuesto en la reunión celebrada por el Grupo el 19 de octubre de
    2010": a date that is the start of the third meeting.
    """
    if "propuest" not in lead_in.lower():
        return None
    for d, month, year in _INLINE_DATE_RE.findall(lead_in.lower()):
        if month not in MONTHS:
            continue
        try:
            day = dt.date(int(year), MONTHS[month], int(d))
        except ValueError:
            continue
        for meeting in meetings:
            if meeting.number != own and meeting.start <= day <= meeting.end:
                return meeting.number
    return None


def _item_text(item: _Item) -> str:
    head = _join(item.parts)
    subs = " ".join(f"{s.label}) {_join(s.parts)}" for s in item.subitems)
    return clean_text(f"{head} {subs}")


def _build(parser: _Parser) -> Corpus:
    source = parser.source
    meetings = parser.meetings
    cited: dict[int, list[str]] = {}
    unit_rows: list[dict] = []
    para_rows: list[dict] = []
    sub_rows: list[dict] = []

    def cite(raw_parts: list[str], rec_id: str) -> list[int]:
        numbers = footnote_markers(" ".join(raw_parts))
        for n in numbers:
            cited.setdefault(n, [])
            if rec_id not in cited[n]:
                cited[n].append(rec_id)
        return numbers

    for meeting in meetings:
        for p in meeting.paragraphs:
            para_id = f"{p.meeting}.{p.number}"
            lead_raw = _join(p.lead_parts)
            lead = clean_text(lead_raw)
            proposed = _proposed_meeting(lead, meetings, meeting.number)
            proposed_date = meetings[proposed - 1].start if proposed else None
            base = {
                "meeting": meeting.number,
                "year": meeting.start.year,
                "date": meeting.start,
                "paragraph": p.number,
                "proposed_meeting": proposed,
                "proposed_date": proposed_date,
            }
            lead_notes = footnote_markers(lead_raw)
            para_raw_parts = [lead_raw]
            if not p.items:
                notes = cite([lead_raw], para_id)
                unit_rows.append({
                    "rec_id": para_id, **base, "item": None, "lead_in": None, "text": lead,
                    "subitems": [], "footnote_ids": notes, "first_line": p.first_line, "last_line": p.last_line,
                })
            else:
                for n in lead_notes:
                    cite([lead_raw], para_id)
                for it in p.items:
                    rec_id = f"{para_id}.{it.letter}"
                    raw_parts = it.parts + [x for s in it.subitems for x in s.parts]
                    notes = cite(raw_parts, rec_id)
                    subs = [clean_text(_join(s.parts)) for s in it.subitems]
                    for s, s_text in zip(it.subitems, subs):
                        sub_rows.append({
                            "rec_id": rec_id, "subitem": s.label, "text": s_text,
                            "first_line": s.first_line, "last_line": s.last_line,
                        })
                    unit_rows.append({
                        "rec_id": rec_id, **base, "item": it.letter, "lead_in": lead, "text": _item_text(it),
                        "subitems": subs, "footnote_ids": sorted(set(lead_notes + notes)),
                        "first_line": it.first_line, "last_line": it.last_line,
                    })
                    para_raw_parts.append(f"{it.letter}) " + _join(it.parts))
                    para_raw_parts.extend(f"{s.label}) {_join(s.parts)}" for s in it.subitems)
            para_rows.append({
                "rec_id": para_id, **base, "n_items": len(p.items),
                "text": clean_text(" ".join(para_raw_parts)),
                "footnote_ids": sorted(set(footnote_markers(" ".join(para_raw_parts)))),
                "first_line": p.first_line, "last_line": p.last_line,
            })

    # Every footnote is cited, and every marker has its footnote.
    for number in sorted(cited):
        if number not in parser.footnotes:
            raise CorpusError(
                f"footnote marker {number} cited by {cited[number][0]} has no footnote text",
                source=source, line=parser.marker_lines.get(number),
            )
    for number, (_, lineno) in sorted(parser.footnotes.items()):
        if number not in cited:
            raise CorpusError(f"footnote {number} is never cited in the recommendations", source=source, line=lineno)

    foot_text = {n: clean_text(t) for n, (t, _) in parser.footnotes.items()}
    footnotes = pd.DataFrame(
        {
            "footnote": pd.array(sorted(foot_text), dtype="Int64"),
            "text": pd.array([foot_text[n] for n in sorted(foot_text)], dtype="string"),
            "line": pd.array([parser.footnotes[n][1] for n in sorted(foot_text)], dtype="Int64"),
            "cited_by": pd.array([" ".join(cited[n]) for n in sorted(foot_text)], dtype="string"),
        }
    )

    for row in unit_rows + para_rows:
        ids = row.pop("footnote_ids")
        row["footnotes"] = [foot_text[n] for n in ids]

    recommendations = _typed_units(unit_rows, _UNIT_COLUMNS, n_meetings=len(meetings))
    paragraphs = _typed_units(para_rows, _PARAGRAPH_COLUMNS, n_meetings=len(meetings))
    subitems = pd.DataFrame(sub_rows, columns=["rec_id", "subitem", "text", "first_line", "last_line"]).astype(
        {"rec_id": "string", "subitem": "string", "text": "string", "first_line": "Int64", "last_line": "Int64"}
    )
    meetings_df = _meetings_frame(meetings, para_rows)
    lines = pd.DataFrame(parser.roles, columns=["line", "role", "meeting", "rec_id"]).astype(
        {"line": "Int64", "meeting": "Int64", "rec_id": "string"}
    )
    lines["role"] = pd.Categorical(lines["role"], categories=list(LINE_ROLES))
    lines.insert(2, "text", pd.array(parser.raw_lines, dtype="string"))
    return Corpus(meetings_df, recommendations, paragraphs, subitems, footnotes, lines, source)


_UNIT_DTYPES = {
    "rec_id": "string",
    "year": "Int64",
    "paragraph": "Int64",
    "item": "string",
    "lead_in": "string",
    "text": "string",
    "n_items": "Int64",
    "first_line": "Int64",
    "last_line": "Int64",
    "proposed_meeting": "Int64",
}


def meeting_dtype(n_meetings: int = 8) -> pd.CategoricalDtype:
    """The ordered categorical dtype of the ``meeting`` column (1 .. n)."""
    return pd.CategoricalDtype(list(range(1, n_meetings + 1)), ordered=True)


def meeting_label(meetings: pd.DataFrame) -> pd.Series:
    """Short labels such as ``"I · Apr 2009"`` for a meetings frame (``roman``, ``start_date``).

    >>> meeting_label(load_corpus().meetings).tolist()[:2]
    ['I · Apr 2009', 'II · Jan 2010']
    """
    return meetings["roman"] + " · " + meetings["start_date"].dt.strftime("%b %Y")


#: Columns of the units and paragraphs tables, in order (``n_words`` is computed from ``text``).
_UNIT_COLUMNS = (
    "rec_id", "meeting", "year", "date", "paragraph", "item", "lead_in", "text",
    "subitems", "footnotes", "n_words", "first_line", "last_line", "proposed_meeting", "proposed_date",
)
_PARAGRAPH_COLUMNS = (
    "rec_id", "meeting", "year", "date", "paragraph", "n_items", "text",
    "footnotes", "n_words", "first_line", "last_line", "proposed_meeting", "proposed_date",
)


def _typed_units(rows: list[dict], columns: tuple[str, ...], *, n_meetings: int) -> pd.DataFrame:
    """``rows`` as a table of ``columns`` with explicit dtypes (also when there is no row)."""
    df = pd.DataFrame(rows, columns=[c for c in columns if c != "n_words"])
    df = df.astype({k: v for k, v in _UNIT_DTYPES.items() if k in df.columns})
    df["meeting"] = df["meeting"].astype(meeting_dtype(max(n_meetings, 1)))
    df["date"] = pd.to_datetime(df["date"]).astype("datetime64[s]")
    df["proposed_date"] = pd.to_datetime(df["proposed_date"]).astype("datetime64[s]")
    df["n_words"] = df["text"].str.split().str.len().astype("Int64")
    return df[list(columns)].reset_index(drop=True)


def _meetings_frame(meetings: list[_Meeting], para_rows: list[dict]) -> pd.DataFrame:
    n_units = {m.number: 0 for m in meetings}
    n_paras = dict(n_units)
    moved: dict[tuple[int, int], set[int]] = {}  # (proposed at, adopted at) -> paragraphs
    for row in para_rows:
        n_paras[row["meeting"]] += 1
        n_units[row["meeting"]] += max(row["n_items"], 1)
        if row["proposed_meeting"] is not None:
            moved.setdefault((row["proposed_meeting"], row["meeting"]), set()).add(row["paragraph"])
    rows = []
    for m in meetings:
        notes = []
        for (origin, adopted), paras in sorted(moved.items()):
            numbers = ", ".join(str(p) for p in sorted(paras))
            if origin == m.number:
                own = "Adopted no recommendations of its own: t" if n_units[m.number] == 0 else "T"
                notes.append(
                    f"{own}he recommendations it proposed stand in paragraph {numbers} "
                    f"of meeting {ROMAN[adopted - 1]}, which endorsed them."
                )
            if adopted == m.number:
                notes.append(
                    f"Paragraph {numbers} holds recommendations proposed at meeting {ROMAN[origin - 1]} "
                    "and endorsed here."
                )
        rows.append({
            "meeting": m.number, "roman": m.roman, "ordinal": m.ordinal, "city": m.city,
            "dates_text": m.dates_text, "start_date": m.start, "end_date": m.end, "year": m.start.year,
            "n_paragraphs": n_paras[m.number], "n_units": n_units[m.number],
            "heading_line": m.line, "note": " ".join(notes) or None,
            "source_note": clean_text(" ".join(m.note_parts)) or None,
        })
    df = pd.DataFrame(rows).astype({
        "roman": "string", "ordinal": "string", "city": "string", "dates_text": "string",
        "year": "Int64", "n_paragraphs": "Int64", "n_units": "Int64", "heading_line": "Int64", "note": "string",
        "source_note": "string",
    })
    df["meeting"] = df["meeting"].astype(meeting_dtype(len(meetings)))
    for col in ("start_date", "end_date"):
        df[col] = pd.to_datetime(df[col]).astype("datetime64[s]")
    return df


# --------------------------------------------------------------------------- #
# Public entry points
# --------------------------------------------------------------------------- #


def parse(text: str, source: str = "<string>") -> Corpus:
    """Parse the text of the recommendations document.

    Pure: reads nothing but ``text``. ``source`` only names the text in error
    messages and in :attr:`Corpus.source`.

    The text is read in Unicode NFC (a file saved with decomposed accents
    parses as the composed one), and lines are counted as an editor and
    ``grep -n`` count them: only ``\\n``, ``\\r\\n`` and ``\\r`` end a line.

    Raises
    ------
    CorpusError
        Naming the line, for an empty text, a text without meeting headings,
        headings, paragraphs or items out of sequence, dates that cannot be
        (an end before the start, a year such as ``0009``), a line that fits
        no rule of the document (an item marker without its space, two lines
        run together, an invisible character), items under a paragraph that
        does not end with ``:``, a unit that ends mid-sentence or a list that
        ends with ``;`` (a deleted line or a cut file), a meeting heading with
        nothing under it, more meetings than the front matter declares, or a
        footnote that is cited but missing (or present but never cited).

    Warns
    -----
    CorpusWarning
        When the document holds fewer meetings than its front matter
        declares ("ocho primeras reuniones"): it may have been cut.

    Examples
    --------
    >>> c = parse("I. Primera reunión: Viena, 14 y 15 de abril de 2009\\n1. La Secretaría debería actuar.\\n")
    >>> c.recommendations.loc[0, "rec_id"], str(c.meetings.loc[0, "start_date"].date())
    ('1.1', '2009-04-14')
    """
    text = prepare_text(text)
    if not text.strip():
        raise CorpusError("the document is empty", source=source, line=1)
    parser = _Parser(text, source)
    parser.run()
    corpus = _build(parser)
    for warning in parser.warnings:
        warnings.warn(warning, stacklevel=2)
    return corpus


def decode_text(data: bytes, source: str = "<bytes>") -> str:
    """``data`` decoded as UTF-8 (a byte-order mark dropped), with a :class:`CorpusError` that names the line of a bad byte.

    >>> decode_text("a\\fb\\r\\nI. Acci\\xf3n".encode("latin-1"), "x.txt")
    Traceback (most recent call last):
    ...
    analysis.data.corpus_grammar.CorpusError: x.txt, line 2: bytes that are not UTF-8 (b'\\xf3' at byte 12); save the file as UTF-8
    """
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise CorpusError(
            f"bytes that are not UTF-8 ({data[err.start:err.start + 1]!r} at byte {err.start}); "
            "save the file as UTF-8",
            source=source,
            line=line_of_offset(data, err.start),
        ) from None


def read_text(path: str | Path) -> str:
    """Read a UTF-8 file, with a :class:`CorpusError` that names the line of a bad byte."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise CorpusError("file not found", source=display_path(path)) from None
    return decode_text(data, display_path(path))


def load_corpus(path: str | Path | None = None) -> Corpus:
    """Parse the corpus file at ``path`` (the bundled raw file by default).

    Examples
    --------
    >>> corpus = load_corpus()
    >>> corpus.meetings["roman"].tolist()
    ['I', 'II', 'III', 'IV', 'V', 'VI', 'VII', 'VIII']
    """
    path = Path(path) if path is not None else RAW_CORPUS
    return parse(read_text(path), source=display_path(path))


def load_recommendations(
    level: Literal["item", "paragraph"] = "item", path: str | Path | None = None
) -> pd.DataFrame:
    """The recommendations as a DataFrame, one row per unit or per paragraph.

    Parameters
    ----------
    level : {"item", "paragraph"}
        ``"item"`` (default): a numbered paragraph without lettered items is
        one unit and each lettered item is a unit of its own. ``"paragraph"``:
        one row per numbered paragraph, items included in its text.
    path : path, optional
        Another corpus file; the bundled raw file by default.

    Examples
    --------
    >>> units = load_recommendations()
    >>> units.set_index("rec_id").loc["1.7.d", "lead_in"]
    'Respecto de la prevención y sensibilización, los Estados partes deberían:'
    """
    corpus = load_corpus(path)
    if level == "item":
        return corpus.recommendations
    if level == "paragraph":
        return corpus.paragraphs
    raise ValueError(f"level must be 'item' or 'paragraph', not {level!r}")

"""Damaged versions of the corpus and the judge of what the parser made of them.

Shared by the property-based test (``test_corpus_fuzz.py``) and the sweep
``benchmarks/mutation_sweep.py``. A mutation takes the document's bytes and a
:class:`random.Random` and returns damaged bytes. :func:`judge` parses them and
says what happened: ``"error"`` (a :class:`CorpusError` with a line),
``"warning"`` (parsed, with a :class:`CorpusWarning`) or ``"parsed"``; it
raises :class:`Unsound` when a parse loses or duplicates a word, leaves a line
unaccounted for, or breaks a structure the document declares, and lets any
other exception through.
"""

from __future__ import annotations

import random
import re
import unicodedata
import warnings
from collections import Counter
from collections.abc import Callable

from analysis.data.corpus import Corpus, CorpusError, CorpusWarning, clean_text, decode_text, parse
from analysis.data.corpus_checks import declared_meetings
from analysis.data._numerals import ordinal_names
from analysis.data.corpus_grammar import ROMAN, prepare_text, split_lines

Mutation = Callable[[bytes, random.Random], bytes]

_LABEL_TOKEN = re.compile(r"^[a-z]{1,4}\)$")
_PREFIX = re.compile(r"^\s*(?:\d+\.\s+|(?:-\s+)?[a-z]{1,4}\)\s+|[⁰¹²³⁴⁵⁶⁷⁸⁹]+\s+)")
_NOT_BODY = ("blank", "front_matter", "meeting_heading")


class Unsound(AssertionError):
    """A parse that went through but lost, duplicated or misplaced part of the document."""


# --------------------------------------------------------------------------- the judge


def words(text: str) -> list[str]:
    """The words of ``text`` as the tables hold them (clean text, item labels left out)."""
    return [w for w in clean_text(text).split() if not _LABEL_TOKEN.match(w)]


def word_balance(corpus: Corpus) -> tuple[Counter[str], Counter[str]]:
    """Words of the body lines of the source missing from the tables, and words the tables hold in excess."""
    lines = corpus.lines
    body = lines[~lines["role"].isin(_NOT_BODY)]
    source = Counter(w for t in body["text"] for w in words(_PREFIX.sub("", t, count=1)))
    out: Counter[str] = Counter()
    units = corpus.recommendations
    for t in units["text"]:
        out.update(words(t))
    for t in units.dropna(subset=["lead_in"]).drop_duplicates(["meeting", "paragraph"])["lead_in"]:
        out.update(words(t))
    for t in corpus.footnotes["text"]:
        out.update(words(t))
    for t in corpus.meetings["source_note"].dropna():
        out.update(words(t))
    return source - out, out - source


def check_sound(corpus: Corpus, text: str, warned: list[CorpusWarning]) -> None:
    """Raise :class:`Unsound` unless ``corpus`` holds every word and declared structure of ``text``."""
    missing, extra = word_balance(corpus)
    if missing or extra:
        raise Unsound(f"words lost {dict(missing.most_common(5))} or duplicated {dict(extra.most_common(5))}")
    lines = split_lines(prepare_text(text))
    if corpus.lines["line"].tolist() != list(range(1, len(lines) + 1)):
        raise Unsound(f"{len(corpus.lines)} lines accounted for, the text has {len(lines)}")
    meetings = corpus.meetings
    if meetings["roman"].tolist() != list(ROMAN[: len(meetings)]):
        raise Unsound(f"meetings {meetings['roman'].tolist()}")
    first_heading = int(meetings["heading_line"].iloc[0])
    declared = declared_meetings(lines[: first_heading - 1])
    if declared is not None and len(meetings) != declared.count and not warned:
        raise Unsound(f"{len(meetings)} meetings without a warning; the front matter declares {declared.count}")
    for _, group in corpus.paragraphs.groupby("meeting", observed=True):
        if group["paragraph"].tolist() != list(range(1, len(group) + 1)):
            raise Unsound(f"paragraphs out of sequence: {group['rec_id'].tolist()}")
    items = corpus.recommendations.dropna(subset=["item"])
    for _, group in items.groupby(["meeting", "paragraph"], observed=True):
        expected = [chr(ord("a") + i) for i in range(len(group))]
        if group["item"].tolist() != expected:
            raise Unsound(f"items out of sequence: {group['rec_id'].tolist()}")
    notes = corpus.footnotes
    if notes["footnote"].tolist() != list(range(1, len(notes) + 1)) or notes["cited_by"].isna().any():
        raise Unsound("footnotes out of sequence or never cited")


def judge(data: bytes, source: str = "mutated.txt") -> str:
    """``"error"``, ``"warning"`` or ``"parsed"`` for the damaged document ``data``; see the module docstring."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            text = decode_text(data, source)
            corpus = parse(text, source)
        except CorpusError as err:
            if err.line is None or err.line < 1:
                raise Unsound(f"a CorpusError without a line: {err}") from err
            return "error"
    warned = [w.message for w in caught if isinstance(w.message, CorpusWarning)]
    check_sound(corpus, text, warned)
    return "warning" if warned else "parsed"


# --------------------------------------------------------------------------- the mutations


def _lines(data: bytes) -> list[bytes]:
    return data.split(b"\n")


def _text(data: bytes) -> str:
    return data.decode("utf-8", errors="surrogateescape")  # a flipped byte survives the next mutation


def _bytes(text: str) -> bytes:
    return text.encode("utf-8", errors="surrogateescape")


def _pick(rng: random.Random, lines: list[bytes], pattern: bytes | None = None) -> int:
    candidates = [i for i, line in enumerate(lines) if pattern is None or re.match(pattern, line)]
    return rng.choice(candidates) if candidates else rng.randrange(max(len(lines), 1))


def delete_line(data: bytes, rng: random.Random) -> bytes:
    lines = _lines(data)
    del lines[_pick(rng, lines, rb"\S")]
    return b"\n".join(lines)


def duplicate_line(data: bytes, rng: random.Random) -> bytes:
    lines = _lines(data)
    i = _pick(rng, lines, rb"\S")
    lines.insert(i, lines[i])
    return b"\n".join(lines)


def swap_lines(data: bytes, rng: random.Random) -> bytes:
    lines = _lines(data)
    i = _pick(rng, lines, rb"\S")
    j = min(len(lines) - 1, i + rng.choice([1, 2, 3])) if rng.random() < 0.7 else rng.randrange(len(lines))
    lines[i], lines[j] = lines[j], lines[i]
    return b"\n".join(lines)


def truncate_bytes(data: bytes, rng: random.Random) -> bytes:
    return data[: rng.randrange(1, max(len(data), 2))]


def truncate_lines(data: bytes, rng: random.Random) -> bytes:
    lines = _lines(data)
    return b"\n".join(lines[: rng.randrange(1, max(len(lines), 2))]) + rng.choice([b"", b"\n"])


def flip_byte(data: bytes, rng: random.Random) -> bytes:
    if not data:
        return data
    i = rng.randrange(len(data))
    return data[:i] + bytes([data[i] ^ (1 << rng.randrange(8))]) + data[i + 1 :]


def _insert_at_line_starts(data: bytes, rng: random.Random, what: bytes) -> bytes:
    lines = _lines(data)
    for _ in range(rng.randint(1, 3)):
        i = _pick(rng, lines)
        pos = rng.choice([0, len(lines[i]) // 2, len(lines[i])])
        lines[i] = lines[i][:pos] + what + lines[i][pos:]
    return b"\n".join(lines)


def bom(data: bytes, rng: random.Random) -> bytes:
    return "\ufeff".encode() + data if rng.random() < 0.7 else _insert_at_line_starts(data, rng, "\ufeff".encode())


def crlf(data: bytes, rng: random.Random) -> bytes:
    return re.sub(rb"(?<!\r)\n", rng.choice([b"\r\n", b"\r"]), data)  # twice is once


def nbsp(data: bytes, rng: random.Random) -> bytes:
    spaces = [m.start() for m in re.finditer(rb" ", data)]
    for i in sorted(rng.sample(spaces, min(len(spaces), rng.randint(1, 20))), reverse=True):
        data = data[:i] + "\u00a0".encode() + data[i + 1 :]
    return data


def zero_width(data: bytes, rng: random.Random) -> bytes:
    return _insert_at_line_starts(data, rng, rng.choice(["\u200b", "\u200c", "\u200d", "\u2060"]).encode())


def page_breaks(data: bytes, rng: random.Random) -> bytes:
    what = rng.choice(["\f", "\v", "\x1c", "\x1e", "\u0085", "\u2028", "\u2029"]).encode()
    return _insert_at_line_starts(data, rng, what)


def smart_quotes(data: bytes, rng: random.Random) -> bytes:
    text = _text(data)
    return _bytes(re.sub(r"\"([^\"\n]*)\"", "“\\1”", text).replace("'", "’"))


def nfd(data: bytes, rng: random.Random) -> bytes:
    return _bytes(unicodedata.normalize("NFD", _text(data)))


def duplicate_heading(data: bytes, rng: random.Random) -> bytes:
    lines = _lines(data)
    i = _pick(rng, lines, rb"[IVX]+\. \w+ reuni")
    lines.insert(rng.randrange(i, len(lines)), lines[i])
    return b"\n".join(lines)


def renumber(data: bytes, rng: random.Random) -> bytes:
    lines = _lines(data)
    i = _pick(rng, lines, rb"\d+\. ")
    number, _, rest = lines[i].partition(b".")
    if number.isdigit():
        lines[i] = str(int(number) + rng.choice([-2, -1, 1, 2, 10])).encode() + b"." + rest
    return b"\n".join(lines)


def remove_footnote(data: bytes, rng: random.Random) -> bytes:
    text = _text(data)
    if rng.random() < 0.5:  # the footnote's text
        notes = [m.span() for m in re.finditer(r"(?m)^[⁰¹²³⁴⁵⁶⁷⁸⁹]+\s.*$", text)]
    else:  # a marker that cites it
        notes = [m.span() for m in re.finditer(r"(?<=\S)[⁰¹²³⁴⁵⁶⁷⁸⁹]+", text)]
    if not notes:
        return data
    start, end = rng.choice(notes)
    return _bytes(text[:start] + text[end:])


def twice(data: bytes, rng: random.Random) -> bytes:
    return data + b"\n" + data


def glue_marker(data: bytes, rng: random.Random) -> bytes:
    lines = _lines(data)
    i = _pick(rng, lines, rb"(?:\s*- )?[a-z]{1,4}\) ")
    lines[i] = re.sub(rb"\) ", b")", lines[i], count=1)
    return b"\n".join(lines)


def join_lines(data: bytes, rng: random.Random) -> bytes:
    lines = _lines(data)
    if len(lines) < 2:
        return data
    i = _pick(rng, lines[:-1], rb"\S")
    lines[i : i + 2] = [lines[i] + b" " + lines[i + 1]]
    return b"\n".join(lines)


#: Every mutation, by name.
MUTATIONS: dict[str, Mutation] = {
    f.__name__: f
    for f in (
        delete_line, duplicate_line, swap_lines, truncate_bytes, truncate_lines, flip_byte, bom, crlf, nbsp,
        zero_width, page_breaks, smart_quotes, nfd, duplicate_heading, renumber, remove_footnote, twice,
        glue_marker, join_lines,
    )
}
#: Mutations that change nothing a reader sees: the tables must come out as from the original.
BENIGN = ("crlf", "nfd")


def mutate(data: bytes, rng: random.Random, n: int = 1) -> tuple[list[str], bytes]:
    """``n`` random mutations of ``data`` in a row, and their names."""
    names = []
    for _ in range(n):
        name = rng.choice(sorted(MUTATIONS))
        names.append(name)
        data = MUTATIONS[name](data, rng)
    return names, data


# --------------------------------------------------------------------------- synthetic documents

_MONTHS = ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre",
           "noviembre", "diciembre")
_WORDS = ("los", "Estados", "partes", "deberían", "velar", "por", "la", "protección", "de", "víctimas", "trata",
          "cooperación", "internacional", "y", "reunir", "datos", "sobre", "el", "delito", "Secretaría")


def _sentence(rng: random.Random, end: str) -> str:
    return " ".join(rng.choice(_WORDS) for _ in range(rng.randint(3, 12))) + end


def _superscript(n: int) -> str:
    return str(n).translate(str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹"))


def _paragraph(rng: random.Random, number: int, footnote: int) -> tuple[list[str], int]:
    """The lines of one random paragraph, and the number of the last footnote so far."""
    if rng.random() < 0.5:  # a paragraph without items
        text = _sentence(rng, ".")
        if rng.random() < 0.2:  # a footnote after its first word, printed below
            footnote += 1
            cut = text.index(" ")
            return [f"{number}. {text[:cut]}{_superscript(footnote)}{text[cut:]}", "",
                    f"{_superscript(footnote)} Nota {footnote}.", ""], footnote
        if rng.random() < 0.2:  # continued on the next line
            return [f"{number}. {text[:-1]} y", _sentence(rng, ".").lower()], footnote
        return [f"{number}. {text}"], footnote
    lines = [f"{number}. {_sentence(rng, ':')}"]
    n_items = rng.randint(1, 12)
    for k in range(n_items):
        letter, end = chr(ord("a") + k), "." if k == n_items - 1 else ";"
        if letter != "i" and rng.random() < 0.1:  # an item that opens roman sub-items
            lines.append(f" - {letter}) {_sentence(rng, ':')}")
            n_subs = rng.randint(1, 4)
            lines += [f"{ROMAN[s].lower()}) {_sentence(rng, ';' if s < n_subs - 1 else end)}" for s in range(n_subs)]
        else:
            lines.append(f"{rng.choice(['', ' - '])}{letter}) {_sentence(rng, end)}")
    return lines + [""], footnote


def synthetic_document(rng: random.Random) -> bytes:
    """A valid document of random shape: a front matter that declares its meetings, up to 25 meetings
    (ordinal names in any accepted spelling), paragraphs with and without lettered items, roman
    sub-items, footnotes, continuation lines and a meeting with a note only."""
    n_meetings = rng.randint(1, 25)
    count = {8: "ocho", 12: "doce", 13: "trece", 21: "veintiuna", 25: "veinticinco"}.get(n_meetings, str(n_meetings))
    lines = [f"Recomendaciones aprobadas por el Grupo de Trabajo en sus {count} primeras reuniones", ""]
    footnote, year = 0, 2000
    for m in range(1, n_meetings + 1):
        year += rng.randint(1, 2)
        day = rng.randint(1, 25)
        lines += [f"{ROMAN[m - 1]}. {rng.choice(ordinal_names(m))} reunión: Viena, {day} y {day + 2} de "
                  f"{rng.choice(_MONTHS)} de {year}", ""]
        if rng.random() < 0.1:
            lines.append("El Grupo de Trabajo hizo suyas las recomendaciones en su reunión siguiente.")
            continue
        for number in range(1, rng.randint(1, 6) + 1):
            more, footnote = _paragraph(rng, number, footnote)
            lines += more
    return "\n".join(lines).encode()

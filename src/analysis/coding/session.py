"""Coding units one at a time: the order to read them in, each decision saved at once, resuming where the coder stopped.

A :class:`CodingSession` holds one coder's file while that coder reads the
units. It

- orders the units least certain first when the model's suggestions are
  given (lowest confidence first, ties in document order), in document
  order otherwise;
- saves the whole file after every decision, atomically and flushed to disk
  (:func:`analysis.data.files.atomic_path`), so the file on disk is always a
  complete, valid coder's file that :func:`analysis.coding.read_coding` reads
  with ``complete=False``;
- keeps the rows in the order the decisions were taken (a changed decision
  moves to the end), so that a new session on the same file continues after
  the last decision taken, even after a crash or a killed kernel;
- checks every theme against the codebook and names the bad one.

:func:`parse_entry` reads what a coder types (``3``, ``3 7 12``, an empty
line, ``b``, ``s``, ``n a note``); :class:`analysis.coding.widget.CodingWidget`
shows the session in JupyterLab and forwards the keyboard to it.

Examples
--------
>>> import tempfile, pathlib
>>> from analysis.data.corpus import load_recommendations
>>> path = pathlib.Path(tempfile.mkdtemp()) / "reader_3.csv"
>>> session = CodingSession(path, "reader_3", load_recommendations())
>>> session.current, session.progress
('1.1', (0, 288))
>>> session.record("1.1", "proceso", ["datos"])
>>> session.current, session.progress
('1.2', (1, 288))
>>> CodingSession(path, "reader_3", load_recommendations()).current
'1.2'
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, Literal

import pandas as pd

from analysis.coding.files import CODING_COLUMNS, MAX_SECONDARY, CodingError, read_coding, write_coding
from analysis.data.files import sweep_stale_temp_files
from analysis.data.paths import display_path
from analysis.themes.ranking import quantize

__all__ = ["CodingSession", "Decision", "Entry", "model_suggestions", "parse_entry"]

#: Columns of the suggestions a session takes.
SUGGESTION_COLUMNS: Final = ("rec_id", "theme_id", "confidence")


@dataclass(frozen=True)
class Decision:
    """One coded unit: its primary theme, up to two secondary themes and a note."""

    rec_id: str
    primary: str
    secondary: tuple[str, ...] = ()
    note: str = ""


@dataclass(frozen=True)
class Entry:
    """What a coder typed, read by :func:`parse_entry`.

    ``action`` is ``"code"`` (``themes`` holds the primary then the
    secondary themes), ``"accept"`` (the suggestion), ``"back"``, ``"skip"``
    or ``"note"`` (``text`` holds the note).
    """

    action: Literal["code", "accept", "back", "skip", "note"]
    themes: tuple[str, ...] = ()
    text: str = ""


def parse_entry(text: str, theme_ids: Sequence[str]) -> Entry:
    """Read one line typed by a coder.

    Numbers are the themes' positions in ``theme_ids`` (1-based); theme ids
    are accepted too. An empty line accepts the suggestion, ``b`` goes back,
    ``s`` skips, ``n <text>`` adds a note.

    Raises
    ------
    CodingError
        Naming the number or word that is not a theme.

    Examples
    --------
    >>> ids = ["legislacion", "prevencion", "demanda"]
    >>> parse_entry("2 3", ids)
    Entry(action='code', themes=('prevencion', 'demanda'), text='')
    >>> parse_entry("", ids).action, parse_entry(" B ", ids).action, parse_entry("n unclear lead-in", ids).text
    ('accept', 'back', 'unclear lead-in')
    """
    line = text.strip()
    if not line:
        return Entry("accept")
    word, _, rest = line.partition(" ")
    command = word.lower()
    if command in ("b", "s") and not rest.strip():
        return Entry("back" if command == "b" else "skip")
    if command == "n":
        return Entry("note", text=rest.strip())
    themes = []
    for token in line.replace(",", " ").split():
        if token.isdigit() and 1 <= int(token) <= len(theme_ids):
            themes.append(theme_ids[int(token) - 1])
        elif token in theme_ids:
            themes.append(token)
        else:
            raise CodingError(f"{token!r} is not a theme: type a number from 1 to {len(theme_ids)}, b, s or n <note>")
    return Entry("code", themes=tuple(themes))


def model_suggestions(model: Any) -> pd.DataFrame:
    """Suggestions from a fitted codebook model: the theme it finds best for each unit, and its weight as confidence.

    The best theme is given for the units the model leaves without a clear
    theme too (``best_theme`` of its ``assignments_``), so every unit has a
    suggestion; ``theme_id`` is that theme's codebook id.

    Examples
    --------
    >>> from analysis.data.corpus import load_recommendations
    >>> from analysis.themes import CodebookModel
    >>> model = CodebookModel().fit(load_recommendations())
    >>> s = model_suggestions(model)
    >>> s.columns.tolist(), len(s), bool(s["theme_id"].isin(model.codebook_.ids).all())
    (['rec_id', 'theme_id', 'confidence'], 288, True)
    """
    assignments = model.assignments_
    ids = {t.name: t.id for t in model.codebook_.themes}
    unknown = sorted(set(assignments["best_theme"]) - set(ids))
    if unknown:
        raise CodingError(f"the model's best themes {unknown[:3]} are not themes of its codebook")
    return pd.DataFrame({
        "rec_id": assignments["rec_id"].astype(str).to_numpy(),
        "theme_id": assignments["best_theme"].map(ids).to_numpy(),
        "confidence": quantize(assignments["weight"].to_numpy(dtype=float), 4),
    })  # fmt: skip


class CodingSession:
    """One coder coding the units of the corpus into one file, a decision at a time.

    Parameters
    ----------
    path : path
        The coder's file. It need not exist; when it does, its decisions are
        kept and the session resumes after the last one.
    coder : str
        The coder's name, written in every row; a file of another coder is an error.
    recommendations : DataFrame
        The units: ``rec_id``, ``meeting``, ``lead_in``, ``text`` (as
        :func:`analysis.data.corpus.load_recommendations` gives them), in document order.
    suggestions : DataFrame, optional
        ``rec_id, theme_id, confidence`` (see :func:`model_suggestions`):
        the units are then read least certain first.
    theme_ids : sequence of str, optional
        The themes a unit may take, in the order they are numbered (default:
        the codebook's).

    Attributes
    ----------
    order : list of str
        The units in the order they are read.
    decisions : dict of str to Decision
        The decisions taken, in the order they were taken (as in the file).

    Raises
    ------
    CodingError
        When the existing file is not a valid coder's file of ``coder`` on
        these units (with the file, the line and the field), or the
        suggestions do not fit the units.
    """

    def __init__(
        self,
        path: Path | str,
        coder: str,
        recommendations: pd.DataFrame,
        suggestions: pd.DataFrame | None = None,
        *,
        theme_ids: Sequence[str] | None = None,
    ) -> None:
        self.path, self.coder = Path(path), coder
        if not coder or coder != coder.strip() or "," in coder:
            raise CodingError(f"coder name {coder!r}: give a non-empty name without commas or outer spaces")
        if theme_ids is None:
            from analysis.themes.codebook import load_codebook

            theme_ids = load_codebook().ids
        self.theme_ids: tuple[str, ...] = tuple(theme_ids)
        self.units = recommendations.set_index("rec_id", drop=False)
        rec_ids = recommendations["rec_id"].astype(str).tolist()
        self._suggested: dict[str, tuple[str, float]] = {}
        self.order: list[str] = self._ordered(rec_ids, suggestions)
        self._index = {r: i for i, r in enumerate(self.order)}
        self._notes: dict[str, str] = {}
        self.decisions: dict[str, Decision] = {}
        sweep_stale_temp_files([self.path.parent], name=self.path.name)  # what a killed kernel left
        if self.path.exists():
            done = read_coding(self.path, theme_ids=self.theme_ids, rec_ids=rec_ids, complete=False, coder=coder)
            for r in done.itertuples(index=False):
                self.decisions[r.rec_id] = Decision(r.rec_id, r.primary, tuple(r.secondary), r.note)
        last = next(reversed(self.decisions), None)
        self._position = self._next_open(self._index[last] if last is not None else -1)

    def __repr__(self) -> str:
        coded, total = self.progress
        return f"CodingSession({display_path(self.path)!r}, coder={self.coder!r}, coded={coded}/{total})"

    def _ordered(self, rec_ids: list[str], s: pd.DataFrame | None) -> list[str]:
        if s is None:
            return rec_ids
        absent = [c for c in SUGGESTION_COLUMNS if c not in s.columns]
        if absent:
            raise CodingError(f"suggestions: missing column(s) {absent}; expected {list(SUGGESTION_COLUMNS)}")
        unknown = sorted(set(s["rec_id"]) - set(rec_ids))
        missing = [r for r in rec_ids if r not in set(s["rec_id"])]
        if unknown or missing or s["rec_id"].duplicated().any():
            raise CodingError(f"suggestions: need one row per unit; unknown {unknown[:5]}, missing {missing[:5]}")
        position = {r: i for i, r in enumerate(rec_ids)}
        ranked = s.assign(_doc=s["rec_id"].map(position)).sort_values(["confidence", "_doc"], kind="stable")
        self._suggested = dict(zip(ranked["rec_id"], zip(ranked["theme_id"], ranked["confidence"], strict=True),
                                   strict=True))  # fmt: skip
        return ranked["rec_id"].tolist()

    # ------------------------------------------------------------------ state

    @property
    def current(self) -> str | None:
        """The unit to code now (``None`` once every unit is coded)."""
        return self.order[self._position] if self._position < len(self.order) else None

    @property
    def progress(self) -> tuple[int, int]:
        """``(units coded, units in all)``."""
        return len(self.decisions), len(self.order)

    @property
    def done(self) -> bool:
        """Whether every unit is coded."""
        return len(self.decisions) == len(self.order)

    def unit(self, rec_id: str | None = None) -> dict[str, object]:
        """What the coder reads of a unit (default: the current one).

        ``rec_id``, ``meeting``, ``lead_in`` (empty when none), ``text``,
        ``suggestion`` and ``confidence`` (``None`` without suggestions) and
        ``decision`` (the :class:`Decision` already taken, or ``None``).
        """
        rec_id = rec_id or self.current
        if rec_id is None:
            raise CodingError("every unit is coded")
        row = self.units.loc[rec_id]
        lead_in = row.get("lead_in")
        suggestion, confidence = self._suggested.get(rec_id, (None, None))
        return {"rec_id": rec_id, "meeting": int(row["meeting"]), "lead_in": "" if pd.isna(lead_in) else str(lead_in),
                "text": str(row["text"]), "suggestion": suggestion, "confidence": confidence,
                "decision": self.decisions.get(rec_id), "note": self._notes.get(rec_id, "")}  # fmt: skip

    def coding(self) -> pd.DataFrame:
        """The decisions so far, in the order they were taken, as :func:`analysis.coding.read_coding` gives them."""
        rows = [(d.rec_id, self.coder, d.primary, list(d.secondary), d.note) for d in self.decisions.values()]
        return pd.DataFrame(rows, columns=list(CODING_COLUMNS))

    # ------------------------------------------------------------------ decisions

    def record(self, rec_id: str, primary: str, secondary: Iterable[str] = (), note: str = "") -> None:
        """Code ``rec_id``, save the whole file, and move on to the next unit not yet coded.

        A unit coded before takes the new decision. A note typed earlier for
        the unit (:meth:`annotate`) is kept when ``note`` is empty.

        Raises
        ------
        CodingError
            Naming the unit or the theme that is not valid; nothing is saved then.
        """
        if rec_id not in self.units.index:
            raise CodingError(f"{rec_id!r} is not a unit of the corpus")
        secondary = tuple(secondary)
        for role, theme in (("primary", primary), *(("secondary", s) for s in secondary)):
            if theme not in self.theme_ids:
                raise CodingError(f"unit {rec_id}: {role} theme {theme!r} is not in the codebook "
                                  f"(themes: {', '.join(self.theme_ids)})")  # fmt: skip
        if primary in secondary or len(set(secondary)) != len(secondary) or len(secondary) > MAX_SECONDARY:
            raise CodingError(f"unit {rec_id}: at most {MAX_SECONDARY} distinct secondary themes other than the "
                              f"primary; got {list(secondary)} with primary {primary!r}")  # fmt: skip
        note = " ".join((note or self._notes.get(rec_id, "")).split())
        self.decisions.pop(rec_id, None)
        self.decisions[rec_id] = Decision(rec_id, primary, secondary, note)
        self._save()
        self._notes.pop(rec_id, None)
        self._position = self._next_open(self._index[rec_id])

    def accept(self) -> None:
        """Code the current unit with the model's suggestion as its primary theme."""
        info = self.unit()
        if info["suggestion"] is None:
            raise CodingError(f"unit {info['rec_id']}: there is no suggestion to accept")
        self.record(str(info["rec_id"]), str(info["suggestion"]))

    def annotate(self, note: str) -> None:
        """Add a note to the current unit: saved at once if it is coded, with its decision otherwise."""
        rec_id = self.current
        if rec_id is None:
            raise CodingError("every unit is coded")
        taken = self.decisions.get(rec_id)
        if taken is None:
            self._notes[rec_id] = note
        else:
            self.record(rec_id, taken.primary, taken.secondary, note)
            self.goto(rec_id)

    def skip(self) -> None:
        """Leave the current unit for later: it comes back once the others are coded."""
        if self.current is not None:
            self._position = self._next_open(self._position)

    def back(self) -> None:
        """Go to the unit before the current one in the reading order, to see or change its decision."""
        self._position = max(0, min(self._position, len(self.order)) - 1)

    def goto(self, rec_id: str) -> None:
        """Go to unit ``rec_id``."""
        if rec_id not in self.order:
            raise CodingError(f"{rec_id!r} is not a unit of the corpus")
        self._position = self._index[rec_id]

    def _next_open(self, after: int) -> int:
        """Position of the first unit not yet coded after position ``after``, wrapping round; the end when none."""
        n = len(self.order)
        for step in range(1, n + 1):
            i = (after + step) % n
            if self.order[i] not in self.decisions:
                return i
        return n

    def _save(self) -> None:
        write_coding(self.coding(), self.path)  # atomic and flushed to disk: always a whole file

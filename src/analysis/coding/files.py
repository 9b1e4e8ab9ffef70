"""Coders' files: one row per recommendation unit, read with every problem named by file, line and field.

Format (UTF-8 CSV, one header line)::

    rec_id,coder,primary,secondary,note
    1.7.a,reader_1,prevencion,,topical lead-in (rule 4)
    2.50.a,reader_1,datos,proteccion,rule 2: the Secretariat compiles

``primary`` is one theme id of the codebook; ``secondary`` holds up to two
other ids, most important first, joined by ``;``; ``note`` is free text.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Final

import pandas as pd

from analysis.data.files import atomic_write_bytes
from analysis.data.paths import DATA_DIR, display_path

__all__ = ["CODING_COLUMNS", "CODING_DIR", "CodingError", "check_rows", "read_coding", "write_coding"]

#: Where the project keeps its codings.
CODING_DIR: Final = DATA_DIR / "coding"
CODING_COLUMNS: Final = ("rec_id", "coder", "primary", "secondary", "note")
MAX_SECONDARY: Final = 2


class CodingError(ValueError):
    """A coder's file breaks its format: the message names the file, the line and the field."""


def read_coding(
    path: Path | str,
    *,
    theme_ids: Iterable[str] | None = None,
    rec_ids: Sequence[str] | None = None,
    complete: bool = True,
    coder: str | None = None,
) -> pd.DataFrame:
    """Read a coder's file into a frame: ``rec_id, coder, primary, secondary`` (a list), ``note``.

    Parameters
    ----------
    path : path
        The CSV file.
    theme_ids : iterable of str, optional
        The allowed theme ids (default: those of ``data/codebook.toml``).
    rec_ids : sequence of str, optional
        The units that must be coded, each once (default: every unit of the
        corpus). A file that misses a unit, codes one twice or codes an
        unknown one is an error: nothing is dropped.
    complete : bool, default True
        ``False`` reads a file still being coded: units may be missing, and
        the rows keep the file's order (the order they were decided in).
    coder : str, optional
        The coder every row must name; a row of another coder is an error.

    Raises
    ------
    CodingError
        With the file, the line and the field of the first problem found.

    Examples
    --------
    >>> reference = read_coding(CODING_DIR / "reference.csv")
    >>> len(reference), reference.columns.tolist()
    (288, ['rec_id', 'coder', 'primary', 'secondary', 'note'])
    """
    path = Path(path)
    place = display_path(path)
    if theme_ids is None:
        from analysis.themes.codebook import load_codebook

        theme_ids = load_codebook().ids
    allowed = set(theme_ids)
    if rec_ids is None:
        from analysis.data.corpus import load_recommendations

        rec_ids = load_recommendations()["rec_id"].tolist()
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise CodingError(f"{place}: no such coding file") from None
    except UnicodeDecodeError as err:
        raise CodingError(f"{place}: not UTF-8 (byte {err.start})") from None
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if header is None or [h.strip() for h in header] != list(CODING_COLUMNS):
        raise CodingError(f"{place}, line 1: the header must be {','.join(CODING_COLUMNS)}; found {header!r}")
    rows = ((reader.line_num, row) for row in reader)
    return check_rows(rows, place, allowed, rec_ids, complete=complete, coder=coder)


def check_rows(
    rows: Iterable[tuple[int, list[str]]],
    place: str,
    allowed: set[str],
    rec_ids: Sequence[str],
    *,
    complete: bool = True,
    coder: str | None = None,
) -> pd.DataFrame:
    """Check ``(line, [rec_id, coder, primary, secondary, note])`` rows and return them as a coding frame.

    Every unit of ``rec_ids`` must be coded once (at most once when
    ``complete`` is false), with known theme ids, and by ``coder`` when it is
    given; the first problem raises :class:`CodingError` naming ``place`` (the
    file), the line and the field.
    """
    records, seen = [], {}
    for line, row in rows:
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(CODING_COLUMNS):
            raise CodingError(f"{place}, line {line}: {len(row)} fields, expected {len(CODING_COLUMNS)}")
        rec_id, row_coder, primary, secondary, note = (cell.strip() for cell in row)
        for field, value in (("rec_id", rec_id), ("coder", row_coder), ("primary", primary)):
            if not value:
                raise CodingError(f"{place}, line {line}, field '{field}': empty")
        if rec_id in seen:
            raise CodingError(f"{place}, line {line}, field 'rec_id': {rec_id} is coded twice (also line {seen[rec_id]})")
        seen[rec_id] = line
        if coder is not None and row_coder != coder:
            raise CodingError(f"{place}, line {line}, field 'coder': the file is coded by {row_coder!r}, not {coder!r}")
        if primary not in allowed:
            raise CodingError(f"{place}, line {line}, field 'primary': unknown theme id {primary!r}")
        second = [s.strip() for s in secondary.split(";") if s.strip()]
        for s in second:
            if s not in allowed:
                raise CodingError(f"{place}, line {line}, field 'secondary': unknown theme id {s!r}")
        if primary in second or len(set(second)) != len(second) or len(second) > MAX_SECONDARY:
            raise CodingError(
                f"{place}, line {line}, field 'secondary': at most {MAX_SECONDARY} distinct themes other than "
                f"the primary; found {secondary!r}"
            )
        records.append((rec_id, row_coder, primary, second, note))
    known = set(rec_ids)
    unknown = [r for r in seen if r not in known]
    if unknown:
        raise CodingError(f"{place}, line {seen[unknown[0]]}, field 'rec_id': no such unit {unknown[0]!r}")
    missing = [r for r in rec_ids if r not in seen]
    if missing and complete:
        raise CodingError(f"{place}: {len(missing)} unit(s) not coded, first {missing[:5]}")
    frame = pd.DataFrame(records, columns=list(CODING_COLUMNS))
    if not complete:
        return frame
    order = {r: i for i, r in enumerate(rec_ids)}
    return frame.sort_values("rec_id", key=lambda s: s.map(order)).reset_index(drop=True)


def write_coding(coding: pd.DataFrame, path: Path | str) -> Path:
    """Write a coding (as :func:`read_coding` returns it) to ``path``, atomically; return the path."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CODING_COLUMNS)
    for r in coding.itertuples(index=False):
        second = r.secondary if isinstance(r.secondary, (list, tuple)) else [s for s in str(r.secondary or "").split(";") if s]
        writer.writerow([r.rec_id, r.coder, r.primary, ";".join(second), r.note if isinstance(r.note, str) else ""])
    return atomic_write_bytes(Path(path), buffer.getvalue().encode("utf-8"))

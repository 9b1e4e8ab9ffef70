"""Code units in a loop until killed: ``python session_kill_harness.py FILE PROGRESS``.

Opens a :class:`~analysis.coding.session.CodingSession` on ``FILE`` (resuming
it) and codes the current unit, again and again, with a theme that depends on
the unit only. Before each decision it appends ``rec_id`` to ``PROGRESS``
(flushed), and after the decision is saved it appends ``ok``: the test that
kills it knows which decisions were saved and which one was in flight.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from analysis.coding.session import CodingSession
from analysis.data.corpus import load_recommendations
from analysis.themes.codebook import load_codebook


def planned(rec_id: str, theme_ids: tuple[str, ...]) -> tuple[str, tuple[str, ...]]:
    """The decision the harness takes on ``rec_id``: a primary and one secondary theme, from the unit alone."""
    i = sum(map(ord, rec_id)) % len(theme_ids)
    return theme_ids[i], (theme_ids[(i + 1) % len(theme_ids)],)


def main() -> None:
    path, progress = Path(sys.argv[1]), Path(sys.argv[2])
    ids = tuple(load_codebook().ids)
    session = CodingSession(path, "reader_k", load_recommendations(), theme_ids=ids)
    with open(progress, "a", encoding="utf-8") as log:
        log.write("ready\n")
        log.flush()
        while session.current is not None:
            rec_id = session.current
            primary, secondary = planned(rec_id, ids)
            log.write(f"{rec_id}\n")
            log.flush()
            os.fsync(log.fileno())
            session.record(rec_id, primary, secondary, note=f"note on {rec_id}, with a comma")
            log.write("ok\n")
            log.flush()
            os.fsync(log.fileno())


if __name__ == "__main__":
    main()

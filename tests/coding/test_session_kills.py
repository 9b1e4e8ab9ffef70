"""A coding session killed outright (SIGKILL, as a dead kernel) at random moments loses at most the decision in flight.

``session_kill_harness.py`` codes unit after unit in a subprocess, logging
each unit before its decision and ``ok`` once it is saved. After every kill
the coder's file must parse, hold the decisions saved before the kill in
order (the one in flight either whole or absent), and a new session must
leave no temporary file beside it and resume at the next unit.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from session_kill_harness import planned

from analysis.coding import CodingSession, read_coding
from analysis.data.corpus import load_recommendations
from analysis.themes.codebook import load_codebook

HARNESS = Path(__file__).with_name("session_kill_harness.py")
KILLS = 6

pytestmark = pytest.mark.skipif(os.name != "posix", reason="SIGKILL")


def _logged(progress: Path, start: int) -> tuple[list[str], str | None, int]:
    """Units logged since line ``start``: those saved (followed by ``ok``), the one in flight, and the line count."""
    lines = progress.read_text(encoding="utf-8").splitlines()
    saved, in_flight = [], None
    for line in lines[start:]:
        if line == "ok":
            saved.append(in_flight)
            in_flight = None
        elif line != "ready":
            in_flight = line
    return saved, in_flight, len(lines)


def test_a_killed_session_keeps_every_saved_decision_and_resumes_at_the_next_unit(tmp_path):
    path, progress = tmp_path / "reader_k.csv", tmp_path / "progress.log"
    recs = load_recommendations()
    ids = tuple(load_codebook().ids)
    order = recs["rec_id"].tolist()
    rng = random.Random(11)
    rows: list[str] = []
    seen_lines = 0
    mid_write = 0
    for _ in range(KILLS):
        proc = subprocess.Popen([sys.executable, str(HARNESS), str(path), str(progress)])
        deadline = time.monotonic() + 120
        while seen_lines == (progress.read_text().count("\n") if progress.exists() else 0):
            assert time.monotonic() < deadline, "the harness did not start"
            time.sleep(0.01)
        time.sleep(rng.uniform(0.005, 0.05))
        proc.send_signal(signal.SIGKILL)
        assert proc.wait() == -signal.SIGKILL  # killed while coding, not finished
        mid_write += any(p.name.endswith(".tmp") for p in tmp_path.iterdir())
        saved, in_flight, seen_lines = _logged(progress, seen_lines)
        assert saved, "the kill came before any decision: lengthen the delay"

        coding = read_coding(path, theme_ids=ids, complete=False, coder="reader_k")  # a whole, valid file
        now = coding["rec_id"].tolist()
        assert now[: len(rows)] == rows  # nothing saved earlier was lost or reordered
        assert now[len(rows):] in (saved, [*saved, in_flight])  # at most the decision in flight is lost
        for r in coding.itertuples():
            assert (r.primary, tuple(r.secondary), r.note) == (*planned(r.rec_id, ids), f"note on {r.rec_id}, with a comma")
        rows = now

        session = CodingSession(path, "reader_k", recs, theme_ids=ids)
        assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []  # what the kill left is gone
        assert session.progress == (len(rows), len(order))
        following = order[order.index(rows[-1]) + 1:] + order  # the units after the last one saved, wrapping round
        assert session.current == next(r for r in following if r not in rows)
    assert len(rows) < len(order)
    print(f"{KILLS} kills, {mid_write} during a write, {len(rows)} units coded")

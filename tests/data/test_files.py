"""Atomic writes: an interrupted write leaves the old file and no temporary file."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from analysis.data import files
from analysis.data.files import atomic_path, atomic_write_bytes


def test_an_interrupted_write_leaves_no_partial_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "png" / "temas.png"
    atomic_write_bytes(target, b"old")

    def boom(src: str, dst: str) -> None:
        raise KeyboardInterrupt  # e.g. Ctrl-C between writing and renaming

    monkeypatch.setattr(files.os, "replace", boom)
    with pytest.raises(KeyboardInterrupt):
        atomic_write_bytes(target, b"new" * 1000)
    assert target.read_bytes() == b"old"
    assert [p.name for p in target.parent.iterdir()] == ["temas.png"]


def test_a_failing_writer_leaves_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "table.parquet"
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError), atomic_path(target) as tmp:
        tmp.write_bytes(b"half")
        raise RuntimeError("writer failed")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["table.parquet"]


def test_written_files_are_world_readable(tmp_path: Path) -> None:
    path = atomic_write_bytes(tmp_path / "a.csv", b"x")
    assert os.stat(path).st_mode & 0o777 == 0o644

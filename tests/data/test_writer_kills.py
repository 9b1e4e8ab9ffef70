"""SIGKILL every writer at random moments: no empty or partial file, and no stray file after the next start.

``kill_harness.py`` prepares one writer, writes once, then forks 30 children
that write in a loop and kills each after a random delay. Every target must
be whole after every kill (the bytes of a complete write, or a workbook that
opens), some kills must have landed mid-write, and after the next start's
clean-up (the main job's sweep) the folder must hold the targets and nothing
else, as ``git status`` would see it.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from kill_harness import whole

from analysis.data import files, write_table
from analysis.data.files import atomic_path, atomic_write_bytes, private_temp_dir, sweep_stale_temp_dirs, sweep_stale_temp_files

HARNESS = Path(__file__).with_name("kill_harness.py")
WRITERS = ["write_table", "write_theme_tables", "to_excel", "atomic_write_bytes", "write_gallery", "save_notebook"]
KILLS = 40

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="the kill harness forks (POSIX)")


def dead_pid() -> int:
    """The pid of a process that has ended."""
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


@pytest.mark.parametrize("writer", WRITERS)
def test_killed_writer_leaves_whole_files_and_nothing_after_the_next_start(tmp_path, writer):
    out = tmp_path / "out"
    done = subprocess.run([sys.executable, str(HARNESS), writer, str(out), str(KILLS), "7"],
                          capture_output=True, text=True, timeout=300, check=True)
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["kills"] == KILLS
    assert report["broken"] == 0  # after every kill, every target held a whole write
    assert report["interrupted"] >= 1  # and some kills did land mid-write
    for target in report["targets"]:
        assert whole(Path(target), report["targets"][target]), target
    sweep_stale_temp_files([out], recursive=True)  # what the main job does when it starts
    left = sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file())
    expected = sorted(str(Path(t).relative_to(out)) for t in report["targets"])
    inputs = ["manifest.json"] if writer == "write_gallery" else []  # the gallery's input, copied there
    assert left == sorted(expected + inputs)


def test_the_next_write_of_a_file_removes_what_a_killed_write_of_it_left(tmp_path):
    target = tmp_path / "meetings.csv"
    stale = tmp_path / f".meetings.csv.{dead_pid()}.abcd1234.tmp"
    live = tmp_path / f".meetings.csv.{os.getpid()}.efgh5678.tmp"  # a write in progress
    other = tmp_path / f".themes.csv.{dead_pid()}.abcd1234.tmp"  # another file's: left to the main job
    for path in (stale, live, other):
        path.write_bytes(b"half")
    atomic_write_bytes(target, b"whole")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([live.name, other.name, target.name])
    assert sweep_stale_temp_files([tmp_path]) == [other]


def test_temporary_folders_of_a_killed_process_are_removed_at_the_next_start(tmp_path):
    env = {**os.environ, "TMPDIR": str(tmp_path)}
    code = "from analysis.data.files import private_temp_dir; import time; d = private_temp_dir('render'); " \
           "print(d.name, flush=True); time.sleep(60)"
    proc = subprocess.Popen([sys.executable, "-c", code], env=env, stdout=subprocess.PIPE, text=True)
    folder = Path(proc.stdout.readline().strip())
    (folder / "render.sock").write_bytes(b"")
    assert folder.parent == tmp_path and folder.name.startswith(f"wg4-render-{proc.pid}-")
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    proc.stdout.close()
    assert folder.is_dir()  # a killed process cannot clean up
    subprocess.run([sys.executable, "-c", "from analysis.data.files import private_temp_dir; private_temp_dir('kernel')"],
                   env=env, check=True)
    assert not folder.exists()


def test_only_folders_of_dead_processes_are_swept(tmp_path):
    mine = tmp_path / f"wg4-kernel-{os.getpid()}-abc"
    dead = tmp_path / f"wg4-files-{dead_pid()}-def"
    foreign = tmp_path / "wg4-notes"
    for folder in (mine, dead, foreign):
        folder.mkdir()
    assert sweep_stale_temp_dirs(tmp_path) == [dead]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([mine.name, foreign.name])
    with private_temp_dir("doc") as d:
        assert Path(d).name.startswith(f"wg4-doc-{os.getpid()}-")


def test_an_unwritable_folder_names_the_table_and_its_file_not_the_temporary_one(tmp_path, monkeypatch):
    from analysis.data import load_corpus

    def refuse(*, dir: str, prefix: str, suffix: str) -> tuple[int, str]:
        raise PermissionError(13, "Permission denied", os.path.join(dir, f"{prefix}xyz{suffix}"))

    monkeypatch.setattr(files.tempfile, "mkstemp", refuse)
    with pytest.raises(PermissionError) as err:
        write_table(load_corpus().meetings, "meetings", tmp_path / "processed")
    message = str(err.value)
    assert f"cannot write table 'meetings' ({tmp_path / 'processed' / 'meetings.csv'}): Permission denied" in message
    assert ".tmp" not in message


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_folder_names_the_table(tmp_path):  # pragma: no cover - needs a user other than root
    from analysis.data import load_corpus

    folder = tmp_path / "processed"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        with pytest.raises(PermissionError, match=r"cannot write table 'meetings' \(.*meetings.csv\)"):
            write_table(load_corpus().meetings, "meetings", folder)
    finally:
        folder.chmod(0o755)


def test_interrupted_writes_report_the_target(tmp_path):
    with pytest.raises(OSError, match=r"cannot write figure \(.*x.png\): No space left on device"):
        with atomic_path(tmp_path / "x.png", what="figure"):
            raise OSError(28, "No space left on device")
    assert list(tmp_path.iterdir()) == []

"""Atomic file writes and the project's temporary files and folders: one place for each.

Every file the project writes goes through :func:`atomic_path` (or
:func:`atomic_write_bytes`, built on it): the file is written to a temporary
sibling named ``.NAME.<pid>.<random>.tmp``, flushed to disk, given ordinary
permissions (0644) and renamed into place, so an interrupted run never leaves
half a file behind and readers see either the old or the new version.

A write that fails or is interrupted by an exception (Ctrl-C included)
removes its temporary file. A process killed outright (SIGKILL, a power cut)
cannot: its temporary file stays, ignored by git (``.gitignore`` has
``.*.tmp``), and is removed by the next write of the same file or by
:func:`sweep_stale_temp_files` at the next start of the main job, once the
process named in it is gone. Temporary folders work the same way:
:func:`private_temp_dir` names them ``wg4-<kind>-<pid>-<random>`` and first
removes the folders that dead processes left behind
(:func:`sweep_stale_temp_dirs`).

A write that the file system refuses (a read-only ``data/``, a full disk)
raises the same :class:`OSError` subclass naming what was being written
(``table 'meetings'``) and the target path, not the temporary file.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from analysis.data.paths import display_path

__all__ = [
    "atomic_path",
    "atomic_write_bytes",
    "pid_alive",
    "private_temp_dir",
    "sweep_stale_temp_dirs",
    "sweep_stale_temp_files",
]

#: Temporary files beside their target: ``.<name>.<pid>.<random>.tmp``.
_TEMP_FILE_RE = re.compile(r"^\.(?P<name>.+)\.(?P<pid>\d+)\.[a-z0-9_]+\.tmp$")
#: Temporary folders of the project: ``wg4-<kind>-<pid>-<random>`` in the system's temporary folder.
TEMP_DIR_PREFIX = "wg4-"
_TEMP_DIR_RE = re.compile(rf"^{TEMP_DIR_PREFIX}(?P<kind>[a-z]+)-(?P<pid>\d+)-")


def pid_alive(pid: int) -> bool:
    """Whether process ``pid`` exists (a process of another user counts as alive).

    >>> pid_alive(os.getpid())
    True
    """
    if pid == os.getpid():
        return True
    if pid <= 0:
        return False
    if os.name == "nt":  # pragma: no cover - os.kill(pid, 0) would send CTRL_C_EVENT on Windows
        import ctypes

        handle = ctypes.windll.kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return False
        code = ctypes.c_ulong()
        ctypes.windll.kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
        ctypes.windll.kernel32.CloseHandle(handle)
        return code.value == 259  # STILL_ACTIVE
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _stale(match: re.Match[str] | None) -> bool:
    return match is not None and not pid_alive(int(match["pid"]))


def sweep_stale_temp_files(folders: Iterable[Path | str], *, name: str | None = None, recursive: bool = False) -> list[Path]:
    """Remove the temporary files of :func:`atomic_path` whose writer is dead; return them.

    ``name``: only those of that target file name. ``recursive``: in
    sub-folders too. Files whose writer still runs are left alone.
    """
    removed = []
    for folder in folders:
        folder = Path(folder)
        if not folder.is_dir():
            continue
        pattern = f".{_glob_escape(name)}.*.tmp" if name else ".*.tmp"
        for path in folder.rglob(pattern) if recursive else folder.glob(pattern):
            match = _TEMP_FILE_RE.match(path.name)
            if _stale(match) and (name is None or match["name"] == name):
                with contextlib.suppress(FileNotFoundError):
                    path.unlink()
                    removed.append(path)
    return removed


def _glob_escape(text: str) -> str:
    """``text`` with the glob wildcards ``*?[`` escaped."""
    return re.sub(r"([*?\[])", r"[\1]", text)


def sweep_stale_temp_dirs(parent: Path | str | None = None) -> list[Path]:
    """Remove the project's temporary folders (``wg4-<kind>-<pid>-…``) whose process is dead; return them."""
    parent = Path(parent or tempfile.gettempdir())
    removed = []
    with contextlib.suppress(OSError):
        for path in parent.iterdir():
            if _stale(_TEMP_DIR_RE.match(path.name)) and path.is_dir() and not path.is_symlink():
                shutil.rmtree(path, ignore_errors=True)
                if not path.exists():
                    removed.append(path)
    return removed


def private_temp_dir(kind: str) -> tempfile.TemporaryDirectory[str]:
    """A temporary folder ``wg4-<kind>-<pid>-<random>`` (removed when closed), after sweeping dead runs' folders.

    >>> with private_temp_dir("doc") as d:
    ...     Path(d).name.startswith(f"wg4-doc-{os.getpid()}-")
    True
    """
    if not re.fullmatch(r"[a-z]+", kind):
        raise ValueError(f"kind must be lower-case letters, not {kind!r}")
    sweep_stale_temp_dirs()
    return tempfile.TemporaryDirectory(prefix=f"{TEMP_DIR_PREFIX}{kind}-{os.getpid()}-")


@contextlib.contextmanager
def atomic_path(path: Path | str, *, what: str | None = None) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; on success it replaces ``path``.

    For writers that want a file name rather than bytes (``DataFrame.to_parquet``).
    ``what`` names the file in error messages (``"table 'meetings'"``); by
    default its path. The stale temporary files of ``path`` that killed
    writers left are removed first.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "x.txt"
    >>> with atomic_path(target) as tmp:
    ...     _ = tmp.write_text("done")
    >>> target.read_text()
    'done'
    """
    path = Path(path)
    tmp: str | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        sweep_stale_temp_files([path.parent], name=path.name)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp")
        os.close(fd)
        yield Path(tmp)
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except OSError as err:
        _remove(tmp)
        shown = display_path(path)
        label = f"{what} ({shown})" if what else shown
        message = f"cannot write {label}: {err.strerror or err}"
        raise (OSError(err.errno, message) if err.errno is not None else OSError(message)) from err
    except BaseException:
        _remove(tmp)
        raise


def _remove(tmp: str | None) -> None:
    if tmp is not None:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)


def atomic_write_bytes(path: Path | str, data: bytes, *, what: str | None = None) -> Path:
    """Write ``data`` to ``path`` atomically and return the path; see :func:`atomic_path`."""
    path = Path(path)
    with atomic_path(path, what=what) as tmp:
        tmp.write_bytes(data)
    return path

"""Check that results do not depend on the BLAS kernel or the thread count.

``make check-portable`` (``python -m analysis.run.portability``) re-runs the
themes notebook and then the whole test suite (pytest, doctests, nbval over
every notebook) once per configuration: OpenBLAS forced to each of several
CPU kernels through ``OPENBLAS_CORETYPE`` (unset, ``Sandybridge``,
``Haswell``, ``Zen``, and ``SkylakeX`` where the CPU has AVX-512), and the
machine's default kernel on a single thread. After each step it compares
every file under ``notebooks/`` (cells and outputs), ``data/processed/`` and
``figures/`` with what was there before, names any that differ, and puts the
originals back, so the check leaves the working tree as it found it.

It fails (exit status 1) if any configuration changes a stored output, a
processed table or a figure, or fails a test.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from analysis.data.files import atomic_write_bytes
from analysis.data.paths import FIGURES_DIR, NOTEBOOKS_DIR, PROCESSED_DIR, PROJECT_ROOT

__all__ = ["Config", "configurations", "run_checks", "snapshot"]

#: Folders whose files the check compares and restores.
WATCHED: tuple[Path, ...] = (NOTEBOOKS_DIR, PROCESSED_DIR, FIGURES_DIR)
THEMES_NOTEBOOK = NOTEBOOKS_DIR / "02_themes.ipynb"
KERNELS: tuple[str, ...] = ("Sandybridge", "Haswell", "Zen")


@dataclass(frozen=True)
class Config:
    """One run: ``coretype`` (None = unset) and ``threads`` (None = default)."""

    coretype: str | None
    threads: int | None = None

    @property
    def name(self) -> str:
        kernel = f"OPENBLAS_CORETYPE={self.coretype}" if self.coretype else "OPENBLAS_CORETYPE unset"
        return kernel + (f", {self.threads} thread" + ("s" if self.threads != 1 else "") if self.threads else "")

    def env(self, base: Mapping[str, str] | None = None) -> dict[str, str]:
        """``base`` (default: this process's environment) with this configuration applied."""
        env = dict(os.environ if base is None else base)
        if self.coretype is None:
            # the machine may set both; an L2 size without a kernel is meaningless
            env.pop("OPENBLAS_CORETYPE", None)
            env.pop("OPENBLAS_L2_SIZE", None)
        else:
            env["OPENBLAS_CORETYPE"] = self.coretype
        if self.threads:
            env["OPENBLAS_NUM_THREADS"] = env["OMP_NUM_THREADS"] = str(self.threads)
        return env


def _has_avx512() -> bool:
    try:
        return " avx512f" in Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False


def configurations(kernels: Sequence[str] | None = None) -> list[Config]:
    """The configurations to check: unset, each kernel, SkylakeX where the CPU
    has AVX-512, and the default kernel on one thread.

    Examples
    --------
    >>> [c.name for c in configurations(["Haswell"])]
    ['OPENBLAS_CORETYPE unset', 'OPENBLAS_CORETYPE=Haswell', 'OPENBLAS_CORETYPE unset, 1 thread']
    """
    if kernels is None:
        kernels = [*KERNELS, *(["SkylakeX"] if _has_avx512() else [])]
    return [Config(None), *(Config(k) for k in kernels), Config(None, threads=1)]


def _fingerprint(path: Path) -> str:
    data = path.read_bytes()
    if path.suffix == ".ipynb":
        # cells and their outputs; notebook metadata (run records) may differ
        cells = json.loads(data)["cells"]
        data = json.dumps(cells, sort_keys=True).encode()
    return hashlib.sha256(data).hexdigest()


def snapshot(folders: Sequence[Path] = WATCHED) -> dict[Path, bytes]:
    """Every file under ``folders``, path -> bytes (hidden files and caches left out)."""
    files: dict[Path, bytes] = {}
    for folder in folders:
        for path in sorted(Path(folder).rglob("*")):
            rel = path.relative_to(folder)
            if path.is_file() and not any(part.startswith(".") for part in rel.parts):
                files[path] = path.read_bytes()
    return files


def _differences(before: Mapping[Path, bytes], folders: Sequence[Path] = WATCHED) -> list[str]:
    now = snapshot(folders)
    changed = []
    for path in sorted(set(before) | set(now)):
        rel = str(path.relative_to(PROJECT_ROOT))
        if path not in now:
            changed.append(f"{rel} (removed)")
        elif path not in before:
            changed.append(f"{rel} (new)")
        elif before[path] != now[path]:
            if path.suffix == ".ipynb":
                old_cells = json.loads(before[path])["cells"]
                if json.dumps(old_cells, sort_keys=True) == json.dumps(json.loads(now[path])["cells"], sort_keys=True):
                    continue
            changed.append(rel)
    return changed


def _restore(before: Mapping[Path, bytes], folders: Sequence[Path] = WATCHED) -> None:
    for path in snapshot(folders):
        if path not in before:
            path.unlink()
    for path, data in before.items():
        if not path.exists() or path.read_bytes() != data:
            atomic_write_bytes(path, data)


def _run(cmd: Sequence[str], env: Mapping[str, str], log: Path) -> int:
    with open(log, "w", encoding="utf-8") as fh:
        return subprocess.run(list(cmd), env=dict(env), cwd=PROJECT_ROOT, stdout=fh, stderr=subprocess.STDOUT,
                              check=False).returncode


def _tail(log: Path, n: int = 15) -> str:
    lines = log.read_text(encoding="utf-8", errors="replace").splitlines()
    return "\n".join("      " + line for line in lines[-n:])


def run_checks(configs: Sequence[Config], *, tests: bool = True, log_dir: Path | None = None) -> bool:
    """Run the checks for ``configs``; print one verdict per step; return whether all passed."""
    log_dir = Path(log_dir or PROJECT_ROOT / ".cache" / "portability")
    log_dir.mkdir(parents=True, exist_ok=True)
    before = snapshot()
    ok = True
    python = sys.executable
    execute = ("from analysis.run.pipeline import execute_notebook; import sys; "
               "execute_notebook(sys.argv[1])")
    test_cmd = [python, "-m", "pytest", "tests", "src", "notebooks", "--doctest-modules", "--nbval",
                "--nbval-sanitize-with", "tests/nbval_sanitize.cfg", "-p", "no:cacheprovider", "-q"]
    try:
        for i, config in enumerate(configs, 1):
            print(f"==> [{i}/{len(configs)}] {config.name}", flush=True)
            steps = [("themes notebook", [python, "-c", execute, str(THEMES_NOTEBOOK)])]
            if tests:
                steps.append(("test suite", test_cmd))
            for label, cmd in steps:
                log = log_dir / f"{i:02d}-{label.replace(' ', '-')}.log"
                start = time.perf_counter()
                code = _run(cmd, config.env(), log)
                changed = _differences(before)
                seconds = time.perf_counter() - start
                if code == 0 and not changed:
                    print(f"    {label}: same outputs ({seconds:.0f} s)", flush=True)
                    continue
                ok = False
                if code != 0:
                    print(f"    {label}: FAILED (exit {code}; log {log.relative_to(PROJECT_ROOT)}):\n{_tail(log)}")
                if changed:
                    print(f"    {label}: {len(changed)} file(s) differ: " + ", ".join(changed[:12])
                          + (" …" if len(changed) > 12 else ""), flush=True)
                _restore(before)
    finally:
        _restore(before)
    print("==> portable: every configuration gave the same outputs" if ok
          else "==> NOT portable: see the differences above", flush=True)
    return ok


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kernels", nargs="*", default=None,
                        help=f"OPENBLAS_CORETYPE values besides unset (default: {' '.join(KERNELS)}, "
                             "plus SkylakeX with AVX-512)")
    parser.add_argument("--no-tests", action="store_true", help="only re-run the themes notebook")
    args = parser.parse_args(argv)
    return 0 if run_checks(configurations(args.kernels), tests=not args.no_tests) else 1


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())

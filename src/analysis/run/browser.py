"""Find, or install, the Chromium that kaleido uses for static figure export.

Static export (PNG, SVG, PDF) of plotly figures goes through kaleido, which
drives a headless Chromium. pip cannot install a browser and nothing may be
downloaded at run time, so the set-up takes one from the system's package
manager: on Debian and Ubuntu the ``chromium`` package.

Run ``python -m analysis.run.browser --ensure`` (the Makefile does) to find a
browser, install one where that is possible, or stop with a message that
names what to install.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

from analysis._errors import ExportError

#: Executable names tried in order; the first found on ``PATH`` wins.
CANDIDATES: tuple[str, ...] = (
    "chromium",
    "chromium-browser",
    "google-chrome",
    "google-chrome-stable",
    "chrome",
)

INSTALL_HINT = (
    "Static figure export needs a Chromium or Chrome browser, and none was found.\n"
    "Install one with your system's package manager, for example:\n"
    "  Debian/Ubuntu:  sudo apt-get install chromium\n"
    "  Fedora:         sudo dnf install chromium\n"
    "  macOS:          brew install --cask chromium\n"
    "or point the BROWSER_PATH environment variable at an existing Chrome/Chromium."
)


class BrowserNotFoundError(ExportError):
    """No Chromium/Chrome executable could be found or installed (an :class:`ExportError`)."""


def find_browser() -> Path | None:
    """Return the path of a usable Chromium/Chrome, or ``None``.

    ``BROWSER_PATH`` (the variable kaleido's choreographer reads) wins; when
    it is set but names no executable file, that is an error, not a silent
    fall-back to another browser.

    Raises
    ------
    BrowserNotFoundError
        ``BROWSER_PATH`` is set and is not an executable file.

    Examples
    --------
    >>> path = find_browser()
    >>> path is None or path.exists()
    True
    """
    env = os.environ.get("BROWSER_PATH")
    if env:
        if Path(env).is_file() and os.access(env, os.X_OK):
            return Path(env)
        raise BrowserNotFoundError(
            f"BROWSER_PATH={env!r} is not an executable file: point it at a Chrome or Chromium executable, "
            "or unset it to use the one on PATH.\n" + INSTALL_HINT.split("\n", 1)[1]
        )
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return Path(found)
    return None


def _can_apt_install() -> bool:
    return shutil.which("apt-get") is not None and hasattr(os, "geteuid") and os.geteuid() == 0


def ensure_browser(*, install: bool = True) -> Path:
    """Return a Chromium path, installing Debian's ``chromium`` if allowed.

    Raises
    ------
    BrowserNotFoundError
        With a message naming what to install, when no browser is found and
        none can be installed here.
    """
    found = find_browser()
    if found is not None:
        return found
    if install and _can_apt_install():
        print("==> installing Chromium from the system's packages (apt-get install chromium)", flush=True)
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        subprocess.run(["apt-get", "update", "-qq"], check=False, env=env)
        result = subprocess.run(
            ["apt-get", "install", "-y", "-qq", "--no-install-recommends", "chromium"],
            check=False,
            env=env,
        )
        found = find_browser()
        if result.returncode == 0 and found is not None:
            return found
    raise BrowserNotFoundError(INSTALL_HINT)


#: Flags for a headless Chromium that reaches no network: DNS resolves nothing,
#: every request goes to a closed local proxy port, background services are off.
OFFLINE_FLAGS: tuple[str, ...] = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--proxy-server=127.0.0.1:9",
    "--hide-scrollbars",
)


def headless_command(
    url: str,
    *,
    user_data_dir: Path | str,
    browser: Path | str | None = None,
    extra: tuple[str, ...] | list[str] = (),
) -> list[str]:
    """Command line that opens ``url`` in an offline headless Chromium.

    Add e.g. ``--screenshot=out.png`` or ``--dump-dom`` in ``extra``; with
    ``--enable-logging=stderr --v=0`` the page's console messages go to stderr
    as ``CONSOLE`` lines.

    Raises
    ------
    BrowserNotFoundError
        If no browser is given and none is found.

    Examples
    --------
    >>> cmd = headless_command("file:///tmp/a.html", user_data_dir="/tmp/p", browser="/usr/bin/chromium")
    >>> cmd[0], cmd[-1], "--proxy-server=127.0.0.1:9" in cmd
    ('/usr/bin/chromium', 'file:///tmp/a.html', True)
    """
    exe = browser or find_browser()
    if exe is None:
        raise BrowserNotFoundError(INSTALL_HINT)
    return [str(exe), *OFFLINE_FLAGS, f"--user-data-dir={user_data_dir}", *extra, url]


def browser_env() -> dict[str, str]:
    """Environment variables that point kaleido at the browser found here."""
    path = find_browser()
    return {"BROWSER_PATH": str(path)} if path else {}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ensure", action="store_true", help="install Chromium if it is missing")
    args = parser.parse_args(argv)
    try:
        path = ensure_browser(install=args.ensure)
    except BrowserNotFoundError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    print(f"==> browser for static export: {path}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())

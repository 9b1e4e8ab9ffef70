"""The project's figure record: ``figures/manifest.json``, the galleries built from it, and the audit.

The manifest has one entry per figure and language (``"<lang>/<name>"``),
merged under a file lock and written atomically, sorted and without
timestamps, so that two runs give the same bytes. The galleries
(``README.md`` in English, ``README.es.md`` in Spanish) and :func:`audit`
read it; nothing else does.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, Final

import pandas as pd

from analysis.data.files import atomic_write_bytes
from analysis.data.paths import FIGURES_DIR
from analysis.export.normalise import png_size
from analysis.export.render import FORMATS

__all__ = ["GALLERY_NAMES", "MANIFEST_NAME", "audit", "read_manifest", "update_manifest", "write_gallery"]

MANIFEST_NAME: Final = "manifest.json"
#: Gallery file of each language (English is the main one).
GALLERY_NAMES: Final[Mapping[str, str]] = {"en": "README.md", "es": "README.es.md"}
#: Where the shared plotly.js lies under ``figures/`` and how a language's HTML page reaches it.
PLOTLYJS_DIR: Final = "html"
PLOTLYJS_SRC: Final = f"../../{PLOTLYJS_DIR}/plotly.min.js"
#: Narrowest PNG (in pixels) that the audit accepts as print resolution.
MIN_PRINT_PIXELS: Final = 1800


@contextlib.contextmanager
def _locked(directory: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``directory`` for a read-modify-write of the manifest."""
    directory.mkdir(parents=True, exist_ok=True)
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX
        yield
        return
    with open(directory / ".manifest.lock", "a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)



def read_manifest(path: Path | str = FIGURES_DIR / MANIFEST_NAME) -> dict[str, dict[str, Any]]:
    """Return the manifest's figures, name -> entry (empty if there is no manifest).

    Examples
    --------
    >>> read_manifest("/nonexistent/manifest.json")
    {}
    """
    path = Path(path)
    if not path.is_file():
        return {}
    doc = json.loads(path.read_text(encoding="utf-8"))
    return dict(doc.get("figures", {}))


def audit(manifest_path: Path | str = FIGURES_DIR / MANIFEST_NAME) -> pd.DataFrame:
    """Check every exported figure: one row per figure, one boolean column per check.

    Checks: the PNG has its signature and print resolution (at least
    :data:`MIN_PRINT_PIXELS` wide), the SVG parses as XML, the PDF has its header, the HTML loads
    plotly.js from its own folder and nothing from the network, and the entry
    has a title, caption, alt text and the project template. ``ok`` is true
    when every check passes.

    Examples
    --------
    >>> audit("/nonexistent/manifest.json").empty
    True
    """
    import xml.etree.ElementTree as ET

    manifest_path = Path(manifest_path)
    base = manifest_path.parent
    rows = []
    for name, e in sorted(read_manifest(manifest_path).items()):
        files = {fmt: base / rel for fmt, rel in e.get("files", {}).items()}
        row: dict[str, Any] = {"name": e.get("name", name), "lang": e.get("lang"), "notebook": e.get("source_notebook"),
                               "title": e.get("title")}
        png = files.get("png")
        data = png.read_bytes() if png and png.is_file() else b""
        row["png_pixels"] = "x".join(map(str, png_size(data))) if data[:8] == b"\x89PNG\r\n\x1a\n" else ""
        row["png_ok"] = bool(row["png_pixels"]) and png_size(data)[0] >= MIN_PRINT_PIXELS
        svg = files.get("svg")
        try:
            row["svg_ok"] = bool(svg and svg.is_file() and ET.fromstring(svg.read_bytes()).tag.endswith("svg"))
        except ET.ParseError:
            row["svg_ok"] = False
        pdf = files.get("pdf")  # PDF is written on request only: a figure without one passes
        row["pdf_ok"] = pdf is None or (pdf.is_file() and pdf.read_bytes()[:5] == b"%PDF-")
        page = files.get("html")
        text = page.read_text(encoding="utf-8") if page and page.is_file() else ""
        row["html_offline"] = bool(text) and f'src="{PLOTLYJS_SRC}"' in text and not re.search(
            r"""(src|href)=["']https?://""", text
        )
        row["described"] = all(e.get(k) for k in ("title", "caption", "alt_text"))
        row["template"] = e.get("template") == "wg4"
        row["ok"] = all(row[k] for k in ("png_ok", "svg_ok", "pdf_ok", "html_offline", "described", "template"))
        rows.append(row)
    columns = ["name", "lang", "notebook", "title", "png_pixels", "png_ok", "svg_ok", "pdf_ok", "html_offline",
               "described", "template", "ok"]
    return pd.DataFrame(rows, columns=columns)


def _dump_json(doc: Any) -> bytes:
    return (json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")


def update_manifest(out_dir: Path, entry: Mapping[str, Any]) -> Path:
    """Merge ``entry`` into ``out_dir/manifest.json`` by name, under a lock, atomically."""
    path = out_dir / MANIFEST_NAME
    with _locked(out_dir):
        figures = read_manifest(path)
        figures[entry.get("key", entry["name"])] = dict(entry)
        atomic_write_bytes(path, _dump_json({"schema": 1, "figures": figures}))
    return path


def _md(text: str) -> str:
    """Escape the characters that would change the meaning of Markdown inline text."""
    return re.sub(r"([\\`*_\[\]<>|#])", r"\\\1", text)


_GALLERY_TEXT: Final[Mapping[str, Mapping[str, str]]] = {
    "en": {
        "title": "Figures",
        "intro": "Every figure of the analysis in English, as exported by the notebooks. PNG (print resolution) is "
                 "shown; SVG is the vector version for reports, and the interactive HTML works offline (all "
                 "pages share `html/plotly.min.js`).",
        "other": "The same figures in Spanish: [README.es.md](README.es.md).",
        "auto": "Written by `analysis.export.manifest` from `manifest.json`: do not edit by hand; `make figures` "
                "regenerates it.",
        "notebook": "notebook", "svg": "SVG", "pdf": "PDF", "html": "interactive HTML",
    },
    "es": {
        "title": "Figuras",
        "intro": "Todas las figuras del análisis en español, tal como las exportan los cuadernos. Se muestra el PNG "
                 "(resolución de impresión); SVG es la versión vectorial para informes, y el HTML "
                 "interactivo funciona sin conexión (todas las páginas comparten `html/plotly.min.js`).",
        "other": "Las mismas figuras en inglés: [README.md](README.md).",
        "auto": "Escrito por `analysis.export.manifest` a partir de `manifest.json`: no lo edite a mano; "
                "`make figures` lo regenera.",
        "notebook": "cuaderno", "svg": "SVG", "pdf": "PDF", "html": "HTML interactivo",
    },
}


def write_gallery(
    manifest_path: Path | str = FIGURES_DIR / MANIFEST_NAME,
    out: Path | str | None = None,
    *,
    lang: str | None = None,
) -> Path:
    """Write the galleries (``README.md`` in English, ``README.es.md`` in Spanish, beside the manifest).

    Each figure: its title, the PNG (with its alt text), the caption, the
    source notebook and links to the other formats. Figures are grouped in the
    order of their source notebook, then name; the file has no timestamps.
    With ``lang``, only that language's gallery is written (to ``out`` if
    given); entries without a language count as English. Returns the path of
    the English gallery (or of ``lang``'s).

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     _ = update_manifest(Path(d), {"name": "a", "title": "T", "caption": "C",
    ...                                    "alt_text": "A", "files": {"png": "png/a.png"}})
    ...     print(write_gallery(Path(d) / "manifest.json").read_text().splitlines()[8])
    ## T
    """
    manifest_path = Path(manifest_path)
    figures = read_manifest(manifest_path)
    if lang is None:
        langs = sorted({e.get("lang") or "en" for e in figures.values()} | {"en"}, key=lambda k: k != "en")
        paths = [write_gallery(manifest_path, out if k == "en" else None, lang=k) for k in langs]
        return paths[0]
    text = _GALLERY_TEXT.get(lang, _GALLERY_TEXT["en"])
    out_path = Path(out) if out is not None else manifest_path.parent / GALLERY_NAMES.get(lang, f"README.{lang}.md")
    base = manifest_path.parent
    rel = Path(os.path.relpath(base, out_path.parent)) if out_path.parent != base else None

    def link(file: str) -> str:
        return (rel / file).as_posix() if rel is not None else file

    lines = [f"# {text['title']}", "", text["intro"], "", text["other"], "", text["auto"], ""]
    mine = [e for e in figures.values() if (e.get("lang") or "en") == lang]
    entries = sorted(mine, key=lambda e: (e.get("source_notebook") or "", e["name"]))
    for e in entries:
        files = e.get("files", {})
        lines.append(f"## {_md(e.get('title') or e['name'])}")
        lines.append("")
        if "png" in files:
            lines.append(f"![{_md(e.get('alt_text', ''))}]({link(files['png'])})")
            lines.append("")
        lines.append(_md(e.get("caption", "")))
        lines.append("")
        links = [f"[{text[f]}]({link(files[f])})" for f in FORMATS if f in files and f != "png"]
        details = [f"`{e['name']}`"]
        if e.get("source_notebook"):
            details.append(f"{text['notebook']}: `{e['source_notebook']}`")
        lines.append(" · ".join(details + links))
        lines.append("")
    atomic_write_bytes(out_path, ("\n".join(lines).rstrip() + "\n").encode("utf-8"))
    return out_path


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m analysis.export.manifest --gallery``: rewrite figures/README.md from the manifest."""
    import argparse

    parser = argparse.ArgumentParser(description="Figure export utilities.")
    parser.add_argument("--out-dir", type=Path, default=FIGURES_DIR)
    parser.add_argument("--gallery", action="store_true", help="rewrite the gallery from the manifest")
    parser.add_argument("--copy-plotlyjs", action="store_true", help="refresh html/plotly.min.js")
    args = parser.parse_args(argv)
    if args.copy_plotlyjs:
        from analysis.export.pages import ensure_plotlyjs

        print(ensure_plotlyjs(args.out_dir / "html"))
    if args.gallery:
        print(write_gallery(args.out_dir / MANIFEST_NAME))
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())

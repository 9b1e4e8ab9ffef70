"""Theme names and colours for charts, keyed by ``theme_id``, in English or Spanish.

Every chart names and colours a theme through this module, so a theme has one
name per language and one colour everywhere:

- codebook themes (``data/codebook.toml``): ``name`` (es), ``name_en`` (en)
  and ``color``;
- discovered themes (NMF, ``D01`` ...): the editable label table
  ``data/discovery_labels.toml`` (``es``, ``en``, ``color`` per ``theme_id``);
  a theme without an entry keeps the automatic Spanish name it was given;
- the codebook's "no clear theme" (``sin_tema``): grey.

A theme without a colour of its own gets one derived from its id (a hash into
:data:`~analysis.viz.style.PALETTE`), never from its position in a list, so
adding a theme recolours nothing.

Examples
--------
>>> theme_label("proteccion", "en"), theme_label("proteccion", "es")
('Protection and assistance of victims', 'Protección y asistencia a las víctimas')
>>> theme_color("proteccion")
'#56B4E9'
>>> theme_label("T99", "en", fallback="otro tema")
'otro tema'
"""

from __future__ import annotations

import functools
import hashlib
import tomllib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Final

import pandas as pd

from analysis.data.paths import CODEBOOK_PATH, DATA_DIR
from analysis.viz.style import PALETTE, Lang, _check_lang

__all__ = [
    "DISCOVERY_LABELS_PATH",
    "UNASSIGNED_ID",
    "theme_color",
    "theme_colors_by_id",
    "theme_label",
    "theme_labels",
    "localize_themes",
    "spanish_theme_names",
]

#: The editable label table of the discovered themes.
DISCOVERY_LABELS_PATH: Final = DATA_DIR / "discovery_labels.toml"
#: theme_id of the codebook model's "no clear theme".
UNASSIGNED_ID: Final = "sin_tema"
_UNASSIGNED: Final[Mapping[str, str]] = {"es": "Sin tema claro", "en": "No clear theme"}
_UNASSIGNED_COLOR: Final = "#9E9E9E"


@functools.lru_cache(maxsize=8)
def _table(codebook: Path, discovery: Path, stamp: tuple[int, int]) -> dict[str, dict[str, str]]:
    table: dict[str, dict[str, str]] = {UNASSIGNED_ID: {**_UNASSIGNED, "color": _UNASSIGNED_COLOR}}
    if codebook.is_file():
        with open(codebook, "rb") as fh:
            for t in tomllib.load(fh).get("theme", []):
                table[str(t["id"])] = {"es": t["name"], "en": t.get("name_en", t["name"]),
                                       "color": str(t.get("color", "")).upper()}  # fmt: skip
    if discovery.is_file():
        with open(discovery, "rb") as fh:
            for key, entry in tomllib.load(fh).items():
                if isinstance(entry, Mapping):
                    table.setdefault(str(key), {}).update({k: str(v) for k, v in entry.items()
                                                           if k in ("es", "en", "color")})
                    if "color" in entry:
                        table[str(key)]["color"] = str(entry["color"]).upper()
    return table


def _stamp(path: Path) -> int:
    return path.stat().st_mtime_ns if path.is_file() else 0


def theme_labels(
    codebook: Path | str = CODEBOOK_PATH, discovery: Path | str = DISCOVERY_LABELS_PATH
) -> dict[str, dict[str, str]]:
    """Every known theme: ``theme_id -> {"es", "en", "color"}`` (read again when a file changes)."""
    codebook, discovery = Path(codebook), Path(discovery)
    return {k: dict(v) for k, v in _table(codebook, discovery, (_stamp(codebook), _stamp(discovery))).items()}


def theme_label(theme_id: str, lang: Lang = "en", *, fallback: str | None = None) -> str:
    """The name of theme ``theme_id`` in ``lang``.

    A theme missing from the codebook and the label table keeps ``fallback``
    (its automatic Spanish name), or its id.
    """
    _check_lang(lang)
    entry = theme_labels().get(str(theme_id), {})
    return entry.get(lang) or entry.get("es") or (fallback if fallback is not None else str(theme_id))


def theme_color(theme_id: str) -> str:
    """The colour of theme ``theme_id``: its own, or one derived from the id (stable, not positional).

    >>> theme_color("sin_tema")
    '#9E9E9E'
    >>> theme_color("T7") == theme_color("T7")
    True
    """
    color = theme_labels().get(str(theme_id), {}).get("color")
    if color:
        return color
    digest = int(hashlib.sha256(str(theme_id).encode("utf-8")).hexdigest(), 16)
    return PALETTE[digest % len(PALETTE)]


def theme_colors_by_id(theme_ids: Iterable[str]) -> dict[str, str]:
    """``theme_id -> colour`` for the given ids."""
    return {str(t): theme_color(str(t)) for t in theme_ids}


def spanish_theme_names() -> set[str]:
    """Every Spanish theme name charts can show (codebook names, Spanish labels of discovered themes)."""
    names = {v["es"] for v in theme_labels().values() if v.get("es")}
    return names


def localize_themes(frame: pd.DataFrame, lang: Lang, *, id_column: str = "theme_id",
                    name_column: str = "theme") -> pd.Series:
    """The theme name of every row of ``frame`` in ``lang`` (its ``theme`` column is the fallback)."""
    ids = frame[id_column].astype(str)
    fallback = frame[name_column].astype(str) if name_column in frame.columns else ids
    return pd.Series([theme_label(i, lang, fallback=f) for i, f in zip(ids, fallback, strict=True)],
                     index=frame.index, dtype=object)

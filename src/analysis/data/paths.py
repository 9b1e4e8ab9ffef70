"""Where the project keeps its files.

Paths are resolved from the repository root (the folder that holds
``pyproject.toml``), so the library works from any working directory: a
notebook in ``notebooks/``, pytest at the root, or a script elsewhere.
"""

from __future__ import annotations

from pathlib import Path

#: The repository root: ``src/analysis/data/paths.py`` -> ``parents[3]``.
PROJECT_ROOT: Path = Path(__file__).resolve().parents[3]
DATA_DIR: Path = PROJECT_ROOT / "data"
RAW_DIR: Path = DATA_DIR / "raw"
PROCESSED_DIR: Path = DATA_DIR / "processed"
FIGURES_DIR: Path = PROJECT_ROOT / "figures"
NOTEBOOKS_DIR: Path = PROJECT_ROOT / "notebooks"

#: The bundled corpus: the Spanish edition of the Secretariat's 2019 background paper.
RAW_CORPUS: Path = RAW_DIR / "wg4_recomendaciones_2009_2018.es.txt"
#: The editable codebook of named themes; its order is the order of tables and figures.
CODEBOOK_PATH: Path = DATA_DIR / "codebook.toml"


def display_path(path: str | Path) -> str:
    """``path`` relative to the project root when it lies inside it, else absolute.

    Used to name files in messages (the parser's, the codebook's, a failed
    write's) and in ``Corpus.source``, so that they read the same in every
    checkout.

    >>> display_path(RAW_CORPUS)
    'data/raw/wg4_recomendaciones_2009_2018.es.txt'
    """
    path = Path(path).resolve()
    try:
        return path.relative_to(PROJECT_ROOT).as_posix()
    except ValueError:
        return str(path)

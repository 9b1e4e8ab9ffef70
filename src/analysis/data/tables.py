"""Write and read the processed tables in ``data/processed/``.

Every table is written twice: a UTF-8 CSV for people and spreadsheets, and a
Parquet file beside it that keeps the dtypes. List columns (``subitems``,
``footnotes``) become JSON arrays in the CSV. Writes are deterministic (same
frame, same bytes) and atomic (a temporary file renamed into place), so an
interrupted run never leaves half a table behind.

Examples
--------
>>> from analysis.data.corpus import load_corpus
>>> text = to_csv_text(load_corpus().meetings)
>>> text.splitlines()[0].split(",")[:4]
['meeting', 'roman', 'ordinal', 'city']
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from analysis.data.corpus import Corpus, meeting_dtype
from analysis.data.files import atomic_path, atomic_write_bytes
from analysis.data.paths import PROCESSED_DIR

__all__ = ["CORPUS_TABLES", "corpus_tables", "read_table", "to_csv_text", "write_table", "write_tables"]

#: The tables the corpus step writes, by file stem.
CORPUS_TABLES: tuple[str, ...] = ("meetings", "paragraphs", "recommendations", "subitems", "footnotes")

_LIST_COLUMNS = ("subitems", "footnotes")


def corpus_tables(corpus: Corpus) -> dict[str, pd.DataFrame]:
    """The corpus DataFrames that are written to ``data/processed/``, by name."""
    return {name: getattr(corpus, name) for name in CORPUS_TABLES}


def _for_csv(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    for col in _LIST_COLUMNS:
        if col in out.columns and out[col].dtype == object:
            out[col] = [json.dumps(list(v), ensure_ascii=False) for v in out[col]]
    return out


def to_csv_text(df: pd.DataFrame) -> str:
    """The exact CSV text written for ``df`` (UTF-8, ``\\n`` line ends, ISO dates)."""
    return _for_csv(df).to_csv(index=False, lineterminator="\n", date_format="%Y-%m-%d")


def write_table(df: pd.DataFrame, name: str, out_dir: Path = PROCESSED_DIR, *, parquet: bool = True) -> list[Path]:
    """Write ``df`` as ``<name>.csv`` (and ``<name>.parquet``) in ``out_dir``; return the paths."""
    out_dir = Path(out_dir)
    paths = [atomic_write_bytes(out_dir / f"{name}.csv", to_csv_text(df).encode("utf-8"))]
    if parquet:
        target = out_dir / f"{name}.parquet"
        with atomic_path(target) as tmp:
            df.to_parquet(tmp, index=False, engine="pyarrow", compression="zstd")
        paths.append(target)
    return paths


def write_tables(tables: Mapping[str, pd.DataFrame], out_dir: Path = PROCESSED_DIR) -> list[Path]:
    """Write several tables; see :func:`write_table`."""
    written: list[Path] = []
    for name, df in tables.items():
        written += write_table(df, name, out_dir)
    return written


def read_table(name: str, out_dir: Path = PROCESSED_DIR) -> pd.DataFrame:
    """Read a processed table back with its dtypes (from Parquet when present)."""
    out_dir = Path(out_dir)
    parquet = out_dir / f"{name}.parquet"
    if parquet.exists():
        # A Python file object, not the path: pyarrow would open the path in C++,
        # unseen by the main job's record of what each notebook reads.
        with open(parquet, "rb") as fh:
            df = pd.read_parquet(fh)
    else:
        df = pd.read_csv(out_dir / f"{name}.csv")
        for col in _LIST_COLUMNS:
            if col in df.columns:
                df[col] = [json.loads(v) for v in df[col]]
    for col in _LIST_COLUMNS:
        if col in df.columns:
            df[col] = [list(v) for v in df[col]]
    for col in df.columns:
        if pd.api.types.is_datetime64_any_dtype(df[col]):
            df[col] = df[col].astype("datetime64[s]")  # Parquet stores at least milliseconds
    if "meeting" in df.columns and not isinstance(df["meeting"].dtype, pd.CategoricalDtype):
        df["meeting"] = df["meeting"].astype(meeting_dtype(int(df["meeting"].max())))
    return df

"""Write and read the processed tables in ``data/processed/``: one writer, one reader.

Every table is registered in :data:`analysis.data.schema.SCHEMAS` (columns,
dtypes, a one-line description of each column) and written twice by
:func:`write_table`: a UTF-8 CSV for people and spreadsheets, and a Parquet
file beside it that keeps the dtypes. List columns (``subitems``,
``footnotes``) become JSON arrays in the CSV. Writes are deterministic (same
frame, same bytes) and atomic (a temporary file renamed into place), so an
interrupted run never leaves half a table behind. A frame that does not fit
its schema is refused with a :class:`~analysis.data.schema.TableSchemaError`
that names the table and the column.

:func:`read_table` gives a table back with its registered dtypes, from the
Parquet file or, where only the CSV is there, from the CSV. An empty string
and a missing value look the same in a CSV, so the writer stores an empty
string as missing: both files then read back the same.

Examples
--------
>>> from analysis.data.corpus import load_corpus
>>> text = to_csv_text(load_corpus().meetings)
>>> text.splitlines()[0].split(",")[:4]
['meeting', 'roman', 'ordinal', 'city']
"""

from __future__ import annotations

import io
import json
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.data.corpus import Corpus, meeting_dtype
from analysis.data.files import atomic_path, atomic_write_bytes
from analysis.data.paths import PROCESSED_DIR
from analysis.data.schema import Column, TableSchema, TableSchemaError, schema

__all__ = [
    "CORPUS_TABLES",
    "conform",
    "corpus_tables",
    "from_text",
    "lists_as_json",
    "read_table",
    "table_exists",
    "to_csv_text",
    "write_table",
    "write_tables",
]

#: The tables the corpus step writes, by file stem.
CORPUS_TABLES: tuple[str, ...] = ("meetings", "paragraphs", "recommendations", "subitems", "footnotes")


def corpus_tables(corpus: Corpus) -> dict[str, pd.DataFrame]:
    """The corpus DataFrames that are written to ``data/processed/``, by name."""
    return {name: getattr(corpus, name) for name in CORPUS_TABLES}


# --------------------------------------------------------------------------- the schema applied


def _is_text(values: pd.Series) -> bool:
    if values.isna().all():
        return True
    return bool(pd.api.types.is_string_dtype(values.dtype)) and all(isinstance(v, str) for v in values.dropna())


def _conform_column(values: pd.Series, col: Column, table: str) -> pd.Series:
    """``values`` with the registered dtype of ``col``; a :class:`TableSchemaError` when it does not fit."""
    dtype = values.dtype
    kind = col.dtype
    fits = {
        "string": lambda: _is_text(values),
        "int64": lambda: pd.api.types.is_integer_dtype(dtype) and not values.isna().any(),
        "Int64": lambda: pd.api.types.is_integer_dtype(dtype),
        "float64": lambda: pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype),
        "Float64": lambda: pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype),
        "date": lambda: pd.api.types.is_datetime64_any_dtype(dtype),
        "meeting": lambda: pd.api.types.is_integer_dtype(
            dtype.categories.dtype if isinstance(dtype, pd.CategoricalDtype) else dtype
        ),
        "list": lambda: all(isinstance(v, list | tuple | np.ndarray) for v in values),
        "category": lambda: set(values.dropna().astype(str)) <= set(col.categories),
    }[kind]()
    if not fits:
        raise TableSchemaError(
            f"table {table!r}, column {col.name!r}: dtype {dtype} does not fit the registered {kind!r} ({col.type_label})"
            + (" (missing values in an integer column registered without them)" if kind == "int64" else "")
        )
    if kind == "string":
        return values.astype("string").replace("", pd.NA)
    if kind in ("int64", "Int64", "float64", "Float64"):
        return values.astype(kind)
    if kind == "date":
        return values.astype("datetime64[s]")
    if kind == "meeting":
        if isinstance(dtype, pd.CategoricalDtype):
            return values
        return values.astype(meeting_dtype(int(values.max())))
    if kind == "list":
        return pd.Series([list(v) for v in values], index=values.index, dtype=object, name=values.name)
    return values.astype(pd.CategoricalDtype(list(col.categories), ordered=col.ordered))


def conform(df: pd.DataFrame, name: str) -> pd.DataFrame:
    """``df`` checked against the schema of table ``name`` and given its registered dtypes.

    Raises
    ------
    TableSchemaError
        Naming the table and the column: one missing, one not registered, or
        one whose values do not fit the registered dtype.

    Examples
    --------
    >>> conform(pd.DataFrame({"footnote": [1], "text": ["x"], "line": [3]}), "footnotes")
    Traceback (most recent call last):
    ...
    analysis.data.schema.TableSchemaError: table 'footnotes': column 'cited_by' is missing
    """
    spec = schema(name)
    missing = [c for c in spec.columns if c not in df.columns]
    if missing:
        raise TableSchemaError(f"table {name!r}: column {missing[0]!r} is missing")
    extra = [c for c in df.columns if c not in spec.columns]
    if extra:
        raise TableSchemaError(f"table {name!r}: column {extra[0]!r} is not registered in analysis.data.schema")
    out = pd.DataFrame({c.name: _conform_column(df[c.name], c, name) for c in spec})
    return out.reset_index(drop=True)


def from_text(df: pd.DataFrame, name: str) -> pd.DataFrame:
    """A table read as text (every cell a string or missing: a CSV, a spreadsheet) with its registered dtypes.

    >>> raw = pd.DataFrame({"footnote": ["1"], "text": ["x"], "line": ["3"], "cited_by": [None]})
    >>> from_text(raw, "footnotes").dtypes.astype(str).tolist()
    ['Int64', 'string', 'Int64', 'string']
    """
    spec = schema(name)
    out = {}
    for col in spec:
        values = df[col.name].astype(object).where(df[col.name].notna(), None)
        if col.dtype in ("int64", "Int64", "meeting"):
            parsed = pd.to_numeric(values).astype("Int64")
            out[col.name] = parsed.astype(meeting_dtype(int(parsed.max()))) if col.dtype == "meeting" else parsed
        elif col.dtype in ("float64", "Float64"):
            out[col.name] = pd.to_numeric(values).astype(col.dtype)
        elif col.dtype == "date":
            out[col.name] = pd.to_datetime(values)
        elif col.dtype == "list":
            out[col.name] = pd.Series([json.loads(v) for v in values], dtype=object)
        else:
            out[col.name] = values
    return conform(pd.DataFrame(out), name)


# --------------------------------------------------------------------------- writing


def lists_as_json(df: pd.DataFrame) -> pd.DataFrame:
    """List columns as JSON arrays, the form a CSV or a spreadsheet cell keeps them in."""
    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object and any(isinstance(v, list | tuple | np.ndarray) for v in out[col]):
            out[col] = [json.dumps(list(v), ensure_ascii=False) for v in out[col]]
    return out


def to_csv_text(df: pd.DataFrame, float_format: str | None = None) -> str:
    """The exact CSV text written for ``df`` (UTF-8, ``\\n`` line ends, ISO dates, lists as JSON)."""
    return lists_as_json(df).to_csv(index=False, lineterminator="\n", date_format="%Y-%m-%d", float_format=float_format)


def _csv_bytes(df: pd.DataFrame, spec: TableSchema) -> bytes:
    return to_csv_text(df, spec.float_format).encode("utf-8")


def write_table(df: pd.DataFrame, name: str, out_dir: Path = PROCESSED_DIR) -> list[Path]:
    """Write ``df`` as ``<name>.csv`` and ``<name>.parquet`` in ``out_dir``; return the two paths.

    ``name`` must be registered in :data:`analysis.data.schema.SCHEMAS` and
    ``df`` must fit its schema (see :func:`conform`): the same columns, in any
    order, with values of the registered dtypes. Both files are written
    atomically and deterministically; a folder that cannot be written (read
    only, full) raises an :class:`OSError` naming the table and the file.
    """
    spec = schema(name)
    df = conform(df, name)
    out_dir = Path(out_dir)
    what = f"table {name!r}"
    paths = [atomic_write_bytes(out_dir / f"{name}.csv", _csv_bytes(df, spec), what=what)]
    target = out_dir / f"{name}.parquet"
    with atomic_path(target, what=what) as tmp:
        df.to_parquet(tmp, index=False, engine="pyarrow", compression="zstd")
    paths.append(target)
    return paths


def write_tables(tables: Mapping[str, pd.DataFrame], out_dir: Path = PROCESSED_DIR) -> list[Path]:
    """Write several tables; see :func:`write_table`."""
    written: list[Path] = []
    for name, df in tables.items():
        written += write_table(df, name, out_dir)
    return written


# --------------------------------------------------------------------------- reading


def table_exists(name: str, out_dir: Path = PROCESSED_DIR) -> bool:
    """Whether table ``name`` has been written to ``out_dir`` (as Parquet or CSV)."""
    schema(name)
    out_dir = Path(out_dir)
    return (out_dir / f"{name}.parquet").is_file() or (out_dir / f"{name}.csv").is_file()


def read_table(name: str, out_dir: Path = PROCESSED_DIR) -> pd.DataFrame:
    """Read processed table ``name`` back with its registered dtypes (from Parquet when present, else CSV).

    Raises
    ------
    KeyError
        If ``name`` is not a registered table.
    FileNotFoundError
        If the table has not been written yet (the message says which step writes it).
    """
    schema(name)
    out_dir = Path(out_dir)
    parquet, csv = out_dir / f"{name}.parquet", out_dir / f"{name}.csv"
    # Files are opened as Python file objects, not paths: pyarrow would open a
    # path in C++, unseen by the main job's record of what each notebook reads.
    if parquet.is_file():
        with open(parquet, "rb") as fh:
            return conform(pd.read_parquet(fh), name)
    if not csv.is_file():
        raise FileNotFoundError(f"{csv} not found: run `make figures` to write the processed tables")
    with open(csv, "rb") as fh:
        raw = pd.read_csv(io.BytesIO(fh.read()), dtype=str, keep_default_na=False, na_values=[""], encoding="utf-8")
    return from_text(raw, name)

"""The processed tables as one Excel workbook, for analysts who work in a spreadsheet.

:func:`to_excel` writes one sheet per table of ``data/processed/`` (or a
chosen subset), each read with :func:`analysis.data.tables.read_table`, plus
a "data dictionary" sheet (table, column, type, description) built from the
schema registry, :data:`analysis.data.schema.SCHEMAS`. List columns are JSON
arrays, as in the CSV files; dates are Excel dates shown as ``YYYY-MM-DD``.
The workbook is written to a temporary file and renamed into place.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.data.files import atomic_path
from analysis.data.paths import PROCESSED_DIR
from analysis.data.schema import SCHEMAS, data_dictionary, schema
from analysis.data.tables import lists_as_json, read_table, table_exists

__all__ = ["DICTIONARY_SHEET", "to_excel"]

#: Name of the sheet that describes every column of the workbook's tables.
DICTIONARY_SHEET = "data dictionary"
_MAX_SHEET_NAME = 31  # Excel's limit
_FORBIDDEN = set("[]:*?/\\")


def _check_sheet_name(name: str) -> str:
    if not name or len(name) > _MAX_SHEET_NAME or _FORBIDDEN & set(name):
        raise ValueError(f"{name!r} is not a valid Excel sheet name (1–31 characters, none of []:*?/\\)")
    return name


def _cells(df: pd.DataFrame, table: str) -> pd.DataFrame:
    """Lists as JSON arrays; text that Excel would take for a formula (``=…``) is refused, not altered."""
    out = lists_as_json(df)
    for col in out.columns:
        if not pd.api.types.is_numeric_dtype(out[col].dtype) and not pd.api.types.is_datetime64_any_dtype(out[col].dtype):
            if out[col].astype("string").str.startswith("=", na=False).any():
                raise ValueError(f"table {table!r}, column {col!r}: text that Excel would read as a formula")
    return out


def _date_format(sheet: Any, df: pd.DataFrame) -> None:
    """Show date columns as dates only (pandas gives datetimes a time of day)."""
    for j, col in enumerate(df.columns, 1):
        if pd.api.types.is_datetime64_any_dtype(df[col].dtype):
            for (cell,) in sheet.iter_rows(min_row=2, max_row=len(df) + 1, min_col=j, max_col=j):
                cell.number_format = "YYYY-MM-DD"


def to_excel(
    path: str | Path,
    tables: Sequence[str] | None = None,
    directory: str | Path = PROCESSED_DIR,
) -> Path:
    """Write the processed tables to the workbook ``path`` (.xlsx) and return its path.

    Parameters
    ----------
    path : path
        The workbook to write, e.g. ``"wg4_tables.xlsx"``; a relative path is
        taken from the current directory.
    tables : sequence of str, optional
        The tables to include, in this order. By default every registered
        table that has been written, in the order of the pipeline.
    directory : path
        Where the processed tables are (default ``data/processed/``).

    Returns
    -------
    Path
        ``path``. The workbook holds one sheet per table, named after it, and
        a last sheet, "data dictionary", with one row per column of those
        tables: ``table``, ``column``, ``type``, ``description``.

    Raises
    ------
    KeyError
        If a name in ``tables`` is not a registered table.
    FileNotFoundError
        If a table asked for has not been written yet, or none has.
    """
    directory = Path(directory)
    if tables is None:
        names = [name for name in SCHEMAS if table_exists(name, directory)]
        if not names:
            raise FileNotFoundError(f"no processed table in {directory}: run `make figures` first")
    else:
        names = [schema(name).name for name in tables]
    frames = {_check_sheet_name(name): _cells(read_table(name, directory), name) for name in names}
    dictionary = pd.DataFrame(data_dictionary(names), columns=["table", "column", "type", "description"])
    path = Path(path)
    with atomic_path(path, what="workbook") as tmp:
        with pd.ExcelWriter(tmp, engine="openpyxl") as xl:
            for name, df in frames.items():
                df.to_excel(xl, sheet_name=name, index=False, freeze_panes=(1, 0))
                _date_format(xl.sheets[name], df)
            dictionary.to_excel(xl, sheet_name=_check_sheet_name(DICTIONARY_SHEET), index=False, freeze_panes=(1, 0))
    return path

"""The processed tables as one Excel workbook."""

from __future__ import annotations

import os

import openpyxl
import pandas as pd
import pytest

from analysis.data import to_excel
from analysis.data.schema import SCHEMAS
from analysis.data.tables import from_text, read_table, table_exists
from analysis.data.workbook import DICTIONARY_SHEET

written = [name for name in SCHEMAS if table_exists(name)]


@pytest.fixture(scope="module")
def workbook(tmp_path_factory):
    return to_excel(tmp_path_factory.mktemp("xl") / "wg4_tables.xlsx")


def test_one_sheet_per_table_and_the_dictionary(workbook):
    book = openpyxl.load_workbook(workbook)
    assert book.sheetnames == [*written, DICTIONARY_SHEET]
    assert all(1 <= len(name) <= 31 for name in book.sheetnames)
    assert not set("[]:*?/\\") & set("".join(book.sheetnames))


@pytest.mark.parametrize("name", written)
def test_the_data_round_trips(workbook, name):
    sheet = pd.read_excel(workbook, sheet_name=name, dtype=str, keep_default_na=False, na_values=[""])
    pd.testing.assert_frame_equal(from_text(sheet, name), read_table(name), check_dtype=True)


def test_dates_are_excel_dates(workbook):
    book = openpyxl.load_workbook(workbook)
    cell = next(book["meetings"].iter_rows(min_row=2, max_row=2, min_col=6, max_col=6))[0]
    assert cell.is_date and cell.number_format == "YYYY-MM-DD"


def test_the_dictionary_lists_every_column(workbook):
    dictionary = pd.read_excel(workbook, sheet_name=DICTIONARY_SHEET, dtype=str)
    assert dictionary.columns.tolist() == ["table", "column", "type", "description"]
    expected = [(name, col) for name in written for col in SCHEMAS[name].columns]
    assert list(zip(dictionary["table"], dictionary["column"], strict=True)) == expected
    assert dictionary["description"].notna().all() and dictionary["type"].notna().all()


def test_a_subset_in_the_order_asked(tmp_path):
    path = to_excel(tmp_path / "two.xlsx", ["theme_shares", "meetings"])
    assert pd.ExcelFile(path).sheet_names == ["theme_shares", "meetings", DICTIONARY_SHEET]
    dictionary = pd.read_excel(path, sheet_name=DICTIONARY_SHEET)
    assert dictionary["table"].unique().tolist() == ["theme_shares", "meetings"]


def test_writing_is_atomic(tmp_path, monkeypatch):
    path = to_excel(tmp_path / "t.xlsx", ["meetings"])
    before = path.read_bytes()
    assert oct(os.stat(path).st_mode & 0o777) == "0o644"
    with pytest.raises(KeyError):
        to_excel(path, ["meetings", "nope"])
    import analysis.data.workbook as wb

    def broken(df, table):
        raise RuntimeError("interrupted")

    monkeypatch.setattr(wb, "_cells", broken)
    with pytest.raises(RuntimeError):
        to_excel(path, ["meetings"])
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t.xlsx"]


def test_text_that_excel_would_take_for_a_formula_is_refused(tmp_path):
    from analysis.data.tables import write_table

    notes = pd.DataFrame({"footnote": [1], "text": ["=1+1"], "line": [3], "cited_by": ["1.2"]})
    write_table(notes, "footnotes", tmp_path)
    with pytest.raises(ValueError, match="'footnotes', column 'text'"):
        to_excel(tmp_path / "x.xlsx", ["footnotes"], directory=tmp_path)
    assert not (tmp_path / "x.xlsx").exists()

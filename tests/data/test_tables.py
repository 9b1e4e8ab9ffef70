"""The processed tables: committed files equal what the loader produces, and round-trip."""

from __future__ import annotations

import os

import pandas as pd
import pytest

from analysis.data.corpus import load_corpus
from analysis.data.paths import PROCESSED_DIR
from analysis.data.tables import CORPUS_TABLES, corpus_tables, read_table, to_csv_text, write_table


@pytest.fixture(scope="module")
def tables():
    return corpus_tables(load_corpus())


@pytest.mark.parametrize("name", CORPUS_TABLES)
def test_committed_csv_equals_what_the_loader_produces(tables, name):
    committed = (PROCESSED_DIR / f"{name}.csv").read_text(encoding="utf-8")
    assert committed == to_csv_text(tables[name]), f"data/processed/{name}.csv is stale: run `make figures`"


@pytest.mark.parametrize("name", CORPUS_TABLES)
def test_committed_parquet_equals_what_the_loader_produces(tables, name):
    pd.testing.assert_frame_equal(read_table(name), tables[name], check_dtype=True)


def test_csv_keeps_lists_as_json_and_dates_as_iso(tables):
    text = to_csv_text(tables["recommendations"])
    assert '"[""disposiciones que permitan a las víctimas iniciar' in text
    assert ",2009-04-14," in text


def test_round_trip_through_csv_only(tables, tmp_path):
    write_table(tables["recommendations"], "recommendations", tmp_path)
    (tmp_path / "recommendations.parquet").unlink()
    back = read_table("recommendations", tmp_path)
    assert back["rec_id"].tolist() == tables["recommendations"]["rec_id"].tolist()
    assert back.set_index("rec_id").loc["4.46.j", "subitems"][5].startswith("cualquier otro gasto")


def test_writes_are_atomic_and_leave_no_temporary_files(tables, tmp_path):
    write_table(tables["meetings"], "meetings", tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["meetings.csv", "meetings.parquet"]
    assert oct(os.stat(tmp_path / "meetings.csv").st_mode & 0o777) == "0o644"
    again = (tmp_path / "meetings.csv").read_bytes()
    write_table(tables["meetings"], "meetings", tmp_path)
    assert (tmp_path / "meetings.csv").read_bytes() == again

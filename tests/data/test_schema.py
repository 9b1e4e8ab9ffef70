"""The schema registry: every processed table round-trips, mismatches are named, the README documents every column."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from analysis.data.paths import PROCESSED_DIR, PROJECT_ROOT
from analysis.data.schema import SCHEMAS, TableSchemaError
from analysis.data.tables import conform, read_table, table_exists, write_table

written = [name for name in SCHEMAS if table_exists(name)]


def test_every_committed_table_is_registered():
    stems = {p.stem for p in PROCESSED_DIR.glob("*.csv")} | {p.stem for p in PROCESSED_DIR.glob("*.parquet")}
    assert stems <= set(SCHEMAS), f"unregistered tables in data/processed/: {sorted(stems - set(SCHEMAS))}"


@pytest.mark.parametrize("name", written)
def test_round_trip_of_every_registered_table(name, tmp_path):
    """Committed table -> write_table -> read_table, from Parquet and from the CSV alone: the same frame and
    the same CSV bytes as committed."""
    table = read_table(name)
    assert tuple(table.columns) == SCHEMAS[name].columns
    write_table(table, name, tmp_path)
    assert (tmp_path / f"{name}.csv").read_bytes() == (PROCESSED_DIR / f"{name}.csv").read_bytes()
    pd.testing.assert_frame_equal(read_table(name, tmp_path), table, check_dtype=True)
    (tmp_path / f"{name}.parquet").unlink()
    pd.testing.assert_frame_equal(read_table(name, tmp_path), table, check_dtype=True)


@pytest.mark.parametrize("name", written)
def test_writes_are_deterministic(name, tmp_path):
    table = read_table(name)
    write_table(table, name, tmp_path / "a")
    write_table(table, name, tmp_path / "b")
    for ext in ("csv", "parquet"):
        assert (tmp_path / "a" / f"{name}.{ext}").read_bytes() == (tmp_path / "b" / f"{name}.{ext}").read_bytes()


def _footnotes() -> pd.DataFrame:
    return pd.DataFrame({"footnote": [1, 2], "text": ["a", "b"], "line": [3, 4], "cited_by": ["1.2", "2.3"]})


def test_a_missing_column_is_named(tmp_path):
    with pytest.raises(TableSchemaError, match=r"table 'footnotes': column 'cited_by' is missing"):
        write_table(_footnotes().drop(columns="cited_by"), "footnotes", tmp_path)
    assert not list(tmp_path.iterdir())


def test_an_unregistered_column_is_named(tmp_path):
    with pytest.raises(TableSchemaError, match=r"table 'footnotes': column 'extra' is not registered"):
        write_table(_footnotes().assign(extra=1), "footnotes", tmp_path)


def test_a_wrong_dtype_is_named(tmp_path):
    with pytest.raises(TableSchemaError, match=r"table 'footnotes', column 'line': dtype str"):
        write_table(_footnotes().assign(line=["three", "four"]), "footnotes", tmp_path)
    with pytest.raises(TableSchemaError, match=r"table 'themes', column 'size'"):
        themes = read_table("themes") if table_exists("themes") else None
        if themes is None:
            pytest.skip("the themes table has not been written")
        write_table(themes.assign(size=themes["size"].astype(float) / 2), "themes", tmp_path)
    with pytest.raises(TableSchemaError, match=r"table 'unit_language', column 'modality'"):
        lang = read_table("unit_language")
        write_table(lang.assign(modality="maybe"), "unit_language", tmp_path)


def test_an_unknown_table_is_refused(tmp_path):
    with pytest.raises(KeyError, match="no processed table 'nope'"):
        write_table(_footnotes(), "nope", tmp_path)
    with pytest.raises(KeyError, match="no processed table 'nope'"):
        read_table("nope", tmp_path)


def test_empty_text_is_stored_as_missing_so_csv_and_parquet_agree(tmp_path):
    write_table(_footnotes().assign(cited_by=["", "2.3"]), "footnotes", tmp_path)
    from_parquet = read_table("footnotes", tmp_path)
    (tmp_path / "footnotes.parquet").unlink()
    pd.testing.assert_frame_equal(read_table("footnotes", tmp_path), from_parquet)
    assert from_parquet["cited_by"].isna().tolist() == [True, False]


def test_columns_may_come_in_any_order_and_are_written_in_the_registered_one():
    out = conform(_footnotes()[["text", "footnote", "cited_by", "line"]], "footnotes")
    assert out.columns.tolist() == ["footnote", "text", "line", "cited_by"]


def test_the_categories_are_the_language_step_s():
    from analysis.language.modality import ADDRESSEES, MODALITY_LEVELS, UNKNOWN

    spec = SCHEMAS["unit_language"]
    assert spec.column("addressee").categories == ADDRESSEES
    assert spec.column("modality").categories == (*MODALITY_LEVELS, UNKNOWN)
    assert spec.column("modality").ordered and not spec.column("addressee").ordered


def test_every_column_has_a_description_of_one_line():
    for spec in SCHEMAS.values():
        assert spec.description and "\n" not in spec.description
        for col in spec:
            assert col.description and "\n" not in col.description, (spec.name, col.name)


# --------------------------------------------------------------------------- README data dictionary


def _readme_sections() -> dict[str, str]:
    """The README's data dictionary, by table: the text from **`name`** to the next table's heading."""
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.index("### Data dictionary")
    end = readme.index("\n## ", start)
    text = readme[start:end]
    parts = re.split(r"^\*\*`(\w+)`\*\*", text, flags=re.MULTILINE)
    return {parts[i]: parts[i + 1] for i in range(1, len(parts), 2)}


def test_the_readme_documents_every_registered_table_and_column():
    sections = _readme_sections()
    assert list(sections) == list(SCHEMAS), "the README's data dictionary lists other tables, or in another order"
    for name, spec in SCHEMAS.items():
        named = set(re.findall(r"`([^`]+)`", sections[name]))
        missing = [c for c in spec.columns if c not in named]
        assert not missing, f"README data dictionary, table {name}: columns {missing} are not documented"


def test_the_readme_column_rows_name_only_registered_columns():
    for name, text in _readme_sections().items():
        for row in re.findall(r"^\| (`[^|]+) \|", text, flags=re.MULTILINE):
            for column in re.findall(r"`([^`]+)`", row):
                assert column in SCHEMAS[name].columns, f"README data dictionary, table {name}: no column {column!r}"

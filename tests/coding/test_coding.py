"""Coders' files, agreement statistics and validation against the reference, on the real codings."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.coding import (
    CODING_DIR, CodingError, confusion, disagreements, per_theme_scores, read_coding, reliability,
    validation_summary, write_coding,
)  # fmt: skip
from analysis.coding._statistics import _kappa_alpha, agreement_interval, cohen_kappa, krippendorff_alpha
from analysis.data import read_table
from analysis.themes import load_codebook


@pytest.fixture(scope="module")
def readings() -> tuple[pd.DataFrame, pd.DataFrame]:
    return read_coding(CODING_DIR / "reading_1.csv"), read_coding(CODING_DIR / "reading_2.csv")


def _write(tmp_path: Path, lines: list[str]) -> Path:
    path = tmp_path / "coder.csv"
    path.write_text("\n".join(["rec_id,coder,primary,secondary,note", *lines]) + "\n", encoding="utf-8")
    return path


IDS = ["a", "b", "c"]
UNITS = ["1.1", "1.2", "1.3"]


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        (["1.1,x,a,,", "1.2,x,zzz,,", "1.3,x,a,,"], r"coder.csv, line 3, field 'primary': unknown theme id 'zzz'"),
        (["1.1,x,a,,", "1.1,x,b,,", "1.3,x,a,,"], r"line 3, field 'rec_id': 1.1 is coded twice \(also line 2\)"),
        (["1.1,x,a,,", "1.2,x,b,,"], r"1 unit\(s\) not coded, first \['1.3'\]"),
        (["1.1,x,a,,", "1.2,x,b,,", "1.3,x,a,a,"], r"line 4, field 'secondary'"),
        (["1.1,x,a,b;c;b,", "1.2,x,b,,", "1.3,x,a,,"], r"line 2, field 'secondary'"),
        (["1.1,x,a,,", "1.2,x,b,,", "1.3,x,a,zz,"], r"line 4, field 'secondary': unknown theme id 'zz'"),
        (["1.1,x,a,,", "1.2,x,b,,", "1.3,x,a,,", "9.9,x,a,,"], r"line 5, field 'rec_id': no such unit '9.9'"),
        (["1.1,x,,,", "1.2,x,b,,", "1.3,x,a,,"], r"line 2, field 'primary': empty"),
        (["1.1,x,a,", "1.2,x,b,,", "1.3,x,a,,"], r"line 2: 4 fields, expected 5"),
    ],
)
def test_a_broken_coding_names_file_line_and_field(tmp_path: Path, lines: list[str], message: str) -> None:
    with pytest.raises(CodingError, match=message):
        read_coding(_write(tmp_path, lines), theme_ids=IDS, rec_ids=UNITS)


def test_a_wrong_header_is_named(tmp_path: Path) -> None:
    path = tmp_path / "coder.csv"
    path.write_text("id,primary\n1.1,a\n", encoding="utf-8")
    with pytest.raises(CodingError, match="line 1: the header must be rec_id,coder,primary,secondary,note"):
        read_coding(path, theme_ids=IDS, rec_ids=UNITS)


def test_a_coding_survives_a_round_trip(tmp_path: Path, readings) -> None:
    first, _ = readings
    again = read_coding(write_coding(first, tmp_path / "copy.csv"))
    pd.testing.assert_frame_equal(again, first)


def test_the_real_codings_cover_every_unit_with_codebook_themes(readings, recs) -> None:
    ids = set(load_codebook().ids)
    for coding in readings:
        assert coding["rec_id"].tolist() == recs["rec_id"].tolist()
        assert set(coding["primary"]) <= ids
        assert coding["secondary"].map(len).max() <= 2


def test_the_fast_bootstrap_formulas_equal_the_reference_implementations(readings) -> None:
    first, second = readings
    # the real codings, and the first against a copy with every 7th unit recoded (more disagreement)
    altered = second["primary"].copy()
    altered.iloc[::7] = np.roll(altered.iloc[::7].to_numpy(), 1)
    for x, y in ((first["primary"], second["primary"]), (first["primary"], altered)):
        labels = sorted(set(x) | set(y))
        code = {label: i for i, label in enumerate(labels)}
        a, b = x.map(code).to_numpy(), y.map(code).to_numpy()
        kappa, alpha = _kappa_alpha(a, b, np.ones((1, len(a))), len(labels))
        assert kappa[0] == pytest.approx(cohen_kappa(x.tolist(), y.tolist()), abs=1e-12)
        assert alpha[0] == pytest.approx(krippendorff_alpha(x.tolist(), y.tolist()), abs=1e-12)


def test_resampling_paragraphs_widens_the_interval_when_disagreement_clusters() -> None:
    # 40 paragraphs of 5 items; the coders disagree on every item of 6 paragraphs
    first = ["a", "b", "c", "d", "e"] * 40
    second = list(first)
    for p in range(0, 30, 5):
        second[5 * p: 5 * p + 5] = ["b", "c", "d", "e", "a"]
    paragraphs = [str(i // 5) for i in range(200)]
    by_paragraph = agreement_interval(first, second, paragraphs, n_boot=1000)
    by_unit = agreement_interval(first, second, [str(i) for i in range(200)], n_boot=1000)
    width = lambda ci: ci["kappa_high"] - ci["kappa_low"]  # noqa: E731
    assert width(by_paragraph) > 1.5 * width(by_unit)
    assert by_paragraph["kappa_low"] < cohen_kappa(first, second) < by_paragraph["kappa_high"]


def test_reliability_has_one_row_overall_and_one_per_theme(readings) -> None:
    first, second = readings
    ids = load_codebook().ids
    table = reliability(first, second, theme_ids=ids, n_boot=300)
    assert table["scope"].tolist() == ["overall"] + ["theme"] * len(ids)
    assert table["theme_id"].iloc[1:].tolist() == ids
    overall = table.iloc[0]
    assert overall["agreement"] == pytest.approx((first["primary"] == second["primary"]).mean())
    assert overall["kappa_low"] <= overall["kappa"] <= overall["kappa_high"]
    assert (table.iloc[1:]["n_first"].sum(), table.iloc[1:]["n_second"].sum()) == (len(first), len(second))


def test_validation_of_the_codebook_model_against_the_reference(readings, recs) -> None:
    reference = read_coding(CODING_DIR / "reference.csv").set_index("rec_id")["primary"]
    assignments = read_table("recommendation_themes")
    model = assignments[assignments["method"] == "codebook"].set_index("rec_id")["theme_id"].astype(str)
    summary = validation_summary(model, reference)
    correct = int((model.loc[reference.index] == reference).sum())
    assert summary["accuracy"] == pytest.approx(correct / len(reference))
    scores = per_theme_scores(model, reference, load_codebook().ids)
    assert scores["support"].sum() == len(reference)
    table = confusion(model, reference, load_codebook().ids)
    assert table.to_numpy().sum() == len(reference) and int(np.trace(table.to_numpy()[:, : len(table)])) == correct
    differ = disagreements(model, reference, recs.set_index("rec_id")["text"])
    assert len(differ) == len(reference) - correct and differ["text"].notna().all()


def test_validation_tables_name_the_themes_for_readers(readings) -> None:
    reference = read_coding(CODING_DIR / "reference.csv").set_index("rec_id")["primary"]
    names = {t.id: t.name_en for t in load_codebook().themes}
    shifted = reference.copy()
    shifted.iloc[:10] = "datos"
    table = confusion(shifted, reference, list(names), names)
    assert list(table.index) == list(names.values()) and "Data, research and monitoring" in table.columns
    scores = per_theme_scores(shifted, reference, list(names), names)
    assert scores["theme"].tolist() == list(names.values())
    differ = disagreements(shifted, reference, names=names)
    assert set(differ["method"]) == {"Data, research and monitoring"} and not set(differ["reference"]) & set(names)
    rel = reliability(*readings, theme_ids=list(names), names=names, n_boot=100)
    assert rel["theme"].iloc[1:].tolist() == list(names.values())

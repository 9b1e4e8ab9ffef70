"""Every chart text table has the same keys in English and Spanish, and no empty entry."""

from __future__ import annotations

import pytest

from analysis.explore import explorer
from analysis.export import manifest
from analysis.viz import corpus, language, themes, trends

TABLES = {
    "viz.corpus": corpus._TEXT,
    "viz.language": language._TEXT,
    "viz.themes": themes._TEXT,
    "viz.trends": trends._TEXT,
    "explore.hover": explorer._HOVER_TEXT,
    "explore.timeline": explorer._TIMELINE_TEXT,
    "export.gallery": manifest._GALLERY_TEXT,
}


@pytest.mark.parametrize("name", sorted(TABLES))
def test_english_and_spanish_have_the_same_keys(name: str) -> None:
    table = TABLES[name]
    assert set(table) == {"en", "es"}
    missing_es = sorted(set(table["en"]) - set(table["es"]))
    missing_en = sorted(set(table["es"]) - set(table["en"]))
    assert not missing_es and not missing_en, f"{name}: only in English {missing_es}, only in Spanish {missing_en}"
    empty = [f"{lang}:{key}" for lang in table for key, text in table[lang].items() if not str(text).strip()]
    assert not empty, f"{name}: empty texts {empty}"

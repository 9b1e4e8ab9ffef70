"""The explorer: its logic without a browser, and the standalone page in a real, offline Chromium."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from analysis.run.browser import find_browser, headless_command
from analysis.data.corpus import load_corpus
from analysis.explore.explorer import Explorer, explorer_table, hover_text, timeline_figure, write_explorer_html
from analysis.text.analyzer import normalize

MALICIOUS = '<img src=x onerror="document.title=\'PWNED\'"><script>document.title=\'PWNED\'</script> víctimas'


@pytest.fixture(scope="module")
def table():
    return explorer_table()


@pytest.fixture(scope="module")
def explorer(table):
    return Explorer(table)


def test_table_has_one_row_per_unit_with_themes(table):
    units = load_corpus().recommendations
    assert table["rec_id"].tolist() == units["rec_id"].tolist()
    assert table["theme"].notna().all() and table["discovery_theme"].notna().all()
    assert {"addressee", "modality"} <= set(table.columns)


def test_search_highlights_the_results_in_the_linked_chart(explorer):
    explorer.update("organos", meeting=4)
    res = explorer.results
    assert len(res) >= 8 and (res["meeting"] == 4).all()
    assert res.loc[0, "rec_id"] == "4.1"
    selected = {
        rec for trace in explorer.figure.data for i, rec in enumerate(trace.customdata)
        if i in set(trace.selectedpoints or [])
    }
    assert selected == set(res["rec_id"])
    assert "<mark>órganos</mark>" in explorer.results_html()


def test_filters_without_a_query(explorer, table):
    theme = table["theme"].value_counts().index[0]
    explorer.update("", theme=theme, meeting=Explorer.ALL)
    assert len(explorer.results) == (table["theme"] == theme).sum()
    explorer.update("", meeting="2")
    assert set(explorer.results["meeting"]) == {2}


def test_the_widget_builds_and_reacts(explorer):
    ui = explorer.widget
    query = ui.children[0].children[0]
    query.value = "indemnización"
    assert explorer.results.loc[0, "rec_id"] == "1.13"
    assert "1.13" in ui.children[-1].value


def test_hover_text_is_escaped_and_complete(table):
    row = table.iloc[0].copy()
    row["text"] = MALICIOUS
    out = hover_text(row)
    assert "<img" not in out and "<script>" not in out and "&lt;script&gt;" in out
    assert out.startswith(f"<b>{row['rec_id']}</b>")


def test_timeline_has_every_unit_once(table):
    fig = timeline_figure(table)
    ids = [r for trace in fig.data for r in trace.customdata]
    assert sorted(ids) == sorted(table["rec_id"]) and fig.layout.title.text


# --------------------------------------------------------------------------- real browser

BROWSER = find_browser()


def _dump_dom(page: Path, fragment: str, tmp_path: Path) -> str:
    cmd = headless_command(
        f"{page.as_uri()}#{fragment}", user_data_dir=tmp_path / "profile",
        extra=("--virtual-time-budget=8000", "--dump-dom"),
    )
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


@pytest.fixture(scope="module")
def page(table, tmp_path_factory):
    hostile = table.copy()
    hostile.loc[0, "text"] = MALICIOUS
    out = tmp_path_factory.mktemp("explorer") / "html" / "explorer.html"
    return write_explorer_html(hostile, out), hostile


@pytest.mark.skipif(BROWSER is None, reason="no Chromium/Chrome found")
def test_standalone_page_renders_offline_and_filters(page, tmp_path):
    path, hostile = page
    assert "https://" not in path.read_text(encoding="utf-8").split("<script type=\"application/json\"")[0]
    dom = _dump_dom(path, "meeting=4&q=organos", tmp_path)
    folded = [normalize(f"{li} {t}") for li, t in zip(hostile["lead_in"], hostile["text"])]
    expected = sum(1 for f, m in zip(folded, hostile["meeting"]) if m == 4 and "organos" in f)
    assert expected >= 8
    assert f"{expected} of {len(hostile)} recommendations" in dom
    assert 'class="main-svg"' in dom  # plotly drew the chart
    assert dom.count('class="point"') == expected
    assert dom.count("<li>") == expected


@pytest.mark.skipif(BROWSER is None, reason="no Chromium/Chrome found")
def test_malicious_text_shows_as_text_and_never_runs(page, tmp_path):
    path, hostile = page
    dom = _dump_dom(path, "q=pwned", tmp_path)
    assert "PWNED" not in dom.split("</title>")[0]  # neither script changed the title
    assert "1 of " in dom
    assert '<img src="x"' not in dom and "<img src=x" not in dom  # no element was created
    assert "&lt;img src=x onerror=" in dom  # the text is shown, escaped

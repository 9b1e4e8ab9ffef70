"""Every committed figure passes the audit, and the audit catches a broken one."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from analysis.export import audit, read_manifest
from analysis.data.paths import FIGURES_DIR


def test_every_committed_figure_passes_the_audit():
    report = audit()
    assert len(report) == len(read_manifest()) >= 2
    failing = report.loc[~report["ok"], "name"].tolist()
    assert failing == [], f"figures failing the audit: {failing}"


def test_the_audit_catches_a_broken_figure(tmp_path: Path):
    name = sorted(read_manifest())[0]
    entry = read_manifest()[name]
    for rel in entry["files"].values():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(FIGURES_DIR / rel, tmp_path / rel)
    (tmp_path / entry["files"]["svg"]).write_text("<svg><g></svg>", encoding="utf-8")  # not XML
    html = tmp_path / entry["files"]["html"]
    html.write_text(html.read_text(encoding="utf-8").replace(
        'src="../../html/plotly.min.js"', 'src="https://cdn.plot.ly/plotly-3.0.0.min.js"'), encoding="utf-8")
    entry = {**entry, "caption": ""}
    (tmp_path / "manifest.json").write_text(json.dumps({"figures": {name: entry}}), encoding="utf-8")
    row = audit(tmp_path / "manifest.json").iloc[0]
    assert row["png_ok"] and row["pdf_ok"]
    assert not row["svg_ok"] and not row["html_offline"] and not row["described"] and not row["ok"]


def test_every_figure_has_its_own_title_and_a_caption_that_says_more():
    """In a gallery or a report, two figures of one language never share a title, and no caption repeats it."""
    entries = read_manifest().values()
    for lang in ("en", "es"):
        titles = [e["title"] for e in entries if e["lang"] == lang]
        assert len(titles) == len(set(titles)), f"{lang}: titles used twice: {sorted({t for t in titles if titles.count(t) > 1})}"
    same = [e["key"] for e in entries if e["caption"].strip().rstrip(".") == e["title"].strip().rstrip(".")]
    assert same == [], f"captions equal to their title: {same}"
    for lang, gallery in (("en", "README.md"), ("es", "README.es.md")):
        headings = [line for line in (FIGURES_DIR / gallery).read_text(encoding="utf-8").splitlines() if line.startswith("## ")]
        assert len(headings) == len(set(headings)) == sum(e["lang"] == lang for e in entries)

"""Figure export: the files, the manifest, the gallery, determinism and failure modes.

One batch of real exports (kaleido + Chromium, started once) is shared by the
module; the tests of argument checking and atomic writes need no browser.
"""

from __future__ import annotations

import base64
import json
import re
import struct
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import plotly
import plotly.graph_objects as go
import pytest
from plotly.utils import PlotlyJSONEncoder

from analysis.export import exporter as ex
from analysis.run.browser import BrowserNotFoundError, find_browser
from analysis.export import ExportError, FigureExporter, export, export_session, read_manifest, write_gallery
from analysis.export.normalise import hash_data, normalise_pdf, normalise_svg, png_size
from analysis.data.paths import FIGURES_DIR, PROJECT_ROOT
from analysis.viz.style import style_figure, theme_colors

#: Every format the exporter writes (a named figure gets PNG, SVG and HTML unless asked).
ALL = ("png", "svg", "pdf", "html")

needs_browser = pytest.mark.skipif(find_browser() is None, reason="no Chromium/Chrome found for kaleido")

THEMES = ["Prevención", "Protección de las víctimas", "Enjuiciamiento", "Cooperación internacional"]
COUNTS = [41, 77, 58, 1234.5]
NOTEBOOK = "notebooks/01_corpus_overview.ipynb"


def theme_frame() -> pd.DataFrame:
    return pd.DataFrame({"tema": THEMES, "unidades": COUNTS})


def bar_figure(lang: str = "es") -> go.Figure:
    df = theme_frame()
    colors = theme_colors(THEMES)
    fig = go.Figure(go.Bar(
        x=df["tema"], y=df["unidades"], marker_color=[colors[t] for t in df["tema"]],
        texttemplate="%{y:,.1f}", textposition="outside", name="Unidades",
    ))  # fmt: skip
    return style_figure(
        fig, title="Recomendaciones por tema", subtitle="Unidades de recomendación, 2009-2018",
        caption="Número de unidades de recomendación asignadas a cada tema.", lang=lang,
    )  # fmt: skip


def date_figure(lang: str) -> go.Figure:
    dates = pd.to_datetime(["2009-04-14", "2010-01-27", "2011-10-19", "2013-11-06", "2015-11-16"])
    fig = go.Figure(go.Scatter(x=dates, y=[46, 61, 65, 44, 22], mode="lines+markers", name="Unidades"))
    fig.update_xaxes(tickformat="%b %Y", dtick="M6")
    return style_figure(fig, title="Unidades por reunión", caption="Unidades aprobadas en cada reunión.", lang=lang)


# --------------------------------------------------------------------------- one real batch


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    if find_browser() is None:
        pytest.skip("no Chromium/Chrome found for kaleido")
    out = tmp_path_factory.mktemp("figures")
    with export_session(out, source_notebook=NOTEBOOK) as session:
        paths = export(bar_figure(), "temas", data=theme_frame(), formats=ALL)
        dates_es = export(date_figure("es"), "reuniones_es", formats=["svg"])
        dates_en = session.export(date_figure("en"), "reuniones_en", formats=["svg"], scale=2)
        starts = session.browser_starts
    yield {"out": out, "paths": paths, "dates_es": dates_es, "dates_en": dates_en, "starts": starts}


@needs_browser
def test_one_browser_start_for_the_whole_batch(batch: dict[str, Any]) -> None:
    assert batch["starts"] == 1


@needs_browser
def test_files_are_laid_out_by_format(batch: dict[str, Any]) -> None:
    out: Path = batch["out"]
    assert batch["paths"] == {fmt: out / "es" / fmt / f"temas.{fmt}" for fmt in ("png", "svg", "pdf", "html")}
    assert all(p.is_file() and p.stat().st_size > 0 for p in batch["paths"].values())
    leftovers = [p for p in out.rglob("*") if p.name.endswith(".tmp")]
    assert leftovers == []


@needs_browser
def test_png_is_valid_and_at_print_resolution(batch: dict[str, Any]) -> None:
    data = batch["paths"]["png"].read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert png_size(data) == (900 * 3, 540 * 3)
    assert data[-12:] == struct.pack(">I", 0) + b"IEND" + struct.pack(">I", 0xAE426082)


@needs_browser
def test_svg_is_xml_with_the_chart_text_and_spanish_numbers(batch: dict[str, Any]) -> None:
    svg = batch["paths"]["svg"].read_text(encoding="utf-8")
    root = ET.fromstring(svg)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.get("viewBox") == "0 0 900 540"
    texts = "".join(root.itertext())
    assert "Recomendaciones por tema" in texts
    assert "Protección de las víctimas" in texts
    assert "CTOC/COP/WG.4" in texts  # the source note
    assert "1.234,5" in texts  # layout.separators ",." reached the static export
    assert not re.search(r'id="[^"]*\d{5,}', svg)  # random plotly.js ids were normalised


@needs_browser
def test_static_date_axes_speak_the_figures_language(batch: dict[str, Any]) -> None:
    es = "".join(ET.parse(batch["dates_es"]["svg"]).getroot().itertext())
    en = "".join(ET.parse(batch["dates_en"]["svg"]).getroot().itertext())
    assert "ene 2010" in es and "jul 2010" in es, es
    assert "Jan 2010" in en and "Jul 2010" in en and "ene" not in en, en


@needs_browser
def test_pdf_is_a_pdf_with_fixed_dates(batch: dict[str, Any]) -> None:
    pdf = batch["paths"]["pdf"].read_bytes()
    assert pdf.startswith(b"%PDF-1.")
    assert pdf.rstrip().endswith(b"%%EOF")
    dates = re.findall(rb"/(?:CreationDate|ModDate)\s*\(D:(\d{14})", pdf)
    assert dates and set(dates) == {b"20190101000000"}


class _Scripts(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.srcs: list[str] = []
        self.links: list[str] = []
        self.inline: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "script":
            self._in_script = True
            if a.get("src"):
                self.srcs.append(a["src"] or "")
        for key in ("href", "src"):
            if a.get(key) and tag != "script":
                self.links.append(a[key] or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.inline.append(data)


def _newplot_arguments(script: str, div_id: str) -> list[Any]:
    """The (data, layout, config) arguments of ``Plotly.newPlot(div_id, ...)``."""
    start = script.index("Plotly.newPlot(")
    rest = script[start + len("Plotly.newPlot(") :].lstrip()
    assert rest.startswith(json.dumps(div_id))
    rest = rest[len(json.dumps(div_id)) :]
    decoder = json.JSONDecoder()
    args = []
    for _ in range(3):
        rest = rest.lstrip().removeprefix(",").lstrip()
        value, end = decoder.raw_decode(rest)
        args.append(value)
        rest = rest[end:]
    return args


def _decode(values: Any) -> list[float]:
    """A plotly JSON array: a plain list, or a base64 typed array ``{"dtype", "bdata"}``."""
    if isinstance(values, dict):
        return np.frombuffer(base64.b64decode(values["bdata"]), dtype=values["dtype"]).tolist()
    return list(values)


@needs_browser
def test_html_holds_the_data_and_loads_only_the_shared_local_plotlyjs(batch: dict[str, Any]) -> None:
    page = batch["paths"]["html"]
    text = page.read_text(encoding="utf-8")
    parser = _Scripts()
    parser.feed(text)
    assert parser.srcs == ["../../html/plotly.min.js"]  # one relative script, shared by every language
    assert parser.links == []
    assert not re.search(r"https?://", text)  # no CDN, no MathJax, no fonts, no cloud
    # the data is inline, in the Plotly.newPlot call: theme labels and counts
    data, _layout, config = _newplot_arguments("".join(parser.inline), "temas")
    (bar,) = data
    assert list(bar["x"]) == THEMES
    assert _decode(bar["y"]) == COUNTS
    assert config["locale"] == "es" and config["responsive"] is True
    assert len(text) < 100_000  # plotly.js is not embedded
    shared = page.parent.parent.parent / "html" / "plotly.min.js"
    package_js = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    assert shared.read_bytes() == package_js.read_bytes()
    # caption and alt text are on the page for readers and screen readers
    assert "Número de unidades de recomendación asignadas a cada tema." in text
    assert 'aria-describedby="temas-alt"' in text


@needs_browser
def test_manifest_records_the_batch(batch: dict[str, Any]) -> None:
    out: Path = batch["out"]
    raw = (out / "manifest.json").read_text(encoding="utf-8")
    doc = json.loads(raw)
    assert raw == json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    figures = read_manifest(out / "manifest.json")
    assert sorted(figures) == ["en/reuniones_en", "es/reuniones_es", "es/temas"]
    temas = figures["es/temas"]
    assert temas["title"] == "Recomendaciones por tema"
    assert temas["subtitle"] == "Unidades de recomendación, 2009-2018"
    assert temas["caption"].startswith("Número de unidades")
    assert temas["alt_text"]
    assert temas["template"] == "wg4"
    assert temas["formats"] == ["png", "svg", "pdf", "html"]
    assert temas["files"]["html"] == "es/html/temas.html"
    assert temas["source_notebook"] == NOTEBOOK
    assert temas["data_hash"] == hash_data(theme_frame())
    assert temas["png_pixels"] == [2700, 1620]
    assert figures["en/reuniones_en"]["lang"] == "en" and figures["en/reuniones_en"]["scale"] == 2
    assert not re.search(r"20\d\d-\d\d-\d\dT", raw)  # no timestamps


@needs_browser
def test_gallery_shows_every_figure_with_its_caption(batch: dict[str, Any]) -> None:
    readme = (batch["out"] / "README.es.md").read_text(encoding="utf-8")
    assert "## Recomendaciones por tema" in readme
    assert "](es/png/temas.png)" in readme
    assert "Número de unidades de recomendación asignadas a cada tema." in readme
    assert "[SVG](es/svg/temas.svg)" in readme and "[PDF](es/pdf/temas.pdf)" in readme
    assert "(es/html/temas.html)" in readme
    assert readme.count("## Unidades por reunión") == 1
    english = (batch["out"] / "README.md").read_text(encoding="utf-8")
    assert english.count("## Unidades por reunión") == 1 and "(en/svg/reuniones_en.svg)" in english
    assert "[README.es.md](README.es.md)" in english


@needs_browser
def test_a_second_run_gives_identical_files(batch: dict[str, Any], tmp_path: Path) -> None:
    with export_session(tmp_path, source_notebook=NOTEBOOK):
        again = export(bar_figure(), "temas", data=theme_frame(), formats=ALL)
    for fmt, path in batch["paths"].items():
        assert again[fmt].read_bytes() == path.read_bytes(), fmt


# --------------------------------------------------------------------------- manifest merging


def test_manifest_merges_by_name_without_a_browser(tmp_path: Path) -> None:
    with FigureExporter(tmp_path, source_notebook="notebooks/02_a.ipynb") as a:
        a.export(bar_figure(), "a_uno", formats=["html"])
        a.export(bar_figure(), "a_dos", formats=["html"])
        assert a.browser_starts == 0  # HTML needs no Chromium
    fig = bar_figure().update_layout(title_text="Otro título")
    export(fig, "b_uno", formats=["html"], out_dir=tmp_path, source_notebook="notebooks/03_b.ipynb")
    export(fig, "a_uno", formats=["html"], out_dir=tmp_path, source_notebook="notebooks/02_a.ipynb")
    figures = read_manifest(tmp_path / "manifest.json")
    assert sorted(figures) == ["es/a_dos", "es/a_uno", "es/b_uno"]
    assert figures["es/a_uno"]["title"] == "Otro título"  # re-export replaced its own entry only
    assert figures["es/a_dos"]["title"] == "Recomendaciones por tema"
    readme = (tmp_path / "README.es.md").read_text(encoding="utf-8")
    # grouped by notebook, then name
    assert readme.index("`a_dos`") < readme.index("`a_uno`") < readme.index("`b_uno`")


def test_write_gallery_to_another_folder_links_back(tmp_path: Path) -> None:
    export(bar_figure(), "temas", formats=["html"], out_dir=tmp_path / "figs")
    out = write_gallery(tmp_path / "figs" / "manifest.json", tmp_path / "docs" / "figuras.md", lang="es")
    assert "(../figs/es/html/temas.html)" in out.read_text(encoding="utf-8")


def test_notebook_figures_in_the_project_manifest_use_the_template_and_have_captions() -> None:
    manifest = FIGURES_DIR / "manifest.json"
    figures = read_manifest(manifest)
    from_notebooks = {k: v for k, v in figures.items() if (v.get("source_notebook") or "").endswith(".ipynb")}
    if not from_notebooks:
        pytest.skip("no figure exported by a notebook yet (run `make figures`)")
    for name, entry in from_notebooks.items():
        assert entry.get("template") == "wg4", f"{name} does not use the project template"
        assert (entry.get("caption") or "").strip(), f"{name} has no caption"
        assert (entry.get("alt_text") or "").strip(), f"{name} has no alt text"
        assert (PROJECT_ROOT / entry["source_notebook"]).is_file(), f"{name}: unknown notebook"
        for rel in entry["files"].values():
            assert (manifest.parent / rel).is_file(), f"{name}: {rel} is missing"


# --------------------------------------------------------------------------- refusals (no browser)


def test_refuses_a_figure_without_title_or_caption(tmp_path: Path) -> None:
    untitled = go.Figure(go.Bar(x=["a"], y=[1]))
    with pytest.raises(ValueError, match="no title"):
        export(untitled, "sin_titulo", caption="Leyenda.", out_dir=tmp_path)
    no_caption = style_figure(go.Figure(go.Bar(x=["a"], y=[1])), title="Título")
    with pytest.raises(ValueError, match="no caption"):
        export(no_caption, "sin_leyenda", out_dir=tmp_path)
    with pytest.raises(ValueError, match="no caption"):
        export(no_caption, "sin_leyenda", caption="  ", out_dir=tmp_path)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"name": "Con Espacios"}, "figure name"),
        ({"name": "../fuera"}, "figure name"),
        ({"formats": ["png", "gif"]}, "formats"),
        ({"formats": []}, "formats"),
        ({"scale": 1}, "print resolution"),
        ({"scale": 0, "formats": ["svg"]}, "positive"),
        ({"name": "informe/fig.png", "record": True}, "only a named figure is recorded"),
    ],
)
def test_refuses_bad_arguments_before_writing(tmp_path: Path, kwargs: dict[str, Any], message: str) -> None:
    args = {"name": "temas", **kwargs}
    with pytest.raises(ValueError, match=message):
        export(bar_figure(), args.pop("name"), out_dir=tmp_path, **args)
    assert list(tmp_path.iterdir()) == []


@needs_browser
def test_a_path_gets_any_size_and_leaves_the_manifest_alone(tmp_path: Path) -> None:
    project = tmp_path / "figures"
    export(bar_figure("en"), "temas", formats=["html"], out_dir=project)
    before = {p: p.read_bytes() for p in project.rglob("*") if p.is_file()}
    report = tmp_path / "report"
    paths = export(bar_figure("en"), report / "fig3.png", width=1600, height=900, scale=1, out_dir=project)
    assert paths == {"png": report / "fig3.png"}
    assert png_size(paths["png"].read_bytes()) == (1600, 900)
    assert {p: p.read_bytes() for p in project.rglob("*") if p.is_file()} == before  # manifest, gallery untouched
    both = export(bar_figure("en"), str(report / "fig3"), formats=["svg", "html"], width=640, height=400)
    assert sorted(p.name for p in both.values()) == ["fig3.html", "fig3.svg"]
    page = both["html"].read_text(encoding="utf-8")
    assert '<script src="plotly.min.js"></script>' in page and (report / "plotly.min.js").is_file()
    assert 'width="640"' in both["svg"].read_text(encoding="utf-8")


def test_a_named_figure_gets_png_svg_and_html_unless_pdf_is_asked(tmp_path: Path) -> None:
    with _Counting(tmp_path) as exporter:
        paths = exporter.export(bar_figure(), "temas")
        assert sorted(paths) == ["html", "png", "svg"] and sorted(exporter.rendered) == ["png", "svg"]
        assert exporter.export(bar_figure(), "temas", formats=[*paths, "pdf"])["pdf"].read_bytes()[:5] == b"%PDF-"
    assert sorted(read_manifest(tmp_path / "manifest.json")["es/temas"]["files"]) == ["html", "pdf", "png", "svg"]


def test_caption_passed_to_export_wins_and_alt_text_has_a_default(tmp_path: Path) -> None:
    fig = style_figure(go.Figure(go.Bar(x=["a"], y=[1])), title="Temas", caption="De style_figure.")
    export(fig, "temas", caption="De export.", formats=["html"], out_dir=tmp_path)
    entry = read_manifest(tmp_path / "manifest.json")["es/temas"]
    assert entry["caption"] == "De export."
    assert entry["alt_text"] == "Gráfico de barras: Temas."
    assert entry["template"] == "wg4"
    plain = go.Figure(go.Bar(x=["a"], y=[1]), layout_title_text="Sin plantilla")
    export(plain, "plain", caption="Leyenda.", formats=["html"], out_dir=tmp_path)
    assert read_manifest(tmp_path / "manifest.json")["es/plain"]["template"] is None


def test_missing_browser_is_a_clear_error_and_writes_nothing(tmp_path: Path) -> None:
    with FigureExporter(tmp_path, browser=tmp_path / "no-chromium") as exporter:
        with pytest.raises(BrowserNotFoundError, match="apt-get install chromium"):
            exporter.export(bar_figure(), "temas")
        assert exporter.browser_starts == 0
    assert list(tmp_path.iterdir()) == []


class _FlakyWorker:
    """Stands in for the kaleido worker: the first render of each worker fails."""

    made = 0

    def __init__(self, browser: Path, *, timeout: float) -> None:
        type(self).made += 1
        self.calls = 0
        self.closed = False

    def render(self, fig: Any, opts: Any) -> bytes:
        self.calls += 1
        if type(self).made == 1:
            raise TimeoutError("render took too long")
        return b"<svg/>"

    def close(self) -> None:
        self.closed = True


def test_a_failed_render_is_tried_again_with_a_new_browser(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _FlakyWorker.made = 0
    monkeypatch.setattr(ex, "_KaleidoWorker", _FlakyWorker)
    # any existing file passes for the browser: the fake worker never runs it
    with FigureExporter(tmp_path, browser=Path(ex.__file__)) as exporter:
        assert exporter.export(bar_figure(), "temas", formats=["svg"])["svg"].read_bytes() == b"<svg/>"
        assert exporter.browser_starts == 2  # the first browser failed and was let go


class _BrokenWorker(_FlakyWorker):
    def render(self, fig: Any, opts: Any) -> bytes:
        raise TimeoutError("render took too long")


def test_a_render_that_keeps_failing_is_an_export_error_and_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ex, "_KaleidoWorker", _BrokenWorker)
    with FigureExporter(tmp_path, browser=Path(ex.__file__)) as exporter:
        with pytest.raises(ExportError, match="figure 'temas'.*2 attempts.*TimeoutError.*no file was written"):
            exporter.export(bar_figure(), "temas", formats=["svg"])
        assert not exporter.running  # the failed browser was let go
        assert exporter.browser_starts == 2
    assert not (tmp_path / "svg" / "temas.svg").exists()


# --------------------------------------------------------------------------- atomic writes


class _FailingPdf(FigureExporter):
    """Renders PNG and SVG as fixed bytes and fails on PDF, without a browser."""

    def render(self, fig: Any, fmt: str, **kwargs: Any) -> bytes:
        if fmt == "pdf":
            raise ExportError("kaleido could not render pdf: simulated")
        return {"png": b"\x89PNG\r\n\x1a\nNEW", "svg": b"<svg>NEW</svg>"}[fmt]


def test_a_failed_export_leaves_the_previous_files_untouched(tmp_path: Path) -> None:
    export(bar_figure(), "temas", formats=["html"], out_dir=tmp_path)
    old_html = (tmp_path / "es" / "html" / "temas.html").read_bytes()
    old_manifest = (tmp_path / "manifest.json").read_bytes()
    with _FailingPdf(tmp_path) as failing, pytest.raises(ExportError, match="simulated"):
        failing.export(bar_figure(), "temas", formats=ALL)
    assert not (tmp_path / "es" / "png").exists() and not (tmp_path / "es" / "svg").exists()
    assert (tmp_path / "es" / "html" / "temas.html").read_bytes() == old_html
    assert (tmp_path / "manifest.json").read_bytes() == old_manifest


# --------------------------------------------------------------------------- helpers


def test_normalise_svg_replaces_the_plot_uid_only_in_ids_and_references() -> None:
    svg = (
        '<svg><defs id="defs-a1b2c3"><clipPath id="clipa1b2c3xyplot"/></defs>'
        '<g clip-path="url(#clipa1b2c3xyplot)"><text>a1b2c3</text></g></svg>'
    )
    out = normalise_svg(svg).decode()
    assert 'id="defs-wg4"' in out and 'id="clipwg4xyplot"' in out and "url(#clipwg4xyplot)" in out
    assert "<text>a1b2c3</text>" in out  # data that happens to look like the uid is kept
    assert normalise_svg(normalise_svg(svg)) == normalise_svg(svg)


def test_normalise_pdf_keeps_length() -> None:
    pdf = b"%PDF-1.4\n<</CreationDate (D:20261128120844+01'00') /ModDate (D:20261128120845+01'00')>>"
    out = normalise_pdf(pdf)
    assert len(out) == len(pdf)
    assert out.count(b"D:20190101000000+01'00'") == 2


def test_hash_data_is_stable_and_sensitive() -> None:
    df = theme_frame()
    assert hash_data(df) == hash_data(theme_frame())
    assert hash_data(df) != hash_data(df.rename(columns={"unidades": "n"}))
    assert hash_data(df) != hash_data(df.iloc[::-1])
    assert hash_data(df) != hash_data(df.astype({"unidades": "float32"}))
    assert hash_data(df["unidades"]).startswith("sha256:")
    assert hash_data(bar_figure()) == hash_data(bar_figure())
    with_lists = pd.DataFrame({"a": [[1, 2], [3]]})
    assert hash_data(with_lists) != hash_data(pd.DataFrame({"a": [[1, 2], [4]]}))
    with pytest.raises(TypeError):
        hash_data([1, 2, 3])  # type: ignore[arg-type]


# --------------------------------------------------------------------------- render cache


class _Counting(FigureExporter):
    """Renders fixed bytes per format without a browser, and counts the renders."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rendered: list[str] = []

    def render(self, fig: Any, fmt: str, **kwargs: Any) -> bytes:
        self.rendered.append(fmt)
        png = b"\x89PNG\r\n\x1a\n" + struct.pack(">I4sII", 13, b"IHDR", 2700, 1620)
        return {"png": png, "svg": b"<svg/>", "pdf": b"%PDF-1.4"}[fmt] + json.dumps(fig["data"], cls=PlotlyJSONEncoder).encode()


def test_unchanged_figures_are_not_rendered_again(tmp_path: Path) -> None:
    with _Counting(tmp_path) as first:
        first.export(bar_figure(), "temas", formats=ALL)
    assert sorted(first.rendered) == sorted(["png", "svg", "pdf"])  # formats render side by side
    manifest = (tmp_path / "manifest.json").read_bytes()
    render = read_manifest(tmp_path / "manifest.json")["es/temas"]["render"]
    assert set(render) == {"png", "svg", "pdf", "html"} and render["png"]["key"].startswith("sha256:")
    with _Counting(tmp_path) as second:
        second.export(bar_figure(), "temas", formats=ALL)
    assert sorted(second.rendered) == sorted([])  # formats render side by side
    assert (tmp_path / "manifest.json").read_bytes() == manifest  # deterministic: nothing new recorded
    assert read_manifest(tmp_path / "manifest.json")["es/temas"]["png_pixels"] == [2700, 1620]


def test_a_changed_spec_size_or_file_is_rendered_again(tmp_path: Path) -> None:
    with _Counting(tmp_path) as ex0:
        ex0.export(bar_figure(), "temas", formats=ALL)
    changed = bar_figure()
    changed.data[0].y = [1, 2, 3, 4]
    with _Counting(tmp_path) as ex1:
        ex1.export(changed, "temas", formats=ALL)
    assert sorted(ex1.rendered) == sorted(["png", "svg", "pdf"])  # formats render side by side
    assert b"[1, 2, 3, 4]" in (tmp_path / "es" / "svg" / "temas.svg").read_bytes()
    with _Counting(tmp_path) as ex2:
        ex2.export(changed, "temas", width=1000, formats=ALL)
    assert sorted(ex2.rendered) == sorted(["png", "svg", "pdf"])  # formats render side by side
    (tmp_path / "es" / "pdf" / "temas.pdf").write_bytes(b"%PDF-edited by hand")
    with _Counting(tmp_path) as ex3:
        ex3.export(changed, "temas", width=1000, formats=ALL)
    assert sorted(ex3.rendered) == sorted(["pdf"])  # formats render side by side
    assert (tmp_path / "es" / "pdf" / "temas.pdf").read_bytes().startswith(b"%PDF-1.4")


def test_render_key_covers_format_size_and_scale() -> None:
    spec = bar_figure().to_dict()
    base = ex.render_key(spec, "png", width=900, height=540, scale=3)
    assert base == ex.render_key(bar_figure().to_dict(), "png", width=900, height=540, scale=3)
    others = [
        ex.render_key(spec, "svg", width=900, height=540, scale=3),
        ex.render_key(spec, "png", width=901, height=540, scale=3),
        ex.render_key(spec, "png", width=900, height=541, scale=3),
        ex.render_key(spec, "png", width=900, height=540, scale=2),
    ]
    assert base not in others and len(set(others)) == 4


# --------------------------------------------------------------------------- browser errors


def test_a_browser_path_that_names_no_executable_is_an_error_that_names_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BROWSER_PATH", "/nonexistent/chromium")
    with pytest.raises(BrowserNotFoundError, match=r"BROWSER_PATH='/nonexistent/chromium' is not an executable") as err:
        find_browser()
    assert isinstance(err.value, ExportError) and "apt-get install chromium" in str(err.value)


def test_a_browser_that_fails_to_start_is_an_export_error_with_an_install_hint(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BROWSER_PATH", "/bin/false")
    with FigureExporter(tmp_path, timeout=20) as exporter, pytest.raises(ExportError) as err:
        exporter.export(bar_figure(), "temas", formats=["png"])
    message = str(err.value)
    assert "/bin/false" in message and "apt-get install chromium" in message
    assert "get_chrome" not in message and "download" not in message.lower()
    assert not (tmp_path / "es" / "png").exists()

"""What the recommendations cite: legal provisions and earlier recommendations.

Two kinds of reference are read from the text of every unit, as structured rows:

``legal``
    An article (and paragraph, subparagraph) of the Trafficking in Persons
    Protocol or of the Organized Crime Convention, in any of the ways the
    document writes them: "artículo 6, párrafo 3 d), del Protocolo", "el
    apartado 2 del artículo 6 del Protocolo", "los párrafos 2 y 3 del
    artículo 26 de la Convención", "los artículos 32 y 37 de la Convención";
    also decisions of the Conference ("decisión 4/4 de la Conferencia") and
    resolutions of the General Assembly ("párrafo 44 de la resolución 64/293").
``cross_reference``
    A reference to earlier recommendations of the Working Group: to a
    paragraph of an earlier meeting report ("las recomendaciones que figuran
    en el párrafo 17 del informe ... 2009"), to a section of a report
    ("CTOC/COP/WG.4/2011/8, secc. II.A.5"), to "su recomendación anterior"
    without a number, or to the Working Group's recommendations in general.

Cross-references are resolved to ``rec_id`` where the text allows:

* A report paragraph is mapped to the paragraph of this document by
  :data:`REPORT_PARAGRAPH_OFFSETS`. The 2009 report numbers its
  recommendations one higher than this document does: "párrafo 11" (cited by
  II.34 on demand) is paragraph 10 here, whose item b) is on demand, and the
  same shift holds for all six citations of that report (see
  :func:`offset_evidence`, which compares each citing unit with the
  paragraphs at every shift).
* A report section is mapped by :data:`SECTION_TARGETS` (by its title).
* "su recomendación anterior" is resolved to the most similar unit of an
  earlier meeting (cosine similarity of :mod:`analysis.language.recurrence`).

Each resolved reference names all the units of the cited paragraph
(``target_rec_ids``) and the one most similar to the citing unit
(``cited_rec_id``).

Examples
--------
>>> [r["provision"] for r in find_legal_references(
...     "de conformidad con el apartado 2 del artículo 6 del Protocolo contra la Trata de Personas")]
['Protocol art. 6(2)']
>>> [r["provision"] for r in find_legal_references("los artículos 32 y 37 de la Convención")]
['Convention art. 32', 'Convention art. 37']
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final, Literal

import pandas as pd
from sklearn.metrics.pairwise import cosine_similarity

from analysis.data.corpus import Corpus
from analysis.language.recurrence import similarity_vectorizer, unit_similarity

__all__ = [
    "CROSS_REFERENCE_RULES",
    "LEGAL_RULES",
    "REFERENCE_COLUMNS",
    "REPORT_PARAGRAPH_OFFSETS",
    "SECTION_TARGETS",
    "ReferenceRule",
    "extract_references",
    "find_cross_references",
    "find_legal_references",
    "offset_evidence",
    "reiterations",
]

_FLAGS: Final = re.IGNORECASE


@dataclass(frozen=True)
class ReferenceRule:
    """A way the document writes a reference: a name and a compiled pattern.

    Legal patterns name the groups ``article`` (and ``article2``),
    ``paragraph`` (and ``paragraph2``: a number, or a letter for a
    subparagraph), ``sub`` (subparagraph letter), ``instrument``, ``number``
    (of a decision or resolution). Cross-reference patterns name
    ``paragraph``, ``year``, ``symbol``, ``section`` and ``title``.
    """

    name: str
    pattern: re.Pattern[str]
    kind: Literal["legal", "cross_reference"]


def _rule(name: str, pattern: str, kind: Literal["legal", "cross_reference"]) -> ReferenceRule:
    return ReferenceRule(name, re.compile(pattern, _FLAGS), kind)


_INSTRUMENT = r"(?P<instrument>del\s+Protocolo|de\s+la\s+Convención)"
_PART = r"(?:\d+|[a-z]\))"

#: Legal references, tried in order; a later rule never takes text an earlier one matched.
LEGAL_RULES: Final[tuple[ReferenceRule, ...]] = (
    _rule("article_comma_paragraph",
          r"\bartículo\s+(?P<article>\d+),\s*párrafo\s+(?P<paragraph>\d+)(?:\s+(?P<sub>[a-z])\))?,\s+" + _INSTRUMENT,
          "legal"),
    _rule("paragraph_of_article",
          r"\b(?:apartados?|párrafos?)\s+(?P<paragraph>" + _PART + r")(?:\s+y\s+(?P<paragraph2>" + _PART + r"))?"
          r"\s+del\s+artículo\s+(?P<article>\d+)\s+" + _INSTRUMENT, "legal"),
    _rule("article", r"\bartículos?\s+(?P<article>\d+)(?:\s+y\s+(?P<article2>\d+))?\s+" + _INSTRUMENT, "legal"),
    _rule("cop_decision", r"\bdecisión\s+(?P<number>\d+/\d+)\s+de\s+la\s+Conferencia", "legal"),
    _rule("ga_resolution",
          r"\bpárrafo\s+(?P<paragraph>\d+)\s+de\s+la\s+resolución\s+(?P<number>\d+/\d+)\s+de\s+la\s+Asamblea\s+General",
          "legal"),
)  # fmt: skip

#: References to earlier recommendations of the Working Group.
CROSS_REFERENCE_RULES: Final[tuple[ReferenceRule, ...]] = (
    _rule("report_paragraph",
          r"\bpárrafo\s+(?P<paragraph>\d+)\s+del\s+informe\b[^.;()]{0,160}?\b(?P<year>(?:19|20)\d{2})\b"
          r"(?:\s*\((?P<symbol>[A-Z]+/[^)\s]+)\))?", "cross_reference"),
    _rule("report_section",
          r"\((?P<symbol>CTOC/COP/WG\.4/(?P<year>\d{4})/\d+),\s*secc\.\s*(?P<section>[IVX]+(?:\.[A-Z0-9]+)*),?\s*"
          r"(?P<title>[^)]*)\)", "cross_reference"),
    _rule("earlier_recommendation", r"\bsu\s+recomendación\s+anterior\b", "cross_reference"),
    _rule("all_recommendations",
          r"\b(?:todas\s+)?las\s+recomendaciones\s+(?:pertinentes\s+)?(?:formuladas|aprobadas)\s+por\s+el\s+Grupo"
          r"\s+de\s+Trabajo", "cross_reference"),
)  # fmt: skip

#: Report paragraph number -> paragraph of this document, by cited meeting:
#: ``document paragraph = report paragraph + offset`` (see :func:`offset_evidence`).
REPORT_PARAGRAPH_OFFSETS: Final[Mapping[int, int]] = {1: -1}

#: (report symbol, section) -> (meeting, paragraph) of this document. The
#: section "Esferas de trabajo propuestas" of the 2011 report is the list of
#: topics for future meetings that this document gives as paragraph IV.45.
SECTION_TARGETS: Final[Mapping[tuple[str, str], tuple[int, int]]] = {
    ("CTOC/COP/WG.4/2011/8", "II.A.5"): (4, 45),
}

#: Cross-references that restate earlier recommendations (links of a recurrence chain).
_REITERATION_RULES: Final[tuple[str, ...]] = ("report_paragraph", "earlier_recommendation")

_INSTRUMENT_NAMES: Final[Mapping[str, str]] = {"protocolo": "Protocol", "convención": "Convention"}

#: Columns of the references table, in order.
REFERENCE_COLUMNS: Final[tuple[str, ...]] = (
    "rec_id", "meeting", "kind", "rule", "instrument", "article", "paragraph", "subparagraph", "provision",
    "report_year", "report_paragraph", "cited_meeting", "cited_paragraph", "target_rec_ids", "cited_rec_id",
    "similarity", "resolution", "phrase", "start", "end",
)  # fmt: skip


# --------------------------------------------------------------------------- legal references


def _provision(instrument: str, article: int | None, paragraph: int | None, sub: str | None) -> str:
    label = instrument
    if article is not None:
        label += f" art. {article}"
        if paragraph is not None:
            label += f"({paragraph})"
        if sub:
            label += f"({sub})"
    elif paragraph is not None:
        label += f", para. {paragraph}"
    return label


def _legal_rows(rule: ReferenceRule, match: re.Match[str]) -> list[dict[str, Any]]:
    g = match.groupdict()
    base = {"kind": "legal", "rule": rule.name, "phrase": match.group(), "start": match.start(), "end": match.end()}
    if rule.name == "cop_decision":
        inst = f"COP decision {g['number']}"
        return [base | {"instrument": inst, "provision": inst}]
    if rule.name == "ga_resolution":
        inst = f"GA resolution {g['number']}"
        para = int(g["paragraph"])
        return [base | {"instrument": inst, "paragraph": para, "provision": _provision(inst, None, para, None)}]
    instrument = _INSTRUMENT_NAMES[g["instrument"].split()[-1].lower()]
    articles = [int(a) for a in (g.get("article"), g.get("article2")) if a]
    parts = [p for p in (g.get("paragraph"), g.get("paragraph2")) if p] or [None]
    rows = []
    for article in articles:
        for part in parts:
            para, sub = (None, g.get("sub"))
            if part is not None and part[0].isdigit():
                para = int(part)
            elif part is not None:
                sub = part.rstrip(")")
            rows.append(base | {"instrument": instrument, "article": article, "paragraph": para, "subparagraph": sub,
                                "provision": _provision(instrument, article, para, sub)})
    return rows


def find_legal_references(text: str) -> list[dict[str, Any]]:
    """Articles of the Protocol and the Convention (and other instruments) cited in ``text``.

    One dict per provision (``"los párrafos 2 y 3 del artículo 26"`` gives
    two), in text order, with ``rule``, ``instrument``, ``article``,
    ``paragraph``, ``subparagraph``, ``provision`` (a label), ``phrase`` and
    its ``start``/``end`` offsets.

    Examples
    --------
    >>> ref = find_legal_references("conforme a lo dispuesto en el artículo 6, párrafo 3 d), del Protocolo;")[0]
    >>> ref["instrument"], ref["article"], ref["paragraph"], ref["subparagraph"], ref["provision"]
    ('Protocol', 6, 3, 'd', 'Protocol art. 6(3)(d)')
    >>> [r["provision"] for r in find_legal_references(
    ...     "las disposiciones de los párrafos 2 y 3 del artículo 26 de la Convención contra la Delincuencia")]
    ['Convention art. 26(2)', 'Convention art. 26(3)']
    >>> find_legal_references("como se establece en el apartado a) del artículo 3 del Protocolo")[0]["provision"]
    'Protocol art. 3(a)'
    """
    taken: list[tuple[int, int]] = []
    found: list[tuple[int, list[dict[str, Any]]]] = []
    for rule in LEGAL_RULES:
        for match in rule.pattern.finditer(text):
            if any(match.start() < end and start < match.end() for start, end in taken):
                continue
            taken.append(match.span())
            found.append((match.start(), _legal_rows(rule, match)))
    return [row for _, rows in sorted(found, key=lambda item: item[0]) for row in rows]


# --------------------------------------------------------------------------- cross-references


def find_cross_references(text: str) -> list[dict[str, Any]]:
    """References to earlier recommendations in ``text``, unresolved.

    One dict per reference with ``rule``, ``report_year``,
    ``report_paragraph``, ``symbol``, ``section``, ``title``, ``phrase``,
    ``start`` and ``end``.

    Examples
    --------
    >>> ref = find_cross_references("Los Estados partes deberían tener en cuenta las recomendaciones que figuran "
    ...     "en el párrafo 17 del informe del Grupo de Trabajo sobre su reunión celebrada en Viena los días 14 y 15 "
    ...     "de abril de 2009 (CTOC/COP/WG.4/2009/2), y establecer mecanismos")[0]
    >>> ref["rule"], ref["report_paragraph"], ref["report_year"], ref["symbol"]
    ('report_paragraph', 17, 2009, 'CTOC/COP/WG.4/2009/2')
    """
    rows = []
    for rule in CROSS_REFERENCE_RULES:
        for match in rule.pattern.finditer(text):
            g = match.groupdict()
            rows.append({
                "kind": "cross_reference", "rule": rule.name, "phrase": match.group(),
                "start": match.start(), "end": match.end(),
                "report_year": int(g["year"]) if g.get("year") else None,
                "report_paragraph": int(g["paragraph"]) if g.get("paragraph") else None,
                "symbol": g.get("symbol"), "section": g.get("section"), "title": (g.get("title") or "").strip() or None,
            })
    return sorted(rows, key=lambda r: r["start"])


def _report_meeting(meetings: pd.DataFrame, year: int, before: pd.Timestamp) -> int | None:
    """The meeting whose report of ``year`` is cited (the only one of that year before the citing meeting)."""
    m = meetings.loc[(meetings["start_date"].dt.year == year) & (meetings["start_date"] < before)]
    return int(m["meeting"].iloc[0]) if len(m) == 1 else None


def _resolve(ref: dict[str, Any], unit: pd.Series, corpus: Corpus, sim: pd.DataFrame) -> dict[str, Any]:
    recs = corpus.recommendations
    meeting_date = corpus.meetings.set_index("meeting").loc[unit["meeting"], "start_date"]
    targets = pd.Series(dtype="string")
    cited_meeting: int | None = None
    cited_paragraph: int | None = None
    resolution = "general: no specific recommendation"
    if ref["rule"] == "report_paragraph":
        cited_meeting = _report_meeting(corpus.meetings, ref["report_year"], meeting_date)
        if cited_meeting is not None:
            offset = REPORT_PARAGRAPH_OFFSETS.get(cited_meeting, 0)
            cited_paragraph = ref["report_paragraph"] + offset
            resolution = f"report paragraph {ref['report_paragraph']} = paragraph {cited_paragraph} (offset {offset:+d})"
        else:
            resolution = "unresolved: no single earlier meeting in that year"
    elif ref["rule"] == "report_section":
        target = SECTION_TARGETS.get((ref["symbol"], ref["section"]))
        if target is not None:
            cited_meeting, cited_paragraph = target
            resolution = f"report section {ref['section']} ({ref['title']}) = paragraph {cited_paragraph}"
        else:
            resolution = "unresolved: section not in SECTION_TARGETS"
    out = dict(ref, cited_meeting=cited_meeting, cited_paragraph=cited_paragraph, resolution=resolution)
    if cited_meeting is not None and cited_paragraph is not None:
        targets = recs.loc[(recs["meeting"] == cited_meeting) & (recs["paragraph"] == cited_paragraph), "rec_id"]
        out["target_rec_ids"] = ";".join(targets)
    elif ref["rule"] == "earlier_recommendation":
        targets = recs.loc[recs["meeting"].astype(int) < int(unit["meeting"]), "rec_id"]
        out["resolution"] = "most similar unit of an earlier meeting"
    if ref["rule"] in _REITERATION_RULES and len(targets):
        scores = sim.loc[str(unit["rec_id"]), list(targets)]
        best = str(scores.idxmax())
        out.update(cited_rec_id=best, similarity=float(scores.max()))
        if ref["rule"] == "earlier_recommendation":
            row = recs.loc[recs["rec_id"] == best].iloc[0]
            out.update(cited_meeting=int(row["meeting"]), cited_paragraph=int(row["paragraph"]), target_rec_ids=best)
    return out


def extract_references(corpus: Corpus, similarity: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every legal reference and cross-reference of every unit, as rows.

    Parameters
    ----------
    corpus : Corpus
        The parsed document.
    similarity : DataFrame, optional
        Unit similarity (:func:`analysis.language.recurrence.unit_similarity`);
        computed when not given.

    Returns
    -------
    DataFrame
        Columns :data:`REFERENCE_COLUMNS`, one row per cited provision or
        cross-reference, in document order. ``start``/``end`` are character
        offsets in the unit's ``text``; ``target_rec_ids`` lists the units of
        the cited paragraph (``;``-separated) and ``cited_rec_id`` the one
        most similar to the citing unit.

    Examples
    --------
    >>> from analysis.data.corpus import load_corpus
    >>> refs = extract_references(load_corpus())
    >>> row = refs.loc[refs["rec_id"] == "2.34"].iloc[0]
    >>> row["report_paragraph"], row["cited_paragraph"], row["cited_rec_id"]
    (np.int64(11), np.int64(10), '1.10.b')
    """
    recs = corpus.recommendations
    sim = unit_similarity(recs) if similarity is None else similarity
    rows: list[dict[str, Any]] = []
    for _, unit in recs.iterrows():
        text = str(unit["text"])
        for ref in find_legal_references(text):
            rows.append({"rec_id": unit["rec_id"], "meeting": int(unit["meeting"])} | ref)
        for ref in find_cross_references(text):
            rows.append({"rec_id": unit["rec_id"], "meeting": int(unit["meeting"])} | _resolve(ref, unit, corpus, sim))
    out = pd.DataFrame(rows).reindex(columns=list(REFERENCE_COLUMNS))
    for col in ("meeting", "article", "paragraph", "report_year", "report_paragraph", "cited_meeting",
                "cited_paragraph", "start", "end"):
        out[col] = out[col].astype("Int64")
    out["similarity"] = out["similarity"].astype("Float64")
    for col in ("rec_id", "kind", "rule", "instrument", "subparagraph", "provision", "target_rec_ids",
                "cited_rec_id", "resolution", "phrase"):
        out[col] = out[col].astype("string")
    return out


def reiterations(references: pd.DataFrame) -> pd.DataFrame:
    """The explicit reiterations among the cross-references, as links for chains.

    A citation of a report paragraph or of "su recomendación anterior" says
    that a recommendation is made again; a citation of a report section (a
    list of topics) or of the recommendations in general does not.

    Returns the ``rec_id`` (citing) and ``cited_rec_id`` columns, for
    :func:`analysis.language.recurrence.find_chains`.
    """
    keep = references["rule"].isin(list(_REITERATION_RULES)) & references["cited_rec_id"].notna()
    return references.loc[keep, ["rec_id", "cited_rec_id"]].reset_index(drop=True)


def offset_evidence(corpus: Corpus, offsets: range = range(-2, 3)) -> pd.DataFrame:
    """How alike each citing unit is to the cited paragraph at every offset.

    For each citation of a report paragraph ("párrafo N del informe ...
    2009"), the cosine similarity (vectoriser of :mod:`analysis.language.recurrence`,
    fitted on the paragraphs) between the citing unit and the whole paragraph
    ``N + offset`` of the cited meeting, lead-in and items included, for each
    offset; the offset that wins everywhere is the one to use in
    :data:`REPORT_PARAGRAPH_OFFSETS`.

    Examples
    --------
    >>> from analysis.data.corpus import load_corpus
    >>> ev = offset_evidence(load_corpus())
    >>> ev["best_offset"].unique().tolist()
    [-1]
    """
    paragraphs = corpus.paragraphs
    vectorizer = similarity_vectorizer().fit(paragraphs["text"].astype(str))
    para_vectors = vectorizer.transform(paragraphs["text"].astype(str))
    dates = corpus.meetings.set_index("meeting")["start_date"]
    rows = []
    for _, unit in corpus.recommendations.iterrows():
        for ref in find_cross_references(str(unit["text"])):
            if ref["rule"] != "report_paragraph":
                continue
            cited = _report_meeting(corpus.meetings, ref["report_year"], dates.loc[unit["meeting"]])
            scores = cosine_similarity(vectorizer.transform([str(unit["text"])]), para_vectors)[0]
            row: dict[str, Any] = {"rec_id": unit["rec_id"], "report_year": ref["report_year"],
                                   "report_paragraph": ref["report_paragraph"]}
            for offset in offsets:
                hit = (paragraphs["meeting"] == cited) & (paragraphs["paragraph"] == ref["report_paragraph"] + offset)
                row[f"{offset:+d}"] = float(scores[hit.to_numpy()].max()) if hit.any() else float("nan")
            rows.append(row)
    out = pd.DataFrame(rows)
    out["best_offset"] = out[[f"{o:+d}" for o in offsets]].idxmax(axis=1).astype(int)
    return out

"""The schema registry: every table of ``data/processed/``, its columns, dtypes and meaning.

One registry (:data:`SCHEMAS`) serves every use of a processed table:

- :func:`analysis.data.tables.write_table` checks a frame against it (names
  the table and the column when they disagree) and writes the registered
  dtypes;
- :func:`analysis.data.tables.read_table` gives every table back with those
  dtypes, from Parquet or, where only the CSV is present, from the CSV;
- :func:`analysis.data.workbook.to_excel` builds its "data dictionary" sheet
  from it, and ``tests/data/test_schema.py`` checks that the README's data
  dictionary documents every column registered here.

The README's data dictionary is written by hand, for people: it groups
related columns (``start_date``, ``end_date``), gives examples and explains
the exceptions (meeting III, lettered items). A section generated from this
registry would lose that, so it is a test that keeps the two together: a
column added here and not in the README fails it, and so does a README row
that names a column no table has. The workbook's dictionary sheet, which
cannot hold that prose, is generated from the one-line descriptions below,
so it cannot drift at all.

Examples
--------
>>> SCHEMAS["theme_shares"].columns[:3]
('method', 'meeting', 'roman')
>>> SCHEMAS["meetings"].column("year").type_label
'integer'
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

__all__ = ["DTYPES", "SCHEMAS", "Column", "TableSchema", "TableSchemaError", "data_dictionary", "schema"]

#: The dtypes a column can be registered with, and how the data dictionary names them.
DTYPES: Mapping[str, str] = {
    "string": "string",
    "int64": "integer",
    "Int64": "integer",
    "float64": "float",
    "Float64": "float",
    "date": "date (YYYY-MM-DD)",
    "meeting": "meeting number (ordered category 1–8)",
    "list": "list of strings (a JSON array in CSV)",
    "category": "category",
}


class TableSchemaError(ValueError):
    """A frame does not fit the registered schema of its table."""


@dataclass(frozen=True)
class Column:
    """One column: name, registered dtype (a key of :data:`DTYPES`), one-line description."""

    name: str
    dtype: str
    description: str
    categories: tuple[str, ...] = ()
    ordered: bool = False

    def __post_init__(self) -> None:
        if self.dtype not in DTYPES:
            raise ValueError(f"column {self.name!r}: unknown dtype {self.dtype!r}; expected one of {list(DTYPES)}")
        if (self.dtype == "category") != bool(self.categories):
            raise ValueError(f"column {self.name!r}: categories go with dtype 'category', and only with it")

    @property
    def type_label(self) -> str:
        """The dtype as the data dictionary shows it."""
        if self.dtype == "category":
            kind = "ordered category" if self.ordered else "category"
            return f"{kind}: {', '.join(self.categories)}"
        return DTYPES[self.dtype]


@dataclass(frozen=True)
class TableSchema:
    """One processed table: file stem, one-line description, columns in order."""

    name: str
    description: str
    fields: tuple[Column, ...]
    #: ``float_format`` of the CSV (``None``: every float written in full, as Python prints it).
    float_format: str | None = None

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.fields)

    def column(self, name: str) -> Column:
        for c in self.fields:
            if c.name == name:
                return c
        raise KeyError(f"table {self.name!r} has no column {name!r}")

    def __iter__(self) -> Iterator[Column]:
        return iter(self.fields)


def _table(name: str, description: str, *fields: Column, float_format: str | None = None) -> TableSchema:
    return TableSchema(name, description, fields, float_format)


C = Column
_UNIT_COLUMNS = (
    C("meeting", "meeting", "meeting at which it was adopted"),
    C("year", "Int64", "year of that meeting"),
    C("date", "date", "start date of that meeting"),
    C("paragraph", "Int64", "paragraph number within the meeting"),
)
_LINES = (
    C("first_line", "Int64", "first line of the raw file it spans (1-based)"),
    C("last_line", "Int64", "last line of the raw file it spans (1-based)"),
)
_PROPOSED = (
    C("proposed_meeting", "Int64", "meeting at which it was proposed, where that differs from the adopting one"),
    C("proposed_date", "date", "start date of the meeting at which it was proposed"),
)
#: Categories of ``unit_language``; ``tests/data/test_schema.py`` checks them against :mod:`analysis.language.modality`.
_ADDRESSEES = ("States parties", "States", "Conference", "Working Group", "Secretariat", "UNODC", "other", "unknown")
_MODALITIES = ("optional", "encourage", "consider", "firm", "unknown")

#: Every table of ``data/processed/``, by file stem, in the order of the pipeline.
SCHEMAS: Mapping[str, TableSchema] = {
    t.name: t
    for t in (
        _table(
            "meetings", "one row per meeting I–VIII",
            C("meeting", "meeting", "meeting number"),
            C("roman", "string", "I … VIII, as in the document"),
            C("ordinal", "string", "the meeting as printed: Primera reunión"),
            C("city", "string", "where it met: Viena"),
            C("dates_text", "string", "the dates as printed: 14 y 15 de abril de 2009"),
            C("start_date", "date", "first day, parsed from dates_text"),
            C("end_date", "date", "last day, parsed from dates_text"),
            C("year", "Int64", "year of start_date"),
            C("n_paragraphs", "Int64", "numbered paragraphs adopted at the meeting"),
            C("n_units", "Int64", "recommendation units adopted at the meeting"),
            C("heading_line", "Int64", "line of the meeting's heading in the raw file (1-based)"),
            C("note", "string", "recommendations proposed at one meeting and endorsed at another, where due"),
            C("source_note", "string", "text printed under the heading that is not a recommendation (meeting III)"),
        ),
        _table(
            "recommendations", "one row per recommendation unit",
            C("rec_id", "string", "{meeting}.{paragraph} or {meeting}.{paragraph}.{item}: 2.3, 1.7.d"),
            *_UNIT_COLUMNS,
            C("item", "string", "letter of a lettered item; empty for a paragraph unit"),
            C("lead_in", "string", "the paragraph's introductory sentence, for lettered items"),
            C("text", "string", "the unit's clean text, without its lead-in"),
            C("subitems", "list", "roman sub-items i), ii) … of the item"),
            C("footnotes", "list", "text of the footnotes the unit (or its lead-in) cites"),
            C("n_words", "Int64", "words in text"),
            *_LINES,
            *_PROPOSED,
        ),
        _table(
            "paragraphs", "one row per numbered paragraph",
            C("rec_id", "string", "{meeting}.{paragraph}: 2.3"),
            *_UNIT_COLUMNS,
            C("n_items", "Int64", "number of lettered items in the paragraph"),
            C("text", "string", "the whole paragraph, lead-in and labelled items included"),
            C("footnotes", "list", "text of the footnotes the paragraph cites"),
            C("n_words", "Int64", "words in text"),
            *_LINES,
            *_PROPOSED,
        ),
        _table(
            "subitems", "one row per roman sub-item",
            C("rec_id", "string", "the unit the sub-item belongs to"),
            C("subitem", "string", "its label: i, ii …"),
            C("text", "string", "its text"),
            *_LINES,
        ),
        _table(
            "footnotes", "one row per footnote",
            C("footnote", "Int64", "footnote number"),
            C("text", "string", "its text"),
            C("line", "Int64", "line of the footnote in the raw file (1-based)"),
            C("cited_by", "string", "rec_ids of the units that cite it, space-separated"),
        ),
        _table(
            "recommendation_themes", "one row per recommendation unit and method",
            C("rec_id", "string", "the unit"),
            C("method", "string", "discovery (found without supervision), codebook (the analyst's categories, by a model) "
                                  "or reference (the adjudicated reference coding of data/coding/reference.csv)"),
            C("theme_id", "string", "stable id: D01 … for discovery, the codebook's id, sin_tema for no clear theme"),
            C("theme", "string", "readable name of the theme"),
            C("weight", "float64", "share of the unit's theme mass held by its primary theme (0–1); 1 for reference"),
            C("secondary_theme", "string", "a second theme holding at least 25% of the unit's weight (reference: the "
                                           "coders' first secondary theme); empty when none"),
            float_format="%.4f",
        ),
        _table(
            "themes", "one row per theme and method",
            C("method", "string", "discovery or codebook"),
            C("theme_id", "string", "stable id of the theme"),
            C("theme", "string", "readable name of the theme"),
            C("size", "int64", "units whose primary theme it is"),
            C("top_terms", "string", "FREX-weighted distinctive terms, '; '-separated"),
            C("representative", "string", "the three most typical rec_ids, '; '-separated"),
        ),
        _table(
            "coding_reliability", "agreement of the two readings on the primary theme: one row overall, one per theme",
            C("scope", "string", "overall, or theme (that theme against all others)"),
            C("theme_id", "string", "the codebook theme; empty for the overall row"),
            C("theme", "string", "readable name of the theme (English); empty for the overall row"),
            C("n_units", "int64", "units coded by both readings"),
            C("n_first", "int64", "units the first reading gives this primary theme (all units in the overall row)"),
            C("n_second", "int64", "units the second reading gives this primary theme (all units in the overall row)"),
            C("agreement", "float64", "share of units the two readings code alike"),
            C("kappa", "float64", "Cohen's kappa"),
            C("kappa_low", "float64", "lower end of its 95% bootstrap interval (paragraphs resampled)"),
            C("kappa_high", "float64", "upper end of that interval"),
            C("alpha", "float64", "Krippendorff's alpha (nominal)"),
            C("alpha_low", "float64", "lower end of its 95% bootstrap interval (paragraphs resampled)"),
            C("alpha_high", "float64", "upper end of that interval"),
            float_format="%.4f",
        ),
        _table(
            "theme_validation", "one row per automatic method, measured against the reference coding",
            C("method", "string", "codebook or discovery, as in recommendation_themes"),
            C("n", "int64", "units of the reference"),
            C("accuracy", "Float64", "share of units given the reference's primary theme; empty for discovered themes"),
            C("kappa", "Float64", "Cohen's kappa with the reference; empty for discovered themes"),
            C("macro_f1", "Float64", "F1 averaged over the reference's themes; empty for discovered themes"),
            C("ami", "float64", "adjusted mutual information with the reference (0 chance, 1 identical)"),
            C("purity", "float64", "share of units whose group's most common reference theme is their own"),
            float_format="%.4f",
        ),
        _table(
            "theme_validation_by_theme", "one row per method and codebook theme, measured against the reference",
            C("method", "string", "a method that assigns the codebook's themes (codebook)"),
            C("theme_id", "string", "the codebook theme"),
            C("theme", "string", "readable name of the theme (English)"),
            C("support", "int64", "units the reference gives this primary theme"),
            C("predicted", "int64", "units the method gives this primary theme"),
            C("precision", "float64", "share of the method's units of the theme that the reference puts there too"),
            C("recall", "float64", "share of the reference's units of the theme that the method finds"),
            C("f1", "float64", "harmonic mean of precision and recall"),
            float_format="%.4f",
        ),
        _table(
            "theme_shares", "one row per method, meeting and theme, zeros included",
            C("method", "string", "reference (the adjudicated reference coding), codebook or discovery"),
            C("meeting", "meeting", "meeting number (meeting III appears with n_total = 0)"),
            C("roman", "string", "the meeting in roman numerals"),
            C("year", "int64", "year of the meeting"),
            C("date", "date", "start date of the meeting"),
            C("theme_id", "string", "stable id of the theme"),
            C("theme", "string", "readable name of the theme"),
            C("n", "int64", "units of the meeting whose primary theme it is"),
            C("n_total", "int64", "units of the meeting"),
            C("share", "float64", "n / n_total (empty for meeting III)"),
            C("ci_low", "float64", "lower end of the 95% bootstrap interval of share"),
            C("ci_high", "float64", "upper end of the 95% bootstrap interval of share"),
            C("weight_share", "float64", "the share computed from theme weights instead of primary themes"),
            C("rec_ids", "string", "the units behind n, space-separated"),
        ),
        _table(
            "theme_regression", "one row per method and theme: the theme's prevalence regressed on the year",
            C("method", "string", "reference (the adjudicated reference coding), codebook or discovery"),
            C("theme_id", "string", "stable id of the theme"),
            C("theme", "string", "readable name of the theme"),
            C("theme_position", "int64", "the theme's place in the method's order"),
            C("n_units", "int64", "units whose primary theme it is"),
            C("odds_ratio", "float64", "odds ratio per year of a logistic regression on the meeting's year"),
            C("or_low", "float64", "lower end of its 95% CI (errors clustered by paragraph)"),
            C("or_high", "float64", "upper end of its 95% CI"),
            C("pp_per_year", "float64", "average marginal effect: change in the theme's share per year, in points"),
            C("pp_low", "float64", "lower end of its 95% CI"),
            C("pp_high", "float64", "upper end of its 95% CI"),
            C("p_value", "float64", "Wald p-value of the year coefficient"),
            C("p_adjusted", "float64", "Holm-adjusted p-value across the method's themes"),
            C("note", "string", "why a theme was not estimated; empty otherwise"),
        ),
        _table(
            "unit_language", "one row per recommendation unit",
            C("rec_id", "string", "the unit"),
            C("addressee", "category", "who is asked to act", categories=_ADDRESSEES),
            C("addressee_phrase", "string", "the words that name the addressee, as evidence"),
            C("modality", "category", "how firmly", categories=_MODALITIES, ordered=True),
            C("modality_rank", "Int64", "modality on an ordinal scale, 4 = firm … 1 = optional"),
            C("modality_phrase", "string", "the matched phrase"),
            C("addressee_rule", "string", "the rule that decided the addressee"),
            C("modality_rule", "string", "the rule that decided the modality"),
            C("lead_in_rule", "string", "how the lead-in of a lettered item was used"),
        ),
        _table(
            "references", "one row per reference found in a unit",
            C("rec_id", "string", "the unit that makes the reference"),
            C("meeting", "meeting", "meeting of that unit"),
            C("kind", "string", "legal or cross_reference"),
            C("rule", "string", "the rule that found it"),
            C("instrument", "string", "the instrument cited: Protocol, Convention, a COP decision …"),
            C("article", "Int64", "article cited"),
            C("paragraph", "Int64", "paragraph of the article, or of the cited report"),
            C("subparagraph", "string", "subparagraph cited"),
            C("provision", "string", "the provision as readable text: Protocol art. 6(3)(d)"),
            C("report_year", "Int64", "year of the cited report (cross-references)"),
            C("report_paragraph", "Int64", "paragraph of the cited report"),
            C("cited_meeting", "Int64", "meeting the cross-reference resolves to"),
            C("cited_paragraph", "Int64", "paragraph of that meeting"),
            C("target_rec_ids", "string", "units of that paragraph, space-separated"),
            C("cited_rec_id", "string", "the most similar of those units"),
            C("similarity", "Float64", "cosine similarity of the unit and cited_rec_id"),
            C("resolution", "string", "how the cross-reference was resolved"),
            C("phrase", "string", "the matched phrase"),
            C("start", "Int64", "character offset where the phrase starts in the unit's text"),
            C("end", "Int64", "character offset where the phrase ends"),
        ),
        _table(
            "recurrences", "one row per unit in a chain of recurring recommendations",
            C("chain_id", "string", "the chain: R01 …"),
            C("rec_id", "string", "the unit"),
            C("meeting", "meeting", "meeting of the unit"),
            C("year", "int64", "year of that meeting"),
            C("chain_size", "int64", "units in the chain"),
            C("n_meetings", "int64", "meetings the chain spans"),
            C("years", "string", "years of those meetings, comma-separated"),
            C("best_match", "string", "the most similar unit of another meeting"),
            C("similarity", "float64", "cosine similarity (character n-gram TF-IDF, formulae removed) with best_match"),
            C("link", "string", "similar, cited or both (similar+cited)"),
            C("label", "string", "a short label of the chain"),
        ),
    )
}  # fmt: skip


def schema(name: str) -> TableSchema:
    """The registered schema of table ``name``; a :class:`KeyError` names the registered ones."""
    try:
        return SCHEMAS[name]
    except KeyError:
        raise KeyError(f"no processed table {name!r}; registered: {', '.join(SCHEMAS)}") from None


def data_dictionary(names: list[str] | tuple[str, ...] | None = None) -> list[dict[str, str]]:
    """One row per column of the tables ``names`` (default: all): table, column, type, description.

    >>> data_dictionary(["footnotes"])[0]
    {'table': 'footnotes', 'column': 'footnote', 'type': 'integer', 'description': 'footnote number'}
    """
    return [
        {"table": name, "column": c.name, "type": c.type_label, "description": c.description}
        for name in (names if names is not None else list(SCHEMAS))
        for c in schema(name)
    ]

"""Stage 1, data: the raw corpus parsed, the processed tables, file writes and paths.

- :mod:`~analysis.data.corpus`: the parser of the compiled recommendations
  (:func:`load_corpus`, :func:`load_recommendations`, :class:`Corpus`,
  :class:`CorpusError`, :class:`CorpusWarning`), with its grammar in
  :mod:`~analysis.data.corpus_grammar`, its line state machine in
  :mod:`~analysis.data.corpus_parser` and its structural checks in
  :mod:`~analysis.data.corpus_checks`;
- :mod:`~analysis.data.schema`: the registry of the processed tables (columns, dtypes, descriptions);
- :mod:`~analysis.data.tables`: reading and writing of ``data/processed/`` (CSV + Parquet);
- :mod:`~analysis.data.workbook`: the processed tables as one Excel workbook;
- :mod:`~analysis.data.files`: atomic file writes;
- :mod:`~analysis.data.paths`: the project's folders.
"""

from analysis.data.corpus import Corpus, CorpusError, CorpusWarning, load_corpus, load_recommendations, meeting_label
from analysis.data.paths import PROJECT_ROOT
from analysis.data.schema import SCHEMAS, TableSchemaError
from analysis.data.tables import corpus_tables, read_table, write_table, write_tables
from analysis.data.workbook import to_excel

__all__ = [
    "PROJECT_ROOT",
    "SCHEMAS",
    "TableSchemaError",
    "Corpus",
    "CorpusError",
    "CorpusWarning",
    "corpus_tables",
    "load_corpus",
    "load_recommendations",
    "meeting_label",
    "read_table",
    "to_excel",
    "write_table",
    "write_tables",
]

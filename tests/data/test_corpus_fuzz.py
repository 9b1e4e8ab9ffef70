"""Property-based fuzzing of the parser: damage the document at random, and judge the outcome.

Every damaged document must either parse conserving every word, every line
and every structure the document declares (meetings of the front matter,
paragraph and item sequences, cited footnotes), or raise a CorpusError that
names a line. Any other exception fails. Damage that changes nothing a reader
sees (CRLF, NFD) must give the very same tables. Bounded to about 12 s on 2 cores;
``benchmarks/mutation_sweep.py`` runs thousands more.
"""

from __future__ import annotations

import random

import pandas as pd
from corpus_mutations import BENIGN, MUTATIONS, judge, mutate, synthetic_document
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.data.corpus import decode_text, parse
from analysis.data.paths import RAW_CORPUS

ORIGINAL = RAW_CORPUS.read_bytes()
SETTINGS = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow], print_blob=True)


@settings(SETTINGS, max_examples=250)
@given(names=st.lists(st.sampled_from(sorted(MUTATIONS)), min_size=1, max_size=3), seed=st.integers(0, 2**32 - 1))
def test_damaged_document_parses_soundly_or_names_a_line(corpus, names, seed):
    rng = random.Random(seed)
    data = ORIGINAL
    for name in names:
        data = MUTATIONS[name](data, rng)
    outcome = judge(data)
    if set(names) <= set(BENIGN):
        assert outcome == "parsed"
        damaged = parse(decode_text(data))
        for table in ("meetings", "recommendations", "paragraphs", "subitems", "footnotes"):
            pd.testing.assert_frame_equal(getattr(damaged, table), getattr(corpus, table), obj=table)


@settings(SETTINGS, max_examples=40)
@given(seed=st.integers(0, 2**32 - 1), n_mutations=st.integers(0, 2))
def test_synthetic_documents_parse_and_their_damage_is_judged(seed, n_mutations):
    rng = random.Random(seed)
    data = synthetic_document(rng)
    assert judge(data) == "parsed"
    _, damaged = mutate(data, rng, n_mutations)
    judge(damaged)

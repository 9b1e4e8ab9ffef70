"""Sweep: thousands of damaged documents through the parser, outcomes counted by kind.

Each case takes the bundled corpus (or, with ``--synthetic``, a random valid
document of the same shape) and applies one to three random mutations (lines
deleted, duplicated, swapped or run together, truncation at a byte or a line,
flipped bits, BOM, CRLF, NBSP, zero-width spaces, page-break characters, smart
quotes, NFD, duplicated headings, renumbering, removed footnotes, the document
twice, item markers glued to their text; see ``tests/data/corpus_mutations.py``).
Every outcome is one of:

- ``CorpusError``: the parser refused the document and named a line;
- ``parsed, CorpusWarning``: parsed, with a warning saying what is missing;
- ``parsed``: parsed, every word, line and declared structure conserved;
- anything else (``Unsound``: a parse that lost or duplicated a word or broke a
  declared structure; any other exception type): a bug.

Run ``python benchmarks/mutation_sweep.py [-n 10000] [--seed 0] [--synthetic 4000]``.
Exits 1 if any outcome is a bug; prints the counts by outcome and by mutation.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "data"))

from corpus_mutations import MUTATIONS, judge, mutate, synthetic_document  # noqa: E402

from analysis.data.paths import RAW_CORPUS  # noqa: E402

_LABELS = {"error": "CorpusError", "warning": "parsed, CorpusWarning", "parsed": "parsed"}
ACCEPTABLE = frozenset(_LABELS.values())


def outcome(data: bytes) -> tuple[str, str]:
    """The kind of outcome of parsing ``data``, and the message of a bug (empty otherwise)."""
    try:
        return _LABELS[judge(data)], ""
    except Exception as err:  # every exception is counted, none stops the sweep
        return type(err).__name__, str(err)[:300]


def sweep(n: int, seed: int, synthetic: int) -> tuple[Counter[str], dict[str, Counter[str]], list[str]]:
    """Counts by outcome, counts by mutation and outcome, and the first bugs found."""
    rng = random.Random(seed)
    original = RAW_CORPUS.read_bytes()
    totals: Counter[str] = Counter()
    by_mutation: dict[str, Counter[str]] = {name: Counter() for name in MUTATIONS}
    bugs: list[str] = []
    for case in range(n + synthetic):
        base = original if case < n else synthetic_document(rng)
        names, data = mutate(base, rng, rng.choice([1, 1, 1, 2, 3]))
        kind, message = outcome(data)
        totals[kind] += 1
        for name in names:
            by_mutation[name][kind] += 1
        if kind not in ACCEPTABLE and len(bugs) < 20:
            bugs.append(f"case {case} ({'+'.join(names)}): {kind}: {message}")
    return totals, by_mutation, bugs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=10_000, help="damaged versions of the bundled corpus")
    parser.add_argument("--synthetic", type=int, default=4_000, help="damaged synthetic documents")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    start = time.perf_counter()
    totals, by_mutation, bugs = sweep(args.n, args.seed, args.synthetic)
    seconds = time.perf_counter() - start
    cases = sum(totals.values())
    print(f"{cases} damaged documents ({args.n} of the corpus, {args.synthetic} synthetic; seed {args.seed}) "
          f"in {seconds:.0f} s")
    for kind, count in totals.most_common():
        flag = "" if kind in ACCEPTABLE else "   <-- bug"
        print(f"  {kind:<24} {count:>6}  {count / cases:6.1%}{flag}")
    print("\nby mutation (a case with several mutations counts for each):")
    kinds = [k for k, _ in totals.most_common()]
    print(f"  {'mutation':<18}" + "".join(f"{k:>24}" for k in kinds))
    for name, counts in sorted(by_mutation.items()):
        print(f"  {name:<18}" + "".join(f"{counts[k]:>24}" for k in kinds))
    for bug in bugs:
        print(bug)
    return 0 if not bugs else 1


if __name__ == "__main__":
    raise SystemExit(main())

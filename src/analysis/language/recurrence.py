"""What keeps coming back: near-duplicate and reiterated recommendations across meetings.

Two units of different meetings are linked when

* their texts are alike: the cosine similarity of their TF-IDF vectors of
  character 3- to 5-grams (within words, accents folded, the formulae every
  recommendation shares removed, see :data:`analysis.text.lexicon.BOILERPLATE_REGEXES`) reaches a
  threshold; or
* one cites the other explicitly ("los Estados partes deberían aplicar las
  recomendaciones que figuran en el párrafo 12 del informe ... 2009";
  "reiterar su recomendación anterior de que ..."), as found by
  :mod:`analysis.language.references`.

A **chain** is a connected component of these links: a recommendation that
comes back meeting after meeting. Links join units of different meetings
only, so every chain spans at least two meetings.

The threshold is read from the data (see :func:`choose_threshold` and
:func:`threshold_curve`): by default the 99.9th percentile of the similarity
of all cross-meeting pairs, i.e. a pair must be more alike than 999 pairs in
1,000.

Examples
--------
>>> from analysis.data.corpus import load_recommendations
>>> recs = load_recommendations()
>>> pairs = cross_meeting_pairs(recs)
>>> pairs.iloc[0][["rec_id_a", "rec_id_b"]].tolist()
['7.2.b', '8.1.c']
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Final

import numpy as np
import pandas as pd
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics.pairwise import cosine_similarity

from analysis.language.modality import find_modality

from analysis.text.lexicon import BOILERPLATE_REGEXES
from analysis.text.normalize import fold_accents

__all__ = [
    "DEFAULT_QUANTILE",
    "chain_summary",
    "choose_threshold",
    "cross_meeting_pairs",
    "find_chains",
    "similarity_vectorizer",
    "prepare_text",
    "threshold_curve",
    "unit_similarity",
]

#: Quantile of the cross-meeting similarity distribution used as the threshold.
DEFAULT_QUANTILE: Final = 0.999


_SPACES: Final = re.compile(r"\s+")


def prepare_text(text: str) -> str:
    """The text as it is vectorised: folded, without :data:`analysis.text.lexicon.BOILERPLATE_REGEXES`.

    Examples
    --------
    >>> prepare_text("Los Estados partes deberían considerar la posibilidad de no sancionar a las víctimas")
    'no sancionar a las victimas'
    """
    out = fold_accents(text.lower(), keep_enye=False)
    for _, pattern in BOILERPLATE_REGEXES:
        out = pattern.sub(" ", out)
    return _SPACES.sub(" ", out).strip()


def similarity_vectorizer() -> TfidfVectorizer:
    """The TF-IDF vectoriser of the similarity: character 3- to 5-grams within words.

    Character n-grams match the inflections of one word ("sancionar",
    "sancione", "sanciones") without a stemmer; sublinear term frequency
    keeps long units from dominating.

    Examples
    --------
    >>> similarity_vectorizer().get_params()["ngram_range"]
    (3, 5)
    """
    return TfidfVectorizer(
        analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, lowercase=False, preprocessor=prepare_text,
    )


def unit_similarity(recommendations: pd.DataFrame) -> pd.DataFrame:
    """Cosine similarity of every pair of units (square frame indexed by ``rec_id``).

    Only the unit's own text is compared; a lettered item's lead-in is left
    out, as it is shared by all the items of a paragraph.

    Examples
    --------
    >>> from analysis.data.corpus import load_recommendations
    >>> sim = unit_similarity(load_recommendations())
    >>> round(float(sim.loc["4.24", "7.1.f"]), 2)
    0.7
    """
    matrix = similarity_vectorizer().fit_transform(recommendations["text"].astype(str))
    ids = pd.Index(recommendations["rec_id"].astype(str), name="rec_id")
    return pd.DataFrame(cosine_similarity(matrix), index=ids, columns=ids)


def cross_meeting_pairs(recommendations: pd.DataFrame, similarity: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every pair of units from different meetings with its similarity, most alike first.

    Returns columns ``rec_id_a``, ``rec_id_b`` (``a`` from the earlier
    meeting), ``meeting_a``, ``meeting_b`` and ``similarity``.
    """
    sim = unit_similarity(recommendations) if similarity is None else similarity
    ids = recommendations["rec_id"].astype(str).to_numpy()
    meetings = recommendations["meeting"].astype(int).to_numpy()
    values = sim.loc[ids, ids].to_numpy()
    i, j = np.triu_indices(len(ids), k=1)
    keep = meetings[i] != meetings[j]
    i, j = i[keep], j[keep]
    # units are in document order, so i (the smaller index) is the earlier meeting
    out = pd.DataFrame({
        "rec_id_a": ids[i], "rec_id_b": ids[j], "meeting_a": meetings[i], "meeting_b": meetings[j],
        "similarity": values[i, j],
    })
    return out.sort_values(["similarity", "rec_id_a", "rec_id_b"], ascending=[False, True, True],
                           ignore_index=True, kind="mergesort")


def choose_threshold(pairs: pd.DataFrame, quantile: float = DEFAULT_QUANTILE) -> float:
    """The similarity threshold: a quantile of the cross-meeting pair similarities.

    Examples
    --------
    >>> choose_threshold(pd.DataFrame({"similarity": np.linspace(0, 1, 1001)}), 0.99)
    0.99
    """
    return float(np.quantile(pairs["similarity"].to_numpy(), quantile))


def _components(nodes: Sequence[str], edges: pd.DataFrame) -> dict[str, int]:
    index = {node: k for k, node in enumerate(nodes)}
    rows = edges["rec_id_a"].map(index).to_numpy()
    cols = edges["rec_id_b"].map(index).to_numpy()
    graph = coo_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(nodes), len(nodes)))
    _, labels = connected_components(graph, directed=False)
    return dict(zip(nodes, labels.tolist(), strict=True))


def threshold_curve(pairs: pd.DataFrame, rec_ids: Iterable[str], thresholds: Iterable[float]) -> pd.DataFrame:
    """Chains found at each threshold: how many, how many units, the largest.

    Lowering the threshold first adds new chains, then merges them into one
    giant component (a percolation); a good threshold sits above that point.

    Examples
    --------
    >>> from analysis.data.corpus import load_recommendations
    >>> recs = load_recommendations()
    >>> curve = threshold_curve(cross_meeting_pairs(recs), recs["rec_id"], [0.6, 0.3])
    >>> curve[["threshold", "chains", "largest"]].to_numpy().tolist()
    [[0.6, 4.0, 3.0], [0.3, 33.0, 30.0]]
    """
    nodes = list(map(str, rec_ids))
    rows = []
    for tau in thresholds:
        edges = pairs.loc[pairs["similarity"] >= tau]
        labels = pd.Series(_components(nodes, edges))
        sizes = labels.value_counts()
        sizes = sizes[sizes > 1]
        rows.append({"threshold": float(tau), "links": len(edges), "chains": len(sizes),
                     "units": int(sizes.sum()), "largest": int(sizes.max()) if len(sizes) else 0})
    return pd.DataFrame(rows)


def find_chains(
    recommendations: pd.DataFrame,
    pairs: pd.DataFrame,
    threshold: float,
    citations: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Group recurring units into chains (connected components across meetings).

    Parameters
    ----------
    recommendations : DataFrame
        Units with ``rec_id``, ``meeting``, ``year`` and ``text``.
    pairs : DataFrame
        From :func:`cross_meeting_pairs` (all pairs, not only the linked ones).
    threshold : float
        Pairs with ``similarity >= threshold`` are linked.
    citations : DataFrame, optional
        Explicit reiterations, with columns ``rec_id`` (the citing unit) and
        ``cited_rec_id`` (the unit it cites); each is a link too.

    Returns
    -------
    DataFrame
        One row per unit in a chain: ``chain_id`` ("R01", ... by number of
        meetings, then size, then first unit), ``rec_id``, ``meeting``,
        ``year``, ``chain_size``, ``n_meetings``, ``years``, ``best_match``
        (the member of another meeting most alike), ``similarity`` (to it), ``link``
        (``"similar"``, ``"cited"`` or ``"similar+cited"``: how the unit is
        tied to the chain) and ``label`` (the text of the unit with the
        chain's highest similarity, after its modal formula, shortened).

    Examples
    --------
    >>> from analysis.data.corpus import load_recommendations
    >>> recs = load_recommendations()
    >>> pairs = cross_meeting_pairs(recs)
    >>> chains = find_chains(recs, pairs, 0.6)
    >>> chains.loc[chains["chain_id"] == "R01", "rec_id"].tolist()
    ['1.11.b', '7.2.b', '8.1.c']
    """
    similar = pairs.loc[pairs["similarity"] >= threshold, ["rec_id_a", "rec_id_b"]].assign(link="similar")
    cited = pd.DataFrame(columns=["rec_id_a", "rec_id_b", "link"])
    if citations is not None and len(citations):
        cited = (citations.dropna(subset=["cited_rec_id"])
                 .rename(columns={"cited_rec_id": "rec_id_a", "rec_id": "rec_id_b"})[["rec_id_a", "rec_id_b"]]
                 .assign(link="cited"))
    edges = pd.concat([similar, cited], ignore_index=True)
    recs = recommendations.reset_index(drop=True)
    nodes = recs["rec_id"].astype(str).tolist()
    labels = pd.Series(_components(nodes, edges), name="component")
    sizes = labels.map(labels.value_counts())
    members = recs.assign(component=labels.loc[nodes].to_numpy(), chain_size=sizes.loc[nodes].to_numpy())
    members = members.loc[members["chain_size"] > 1].copy()
    if members.empty:
        return pd.DataFrame(columns=_CHAIN_COLUMNS)
    members["meeting"] = members["meeting"].astype(int)
    members["order"] = np.arange(len(members))
    how = _links_by_unit(edges)
    sim_lookup = pairs.set_index(["rec_id_a", "rec_id_b"])["similarity"]
    rows = []
    for _, group in members.groupby("component", sort=False):
        ids = group["rec_id"].astype(str).tolist()
        meeting_of = dict(zip(ids, group["meeting"], strict=True))
        for rec_id in ids:
            others = [o for o in ids if meeting_of[o] != meeting_of[rec_id]]
            sims = [_pair_similarity(sim_lookup, rec_id, o) for o in others]
            k = int(np.argmax(sims))
            rows.append({"rec_id": rec_id, "best_match": others[k], "similarity": sims[k], "link": how.get(rec_id, "")})
    detail = pd.DataFrame(rows)
    members = members.merge(detail, on="rec_id", how="left", validate="one_to_one")
    stats = members.groupby("component").agg(
        n_meetings=("meeting", "nunique"), first=("order", "min"),
        years=("year", lambda y: ", ".join(str(v) for v in sorted(set(y.astype(int))))),
    )
    # label a chain by the unit of its most alike pair (the first such unit in document order)
    central = members.sort_values(["similarity", "order"], ascending=[False, True]).groupby("component").head(1)
    stats["label"] = central.set_index("component")["text"].map(lambda t: _label(str(t)))
    stats = stats.assign(size=members.groupby("component").size())
    stats = stats.sort_values(["n_meetings", "size", "first"], ascending=[False, False, True])
    stats["chain_id"] = [f"R{k:02d}" for k in range(1, len(stats) + 1)]
    members = members.join(stats[["chain_id", "n_meetings", "years", "label"]], on="component")
    members = members.sort_values(["chain_id", "order"], ignore_index=True)
    out = members[_CHAIN_COLUMNS].copy()
    for col in ("chain_id", "rec_id", "years", "best_match", "link", "label"):
        out[col] = out[col].astype("string")
    for col in ("meeting", "year", "chain_size", "n_meetings"):
        out[col] = out[col].astype("int64")
    return out


_CHAIN_COLUMNS: Final = ["chain_id", "rec_id", "meeting", "year", "chain_size", "n_meetings", "years",
                         "best_match", "similarity", "link", "label"]
_LABEL_CUT: Final = re.compile(
    r"^[\s:,]*(?:de\s+conformidad\s+con[^,]*,\s*)?"
    r"(?:(?:los|las)\s+Estados(?:\s+partes)?\s+a\s+(?:que\s*)?(?:,[^,]{1,80},\s*)?)?"
    r"(?:(?:consideren|considerar|estudien|estudiar)\s+la\s+(?:posibilidad|conveniencia)(?:,[^,]{1,120},)?\s+)?"
    r"(?:de\s+(?:que\s+)?|que\s+)?",
    re.IGNORECASE,
)


def _label(text: str, width: int = 70) -> str:
    """A short label: the text after its modal formula, cut at a word boundary.

    >>> _label("Se alienta a los Estados partes a que consideren la posibilidad de definir la explotación "
    ...        "en su legislación nacional.")
    'definir la explotación en su legislación nacional'
    """
    modality = find_modality(text)
    body = text[modality.end:] if modality.rule is not None else text
    match = _LABEL_CUT.match(body)
    body = body[match.end():].strip(" :,") if match else body
    if len(body) < 30:  # the formula closes the sentence: "... deberían considerar la posibilidad de hacerlo."
        body = text
    if len(body) <= width:
        return body.rstrip(".;")
    return body[:width].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def _pair_similarity(lookup: pd.Series, a: str, b: str) -> float:
    if (a, b) in lookup.index:
        return float(lookup.loc[(a, b)])
    return float(lookup.loc[(b, a)])


def _links_by_unit(edges: pd.DataFrame) -> dict[str, str]:
    kinds: dict[str, set[str]] = {}
    for a, b, link in edges[["rec_id_a", "rec_id_b", "link"]].itertuples(index=False):
        kinds.setdefault(a, set()).add(link)
        kinds.setdefault(b, set()).add(link)
    return {k: "+".join(sorted(v, key=["similar", "cited"].index)) for k, v in kinds.items()}


def chain_summary(chains: pd.DataFrame) -> pd.DataFrame:
    """One row per chain: its years, units (rec_ids), size and label.

    Examples
    --------
    >>> from analysis.data.corpus import load_recommendations
    >>> recs = load_recommendations()
    >>> s = chain_summary(find_chains(recs, cross_meeting_pairs(recs), 0.6))
    >>> s.loc["R01", "rec_ids"]
    '1.11.b, 7.2.b, 8.1.c'
    """
    grouped = chains.groupby("chain_id", sort=True)
    return pd.DataFrame({
        "years": grouped["years"].first(),
        "n_meetings": grouped["n_meetings"].first(),
        "units": grouped.size(),
        "rec_ids": grouped["rec_id"].agg(", ".join),
        "min_similarity": grouped["similarity"].min().round(3),
        "label": grouped["label"].first(),
    })

"""Who is asked to act, and how firmly: addressee and modality of every unit.

Two rule-based extractors read the Spanish text of each recommendation unit:

* the **modality** of the governing verb, on an ordinal scale
  (:data:`MODALITY_LEVELS`): ``firm`` ("deberían velar", "reconocerán",
  "recomendó que"), ``consider`` ("deberían considerar / estudiar la
  posibilidad de", "podrían"), ``encourage`` ("se alienta a", "se alentó a",
  "propuso que") and ``optional`` ("tal vez deseen");
* the **addressee**, the actor asked to act (:data:`ADDRESSEES`): the subject
  of that verb ("los Estados partes deberían"), its object ("se alentó a los
  Estados partes a que"), the agent named in an agentless clause ("debería
  examinarse en futuras reuniones del Grupo de Trabajo") or ``other`` for an
  impersonal clause with no actor ("Debería alentarse la coordinación ...").

Both keep the words they matched as evidence (``*_phrase``) and the name of
the rule that fired (``*_rule``).

How a unit is read
------------------
1. A lettered item is read together with its paragraph's lead-in, so that
   "Los Estados partes deberían:" + "estudiar la posibilidad de incluir ..."
   is one governing clause ("deberían: estudiar la posibilidad" -> consider,
   States parties). Three kinds of lead-in are exceptions, listed in
   :data:`LEAD_IN_RULES`: lists of recommendations that the Working Group
   endorsed (IV.46) or commented on (II.24) are read item by item, and the
   recommendations that the Working Group sent to the Conference of the
   Parties for approval (VII.1 and VII.2) are read as addressed to States
   parties: the Conference is asked to adopt them, the States to carry them
   out (VII.1 f) speaks of "su recomendación anterior de que los Estados
   partes estudien ...", and every item asks for national action). A bare
   infinitive there ("alojar sin demora a las víctimas ...") is firm.
2. Every rule of :data:`MODALITY_RULES` is searched in that text; the match
   that starts first governs (ties go to the earlier rule, so the specific
   "deberían considerar la posibilidad" beats the plain "deberían"). Later
   sentences, e.g. "Al hacerlo, se alienta ..." after a "deberían", do not
   change the unit's modality.
3. The addressee is read around that match (see :func:`find_addressee`),
   with the actors of :data:`ACTOR_RULES`.

Rules are data: each table is an ordered tuple of named, compiled regular
expressions, so that adding a rule is adding one line.

Examples
--------
>>> classify_unit("estudiar la posibilidad de incluir el tema de la trata ...",
...               lead_in="Respecto de la prevención y sensibilización, los Estados partes deberían:")[:4]
('States parties', 'los Estados partes deberían: estudiar la posibilidad', 'consider', 3)
>>> classify_unit("Se alentó a los Estados partes a que establecieran alianzas con el sector privado.")[:4]
('States parties', 'Se alentó a los Estados partes', 'encourage', 2)
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final, Literal, NamedTuple

import pandas as pd

__all__ = [
    "ACTOR_RULES",
    "ADDRESSEES",
    "LEAD_IN_RULES",
    "MODALITY_LEVELS",
    "MODALITY_RANK",
    "MODALITY_RULES",
    "ActorRule",
    "LeadInRule",
    "ModalityMatch",
    "ModalityRule",
    "UnitLanguage",
    "classify_unit",
    "classify_units",
    "explain_units",
    "find_addressee",
    "find_modality",
    "firmness_by",
    "governing_text",
    "rule_counts",
    "shares_by",
]

#: Addressee labels, in display order; "unknown" is for units no rule reaches.
ADDRESSEES: Final[tuple[str, ...]] = (
    "States parties", "States", "Conference", "Working Group", "Secretariat", "UNODC", "other", "unknown",
)  # fmt: skip
#: Modality levels from the softest to the firmest; the rank is the position + 1.
MODALITY_LEVELS: Final[tuple[str, ...]] = ("optional", "encourage", "consider", "firm")
#: Ordinal rank of each modality level (1 = optional ... 4 = firm).
MODALITY_RANK: Final[dict[str, int]] = {name: i for i, name in enumerate(MODALITY_LEVELS, 1)}
UNKNOWN: Final = "unknown"

_FLAGS: Final = re.IGNORECASE


# --------------------------------------------------------------------------- rule tables


@dataclass(frozen=True)
class ActorRule:
    """An actor that can be asked to act: its label and how the text names it."""

    label: str
    pattern: re.Pattern[str]


@dataclass(frozen=True)
class ModalityRule:
    """A modal construction: its name, level and where its actor stands.

    ``actor`` is ``"before"`` when the actor is the subject in front of the
    verb ("los Estados partes deberían") and ``"after"`` when it is the object
    that follows ("se alienta a los Estados partes").
    """

    name: str
    modality: str
    pattern: re.Pattern[str]
    actor: Literal["before", "after"] = "before"


@dataclass(frozen=True)
class LeadInRule:
    """How the items under a kind of lead-in are read.

    ``action`` is ``"item"`` (read each item on its own) or ``"imply"`` (read
    the item on its own, addressed to ``addressee``; an item with no modal
    verb is a bare infinitive, i.e. firm).
    """

    name: str
    pattern: re.Pattern[str]
    action: Literal["item", "imply"]
    addressee: str | None = None


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, _FLAGS)


#: Actors, tried left to right at each position (longest names first).
ACTOR_RULES: Final[tuple[ActorRule, ...]] = (
    ActorRule("Conference", _rx(r"\bConferencia(?:\s+de\s+las\s+Partes)?\b")),
    ActorRule("Working Group", _rx(r"\bGrupo\s+de\s+Trabajo(?:\s+sobre\s+la\s+Trata\s+de\s+Personas)?\b")),
    ActorRule("UNODC", _rx(r"\bOficina\s+de\s+las\s+Naciones\s+Unidas\s+contra\s+la\s+Droga\s+y\s+el\s+Delito"
                           r"(?:\s+\(UNODC\))?|\bUNODC\b")),
    ActorRule("Secretariat", _rx(r"\bSecretaría\b")),
    ActorRule("States parties", _rx(r"\bEstados\s+partes\b|\bLas\s+partes\b(?=\s+deber)")),
    ActorRule("States", _rx(r"\bEstados(?:\s+Miembros)?\b")),
)  # fmt: skip

_MODAL = r"\bdeber(?:ía|ían|á|án)\b"
_PAREN = r"(?:\s*,[^,;:.]{1,160},)?"
_CONSIDER = r"\b(?:considerar|estudiar|consideren|estudien|considere|estudie|considerara|consideraran|estudiara|estudiaran)\b"
_POSSIBILITY = r"(?:la\s+)?(?:posibilidad|conveniencia)\b"
_RECOMMEND = r"\brecom(?:endó|ienda|iendan|endaron)\b"

#: Modal constructions, specific before generic (ties go to the earlier rule).
MODALITY_RULES: Final[tuple[ModalityRule, ...]] = (
    ModalityRule("may_wish", "optional", _rx(r"\btal\s+vez\s+dese(?:e|en|ara|aran)\b")),
    ModalityRule("encouraged", "encourage", _rx(r"\bse\s+(?:alienta|alentó|alentaba|invita|invitó)\s+a\b"), "after"),
    ModalityRule("proposed", "encourage", _rx(r"\bpropuso\s+que\b"), "after"),
    ModalityRule("should_consider", "consider",
                 _rx(_MODAL + r":?" + _PAREN + r"\s+(?:también\s+)?" + _CONSIDER + r"(?:\s+también)?" + _PAREN
                     + r"\s+" + _POSSIBILITY)),
    ModalityRule("recommended_consider", "consider",
                 _rx(_RECOMMEND + r"[^.;]{0,60}?\bque" + _PAREN + r"\s+(?:se\s+)?considerar(?:a|an)\b"), "after"),
    ModalityRule("could", "consider", _rx(r"(?<!que )\bpodrían?\b")),
    ModalityRule("consider_possibility", "consider", _rx(_CONSIDER + _PAREN + r"\s+" + _POSSIBILITY)),
    ModalityRule("should_impersonal", "firm",
                 _rx(r"\bse\s+" + _MODAL + r"|" + _MODAL + r"\s+[a-záéíóú]+(?:arse|erse|irse)\b(?!\s+de\s+que)")),
    ModalityRule("should", "firm", _rx(_MODAL)),
    ModalityRule("shall", "firm", _rx(r"\b(?:reconocerán|procurarán|velarán|adoptarán)\b")),
    ModalityRule("recommended", "firm", _rx(_RECOMMEND + r"(?:\s+a\s+[^,;]{1,60}?)?\s+que\b"), "after"),
    ModalityRule("requested", "firm", _rx(r"\b(?:solicitó|pidió)\s+a\b"), "after"),
)  # fmt: skip

#: Lead-ins whose items are not read as the continuation of the lead-in.
LEAD_IN_RULES: Final[tuple[LeadInRule, ...]] = (
    LeadInRule("for_conference_approval",
               _rx(r"recomendó\s+a\s+la\s+Conferencia\s+de\s+las\s+Partes\s+que\s+examinara\s+las\s+siguientes"
                   r"\s+recomendaciones"), "imply", "States parties"),
    LeadInRule("endorsed_list", _rx(r"\bhizo\s+suyas\b.*\blas\s+siguientes\s+recomendaciones"), "item"),
    LeadInRule("observations_list", _rx(r"\bcabe\s+señalar\s+lo\s+siguiente"), "item"),
)  # fmt: skip

_ACTOR_RE: Final = re.compile(
    "|".join(f"(?P<a{i}>{rule.pattern.pattern})" for i, rule in enumerate(ACTOR_RULES)), _FLAGS
)
_BARE_INFINITIVE_RE: Final = re.compile(r"\b[a-záéíóúñ]+(?:ar|er|ir)(?:se)?\b", _FLAGS)
_SENTENCE_END_RE: Final = re.compile(r"[.;](?=\s)")
_TRAILING_PAREN_RE: Final = re.compile(r",[^,]{1,160},\s*$")
_COORDINATION_RE: Final = re.compile(r"^\s+y\s+(?:a\s+)?(?:la|el|los|las)?\s*$", _FLAGS)


# --------------------------------------------------------------------------- results


class ModalityMatch(NamedTuple):
    """The governing modal construction of a text (``rule`` is None if none)."""

    modality: str
    rank: int | None
    phrase: str
    rule: str | None
    start: int
    end: int
    actor: Literal["before", "after"] = "before"


class UnitLanguage(NamedTuple):
    """Addressee and modality of one unit, with the evidence and the rules."""

    addressee: str
    addressee_phrase: str
    modality: str
    modality_rank: int | None
    modality_phrase: str
    addressee_rule: str
    modality_rule: str
    lead_in_rule: str = "no_lead_in"


_NO_MODALITY: Final = ModalityMatch(UNKNOWN, None, "", None, -1, -1)


# --------------------------------------------------------------------------- extractors


def governing_text(text: str, lead_in: str | None = None) -> tuple[str, LeadInRule | None]:
    """The text that holds a unit's governing clause, and the lead-in rule applied.

    A lettered item is joined to its lead-in (``"<lead-in> <item>"``), unless
    the lead-in matches a rule of :data:`LEAD_IN_RULES`, in which case the
    item is read alone.

    Examples
    --------
    >>> governing_text("tipificar como delito ...;", "Los Estados partes deberían:")
    ('Los Estados partes deberían: tipificar como delito ...;', None)
    >>> text, rule = governing_text("alojar sin demora a las víctimas ...;",
    ...     "El Grupo de Trabajo recomendó a la Conferencia de las Partes que examinara "
    ...     "las siguientes recomendaciones para su aprobación:")
    >>> text, rule.name, rule.addressee
    ('alojar sin demora a las víctimas ...;', 'for_conference_approval', 'States parties')
    """
    if lead_in is None or pd.isna(lead_in) or not str(lead_in).strip():
        return text, None
    for rule in LEAD_IN_RULES:
        if rule.pattern.search(lead_in):
            return text, rule
    return f"{str(lead_in).strip()} {text}", None


def find_modality(text: str, *, bare_infinitive: bool = False) -> ModalityMatch:
    """The governing modal construction: the rule match that starts first.

    Parameters
    ----------
    text : str
        A governing text (see :func:`governing_text`).
    bare_infinitive : bool
        Read a text without any modal verb as a bare infinitive ("alojar sin
        demora ..."), i.e. ``firm``, as under a list of recommendations.

    Examples
    --------
    >>> find_modality("Los Estados partes tal vez deseen examinar las orientaciones ...")[:4]
    ('optional', 1, 'tal vez deseen', 'may_wish')
    >>> find_modality("Los Estados partes deberían: considerar la posibilidad, de conformidad con la "
    ...               "legislación nacional, de no sancionar ...").phrase
    'deberían: considerar la posibilidad'
    >>> find_modality("Debería alentarse la coordinación entre las entidades ...")[:4]
    ('firm', 4, 'Debería alentarse', 'should_impersonal')
    """
    best: tuple[int, int, re.Match[str], ModalityRule] | None = None
    for order, rule in enumerate(MODALITY_RULES):
        match = rule.pattern.search(text)
        if match and (best is None or (match.start(), order) < best[:2]):
            best = (match.start(), order, match, rule)
    if best is not None:
        _, _, match, rule = best
        return ModalityMatch(rule.modality, MODALITY_RANK[rule.modality], match.group(), rule.name,
                             match.start(), match.end(), rule.actor)
    if bare_infinitive and (verb := _BARE_INFINITIVE_RE.search(text)):
        return ModalityMatch("firm", MODALITY_RANK["firm"], verb.group(), "bare_infinitive", verb.start(), verb.end())
    return _NO_MODALITY


def _actor_label(match: re.Match[str]) -> str:
    return ACTOR_RULES[int(str(match.lastgroup)[1:])].label


def _clause_start(text: str, pos: int) -> int:
    ends = [m.end() for m in _SENTENCE_END_RE.finditer(text, 0, pos)]
    return ends[-1] if ends else 0


def _clause_end(text: str, pos: int) -> int:
    match = _SENTENCE_END_RE.search(text, pos)
    return match.start() if match else len(text)


def find_addressee(text: str, modality: ModalityMatch) -> tuple[str, str, str]:
    """The actor asked to act by the governing construction ``modality``.

    Returns ``(addressee, phrase, rule)``, where ``rule`` says how it was found:

    ``subject``
        The last actor named before the modal verb in the same sentence, past
        a parenthetical ("la Secretaría, en consulta con los Estados partes,
        debería") and back to the first of coordinated actors ("los Estados
        partes y la UNODC deberían").
    ``object``
        The first actor after "se alienta a", "recomendó (a ...) que", etc.
    ``agent``
        An agentless clause ("debería examinarse en futuras reuniones del
        Grupo de Trabajo", "Debería solicitarse a la UNODC que"): the first
        actor in the rest of the clause.
    ``impersonal``
        An agentless clause that names no actor: ``other``.

    Examples
    --------
    >>> text = "la Secretaría, en consulta con los Estados partes, debería publicar documentos"
    >>> find_addressee(text, find_modality(text))
    ('Secretariat', 'la Secretaría, en consulta con los Estados partes, debería', 'subject')
    >>> text = "Debería solicitarse a la UNODC que realizara una evaluación"
    >>> find_addressee(text, find_modality(text))
    ('UNODC', 'Debería solicitarse a la UNODC', 'agent')
    """
    if modality.rule is None:
        return UNKNOWN, "", "none"
    if modality.actor == "after":
        actor = _ACTOR_RE.search(text, modality.start, _clause_end(text, modality.end))
        if actor:
            return _actor_label(actor), text[modality.start:actor.end()], "object"
        return "other", modality.phrase, "impersonal"
    start = _clause_start(text, modality.start)
    head = text[start:modality.start]
    if paren := _TRAILING_PAREN_RE.search(head):
        head = head[:paren.start()]
    # search up to the modal verb, so that "Las partes (deberían)" can see its verb
    segment = f"{head} {text[modality.start:modality.end]}"
    actors = [m for m in _ACTOR_RE.finditer(segment) if m.end() <= len(head)]
    if actors:
        i = len(actors) - 1
        while i > 0 and _COORDINATION_RE.match(head[actors[i - 1].end():actors[i].start()]):
            i -= 1
        first = actors[i]
        phrase_start = start + _article_start(head, first.start())
        return _actor_label(first), text[phrase_start:modality.end], "subject"
    actor = _ACTOR_RE.search(text, modality.end, _clause_end(text, modality.end))
    if actor:
        return _actor_label(actor), text[modality.start:actor.end()], "agent"
    return "other", modality.phrase, "impersonal"


_ARTICLE_RE: Final = re.compile(r"(?:\b(?:la|el|los|las)\s+)$", _FLAGS)


def _article_start(head: str, pos: int) -> int:
    match = _ARTICLE_RE.search(head, 0, pos)
    return match.start() if match else pos


def classify_unit(text: str, lead_in: str | None = None) -> UnitLanguage:
    """Addressee and modality of one unit (see the module docstring).

    Examples
    --------
    >>> u = classify_unit("Debería alentarse la coordinación entre las entidades de las Naciones Unidas ...")
    >>> u.addressee, u.modality, u.addressee_rule
    ('other', 'firm', 'impersonal')
    >>> u = classify_unit("alojar sin demora a las víctimas en albergues seguros ...;",
    ...     lead_in="El Grupo de Trabajo recomendó a la Conferencia de las Partes que examinara "
    ...             "las siguientes recomendaciones para su aprobación:")
    >>> u.addressee, u.modality, u.modality_phrase, u.addressee_rule
    ('States parties', 'firm', 'alojar', 'lead-in:for_conference_approval')
    """
    governing, lead_rule = governing_text(text, lead_in)
    implied = lead_rule is not None and lead_rule.action == "imply"
    modality = find_modality(governing, bare_infinitive=implied)
    if implied:
        assert lead_rule is not None and lead_rule.addressee is not None
        addressee, phrase, how = lead_rule.addressee, str(lead_in).strip(), f"lead-in:{lead_rule.name}"
    else:
        addressee, phrase, how = find_addressee(governing, modality)
    reading = "no_lead_in" if lead_in is None or pd.isna(lead_in) else (lead_rule.name if lead_rule else "inherit")
    return UnitLanguage(addressee, phrase, modality.modality, modality.rank, modality.phrase, how,
                        modality.rule or "none", reading)


def classify_units(recommendations: pd.DataFrame) -> pd.DataFrame:
    """Addressee and modality of every unit of a recommendations frame.

    Parameters
    ----------
    recommendations : DataFrame
        With columns ``rec_id``, ``text`` and ``lead_in`` (as
        :attr:`analysis.data.corpus.Corpus.recommendations`).

    Returns
    -------
    DataFrame
        One row per unit, in the input order: ``rec_id``, ``addressee``
        (categorical, :data:`ADDRESSEES`), ``addressee_phrase``, ``modality``
        (ordered categorical, :data:`MODALITY_LEVELS` then ``unknown``),
        ``modality_rank`` (1-4, NA when unknown), ``modality_phrase``,
        ``addressee_rule``, ``modality_rule`` and ``lead_in_rule`` (how a
        lettered item was read: ``inherit`` with its lead-in, or the name of
        a rule of :data:`LEAD_IN_RULES`; ``no_lead_in`` for a paragraph).

    Examples
    --------
    >>> from analysis.data.corpus import load_recommendations
    >>> lang = classify_units(load_recommendations())
    >>> lang.set_index("rec_id").loc["2.4", ["addressee", "modality"]].tolist()
    ['States parties', 'encourage']
    """
    rows = [classify_unit(t, li) for t, li in zip(recommendations["text"], recommendations["lead_in"], strict=True)]
    out = pd.DataFrame(rows, columns=list(UnitLanguage._fields))
    out.insert(0, "rec_id", recommendations["rec_id"].astype("string").to_numpy())
    out["addressee"] = pd.Categorical(out["addressee"], categories=list(ADDRESSEES))
    out["modality"] = pd.Categorical(out["modality"], categories=[*MODALITY_LEVELS, UNKNOWN], ordered=True)
    out["modality_rank"] = out["modality_rank"].astype("Int64")
    for col in ("rec_id", "addressee_phrase", "modality_phrase", "addressee_rule", "modality_rule"):
        out[col] = out[col].astype("string")
    for col in ("lead_in_rule",):
        out[col] = out[col].astype("string")
    return out[["rec_id", "addressee", "addressee_phrase", "modality", "modality_rank", "modality_phrase",
                "addressee_rule", "modality_rule", "lead_in_rule"]]


# --------------------------------------------------------------------------- summaries


def rule_counts(language: pd.DataFrame) -> pd.DataFrame:
    """How many units each rule classified, and how many it could not.

    Returns one row per (``step``, ``rule``) with ``units`` and ``share`` of
    all units, steps in the order they run (lead-in, addressee, modality); the
    ``none`` rule counts the units left unclassified.

    Examples
    --------
    >>> from analysis.data.corpus import load_recommendations
    >>> counts = rule_counts(classify_units(load_recommendations()))
    >>> counts.loc[counts["rule"] == "none", "units"].sum()
    np.int64(0)
    """
    frames = []
    for step, col in (("lead-in", "lead_in_rule"), ("addressee", "addressee_rule"), ("modality", "modality_rule")):
        counts = language[col].value_counts().rename("units").rename_axis("rule").reset_index()
        counts.insert(0, "step", step)
        frames.append(counts)
    out = pd.concat(frames, ignore_index=True)
    out["units"] = out["units"].astype("int64")
    out["share"] = out["units"] / len(language)
    out["step"] = pd.Categorical(out["step"], categories=["lead-in", "addressee", "modality"], ordered=True)
    return out.sort_values(["step", "units", "rule"], ascending=[True, False, True], ignore_index=True)


def shares_by(
    language: pd.DataFrame,
    recommendations: pd.DataFrame,
    column: str,
    by: str = "meeting",
    *,
    categories: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Units and their share per ``by`` group and ``column`` category, with the rec_ids.

    Parameters
    ----------
    language : DataFrame
        From :func:`classify_units`.
    recommendations : DataFrame
        The units with ``rec_id`` and the ``by`` column.
    column : str
        ``"addressee"`` or ``"modality"`` (or any column of ``language``).
    by : str
        Column of ``recommendations`` to group by (e.g. ``"meeting"``).
    categories : iterable of str, optional
        Categories to keep, in order (default: those of ``column``).

    Returns
    -------
    DataFrame
        Long format: ``by``, ``column``, ``units``, ``share`` (of the group's
        units; 0 for an empty group) and ``rec_ids`` (comma-separated), one row
        per group and category, categories with no unit in any group dropped.

    Examples
    --------
    >>> from analysis.data.corpus import load_recommendations
    >>> recs = load_recommendations()
    >>> s = shares_by(classify_units(recs), recs, "modality")
    >>> s.loc[(s["meeting"] == 5) & (s["modality"] == "encourage"), "units"].item()
    16
    """
    frame = language.merge(recommendations[["rec_id", by]], on="rec_id", how="left", validate="one_to_one")
    cats = list(categories) if categories is not None else list(frame[column].cat.categories)
    groups = list(frame[by].cat.categories) if isinstance(frame[by].dtype, pd.CategoricalDtype) else sorted(
        frame[by].dropna().unique())
    rows = []
    for group in groups:
        sub = frame.loc[frame[by] == group]
        for cat in cats:
            ids = sub.loc[sub[column] == cat, "rec_id"].tolist()
            rows.append({by: group, column: cat, "units": len(ids),
                         "share": len(ids) / len(sub) if len(sub) else 0.0, "rec_ids": ", ".join(ids)})
    out = pd.DataFrame(rows)
    used = out.groupby(column, sort=False)["units"].sum()
    out = out.loc[out[column].isin(used[used > 0].index)].reset_index(drop=True)
    out[column] = pd.Categorical(out[column], categories=[c for c in cats if c in set(out[column])], ordered=True)
    return out


def explain_units(language: pd.DataFrame, recommendations: pd.DataFrame, rec_ids: Iterable[str],
                  width: int = 90) -> pd.DataFrame:
    """The reading of some units next to their text, for display.

    Returns one row per ``rec_id`` (in the order given) with the unit's
    text shortened to ``width`` characters (a lettered item after the end of
    its lead-in, at most half the width, and " | "), the addressee and modality, the
    evidence phrases and the rules that fired.

    Examples
    --------
    >>> from analysis.data.corpus import load_recommendations
    >>> recs = load_recommendations()
    >>> explain_units(classify_units(recs), recs, ["4.1"]).loc["4.1", "addressee"]
    'other'
    """
    ids = list(rec_ids)
    lang = language.set_index("rec_id").loc[ids]
    units = recommendations.set_index("rec_id").loc[ids]
    def cut(t: str, n: int) -> str:
        return t if len(t) <= n else t[:n].rsplit(" ", 1)[0] + " …"

    def cut_left(t: str, n: int) -> str:  # a lead-in ends with its subject and verb: keep the end
        return t if len(t) <= n else "… " + t[-n:].split(" ", 1)[-1]

    text = [t if pd.isna(li) else f"{cut_left(str(li), width // 2)} | {t}"
            for t, li in zip(units["text"], units["lead_in"], strict=True)]
    out = pd.DataFrame({"text": [cut(t, width) for t in text]}, index=pd.Index(ids, name="rec_id"))
    for col in ("addressee", "addressee_phrase", "modality", "modality_phrase", "addressee_rule", "modality_rule"):
        out[col] = lang[col].astype(str).to_numpy()
    return out


def firmness_by(language: pd.DataFrame, groups: pd.DataFrame, by: str) -> pd.DataFrame:
    """Units of each modality level per group, the share of firm units and the mean rank.

    Parameters
    ----------
    language : DataFrame
        From :func:`classify_units`.
    groups : DataFrame
        ``rec_id`` and the ``by`` column (e.g. a theme per unit).
    by : str
        The grouping column.

    Returns
    -------
    DataFrame
        Indexed by group, least firm first: one column of units per level of
        :data:`MODALITY_LEVELS` (firm first), ``units``, ``firm_share`` and
        ``mean_rank`` (1 = optional ... 4 = firm).

    Examples
    --------
    >>> from analysis.data.corpus import load_recommendations
    >>> recs = load_recommendations()
    >>> table = firmness_by(classify_units(recs), recs.assign(meeting=recs["meeting"].astype(int)), "meeting")
    >>> table.loc[5, ["firm", "encourage", "units"]].tolist()
    [20, 16, 44]
    """
    frame = language.merge(groups[["rec_id", by]], on="rec_id", how="inner", validate="one_to_one")
    counts = pd.crosstab(frame[by], frame["modality"].astype(str))
    out = counts.reindex(columns=list(reversed(MODALITY_LEVELS)), fill_value=0)
    out["units"] = out.sum(axis=1)
    out["firm_share"] = (out["firm"] / out["units"]).round(3)
    out["mean_rank"] = frame.groupby(by)["modality_rank"].mean().astype(float).round(2)
    out.columns.name = None
    return out.sort_values(["firm_share", "mean_rank"], kind="mergesort")

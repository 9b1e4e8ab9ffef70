"""The codebook file, ``data/codebook.toml``: its schema, its validation and the typed objects it becomes.

Every field a theme (``[[theme]]``) or the coding rules (``[coding]``) may
have is declared once in :data:`THEME_FIELDS` and :data:`CODING_FIELDS`, with
its type and whether it is required. :func:`load_codebook` reads the file,
checks it against them and returns a :class:`Codebook`; every problem is a
:class:`CodebookError` whose message names the file, the theme (by position
and id) and the field, for example::

    data/codebook.toml, theme 3 ('demanda'), field 'seeds': must be an array of strings, not a string ('ratificación'); write seeds = ["ratificación"]

Unknown fields are refused with the closest known name ("did you mean
'color'?"). All problems of a file are reported at once, one per line.
Problems only the corpus can show (a seed that matches no recommendation)
are warned about by :meth:`analysis.themes.CodebookModel.fit` with a
:class:`CodebookWarning` worded the same way.

Examples
--------
>>> cb = load_codebook()
>>> len(cb) >= 15, cb.themes[0].id, cb.source
(True, 'legislacion', 'data/codebook.toml')
>>> validate_codebook({"theme": [{"id": "a", "name": "A", "description": "x", "seeds": ["b"], "colour": "#000000"}]}, "cb.toml")
Traceback (most recent call last):
...
analysis.themes.codebook_schema.CodebookError: 2 problems in cb.toml:
  cb.toml, field 'theme': 1 theme; a codebook needs at least two themes to tell apart
  cb.toml, theme 1 ('a'), field 'colour': unknown field; did you mean 'color'?
"""

from __future__ import annotations

import difflib
import math
import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.data.paths import CODEBOOK_PATH, display_path

__all__ = [
    "CODING_FIELDS",
    "THEME_FIELDS",
    "TOP_LEVEL_FIELDS",
    "Codebook",
    "CodebookError",
    "CodebookTheme",
    "CodebookWarning",
    "CodingRules",
    "FieldSpec",
    "LEAD_IN_EFFECTS",
    "LEAD_IN_FIELDS",
    "LeadInRole",
    "codebook_ids",
    "load_codebook",
    "read_codebook_toml",
    "theme_where",
    "validate_codebook",
]

#: The coding manual names at most this many clear cases (``examples``) per theme.
MAX_EXAMPLES = 3
#: theme_id of the codebook model's "no clear theme": no codebook theme may take it.
RESERVED_ID = "sin_tema"
_ID_RE = re.compile(r"[a-z0-9][a-z0-9_-]*")
_COLOR_RE = re.compile(r"#[0-9A-Fa-f]{6}")
_REC_ID_RE = re.compile(r"\d+\.\d+(?:\.[a-z]{1,4})?")
_TOML_WHERE_RE = re.compile(r"\s*\(at (?:line (?P<line>\d+), column (?P<column>\d+)|end of document)\)$")


class CodebookError(ValueError):
    """The codebook breaks its schema. The message names the file, the theme and the field of every problem.

    ``problems`` holds one message per problem; the error's message is the
    problem itself when there is one, else a count and one problem per line.
    """

    def __init__(self, problems: Sequence[str], source: str = "<codebook>") -> None:
        self.problems = list(problems)
        self.source = source
        if len(self.problems) == 1:
            message = self.problems[0]
        else:
            message = f"{len(self.problems)} problems in {source}:\n" + "\n".join(f"  {p}" for p in self.problems)
        super().__init__(message)


class CodebookWarning(UserWarning):
    """A codebook field that is valid but does nothing on this corpus (a seed that matches no recommendation)."""


# --------------------------------------------------------------------------- the schema


@dataclass(frozen=True)
class FieldSpec:
    """One field of the codebook: its TOML type (``kind``), whether it is required, and what it means."""

    name: str
    kind: str  # "text" (non-empty string), "string", "strings" (array of non-empty strings), "number", "integer", "color", "rec_ids"
    required: bool = False
    doc: str = ""


THEME_FIELDS: dict[str, FieldSpec] = {f.name: f for f in (
    FieldSpec("id", "text", True, "a unique slug, the theme_id of the outputs (never shown to readers)"),
    FieldSpec("name", "text", True, "the Spanish name shown in tables and figures"),
    FieldSpec("name_en", "text", False, "the English name (default: name)"),
    FieldSpec("description", "text", True, "one sentence: what the theme covers"),
    FieldSpec("seeds", "strings", True, "Spanish seed terms, matched like the text (accents, case, inflection)"),
    FieldSpec("key_seeds", "strings", False, "terms that decide the theme wherever they appear"),
    FieldSpec("weight", "number", False, "a positive factor on every seed of the theme (default 1.0)"),
    FieldSpec("pillar", "string", False, "the Protocol pillar the theme belongs to"),
    FieldSpec("color", "color", False, "the theme's colour in every chart, '#RRGGBB', unique"),
    FieldSpec("definition", "text", False, "the coding manual's definition of the theme"),
    FieldSpec("includes", "strings", False, "what the theme includes (coding manual)"),
    FieldSpec("excludes", "strings", False, "what the theme excludes (coding manual)"),
    FieldSpec("examples", "rec_ids", False, "rec_ids of clear primary cases, at most three (coding manual)"),
)}
CODING_FIELDS: dict[str, FieldSpec] = {f.name: f for f in (
    FieldSpec("unit", "text", False, "the unit of coding (a recommendation unit)"),
    FieldSpec("primary", "text", False, "how the primary theme is chosen"),
    FieldSpec("secondary", "text", False, "when a secondary theme is recorded"),
    FieldSpec("rules", "strings", False, "further coding rules, one per string"),
)}
TOP_LEVEL_FIELDS: dict[str, FieldSpec] = {f.name: f for f in (
    FieldSpec("version", "integer", False, "the codebook's version"),
    FieldSpec("coding", "table", False, "the coding rules, a [coding] table"),
    FieldSpec("theme", "themes", True, "the themes, one [[theme]] table each, in the order of tables and figures"),
    FieldSpec("lead_in", "lead_ins", False, "the roles of paragraph lead-ins, one [[lead_in]] table each"),
)}
#: The effects a lead-in role may have (field ``effect`` of a ``[[lead_in]]``).
LEAD_IN_EFFECTS: tuple[str, ...] = ("sets", "weighs")
LEAD_IN_FIELDS: dict[str, FieldSpec] = {f.name: f for f in (
    FieldSpec("role", "text", True, "a short name of the role (e.g. 'agenda'), used in the outputs"),
    FieldSpec("effect", "text", True, "'sets' (the lead-in sets the primary theme) or 'weighs' (its seeds count for its items)"),
    FieldSpec("patterns", "strings", True, "phrases that give a lead-in this role (accents and case do not matter; '^' anchors at the start)"),
    FieldSpec("theme", "string", False, "for effect 'sets': the theme id the role sets"),
    FieldSpec("weight", "number", False, "for effect 'weighs': the factor on the lead-in's seed scores (default 1.0)"),
    FieldSpec("description", "text", False, "what the role means (coding manual)"),
)}


# --------------------------------------------------------------------------- the typed codebook


@dataclass(frozen=True)
class CodebookTheme:
    """One theme of the codebook."""

    id: str
    name: str
    name_en: str
    description: str
    seeds: tuple[str, ...]
    weight: float = 1.0
    pillar: str = ""
    key_seeds: tuple[str, ...] = ()
    #: The theme's colour in every chart ("#RRGGBB"); empty: one is derived from the id.
    color: str = ""
    definition: str = ""
    includes: tuple[str, ...] = ()
    excludes: tuple[str, ...] = ()
    examples: tuple[str, ...] = ()


@dataclass(frozen=True)
class LeadInRole:
    """The role of a paragraph lead-in (a ``[[lead_in]]`` table of the codebook).

    ``effect`` is ``"sets"`` (items under such a lead-in take ``theme`` as
    primary; their own subject becomes secondary) or ``"weighs"`` (the
    lead-in's seed scores count for its items, times ``weight``). A lead-in
    has the role when it contains one of ``patterns`` (compared accent- and
    case-folded; a pattern starting with ``^`` must open the lead-in).
    """

    role: str
    effect: str
    patterns: tuple[str, ...]
    theme: str = ""
    weight: float = 1.0
    description: str = ""


@dataclass(frozen=True)
class CodingRules:
    """The coding manual's rules, the ``[coding]`` table (all optional)."""

    unit: str = ""
    primary: str = ""
    secondary: str = ""
    rules: tuple[str, ...] = ()


@dataclass(frozen=True)
class Codebook:
    """The named themes of ``data/codebook.toml``, in file order.

    ``source`` names the file in messages; ``coding`` holds its ``[coding]`` rules.

    Examples
    --------
    >>> cb = load_codebook()
    >>> len(cb) >= 15, cb.themes[0].id
    (True, 'legislacion')
    """

    themes: tuple[CodebookTheme, ...]
    source: str = field(default="<codebook>", compare=False)
    coding: CodingRules = CodingRules()
    lead_ins: tuple[LeadInRole, ...] = ()

    def __len__(self) -> int:
        return len(self.themes)

    @property
    def names(self) -> list[str]:
        return [t.name for t in self.themes]

    @property
    def ids(self) -> list[str]:
        return [t.id for t in self.themes]

    def where(self, position: int, field_name: str | None = None) -> str:
        """How messages name theme ``position`` (0-based) and a field: ``"<file>, theme 3 ('demanda'), field 'seeds'"``."""
        return theme_where(self.source, position + 1, self.themes[position].id, field_name)

    def to_frame(self) -> pd.DataFrame:
        """One row per theme: id, name, name_en, pillar, description, seeds."""
        return pd.DataFrame(
            [
                {
                    "theme_id": t.id,
                    "theme": t.name,
                    "name_en": t.name_en,
                    "pillar": t.pillar,
                    "description": t.description,
                    "n_seeds": len(t.seeds),
                    "seeds": ", ".join(t.seeds),
                }
                for t in self.themes
            ]
        )


# --------------------------------------------------------------------------- reading and checking


def theme_where(source: str, position: int | None = None, theme_id: object = None, field_name: str | None = None) -> str:
    """The place a message names: ``"data/codebook.toml, theme 3 ('demanda'), field 'seeds'"`` (1-based position)."""
    parts = [source]
    if position is not None:
        parts.append(f"theme {position} ({theme_id!r})" if isinstance(theme_id, str) and theme_id else f"theme {position} (no id)")
    if field_name is not None:
        parts.append(f"field {field_name!r}")
    return ", ".join(parts)


def read_codebook_toml(path: str | Path = CODEBOOK_PATH) -> dict[str, Any]:
    """The codebook TOML as a dict: the one place it is parsed (stdlib ``tomllib``).

    Raises
    ------
    CodebookError
        For a missing file, or TOML that does not parse (naming the line and column).
    """
    source = display_path(path)
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise CodebookError([f"{source}: file not found"], source) from None
    except tomllib.TOMLDecodeError as err:
        message = str(err)
        m = _TOML_WHERE_RE.search(message)
        where = source
        if m and m["line"]:
            where = f"{source}, line {m['line']}, column {m['column']}"
        elif m:
            where = f"{source}, at the end of the file"
        reason = message[: m.start()] if m else message
        raise CodebookError([f"{where}: not valid TOML: {reason}"], source) from None


def _toml_type(value: object) -> str:
    if isinstance(value, bool):
        return f"a boolean ({str(value).lower()})"
    if isinstance(value, str):
        return f"a string ({value!r})"
    if isinstance(value, int):
        return f"an integer ({value})"
    if isinstance(value, float):
        return f"a number ({value})"
    if isinstance(value, Mapping):
        return "a table"
    if isinstance(value, list):
        return "an array"
    return f"a {type(value).__name__} ({value})"


def _unknown(name: str, known: Sequence[str]) -> str:
    close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
    hint = f"did you mean {close[0]!r}?" if close else f"known fields: {', '.join(known)}"
    return f"unknown field; {hint}"


def _check_value(value: object, spec: FieldSpec) -> str | None:
    """What is wrong with ``value`` for field ``spec``, or ``None``."""
    kind = spec.kind
    if kind in ("text", "string", "color"):
        if not isinstance(value, str):
            return f"must be a string, not {_toml_type(value)}"
        if kind == "text" and not value.strip():
            return "must not be empty"
        if kind == "color" and not _COLOR_RE.fullmatch(value):
            return f"must be '#RRGGBB' (six hexadecimal digits), not {value!r}"
        return None
    if kind in ("strings", "rec_ids"):
        if isinstance(value, str):
            return f"must be an array of strings, not {_toml_type(value)}; write {spec.name} = [\"{value}\"]"
        if not isinstance(value, list):
            return f"must be an array of strings, not {_toml_type(value)}"
        for i, item in enumerate(value, 1):
            if not isinstance(item, str):
                return f"item {i} must be a string, not {_toml_type(item)}"
            if not item.strip():
                return f"item {i} is an empty string"
            if kind == "rec_ids" and not _REC_ID_RE.fullmatch(item.strip()):
                return f"item {i} ({item!r}) is not a rec_id such as '1.7.d' or '2.3'"
        return None
    if kind == "number":
        if isinstance(value, bool) or not isinstance(value, int | float):
            return f"must be a number, not {_toml_type(value)}"
        if not math.isfinite(value) or value <= 0:
            return f"must be a positive number, not {value}"
        return None
    if kind == "integer":
        return None if isinstance(value, int) and not isinstance(value, bool) else f"must be an integer, not {_toml_type(value)}"
    raise AssertionError(kind)  # pragma: no cover - the schema's own kinds


def _check_table(table: Mapping[str, object], specs: Mapping[str, FieldSpec], where: Any, owner: str = "the theme") -> list[str]:
    """Problems of one table (a theme, a lead-in role, the coding rules): unknown, missing and ill-typed fields."""
    problems = [f"{where(key)}: {_unknown(key, list(specs))}" for key in table if key not in specs]
    for name, spec in specs.items():
        if name not in table:
            if spec.required:
                problems.append(f"{where(name)}: {owner} lacks this required field ({spec.doc})")
        elif problem := _check_value(table[name], spec):
            problems.append(f"{where(name)}: {problem}")
    return problems


def _strings(value: object) -> tuple[str, ...]:
    return tuple(value) if isinstance(value, list) else ()


def validate_codebook(data: Mapping[str, object], source: str = "<codebook>") -> Codebook:
    """Check the parsed TOML ``data`` against the schema and return the typed :class:`Codebook`.

    Raises
    ------
    CodebookError
        Listing every problem, each naming ``source``, the theme (position and id) and the field.
    """
    problems = [f"{theme_where(source, field_name=key)}: {_unknown(key, list(TOP_LEVEL_FIELDS))}"
                for key in data if key not in TOP_LEVEL_FIELDS]
    version = data.get("version")
    if version is not None and (problem := _check_value(version, TOP_LEVEL_FIELDS["version"])):
        problems.append(f"{theme_where(source, field_name='version')}: {problem}")
    coding = CodingRules()
    raw_coding = data.get("coding", {})
    if not isinstance(raw_coding, Mapping):
        problems.append(f"{source}, [coding]: must be a table ([coding]), not {_toml_type(raw_coding)}")
    else:
        problems += _check_table(raw_coding, CODING_FIELDS, lambda name: f"{source}, [coding], field {name!r}")
        coding = CodingRules(
            **{k: str(v) for k, v in raw_coding.items() if k in ("unit", "primary", "secondary") and isinstance(v, str)},
            rules=_strings(raw_coding.get("rules")),
        )

    entries = data.get("theme")
    where_themes = theme_where(source, field_name="theme")
    if entries is None:
        problems.append(f"{where_themes}: missing: the codebook has no [[theme]]")
        entries = []
    elif isinstance(entries, Mapping):
        problems.append(f"{where_themes}: must be an array of tables, one [[theme]] (two brackets) per theme, "
                        "not a single table ([theme])")
        entries = []
    elif not isinstance(entries, list) or not all(isinstance(e, Mapping) for e in entries):
        problems.append(f"{where_themes}: must be an array of tables, one [[theme]] per theme")
        entries = []
    elif len(entries) < 2:
        problems.append(f"{where_themes}: {len(entries)} theme; a codebook needs at least two themes to tell apart")

    first_seen: dict[tuple[str, str], int] = {}
    for position, entry in enumerate(entries, 1):
        theme_id = entry.get("id")

        def where(name: str, position: int = position, theme_id: object = theme_id) -> str:
            return theme_where(source, position, theme_id, name)

        problems += _check_table(entry, THEME_FIELDS, where)
        if isinstance(theme_id, str) and theme_id:
            if theme_id == RESERVED_ID:
                problems.append(f"{where('id')}: {RESERVED_ID!r} is reserved for recommendations that fit no theme")
            elif not _ID_RE.fullmatch(theme_id):
                problems.append(f"{where('id')}: {theme_id!r} is not a slug (lower-case letters, digits, '_' and '-')")
        examples = entry.get("examples")
        if isinstance(examples, list) and len(examples) > MAX_EXAMPLES:
            problems.append(f"{where('examples')}: {len(examples)} examples; the manual names at most "
                            f"{MAX_EXAMPLES} clear cases per theme")
        if isinstance(entry.get("seeds"), list) and not entry["seeds"]:
            problems.append(f"{where('seeds')}: the theme has no seeds; give it at least one")
        for name in ("id", "name", "color"):
            value = entry.get(name)
            if isinstance(value, str) and value:
                key = (name, value.upper() if name == "color" else value)
                if key in first_seen:
                    other = first_seen[key]
                    problems.append(f"{where(name)}: {value!r} is also the {name} of theme {other} "
                                    f"({entries[other - 1].get('id')!r}); each theme needs its own")
                else:
                    first_seen[key] = position
    lead_ins, lead_problems = _validate_lead_ins(data.get("lead_in", []), source, {e.get("id") for e in entries})
    problems += lead_problems
    if problems:
        raise CodebookError(problems, source)
    themes = tuple(
        CodebookTheme(
            id=entry["id"], name=entry["name"], name_en=entry.get("name_en", entry["name"]),
            description=entry["description"], seeds=_strings(entry["seeds"]),
            weight=float(entry.get("weight", 1.0)), pillar=entry.get("pillar", ""),
            key_seeds=_strings(entry.get("key_seeds")), color=entry.get("color", "").upper(),
            definition=entry.get("definition", ""), includes=_strings(entry.get("includes")),
            excludes=_strings(entry.get("excludes")), examples=_strings(entry.get("examples")),
        )
        for entry in entries
    )
    return Codebook(themes, source, coding, lead_ins)


def _validate_lead_ins(entries: object, source: str, theme_ids: set[object]) -> tuple[tuple[LeadInRole, ...], list[str]]:
    """The ``[[lead_in]]`` roles and the problems of each (file, role position and name, field)."""
    if isinstance(entries, Mapping) or not isinstance(entries, list) or not all(isinstance(e, Mapping) for e in entries):
        return (), [f"{source}, field 'lead_in': must be an array of tables, one [[lead_in]] (two brackets) per role"]
    problems: list[str] = []
    roles = []
    for position, entry in enumerate(entries, 1):
        name = entry.get("role")
        label = f"lead_in {position} ({name!r})" if isinstance(name, str) and name else f"lead_in {position}"

        def where(field_name: str, label: str = label) -> str:
            return f"{source}, {label}, field {field_name!r}"

        found = _check_table(entry, LEAD_IN_FIELDS, where, "the role")
        effect, theme = entry.get("effect"), entry.get("theme")
        if isinstance(effect, str) and effect and effect not in LEAD_IN_EFFECTS:
            found.append(f"{where('effect')}: must be one of {', '.join(map(repr, LEAD_IN_EFFECTS))}, not {effect!r}")
        if effect == "sets" and "theme" not in entry:
            found.append(f"{where('theme')}: a role with effect 'sets' needs the theme id it sets")
        if isinstance(theme, str) and theme not in theme_ids:
            close = difflib.get_close_matches(theme, [t for t in theme_ids if isinstance(t, str)], n=1, cutoff=0.6)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            found.append(f"{where('theme')}: {theme!r} is not the id of a theme of the codebook{hint}")
        if "weight" in entry and effect == "sets":
            found.append(f"{where('weight')}: only a role with effect 'weighs' has a weight")
        problems += found
        if not found:
            roles.append(LeadInRole(
                role=entry["role"], effect=entry["effect"], patterns=_strings(entry["patterns"]),
                theme=entry.get("theme", ""), weight=float(entry.get("weight", 1.0)),
                description=entry.get("description", ""),
            ))
    return tuple(roles), problems


def load_codebook(path: str | Path = CODEBOOK_PATH) -> Codebook:
    """Read the codebook TOML and check it against the schema (:data:`THEME_FIELDS`, :data:`CODING_FIELDS`).

    Raises
    ------
    CodebookError
        A ``ValueError`` naming the file, the theme (position and id) and
        the field of every problem: TOML that does not parse, a missing or
        unknown field (with the closest known name), a value of the wrong
        type (``seeds = "ratificación"``, ``weight = "alto"``), a weight that
        is not positive, an id, name or colour used twice, a colour that is
        not ``#RRGGBB``, ``[theme]`` written for ``[[theme]]``, or fewer than
        two themes.
    """
    return validate_codebook(read_codebook_toml(path), display_path(path))


def codebook_ids(path: str | Path | None = CODEBOOK_PATH) -> list[str]:
    """Theme ids of the codebook in its order, without :func:`load_codebook`'s checks; empty if there is no file.

    Used for the order of tables and figures, which needs only the ids;
    entries that are not tables with a string ``id`` are passed over.
    """
    if path is None or not Path(path).is_file():
        return []
    entries = read_codebook_toml(path).get("theme", [])
    if not isinstance(entries, list):
        return []
    return [t["id"] for t in entries if isinstance(t, Mapping) and isinstance(t.get("id"), str)]

"""The role of a paragraph's lead-in, as the codebook's ``[[lead_in]]`` tables define it.

A lettered item is read with its paragraph's lead-in (rule 4 of the coding
manual). The roles, their patterns and the theme they set are data of
``data/codebook.toml`` (:class:`~analysis.themes.codebook_schema.LeadInRole`);
this module only matches a lead-in against them.

Examples
--------
>>> from analysis.themes.codebook_schema import load_codebook
>>> cb = load_codebook()
>>> role = lead_in_role("La Secretaría debería recopilar y difundir:", cb.lead_ins)
>>> role.role, role.effect, role.theme
('compilation', 'sets', 'datos')
>>> lead_in_role("Los Estados partes deberían:", cb.lead_ins) is None
True
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from analysis.text.normalize import normalize
from analysis.themes.codebook_schema import LeadInRole

__all__ = ["lead_in_role", "lead_in_roles"]


def _folded(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", normalize(text)).split())


def _matches(lead_in: str, pattern: str) -> bool:
    anchored = pattern.startswith("^")
    phrase = _folded(pattern.lstrip("^"))
    if not phrase:
        return False
    if anchored:
        return lead_in == phrase or lead_in.startswith(phrase + " ")
    return f" {phrase} " in f" {lead_in} "


def lead_in_role(lead_in: str | None, roles: Sequence[LeadInRole]) -> LeadInRole | None:
    """The first role (in codebook order) whose patterns the lead-in contains; ``None`` for none or no lead-in.

    Patterns and lead-in are compared accent- and case-folded, punctuation
    ignored, as whole words; a pattern starting with ``^`` must open the lead-in.
    """
    if not lead_in:
        return None
    text = _folded(lead_in)
    for role in roles:
        if any(_matches(text, p) for p in role.patterns):
            return role
    return None


def lead_in_roles(lead_ins: Sequence[str], roles: Sequence[LeadInRole]) -> list[LeadInRole | None]:
    """:func:`lead_in_role` of every lead-in (one lookup per distinct lead-in)."""
    found = {li: lead_in_role(li, roles) for li in set(lead_ins)}
    return [found[li] for li in lead_ins]

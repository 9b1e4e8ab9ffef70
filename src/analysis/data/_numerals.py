"""Numbers as the document writes them: roman numerals, Spanish ordinal and cardinal names.

Generated rather than listed, so that a later compilation with more meetings
(``XIII. Decimotercera reunión``, ``XXI. Vigésima primera reunión``) parses
like the first eight. Names are feminine, as they qualify *reunión*.

Examples
--------
>>> roman(13), roman_value("XLIX"), roman_value("IIII") is None
('XIII', 49, True)
>>> ordinal_names(13), ordinal_names(21)[:2]
(('Decimotercera', 'Décima tercera'), ('Vigésima primera', 'Vigesimoprimera'))
>>> cardinal_value("ocho"), cardinal_value("veintiuna"), cardinal_value("8")
(8, 21, 8)
"""

from __future__ import annotations

import functools

__all__ = ["MAX_NUMBER", "cardinal_value", "ordinal_names", "roman", "roman_value"]

#: The largest meeting (or sub-item) number whose names are generated.
MAX_NUMBER = 99

_ROMAN_STEPS = ((90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))

_UNITS = ("", "primera", "segunda", "tercera", "cuarta", "quinta", "sexta", "séptima", "octava", "novena")
# the tens as a word of their own, and as the first part of a one-word compound
_TENS = {
    1: ("décima", "decimo"), 2: ("vigésima", "vigesimo"), 3: ("trigésima", "trigesimo"),
    4: ("cuadragésima", "cuadragesimo"), 5: ("quincuagésima", "quincuagesimo"),
    6: ("sexagésima", "sexagesimo"), 7: ("septuagésima", "septuagesimo"),
    8: ("octogésima", "octogesimo"), 9: ("nonagésima", "nonagesimo"),
}

_CARDINAL_UNITS = ("", "una", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve")
_CARDINAL_TEENS = (
    "diez", "once", "doce", "trece", "catorce", "quince", "dieciséis", "diecisiete", "dieciocho", "diecinueve",
)
_CARDINAL_TWENTIES = (
    "veinte", "veintiuna", "veintidós", "veintitrés", "veinticuatro", "veinticinco", "veintiséis",
    "veintisiete", "veintiocho", "veintinueve",
)
_CARDINAL_TENS = ("", "", "", "treinta", "cuarenta", "cincuenta", "sesenta", "setenta", "ochenta", "noventa")


def roman(n: int) -> str:
    """``n`` (1 to :data:`MAX_NUMBER`) in roman numerals, upper case."""
    if not 1 <= n <= MAX_NUMBER:
        raise ValueError(f"roman numerals are generated for 1 to {MAX_NUMBER}, not {n}")
    out = []
    for value, letters in _ROMAN_STEPS:
        count, n = divmod(n, value)
        out.append(letters * count)
    return "".join(out)


@functools.lru_cache(maxsize=None)
def _roman_table() -> dict[str, int]:
    return {roman(n): n for n in range(1, MAX_NUMBER + 1)}


def roman_value(text: str) -> int | None:
    """The value of a roman numeral written in its one canonical form (either case), or ``None``."""
    return _roman_table().get(text.upper())


def _capital(word: str) -> str:
    return word[:1].upper() + word[1:]


@functools.lru_cache(maxsize=None)
def ordinal_names(n: int) -> tuple[str, ...]:
    """Every accepted feminine ordinal name of ``n``, the usual form first (capitalised as in a heading)."""
    if not 1 <= n <= MAX_NUMBER:
        raise ValueError(f"ordinal names are generated for 1 to {MAX_NUMBER}, not {n}")
    tens, units = divmod(n, 10)
    if tens == 0:
        return (_capital(_UNITS[units]),)
    word, stem = _TENS[tens]
    if units == 0:
        return (_capital(word),)
    unit = _UNITS[units]
    joined = stem + (unit[1:] if unit.startswith("o") else unit)
    if tens == 1:
        special = {1: ("Undécima",), 2: ("Duodécima",)}.get(units, ())
        forms = (*special, _capital(joined), _capital(f"{word} {unit}"))
    else:
        forms = (_capital(f"{word} {unit}"), _capital(joined))
    return tuple(dict.fromkeys(forms))


@functools.lru_cache(maxsize=None)
def _cardinal_table() -> dict[str, int]:
    table = {word: n for n, word in enumerate(_CARDINAL_UNITS) if word}
    table.update({"un": 1, "uno": 1})
    table.update({word: 10 + n for n, word in enumerate(_CARDINAL_TEENS)})
    table.update({word: 20 + n for n, word in enumerate(_CARDINAL_TWENTIES)})
    table.update({"veintiún": 21, "veintiuno": 21})
    for tens in range(3, 10):
        table[_CARDINAL_TENS[tens]] = tens * 10
        for units in range(1, 10):
            table[f"{_CARDINAL_TENS[tens]} y {_CARDINAL_UNITS[units]}"] = tens * 10 + units
    return table


def cardinal_value(text: str) -> int | None:
    """The number a Spanish cardinal (``"ocho"``, ``"treinta y una"``) or digits stand for, or ``None``."""
    words = " ".join(text.lower().split())
    if words.isdigit():
        return int(words)
    return _cardinal_table().get(words)

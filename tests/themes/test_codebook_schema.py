"""Bad codebooks: every problem is one CodebookError naming the file, the theme (position and id) and the field."""

from __future__ import annotations

import warnings

import pytest

from analysis.data import load_recommendations
from analysis.themes import CodebookError, CodebookModel, CodebookWarning, load_codebook
from analysis.themes.codebook import codebook_ids

THEME_A = '''[[theme]]
id = "ratificacion"
name = "Ratificación"
description = "Adherence to the Protocol."
seeds = ["ratificación", "adhesión universal"]
color = "#0072B2"
'''
THEME_B = '''[[theme]]
id = "demanda"
name = "Demanda"
description = "Demand reduction."
seeds = ["demanda"]
color = "#E69F00"
'''
THEME_C = '''[[theme]]
id = "organos"
name = "Órganos"
description = "Organ removal."
seeds = ["extracción de órganos"]
'''


def write(tmp_path, *parts: str) -> str:
    path = tmp_path / "codebook.toml"
    path.write_text("version = 1\n\n" + "\n".join(parts), encoding="utf-8")
    return str(path)


def problem(tmp_path, *parts: str) -> str:
    path = write(tmp_path, *parts)
    with pytest.raises(CodebookError) as err:
        load_codebook(path)
    assert str(err.value).count(str(tmp_path)) >= 1  # every message names the file
    return str(err.value)


def test_a_valid_codebook_loads_with_its_source(tmp_path):
    cb = load_codebook(write(tmp_path, THEME_A, THEME_B))
    assert cb.ids == ["ratificacion", "demanda"] and cb.source.endswith("codebook.toml")
    assert cb.themes[0].color == "#0072B2" and cb.themes[1].weight == 1.0


def test_malformed_toml_names_file_line_and_column(tmp_path):
    message = problem(tmp_path, THEME_A, THEME_B.replace('name = "Demanda"', 'name "Demanda"'))
    assert f"{tmp_path / 'codebook.toml'}, line 12, column 6: not valid TOML: Expected '=' after a key" in message
    assert "\n" not in message


def test_theme_without_id(tmp_path):
    message = problem(tmp_path, THEME_A, THEME_B.replace('id = "demanda"\n', ""))
    assert message.endswith("codebook.toml, theme 2 (no id), field 'id': the theme lacks this required field "
                            "(a unique slug, the theme_id of the outputs (never shown to readers))")


def test_duplicate_id_names_the_duplicate_and_both_positions(tmp_path):
    message = problem(tmp_path, THEME_A, THEME_B, THEME_C.replace('"organos"', '"ratificacion"'))
    assert "theme 3 ('ratificacion'), field 'id': 'ratificacion' is also the id of theme 1 ('ratificacion')" in message


@pytest.mark.parametrize(("key", "suggestion"), [("colour", "color"), ("key_seed", "key_seeds"), ("seed", "seeds"),
                                                 ("exemples", "examples")])
def test_unknown_keys_are_refused_with_a_suggestion(tmp_path, key, suggestion):
    message = problem(tmp_path, THEME_A, THEME_B + f'{key} = ["x"]\n')
    assert f"theme 2 ('demanda'), field '{key}': unknown field; did you mean '{suggestion}'?" in message


def test_unknown_top_level_key(tmp_path):
    message = problem(tmp_path, "themes = 3\n", THEME_A, THEME_B)
    assert "codebook.toml, field 'themes': unknown field; did you mean 'theme'?" in message


@pytest.mark.parametrize(
    ("line", "field", "message"),
    [
        ('seeds = "ratificación"', "seeds",
         "must be an array of strings, not a string ('ratificación'); write seeds = [\"ratificación\"]"),
        ('seeds = ["ratificación", 5]', "seeds", "item 2 must be a string, not an integer (5)"),
        ('seeds = [{ term = "ratificación" }]', "seeds", "item 1 must be a string, not a table"),
        ('seeds = []', "seeds", "the theme has no seeds"),
        ('weight = "alto"', "weight", "must be a number, not a string ('alto')"),
        ("weight = -1.5", "weight", "must be a positive number, not -1.5"),
        ("weight = 0", "weight", "must be a positive number, not 0"),
        ("weight = true", "weight", "must be a number, not a boolean (true)"),
        ('color = "red"', "color", "must be '#RRGGBB' (six hexadecimal digits), not 'red'"),
        ('name = ""', "name", "must not be empty"),
        ('id = "Ratificación y más"', "id", "'Ratificación y más' is not a slug"),
        ('id = "sin_tema"', "id", "'sin_tema' is reserved"),
    ],
)
def test_bad_field_values(tmp_path, line, field, message):
    key = line.split(" =")[0]
    theme = "\n".join(x for x in THEME_A.splitlines() if not x.startswith(f"{key} =")) + f"\n{line}\n"
    text = problem(tmp_path, theme, THEME_B)
    theme_id = "ratificacion" if key != "id" else line.split('"')[1]
    assert f"codebook.toml, theme 1 ({theme_id!r}), field {field!r}: {message}" in text


def test_duplicate_colour_names_both_themes(tmp_path):
    message = problem(tmp_path, THEME_A, THEME_B.replace('"#E69F00"', '"#0072b2"'))
    assert "theme 2 ('demanda'), field 'color': '#0072b2' is also the color of theme 1 ('ratificacion')" in message


def test_single_brackets_theme_table(tmp_path):
    message = problem(tmp_path, THEME_A.replace("[[theme]]", "[theme]"))
    assert message.endswith("codebook.toml, field 'theme': must be an array of tables, one [[theme]] (two brackets) "
                            "per theme, not a single table ([theme])")


def test_a_codebook_needs_two_themes(tmp_path):
    message = problem(tmp_path, THEME_A)
    assert message.endswith("codebook.toml, field 'theme': 1 theme; a codebook needs at least two themes to tell apart")


def test_several_problems_are_listed_together(tmp_path):
    message = problem(tmp_path, THEME_A.replace("color", "colour"), THEME_B.replace("weight", "w") + 'weight = "alto"\n')
    lines = message.splitlines()
    assert lines[0].startswith("2 problems in ") and len(lines) == 3
    assert "theme 1 ('ratificacion'), field 'colour'" in lines[1] and "theme 2 ('demanda'), field 'weight'" in lines[2]


def test_coding_manual_fields_are_accepted_and_typed(tmp_path):
    manual = THEME_A + ('definition = "Recommendations on becoming party to the Protocol."\n'
                        'includes = ["ratification", "accession"]\nexcludes = ["implementation"]\n'
                        'examples = ["1.2", "1.7.d"]\n')
    coding = ('[coding]\nunit = "recommendation unit"\nprimary = "the theme of the main request"\n'
              'secondary = "a theme that holds a quarter of the weight"\nrules = ["lead-ins count", "no guessing"]\n')
    cb = load_codebook(write(tmp_path, coding, manual, THEME_B))
    assert cb.themes[0].includes == ("ratification", "accession") and cb.themes[0].examples == ("1.2", "1.7.d")
    assert cb.coding.unit == "recommendation unit" and cb.coding.rules == ("lead-ins count", "no guessing")
    bad = [
        ('definition = ["x"]', "theme 1 ('ratificacion'), field 'definition': must be a string, not an array"),
        ('includes = "ratification"', "field 'includes': must be an array of strings, not a string"),
        ('excludes = [1]', "field 'excludes': item 1 must be a string, not an integer (1)"),
        ('examples = ["1.7.D"]', "field 'examples': item 1 ('1.7.D') is not a rec_id such as '1.7.d' or '2.3'"),
        ('examples = ["1.1", "1.2", "1.3", "1.4"]', "field 'examples': 4 examples; the manual names at most 3"),
    ]
    for line, message in bad:
        assert message in problem(tmp_path, THEME_A + line + "\n", THEME_B)
    assert "[coding], field 'rules': must be an array of strings, not a string" in problem(
        tmp_path, coding.replace('rules = ["lead-ins count", "no guessing"]', 'rules = "one"'), THEME_A, THEME_B)
    assert "[coding], field 'unti': unknown field; did you mean 'unit'?" in problem(
        tmp_path, "[coding]\nunti = 'x'\n", THEME_A, THEME_B)


def test_codebook_ids_tolerates_what_load_codebook_refuses(tmp_path):
    assert codebook_ids(write(tmp_path, THEME_A.replace("[[theme]]", "[theme]"))) == []
    assert codebook_ids(write(tmp_path, THEME_A, THEME_B.replace('id = "demanda"\n', ""))) == ["ratificacion"]


def test_the_bundled_codebook_is_valid():
    assert len(load_codebook()) >= 15


# --------------------------------------------------------------------------- against the corpus


@pytest.fixture(scope="module")
def recs():
    return load_recommendations()


def test_seeds_that_cannot_count_are_warned_about(tmp_path, recs):
    theme = THEME_A.replace('seeds = ["ratificación", "adhesión universal"]',
                            'seeds = ["ratificación", "de la", "zanahoria", "para los"]\nkey_seeds = ["xilófono"]')
    cb = load_codebook(write(tmp_path, theme, THEME_B, THEME_C))
    with pytest.warns(CodebookWarning) as record:
        model = CodebookModel(cb).fit(recs)
    messages = sorted(str(w.message) for w in record)
    assert len(messages) == 2
    assert messages[0].endswith("theme 1 ('ratificacion'), field 'key_seeds': 'xilófono' matches no recommendation "
                                "of the corpus")
    assert messages[1].endswith("theme 1 ('ratificacion'), field 'seeds': 'zanahoria' matches no recommendation of "
                                "the corpus; 'de la', 'para los' are only stop words or boilerplate, never matched")
    assert all(str(tmp_path) in m for m in messages)
    assert set(model.dead_seeds_["seed"]) == {"de la", "zanahoria", "para los", "xilófono"}


def test_examples_not_in_the_corpus_are_warned_about(tmp_path, recs):
    cb = load_codebook(write(tmp_path, THEME_A + 'examples = ["1.2", "9.99"]\n', THEME_B, THEME_C))
    with pytest.warns(CodebookWarning, match=r"theme 1 \('ratificacion'\), field 'examples': '9.99' not among"):
        CodebookModel(cb).fit(recs)


def test_two_themes_that_match_nothing_are_a_clear_error(tmp_path, recs):
    silent = [THEME_A.replace('["ratificación", "adhesión universal"]', '["zanahoria"]'),
              THEME_B.replace('["demanda"]', '["xilófono"]')]
    cb = load_codebook(write(tmp_path, *silent))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CodebookWarning)
        with pytest.raises(CodebookError) as err:
            CodebookModel(cb).fit(recs)
    message = str(err.value)
    assert "the seeds must label clear cases of at least two themes for the classifier to learn from" in message
    assert "no theme has any" in message
    assert "theme 1 ('ratificacion'); " in message and "theme 2 ('demanda') match no recommendation" in message


def test_one_theme_that_matches_nothing_beside_one_that_does_is_a_clear_error(tmp_path, recs):
    cb = load_codebook(write(tmp_path, THEME_A, THEME_B.replace('["demanda"]', '["xilófono"]')))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CodebookWarning)
        with pytest.raises(CodebookError, match=r"only .*theme 1 \('ratificacion'\) has any; the seeds of "
                                                r".*theme 2 \('demanda'\) match no recommendation"):
            CodebookModel(cb).fit(recs)


# --- lead-in roles ([[lead_in]]) ------------------------------------------------------------

LEAD_AGENDA = '''[[lead_in]]
role = "agenda"
effect = "sets"
theme = "demanda"
patterns = ["temas en futuras reuniones"]
'''


def test_lead_in_roles_load_in_file_order(tmp_path):
    topical = '[[lead_in]]\nrole = "topical"\neffect = "weighs"\nweight = 0.5\npatterns = ["^respecto"]\n'
    cb = load_codebook(write(tmp_path, THEME_A, THEME_B, LEAD_AGENDA, topical))
    assert [(r.role, r.effect, r.theme, r.weight) for r in cb.lead_ins] == [
        ("agenda", "sets", "demanda", 1.0), ("topical", "weighs", "", 0.5)]


def test_the_bundled_codebook_has_lead_in_roles():
    roles = {r.role: r for r in load_codebook().lead_ins}
    assert roles["agenda"].theme == "proceso" and roles["compilation"].theme == "datos"
    assert roles["topical"].effect == "weighs"


@pytest.mark.parametrize(("replace", "by", "message"), [
    ('theme = "demanda"', 'theme = "demand"',
     "lead_in 1 ('agenda'), field 'theme': 'demand' is not the id of a theme of the codebook; did you mean 'demanda'?"),
    ('effect = "sets"', 'effect = "decides"', "lead_in 1 ('agenda'), field 'effect': must be one of 'sets', 'weighs', not 'decides'"),
    ('theme = "demanda"\n', "", "lead_in 1 ('agenda'), field 'theme': a role with effect 'sets' needs the theme id it sets"),
    ('patterns = ["temas en futuras reuniones"]', 'patterns = "temas"',
     "lead_in 1 ('agenda'), field 'patterns': must be an array of strings, not a string ('temas')"),
    ('role = "agenda"\n', "", "lead_in 1, field 'role': the role lacks this required field"),
    ('role = "agenda"', 'role = "agenda"\npattern = ["x"]', "lead_in 1 ('agenda'), field 'pattern': unknown field; did you mean 'patterns'?"),
    ('theme = "demanda"', 'theme = "demanda"\nweight = 2.0', "lead_in 1 ('agenda'), field 'weight': only a role with effect 'weighs' has a weight"),
])
def test_bad_lead_in_roles_name_file_role_and_field(tmp_path, replace, by, message):
    text = problem(tmp_path, THEME_A, THEME_B, LEAD_AGENDA.replace(replace, by))
    assert f"codebook.toml, {message}" in text


def test_a_single_bracket_lead_in_table_is_refused(tmp_path):
    text = problem(tmp_path, THEME_A, THEME_B, LEAD_AGENDA.replace("[[lead_in]]", "[lead_in]"))
    assert "codebook.toml, field 'lead_in': must be an array of tables, one [[lead_in]] (two brackets) per role" in text

"""The Spanish lexicon of the analysis: stop words, UN boilerplate, multi-word terms, stem merges.

Data only, read by :class:`analysis.text.SpanishAnalyzer` and by
the similarity of :mod:`analysis.language.recurrence`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from spacy.lang.es.stop_words import STOP_WORDS as _SPACY_STOP_WORDS

from analysis.text.normalize import normalize

__all__ = [
    "BOILERPLATE_PATTERNS",
    "BOILERPLATE_REGEXES",
    "DOMAIN_STOP_EXCEPTIONS",
    "DOMAIN_STOP_WORDS",
    "MULTIWORD_TERMS",
    "SPANISH_STOP_WORDS",
    "STEM_MERGES",
    "WORD_OVERRIDES",
]



#: Words of spaCy's Spanish list that carry meaning in this corpus and are kept.
_KEEP_FROM_SPACY = frozenset({"trabajo", "trabajar", "nuevas", "nuevos", "uso", "acuerdo"})

#: spaCy's Spanish stop words (no model needed), accent-folded.
SPANISH_STOP_WORDS: frozenset[str] = frozenset(
    normalize(w) for w in _SPACY_STOP_WORDS if normalize(w) not in _KEEP_FROM_SPACY
)

#: Generic vocabulary of UN recommendations: modal and reporting verbs, the
#: actors' formulae, hedges, connectives, references to paragraphs and
#: instruments. Given as plain words; the analyzer stems them, so every
#: inflection is dropped ("deberían", "debería", "deben"...).
DOMAIN_STOP_WORDS: frozenset[str] = frozenset(
    """
    deber debería deberían deberá deben podría podrían podrán procurarán reconocerán
    alentar alienta alentó recomendar recomienda recomendó recomendaciones considerar
    consideren estudiar posibilidad conveniencia proceder procediera corresponda
    procurar velar adoptar adopción medida medidas tomar tener tuvieran hacer hagan
    deseen desear vez caso casos además asimismo efecto eficaz eficaces eficazmente
    efectiva eficiente pertinente pertinentes apropiado apropiados adecuado adecuada
    adecuadas necesario necesarias necesidad necesidades relacionado relacionados
    relativo relativas particular especialmente especial incluido incluidos inclusive
    mejor mejores mejorar mayor pleno plena plenamente importante importancia debida
    debido oportuno oportunamente respecto referente forma formas tipo tipos diverso
    diversos distinto distintos diferente diferentes determinar cierto cualquier ejemplo
    etc entre otro otros otras cosa cosas manera modo seguir siguiente siguientes
    aplicar aplicación arreglo virtud nivel niveles plano planos ámbito ámbitos esfera
    aspecto aspectos cuestión cuestiones asunto contexto circunstancias situación
    situaciones sobre según principal general específico específicas nacional
    nacionales interno internos interna internas país países estado estados parte
    partes lucha luchar combatir abordar frente promover promoción fortalecer
    fortalecimiento intensificar aumentar redoblar esfuerzo esfuerzos garantizar
    asegurar asegurarse permitir facilitar contribuir contribución utilizar utilización
    aprovechar recurrir presentar prestar proponer propuesta lograr buscar tratar trata
    persona personas mismo elaborar elaboración establecer
    establecimiento apoyo apoyar respuesta respuestas reconocer amplio amplia enfoque
    párrafo artículo actividad actividades papel labor examinar función atención
    entidad entidades fomentar fomento iniciativa iniciativas acerca vista integrado
    integral preparar figuran ofrecer materia existentes desarrollar desarrollo
    formular centrado ayudar lugar independientemente pedir marco objeto recibir
    suficiente comprender conexas dirigida dirigidos competente competentes problema
    problemas encaminadas cabe real exigir condición condiciones protocolo convención
    protocolos instrumento instrumentos disposición disposiciones sección capítulo
    decisión resolución proporcionar iniciar inicial continuar llevar consultar reunir
    lograr obtener prever evitar incluir incluirla incluirlas contar cumplir alcanzar
    objetivo objetivos resultado resultados compartir enero febrero marzo abril mayo
    junio julio agosto septiembre octubre noviembre diciembre viena ctoc cop wg
    basado basada basados siguiera siguieran haberse disponga dispusieran apliquen prevea
    sistemáticamente dispuesto excluir desempeña desempeñaba somete someta exclusivamente
    realización fenómeno
    """.split()
)

#: Words that share a stem with :data:`DOMAIN_STOP_WORDS` but carry meaning:
#: kept ("activos" is not "actividades", "estudios" is not "estudiar").
DOMAIN_STOP_EXCEPTIONS: frozenset[str] = frozenset(
    {"activos", "centros", "estudios", "oportunidades", "nacionalidad", "plan", "planes", "especialistas"}
)

#: Boilerplate phrases, matched on the stem sequence and dropped. Pattern
#: syntax: words separated by spaces; ``a|b`` alternatives; a trailing ``?``
#: makes a slot optional; ``#`` is any number; ``~`` a gap of up to 12 words.
BOILERPLATE_PATTERNS: tuple[str, ...] = (
    # cross-references to earlier reports: "las recomendaciones que figuran en
    # el párrafo 17 del informe ... sobre su reunión celebrada en ... 2009"
    "recomendaciones|recomendacion que figuran|contenidas en el parrafo # del informe ~ #",
    "su recomendacion anterior de? que?",
    "especialmente mujeres y niños",
    "sobre la base de",
    "con base empirica",
    "protocolo para prevenir , reprimir y sancionar la trata de personas , especialmente mujeres y niños",
    "protocolo contra la trata de personas",
    "convencion de las naciones unidas contra la delincuencia organizada transnacional",
    "convencion contra la delincuencia organizada transnacional?",
    "convencion y sus protocolos",
    "que complementa la convencion",
    "los|las estados|partes partes|miembros",
    "estados partes|miembros",
    "de|en conformidad|consonancia con la|el|su|sus|los legislacion|derecho|ordenamiento|normas|leyes"
    " nacional|interno|interna|internos|internas|aplicables",
    "de|en conformidad|consonancia con su|la|el legislacion|derecho|ordenamiento",
    "de|en conformidad|consonancia con",
    "cuando|segun|si proceda|corresponda|procediera|procedente|necesario",
    "cuando|si sea|fuese|fuera posible|necesario",
    "en la medida de lo posible",
    "de ser posible|necesario",
    "considerar|consideren|estudiar|estudien|examinar la posibilidad|conveniencia de?",
    "tal vez deseen considerar",
    "tengan|tener|teniendo|tuvieran presente",
    "tengan|tener|teniendo|tuvieran en cuenta",
    "prevenir y combatir la trata de personas",
    "prevencion y lucha contra la trata de personas",
    "lucha contra la trata de personas",
    "combatir la trata de personas",
    "de la trata de personas",
    "de la trata",
    "objeto de trata",
    "trata de personas",
    "entre otras cosas",
    "entre otros|otras",
    "a fin de",
    "con fines de",
    "con miras a",
    "en particular",
    "por ejemplo",
)

#: Multi-word terms: ``(display, pattern)``; the display form is the fallback
#: label, the most frequent surface form in the corpus wins.
MULTIWORD_TERMS: tuple[tuple[str, str], ...] = (
    ("asistencia judicial recíproca", "asistencia judicial reciproca"),
    ("extracción de órganos", "extraccion|trafico de organos"),
    ("sociedad civil", "sociedad civil"),
    ("justicia penal", "justicia penal"),
    ("sector privado", "sector privado"),
    ("sectores público y privado", "sector|sectores publico y privado"),
    ("organizaciones no gubernamentales", "organizaciones no gubernamentales"),
    ("asistencia técnica", "asistencia tecnica"),
    ("cooperación internacional", "cooperacion internacional"),
    ("cooperación judicial", "cooperacion judicial"),
    ("cooperación regional", "cooperacion regional"),
    ("intercambio de información", "intercambio|intercambiar de? informacion"),
    ("recopilación de datos", "recopilacion|reunion|recopilar|reunir de? datos"),
    ("base de datos", "base|bases de datos"),
    ("Informe Mundial", "informe mundial"),
    ("explotación laboral", "explotacion laboral"),
    ("explotación sexual", "explotacion sexual"),
    ("trabajo forzoso", "trabajo forzoso"),
    ("trabajadores migrantes", "trabajadores migrantes|migratorios"),
    ("agencias de contratación", "agencias privadas? de empleo|contratacion privadas?"),
    ("tasas de contratación", "tasas|tarifas de contratacion"),
    ("inspectores de trabajo", "inspectores|inspecciones de trabajo"),
    ("cadenas de suministro", "cadenas de suministro"),
    ("reducción de la demanda", "reduccion|reducir de? la demanda"),
    ("servicios sexuales", "servicios sexuales"),
    ("tráfico ilícito de migrantes", "trafico ilicito de migrantes"),
    ("blanqueo de dinero", "blanqueo de dinero|producto"),
    ("producto del delito", "producto del delito"),
    ("incautación y decomiso", "incautacion y decomiso"),
    ("técnicas especiales de investigación", "tecnicas especiales de investigacion"),
    ("investigaciones conjuntas", "investigaciones|equipos|operaciones conjuntas|conjuntos de? investigacion?"),
    ("delincuencia organizada", "delincuencia organizada transnacional?"),
    ("grupo delictivo organizado", "grupo delictivo organizado"),
    ("abuso de una situación de vulnerabilidad", "abuso de poder o? de? una? situacion de vulnerabilidad"),
    ("abuso de la vulnerabilidad", "abuso de la vulnerabilidad"),
    ("abuso de poder", "abuso de poder"),
    ("conceptos fundamentales", "conceptos|concepto fundamentales|basicos|basico|esenciales|clave"),
    ("irrelevancia del consentimiento", "irrelevancia del consentimiento"),
    ("causas fundamentales", "causas fundamentales"),
    ("no sancionar ni enjuiciar", "no se? sancionar|enjuiciar|sancione|enjuicie"),
    ("no sancionar ni enjuiciar", "no imponer sanciones"),
    ("no sancionar ni enjuiciar", "evitar que se sancione|enjuicie"),
    ("Principios y Directrices Recomendados", "principios y directrices recomendados sobre los derechos humanos y la trata de personas"),
    ("ACNUDH", "oficina del alto comisionado de las naciones unidas para los derechos humanos"),
    ("Ley Modelo", "ley modelo"),
    ("actos ilegales", "actos ilegales"),
    ("investigación y enjuiciamiento", "investigar|investigacion y? el? enjuiciar|enjuiciamiento"),
    ("investigación penal", "investigacion|investigaciones penal|penales|proactivas"),
    ("técnicas de investigación", "tecnicas de investigacion"),
    ("investigaciones sobre", "investigaciones|investigacion sobre"),
    ("proceso judicial", "proceso|procesos|procedimiento|procedimientos judicial|judiciales|penal|penales"),
    ("interés superior del niño", "interes superior del? niño?"),
    ("derechos humanos", "derechos humanos"),
    ("victimización secundaria", "victimizacion secundaria"),
    ("protección de los testigos", "proteccion de los testigos"),
    ("período de reflexión", "periodo de reflexion|tiempo"),
    ("fondo fiduciario", "fondo fiduciario de contribuciones voluntarias?"),
    ("representación letrada", "representacion|asistencia letrada"),
    ("asistencia jurídica", "asistencia juridica"),
    ("acceso a la justicia", "acceso a la justicia"),
    ("mecanismos nacionales de coordinación", "mecanismos|organos nacionales de coordinacion"),
    ("coordinación nacional", "coordinacion nacional"),
    ("relator nacional", "relator nacional"),
    ("plan de acción", "planes|plan de accion nacionales?"),
    ("Plan de Acción Mundial", "plan de accion mundial de las naciones unidas para combatir la trata de personas"),
    ("Plan de Acción Mundial", "plan de accion mundial"),
    ("Grupo de Amigos", "grupo de amigos unidos contra la trata de personas"),
    ("Informe Mundial", "informe mundial sobre la trata de personas"),
    ("Base de Datos de Jurisprudencia", "base de datos de jurisprudencia sobre la trata de personas"),
    ("Base de Datos de Jurisprudencia", "base de datos de la unodc de jurisprudencia sobre la trata de personas"),
    ("Ley Modelo", "ley modelo de la unodc contra la trata de personas"),
    ("Relator Especial", "relator|relatora|relatores especial|especiales sobre la trata de personas"),
    ("buenas prácticas", "buenas|mejores practicas"),
    ("prácticas óptimas", "practicas optimas"),
    ("creación de capacidad", "creacion|fomento de la? capacidad"),
    ("crear capacidad", "crear|desarrollar|fortalecer la? capacidad"),
    ("gestión de casos", "gestion de casos"),
    ("primera línea", "de primera linea"),
    ("encargados de hacer cumplir la ley", "encargados|organismos|autoridades|agentes de? hacer cumplir la ley"),
    ("aplicación de la ley", "aplicacion de la ley"),
    ("agentes del orden", "agentes|fuerzas del orden"),
    ("personal diplomático y consular", "personal|funcionarios|representantes diplomatico|consular|consulares|diplomaticos"),
    ("mantenimiento de la paz", "mantenimiento de la paz"),
    ("emergencia humanitaria", "emergencia|crisis|contextos humanitaria|humanitarias|humanitarios"),
    ("conflictos armados", "conflictos armados|conflicto"),
    ("grupos terroristas", "grupos terroristas"),
    ("nuevas tecnologías", "nuevas tecnologias"),
    ("tecnología moderna", "tecnologia moderna"),
    ("medios de comunicación", "medios de comunicacion|difusion"),
    ("movimientos migratorios mixtos", "movimientos migratorios mixtos"),
    ("personas con discapacidad", "personas con discapacidad"),
    ("Grupo de Trabajo", "grupo de trabajo"),
    ("plan de trabajo", "plan de trabajo"),
    ("Conferencia de las Partes", "conferencia de? las? partes?"),
    ("futuras reuniones", "futuras|futuros reuniones|periodos de sesiones"),
    ("UNODC", "oficina de las naciones unidas contra la droga y el delito"),
    ("Naciones Unidas", "naciones unidas"),
    ("Relator Especial", "relator|relatora|relatores especial|especiales"),
    ("Grupo Interinstitucional de Coordinación", "grupo interinstitucional de coordinacion"),
    ("países de origen, tránsito y destino", "paises de origen de? transito|destino y? de? destino?"),
    ("países de origen", "paises|pais de origen"),
    ("responsabilidad compartida", "responsabilidad compartida"),
    ("oferta y demanda", "oferta y la? demanda"),
    ("violencia de género", "violencia por razon de genero"),
    ("igualdad de género", "igualdad de genero"),
    ("perspectiva de género", "perspectiva de genero"),
    ("servidumbre doméstica", "servidumbre domestica"),
    ("matrimonio forzoso", "matrimonio forzoso"),
    ("acción civil", "accion civil"),
    ("doble incriminación", "doble incriminacion"),
    ("adhesión universal", "adhesion universal"),
    ("legislación nacional", "legislacion nacional|interna"),
    ("normas laborales", "normas|normativa laborales|laboral"),
    ("teléfonos de asistencia", "telefono|telefonos de asistencia"),
)

#: Stems merged into one term: inflections the stemmer splits, and the few
#: words that UN Spanish uses interchangeably for one concept.
STEM_MERGES: Mapping[str, str] = MappingProxyType(
    {
        "identif": "identific",
        "preven": "prevencion",
        "prevent": "prevencion",
        "proteg": "proteccion",
        "protector": "proteccion",
        "concienci": "sensibiliz",
        "concientiz": "sensibiliz",
        "concien": "sensibiliz",
        "formacion": "capacit",
        "instru": "capacit",
        "indemnizacion": "indemniz",
        "compens": "indemniz",
        "reparacion": "indemniz",
        "enjuiciamient": "enjuici",
        "procesamient": "enjuici",
        "penaliz": "tipific",
        "penalizacion": "tipific",
        "tipificacion": "tipific",
        "investigacion": "investig",
        "estadist": "dat",
        "coordin": "coordinacion",
        "cooperacion": "cooper",
        "colabor": "cooper",
        "asoci": "alianz",
        "alian": "alianz",
        "alianc": "alianz",
        "vulnerabil": "vulner",
        "menor": "niñ",
        "infantil": "niñ",
        "contratacion": "contrat",
        "emple": "emple",
        "empleador": "emple",
        "migratori": "migrant",
        "migracion": "migrant",
        "inmigracion": "migrant",
        "terror": "terror",
        "terrorist": "terror",
    }
)

#: Words whose stem would merge them with an unrelated word: they get their
#: own term ("trabajadores" are workers, not "trabajo").
WORD_OVERRIDES: Mapping[str, str] = MappingProxyType(
    {"trabajador": "trabajador", "trabajadores": "trabajador", "trabajadora": "trabajador", "trabajadoras": "trabajador"}
)

#: The same formulae as :data:`BOILERPLATE_PATTERNS`, in the form the similarity of
#: :mod:`analysis.language.recurrence` needs: regular expressions on folded text (it
#: compares character n-grams, not stems). Two lists on purpose: one is matched on
#: stem sequences, the other on characters, and each was tuned on its own output.
#: Formulae that nearly every recommendation shares, removed before
#: vectorising (patterns on accent-folded, lower-case text). They say who is
#: asked and how firmly, which :mod:`analysis.language.modality` reads; left in, they
#: would make every "Los Estados partes deberían considerar la posibilidad
#: de ..." alike.
BOILERPLATE_REGEXES: Final[tuple[tuple[str, re.Pattern[str]], ...]] = tuple(
    (name, re.compile(pattern))
    for name, pattern in (
        ("states", r"\b(?:los |las )?estados(?: partes| miembros)?\b"),
        ("modal", r"\b(?:deberian?|podrian?|tal vez deseen|se alienta a|se alento a)\b"),
        ("consider", r"\b(?:considerar|estudiar)(?: la)? posibilidad(?: de)?\b"),
        ("protocol", r"\bprotocolo contra la trata de personas\b"),
        ("convention", r"\bconvencion (?:de las naciones unidas )?contra la delincuencia organizada(?: transnacional)?\b"),
        ("trafficking", r"\btrata de personas\b"),
        ("national_law", r"\bde conformidad con (?:su|la) legislacion (?:nacional|interna)\b"),
        ("working_group", r"\bgrupo de trabajo(?: sobre la trata de personas)?\b"),
        ("conference", r"\bla conferencia(?: de las partes)?\b"),
        ("unodc", r"\bla unodc\b"),
        ("secretariat", r"\bla secretaria\b"),
        ("hedge", r"\bcuando (?:proceda|corresponda|procediera|sea posible)\b"),
    )
)  # fmt: skip

"""Coding in JupyterLab: one unit at a time, coded from the keyboard.

:class:`CodingWidget` shows the current unit of a
:class:`~analysis.coding.session.CodingSession` (its ``rec_id``, meeting,
lead-in and text), the model's suggestion and its confidence, the numbered
themes (names in English or Spanish) and the progress, and reads one line
from a text box that keeps the focus:

==========  ============================================================
``3``       code theme 3 as the primary theme
``3 7 12``  primary theme 3, secondary themes 7 and 12
(empty)     accept the suggestion
``b``       go back to the previous unit (to see or change its decision)
``s``       skip the unit for now (it comes back at the end)
``n …``     add a note to the unit
==========  ============================================================

Buttons do the same for mouse users. Everything the widget does goes through
:meth:`CodingWidget.submit`, which hands the line to the session: the session
decides and saves, the widget only shows.

Examples
--------
>>> import tempfile, pathlib
>>> from analysis.data.corpus import load_recommendations
>>> from analysis.coding.session import CodingSession
>>> session = CodingSession(pathlib.Path(tempfile.mkdtemp()) / "reader_3.csv", "reader_3", load_recommendations())
>>> coder = CodingWidget(session)
>>> coder.submit("15 9")
'1.1 coded: Working Group and Conference process (primary), Investigation and prosecution.'
>>> session.current, session.progress
('1.2', (1, 288))
"""

from __future__ import annotations

import html
import warnings
from typing import Any, Final

from analysis.coding.files import CodingError
from analysis.coding.session import CodingSession, parse_entry
from analysis.viz.labels import theme_label
from analysis.viz.style import Lang, _check_lang

__all__ = ["CodingWidget"]

#: The widget's own words, in both languages.
TEXTS: Final[dict[str, dict[str, str]]] = {
    "en": {
        "meeting": "meeting", "lead_in": "Lead-in", "suggestion": "Model's suggestion", "confidence": "confidence",
        "none": "no suggestion", "coded_as": "Coded as", "note": "Note", "progress": "{n} of {total} units coded",
        "done": "Every unit is coded.", "accept": "Accept suggestion", "back": "Back", "skip": "Skip",
        "add_note": "Add note", "placeholder": "3 · 3 7 12 · Enter = suggestion · b · s · n note",
        "coded": "{rec_id} coded: {themes}.", "primary": "primary", "skipped": "{rec_id} skipped.",
        "went_back": "Back to {rec_id}.", "noted": "Note kept for {rec_id}.", "themes": "Themes",
    },
    "es": {
        "meeting": "reunión", "lead_in": "Encabezado", "suggestion": "Sugerencia del modelo", "confidence": "confianza",
        "none": "sin sugerencia", "coded_as": "Codificada como", "note": "Nota",
        "progress": "{n} de {total} unidades codificadas", "done": "Todas las unidades están codificadas.",
        "accept": "Aceptar sugerencia", "back": "Atrás", "skip": "Saltar", "add_note": "Añadir nota",
        "placeholder": "3 · 3 7 12 · Intro = sugerencia · b · s · n nota", "coded": "{rec_id} codificada: {themes}.",
        "primary": "principal", "skipped": "{rec_id} saltada.", "went_back": "De vuelta a {rec_id}.",
        "noted": "Nota guardada para {rec_id}.", "themes": "Temas",
    },
}  # fmt: skip


class CodingWidget:
    """A coding session in JupyterLab: the unit, the suggestion, the numbered themes and a keyboard entry.

    Parameters
    ----------
    session : CodingSession
        The session the widget shows and forwards to.
    lang : {"en", "es"}
        Language of the theme names and of the widget's words.

    Attributes
    ----------
    message : str
        What the last entry did, or the error it raised (also shown in the widget).
    """

    def __init__(self, session: CodingSession, *, lang: Lang = "en") -> None:
        _check_lang(lang)
        self.session, self.lang = session, lang
        self.texts = TEXTS[lang]
        self.names = {t: theme_label(t, lang) for t in session.theme_ids}
        self.message = ""
        self._widget: Any = None

    # ------------------------------------------------------------------ logic (no browser needed)

    def submit(self, text: str) -> str:
        """Handle one line typed by the coder (or a button): forward it to the session, refresh, return the message.

        A line the session refuses (an unknown theme number, too many
        secondary themes) changes nothing; its error becomes the message.
        """
        session, t = self.session, self.texts
        rec_id = session.current
        try:
            entry = parse_entry(text, session.theme_ids)
            if entry.action == "back":
                session.back()
                self.message = t["went_back"].format(rec_id=session.current)
            elif rec_id is None:
                self.message = t["done"]
            elif entry.action == "skip":
                session.skip()
                self.message = t["skipped"].format(rec_id=rec_id)
            elif entry.action == "note":
                session.annotate(entry.text)
                self.message = t["noted"].format(rec_id=rec_id)
            else:
                if entry.action == "accept":
                    session.accept()
                else:
                    session.record(rec_id, entry.themes[0], entry.themes[1:])
                decision = session.decisions[rec_id]
                themes = [f"{self.names[decision.primary]} ({t['primary']})",
                          *(self.names[s] for s in decision.secondary)]  # fmt: skip
                self.message = t["coded"].format(rec_id=rec_id, themes=", ".join(themes))
        except CodingError as err:
            self.message = str(err)
        self.refresh()
        return self.message

    def unit_html(self) -> str:
        """The current unit as HTML: ``rec_id``, meeting, lead-in, text, suggestion, decision already taken."""
        t, session = self.texts, self.session
        if session.current is None:
            return f"<p><b>{t['done']}</b></p>"
        u = session.unit()
        parts = [f"<h3>{u['rec_id']} <small>· {t['meeting']} {u['meeting']}</small></h3>"]
        if u["lead_in"]:
            parts.append(f"<p><i>{t['lead_in']}:</i> {html.escape(str(u['lead_in']))}</p>")
        parts.append(f"<p style='font-size:1.1em'>{html.escape(str(u['text']))}</p>")
        if u["suggestion"] is None:
            parts.append(f"<p>{t['suggestion']}: {t['none']}</p>")
        else:
            number = session.theme_ids.index(str(u["suggestion"])) + 1
            parts.append(f"<p>{t['suggestion']}: <b>{number} · {html.escape(self.names[str(u['suggestion'])])}</b> "
                         f"({t['confidence']} {float(u['confidence']):.2f})</p>")  # fmt: skip
        decision = u["decision"]
        if decision is not None:
            themes = " + ".join(self.names[x] for x in (decision.primary, *decision.secondary))
            parts.append(f"<p>{t['coded_as']}: <b>{html.escape(themes)}</b></p>")
        note = decision.note if decision is not None and decision.note else u["note"]
        if note:
            parts.append(f"<p>{t['note']}: {html.escape(str(note))}</p>")
        return "\n".join(parts)

    def themes_html(self) -> str:
        """The numbered themes, in the language of the widget."""
        items = "".join(f"<li>{html.escape(self.names[t])}</li>" for t in self.session.theme_ids)
        return f"<b>{self.texts['themes']}</b><ol style='margin-top:0'>{items}</ol>"

    def progress_text(self) -> str:
        """``n of total units coded``."""
        n, total = self.session.progress
        return self.texts["progress"].format(n=n, total=total)

    # ------------------------------------------------------------------ display

    @property
    def widget(self) -> Any:
        """The widget (an ipywidgets ``VBox``), built on first use."""
        if self._widget is None:
            self._widget = self._build()
        return self._widget

    def _build(self) -> Any:
        import ipywidgets as w

        t = self.texts
        self._unit = w.HTML()
        self._themes = w.HTML(self.themes_html())
        self._progress = w.IntProgress(min=0, max=self.session.progress[1])
        self._progress_label = w.Label()
        self._message = w.HTML()
        self._entry = w.Text(placeholder=t["placeholder"], continuous_update=False,
                             layout=w.Layout(width="32em"))  # fmt: skip
        with warnings.catch_warnings():  # only the submit event sees an empty Enter (accept the suggestion)
            warnings.simplefilter("ignore", DeprecationWarning)
            self._entry.on_submit(lambda box: self._from_entry(box.value))
        buttons = [self._button(t["accept"], ""), self._button(t["back"], "b"), self._button(t["skip"], "s")]
        note = w.Button(description=t["add_note"])
        note.on_click(lambda _: self._from_entry(f"n {self._entry.value}"))
        theme_buttons = [self._button(f"{i} · {self.names[theme]}", str(i), width="auto")
                         for i, theme in enumerate(self.session.theme_ids, start=1)]  # fmt: skip
        box = w.VBox([
            w.HBox([self._progress, self._progress_label]),
            self._unit,
            w.HBox([self._entry, *buttons, note]),
            self._message,
            self._themes,
            w.Box(theme_buttons, layout=w.Layout(flex_flow="row wrap")),
        ])  # fmt: skip
        self._widget = box
        self.refresh()
        return box

    def _button(self, label: str, line: str, width: str | None = None) -> Any:
        import ipywidgets as w

        button = w.Button(description=label, layout=w.Layout(width=width) if width else w.Layout())
        button.on_click(lambda _: self._from_entry(line))
        return button

    def _from_entry(self, line: str) -> None:
        self.submit(line)
        self._entry.value = ""
        self._entry.focus()

    def refresh(self) -> None:
        """Show the session's current state (a no-op before the widget is displayed)."""
        if self._widget is None:
            return
        self._unit.value = self.unit_html()
        self._progress.value = self.session.progress[0]
        self._progress_label.value = self.progress_text()
        self._message.value = f"<i>{html.escape(self.message)}</i>" if self.message else ""

    def __repr__(self) -> str:
        current = self.session.current
        return f"CodingWidget({self.session.coder}: {self.progress_text()}; now {current or '-'})"

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        """The widget for JupyterLab, and a one-line summary where widgets cannot be shown (a static view)."""
        bundle = self.widget._repr_mimebundle_(**kwargs)
        if isinstance(bundle, dict):
            bundle["text/plain"] = repr(self)
        return bundle

"""Chapter 03's exercises: spot the signs of change in a first phone call (A), then write the question that
asks about them (B). The marking happens in the browser (``assets/js/transcript.js``); the key, the scoring
and the saving stay here and in ``widgets.first_call``."""

from __future__ import annotations

from html import escape
from typing import Any

import anywidget
import ipywidgets as w
import traitlets

from widgets import first_call, session
from widgets._assets import ASSETS
from widgets.i18n import catalog
from widgets.views import room as room_view
from widgets.views._html import message, para
from widgets.views._linked import OpensWithOthers
from widgets.views.rubric_answer import ItemQuestion


class Transcript(anywidget.AnyWidget):
    """The call's turns; the phrases the person marked; the result of the last check, per phrase."""

    _esm = ASSETS / "js" / "transcript.js"
    turns = traitlets.List(help="[{speaker, phrases: [{id, text, markable}]}], in the call's order.").tag(
        sync=True
    )
    speakers = traitlets.Dict(help="Speaker → how the page names them.").tag(sync=True)
    marked = traitlets.List(traitlets.Unicode(), help="Ids of the phrases the person marked.").tag(sync=True)
    results = traitlets.Dict(help="Phrase id → 'found', 'missed' or 'extra' after a check.").tag(sync=True)
    result_labels = traitlets.Dict(help="'found' … → the word shown on hover.").tag(sync=True)


def _call_picker(lang: str, label: str) -> w.Dropdown:
    options = [(entry.title, entry.id) for entry in first_call.calls(lang)]
    return w.Dropdown(options=options, value=options[0][1], description=label).add_class("wb-call-picker")


class FirstCallExercise(OpensWithOthers, w.VBox):
    """Exercise A: mark the phrases, check, read found / missed / extra with an explanation for each."""

    topic = first_call.TOPIC

    def __init__(self, lang: str = "fr", current: session.Session | None = None) -> None:
        self.lang = lang
        self.strings = t = catalog(lang)
        self.session = current or session.current()
        self.categories = first_call.categories(lang)
        self.call = first_call.calls(lang)[0]
        self.checked = False
        self._dirty: set[str] = set()
        self._loading = False
        self._autosave = session.Autosave(self.save)
        self.picker = _call_picker(lang, t("first_call.call_label"))
        self.picker.observe(lambda change: self._picked(change["new"]), names="value")
        self.context = w.HTML().add_class("wb-call-context")
        self.transcript = Transcript(
            speakers={"helper": t("first_call.helper"), "client": t("first_call.client")},
            result_labels={name: t(f"first_call.{name}") for name in ("found", "missed", "extra")},
        )
        self.transcript.observe(lambda _change: self._on_marks(), names="marked")
        self.check_button = w.Button(description=t("first_call.check"), button_style="primary")
        self.check_button.add_class("wb-check")
        self.check_button.on_click(lambda _button: self.check())
        self.clear_button = w.Button(description=t("first_call.clear")).add_class("wb-clear")
        self.clear_button.on_click(lambda _button: self.clear())
        self.message = w.HTML().add_class("wb-message")
        self.results = w.HTML().add_class("wb-call-results")
        from widgets.views.saving import SaveIndicator

        self.saved_state = SaveIndicator(lang)
        super().__init__(
            [
                w.HTML(para(t("first_call.intro"), "wb-intro")),
                w.HBox([self.picker]).add_class("wb-actions"),
                self.context,
                self.transcript,
                w.HTML(para(t("first_call.keyboard"), "wb-hint")),
                w.HBox([self.check_button, self.clear_button]).add_class("wb-actions"),
                self.message,
                self.results,
                self.saved_state,
            ]
        )
        self.add_class("wb-exercise").add_class("wb-first-call")
        self.session.subscribe(self.restore)
        self._follow_others()
        self.restore()

    @property
    def exercise_id(self) -> str:
        return f"{first_call.MARKS_PREFIX}{self.call.id}"

    def current_item(self) -> str:
        return self.call.id

    def item_ids(self) -> set[str]:
        return {entry.id for entry in first_call.calls(self.lang)}

    def open_item(self, item_id: str) -> None:
        self.show_call(item_id)

    def show_call(self, call_id: str) -> None:
        """Open another call, with the marks (and the check) saved for it."""
        self._autosave.flush()
        self.call = first_call.call(call_id, self.lang)
        if self.picker.value != call_id:
            self.picker.value = call_id  # its observer comes back here; the second pass is harmless
        self.context.value = para(self.call.context, "wb-call-context-text")
        answer = self.session.answers.get(self.exercise_id)
        value = answer.value if answer is not None else {}
        self._loading = True
        try:
            self.transcript.turns = [
                {
                    "speaker": turn[0].speaker,
                    "phrases": [{"id": p.id, "text": p.text, "markable": p.markable} for p in turn],
                }
                for turn in self.call.turns
            ]
            self.transcript.marked = first_call.valid_marks(self.call, value.get("marked", []))
        finally:
            self._loading = False
        self.checked = bool(value.get("checked"))
        self.message.value = ""
        self.saved_state.value = ""
        if self.checked:
            self._show_results()
        else:
            self.transcript.results = {}
            self.results.value = ""
        if answer is not None:
            self.saved_state.show(True, self.session)
        room_view.refresh(self)  # the room bar says what stands for this item

    def _on_marks(self) -> None:
        if self._loading:
            return
        self._dirty.add(self.call.id)
        self.message.value = ""
        if self.checked:
            self._show_results()  # the check follows the marks once it has been asked for
        self.saved_state.saving()
        self._autosave()

    def mark(self, *phrase_ids: str) -> None:
        """Mark phrases as the browser would (tests and keyboard-free use)."""
        self.transcript.marked = first_call.valid_marks(self.call, [*self.transcript.marked, *phrase_ids])

    def check(self) -> None:
        t = self.strings
        if not self.transcript.marked:
            self.message.value = message(t("first_call.none_marked"), ok=False)
            return
        self.checked = True
        self._dirty.add(self.call.id)
        self._show_results()
        self.save()

    def clear(self) -> None:
        self.transcript.marked = []
        self.checked = False
        self.transcript.results = {}
        self.results.value = ""

    def _show_results(self) -> None:
        t = self.strings
        result = first_call.score(self.call, self.transcript.marked)
        states = {phrase.id: result.state(phrase.id) for phrase in self.call.phrases}
        self.transcript.results = {key: value for key, value in states.items() if value}
        summary = t(
            "first_call.summary",
            found=len(result.found),
            total=result.total,
            missed=len(result.missed),
            extra=len(result.extra),
        )
        items = []
        for phrase in self.call.phrases:
            state = states[phrase.id]
            if state is None:
                continue
            kind = f" — {self.categories[phrase.key]}" if phrase.key else ""
            icon = {"found": "✓", "missed": "○", "extra": "✗"}[state]
            items.append(
                f'<li class="wb-result wb-result-{state}" data-phrase="{escape(phrase.id)}">'
                f'<span class="wb-tick" aria-hidden="true">{icon}</span> '
                f"<strong>{escape(t(f'first_call.{state}'))}{escape(kind)}</strong> "
                f"<q>{escape(phrase.text)}</q>"
                f'<span class="wb-criterion-message">{escape(phrase.why)}</span></li>'
            )
        verdict = t("first_call.all_found") if not result.missed and not result.extra else ""
        self.results.value = (
            '<section class="wb-feedback-panel" aria-live="polite">'
            f'<p class="wb-verdict">{escape(summary)}</p>'
            + (para(verdict, "wb-verdict-yes") if verdict else "")
            + f'<ul class="wb-criteria">{"".join(items)}</ul></section>'
        )

    def save(self) -> None:
        self._autosave.cancel()
        result = first_call.score(self.call, self.transcript.marked)
        value = {
            "marked": first_call.valid_marks(self.call, self.transcript.marked),
            "checked": self.checked,
            "found": len(result.found),
            "total": result.total,
        }
        saved = self.session.save(self.exercise_id, self.lang, value, complete=self.checked)
        self.saved_state.show(saved, self.session)

    def restore(self) -> None:
        if self.call.id in self._dirty:
            return
        latest = self.session.latest_item(first_call.MARKS_PREFIX)
        ids = [entry.id for entry in first_call.calls(self.lang)]
        self.show_call(latest if latest in ids else self.call.id)


class PreSessionQuestion(ItemQuestion):
    """Exercise B: the question to ask on that call about what has changed since the appointment."""

    rubric_name = first_call.QUESTION_RUBRIC
    prefix = first_call.QUESTION_PREFIX
    css_class = "wb-pre-session"
    intro_key = "pre_session.intro"
    picker_key = "first_call.call_label"
    placeholder_key = "pre_session.placeholder"
    topic = first_call.TOPIC

    def items(self) -> list[tuple[str, str]]:
        return [(entry.title, entry.id) for entry in first_call.calls(self.lang)]

    def show(self, item_id: str) -> tuple[str, tuple[str, ...], dict[str, Any]]:
        call = first_call.call(item_id, self.lang)
        return para(call.context, "wb-call-context-text"), call.question_exemplars, {"call": item_id}

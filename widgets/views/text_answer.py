"""A free-text answer box: question, text area, live character counter, clear messages, submit."""

from __future__ import annotations

from collections.abc import Callable
from html import escape

import ipywidgets as w

from widgets import session
from widgets.i18n import Catalog, catalog
from widgets.text import TextCheck, answer_limit, check_text
from widgets.views._html import message
from widgets.views.saving import SaveIndicator


def counter_html(strings: Catalog, check: TextCheck) -> str:
    """ "123 / 2000 characters", marked when over the limit (shared by every free-text box)."""
    over = " wb-over" if check.problem == "too_long" else ""
    text = strings("text_answer.counter", count=check.count, limit=check.limit)
    return f'<span class="wb-counter-value{over}" aria-live="polite">{escape(text)}</span>'


def problem_text(strings: Catalog, check: TextCheck) -> str:
    """What to tell the person about a text that cannot be accepted, in their language."""
    if check.problem == "too_long":
        return strings("text_answer.too_long", count=check.count, limit=check.limit, excess=check.excess)
    return strings("text_answer.empty")


class TextAnswer(w.VBox):
    """Free text with a length limit. What the person types stays in the box whatever happens; only a text
    that passes :func:`widgets.text.check_text` becomes ``accepted`` (and is passed to ``on_accept``)."""

    def __init__(
        self,
        question_key: str,
        lang: str = "fr",
        on_accept: Callable[[str], None] | None = None,
        limit: int | None = None,
        current: session.Session | None = None,
    ) -> None:
        self.strings = catalog(lang)
        self.lang = lang
        self.exercise_id = question_key  # e.g. "reflection.01_practice": the same in every language
        self.session = current or session.current()
        self.saved_state = SaveIndicator(lang)
        self._autosave = session.Autosave(self._save_draft)
        self._restoring = False
        self._dirty = False
        self.limit = answer_limit() if limit is None else limit
        self.accepted: str | None = None
        self._on_accept = on_accept
        t = self.strings

        # The question is the box's label (a description: a <label for> the textarea), shown above it.
        self.box = w.Textarea(
            description=t(f"{question_key}.question"),
            placeholder=t(f"{question_key}.placeholder"),
            continuous_update=True,
            rows=5,
            layout=w.Layout(width="100%"),
        ).add_class("wb-text")
        self.counter = w.HTML().add_class("wb-counter")
        self.message = w.HTML().add_class("wb-message")
        self.submit = w.Button(description=t("text_answer.submit"), button_style="primary")
        self.submit.add_class("wb-submit")
        self.submit.on_click(lambda _button: self.accept())
        self.box.observe(lambda _change: self._on_typing(), names="value")
        actions = w.HBox([self.submit, self.counter]).add_class("wb-actions")
        super().__init__([self.box, actions, self.message, self.saved_state])
        self.add_class("wb-exercise").add_class("wb-reflection")
        self._live_check()
        self.session.subscribe(self.restore)
        self.restore()

    def _on_typing(self) -> None:
        self._live_check()
        if self._restoring:
            return
        self._dirty = True
        check = self._check()
        kept = self.strings("text_answer.empty_kept")
        if check.problem == "empty" and self.exercise_id in self.session.answers:
            self.message.value = message(kept, ok=True)  # nothing is saved: the last answer stays
        elif escape(kept) in self.message.value:
            self.message.value = ""
        if check.ok:
            self.saved_state.saving()
            self._autosave()
        else:
            self._autosave.cancel()

    def _save_draft(self) -> None:
        check = self._check()
        if check.ok:
            submitted = self.accepted == check.text
            saved = self.session.save(self.exercise_id, self.lang, {"text": check.text}, complete=submitted)
            self.saved_state.show(saved, self.session)

    def restore(self) -> None:
        """Put the participant's saved text back in the box, unless they are already typing a new one."""
        answer = self.session.answers.get(self.exercise_id)
        if answer is None or self._dirty or not isinstance(answer.value.get("text"), str):
            return
        self._restoring = True
        try:
            self.box.value = answer.value["text"]
        finally:
            self._restoring = False
        if answer.complete:
            self.accepted = answer.value["text"]
        self.saved_state.show(True, self.session)

    def _check(self) -> TextCheck:
        return check_text(self.box.value, self.limit)

    def _show_counter(self, check: TextCheck) -> None:
        self.counter.value = counter_html(self.strings, check)

    def _problem_text(self, check: TextCheck) -> str:
        return problem_text(self.strings, check)

    def _live_check(self) -> None:
        check = self._check()
        self._show_counter(check)
        if check.problem == "too_long":
            self.message.value = message(self._problem_text(check), ok=False)
        elif self.message.value and "wb-problem" in self.message.value:
            self.message.value = ""

    def accept(self) -> bool:
        """Try to accept the current text; say why not if it cannot be. Returns whether it was accepted."""
        check = self._check()
        self._show_counter(check)
        if not check.ok:
            self.message.value = message(self._problem_text(check), ok=False)
            return False
        self._autosave.cancel()
        self.accepted = check.text
        saved = self.session.save(self.exercise_id, self.lang, {"text": check.text}, complete=True)
        self.saved_state.show(saved, self.session)
        note = self.strings("text_answer.accepted")
        if check.removed_controls:
            note = f"{note} {self.strings('text_answer.control_removed')}"
        self.message.value = message(note, ok=True)
        if self._on_accept is not None:
            self._on_accept(check.text)
        return True

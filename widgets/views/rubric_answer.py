"""A written answer read by a rubric as the person types: the box, the live feedback, example answers.

Every rubric-marked exercise (chapter 02's reformulations, chapter 03's pre-session question, chapter 04's
scaling follow-ups) is this view around a prompt of its own. It answers one item at a time
(``show_item``): each item's answer is saved under its own id and comes back when the item is shown again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipywidgets as w

from widgets import rubric, session
from widgets.i18n import catalog
from widgets.rubric import Feedback
from widgets.text import check_text
from widgets.views import room as room_view
from widgets.views._html import message
from widgets.views._linked import OpensWithOthers
from widgets.views.feedback import exemplars_html, feedback_html
from widgets.views.saving import SaveIndicator
from widgets.views.text_answer import counter_html, problem_text

FEEDBACK_DELAY_S = 0.25


class RubricAnswer(w.VBox):
    """A text box whose rubric feedback updates as the person writes, with examples on demand."""

    def __init__(
        self,
        rubric_name: str,
        lang: str = "fr",
        current: session.Session | None = None,
        placeholder: str = "",
        on_saved: Callable[[], None] | None = None,
    ) -> None:
        self.rubric_name = rubric_name
        self.lang = lang
        self.strings = t = catalog(lang)
        self.session = current or session.current()
        self.on_saved = on_saved
        self.exercise_id: str | None = None
        self.extra: dict[str, Any] = {}
        self.dirty: set[str] = set()
        self.feedback: Feedback | None = None
        self._restoring = False
        self._autosave = session.Autosave(self._save)
        self._refresh_feedback = session.Debouncer(FEEDBACK_DELAY_S, self.show_feedback)
        self.saved_state = SaveIndicator(lang)
        self.box = w.Textarea(
            description=t("feedback.answer_label"),  # the box's label, shown above it
            placeholder=placeholder,
            continuous_update=True,
            rows=4,
            layout=w.Layout(width="100%"),
        ).add_class("wb-text")
        self.box.observe(lambda _change: self._on_typing(), names="value")
        self.counter = w.HTML().add_class("wb-counter")
        self.message = w.HTML().add_class("wb-message")
        self.feedback_view = w.HTML().add_class("wb-feedback")
        self.exemplars_button = w.Button(description=t("feedback.show_exemplars"))
        self.exemplars_button.add_class("wb-show-exemplars")
        self.exemplars_button.on_click(lambda _button: self.toggle_exemplars())
        self.exemplars = w.HTML().add_class("wb-exemplars")
        self.exemplars.layout.display = "none"
        super().__init__(
            [
                self.box,
                w.HBox([self.counter]).add_class("wb-actions"),
                self.message,
                self.feedback_view,
                w.HBox([self.exemplars_button]).add_class("wb-actions"),
                self.exemplars,
                self.saved_state,
            ]
        )
        self.add_class("wb-rubric-answer")

    def show_item(
        self, exercise_id: str, exemplars: tuple[str, ...], extra: dict[str, Any] | None = None
    ) -> None:
        """Answer another item: what was typed for the current one is saved first, and the new one's saved
        answer (if any) comes back into the box. ``extra`` is saved alongside the text."""
        self._autosave.flush()
        self._refresh_feedback.cancel()
        self.exercise_id = exercise_id
        self.extra = dict(extra or {})
        self.exemplars.layout.display = "none"
        self.exemplars_button.description = self.strings("feedback.show_exemplars")
        self.exemplars.value = exemplars_html(self.strings, exemplars)
        answer = self.session.answers.get(exercise_id)
        text = answer.value.get("text", "") if answer is not None else ""
        self._restoring = True
        try:
            self.box.value = text if isinstance(text, str) else ""
        finally:
            self._restoring = False
        self.message.value = ""
        self.saved_state.value = ""
        if answer is not None:
            self.saved_state.show(True, self.session)
        self.show_feedback()

    def toggle_exemplars(self) -> None:
        shown = self.exemplars.layout.display != "none"
        self.exemplars.layout.display = "none" if shown else "block"
        key = "feedback.show_exemplars" if shown else "feedback.hide_exemplars"
        self.exemplars_button.description = self.strings(key)

    def _on_typing(self) -> None:
        check = check_text(self.box.value)
        self.counter.value = counter_html(self.strings, check)
        too_long = check.problem == "too_long"
        self.message.value = message(problem_text(self.strings, check), ok=False) if too_long else ""
        if self._restoring or self.exercise_id is None:
            return
        if check.problem == "empty" and self.exercise_id in self.session.answers:
            self.message.value = message(self.strings("text_answer.empty_kept"), ok=True)
        self.dirty.add(self.exercise_id)
        self._refresh_feedback()
        if check.ok:
            self.saved_state.saving()
            self._autosave()
        else:
            self._autosave.cancel()

    def show_feedback(self) -> None:
        """Read the box with the rubric and show the result."""
        check = check_text(self.box.value)
        self.counter.value = counter_html(self.strings, check)
        if check.problem == "too_long":
            return  # not read (a 1 MB paste would hold the kernel): the message says to shorten it
        text = self.box.value
        self.feedback = rubric.assess(text, self.rubric_name, self.lang) if text.strip() else None
        self.feedback_view.value = feedback_html(self.strings, self.feedback)

    def _save(self) -> None:
        check = check_text(self.box.value)
        if not check.ok or self._restoring or self.exercise_id is None:
            return
        feedback = rubric.assess(check.text, self.rubric_name, self.lang)
        value = {
            **self.extra,
            "text": check.text,
            "score": feedback.score,
            "solution_focused": feedback.solution_focused,
        }
        saved = self.session.save(self.exercise_id, self.lang, value, complete=True)
        self.saved_state.show(saved, self.session)
        if self.on_saved is not None:
            self.on_saved()


class ItemQuestion(OpensWithOthers, w.VBox):
    """A rubric-marked answer about one item chosen from a list (a call, a case): the picker, the item's
    card, the answer. Subclasses say what the items are (``items``) and how an item is shown (``show``)."""

    rubric_name = ""
    prefix = ""  # answers are saved under prefix + item id
    css_class = ""
    intro_key = ""
    picker_key = ""
    placeholder_key = ""

    def __init__(self, lang: str = "fr", current: session.Session | None = None) -> None:
        self.lang = lang
        self.strings = t = catalog(lang)
        self.session = current or session.current()
        options = self.items()
        self.item_id = options[0][1]
        self.picker = w.Dropdown(options=options, value=self.item_id, description=t(self.picker_key))
        self.picker.add_class("wb-item-picker")
        self.picker.observe(lambda change: self._picked(change["new"]), names="value")
        self.card = w.HTML().add_class("wb-item-card")
        self.answer = RubricAnswer(
            self.rubric_name, lang, current=self.session, placeholder=t(self.placeholder_key)
        )
        super().__init__(
            [
                w.HTML(f'<p class="wb-intro">{t(self.intro_key)}</p>'),
                w.HBox([self.picker]).add_class("wb-actions"),
                self.card,
                self.answer,
            ]
        )
        self.add_class("wb-exercise").add_class(self.css_class)
        self.session.subscribe(self.restore)
        self._follow_others()
        self.restore()

    def current_item(self) -> str:
        return self.item_id

    def item_ids(self) -> set[str]:
        return {item_id for _, item_id in self.items()}

    def open_item(self, item_id: str) -> None:
        self.show_item(item_id)

    def items(self) -> list[tuple[str, str]]:
        """(title, id) of every item, in order."""
        raise NotImplementedError

    def show(self, item_id: str) -> tuple[str, tuple[str, ...], dict[str, Any]]:
        """The card's HTML for ``item_id``, its example answers, and what to save with the answer."""
        raise NotImplementedError

    def show_item(self, item_id: str) -> None:
        self.item_id = item_id
        if self.picker.value != item_id:
            self.picker.value = item_id  # its observer comes back here; the second pass is harmless
        card, exemplars, extra = self.show(item_id)
        self.card.value = card
        self.answer.show_item(f"{self.prefix}{item_id}", exemplars, extra)
        room_view.refresh(self)  # the room bar says what stands for this item

    def restore(self) -> None:
        """Open the item the participant last answered (or the first one), with its saved answer."""
        if f"{self.prefix}{self.item_id}" in self.answer.dirty:
            return
        latest = self.session.latest_item(self.prefix)
        ids = [item_id for _, item_id in self.items()]
        self.show_item(latest if latest in ids else self.item_id)

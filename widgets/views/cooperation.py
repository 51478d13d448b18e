"""Chapter 06's exercises: read the relationship in a vignette and answer it (A), write an end-of-session
message (B), and the participant's synthesis (C).

A and B are the workbook's rubric-marked answer (``rubric_answer.ItemQuestion``); A adds the choice of the
relationship before the answer, kept with it. C is two confidence levels, chosen from lists and drawn side
by side (a small SVG with its values in words), and what the participant will do differently at their next
first contact, with the way to the portfolio.
"""

from __future__ import annotations

from html import escape
from typing import Any

import ipywidgets as w

from widgets import relationships, session
from widgets.i18n import catalog
from widgets.text import check_text
from widgets.views._html import message, para
from widgets.views.rubric_answer import ItemQuestion
from widgets.views.saving import SaveIndicator
from widgets.views.text_answer import counter_html, problem_text


class RelationshipVignettes(ItemQuestion):
    """Exercise A: a vignette; which relationship is it, at this moment; what would you say next."""

    rubric_name = relationships.COOPERATION_RUBRIC
    prefix = relationships.VIGNETTE_PREFIX
    css_class = "wb-relationships"
    intro_key = "cooperation.intro"
    picker_key = "cooperation.vignette_label"
    placeholder_key = "cooperation.placeholder"

    def __init__(self, lang: str = "fr", current: session.Session | None = None) -> None:
        t = catalog(lang)
        # The question is the group's label (assets/js/router.js makes it the radiogroup's name and gives
        # the buttons one name: one Tab stop, the arrow keys move the choice).
        self.choice = w.RadioButtons(
            options=[(entry.label, entry.id) for entry in relationships.relationships(lang)],
            value=None,
            description=t("cooperation.choose"),
        ).add_class("wb-relationship-choice")
        self.choice_feedback = w.HTML().add_class("wb-choice-feedback")
        self._choosing = False
        self.classify_box = w.VBox([self.choice, self.choice_feedback]).add_class("wb-classify")
        self.choice.observe(lambda change: self.classify(change["new"]), names="value")
        super().__init__(lang, current)
        # the choice sits between the vignette and the answer
        children = list(self.children)
        children.insert(children.index(self.answer), self.classify_box)
        self.children = tuple(children)

    def items(self) -> list[tuple[str, str]]:
        return [(entry.title, entry.id) for entry in relationships.vignettes(self.lang)]

    def show(self, item_id: str) -> tuple[str, tuple[str, ...], dict[str, Any]]:
        vignette = relationships.vignette(item_id, self.lang)
        card = f'<figure class="wb-statement-card"><blockquote>{escape(vignette.situation)}</blockquote>'
        card += "</figure>"
        saved = self.session.answers.get(f"{self.prefix}{item_id}")
        choice = saved.value.get("choice") if saved is not None else None
        extra: dict[str, Any] = {"vignette": item_id}
        if isinstance(choice, str):
            extra |= {"choice": choice, "correct": choice == vignette.relationship}
        self._show_choice(item_id, choice if isinstance(choice, str) else None)
        return card, vignette.exemplars, extra

    def _show_choice(self, item_id: str, choice: str | None) -> None:
        self._choosing = True
        try:
            known = {entry.id for entry in relationships.relationships(self.lang)}
            self.choice.value = choice if choice in known else None
        finally:
            self._choosing = False
        self.choice_feedback.value = self._feedback_html(item_id, self.choice.value)

    def _feedback_html(self, item_id: str, choice: str | None) -> str:
        if choice is None:
            return ""
        t = self.strings
        vignette = relationships.vignette(item_id, self.lang)
        right = relationships.relationship(vignette.relationship, self.lang)
        correct = choice == vignette.relationship
        verdict = (
            t("cooperation.right", label=right.label)
            if correct
            else t("cooperation.other", label=right.label)
        )
        return (
            f'<div class="wb-feedback-card {"wb-met" if correct else "wb-unmet"}">'
            f"{message(verdict, ok=correct)}{para(vignette.why)}"
            f"<p><strong>{escape(t('cooperation.how', label=right.label))}</strong> "
            f"{escape(right.cooperate)}</p>"
            "</div>"
        )

    def classify(self, choice: Any) -> None:
        """The participant's reading of the relationship: checked at once, kept with the answer."""
        if self._choosing or choice is None:
            return
        result = relationships.classify(self.item_id, choice)
        self.choice_feedback.value = self._feedback_html(self.item_id, choice)
        extra = {"vignette": self.item_id, "choice": result.choice, "correct": result.correct}
        self.answer.extra = extra
        answer_id = f"{self.prefix}{self.item_id}"
        saved = self.session.answers.get(answer_id)
        value = {**(saved.value if saved is not None else {}), **extra}
        complete = saved.complete if saved is not None else False
        self.answer.saved_state.show(self.session.save(answer_id, self.lang, value, complete), self.session)


class SessionMessage(ItemQuestion):
    """Exercise B: what happened in a session; write the message that closes it."""

    rubric_name = relationships.MESSAGE_RUBRIC
    prefix = relationships.MESSAGE_PREFIX
    css_class = "wb-session-message"
    intro_key = "session_message.intro"
    picker_key = "session_message.vignette_label"
    placeholder_key = "session_message.placeholder"

    def items(self) -> list[tuple[str, str]]:
        return [(entry.title, entry.id) for entry in relationships.message_vignettes(self.lang)]

    def show(self, item_id: str) -> tuple[str, tuple[str, ...], dict[str, Any]]:
        vignette = relationships.message_vignette(item_id, self.lang)
        card = (
            f'<figure class="wb-statement-card"><blockquote>{escape(vignette.summary)}</blockquote></figure>'
        )
        return card, vignette.exemplars, {"vignette": item_id}


def confidence_svg(strings, start: int | None, now: int | None) -> str:
    """Two bars on 0–10, "at the start" and "now", with their values written on them (and in ``<desc>``)."""
    rows = [
        (strings("synthesis.start"), start, "wb-bar-start"),
        (strings("synthesis.now"), now, "wb-bar-now"),
    ]
    width, left, right = 320, 96, 300
    bars = []
    for index, (label, value, css) in enumerate(rows):
        top = 10 + index * 44
        length = 0 if value is None else (right - left) * value / 10
        shown = "—" if value is None else f"{value}/10"
        bars.append(
            f'<text x="0" y="{top + 20}" class="wb-bar-label">{escape(label)}</text>'
            f'<rect x="{left}" y="{top + 4}" width="{right - left}" height="24" class="wb-bar-track"/>'
            f'<rect x="{left}" y="{top + 4}" width="{length:.1f}" height="24" class="{css}"/>'
            f'<text x="{left + 6 + length:.1f}" y="{top + 21}" class="wb-bar-value">{escape(shown)}</text>'
        )
    describe = strings(
        "synthesis.chart_desc",
        start="—" if start is None else start,
        now="—" if now is None else now,
    )
    return (
        f'<svg class="wb-confidence" viewBox="0 0 {width + 40} 100" role="img" '
        f'aria-label="{escape(describe)}">'
        f"<desc>{escape(describe)}</desc>{''.join(bars)}</svg>"
    )


class Synthesis(w.VBox):
    """Exercise C: confidence at the start of the workbook and now, and the next first contact."""

    def __init__(self, lang: str = "fr", current: session.Session | None = None) -> None:
        self.lang = lang
        self.strings = t = catalog(lang)
        self.session = current or session.current()
        self.exercise_id = relationships.SYNTHESIS_ID
        self._restoring = False
        self._dirty = False
        self._autosave = session.Autosave(self._save)
        # Lists rather than sliders: "not chosen yet" is a value of its own, and phones show their picker.
        levels = [(t("synthesis.unset"), ""), *((str(value), value) for value in range(11))]
        self.start = w.Dropdown(options=levels, value="", description=t("synthesis.start"))
        self.now = w.Dropdown(options=levels, value="", description=t("synthesis.now"))
        self.start.add_class("wb-confidence-start")
        self.now.add_class("wb-confidence-now")
        self.start.observe(lambda _change: self._moved(), names="value")
        self.now.observe(lambda _change: self._moved(), names="value")
        self.chart = w.HTML().add_class("wb-confidence-chart")
        self.box = w.Textarea(
            description=t("synthesis.next_question"),  # the box's label, shown above it
            placeholder=t("synthesis.placeholder"),
            rows=4,
            continuous_update=True,
            layout=w.Layout(width="100%"),
        ).add_class("wb-text")
        self.box.observe(lambda _change: self._typed(), names="value")
        self.counter = w.HTML().add_class("wb-counter")
        self.message = w.HTML().add_class("wb-message")
        self.saved_state = SaveIndicator(lang)
        super().__init__(
            [
                w.HTML(para(t("synthesis.confidence_question"), "wb-question")),
                self.start,
                self.now,
                self.chart,
                self.box,
                w.HBox([self.counter]).add_class("wb-actions"),
                self.message,
                self.saved_state,
                w.HTML(para(t("synthesis.portfolio"), "wb-hint")),
            ]
        )
        self.add_class("wb-exercise").add_class("wb-synthesis")
        self.session.subscribe(self.restore)
        self.restore()

    def _values(self) -> tuple[int | None, int | None]:
        start, now = self.start.value, self.now.value
        return (None if start == "" else start, None if now == "" else now)

    def _draw(self) -> None:
        self.chart.value = confidence_svg(self.strings, *self._values())

    def _moved(self) -> None:
        if self._restoring:
            return
        self._dirty = True
        self._draw()
        self._save()  # a level chosen is a deliberate act: kept at once

    def _typed(self) -> None:
        check = check_text(self.box.value)
        self.counter.value = counter_html(self.strings, check)
        too_long = check.problem == "too_long"
        self.message.value = message(problem_text(self.strings, check), ok=False) if too_long else ""
        if self._restoring:
            return
        self._dirty = True
        if check.ok or not self.box.value.strip():
            self.saved_state.saving()
            self._autosave()
        else:
            self._autosave.cancel()

    def _save(self) -> None:
        if self._restoring:
            return
        check = check_text(self.box.value)
        if not check.ok and self.box.value.strip():
            return
        start, now = self._values()
        value = {"start": start, "now": now, "text": check.text if check.ok else ""}
        complete = start is not None and now is not None and bool(value["text"])
        self.saved_state.show(self.session.save(self.exercise_id, self.lang, value, complete), self.session)

    def restore(self) -> None:
        answer = self.session.answers.get(self.exercise_id)
        if self._dirty:
            return
        value = answer.value if answer is not None else {}
        self._restoring = True
        try:
            for which, box in (("start", self.start), ("now", self.now)):
                try:
                    box.value = relationships.confidence(value.get(which))
                except ValueError:
                    box.value = ""
            text = value.get("text")
            self.box.value = text if isinstance(text, str) else ""
        finally:
            self._restoring = False
        self.counter.value = counter_html(self.strings, check_text(self.box.value))
        self._draw()
        if answer is not None:
            self.saved_state.show(True, self.session)

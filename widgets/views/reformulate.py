"""Chapter 02's exercise: answer a problem statement, read the rubric's feedback, compare with examples.

The view only forwards events: the statements come from ``widgets.reformulation``, the live feedback and the
saving from ``RubricAnswer``. Each situation's answer is saved under its own id
(``reformulate.<statement id>``), so that going back to a situation finds what was written there.
"""

from __future__ import annotations

from html import escape

import ipywidgets as w

from widgets import reformulation, session
from widgets.i18n import catalog
from widgets.views import room as room_view
from widgets.views._html import para
from widgets.views.rubric_answer import RubricAnswer

PREFIX = reformulation.ANSWER_PREFIX
ALL = ""


class ReformulationExercise(w.VBox):
    """A statement from the bank, a response box with live rubric feedback, examples, and navigation."""

    def __init__(self, lang: str = "fr", current: session.Session | None = None) -> None:
        self.lang = lang
        self.strings = t = catalog(lang)
        self.session = current or session.current()
        self.contexts = reformulation.contexts(lang)
        self.statement = reformulation.statements(lang)[0]
        self.answer = RubricAnswer(
            reformulation.RUBRIC,
            lang,
            current=self.session,
            placeholder=t("reformulate.placeholder"),
            on_saved=self._show_progress,
        )
        self.answer.box.add_class("wb-response")

        options = [
            (t("reformulate.all_contexts"), ALL),
            *((name, key) for key, name in self.contexts.items()),
        ]
        self.context_picker = w.Dropdown(
            options=options, value=ALL, description=t("reformulate.context_label")
        ).add_class("wb-context")
        self.context_picker.observe(lambda _change: self._on_context(), names="value")
        self.next_button = w.Button(description=t("reformulate.next")).add_class("wb-next-statement")
        self.next_button.on_click(lambda _button: self.go_next())
        self.random_button = w.Button(description=t("reformulate.random")).add_class("wb-random-statement")
        self.random_button.on_click(lambda _button: self.go_random())
        self.position = w.HTML().add_class("wb-position")
        self.card = w.HTML().add_class("wb-statement")
        self.progress = w.HTML().add_class("wb-reformulate-progress")
        navigation = w.HBox([self.context_picker, self.next_button, self.random_button, self.position])
        super().__init__(
            [
                w.HTML(para(t("reformulate.intro"), "wb-intro")),
                navigation.add_class("wb-actions"),
                self.card,
                self.answer,
                self.progress,
            ]
        )
        self.add_class("wb-exercise").add_class("wb-reformulate")
        self.session.subscribe(self.restore)
        self.restore()

    # The parts of the answer view that tests and other views reach for.
    @property
    def box(self) -> w.Textarea:
        return self.answer.box

    @property
    def feedback(self):
        return self.answer.feedback

    @property
    def feedback_view(self) -> w.HTML:
        return self.answer.feedback_view

    @property
    def exemplars(self) -> w.HTML:
        return self.answer.exemplars

    @property
    def exemplars_button(self) -> w.Button:
        return self.answer.exemplars_button

    @property
    def counter(self) -> w.HTML:
        return self.answer.counter

    @property
    def message(self) -> w.HTML:
        return self.answer.message

    @property
    def saved_state(self):
        return self.answer.saved_state

    @property
    def context(self) -> str | None:
        return self.context_picker.value or None

    def _on_context(self) -> None:
        if self.context and self.statement.context != self.context:
            self.show_statement(reformulation.statements(self.lang, self.context)[0].id)
        else:
            self._show_position()

    def go_next(self) -> None:
        self.show_statement(reformulation.next_statement(self.statement.id, self.lang, self.context).id)

    def go_random(self) -> None:
        self.show_statement(reformulation.random_statement(self.statement.id, self.lang, self.context).id)

    def show_statement(self, statement_id: str) -> None:
        """Move to another situation, with its saved answer if there is one."""
        self.statement = reformulation.statement(statement_id, self.lang)
        t = self.strings
        self.card.value = (
            '<figure class="wb-statement-card">'
            f'<figcaption><span class="wb-badge">{escape(self.contexts[self.statement.context])}</span> '
            f"{escape(t('reformulate.says', speaker=self.statement.speaker))}</figcaption>"
            f"<blockquote>{escape(self.statement.text)}</blockquote></figure>"
        )
        self.answer.show_item(
            reformulation.answer_id(statement_id), self.statement.exemplars, {"statement": statement_id}
        )
        self._show_position()
        self._show_progress()
        room_view.refresh(self)  # the room bar says what stands for this item

    def _show_position(self) -> None:
        pool = [entry.id for entry in reformulation.statements(self.lang, self.context)]
        text = ""
        if self.statement.id in pool:
            index = pool.index(self.statement.id) + 1
            text = self.strings("reformulate.position", index=index, count=len(pool))
        self.position.value = f'<span class="wb-position-value">{escape(text)}</span>'

    def toggle_exemplars(self) -> None:
        self.answer.toggle_exemplars()

    def _show_progress(self) -> None:
        total = len(reformulation.statements(self.lang))
        count = sum(1 for key in self.session.answers if key.startswith(PREFIX))
        text = self.strings("reformulate.answered", count=count, total=total, goal=reformulation.goal())
        self.progress.value = para(text, "wb-hint")

    def restore(self) -> None:
        """Open the situation the participant last worked on (or the first one), with its saved answer."""
        if reformulation.answer_id(self.statement.id) in self.answer.dirty:
            return
        latest = self.session.latest_item(PREFIX)
        ids = [entry.id for entry in reformulation.statements(self.lang)]
        self.show_statement(latest if latest in ids else self.statement.id)

"""Chapter 02's exercise: answer a problem statement, read the rubric's feedback, compare with examples.

The view only forwards events: the statements come from ``widgets.reformulation``, the feedback from
``widgets.reformulation.assess`` and the saving from the session. Each situation's answer is saved under
its own id (``reformulate.<statement id>``), so that going back to a situation finds what was written there.
"""

from __future__ import annotations

from html import escape

import ipywidgets as w

from widgets import reformulation, session
from widgets.i18n import catalog
from widgets.rubric import CriterionResult, Feedback
from widgets.text import check_text
from widgets.views._html import message, para
from widgets.views.saving import SaveIndicator
from widgets.views.text_answer import counter_html, problem_text

PREFIX = reformulation.ANSWER_PREFIX
SAVE_DELAY_S = 0.8
FEEDBACK_DELAY_S = 0.25
ALL = ""


def highlighted_html(feedback: Feedback) -> str:
    """The person's text, escaped, with the words that triggered a criterion in ``<mark>`` (faults win)."""
    text = feedback.text
    marks: dict[int, str] = {}
    for result in feedback.criteria:
        for start, end in result.spans:
            for index in range(start, end):
                if marks.get(index) != "fault":
                    marks[index] = result.kind
    parts: list[str] = []
    index = 0
    while index < len(text):
        kind = marks.get(index)
        end = index
        while end < len(text) and marks.get(end) == kind:
            end += 1
        chunk = escape(text[index:end])
        parts.append(f'<mark class="wb-mark wb-mark-{kind}">{chunk}</mark>' if kind else chunk)
        index = end
    return "".join(parts)


class ReformulationExercise(w.VBox):
    """A statement from the bank, a response box with live rubric feedback, examples, and navigation."""

    def __init__(self, lang: str = "fr", current: session.Session | None = None) -> None:
        self.lang = lang
        self.strings = t = catalog(lang)
        self.session = current or session.current()
        self.saved_state = SaveIndicator(lang)
        self._autosave = session.Debouncer(SAVE_DELAY_S, self._save)
        self._refresh_feedback = session.Debouncer(FEEDBACK_DELAY_S, self.show_feedback)
        self._restoring = False
        self._dirty: set[str] = set()
        self.feedback: Feedback | None = None
        self.contexts = reformulation.contexts(lang)
        self.statement = reformulation.statements(lang)[0]

        self.context_picker = w.Dropdown(
            options=[
                (t("reformulate.all_contexts"), ALL),
                *((name, key) for key, name in self.contexts.items()),
            ],
            value=ALL,
            description=t("reformulate.context_label"),
        ).add_class("wb-context")
        self.context_picker.observe(lambda _change: self._on_context(), names="value")
        self.next_button = w.Button(description=t("reformulate.next"), icon="").add_class("wb-next-statement")
        self.next_button.on_click(lambda _button: self.go_next())
        self.random_button = w.Button(description=t("reformulate.random")).add_class("wb-random-statement")
        self.random_button.on_click(lambda _button: self.go_random())
        self.position = w.HTML().add_class("wb-position")
        self.card = w.HTML().add_class("wb-statement")
        self.box = (
            w.Textarea(
                placeholder=t("reformulate.placeholder"),
                continuous_update=True,
                rows=4,
                layout=w.Layout(width="100%"),
            )
            .add_class("wb-text")
            .add_class("wb-response")
        )
        self.box.observe(lambda _change: self._on_typing(), names="value")
        self.counter = w.HTML().add_class("wb-counter")
        self.message = w.HTML().add_class("wb-message")
        self.feedback_view = w.HTML().add_class("wb-feedback")
        self.exemplars_button = w.Button(description=t("reformulate.show_exemplars"))
        self.exemplars_button.add_class("wb-show-exemplars")
        self.exemplars_button.on_click(lambda _button: self.toggle_exemplars())
        self.exemplars = w.HTML().add_class("wb-exemplars")
        self.exemplars.layout.display = "none"
        self.progress = w.HTML().add_class("wb-reformulate-progress")

        super().__init__(
            [
                w.HTML(para(t("reformulate.intro"), "wb-intro")),
                w.HBox([self.context_picker, self.next_button, self.random_button, self.position]).add_class(
                    "wb-actions"
                ),
                self.card,
                w.HTML(f'<p class="wb-label">{escape(t("reformulate.answer_label"))}</p>'),
                self.box,
                w.HBox([self.counter]).add_class("wb-actions"),
                self.message,
                self.feedback_view,
                w.HBox([self.exemplars_button]).add_class("wb-actions"),
                self.exemplars,
                self.progress,
                self.saved_state,
            ]
        )
        self.add_class("wb-exercise").add_class("wb-reformulate")
        self.session.subscribe(self.restore)
        self.restore()

    # navigation -----------------------------------------------------------------------------------------

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
        """Move to another situation: what was typed for this one is saved first, and that one's answer
        (if any) comes back into the box."""
        self._autosave.flush()
        self._refresh_feedback.cancel()
        self.statement = reformulation.statement(statement_id, self.lang)
        t = self.strings
        self.card.value = (
            '<figure class="wb-statement-card">'
            f'<figcaption><span class="wb-badge">{escape(self.contexts[self.statement.context])}</span> '
            f"{escape(t('reformulate.says', speaker=self.statement.speaker))}</figcaption>"
            f"<blockquote>{escape(self.statement.text)}</blockquote></figure>"
        )
        self.exemplars.layout.display = "none"
        self.exemplars_button.description = t("reformulate.show_exemplars")
        self.exemplars.value = (
            f'<p class="wb-label">{escape(t("reformulate.exemplars_heading"))}</p><ul>'
            + "".join(f"<li>{escape(example)}</li>" for example in self.statement.exemplars)
            + "</ul>"
        )
        answer = self.session.answers.get(reformulation.answer_id(statement_id))
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
        self._show_position()
        self._show_progress()

    def _show_position(self) -> None:
        pool = [entry.id for entry in reformulation.statements(self.lang, self.context)]
        if self.statement.id in pool:
            index = pool.index(self.statement.id) + 1
            text = self.strings("reformulate.position", index=index, count=len(pool))
        else:
            text = ""
        self.position.value = f'<span class="wb-position-value">{escape(text)}</span>'

    def toggle_exemplars(self) -> None:
        shown = self.exemplars.layout.display != "none"
        self.exemplars.layout.display = "none" if shown else "block"
        key = "reformulate.show_exemplars" if shown else "reformulate.hide_exemplars"
        self.exemplars_button.description = self.strings(key)

    # typing, feedback, saving -----------------------------------------------------------------------------

    def _on_typing(self) -> None:
        check = check_text(self.box.value)
        self.counter.value = counter_html(self.strings, check)
        if check.problem == "too_long":
            self.message.value = message(problem_text(self.strings, check), ok=False)
        else:
            self.message.value = ""
        if self._restoring:
            return
        self._dirty.add(self.statement.id)
        self._refresh_feedback()
        if check.ok:
            self.saved_state.saving()
            self._autosave()
        else:
            self._autosave.cancel()

    def show_feedback(self) -> None:
        """Read the box with the rubric and show one line per criterion, the score and the marked words."""
        t = self.strings
        self.counter.value = counter_html(self.strings, check_text(self.box.value))
        if not self.box.value.strip():
            self.feedback = None
            self.feedback_view.value = para(t("reformulate.waiting"), "wb-hint")
            return
        feedback = reformulation.assess(self.box.value, self.lang)
        self.feedback = feedback
        percent = round(feedback.score * 100)
        verdict_class = "wb-verdict-yes" if feedback.solution_focused else "wb-verdict-no"
        sections = ""
        if feedback.notice is None:
            sections = (
                self._criteria_html(t("reformulate.strengths_heading"), feedback.strengths)
                + self._criteria_html(t("reformulate.faults_heading"), feedback.faults)
                + f'<p class="wb-label">{escape(t("reformulate.your_words"))}</p>'
                + f'<p class="wb-highlighted">{highlighted_html(feedback)}</p>'
            )
        self.feedback_view.value = (
            f'<section class="wb-feedback-panel" aria-live="polite">'
            f"<h3>{escape(t('reformulate.feedback_heading'))}</h3>"
            f'<p class="wb-verdict {verdict_class}">{escape(feedback.verdict)}</p>'
            f'<p class="wb-score"><label>{escape(t("reformulate.score", percent=percent))} '
            f'<meter min="0" max="100" low="35" high="65" optimum="100" value="{percent}">'
            "</meter></label></p>"
            f"{sections}"
            f"{para(t('reformulate.caveat'), 'wb-caveat')}"
            "</section>"
        )

    def _criteria_html(self, heading: str, results: tuple[CriterionResult, ...]) -> str:
        t = self.strings
        items = []
        for result in results:
            if result.kind == "strength":
                state = t("reformulate.met") if result.met else t("reformulate.unmet")
                icon, css = ("✓", "wb-criterion-good") if result.met else ("○", "wb-criterion-todo")
            else:
                state = t("reformulate.fault_found") if result.met else t("reformulate.fault_absent")
                icon, css = ("✗", "wb-criterion-bad") if result.met else ("✓", "wb-criterion-good")
            evidence = ""
            if result.evidence:
                quoted = ", ".join(f"<q>{escape(word)}</q>" for word in result.evidence)
                evidence = f' <span class="wb-evidence">({escape(t("reformulate.evidence"))} {quoted})</span>'
            items.append(
                f'<li class="wb-criterion {css}" data-criterion="{escape(result.id)}" '
                f'data-met="{str(result.met).lower()}">'
                f'<span class="wb-tick" aria-hidden="true">{icon}</span> '
                f"<strong>{escape(result.label)}</strong> "
                f'<span class="wb-state">— {escape(state)}.</span> '
                f'<span class="wb-criterion-message">{escape(result.message)}</span>{evidence}</li>'
            )
        return f'<h4>{escape(heading)}</h4><ul class="wb-criteria">{"".join(items)}</ul>'

    def _save(self) -> None:
        check = check_text(self.box.value)
        if not check.ok or self._restoring:
            return
        feedback = reformulation.assess(check.text, self.lang)
        value = {
            "statement": self.statement.id,
            "text": check.text,
            "score": feedback.score,
            "solution_focused": feedback.solution_focused,
        }
        saved = self.session.save(reformulation.answer_id(self.statement.id), self.lang, value, complete=True)
        self.saved_state.show(saved, self.session)
        self._show_progress()

    def _answered(self) -> int:
        return sum(1 for key in self.session.answers if key.startswith(PREFIX))

    def _show_progress(self) -> None:
        total = len(reformulation.statements(self.lang))
        count = self._answered()
        text = self.strings("reformulate.answered", count=count, total=total, goal=reformulation.goal())
        self.progress.value = para(text, "wb-hint")

    def restore(self) -> None:
        """Open the situation the participant last worked on (or the first one), with its saved answer."""
        if self.statement.id in self._dirty:
            return
        saved = [answer for key, answer in self.session.answers.items() if key.startswith(PREFIX)]
        latest = max(saved, key=lambda answer: answer.saved_at, default=None)
        statement_id = self.statement.id
        if latest is not None:
            candidate = latest.exercise.removeprefix(PREFIX)
            if any(entry.id == candidate for entry in reformulation.statements(self.lang)):
                statement_id = candidate
        self.show_statement(statement_id)

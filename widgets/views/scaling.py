"""Chapter 04's exercises: draw a client's scale across sessions (C), and follow up a scaling answer (D).

The chart is the workbook's small plotly anywidget (``widgets/views/chart.py``): a click on it names a session
and a value, and the same can be done with the fields below it, which also list every point in words. The
rules (what a valid point, note or good-enough level is) live in ``widgets.scaling``.
"""

from __future__ import annotations

import math
from html import escape
from typing import Any

import ipywidgets as w

from widgets import figures, scaling, session
from widgets.i18n import catalog
from widgets.scaling import ScaleChart, ScaleError
from widgets.views import room as room_view
from widgets.views._html import excerpt, message, para
from widgets.views._linked import OpensWithOthers
from widgets.views.chart import ChartView
from widgets.views.rubric_answer import ItemQuestion
from widgets.views.saving import SaveIndicator


def _vignette_picker(lang: str, label: str) -> w.Dropdown:
    options = [(entry.title, entry.id) for entry in scaling.vignettes(lang)]
    return w.Dropdown(options=options, value=options[0][1], description=label).add_class("wb-vignette-picker")


class ScalingChartExercise(OpensWithOthers, w.VBox):
    """Exercise C: a case, a chart to draw by clicking or with the fields, notes per point, good enough."""

    topic = scaling.TOPIC

    def __init__(self, lang: str = "fr", current: session.Session | None = None) -> None:
        self.lang = lang
        self.strings = t = catalog(lang)
        self.session = current or session.current()
        self.vignette = scaling.vignettes(lang)[0]
        self.chart = ScaleChart()
        self._dirty: set[str] = set()
        self._syncing = False
        self.picker = _vignette_picker(lang, t("scaling.vignette_label"))
        self.picker.observe(lambda change: self._picked(change["new"]), names="value")
        self.case = w.HTML().add_class("wb-case")
        self.plot = ChartView(
            fallback_text=t("scaling.chart_fallback"),
            config={
                "displayModeBar": True,  # the download button stays in sight, not only on hover
                "modeBarButtons": [["toImage"]],
                "toImageButtonOptions": {"format": "png", "scale": 2, "filename": t("scaling.png_name")},
            },
            on_click=self.click,
        )
        self.session_picker = w.Dropdown(
            options=[(t("scaling.session_option", number=number), number)
                     for number in range(1, scaling.MAX_SESSIONS + 1)],
            value=1,
            description=t("scaling.session_label"),
        ).add_class("wb-session-picker")  # fmt: skip
        self.session_picker.observe(lambda _change: self._show_point_fields(), names="value")
        self.value_box = w.Text(
            value="", placeholder="0–10", description=t("scaling.value_label"), continuous_update=False
        ).add_class("wb-value-input")
        # Enter (or leaving the field) sends the value: it places the point, as the button does.
        self.value_box.observe(lambda _change: self._on_value_typed(), names="value")
        self.place_button = w.Button(description=t("scaling.place"), button_style="primary")
        self.place_button.add_class("wb-place")
        self.place_button.on_click(lambda _button: self.place_from_fields())
        self.remove_button = w.Button(description=t("scaling.remove")).add_class("wb-remove")
        self.remove_button.on_click(lambda _button: self.remove_point())
        self.not_zero = w.Text(continuous_update=False, layout=w.Layout(width="100%")).add_class(
            "wb-note-not-zero"
        )
        self.next_sign = w.Text(continuous_update=False, layout=w.Layout(width="100%")).add_class(
            "wb-note-next"
        )
        self.not_zero.observe(lambda change: self.set_note("not_zero", change["new"]), names="value")
        self.next_sign.observe(lambda change: self.set_note("next_sign", change["new"]), names="value")
        self.good_enough = w.Dropdown(
            options=[(t("scaling.good_enough_none"), ""), *((str(value), value) for value in range(11))],
            value="",
            description=t("scaling.good_enough_label"),
        ).add_class("wb-good-enough")
        self.good_enough.observe(lambda change: self.set_good_enough(change["new"]), names="value")
        self.message = w.HTML().add_class("wb-message")
        self.points_list = w.HTML().add_class("wb-points")
        self.saved_state = SaveIndicator(lang)
        self.notes_box = w.VBox([self.not_zero, self.next_sign]).add_class("wb-notes")
        super().__init__(
            [
                w.HTML(para(t("scaling.intro"), "wb-intro")),
                w.HBox([self.picker]).add_class("wb-actions"),
                self.case,
                self.plot,
                w.HTML(para(t("scaling.keyboard"), "wb-hint")),
                w.HBox(
                    [self.session_picker, self.value_box, self.place_button, self.remove_button]
                ).add_class("wb-actions"),
                self.notes_box,
                w.HBox([self.good_enough]).add_class("wb-actions"),
                self.message,
                self.points_list,
                self.saved_state,
            ]
        )
        self.add_class("wb-exercise").add_class("wb-scaling")
        self.session.subscribe(self.restore)
        self._follow_others()
        self.restore()

    @property
    def exercise_id(self) -> str:
        return scaling.answer_id(self.vignette.id)

    def current_item(self) -> str:
        return self.vignette.id

    def item_ids(self) -> set[str]:
        return {entry.id for entry in scaling.vignettes(self.lang)}

    def open_item(self, item_id: str) -> None:
        self.show_vignette(item_id)

    # the case ---------------------------------------------------------------------------------------------

    def show_vignette(self, vignette_id: str) -> None:
        self.vignette = scaling.vignette(vignette_id, self.lang)
        if self.picker.value != vignette_id:
            self.picker.value = vignette_id
        t = self.strings
        story = "".join(f"<li>{escape(line)}</li>" for line in self.vignette.story)
        self.case.value = (
            '<div class="wb-case-card">'
            f"<p><strong>0</strong> — {escape(self.vignette.zero)}<br>"
            f"<strong>10</strong> — {escape(self.vignette.ten)}</p>"
            f'<p class="wb-label">{escape(t("scaling.story_heading"))}</p>'
            f'<ul class="wb-story">{story}</ul></div>'
        )
        answer = self.session.answers.get(self.exercise_id)
        self.chart = ScaleChart.from_json(answer.value if answer is not None else {})
        self.message.value = ""
        self.saved_state.value = ""
        if answer is not None:
            self.saved_state.show(True, self.session)
        self._syncing = True
        try:
            self.good_enough.value = "" if self.chart.good_enough is None else int(self.chart.good_enough)
        except Exception:  # a half-point level saved elsewhere: the dropdown shows none, the chart shows it
            self.good_enough.value = ""
        finally:
            self._syncing = False
        first = self.chart.sessions[0] if self.chart.sessions else 1
        self.session_picker.value = first
        self._redraw()
        room_view.refresh(self)  # the room bar says what stands for this item

    # changes ----------------------------------------------------------------------------------------------

    def _apply(self, change) -> bool:
        """Run ``change`` on the chart; on a refusal say why (nothing else changes). Returns success."""
        try:
            chart = change(self.chart)
        except ScaleError as error:
            self.message.value = message(self._error_text(error), ok=False)
            return False
        self.chart = chart
        self.message.value = ""
        self._dirty.add(self.vignette.id)
        self._redraw()
        self.save()  # each change is a deliberate act (a click, Enter, a choice): kept at once
        return True

    def _error_text(self, error: ScaleError) -> str:
        details = {key: excerpt(str(value)) for key, value in error.details.items()}
        return self.strings(f"scaling.errors.{error.code}", **details)

    def click(self, x: float, y: float) -> None:
        """A click on the chart (from the browser): place the point of that session at that value."""
        if not (math.isfinite(x) and math.isfinite(y)) or abs(x) > 1e6 or abs(y) > 1e6:
            self.message.value = message(self._error_text(ScaleError("not_a_number")), ok=False)
            return
        session_number = round(x)
        if self._apply(lambda chart: chart.place(session_number, round(y * 2) / 2)):
            self.session_picker.value = session_number

    def _on_value_typed(self) -> None:
        if not self._syncing and self.value_box.value.strip():
            self.place_from_fields()

    def place_from_fields(self) -> None:
        number = self.session_picker.value
        self._apply(lambda chart: chart.place(number, self.value_box.value))

    def place(self, session_number: int, value: object) -> bool:
        self.session_picker.value = session_number if 1 <= session_number <= scaling.MAX_SESSIONS else 1
        return self._apply(lambda chart: chart.place(session_number, value))

    def remove_point(self) -> None:
        number = self.session_picker.value
        if number in self.chart.points:
            self._apply(lambda chart: chart.remove(number))

    def set_note(self, which: str, text: str) -> None:
        if self._syncing:
            return
        number = self.session_picker.value
        if number not in self.chart.points and not text:
            return
        self._apply(lambda chart: chart.note(number, which, text))

    def set_good_enough(self, value: object) -> None:
        if not self._syncing:
            self._apply(lambda chart: chart.set_good_enough(value))

    # showing ----------------------------------------------------------------------------------------------

    def _show_point_fields(self) -> None:
        t = self.strings
        number = self.session_picker.value
        value = self.chart.points.get(number)
        shown = figures.half(value, self.lang) if value is not None else "N"
        # each note's question is its field's label (a <label for> the field), shown above it
        self.not_zero.description = t("scaling.note_not_zero", value=shown)
        self.next_sign.description = t("scaling.note_next_sign", value=shown)
        notes = self.chart.notes.get(number, {})
        self._syncing = True
        try:
            self.value_box.value = figures.half(value, self.lang) if value is not None else ""
            self.not_zero.value = notes.get("not_zero", "")
            self.next_sign.value = notes.get("next_sign", "")
        finally:
            self._syncing = False
        disabled = value is None
        self.not_zero.disabled = self.next_sign.disabled = disabled
        self.not_zero.placeholder = t("scaling.note_placeholder_disabled") if disabled else ""
        self.next_sign.placeholder = self.not_zero.placeholder

    def _redraw(self) -> None:
        t = self.strings
        self.plot.show(figures.scaling_chart(self.chart, self.lang, self.vignette.title))
        rows = []
        for number in self.chart.sessions:
            notes = self.chart.notes.get(number, {})
            rows.append(
                f'<tr data-session="{number}"><th scope="row">{number}</th>'
                f"<td>{escape(figures.half(self.chart.points[number], self.lang))}</td>"
                f"<td>{escape(notes.get('not_zero', ''))}</td>"
                f"<td>{escape(notes.get('next_sign', ''))}</td></tr>"
            )
        level = "—" if self.chart.good_enough is None else figures.half(self.chart.good_enough, self.lang)
        header = "".join(
            f'<th scope="col">{escape(t(key))}</th>'
            for key in ("scaling.column_session", "scaling.column_value", "scaling.column_not_zero",
                        "scaling.column_next_sign")
        )  # fmt: skip
        body = "".join(rows) or f'<tr><td colspan="4">{escape(t("scaling.no_points"))}</td></tr>'
        self.points_list.value = (
            '<table class="wb-table wb-points-table">'
            f"<caption>{escape(t('scaling.points_caption'))}</caption>"
            f"<thead><tr>{header}</tr></thead><tbody>{body}</tbody></table>"
            + para(t("scaling.good_enough_summary", value=level), "wb-hint")
        )
        self._show_point_fields()

    def save(self) -> None:
        value = {**self.chart.to_json(), "vignette": self.vignette.id}
        saved = self.session.save(
            self.exercise_id, self.lang, value, complete=scaling.is_complete(self.chart)
        )
        self.saved_state.show(saved, self.session)

    def restore(self) -> None:
        if self.vignette.id in self._dirty:
            return
        latest = self.session.latest_item(scaling.ANSWER_PREFIX)
        ids = [entry.id for entry in scaling.vignettes(self.lang)]
        self.show_vignette(latest if latest in ids else self.vignette.id)


class ScalingFollowup(ItemQuestion):
    """Exercise D: the client has said a number; write the follow-up questions."""

    rubric_name = scaling.FOLLOWUP_RUBRIC
    prefix = scaling.FOLLOWUP_PREFIX
    css_class = "wb-scaling-followup"
    intro_key = "scaling_followup.intro"
    picker_key = "scaling.vignette_label"
    placeholder_key = "scaling_followup.placeholder"
    topic = scaling.TOPIC

    def items(self) -> list[tuple[str, str]]:
        return [(entry.title, entry.id) for entry in scaling.vignettes(self.lang)]

    def show(self, item_id: str) -> tuple[str, tuple[str, ...], dict[str, Any]]:
        case = scaling.vignette(item_id, self.lang)
        card = (
            '<figure class="wb-statement-card">'
            f"<figcaption>{escape(self.strings('scaling_followup.says', title=case.title))}</figcaption>"
            f"<blockquote>{escape(case.client_answer)}</blockquote>"
            f'<p class="wb-hint">0 — {escape(case.zero)} · 10 — {escape(case.ten)}</p></figure>'
        )
        return card, case.followup_exemplars, {"vignette": item_id}

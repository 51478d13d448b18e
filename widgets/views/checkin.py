"""Chapter 05's exercise: a simulated client's end-of-session check-ins, their charts and alerts, and what the
participant would say at the next session after each alert.

The answers of a session can be adjusted (pick the session, type 0–10 in the item's field): the table, the
chart and the alerts follow at once; the case's own answers come back with one button. The table of answers is
the chart's text alternative (every value, every alert, in words). The rules live in ``widgets.checkin``.
"""

from __future__ import annotations

from html import escape
from typing import Any

import ipywidgets as w

from widgets import checkin, figures, session
from widgets.checkin import Alert, Client, ScoreError, Series
from widgets.i18n import catalog
from widgets.views import room as room_view
from widgets.views._html import excerpt, message, para
from widgets.views._linked import OpensWithOthers
from widgets.views.chart import ChartView
from widgets.views.rubric_answer import RubricAnswer
from widgets.views.saving import SaveIndicator

TOTAL = "total"


def alert_text(strings, alert: Alert, lang: str) -> str:
    """One alert in plain words: "total 27/40, below the cut-off of 30"."""
    what = strings("checkin.total_name") if alert.item is None else checkin_item_label(alert.item, lang)
    return strings(
        f"checkin.alerts.{alert.rule}",
        what=what,
        value=alert.value,
        limit=alert.limit,
        previous="" if alert.previous is None else alert.previous,
        drop=alert.drop,
        maximum=checkin.maximum_total() if alert.item is None else checkin.SCORE_MAX,
    )


def checkin_item_label(item_id: str, lang: str) -> str:
    return next(item.short for item in checkin.items(lang) if item.id == item_id)


class CheckinExercise(OpensWithOthers, w.VBox):
    """The client picker, the case, the rules, the chart of one series, the table, the answers' editor, the
    alerts, and the response to the alert of one session."""

    topic = "checkin_client"

    def __init__(self, lang: str = "fr", current: session.Session | None = None) -> None:
        self.lang = lang
        self.strings = t = catalog(lang)
        self.session = current or session.current()
        self.case: Client = checkin.clients(lang)[0]
        self.series = Series.of(self.case)
        self._syncing = False
        self._dirty: set[str] = set()
        limits = checkin.rules()
        self.picker = w.Dropdown(
            options=[(entry.title, entry.id) for entry in checkin.clients(lang)],
            value=self.case.id,
            description=t("checkin.client_label"),
        ).add_class("wb-client-picker")
        self.picker.observe(lambda change: self._picked(change["new"]), names="value")
        self.case_view = w.HTML().add_class("wb-case")
        rules = "".join(
            f"<li>{escape(t(f'checkin.rules.{rule}', item_cutoff=limits.item_cutoff, total_cutoff=limits.total_cutoff, item_drop=limits.item_drop, total_drop=limits.total_drop, maximum=checkin.maximum_total()))}</li>"  # noqa: E501
            for rule in checkin.RULES
        )
        self.rules_view = w.HTML(
            f'<div class="wb-rules"><p class="wb-label">{escape(t("checkin.rules_heading"))}</p>'
            f"<ul>{rules}</ul>{para(t('checkin.training_tool'), 'wb-hint')}</div>"
        )
        self.series_picker = w.Dropdown(
            options=[
                (t("checkin.total_name"), TOTAL),
                *((item.short, item.id) for item in checkin.items(lang)),
            ],
            value=TOTAL,
            description=t("checkin.series_label"),
        ).add_class("wb-series-picker")
        self.series_picker.observe(lambda _change: self._draw(), names="value")
        self.plot = ChartView(fallback_text=t("checkin.chart_fallback"))
        self.table = w.HTML().add_class("wb-checkin-table")
        self.session_picker = w.Dropdown(description=t("checkin.edit_session")).add_class(
            "wb-checkin-session"
        )
        self.session_picker.observe(lambda _change: self._show_fields(), names="value")
        self.fields: dict[str, w.Text] = {}
        for item in checkin.items(lang):
            field = w.Text(description=item.short, placeholder="0–10", continuous_update=False)
            field.add_class("wb-score-input").add_class(f"wb-score-{item.id}")
            field.observe(lambda change, key=item.id: self._typed(key, change["new"]), names="value")
            self.fields[item.id] = field
        self.reset_button = w.Button(description=t("checkin.reset")).add_class("wb-checkin-reset")
        self.reset_button.on_click(lambda _button: self.reset())
        self.message = w.HTML().add_class("wb-message").add_class("wb-checkin-message")
        self.saved_state = SaveIndicator(lang)
        self.alerts_view = w.HTML().add_class("wb-alerts")
        self.alert_picker = w.Dropdown(description=t("checkin.alert_label")).add_class("wb-alert-picker")
        self.alert_picker.observe(lambda change: self._alert_picked(change["new"]), names="value")
        self.alert_card = w.HTML().add_class("wb-item-card")
        self.answer = RubricAnswer(
            checkin.RUBRIC, lang, current=self.session, placeholder=t("checkin.placeholder")
        )
        self.response = w.VBox(
            [
                w.HTML(f"<h3>{escape(t('checkin.response_heading'))}</h3>"),
                w.HBox([self.alert_picker]).add_class("wb-actions"),
                self.alert_card,
                self.answer,
            ]
        ).add_class("wb-checkin-response")
        super().__init__(
            [
                w.HTML(para(t("checkin.intro"), "wb-intro")),
                w.HBox([self.picker]).add_class("wb-actions"),
                self.case_view,
                self.rules_view,
                w.HBox([self.series_picker]).add_class("wb-actions"),
                self.plot,
                self.table,
                w.HTML(para(t("checkin.edit_hint"), "wb-hint")),
                w.HBox([self.session_picker]).add_class("wb-actions"),
                w.HBox(list(self.fields.values())).add_class("wb-actions").add_class("wb-score-fields"),
                w.HBox([self.reset_button]).add_class("wb-actions"),
                self.message,
                self.saved_state,
                self.alerts_view,
                self.response,
            ]
        )
        self.add_class("wb-exercise").add_class("wb-checkin")
        self.session.subscribe(self.restore)
        self._follow_others()
        self.restore()

    # which client -------------------------------------------------------------------------------------------

    def current_item(self) -> str:
        return self.case.id

    def item_ids(self) -> set[str]:
        return {entry.id for entry in checkin.clients(self.lang)}

    def open_item(self, item_id: str) -> None:
        self.show_client(item_id)

    @property
    def exercise_id(self) -> str:
        return checkin.scores_id(self.case.id)

    def show_client(self, client_id: str) -> None:
        self.case = checkin.client(client_id, self.lang)
        if self.picker.value != client_id:
            self.picker.value = client_id
        answer = self.session.answers.get(self.exercise_id)
        self.series = (
            Series.from_json(answer.value, self.case) if answer is not None else Series.of(self.case)
        )
        t = self.strings
        notes = "".join(
            f"<li><strong>{escape(t('checkin.session', number=number))}</strong> — {escape(note)}</li>"
            for number, note in enumerate(self.case.notes, start=1)
        )
        self.case_view.value = (
            f'<div class="wb-case-card"><p>{escape(self.case.context)}</p>'
            f'<p class="wb-label">{escape(t("checkin.notes_heading"))}</p>'
            f'<ul class="wb-story">{notes}</ul></div>'
        )
        self._syncing = True
        try:
            self.session_picker.options = [
                (t("checkin.session", number=number), number)
                for number in range(1, len(self.series.scores) + 1)
            ]
            self.session_picker.value = 1
        finally:
            self._syncing = False
        self.message.value = ""
        self.saved_state.value = ""
        if answer is not None:
            self.saved_state.show(True, self.session)
        self._refresh(keep_alert=False)

    def restore(self) -> None:
        if self.case.id in self._dirty:
            return
        latest = self.session.latest_item(checkin.ANSWER_PREFIX)
        client_id = checkin.parse_item(latest)[0] if latest else self.case.id
        self.show_client(client_id if client_id in self.item_ids() else self.case.id)

    # adjusting the answers ----------------------------------------------------------------------------------

    def _typed(self, item: str, raw: str) -> None:
        if self._syncing:
            return
        self.set_score(self.session_picker.value, item, raw)

    def set_score(self, session_number: int, item: str, raw: Any) -> bool:
        """Change one answer; a refused one is said in words, and stays in its field to be corrected."""
        try:
            series = self.series.set(session_number, item, raw)
        except ScoreError as error:
            self.message.value = message(
                self.strings(f"checkin.errors.{error.code}", value=excerpt(str(error.value)), low=0, high=10),
                ok=False,
            )
            return False
        self.series = series
        self.message.value = ""
        self._dirty.add(self.case.id)
        self._save_scores()
        self._refresh()
        return True

    def reset(self) -> None:
        """The case's own answers again."""
        self.series = Series.of(self.case)
        self.message.value = message(self.strings("checkin.reset_done"), ok=True)
        self._dirty.add(self.case.id)
        self._save_scores()
        self._refresh()

    def _save_scores(self) -> None:
        value = {**self.series.to_json(), "client": self.case.id}
        saved = self.session.save(self.exercise_id, self.lang, value, complete=False)
        self.saved_state.show(saved, self.session)

    # showing ------------------------------------------------------------------------------------------------

    def _show_fields(self) -> None:
        number = self.session_picker.value
        if number is None:
            return
        self._syncing = True
        try:
            for key, field in self.fields.items():
                field.value = str(self.series.scores[number - 1][key])
        finally:
            self._syncing = False

    def _refresh(self, keep_alert: bool = True) -> None:
        self.found = checkin.alerts(self.series.scores)
        self._show_fields()
        self._draw()
        self._show_table()
        self._show_alerts(keep_alert)

    def _draw(self) -> None:
        t = self.strings
        limits = checkin.rules()
        which = self.series_picker.value
        if which == TOTAL:
            values = [checkin.total(scores) for scores in self.series.scores]
            cutoff, maximum, title = limits.total_cutoff, checkin.maximum_total(), t("checkin.total_name")
            mine = [alert for alert in self.found if alert.item is None]
        else:
            values = [scores[which] for scores in self.series.scores]
            cutoff, maximum = limits.item_cutoff, checkin.SCORE_MAX
            title = next(item.label for item in checkin.items(self.lang) if item.id == which)
            mine = [alert for alert in self.found if alert.item == which]
        flagged: dict[int, str] = {}
        for alert in mine:
            text = alert_text(t, alert, self.lang)
            flagged[alert.session] = (
                f"{flagged[alert.session]}<br>{text}" if alert.session in flagged else text
            )
        self.plot.show(figures.checkin_chart(values, cutoff, maximum, flagged, self.lang, title))

    def _show_table(self) -> None:
        t = self.strings
        items = checkin.items(self.lang)
        grouped = checkin.sessions_with_alerts(self.found)
        header = "".join(
            f'<th scope="col">{escape(label)}</th>'
            for label in (
                t("checkin.session_column"),
                *(item.short for item in items),
                t("checkin.total_name"),
            )
        )
        rows = []
        for number, scores in enumerate(self.series.scores, start=1):
            flagged = {(alert.item or TOTAL) for alert in grouped.get(number, [])}
            cells = "".join(
                f'<td class="wb-flagged">{scores[item.id]} ▼</td>'
                if item.id in flagged
                else f"<td>{scores[item.id]}</td>"
                for item in items
            )
            total = checkin.total(scores)
            total_cell = f'<td class="wb-flagged">{total} ▼</td>' if TOTAL in flagged else f"<td>{total}</td>"
            rows.append(f'<tr data-session="{number}"><th scope="row">{number}</th>{cells}{total_cell}</tr>')
        self.table.value = (
            '<div class="wb-table-scroll"><table class="wb-table wb-checkin-scores">'
            f"<caption>{escape(t('checkin.table_caption', title=self.case.title))}</caption>"
            f"<thead><tr>{header}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
            + para(t("checkin.table_key"), "wb-hint")
        )

    def _show_alerts(self, keep_alert: bool) -> None:
        t = self.strings
        grouped = checkin.sessions_with_alerts(self.found)
        if not grouped:
            self.alerts_view.value = (
                f'<div class="wb-alert-list"><p class="wb-label">{escape(t("checkin.alerts_heading"))}</p>'
                + para(t("checkin.no_alert"), "wb-ok")
                + "</div>"
            )
            self.response.layout.display = "none"
            return
        lines = "".join(
            f'<li data-session="{number}"><strong>{escape(t("checkin.session", number=number))}</strong> — '
            + ("\u202f; " if self.lang == "fr" else "; ").join(
                escape(alert_text(t, alert, self.lang)) for alert in alerts
            )
            + "</li>"
            for number, alerts in grouped.items()
        )
        self.alerts_view.value = (
            '<div class="wb-alert-list" role="status">'
            f'<p class="wb-label">{escape(t("checkin.alerts_heading"))}</p>'
            f"<ul>{lines}</ul></div>"
        )
        self.response.layout.display = None
        options = [(t("checkin.session", number=number), number) for number in grouped]
        previous = self.alert_picker.value if keep_alert else None
        answered = self._latest_response_session()
        chosen = previous if previous in grouped else answered if answered in grouped else next(iter(grouped))
        self._syncing = True
        try:
            self.alert_picker.options = options
            self.alert_picker.value = chosen
        finally:
            self._syncing = False
        self._alert_picked(chosen, force=True)

    def _latest_response_session(self) -> int | None:
        prefix = checkin.response_id(self.case.id, 0)[:-1]
        latest = self.session.latest_item(prefix)
        return int(latest) if latest and latest.isdigit() else None

    def _alert_picked(self, number: Any, force: bool = False) -> None:
        if (self._syncing and not force) or number is None:
            return
        t = self.strings
        alerts = checkin.sessions_with_alerts(self.found).get(number, [])
        texts = [alert_text(t, alert, self.lang) for alert in alerts]
        items = "".join(f"<li>{escape(text)}</li>" for text in texts)
        note = self.case.notes[number - 1] if number - 1 < len(self.case.notes) else ""
        self.alert_card.value = (
            f'<div class="wb-statement-card"><p class="wb-label">'
            f"{escape(t('checkin.alert_card', title=self.case.title, number=number))}</p>"
            f"<ul>{items}</ul>{para(note, 'wb-hint')}</div>"
        )
        response = checkin.response_id(self.case.id, number)
        extra = {"client": self.case.id, "alerts": texts}
        if self.answer.exercise_id != response:
            self.answer.show_item(response, self.case.exemplars, extra)
        else:  # the answers changed, not the session: what is typed stays, saved with the alerts of now
            self.answer.extra = extra
        room_view.refresh(self)

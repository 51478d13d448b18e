"""Every exercise described once: its view, where it keeps its answers, its portfolio entry, its room view.

The app and the notebooks build an exercise through ``build``; the portfolio and the home page's progress
read ``answers`` and ``entry``; the facilitator's room reads ``room`` (how the room debriefs it) and ``send``
(what a participant's answer becomes when it is sent to the room). Adding an exercise is adding one
:class:`ExerciseKind` here. Views and content modules are imported inside the functions, so a kernel pays
only for the exercises it shows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from widgets.i18n import Catalog
from widgets.store import Answer

#: How the room shows what participants sent: the room's shares beside Lambert's, a wall of written answers,
#: the transcript shaded by how many marked each phrase, every scale drawn over one chart, the room's
#: confidence at the start and now.
RoomView = Literal["shares", "wall", "transcript", "scales", "confidence"]
Entry = tuple[str, list[str]]


@dataclass(frozen=True)
class Answers:
    """Where an exercise keeps its answers. ``key`` is the answer id itself, or the start of every answer id:
    followed by the value of one of the exercise's options (``option``: one answer per notebook call, e.g.
    ``reflection.<question>``), or by an item id (``order``: one answer per item, the items in this order,
    ``needed`` of them complete for the exercise to be finished)."""

    key: str
    option: str | None = None
    order: Callable[[], list[str]] | None = None
    needed: Callable[[], int] = lambda: 1

    @property
    def per_item(self) -> bool:
        return self.order is not None

    def own_id(self, options: dict[str, Any]) -> str:
        """The one answer id of a single-answer exercise called with ``options``."""
        return self.key + (str(options[self.option]) if self.option else "")

    def owns(self, answer_id: str) -> bool:
        if self.option is None and self.order is None:
            return answer_id == self.key
        return answer_id.startswith(self.key)

    def ids(self, options: dict[str, Any], answers: dict[str, Answer]) -> list[str]:
        """The saved answers that belong to this exercise, in the order a portfolio lists them."""
        if self.order is None:
            own = self.own_id(options)
            return [own] if own in answers else []
        rank = {item: index for index, item in enumerate(self.order())}
        keys = [key for key in answers if key.startswith(self.key)]
        return sorted(keys, key=lambda key: rank.get(key.removeprefix(self.key), len(rank)))

    def item(self, answer_id: str) -> str | None:
        """What an answer id is about beyond its exercise: the item, or the option's value (``reflection.
        01_practice`` → ``01_practice``); ``None`` for an exercise with one answer id."""
        return answer_id.removeprefix(self.key) if self.order is not None or self.option else None


@dataclass(frozen=True)
class ExerciseKind:
    """One exercise. ``answers``, ``entry``, ``room`` and ``send`` are ``None`` for a block that takes none
    (the home page's path and "my work")."""

    name: str
    build: Callable[..., Any]
    answers: Answers | None = None
    entry: Callable[[Catalog, str, str | None, Answer, dict[str, Any]], Entry | None] | None = None
    room: RoomView | None = None
    rubric: str | None = None
    send: Callable[[Answer, str | None, str], dict[str, Any]] | None = None


# --- views -------------------------------------------------------------------------------------------


def _chapter_path(lang: str, link: Callable[[Any], str] | None = None):
    from ipywidgets import HTML

    from widgets import portfolio, session
    from widgets.views.home import chapter_path_html

    view = HTML().add_class("wb-home")
    current = session.current()

    def refresh() -> None:
        html = chapter_path_html(lang, link, portfolio.progress(current.answers, lang))
        view.value = f'<div class="jp-RenderedHTMLCommon wb-md">{html}</div>'

    current.subscribe(refresh, every_save=True)
    refresh()
    return view


def _my_work(lang: str):
    from widgets.views.my_work import MyWork

    return MyWork(lang)


def _join_room(lang: str):
    from widgets.views.room import RoomJoin

    return RoomJoin(lang)


def _sending(name: str, module: str, view_class: str, answer_id: str = "exercise_id"):
    """The builder of an exercise whose view gets a "send to the room" bar under it (shown only in a room):
    ``view_class`` of ``module``, imported when first built, the answer it shows now at ``answer_id``."""

    def build(lang: str):
        from importlib import import_module
        from operator import attrgetter

        from widgets.views.room import attach

        view = getattr(import_module(module), view_class)(lang)
        return attach(view, name, lang, lambda: attrgetter(answer_id)(view))

    return build


def _reflection_view(lang: str, question: str):
    from widgets.views.room import attach
    from widgets.views.text_answer import TextAnswer

    view = TextAnswer(f"reflection.{question}", lang)
    return attach(view, "reflection", lang, lambda: view.exercise_id)


# --- where answers are kept ----------------------------------------------------------------------------


def _statements() -> Answers:
    from widgets import reformulation

    return Answers(
        reformulation.ANSWER_PREFIX,
        order=lambda: [entry.id for entry in reformulation.statements()],
        needed=reformulation.goal,
    )


def _calls(prefix: str) -> Answers:
    from widgets import first_call

    return Answers(prefix, order=lambda: [entry.id for entry in first_call.calls()])


def _vignettes(prefix: str) -> Answers:
    from widgets import scaling

    return Answers(prefix, order=lambda: [entry.id for entry in scaling.vignettes()])


def _checkin_answers() -> Answers:
    from widgets import checkin

    return Answers(checkin.ANSWER_PREFIX, order=checkin.answer_order)


def _relationship_answers(prefix: str, messages: bool = False) -> Answers:
    from widgets import relationships

    source = relationships.message_vignettes if messages else relationships.vignettes
    return Answers(prefix, order=lambda: [entry.id for entry in source()])


# --- portfolio entries ---------------------------------------------------------------------------------


def _lines(text: object) -> list[str]:
    return str(text or "").splitlines() or [""]


def _with_score(t: Catalog, answer: Answer) -> list[str]:
    lines = _lines(answer.value.get("text"))
    score = answer.value.get("score")
    if isinstance(score, int | float) and not isinstance(score, bool):
        lines += ["", t("portfolio.score", percent=round(score * 100))]
    return lines


def _factors_entry(t: Catalog, _lang: str, _item: str | None, answer: Answer, _options: dict) -> Entry:
    from widgets import factors

    shares = answer.value.get("shares", {})
    reference = factors.lambert()
    lines = [
        t(
            "my_work.factor_line",
            factor=t(f"factors.labels.{key}"),
            share=shares.get(key, "?"),
            lambert=reference[key],
        )
        for key in factors.factor_ids()
    ]
    return t("my_work.factors_question"), lines


def _reformulate_entry(t: Catalog, lang: str, item: str | None, answer: Answer, _options: dict) -> Entry:
    from widgets import reformulation

    entry = reformulation.statement(str(item), lang)
    return t("reformulate.portfolio_question", speaker=entry.speaker, text=entry.text), _with_score(t, answer)


def _first_call_entry(t: Catalog, lang: str, item: str | None, answer: Answer, _options: dict) -> Entry:
    from widgets import first_call

    conversation = first_call.call(str(item), lang)
    marked = set(answer.value.get("marked", []))
    lines = [f"« {phrase.text} »" if lang == "fr" else f"“{phrase.text}”"
             for phrase in conversation.phrases if phrase.id in marked] or [""]  # fmt: skip
    if answer.value.get("checked"):
        found, total = answer.value.get("found", 0), answer.value.get("total", 0)
        lines += ["", t("portfolio.first_call_score", found=found, total=total)]
    return t("portfolio.first_call_question", title=conversation.title), lines


def _pre_session_entry(t: Catalog, lang: str, item: str | None, answer: Answer, _options: dict) -> Entry:
    from widgets import first_call

    conversation = first_call.call(str(item), lang)
    return t("portfolio.pre_session_question", title=conversation.title), _with_score(t, answer)


def _scaling_entry(t: Catalog, lang: str, item: str | None, answer: Answer, _options: dict) -> Entry:
    from widgets import scaling
    from widgets.figures import half

    case = scaling.vignette(str(item), lang)
    chart = scaling.ScaleChart.from_json(answer.value)
    lines = []
    for session in chart.sessions:
        notes = chart.notes.get(session, {})
        extra = "".join(f" — {notes[key]}" for key in scaling.NOTE_FIELDS if notes.get(key))
        lines.append(t("portfolio.scaling_point", session=session, value=half(chart.points[session], lang),
                       notes=extra))  # fmt: skip
    if chart.good_enough is not None:
        lines.append(t("portfolio.scaling_good_enough", value=half(chart.good_enough, lang)))
    return t("portfolio.scaling_question", title=case.title), lines or [""]


def _followup_entry(t: Catalog, lang: str, item: str | None, answer: Answer, _options: dict) -> Entry:
    from widgets import scaling

    case = scaling.vignette(str(item), lang)
    question = t("portfolio.followup_question", title=case.title, answer=case.client_answer)
    return question, _with_score(t, answer)


def _checkin_entry(t: Catalog, lang: str, item: str | None, answer: Answer, _options: dict) -> Entry:
    from widgets import checkin

    client_id, session_number = checkin.parse_item(str(item))
    case = checkin.client(client_id, lang)
    if session_number is None:  # the answers as the participant left them
        series = checkin.Series.from_json(answer.value, case)
        labels = [entry.short for entry in checkin.items(lang)]
        lines = [
            t("portfolio.checkin_line", session=number, values=" · ".join(
                f"{label} {scores[key]}" for label, key in zip(labels, checkin.item_ids(), strict=True)),
              total=checkin.total(scores), maximum=checkin.maximum_total())
            for number, scores in enumerate(series.scores, start=1)
        ]  # fmt: skip
        return t("portfolio.checkin_scores", title=case.title), lines
    alerts = [str(text) for text in answer.value.get("alerts", [])]
    question = t("portfolio.checkin_response", title=case.title, session=session_number)
    lines = _with_score(t, answer)
    return question, (
        [t("portfolio.checkin_alerts", alerts=("\u202f; " if lang == "fr" else "; ").join(alerts))]
        if alerts
        else []
    ) + [""] + lines


def _relationship_entry(t: Catalog, lang: str, item: str | None, answer: Answer, _options: dict) -> Entry:
    from widgets import relationships

    vignette = relationships.vignette(str(item), lang)
    lines = _with_score(t, answer)
    choice = answer.value.get("choice")
    if isinstance(choice, str):
        try:
            label = relationships.relationship(choice, lang).label
        except KeyError:
            label = choice
        lines = [t("portfolio.relationship_choice", label=label), "", *lines]
    return t("portfolio.relationship_question", title=vignette.title), lines


def _message_entry(t: Catalog, lang: str, item: str | None, answer: Answer, _options: dict) -> Entry:
    from widgets import relationships

    vignette = relationships.message_vignette(str(item), lang)
    return t("portfolio.message_question", title=vignette.title), _with_score(t, answer)


def _synthesis_entry(t: Catalog, _lang: str, _item: str | None, answer: Answer, _options: dict) -> Entry:
    start, now = answer.value.get("start"), answer.value.get("now")
    confidence = t("portfolio.synthesis_confidence", start="—" if start is None else start,
                   now="—" if now is None else now)  # fmt: skip
    lines = [confidence, "", *_lines(answer.value.get("text"))]
    return t("portfolio.synthesis_question"), lines


def _reflection_entry(t: Catalog, _lang: str, _item: str | None, answer: Answer, options: dict) -> Entry:
    return t(f"reflection.{options['question']}.question"), _lines(answer.value.get("text"))


# --- what is sent to the room --------------------------------------------------------------------------


def _send_shares(answer: Answer, _item: str | None, _lang: str) -> dict[str, Any]:
    from widgets import factors

    shares = answer.value.get("shares", {})
    return {"shares": {key: int(shares.get(key, 0)) for key in factors.factor_ids()}}


def _send_text(rubric_name: str | None) -> Callable[[Answer, str | None, str], dict[str, Any]]:
    """A written answer, with its rubric's reading when it has one (read again now: the rubric may have
    changed since it was saved)."""

    def send(answer: Answer, _item: str | None, lang: str) -> dict[str, Any]:
        text = str(answer.value.get("text") or "")
        payload: dict[str, Any] = {"text": text}
        if rubric_name is not None:
            from widgets import rubric

            feedback = rubric.assess(text, rubric_name, lang)
            payload |= {
                "solution_focused": feedback.solution_focused,
                "mixed": feedback.mixed,
                "criteria": [result.id for result in feedback.criteria if result.met],
            }
        return payload

    return send


def _send_marks(answer: Answer, _item: str | None, _lang: str) -> dict[str, Any]:
    return {"marked": sorted(str(phrase) for phrase in answer.value.get("marked", []))}


def _send_scale(answer: Answer, _item: str | None, _lang: str) -> dict[str, Any]:
    from widgets import scaling

    chart = scaling.ScaleChart.from_json(answer.value)
    return {
        "points": {str(session): chart.points[session] for session in chart.sessions},
        "good_enough": chart.good_enough,
    }


def _send_choice_and_text(rubric_name: str) -> Callable[[Answer, str | None, str], dict[str, Any]]:
    """A written answer with the relationship the participant read in the vignette."""
    text = _send_text(rubric_name)

    def send(answer: Answer, item: str | None, lang: str) -> dict[str, Any]:
        payload = text(answer, item, lang)
        choice = answer.value.get("choice")
        if isinstance(choice, str):
            payload["choice"] = choice
        return payload

    return send


def _send_synthesis(answer: Answer, _item: str | None, _lang: str) -> dict[str, Any]:
    from widgets import relationships

    payload: dict[str, Any] = {"text": str(answer.value.get("text") or "")}
    for key in ("start", "now"):
        try:
            payload[key] = relationships.confidence(answer.value.get(key))
        except ValueError:
            payload[key] = None
    return payload


def _kinds() -> dict[str, ExerciseKind]:
    from widgets import first_call, scaling

    kinds = [
        ExerciseKind("chapter_path", _chapter_path),
        ExerciseKind("my_work", _my_work),
        ExerciseKind("join_room", _join_room),
        ExerciseKind(
            "guess_the_factors",
            _sending("guess_the_factors", "widgets.views.factors", "FactorsExercise"),
            Answers("guess_the_factors"),
            _factors_entry,
            "shares",
            send=_send_shares,
        ),
        ExerciseKind(
            "reformulate", _sending("reformulate", "widgets.views.reformulate", "ReformulationExercise",
                                    "answer.exercise_id"),
            _statements(), _reformulate_entry, "wall",
            "reformulation", _send_text("reformulation"),
        ),
        ExerciseKind(
            "first_call", _sending("first_call", "widgets.views.first_call", "FirstCallExercise"),
            _calls(first_call.MARKS_PREFIX), _first_call_entry, "transcript",
            send=_send_marks,
        ),
        ExerciseKind(
            "pre_session_question",
            _sending("pre_session_question", "widgets.views.first_call", "PreSessionQuestion",
                     "answer.exercise_id"),
            _calls(first_call.QUESTION_PREFIX),
            _pre_session_entry, "wall", "pre_session", _send_text("pre_session"),
        ),
        ExerciseKind(
            "scaling_chart", _sending("scaling_chart", "widgets.views.scaling", "ScalingChartExercise"),
            _vignettes(scaling.ANSWER_PREFIX), _scaling_entry, "scales",
            send=_send_scale,
        ),
        ExerciseKind(
            "scaling_followup",
            _sending("scaling_followup", "widgets.views.scaling", "ScalingFollowup", "answer.exercise_id"),
            _vignettes(scaling.FOLLOWUP_PREFIX), _followup_entry, "wall",
            "scaling_followup", _send_text("scaling_followup"),
        ),
        ExerciseKind(
            "alliance_checkin",
            _sending("alliance_checkin", "widgets.views.checkin", "CheckinExercise", "answer.exercise_id"),
            _checkin_answers(), _checkin_entry, "wall", "checkin_response", _send_text("checkin_response"),
        ),
        ExerciseKind(
            "relationship_vignettes",
            _sending("relationship_vignettes", "widgets.views.cooperation", "RelationshipVignettes",
                     "answer.exercise_id"),
            _relationship_answers("relationship."), _relationship_entry, "wall", "cooperation",
            _send_choice_and_text("cooperation"),
        ),
        ExerciseKind(
            "session_message",
            _sending("session_message", "widgets.views.cooperation", "SessionMessage", "answer.exercise_id"),
            _relationship_answers("session_message.", messages=True), _message_entry, "wall",
            "session_message", _send_text("session_message"),
        ),
        ExerciseKind(
            "synthesis",
            _sending("synthesis", "widgets.views.cooperation", "Synthesis"),
            Answers("synthesis"), _synthesis_entry, "confidence", send=_send_synthesis,
        ),
        ExerciseKind(
            "reflection",
            _reflection_view,
            Answers("reflection.", option="question"),
            _reflection_entry,
            "wall",
            send=_send_text(None),
        ),
    ]  # fmt: skip
    return {kind.name: kind for kind in kinds}


_KINDS: dict[str, ExerciseKind] | None = None


def kinds() -> dict[str, ExerciseKind]:
    """Every exercise kind, by the name the notebooks call it by."""
    global _KINDS
    if _KINDS is None:
        _KINDS = _kinds()
    return _KINDS


def kind(name: str) -> ExerciseKind:
    found = kinds().get(name)
    if found is None:
        raise KeyError(f"unknown exercise {name!r}; known: {sorted(kinds())}")
    return found


def answered_by(answer_id: str) -> tuple[ExerciseKind, str | None] | None:
    """The exercise kind an answer id belongs to, and its item (``reformulate.s01`` → reformulate, s01)."""
    for candidate in kinds().values():
        if candidate.answers is not None and candidate.answers.owns(answer_id):
            return candidate, candidate.answers.item(answer_id)
    return None

"""What the room sent, made into a debrief: one view made for each exercise (``registry.ExerciseKind.room``).

- **shares** (chapter 01): the room's four shares as dots on a 0–100 line, the median, Lambert's estimate;
- **wall** (every written answer): a card per answer with its rubric verdict, filterable by criterion;
- **transcript** (chapter 03): the call with each phrase shaded by how many marked it;
- **scales** (chapter 04): every scale drawn faint over one chart, the median bold, and the good-enough lines
  as a distribution;
- **confidence** (chapter 06's synthesis): the room's confidence at the start and now, and what each will do
  at their next first contact. Chapter 05's responses and chapter 06's answers are walls; the vignettes' wall
  also shows how the room read the relationship.

Pure Python and Jinja2 templates (``assets/facilitator/``) with autoescaping: every word a participant
typed reaches a page, a projector or an export escaped. The same views serve the dashboard (everything,
moderation shown), the projector (nothing hidden; only the count until revealed) and the report.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Literal

from widgets import registry
from widgets._assets import ASSETS
from widgets.i18n import catalog
from widgets.room import Room

Audience = Literal["dashboard", "projector", "report"]
TEMPLATES = ASSETS / "facilitator"


@cache
def environment():
    """The Jinja2 environment of the facilitator's pages (autoescaping everything)."""
    from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

    return Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render(template: str, **context: Any) -> str:
    return environment().get_template(template).render(**context)


@dataclass(frozen=True)
class Choice:
    """An exercise (and item) the facilitator can debrief: ``value`` is ``kind`` or ``kind:item``."""

    value: str
    chapter: str
    label: str
    count: int = 0


def shown_parts(shown: str) -> tuple[str, str]:
    kind, _, item = shown.partition(":")
    return kind, item


def _short(text: str, limit: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _item_label(kind: str, item: str, lang: str) -> str:
    from widgets import first_call, reformulation, scaling

    try:
        if kind == "alliance_checkin":
            from widgets import checkin

            client_id, number = checkin.parse_item(item)
            title = checkin.client(client_id, lang).title
            return title if number is None else f"{title} — {catalog(lang)('checkin.session', number=number)}"
        if kind in ("relationship_vignettes", "session_message"):
            from widgets import relationships

            if kind == "session_message":
                return relationships.message_vignette(item, lang).title
            return relationships.vignette(item, lang).title
        if kind == "reformulate":
            return _short(reformulation.statement(item, lang).text)
        if kind in ("first_call", "pre_session_question"):
            return first_call.call(item, lang).title
        if kind in ("scaling_chart", "scaling_followup"):
            return scaling.vignette(item, lang).title
        if kind == "reflection":
            return _short(catalog(lang)(f"reflection.{item}.question"))
    except KeyError:
        pass
    return item


def _prompt(kind: str, item: str, lang: str) -> str:
    """The whole of what a written answer answers: the person's words, the call, the case."""
    from widgets import first_call, reformulation, scaling

    try:
        t = catalog(lang)
        if kind == "reformulate":
            statement = reformulation.statement(item, lang)
            return t("reformulate.portfolio_question", speaker=statement.speaker, text=statement.text)
        if kind == "pre_session_question":
            return first_call.call(item, lang).title
        if kind == "scaling_followup":
            case = scaling.vignette(item, lang)
            return t("portfolio.followup_question", title=case.title, answer=case.client_answer)
        if kind == "reflection":
            return catalog(lang)(f"reflection.{item}.question")
        if kind == "relationship_vignettes":
            from widgets import relationships

            return relationships.vignette(item, lang).situation
        if kind == "session_message":
            from widgets import relationships

            return relationships.message_vignette(item, lang).summary
    except KeyError:
        pass
    return ""


def choices(room: Room, posts: list[dict[str, Any]]) -> list[Choice]:
    """Every exercise of the room's language the room can debrief, in chapter order; item-by-item exercises
    once per item that something was sent for (the facilitator debriefs one call or case at a time)."""
    from widgets import portfolio

    t = catalog(room.lang)
    counts: dict[str, int] = {}
    for post in posts:
        key = f"{post['exercise']}:{post['item']}" if post["item"] else post["exercise"]
        counts[key] = counts.get(key, 0) + 1
    found: list[Choice] = []
    for chapter in t.chapters():
        for block in portfolio.chapter_exercises(chapter):
            kind = registry.kind(block.name)
            if kind.room is None or kind.answers is None:
                continue
            name = t(f"facilitator.exercises.{kind.name}")
            where = f"{chapter.number} — {chapter.title}"
            if kind.answers.option:
                item = str(block.options[kind.answers.option])
                value = f"{kind.name}:{item}"
                found.append(Choice(value, where, f"{name} — {_item_label(kind.name, item, room.lang)}",
                                    counts.get(value, 0)))  # fmt: skip
            elif kind.answers.per_item:
                sent = sorted(value for value in counts if value.startswith(f"{kind.name}:"))
                if kind.room == "wall" or not sent:  # a wall can show every item at once; a chart cannot
                    total = sum(counts[value] for value in sent)
                    found.append(Choice(kind.name, where, f"{name} — {t('facilitator.all_items')}", total))
                for value in sent:
                    label = f"{name} — {_item_label(kind.name, shown_parts(value)[1], room.lang)}"
                    found.append(Choice(value, where, label, counts[value]))
            else:
                found.append(Choice(kind.name, where, name, counts.get(kind.name, 0)))
    return found


def valid_shown(shown: str) -> bool:
    """Whether ``shown`` names an exercise the room can debrief (the item may be one nobody sent yet)."""
    kind_name, item = shown_parts(shown)
    kind = registry.kinds().get(kind_name)
    if kind is None or kind.room is None:
        return False
    return not item or (len(item) <= 60 and item.replace("_", "").replace("-", "").isalnum())


def _matching(posts: list[dict[str, Any]], shown: str) -> list[dict[str, Any]]:
    kind, item = shown_parts(shown)
    return [post for post in posts if post["exercise"] == kind and (not item or post["item"] == item)]


def visible(room: Room, posts: list[dict[str, Any]], audience: Audience) -> list[dict[str, Any]]:
    """What an audience may see: the projector and the report never show a hidden answer, and with "approved
    only" the projector shows only what was approved."""
    if audience == "dashboard":
        return posts
    kept = [post for post in posts if not post["hidden"]]
    if audience == "projector" and room.approved_only:
        kept = [post for post in kept if post["approved"]]
    return kept


@dataclass
class Debrief:
    """What a view needs: the exercise shown, its posts, and the view's own figures."""

    view: str
    title: str
    count: int
    posts: list[dict[str, Any]] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)
    prompt: str = ""  # what was answered, in full (the situation a wall answers)


def debrief(room: Room, posts: list[dict[str, Any]], shown: str, audience: Audience) -> Debrief:
    """The debrief of ``shown`` (``kind`` or ``kind:item``) for ``audience``."""
    t = catalog(room.lang)
    kind_name, item = shown_parts(shown)
    kind = registry.kinds().get(kind_name)
    if kind is None or kind.room is None:
        return Debrief("none", t("facilitator.pick_exercise"), 0)
    chosen = visible(room, _matching(posts, shown), audience)
    title = t(f"facilitator.exercises.{kind.name}")
    if item:
        title = f"{title} — {_item_label(kind.name, item, room.lang)}"
    prompt = _prompt(kind.name, item, room.lang) if kind.room == "wall" and item else ""
    result = Debrief(kind.room, title, len(chosen), chosen, prompt=prompt)
    builders = {"shares": _shares, "wall": _wall, "transcript": _transcript, "scales": _scales,
                "confidence": _confidence}  # fmt: skip
    result.data = builders[kind.room](room, kind, item, chosen)
    return result


# --- the views' figures ------------------------------------------------------------------------------

WIDTH = 640


def _shares(room: Room, _kind: registry.ExerciseKind, _item: str, posts: list[dict[str, Any]]) -> dict:
    from widgets import factors

    t = catalog(room.lang)
    lambert = factors.lambert()
    left, right = 20, WIDTH - 20
    rows = []
    for index, key in enumerate(factors.factor_ids()):
        values = [int(post["payload"].get("shares", {}).get(key, 0)) for post in posts]
        top = 34 + index * 78
        dots = [
            {"x": round(left + (right - left) * value / 100, 1), "y": top + 26 + (number % 5 - 2) * 5}
            for number, value in enumerate(values)
        ]
        median = statistics.median(values) if values else None
        rows.append({
            "label": t(f"factors.labels.{key}"),
            "top": top,
            "dots": dots,
            "median": median,
            "median_x": None if median is None else round(left + (right - left) * median / 100, 1),
            "lambert": lambert[key],
            "lambert_x": round(left + (right - left) * lambert[key] / 100, 1),
        })  # fmt: skip
    ticks = [
        {"value": value, "x": round(left + (right - left) * value / 100, 1)} for value in range(0, 101, 20)
    ]
    return {"rows": rows, "ticks": ticks, "height": 34 + len(rows) * 78 + 24, "width": WIDTH}


def _wall(room: Room, kind: registry.ExerciseKind, item: str, posts: list[dict[str, Any]]) -> dict:
    from widgets import rubric

    labels: dict[str, str] = {}
    if kind.rubric is not None:
        loaded = rubric.load(kind.rubric, room.lang)
        labels = {criterion.id: criterion.label for criterion in loaded.criteria}
    order = list(labels)
    present = sorted(
        {criterion for post in posts for criterion in post["payload"].get("criteria", [])},
        key=lambda criterion: order.index(criterion) if criterion in order else len(order),
    )
    cards = sorted(posts, key=lambda post: (not post["pinned"], post["id"]))
    criteria = [(criterion, labels.get(criterion, criterion)) for criterion in present]
    # Every situation on one wall: each card says which one it answers.
    items = {post["item"] for post in posts} if not item and kind.answers and kind.answers.per_item else set()
    item_labels = {each: _item_label(kind.name, each, room.lang) for each in items}
    return {
        "labels": labels,
        "criteria": criteria,
        "cards": cards,
        "item_labels": item_labels,
        "choices": _choices(room.lang, posts),
        "choice_labels": _choice_labels(room.lang, posts),
    }


def _choices(lang: str, posts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """How the room read the relationship in a vignette (chapter 06): one row per relationship, the reading
    the vignette gives marked; empty for the walls of other exercises."""
    chosen = [post["payload"]["choice"] for post in posts if isinstance(post["payload"].get("choice"), str)]
    if not chosen:
        return []
    from widgets import relationships

    expected = {post["item"] for post in posts}
    right = {relationships.vignette(item, lang).relationship for item in expected if _known_vignette(item)}
    total = len(chosen)
    return [
        {
            "label": entry.label,
            "count": chosen.count(entry.id),
            "share": round(chosen.count(entry.id) / total, 2),
            "expected": len(expected) == 1 and entry.id in right,
        }
        for entry in relationships.relationships(lang)
    ]


def _choice_labels(lang: str, posts: list[dict[str, Any]]) -> dict[str, str]:
    if not any(isinstance(post["payload"].get("choice"), str) for post in posts):
        return {}
    from widgets import relationships

    return {entry.id: entry.label for entry in relationships.relationships(lang)}


def _known_vignette(item: str) -> bool:
    from widgets import relationships

    return any(entry.id == item for entry in relationships.vignettes("fr"))


def _transcript(room: Room, _kind: registry.ExerciseKind, item: str, posts: list[dict[str, Any]]) -> dict:
    from widgets import first_call

    t = catalog(room.lang)
    try:
        call = first_call.call(item, room.lang)
    except KeyError:
        return {"turns": [], "total": len(posts)}
    counts: dict[str, int] = {}
    for post in posts:
        for phrase in post["payload"].get("marked", []):
            counts[phrase] = counts.get(phrase, 0) + 1
    total = len(posts)
    turns = []
    for turn in call.turns:
        speaker = turn[0].speaker if turn else "client"
        phrases = []
        for phrase in turn:
            count = counts.get(phrase.id, 0)
            share = count / total if total else 0
            phrases.append({"text": phrase.text, "count": count, "share": round(share, 2),
                            "markable": phrase.markable, "marker": phrase.key is not None})  # fmt: skip
        turns.append({"speaker": t(f"first_call.{speaker}"), "client": speaker == "client",
                      "phrases": phrases})  # fmt: skip
    return {"turns": turns, "total": total}


def _scales(room: Room, _kind: registry.ExerciseKind, item: str, posts: list[dict[str, Any]]) -> dict:
    from widgets import scaling

    left, top, width, height = 44, 16, WIDTH - 64, 260

    def x(session: float) -> float:
        return round(left + width * (session - 1) / (scaling.MAX_SESSIONS - 1), 1)

    def y(value: float) -> float:
        return round(top + height * (1 - value / scaling.SCALE_MAX), 1)

    lines = []
    by_session: dict[int, list[float]] = {}
    good_enough: dict[int, int] = {}
    for post in posts:
        points = post["payload"].get("points", {})
        ordered = sorted((int(session), float(value)) for session, value in points.items())
        for session, value in ordered:
            by_session.setdefault(session, []).append(value)
        if ordered:
            lines.append(" ".join(f"{x(session)},{y(value)}" for session, value in ordered))
        level = post["payload"].get("good_enough")
        if isinstance(level, int | float):
            good_enough[int(level)] = good_enough.get(int(level), 0) + 1
    median = [(session, statistics.median(values)) for session, values in sorted(by_session.items())]
    most = max(good_enough.values(), default=0)
    bars = [{"value": value, "count": good_enough.get(value, 0),
             "height": round(80 * good_enough.get(value, 0) / most, 1) if most else 0,
             "x": 30 + value * 54} for value in range(11)]  # fmt: skip
    return {
        "lines": lines,
        "median": " ".join(f"{x(session)},{y(value)}" for session, value in median),
        "median_points": [{"x": x(session), "y": y(value), "value": value} for session, value in median],
        "sessions": [{"n": session, "x": x(session)} for session in range(1, scaling.MAX_SESSIONS + 1)],
        "values": [{"v": value, "y": y(value)} for value in range(0, 11, 2)],
        "left": left, "top": top, "width": width, "height": height, "bottom": top + height,
        "right": left + width, "bars": bars, "good_enough_count": sum(good_enough.values()),
    }  # fmt: skip


def _confidence(_room: Room, _kind: registry.ExerciseKind, _item: str, posts: list[dict[str, Any]]) -> dict:
    """Chapter 06's synthesis: the room's confidence at the start and now, as dots on 0–10 with the median
    of each, and a wall of what each will do at their next first contact."""
    left, right = 40, WIDTH - 30

    def x(value: float) -> float:
        return round(left + (right - left) * value / 10, 1)

    rows = []
    for index, key in enumerate(("start", "now")):
        values = [post["payload"][key] for post in posts if isinstance(post["payload"].get(key), int)]
        top = 34 + index * 78
        median = statistics.median(values) if values else None
        rows.append({
            "key": key,
            "top": top,
            "dots": [{"x": x(value), "y": top + 26 + (number % 5 - 2) * 5}
                     for number, value in enumerate(values)],
            "median": median,
            "median_x": None if median is None else x(median),
        })  # fmt: skip
    ticks = [{"value": value, "x": x(value)} for value in range(0, 11, 2)]
    cards = sorted((post for post in posts if post["payload"].get("text")),
                   key=lambda post: (not post["pinned"], post["id"]))  # fmt: skip
    return {"rows": rows, "ticks": ticks, "height": 34 + 2 * 78 + 24, "width": WIDTH, "cards": cards}

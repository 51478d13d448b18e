"""A participant's answers as documents they can take away: self-contained HTML and Markdown.

Everything a person wrote is escaped in the HTML (it is opened in a browser) and quoted in the Markdown.
The questions are those of the language asked for, so a portfolio reads in one language whatever language
each answer was written in.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from html import escape

from widgets import _chapters, factors, first_call, reformulation, scaling
from widgets.figures import half
from widgets.i18n import Catalog, Chapter, catalog
from widgets.store import Answer


def exercise_id(block: _chapters.Exercise) -> str | None:
    """The id a single-answer exercise saves under (``None`` for blocks that take no answer or many)."""
    if block.name == "guess_the_factors":
        return "guess_the_factors"
    if block.name == "reflection":
        return f"reflection.{block.options['question']}"
    return None


@dataclass(frozen=True)
class _Items:
    """An exercise answered item by item: answers under ``prefix`` + item id, in the order of ``order``."""

    prefix: str
    order: Callable[[], list[str]]
    needed: Callable[[], int] = lambda: 1


def _items(name: str) -> _Items | None:
    if name == "reformulate":
        return _Items(
            reformulation.ANSWER_PREFIX,
            lambda: [entry.id for entry in reformulation.statements()],
            reformulation.goal,
        )
    if name in ("first_call", "pre_session_question"):
        prefix = first_call.MARKS_PREFIX if name == "first_call" else first_call.QUESTION_PREFIX
        return _Items(prefix, lambda: [entry.id for entry in first_call.calls()])
    if name in ("scaling_chart", "scaling_followup"):
        prefix = scaling.ANSWER_PREFIX if name == "scaling_chart" else scaling.FOLLOWUP_PREFIX
        return _Items(prefix, lambda: [entry.id for entry in scaling.vignettes()])
    return None


def _answer_ids(block: _chapters.Exercise, answers: dict[str, Answer]) -> list[str]:
    """The saved answers that belong to ``block``, in the order a portfolio lists them."""
    items = _items(block.name)
    if items is not None:
        order = {item: index for index, item in enumerate(items.order())}
        ids = [key for key in answers if key.startswith(items.prefix)]
        return sorted(ids, key=lambda key: order.get(key.removeprefix(items.prefix), len(order)))
    eid = exercise_id(block)
    return [eid] if eid is not None and eid in answers else []


def _takes_answers(block: _chapters.Block) -> bool:
    if not isinstance(block, _chapters.Exercise):
        return False
    return _items(block.name) is not None or exercise_id(block) is not None


def _finished(block: _chapters.Exercise, answers: dict[str, Answer]) -> bool:
    done = [key for key in _answer_ids(block, answers) if answers[key].complete]
    items = _items(block.name)
    return len(done) >= (items.needed() if items else 1)


def chapter_exercises(chapter: Chapter) -> list[_chapters.Exercise]:
    """The chapter's exercises that take answers."""
    return [block for block in _chapters.blocks(chapter) if _takes_answers(block)]  # type: ignore[misc]


def progress(answers: dict[str, Answer], lang: str) -> dict[str, str]:
    """Chapter number → ``"started"`` or ``"finished"`` (chapters not started are absent)."""
    status = {}
    for chapter in catalog(lang).chapters():
        blocks = chapter_exercises(chapter)
        if not any(_answer_ids(block, answers) for block in blocks):
            continue
        finished = all(_finished(block, answers) for block in blocks)
        status[chapter.number] = "finished" if finished else "started"
    return status


def _lines(text: object) -> list[str]:
    return str(text or "").splitlines() or [""]


def _with_score(t: Catalog, answer: Answer) -> list[str]:
    lines = _lines(answer.value.get("text"))
    score = answer.value.get("score")
    if isinstance(score, int | float) and not isinstance(score, bool):
        lines += ["", t("portfolio.score", percent=round(score * 100))]
    return lines


def _factors_entry(t: Catalog, answer: Answer) -> tuple[str, list[str]]:
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


def _item_entry(name: str, item: str, t: Catalog, lang: str, answer: Answer) -> tuple[str, list[str]] | None:
    """The question and answer lines of one item of an item-by-item exercise (``None``: item gone)."""
    try:
        if name == "reformulate":
            entry = reformulation.statement(item, lang)
            question = t("reformulate.portfolio_question", speaker=entry.speaker, text=entry.text)
            return question, _with_score(t, answer)
        if name == "first_call":
            conversation = first_call.call(item, lang)
            marked = set(answer.value.get("marked", []))
            lines = [f"« {phrase.text} »" if lang == "fr" else f"“{phrase.text}”"
                     for phrase in conversation.phrases if phrase.id in marked] or [""]  # fmt: skip
            if answer.value.get("checked"):
                found, total = answer.value.get("found", 0), answer.value.get("total", 0)
                lines += ["", t("portfolio.first_call_score", found=found, total=total)]
            return t("portfolio.first_call_question", title=conversation.title), lines
        if name == "pre_session_question":
            conversation = first_call.call(item, lang)
            return t("portfolio.pre_session_question", title=conversation.title), _with_score(t, answer)
        if name == "scaling_chart":
            case = scaling.vignette(item, lang)
            chart = scaling.ScaleChart.from_json(answer.value)
            lines = []
            for session in chart.sessions:
                notes = chart.notes.get(session, {})
                extra = "".join(f" — {notes[key]}" for key in scaling.NOTE_FIELDS if notes.get(key))
                value = half(chart.points[session], lang)
                lines.append(t("portfolio.scaling_point", session=session, value=value, notes=extra))
            if chart.good_enough is not None:
                lines.append(t("portfolio.scaling_good_enough", value=half(chart.good_enough, lang)))
            return t("portfolio.scaling_question", title=case.title), lines or [""]
        if name == "scaling_followup":
            case = scaling.vignette(item, lang)
            question = t("portfolio.followup_question", title=case.title, answer=case.client_answer)
            return question, _with_score(t, answer)
    except KeyError:
        return None  # an item no longer in the workbook's content
    return None


def _entries(answers: dict[str, Answer], lang: str) -> list[tuple[Chapter, list[tuple[str, list[str]]]]]:
    """Per chapter, per answered exercise: the question and the answer as lines of plain text."""
    t = catalog(lang)
    result = []
    for chapter in t.chapters():
        items: list[tuple[str, list[str]]] = []
        for block in chapter_exercises(chapter):
            kind = _items(block.name)
            for eid in _answer_ids(block, answers):
                answer = answers[eid]
                if kind is not None:
                    entry = _item_entry(block.name, eid.removeprefix(kind.prefix), t, lang, answer)
                    if entry is not None:
                        items.append(entry)
                elif eid == "guess_the_factors":
                    items.append(_factors_entry(t, answer))
                else:
                    items.append((t(f"{eid}.question"), _lines(answer.value.get("text"))))
        if items:
            result.append((chapter, items))
    return result


def markdown(answers: dict[str, Answer], lang: str, code: str) -> str:
    t = catalog(lang)
    out = [
        f"# {t('my_work.portfolio_title')}",
        "",
        t("my_work.portfolio_intro", code=code, date=_today()),
        "",
    ]
    for chapter, items in _entries(answers, lang):
        out += [f"## {chapter.number} — {chapter.title}", ""]
        for question, lines in items:
            out += [f"**{question}**", ""] + [f"> {line}" if line else ">" for line in lines] + [""]
    if len(out) == 4:
        out.append(t("my_work.no_answers"))
    return "\n".join(out).rstrip() + "\n"


def html(answers: dict[str, Answer], lang: str, code: str) -> str:
    t = catalog(lang)
    sections = []
    for chapter, items in _entries(answers, lang):
        body = "".join(
            f"<h3>{escape(question)}</h3><blockquote>{_lines_html(lines)}</blockquote>"
            for question, lines in items
        )
        sections.append(
            f"<section><h2>{escape(chapter.number)} — {escape(chapter.title)}</h2>{body}</section>"
        )
    content = "".join(sections) or f"<p>{escape(t('my_work.no_answers'))}</p>"
    title = escape(t("my_work.portfolio_title"))
    intro = escape(t("my_work.portfolio_intro", code=code, date=_today()))
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>{title}</title>'
        "<style>body{font-family:system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;"
        "color:#1f2a33;line-height:1.55}h1{color:#1d6f6a}h2{border-bottom:1px solid #d9dee3;margin-top:2rem}"
        "h3{font-size:1rem}blockquote{border-left:4px solid #1d6f6a;background:#e3f1ef;margin:0;"
        "padding:.5rem 1rem;white-space:pre-wrap}</style></head>"
        f'<body><h1>{title}</h1><p class="intro">{intro}</p>{content}</body></html>'
    )


def _lines_html(lines: list[str]) -> str:
    return "<br>".join(escape(line) for line in lines)


def _today() -> str:
    return time.strftime("%Y-%m-%d")

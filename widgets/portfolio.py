"""A participant's answers as documents they can take away: self-contained HTML and Markdown.

Everything a person wrote is escaped in the HTML (it is opened in a browser) and quoted in the Markdown.
The questions are those of the language asked for, so a portfolio reads in one language whatever language
each answer was written in.
"""

from __future__ import annotations

import time
from html import escape

from widgets import _chapters, registry
from widgets.i18n import Chapter, catalog
from widgets.store import Answer


def _answer_ids(block: _chapters.Exercise, answers: dict[str, Answer]) -> list[str]:
    """The saved answers that belong to ``block``, in the order a portfolio lists them."""
    kind = registry.kinds().get(block.name)
    if kind is None or kind.answers is None:
        return []
    return kind.answers.ids(block.options, answers)


def _takes_answers(block: _chapters.Block) -> bool:
    if not isinstance(block, _chapters.Exercise):
        return False
    kind = registry.kinds().get(block.name)
    return kind is not None and kind.answers is not None


def _finished(block: _chapters.Exercise, answers: dict[str, Answer]) -> bool:
    done = [key for key in _answer_ids(block, answers) if answers[key].complete]
    answers_kept = registry.kind(block.name).answers
    return answers_kept is not None and len(done) >= (answers_kept.needed() if answers_kept.per_item else 1)


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


def _entries(answers: dict[str, Answer], lang: str) -> list[tuple[Chapter, list[tuple[str, list[str]]]]]:
    """Per chapter, per answered exercise: the question and the answer as lines of plain text."""
    t = catalog(lang)
    result = []
    for chapter in t.chapters():
        items: list[tuple[str, list[str]]] = []
        for block in chapter_exercises(chapter):
            kind = registry.kind(block.name)
            if kind.answers is None or kind.entry is None:
                continue
            for answer_id in _answer_ids(block, answers):
                try:
                    entry = kind.entry(
                        t, lang, kind.answers.item(answer_id), answers[answer_id], block.options
                    )
                except KeyError:
                    continue  # an item no longer in the workbook's content
                if entry is not None:
                    items.append(entry)
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

"""How a rubric's feedback (``widgets.rubric.Feedback``) is shown: one line per criterion, the score, the
person's own words with those that triggered a criterion marked. Everything the person typed is escaped."""

from __future__ import annotations

from html import escape

from widgets.i18n import Catalog
from widgets.rubric import CriterionResult, Feedback
from widgets.views._html import para


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


def _criterion_html(t: Catalog, result: CriterionResult) -> str:
    if result.kind == "strength":
        state = t("feedback.met") if result.met else t("feedback.unmet")
        icon, css = ("✓", "wb-criterion-good") if result.met else ("○", "wb-criterion-todo")
    else:
        state = t("feedback.fault_found") if result.met else t("feedback.fault_absent")
        icon, css = ("✗", "wb-criterion-bad") if result.met else ("✓", "wb-criterion-good")
    evidence = ""
    if result.evidence:
        quoted = ", ".join(f"<q>{escape(word)}</q>" for word in result.evidence)
        evidence = f' <span class="wb-evidence">({escape(t("feedback.evidence"))} {quoted})</span>'
    return (
        f'<li class="wb-criterion {css}" data-criterion="{escape(result.id)}" '
        f'data-met="{str(result.met).lower()}">'
        f'<span class="wb-tick" aria-hidden="true">{icon}</span> '
        f"<strong>{escape(result.label)}</strong> "
        f'<span class="wb-state">— {escape(state)}.</span> '
        f'<span class="wb-criterion-message">{escape(result.message)}</span>{evidence}</li>'
    )


def _criteria_html(t: Catalog, heading: str, results: tuple[CriterionResult, ...]) -> str:
    """Strengths all shown (an absent one says what could be added); faults found shown, the others folded
    into one line that opens on demand — ten "nothing to report" lines made the panel a scroll on a phone."""
    shown = [result for result in results if result.kind == "strength" or result.met]
    folded = [result for result in results if result.kind == "fault" and not result.met]
    lines = "".join(_criterion_html(t, result) for result in shown)
    html = f'<h4>{escape(heading)}</h4><ul class="wb-criteria">{lines}</ul>'
    if folded:
        items = "".join(_criterion_html(t, result) for result in folded)
        summary = escape(t("feedback.checked_fine", count=len(folded)))
        html += (
            f'<details class="wb-checked"><summary>✓ {summary}</summary>'
            f'<ul class="wb-criteria">{items}</ul></details>'
        )
    return html


def feedback_html(t: Catalog, feedback: Feedback | None) -> str:
    """The whole feedback panel, in the catalog's language (a hint while there is nothing to read)."""
    if feedback is None:
        return para(t("feedback.waiting"), "wb-hint")
    percent = round(feedback.score * 100)
    if feedback.mixed or (feedback.unsure and feedback.notice is None):
        verdict_class = "wb-verdict-mixed"  # both an opening and a fault, or "better or worse": no verdict
    else:
        verdict_class = "wb-verdict-yes" if feedback.solution_focused else "wb-verdict-no"
    sections = ""
    if feedback.notice is None:
        sections = (
            _criteria_html(t, t("feedback.strengths_heading"), feedback.strengths)
            + _criteria_html(t, t("feedback.faults_heading"), feedback.faults)
            + f'<p class="wb-label">{escape(t("feedback.your_words"))}</p>'
            + f'<p class="wb-highlighted">{highlighted_html(feedback)}</p>'
        )
    return (
        '<section class="wb-feedback-panel" aria-live="polite">'
        f"<h3>{escape(t('feedback.feedback_heading'))}</h3>"
        f'<p class="wb-verdict {verdict_class}">{escape(feedback.verdict)}</p>'
        f'<p class="wb-score"><label>{escape(t("feedback.score", percent=percent))} '
        f'<meter min="0" max="100" low="35" high="65" optimum="100" value="{percent}"></meter>'
        "</label></p>"
        f"{sections}"
        f"{para(t('feedback.read_start', limit=feedback.read), 'wb-hint') if feedback.partly_read else ''}"
        f"{para(t('feedback.caveat'), 'wb-caveat')}"
        "</section>"
    )


def exemplars_html(t: Catalog, exemplars: tuple[str, ...]) -> str:
    items = "".join(f"<li>{escape(example)}</li>" for example in exemplars)
    return f'<p class="wb-label">{escape(t("feedback.exemplars_heading"))}</p><ul>{items}</ul>'

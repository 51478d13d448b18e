"""Small helpers for building the HTML that views show. Everything interpolated is escaped here."""

from __future__ import annotations

from html import escape


def para(text: str, css_class: str = "") -> str:
    attribute = f' class="{escape(css_class)}"' if css_class else ""
    return f"<p{attribute}>{escape(text)}</p>"


def excerpt(typed: str, limit: int = 24) -> str:
    """What a person typed, quoted back in a message: one line, no invisible characters, at most ``limit``
    characters (a 1 MB paste is not echoed whole). Escaped later, like every text shown."""
    from widgets.text import clean

    text = " ".join(clean(typed)[0].split())
    return text if len(text) <= limit else f"{text[: limit - 1]}…"


def message(text: str, ok: bool) -> str:
    """A status line: calm when ``ok``, highlighted when something needs the person's attention."""
    kind = "wb-ok" if ok else "wb-problem"
    role = "status" if ok else "alert"
    return f'<span class="{kind}" role="{role}">{escape(text)}</span>'


def table(caption: str, header: list[str], rows: list[list[str]]) -> str:
    head = "".join(f'<th scope="col">{escape(cell)}</th>' for cell in header)
    body = "".join(
        "<tr>"
        + f'<th scope="row">{escape(row[0])}</th>'
        + "".join(f"<td>{escape(cell)}</td>" for cell in row[1:])
        + "</tr>"
        for row in rows
    )
    return (
        f'<table class="wb-table"><caption>{escape(caption)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    )

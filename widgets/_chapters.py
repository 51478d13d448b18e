"""A chapter notebook read as data, for the app: Markdown cells as HTML, code cells as exercise calls.

The chapter notebooks are the source of truth (readable in JupyterLab, run by nbval and by Voila per page).
The app does not execute their code: each code cell must be ``from widgets import exercises`` followed by one
``exercises.<name>(…)`` call with literal arguments (``tests/unit/test_notebooks.py`` enforces it), which is
parsed here and turned into a call of the registered builder.
"""

from __future__ import annotations

import ast
import json
import re
from dataclasses import dataclass, field
from functools import cache
from html import escape
from typing import Any

from widgets._assets import WORKBOOKS
from widgets.i18n import Chapter

_IMPORT = "from widgets import exercises"
_NOTEBOOK_LINK = re.compile(r'href="(?:\./)?(\d{2}-[a-z0-9-]+)\.ipynb"')


@dataclass(frozen=True)
class Markdown:
    html: str


@dataclass(frozen=True)
class Exercise:
    name: str
    options: dict[str, Any] = field(default_factory=dict)


Block = Markdown | Exercise


def _markdown_to_html(source: str, lang: str) -> str:
    import mistune

    renderer = mistune.create_markdown(escape=False, plugins=["strikethrough", "table"])
    html = renderer(source)
    # Links between chapter notebooks become in-app routes.
    return _NOTEBOOK_LINK.sub(lambda match: f'href="#{lang}/{match.group(1)}" target="_self"', html)


def parse_exercise(source: str, where: str) -> Exercise:
    """The exercise call in a code cell, or ``ValueError`` saying what is wrong with the cell."""
    try:
        body = ast.parse(source).body
    except SyntaxError as error:
        raise ValueError(f"{where}: not Python ({error.msg})") from error
    if len(body) != 2 or ast.unparse(body[0]) != _IMPORT:
        raise ValueError(f"{where}: a code cell must be `{_IMPORT}` and one exercise call")
    call = body[1].value if isinstance(body[1], ast.Expr) else None
    if not (
        isinstance(call, ast.Call)
        and isinstance(call.func, ast.Attribute)
        and isinstance(call.func.value, ast.Name)
        and call.func.value.id == "exercises"
    ):
        raise ValueError(f"{where}: the second line must call exercises.<name>(…)")
    if call.args or any(keyword.arg is None for keyword in call.keywords):
        raise ValueError(f"{where}: pass the exercise's arguments by name")
    try:
        options = {keyword.arg: ast.literal_eval(keyword.value) for keyword in call.keywords}
    except ValueError as error:
        raise ValueError(f"{where}: arguments must be literals") from error
    return Exercise(call.func.attr, options)


@cache
def blocks(chapter: Chapter) -> tuple[Block, ...]:
    """The chapter's content, in order (cached: notebooks do not change while serving)."""
    path = WORKBOOKS / chapter.path
    notebook = json.loads(path.read_text(encoding="utf-8"))
    result: list[Block] = []
    for index, cell in enumerate(notebook["cells"]):
        source = "".join(cell["source"])
        if cell["cell_type"] == "markdown":
            result.append(Markdown(_markdown_to_html(source, chapter.lang)))
        elif cell["cell_type"] == "code" and source.strip():
            result.append(parse_exercise(source, f"{chapter.path}, cell {index}"))
    return tuple(result)


def not_found_html(message: str, home_label: str, home_route: str) -> str:
    return (
        '<div class="jp-RenderedHTMLCommon jp-RenderedMarkdown wb-md wb-not-found">'
        f'<h1>{escape(message)}</h1><p><a href="#{escape(home_route)}">{escape(home_label)}</a></p></div>'
    )

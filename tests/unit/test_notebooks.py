"""Notebooks stay thin and clean: Markdown plus one call per exercise, committed without outputs."""

import ast
import json

import pytest

from widgets import exercises, registry
from widgets._assets import WORKBOOKS

ALL_NOTEBOOKS = sorted(path for path in WORKBOOKS.rglob("*.ipynb") if ".ipynb_checkpoints" not in path.parts)
NOTEBOOKS = [path for path in ALL_NOTEBOOKS if path.parent.name in ("fr", "en")]


def ids(path):
    return path.relative_to(WORKBOOKS).as_posix()


@pytest.mark.parametrize("path", ALL_NOTEBOOKS, ids=ids)
def test_committed_without_outputs(path):
    notebook = json.loads(path.read_text(encoding="utf-8"))
    for cell in notebook["cells"]:
        if cell["cell_type"] == "code":
            assert cell["outputs"] == []
            assert cell["execution_count"] is None
    assert "widgets" not in notebook["metadata"], "widget state must not be saved"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids)
def test_code_cells_are_one_exercise_call_in_the_notebooks_language(path):
    notebook = json.loads(path.read_text(encoding="utf-8"))
    lang = path.parent.name
    calls = 0
    for cell in notebook["cells"]:
        if cell["cell_type"] != "code":
            continue
        body = ast.parse("".join(cell["source"])).body
        assert len(body) == 2, "an import and one call"
        assert ast.unparse(body[0]) == "from widgets import exercises"
        call = body[1].value
        assert isinstance(call, ast.Call)
        assert ast.unparse(call.func).startswith("exercises.")
        assert hasattr(exercises, call.func.attr)
        keywords = {keyword.arg: ast.literal_eval(keyword.value) for keyword in call.keywords}
        assert keywords.get("lang") == lang
        calls += 1
    assert calls >= 1


def test_each_language_has_the_same_chapter_numbers_and_exercises():
    def shape(lang):
        result = {}
        for path in sorted((WORKBOOKS / lang).glob("*.ipynb")):
            notebook = json.loads(path.read_text(encoding="utf-8"))
            result[path.name[:2]] = [
                "".join(cell["source"]).replace(f'lang="{lang}"', "")
                for cell in notebook["cells"]
                if cell["cell_type"] == "code"
            ]
        return result

    assert shape("fr") == shape("en")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids)
def test_every_chapter_after_home_has_a_sources_line(path):
    if path.name.startswith("00"):
        return
    notebook = json.loads(path.read_text(encoding="utf-8"))
    markdown = "".join(
        "".join(cell["source"]) for cell in notebook["cells"] if cell["cell_type"] == "markdown"
    )
    assert "**Sources**" in markdown


def test_the_app_notebook_is_one_call():
    notebook = json.loads((WORKBOOKS / "app.ipynb").read_text(encoding="utf-8"))
    sources = ["".join(cell["source"]) for cell in notebook["cells"] if cell["cell_type"] == "code"]
    assert [ast.unparse(ast.parse(source)) for source in sources] == ["from widgets import app\napp.run()"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids)
def test_the_app_reads_every_chapter_notebook(path):
    from widgets import _chapters
    from widgets._nav import chapter_for

    chapter = chapter_for(path.relative_to(WORKBOOKS).as_posix().removesuffix(".ipynb"))
    blocks = _chapters.blocks(chapter)
    assert any(isinstance(block, _chapters.Markdown) for block in blocks)
    for block in blocks:
        if isinstance(block, _chapters.Exercise):
            assert block.name in registry.kinds()

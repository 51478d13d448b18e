"""The workbook served from exactly what `make start` installs: the runtime dependencies, no extras.

Every other test runs in the development environment, where JupyterLab and the test tools bring packages
that the workbook may use without declaring them (ipykernel was one: a facilitator's fresh `make start`
served an error page). Here `make install` builds a new virtual environment in a temporary folder (pip's
cache is reused), the server is started from it, and Chromium renders the home page and two chapters. A
kernel spec named like the workbook's, pointing at a Python that does not exist, is put on the server's
Jupyter path: the server must use its own environment's kernel, whatever else the machine has installed.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import ROOT, start_server
from tests.browser.pages import ROUTES, assert_clean_render, open_route, wait_rendered, wait_route

pytestmark = pytest.mark.browser

#: Packages the development extras bring that a served page must not need.
DEVELOPMENT_ONLY = ("jupyterlab", "pytest", "playwright", "plotly", "nbval")


@pytest.fixture(scope="module")
def runtime_python(tmp_path_factory) -> Path:
    """A virtual environment made by `make install`, exactly as `make start` makes `.venv`."""
    venv = tmp_path_factory.mktemp("runtime") / "venv"
    result = subprocess.run(
        ["make", "--no-print-directory", "install", f"VENV={venv}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert result.returncode == 0, f"make install failed:\n{result.stdout}\n{result.stderr}"
    python = venv / "bin" / "python"
    present = subprocess.run(
        [
            python,
            "-c",
            f"import importlib.util as u; print([n for n in {DEVELOPMENT_ONLY!r} if u.find_spec(n)])",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert present == "[]", f"the runtime environment holds development packages: {present}"
    return python


@pytest.fixture(scope="module")
def runtime_server(tmp_path_factory, runtime_python: Path) -> Iterator[str]:
    decoy = tmp_path_factory.mktemp("jupyter-path")
    kernel = decoy / "kernels" / "python3"
    kernel.mkdir(parents=True)
    spec = {
        "argv": ["/nonexistent/python3", "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Python 3 (elsewhere on the machine)",
        "language": "python",
    }
    (kernel / "kernel.json").write_text(json.dumps(spec))
    yield from start_server(
        tmp_path_factory, "--room", "1", python=str(runtime_python), env={"JUPYTER_PATH": str(decoy)}
    )


def test_the_home_page_and_chapters_render_from_the_runtime_environment(page: Page, runtime_server: str):
    page.goto(runtime_server + "/")
    wait_rendered(page)
    wait_route(page, ROUTES["fr"][0])
    assert_clean_render(page)
    expect(page.locator(".wb-path-link")).to_have_count(len(ROUTES["fr"]) - 1)
    expect(page.locator(".wb-my-work .wb-code")).to_contain_text(
        "-"
    )  # the participant's code, made by the kernel

    open_route(page, runtime_server, "fr/02-croire-aux-ressources")
    box = page.locator(".wb-reformulate textarea")
    box.fill("Qu’est-ce qui va déjà un peu mieux ?")
    expect(page.locator(".wb-reformulate .wb-verdict-yes")).to_be_visible()

    open_route(page, runtime_server, "en/04-scaling-questions")
    assert_clean_render(page)
    expect(page.locator(".wb-scaling .js-plotly-plot .main-svg").first).to_be_visible()

"""environment.yml (conda, Binder) installs the same dependencies as pyproject.toml."""

import re
import tomllib
from pathlib import Path

import yaml

from widgets._assets import ROOT


def requirement_map(requirements):
    result = {}
    for requirement in requirements:
        name, spec = re.match(r"^\s*([A-Za-z0-9_.\-]+)\s*(.*)$", requirement).groups()
        result[name.lower().replace("_", "-")] = spec.replace(" ", "")
    return result


def test_environment_yml_agrees_with_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = requirement_map(
        project["dependencies"]
        + [req for extra in project["optional-dependencies"].values() for req in extra]
    )
    environment = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda = [dep for dep in environment["dependencies"] if isinstance(dep, str)]
    pip = next(dep["pip"] for dep in environment["dependencies"] if isinstance(dep, dict))
    python = next(dep for dep in conda if dep.startswith("python"))
    assert python.replace(" ", "") == "python>=" + project["requires-python"].removeprefix(">=")
    declared = requirement_map([dep for dep in conda if not dep.startswith(("python", "pip"))])
    declared |= requirement_map([dep for dep in pip if not dep.startswith("-e")])
    assert declared == wanted
    assert "-e ." in pip, "the workbook's own package must be installed too"


def test_the_vendored_plotly_js_is_the_version_plotly_validates_against():
    """The browser gets plotly.js's basic bundle (assets/vendor/plotly); the figure specs are validated in
    the tests with the plotly Python package: both must be the same plotly.js version."""
    from importlib.util import find_spec

    from widgets.server import PLOTLY_DIR, PLOTLY_FILE, plotly_version

    spec = find_spec("plotly")
    assert spec is not None
    assert spec.origin is not None
    bundled = (Path(spec.origin).parent / "package_data" / "plotly.min.js").read_text(encoding="utf-8")[:200]
    match = re.search(r"plotly\.js v([0-9.]+)", bundled)
    assert match is not None
    assert plotly_version() == match.group(1)
    assert (PLOTLY_DIR / "LICENSE").read_text().startswith("MIT License")
    assert (PLOTLY_DIR / PLOTLY_FILE).stat().st_size < 1_500_000

"""environment.yml (conda, Binder) installs the same dependencies as pyproject.toml."""

import re
import tomllib

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

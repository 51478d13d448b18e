"""`make audit` (.ci/audit.py) checks exactly the runtime dependencies, and pip-audit is a declared tool."""

import importlib.util
import tomllib

import yaml

from widgets._assets import ROOT


def _audit_module():
    spec = importlib.util.spec_from_file_location("ci_audit", ROOT / ".ci" / "audit.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_audit_covers_the_runtime_and_nothing_of_the_development_tools():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    closure = _audit_module().runtime_closure(project["dependencies"])
    for runtime in ("voila", "tornado", "jupyter-server", "ipykernel", "jinja2", "segno", "pyzmq"):
        assert runtime in closure
    for development in ("pytest", "playwright", "ruff", "jupyterlab", "plotly", "pip-audit"):
        assert development not in closure
    assert all(version for version in closure.values())


def test_pip_audit_is_a_development_tool_in_both_environments():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert any(req.startswith("pip-audit") for req in project["optional-dependencies"]["test"])
    environment = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip = next(dep["pip"] for dep in environment["dependencies"] if isinstance(dep, dict))
    assert any(req.startswith("pip-audit") for req in pip)


def test_ci_audits_after_the_tests():
    run = [line.strip() for line in (ROOT / ".ci" / "run").read_text().splitlines()]
    assert run.index("make test") < run.index("make audit")

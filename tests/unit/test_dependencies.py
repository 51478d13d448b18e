"""The runtime dependencies (pyproject.toml's `dependencies`, what `make start` installs) are exactly what the
workbook's package imports, plus the kernel: nothing missing, nothing left to come through another package,
nothing unused.

A package imported but not declared works only while some other dependency happens to bring it (ipykernel
came with JupyterLab, a development extra: a fresh `make start` served an error page). The browser test
``tests/browser/test_runtime.py`` serves pages from such an environment; this test names the culprit.
"""

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions

from widgets._assets import ROOT

#: Declared but never imported by widgets/: the kernel process itself (`python -m ipykernel_launcher`).
PROCESSES = {"ipykernel"}


def normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def declared() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return {
        normalized(re.match(r"[A-Za-z0-9_.\-]+", requirement).group())
        for requirement in project["dependencies"]
    }


def imported() -> dict[str, set[str]]:
    """Distribution → the files of widgets/ that import it (third-party imports only)."""
    owners = packages_distributions()
    found: dict[str, set[str]] = {}
    for path in sorted((ROOT / "widgets").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules = [node.module]
            else:
                continue
            for module in modules:
                top = module.split(".")[0]
                if top == "widgets" or top in sys.stdlib_module_names:
                    continue
                assert top in owners, f"{path.name} imports {top}, which no installed distribution provides"
                for distribution in owners[top]:
                    found.setdefault(normalized(distribution), set()).add(path.relative_to(ROOT).as_posix())
    return found


def test_every_package_the_workbook_imports_is_a_declared_runtime_dependency():
    missing = {name: files for name, files in imported().items() if name not in declared()}
    assert not missing, f"imported but not in pyproject.toml's dependencies: {missing}"


def test_every_runtime_dependency_is_used():
    unused = declared() - set(imported()) - PROCESSES
    assert not unused, f"declared runtime dependencies that nothing imports: {sorted(unused)}"

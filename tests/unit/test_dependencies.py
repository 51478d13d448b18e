"""The runtime dependencies (pyproject.toml's `dependencies`, what `make start` installs) are exactly what the
workbook's package imports, plus the kernel: nothing missing, nothing left to come through another package,
nothing unused. A package of an optional extra (``postgres``: psycopg) may be imported only inside a function,
when what needs it is asked for: a served page of the default set-up never imports it.

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


def optional() -> set[str]:
    """The distributions of the optional extras."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return {
        normalized(re.match(r"[A-Za-z0-9_.\-]+", requirement).group())
        for extra in project["optional-dependencies"].values()
        for requirement in extra
    }


def imported(lazily: bool | None = None) -> dict[str, set[str]]:
    """Distribution → the files of widgets/ that import it (third-party imports only); ``lazily``: only the
    imports inside a function (True) or only those outside any (False)."""
    owners = packages_distributions()
    found: dict[str, set[str]] = {}
    for path in sorted((ROOT / "widgets").rglob("*.py")):
        tree = ast.parse(path.read_text(), filename=str(path))
        functions = (ast.FunctionDef, ast.AsyncFunctionDef)
        nested = {
            id(inner) for node in ast.walk(tree) if isinstance(node, functions) for inner in ast.walk(node)
        }
        for node in ast.walk(tree):
            if lazily is not None and (id(node) in nested) != lazily:
                continue
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
    eagerly = imported(lazily=False)
    lazily = {name: files for name, files in imported(lazily=True).items() if name not in eagerly}
    missing = {name: files for name, files in eagerly.items() if name not in declared()}
    missing |= {name: files for name, files in lazily.items() if name not in declared() | optional()}
    assert not missing, f"imported but not in pyproject.toml's dependencies: {missing}"


def test_an_optional_package_is_imported_only_inside_a_function():
    eager = {name: files for name, files in imported(lazily=False).items() if name in optional() - declared()}
    assert not eager, f"an optional extra's package imported when a module loads: {eager}"
    assert "psycopg" in imported(lazily=True)  # the store's PostgreSQL back end (widgets/store.py)


def test_every_runtime_dependency_is_used():
    unused = declared() - set(imported()) - PROCESSES
    assert not unused, f"declared runtime dependencies that nothing imports: {sorted(unused)}"

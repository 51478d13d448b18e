"""`make audit`: pip-audit on the workbook's runtime dependencies, at the versions installed here.

The runtime is what `make start` installs: ``pyproject.toml``'s ``dependencies`` (no extras) and, through
their own requirements, everything they bring. Each is read from the environment this runs in and written
pinned to ``.venv/runtime-requirements.txt``, so pip-audit checks exactly the versions a served page runs on
without resolving anything again.

A known vulnerability fails (exit 1). A dependency that pip-audit could not check (its advisory service out of
reach) is never taken for a clean one: the count and the reason are printed, and with ``AUDIT_STRICT=1`` that
fails too.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
#: What pip-audit's output says when the network, not the audit, failed.
UNREACHABLE = (
    "ConnectionError",
    "ProxyError",
    "Max retries exceeded",
    "Name or service not known",
    "timed out",
)


def runtime_closure(requirements: list[str]) -> dict[str, str]:
    """Every distribution that ``requirements`` need in this environment, with its installed version."""
    found: dict[str, str] = {}
    waiting = [(Requirement(text), "") for text in requirements]
    while waiting:
        requirement, extra = waiting.pop()
        if requirement.marker is not None and not requirement.marker.evaluate({"extra": extra}):
            continue
        name = canonicalize_name(requirement.name)
        try:
            distribution = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            sys.exit(f"{name} is a runtime dependency but is not installed: run `make install-dev`")
        extras = set(requirement.extras)
        seen = f"{name}[{','.join(sorted(extras))}]"
        if seen in found:
            continue
        found[seen] = distribution.version
        for text in distribution.requires or []:
            needed = Requirement(text)
            for wanted in ("", *extras):
                if needed.marker is None or needed.marker.evaluate({"extra": wanted}):
                    waiting.append((needed, wanted))
                    break
    return {key.split("[")[0]: version for key, version in found.items()}


def main() -> int:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    pinned = sorted(runtime_closure(project["dependencies"]).items())
    requirements = Path(sys.prefix) / "runtime-requirements.txt"
    requirements.write_text("".join(f"{name}=={version}\n" for name, version in pinned), encoding="utf-8")
    report = Path(sys.prefix) / "audit.json"
    audit = Path(sys.executable).with_name("pip-audit")
    command = [str(audit), "--requirement", str(requirements), "--no-deps", "--disable-pip"]
    command += ["--progress-spinner", "off", "--desc", "off", "--format", "json", "--output", str(report)]
    report.unlink(missing_ok=True)
    finished = subprocess.run(command, check=False, capture_output=True, text=True)
    try:
        found = json.loads(report.read_text(encoding="utf-8"))["dependencies"]
    except (OSError, ValueError, KeyError):
        output = finished.stdout + finished.stderr
        print(output[-3000:], file=sys.stderr)
        if any(sign in output for sign in UNREACHABLE):
            print(f"NOT CHECKED: pip-audit could not reach its vulnerability service ({len(pinned)} runtime "
                  "dependencies unchecked).", file=sys.stderr)  # fmt: skip
            return 1 if os.environ.get("AUDIT_STRICT") == "1" else 0
        print("error: pip-audit gave no report", file=sys.stderr)
        return 1
    vulnerable = [dependency for dependency in found if dependency.get("vulns")]
    skipped = [dependency for dependency in found if "skip_reason" in dependency]
    print(f"pip-audit: {len(found)} runtime dependencies, {len(found) - len(skipped)} checked.")
    for dependency in vulnerable:
        for vulnerability in dependency["vulns"]:
            fixed = ", ".join(vulnerability.get("fix_versions", [])) or "no fixed version"
            aliases = ", ".join(vulnerability.get("aliases", []))
            print(f"VULNERABLE {dependency['name']} {dependency['version']}: {vulnerability['id']} "
                  f"({aliases}); fixed in {fixed}")  # fmt: skip
    if skipped:
        reasons = sorted({dependency["skip_reason"].split(":")[0] for dependency in skipped})
        names = ", ".join(dependency["name"] for dependency in skipped)
        print(f"NOT CHECKED: {len(skipped)} of {len(found)} ({'; '.join(reasons)}): {names}")
        print("  Their advisories could not be read, so nothing is known about them: run `make audit` where "
              "pip-audit reaches its vulnerability service.")  # fmt: skip
    if vulnerable:
        return 1
    if skipped and os.environ.get("AUDIT_STRICT") == "1":
        return 1
    if len(skipped) < len(found):
        print(f"No known vulnerability in the {len(found) - len(skipped)} checked.")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Installing what a test needs from Debian's packages (Chromium, PostgreSQL), on Debian or Ubuntu as root."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def debian_like() -> bool:
    try:
        fields = dict(
            line.split("=", 1) for line in Path("/etc/os-release").read_text().splitlines() if "=" in line
        )
    except OSError:
        return False
    family = f"{fields.get('ID', '')} {fields.get('ID_LIKE', '')}".replace('"', "")
    return any(name in family.split() for name in ("debian", "ubuntu"))


def install(packages: Sequence[str], found: Callable[[], Path | None]) -> tuple[Path | None, str]:
    """``apt-get install`` the first of ``packages`` after which ``found()`` finds what is needed (a package's
    name differs between releases: Debian's ``chromium``, Ubuntu's ``chromium-browser``). What was found,
    or ``None`` and why not."""
    if not (sys.platform.startswith("linux") and debian_like() and shutil.which("apt-get")):
        return None, "apt-get: this is not Debian or Ubuntu"
    if os.geteuid() != 0:
        return None, "apt-get: not running as root"
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    say(f"Installing Debian's {packages[0]} package (apt-get install {packages[0]})…")
    update = subprocess.run(
        ["apt-get", "update", "-qq"], env=env, capture_output=True, text=True, check=False
    )
    if update.returncode != 0:
        return None, f"apt-get update failed ({update.stderr.strip()[:200]})"
    reasons = []
    for package in packages:
        done = subprocess.run(
            ["apt-get", "install", "-y", "-qq", "--no-install-recommends", package],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        there = found()
        if done.returncode == 0 and there is not None:
            return there, ""
        reasons.append(f"apt-get install {package} failed ({done.stderr.strip()[:200]})")
    return None, "; ".join(reasons)

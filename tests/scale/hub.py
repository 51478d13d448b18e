"""A real JupyterHub serving the workbook on this machine, for ``make test-scale`` and ``make bench-hub``.

``running_hub(folder)`` starts, in order: a throwaway PostgreSQL (``tests/postgres.py``) with two databases,
``hub`` (JupyterHub's own) and ``workbook`` (the workbook's store, ``WORKBOOK_DATABASE_URL``); then
``jupyterhub -f deploy/jupyterhub_config.py`` — exactly the deployment's configuration — with
configurable-http-proxy (npm; installed into ``.venv/chp`` when missing) and local-process servers
(``SimpleLocalProcessSpawner``). It yields a :class:`Hub` with the public URL and both database URLs, and
stops everything at the end.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

from tests.postgres import create_database, postgres_server

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / "deploy" / "jupyterhub_config.py"
CHP_FOLDER = ROOT / ".venv" / "chp"
CHP_PACKAGE = "configurable-http-proxy@5"
PASSWORD = "hub-scale-facilitator"  # noqa: S105 (the throwaway hub's own)
FACILITATOR = "facilitator"
START_TIMEOUT_S = 120


class HubFailed(RuntimeError):
    """The hub, its proxy or its database could not be started; the message says why."""


@dataclass(frozen=True)
class Hub:
    url: str  # the public address, e.g. http://127.0.0.1:8000
    hub_db: str  # JupyterHub's own database
    workbook_db: str  # WORKBOOK_DATABASE_URL
    log: Path


def configurable_http_proxy() -> str:
    """The configurable-http-proxy command: on PATH, in ``.venv/chp``, or installed there now with npm."""
    on_path = shutil.which("configurable-http-proxy")
    if on_path:
        return on_path
    local = CHP_FOLDER / "node_modules" / ".bin" / "configurable-http-proxy"
    if not local.exists():
        npm = shutil.which("npm")
        if npm is None:
            raise HubFailed("configurable-http-proxy needs Node.js and npm: apt-get install nodejs npm")
        print(f"Installing {CHP_PACKAGE} into {CHP_FOLDER} (npm)…", file=sys.stderr, flush=True)
        result = subprocess.run(
            [npm, "install", "--no-audit", "--no-fund", "--prefix", str(CHP_FOLDER), CHP_PACKAGE],
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0 or not local.exists():
            raise HubFailed(f"npm install {CHP_PACKAGE} failed: {result.stderr.strip()[-1000:]}")
    return str(local)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for_hub(process: subprocess.Popen, url: str, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise HubFailed(f"jupyterhub exited with {process.returncode}:\n{log.read_text()[-4000:]}")
        try:
            with urllib.request.urlopen(f"{url}/hub/api", timeout=2) as response:  # noqa: S310 (our own hub)
                if response.status == 200:
                    return
        except (OSError, urllib.error.URLError):
            time.sleep(0.25)  # a port that is not open yet: nothing to wait on but time
    raise HubFailed(f"jupyterhub did not answer within {START_TIMEOUT_S} s:\n{log.read_text()[-4000:]}")


@contextmanager
def running_hub(
    folder: Path, room: int = 1, postgres_settings: dict[str, str] | None = None
) -> Iterator[Hub]:
    """PostgreSQL and JupyterHub (the deployment's configuration) for the ``with``'s duration."""
    folder.mkdir(parents=True, exist_ok=True)
    proxy = configurable_http_proxy()
    with postgres_server(postgres_settings) as server:
        hub_db = create_database(server, "hub")
        workbook_db = create_database(server, "workbook")
        port, hub_port, api_port = free_port(), free_port(), free_port()
        url = f"http://127.0.0.1:{port}"
        homes = folder / "homes"
        homes.mkdir(exist_ok=True)
        env = {
            **os.environ,
            "WORKBOOK_DATABASE_URL": workbook_db,
            "WORKBOOK_HUB_DB_URL": hub_db,
            "WORKBOOK_FACILITATOR_PASSWORD": PASSWORD,
            "WORKBOOK_HUB_FACILITATOR": FACILITATOR,
            "WORKBOOK_HUB_ROOM": str(room),
            "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        }
        command = [
            sys.executable,
            "-m",
            "jupyterhub",
            "-f",
            str(CONFIG),
            f"--JupyterHub.bind_url={url}",
            f"--JupyterHub.hub_bind_url=http://127.0.0.1:{hub_port}",
            f"--ConfigurableHTTPProxy.api_url=http://127.0.0.1:{api_port}",
            f"--ConfigurableHTTPProxy.command={proxy}",
            f"--SimpleLocalProcessSpawner.home_dir_template={homes}/{{username}}",
        ]
        log = folder / "jupyterhub.log"
        with log.open("w") as out:
            process = subprocess.Popen(
                command, cwd=folder, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )
        try:
            _wait_for_hub(process, url, log)
            yield Hub(url=url, hub_db=hub_db, workbook_db=workbook_db, log=log)
        finally:
            _stop(process)


def processes() -> list[tuple[int, int, str]]:
    """(pid, parent pid, command line) of every process on this machine, from /proc."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        found.append((int(entry.name), int(stat.rsplit(")", 1)[1].split()[1]), cmdline))
    return found


def descendants(root: int, table: list[tuple[int, int, str]] | None = None) -> list[tuple[int, str]]:
    """Every process below ``root``: (pid, command line)."""
    children: dict[int, list[tuple[int, str]]] = {}
    for pid, parent, cmdline in table if table is not None else processes():
        children.setdefault(parent, []).append((pid, cmdline))
    out, todo = [], [root]
    while todo:
        for pid, cmdline in children.get(todo.pop(), []):
            out.append((pid, cmdline))
            todo.append(pid)
    return out


def _stop(process: subprocess.Popen) -> None:
    """Stop the hub: it stops the servers it spawned and its proxy. Whatever it left (a hub that had to be
    killed) is ended here, so that no server, kernel or proxy outlives the test."""
    below = descendants(process.pid)
    process.terminate()
    try:
        process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)
    still = {pid: cmdline for pid, _, cmdline in processes()}
    for pid, cmdline in below:
        if still.get(pid) == cmdline:  # the same process, not a new one that got its number
            with suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)

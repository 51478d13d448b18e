"""A real, throwaway PostgreSQL server for tests.

Interface (other helpers import it — keep it stable)::

    from tests.postgres import PostgresNotFound, create_database, postgres_server

    with postgres_server() as url:            # "postgresql://postgres@127.0.0.1:<port>/postgres"
        own = create_database(url, "case_1")  # "postgresql://postgres@127.0.0.1:<port>/case_1"
        ...
    # the server is stopped and its folder removed

- ``postgres_server(settings=None)``: a context manager that creates a new cluster in a temporary folder,
  starts it on 127.0.0.1 at a free port (and on a Unix socket in that folder), and yields the URL of its
  ``postgres`` database, whose superuser ``postgres`` needs no password (``trust``: only this machine can
  reach it). ``settings`` are extra server settings (``{"max_connections": "400"}``); by default 300
  connections, and durability off (``fsync``, ``synchronous_commit``, ``full_page_writes``): nothing outlives
  the test. At the end the server is stopped and the folder removed, whatever happened inside.
- ``create_database(url, name)``: creates database ``name`` on that server; returns its URL.
- ``binaries(install=True)``: the folder of PostgreSQL's server programs (``initdb``, ``pg_ctl``,
  ``postgres``).
- ``PostgresNotFound``: raised, with what to run, when no server could be found or installed. Never a skip.

Where the server programs come from, first that works: ``POSTGRES_BIN`` (a folder; when set, nothing else);
``pg_ctl`` on ``PATH`` (followed through symlinks: ``/usr/local/bin/pg_ctl`` may point into Debian's folder);
Debian's ``/usr/lib/postgresql/<version>/bin`` (newest first) and other usual places; else, on Debian or
Ubuntu as root, ``apt-get install postgresql``. PostgreSQL refuses to run as root: as root, the cluster
belongs to the ``postgres`` system user (Debian's package creates it) and its programs run through
``runuser``. ``python -m tests.postgres`` starts one and prints its URL until interrupted.
"""

from __future__ import annotations

import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, suppress
from pathlib import Path

from tests import apt

VARIABLE = "POSTGRES_BIN"
PROGRAMS = ("initdb", "pg_ctl", "postgres")
USUAL_PLACES = ("/usr/lib/postgresql/*/bin", "/usr/pgsql-*/bin", "/opt/homebrew/opt/postgresql*/bin")
SYSTEM_USER = "postgres"
SUPERUSER = "postgres"
DEFAULT_SETTINGS = {
    "max_connections": "300",
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
}
START_TIMEOUT_S = 60


class PostgresNotFound(RuntimeError):
    """No PostgreSQL server could be found, installed or started; the message says what to run."""


def _complete(folder: Path) -> bool:
    return all(os.access(folder / program, os.X_OK) for program in PROGRAMS)


def _version(folder: Path) -> tuple[int, ...]:
    digits = "".join(char if char.isdigit() else " " for char in folder.parent.name).split()
    return tuple(int(number) for number in digits)


def installed() -> Path | None:
    """A folder holding PostgreSQL's server programs already on this machine."""
    on_path = shutil.which("pg_ctl")
    candidates = [Path(on_path).resolve().parent] if on_path else []
    for pattern in USUAL_PLACES:
        found = sorted(Path("/").glob(pattern.lstrip("/")), key=_version, reverse=True)
        candidates += found
    return next((folder for folder in candidates if _complete(folder)), None)


def _install_with_apt() -> tuple[Path | None, str]:
    return apt.install(["postgresql"], installed)


def binaries(install: bool = True) -> Path:
    """The folder of PostgreSQL's server programs, installed first if ``install`` and none is found."""
    asked = os.environ.get(VARIABLE)
    if asked:
        if _complete(Path(asked)):
            return Path(asked)
        raise PostgresNotFound(f"{VARIABLE}={asked} does not hold PostgreSQL's {', '.join(PROGRAMS)}.")
    found = installed()
    if found is not None:
        return found
    reason = "not looked for"
    if install:
        found, reason = _install_with_apt()
        if found is not None:
            apt.say(f"PostgreSQL installed: {found}")
            return found
    raise PostgresNotFound(
        f"The store's tests need a PostgreSQL server, and none could be found or installed ({reason}). "
        "Install one — on Debian or Ubuntu: sudo apt-get install postgresql; on macOS: brew install "
        f"postgresql — or set {VARIABLE}=/path/to/postgresql/bin, then run the tests again."
    )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _as_owner(command: list[str]) -> list[str]:
    """``command`` as the cluster's owner: the ``postgres`` system user when running as root."""
    if os.geteuid() != 0:
        return command
    return ["runuser", "-u", SYSTEM_USER, "--", *command]


def _run(command: list[str], what: str) -> None:
    result = subprocess.run(
        _as_owner(command), capture_output=True, text=True, timeout=START_TIMEOUT_S, check=False
    )
    if result.returncode != 0:
        raise PostgresNotFound(f"{what} failed: {(result.stderr or result.stdout).strip()[-1000:]}")


def _owned_folder() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="workbook-postgres-"))
    if os.geteuid() == 0:
        try:
            owner = pwd.getpwnam(SYSTEM_USER)
        except KeyError:
            shutil.rmtree(folder)
            raise PostgresNotFound(
                f"PostgreSQL refuses to run as root, and there is no {SYSTEM_USER!r} system user to run it "
                f"as (Debian's postgresql package creates it: apt-get install postgresql)."
            ) from None
        os.chown(folder, owner.pw_uid, owner.pw_gid)
    folder.chmod(0o700)
    return folder


@contextmanager
def postgres_server(settings: Mapping[str, str] | None = None) -> Iterator[str]:
    """A new PostgreSQL server for the ``with``'s duration: yields the URL of its ``postgres`` database."""
    bindir = binaries()
    folder = _owned_folder()
    data = folder / "data"
    port = _free_port()
    options = {
        **DEFAULT_SETTINGS,
        **(settings or {}),
        "port": str(port),
        "listen_addresses": "127.0.0.1",
        "unix_socket_directories": str(folder),
    }
    started = False
    try:
        _run(
            [str(bindir / "initdb"), "-D", str(data), "-U", SUPERUSER, "--auth=trust", "-E", "UTF8",
             "--locale=C", "--no-sync"],
            "initdb",
        )  # fmt: skip
        with (data / "postgresql.conf").open("a") as conf:
            conf.writelines(f"{name} = '{value}'\n" for name, value in options.items())
        log = folder / "server.log"
        try:
            _run(
                [str(bindir / "pg_ctl"), "-D", str(data), "-l", str(log), "-w", "-t", str(START_TIMEOUT_S),
                 "start"],
                "starting PostgreSQL",
            )  # fmt: skip
        except PostgresNotFound as error:
            tail = log.read_text(errors="replace")[-1500:] if log.exists() else ""
            raise PostgresNotFound(f"{error}\n{tail}") from None
        started = True
        yield f"postgresql://{SUPERUSER}@127.0.0.1:{port}/postgres"
    finally:
        if started:
            _run([str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"], "stopping PostgreSQL")
        shutil.rmtree(folder, ignore_errors=True)


def create_database(url: str, name: str) -> str:
    """Create database ``name`` on the server at ``url`` (from :func:`postgres_server`); returns its URL."""
    if not name.replace("_", "").isalnum() or not name[0].isalpha():
        raise ValueError(f"a database name of letters, digits and _: {name!r}")
    psql = binaries(install=False) / "psql"
    command = [str(psql) if psql.exists() else "psql", "--no-psqlrc", "-v", "ON_ERROR_STOP=1", "-q"]
    result = subprocess.run(
        [*command, "-d", url, "-c", f'CREATE DATABASE "{name}"'],
        capture_output=True,
        text=True,
        timeout=START_TIMEOUT_S,
        check=False,
    )
    if result.returncode != 0:
        raise PostgresNotFound(f"CREATE DATABASE {name} failed: {result.stderr.strip()}")
    return url.rsplit("/", 1)[0] + f"/{name}"


def main() -> int:
    for number in (signal.SIGINT, signal.SIGTERM):  # a background job starts with SIGINT ignored
        signal.signal(number, signal.default_int_handler)
    try:
        with postgres_server() as url:
            print(url, flush=True)
            apt.say("PostgreSQL is running; Ctrl-C (or SIGTERM) stops it and removes its folder.")
            with suppress(KeyboardInterrupt):
                signal.pause()
    except PostgresNotFound as error:
        apt.say(f"error: {error}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""`make bench-hub`: the workbook on JupyterHub on this machine — join time and memory per participant.

Starts what ``make test-scale`` starts (tests/scale/hub.py: a throwaway PostgreSQL, JupyterHub with
``deploy/jupyterhub_config.py``, configurable-http-proxy, a local-process server per person), then lets N
participants arrive at once (10, then 30; a fresh hub for each size) and measures:

- **join**: from opening the hub's address to the page being interactive — the hub's anonymous sign-in,
  the spawn of the person's own server, the hub's OAuth at that server, the workbook's page once its notebook
  has run in a kernel, the kernel's websocket and every widget's state (what Voila's front end asks for
  before anything can be clicked), and the kernel making the person's code. At the protocol level
  (``participants.py``), as ``make bench`` measures a crowd: no browser competes with the servers for the
  two cores.
- **memory per participant**: the unique memory (USS: what the process alone holds, what is freed when it
  ends) of each person's server — jupyter-standaloneproxy, the workbook (Voila) and its kernels — measured
  with psutil (or /proc/<pid>/smaps_rollup), once every participant is in; and the shared costs (hub,
  proxy, PostgreSQL) and PostgreSQL connections.

``python benchmarks/hub.py [--sizes 10 30] [--room 1]``; prints a table and writes JSON to
benchmarks/results/.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from participants import CONFIG, Participant, message  # noqa: E402 (benchmarks/ is the script's folder)
from tornado.httpclient import AsyncHTTPClient, HTTPRequest  # noqa: E402
from tornado.websocket import websocket_connect  # noqa: E402

from tests.scale.hub import Hub, descendants, processes, running_hub  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results"
TIMEOUT_S = 600


class Browserless:
    """One person at the protocol level, with a cookie jar: the hub's redirects, then the workbook's page."""

    def __init__(self, hub: Hub) -> None:
        self.hub = hub
        self.cookies: dict[str, str] = {}
        self.client = AsyncHTTPClient(max_clients=1000)
        self.server = ""  # http://…/user/<name>

    def _cookie_header(self) -> str:
        return "; ".join(f"{name}={value}" for name, value in self.cookies.items())

    async def _get(self, url: str):
        response = await self.client.fetch(
            HTTPRequest(
                url,
                headers={"Cookie": self._cookie_header()} if self.cookies else {},
                follow_redirects=False,
                request_timeout=TIMEOUT_S,
                connect_timeout=TIMEOUT_S,
            ),
            raise_error=False,
        )
        for header in response.headers.get_list("Set-Cookie"):
            jar = SimpleCookie()
            jar.load(header)
            for name, morsel in jar.items():
                self.cookies[name] = morsel.value
        return response

    async def join(self) -> tuple[float, Participant]:
        """Open the hub's address and follow it to an interactive workbook page; the seconds it took."""
        started = time.perf_counter()
        url = self.hub.url + "/"
        deadline = time.monotonic() + TIMEOUT_S
        while True:
            if time.monotonic() > deadline:
                raise TimeoutError(f"no workbook page within {TIMEOUT_S} s (last: {url})")
            response = await self._get(url)
            if response.code in (301, 302, 303, 307):
                url = urljoin(url, response.headers["Location"])
                continue
            if response.code == 200 and "/hub/spawn-pending/" in url:
                # The hub's waiting page (its script follows the spawn's progress): ask again shortly.
                await asyncio.sleep(0.25)
                continue
            if response.code != 200:
                raise RuntimeError(f"{response.code} at {url}: {response.body[:300]!r}")
            break
        found = CONFIG.search(response.body.decode())
        if found is None:
            raise RuntimeError(f"no kernel in the page at {url}")
        parts = urlsplit(url)
        prefix = "/".join(parts.path.split("/")[:3])  # /user/<name>
        self.server = f"{parts.scheme}://{parts.netloc}{prefix}"
        participant = Participant(base=self.server, url=url)
        participant.kernel_id = json.loads(found.group(1))["kernelId"]
        ws = self.server.replace("http", "ws", 1) + f"/api/kernels/{participant.kernel_id}/channels"
        participant.socket = await websocket_connect(
            HTTPRequest(ws, headers={"Cookie": self._cookie_header()}), max_message_size=64 * 1024 * 1024
        )
        participant._reader = asyncio.create_task(participant._read())
        await participant.request(message("kernel_info_request", {}))
        participant.states = await participant.all_widget_states()
        # identity.js then asks the kernel for the person's code (a new one here): the kernel opens its
        # store, as for anyone who arrives — its PostgreSQL connection is part of what is measured.
        update = {"method": "update", "state": {"participant": "new"}, "buffer_paths": []}
        identify = message("comm_msg", {"comm_id": participant.identity(), "data": update})
        await participant.request(identify, until_idle=True)
        return time.perf_counter() - started, participant


def quantiles(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    p95 = ordered[max(0, round(0.95 * len(ordered)) - 1)]
    return {"p50": statistics.median(ordered), "p95": p95, "max": ordered[-1], "n": len(ordered)}


def uss(pid: int) -> int:
    """A process's unique memory in bytes (psutil, else /proc/<pid>/smaps_rollup); 0 if it is gone."""
    try:
        import psutil

        try:
            return psutil.Process(pid).memory_full_info().uss
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            return 0
    except ImportError:
        pass
    total = 0
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith(("Private_Clean:", "Private_Dirty:", "Private_Hugetlb:")):
                total += int(line.split()[1]) * 1024
    except OSError:
        return 0
    return total


def rss(pid: int) -> int:
    """A process's resident memory in bytes, shared pages included (what a container's limit sees)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) a live process has used so far."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def memory(hub_pid: int, postgres_dir: str) -> dict[str, Any]:
    """Unique memory of each person's server (proxy + workbook + kernels), and of the shared parts."""
    table = processes()
    below_hub = descendants(hub_pid, table)
    servers = []
    for pid, cmdline in below_hub:
        if "jupyter-standaloneproxy" in cmdline:
            tree = [(pid, cmdline), *descendants(pid, table)]
            kernels = [p for p, c in tree if "/kernel-" in c and c.rstrip().endswith(".json")]
            servers.append(
                {
                    "uss_mb": sum(uss(p) for p, _ in tree) / 2**20,
                    "rss_mb": sum(rss(p) for p, _ in tree) / 2**20,
                    "proxy_mb": uss(pid) / 2**20,
                    "workbook_mb": sum(uss(p) for p, c in tree[1:] if "-m widgets.server" in c) / 2**20,
                    "kernels_mb": sum(uss(p) for p in kernels) / 2**20,
                    "kernels": len(kernels),
                    "cpu_s": sum(cpu_seconds(p) for p, _ in tree),
                }
            )
    shared = [hub_pid] + [
        pid for pid, cmdline in below_hub if "http-proxy" in cmdline or "idle_culler" in cmdline
    ]
    postmaster = next(pid for pid, _, cmdline in table if f"-D {postgres_dir}" in cmdline)
    postgres = [postmaster] + [pid for pid, _ in descendants(postmaster, table)]
    return {
        "servers": servers,
        "hub_and_proxy_mb": sum(uss(pid) for pid in shared) / 2**20,
        "postgres_mb": sum(uss(pid) for pid in postgres) / 2**20,
    }


def postgres_facts(url: str) -> tuple[int, str]:
    """The workbook database's open connections (this one aside), and the server's data folder."""
    import psycopg

    with psycopg.connect(url) as connection:
        row = connection.execute(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        ).fetchone()
        folder = connection.execute("SHOW data_directory").fetchone()
    return (int(row[0]) if row else 0), (str(folder[0]) if folder else "")


def hub_pid(hub: Hub) -> int:
    port = urlsplit(hub.url).port
    for pid, _, cmdline in processes():
        if "-m jupyterhub " in cmdline and f"bind_url=http://127.0.0.1:{port}" in cmdline:
            return pid
    raise RuntimeError("the hub's process was not found")


async def crowd(hub: Hub, size: int, settle_s: float) -> dict[str, Any]:
    people = [Browserless(hub) for _ in range(size)]
    outcomes = await asyncio.gather(*(person.join() for person in people), return_exceptions=True)
    failures = [repr(outcome) for outcome in outcomes if isinstance(outcome, BaseException)]
    joined = [outcome for outcome in outcomes if not isinstance(outcome, BaseException)]
    times = [seconds for seconds, _ in joined]
    # Every page is open and answered. Memory is measured once the servers have settled: past the pool's
    # refill delay (voila.json's fill_delay, 60 s), so that a kernel pre-heated again is counted.
    await asyncio.sleep(settle_s)
    connections, postgres_dir = postgres_facts(hub.workbook_db)
    measured = memory(hub_pid(hub), postgres_dir)
    for _, participant in joined:
        await participant.drop()
    return {
        "size": size,
        "join_s": quantiles(times) if times else {},
        "failures": failures,
        "memory": measured,
        "workbook_db_connections": connections,
    }


def report(results: dict[str, Any]) -> str:
    lines = [
        f"JupyterHub, room={results['room']} (pre-heated kernels per server) — {results['machine']}",
        "",
        f"{'at once':>8} {'join p50':>9} {'join p95':>9} {'max':>7} {'failed':>7} "
        f"{'MB/person':>10} {'proxy':>6} {'voila':>6} {'kernels':>8} {'k/server':>9} {'CPU s':>6} "
        f"{'RSS MB':>7} {'PG conns':>9}",
    ]
    for run in results["runs"]:
        servers = run["memory"]["servers"]

        def median(key: str, servers: list[dict[str, float]] = servers) -> float:
            return statistics.median(server[key] for server in servers) if servers else 0.0

        join = run["join_s"] or {"p50": 0, "p95": 0, "max": 0}
        lines.append(
            f"{run['size']:>8} {join['p50']:>8.1f}s {join['p95']:>8.1f}s {join['max']:>6.1f}s "
            f"{len(run['failures']):>7} {median('uss_mb'):>10.0f} {median('proxy_mb'):>6.0f} "
            f"{median('workbook_mb'):>6.0f} {median('kernels_mb'):>8.0f} {median('kernels'):>9.0f} "
            f"{median('cpu_s'):>6.1f} {median('rss_mb'):>7.0f} "
            f"{run['workbook_db_connections']:>9}"
        )
    last = results["runs"][-1]["memory"]
    lines += [
        "",
        f"Shared: hub + configurable-http-proxy {last['hub_and_proxy_mb']:.0f} MB, "
        f"PostgreSQL {last['postgres_mb']:.0f} MB (USS, after the last run).",
    ]
    return "\n".join(lines)


def machine() -> str:
    cores = os.cpu_count()
    try:
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    except (ValueError, OSError):
        total = 0
    system = f"{platform.system()} {platform.release()}"
    return f"{cores} cores, {total:.0f} GB, {system}, Python {platform.python_version()}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 30])
    parser.add_argument(
        "--room", type=int, default=1, help="pre-heated kernels per server (WORKBOOK_HUB_ROOM)"
    )
    parser.add_argument("--settle", type=float, default=75, help="seconds after the joins before measuring")
    options = parser.parse_args()
    results: dict[str, Any] = {"room": options.room, "machine": machine(), "runs": []}
    for size in options.sizes:
        with (
            tempfile.TemporaryDirectory(prefix="bench-hub-") as folder,
            running_hub(Path(folder), room=options.room, postgres_settings={"max_connections": "400"}) as hub,
        ):
            print(f"{size} participants at once through {hub.url}…", file=sys.stderr, flush=True)
            results["runs"].append(asyncio.run(crowd(hub, size, options.settle)))
    print(report(results))
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"hub-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.write_text(json.dumps(results, indent=2))
    print(f"\nWritten: {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()

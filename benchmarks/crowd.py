"""The crowd series of `make bench`: one server for 30, 100, 200 and 300 participants at once.

For each size N, a fresh `make start` server with ``--room=N`` (as a facilitator sizes it for the crowd):

- **while the pool fills**: how long until all N places are ready (the server's own log line), how fast the
  server answers a page meanwhile (the facilitator's sign-in page, every half second), and how long a
  participant who arrives early waits for a page and its kernel;
- **N at once**: every participant opens the workbook at the same moment (page + kernel reachable: every
  widget's state known, as participants.py does it); how many are served, and how fast;
- **memory per participant**: each kernel's own memory (USS: what stops when it stops) and its share of the
  shared pages (PSS), the server's resident memory, and what the machine lost in all (MemAvailable before
  the server started, less after the N joined), divided by N;
- **idle**: while the N sit idle, their pages ping as a browser's do (every 5 s, assets/js/identity.js);
  the CPU the server and the kernels use over 60 s, in per cent of one core;
- **30 of them change chapter at once** while all N are connected.

Stock Voila is measured beside it where it can be (30 and 100 at once on the bare notebook, `--crowd-bare`):
at 100 its kernels race for ports and participants are not served.

The participants are simulated at the protocol level by this one Python process, on the same machine as the
server: it competes with the server for the two cores, so the figures are on the pessimistic side.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from participants import Participant
from tornado.httpclient import AsyncHTTPClient, HTTPRequest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
APP = "/voila/render/app.ipynb"
PING_S = 5.0  # assets/js/identity.js: PING_MS
IDLE_WINDOW_S = 60.0
CHANGERS = 30
TICKS = os.sysconf("SC_CLK_TCK")


def quantiles(values: list[float]) -> dict[str, float] | None:
    if not values:
        return None
    ordered = sorted(values)
    pick = lambda q: ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]  # noqa: E731
    return {"p50": pick(0.5), "p95": pick(0.95), "max": ordered[-1], "n": len(ordered)}


def memory_available_kib() -> int:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemAvailable:"):
            return int(line.split()[1])
    return 0


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                    found.append(int(entry.name))
            except (OSError, IndexError, ValueError):
                continue
    return found


def smaps(pid: int) -> dict[str, int]:
    """KiB: rss, pss, uss (private clean + dirty) of one process."""
    values = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        key, _, rest = line.partition(":")
        values[key] = int(rest.split()[0])
    return {
        "rss": values.get("Rss", 0),
        "pss": values.get("Pss", 0),
        "uss": values.get("Private_Clean", 0) + values.get("Private_Dirty", 0),
    }


def cpu_ticks(pid: int) -> int:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime, stime


class Server:
    def __init__(self, name: str, command: list[str], cwd: Path, logs: Path, env: dict[str, str]) -> None:
        import socket

        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self.name, self.command, self.cwd, self.env = name, command, cwd, env
        self.log = logs / f"{name}.log"
        self.process = None
        self.started = 0.0

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def start(self) -> None:
        import subprocess

        self.started = time.monotonic()
        with self.log.open("w") as out:
            self.process = subprocess.Popen(
                [*self.command, f"--port={self.port}"],
                cwd=self.cwd,
                stdout=out,
                stderr=subprocess.STDOUT,
                env=self.env,
            )
        client = AsyncHTTPClient()
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                response = await client.fetch(self.base + "/voila/static/voila.js", raise_error=False)
                if response.code == 200:
                    return
            except OSError:
                pass  # not listening yet
            await asyncio.sleep(0.25)
        raise RuntimeError(f"{self.name} did not start:\n{self.log.read_text()[-3000:]}")

    def said(self, pattern: str) -> re.Match | None:
        return re.search(pattern, self.log.read_text())

    def kernels(self) -> list[int]:
        assert self.process is not None
        return children(self.process.pid)

    def stop(self) -> None:
        import subprocess

        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=300)  # a server shutting down 300 kernels takes a while
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process = None


async def timed_get(url: str) -> float | None:
    start = time.perf_counter()
    try:
        response = await AsyncHTTPClient().fetch(
            HTTPRequest(url, request_timeout=30, follow_redirects=False), raise_error=False
        )
    except OSError:
        return None
    return time.perf_counter() - start if response.code == 200 else None


async def while_filling(server: Server, size: int, timeout: float) -> dict[str, Any]:
    """Probe the server until its log says the pool is full: a server page every 0.5 s, an early participant
    every 5 s (who opens the workbook, then leaves)."""
    pages: list[float] = []
    early: list[float] = []
    failures = 0
    progress: list[tuple[float, int]] = []

    async def arrive() -> None:
        nonlocal failures
        person = Participant(server.base)
        try:
            early.append(await person.open(APP, timeout=120))
            await person.leave()
        except Exception:  # counted: a participant not served
            failures += 1

    arrivals = []
    last_arrival = 0.0
    deadline = time.monotonic() + timeout
    full = None
    while time.monotonic() < deadline:
        full = server.said(r"Pool: full — [\d,]+ places? ready in ([^.]+)\.")
        if full:
            break
        answered = await timed_get(server.base + "/facilitator/login")
        if answered is None:
            failures += 1
        else:
            pages.append(answered)
        if time.monotonic() - last_arrival >= 5:
            last_arrival = time.monotonic()
            arrivals.append(asyncio.create_task(arrive()))
        ready = re.findall(r"Pool: ([\d,]+) of [\d,]+ places ready", server.log.read_text())
        if ready:
            progress.append((time.monotonic() - server.started, int(ready[-1].replace(",", ""))))
        await asyncio.sleep(0.5)
    await asyncio.gather(*arrivals)
    return {
        "fill_seconds": (time.monotonic() - server.started) if full else None,
        "fill_said": full.group(1) if full else None,
        "page_while_filling": quantiles(pages),
        "early_participant": quantiles(early),
        "failures_while_filling": failures,
    }


async def settle(server: Server, expected: int, timeout: float = 600) -> None:
    """Wait until the server runs ``expected`` kernels (the early participants' places refilled)."""
    deadline = time.monotonic() + timeout
    while len(server.kernels()) < expected and time.monotonic() < deadline:
        await asyncio.sleep(1)


async def idle_cpu(server: Server, people: list[Participant]) -> dict[str, Any]:
    """CPU over IDLE_WINDOW_S while every page pings every PING_S, in per cent of one core."""
    assert server.process is not None
    pids = server.kernels()
    before_server = cpu_ticks(server.process.pid)
    before_kernels = sum(cpu_ticks(pid) for pid in pids)
    pings: list[float] = []
    stop = time.monotonic() + IDLE_WINDOW_S

    async def page(person: Participant, offset: float) -> None:
        await asyncio.sleep(offset)
        number = 0
        while time.monotonic() < stop:
            number += 1
            pings.append(await person.ping(number))
            await asyncio.sleep(PING_S)

    start = time.monotonic()
    spread = [PING_S * index / max(1, len(people)) for index in range(len(people))]
    await asyncio.gather(*(page(person, offset) for person, offset in zip(people, spread, strict=True)))
    elapsed = time.monotonic() - start
    server_ticks = cpu_ticks(server.process.pid) - before_server
    kernel_ticks = sum(cpu_ticks(pid) for pid in pids if Path(f"/proc/{pid}").exists()) - before_kernels
    return {
        "seconds": elapsed,
        "server_percent_of_a_core": 100 * server_ticks / TICKS / elapsed,
        "kernels_percent_of_a_core": 100 * kernel_ticks / TICKS / elapsed,
        "ping_round_trip": quantiles(pings),
    }


async def one_size(size: int, logs: Path, fill_timeout: float) -> dict[str, Any]:
    data = Path(tempfile.mkdtemp(prefix=f"bench-crowd-{size}-"))
    env = {**os.environ, "WORKBOOK_DATA_DIR": str(data)}
    command = [sys.executable, "-m", "widgets.server", f"--room={size}"]
    available_before = memory_available_kib()
    server = Server(f"crowd-{size}", command, ROOT, logs, env)
    print(f"crowd {size}: filling the pool", file=sys.stderr, flush=True)
    await server.start()
    figures: dict[str, Any] = {"size": size}
    try:
        figures |= await while_filling(server, size, fill_timeout)
        capacity = server.said(r"Capacity: [^\n]*")
        figures["capacity_line"] = capacity.group(0) if capacity else None
        await settle(server, size)
        print(f"crowd {size}: {size} at once", file=sys.stderr, flush=True)
        people = [Participant(server.base) for _ in range(size)]
        joined = await asyncio.gather(*(person.open(APP) for person in people), return_exceptions=True)
        served = [t for t in joined if isinstance(t, float)]
        connected = [person for person, t in zip(people, joined, strict=True) if isinstance(t, float)]
        figures["join"] = quantiles(served)
        figures["join_served"] = len(served)
        figures["join_errors"] = sorted({repr(e)[:160] for e in joined if not isinstance(e, float)})[:5]
        kernels = [smaps(pid) for pid in server.kernels() if Path(f"/proc/{pid}").exists()]
        assert server.process is not None
        server_memory = smaps(server.process.pid)
        figures["memory_kib"] = {
            "kernel_uss_median": statistics.median(k["uss"] for k in kernels) if kernels else 0,
            "kernel_pss_median": statistics.median(k["pss"] for k in kernels) if kernels else 0,
            "kernel_rss_median": statistics.median(k["rss"] for k in kernels) if kernels else 0,
            "kernels": len(kernels),
            "server_rss": server_memory["rss"],
            "machine_per_participant": (available_before - memory_available_kib()) / max(1, len(kernels)),
        }
        print(f"crowd {size}: idle for {IDLE_WINDOW_S:.0f} s", file=sys.stderr, flush=True)
        figures["idle"] = await idle_cpu(server, connected)
        print(f"crowd {size}: {CHANGERS} change chapter", file=sys.stderr, flush=True)
        changers = connected[:CHANGERS]
        moved = await asyncio.gather(
            *(person.route("fr/01-pourquoi-l-alliance") for person in changers), return_exceptions=True
        )
        figures["change"] = quantiles([t for t in moved if isinstance(t, float)])
        figures["change_served"] = sum(isinstance(t, float) for t in moved)
        await asyncio.gather(*(person.leave() for person in connected), return_exceptions=True)
    finally:
        server.stop()
        shutil.rmtree(data, ignore_errors=True)
    return figures


async def bare_crowd(size: int, logs: Path) -> dict[str, Any]:
    """Stock Voila, its defaults, the bare notebook: ``size`` participants open it at once."""
    folder = Path(tempfile.mkdtemp(prefix="bench-bare-crowd-"))
    for notebook in FIXTURES.glob("*.ipynb"):
        shutil.copy(notebook, folder)
    server = Server(
        f"bare-crowd-{size}", [sys.executable, "-m", "voila", str(folder), "--no-browser"], folder, logs,
        dict(os.environ),
    )  # fmt: skip
    print(f"bare voila: {size} at once", file=sys.stderr, flush=True)
    await server.start()
    try:
        people = [Participant(server.base) for _ in range(size)]
        joined = await asyncio.gather(
            *(person.open("/voila/render/bare.ipynb", timeout=300) for person in people),
            return_exceptions=True,
        )
        served = [t for t in joined if isinstance(t, float)]
        await asyncio.gather(*(person.drop() for person in people), return_exceptions=True)
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)
    return {
        "size": size,
        "join": quantiles(served),
        "join_served": len(served),
        "join_errors": sorted({repr(e)[:160] for e in joined if not isinstance(e, float)})[:5],
    }


async def series(sizes: list[int], bare_sizes: list[int], logs: Path, fill_timeout: float = 1200) -> dict:
    AsyncHTTPClient.configure(None, max_clients=1000)
    results: dict[str, Any] = {
        "machine": machine(),
        "app": [await one_size(size, logs, fill_timeout) for size in sizes],
        "bare": [await bare_crowd(size, logs) for size in bare_sizes],
    }
    return results


def machine() -> dict[str, Any]:
    memory = next(
        int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal:")
    )  # fmt: skip
    return {
        "cpus": len(os.sched_getaffinity(0)),
        "memory_gib": round(memory / 1024 / 1024, 1),
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


def report(results: dict[str, Any]) -> str:
    m = results["machine"]
    lines = [
        f"The crowd series — one server, ROOM sized to the crowd ({m['cpus']} CPUs, {m['memory_gib']} GiB):",
        f"{'N':>5} {'fill':>8} {'page while':>11} {'early p95':>10} {'join p50':>9} {'p95':>6} {'served':>9} "
        f"{'change p95':>11} {'USS MiB':>8} {'machine MiB':>12} {'idle CPU %':>17}",
        f"{'':>5} {'':>8} {'filling p95':>11} {'':>10} {'':>9} {'':>6} {'':>9} {f'({CHANGERS})':>11} "
        f"{'kernel':>8} {'/participant':>12} {'server+kernels':>17}",
    ]
    for row in results["app"]:
        join, change = row.get("join") or {}, row.get("change") or {}
        page, early = row.get("page_while_filling") or {}, row.get("early_participant") or {}
        memory, idle = row.get("memory_kib", {}), row.get("idle", {})
        fill = f"{row['fill_seconds']:.0f} s" if row.get("fill_seconds") else "—"
        lines.append(
            f"{row['size']:>5} {fill:>8} {page.get('p95', 0):10.2f}s {early.get('p95', 0):9.2f}s "
            f"{join.get('p50', 0):8.2f}s {join.get('p95', 0):5.2f}s "
            f"{row.get('join_served', 0):>4}/{row['size']:<4} "
            f"{change.get('p95', 0):10.2f}s {memory.get('kernel_uss_median', 0) / 1024:8.1f} "
            f"{memory.get('machine_per_participant', 0) / 1024:12.1f} "
            f"{idle.get('server_percent_of_a_core', 0):8.1f}+{idle.get('kernels_percent_of_a_core', 0):<8.1f}"
        )
    for row in results["app"]:
        if row.get("join_errors"):
            lines.append(f"  {row['size']}: not served: {row['join_errors']}")
    if results["bare"]:
        lines.append("Stock Voila (bare notebook, its defaults), N opening it at once:")
        for row in results["bare"]:
            join = row.get("join") or {}
            lines.append(
                f"{row['size']:>5} join p50 {join.get('p50', 0):.2f} s, p95 {join.get('p95', 0):.2f} s, "
                f"served {row['join_served']}/{row['size']}"
                + (f" — {row['join_errors'][0]}" if row["join_errors"] else "")
            )
    largest = results["app"][-1] if results["app"] else None
    if largest and largest.get("memory_kib"):
        per = largest["memory_kib"]["machine_per_participant"] / 1024
        lines.append(
            f"Memory per participant (machine, at {largest['size']}): {per:.0f} MiB → about "
            + ", ".join(
                f"{int((gib - 1.5) * 1024 / per)} participants in {gib} GB" for gib in (8, 16, 32, 64)
            )
            + " (1.5 GB kept for the system)"
        )
    return "\n".join(lines)


def sizes_argument(text: str) -> list[int]:
    return [int(part) for part in text.split(",") if part.strip()]


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="The crowd series alone (make bench runs it too).")
    parser.add_argument("--sizes", type=sizes_argument, default=[30, 100, 200, 300])
    parser.add_argument("--bare", type=sizes_argument, default=[30, 100])
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "crowd.json")
    arguments = parser.parse_args()
    log_dir = Path(tempfile.mkdtemp(prefix="bench-crowd-logs-"))
    figures = asyncio.run(series(arguments.sizes, arguments.bare, log_dir))
    arguments.out.parent.mkdir(parents=True, exist_ok=True)
    arguments.out.write_text(json.dumps(figures, indent=2))
    print(report(figures))
    print(f"\n(JSON: {arguments.out}; server logs: {log_dir})")

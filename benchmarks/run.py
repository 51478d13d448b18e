"""`make bench`: the workbook's speed, measured side by side in one run against a bare Voila page.

Three servers from the same environment: **bare** (plain `voila` with its defaults on a notebook of one line
of text and one slider), **app** (the workbook as `make start` serves it: one pre-heated kernel per
participant hosting every chapter) and **per-page** (`--per-page`: one Voila page and one kernel per chapter,
the design the app replaced). Prints a table and writes JSON to benchmarks/results/.

Figures: time to interactive in Chromium; N participants opening a page at once and changing chapter at once
(protocol level, see participants.py); bytes per page on first and repeat visit; kernel memory; kernels
left after participants leave; the facilitator's room as 10, 40 and 100 participants send at once
(room_load.py); and the crowd series, one server for 30, 100, 200 and 300 participants at once
(crowd.py). Requests to other hosts are blocked in the browser for every server alike (the stock template
asks a CDN for fonts, which an offline room cannot reach).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.request import urlopen

import crowd as crowd_series
from participants import Participant
from playwright.async_api import Browser, async_playwright
from room_load import measure as measure_room
from room_load import report as room_report

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
]

BARE, BARE_NEXT = "/voila/render/bare.ipynb", "/voila/render/bare-next.ipynb"
APP = "/voila/render/app.ipynb"
CHAPTERS = [
    "fr/00-accueil",
    "fr/01-pourquoi-l-alliance",
    "fr/02-croire-aux-ressources",
    "fr/03-le-changement-a-commence",
    "fr/04-les-questions-d-echelle",
    "fr/05-demander-un-retour",
    "fr/06-cooperer-et-faire-le-point",
    "en/00-welcome",
    "en/01-why-the-alliance",
    "en/02-believing-in-resources",
    "en/03-change-has-started",
    "en/04-scaling-questions",
    "en/05-asking-for-feedback",
    "en/06-cooperating-and-your-synthesis",
]
READY = {  # what "interactive" means on each page
    "bare": ".widget-slider .noUi-handle",
    "00": ".wb-path-link",
    "01": ".wb-factors .noUi-handle",
    "02": ".wb-reformulate .wb-statement blockquote",
    "03": ".wb-first-call .wb-phrase",
    "04": ".wb-scaling .js-plotly-plot .main-svg",  # the chart drawn: plotly.js loaded
    "05": ".wb-checkin .js-plotly-plot .main-svg",
    "06": ".wb-relationships textarea",
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    name: str
    command: list[str]
    cwd: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None
    log: Path | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, logs: Path) -> None:
        self.log = logs / f"{self.name}.log"
        with self.log.open("w") as out:
            self.process = subprocess.Popen(
                [*self.command, f"--port={self.port}"], cwd=self.cwd, stdout=out, stderr=subprocess.STDOUT
            )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                urlopen(self.base + "/voila/static/voila.js", timeout=2)  # noqa: S310 (loopback)
                return
            except OSError:
                time.sleep(0.25)
        raise RuntimeError(f"{self.name} did not start:\n{self.log.read_text()}")

    def stop(self) -> None:
        if self.process:
            self.process.terminate()
            try:
                self.process.wait(timeout=120)  # a server holding a hundred kernels takes a while
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            self.process = None

    def restart(self, logs: Path) -> None:
        name = self.name
        self.stop()
        self.name = f"{name}-again"
        self.start(logs)
        self.name = name

    def kernels(self) -> dict[str, int]:
        """Kernel id → RSS (KiB) of every kernel process this server started."""
        assert self.process is not None
        found = {}
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
                if int(stat.rsplit(")", 1)[1].split()[1]) != self.process.pid:
                    continue
                cmdline = (entry / "cmdline").read_bytes().decode().split("\0")
                connection = next(arg for arg in cmdline if arg.endswith(".json") and "kernel-" in arg)
                status = (entry / "status").read_text()
                rss = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS"))
            except (OSError, StopIteration, IndexError, ValueError):
                continue
            found[Path(connection).stem.removeprefix("kernel-")] = rss
        return found

    async def settle(self, expected: int, timeout: float = 150) -> None:
        """Wait until this server runs ``expected`` kernels and the machine is quiet (a refilled pool)."""
        deadline = time.monotonic() + timeout
        while len(self.kernels()) < expected and time.monotonic() < deadline:
            await asyncio.sleep(0.5)
        while not cpu_idle() and time.monotonic() < deadline:
            await asyncio.sleep(0.5)


def cpu_idle(threshold: float = 0.25) -> bool:
    """True when the machine's CPUs were mostly idle over the last half second."""

    def sample() -> tuple[int, int]:
        values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
        return values[3] + values[4], sum(values)

    idle1, total1 = sample()
    time.sleep(0.5)
    idle2, total2 = sample()
    return 1 - (idle2 - idle1) / max(1, total2 - total1) < threshold


def quantiles(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    pick = lambda q: ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]  # noqa: E731
    return {"p50": pick(0.5), "p95": pick(0.95), "max": ordered[-1], "n": len(ordered)}


# ---------------------------------------------------------------------------------------------------------
# Browser figures: time to interactive, bytes on first and repeat visit, in-app chapter change.


async def new_page(browser: Browser):
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    page = await context.new_page()
    page.set_default_timeout(180_000)
    counter = {"bytes": 0}
    cdp = await context.new_cdp_session(page)
    await cdp.send("Network.enable")
    cdp.on(
        "Network.loadingFinished",
        lambda event: counter.__setitem__("bytes", counter["bytes"] + event["encodedDataLength"]),
    )
    cdp.on(
        "Network.webSocketFrameReceived",
        lambda event: counter.__setitem__("bytes", counter["bytes"] + len(event["response"]["payloadData"])),
    )
    return context, page, counter


async def leave(context, page) -> None:
    """Close the tab as a person does: leaving the page sends Voila's unload beacon."""
    await page.goto("about:blank")
    await context.close()


async def time_to_interactive(browser: Browser, url: str, ready: str, route: str | None = None) -> dict:
    context, page, counter = await new_page(browser)
    await page.goto(url, wait_until="commit")
    await page.locator(ready).first.wait_for(state="visible")
    if route:
        await page.locator(f'.wb-chapters a[aria-current="page"][href="#{route}"]').wait_for()
    tti = await page.evaluate("performance.now()") / 1000
    first = counter["bytes"]
    await asyncio.sleep(1)  # let late frames land before reading the count
    first = counter["bytes"]
    counter["bytes"] = 0
    await page.reload(wait_until="commit")
    await page.locator(ready).first.wait_for(state="visible")
    await asyncio.sleep(1)
    repeat = counter["bytes"]
    await leave(context, page)
    return {"tti": tti, "first_bytes": first, "repeat_bytes": repeat}


async def in_app_change(browser: Browser, server: Server) -> float:
    context, page, _ = await new_page(browser)
    await page.goto(server.base + APP + "#fr/00-accueil")
    await page.locator(READY["00"]).first.wait_for(state="visible")
    start = time.perf_counter()
    await page.locator(".wb-pager .wb-next").click()
    await page.locator(READY["01"]).first.wait_for(state="visible")
    elapsed = time.perf_counter() - start
    await leave(context, page)
    return elapsed


async def kernel_memory_after_use(browser: Browser, server: Server, url: str, reveal: bool) -> int:
    """RSS (KiB) of the kernel behind ``url`` once the page is used (chart revealed, text typed)."""
    context, page, _ = await new_page(browser)
    await page.goto(url)
    if reveal:
        await page.locator(READY["01"]).first.wait_for(state="visible")
        await page.locator(".wb-reveal").click()
        await page.locator(".wb-chart .js-plotly-plot").wait_for(state="visible")
        await page.locator(".wb-reflection textarea").fill("Une phrase de réflexion.")
    else:
        await page.locator(READY["bare"]).first.wait_for(state="visible")
    config = await page.evaluate("JSON.parse(document.getElementById('jupyter-config-data').textContent)")
    rss = server.kernels().get(config["kernelId"], 0)
    await leave(context, page)
    return rss


# ---------------------------------------------------------------------------------------------------------
# Load figures: N participants at once.


async def crowd(server: Server, participants: int, first: str, second: str, in_app: bool) -> dict[str, Any]:
    """N participants open ``first`` at once, then all move to ``second`` at once, then all leave."""
    people = [Participant(server.base) for _ in range(participants)]
    joined = await asyncio.gather(*(person.open(first) for person in people), return_exceptions=True)
    served = [t for t in joined if isinstance(t, float)]
    first_kernels = {person.kernel_id for person in people}
    memory = statistics.median(server.kernels().values()) if server.kernels() else 0
    if in_app:
        moved = await asyncio.gather(*(person.route(second) for person in people), return_exceptions=True)
    else:

        async def next_page(person: Participant) -> float:
            start = time.perf_counter()
            await person.leave()
            await person.open(second)
            return time.perf_counter() - start

        moved = await asyncio.gather(*(next_page(person) for person in people), return_exceptions=True)
    changed = [t for t in moved if isinstance(t, float)]
    theirs = {person.kernel_id for person in people} | first_kernels
    statuses = await asyncio.gather(*(person.leave() for person in people), return_exceptions=True)
    await asyncio.sleep(5)
    left = len(theirs & set(server.kernels()))
    errors = [repr(e)[:200] for e in [*joined, *moved] if not isinstance(e, float)]
    return {
        "join": quantiles(served) if served else None,
        "join_served": len(served),
        "change": quantiles(changed) if changed else None,
        "change_served": len(changed),
        "errors": errors[:5],
        "kernel_rss_kib_median": memory,
        "participant_kernels_alive_5s_after_leaving": left,
        "beacon_status": sorted({s for s in statuses if isinstance(s, int)}),
    }


async def culling(server: Server, participants: int = 3, timeout: float = 120) -> float | None:
    """Participants vanish without a beacon: seconds until the server has culled their kernels."""
    people = [Participant(server.base) for _ in range(participants)]
    await asyncio.gather(*(person.open(APP) for person in people))
    ids = {person.kernel_id for person in people}
    await asyncio.gather(*(person.drop() for person in people))
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        if not ids & set(server.kernels()):
            return time.perf_counter() - start
        await asyncio.sleep(1)
    return None


# ---------------------------------------------------------------------------------------------------------


def import_time() -> dict[str, float]:
    """Seconds to import what an app kernel imports, in a fresh interpreter (median of 5)."""
    code = "import time; t = time.perf_counter(); import widgets.app; print(time.perf_counter() - t)"
    bare = "import time; t = time.perf_counter(); import ipywidgets; print(time.perf_counter() - t)"

    def run(source: str) -> float:
        command = [sys.executable, "-c", source]
        return float(subprocess.run(command, capture_output=True, text=True, check=True).stdout)

    return {
        "widgets.app": statistics.median(run(code) for _ in range(5)),
        "ipywidgets": statistics.median(run(bare) for _ in range(5)),
    }


async def main(args: argparse.Namespace) -> dict[str, Any]:
    logs = Path(tempfile.mkdtemp(prefix="bench-logs-"))
    bare_dir = Path(tempfile.mkdtemp(prefix="bench-bare-"))
    for notebook in FIXTURES.glob("*.ipynb"):
        shutil.copy(notebook, bare_dir)
    python = sys.executable
    servers = {
        "bare": Server("bare", [python, "-m", "voila", str(bare_dir), "--no-browser"], cwd=bare_dir),
        "app": Server("app", [python, "-m", "widgets.server", f"--room={args.participants}"], cwd=ROOT),
        "per-page": Server("per-page", [python, "-m", "widgets.server", "--per-page"], cwd=ROOT),
        "app-cull": Server(
            "app-cull",
            [
                python, "-m", "widgets.server", "--room=1",
                "--MappingKernelManager.cull_idle_timeout=10", "--MappingKernelManager.cull_interval=2",
            ],
            cwd=ROOT,
        ),
    }  # fmt: skip
    results: dict[str, Any] = {
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        "participants": args.participants,
        "rounds": args.rounds,
    }
    for server in servers.values():
        server.start(logs)
    try:
        await servers["app"].settle(args.participants)
        await servers["app-cull"].settle(1)
        results["import_seconds"] = import_time()
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            tti: dict[str, list[dict]] = {}
            targets = [("app " + route, servers["app"].base + APP + "#" + route, READY[route[3:5]], route)
                       for route in CHAPTERS]  # fmt: skip
            targets += [("per-page " + route, f"{servers['per-page'].base}/voila/render/{route}.ipynb",
                         READY[route[3:5]], None) for route in CHAPTERS]  # fmt: skip
            for round_number in range(args.rounds):
                print(
                    f"time to interactive, round {round_number + 1}/{args.rounds}",
                    file=sys.stderr,
                    flush=True,
                )
                for name, url, ready, route in targets:
                    tti.setdefault("bare", []).append(
                        await time_to_interactive(browser, servers["bare"].base + BARE, READY["bare"])
                    )
                    tti.setdefault(name, []).append(await time_to_interactive(browser, url, ready, route))
            results["pages"] = {
                name: {key: statistics.median(run[key] for run in runs) for key in runs[0]}
                for name, runs in tti.items()
            }
            results["in_app_change_seconds"] = statistics.median(
                [await in_app_change(browser, servers["app"]) for _ in range(args.rounds)]
            )
            await servers["app"].settle(args.participants)
            results["kernel_rss_kib"] = {
                "bare ipywidgets kernel": await kernel_memory_after_use(
                    browser, servers["bare"], servers["bare"].base + BARE, reveal=False
                ),
                "app kernel, chapter 01 used": await kernel_memory_after_use(
                    browser,
                    servers["app"],
                    servers["app"].base + APP + "#fr/01-pourquoi-l-alliance",
                    reveal=True,
                ),
            }
            await browser.close()
        await servers["app"].settle(args.participants)
        results["pool_kernel_rss_kib"] = statistics.median(servers["app"].kernels().values())
        print("participants at once", file=sys.stderr, flush=True)
        n = args.participants
        # Stock Voila never shuts down the kernel of a page that was left ("left" below): after the rounds
        # above the bare server holds over a hundred kernels, near zmq's limit of 1023 sockets per process
        # ("Too many open files"). The crowd starts on a fresh bare server, as a workshop would.
        servers["bare"].restart(logs)
        results["crowd"] = {
            "bare": await crowd(servers["bare"], n, BARE, BARE_NEXT, in_app=False),
        }
        results["crowd"]["per-page"] = await crowd(
            servers["per-page"],
            n,
            "/voila/render/fr/00-accueil.ipynb",
            "/voila/render/fr/01-pourquoi-l-alliance.ipynb",
            in_app=False,
        )
        await servers["app"].settle(n)
        results["crowd"]["app"] = await crowd(
            servers["app"], n, APP, "fr/01-pourquoi-l-alliance", in_app=True
        )
        results["culled_after_seconds"] = await culling(servers["app-cull"])
    finally:
        for server in servers.values():
            server.stop()
    print("the facilitator's room: senders at once", file=sys.stderr, flush=True)
    results["room"] = await measure_room([10, 40, 100])
    if args.crowd or args.crowd_bare:
        results["crowd_series"] = await crowd_series.series(args.crowd, args.crowd_bare, logs)
    return results


def report(results: dict[str, Any]) -> str:
    pages = results["pages"]
    bare = pages["bare"]
    lines = [
        f"Machine: {results['machine']['cpus']} CPUs, Python {results['machine']['python']}; "
        f"{results['participants']} participants; {results['rounds']} rounds (medians).",
        "",
        f"{'page':38} {'TTI s':>7} {'× bare':>7} {'first KB':>9} {'repeat KB':>10}",
    ]
    for name, figures in pages.items():
        lines.append(
            f"{name:38} {figures['tti']:7.2f} {figures['tti'] / bare['tti']:7.2f} "
            f"{figures['first_bytes'] / 1024:9.0f} {figures['repeat_bytes'] / 1024:10.0f}"
        )
    lines += [
        "",
        f"In-app chapter change (click → chapter interactive): {results['in_app_change_seconds']:.2f} s",
        "",
    ]
    lines.append(f"{'N at once':14} {'join p50':>9} {'p95':>7} {'max':>7} {'served':>7} "
                 f"{'change p50':>11} {'p95':>7} {'max':>7} {'served':>7} {'left':>5}")  # fmt: skip
    for name, crowd_figures in results["crowd"].items():
        join, change = crowd_figures["join"] or {}, crowd_figures["change"] or {}
        lines.append(
            f"{name:14} {join.get('p50', 0):9.2f} {join.get('p95', 0):7.2f} {join.get('max', 0):7.2f} "
            f"{crowd_figures['join_served']:7d} {change.get('p50', 0):11.2f} {change.get('p95', 0):7.2f} "
            f"{change.get('max', 0):7.2f} {crowd_figures['change_served']:7d} "
            f"{crowd_figures['participant_kernels_alive_5s_after_leaving']:5d}"
        )
    crowd_bare, crowd_app = results["crowd"]["bare"], results["crowd"]["app"]
    for what in ("join", "change"):
        if crowd_bare[what] and crowd_app[what]:
            ratio = crowd_app[what]["p95"] / crowd_bare[what]["p95"]
            lines.append(f"app {what} p95 / bare {what} p95: {ratio:.3f}")
    rss = results["kernel_rss_kib"]
    reference = rss["bare ipywidgets kernel"]
    lines += [""] + [
        f"kernel RSS {name:32} {kib / 1024:6.1f} MB  ({kib / reference:.2f} × bare)"
        for name, kib in rss.items()
    ]
    lines.append(f"pre-heated app kernel RSS (pool, median): {results['pool_kernel_rss_kib'] / 1024:.1f} MB")
    lines.append(
        "participants' kernels still alive 5 s after they left: "
        + ", ".join(
            f"{name} {c['participant_kernels_alive_5s_after_leaving']} (beacon answered {c['beacon_status']})"
            for name, c in results["crowd"].items()
        )
    )
    lines.append(f"vanished participants' kernels culled after: {results['culled_after_seconds']} s "
                 "(bench server: cull after 10 s idle; make start: 300 s, checked every 60 s)")  # fmt: skip
    lines += [
        "",
        "The facilitator's room (make workshop): send → dashboard and projector, seconds",
        room_report(results["room"]),
    ]
    imports = results["import_seconds"]
    lines.append(
        f"import time: widgets.app {imports['widgets.app']:.3f} s, ipywidgets {imports['ipywidgets']:.3f} s"
    )
    if "crowd_series" in results:
        lines += ["", crowd_series.report(results["crowd_series"])]
    return "\n".join(lines)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="Measure the workbook against a bare Voila page.")
    parser.add_argument("--participants", type=int, default=30)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--crowd",
        type=crowd_series.sizes_argument,
        default=[30, 100, 200, 300],
        help="the crowd series: one server per size, ROOM sized to it ('' to skip)",
    )
    parser.add_argument(
        "--crowd-bare",
        type=crowd_series.sizes_argument,
        default=[30, 100],
        help="stock Voila opened by this many at once, beside the crowd series ('' to skip)",
    )
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "latest.json")
    arguments = parser.parse_args()
    figures = asyncio.run(main(arguments))
    arguments.out.parent.mkdir(parents=True, exist_ok=True)
    arguments.out.write_text(json.dumps(figures, indent=2))
    print(report(figures))
    print(f"\n(JSON: {arguments.out})")

"""The facilitator's room under load: how soon a send reaches the dashboard and the projector, and what the
room costs the server as it grows.

A real `make workshop` server (`widgets.server --workshop`) with a signed-in facilitator: one dashboard and
one projector follow the room as the browser pages do (the long poll of ``assets/facilitator/room.js``,
here over HTTP), the exercise shown and revealed. Then N participants send at the same instant, each from
its own process through ``widgets.room.send`` — what a participant's kernel runs when "send to the room" is
clicked. Latency is from each send's commit to the first dashboard (or projector) answer that shows it.
The server's CPU time and memory are read from /proc before and after.

``python benchmarks/room_load.py [--senders 10 40 100]`` runs it alone; ``make bench`` runs it with the rest.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from tornado.httpclient import AsyncHTTPClient, HTTPRequest

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "bench-room-password"  # noqa: S105 (the benchmark server's own)
MARK = re.compile(r"bench-answer-(\d+)")
SENDER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from widgets import room
    from widgets.store import Store
    data, code, number, start = Path(sys.argv[1]), sys.argv[2], sys.argv[3], float(sys.argv[4])
    store = Store(data)
    found = room.find(store, code)
    payload = {"text": f"What is already going a little better? bench-answer-{number}",
               "solution_focused": True, "mixed": False, "criteria": ["resources", "open_question"]}
    time.sleep(max(0.0, start - time.time()))
    room.send(store, found, f"BENCH-{number}", "reformulate", "work-1", "", payload)
    print(time.time())
    """
)


class Facilitator:
    """A signed-in facilitator over HTTP: cookies, the XSRF token, the room."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.client = AsyncHTTPClient(force_instance=True, defaults={"request_timeout": 60})
        self.cookies: dict[str, str] = {}
        self.code = ""

    def _headers(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        cookie = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        return {"Cookie": cookie, **(extra or {})}

    def _keep(self, response) -> None:
        for header in response.headers.get_list("Set-Cookie"):
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value

    async def fetch(self, path: str, method: str = "GET", body: Any = None, json_body: bool = False):
        headers = {"X-XSRFToken": self.cookies.get("_xsrf", "")}
        if json_body:
            headers["Content-Type"] = "application/json"
            payload = json.dumps(body)
        elif body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            payload = urlencode(body)
        else:
            payload = None
        request = HTTPRequest(
            self.base + path,
            method=method,
            body=payload,
            headers=self._headers(headers),
            follow_redirects=False,
        )
        response = await self.client.fetch(request, raise_error=False)
        self._keep(response)
        return response

    async def sign_in_and_open(self) -> None:
        await self.fetch("/facilitator/login")  # the _xsrf cookie
        xsrf = self.cookies["_xsrf"]
        response = await self.fetch("/facilitator/login", "POST", {"password": PASSWORD, "_xsrf": xsrf})
        assert response.code == 302, response.code
        response = await self.fetch(
            "/facilitator/rooms", "POST", {"title": "Bench", "lang": "en", "_xsrf": xsrf}
        )
        self.code = response.headers["Location"].rstrip("/").rsplit("/", 1)[1]
        await self.fetch(f"/facilitator/room/{self.code}")
        await self.fetch(
            f"/facilitator/room/{self.code}/state", "POST", {"shown": "reformulate:work-1"}, True
        )
        await self.fetch(f"/facilitator/room/{self.code}/state", "POST", {"revealed": True}, True)

    async def follow(self, audience: str, seen: dict[int, float], stop: asyncio.Event) -> None:
        """Long-poll as the page does; note when each sent answer first shows."""
        version = ""
        while not stop.is_set():
            response = await self.fetch(
                f"/facilitator/room/{self.code}/live?audience={audience}&since={version}"
            )
            arrived = time.time()
            state = json.loads(response.body)
            version = state["version"]
            for number in MARK.findall(state["html"]):
                seen.setdefault(int(number), arrived)


async def click_to_dashboard(base: str, repeats: int = 3) -> list[float]:
    """The whole path once, in Chromium: a participant clicks "send to the room" in the app (widget message,
    kernel, store) and the signed-in dashboard's long poll shows it. Seconds, per repeat."""
    from playwright.async_api import async_playwright

    chromium = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    facilitator = Facilitator(base)
    await facilitator.sign_in_and_open()
    seen: dict[int, float] = {}
    stop = asyncio.Event()
    follower = asyncio.create_task(facilitator.follow("dashboard", seen, stop))
    timings = []
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        page = await browser.new_page()
        page.set_default_timeout(90_000)
        await page.goto(f"{base}/join/{facilitator.code}")
        await page.wait_for_selector(".wb-room-joined .wb-ok")
        await page.goto(f"{base}/voila/render/app.ipynb#en/02-believing-in-resources")
        box = page.locator(".wb-reformulate textarea")
        for number in range(repeats):
            marker = 1000 + number
            await box.fill(f"What is already a little better? bench-answer-{marker}")
            await page.locator(".wb-reformulate .wb-save-state .wb-saved").wait_for()
            clicked = time.time()
            await page.locator(".wb-reformulate .wb-send").click()
            while marker not in seen and time.time() < clicked + 30:
                await asyncio.sleep(0.02)
            timings.append(round(seen.get(marker, float("nan")) - clicked, 3))
        await browser.close()
    stop.set()
    follower.cancel()
    return timings


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_mib(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS")) / 1024


def _quantiles(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    if not ordered:
        return {}
    return {
        "p50": statistics.median(ordered),
        "p95": ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))],
        "max": ordered[-1],
    }


async def one_round(base: str, pid: int, data: Path, senders: int) -> dict[str, Any]:
    facilitator = Facilitator(base)
    await facilitator.sign_in_and_open()
    dashboard: dict[int, float] = {}
    projector: dict[int, float] = {}
    stop = asyncio.Event()
    followers = [
        asyncio.create_task(facilitator.follow("dashboard", dashboard, stop)),
        asyncio.create_task(facilitator.follow("projector", projector, stop)),
    ]
    await asyncio.sleep(1.0)
    cpu_before, rss_before = cpu_seconds(pid), rss_mib(pid)
    start = time.time() + 2.0  # every sender process is up and waits for this instant
    processes = [
        await asyncio.create_subprocess_exec(
            sys.executable, "-c", SENDER, str(data), facilitator.code, str(number), str(start),
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        )
        for number in range(senders)
    ]  # fmt: skip
    sent: dict[int, float] = {}
    for number, process in enumerate(processes):
        out, err = await process.communicate()
        if process.returncode != 0:
            raise RuntimeError(err.decode())
        sent[number] = float(out.decode().strip())
    deadline = time.monotonic() + 30
    while (len(dashboard) < senders or len(projector) < senders) and time.monotonic() < deadline:
        await asyncio.sleep(0.1)
    stop.set()
    cpu_after, rss_after = cpu_seconds(pid), rss_mib(pid)
    for task in followers:
        task.cancel()
    return {
        "senders": senders,
        "dashboard_seen": len(dashboard),
        "projector_seen": len(projector),
        "dashboard_latency": _quantiles([dashboard[n] - sent[n] for n in dashboard if n in sent]),
        "projector_latency": _quantiles([projector[n] - sent[n] for n in projector if n in sent]),
        "server_cpu_seconds": round(cpu_after - cpu_before, 3),
        "server_rss_mib": round(rss_after, 1),
        "server_rss_growth_mib": round(rss_after - rss_before, 1),
    }


async def measure(sizes: list[int]) -> dict[str, Any]:
    """Start a workshop server, run one round per size, stop it."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    data = Path(tempfile.mkdtemp(prefix="bench-room-"))
    log = data / "server.log"
    env = {**os.environ, "WORKBOOK_DATA_DIR": str(data), "WORKBOOK_FACILITATOR_PASSWORD": PASSWORD}
    with log.open("w") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "widgets.server", "--workshop", "--room=1", f"--port={port}"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        client = AsyncHTTPClient(force_instance=True)
        for _ in range(240):
            try:
                await client.fetch(base + "/facilitator/login")
                break
            except OSError:
                await asyncio.sleep(0.25)
        rounds = [await one_round(base, server.pid, data, size) for size in sizes]
        return {"rounds": rounds, "click_to_dashboard_seconds": await click_to_dashboard(base)}
    finally:
        server.terminate()
        server.wait(timeout=60)


def report(results: dict[str, Any]) -> str:
    lines = [
        f"{'senders at once':16} {'seen':>5} {'dash p50':>9} {'p95':>6} {'max':>6} "
        f"{'proj p95':>9} {'server CPU s':>13} {'RSS MiB':>8} {'growth':>7}"
    ]
    for row in results["rounds"]:
        dash, proj = row["dashboard_latency"], row["projector_latency"]
        lines.append(
            f"{row['senders']:16d} {row['dashboard_seen']:5d} {dash.get('p50', 0):9.2f} "
            f"{dash.get('p95', 0):6.2f} {dash.get('max', 0):6.2f} {proj.get('p95', 0):9.2f} "
            f"{row['server_cpu_seconds']:13.2f} "
            f"{row['server_rss_mib']:8.1f} {row['server_rss_growth_mib']:7.1f}"
        )
    clicks = results.get("click_to_dashboard_seconds") or []
    if clicks:
        lines.append(
            "one participant in Chromium, click on 'send to the room' → on the dashboard: "
            + ", ".join(f"{value:.2f}" for value in clicks)
            + " s"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--senders", type=int, nargs="+", default=[10, 40, 100])
    figures = asyncio.run(measure(parser.parse_args().senders))
    print(report(figures))

"""A participant at the protocol level: what Voila's front end does, without a browser.

The websocket speaks the kernel protocol browsers use with Jupyter Server 2
(``v1.kernel.websocket.jupyter.org``: the message's parts in one binary frame, which the server passes on
without decoding them); a socket opened without it falls back to JSON text frames.

Opening a page is: GET the page (Voila answers once the notebook has run in a kernel), read the kernel id
from the page, open the kernel's websocket, ask for ``kernel_info`` and for the state of every widget in one
``request_states`` message on the ``jupyter.widget.control`` comm (as ipywidgets 8's manager does). In the
app, changing chapter is one widget message (the router's new route) answered when the kernel is idle again;
with a page per chapter it is leaving (the unload beacon) and opening the next page.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
import uuid
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from tornado.httpclient import AsyncHTTPClient, HTTPRequest
from tornado.websocket import WebSocketClientConnection, websocket_connect

V1 = "v1.kernel.websocket.jupyter.org"

CONFIG = re.compile(
    r'<script id="jupyter-config-data" type="application/json">\s*(\{.*?\})\s*</script>', re.S
)
SESSION = uuid.uuid4().hex


def message(msg_type: str, content: dict[str, Any], channel: str = "shell") -> dict[str, Any]:
    return {
        "header": {
            "msg_id": uuid.uuid4().hex,
            "msg_type": msg_type,
            "username": "bench",
            "session": SESSION,
            "date": "",
            "version": "5.3",
        },
        "parent_header": {},
        "metadata": {},
        "content": content,
        "channel": channel,
        "buffers": [],
    }


def to_v1(msg: dict[str, Any]) -> bytes:
    """A message as one v1 binary frame: offsets, the channel, then header, parent, metadata, content."""
    parts = [json.dumps(msg[key]).encode() for key in ("header", "parent_header", "metadata", "content")]
    channel = msg["channel"].encode()
    offsets = [8 * (1 + 1 + len(parts) + 1)]
    offsets.append(offsets[-1] + len(channel))
    for part in parts:
        offsets.append(offsets[-1] + len(part))
    head = len(offsets).to_bytes(8, "little") + b"".join(o.to_bytes(8, "little") for o in offsets)
    return head + channel + b"".join(parts)


def from_v1(frame: bytes) -> dict[str, Any]:
    count = int.from_bytes(frame[:8], "little")
    offsets = [int.from_bytes(frame[8 * (i + 1) : 8 * (i + 2)], "little") for i in range(count)]
    channel = frame[offsets[0] : offsets[1]].decode()
    parts = [frame[offsets[i] : offsets[i + 1]] for i in range(1, min(5, count - 1))]
    header, parent, metadata, content = (json.loads(part) for part in parts)
    return {
        "channel": channel,
        "header": header,
        "parent_header": parent,
        "metadata": metadata,
        "content": content,
    }


@dataclass
class Participant:
    """One person's connection to one page: its kernel, its websocket, the widget states it knows."""

    base: str
    url: str = ""
    kernel_id: str = ""
    socket: WebSocketClientConnection | None = None
    states: dict[str, dict[str, Any]] = field(default_factory=dict)
    bytes_received: int = 0
    _pending: dict[str, asyncio.Future] = field(default_factory=dict)
    _reader: asyncio.Task | None = None

    async def open(self, path: str, timeout: float = 600) -> float:
        """Open ``path`` as a browser would; return the seconds until every widget's state is known."""
        start = time.perf_counter()
        client = AsyncHTTPClient(max_clients=1000)  # a crowd of 300 opens at once, not 200 at a time
        response = await client.fetch(
            HTTPRequest(
                self.base + path, request_timeout=timeout, connect_timeout=timeout, follow_redirects=True
            )
        )
        self.url = response.effective_url
        body = response.body.decode()
        self.bytes_received += len(response.body)
        match = CONFIG.search(body)
        if not match:
            raise RuntimeError(f"no kernel in {self.url}")
        self.kernel_id = json.loads(match.group(1))["kernelId"]
        ws = (
            self.base.replace("http", "ws", 1)
            + f"/api/kernels/{self.kernel_id}/channels?session_id={SESSION}"
        )
        # The binary protocol and permessage-deflate, as browsers ask for them (widgets/server.py offers both)
        self.socket = await websocket_connect(
            ws, max_message_size=64 * 1024 * 1024, compression_options={}, subprotocols=[V1]
        )
        self._reader = asyncio.create_task(self._read())
        await self.request(message("kernel_info_request", {}))
        self.states = await self.all_widget_states()
        return time.perf_counter() - start

    async def all_widget_states(self) -> dict[str, dict[str, Any]]:
        """Every widget's state in one round trip, as ipywidgets 8's manager asks for it on connect."""
        comm_id = uuid.uuid4().hex
        opened = message(
            "comm_open", {"comm_id": comm_id, "target_name": "jupyter.widget.control", "data": {}}
        )
        opened["metadata"] = {"version": "1.0.0"}  # the control protocol version the front end announces
        assert self.socket is not None
        await self.send(opened)
        reply = await self.request(
            message("comm_msg", {"comm_id": comm_id, "data": {"method": "request_states"}})
        )
        await self.send(message("comm_close", {"comm_id": comm_id, "data": {}}))
        return {key: value["state"] for key, value in reply["content"]["data"]["states"].items()}

    async def _read(self) -> None:
        assert self.socket is not None
        while (raw := await self.socket.read_message()) is not None:
            self.bytes_received += len(raw)
            if isinstance(raw, bytes):
                if self.socket.selected_subprotocol != V1:
                    continue  # binary buffers: none of our widgets send any
                msg = from_v1(raw)
            else:
                msg = json.loads(raw)
            parent = msg.get("parent_header", {}).get("msg_id")
            kind = msg["header"]["msg_type"]
            future = self._pending.get(parent)
            if future is None or future.done():
                continue
            reply = kind.endswith("_reply") and msg["channel"] == "shell"
            state = kind == "comm_msg" and msg["content"]["data"].get("method") in ("update", "update_states")
            idle = kind == "status" and msg["content"]["execution_state"] == "idle"
            # A widget-update request is answered by the kernel going idle, not by its first message.
            if (reply or state) if not future.idle else idle:
                future.set_result(msg)

    async def request(self, msg: dict[str, Any], until_idle: bool = False) -> dict[str, Any]:
        """Send ``msg``; wait for its reply (or for the kernel to be idle after it)."""
        assert self.socket is not None
        future: asyncio.Future = asyncio.get_running_loop().create_future()
        future.idle = until_idle  # type: ignore[attr-defined]
        self._pending[msg["header"]["msg_id"]] = future
        await self.send(msg)
        return await future

    async def send(self, msg: dict[str, Any]) -> None:
        assert self.socket is not None
        if self.socket.selected_subprotocol == V1:
            await self.socket.write_message(to_v1(msg), binary=True)
        else:
            await self.socket.write_message(json.dumps(msg))

    def router(self) -> str:
        return next(comm_id for comm_id, state in self.states.items() if "route" in state)

    async def route(self, route: str) -> float:
        """Change chapter inside the app, as router.js does; seconds until the kernel is idle again."""
        start = time.perf_counter()
        data = {"method": "update", "state": {"route": route}, "buffer_paths": []}
        await self.request(message("comm_msg", {"comm_id": self.router(), "data": data}), until_idle=True)
        return time.perf_counter() - start

    def identity(self) -> str:
        return next(comm_id for comm_id, state in self.states.items() if "notices" in state)

    async def ping(self, number: int) -> float:
        """What an open page does every 5 s (assets/js/identity.js): ask the kernel whether it still
        answers; seconds until its "pong" comes back."""
        start = time.perf_counter()
        data = {"method": "custom", "content": {"event": "ping", "n": number}}
        await self.request(message("comm_msg", {"comm_id": self.identity(), "data": data}), until_idle=True)
        return time.perf_counter() - start

    async def leave(self) -> int:
        """Close the page as a browser does: the unload beacon, then the websocket; the beacon's status."""
        host = urlsplit(self.base)
        client = AsyncHTTPClient()
        response = await client.fetch(
            HTTPRequest(
                f"{self.base}/voila/api/shutdown/{self.kernel_id}",
                method="POST",
                body=b"",
                headers={"Origin": f"{host.scheme}://{host.netloc}", "Referer": self.url},
            ),
            raise_error=False,
        )
        if self.socket is not None:
            self.socket.close()
        if self._reader is not None:
            await asyncio.gather(self._reader, return_exceptions=True)
        return response.code

    async def drop(self) -> None:
        """Vanish without a word (a closed laptop): the socket goes, no beacon."""
        if self.socket is not None:
            self.socket.close()
        if self._reader is not None:
            await asyncio.gather(self._reader, return_exceptions=True)

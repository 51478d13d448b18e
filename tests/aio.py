"""Running asyncio code from a test in a thread of its own: in `make test` the browser tests' Playwright
session (sync API) keeps an event loop running in the main thread, where ``asyncio.run`` then refuses."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable
from typing import Any


def run(scenario: Callable[[], Awaitable[Any]], timeout: float = 300) -> Any:
    """``asyncio.run(scenario())`` in a new thread; its result, or the exception it raised."""
    return in_thread(lambda: asyncio.run(scenario()), timeout)


def in_thread(function: Callable[[], Any], timeout: float = 300) -> Any:
    """``function()`` in a new thread (code that runs an event loop of its own, such as a notebook client or
    Tornado's test case); its result, or the exception it raised."""
    outcome: dict[str, Any] = {}

    def target() -> None:
        try:
            outcome["value"] = function()
        except BaseException as error:  # handed to the test's thread
            outcome["error"] = error

    worker = threading.Thread(target=target)
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        raise TimeoutError(f"{getattr(function, '__name__', 'it')} did not finish within {timeout} s")
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]

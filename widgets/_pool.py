"""The room's pool of pre-heated kernels, run on top of Voila 0.5's (its private API, checked at start-up).

What Voila does not do, and a room of 30 to 300 needs:

- **Serve only ready kernels.** Voila counts a kernel that is still starting (or still waiting for
  ``fill_delay``) as available and makes the request wait for it. Here a person beyond the ready kernels gets
  a kernel started for them, as without a pool; a kernel handed out starts its idle clock afresh, so that the
  culler cannot take it before the browser has connected.
- **Fill at a pace the machine can take.** Voila starts every kernel of the pool at once: 300 kernels
  importing Python on two cores left the server unable to answer anyone for minutes. Here at most ``pace``
  kernels start and run the workbook at a time (the machine's cores); the server keeps answering, and
  participants who arrive early are served by the kernels ready so far.
- **Say how far it is.** One log line as each tenth of the pool is ready, and when it is full (``make start``
  and ``make workshop`` print the log).
- **Keep what the room needs, not twice it.** Voila refills the pool to its full size after every kernel it
  hands out: a room of 300 that has arrived would start 300 more. Here the pool is refilled to the room's
  size minus the kernels in use, and never below a tenth of the room (latecomers, reloads); a kernel shut
  down (a participant gone) makes room for one more in the pool.
- **Stop where the machine stops.** A kernel is not started when :func:`widgets._capacity.refusal` says the
  machine cannot take one more; the pool stays smaller, and the log says why.
"""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import UTC, datetime
from typing import Any

from widgets import _capacity


class CannotServe(RuntimeError):
    """The server cannot start; the message says why and what to do, in one or two lines."""


class VoilaChanged(CannotServe):
    """The installed Voila lacks an internal that the server patches (a private API): refuse to start rather
    than serve without the patch (kernels of closed tabs left running, a room waiting on starting kernels)."""

    def __init__(self, missing: str, purpose: str) -> None:
        from voila import __version__

        super().__init__(
            f"Voila {__version__} has no {missing}, which widgets/server.py relies on ({purpose}). The "
            "workbook is made for Voila 0.5 (pinned in pyproject.toml): run `make install` to get that "
            "version, or adapt widgets/server.py to this one."
        )
        self.missing = missing


POOL_METHODS = (
    "get_rendered_notebook",
    "get_pool_size",
    "fill_if_needed",
    "_initialize",
    "shutdown_kernel",
    "shutdown_all",
)


def check_kernel_pool(manager) -> None:
    """What :class:`Pool` uses of Voila 0.5's pool of pre-heated kernels (private API)."""
    purpose = "serving a room from a pool of pre-heated kernels"
    name = type(manager).__name__
    if not isinstance(getattr(manager, "_pools", None), dict):
        raise VoilaChanged(f"`_pools` (a dict) on its kernel manager {name}", purpose)
    if not isinstance(getattr(manager, "_kernels", None), dict):
        raise VoilaChanged(f"`_kernels` (a dict) on its kernel manager {name}", purpose)
    if not isinstance(getattr(manager, "kernel_pools_config", None), dict):
        raise VoilaChanged(f"`kernel_pools_config` (a dict) on its kernel manager {name}", purpose)
    for method in POOL_METHODS:
        if not callable(getattr(manager, method, None)):
            raise VoilaChanged(f"`{method}` on its kernel manager {name}", purpose)


class PoolFull(RuntimeError):
    """The machine cannot take one more kernel (``reason``: files, sockets or memory)."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"no more kernels: {reason}")
        self.reason = reason


class Pool:
    """The pool of one notebook (the app), installed on Voila's kernel manager by :meth:`install`."""

    def __init__(
        self,
        manager,
        notebook: str,
        room: int,
        plan: _capacity.Plan | None = None,
        pace: int = 2,
        log: logging.Logger | None = None,
        render_timeout: float = 180.0,
    ) -> None:
        self.manager = manager
        self.notebook = notebook
        self.room = room
        self.plan = plan
        self.pace = max(1, pace)
        self.log = log or logging.getLogger("workbook.pool")
        self.render_timeout = render_timeout
        self.floor = min(room, max(2, room // 10))
        self.filling_since: float | None = None
        self.prepared = 0  # kernels that have run the workbook for the pool since the first fill began
        self._announced = 0
        self._full_reason: str | None = None
        self._slots: asyncio.Semaphore | None = None
        self._watched: set[int] = set()
        self.closing = False

    # --- what the handlers ask ------------------------------------------------------------------------

    def _ready(self) -> list:
        return [
            task
            for task in self.manager._pools.get(self.notebook, [])
            if task.done() and not task.cancelled() and task.exception() is None
        ]

    def ready(self) -> int:
        """Kernels that can be handed out now."""
        return len(self._ready())

    def in_use(self) -> int:
        return max(0, len(self.manager._kernels) - self.ready())

    def refusal(self) -> str | None:
        """Why a person arriving now cannot be given a kernel (``None``: they can)."""
        if self.ready():
            return None
        if self.plan is None:
            return None
        return _capacity.refusal(len(self.manager._kernels), self.plan)

    # --- installed on Voila's kernel manager ----------------------------------------------------------

    def install(self) -> None:
        """Replace the pool methods Voila's handler calls, then start filling (at ``pace`` at a time)."""
        check_kernel_pool(self.manager)
        manager = self.manager
        take, fill, initialize = (
            manager.get_rendered_notebook,
            manager.fill_if_needed,
            manager._initialize,
        )
        shutdown, shutdown_all = manager.shutdown_kernel, manager.shutdown_all

        def get_pool_size(notebook_name: str) -> int:
            return self.ready() if notebook_name == self.notebook else 0

        async def get_rendered_notebook(notebook_name: str, *args, **kwargs):
            pool = manager._pools[notebook_name]
            first_ready = self._ready()[0]
            pool.remove(first_ready)
            pool.insert(0, first_ready)  # Voila takes pool[0]
            result = await take(notebook_name, *args, **kwargs)
            # A kernel may wait in the pool longer than the idle-cull timeout (a room that arrives ten
            # minutes after `make start`). Voila protects it while pooled, not between being handed out and
            # the browser connecting: its idle clock starts now, as the participant arrives.
            kernel = manager._kernels.get(result[2])
            if kernel is not None:
                kernel.last_activity = datetime.now(UTC)  # jupyter_server's clock is timezone-aware UTC
            return result

        def fill_if_needed(delay=None, notebook_name=None, **kwargs) -> None:
            if notebook_name == self.notebook:
                size = self.target()
                manager.kernel_pools_config = {
                    **manager.kernel_pools_config,
                    notebook_name: {**manager.kernel_pools_config.get("default", {}), "pool_size": size},
                }
            fill(delay=delay, notebook_name=notebook_name, **kwargs)
            self._watch(manager._pools.get(notebook_name, []))

        async def paced_initialize(notebook_path: str, kernel_id: str | None = None, **kwargs) -> Any:
            if kernel_id is not None:  # a restart, not the pool filling
                return await initialize(notebook_path, kernel_id, **kwargs)
            return await self._start_one(initialize, notebook_path, **kwargs)

        async def shutdown_kernel(kernel_id: str, *args, **kwargs) -> Any:
            result = await shutdown(kernel_id, *args, **kwargs)
            # A participant left (a closed tab, the culler): the room needs one place more in the pool,
            # after the same delay as a refill, so that a reload (which frees one and takes one) settles.
            if not self.closing and self.room:
                fill_if_needed(notebook_name=self.notebook)
            return result

        async def close_all(*args, **kwargs) -> Any:
            self.closing = True
            return await shutdown_all(*args, **kwargs)

        manager.get_pool_size = get_pool_size
        manager.get_rendered_notebook = get_rendered_notebook
        manager.fill_if_needed = fill_if_needed
        manager._initialize = paced_initialize
        manager.shutdown_kernel = shutdown_kernel
        manager.shutdown_all = close_all
        if self.room:
            self.filling_since = time.monotonic()
            self.log.info(
                "Pool: preparing %s, %d at a time; participants who arrive now are served as places "
                "become ready.",
                _places(self.room),
                self.pace,
            )
            fill_if_needed(delay=0, notebook_name=self.notebook)

    def target(self) -> int:
        """The pool's size now: the room less the kernels in use, never below a tenth of the room."""
        return max(self.floor, self.room - self.in_use()) if self.room else 0

    async def _start_one(self, initialize, notebook_path: str, **kwargs) -> Any:
        if self._slots is None:
            self._slots = asyncio.Semaphore(self.pace)
        await self._slots.acquire()
        released = False

        def release(*_: Any) -> None:
            nonlocal released
            if not released:
                released = True
                self._slots.release()

        try:
            reason = _capacity.refusal(len(self.manager._kernels), self.plan) if self.plan else None
            if reason is not None:
                raise PoolFull(reason)
            content = await initialize(notebook_path, None, **kwargs)
        except BaseException:
            release()
            raise
        # The slot is held until the kernel has run the workbook (or is handed out, which stops that run),
        # and at most ``render_timeout`` seconds should a run hang.
        timer = asyncio.get_running_loop().call_later(self.render_timeout, release)
        content["task"].add_done_callback(lambda _: (timer.cancel(), release(), self._prepared()))
        return content

    def _prepared(self) -> None:
        self.prepared += 1
        if self.filling_since is None or self._announced >= self.room:
            return
        step = max(1, self.room // 10)
        if self.prepared >= self.room or self.prepared >= self._announced + step:
            self._announced = self.prepared
            elapsed = time.monotonic() - self.filling_since
            if self.prepared >= self.room:
                self.log.info("Pool: full — %s ready in %s.", _places(self.room), _duration(elapsed))
                self.filling_since = None
            else:
                self.log.info(
                    "Pool: %d of %d places ready (%s).", self.prepared, self.room, _duration(elapsed)
                )

    def _watch(self, tasks: list) -> None:
        """A pool task that failed (the machine full, a kernel that would not start) leaves the pool, so
        that it is neither handed out nor counted, and a later fill can try again."""
        for task in tasks:
            if id(task) in self._watched:
                continue
            self._watched.add(id(task))
            task.add_done_callback(self._failed)

    def _failed(self, task) -> None:
        self._watched.discard(id(task))
        if task.cancelled() or task.exception() is None:
            return
        pool = self.manager._pools.get(self.notebook, [])
        if task in pool:
            pool.remove(task)
        error = task.exception()
        if isinstance(error, PoolFull):
            if self._full_reason != error.reason:
                self._full_reason = error.reason
                self.log.warning(
                    "Pool: stopped at %d kernels — the machine cannot take one more (%s). Participants "
                    "beyond it are told the workbook is full.",
                    len(self.manager._kernels),
                    error.reason,
                )
        else:
            self.log.warning("Pool: a kernel could not be prepared: %r", error)


def _places(count: int) -> str:
    return f"{count:,} place" if count == 1 else f"{count:,} places"


def _duration(seconds: float) -> str:
    minutes, seconds = divmod(round(seconds), 60)
    return f"{minutes} min {seconds:02d} s" if minutes else f"{seconds} s"

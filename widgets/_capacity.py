"""How many participants one server can hold, and the limits it must lift to hold them.

Every participant has a kernel, and the server talks to each kernel over ZeroMQ sockets: measured here
(``tests/unit/test_capacity.py`` pins the figures), a connected participant holds 4 sockets on the server
(the page's shell, iopub, stdin and control channels) plus 1 the server keeps for the kernel, and a kernel
executing the workbook for the pool holds 5 more while it runs. ZeroMQ's context allows 1,023 sockets by
default: about 200 participants, after which every new one got its connection reset and the log said
``ZMQError: Too many open files``. The server therefore sizes the context for the participants it can hold,
and raises its own open-file limit (each socket is two files: its mailbox and its connection) as far as the
operating system lets it.

Then the server refuses a kernel only when it truly cannot start one — the operating system's open-file
limit reached, or the machine's memory nearly gone — and the person gets a page that says so in words
(widgets/server.py), not a reset connection.
"""

from __future__ import annotations

import errno
import os
import sys
from dataclasses import dataclass
from pathlib import Path

ZMQ_DEFAULT_SOCKETS = 1023
# Per participant: 4 channel sockets + 1 kept by the server, 5 more while the pool's executor runs, and as
# many again for a page that reconnects before its old channels are closed.
SOCKETS_PER_PARTICIPANT = 10
SOCKETS_IN_USE = 5  # what a connected participant holds (the refusal counts this, not the margin)
SOCKETS_RESERVE = 64  # the server's own (kernel restarter, facilitator's store, a few executions)
FILES_PER_SOCKET = 2  # a socket's mailbox (an eventfd) and its IPC connection
FILES_PER_PARTICIPANT = SOCKETS_PER_PARTICIPANT * FILES_PER_SOCKET + 2  # + the browser's websocket, slack
FILES_RESERVE = 256  # the server's own: its listening socket, libraries, the store, log files
# A kernel running the workbook: ~40 MiB of its own (USS) and ~60 MiB resident (`make bench` measures
# both). A new kernel is refused when less than this is left, so that the machine keeps room to work.
KERNEL_MIB = 60
MEMORY_RESERVE_MIB = 512
# What a kernel that cannot start fails with when the machine is full.
FULL_ERRNOS = frozenset({errno.EMFILE, errno.ENFILE, errno.ENOMEM, errno.EAGAIN})
RETRY_S = 30  # the "full" page tries again by itself after this many seconds


@dataclass(frozen=True)
class Limits:
    """What the machine allows this process, read at start-up."""

    open_files_soft: int
    open_files_hard: int
    memory_available_mib: int | None  # None where /proc/meminfo does not exist
    zmq_socket_limit: int = 65535  # ZeroMQ's own ceiling for a context (ZMQ_SOCKET_LIMIT)


@dataclass(frozen=True)
class Plan:
    """The limits sized for a room of ``room`` participants, or for as many as the machine's memory
    holds if that is more (a larger ZeroMQ context costs nothing; a refused participant costs a lot)."""

    room: int
    sized_for: int
    max_sockets: int
    open_files: int  # the soft limit to set
    open_files_needed: int
    limits: Limits
    cap: int | None = None  # at most this many kernels (`--max-participants`), whatever the machine holds

    @property
    def by_files(self) -> int:
        return max(0, (self.open_files - FILES_RESERVE) // FILES_PER_PARTICIPANT)

    @property
    def by_sockets(self) -> int:
        return max(0, (self.max_sockets - SOCKETS_RESERVE) // SOCKETS_PER_PARTICIPANT)

    @property
    def holds(self) -> int:
        """How many participants at once these limits and this machine's memory hold."""
        found = [self.by_files, self.by_sockets]
        memory = by_memory(self.limits)
        if memory is not None:
            found.append(memory)
        if self.cap is not None:
            found.append(self.cap)
        return min(found)

    def line(self) -> str:
        """The one log line that says what was sized, from what, and what it holds."""
        memory = by_memory(self.limits)
        machine = (
            ""
            if memory is None
            else f" (memory: {self.limits.memory_available_mib / 1024:.1f} GiB free, about {memory:,} "
            f"kernels of {KERNEL_MIB} MiB)"
        )
        head = (
            f"Capacity: room for {_participants(self.room)}; this machine holds about {self.holds:,}"
            f"{machine}; ZeroMQ sockets: {self.max_sockets:,} (default {ZMQ_DEFAULT_SOCKETS:,}); "
            f"open files: {self.open_files:,} (needed {self.open_files_needed:,})."
        )
        if self.holds >= self.room:
            return head
        short = []
        if self.by_files < self.room:
            short.append(
                f"the open-file limit of {self.limits.open_files_hard:,} (raise it, e.g. `ulimit -n "
                f"{self.room * FILES_PER_PARTICIPANT + FILES_RESERVE}`, before starting)"
            )
        if memory is not None and memory < self.room:
            short.append("the memory (a smaller ROOM, or a larger machine: docs/scaling.md)")
        if self.by_sockets < self.room:
            short.append(f"ZeroMQ's ceiling of {self.limits.zmq_socket_limit:,} sockets")
        if self.cap is not None and self.cap < self.room:
            short.append(f"--max-participants {self.cap}")
        return f"{head} Warning: fewer than the room; the limit is " + " and ".join(short) + "."


def _participants(count: int) -> str:
    return f"{count:,} participant" if count == 1 else f"{count:,} participants"


def by_memory(limits: Limits) -> int | None:
    """How many kernels the memory available at start-up holds, keeping a reserve for the machine."""
    if limits.memory_available_mib is None:
        return None
    return max(0, (limits.memory_available_mib - MEMORY_RESERVE_MIB) // KERNEL_MIB)


def read_limits() -> Limits:
    """This process's open-file limits and the machine's available memory."""
    soft, hard = _open_file_limits()
    return Limits(soft, hard, _memory_available_mib())


def plan(room: int, limits: Limits, cap: int | None = None) -> Plan:
    """Size the ZeroMQ context and the open-file limit for ``room`` participants, or for as many as the
    memory holds if that is more; never below the defaults, never above what the system allows."""
    sized_for = max(room, by_memory(limits) or 0)
    sockets = min(
        limits.zmq_socket_limit,
        max(ZMQ_DEFAULT_SOCKETS, sized_for * SOCKETS_PER_PARTICIPANT + SOCKETS_RESERVE),
    )
    needed = sized_for * FILES_PER_PARTICIPANT + FILES_RESERVE
    hard = limits.open_files_hard if limits.open_files_hard > 0 else needed  # RLIM_INFINITY is -1
    files = max(limits.open_files_soft, min(needed, hard))
    return Plan(room, sized_for, sockets, files, needed, limits, cap)


def apply(chosen: Plan, context) -> None:
    """Set the ZeroMQ context's socket limit (before it makes its first socket) and the open-file limit."""
    import zmq

    context.set(zmq.MAX_SOCKETS, chosen.max_sockets)
    if chosen.open_files != chosen.limits.open_files_soft and sys.platform != "win32":
        import resource

        resource.setrlimit(resource.RLIMIT_NOFILE, (chosen.open_files, chosen.limits.open_files_hard))


def refusal(kernels: int, chosen: Plan) -> str | None:
    """Why one more kernel cannot be started now (``None``: it can): ``"files"``, ``"sockets"``,
    ``"memory"``, ``"cap"``. Read at the moment a kernel would start, from what the machine says then."""
    if chosen.cap is not None and kernels >= chosen.cap:
        return "cap"
    if (kernels + 1) * SOCKETS_IN_USE + SOCKETS_RESERVE > chosen.max_sockets:
        return "sockets"
    open_now = _open_files_now()
    if open_now is not None and open_now + FILES_PER_PARTICIPANT > _open_file_limits()[0]:
        return "files"
    memory = _memory_available_mib()
    if memory is not None and memory < KERNEL_MIB + MEMORY_RESERVE_MIB // 2:
        return "memory"
    return None


def _open_file_limits() -> tuple[int, int]:
    if sys.platform == "win32":
        return (8192, 8192)
    import resource

    return resource.getrlimit(resource.RLIMIT_NOFILE)


def _open_files_now() -> int | None:
    try:
        return len(os.listdir("/proc/self/fd"))
    except OSError:
        return None


def _memory_available_mib() -> int | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) // 1024
    except (OSError, ValueError):
        return None
    return None


def pace() -> int:
    """How many kernels the pool starts at a time: one per core (measured in `make bench`: at two on a
    two-core machine, pages are still answered in well under a second while 300 kernels start)."""
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


def language(accept_language: str) -> str:
    """The supported language a browser prefers (its ``Accept-Language``), else the primary one."""
    from widgets.i18n import languages

    supported = languages()
    ranked = []
    for position, part in enumerate(accept_language.split(",")):
        tag, _, weight = part.strip().partition(";q=")
        try:
            quality = float(weight) if weight else 1.0
        except ValueError:
            continue
        ranked.append((-quality, position, tag.split("-")[0].lower()))
    for _, _, tag in sorted(ranked):
        if tag in supported:
            return tag
    return supported[0]

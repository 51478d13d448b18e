"""Sizing the server for a crowd (widgets/_capacity.py) and the paced pool on Voila's own kernel manager
(widgets/_pool.py): the ZeroMQ ceiling is really lifted, the log line says what was sized, a full machine is
refused in words, and the pool starts kernels at a pace, says how far it is and keeps only what the room
needs."""

from __future__ import annotations

import asyncio
import errno
import logging

import pytest
import zmq

from tests import aio
from tests.voila_pool import pool_manager
from widgets import _capacity, _pool
from widgets._capacity import Limits

ROOMY = Limits(open_files_soft=1024, open_files_hard=20_000, memory_available_mib=23_000)


def test_a_room_of_300_gets_the_sockets_and_files_it_needs():
    plan = _capacity.plan(300, ROOMY)
    assert plan.max_sockets >= 300 * _capacity.SOCKETS_PER_PARTICIPANT
    assert plan.max_sockets > _capacity.ZMQ_DEFAULT_SOCKETS
    assert plan.open_files_needed <= plan.open_files <= ROOMY.open_files_hard
    assert plan.holds >= 300
    line = plan.line()
    assert line.startswith("Capacity: room for 300 participants")
    assert "ZeroMQ sockets: " in line
    assert "(default 1,023)" in line
    assert "Warning" not in line
    assert "\n" not in line  # one line in the log


def test_the_sizing_follows_the_memory_when_it_holds_more_than_the_room():
    small_room = _capacity.plan(20, ROOMY)
    assert small_room.sized_for == _capacity.by_memory(ROOMY) > 20
    assert small_room.max_sockets >= small_room.sized_for * _capacity.SOCKETS_PER_PARTICIPANT


def test_never_below_the_defaults_nor_above_what_the_system_allows():
    tiny = _capacity.plan(1, Limits(4096, 4096, 100))
    assert tiny.max_sockets == _capacity.ZMQ_DEFAULT_SOCKETS
    assert tiny.open_files == 4096  # the soft limit is never lowered
    huge = _capacity.plan(100_000, Limits(1024, 2048, None))
    assert huge.max_sockets == 65535
    assert huge.open_files == 2048


def test_a_low_open_file_limit_is_named_with_what_to_do():
    line = _capacity.plan(300, Limits(1024, 1024, 23_000)).line()
    assert "Warning: fewer than the room" in line
    assert "open-file limit of 1,024" in line
    assert "ulimit -n" in line


def test_too_little_memory_is_named():
    plan = _capacity.plan(300, Limits(1024, 20_000, 4_000))
    assert plan.holds < 300
    assert "the memory" in plan.line()


def test_a_cap_below_the_room_is_named():
    plan = _capacity.plan(300, ROOMY, cap=40)
    assert plan.holds == 40
    assert "--max-participants 40" in plan.line()


def test_the_default_zeromq_context_stops_at_1023_sockets_and_the_sized_one_does_not():
    """The ceiling the issue measured (200 participants × 5 sockets), and that the sizing really lifts it."""
    default = zmq.Context()
    opened = []

    def open_1100() -> None:
        for _ in range(1100):
            opened.append(default.socket(zmq.DEALER))

    try:
        with pytest.raises(zmq.ZMQError) as problem:
            open_1100()
        assert problem.value.errno == errno.EMFILE  # "Too many open files"
        assert len(opened) == _capacity.ZMQ_DEFAULT_SOCKETS
    finally:
        for sock in opened:
            sock.close(linger=0)
        default.term()
    plan = _capacity.plan(250, _capacity.read_limits())
    sized = zmq.Context()
    opened = []
    try:
        _capacity.apply(plan, sized)
        assert sized.get(zmq.MAX_SOCKETS) == plan.max_sockets > 2000
        opened = [sized.socket(zmq.DEALER) for _ in range(1100)]
        assert len(opened) == 1100
    finally:
        for sock in opened:
            sock.close(linger=0)
        sized.term()


def test_refusal_names_what_is_missing(monkeypatch):
    plan = _capacity.plan(10, ROOMY)
    monkeypatch.setattr(_capacity, "_open_files_now", lambda: 10)
    monkeypatch.setattr(_capacity, "_memory_available_mib", lambda: 8_000)
    assert _capacity.refusal(5, plan) is None
    assert _capacity.refusal(plan.max_sockets, plan) == "sockets"
    monkeypatch.setattr(_capacity, "_memory_available_mib", lambda: 100)
    assert _capacity.refusal(5, plan) == "memory"
    monkeypatch.setattr(_capacity, "_memory_available_mib", lambda: 8_000)
    monkeypatch.setattr(_capacity, "_open_files_now", lambda: _capacity._open_file_limits()[0])
    assert _capacity.refusal(5, plan) == "files"
    capped = _capacity.plan(10, ROOMY, cap=3)
    monkeypatch.setattr(_capacity, "_open_files_now", lambda: 10)
    assert _capacity.refusal(2, capped) is None
    assert _capacity.refusal(3, capped) == "cap"


@pytest.mark.parametrize(
    ("header", "lang"),
    [
        ("", "fr"),
        ("en-GB,en;q=0.9,fr;q=0.8", "en"),
        ("fr-CA,fr;q=0.9,en;q=0.5", "fr"),
        ("de-DE, en;q=0.5", "en"),
        ("de-DE", "fr"),
        ("en;q=0.2, fr;q=0.9", "fr"),
        ("en;q=abc, fr", "fr"),
    ],
)
def test_the_full_page_speaks_the_browsers_language(header, lang):
    assert _capacity.language(header) == lang


def test_the_pace_is_one_kernel_per_core():
    assert 1 <= _capacity.pace() <= 512


# --- the pool, on Voila 0.5's own kernel manager (kernels simulated: no process starts) -------------------


def voila_pool_manager(tmp_path):
    (tmp_path / "app.ipynb").write_text("{}")
    return pool_manager(tmp_path, fill_delay=0)


class Kernels:
    """Stands in for starting a kernel and running the workbook in it: counts how many run at once."""

    def __init__(self, manager, run_seconds: float = 0.02) -> None:
        self.manager = manager
        self.run_seconds = run_seconds
        self.running = 0
        self.most = 0
        self.started = 0

    async def initialize(self, notebook_path, kernel_id=None, **kwargs):
        self.started += 1
        kernel_id = f"k{self.started}"
        self.manager._kernels[kernel_id] = object()
        self.running += 1
        self.most = max(self.most, self.running)

        async def render():
            await asyncio.sleep(self.run_seconds)
            self.running -= 1

        return {"task": asyncio.get_running_loop().create_task(render()), "kernel_id": kernel_id}

    async def shutdown(self, kernel_id, *args, **kwargs):
        del self.manager._kernels[kernel_id]


async def until(condition, timeout: float = 10.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():
        assert asyncio.get_running_loop().time() < deadline, "timed out"
        await asyncio.sleep(0.01)


def test_the_pool_fills_at_its_pace_and_says_how_far_it_is(tmp_path, caplog):
    async def scenario():
        manager = voila_pool_manager(tmp_path)
        kernels = Kernels(manager)
        manager._initialize = kernels.initialize
        pool = _pool.Pool(manager, "app.ipynb", room=20, pace=2, log=logging.getLogger("test.pool"))
        pool.install()
        await until(lambda: pool.prepared == 20)
        return pool, kernels

    with caplog.at_level(logging.INFO, logger="test.pool"):
        _, kernels = aio.run(scenario)
    assert kernels.most == 2  # never more than `pace` kernels starting at once
    assert kernels.started == 20
    said = [record.getMessage() for record in caplog.records]
    assert said[0].startswith("Pool: preparing 20 places, 2 at a time")
    assert "Pool: 2 of 20 places ready" in said[1]
    assert said[-1].startswith("Pool: full — 20 places ready in ")
    assert len(said) <= 12  # a line per tenth, not per kernel


def test_only_ready_kernels_are_offered_and_the_refill_keeps_what_the_room_needs(tmp_path):
    async def scenario():
        manager = voila_pool_manager(tmp_path)
        kernels = Kernels(manager, run_seconds=0.05)
        manager._initialize = kernels.initialize
        manager.shutdown_kernel = kernels.shutdown
        pool = _pool.Pool(manager, "app.ipynb", room=20, pace=1)
        pool.install()
        assert manager.get_pool_size("app.ipynb") == 0  # nothing ready yet: the handler starts a kernel
        await until(lambda: pool.prepared == 20)
        assert manager.get_pool_size("app.ipynb") == 20
        assert manager.get_pool_size("fr/00-accueil.ipynb") == 0
        # Fifteen arrive: the pool is refilled to the room less those in use (5), not to 20 more.
        for _ in range(15):
            manager._pools["app.ipynb"].pop(0)
        assert pool.in_use() == 15
        assert pool.target() == 5
        manager.fill_if_needed(delay=0, notebook_name="app.ipynb")
        await until(lambda: pool.ready() == 5)
        assert kernels.started == 20  # the 5 still pooled were enough
        # Everyone has arrived: a tenth of the room stays ready for latecomers and reloads.
        for _ in range(5):
            manager._pools["app.ipynb"].pop(0)
        assert pool.target() == pool.floor == 2
        manager.fill_if_needed(delay=0, notebook_name="app.ipynb")
        await until(lambda: pool.ready() == 2)
        # Ten leave (closed tabs): each frees a place, prepared again up to the room less those in use.
        handed_out = [
            k for k in manager._kernels if k not in {t.result()["kernel_id"] for t in pool._ready()}
        ]
        for kernel_id in handed_out[:10]:
            await manager.shutdown_kernel(kernel_id)
        assert pool.in_use() == 10
        await until(lambda: pool.ready() == 10)
        return kernels

    kernels = aio.run(scenario)
    assert kernels.started == 30


def test_a_full_machine_stops_the_pool_with_one_warning_and_nothing_broken_offered(
    tmp_path, monkeypatch, caplog
):
    plan = _capacity.plan(10, ROOMY, cap=4)

    async def scenario():
        manager = voila_pool_manager(tmp_path)
        kernels = Kernels(manager)
        manager._initialize = kernels.initialize
        pool = _pool.Pool(manager, "app.ipynb", room=10, plan=plan, pace=2, log=logging.getLogger("t.full"))
        pool.install()
        await until(lambda: len(manager._pools["app.ipynb"]) == 4 and pool.prepared == 4)
        return manager, pool, kernels

    with caplog.at_level(logging.INFO, logger="t.full"):
        manager, pool, kernels = aio.run(scenario)
    assert kernels.started == 4
    assert pool.ready() == 4  # the refused places left the pool: none is counted or handed out
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert "stopped at 4 kernels" in warnings[0]
    assert "(cap)" in warnings[0]
    for _ in range(4):
        manager._pools["app.ipynb"].pop(0)
    assert pool.refusal() == "cap"  # the next person is told the workbook is full

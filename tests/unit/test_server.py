"""What `make start` checks and says before and after it serves: the kernel, the port, where to go."""

import json
import os
import socket
import sys

import pytest

from tests.voila_pool import pool_manager
from widgets import server


def test_a_port_in_use_is_one_clear_line():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(server.CannotServe) as problem:
            server.check_port("127.0.0.1", port)
    message = str(problem.value)
    assert f"Port {port} is already in use" in message
    assert f"PORT={port + 1}" in message
    assert "\n" not in message


def test_a_free_port_and_an_unknown_address_or_name():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server.check_port("127.0.0.1", port)  # free again: no complaint
    with pytest.raises(server.CannotServe, match="not an address of this computer"):
        server.check_port("192.0.2.123", port)  # TEST-NET-1: never this machine's
    with pytest.raises(server.CannotServe, match="not a name or address"):
        server.check_port("no-such-host.invalid", port)


def test_the_server_refuses_to_start_without_ipykernel(monkeypatch, capsys):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None if name == "ipykernel" else real(name))
    with pytest.raises(SystemExit) as exit_:
        server.main(["--port", "1"])
    assert exit_.value.code == 2
    assert "ipykernel is not installed" in capsys.readouterr().err


def test_where_to_go_on_this_computer_only():
    text = server.where_to_go("127.0.0.1", 8866, "/data")
    assert text.splitlines()[0] == "The workbook is ready. Open http://127.0.0.1:8866/ in a browser."
    assert "HOST=0.0.0.0" in text
    assert "/data" in text


def test_where_to_go_for_a_room_names_the_network_address(monkeypatch):
    monkeypatch.setattr(server, "network_addresses", lambda: ["192.168.1.23", "10.0.0.5"])
    lines = server.where_to_go("0.0.0.0", 8866, "/data").splitlines()  # noqa: S104
    assert lines[0].endswith("Open http://127.0.0.1:8866/ in a browser.")
    assert lines[1] == "Participants on the same network open: http://192.168.1.23:8866/"
    assert "http://10.0.0.5:8866/" in lines[2]
    monkeypatch.setattr(server, "network_addresses", list)
    assert "No network address found" in server.where_to_go("0.0.0.0", 8866, "/data")  # noqa: S104


def test_network_addresses_are_never_loopback():
    assert all(not address.startswith("127.") for address in server.network_addresses())


def test_kernels_are_this_environments_python_whatever_else_is_installed(tmp_path, monkeypatch):
    decoy = tmp_path / "kernels" / "python3"
    decoy.mkdir(parents=True)
    (decoy / "kernel.json").write_text(
        json.dumps(
            {
                "argv": ["/elsewhere/python3", "-f", "{connection_file}"],
                "display_name": "x",
                "language": "python",
            }
        )
    )
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path))
    manager = server.own_kernel_spec_manager_class()()
    assert list(manager.find_kernel_specs()) == ["python3"]
    assert manager.get_kernel_spec("python3").argv[0] == sys.executable


def test_the_workbooks_kernel_runs_without_the_debugger_and_is_lighter(tmp_path):
    """widgets._kernel: ipykernel without debugpy/pydevd (5 MiB of each participant's kernel)."""
    from jupyter_client.manager import KernelManager

    spec_manager = server.own_kernel_spec_manager_class()()
    assert spec_manager.get_kernel_spec("python3").argv[1:3] == ["-m", "widgets._kernel"]
    manager = KernelManager(kernel_name="python3", kernel_spec_manager=spec_manager, transport="ipc")
    manager.connection_file = str(tmp_path / "kernel.json")
    manager.ip = str(tmp_path / "ipc")
    manager.start_kernel(env={**os.environ, "WORKBOOK_DATA_DIR": str(tmp_path / "data")})
    client = manager.client()
    try:
        client.start_channels()
        client.wait_for_ready(timeout=60)
        seen: list[str] = []
        reply = client.execute_interactive(
            "import sys; print(sorted(m for m in ('debugpy', 'pydevd', 'ipykernel') if sys.modules.get(m)))",
            timeout=60,
            output_hook=lambda msg: seen.append(msg["content"].get("text", "")),
        )
        assert reply["content"]["status"] == "ok"
        assert "".join(seen).strip() == "['ipykernel']"
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)


def test_a_workshop_says_join_and_dashboard_first(monkeypatch):
    monkeypatch.setattr(server, "network_addresses", lambda: ["192.168.1.23"])
    lines = server.where_to_go("0.0.0.0", 8866, "/data", workshop=True).splitlines()  # noqa: S104
    assert lines[:2] == [
        "Join: http://192.168.1.23:8866/",
        "Dashboard: http://192.168.1.23:8866/facilitator/",
    ]
    local = server.where_to_go("127.0.0.1", 8866, "/data", workshop=True).splitlines()
    assert local[:2] == ["Join: http://127.0.0.1:8866/", "Dashboard: http://127.0.0.1:8866/facilitator/"]
    plain = server.where_to_go(server.EVERY_INTERFACE[0], 8866, "/d").splitlines()
    assert not any(line.startswith("Join:") for line in plain)


# --- Voila's internals that the server patches: each is checked at start-up, and the check is pinned here ---


class _Pool:
    """A stand-in for Voila 0.5's pool kernel manager, with what the server uses of it."""

    def __init__(self) -> None:
        self._pools: dict = {}
        self._kernels: dict = {}
        self.kernel_pools_config: dict = {"default": {"pool_size": 0}}

    async def get_rendered_notebook(self, notebook_name, *args, **kwargs):
        return None, [], "kernel"

    def get_pool_size(self, notebook_name) -> int:
        return 0

    def fill_if_needed(self, delay=None, notebook_name=None, **kwargs) -> None:
        pass

    async def _initialize(self, notebook_path, kernel_id=None, **kwargs):
        return {}

    async def shutdown_kernel(self, kernel_id, *args, **kwargs) -> None:
        pass

    async def shutdown_all(self, *args, **kwargs) -> None:
        pass


def test_the_installed_voila_has_the_kernel_pool_the_server_patches(tmp_path):
    manager = pool_manager(tmp_path)
    server.check_kernel_pool(manager)  # no complaint
    server.Pool(manager, "app.ipynb", room=0).install()
    assert manager.get_pool_size("app.ipynb") == 0


@pytest.mark.parametrize(
    "missing",
    ["_pools", "_kernels", "kernel_pools_config", "get_rendered_notebook", "get_pool_size", "fill_if_needed",
     "_initialize", "shutdown_kernel", "shutdown_all"],
)  # fmt: skip
def test_a_voila_without_the_pool_internals_stops_the_server_with_a_clear_message(missing):
    import voila

    manager = _Pool()
    server.check_kernel_pool(manager)
    if missing in vars(manager):
        delattr(manager, missing)
    else:
        setattr(manager, missing, None)
    with pytest.raises(server.VoilaChanged) as problem:
        server.check_kernel_pool(manager)
    message = str(problem.value)
    assert f"Voila {voila.__version__} has no `{missing}`" in message
    assert "Voila 0.5" in message
    assert "make install" in message
    assert isinstance(problem.value, server.CannotServe)


def test_the_shutdown_handler_is_swapped_once_or_the_server_refuses_to_start():
    from voila.shutdown_kernel_handler import VoilaShutdownKernelHandler

    class Beacon(VoilaShutdownKernelHandler):
        pass

    routes = [("/a", object), ("/voila/api/shutdown/(.*)", VoilaShutdownKernelHandler, {"x": 1})]
    swapped = server.swap_handler(routes, VoilaShutdownKernelHandler, Beacon, "closing")
    assert swapped == [("/a", object), ("/voila/api/shutdown/(.*)", Beacon, {"x": 1})]
    for changed in ([("/a", object)], routes + routes):
        with pytest.raises(server.VoilaChanged, match="no route served by VoilaShutdownKernelHandler"):
            server.swap_handler(changed, VoilaShutdownKernelHandler, Beacon, "closing")


def test_voilas_routes_still_have_the_handlers_the_server_swaps_or_removes():
    """The route list the server rewrites is Voila's: the classes it looks for are still in it."""
    import inspect

    from voila import app

    source = inspect.getsource(app.Voila.init_handlers)
    assert "VoilaShutdownKernelHandler" in source
    assert "TemplateStaticFileHandler" in source
    assert "TornadoVoilaTreeHandler" in source
    assert "VoilaContentsHandler" in source
    assert "TornadoVoilaHandler" in source
    assert "VoilaKernelWebsocketHandler" in source


def test_a_voila_without_the_pool_makes_main_exit_with_one_line(monkeypatch, capsys):
    """What the person who runs `make start` sees when Voila's internals changed: one line, no traceback."""
    monkeypatch.setattr(server, "check_port", lambda host, port: None)

    class Broken:
        facilitation = None

        @classmethod
        def launch_instance(cls, **kwargs):
            raise server.VoilaChanged("`_pools` on its kernel manager X", "testing")

    monkeypatch.setattr(server, "make_app_class", lambda: Broken)
    monkeypatch.setattr(server.os, "chdir", lambda path: None)
    monkeypatch.setattr(server, "_prepare_environment", lambda base_url="/": None)
    with pytest.raises(SystemExit) as exit_:
        server.main(["--port", "1"])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("error: Voila ")
    assert "has no `_pools`" in err
    assert "Traceback" not in err


def test_the_server_uses_no_private_clock():
    """jupyter_server._tz is private: the kernel's idle clock is set with the standard library's UTC."""
    source = (server.ROOT / "widgets" / "server.py").read_text()
    assert "_tz" not in source
    assert "_jupyter_current_user" not in source


# --- where answers are kept ---


@pytest.mark.parametrize("inside", ["workbooks", "workbooks/data", "assets", "assets/voila/templates"])
def test_answers_inside_a_served_folder_stop_the_server(inside):
    with pytest.raises(server.CannotServe, match="which the server serves"):
        server.check_data_dir(server.ROOT / inside)


def test_answers_outside_the_served_folders_are_fine(tmp_path):
    server.check_data_dir(tmp_path)
    server.check_data_dir(server.ROOT / "test-artifacts" / "data")  # in the repository, but not served
    server.check_data_dir(server.ROOT / "workbooks-data")  # a name that only starts like a served one


def test_main_refuses_a_data_dir_inside_workbooks(monkeypatch, capsys):
    monkeypatch.setattr(server, "check_port", lambda host, port: None)
    monkeypatch.setenv("WORKBOOK_DATA_DIR", str(server.ROOT / "workbooks" / "answers"))
    with pytest.raises(SystemExit) as exit_:
        server.main(["--port", "1"])
    assert exit_.value.code == 2
    assert "inside workbooks/" in capsys.readouterr().err

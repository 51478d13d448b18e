"""What `make start` checks and says before and after it serves: the kernel, the port, where to go."""

import json
import socket
import sys

import pytest

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

"""deploy/workbook_hub.py without a hub: who the authenticator lets in, what each server runs."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "deploy"))

import workbook_hub  # deploy/ is no package: the hub imports it by path too

PASSWORD = "facilitator-secret"  # noqa: S105 (the test's own)


def authenticate(data, password: str = PASSWORD):
    authenticator = workbook_hub.WorkshopAuthenticator(facilitator_password=password)
    return asyncio.run(authenticator.authenticate(None, data))


def test_anyone_without_a_form_is_a_new_anonymous_participant():
    first, second = authenticate(None), authenticate(None)
    assert first["name"] != second["name"]
    assert "admin" not in first


def test_the_facilitator_signs_in_with_the_password_as_an_admin():
    assert authenticate({"username": "facilitator", "password": PASSWORD}) == {
        "name": "facilitator",
        "admin": True,
    }


@pytest.mark.parametrize(
    "data",
    [
        {"username": "facilitator", "password": "wrong"},
        {"username": "facilitator", "password": ""},
        {"username": "facilitator"},
        {"username": "someone", "password": PASSWORD},
        {"username": "Facilitator", "password": PASSWORD},
        {"username": "facilitator", "password": PASSWORD + " "},
    ],
)
def test_anything_else_from_the_form_is_refused(data):
    assert authenticate(data) is None


def test_no_facilitator_sign_in_without_a_password_of_six_characters(monkeypatch):
    monkeypatch.delenv(workbook_hub.PASSWORD_VARIABLE, raising=False)
    assert authenticate({"username": "facilitator", "password": ""}, password="") is None
    short = "12345"
    assert authenticate({"username": "facilitator", "password": short}, password=short) is None


def test_the_password_may_come_from_the_environment(monkeypatch):
    monkeypatch.setenv(workbook_hub.PASSWORD_VARIABLE, "from-the-environment")
    data = {"username": "facilitator", "password": "from-the-environment"}
    assert authenticate(data, password="")["admin"] is True


def test_each_server_is_the_workbook_behind_the_standalone_proxy():
    cmd, args = workbook_hub.workbook_command("/opt/venv/bin/python", room=0)
    assert cmd == ["/opt/venv/bin/jupyter-standaloneproxy"]
    assert "--absolute-url" in args
    command = args[args.index("--") + 1 :]
    assert command[:3] == ["/opt/venv/bin/python", "-m", "widgets.server"]
    assert {"--port={port}", "--base-url={base_url}", "--room=0", "--host=127.0.0.1"} <= set(command)


def spawner(name: str):
    authenticator = workbook_hub.WorkshopAuthenticator(facilitator_password=PASSWORD)
    return SimpleNamespace(
        authenticator=authenticator,
        user=SimpleNamespace(name=name),
        hub=SimpleNamespace(base_url="/prefix/hub/"),
        environment={"WORKBOOK_DATABASE_URL": "postgresql://x"},
        args=["--", "python", "-m", "widgets.server"],
    )


def test_only_the_facilitators_server_runs_the_workshop_with_the_password():
    facilitator, participant = spawner("facilitator"), spawner("3f2b…")
    workbook_hub.pre_spawn_hook(facilitator)
    workbook_hub.pre_spawn_hook(participant)
    assert facilitator.args[-1] == "--workshop"
    assert facilitator.environment[workbook_hub.PASSWORD_VARIABLE] == PASSWORD
    assert facilitator.environment["WORKBOOK_JOIN_BASE_URL"] == "/prefix/hub/user-redirect/"
    assert facilitator.environment["WORKBOOK_DATABASE_URL"] == "postgresql://x"
    assert "--workshop" not in participant.args
    assert workbook_hub.PASSWORD_VARIABLE not in participant.environment


def test_the_culler_removes_idle_anonymous_users_but_not_the_facilitator():
    service, role = workbook_hub.idle_culler("/usr/bin/python3", timeout_s=600)
    assert "--timeout=600" in service["command"]
    assert "--cull-users=True" in service["command"]
    assert "--cull-admin-users=False" in service["command"]
    assert role["services"] == [service["name"]]


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("postgresql://u:p@h:5432/d", "postgresql+psycopg://u:p@h:5432/d"),
        ("postgres://u@h/d", "postgresql+psycopg://u@h/d"),
        ("postgresql+psycopg2://u@h/d", "postgresql+psycopg2://u@h/d"),
        ("sqlite:///jupyterhub.sqlite", "sqlite:///jupyterhub.sqlite"),
    ],
)
def test_the_hubs_database_url_uses_psycopg_3(url, expected):
    assert workbook_hub.sqlalchemy_url(url) == expected

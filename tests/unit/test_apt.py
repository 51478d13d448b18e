"""tests/apt.py: how the tests install Chromium and PostgreSQL from Debian's packages, and say why not."""

import subprocess
from pathlib import Path

from tests import apt


def test_elsewhere_than_debian_or_without_root_it_says_why(monkeypatch):
    monkeypatch.setattr(apt, "debian_like", lambda: False)
    assert apt.install(["postgresql"], lambda: None) == (None, "apt-get: this is not Debian or Ubuntu")
    monkeypatch.setattr(apt, "debian_like", lambda: True)
    monkeypatch.setattr(apt.shutil, "which", lambda name: "/usr/bin/apt-get")
    monkeypatch.setattr(apt.sys, "platform", "linux")
    monkeypatch.setattr(apt.os, "geteuid", lambda: 1000)
    assert apt.install(["postgresql"], lambda: None) == (None, "apt-get: not running as root")


def test_the_first_package_that_provides_it_is_kept_and_failures_are_said(monkeypatch, tmp_path, capsys):
    """Debian calls it chromium, Ubuntu chromium-browser: the second is tried when the first gives nothing.
    (apt-get itself is replaced here: the tests must not install packages to test this.)"""
    ran: list[list[str]] = []
    there: list[Path] = []

    def apt_get(command, **options):
        ran.append(command)
        if command[-1] == "chromium":
            return subprocess.CompletedProcess(command, 100, "", "E: Unable to locate package chromium")
        if command[-1] == "chromium-browser":
            there.append(tmp_path)
        return subprocess.CompletedProcess(command, 0, "", "")

    monkeypatch.setattr(apt, "debian_like", lambda: True)
    monkeypatch.setattr(apt.shutil, "which", lambda name: "/usr/bin/apt-get")
    monkeypatch.setattr(apt.sys, "platform", "linux")
    monkeypatch.setattr(apt.os, "geteuid", lambda: 0)
    monkeypatch.setattr(apt.subprocess, "run", apt_get)
    found = apt.install(["chromium", "chromium-browser"], lambda: there[0] if there else None)
    assert found == (tmp_path, "")
    assert [command[1] for command in ran] == ["update", "install", "install"]
    assert "apt-get install chromium" in capsys.readouterr().err
    there.clear()
    ran.clear()
    path, reason = apt.install(["chromium"], lambda: None)
    assert path is None
    assert "apt-get install chromium failed (E: Unable to locate package chromium)" in reason

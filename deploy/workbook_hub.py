"""The workbook on JupyterHub: who signs in how, and what each person's server runs.

Imported by ``deploy/jupyterhub_config.py`` (one machine) and by Zero to JupyterHub's ``hub.extraConfig``
(``deploy/values.yaml`` mounts this file next to the hub's configuration), so that both deployments say the
same thing once.

- **Participants** are anonymous: the hub's front page signs a visitor in as a new random user
  (``jupyterhub-tmpauthenticator``) and starts their server. Their answers are not tied to that user: the
  workbook keeps them under the participant's code, which their browser holds, in the shared PostgreSQL.
- **The facilitator** is one named hub user, an admin, who signs in at ``/hub/facilitator-login`` with
  the facilitator's password. Their server runs the workbook in workshop mode (the dashboard at
  ``/user/<facilitator>/facilitator/``, which asks for the same password once more) and gives the room a
  join link through the hub (``/hub/user-redirect/join/<code>``), which opens each participant's own server.
- **Each server** is ``jupyter-standaloneproxy`` (jupyter-server-proxy's standalone mode) in front of the
  workbook (``python -m widgets.server``): the proxy lets in only the server's owner (JupyterHub OAuth) and
  tells the hub when the server was last used (for the idle culler); the workbook runs behind it on a
  local port, under the hub's prefix (``--base-url``), with ``--room`` pre-heated kernels (1: one person).
"""

from __future__ import annotations

import hmac
import os
import sys
from pathlib import Path

from jupyterhub.handlers.login import LoginHandler
from jupyterhub.utils import url_path_join
from tmpauthenticator import TmpAuthenticator
from traitlets import Unicode

PASSWORD_VARIABLE = "WORKBOOK_FACILITATOR_PASSWORD"  # noqa: S105 (the variable's name)
FACILITATOR_LOGIN = "/facilitator-login"


class FacilitatorLoginHandler(LoginHandler):
    """``/hub/facilitator-login``: JupyterHub's own sign-in form (user name and password, XSRF-protected),
    shown although participants are signed in automatically. The form posts back here; the
    authenticator below checks the password."""

    async def get(self) -> None:
        user = self.current_user
        if user is not None and user.admin:
            self.redirect(self.get_next_url(user))
            return
        self.finish(await self._render(username=self.authenticator.facilitator))

    def _render(self, login_error=None, username=None, **kwargs):
        own = url_path_join(self.hub.base_url, FACILITATOR_LOGIN.lstrip("/"))
        next_url = self.get_argument("next", default="")
        return self.render_template(
            "login.html",
            next=next_url,
            username=username,
            login_error=login_error,
            login_url=own,
            authenticator_login_url=own + (f"?next={next_url}" if next_url else ""),
            authenticator=self.authenticator,
            xsrf=self.xsrf_token.decode("ascii"),
            custom_html="",
            login_service="",  # the form, not a "Sign in with …" button
            **kwargs,
        )


class WorkshopAuthenticator(TmpAuthenticator):
    """Anonymous participants (``/hub/tmplogin``, automatic) and one facilitator with a password."""

    facilitator = Unicode("facilitator", config=True, help="The facilitator's hub user name (an admin).")
    facilitator_password = Unicode(
        config=True, help=f"The facilitator's password (default: the {PASSWORD_VARIABLE} variable)."
    )

    def _default_password(self) -> str:
        return os.environ.get(PASSWORD_VARIABLE, "")

    async def authenticate(self, handler, data):
        if not data:  # /hub/tmplogin: a new anonymous participant
            return await super().authenticate(handler, data)
        password = self.facilitator_password or self._default_password()
        if len(password) < 6:
            self.log.error("no facilitator password (at least 6 characters) is set: %s", PASSWORD_VARIABLE)
            return None
        typed = str(data.get("password", "")).encode()
        if data.get("username") == self.facilitator and hmac.compare_digest(typed, password.encode()):
            return {"name": self.facilitator, "admin": True}
        return None

    def get_handlers(self, app):
        return [*super().get_handlers(app), (FACILITATOR_LOGIN, FacilitatorLoginHandler)]


def workbook_command(python: str = sys.executable, room: int = 1) -> tuple[list[str], list[str]]:
    """The single-user server: ``(Spawner.cmd, Spawner.args)``. ``{port}`` and ``{base_url}`` are filled in
    by jupyter-standaloneproxy (the local port it proxies to, the hub's prefix for this server)."""
    proxy = str(Path(python).with_name("jupyter-standaloneproxy"))
    return (
        [proxy],
        [
            "--absolute-url",  # the workbook sees /user/<name>/… and builds its links with that prefix
            "--timeout=120",  # how long the first request waits for the workbook to listen
            "--",
            python,
            "-m",
            "widgets.server",
            "--host=127.0.0.1",
            "--port={port}",
            "--base-url={base_url}",
            f"--room={room}",
        ],
    )


def pre_spawn_hook(spawner) -> None:
    """The facilitator's server runs in workshop mode, with the password and the hub's join address."""
    authenticator = spawner.authenticator
    if spawner.user.name != authenticator.facilitator:
        return
    password = authenticator.facilitator_password or authenticator._default_password()
    hub_prefix = spawner.hub.base_url.removesuffix("hub/")
    spawner.environment = {
        **spawner.environment,
        PASSWORD_VARIABLE: password,
        "WORKBOOK_JOIN_BASE_URL": url_path_join(hub_prefix, "hub/user-redirect/"),
    }
    spawner.args = [*spawner.args, "--workshop"]


def idle_culler(python: str = sys.executable, timeout_s: int = 1800) -> tuple[dict, dict]:
    """The jupyterhub-idle-culler service and its role: servers unused for ``timeout_s`` are stopped and
    their anonymous users removed (the facilitator, an admin, stays)."""
    service = {
        "name": "idle-culler",
        "command": [
            python,
            "-m",
            "jupyterhub_idle_culler",
            f"--timeout={timeout_s}",
            "--cull-users=True",
            "--cull-admin-users=False",
        ],
    }
    role = {
        "name": "idle-culler",
        "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers", "admin:users"],
        "services": ["idle-culler"],
    }
    return service, role


def sqlalchemy_url(url: str) -> str:
    """A ``postgresql://`` URL for JupyterHub's SQLAlchemy with psycopg 3 (its default dialect is
    psycopg2, which the workbook does not install)."""
    if url.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url

"""JupyterHub serving the workbook on one machine: ``jupyterhub -f deploy/jupyterhub_config.py``.

Each person gets a server of their own, which is the workbook (``deploy/workbook_hub.py`` says who signs
in how and what that server runs). Read from the environment:

- ``WORKBOOK_DATABASE_URL`` (required): ``postgresql://user:password@host:port/workbook``, the workbook's
  store, shared by every person's server (answers, rooms, what the room sent).
- ``WORKBOOK_HUB_DB_URL``: JupyterHub's own database (users, servers, tokens), ``postgresql://…`` too;
  by default the same database as the workbook (the tables do not clash), better a database of its own.
- ``WORKBOOK_FACILITATOR_PASSWORD`` (required, at least 6 characters): the facilitator's password, for
  ``/hub/facilitator-login`` and for the dashboard on the facilitator's server.
- ``WORKBOOK_HUB_FACILITATOR``: the facilitator's hub user name (default ``facilitator``).
- ``WORKBOOK_HUB_ROOM``: pre-heated kernels per server (default 1: one server serves one person; 0 starts
  the kernel when the page is opened, which saves its memory until then and costs the wait).
- ``WORKBOOK_HUB_IDLE_S``: a server unused this long is stopped and its anonymous user removed (1800).

Servers are local processes (``SimpleLocalProcessSpawner``, as the hub's own system user: anonymous users
have no system account). For many machines use Zero to JupyterHub: ``deploy/values.yaml``.
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import workbook_hub  # found next to this file

c = get_config()  # noqa: F821 (given by JupyterHub)

WORKBOOK_DATABASE_URL = os.environ["WORKBOOK_DATABASE_URL"]
ROOM = int(os.environ.get("WORKBOOK_HUB_ROOM", "1"))
IDLE_S = int(os.environ.get("WORKBOOK_HUB_IDLE_S", "1800"))
FACILITATOR = os.environ.get("WORKBOOK_HUB_FACILITATOR", "facilitator")

# Who signs in: anonymous participants, one facilitator (an admin) with a password.
c.JupyterHub.authenticator_class = workbook_hub.WorkshopAuthenticator
c.WorkshopAuthenticator.facilitator = FACILITATOR
c.Authenticator.allow_all = True
c.Authenticator.admin_users = {FACILITATOR}

# The hub's own state in PostgreSQL (SQLite, JupyterHub's default, is for a single small hub).
HUB_DB_URL = os.environ.get("WORKBOOK_HUB_DB_URL", WORKBOOK_DATABASE_URL)
c.JupyterHub.db_url = workbook_hub.sqlalchemy_url(HUB_DB_URL)

# Each person's server: the workbook behind jupyter-standaloneproxy (the hub's OAuth, activity).
c.JupyterHub.spawner_class = "jupyterhub.spawner.SimpleLocalProcessSpawner"
c.Spawner.cmd, c.Spawner.args = workbook_hub.workbook_command(sys.executable, ROOM)
c.Spawner.environment = {"WORKBOOK_DATABASE_URL": WORKBOOK_DATABASE_URL}
c.Spawner.pre_spawn_hook = workbook_hub.pre_spawn_hook
c.Spawner.default_url = "/"  # the workbook's own / opens the app
c.Spawner.http_timeout = 120  # a busy machine may take a while to start Python and the workbook
c.Spawner.start_timeout = 120
c.JupyterHub.default_url = "/hub/user-redirect/"  # the front page opens one's own workbook
# A room arriving at once: let every spawn through (JupyterHub's defaults limit them to 100 at a time).
c.JupyterHub.concurrent_spawn_limit = 0
c.JupyterHub.active_server_limit = 0

# Idle culling: servers nobody uses are stopped, their anonymous users removed.
service, role = workbook_hub.idle_culler(sys.executable, IDLE_S)
c.JupyterHub.services = [service]
c.JupyterHub.load_roles = [role]

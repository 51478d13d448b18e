"""Serve the workbook: Voila over ``workbooks/`` with the workbook's own template and a landing redirect.

``python -m widgets.server [--host H] [--port P] [voila options…]`` is what ``make start`` runs. It is plain
Voila (configured by ``voila.json`` at the repository root) with these additions: the template under
``assets/voila/templates`` is put on Jupyter's data path; ``/`` redirects to the French home page instead
of Voila's file tree, which is no landing page for a participant; the kernel of a closed tab is really
shut down (see ``BeaconShutdownHandler``); kernels are always this environment's own Python; and the
person who started it is told where to go (or, when the port is taken, told so in one line).
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import os
import re
import socket
import sys
from pathlib import Path
from typing import Any

from widgets import _capacity
from widgets._assets import ASSETS, ROOT, WORKBOOKS
from widgets._nav import APP_NOTEBOOK, home_path
from widgets._pool import CannotServe, Pool, VoilaChanged, check_kernel_pool  # noqa: F401 (re-exported)
from widgets.figures import PLOTLY_URL_VARIABLE

PLOTLY_DIR = ASSETS / "vendor" / "plotly"
PLOTLY_FILE = "plotly-basic.min.js"


def plotly_version() -> str:
    """The version of the plotly.js bundle the browser gets (read from the file's banner)."""
    with (PLOTLY_DIR / PLOTLY_FILE).open(encoding="utf-8") as handle:
        banner = handle.read(200)
    match = re.search(r"plotly\.js \(basic - minified\) v([0-9.]+)", banner)
    if match is None:
        raise RuntimeError(f"{PLOTLY_DIR / PLOTLY_FILE} is not the plotly.js basic bundle")
    return match.group(1)


PLOTLY_VERSION = plotly_version()


def _prepare_environment(base_url: str = "/") -> None:
    """Put ``assets/`` on ``JUPYTER_PATH`` so that Voila finds the ``alliance`` template, and tell the
    kernels where the browser finds plotly.js (kernels inherit the server's environment)."""
    paths = [str(ASSETS), *filter(None, os.environ.get("JUPYTER_PATH", "").split(os.pathsep))]
    os.environ["JUPYTER_PATH"] = os.pathsep.join(dict.fromkeys(paths))
    os.environ[PLOTLY_URL_VARIABLE] = f"{base_url}workbook/plotly/{PLOTLY_FILE}?v={PLOTLY_VERSION}"


def swap_handler(routes: list, original: type, replacement: type, purpose: str) -> list:
    """Voila's routes with the handler class ``original`` replaced by ``replacement``: exactly one route must
    use ``original`` (the route list and its handler classes are Voila's internals)."""
    found = [route for route in routes if route[1] is original]
    if len(found) != 1:
        raise VoilaChanged(f"route served by {original.__name__} (found {len(found)})", purpose)
    return [(route[0], replacement, *route[2:]) if route[1] is original else route for route in routes]


def check_data_dir(directory: Path) -> None:
    """Answers must never be kept where the server serves files from (``workbooks/``, ``assets/``)."""
    resolved = directory.expanduser().resolve()
    for served in (WORKBOOKS, ASSETS):
        if resolved == served.resolve() or served.resolve() in resolved.parents:
            raise CannotServe(
                f"WORKBOOK_DATA_DIR={directory} is inside {served.name}/, which the server serves to every "
                "browser: choose a folder outside it (or unset WORKBOOK_DATA_DIR for the default)."
            )


def check_kernel() -> None:
    """The kernels are this environment's Python with ipykernel: without it, every page would be an error."""
    from importlib.util import find_spec

    if find_spec("ipykernel") is None:
        raise CannotServe(
            f"ipykernel is not installed in {sys.prefix}, so no page could run. It is one of the workbook's "
            "dependencies: run `make install` (or `pip install -e .`) and start again."
        )


def check_port(host: str, port: int) -> None:
    """Bind ``host:port`` as the server will (SO_REUSEADDR, as Tornado does) and explain a refusal."""
    try:
        addresses = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as error:
        raise CannotServe(
            f"HOST={host} is not a name or address this computer knows ({error.strerror})."
        ) from None
    for family, kind, protocol, _, address in addresses:
        with socket.socket(family, kind, protocol) as sock:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            if family == socket.AF_INET6:
                sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
            try:
                sock.bind(address)
            except OSError as error:
                if error.errno == errno.EADDRINUSE:
                    raise CannotServe(
                        f"Port {port} is already in use — is the workbook already running? "
                        f"Stop it, or choose another port: make start PORT={port + 1}"
                    ) from None
                if error.errno == errno.EACCES:
                    raise CannotServe(
                        f"Port {port} needs administrator rights on this computer: choose a port above "
                        "1024, e.g. make start PORT=8866"
                    ) from None
                if error.errno == errno.EADDRNOTAVAIL:
                    raise CannotServe(
                        f"HOST={host} is not an address of this computer: use HOST=127.0.0.1 (this "
                        "computer only) or HOST=0.0.0.0 (the whole local network)"
                    ) from None
                raise


PASSWORD_VARIABLE = "WORKBOOK_FACILITATOR_PASSWORD"  # noqa: S105 (the variable's name, not a password)


def facilitator_password():
    """The facilitator's password, hashed at once (``widgets.facilitator.Password``): from
    ``WORKBOOK_FACILITATOR_PASSWORD``, which is then removed from the environment the kernels inherit, or
    asked for at the terminal. It is never printed or logged."""
    import getpass

    from widgets.facilitator import Password

    typed = os.environ.pop(PASSWORD_VARIABLE, "")
    if not typed:
        if not sys.stdin.isatty():
            raise CannotServe(
                f"a workshop needs a facilitator password: set {PASSWORD_VARIABLE}, or run make workshop "
                "in a terminal to be asked for one"
            )
        typed = getpass.getpass("Facilitator password (for the dashboard): ")
        if typed and getpass.getpass("Once more: ") != typed:
            raise CannotServe("the two passwords differ")
    if len(typed) < 6:
        raise CannotServe("the facilitator password needs at least 6 characters")
    return Password(typed)


def network_addresses() -> list[str]:
    """This computer's IPv4 addresses on the local network (what participants type), best guess first.

    No packet is sent: connecting a UDP socket only asks the system which address it would send from.
    """
    found: list[str] = []
    for target in ("8.8.8.8", "192.168.255.255", "10.255.255.255", "172.31.255.255"):
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            try:
                probe.connect((target, 9))
                found.append(probe.getsockname()[0])
            except OSError:
                continue
    with contextlib.suppress(OSError):
        found += socket.gethostbyname_ex(socket.gethostname())[2]
    return [address for address in dict.fromkeys(found) if not address.startswith(("127.", "0."))]


#: The values of HOST that mean "every network interface of this computer".
EVERY_INTERFACE = ("0.0.0.0", "::", "")  # noqa: S104 (names what HOST means; nothing is bound here)


def where_to_go(host: str, port: int, data: str, workshop: bool = False) -> str:
    """What `make start` prints once the server listens: the address to open and, on a network, the one
    participants type. For a workshop (`make workshop`), first the two lines scripts rely on:
    ``Join: <address>`` and ``Dashboard: <address>``."""
    everywhere = host in EVERY_INTERFACE
    local = "127.0.0.1" if everywhere else host
    lines = []
    if workshop:
        addresses = network_addresses() if everywhere else []
        public = addresses[0] if addresses else local
        lines += [f"Join: http://{public}:{port}/", f"Dashboard: http://{public}:{port}/facilitator/"]
    lines.append(f"The workbook is ready. Open http://{local}:{port}/ in a browser.")
    if everywhere:
        addresses = network_addresses()
        if addresses:
            lines.append(f"Participants on the same network open: http://{addresses[0]}:{port}/")
            lines += [f"  (or http://{address}:{port}/)" for address in addresses[1:]]
        else:
            lines.append(
                "No network address found: connect this computer to the room's wifi (or a phone's hotspot); "
                f"participants then open http://<this computer's address>:{port}/"
            )
    else:
        lines.append("Only this computer can open it. For a room: make start HOST=0.0.0.0")
    lines.append(f"Answers are kept in {data}. Ctrl+C stops the server.")
    return "\n".join(lines)


def own_kernel_spec_manager_class():
    """Kernel specs: only this environment's own Python (ipykernel's "native" kernel, ``sys.executable``),
    started as the workbook's kernel (``widgets._kernel``: ipykernel without its debugger, 5 MiB lighter).

    Jupyter looks for kernel specs in every folder of its path, user and system ones included, and a spec
    found there wins over the native one: a ``python3`` spec left on the machine by another installation
    (pointing at another Python, without the workbook's packages) would run every page.
    """
    from jupyter_client.kernelspec import NATIVE_KERNEL_NAME, KernelSpecManager
    from traitlets import default

    class OwnKernelSpecManager(KernelSpecManager):
        @default("kernel_dirs")
        def _no_kernel_dirs(self) -> list[str]:
            return []

        @default("ensure_native_kernel")
        def _native(self) -> bool:
            return True

        def get_kernel_spec(self, kernel_name: str):
            spec = super().get_kernel_spec(kernel_name)
            if kernel_name == NATIVE_KERNEL_NAME:
                spec.argv = [sys.executable, "-m", "widgets._kernel", "-f", "{connection_file}"]
            return spec

    return OwnKernelSpecManager


def make_app_class():
    """Build the Voila subclass (imported lazily: Voila is heavy and the package core must not need it)."""
    import traitlets
    from jupyter_core.paths import jupyter_config_path
    from jupyter_server.utils import url_path_join
    from tornado import web
    from tornado.ioloop import IOLoop
    from tornado.web import RedirectHandler, StaticFileHandler
    from traitlets import default
    from voila.app import Voila
    from voila.shutdown_kernel_handler import VoilaShutdownKernelHandler
    from voila.static_file_handler import TemplateStaticFileHandler
    from voila.tornado.contentshandler import VoilaContentsHandler
    from voila.tornado.handler import TornadoVoilaHandler
    from voila.tornado.kernel_websocket_handler import VoilaKernelWebsocketHandler
    from voila.tornado.treehandler import TornadoVoilaTreeHandler

    class BeaconShutdownHandler(VoilaShutdownKernelHandler):
        """Voila's front end asks for its kernel's shutdown on page unload with ``navigator.sendBeacon``,
        which cannot carry the XSRF token, so every closed or reloaded tab left its kernel running
        (voila-dashboards/voila#1458). Accept the request when the browser says it comes from this server's
        own pages (an ``Origin`` header naming this server); a cross-site page still needs the token.

        Which kernel is shut down is named by the URL: the kernel id is the capability, as it is for the
        kernel's websocket (``/api/kernels/<id>/channels``), through which whoever holds the id can already
        drive the kernel. Ids are random UUIDs, written only into the page of the person the kernel serves;
        the server lists none (no ``/api/kernels`` or ``/api/sessions`` route)."""

        def check_xsrf_cookie(self) -> None:
            origin = self.request.headers.get("Origin")
            if origin and origin != "null" and self.check_origin():
                return None
            return super().check_xsrf_cookie()

        @web.authenticated
        async def post(self, kernel_id: str) -> None:
            if kernel_id not in self.kernel_manager:
                raise web.HTTPError(404)  # Voila answers a 500 for a kernel it does not know
            await super().post(kernel_id)

    class TemplateStaticHandler(TemplateStaticFileHandler):
        """Voila's handler for a template's files (``/voila/templates/<template>/static/<file>``), answering
        404 to any other path instead of failing with a 500 on an ``assert``."""

        def parse_url_path(self, url_path: str) -> str:
            template, _, rest = url_path.partition("/static/")
            normal = os.path.normpath(url_path).split(os.sep, 2)
            if not template or "/" in template or not rest or normal[:2] != [template, "static"]:
                raise web.HTTPError(404)
            return super().parse_url_path(url_path)

    class NotFound(web.RequestHandler):
        def prepare(self) -> None:
            raise web.HTTPError(404)

    class KernelSocket(VoilaKernelWebsocketHandler):
        """The page's connection to its kernel, with each message sent at once (``TCP_NODELAY``): without
        it a small message (a widget's answer to a click) waits for the browser's delayed ACK, up to
        40 ms here (measured: a kernel_info round trip 48 ms → 6 ms on an idle server)."""

        async def open(self, *args: Any, **kwargs: Any) -> None:
            self.set_nodelay(True)
            await super().open(*args, **kwargs)

    class RoomHandler(TornadoVoilaHandler):
        """Voila's page handler, which first checks that the machine can take one more kernel: when it
        cannot (open files, sockets or memory: widgets/_capacity.py), the person gets a page that says so in
        their language and tries again by itself, not a reset connection."""

        async def get(self, path: str | None = None) -> None:
            pool = self.settings.get("workbook_pool")
            plan = self.settings.get("workbook_capacity")
            if pool is not None:
                reason = pool.refusal()
            elif plan is not None:
                reason = _capacity.refusal(len(self.kernel_manager.list_kernel_ids()), plan)
            else:
                reason = None
            if reason is None:
                try:
                    await super().get(path)
                    return
                except OSError as error:  # zmq.ZMQError is an OSError: "Too many open files" and the like
                    if self._headers_written or error.errno not in _capacity.FULL_ERRNOS:
                        raise
                    reason = errno.errorcode.get(error.errno or 0, "error")
                    self.log.warning("A kernel could not be started for %s: %s", self.request.path, error)
            self.full(reason)

        def full(self, reason: str) -> None:
            from widgets import debrief
            from widgets.i18n import catalog

            lang = _capacity.language(self.request.headers.get("Accept-Language", ""))
            self.log.warning("Full: a participant was told the workbook is full (%s).", reason)
            self.set_status(503)
            self.set_header("Retry-After", str(_capacity.RETRY_S))
            self.set_header("Content-Type", "text/html; charset=utf-8")
            self.finish(
                debrief.render(
                    "full.html.j2",
                    t=catalog(lang),
                    lang=lang,
                    base=self.base_url,
                    version="",
                    inline_css=None,
                    retry=_capacity.RETRY_S,
                )
            )

    class WorkbookVoila(Voila):
        """Voila with the workbook's configuration file and a redirect from ``/`` to the home page."""

        name = "workbook"
        per_page = traitlets.Bool(False, config=True, help="Serve each chapter as its own page (no app).")
        workshop = traitlets.Bool(False, config=True, help="Say the room's Join and Dashboard addresses.")
        room = traitlets.Int(0, config=True, help="Pre-heated kernels: about the people who arrive at once.")
        max_participants = traitlets.Int(
            0, config=True, help="At most this many kernels at once (0: as many as the machine holds)."
        )
        facilitation: Any = None  # widgets.facilitator.Facilitation, set by main()

        @default("config_file_paths")
        def _workbook_config_paths(self) -> list[str]:
            return [str(ROOT), *jupyter_config_path()]

        @property
        def data_dir(self) -> str:
            # Voila takes the first ``voila`` folder on JUPYTER_PATH as its data dir (themes live there);
            # ours only holds a template, so keep the installed one.
            return os.path.join(sys.prefix, "share", "jupyter", "voila")

        def init_settings(self) -> dict:
            settings = super().init_settings()  # creates self.kernel_manager
            # ZeroMQ's context allows 1,023 sockets unless told otherwise: about 200 participants.
            cap = self.max_participants or None
            plan = _capacity.plan(self.room, _capacity.read_limits(), cap)
            _capacity.apply(plan, self.kernel_manager.context)
            self.log.info(plan.line())
            settings["workbook_capacity"] = plan
            if self.voila_configuration.preheat_kernel:
                pool = Pool(
                    self.kernel_manager, APP_NOTEBOOK, self.room, plan, _capacity.pace(), log=self.log
                )
                pool.install()
                settings["workbook_pool"] = pool
            # gzip for pages, scripts and styles (Voila's front end is ~10 MB of JavaScript before
            # compression) and permessage-deflate for the kernels' websockets (widget state is JSON).
            # Tornado reads these when the application is built, so they cannot come from voila.json.
            return {**settings, "compress_response": True, "websocket_compression_options": {}}

        def init_handlers(self) -> list:
            render = url_path_join(self.base_url, "voila/render/")
            extra = []
            if self.per_page:
                extra.append(
                    (url_path_join(self.server_url, "/"), RedirectHandler, {"url": render + home_path()})
                )
            else:
                app = render + APP_NOTEBOOK
                extra.append((url_path_join(self.server_url, "/"), RedirectHandler, {"url": app}))
                # A chapter's own URL opens the app on that chapter (the fragment survives the redirect).
                chapter_url = url_path_join(
                    self.server_url, r"/voila/render/((?:fr|en)/\d\d-[a-z0-9-]+)\.ipynb"
                )
                extra.append((chapter_url, RedirectHandler, {"url": app + "#{0}"}))
            # plotly.js, for the charts (widgets/views/chart.py): cached for good, the URL names the version.
            plotly_js = (
                url_path_join(self.server_url, r"/workbook/plotly/(plotly-basic\.min\.js)"),
                StaticFileHandler,
                {"path": str(PLOTLY_DIR)},
            )
            extra.append(plotly_js)
            # The facilitator's room (widgets/facilitator.py): sign-in, dashboard, projector, join links.
            from widgets import facilitator

            extra += facilitator.handlers(
                self.server_url, self.facilitation or facilitator.Facilitation(None)
            )
            handlers = swap_handler(
                super().init_handlers(),
                VoilaShutdownKernelHandler,
                BeaconShutdownHandler,
                "shutting down the kernel of a closed tab",
            )
            handlers = swap_handler(
                handlers, TemplateStaticFileHandler, TemplateStaticHandler, "a 404 for a malformed path"
            )
            handlers = swap_handler(
                handlers, TornadoVoilaHandler, RoomHandler, "telling a person when the server is full"
            )
            handlers = swap_handler(
                handlers, VoilaKernelWebsocketHandler, KernelSocket, "sending kernel messages at once"
            )
            # Voila redirects /voila/render/<a file that is not a notebook> to /voila/files/<it>: a 404 here.
            extra.append((url_path_join(self.server_url, r"/voila/render/(?!.*\.ipynb$).*"), NotFound))
            # jupyter_server's /logout (no one logs in: Voila runs without a token) fails with a 500.
            extra.append((url_path_join(self.server_url, r"/logout"), NotFound))
            # Voila's file tree (/voila/tree and its /voila/api/contents) lists the notebooks: participants
            # have no use for it, and `/` leads into the app.
            tree = (TornadoVoilaTreeHandler, VoilaContentsHandler)
            handlers = [route for route in handlers if route[1] not in tree]
            return [*extra, *handlers]

        def listen(self) -> None:
            # Voila binds the port, then runs the loop: this is said once the server really listens.
            from widgets.store import data_dir, database_url, shown_url

            url = database_url()
            kept = f"PostgreSQL ({shown_url(url)})" if url else str(data_dir())
            said = where_to_go(self.ip, self.port, kept, workshop=self.workshop)
            IOLoop.current().add_callback(lambda: print(said, flush=True))
            super().listen()

    return WorkbookVoila


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8866")))
    parser.add_argument(
        "--room",
        type=int,
        default=int(os.environ.get("ROOM", "2")),
        help="pre-heated kernels kept ready: about the number of people who may arrive at once",
    )
    parser.add_argument(
        "--workshop",
        action="store_true",
        help="enable the facilitator's dashboard; the password comes from WORKBOOK_FACILITATOR_PASSWORD "
        "or is asked for",
    )
    parser.add_argument(
        "--base-url",
        default="/",
        help="the path the server is reached under, e.g. JupyterHub's /user/<name>/ (default /)",
    )
    parser.add_argument(
        "--max-participants",
        type=int,
        default=int(os.environ.get("MAX_PARTICIPANTS", "0")),
        help="take at most this many participants at once; the next are told the workbook is full "
        "(default: as many as the machine's memory and open-file limit hold)",
    )
    parser.add_argument(
        "--per-page",
        action="store_true",
        help="serve each chapter as its own Voila page with its own kernel (no app, no pool)",
    )
    known, extra = parser.parse_known_args(argv)
    if known.room < 0:
        parser.error("--room must be 0 or more")
    if known.max_participants < 0:
        parser.error("--max-participants must be 0 (no limit) or more")
    try:
        check_kernel()
        check_port(known.host, known.port)
        from widgets.store import data_dir, database_url

        if database_url() is None:  # answers in PostgreSQL: the store says at first use if it cannot reach it
            check_data_dir(data_dir())
        password = facilitator_password() if known.workshop else None
    except CannotServe as problem:
        print(f"error: {problem}", file=sys.stderr)
        sys.exit(2)
    from traitlets.config import Config

    config = Config()
    config.VoilaConfiguration.kernel_spec_manager_class = own_kernel_spec_manager_class()
    # Participants' browsers remember their code per address: the workbook never moves to another port.
    config.Voila.port_retries = 0
    if os.name == "posix":
        # Kernels talk to the server over Unix sockets, not TCP ports: thirty kernels starting at once
        # (a room's pool) no longer race for random ports ("Address already in use" left a participant's
        # page hanging in `make bench`), and nothing listens on a network port.
        config.KernelManager.transport = "ipc"
    if known.per_page:
        config.WorkbookVoila.per_page = True
        config.VoilaConfiguration.preheat_kernel = False
    else:
        config.VoilaConfiguration.preheat_kernel = known.room > 0
        # widgets._pool fills the pool once the server has set it up (at a pace, sized to the room): Voila's
        # kernel manager must not start one on its own as it is created.
        config.VoilaKernelManager.kernel_pools_config = {"default": {"pool_size": 0}}
    config.WorkbookVoila.room = known.room
    config.WorkbookVoila.max_participants = known.max_participants
    base_url = "/" + known.base_url.strip("/") + "/" if known.base_url.strip("/") else "/"
    _prepare_environment(base_url)
    os.chdir(ROOT)
    app_class = make_app_class()
    from widgets import facilitator

    app_class.facilitation = facilitator.Facilitation(password, base_url)
    config.WorkbookVoila.workshop = known.workshop
    try:
        app_class.launch_instance(
            argv=[
                str(WORKBOOKS),
                f"--Voila.ip={known.host}",
                f"--Voila.base_url={base_url}",
                f"--port={known.port}",
                "--no-browser",
                *extra,
            ],
            config=config,
        )
    except VoilaChanged as problem:
        print(f"error: {problem}", file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main()

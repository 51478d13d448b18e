"""The facilitator's room on the workbook's own server: sign-in, workshops, the live dashboard, the projector,
exports, and the participants' join link.

Plain Tornado handlers in the server process (``widgets.server`` adds them): the dashboard needs no kernel,
reads the same store the participants' kernels write to, and follows it with a long poll that answers as
soon as something changes. Pages are Jinja2 templates with autoescaping (``widgets.debrief``); the browser
script never inserts a participant's words itself.

**Protection.** Every page and request under ``/facilitator/`` but the sign-in needs the facilitator's
cookie, signed with the server's random secret (``set_secure_cookie``), given for the password, which is
kept only as a salted scrypt hash and is never logged. Repeated wrong passwords from one address wait. Every
POST carries Tornado's XSRF token. Participants reach only ``/join/<code>``, which stores the room's code in
their browser and opens the workbook.
"""

from __future__ import annotations

import asyncio
import csv
import hashlib
import hmac
import io
import json
import os
import secrets
import time
from collections import deque
from typing import Any

from markupsafe import Markup
from tornado import web

from widgets import debrief, room
from widgets._assets import ASSETS
from widgets.i18n import catalog, languages
from widgets.store import SERVER_NAME, Store

COOKIE = "workbook-facilitator"
LONG_POLL_S = 20.0
POLL_EVERY_S = 0.25
ATTEMPTS = 5  # wrong passwords allowed per address and per ATTEMPT_WINDOW_S
ATTEMPT_WINDOW_S = 60.0
STATIC = ASSETS / "facilitator"


class Password:
    """The facilitator's password, kept only as a salted scrypt hash."""

    def __init__(self, password: str) -> None:
        if not password:
            raise ValueError("an empty facilitator password")
        self._salt = secrets.token_bytes(16)
        self._hash = self._derive(password)

    def _derive(self, password: str) -> bytes:
        return hashlib.scrypt(password.encode(), salt=self._salt, n=2**14, r=8, p=1, dklen=32)

    def matches(self, password: str) -> bool:
        return hmac.compare_digest(self._hash, self._derive(password or ""))


class Facilitation:
    """What the handlers share: the password, the store, wrong-password counts, the server's address."""

    def __init__(self, password: Password | None, base_url: str = "/") -> None:
        self.password = password
        self.base_url = base_url
        self._store: Store | None = None
        self._failures: dict[str, deque[float]] = {}
        self.version = str(int(time.time()))

    @property
    def store(self) -> Store:
        if self._store is None:
            self._store = Store(name=SERVER_NAME)
        return self._store

    def after_request(self) -> None:
        """Without a facilitator on this server (a participant's own server on a hub, a self-learner's),
        its pages read the store once per visitor — the join page: its connection is not kept between
        them. The facilitator's server keeps its own, which the dashboard polls several times a second."""
        if self.password is None and self._store is not None:
            self._store.release()

    def too_many_attempts(self, address: str) -> bool:
        recent = self._failures.setdefault(address, deque())
        while recent and recent[0] < time.monotonic() - ATTEMPT_WINDOW_S:
            recent.popleft()
        return len(recent) >= ATTEMPTS

    def failed(self, address: str) -> None:
        self._failures.setdefault(address, deque()).append(time.monotonic())


class _Page(web.RequestHandler):
    """Shared by every facilitator handler: language, templates, the signed cookie, XSRF on POST."""

    def initialize(self, facilitation: Facilitation) -> None:
        self.facilitation = facilitation

    def on_finish(self) -> None:
        self.facilitation.after_request()

    def set_default_headers(self) -> None:
        # Nothing on these pages comes from another host, and none may be framed by another site.
        self.set_header(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
            "script-src 'self' 'unsafe-inline'; frame-ancestors 'self'",
        )
        self.set_header("X-Content-Type-Options", "nosniff")
        self.set_header("Referrer-Policy", "no-referrer")
        self.set_header("Cache-Control", "no-store")

    def prepare(self) -> None:
        if self.request.method == "POST":
            self.check_xsrf_cookie()

    @property
    def lang(self) -> str:
        # The address's ?lang= only: a form's own "lang" field (a new room's language) is not the page's.
        asked = self.get_query_argument("lang", "")
        return asked if asked in languages() else languages()[0]

    @property
    def base(self) -> str:
        return self.facilitation.base_url

    def signed_in(self) -> bool:
        return self.facilitation.password is not None and self.get_secure_cookie(COOKIE) == b"1"

    def page(self, template: str, lang: str, **context: Any) -> None:
        t = catalog(lang)
        other = next(code for code in languages() if code != lang)
        self.finish(
            debrief.render(
                template,
                t=t,
                lang=lang,
                base=self.base,
                version=self.facilitation.version,
                xsrf=Markup(self.xsrf_form_html()),  # noqa: S704 (Tornado's own hidden input)
                other_lang=other,
                other_lang_name=catalog(other)("language_name"),
                inline_css=None,
                **context,
            )
        )

    def room_or_404(self, code: str) -> room.Room:
        found = room.find(self.facilitation.store, code.upper())
        if found is None:
            raise web.HTTPError(404)
        return found


class _Signed(_Page):
    """A page for the facilitator only: others are sent to the sign-in (pages) or refused (requests)."""

    def prepare(self) -> None:
        super().prepare()
        if self.signed_in():
            return
        if self.request.method == "GET" and not self.request.path.endswith(("/live", ".csv", ".html")):
            self.redirect(f"{self.base}facilitator/login?lang={self.lang}")
        else:
            raise web.HTTPError(403)


class Login(_Page):
    def get(self) -> None:
        if self.signed_in():
            self.redirect(f"{self.base}facilitator/?lang={self.lang}")
            return
        self.page("login.html.j2", self.lang, disabled=self.facilitation.password is None, problem="")

    def post(self) -> None:
        t = catalog(self.lang)
        password = self.facilitation.password
        if password is None:
            raise web.HTTPError(403)
        address = self.request.remote_ip or ""
        if self.facilitation.too_many_attempts(address):
            self.set_status(429)
            self.page("login.html.j2", self.lang, disabled=False, problem=t("facilitator.too_many"))
            return
        if not password.matches(self.get_body_argument("password", "")):
            self.facilitation.failed(address)
            self.set_status(403)
            self.page("login.html.j2", self.lang, disabled=False, problem=t("facilitator.wrong_password"))
            return
        self.set_secure_cookie(COOKIE, "1", expires_days=1, httponly=True, samesite="Strict")
        self.redirect(f"{self.base}facilitator/?lang={self.lang}")


class Logout(_Page):
    def post(self) -> None:
        self.clear_cookie(COOKIE)
        self.redirect(f"{self.base}facilitator/login")


class Rooms(_Signed):
    def places(self) -> str:
        """How far the server's pool of kernels is, and how many participants it holds (widgets/_pool.py)."""
        pool, plan = self.settings.get("workbook_pool"), self.settings.get("workbook_capacity")
        if pool is None or plan is None:
            return ""
        t = catalog(self.lang)
        if pool.filling_since is not None:
            return t("facilitator.places_filling", ready=pool.ready(), room=pool.room)
        return t("facilitator.places", in_use=pool.in_use(), ready=pool.ready(), holds=plan.holds)

    def get(self, problem: str = "", typed_title: str = "") -> None:
        rooms = [room.Room.from_row(row) for row in self.facilitation.store.rooms()]
        dates = {
            found.code: time.strftime("%Y-%m-%d %H:%M", time.localtime(found.created_at)) for found in rooms
        }
        notice = catalog(self.lang)("facilitator.deleted") if self.get_argument("deleted", "") else ""
        self.page(
            "rooms.html.j2",
            self.lang,
            places=self.places(),
            rooms=rooms,
            dates=dates,
            languages=[(code, catalog(code)("language_name")) for code in languages()],
            problem=problem,
            typed_title=typed_title,
            notice=notice,
        )

    def post(self) -> None:
        title = self.get_body_argument("title", "")
        lang = self.get_body_argument("lang", self.lang)
        try:
            opened = room.open_room(self.facilitation.store, title, lang if lang in languages() else "fr")
        except room.RoomError:
            self.set_status(400)
            self.get(problem=catalog(self.lang)("facilitator.title_problem"), typed_title=title[:200])
            return
        self.redirect(f"{self.base}facilitator/room/{opened.code}")


def _state(handler: _Page, found: room.Room, audience: debrief.Audience) -> dict[str, Any]:
    """What a dashboard or projector shows now, ready to send: the debrief's HTML (escaped by the
    templates), the room's switches and, for the dashboard, the picker's options."""
    store = handler.facilitation.store
    # The version is read before the posts: something sent in between then makes the next poll answer at
    # once, instead of being carried by a version that claims it while the HTML lacks it.
    version = _version_tag(store, found.code)
    posts = store.posts(found.code)
    t = catalog(found.lang)
    shown = debrief.debrief(found, posts, found.shown, audience)
    html = debrief.render("debrief.html.j2", t=t, d=shown, audience=audience, revealed=found.revealed)
    state: dict[str, Any] = {
        "version": version,
        "html": html,
        "shown": found.shown,
        "revealed": found.revealed,
        "approved_only": found.approved_only,
        "labels": {"reveal": t("facilitator.reveal"), "conceal": t("facilitator.conceal")},
    }
    if audience == "dashboard":
        choices = debrief.choices(found, posts)
        options = debrief.render("choices.html.j2", choices=choices, shown=found.shown)
        state["choices_html"] = options
    return state


def _version_tag(store: Store, code: str) -> str:
    last_post, version = store.room_version(code)
    return f"{last_post}.{version}"


#: Where participants join when they are not served by the facilitator's server: on JupyterHub each person
#: has a server of their own, and ``/hub/user-redirect/`` leads to it (``deploy/workbook_hub.py`` sets it).
JOIN_BASE_VARIABLE = "WORKBOOK_JOIN_BASE_URL"


def _join_link(handler: _Page, code: str) -> str:
    host = handler.request.host
    base = os.environ.get(JOIN_BASE_VARIABLE) or handler.base
    return f"{handler.request.protocol}://{host}{base}join/{code}"


class Dashboard(_Signed):
    def get(self, code: str) -> None:
        found = self.room_or_404(code)
        self.xsrf_token  # noqa: B018 (sets the _xsrf cookie that the page's requests send back)
        state = _state(self, found, "dashboard")
        import segno

        link = _join_link(self, found.code)
        qr = segno.make(link, error="m").svg_inline(scale=5, border=2, dark="#1f2a33")
        posts = self.facilitation.store.posts(found.code)
        self.page(
            "room.html.j2",
            found.lang,
            room=found,
            qr=Markup(qr),  # noqa: S704 (drawn here from our own link)
            join_link=link,
            choices=debrief.choices(found, posts),
            shown=found.shown,
            debrief_html=Markup(state["html"]),  # noqa: S704 (rendered by the autoescaping templates)
            version_tag=state["version"],
        )


class Projector(_Signed):
    def get(self, code: str) -> None:
        found = self.room_or_404(code)
        state = _state(self, found, "projector")
        self.page(
            "projector.html.j2",
            found.lang,
            room=found,
            debrief_html=Markup(state["html"]),  # noqa: S704 (rendered by the autoescaping templates)
            version_tag=state["version"],
        )


class Live(_Signed):
    """A long poll: answers at once if the room changed since ``since``, else as soon as it does (or after
    ``LONG_POLL_S``, with the same state).

    It polls the store's ``room_version`` every ``POLL_EVERY_S``, so it follows a room whose participants are
    served by other servers as long as they share the store (``WORKBOOK_DATABASE_URL``). Measured on this
    2-core machine, busy with other work (PostgreSQL 15 on 127.0.0.1, a room of 1,200 posts): one poll takes
    0.15–0.2 ms (SQLite: 0.06–0.07); 30 dashboards polling at once, 119 polls/s, cost the database server
    1.5–1.6 % of one core, a poll 0.8–1.4 ms on average (p95 3–4 ms). Too little to justify LISTEN/NOTIFY (a
    connection held per server, a listener task, its reconnection), so it polls."""

    async def get(self, code: str) -> None:
        audience = "projector" if self.get_argument("audience", "") == "projector" else "dashboard"
        since = self.get_argument("since", "")
        store = self.facilitation.store
        deadline = time.monotonic() + LONG_POLL_S
        while _version_tag(store, code) == since and time.monotonic() < deadline:
            if self.request.connection.stream.closed():
                return
            await asyncio.sleep(POLL_EVERY_S)
        found = self.room_or_404(code)
        self.set_header("Content-Type", "application/json; charset=utf-8")
        self.finish(json.dumps(_state(self, found, audience)))


class State(_Signed):
    """The facilitator's switches: what is shown, revealed or not, approved only, closing the room."""

    def post(self, code: str) -> None:
        found = self.room_or_404(code)
        store = self.facilitation.store
        if self.request.headers.get("Content-Type", "").startswith("application/json"):
            body = _json_body(self)
            changes: dict[str, Any] = {}
            if "shown" in body:
                shown = str(body["shown"])
                if shown and not debrief.valid_shown(shown):
                    raise web.HTTPError(400)
                changes |= {"shown": shown, "revealed": 0}
            if "revealed" in body:
                changes["revealed"] = int(bool(body["revealed"]))
            if "approved_only" in body:
                changes["approved_only"] = int(bool(body["approved_only"]))
            if not changes:
                raise web.HTTPError(400)
            store.update_room(code, **changes)
            self.set_header("Content-Type", "application/json; charset=utf-8")
            self.finish(json.dumps(_state(self, self.room_or_404(code), "dashboard")))
            return
        if self.get_body_argument("closed", "") == "true" and found.open:
            store.update_room(code, closed_at=time.time())
        self.redirect(f"{self.base}facilitator/room/{code}")


def _json_body(handler: web.RequestHandler) -> dict[str, Any]:
    try:
        body = json.loads(handler.request.body or b"{}")
    except ValueError as error:
        raise web.HTTPError(400) from error
    if not isinstance(body, dict):
        raise web.HTTPError(400)
    return body


class Moderate(_Signed):
    def post(self, code: str, post_id: str) -> None:
        self.room_or_404(code)
        store = self.facilitation.store
        if not any(post["id"] == int(post_id) for post in store.posts(code)):
            raise web.HTTPError(404)
        body = _json_body(self)
        flags = {flag: bool(body[flag]) for flag in ("hidden", "pinned", "approved") if flag in body}
        if not flags:
            raise web.HTTPError(400)
        store.moderate(int(post_id), **flags)
        self.set_header("Content-Type", "application/json; charset=utf-8")
        self.finish(json.dumps(_state(self, self.room_or_404(code), "dashboard")))


class Delete(_Signed):
    def post(self, code: str) -> None:
        found = self.room_or_404(code)
        self.facilitation.store.delete_room(found.code)
        self.redirect(f"{self.base}facilitator/?lang={found.lang}&deleted=1")


def _answer_text(post: dict[str, Any], lang: str) -> str:
    """One cell that says what was sent, in words (no participant code: none is kept)."""
    from widgets import factors

    payload = post["payload"]
    t = catalog(lang)
    if "shares" in payload:
        return "; ".join(f"{t(f'factors.labels.{key}')} {payload['shares'].get(key, '')} %"
                         for key in factors.factor_ids())  # fmt: skip
    if "marked" in payload:
        return " ".join(payload["marked"])
    if "points" in payload:
        ordered = sorted(payload["points"].items(), key=lambda pair: int(pair[0]))
        points = "; ".join(f"{session}: {value}" for session, value in ordered)
        return f"{points}; good enough: {payload.get('good_enough')}"
    return str(payload.get("text", ""))


def csv_export(found: room.Room, posts: list[dict[str, Any]], shown: str) -> str:
    """What was sent for ``shown`` (every exercise if empty), one row per answer, as CSV."""
    t = catalog(found.lang)
    header = t("facilitator.csv_columns")
    delimiter = ";" if ";" in header else ","
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(header.split(delimiter))
    kind, item = debrief.shown_parts(shown)
    for post in posts:
        if shown and (post["exercise"] != kind or (item and post["item"] != item)):
            continue
        payload = post["payload"]
        verdict = ""
        if "solution_focused" in payload:
            verdict = "mixed" if payload.get("mixed") else ("yes" if payload["solution_focused"] else "no")
            verdict = t(f"facilitator.verdict_{verdict}")
        yes, no = t("facilitator.yes"), t("facilitator.no")
        writer.writerow([
            t(f"facilitator.exercises.{post['exercise']}"), post["item"],
            time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(post["sent_at"])), post["name"],
            _answer_text(post, found.lang), verdict, " ".join(payload.get("criteria", [])),
            yes if post["hidden"] else no, yes if post["pinned"] else no, yes if post["approved"] else no,
        ])  # fmt: skip
    return "\ufeff" + out.getvalue()  # a byte-order mark, so that spreadsheet programs read the accents


class Export(_Signed):
    def get(self, code: str) -> None:
        found = self.room_or_404(code)
        shown = self.get_argument("shown", found.shown)
        body = csv_export(found, self.facilitation.store.posts(code), shown)
        name = (shown or "all").replace(":", "-")
        self.set_header("Content-Type", "text/csv; charset=utf-8")
        self.set_header("Content-Disposition", f'attachment; filename="atelier-{found.code}-{name}.csv"')
        self.finish(body)


def report(found: room.Room, posts: list[dict[str, Any]]) -> str:
    """The workshop as one self-contained HTML page: every exercise that received answers, its debrief
    (charts drawn in SVG), no hidden answer, no participant code, no script, nothing from another host."""
    t = catalog(found.lang)
    sections = []
    for choice in debrief.choices(found, posts):
        if not choice.count:
            continue
        shown = debrief.debrief(found, posts, choice.value, "report")
        if shown.count:
            html = debrief.render("debrief.html.j2", t=t, d=shown, audience="report", revealed=True)
            sections.append(Markup(html))  # noqa: S704 (rendered by the autoescaping templates)
    css = (STATIC / "room.css").read_text(encoding="utf-8")
    opened = time.strftime("%Y-%m-%d", time.localtime(found.created_at))
    return debrief.render(
        "report.html.j2",
        t=t,
        lang=found.lang,
        base="",
        version="",
        room=found,
        sections=sections,
        opened=opened,
        inline_css=Markup(css),  # noqa: S704 (our own style sheet)
    )


class Report(_Signed):
    def get(self, code: str) -> None:
        found = self.room_or_404(code)
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.set_header("Content-Disposition", f'attachment; filename="atelier-{found.code}.html"')
        self.finish(report(found, self.facilitation.store.posts(code)))


class Join(_Page):
    """``/join/<code>``: what the QR code opens. Stores the room in the browser and opens the workbook."""

    def get(self, typed: str = "") -> None:
        from widgets._nav import APP_NOTEBOOK, home

        try:
            code = room.normalize_code(typed)
            found = room.find(self.facilitation.store, code)
        except room.RoomError:
            found = None
        lang = found.lang if found else self.lang
        app_url = f"{self.base}voila/render/{APP_NOTEBOOK}#{home(lang).route}"
        self.page("join.html.j2", lang, app_url=app_url, room_value=f"{found.code}|" if found else "")


def handlers(server_url: str, facilitation: Facilitation) -> list[tuple]:
    """The routes of the facilitator's room, under ``server_url``."""
    from jupyter_server.utils import url_path_join

    def at(path: str) -> str:
        return url_path_join(server_url, path)

    code = r"([0-9A-Za-z]{5})"
    shared = {"facilitation": facilitation}
    return [
        (at(r"/join/?"), Join, shared),
        (at(r"/join/([^/]{1,20})/?"), Join, shared),
        (at(r"/facilitator/?"), Rooms, shared),
        (at(r"/facilitator/login"), Login, shared),
        (at(r"/facilitator/logout"), Logout, shared),
        (at(r"/facilitator/rooms"), Rooms, shared),
        (at(rf"/facilitator/room/{code}"), Dashboard, shared),
        (at(rf"/facilitator/room/{code}/projector"), Projector, shared),
        (at(rf"/facilitator/room/{code}/live"), Live, shared),
        (at(rf"/facilitator/room/{code}/state"), State, shared),
        (at(rf"/facilitator/room/{code}/posts/([0-9]{{1,12}})"), Moderate, shared),
        (at(rf"/facilitator/room/{code}/export.csv"), Export, shared),
        (at(rf"/facilitator/room/{code}/report.html"), Report, shared),
        (at(rf"/facilitator/room/{code}/delete"), Delete, shared),
        (at(r"/facilitator/static/(room\.(?:css|js))"), web.StaticFileHandler, {"path": str(STATIC)}),
    ]

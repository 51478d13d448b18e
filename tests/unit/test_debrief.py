"""The room's debrief views, exports and the facilitator's password, without a browser."""

import csv
import io
import os
import re
import subprocess
import sys

import pytest

from widgets import debrief, facilitator, first_call, reformulation, registry, room, scaling
from widgets.store import Answer, Store

INJECTION = '<img src=x onerror="alert(1)"><script>alert(2)</script>'
CODE = "AAAAA-AAAAA"


@pytest.fixture
def store(backend):
    """The room's store, on each back end (SQLite, PostgreSQL)."""
    return Store()


def _send(store, opened, participant, kind, item, value, name=""):
    answer = Answer("x", opened.lang, value, True, 0.0)
    payload = registry.kind(kind).send(answer, item, opened.lang)
    room.send(store, opened, participant, kind, item, name, payload)


@pytest.fixture
def full_room(store):
    """A room where every kind of view has something, from three participants (one named with markup)."""
    opened = room.open_room(store, "Atelier <i>test</i>", "fr")
    statement = reformulation.statements("fr")[0].id
    call = first_call.calls("fr")[0]
    case = scaling.vignettes("fr")[0].id
    markable = [phrase.id for phrase in call.phrases if phrase.markable]
    for number, name in enumerate(["Léa", INJECTION[:40], ""]):
        participant = f"P{number}"
        shares = {"extratherapeutic": 40 - number * 10, "expectancy": 20, "technique": 20}
        shares["relationship"] = 100 - sum(shares.values())
        _send(store, opened, participant, "guess_the_factors", None, {"shares": shares}, name)
        _send(
            store,
            opened,
            participant,
            "reformulate",
            statement,
            {"text": f"Qu'est-ce qui va déjà mieux ? {INJECTION}"},
            name,
        )
        _send(store, opened, participant, "first_call", call.id, {"marked": markable[: number + 1]}, name)
        points = {str(session): min(10, number + session) for session in range(1, 4)}
        _send(
            store,
            opened,
            participant,
            "scaling_chart",
            case,
            {"points": points, "notes": {}, "good_enough": 7},
            name,
        )
        _send(store, opened, participant, "reflection", "01_practice", {"text": INJECTION}, name)
    return room.find(store, opened.code), statement, call, case


def _visible_text(html: str) -> str:
    return re.sub(r"<[^>]+>", "", html)


@pytest.mark.parametrize("audience", ["dashboard", "projector", "report"])
def test_every_view_renders_and_escapes_what_participants_typed(store, full_room, audience):
    found, statement, call, case = full_room
    posts = store.posts(found.code)
    t = debrief.catalog("fr")
    shown_values = {choice.value for choice in debrief.choices(found, posts)}
    for shown in (
        "guess_the_factors",
        f"reformulate:{statement}",
        "reformulate",
        f"first_call:{call.id}",
        f"scaling_chart:{case}",
        "reflection:01_practice",
    ):
        assert shown in shown_values, shown
        view = debrief.debrief(found, posts, shown, audience)
        html = debrief.render("debrief.html.j2", t=t, d=view, audience=audience, revealed=True)
        assert view.count == 3
        assert "<script" not in html
        assert "<img" not in html
        assert "onerror" not in _visible_text(html) or "&lt;img" in html  # only ever as escaped text


def test_each_view_says_what_it_shows(store, full_room):
    found, statement, call, case = full_room
    posts = store.posts(found.code)
    shares = debrief.debrief(found, posts, "guess_the_factors", "dashboard").data
    assert shares["rows"][0]["median"] == 30  # 40, 30, 20
    assert shares["rows"][0]["lambert"] == 40
    wall = debrief.debrief(found, posts, f"reformulate:{statement}", "dashboard")
    assert "resources" in dict(wall.data["criteria"])
    assert wall.prompt  # the situation, in full
    transcript = debrief.debrief(found, posts, f"first_call:{call.id}", "dashboard").data
    counts = [
        phrase["count"] for turn in transcript["turns"] for phrase in turn["phrases"] if phrase["markable"]
    ]
    assert counts[:3] == [3, 2, 1]
    scales = debrief.debrief(found, posts, f"scaling_chart:{case}", "dashboard").data
    assert len(scales["lines"]) == 3
    assert [point["value"] for point in scales["median_points"]] == [2, 3, 4]
    assert next(bar["count"] for bar in scales["bars"] if bar["value"] == 7) == 3


def test_the_projector_shows_the_count_until_revealed_and_never_a_hidden_answer(store, full_room):
    found, statement, *_ = full_room
    posts = store.posts(found.code)
    shown = f"reformulate:{statement}"
    first = next(post for post in posts if post["exercise"] == "reformulate")
    store.moderate(first["id"], hidden=True)
    posts = store.posts(found.code)
    t = debrief.catalog("fr")
    view = debrief.debrief(found, posts, shown, "projector")
    assert view.count == 2
    concealed = debrief.render("debrief.html.j2", t=t, d=view, audience="projector", revealed=False)
    assert "fa-big-number" in concealed
    assert "fa-card" not in concealed
    assert debrief.debrief(found, posts, shown, "dashboard").count == 3  # the facilitator still sees it
    store.update_room(found.code, approved_only=1)
    approved_only = room.find(store, found.code)
    assert debrief.debrief(approved_only, posts, shown, "projector").count == 0
    visible = next(post for post in posts if post["exercise"] == "reformulate" and not post["hidden"])
    store.moderate(visible["id"], approved=True)
    assert debrief.debrief(approved_only, store.posts(found.code), shown, "projector").count == 1


def test_exports_hold_what_was_sent_and_no_participant_code(store, full_room):
    found, statement, *_ = full_room
    posts = store.posts(found.code)
    exported = facilitator.csv_export(found, posts, f"reformulate:{statement}")
    rows = list(csv.reader(io.StringIO(exported.lstrip("\ufeff")), delimiter=";"))
    assert len(rows) == 4
    assert rows[0][0] == "exercice"
    assert all("Qu'est-ce qui va déjà mieux" in row[4] for row in rows[1:])
    everything = facilitator.csv_export(found, posts, "")
    report = facilitator.report(found, posts)
    for participant in ("P0", "P1", "P2"):
        token = room.sender_token(found, participant)
        for document in (exported, everything, report):
            assert token not in document
            assert f"{participant}\n" not in document
    assert "<script" not in report
    assert 'src="http' not in report
    assert "&lt;img" in report  # what was typed is there, as text
    assert report.count("<svg") >= 3  # the charts, drawn in the page


def test_shown_values_are_checked():
    assert debrief.valid_shown("reformulate:work-1")
    assert debrief.valid_shown("guess_the_factors")
    assert not debrief.valid_shown("my_work")
    assert not debrief.valid_shown("nothing")
    assert not debrief.valid_shown("reformulate:<b>")


def test_the_password_is_kept_hashed():
    password = facilitator.Password("correct horse")
    assert password.matches("correct horse")
    assert not password.matches("correct hors")
    assert not password.matches("")
    assert "correct horse" not in repr(vars(password))
    with pytest.raises(ValueError, match="empty"):
        facilitator.Password("")


def test_wrong_passwords_from_one_address_wait():
    shared = facilitator.Facilitation(facilitator.Password("secret"))
    for _ in range(facilitator.ATTEMPTS):
        assert not shared.too_many_attempts("10.0.0.7")
        shared.failed("10.0.0.7")
    assert shared.too_many_attempts("10.0.0.7")
    assert not shared.too_many_attempts("10.0.0.8")


def _workshop(environment, stdin=subprocess.DEVNULL):
    return subprocess.run(
        [sys.executable, "-m", "widgets.server", "--workshop", "--port", "1"],
        env=environment,
        stdin=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_a_workshop_needs_a_password_of_six_characters_or_more():
    base = {key: value for key, value in os.environ.items() if key != "WORKBOOK_FACILITATOR_PASSWORD"}
    missing = _workshop(base)
    assert missing.returncode == 2
    assert "WORKBOOK_FACILITATOR_PASSWORD" in missing.stderr
    short = _workshop({**base, "WORKBOOK_FACILITATOR_PASSWORD": "abc"})
    assert short.returncode == 2
    assert "6 characters" in short.stderr
    assert "abc" not in short.stderr


def test_the_password_leaves_the_environment_the_kernels_inherit(monkeypatch):
    from widgets import server

    monkeypatch.setenv(server.PASSWORD_VARIABLE, "long enough")
    password = server.facilitator_password()
    assert password.matches("long enough")
    assert server.PASSWORD_VARIABLE not in os.environ


def test_a_send_arriving_while_the_dashboard_reads_makes_the_next_poll_answer(store, full_room):
    """The long poll's version is read before the posts: a post committed in between must not hide behind a
    version that already counts it (it waited for the poll's 20 s timeout in `make bench`)."""
    found, statement, *_ = full_room
    shared = facilitator.Facilitation(None)
    shared._store = store
    handler = type("Handler", (), {"facilitation": shared})()
    reading = store.posts

    def posts_with_a_late_arrival(code):
        _send(store, found, "LATE", "reformulate", statement, {"text": "late"})
        return reading(code)

    store.posts = posts_with_a_late_arrival
    state = facilitator._state(handler, found, "dashboard")
    store.posts = reading
    assert state["version"] != facilitator._version_tag(store, found.code)


def test_chapters_05_and_06_have_their_debrief_views(store):
    """The check-in responses and the vignettes are walls (the vignettes' with how the room read the
    relationship); the synthesis shows the room's confidence at the start and now, and its texts."""
    from widgets import checkin, relationships

    opened = room.open_room(store, "Atelier", "fr")
    case = checkin.clients("fr")[0]
    number = checkin.sessions_with_alerts(checkin.alerts(case.scores)).popitem()[0]
    item = f"{case.id}.s{number}"
    vignette = relationships.vignettes("fr")[0]
    others = [entry.id for entry in relationships.relationships("fr") if entry.id != vignette.relationship]
    for index, choice in enumerate([vignette.relationship, vignette.relationship, others[0]]):
        participant = f"P{index}"
        _send(store, opened, participant, "alliance_checkin", item, {"text": f"Merci. {INJECTION}"})
        _send(store, opened, participant, "relationship_vignettes", vignette.id,
              {"text": f"Bienvenue. {INJECTION}", "choice": choice})  # fmt: skip
        _send(store, opened, participant, "synthesis", None,
              {"start": 3 + index, "now": 6 + index, "text": f"Je demanderai… {INJECTION}"})  # fmt: skip
    found = room.find(store, opened.code)
    posts = store.posts(found.code)
    values = {choice.value for choice in debrief.choices(found, posts)}
    assert {f"alliance_checkin:{item}", f"relationship_vignettes:{vignette.id}", "synthesis"} <= values
    t = debrief.catalog("fr")
    wall = debrief.debrief(found, posts, f"relationship_vignettes:{vignette.id}", "dashboard")
    assert wall.prompt == vignette.situation
    tally = {row["label"]: row["count"] for row in wall.data["choices"]}
    assert tally[relationships.relationship(vignette.relationship, "fr").label] == 2
    assert [row["expected"] for row in wall.data["choices"]].count(True) == 1
    checkin_wall = debrief.debrief(found, posts, f"alliance_checkin:{item}", "dashboard")
    assert case.title in checkin_wall.title
    assert f"Séance {number}" in checkin_wall.title
    confidence = debrief.debrief(found, posts, "synthesis", "dashboard")
    assert [row["median"] for row in confidence.data["rows"]] == [4, 7]
    assert len(confidence.data["cards"]) == 3
    for shown in (f"alliance_checkin:{item}", f"relationship_vignettes:{vignette.id}", "synthesis"):
        for audience in ("dashboard", "projector", "report"):
            view = debrief.debrief(found, posts, shown, audience)
            html = debrief.render("debrief.html.j2", t=t, d=view, audience=audience, revealed=True)
            assert view.count == 3
            assert "<script" not in html
            assert "<img" not in html
    hidden = next(post for post in posts if post["exercise"] == "synthesis")
    store.moderate(hidden["id"], hidden=True)
    projector = debrief.debrief(found, store.posts(found.code), "synthesis", "projector")
    assert projector.count == 2
    assert len(projector.data["cards"]) == 2
    assert sorted(len(row["dots"]) for row in projector.data["rows"]) == [2, 2]


def test_the_dashboard_follows_what_participants_of_another_server_send(store):
    """The dashboard's server is not the participants' (JupyterHub: one server each): a participant's kernel
    in another process sends, and the dashboard's waiting long poll answers with it."""
    import asyncio
    import json
    import threading
    import time
    import urllib.request

    from tornado import httpserver, netutil, web

    opened = room.open_room(store, "Atelier", "fr")
    secret = "s" * 32
    shared = facilitator.Facilitation(facilitator.Password("secret-enough"))
    [listening] = netutil.bind_sockets(0, "127.0.0.1")
    port = listening.getsockname()[1]
    served = threading.Event()
    loop = asyncio.new_event_loop()
    application = web.Application(facilitator.handlers("/", shared), cookie_secret=secret)
    http = httpserver.HTTPServer(application)

    def serve() -> None:
        asyncio.set_event_loop(loop)
        http.add_sockets([listening])
        loop.call_soon(served.set)
        loop.run_forever()

    server = threading.Thread(target=serve, daemon=True)
    server.start()
    served.wait(10)
    cookie = web.create_signed_value(secret, facilitator.COOKIE, "1").decode()
    since = facilitator._version_tag(store, opened.code)
    answered: dict = {}

    def poll() -> None:
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/facilitator/room/{opened.code}/live?since={since}",
            headers={"Cookie": f"{facilitator.COOKIE}={cookie}"},
        )
        with urllib.request.urlopen(request, timeout=facilitator.LONG_POLL_S + 10) as response:  # noqa: S310
            answered["state"] = json.loads(response.read())
            answered["at"] = time.monotonic()

    poller = threading.Thread(target=poll)
    poller.start()
    elsewhere = (
        "import sys\n"
        "from widgets import room\n"
        "from widgets.store import Store\n"
        "store = Store()\n"
        "found = room.find(store, sys.argv[1])\n"
        "room.send(store, found, 'ZZZZZ-ZZZZZ', 'reflection', 'q', 'Ana', {'text': 'depuis ailleurs'})\n"
    )
    try:
        subprocess.run([sys.executable, "-c", elsewhere, opened.code], check=True, timeout=60)
        sent = time.monotonic()
        poller.join(facilitator.LONG_POLL_S + 15)
    finally:
        loop.call_soon_threadsafe(http.stop)
        loop.call_soon_threadsafe(loop.stop)
        server.join(10)
        loop.close()
    assert answered["state"]["version"] == facilitator._version_tag(store, opened.code) != since
    assert answered["at"] - sent < 5  # a poll's interval, not the long poll's 20 s
    assert [post["payload"]["text"] for post in store.posts(opened.code)] == ["depuis ailleurs"]

"""Workshop rooms: codes, joining, sending (again, withdrawing), what a post carries, 40 senders at once — on
both of the store's back ends (the ``backend`` fixture: SQLite and PostgreSQL)."""

import subprocess
import sys
import textwrap
import time

import pytest

from widgets import identity, registry, room, session
from widgets.room import RoomError
from widgets.store import Answer, Store


@pytest.fixture
def store(backend):
    return Store()


def test_room_codes_are_short_checked_and_forgiving_to_type():
    code = room.new_code()
    assert len(code) == 5
    assert room.normalize_code(code.lower()) == code
    assert room.normalize_code(f" {code[:2]}-{code[2:]} ") == code
    wrong = code[:-1] + next(symbol for symbol in identity.ALPHABET if symbol != code[-1])
    for typed in (wrong, "ABC", "", "K7Q2M1", "<b>", None):
        with pytest.raises(RoomError) as error:
            room.normalize_code(typed)
        assert error.value.reason == "malformed"


def test_joining_an_unknown_or_closed_room_says_why(store):
    opened = room.open_room(store, "Atelier du mardi", "fr")
    assert room.joinable(store, opened.code.lower()).title == "Atelier du mardi"
    with pytest.raises(RoomError, match="unknown"):
        room.joinable(store, room.new_code())
    store.update_room(opened.code, closed_at=1.0)
    with pytest.raises(RoomError, match="closed"):
        room.joinable(store, opened.code)


@pytest.mark.parametrize("title", ["", "   ", "x" * (room.TITLE_LIMIT + 1)])
def test_a_room_needs_a_title_of_sensible_length(store, title):
    with pytest.raises(RoomError, match="title"):
        room.open_room(store, title, "fr")


def test_sending_again_replaces_withdrawing_removes_and_no_code_is_kept(store):
    opened = room.open_room(store, "Workshop", "en")
    room.send(store, opened, "AAAAA-AAAAA", "reformulate", "s01", "Ana", {"text": "first"})
    room.send(store, opened, "AAAAA-AAAAA", "reformulate", "s01", "Ana", {"text": "second"})
    room.send(store, opened, "BBBBB-BBBBB", "reformulate", "s01", "", {"text": "other"})
    posts = store.posts(opened.code)
    assert [post["payload"]["text"] for post in posts] == ["second", "other"]
    assert all("AAAAA" not in post["sender"] and "BBBBB" not in post["sender"] for post in posts)
    assert posts[0]["name"] == "Ana"
    assert room.sent_at(store, opened, "AAAAA-AAAAA", "reformulate", "s01") is not None
    room.withdraw(store, opened, "AAAAA-AAAAA", "reformulate", "s01")
    assert [post["payload"]["text"] for post in store.posts(opened.code)] == ["other"]
    assert room.sent_at(store, opened, "AAAAA-AAAAA", "reformulate", "s01") is None


def test_the_same_person_is_someone_else_in_another_room(store):
    first, second = room.open_room(store, "One", "fr"), room.open_room(store, "Two", "fr")
    assert room.sender_token(first, "AAAAA-AAAAA") != room.sender_token(second, "AAAAA-AAAAA")


@pytest.mark.parametrize(("typed", "kept"), [("  Ana  ", "Ana"), ("A\u0000na\n", "Ana"), ("", "")])
def test_display_names_are_cleaned(typed, kept):
    assert room.clean_name(typed) == kept


def test_a_display_name_has_a_limit():
    with pytest.raises(RoomError, match="name"):
        room.clean_name("x" * (room.NAME_LIMIT + 1))


def test_a_closed_room_refuses_what_is_sent(store):
    opened = room.open_room(store, "Workshop", "en")
    store.update_room(opened.code, closed_at=1.0)
    with pytest.raises(RoomError, match="closed"):
        room.send(store, opened, "AAAAA-AAAAA", "reflection", "01_practice", "", {"text": "late"})


def test_moderation_and_state_change_the_rooms_version(store):
    opened = room.open_room(store, "Workshop", "en")
    before = store.room_version(opened.code)
    room.send(store, opened, "AAAAA-AAAAA", "reflection", "q", "", {"text": "t"})
    after_post = store.room_version(opened.code)
    post = store.posts(opened.code)[0]
    store.moderate(post["id"], hidden=True, pinned=True)
    after_moderation = store.room_version(opened.code)
    assert before < after_post < after_moderation
    moderated = store.posts(opened.code)[0]
    assert (moderated["hidden"], moderated["pinned"], moderated["approved"]) == (True, True, False)
    store.update_room(opened.code, shown="reflection:q", revealed=1)
    assert store.room_version(opened.code) > after_moderation
    with pytest.raises(ValueError, match="moderation"):
        store.moderate(post["id"], deleted=True)
    with pytest.raises(ValueError, match="state"):
        store.update_room(opened.code, title="renamed")


def test_deleting_a_room_removes_what_was_sent(store):
    opened = room.open_room(store, "Workshop", "en")
    room.send(store, opened, "AAAAA-AAAAA", "reflection", "q", "", {"text": "t"})
    assert store.delete_room(opened.code) == 1
    assert store.room(opened.code) is None
    assert store.posts(opened.code) == []


def test_forty_participants_sending_at_once_all_arrive(store):
    opened = room.open_room(store, "Big room", "fr")
    sender = textwrap.dedent(
        """
        import sys
        from widgets import room
        from widgets.store import Store
        store = Store()
        found = room.find(store, sys.argv[1])
        number = sys.argv[2]
        room.send(store, found, f"P{number}", "reformulate", "s01", "", {"text": f"answer {number}"})
        """
    )
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", sender, opened.code, str(number)],
            stderr=subprocess.PIPE,
        )
        for number in range(40)
    ]
    errors = [process.communicate()[1].decode() for process in processes]
    assert [process.returncode for process in processes] == [0] * 40, "\n".join(errors)
    texts = {post["payload"]["text"] for post in store.posts(opened.code)}
    assert texts == {f"answer {number}" for number in range(40)}
    assert store.room_version(opened.code) == (max(post["id"] for post in store.posts(opened.code)), 40)


def test_the_session_sends_what_is_saved_and_says_when_nothing_is(store):
    opened = room.open_room(store, "Workshop", "fr")
    current = session.current()
    current.identify(identity.new_code())
    current.join(opened.code.lower(), "  Léa ")
    assert current.room == opened
    assert current.room_name == "Léa"
    kind = registry.kind("reflection")
    with pytest.raises(RoomError, match="nothing"):
        current.send_to_room("reflection", "reflection.01_practice", "01_practice", kind.send)
    current.save("reflection.01_practice", "fr", {"text": "Je demanderai ce qui va mieux."})
    current.send_to_room("reflection", "reflection.01_practice", "01_practice", kind.send)
    assert current.sent_to_room("reflection", "01_practice") is not None
    [post] = store.posts(opened.code)
    assert post["payload"] == {"text": "Je demanderai ce qui va mieux."}
    assert post["name"] == "Léa"
    assert current.participant not in repr(post)
    current.leave()
    assert current.room is None


def _answer(value):
    return Answer("x", "fr", value, True, 0.0)


def test_each_exercise_sends_what_its_room_view_needs():
    kinds = registry.kinds()
    shares = kinds["guess_the_factors"].send(
        _answer({"shares": {"extratherapeutic": 40, "expectancy": 20, "technique": 20, "relationship": 20}}),
        None,
        "fr",
    )
    assert shares == {
        "shares": {"extratherapeutic": 40, "expectancy": 20, "technique": 20, "relationship": 20}
    }
    wall = kinds["reformulate"].send(_answer({"text": "Qu'est-ce qui va déjà un peu mieux ?"}), "s01", "fr")
    assert wall["solution_focused"] is True
    assert "resources" in wall["criteria"]
    marks = kinds["first_call"].send(_answer({"marked": ["p3", "p1"], "checked": True}), "c1", "fr")
    assert marks == {"marked": ["p1", "p3"]}
    scale = kinds["scaling_chart"].send(
        _answer({"points": {"1": 2, "3": 4.5}, "notes": {}, "good_enough": 6}), "v1", "fr"
    )
    assert scale == {"points": {"1": 2, "3": 4.5}, "good_enough": 6}
    every_room_view = {kind.room for kind in kinds.values() if kind.room}
    assert every_room_view == {"shares", "wall", "transcript", "scales", "confidence"}
    assert all(kind.send is not None for kind in kinds.values() if kind.room)


def test_the_send_bar_is_added_only_for_someone_in_a_room(store):
    from widgets import exercises

    current = session.current()
    current.identify(identity.new_code())
    view = exercises.build("reflection", "fr", question="01_practice")
    children = view.children
    assert view.room_bar is None  # a self-learner pays for no widget of the room's

    opened = room.open_room(store, "Atelier", "fr")
    current.join(opened.code, "")
    bar = view.room_bar
    assert view.children == (*children, bar)
    assert bar.layout.display == "flex"
    assert bar.send_button.description == "Envoyer à la salle"
    view.box.value = "Je demanderai ce qui va déjà mieux."  # saved as typed (at once in tests)
    bar.send_button.click()
    assert [post["payload"]["text"] for post in store.posts(opened.code)] == [view.box.value]
    assert bar.send_button.description == "Envoyer à nouveau"
    current.leave()
    assert bar.layout.display == "none"
    current.join(opened.code, "")
    assert view.room_bar is bar  # one bar, however often the person comes back


def test_every_change_shows_in_the_version_a_dashboard_on_another_connection_polls(store):
    """The dashboard's server may not be the participants' (its own connection, even its own machine):
    each post, withdrawal, moderation and switch changes what it polls, in the order they committed."""
    opened = room.open_room(store, "Workshop", "en")
    dashboard = Store()
    seen = [dashboard.room_version(opened.code)]
    room.send(store, opened, "AAAAA-AAAAA", "reflection", "q", "", {"text": "t"})
    seen.append(dashboard.room_version(opened.code))
    room.send(store, opened, "BBBBB-BBBBB", "reflection", "q", "", {"text": "u"})
    seen.append(dashboard.room_version(opened.code))
    dashboard.moderate(dashboard.posts(opened.code)[0]["id"], approved=True)
    seen.append(store.room_version(opened.code))
    room.withdraw(store, opened, "AAAAA-AAAAA", "reflection", "q")
    seen.append(dashboard.room_version(opened.code))
    dashboard.update_room(opened.code, approved_only=1)
    seen.append(store.room_version(opened.code))
    assert seen == sorted(seen)
    assert len(set(seen)) == len(seen)
    assert [post["payload"]["text"] for post in dashboard.posts(opened.code)] == ["u"]


def test_posts_to_a_room_take_ids_in_the_order_they_commit(postgresql):
    """PostgreSQL hands out ids before commit: were two posts to commit in the other order, a dashboard that
    saw the later id would never notice the earlier one. A post therefore waits for the room's row, held by
    a post not yet committed, and takes its id after it. (SQLite writes one transaction at a time.)"""
    import threading
    import time

    store = Store()
    opened = room.open_room(store, "Workshop", "en")
    first, second, dashboard = Store(), Store(), Store()
    before = dashboard.room_version(opened.code)
    inserted, release = threading.Event(), threading.Event()
    insert = first._dialect.insert

    def insert_then_wait(*arguments):
        result = insert(*arguments)
        inserted.set()
        release.wait(60)
        return result

    first._dialect.insert = insert_then_wait  # this Store only: its transaction stays open until released
    ids = {}
    sending = threading.Thread(
        target=lambda: ids.setdefault("A", first.post(opened.code, "A", "q", "", "", 1))
    )
    sending.start()
    assert inserted.wait(30)
    waiting = threading.Thread(
        target=lambda: ids.setdefault("B", second.post(opened.code, "B", "q", "", "", 2))
    )
    waiting.start()
    pid = second._connection.info.backend_pid
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:  # B waits for the room's row, held by A
        [[event]] = dashboard._read("SELECT wait_event_type FROM pg_stat_activity WHERE pid = ?", (pid,))
        if event == "Lock":
            break
        time.sleep(0.01)
    assert event == "Lock"
    assert dashboard.room_version(opened.code) == before  # nothing committed yet
    release.set()
    sending.join(30)
    waiting.join(30)
    assert ids["A"] < ids["B"]
    assert dashboard.room_version(opened.code) == (ids["B"], before[1] + 2)


@pytest.mark.parametrize("facilitated", [False, True], ids=["participant's server", "facilitator's server"])
def test_a_participants_server_keeps_no_database_connection_between_visitors(postgresql, facilitated):
    """On a hub every participant has a server of their own, whose only page reading the store is the join
    page, once: its connection is closed after each visitor, so that 300 people hold 300 connections (their
    kernels'), not 600. The facilitator's server keeps its own: the dashboard polls it several times a
    second."""
    import psycopg
    from tornado import httpserver, netutil, web
    from tornado.httpclient import AsyncHTTPClient

    from tests.aio import run
    from widgets import facilitator
    from widgets.store import SERVER_NAME

    opened = room.open_room(Store(), "Atelier", "fr")
    password = facilitator.Password("secret-enough") if facilitated else None
    shared = facilitator.Facilitation(password)

    async def visit() -> str:
        application = web.Application(facilitator.handlers("/", shared), cookie_secret="s" * 32)
        [listening] = netutil.bind_sockets(0, "127.0.0.1")
        listener = httpserver.HTTPServer(application)
        listener.add_sockets([listening])
        try:
            port = listening.getsockname()[1]
            response = await AsyncHTTPClient().fetch(f"http://127.0.0.1:{port}/join/{opened.code}")
            return response.body.decode()
        finally:
            listener.stop()

    def servers_connections() -> int:
        with psycopg.connect(postgresql, autocommit=True) as watcher:
            query = "SELECT count(*) FROM pg_stat_activity WHERE application_name = %s AND datname = %s"
            database = watcher.info.dbname
            for _ in range(500):  # a closed connection leaves the list once its backend has exited
                count = watcher.execute(query, (SERVER_NAME, database)).fetchone()[0]
                if count == int(facilitated):
                    break
                time.sleep(0.02)
            return count

    for _ in range(3):  # three participants arriving through the link
        assert f"{opened.code}|" in run(visit)  # the page hands the room to the browser
        assert servers_connections() == (1 if facilitated else 0)

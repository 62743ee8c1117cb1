"""devtools.moto_server: moto over HTTP, one request at a time."""
from __future__ import annotations

import threading
import time

from checkin.store.client import make_dynamodb_client
from devtools.moto_server import MotoServer, OneAtATime


def test_one_request_at_a_time_inside_the_app():
    inside = 0
    most_inside = 0
    count = threading.Lock()

    def slow_app(environ, start_response):
        nonlocal inside, most_inside
        with count:
            inside += 1
            most_inside = max(most_inside, inside)
        time.sleep(0.02)  # long enough for the other threads to arrive
        with count:
            inside -= 1
        start_response("200 OK", [])
        return iter([b"ok"])

    app = OneAtATime(slow_app)
    all_ready = threading.Barrier(4)
    bodies: list[list[bytes]] = []

    def call() -> None:
        all_ready.wait(timeout=10)
        bodies.append(app({}, lambda status, headers: None))

    threads = [threading.Thread(target=call) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)

    assert most_inside == 1
    assert bodies == [[b"ok"]] * 4


def test_the_body_is_closed_inside_the_lock():
    closed = []

    class Body(list):
        def close(self) -> None:
            closed.append(True)

    def app(environ, start_response):
        return Body([b"a", b"b"])

    assert OneAtATime(app)({}, None) == [b"a", b"b"]
    assert closed == [True]


def test_the_server_answers_dynamodb_and_stops():
    server = MotoServer()
    client = make_dynamodb_client(endpoint_url=server.start())
    assert client.list_tables()["TableNames"] == []
    server.stop()

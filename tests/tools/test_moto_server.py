"""devtools.moto_server: moto over HTTP, one request at a time."""
from __future__ import annotations

import threading
import time
import uuid

import pytest
from botocore.config import Config
from botocore.exceptions import EndpointConnectionError

from checkin.store.client import make_dynamodb_client
from devtools.moto_server import MotoServer, OneAtATime
from devtools.table import create_table

ONE_ATTEMPT = Config(retries={"total_max_attempts": 1})


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
    # moto keeps one store per process, which other tests' servers share: a table of its own.
    name = f"moto-server-{uuid.uuid4().hex[:12]}"
    server = MotoServer()
    endpoint = server.start()
    client = make_dynamodb_client(endpoint_url=endpoint, config=ONE_ATTEMPT)
    create_table(client, name)
    assert name in client.list_tables()["TableNames"]
    server.stop()
    # A new connection: one kept alive from before may outlive the listening socket.
    with pytest.raises(EndpointConnectionError):
        make_dynamodb_client(endpoint_url=endpoint, config=ONE_ATTEMPT).list_tables()

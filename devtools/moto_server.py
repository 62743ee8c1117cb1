"""moto's DynamoDB on loopback, answering one request at a time.

moto's TransactWriteItems copies each table it touches before writing, and when a condition
fails it puts the whole copy back. A write that another request made in between is then lost,
although that request was told it succeeded. DynamoDB never loses it, so the server here lets
one request into moto at a time: concurrent clients still race, but each request is atomic.
"""
from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from typing import Any

from moto.moto_server.werkzeug_app import (
    DomainDispatcherApplication,
    MotoRequestHandler,
    create_backend_app,
)
from werkzeug.serving import BaseWSGIServer, make_server

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


class OneAtATime:
    """WSGI middleware: the wrapped app answers one request at a time, body included."""

    def __init__(self, app: WsgiApp) -> None:
        self._app = app
        self._lock = threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        with self._lock:
            body = self._app(environ, start_response)
            try:
                return list(body)
            finally:
                close = getattr(body, "close", None)
                if close is not None:
                    close()


class MotoServer:
    """A moto server on 127.0.0.1 in a daemon thread; port 0 picks a free port."""

    def __init__(self, port: int = 0) -> None:
        app = OneAtATime(DomainDispatcherApplication(create_backend_app))
        # threaded: a slow client must not hold up the others' connections.
        self._server: BaseWSGIServer = make_server("127.0.0.1", port, app, threaded=True,
                                                   request_handler=MotoRequestHandler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def endpoint_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> str:
        self._thread.start()
        return self.endpoint_url

    def stop(self) -> None:
        self._server.shutdown()
        self._thread.join()
        self._server.server_close()

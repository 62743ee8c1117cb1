"""The production server: gunicorn, several worker processes with a few threads each.

``python -m webservice --workers N`` (``make serve``) runs the same Flask app as the development
server, each worker building its own (its own DynamoDB client and certificate cache), and serves
until it is stopped. Gunicorn's own access log stays off: the app writes one JSON line per
request without names or user ids.
"""
from __future__ import annotations

from typing import Any

from gunicorn.app.base import BaseApplication

# A request that takes longer than this is one the skill has long given up on (7 s at most).
WORKER_TIMEOUT_SECONDS = 30


class ProductionServer(BaseApplication):
    def __init__(self, options: dict[str, Any], verify: bool) -> None:
        self._options = options
        self._verify = verify
        super().__init__()

    def load_config(self) -> None:
        assert self.cfg is not None
        for key, value in self._options.items():
            self.cfg.set(key, value)

    def load(self):
        from webservice.app import create_app

        return create_app(verify=self._verify)


def gunicorn_options(host: str, port: int, workers: int, threads: int,
                     certfile: str | None = None, keyfile: str | None = None) -> dict[str, Any]:
    options: dict[str, Any] = {
        "bind": f"[{host}]:{port}" if ":" in host else f"{host}:{port}",
        "workers": workers,
        "threads": threads,
        # gthread: each worker answers `threads` requests at once, as DynamoDB calls wait.
        "worker_class": "gthread" if threads > 1 else "sync",
        "timeout": WORKER_TIMEOUT_SECONDS,
        "accesslog": None,
        "proc_name": "connection-check-in",
    }
    if certfile:
        options.update(certfile=certfile, keyfile=keyfile)
    return options


def serve(host: str, port: int, workers: int, threads: int, verify: bool,
          certfile: str | None = None, keyfile: str | None = None) -> None:
    ProductionServer(gunicorn_options(host, port, workers, threads, certfile, keyfile),
                     verify).run()

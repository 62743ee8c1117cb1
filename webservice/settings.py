"""How the web service is run: host, port and whether Alexa requests are verified.

An explicit argument beats the environment; the environment beats the defaults. Verification
is on unless it is turned off in so many words.
"""
from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from webservice import ensure_lambda_on_path

ensure_lambda_on_path()

from checkin import config  # noqa: E402

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 5000
DEFAULT_WORKERS = 0  # Werkzeug's development server; make serve asks for gunicorn's workers
DEFAULT_THREADS = 4
_OFF = frozenset({"0", "false", "no", "off"})
_ON = frozenset({"1", "true", "yes", "on"})

VERIFICATION_OFF_BANNER = """
************************************************************************
*  ALEXA REQUEST VERIFICATION IS OFF (development mode).               *
*  Signatures, certificates and timestamps are NOT checked: anyone     *
*  who can reach this server can talk to the skill as any household.   *
*  Never expose it; never submit a skill for certification like this. *
************************************************************************
"""


def parse_verify(value: str | None) -> bool:
    """``VERIFY_SIGNATURES``: unset or empty means on; only 0/false/no/off mean off."""
    if value is None or not value.strip():
        return True
    word = value.strip().lower()
    if word in _OFF:
        return False
    if word in _ON:
        return True
    raise ValueError(f"{config.VERIFY_SIGNATURES} must be one of 1/true/yes/on or 0/false/no/off")


def parse_port(value: str | int) -> int:
    port = int(value)
    if not 0 < port < 65536:
        raise ValueError(f"port {port} is out of range")
    return port


@dataclass(frozen=True)
class ServeSettings:
    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    verify: bool = True
    workers: int = DEFAULT_WORKERS
    threads: int = DEFAULT_THREADS

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> ServeSettings:
        env = os.environ if env is None else env
        return cls(
            host=env.get(config.SERVE_HOST) or DEFAULT_HOST,
            port=parse_port(env.get(config.SERVE_PORT) or DEFAULT_PORT),
            verify=parse_verify(env.get(config.VERIFY_SIGNATURES)),
            workers=int(env.get(config.SERVE_WORKERS) or DEFAULT_WORKERS),
            threads=int(env.get(config.SERVE_THREADS) or DEFAULT_THREADS),
        )

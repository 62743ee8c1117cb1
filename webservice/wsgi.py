"""A WSGI entry point for production servers, e.g. ``gunicorn 'webservice.wsgi:app'``.

Verification follows ``VERIFY_SIGNATURES`` (on unless it says 0/false/no/off).
"""
from __future__ import annotations

import sys

from webservice.app import create_app
from webservice.settings import VERIFICATION_OFF_BANNER, ServeSettings

_settings = ServeSettings.from_env()
if not _settings.verify:
    print(VERIFICATION_OFF_BANNER, file=sys.stderr, flush=True)
app = create_app(verify=_settings.verify)

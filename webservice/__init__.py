"""Connection Check-In as a self-hosted web service (flask-ask-sdk), for tunnels and own servers.

Not part of the Lambda package: it serves the same skill object and entry point that
``lambda/lambda_function.py`` builds, after checking that each request comes from Alexa.
Importing it makes the Lambda code root (``lambda/``) importable, as it is on Lambda.
"""
from __future__ import annotations

import sys
from pathlib import Path

LAMBDA_ROOT = Path(__file__).resolve().parent.parent / "lambda"


def ensure_lambda_on_path() -> None:
    root = str(LAMBDA_ROOT)
    if LAMBDA_ROOT.is_dir() and root not in sys.path:
        sys.path.append(root)  # appended: an explicit PYTHONPATH=lambda keeps precedence


ensure_lambda_on_path()

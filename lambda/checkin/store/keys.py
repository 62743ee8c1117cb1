"""Household keys: the Alexa user id is hashed, so raw ids are never stored or logged."""
from __future__ import annotations

import hashlib


def household_key(user_id: str, salt: str) -> str:
    """sha256 hex of salt + user id. Changing the salt orphans every household's data."""
    return hashlib.sha256((salt + user_id).encode("utf-8")).hexdigest()

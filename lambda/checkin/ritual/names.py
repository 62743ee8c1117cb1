"""Partners' first names as heard: kept only when they look like a name."""
from __future__ import annotations

import re
import unicodedata

MAX_NAME_LENGTH = 30
_NAME = re.compile(r"^[^\W\d_]+(?:[ '\-.][^\W\d_]+)*\.?$")


def clean_name(heard: str) -> str:
    """A tidy name, or "" when what was heard is empty, too long, or not a name."""
    name = " ".join(unicodedata.normalize("NFC", heard).split())
    if not name or len(name) > MAX_NAME_LENGTH or not _NAME.match(name):
        return ""
    return " ".join(part[:1].upper() + part[1:] for part in name.split(" "))

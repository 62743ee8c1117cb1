"""Partners' first names as heard: kept only when they look like a name."""
from __future__ import annotations

import re
import unicodedata

MAX_NAME_LENGTH = 30
_NAME = re.compile(r"^[^\W\d_]+(?:[ '\-.][^\W\d_]+)*\.?$")
# What Alexa may put in a first-name slot that is no name: numbers said as words ("42" comes
# as "forty two"), and the words a partner uses to hand over ("I am ready").
_NUMBER_WORDS = frozenset((
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
    "nineteen", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
    "hundred", "thousand",
))
_READY_WORDS = frozenset(("ready", "done", "finished"))
# The sounds a partner makes while thinking ("hmm", "um", "äh", "euh"): heard in a first-name
# slot, they are no name, and "Thanks, Hmm" would stay with the couple every night after.
_HESITATION = re.compile(r"^(?:h+m+|m+|u+h+m*|u+m+|e+r+m*|e+h+m*|e+u+h+|a+h+m*|ä+h+m*|o+h+|hum)$")
# Words that say who someone is to the other, not what they are called ("my partner", "mi
# pareja"), in the languages the skill speaks. Thanking "My Partner" by that name is wrong.
_ROLE_WORDS = frozenset((
    "partner", "wife", "husband", "spouse", "girlfriend", "boyfriend", "fiancé", "fiancée",
    "pareja", "esposa", "esposo", "novia", "novio", "marido", "mujer",
    "partnerin", "ehefrau", "ehemann", "freundin", "freund", "frau", "mann",
    "partenaire", "conjoint", "conjointe", "compagne", "compagnon", "copine", "copain", "femme",
    "compagna", "compagno", "moglie", "marito", "fidanzata", "fidanzato",
    "parceira", "parceiro", "namorada", "namorado",
))


def clean_name(heard: str) -> str:
    """A tidy name, or "" when what was heard is empty, too long, or not a name."""
    name = " ".join(unicodedata.normalize("NFC", heard).split())
    if not name or len(name) > MAX_NAME_LENGTH or not _NAME.match(name):
        return ""
    words = set(name.lower().replace("-", " ").split())
    if words <= _NUMBER_WORDS or words & _ROLE_WORDS or means_ready(name) \
            or all(_HESITATION.match(word) for word in words):
        return ""
    return " ".join(part[:1].upper() + part[1:] for part in name.split(" "))


def means_ready(heard: object) -> bool:
    """Whether a name heard is "ready" ("I am ready"): a hand-over, never a name."""
    return str(heard or "").strip().lower().rstrip(".") in _READY_WORDS

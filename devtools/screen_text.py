"""A screen as one line of text, read from the RenderDocument a response carries.

    [screen: Sam is speaking · Can I reach you? · 2:00 left · buttons: I'm done, More time, Pause]

Only the directive is read: the document it links to names the kind of screen, and its
datasource holds every word the document shows, so the console and the tests see what a device
would draw, without knowing the skill's internals. (The document itself is read back from the
skill package by devtools.apl_package, which checks every link.)
"""
from __future__ import annotations

import re

from devtools.apl_package import RENDER_DOCUMENT, linked_name


def render_document(response: dict) -> dict | None:
    """The RenderDocument directive of a response, if it has one."""
    for directive in (response.get("response") or {}).get("directives") or []:
        if directive.get("type") == RENDER_DOCUMENT:
            return directive
    return None


def screen_data(directive: dict) -> dict:
    return (directive.get("datasources") or {}).get("screen") or {}


def kind(directive: dict) -> str | None:
    """The kind of screen: the name of the saved document the directive links to."""
    return linked_name(directive.get("document"))


def buttons(directive: dict) -> list[dict]:
    return list(screen_data(directive).get("buttons") or [])


def button_id(button: dict) -> str:
    """A button's short name, from the intent it sends: "done", "more_time", "yes"."""
    name = str(button.get("intent", "")).removeprefix("AMAZON.").removesuffix("Intent")
    return re.sub(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "_", name).lower()


def find_button(directive: dict, wanted: str) -> dict | None:
    """The button `wanted` names: by its short name, intent, label or the label's first words."""
    wanted = wanted.strip().lower()
    for button in buttons(directive) if wanted else []:
        label = str(button.get("label", "")).lower()
        if wanted in (button_id(button), label, str(button.get("intent", "")).lower()) or \
                label.startswith(wanted):
            return button
    return None


def one_line(directive: dict, elapsed_seconds: float = 0) -> str:
    """What the screen shows, `elapsed_seconds` after it was drawn (the countdown runs on)."""
    data = screen_data(directive)
    shown = kind(directive)
    parts = [data.get("title", "")]
    if shown == "turn":
        left = max(0, int(data.get("countdownMs", 0) / 1000 - elapsed_seconds))
        parts += [data.get("question", ""), f"{left // 60}:{left % 60:02d} left"]
    elif shown == "close":
        parts += list(data.get("lines") or [])
        parts.append(" | ".join(f"{bar['name']} {bar['time']}" for bar in data.get("bars") or []))
        parts += list(data.get("notes") or [])
    elif shown == "history":
        parts.append("weeks: " + " ".join(str(w["count"]) for w in data.get("weeks") or []))
        parts += list(data.get("lines") or [])
    elif shown == "safety":
        parts += [f"{line['label']} {line['number']}" for line in data.get("numbers") or []]
        parts += list(data.get("lines") or [])
    else:
        parts += list(data.get("lines") or [])
    labels = [button["label"] for button in buttons(directive)]
    if labels:
        parts.append("buttons: " + ", ".join(labels))
    return "[screen: " + " · ".join(p for p in parts if p) + "]"

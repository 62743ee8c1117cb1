"""A screen as one line of text, read from the RenderDocument a response carries.

    [screen: Sam is speaking · Can I reach you? · 2:00 left · buttons: I'm done, More time, Pause]

Only the directive is read (its datasource holds every word the document shows), so the console
and the tests see what a device would draw, without knowing the skill's internals.
"""
from __future__ import annotations

RENDER_DOCUMENT = "Alexa.Presentation.APL.RenderDocument"


def render_document(response: dict) -> dict | None:
    """The RenderDocument directive of a response, if it has one."""
    for directive in (response.get("response") or {}).get("directives") or []:
        if directive.get("type") == RENDER_DOCUMENT:
            return directive
    return None


def screen_data(directive: dict) -> dict:
    return (directive.get("datasources") or {}).get("screen") or {}


def buttons(directive: dict) -> list[dict]:
    return list(screen_data(directive).get("buttons") or [])


def one_line(directive: dict, elapsed_seconds: float = 0) -> str:
    """What the screen shows, `elapsed_seconds` after it was drawn (the countdown runs on)."""
    data = screen_data(directive)
    kind = data.get("kind")
    parts = [data.get("title", "")]
    if kind == "turn":
        left = max(0, int(data.get("countdownMs", 0) / 1000 - elapsed_seconds))
        parts += list(data.get("lines") or []) + [f"{left // 60}:{left % 60:02d} left"]
    elif kind == "close":
        parts += list(data.get("lines") or [])
        parts.append(" | ".join(f"{bar['name']} {bar['time']}" for bar in data.get("bars") or []))
        parts += list(data.get("notes") or [])
    elif kind == "history":
        parts.append("weeks: " + " ".join(str(w["count"]) for w in data.get("weeks") or []))
        parts += list(data.get("lines") or [])
    elif kind == "safety":
        parts += [f"{line['label']} {line['number']}" for line in data.get("numbers") or []]
        parts += list(data.get("lines") or [])
    else:
        parts += list(data.get("lines") or [])
    labels = [button["label"] for button in buttons(directive)]
    if labels:
        parts.append("buttons: " + ", ".join(labels))
    return "[screen: " + " · ".join(p for p in parts if p) + "]"

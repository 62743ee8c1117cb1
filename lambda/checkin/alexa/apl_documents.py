"""The APL documents a screen shows: one per kind of screen, built once, the same for every request.

Each response sends one of them with a small datasource (`screen`: the words, already in the
household's language, the countdown, the buttons); see alexa/screens.py. The documents import
nothing (no alexa-layouts, no viewport profiles), so Alexa's validator can check all of them
offline (tests/alexa/test_apl_documents.py), and they adapt to round, small, large and TV
viewports with resources chosen by `viewport` conditions.

APL 1.6 covers all they use: `elapsedTime` and `Time.format` (1.3) redraw the countdown with
no request, one `AnimateItem` (1.1) shrinks the turn's bar, and `role`, `wrap` and data-bound
children are older still. A device reporting an older runtime gets no document (voice leads).
"""
from __future__ import annotations

from functools import cache

APL_VERSION = "1.6"
MIN_RUNTIME = (1, 6)
TURN, PROMPT, CLOSE, HISTORY, SAFETY = "turn", "prompt", "close", "history", "safety"
KINDS = (TURN, PROMPT, CLOSE, HISTORY, SAFETY)
BUTTON_MIN_DP = 64  # every button is at least this tall and wide: easy to hit from a sofa
# A turn's document stays up for the longest turn a timer keeps, with room to spare, even when
# the microphone has closed; the server's timestamps still keep the time.
TURN_IDLE_TIMEOUT_MS = 330_000

_COLORS = {"background": "#1C1B22", "text": "#F4F1EA", "muted": "#B9B4C7",
           "accent": "#F2B880", "button": "#3A3650", "buttonText": "#FFFFFF", "empty": "#4A4660"}
_BASE = {"pad": "48dp", "title": "48dp", "body": "32dp", "small": "24dp", "countdown": "112dp",
         "number": "64dp", "buttonText": "28dp", "buttonHeight": "72dp", "gap": "16dp",
         "barHeight": "20dp", "chartHeight": "200dp"}
# Echo Show 5 and other short screens; round Echo Spot; TVs, read from across the room.
_SHORT = {"pad": "32dp", "title": "36dp", "body": "26dp", "small": "20dp", "countdown": "80dp",
          "number": "48dp", "buttonText": "24dp", "buttonHeight": "64dp", "gap": "12dp",
          "chartHeight": "120dp"}
_ROUND = {"pad": "64dp", "title": "28dp", "body": "22dp", "small": "18dp", "countdown": "64dp",
          "number": "36dp", "buttonText": "22dp", "buttonHeight": "64dp", "gap": "8dp",
          "barHeight": "14dp", "chartHeight": "96dp"}
_TV = {"pad": "40dp", "title": "36dp", "body": "26dp", "small": "20dp", "countdown": "88dp",
       "number": "48dp", "buttonText": "24dp", "buttonHeight": "64dp", "chartHeight": "140dp"}
RESOURCES = [
    {"colors": _COLORS, "dimensions": _BASE},
    {"when": "${viewport.height < 600}", "dimensions": _SHORT},
    {"when": "${viewport.mode == 'tv'}", "dimensions": _TV},
    {"when": "${viewport.shape == 'round'}", "dimensions": _ROUND},
]


@cache
def document(kind: str) -> dict:
    """The document for one kind of screen; built on first use and shared after that."""
    return {
        "type": "APL",
        "version": APL_VERSION,
        "description": f"Connection Check-In: {kind}",
        "theme": "dark",
        "settings": {"idleTimeout": TURN_IDLE_TIMEOUT_MS} if kind == TURN else {},
        "resources": RESOURCES,
        "layouts": {"CheckinButton": _BUTTON, "Lines": _LINES},
        "mainTemplate": {"parameters": ["screen"], "items": [_page(_BODIES[kind]())]},
    }


def _page(items: list[dict]) -> dict:
    return {
        "type": "Frame", "width": "100vw", "height": "100vh", "backgroundColor": "@background",
        "item": {
            "type": "Container", "width": "100%", "height": "100%", "direction": "column",
            "justifyContent": "center", "alignItems": "center",
            "paddingLeft": "@pad", "paddingRight": "@pad", "paddingTop": "@pad",
            "paddingBottom": "@pad", "items": items,
        },
    }


def _text(text: str, size: str = "@body", color: str = "@text", **more: object) -> dict:
    return {"type": "Text", "text": text, "fontSize": size, "color": color,
            "textAlign": "center", "width": "100%", **more}


_BUTTON = {
    "parameters": [{"name": "label", "type": "string"}, {"name": "intent", "type": "string"}],
    "item": {
        "type": "TouchWrapper",
        "role": "button",
        "accessibilityLabel": "${label}",
        "minWidth": f"{BUTTON_MIN_DP}dp",
        "minHeight": f"{BUTTON_MIN_DP}dp",
        "paddingLeft": "@gap", "paddingRight": "@gap", "paddingTop": "@gap",
        # The same intent as saying it: the skill answers a tap as it answers the words.
        "onPress": [{"type": "SendEvent", "arguments": ["${intent}"]}],
        "item": {
            "type": "Frame", "backgroundColor": "@button", "borderRadius": "32dp",
            "minWidth": f"{BUTTON_MIN_DP}dp", "minHeight": "@buttonHeight",
            "item": {"type": "Text", "text": "${label}", "fontSize": "@buttonText",
                     "color": "@buttonText", "minHeight": "@buttonHeight",
                     "textAlign": "center", "textAlignVertical": "center",
                     "paddingLeft": "32dp", "paddingRight": "32dp", "maxLines": 1},
        },
    },
}

_LINES = {
    "parameters": [{"name": "lines", "type": "array"}],
    "item": {"type": "Container", "width": "100%", "data": "${lines}",
             "items": [_text("${data}", maxLines=3, paddingTop="@gap")]},
}


def _buttons() -> dict:
    return {"type": "Container", "direction": "row", "wrap": "wrap", "width": "100%",
            "justifyContent": "center", "paddingTop": "@gap", "data": "${screen.buttons}",
            "items": [{"type": "CheckinButton", "label": "${data.label}",
                       "intent": "${data.intent}"}]}


def _title() -> dict:
    return _text("${screen.title}", "@title", "@accent", fontWeight="bold", maxLines=2,
                 when="${screen.title != ''}")


def _turn() -> list[dict]:
    # The countdown redraws itself as elapsedTime (ms since the document was drawn) grows.
    left = "${Time.format('m:ss', Math.max(0, screen.countdownMs - elapsedTime))}"
    bar = {
        "type": "Frame", "width": "100%", "height": "@barHeight", "borderRadius": "10dp",
        "backgroundColor": "@accent", "transform": [{"scaleX": "${screen.barFrom}"}],
        "onMount": [{
            "type": "AnimateItem", "duration": "${screen.countdownMs}", "easing": "linear",
            "screenLock": True,
            "value": [{"property": "transform", "from": [{"scaleX": "${screen.barFrom}"}],
                       "to": [{"scaleX": 0}]}],
        }],
    }
    return [
        _title(),
        _text("${screen.subtitle}", "@small", "@muted"),
        {"type": "Lines", "lines": "${screen.lines}"},
        _text("${screen.countdownLabel}", "@small", "@muted", paddingTop="@gap"),
        _text(left, "@countdown", fontWeight="bold"),
        bar,
        _buttons(),
    ]


def _prompt() -> list[dict]:
    return [_title(), {"type": "Lines", "lines": "${screen.lines}"}, _buttons()]


def _close() -> list[dict]:
    bar_row = {
        "type": "Container", "direction": "row", "width": "100%", "alignItems": "center",
        "paddingTop": "@gap",
        "items": [
            _text("${data.name}", textAlign="right", width="30%", maxLines=1,
                  paddingRight="@gap"),
            {"type": "Container", "width": "50%", "items": [{
                "type": "Frame", "width": "${data.percent}%", "height": "@barHeight",
                "borderRadius": "10dp", "backgroundColor": "@accent"}]},
            _text("${data.time}", "@small", "@muted", textAlign="left", width="20%",
                  paddingLeft="@gap"),
        ],
    }
    return [
        _title(),
        {"type": "Lines", "lines": "${screen.lines}"},
        {"type": "Container", "width": "100%", "data": "${screen.bars}", "items": [bar_row]},
        {"type": "Lines", "lines": "${screen.notes}"},
    ]


def _history() -> list[dict]:
    week = {
        "type": "Container", "width": "12.5%", "height": "100%", "direction": "column",
        "justifyContent": "end", "alignItems": "center",
        "items": [
            _text("${data.count}", "@small", "@muted"),
            {"type": "Frame", "width": "60%", "height": "${data.percent}%",
             "minHeight": "4dp", "borderRadius": "6dp",
             "backgroundColor": "${data.count > 0 ? @accent : @empty}"},
        ],
    }
    return [
        _title(),
        {"type": "Container", "direction": "row", "width": "100%", "height": "@chartHeight",
         "paddingTop": "@gap", "data": "${screen.weeks}", "items": [week]},
        {"type": "Container", "direction": "row", "width": "100%",
         "justifyContent": "spaceBetween",
         "items": [_text("${screen.oldest}", "@small", "@muted", width="50%", textAlign="left"),
                   _text("${screen.newest}", "@small", "@muted", width="50%",
                         textAlign="right")]},
        {"type": "Lines", "lines": "${screen.lines}"},
        _buttons(),
    ]


def _safety() -> list[dict]:
    # Reading beats listening here: what each line is for, then its number, large and plain.
    line = {"type": "Container", "width": "100%", "paddingTop": "@gap", "items": [
        _text("${data.label}", "@body", "@muted", maxLines=3),
        _text("${data.number}", "@number", fontWeight="bold", maxLines=1),
    ]}
    return [
        _title(),
        {"type": "Container", "width": "100%", "data": "${screen.numbers}", "items": [line]},
        {"type": "Lines", "lines": "${screen.lines}"},
        _buttons(),
    ]


_BODIES = {TURN: _turn, PROMPT: _prompt, CLOSE: _close, HISTORY: _history, SAFETY: _safety}

"""The APL documents a screen shows: one per kind of screen, the same for every request.

This module is their source. `make apl` writes each one into the skill package as
`skill-package/response/display/<kind>/document.json`, where the ASK CLI uploads it with the
skill, and a test fails when a saved copy differs from what is built here. A response sends
only a link to the saved document (`link`, APL's "document links", APL 1.4 and later) with a
small datasource (`screen`: the words, already in the household's language, the countdown, the
buttons); see alexa/apl.py. The documents import nothing (no alexa-layouts, no viewport
profiles), so Alexa's validator can check all of them offline (tests/alexa/test_apl_documents.py),
and they adapt to round, small, large and TV viewports with resources chosen by `viewport`
conditions.

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
# A document saved with the skill is named by its folder under skill-package/response/display/.
LINK_PREFIX = "doc://alexa/apl/documents/"
BUTTON_MIN_DP = 64  # every button is at least this tall and wide: easy to hit from a sofa
# A turn's document stays up for the longest turn a timer keeps, with room to spare, even when
# the microphone has closed; the server's timestamps still keep the time.
TURN_IDLE_TIMEOUT_MS = 330_000

_COLORS = {"background": "#1C1B22", "text": "#F4F1EA", "muted": "#B9B4C7",
           "accent": "#F2B880", "button": "#3A3650", "empty": "#4A4660"}
_LARGE = {"pad": "48dp", "gap": "16dp", "buttonHeight": "72dp", "barHeight": "20dp",
          "chartHeight": "200dp"}
# Echo Show 5, the round Echo Spot and TVs (540 dp tall) are all under 600 dp tall.
_SMALL = {"pad": "32dp", "gap": "10dp", "buttonHeight": "64dp", "barHeight": "14dp",
          "chartHeight": "110dp"}
RESOURCES = [
    {"colors": _COLORS, "dimensions": _LARGE},
    {"when": "${viewport.height < 600}", "dimensions": _SMALL},
    {"when": "${viewport.shape == 'round'}", "dimensions": {"pad": "64dp"}},
]
# Text sizes, large screens first, then under 600 dp tall.
_SIZES = {"title": ("48dp", "30dp"), "body": ("32dp", "22dp"), "small": ("24dp", "18dp"),
          "countdown": ("112dp", "64dp"), "number": ("64dp", "40dp"), "button": ("28dp", "22dp")}
_LOOKS = {"title": ("accent", "bold"), "body": ("text", "normal"), "small": ("muted", "normal"),
          "countdown": ("text", "bold"), "number": ("text", "bold"), "button": ("text", "normal")}


def _style(name: str) -> dict:
    large, small = _SIZES[name]
    color, weight = _LOOKS[name]
    return {"values": [
        {"fontSize": large, "color": f"@{color}", "fontWeight": weight, "textAlign": "center"},
        {"when": "${viewport.height < 600}", "fontSize": small},
    ]}


STYLES = {name: _style(name) for name in _SIZES}


def link(kind: str) -> dict:
    """What a RenderDocument sends for the document of `kind`: a link to its saved copy."""
    return {"type": "Link", "src": LINK_PREFIX + kind}


@cache
def document(kind: str) -> dict:
    """The document for one kind of screen; built on first use and shared after that."""
    page = _page(_BODIES[kind]())
    layouts = {name: layout for name, layout in _LAYOUTS.items() if name in _used(page, "type")}
    styles = _used([page, *layouts.values()], "style")
    return {
        "type": "APL",
        "version": APL_VERSION,
        "theme": "dark",
        "settings": {"idleTimeout": TURN_IDLE_TIMEOUT_MS} if kind == TURN else {},
        "resources": RESOURCES,
        "styles": {name: style for name, style in STYLES.items() if name in styles},
        "layouts": layouts,
        "mainTemplate": {"parameters": ["screen"], "items": [page]},
    }


def _used(node: object, key: str) -> set[str]:
    """Every value of `key` in the tree: the component types or the styles a page uses."""
    if isinstance(node, dict):
        found = {node[key]} if isinstance(node.get(key), str) else set()
        return found.union(*(_used(value, key) for value in node.values()))
    if isinstance(node, list):
        return set().union(*(_used(value, key) for value in node))
    return set()


def _page(items: list[dict]) -> dict:
    return {
        "type": "Frame", "width": "100vw", "height": "100vh", "backgroundColor": "@background",
        "item": {
            "type": "Container", "width": "100%", "height": "100%",
            "justifyContent": "center", "alignItems": "center",
            "paddingLeft": "@pad", "paddingRight": "@pad", "paddingTop": "@pad",
            "paddingBottom": "@pad", "items": items,
        },
    }


def _text(text: str, style: str = "body", **more: object) -> dict:
    return {"type": "Text", "style": style, "text": text, **more}


_BUTTON = {
    "parameters": [{"name": "label", "type": "string"}, {"name": "intent", "type": "string"}],
    "item": {
        "type": "TouchWrapper",
        "role": "button",
        "accessibilityLabel": "${label}",
        "minWidth": f"{BUTTON_MIN_DP}dp",
        "minHeight": f"{BUTTON_MIN_DP}dp",
        "paddingLeft": "@gap", "paddingTop": "@gap",
        # The same intent as saying it: the skill answers a tap as it answers the words.
        "onPress": [{"type": "SendEvent", "arguments": ["${intent}"]}],
        "item": {
            "type": "Frame", "backgroundColor": "@button", "borderRadius": "32dp",
            "item": {"type": "Text", "style": "button", "text": "${label}",
                     "minHeight": "@buttonHeight", "textAlignVertical": "center",
                     "paddingLeft": "32dp", "paddingRight": "32dp"},
        },
    },
}

_LINES = {
    "parameters": [{"name": "lines", "type": "array"}],
    "item": {"type": "Container", "data": "${lines}", "alignItems": "center",
             "items": [_text("${data}", paddingTop="@gap")]},
}


def _buttons() -> dict:
    return {"type": "Container", "direction": "row", "wrap": "wrap",
            "justifyContent": "center", "data": "${screen.buttons}",
            "items": [{"type": "CheckinButton", "label": "${data.label}",
                       "intent": "${data.intent}"}]}


def _title() -> dict:
    return _text("${screen.title}", "title", when="${screen.title != ''}")


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
        _text("${screen.subtitle}", "small"),
        _text("${screen.question}", paddingTop="@gap"),
        _text("${screen.countdownLabel}", "small", paddingTop="@gap"),
        _text(left, "countdown"),
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
            _text("${data.name}", width="30%", textAlign="right", paddingRight="@gap"),
            {"type": "Container", "width": "50%", "items": [{
                "type": "Frame", "width": "${data.percent}%", "height": "@barHeight",
                "borderRadius": "10dp", "backgroundColor": "@accent"}]},
            _text("${data.time}", "small", width="20%", textAlign="left", paddingLeft="@gap"),
        ],
    }
    return [
        _title(),
        {"type": "Lines", "lines": "${screen.lines}"},
        {"type": "Container", "width": "100%", "data": "${screen.bars}", "items": [bar_row]},
        {"type": "Lines", "lines": "${screen.notes}"},
        _buttons(),  # the plan's answers, when the close asks "same time tomorrow?"
    ]


def _history() -> list[dict]:
    week = {
        "type": "Container", "width": "12.5%", "height": "100%", "direction": "column",
        "justifyContent": "end", "alignItems": "center",
        "items": [
            _text("${data.count}", "small"),
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
         "items": [_text("${screen.oldest}", "small", width="50%", textAlign="left"),
                   _text("${screen.newest}", "small", width="50%", textAlign="right")]},
        {"type": "Lines", "lines": "${screen.lines}"},
        _buttons(),
    ]


def _safety() -> list[dict]:
    # Reading beats listening here: what each line is for, then its number, large and plain.
    line = {"type": "Container", "alignItems": "center", "paddingTop": "@gap", "items": [
        _text("${data.label}", "small"), _text("${data.number}", "number"),
    ]}
    return [
        _title(),
        {"type": "Container", "alignItems": "center", "data": "${screen.numbers}",
         "items": [line]},
        {"type": "Lines", "lines": "${screen.lines}"},
        _buttons(),
    ]


_LAYOUTS = {"CheckinButton": _BUTTON, "Lines": _LINES}
_BODIES = {TURN: _turn, PROMPT: _prompt, CLOSE: _close, HISTORY: _history, SAFETY: _safety}

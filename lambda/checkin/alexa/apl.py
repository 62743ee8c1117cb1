"""Draws the engine's screens on devices that have one, and writes the Alexa app's cards.

Every request is checked: only a device whose `supportedInterfaces` has Alexa.Presentation.APL
at a runtime that can draw our documents (apl_documents.MIN_RUNTIME) gets a RenderDocument; any
other gets none. That is read from the raw event: the skill has ask-sdk build no models of it.
A screen is a link to one of the documents saved in the skill package (apl_documents) with a
small datasource of words already in the household's language. Each button sends, as a
UserEvent, the name of the intent that says the same thing, so a tap is answered as the words
are (handlers.ScreenTapHandler).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from ask_sdk_model.ui import SimpleCard

from checkin.alexa import intents
from checkin.alexa.apl_documents import CLOSE, HISTORY, MIN_RUNTIME, PROMPT, SAFETY, TURN, link
from checkin.ritual.events import Kind
from checkin.ritual.reply import Duration, Partner, Say
from checkin.ritual.screens import (
    Button,
    Card,
    CloseCard,
    CloseScreen,
    HistoryScreen,
    PromptScreen,
    SafetyCard,
    SafetyScreen,
    Screen,
    TurnScreen,
)
from checkin.speech.render import Voice

if TYPE_CHECKING:  # imported on first use: ask-sdk's APL models cost a cold start ~20 ms
    from ask_sdk_model.interfaces.alexa.presentation.apl import RenderDocumentDirective

# The session attribute that holds the token of the document on screen, to tell a tap on it
# from one on a document that has since been replaced.
SCREEN_ATTRIBUTE = "screen"
TOKEN_PREFIX = "checkin."
# What each button sends: the intent that says the same (handlers.INTENT_EVENTS reads it back).
BUTTON_INTENTS: dict[Kind, str] = {
    Kind.YES: intents.YES, Kind.NO: intents.NO, Kind.SKIP: intents.SKIP,
    Kind.DONE: intents.DONE, Kind.MORE_TIME: intents.MORE_TIME, Kind.PAUSE: intents.PAUSE,
    Kind.RESUME: intents.RESUME, Kind.STOP: intents.STOP, Kind.A_LITTLE: intents.A_LITTLE,
    Kind.START_OVER: intents.START_OVER, Kind.HELP: intents.HELP, Kind.SAFETY: intents.SAFETY,
}


def apl_runtime(event: dict) -> tuple[int, ...] | None:
    """The newest APL version the device of a raw request event runs; None without a screen
    for APL (`context.System.device.supportedInterfaces["Alexa.Presentation.APL"]`)."""
    apl = _field(event, "context", "System", "device", "supportedInterfaces",
                 "Alexa.Presentation.APL")
    version = _field(apl, "runtime", "maxVersion")
    if apl is None or not isinstance(version, str):
        return None
    try:
        return tuple(int(part) for part in version.split("."))
    except ValueError:
        return None


def draws_screens(event: dict) -> bool:
    runtime = apl_runtime(event)
    return runtime is not None and runtime >= MIN_RUNTIME


def _field(node: object, *path: str) -> object:
    for key in path:
        if not isinstance(node, dict):
            return None
        node = node.get(key)
    return node


def render_directive(screen: Screen, voice: Voice, token: str) -> RenderDocumentDirective:
    """A link to the screen's document in the skill package, with this turn's datasource."""
    from ask_sdk_model.interfaces.alexa.presentation.apl import RenderDocumentDirective

    kind, data = datasource(screen, voice)
    return RenderDocumentDirective(token=token, document=link(kind),
                                   datasources={"screen": data})


def token_for(screen: Screen, now: int) -> str:
    return f"{TOKEN_PREFIX}{_kind(screen)}.{now}"


def datasource(screen: Screen, voice: Voice) -> tuple[str, dict]:
    """The document kind for `screen`, and the words and numbers it shows: all the document
    needs from this turn (its name travels in the link)."""
    if isinstance(screen, TurnScreen):
        return TURN, _turn(screen, voice)
    if isinstance(screen, CloseScreen):
        return CLOSE, _close(screen, voice)
    if isinstance(screen, HistoryScreen):
        return HISTORY, _history(screen, voice)
    if isinstance(screen, SafetyScreen):
        return SAFETY, {"title": voice.label("screen.safety.title"),
                        "numbers": [{"number": number, "label": label}
                                    for number, label in voice.safety_lines()],
                        "lines": [voice.label("screen.safety.therapist")],
                        "buttons": _buttons(screen.buttons, voice)}
    return PROMPT, _prompt(screen, voice)


def card(card: Card, voice: Voice) -> SimpleCard:
    """The Alexa app's plain-text card: tonight's time together, or the crisis lines."""
    if isinstance(card, SafetyCard):
        lines = [f"{label} {number}." for number, label in voice.safety_lines()]
        return SimpleCard(title=voice.label("screen.safety.title"),
                          content="\n".join(lines + [voice.label("screen.safety.therapist")]))
    assert isinstance(card, CloseCard)
    return SimpleCard(title=voice.label("card.close.title"),
                      content=voice.plain(Say.of("card.close.together",
                                                 time=Duration(card.seconds))))


def _turn(screen: TurnScreen, voice: Voice) -> dict:
    return {
        "title": voice.plain(Say.of("screen.turn.speaking", speaker=screen.speaker)),
        "subtitle": voice.plain(Say.of("screen.turn.listening", other=screen.listener)),
        "question": voice.plain(screen.question),
        "countdownLabel": voice.label("screen.turn.time_left"),
        "countdownMs": screen.seconds_left * 1000,
        "barFrom": round(screen.seconds_left / screen.seconds, 3) if screen.seconds else 0,
        "buttons": _buttons(screen.buttons, voice),
    }


def _prompt(screen: PromptScreen, voice: Voice) -> dict:
    return {"title": voice.plain(screen.title) if screen.title else "",
            "lines": [voice.plain(line) for line in screen.lines],
            "buttons": _buttons(screen.buttons, voice)}


def _close(screen: CloseScreen, voice: Voice) -> dict:
    longest = max(screen.seconds) or 1
    bars = [{"name": voice.plain(Say.of("screen.name", speaker=Partner(i))),
             "time": clock(seconds), "percent": _percent(seconds, longest)}
            for i, seconds in enumerate(screen.seconds)]
    together = Say.of("screen.close.together", time=Duration(sum(screen.seconds)))
    then = screen.then
    asked = [voice.plain(line) for line in then.lines] if then else []
    return {"title": voice.label("screen.close.title"),
            "lines": [voice.plain(together)], "bars": bars,
            "notes": _counts(screen.count, screen.streak, voice) + asked,
            "buttons": _buttons(then.buttons, voice) if then else []}


def _history(screen: HistoryScreen, voice: Voice) -> dict:
    most = max(screen.weeks, default=0) or 1
    counts = _counts(screen.count, screen.streak, voice) if screen.count else \
        [voice.label("history.none")]
    if screen.trend is not None:  # the checks of the five signs, in words, never a score
        counts.append(voice.plain(screen.trend))
    return {
        "title": voice.label("screen.history.title"),
        "weeks": [{"count": count, "percent": _percent(count, most)} for count in screen.weeks],
        "oldest": voice.label("screen.history.oldest"),
        "newest": voice.label("screen.history.newest"),
        "lines": counts + [voice.plain(line) for line in screen.then.lines],
        "buttons": _buttons(screen.then.buttons, voice),
    }


def _counts(count: int, streak: int, voice: Voice) -> list[str]:
    """The count of check-ins in gentle words, never as a score."""
    lines = [voice.label("screen.count.one") if count == 1
             else voice.plain(Say.of("screen.count", count=count))]
    if streak > 1:
        lines.append(voice.plain(Say.of("screen.streak", nights=streak)))
    return lines


def _buttons(buttons: tuple[Button, ...], voice: Voice) -> list[dict]:
    return [{"label": voice.label(button.label), "intent": BUTTON_INTENTS[button.event]}
            for button in buttons]


def _percent(part: int, whole: int) -> int:
    return max(2, round(100 * part / whole)) if part > 0 else 0


def clock(seconds: int) -> str:
    """m:ss, as the countdown shows time."""
    return f"{seconds // 60}:{seconds % 60:02d}"


def _kind(screen: Screen) -> str:
    return _KINDS.get(type(screen), PROMPT)


_KINDS: dict[type, str] = {TurnScreen: TURN, CloseScreen: CLOSE, HistoryScreen: HISTORY,
                           SafetyScreen: SAFETY}

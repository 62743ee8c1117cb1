"""Every APL document the skill links to, checked by Alexa's own validator and held to our rules.

The documents are built in checkin/alexa/apl_documents.py and saved in the skill package by
`make apl` (devtools/apl_package.py); the saved copies are what Alexa draws, so they are what is
validated, and they must not drift from their source. apl-suggester (npm, pinned in
package.json, installed by `make node-deps`) runs through devtools/validate_apl.js, which also
refuses imports, unknown component and command types and bad commands inside handlers: things
the validator passes silently offline. The tests fail, never skip, when Node.js or the package
is missing.
"""
from __future__ import annotations

import copy
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from checkin.alexa import apl, apl_documents
from checkin.alexa.apl_documents import (
    APL_VERSION,
    BUTTON_MIN_DP,
    KINDS,
    MIN_RUNTIME,
    RESOURCES,
    document,
    link,
)
from checkin.ritual.reply import Partner, Say
from checkin.ritual.screens import (
    BUTTONS,
    HOW_IT_WORKS,
    JOIN_THERE,
    START_HERE,
    SUPPORT,
    WRAP_UP,
    CloseScreen,
    HistoryScreen,
    PromptScreen,
    SafetyScreen,
    TurnScreen,
)
from checkin.ritual.state import Stage
from checkin.speech.render import Voice
from devtools import apl_package, screen_text

ROOT = Path(__file__).resolve().parents[2]
VALIDATOR = ROOT / "devtools" / "validate_apl.js"
NEWEST_VALIDATED_VERSION = (2024, 2)


def validate(documents: dict[str, dict]) -> dict[str, list[str]]:
    node = shutil.which("node")
    if node is None or not (ROOT / "node_modules" / "apl-suggester").is_dir():
        pytest.fail("Node.js and apl-suggester are needed: make node-deps", pytrace=False)
    done = subprocess.run([node, str(VALIDATOR)], input=json.dumps(documents), cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)


def test_every_document_saved_in_the_skill_package_passes_alexas_validator():
    saved = {kind: apl_package.saved_document(kind) for kind in KINDS}
    assert None not in saved.values(), "run `make apl`"
    report = validate(saved)
    assert report == {kind: [] for kind in KINDS}


def test_the_saved_documents_are_the_ones_their_source_builds():
    drift = apl_package.find_drift(ROOT)
    assert drift == [], "run `make apl` (python -m devtools.apl_package): " + "; ".join(
        map(str, drift))


def test_every_link_names_a_document_saved_in_the_skill_package():
    for kind in KINDS:
        assert link(kind) == {"type": "Link", "src": f"doc://alexa/apl/documents/{kind}"}
        assert apl_package.linked_name(link(kind)) == kind
        assert apl_package.saved_document(kind) == document(kind)
    # devtools reads links without the skill's code, with the same prefix
    assert apl_package.LINK_PREFIX == apl_documents.LINK_PREFIX


def test_a_link_to_a_document_the_package_lacks_is_caught(tmp_path):
    def response(document: dict) -> dict:
        return {"response": {"directives": [{"type": apl_package.RENDER_DOCUMENT,
                                             "token": "t", "document": document}]}}

    apl_package.sync(tmp_path, {"turn": {"type": "APL", "version": "1.6"}})
    assert apl_package.link_problems(response(link("turn")), tmp_path) == []
    assert apl_package.link_problems(response({"type": "APL"}), tmp_path) == []  # inline
    [missing] = apl_package.link_problems(response(link("close")), tmp_path)
    assert "'close'" in missing and "make apl" in missing
    [odd] = apl_package.link_problems(response({"type": "Link", "src": "https://x/turn"}),
                                      tmp_path)
    assert "not to doc://alexa/apl/documents/" in odd
    inline = apl_package.inlined(response(link("turn")), tmp_path)
    assert inline["response"]["directives"][0]["document"] == {"type": "APL", "version": "1.6"}


def test_make_apl_writes_checks_and_removes_orphans(tmp_path):
    # Given a package without documents, the check fails; a sync writes them and it passes
    documents = {"turn": {"type": "APL", "version": "1.6", "mainTemplate": {"items": []}}}
    assert apl_package.find_drift(tmp_path, documents) != []
    assert apl_package.sync(tmp_path, documents) == [apl_package.DISPLAY_DIR / "turn" /
                                                     "document.json"]
    assert apl_package.find_drift(tmp_path, documents) == []
    assert apl_package.saved_document("turn", tmp_path) == documents["turn"]
    # When a saved copy is edited by hand, or a document has no source, the check fails again
    display = tmp_path / apl_package.DISPLAY_DIR
    (display / "turn" / "document.json").write_text("{}", encoding="utf-8")
    (display / "old").mkdir()
    (display / "old" / "document.json").write_text("{}", encoding="utf-8")
    reasons = {item.path.parent.name: item.reason
               for item in apl_package.find_drift(tmp_path, documents)}
    assert set(reasons) == {"turn", "old"}
    # And a sync repairs both
    apl_package.sync(tmp_path, documents)
    assert apl_package.find_drift(tmp_path, documents) == []
    assert not (display / "old").exists()


def test_the_validation_finds_what_the_validator_alone_would_pass():
    prompt = document("prompt")
    too_new = dict(copy.deepcopy(prompt), version="2024.3")
    imported = copy.deepcopy(prompt)
    imported["import"] = [{"name": "alexa-layouts", "version": "1.7.0"}]
    imported["mainTemplate"]["items"][0]["item"]["items"].append(
        {"type": "AlexaButton", "buttonText": "Yes"})
    bad_command = copy.deepcopy(prompt)
    bad_command["layouts"]["CheckinButton"]["item"]["onPress"] = [
        {"type": "AnimateItem", "value": []}, {"type": "SendEvnt"}]
    bad_property = copy.deepcopy(prompt)
    bad_property["mainTemplate"]["items"][0]["item"]["justifyContent"] = "middle"
    report = validate({"too_new": too_new, "imported": imported, "bad_command": bad_command,
                       "bad_property": bad_property})
    assert any(p.startswith("/version") for p in report["too_new"])
    assert any(p.startswith("/import") for p in report["imported"])
    assert any("unknown component type \"AlexaButton\"" in p for p in report["imported"])
    assert any("required property 'duration'" in p for p in report["bad_command"])
    assert any("unknown command type \"SendEvnt\"" in p for p in report["bad_command"])
    assert any("justifyContent" in p for p in report["bad_property"])


def test_documents_import_nothing_and_need_no_newer_apl_than_validated():
    assert _version(APL_VERSION) <= NEWEST_VALIDATED_VERSION
    assert _version(APL_VERSION) == MIN_RUNTIME
    for kind in KINDS:
        assert "import" not in document(kind)
        assert document(kind)["version"] == APL_VERSION


def test_documents_are_built_once_and_shared():
    assert all(document(kind) is document(kind) for kind in KINDS)


def test_every_button_has_a_label_for_screen_readers_and_is_at_least_64dp():
    for kind in KINDS:
        wrappers = list(_components(document(kind), "TouchWrapper"))
        for wrapper in wrappers:
            assert wrapper.get("accessibilityLabel"), kind
            assert wrapper.get("role") == "button"
            assert _dp(wrapper["minWidth"]) >= BUTTON_MIN_DP
            assert _dp(wrapper["minHeight"]) >= BUTTON_MIN_DP
    # Each variant of the screen (round, short, TV) keeps its buttons at least that tall.
    heights = [r["dimensions"]["buttonHeight"] for r in RESOURCES
               if "buttonHeight" in r.get("dimensions", {})]
    assert heights and all(_dp(h) >= BUTTON_MIN_DP for h in heights)


def test_every_button_sends_the_intent_whose_words_do_the_same():
    from checkin.alexa.handlers import INTENT_EVENTS

    kinds = {b.event for row in BUTTONS.values() for b in row}
    kinds |= {b.event for b in (HOW_IT_WORKS, SUPPORT, WRAP_UP, START_HERE, JOIN_THERE)}
    assert kinds <= set(apl.BUTTON_INTENTS)
    for kind, intent in apl.BUTTON_INTENTS.items():
        assert INTENT_EVENTS[intent][0] is kind
        # the console's name for the button (/tap more_time) is the event's
        assert screen_text.button_id({"intent": intent}) == kind.value


SAMPLES = {
    "turn": TurnScreen(Partner(0), Partner(1), Say.of("question.accessibility"), 90, 120,
                       BUTTONS[Stage.TURN]),
    "prompt": PromptScreen((Say.of("consent.ask"),), BUTTONS[Stage.CONSENT]),
    "close": CloseScreen((300, 240), 12, 4),
    "history": HistoryScreen((0, 1, 2, 0, 3, 1, 2, 1), 10, 2,
                             PromptScreen((Say.of("consent.ask"),), BUTTONS[Stage.CONSENT])),
    "safety": SafetyScreen(BUTTONS[Stage.PAUSED]),
}


@pytest.mark.parametrize("kind", KINDS)
def test_each_document_finds_every_field_it_binds_in_its_datasource(kind):
    drawn, data = apl.datasource(SAMPLES[kind], Voice("en-US", ("Sam", "Alex")))
    assert drawn == kind
    bound = set(re.findall(r"\bscreen\.(\w+)", json.dumps(document(kind))))
    assert bound and bound <= set(data), bound - set(data)
    json.dumps(data)  # plain JSON: strings, numbers and lists


def test_a_directive_is_ask_sdks_own_model_with_a_token_and_a_link():
    from ask_sdk_model.interfaces.alexa.presentation.apl import RenderDocumentDirective

    directive = apl.render_directive(SAMPLES["turn"], Voice("en-US"), "checkin.turn.1")
    assert isinstance(directive, RenderDocumentDirective)
    assert directive.token == "checkin.turn.1"
    assert directive.document == link("turn")
    assert directive.datasources["screen"]["countdownMs"] == 90_000
    assert directive.datasources["screen"]["barFrom"] == 0.75


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split("."))


def _dp(value: str) -> float:
    assert value.endswith("dp"), value
    return float(value[:-2])


def _components(node: object, kind: str):
    if isinstance(node, dict):
        if node.get("type") == kind:
            yield node
        for value in node.values():
            yield from _components(value, kind)
    elif isinstance(node, list):
        for value in node:
            yield from _components(value, kind)


"""The first answer of a cold container: import, then one LaunchRequest, with no I/O at all.

ask-sdk and the skill do some work only on the first request (the serializer resolves and
imports model classes, dateutil builds its parser, logging its handlers' state), so a cold start
costs the import plus a slower first request. cold.py times both in a fresh process for the
skill and for the floor; these helpers are the `finish` code of those targets. The skill answers
from an in-memory repository holding a known household (time zone cached, so the Alexa Settings
API is not called); the envelope's apiEndpoint points at a closed loopback port all the same.
"""
from __future__ import annotations

import json
from pathlib import Path

EVENT = Path(__file__).resolve().parent.parent / "tests" / "events" / "launch_request.json"
NOWHERE = "http://127.0.0.1:9"  # the discard port: refused at once, never the real endpoint


def launch_event() -> dict:
    event = json.loads(EVENT.read_text())
    event["context"]["System"]["apiEndpoint"] = NOWHERE
    return event


def floor_first_answer(module) -> dict:
    return module.lambda_handler(launch_event(), None)


def skill_first_answer(module) -> dict:
    from dataclasses import replace

    from benchmarks.memory_store import MemoryHouseholdRepository
    from checkin.alexa.conversation import Services
    from checkin.alexa.skill import build_skill
    from checkin.ritual.profile import Profile
    from checkin.store.keys import household_key

    event = launch_event()
    repository = MemoryHouseholdRepository()
    household = household_key(event["session"]["user"]["userId"], module.settings.household_salt)
    repository.save_profile(household, replace(Profile(), names=("Sam", "Alex"), named=True,
                                               time_zone="America/Chicago"))
    module.skill = build_skill(Services(repository, module.settings))
    response = module.lambda_handler(event, None)
    assert repository.calls == ["save_profile", "load"], repository.calls
    return response

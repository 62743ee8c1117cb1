"""AWS Lambda entry point: lambda_function.lambda_handler.

Everything reusable is built once per container, at import; each request does only its own work.

The cyclic garbage collector is paused while that happens. Init builds ~100,000 objects that
live as long as the container (modules, classes, the botocore client's models), so a collection
during init frees nothing, yet one full pass cost about a tenth of the cold start. At the end,
`gc.freeze()` moves everything init built out of the collector's view, so no later request
pays to scan it again; the few hundred kilobytes of cycles that init left behind stay with it.
"""
# ruff: noqa: E402  (the imports below are meant to run with the collector paused)
from __future__ import annotations

import gc

gc.disable()

from checkin import logs, metrics
from checkin.alexa.conversation import Services
from checkin.alexa.skill import build_skill, handle_event
from checkin.config import Settings
from checkin.snapstart import register_hooks
from checkin.store.client import make_dynamodb_client
from checkin.store.repository import HouseholdRepository

settings = Settings.from_env()
logs.configure(settings.log_level)
metrics.configure(settings.metrics_namespace)
client = make_dynamodb_client()
register_hooks(client)  # does nothing unless Lambda is taking a SnapStart snapshot
services = Services(HouseholdRepository(client, settings.table_name, settings.retention_days),
                    settings)
skill = build_skill(services)

gc.freeze()
gc.enable()


def lambda_handler(event: dict, context: object) -> dict:
    return handle_event(skill, event, context, services.clock)

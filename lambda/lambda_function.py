"""AWS Lambda entry point: lambda_function.lambda_handler.

Everything reusable is built once per container, at import; each request does only its own work.
"""
from __future__ import annotations

from checkin import logs
from checkin.alexa.conversation import Services
from checkin.alexa.skill import build_skill, handle_event
from checkin.config import Settings
from checkin.snapstart import register_hooks
from checkin.store.client import make_dynamodb_client
from checkin.store.repository import HouseholdRepository

settings = Settings.from_env()
logs.configure(settings.log_level)
client = make_dynamodb_client()
register_hooks(client)  # does nothing unless Lambda is taking a SnapStart snapshot
services = Services(HouseholdRepository(client, settings.table_name, settings.retention_days),
                    settings)
skill = build_skill(services)


def lambda_handler(event: dict, context: object) -> dict:
    return handle_event(skill, event, context)

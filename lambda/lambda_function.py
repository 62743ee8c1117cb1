"""AWS Lambda entry point: lambda_function.lambda_handler.

Everything reusable is built once per container, at import; each request does only its own work.
"""
from __future__ import annotations

from checkin import logs
from checkin.alexa.conversation import Services
from checkin.alexa.skill import build_skill, handle_event
from checkin.config import Settings
from checkin.store.client import make_dynamodb_client
from checkin.store.repository import HouseholdRepository

settings = Settings.from_env()
logs.configure(settings.log_level)
repository = HouseholdRepository(make_dynamodb_client(), settings.table_name,
                                 settings.retention_days)
skill = build_skill(Services(repository, settings))


def lambda_handler(event: dict, context: object) -> dict:
    return handle_event(skill, event, context)

"""Every environment variable the skill reads, in one place.

An explicit argument always beats the environment; the environment beats the defaults.
"""
from __future__ import annotations

import os
from collections.abc import Mapping

from checkin.records import record

TABLE_NAME = "TABLE_NAME"
SKILL_ID = "SKILL_ID"
# boto3/botocore read this one themselves; it is named here so the project has one list.
DYNAMODB_ENDPOINT = "AWS_ENDPOINT_URL_DYNAMODB"
RETENTION_DAYS = "RETENTION_DAYS"
LOG_LEVEL = "LOG_LEVEL"
HOUSEHOLD_SALT = "HOUSEHOLD_SALT"
# The CloudWatch namespace of the skill's metrics (checkin.metrics); one per stack.
METRICS_NAMESPACE = "METRICS_NAMESPACE"
# Set by AWS Lambda itself.
AWS_REGION = "AWS_REGION"
AWS_DEFAULT_REGION = "AWS_DEFAULT_REGION"
INITIALIZATION_TYPE = "AWS_LAMBDA_INITIALIZATION_TYPE"  # "snap-start" while a snapshot is made
# The self-hosted web service (webservice/, not part of the Lambda package).
SERVE_HOST = "SERVE_HOST"
SERVE_PORT = "SERVE_PORT"
SERVE_WORKERS = "SERVE_WORKERS"  # gunicorn worker processes (0: Werkzeug's development server)
SERVE_THREADS = "SERVE_THREADS"  # threads per gunicorn worker
# Only "0", "false", "no" or "off" turn Alexa signature and timestamp checks off (development).
VERIFY_SIGNATURES = "VERIFY_SIGNATURES"

DEFAULT_TABLE_NAME = "connection-check-in"
DEFAULT_RETENTION_DAYS = 730
DEFAULT_METRICS_NAMESPACE = "ConnectionCheckIn"


@record
class Settings:
    table_name: str
    skill_id: str | None
    retention_days: int
    household_salt: str
    log_level: str
    metrics_namespace: str = DEFAULT_METRICS_NAMESPACE

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        return cls(
            table_name=env.get(TABLE_NAME) or DEFAULT_TABLE_NAME,
            skill_id=env.get(SKILL_ID) or None,
            retention_days=int(env.get(RETENTION_DAYS) or DEFAULT_RETENTION_DAYS),
            household_salt=env.get(HOUSEHOLD_SALT, ""),
            log_level=env.get(LOG_LEVEL) or "INFO",
            metrics_namespace=env.get(METRICS_NAMESPACE) or DEFAULT_METRICS_NAMESPACE,
        )

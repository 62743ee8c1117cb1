"""Shared fixtures. Add yours in a section of its own.

Store fixtures: `store_backend` runs a test once per backend, with ids `moto` and
`dynamodb-local`; `dynamodb_client`, `table_name` and `repository` are built on it.
"""
from __future__ import annotations

import contextlib
import os
import uuid
from dataclasses import dataclass

import pytest

# --- AWS environment: dummy credentials, never a real account ------------------------------
os.environ.update({
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SECURITY_TOKEN": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_REGION": "us-east-1",
    "AWS_CONFIG_FILE": os.devnull,
    "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
    "AWS_EC2_METADATA_DISABLED": "true",
})
os.environ.pop("AWS_PROFILE", None)
os.environ.pop("AWS_ENDPOINT_URL", None)
os.environ.pop("AWS_ENDPOINT_URL_DYNAMODB", None)

# Imported only once the environment above is safe.
from checkin.store.client import make_dynamodb_client
from checkin.store.repository import HouseholdRepository
from devtools.dynamodb_local import DynamoDBLocal, MissingToolError
from devtools.table import create_table
from tests.clients import PATIENT

pytest_plugins = [
    "tests.clock_shift",  # --days-ahead N: the suite with the process clock moved on
    "tests.certification_plugin",  # Alexa certification checks
    "tests.skill_fixtures",  # moto_repository and talk: conversations through lambda_handler
]

# --- Store backends ------------------------------------------------------------------------


STORE_BACKENDS = ("moto", "dynamodb-local")


@dataclass(frozen=True)
class StoreBackend:
    name: str
    endpoint_url: str


@pytest.fixture(scope="session")
def moto_server():
    """moto over HTTP, so tests use the real botocore client and its retries."""
    from devtools.moto_server import MotoServer

    server = MotoServer()
    yield server.start()
    server.stop()


@pytest.fixture(scope="session")
def dynamodb_local(tmp_path_factory):
    """AWS's DynamoDB Local on a free port; fails (never skips) if Java or npm deps are missing."""
    server = DynamoDBLocal(tmp_path_factory.mktemp("dynamodb-local"))
    missing = None
    try:
        server.start()
    except MissingToolError as error:
        missing = str(error)
    if missing:  # outside the except, so the report is the one-line hint alone
        pytest.fail(missing, pytrace=False)
    yield server
    server.stop()


@pytest.fixture(params=STORE_BACKENDS)
def store_backend(request) -> StoreBackend:
    # getfixturevalue: a run filtered to one backend never starts the other server.
    if request.param == "moto":
        return StoreBackend("moto", request.getfixturevalue("moto_server"))
    server = request.getfixturevalue("dynamodb_local")
    return StoreBackend("dynamodb-local", server.endpoint_url)


@pytest.fixture
def dynamodb_client(store_backend):
    return make_dynamodb_client(endpoint_url=store_backend.endpoint_url, config=PATIENT)


@pytest.fixture
def table_name(dynamodb_client):
    """A fresh table per test, built from template.yaml, TTL off (the tests' times are fixed
    dates that DynamoDB Local's own clock has passed); dropped afterwards."""
    name = f"checkin-test-{uuid.uuid4().hex[:12]}"
    create_table(dynamodb_client, name, expire=False)
    yield name
    # The test may have dropped it itself, or stopped the server.
    with contextlib.suppress(Exception):
        dynamodb_client.delete_table(TableName=name)


@pytest.fixture
def repository(dynamodb_client, table_name) -> HouseholdRepository:
    return HouseholdRepository(dynamodb_client, table_name)

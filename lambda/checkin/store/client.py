"""The DynamoDB client, configured for a skill that must answer within Alexa's 8 seconds."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import botocore.session
from botocore.config import Config
from botocore.loaders import Loader

from checkin.config import AWS_DEFAULT_REGION, AWS_REGION

DEFAULT_REGION = "us-east-1"

# botocore's endpoint table cut down to DynamoDB (devtools/endpoints.py writes it). botocore
# looks in its data path before its own data, so it reads these 14 kB instead of parsing 1.2 MB
# for every service at each cold start: about a tenth of a cold start, and 7 MB of memory.
# A table of one's own makes botocore pass its answer to DynamoDB's endpoint rules as an
# override. That gives the same regional endpoint, but the rules refuse an override with FIPS or
# dual-stack, and skip the account-based endpoints (used only where credentials name their
# account, which Lambda's do not). So FIPS and dual-stack read botocore's own table.
DATA_PATH = Path(__file__).resolve().parent / "botocore_data"
VARIANTS_NEEDING_THE_WHOLE_TABLE = ("use_fips_endpoint", "use_dualstack_endpoint")
SERVICE = "dynamodb"

# botocore's defaults (60 s timeouts) would outlive the skill's whole budget. Two attempts of
# at most 0.5 s to connect and 1 s to read, with at most 1 s of backoff between them, bound a
# failing call to about 4 s; see timing.CALL_WINDOW_SECONDS for the whole request. DynamoDB
# answers in milliseconds when it is well.
# The pool: one kept-alive connection per thread that may call at once. Lambda runs one request
# at a time, but the web service's threads and the load test's households share one client,
# and botocore's default of 10 made every call beyond ten at once open and close a connection
# of its own. Connections are opened only as needed, so the ceiling costs nothing.
CLIENT_CONFIG = Config(
    connect_timeout=0.5,
    read_timeout=1,
    max_pool_connections=128,
    retries={"mode": "standard", "total_max_attempts": 2},
)


class DynamoDBLoader(Loader):
    """botocore's loader, offering DynamoDB alone.

    Before loading a model, botocore checks that its service is among all it knows, and finds
    them by listing every service's directory: some 900 directory reads per cold start. Asked
    only about DynamoDB's directory, the answer for DynamoDB is the same.
    """

    def list_available_services(self, type_name: str) -> list[str]:
        return [SERVICE] if self.list_api_versions(SERVICE, type_name) else []


def make_dynamodb_client(region: str | None = None, endpoint_url: str | None = None,
                         config: Config | None = None) -> Any:
    """A botocore DynamoDB client. Arguments beat the environment.

    botocore itself honours AWS_ENDPOINT_URL_DYNAMODB when no endpoint_url is given.
    """
    region = region or os.environ.get(AWS_REGION) or os.environ.get(AWS_DEFAULT_REGION)
    config = CLIENT_CONFIG.merge(config) if config else CLIENT_CONFIG
    session = botocore.session.get_session()
    # AWS_DATA_PATH, read as botocore's own loader reads it.
    given = session.get_config_variable("data_path") or ""
    paths = [os.path.expanduser(os.path.expandvars(path)) for path in given.split(os.pathsep)
             if path]
    if not any(getattr(config, variant) or session.get_config_variable(variant)
               for variant in VARIANTS_NEEDING_THE_WHOLE_TABLE):
        paths.insert(0, str(DATA_PATH))
    session.register_component("data_loader", DynamoDBLoader(extra_search_paths=paths))
    return session.create_client(
        SERVICE, region_name=region or DEFAULT_REGION, endpoint_url=endpoint_url, config=config)

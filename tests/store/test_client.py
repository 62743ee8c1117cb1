"""The DynamoDB client: botocore's endpoint table cut down to DynamoDB, and what it changes.

The client reads the skill's copy of the table instead of botocore's own. These tests hold that
copy to the installed botocore's, and show that every region's requests go to the same URL,
signed for the same region, as with botocore's whole table. Its loader looks in DynamoDB's
directory alone, and finds the same model there.
"""
from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from functools import partial
from typing import Any

import botocore.loaders
import botocore.session
import pytest
from botocore.awsrequest import AWSResponse
from botocore.config import Config
from botocore.exceptions import BotoCoreError

from checkin.store.client import CLIENT_CONFIG, DATA_PATH, make_dynamodb_client
from devtools import endpoints

BUILTIN = json.loads(endpoints.SOURCE.read_text(encoding="utf-8"))
SCOPE = re.compile(r"Credential=[^/]+/\d{8}/([^/]+)/([^/]+)/aws4_request")


def _regions() -> list[str]:
    """Every region botocore lists for DynamoDB, and one per partition that it does not list.

    Pseudo-regions ("us-gov-west-1-fips", "local") are left out: Lambda's AWS_REGION is a real one.
    """
    listed = [region for partition in BUILTIN["partitions"]
              for region in partition["services"].get(endpoints.SERVICE, {}).get("endpoints", {})
              if "fips" not in region and region != "local"]
    return sorted(set(listed)) + UNLISTED


UNLISTED = ["us-east-9", "eu-central-9", "ap-southeast-9", "cn-north-9", "us-gov-east-9"]
# With FIPS or dual-stack asked for, botocore's whole table is read, as without the skill's copy:
# a few regions show that.
SOME = ["us-east-1", "eu-west-1", "cn-north-1", "us-gov-west-1", "us-east-9"]


class _RawBody:
    def stream(self, **_: object):
        yield b'{"AccountMaxReadCapacityUnits": 1}'


def _where_sent(make_client: Callable[[], Any]) -> tuple[str, str, str] | str:
    """The URL and the credential scope (region, service) of one request, which is not sent,
    from the client that `make_client` makes; or why botocore would not make or send it."""
    seen: list[tuple[str, str, str]] = []

    def answer(request, **_: object) -> AWSResponse:
        region, service = SCOPE.search(request.headers["Authorization"].decode()).groups()
        seen.append((request.url, region, service))
        return AWSResponse(request.url, 200, {}, _RawBody())

    try:
        client = make_client()
        client.meta.events.register("before-send.dynamodb.DescribeLimits", answer)
        client.describe_limits()
    except BotoCoreError as refused:
        return repr(refused)
    return seen[0]


def _files_read(monkeypatch) -> list[str]:
    """The data files botocore reads from now on (paths without their .json)."""
    read: list[str] = []
    load = botocore.loaders.JSONFileLoader.load_file

    def reading(self, file_path):
        read.append(file_path)
        return load(self, file_path)

    monkeypatch.setattr(botocore.loaders.JSONFileLoader, "load_file", reading)
    return read


def test_the_copy_is_the_installed_botocores_table_for_dynamodb():
    assert endpoints.main(["--check"]) == 0, "run make endpoints"
    copy = json.loads(endpoints.PATH.read_text(encoding="utf-8"))
    assert [p["partition"] for p in copy["partitions"]] == \
        [p["partition"] for p in BUILTIN["partitions"]]
    assert all(set(p["services"]) <= {endpoints.SERVICE} for p in copy["partitions"])
    assert copy["partitions"][0]["services"][endpoints.SERVICE] == \
        BUILTIN["partitions"][0]["services"][endpoints.SERVICE]


def test_the_client_reads_the_copy_and_not_botocores_table(monkeypatch):
    read = _files_read(monkeypatch)
    make_dynamodb_client()
    assert [path for path in read if path.endswith("endpoints")] == [str(DATA_PATH / "endpoints")]


def test_the_client_lists_dynamodbs_directory_alone(monkeypatch):
    listed: list[str] = []
    listdir = os.listdir

    def listing(path):
        listed.append(str(path))
        return listdir(path)

    monkeypatch.setattr(botocore.loaders.os, "listdir", listing)
    make_dynamodb_client()
    assert listed
    assert [path for path in listed if os.path.basename(path) != "dynamodb"] == []


def test_the_client_has_botocores_model_of_dynamodb():
    ours = make_dynamodb_client().meta.service_model
    theirs = botocore.session.get_session().create_client("dynamodb").meta.service_model
    assert ours.api_version == theirs.api_version
    assert ours.operation_names == theirs.operation_names
    assert ours.shape_names == theirs.shape_names


def test_a_data_path_given_by_the_environment_is_still_searched(monkeypatch, tmp_path):
    defaults = endpoints.SOURCE.with_name("sdk-default-configuration.json")
    (tmp_path / defaults.name).write_text(defaults.read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setenv("AWS_DATA_PATH", str(tmp_path))
    read = _files_read(monkeypatch)
    make_dynamodb_client()
    assert str(tmp_path / "sdk-default-configuration") in read
    assert str(DATA_PATH / "endpoints") in read


@pytest.mark.parametrize(("config", "environment", "regions"), [
    (None, {}, _regions()),
    (Config(use_fips_endpoint=True), {}, SOME),
    (Config(use_dualstack_endpoint=True), {}, SOME),
    (None, {"AWS_USE_FIPS_ENDPOINT": "true"}, SOME),
    (None, {"AWS_USE_DUALSTACK_ENDPOINT": "true"}, SOME),
], ids=["plain", "fips", "dualstack", "fips-from-environment", "dualstack-from-environment"])
def test_every_region_is_reached_as_with_botocores_whole_table(monkeypatch, config, environment,
                                                               regions):
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    whole = botocore.session.get_session()
    merged = CLIENT_CONFIG.merge(config) if config else CLIENT_CONFIG
    differ = {}
    for region in regions:
        ours = _where_sent(partial(make_dynamodb_client, region=region, config=config))
        theirs = _where_sent(partial(whole.create_client, "dynamodb", region_name=region,
                                     config=merged))
        if ours != theirs:
            differ[region] = (ours, theirs)
    assert not differ
    assert isinstance(ours, tuple)  # the last region, unlisted, is reached


def test_fips_and_dual_stack_read_botocores_whole_table(monkeypatch):
    monkeypatch.setenv("AWS_USE_FIPS_ENDPOINT", "true")
    read = _files_read(monkeypatch)
    make_dynamodb_client()
    assert [path for path in read if path.endswith("endpoints")] == [str(endpoints.SOURCE)[:-5]]

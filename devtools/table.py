"""Build a DynamoDB table from template.yaml, so the key schema has one source of truth.

Tests and the local console create their tables only through `create_table`.
"""
from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import yaml

REPO_ROOT = Path(__file__).resolve().parent.parent
TABLE_TYPE = "AWS::DynamoDB::Table"
_COPIED_PROPERTIES = ("KeySchema", "AttributeDefinitions", "BillingMode", "TimeToLiveSpecification")


class _CfnLoader(yaml.SafeLoader):
    """A safe loader that reads CloudFormation short-form tags (!Ref, !Sub, !GetAtt...)."""


def _cfn_tag(loader: yaml.SafeLoader, tag_suffix: str, node: yaml.Node) -> dict[str, Any]:
    # The table's own properties never use intrinsics; elsewhere we only need to not choke.
    if isinstance(node, yaml.ScalarNode):
        value: Any = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)
    name = tag_suffix if tag_suffix == "Ref" else f"Fn::{tag_suffix}"
    return {name: value}


_CfnLoader.add_multi_constructor("!", _cfn_tag)


def load_template(path: str | Path = "template.yaml") -> dict[str, Any]:
    """The parsed template; a relative path is taken from the repository root."""
    template_path = Path(path)
    if not template_path.is_absolute():
        template_path = REPO_ROOT / template_path
    with template_path.open(encoding="utf-8") as handle:
        return yaml.load(handle, Loader=_CfnLoader)  # a SafeLoader subclass


def table_definition_from_template(path: str | Path = "template.yaml") -> dict[str, Any]:
    """KeySchema, AttributeDefinitions, BillingMode and TimeToLiveSpecification of the table."""
    resources = load_template(path).get("Resources", {})
    tables = [r for r in resources.values() if r.get("Type") == TABLE_TYPE]
    if len(tables) != 1:
        raise ValueError(f"expected exactly one {TABLE_TYPE} in {path}, found {len(tables)}")
    properties = tables[0]["Properties"]
    return {key: properties[key] for key in _COPIED_PROPERTIES if key in properties}


def create_table(client: Any, table_name: str, path: str | Path = "template.yaml",
                 timeout: float = 30.0, expire: bool = True) -> dict[str, Any]:
    """Create `table_name` as the template defines it, wait until ACTIVE, enable its TTL.

    `expire=False` leaves TTL off: for tests whose items carry expiry times on a fixed date in
    the past, which DynamoDB Local, judging by its own clock, would otherwise sweep mid-test."""
    definition = table_definition_from_template(path)
    client.create_table(
        TableName=table_name,
        KeySchema=definition["KeySchema"],
        AttributeDefinitions=definition["AttributeDefinitions"],
        BillingMode=definition.get("BillingMode", "PAY_PER_REQUEST"),
    )
    _wait_until_active(client, table_name, timeout)
    if expire:
        enable_ttl(client, table_name, definition)
    return definition


def enable_ttl(client: Any, table_name: str, definition: dict[str, Any]) -> None:
    ttl = definition.get("TimeToLiveSpecification")
    if ttl and ttl.get("Enabled"):
        client.update_time_to_live(
            TableName=table_name,
            TimeToLiveSpecification={"AttributeName": ttl["AttributeName"], "Enabled": True},
        )


def _wait_until_active(client: Any, table_name: str, timeout: float) -> None:
    # A short poll instead of botocore's waiter, whose 20 s delay would dominate local tests.
    deadline = time.monotonic() + timeout
    while True:
        status = client.describe_table(TableName=table_name)["Table"]["TableStatus"]
        if status == "ACTIVE":
            return
        if time.monotonic() > deadline:
            raise TimeoutError(f"table {table_name} still {status} after {timeout} s")
        time.sleep(0.1)

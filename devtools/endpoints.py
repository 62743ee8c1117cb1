"""lambda/checkin/store/botocore_data/endpoints.json: botocore's endpoint table, DynamoDB only.

    python -m devtools.endpoints           # write it from the installed botocore
    python -m devtools.endpoints --check   # fail if it differs from the installed botocore's

botocore parses its whole `endpoints.json` (1.2 MB, every AWS service) whenever it builds a
client, though the skill's only client is DynamoDB's. The skill points botocore's data path at
this copy (checkin.store.client): every partition as botocore ships it, with DynamoDB's entries
only. botocore then finds it first and leaves its own file unread.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import botocore

from devtools import generated

SERVICE = "dynamodb"
SOURCE = Path(botocore.__file__).resolve().parent / "data" / "endpoints.json"
PATH = (Path(__file__).resolve().parent.parent / "lambda" / "checkin" / "store" / "botocore_data"
        / "endpoints.json")


def trimmed(endpoints: dict) -> dict:
    """`endpoints` with every partition's services cut down to SERVICE's."""
    partitions = [{**partition, "services": {name: entry
                                             for name, entry in partition["services"].items()
                                             if name == SERVICE}}
                  for partition in endpoints["partitions"]]
    return {**endpoints, "partitions": partitions}


def document() -> str:
    endpoints = json.loads(SOURCE.read_text(encoding="utf-8"))
    return json.dumps(trimmed(endpoints), indent=1, sort_keys=True) + "\n"


def main(argv: list[str] | None = None) -> int:
    return generated.main(argv, __doc__.splitlines()[0], PATH, document,
                          f"{PATH.name} differs from botocore {botocore.__version__}'s: "
                          "run make endpoints")


if __name__ == "__main__":
    sys.exit(main())

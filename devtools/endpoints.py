"""lambda/checkin/store/botocore_data/endpoints.json: botocore's endpoint table, DynamoDB only.

    python -m devtools.endpoints           # write it from the installed botocore
    python -m devtools.endpoints --check   # fail if it differs from the installed botocore's

botocore parses its whole `endpoints.json` (1.2 MB, every AWS service) whenever it builds a
client, though the skill's only client is DynamoDB's. The skill points botocore's data path at
this copy (checkin.store.client): every partition as botocore ships it, with DynamoDB's entries
only. botocore then finds it first and leaves its own file unread.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import botocore

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
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="fail if the committed copy differs from the installed botocore's")
    args = parser.parse_args(argv)
    if args.check:
        if not PATH.exists() or PATH.read_text(encoding="utf-8") != document():
            print(f"{PATH.name} differs from botocore {botocore.__version__}'s: "
                  "run make endpoints", file=sys.stderr)
            return 1
        return 0
    PATH.write_text(document(), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

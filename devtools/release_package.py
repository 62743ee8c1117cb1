"""Point the skill package at a deployed stack, for `ask deploy` (the release pipeline).

    python -m devtools.release_package ENDPOINT_ARN SKILL_ID

Writes the stack's `live` alias ARN (output SkillEndpointArn) into skill-package/skill.json
(`apis.custom.endpoint.uri` and `events.endpoint.uri`), and .ask/ask-states.json so that
`ask deploy` with the CI profile (the ASK CLI's __ENVIRONMENT_ASK_PROFILE__, credentials from
environment variables) updates that skill instead of creating a new one. Refuses anything but a
Lambda alias ARN and a skill id, so a failed stack lookup cannot publish a broken endpoint.
"""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CI_PROFILE = "__ENVIRONMENT_ASK_PROFILE__"
_ALIAS_ARN = re.compile(r"arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[\w-]+:live")
_SKILL_ID = re.compile(r"amzn1\.ask\.skill\.[0-9a-fA-F-]+")


def point_package(endpoint: str, skill_id: str, root: Path = ROOT) -> None:
    if not _ALIAS_ARN.fullmatch(endpoint):
        raise ValueError(f"not the ARN of a Lambda function's live alias: {endpoint!r}")
    if not _SKILL_ID.fullmatch(skill_id):
        raise ValueError(f"not a skill id: {skill_id!r}")
    skill_json = root / "skill-package" / "skill.json"
    manifest = json.loads(skill_json.read_text(encoding="utf-8"))
    manifest["manifest"]["apis"]["custom"]["endpoint"]["uri"] = endpoint
    events = manifest["manifest"].get("events")
    if events and "endpoint" in events:
        events["endpoint"]["uri"] = endpoint
    skill_json.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n",
                          encoding="utf-8")
    states = root / ".ask" / "ask-states.json"
    states.parent.mkdir(exist_ok=True)
    states.write_text(json.dumps({"askcliStatesVersion": "2020-03-31",
                                  "profiles": {CI_PROFILE: {"skillId": skill_id}}},
                                 indent=2) + "\n", encoding="utf-8")


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    try:
        point_package(*argv)
    except ValueError as error:
        print(f"release_package: {error}", file=sys.stderr)
        return 1
    print(f"skill package points at {argv[0]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

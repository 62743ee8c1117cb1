"""The release pipeline, proven offline: nothing here can reach AWS or Amazon's developer services.

`.github/workflows/` is linted by actionlint in `make test`. Here the deploy job's script,
`.ci/release`, is dry-run in a copy of the repository with stand-ins for make, sam, aws and ask
that record how they were called; and the workflows are held to what the README says.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from devtools.release_package import CI_PROFILE, point_package

ROOT = Path(__file__).resolve().parents[2]
WORKFLOWS = ROOT / ".github" / "workflows"
ENDPOINT = "arn:aws:lambda:eu-west-1:123456789012:function:connection-check-in-SkillFunction-X:live"
SKILL_ID = "amzn1.ask.skill.12345678-1234-1234-1234-123456789012"
SECRETS = {"SKILL_ID": SKILL_ID, "HOUSEHOLD_SALT": "pepper", "ASK_REFRESH_TOKEN": "Atzr|x",
           "ASK_VENDOR_ID": "M1VENDOR"}

STAND_IN = """#!/usr/bin/env bash
echo "$(basename "$0") $*" >> "$CALLS"
if [[ "$(basename "$0")" == aws ]]; then echo "${FAKE_ENDPOINT}"; fi
"""


@pytest.fixture
def checkout(tmp_path):
    """What the deploy job sees: the repository's release files, and stand-in tools."""
    root = tmp_path / "repo"
    (root / ".ci").mkdir(parents=True)
    shutil.copy(ROOT / ".ci" / "release", root / ".ci" / "release")
    shutil.copytree(ROOT / "skill-package", root / "skill-package")
    shutil.copytree(ROOT / "devtools", root / "devtools",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "ask-resources.json", root / "ask-resources.json")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in ("make", "sam", "aws", "ask"):
        (bin_dir / tool).write_text(STAND_IN)
        (bin_dir / tool).chmod(0o755)
    return root, bin_dir, tmp_path / "calls.log"


def release(checkout, endpoint: str = ENDPOINT, **env: str) -> subprocess.CompletedProcess:
    root, bin_dir, calls = checkout
    environment = {"PATH": f"{bin_dir}:{os.environ['PATH']}", "HOME": str(root),
                   "CALLS": str(calls), "FAKE_ENDPOINT": endpoint, "PYTHON": sys.executable,
                   "STACK_NAME": "connection-check-in", "AWS_REGION": "eu-west-1", **env}
    return subprocess.run(["bash", str(root / ".ci" / "release")], env=environment,
                          capture_output=True, text=True, timeout=60)


def calls_of(checkout) -> list[str]:
    path = checkout[2]
    return path.read_text().splitlines() if path.exists() else []


def test_a_release_builds_deploys_the_stack_then_the_skill_package(checkout):
    done = release(checkout, **SECRETS, ALARM_EMAIL="ops@example.org")
    assert done.returncode == 0, done.stderr
    make, sam, aws, ask = calls_of(checkout)
    assert make == "make package"
    assert sam.startswith("sam deploy --stack-name connection-check-in --region eu-west-1 ")
    assert "--no-confirm-changeset" in sam and "--capabilities CAPABILITY_IAM" in sam
    assert sam.endswith(f"--parameter-overrides SkillId={SKILL_ID} HouseholdSalt=pepper "
                        "AlarmEmail=ops@example.org")
    assert aws.startswith("aws cloudformation describe-stacks --stack-name connection-check-in")
    assert "SkillEndpointArn" in aws
    assert ask == f"ask deploy --profile {CI_PROFILE} --target skill-metadata"
    # and the skill package it deployed points at the new live alias, of the right skill
    root = checkout[0]
    manifest = json.loads((root / "skill-package" / "skill.json").read_text())["manifest"]
    assert manifest["apis"]["custom"]["endpoint"]["uri"] == ENDPOINT
    assert manifest["events"]["endpoint"]["uri"] == ENDPOINT
    states = json.loads((root / ".ask" / "ask-states.json").read_text())
    assert states["profiles"][CI_PROFILE]["skillId"] == SKILL_ID
    resources = json.loads((root / "ask-resources.json").read_text())
    assert CI_PROFILE in resources["profiles"]


def test_without_an_alarm_address_none_is_passed(checkout):
    assert release(checkout, **SECRETS).returncode == 0
    assert "AlarmEmail" not in calls_of(checkout)[1]


@pytest.mark.parametrize("missing", sorted(SECRETS))
def test_a_missing_secret_stops_the_release_before_anything_is_built(checkout, missing):
    secrets = {k: v for k, v in SECRETS.items() if k != missing}
    done = release(checkout, **secrets)
    assert done.returncode != 0 and missing in done.stderr
    assert calls_of(checkout) == []


def test_a_stack_without_its_endpoint_output_publishes_nothing(checkout):
    done = release(checkout, endpoint="None", **SECRETS)
    assert done.returncode != 0 and "live alias" in done.stderr
    assert [c.split()[0] for c in calls_of(checkout)] == ["make", "sam", "aws"]


def test_release_package_refuses_what_is_not_an_alias_and_a_skill(tmp_path):
    shutil.copytree(ROOT / "skill-package", tmp_path / "skill-package")
    with pytest.raises(ValueError, match="live alias"):
        point_package("arn:aws:lambda:eu-west-1:123456789012:function:f", SKILL_ID, tmp_path)
    with pytest.raises(ValueError, match="skill id"):
        point_package(ENDPOINT, "amzn1.ask.account.X", tmp_path)


# --- the workflows ------------------------------------------------------------------------------

def _workflow(name: str) -> dict:
    workflow = yaml.safe_load((WORKFLOWS / name).read_text())
    workflow["on"] = workflow.pop(True, workflow.get("on"))  # YAML 1.1 reads `on` as True
    return workflow


def test_every_push_runs_the_same_make_test_as_ci():
    ci = _workflow("ci.yml")
    assert ci["on"]["push"] == {"branches": ["**"]}  # every branch; a tag goes to release.yml
    assert "pull_request" in ci["on"] and "workflow_call" in ci["on"]
    steps = ci["jobs"]["test"]["steps"]
    assert any(step.get("run") == "bash .ci/run" for step in steps)
    assert "make test" in (ROOT / ".ci" / "run").read_text()


def test_a_version_tag_tests_then_deploys():
    release_workflow = _workflow("release.yml")
    assert release_workflow["on"] == {"push": {"tags": ["v*"]}}
    jobs = release_workflow["jobs"]
    assert jobs["test"]["uses"] == "./.github/workflows/ci.yml"
    deploy = jobs["deploy"]
    assert deploy["needs"] == "test" and deploy["env"]["STACK_NAME"] == "connection-check-in"
    assert deploy["permissions"]["id-token"] == "write"
    assert deploy["steps"][-1]["run"] == "bash .ci/release"


def test_actions_are_pinned_to_commits():
    for path in WORKFLOWS.glob("*.yml"):
        for uses in re.findall(r"uses:\s*(\S+)", path.read_text()):
            if not uses.startswith("./"):
                assert re.fullmatch(r"[\w-]+/[\w-]+@[0-9a-f]{40}", uses), f"{path.name}: {uses}"


def test_the_readme_names_every_secret_the_pipeline_reads():
    used = set()
    for path in WORKFLOWS.glob("*.yml"):
        used |= set(re.findall(r"secrets\.([A-Z_]+)", path.read_text()))
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Releasing", 1)[1].split("\n## ", 1)[0]
    named = set(re.findall(r"`([A-Z][A-Z_]+)`", section))
    assert used and used <= named, used - named

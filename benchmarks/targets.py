"""What the benchmarks measure: the skill's handler module and the two committed baselines.

Every target is a module imported in a fresh interpreter, with its directory on PYTHONPATH,
and with the environment a Lambda function would have (region, credentials, table name) but
dummy values, so nothing is read from this machine's AWS configuration.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LAMBDA_DIR = ROOT / "lambda"
BENCH_DIR = ROOT / "benchmarks"
TEMPLATE = ROOT / "template.yaml"

TABLE_NAME = "connection-check-in-bench"

# Passed through from the parent environment: nothing that changes what botocore or the skill do.
_PASS_THROUGH = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "SYSTEMROOT")


@dataclass(frozen=True)
class Target:
    name: str
    module: str
    path: Path
    # Python run after the import, inside the timed region: construction that the module
    # defers (a lazily built client) but that every cold start pays before its first answer.
    finish: str = ""
    # Python run before the import, inside the timed region.
    before: str = ""
    env: dict[str, str] = field(default_factory=dict)

    @property
    def available(self) -> bool:
        return (self.path / (self.module.replace(".", "/") + ".py")).exists()


FLOOR = Target("floor", "baseline_floor", BENCH_DIR)
USUAL = Target("usual", "baseline_usual", BENCH_DIR)
SKILL = Target("skill", "lambda_function", LAMBDA_DIR)
# The same imports followed by one LaunchRequest answered without I/O (first_request.py).
FLOOR_FIRST = Target("floor+first", "baseline_floor", BENCH_DIR,
                     finish="from benchmarks.first_request import floor_first_answer\n"
                            "floor_first_answer(baseline_floor)")
# The skill with its pause of the garbage collector during init undone (lambda_function.py):
# how much of its lead over the baselines that pause accounts for.
SKILL_GC_ON = Target("skill, gc on", "lambda_function", LAMBDA_DIR,
                     before="import gc\ngc.disable = gc.freeze = lambda: None")
# The skill followed by one request's metrics line (issue 16), written by hand as the skill does,
# or through Powertools' Metrics: the library's cold-start cost, measured beside the skill's.
SKILL_EMF = Target("skill, emf by hand", "lambda_function", LAMBDA_DIR,
                   finish="from benchmarks import emf_lines\nemf_lines.hand_written()")
SKILL_POWERTOOLS = Target("skill, powertools", "lambda_function", LAMBDA_DIR,
                          finish="from benchmarks import emf_lines\nemf_lines.powertools()")
SKILL_FIRST = Target("skill+first", "lambda_function", LAMBDA_DIR,
                     finish="from benchmarks.first_request import skill_first_answer\n"
                            "skill_first_answer(lambda_function)")


def lambda_env(pythonpath: list[Path] | None = None, **extra: str) -> dict[str, str]:
    """A clean environment like a Lambda function's, with dummy AWS credentials."""
    env = {k: os.environ[k] for k in _PASS_THROUGH if k in os.environ}
    env.update(
        AWS_DEFAULT_REGION="us-east-1",
        AWS_REGION="us-east-1",
        AWS_ACCESS_KEY_ID="bench",
        AWS_SECRET_ACCESS_KEY="bench",
        AWS_EC2_METADATA_DISABLED="true",
        AWS_CONFIG_FILE=os.devnull,
        AWS_SHARED_CREDENTIALS_FILE=os.devnull,
        TABLE_NAME=TABLE_NAME,
        HOUSEHOLD_SALT="bench-salt",
        LOG_LEVEL="WARNING",
        PYTHONHASHSEED="0",
    )
    if pythonpath:
        env["PYTHONPATH"] = os.pathsep.join(str(p) for p in pythonpath)
    env.update(extra)
    return env

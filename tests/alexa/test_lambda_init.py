"""What importing the Lambda entry point leaves behind: the garbage collector back on, with the
objects built at init frozen out of its way (lambda_function.py explains why)."""
from __future__ import annotations

import json
import subprocess
import sys

from benchmarks.targets import LAMBDA_DIR, ROOT, lambda_env

_PROBE = """
import gc, json
import lambda_function
frozen = gc.get_freeze_count()
class Node:
    pass
a, b = Node(), Node()
a.other, b.other = b, a
del a, b
print(json.dumps({"enabled": gc.isenabled(), "frozen": frozen, "collected": gc.collect(),
                  "handler": callable(lambda_function.lambda_handler)}))
"""


def test_init_leaves_the_collector_on_and_its_objects_frozen():
    done = subprocess.run([sys.executable, "-c", _PROBE], cwd=LAMBDA_DIR,
                          env=lambda_env([LAMBDA_DIR, ROOT]), capture_output=True, text=True,
                          timeout=120, check=True)
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert found["enabled"] is True and found["handler"] is True
    assert found["frozen"] > 10_000  # modules, classes and the client's models
    assert found["collected"] >= 2  # garbage made after init is still collected

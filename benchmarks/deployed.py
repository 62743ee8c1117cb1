"""The skill as Lambda runs it from its package: what bytecode in the package is worth.

Lambda unpacks the package into a read-only /var/task, so Python can neither use stale
bytecode nor write fresh bytecode there. This builds two copies of the package for this
machine's Python: the runtime dependencies (`pip install --no-compile -t`, less what the
Lambda runtime provides, which comes from the venv here as it would from the runtime there)
and lambda/ without its bytecode caches, with every file dated 1980-01-01 as SAM's zip leaves
them. "plain" is the package as `sam build` leaves it; "bytecode" is the same after
devtools/bytecode.py (`make package`). Both are imported with PYTHONDONTWRITEBYTECODE=1.
"""
from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from benchmarks.package import RUNTIME_PROVIDED, _normalise
from benchmarks.targets import LAMBDA_DIR, ROOT, Target
from devtools.bytecode import compile_package

CACHE = ROOT / ".cache" / "bench-deployed"
SAM_ZIP_TIME = 315532800  # 1980-01-01T00:00:00Z: zip entries without a timestamp
READ_ONLY = {"PYTHONDONTWRITEBYTECODE": "1"}


def _bundled_requirements(requirements: Path) -> str:
    """requirements.txt without the distributions the Lambda runtime provides."""
    provided = {_normalise(name) for name in RUNTIME_PROVIDED}
    kept = []
    for line in requirements.read_text().splitlines():
        name = re.split(r"[=<>!~;\[ ]", line.strip(), maxsplit=1)[0]
        if name and not line.lstrip().startswith("#") and _normalise(name) not in provided:
            kept.append(line.strip())
    return "\n".join(kept) + "\n"


def _dependencies(requirements: Path) -> Path:
    wanted = _bundled_requirements(requirements)
    key = hashlib.sha256((wanted + sys.version).encode()).hexdigest()[:16]
    target = CACHE / f"deps-{key}"
    if (target / ".complete").exists():
        return target
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    listed = target / ".requirements.txt"
    listed.write_text(wanted)
    subprocess.run([sys.executable, "-m", "pip", "install", "--disable-pip-version-check", "-q",
                    "--no-compile", "--no-deps", "-t", str(target), "-r", str(listed)],
                   check=True, capture_output=True, text=True, timeout=600)
    (target / ".complete").write_text("")
    return target


def _as_unzipped(root: Path) -> None:
    for path in root.rglob("*"):
        os.utime(path, (SAM_ZIP_TIME, SAM_ZIP_TIME), follow_symlinks=False)


def build(requirements: Path | None = None) -> tuple[Target, Target]:
    """(plain, bytecode): the two packages, as cold-init targets."""
    deps = _dependencies(requirements or ROOT / "requirements.txt")
    targets = []
    for name in ("plain", "bytecode"):
        package = CACHE / name
        shutil.rmtree(package, ignore_errors=True)
        shutil.copytree(deps, package, ignore=shutil.ignore_patterns(".complete", ".req*"))
        shutil.copytree(LAMBDA_DIR, package, dirs_exist_ok=True,
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        _as_unzipped(package)
        if name == "bytecode":
            compile_package(package)
        targets.append(Target(f"deployed, {name}", "lambda_function", package, env=READ_ONLY))
    return targets[0], targets[1]

"""devtools/bytecode.py: bytecode that still works after SAM's zip, in a read-only task root."""
from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from benchmarks.targets import LAMBDA_DIR, ROOT, lambda_env
from devtools import bytecode

_TAG = "{}{}".format(*sys.version_info[:2])
_PROBE = "import lambda_function"


def _deployed(source: Path, tmp_path: Path, name: str) -> Path:
    """`source` zipped as SAM zips (entries with no timestamp, so 1980) and unpacked again."""
    archive = tmp_path / f"{name}.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as out:
        for path in sorted(source.rglob("*")):
            if path.is_file():
                out.writestr(zipfile.ZipInfo(path.relative_to(source).as_posix()),
                             path.read_bytes())
    unpacked = tmp_path / name
    with zipfile.ZipFile(archive) as packed:
        packed.extractall(unpacked)
    return unpacked


def _import_verbosely(task_root: Path) -> str:
    """Import the handler as Lambda would: from a task root where nothing can be written."""
    env = lambda_env([task_root, ROOT], PYTHONDONTWRITEBYTECODE="1")
    done = subprocess.run([sys.executable, "-v", "-c", _PROBE], cwd=task_root, env=env,
                          capture_output=True, text=True, timeout=120, check=True)
    return done.stderr


def _build(tmp_path: Path, name: str) -> Path:
    built = tmp_path / f"{name}-build"
    shutil.copytree(LAMBDA_DIR, built, ignore=shutil.ignore_patterns("__pycache__"))
    return built


def test_the_runtime_comes_from_the_template():
    assert bytecode.runtime_version() == "3.13"


def test_hash_checked_bytecode_is_used_after_the_zip(tmp_path):
    built = _build(tmp_path, "checked")
    # as if the build had copied the source tree's own, ordinary bytecode
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(built)], check=True)
    assert bytecode.compile_package(built) > 30
    task_root = _deployed(built, tmp_path, "checked")

    log = _import_verbosely(task_root)

    assert f"lambda_function.cpython-{_TAG}.pyc matches {task_root}/lambda_function.py" in log
    assert "# bytecode is stale for 'checkin" not in log
    assert "# bytecode is stale for 'lambda_function'" not in log


def test_ordinary_bytecode_arrives_stale(tmp_path):
    built = _build(tmp_path, "plain")
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(built)], check=True)
    task_root = _deployed(built, tmp_path, "plain")

    log = _import_verbosely(task_root)

    assert "# bytecode is stale for 'lambda_function'" in log
    assert "# bytecode is stale for 'checkin.alexa.skill'" in log


def test_it_refuses_another_python(tmp_path):
    template = tmp_path / "template.yaml"
    template.write_text("      Runtime: python3.99\n")
    assert bytecode.main([str(tmp_path), "--template", str(template)]) == 2

"""Deployment package size: the zip Lambda would receive, less what the runtime already has.

The runtime dependencies in requirements.txt are installed with `pip install -t` for the
template's runtime and architecture (python3.13 on arm64 gives `--python-version 3.13
--platform manylinux2014_aarch64`), as `sam build` would. The distributions the Lambda Python
runtime provides (boto3, botocore, s3transfer, jmespath, urllib3, python-dateutil, six) are then
removed by their RECORD files, and the rest is zipped with lambda/ (bytecode caches left out),
with the default deflate level, once as sources and once with the hash-checked bytecode that
`make package` adds. That bytecode is compiled here by this machine's Python, not the
runtime's; the two differ little in size. The install is cached under .cache/ by a hash of
its inputs.
"""
from __future__ import annotations

import hashlib
import io
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from benchmarks.targets import LAMBDA_DIR, ROOT, TEMPLATE
from devtools.bytecode import compile_package

RUNTIME_PROVIDED = ("boto3", "botocore", "s3transfer", "jmespath", "urllib3",
                    "python-dateutil", "six")
LIMIT_BYTES = 5 * 1024 * 1024
CACHE = ROOT / ".cache" / "bench-package"


def runtime_and_arch(template: Path = TEMPLATE) -> tuple[str, str]:
    """(python version, architecture) of the skill's function; defaults if no template."""
    text = template.read_text() if template.exists() else ""
    runtime = re.search(r"Runtime:\s*python(3\.\d+)", text)
    arch = re.search(r"Architectures:\s*\[?\s*-?\s*(arm64|x86_64)", text)
    return (runtime.group(1) if runtime else "3.13", arch.group(1) if arch else "arm64")


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def install_deps(requirements: Path, python_version: str, arch: str) -> Path:
    platform = "manylinux2014_aarch64" if arch == "arm64" else "manylinux2014_x86_64"
    args = ["--python-version", python_version, "--platform", platform,
            "--implementation", "cp", "--only-binary=:all:"]
    key = hashlib.sha256(requirements.read_bytes() + " ".join(args).encode()).hexdigest()[:16]
    target = CACHE / key
    if (target / ".complete").exists():
        return target
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    subprocess.run([sys.executable, "-m", "pip", "install", "--disable-pip-version-check",
                    "-q", "--no-compile", "-t", str(target), "-r", str(requirements), *args],
                   check=True, capture_output=True, text=True, timeout=600)
    (target / ".complete").write_text("")
    return target


def _distributions(site: Path) -> dict[str, list[Path]]:
    """Each installed distribution's files, from its RECORD."""
    dists = {}
    for info in site.glob("*.dist-info"):
        name = _normalise(info.name[: -len(".dist-info")].rsplit("-", 1)[0])
        files = []
        record = info / "RECORD"
        if record.exists():
            for line in record.read_text().splitlines():
                rel = line.split(",")[0]
                if rel:
                    files.append((site / rel).resolve())
        dists[name] = files
    return dists


def _zip_size(files: list[tuple[Path, str]]) -> int:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, arcname in files:
            archive.write(path, arcname)
    return buffer.tell()


def _code_files(root: Path) -> list[tuple[Path, str]]:
    return [(p, p.relative_to(root).as_posix()) for p in sorted(root.rglob("*"))
            if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"]


def _with_bytecode_size(files: list[tuple[Path, str]]) -> int:
    """The zip as `make package` leaves it: every module with hash-checked bytecode."""
    with tempfile.TemporaryDirectory(prefix="bench-package-") as scratch:
        root = Path(scratch)
        for path, arcname in files:
            (root / arcname).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, root / arcname)
        compile_package(root)
        return _zip_size([(p, p.relative_to(root).as_posix())
                          for p in sorted(root.rglob("*")) if p.is_file()])


def measure(requirements: Path | None = None, with_dependencies: bool = True) -> dict:
    """The package's size; without dependencies (quick runs), only lambda/ is zipped."""
    requirements = requirements or (ROOT / "requirements.txt")
    python_version, arch = runtime_and_arch()
    if not with_dependencies:
        code_zip = _zip_size(_code_files(LAMBDA_DIR))
        return {"runtime": f"python{python_version}", "architecture": arch,
                "zip_bytes": code_zip, "zip_mb": code_zip / 1024 / 1024,
                "code_zip_bytes": code_zip, "limit_bytes": LIMIT_BYTES,
                "within_limit": None, "dependencies": "skipped (quick run)"}
    site = install_deps(requirements, python_version, arch)
    dists = _distributions(site)
    excluded = {_normalise(n) for n in RUNTIME_PROVIDED}
    dropped = {f for name, files in dists.items() if name in excluded for f in files}
    dep_files = [(p, p.relative_to(site).as_posix()) for p in sorted(site.rglob("*"))
                 if p.is_file() and p.name != ".complete" and p.resolve() not in dropped
                 and "__pycache__" not in p.parts]
    code = _code_files(LAMBDA_DIR)
    per_dist = {}
    for name, files in dists.items():
        if name in excluded:
            continue
        kept = [(p, p.relative_to(site).as_posix()) for p in files if p.is_file()]
        per_dist[name] = _zip_size(kept)
    sources = _zip_size(code + dep_files)
    zipped = _with_bytecode_size(code + dep_files)
    return {
        "runtime": f"python{python_version}",
        "architecture": arch,
        "zip_bytes": zipped,
        "zip_mb": zipped / 1024 / 1024,
        "bytecode": f"compiled by this machine's Python {sys.version_info[0]}.{sys.version_info[1]}"
                    f" (make package compiles with python{python_version})",
        "sources_zip_bytes": sources,
        "sources_zip_mb": sources / 1024 / 1024,
        "unzipped_bytes": sum(p.stat().st_size for p, _ in code + dep_files),
        "code_zip_bytes": _zip_size(code),
        "limit_bytes": LIMIT_BYTES,
        "within_limit": zipped <= LIMIT_BYTES,
        "excluded_runtime_provided": sorted(n for n in dists if n in excluded),
        "bundled_zip_bytes": dict(sorted(per_dist.items(), key=lambda kv: -kv[1])),
    }


if __name__ == "__main__":
    import json

    print(json.dumps(measure(), indent=1))

"""Compile a built Lambda package to bytecode that Lambda will actually use.

    python3.13 devtools/bytecode.py .aws-sam/build/SkillFunction     (what `make package` runs)

`/var/task` is read-only, so Python cannot cache what it compiles there: every cold start
compiles every module it imports from the package (ask-sdk's models are most of them), unless
the package already holds bytecode that stays valid. Ordinary `.pyc` files are checked against
their source's modification time, and SAM zips the package without timestamps, so such files
arrive stale. Hash-checked `.pyc` files (PEP 552) are checked against the source's hash instead:
they survive the zip, and a source edited later (in the Lambda console, say) is still
recompiled rather than ignored. They must be compiled by the runtime's own Python version.

Standard library only, so it runs on the runtime's Python without the project's venv.
"""
from __future__ import annotations

import argparse
import compileall
import py_compile
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "template.yaml"


def runtime_version(template: Path = TEMPLATE) -> str:
    """The template's Python runtime, as "3.13"."""
    found = re.search(r"^\s*Runtime:\s*python(3\.\d+)\s*$", template.read_text(), re.MULTILINE)
    if not found:
        raise SystemExit(f"no Python runtime in {template.name}")
    return found.group(1)


def compile_package(package: Path) -> int:
    """Write hash-checked bytecode beside every module in `package`; the number of modules."""
    # force: a build may carry ordinary .pyc files copied from the source tree, which
    # compileall would otherwise keep because their timestamps still match.
    ok = compileall.compile_dir(
        package, quiet=1, workers=0, force=True,
        invalidation_mode=py_compile.PycInvalidationMode.CHECKED_HASH)
    if not ok:
        raise SystemExit(f"some modules in {package} did not compile")
    return sum(1 for _ in package.rglob("*.py"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("package", type=Path, help="the built function's directory")
    parser.add_argument("--template", type=Path, default=TEMPLATE)
    args = parser.parse_args(argv)
    wanted, running = runtime_version(args.template), "{}.{}".format(*sys.version_info[:2])
    if running != wanted:
        print(f"bytecode must be compiled by the runtime's Python: run this with python{wanted}"
              f" (this is {running})", file=sys.stderr)
        return 2
    if not args.package.is_dir():
        print(f"{args.package} is not a directory: run sam build first", file=sys.stderr)
        return 2
    count = compile_package(args.package)
    print(f"compiled {count} modules in {args.package} for python{wanted} (hash-checked)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

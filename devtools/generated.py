"""Committed files generated from a source of truth: `main` writes one, or checks it is current.

    python -m devtools.<tool>           # write the file
    python -m devtools.<tool> --check   # exit 1 if the committed file differs from a fresh one
"""
from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path


def main(argv: list[str] | None, description: str, path: Path, render: Callable[[], str],
         stale: str) -> int:
    """Write `render()` to `path`; with --check, print `stale` and return 1 if they differ."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--check", action="store_true", help=f"fail if {path.name} is stale")
    args = parser.parse_args(argv)
    if args.check:
        if not path.exists() or path.read_text(encoding="utf-8") != render():
            print(stale, file=sys.stderr)
            return 1
        return 0
    path.write_text(render(), encoding="utf-8")
    return 0

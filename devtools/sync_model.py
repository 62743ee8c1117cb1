"""Write the skill package's copies of the interaction models.

The hand-edited model for each locale lives in ``interaction_models/<locale>.json``. The ASK CLI
wants the same file at ``skill-package/interactionModels/custom/<locale>.json``; that copy is
generated here and never edited by hand.

    python -m devtools.sync_model           # write every copy
    python -m devtools.sync_model --check   # exit 1 if any copy is missing, stale or orphaned
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
SOURCE_DIR = Path("interaction_models")
COPY_DIR = Path("skill-package") / "interactionModels" / "custom"


@dataclass(frozen=True)
class Drift:
    path: Path
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


def render(model: object) -> str:
    """The exact text of a generated copy: stable key order as written, 2-space indent."""
    return json.dumps(model, indent=2, ensure_ascii=False) + "\n"


def expected_copies(root: Path = REPO_ROOT) -> dict[Path, str]:
    """Map each copy's path (relative to root) to the text it must contain."""
    sources = sorted((root / SOURCE_DIR).glob("*.json"))
    copies: dict[Path, str] = {}
    for source in sources:
        with source.open(encoding="utf-8") as handle:
            model = json.load(handle)
        copies[COPY_DIR / source.name] = render(model)
    return copies


def find_drift(root: Path = REPO_ROOT) -> list[Drift]:
    """Every way the skill package differs from what the sources say it should be."""
    expected = expected_copies(root)
    drift: list[Drift] = []
    for relative, text in expected.items():
        target = root / relative
        if not target.exists():
            drift.append(Drift(relative, "missing"))
        elif target.read_text(encoding="utf-8") != text:
            drift.append(Drift(relative, "differs from its source in interaction_models/"))
    copy_dir = root / COPY_DIR
    if copy_dir.is_dir():
        for existing in sorted(copy_dir.glob("*.json")):
            relative = existing.relative_to(root)
            if relative not in expected:
                drift.append(Drift(relative, "has no source in interaction_models/"))
    return drift


def sync(root: Path = REPO_ROOT) -> list[Path]:
    """Write the copies that need it and remove orphans; return the paths touched."""
    expected = expected_copies(root)
    touched: list[Path] = []
    for item in find_drift(root):
        target = root / item.path
        if item.path in expected:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(expected[item.path], encoding="utf-8")
        else:
            target.unlink()
        touched.append(item.path)
    return touched


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check", action="store_true", help="report drift and exit 1 instead of writing"
    )
    parser.add_argument("--root", type=Path, default=REPO_ROOT, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if not (args.root / SOURCE_DIR).is_dir():
        print(f"no {SOURCE_DIR}/ under {args.root}", file=sys.stderr)
        return 2

    if args.check:
        drift = find_drift(args.root)
        for item in drift:
            print(f"drift: {item}", file=sys.stderr)
        if drift:
            print("run: python -m devtools.sync_model", file=sys.stderr)
            return 1
        print("interaction model copies are in sync")
        return 0

    touched = sync(args.root)
    for path in touched:
        print(f"wrote {path}")
    if not touched:
        print("interaction model copies already in sync")
    return 0


if __name__ == "__main__":
    sys.exit(main())

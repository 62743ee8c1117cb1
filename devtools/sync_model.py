"""Write the skill package's interaction model for every locale, from one source per language.

The hand-edited sources live in ``interaction_models/``:

* ``<language>.json`` (en.json, es.json, de.json, fr.json): a whole interaction model for the
  language.
* ``<locale>.json`` (en-GB.json, es-ES.json): only how that locale differs, as
  ``{"invocationName": ..., "samples": {"<intent>": {"add": [...], "remove": [...]}},
  "types": {"<type>": [<values>]}}``; every key is optional, and keys starting with "_" are
  notes. A locale whose file is ``{}`` speaks its language's model as it is.

A sample may be written compactly: ``[ya] (terminé|acabé)`` stands for "ya terminé",
"ya acabé", "terminé" and "acabé". The generated models hold every sample spelled out.

The ASK CLI reads ``skill-package/interactionModels/custom/<locale>.json``; those files are
generated here and never edited by hand.

    python -m devtools.sync_model           # write every locale's model
    python -m devtools.sync_model --check   # exit 1 if any is missing, stale or orphaned
"""

from __future__ import annotations

import argparse
import copy
import itertools
import json
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
SOURCE_DIR = Path("interaction_models")
COPY_DIR = Path("skill-package") / "interactionModels" / "custom"
LOCALE_FILE = re.compile(r"^([a-z]{2})-[A-Z]{2}$")
_GROUP = re.compile(r"\(([^()]*)\)|\[([^\[\]]*)\]")


@dataclass(frozen=True)
class Drift:
    path: Path
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


def render(model: object) -> str:
    """The exact text of a generated model: stable key order as written, 2-space indent."""
    return json.dumps(model, indent=2, ensure_ascii=False) + "\n"


def expand(sample: str) -> list[str]:
    """'[ya] (terminé|acabé)' -> ['ya terminé', 'ya acabé', 'terminé', 'acabé']."""
    pieces: list[list[str]] = []
    position = 0
    for group in _GROUP.finditer(sample):
        pieces.append([sample[position:group.start()]])
        if group.group(1) is not None:
            pieces.append(group.group(1).split("|"))
        else:
            pieces.append([group.group(2), ""])
        position = group.end()
    pieces.append([sample[position:]])
    out = []
    for choice in itertools.product(*pieces):
        text = " ".join("".join(choice).split())
        if text and text not in out:
            out.append(text)
    return out


def _expanded(samples: list[str]) -> list[str]:
    out: list[str] = []
    for sample in samples:
        out.extend(s for s in expand(sample) if s not in out)
    return out


def _read(path: Path) -> dict:
    with path.open(encoding="utf-8") as handle:
        return json.load(handle)


def source_locales(root: Path = REPO_ROOT) -> list[str]:
    """Every locale that has a file of its own in interaction_models/."""
    return sorted(p.stem for p in (root / SOURCE_DIR).glob("*.json") if LOCALE_FILE.match(p.stem))


def model_for(locale: str, root: Path = REPO_ROOT) -> dict:
    """The whole interaction model of `locale`: its language's source with its own changes."""
    language = LOCALE_FILE.match(locale).group(1)  # type: ignore[union-attr]
    model = copy.deepcopy(_read(root / SOURCE_DIR / f"{language}.json"))
    changes = _read(root / SOURCE_DIR / f"{locale}.json")
    unknown = {k for k in changes if not k.startswith("_")} - {"invocationName", "samples", "types"}
    if unknown:
        raise ValueError(f"{locale}.json: unknown keys {sorted(unknown)}")
    language_model = model["interactionModel"]["languageModel"]
    if "invocationName" in changes:
        language_model["invocationName"] = changes["invocationName"]
    intents = {intent["name"]: intent for intent in language_model["intents"]}
    for name, change in changes.get("samples", {}).items():
        if name not in intents:
            raise ValueError(f"{locale}.json: no intent {name} in {language}.json")
        removed = set(_expanded(change.get("remove", [])))
        samples = [s for s in _expanded(intents[name].get("samples", [])) if s not in removed]
        samples += [s for s in _expanded(change.get("add", [])) if s not in samples]
        intents[name]["samples"] = samples
    for intent in language_model["intents"]:
        if "samples" in intent:
            intent["samples"] = _expanded(intent["samples"])
    for type_name, values in changes.get("types", {}).items():
        for slot_type in language_model.get("types", []):
            if slot_type["name"] == type_name:
                slot_type["values"] = values
                break
        else:
            raise ValueError(f"{locale}.json: no slot type {type_name} in {language}.json")
    return model


def expected_copies(root: Path = REPO_ROOT) -> dict[Path, str]:
    """Map each generated model's path (relative to root) to the text it must contain."""
    return {COPY_DIR / f"{locale}.json": render(model_for(locale, root))
            for locale in source_locales(root)}


def find_drift(root: Path = REPO_ROOT) -> list[Drift]:
    """Every way the skill package differs from what the sources say it should be."""
    expected = expected_copies(root)
    drift: list[Drift] = []
    for relative, text in expected.items():
        target = root / relative
        if not target.exists():
            drift.append(Drift(relative, "missing"))
        elif target.read_text(encoding="utf-8") != text:
            drift.append(Drift(relative, "differs from its sources in interaction_models/"))
    copy_dir = root / COPY_DIR
    if copy_dir.is_dir():
        for existing in sorted(copy_dir.glob("*.json")):
            relative = existing.relative_to(root)
            if relative not in expected:
                drift.append(Drift(relative, "has no source in interaction_models/"))
    return drift


def sync(root: Path = REPO_ROOT) -> list[Path]:
    """Write the models that need it and remove orphans; return the paths touched."""
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

    return check_or_write(args.check, lambda: find_drift(args.root), lambda: sync(args.root),
                          "interaction models", "python -m devtools.sync_model")


def check_or_write(check: bool, drift_of: Callable[[], list[str]],
                   write: Callable[[], list[Path]], what: str, fix: str) -> int:
    """A generated-files command: with `check`, report drift (exit 1); else write what changed."""
    if check:
        drift = drift_of()
        for item in drift:
            print(f"drift: {item}", file=sys.stderr)
        if drift:
            print(f"run: {fix}", file=sys.stderr)
            return 1
        print(f"{what} are in sync")
        return 0
    touched = write()
    for path in touched:
        print(f"wrote {path}")
    if not touched:
        print(f"{what} already in sync")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The skill's APL documents as saved in the skill package, and the links that name them.

The source of every document is ``lambda/checkin/alexa/apl_documents.py``. This writes each one
to ``skill-package/response/display/<name>/document.json``, where the ASK CLI uploads it with
the skill; a RenderDocument then sends ``{"type": "Link", "src": "doc://alexa/apl/documents/<name>"}``
instead of the document. The saved files are generated here and never edited by hand.

    python -m devtools.apl_package           # write every document (make apl)
    python -m devtools.apl_package --check   # exit 1 if one is missing, stale or orphaned

The console and the tests read the saved documents back through a response's links
(`link_problems`, `inlined`), as Alexa would, so a link to a document the package lacks fails
there rather than on a device.
"""
from __future__ import annotations

import argparse
import copy
import json
import sys
from dataclasses import dataclass
from pathlib import Path

from devtools.sync_model import check_or_write

REPO_ROOT = Path(__file__).resolve().parent.parent
DISPLAY_DIR = Path("skill-package") / "response" / "display"
DOCUMENT_FILE = "document.json"
# The same prefix as checkin.alexa.apl_documents.LINK_PREFIX (a test holds them equal); kept
# here too so that reading a response needs nothing from the skill's code.
LINK_PREFIX = "doc://alexa/apl/documents/"
RENDER_DOCUMENT = "Alexa.Presentation.APL.RenderDocument"


@dataclass(frozen=True)
class Drift:
    path: Path
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


def render(document: dict) -> str:
    """The exact text of a saved document: keys in the order built, 2-space indent."""
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def built_documents() -> dict[str, dict]:
    """Every document the skill can link to, by name, as its source builds it."""
    from checkin.alexa.apl_documents import KINDS, document

    return {kind: document(kind) for kind in KINDS}


def expected_files(documents: dict[str, dict] | None = None) -> dict[Path, str]:
    """Map each saved document's path (relative to the repository) to the text it must hold."""
    documents = built_documents() if documents is None else documents
    return {DISPLAY_DIR / name / DOCUMENT_FILE: render(doc) for name, doc in documents.items()}


def find_drift(root: Path = REPO_ROOT, documents: dict[str, dict] | None = None) -> list[Drift]:
    """Every way the skill package's documents differ from what their source builds."""
    expected = expected_files(documents)
    drift: list[Drift] = []
    for relative, text in expected.items():
        target = root / relative
        if not target.exists():
            drift.append(Drift(relative, "missing"))
        elif target.read_text(encoding="utf-8") != text:
            drift.append(Drift(relative, "differs from checkin/alexa/apl_documents.py"))
    display = root / DISPLAY_DIR
    if display.is_dir():
        for existing in sorted(display.glob(f"*/{DOCUMENT_FILE}")):
            relative = existing.relative_to(root)
            if relative not in expected:
                drift.append(Drift(relative, "is built by nothing in apl_documents.py"))
    return drift


def sync(root: Path = REPO_ROOT, documents: dict[str, dict] | None = None) -> list[Path]:
    """Write the documents that need it and remove orphans; return the paths touched."""
    expected = expected_files(documents)
    touched: list[Path] = []
    for item in find_drift(root, documents):
        target = root / item.path
        if item.path in expected:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(expected[item.path], encoding="utf-8")
        else:
            target.unlink()
            if not any(target.parent.iterdir()):
                target.parent.rmdir()
        touched.append(item.path)
    return touched


# --- reading responses: what a link names, as Alexa would resolve it -------------------------


def linked_name(document: object) -> str | None:
    """The saved document a RenderDocument's `document` links to; None if it is no such link."""
    if not isinstance(document, dict) or document.get("type") != "Link":
        return None
    src = document.get("src")
    if not isinstance(src, str) or not src.startswith(LINK_PREFIX):
        return None
    name = src[len(LINK_PREFIX):]
    return name if name and "/" not in name else None


def _saved_text(name: str, root: Path) -> str | None:
    path = root / DISPLAY_DIR / name / DOCUMENT_FILE
    return path.read_text(encoding="utf-8") if path.is_file() else None


def saved_document(name: str, root: Path = REPO_ROOT) -> dict | None:
    """The document saved in the skill package under `name` (a fresh copy), or None."""
    text = _saved_text(name, root)
    return json.loads(text) if text is not None else None


def render_documents(response: dict) -> list[dict]:
    body = response.get("response") if isinstance(response, dict) else None
    directives = (body or {}).get("directives") or []
    return [d for d in directives if isinstance(d, dict) and d.get("type") == RENDER_DOCUMENT]


def link_problems(response: dict, root: Path = REPO_ROOT) -> list[str]:
    """Every RenderDocument whose document is neither whole nor a link to a saved document."""
    found = []
    for directive in render_documents(response):
        document = directive.get("document")
        if isinstance(document, dict) and document.get("type") == "APL":
            continue
        name = linked_name(document)
        if name is None:
            found.append(f"a RenderDocument links to {document!r}, not to {LINK_PREFIX}<name>")
        elif _saved_text(name, root) is None:
            found.append(f"a RenderDocument links to {name!r}, which the skill package lacks "
                         f"({DISPLAY_DIR / name / DOCUMENT_FILE}; make apl)")
    return found


def inlined(response: dict, root: Path = REPO_ROOT) -> dict:
    """`response` with each linked document in place of its link: as it would travel inline."""
    whole = copy.deepcopy(response)
    for directive in render_documents(whole):
        name = linked_name(directive.get("document"))
        saved = saved_document(name, root) if name is not None else None
        if saved is not None:
            directive["document"] = saved
    return whole


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check", action="store_true", help="report drift and exit 1 instead of writing"
    )
    parser.add_argument("--root", type=Path, default=REPO_ROOT, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    return check_or_write(args.check, lambda: find_drift(args.root), lambda: sync(args.root),
                          "APL documents", "make apl (python -m devtools.apl_package)")


if __name__ == "__main__":
    sys.exit(main())

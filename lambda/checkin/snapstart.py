"""Lambda SnapStart runtime hooks: what must be redone when one snapshot becomes many containers.

With SnapStart (template.yaml, parameter SnapStart=Enabled) Lambda runs the module's import
once when a version is published, snapshots the memory, and resumes every new container from
that snapshot. Two things in this process must not be shared between resumed copies:

* Open connections. A socket kept by the DynamoDB client's connection pool would be resumed in
  many containers at once and long after its peer forgot it. The pool is emptied before the
  snapshot and again after each restore; botocore opens fresh connections on the next call.
* The `random` module's state, which would otherwise produce the same sequence (botocore's retry
  jitter among others) in every container. It is reseeded from the OS after each restore.
  `uuid.uuid4` and `secrets` read the OS and need nothing.

Credentials need nothing here: with SnapStart, Lambda hands botocore refreshable container
credentials rather than environment variables.

Call `register_hooks(client)` once at import, after the client is built; it does nothing (and
imports nothing) unless Lambda is initialising for a snapshot, so tests and on-demand cold
starts pay nothing for it.
"""
from __future__ import annotations

import os
import random
from collections.abc import Mapping
from typing import Any

from checkin.config import INITIALIZATION_TYPE

SNAP_START = "snap-start"


def register_hooks(client: Any, environ: Mapping[str, str] | None = None) -> bool:
    """Register the before-snapshot and after-restore hooks for `client`.

    Returns True if they were registered: only while Lambda initialises a SnapStart version,
    where the runtime provides `snapshot_restore_py`.
    """
    environ = os.environ if environ is None else environ
    if environ.get(INITIALIZATION_TYPE) != SNAP_START:
        return False
    try:
        from snapshot_restore_py import register_after_restore, register_before_snapshot
    except ImportError:  # an older runtime without the library: nothing can be registered
        return False
    register_before_snapshot(before_snapshot, client)
    register_after_restore(after_restore, client)
    return True


def before_snapshot(client: Any) -> None:
    """Leave no connection in the snapshot."""
    client.close()


def after_restore(client: Any) -> None:
    """A fresh random sequence and a fresh connection pool for this container."""
    random.seed()
    client.close()

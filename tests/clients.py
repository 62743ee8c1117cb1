"""DynamoDB clients for test setup.

The skill's own 1 s timeouts are for Lambda; on a busy CI machine a local server can take
longer, and a test that is not about timeouts must not fail for it. Fault and latency tests
build clients with the production configuration themselves.
"""
from __future__ import annotations

from botocore.config import Config

PATIENT = Config(connect_timeout=5, read_timeout=10)

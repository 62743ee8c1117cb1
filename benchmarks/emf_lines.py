"""One typical request's metrics as one EMF line, written by each candidate that
`metrics_cost.py` compares: the skill's own `checkin.metrics`, and Powertools' `Metrics`.

The request: its duration (with and without the stage), the store's duration, and a ritual
started, by mode and by locale. Nothing is written anywhere: only the library's work counts.
This module imports nothing itself, so that importing it costs a cold start next to nothing.
"""
from __future__ import annotations

from typing import Any

NAMESPACE = "ConnectionCheckIn"
AT_MS = 1_800_000_000_000  # the request's own timestamp


def hand_written(module: Any = None) -> str:
    """The line as the skill writes it (`module`: a fresh copy of checkin.metrics, or None)."""
    from checkin import logs

    if module is None:
        from checkin import metrics as module
    request, token = module.begin(AT_MS / 1000)
    try:
        module.count("RitualsStarted", Mode="home", Locale="en-US")
        module.store_time(0.0042)
        request.stage = "consent"
        fields, emf = module.request_line(request, 12.5)
    finally:
        module.end(token)
    text = logs._encoder.encode({"log": "request", **fields, **emf.fields})
    return f'{text[:-1]},"_aws":{emf.aws}}}'


def powertools_metrics() -> Any:
    from aws_lambda_powertools.metrics import Metrics

    return Metrics(namespace=NAMESPACE)


def powertools(metrics: Any = None) -> str:
    """The same figures through Powertools (built here, on a cold start, when not given)."""
    import json

    from aws_lambda_powertools.metrics import MetricUnit

    metrics = metrics or powertools_metrics()
    metrics.set_timestamp(AT_MS)
    metrics.add_metric(name="RequestDuration", unit=MetricUnit.Milliseconds, value=12.5)
    metrics.add_metric(name="StoreDuration", unit=MetricUnit.Milliseconds, value=4.2)
    metrics.add_metric(name="RitualsStarted", unit=MetricUnit.Count, value=1)
    metrics.add_dimensions(Stage="consent")
    metrics.add_dimensions(Mode="home")
    metrics.add_dimensions(Locale="en-US")
    line = json.dumps({"log": "request", **metrics.serialize_metric_set()},
                      separators=(",", ":"))
    metrics.clear_metrics()
    return line

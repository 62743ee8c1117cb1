"""The alarms and dashboard of template.yaml against the metrics the skill writes and the runbook.

cfn-lint (in make test) proves the template is valid CloudFormation; these tests prove that it
watches what the skill actually emits: every custom metric an alarm or a dashboard widget reads
is declared in checkin.metrics with those dimensions and in the namespace the function is given,
every alarm notifies the topic and has a section in docs/operations.md, and the function still
gets no permission beyond its DynamoDB calls.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from checkin import metrics
from checkin.config import METRICS_NAMESPACE
from devtools.table import load_template

ROOT = Path(__file__).resolve().parents[2]
RUNBOOK = ROOT / "docs" / "operations.md"
NAMESPACE = "ConnectionCheckIn/${AWS::StackName}"
STACK = "checkin-stack"


@pytest.fixture(scope="module")
def resources() -> dict:
    return load_template()["Resources"]


def _of_type(resources: dict, kind: str) -> dict:
    return {name: r for name, r in resources.items() if r["Type"] == kind}


def _sub(value) -> str:
    assert isinstance(value, dict) and set(value) == {"Fn::Sub"}, value
    return value["Fn::Sub"]


def _declared(name: str, dimensions: tuple[str, ...]) -> bool:
    return name in metrics.METRICS and tuple(sorted(dimensions)) in {
        tuple(sorted(s)) for s in metrics.METRICS[name][1]}


def _runbook_anchors() -> set[str]:
    text = RUNBOOK.read_text(encoding="utf-8")
    return {re.sub(r"[^a-z0-9 -]", "", h.lower()).replace(" ", "-")
            for h in re.findall(r"^#{2,3} (.+)$", text, re.MULTILINE)}


def test_the_function_is_given_the_namespace_the_alarms_read(resources):
    function = resources["SkillFunction"]["Properties"]
    assert _sub(function["Environment"]["Variables"][METRICS_NAMESPACE]) == NAMESPACE


def test_every_alarm_notifies_the_topic_and_has_a_runbook_section(resources):
    alarms = _of_type(resources, "AWS::CloudWatch::Alarm")
    assert len(alarms) == 7
    anchors = _runbook_anchors()
    for name, alarm in alarms.items():
        properties = alarm["Properties"]
        assert properties["AlarmActions"] == [{"Ref": "AlarmTopic"}], name
        assert properties["OKActions"] == [{"Ref": "AlarmTopic"}], name
        assert properties["TreatMissingData"] == "notBreaching", name
        [anchor] = re.findall(r"docs/operations\.md#([a-z0-9-]+)", properties["AlarmDescription"])
        assert anchor in anchors, f"{name}: no section #{anchor} in docs/operations.md"


def test_alarms_on_the_skills_own_metrics_read_declared_metrics(resources):
    custom = []
    for name, alarm in _of_type(resources, "AWS::CloudWatch::Alarm").items():
        properties = alarm["Properties"]
        stats = [q["MetricStat"]["Metric"] for q in properties.get("Metrics", [])
                 if "MetricStat" in q]
        if "MetricName" in properties:
            stats.append(properties)
        for metric in stats:
            if isinstance(metric["Namespace"], dict):
                assert _sub(metric["Namespace"]) == NAMESPACE, name
                dimensions = tuple(d["Name"] for d in metric.get("Dimensions", []))
                assert _declared(metric["MetricName"], dimensions), (name, metric)
                custom.append(metric["MetricName"])
    assert sorted(custom) == ["Rituals", "StoreFaults"]


def test_the_fall_in_completions_is_an_anomaly_band_over_hours_counted_as_zero(resources):
    alarm = resources["CompletedRitualsFallAlarm"]["Properties"]
    queries = {q["Id"]: q for q in alarm["Metrics"]}
    assert queries["completed"]["MetricStat"]["Metric"]["Dimensions"] == [
        {"Name": "Outcome", "Value": "completed"}]
    assert queries["completed"]["MetricStat"]["Period"] == 3600
    assert queries["hourly"]["Expression"] == "FILL(completed, 0)"
    assert queries["expected"]["Expression"].startswith("ANOMALY_DETECTION_BAND(hourly,")
    assert alarm["ThresholdMetricId"] == "expected"
    assert alarm["ComparisonOperator"] == "LessThanLowerThreshold"


def test_the_duration_alarm_sits_below_the_functions_timeout(resources):
    timeout_ms = resources["SkillFunction"]["Properties"]["Timeout"] * 1000
    alarm = resources["SlowAnswersAlarm"]["Properties"]
    assert alarm["ExtendedStatistic"] == "p99"
    assert 0.5 * timeout_ms <= alarm["Threshold"] < timeout_ms


def test_the_dynamodb_alarms_cover_every_operation_the_function_may_call(resources):
    granted = {a.removeprefix("dynamodb:") for p in
               resources["SkillFunction"]["Properties"]["Policies"]
               for s in p["Statement"] for a in s["Action"]} | {"TransactWriteItems"}
    for name in ("TableSystemErrorsAlarm", "TableThrottlesAlarm"):
        operations = {d["Value"] for q in resources[name]["Properties"]["Metrics"]
                      if "MetricStat" in q for d in q["MetricStat"]["Metric"]["Dimensions"]
                      if d["Name"] == "Operation"}
        assert operations == granted, name


def _dashboard(resources) -> dict:
    body = _sub(resources["OperationsDashboard"]["Properties"]["DashboardBody"])
    # What CloudFormation substitutes: pseudo parameters and the resources' Ref and Arn.
    body = body.replace("${AWS::StackName}", STACK).replace("${AWS::Region}", "eu-west-1")
    body = re.sub(r"\$\{(\w+)\.Arn\}", r"arn:aws:cloudwatch:eu-west-1:1:alarm:\1", body)
    body = re.sub(r"\$\{(\w+)\}", r"\1", body)
    return json.loads(body)


def test_the_dashboard_is_valid_json_and_shows_every_alarm(resources):
    dashboard = _dashboard(resources)
    [alarm_widget] = [w for w in dashboard["widgets"] if w["type"] == "alarm"]
    shown = {arn.rsplit(":", 1)[-1] for arn in alarm_widget["properties"]["alarms"]}
    assert shown == set(_of_type(resources, "AWS::CloudWatch::Alarm"))
    for widget in dashboard["widgets"]:
        assert {"x", "y", "width", "height"} <= set(widget) and widget["width"] <= 24


def test_the_dashboard_reads_only_metrics_the_skill_writes(resources):
    namespace = f"ConnectionCheckIn/{STACK}"
    seen: set[str] = set()
    for widget in _dashboard(resources)["widgets"]:
        previous: list = []
        for row in widget["properties"].get("metrics", []):
            if isinstance(row[0], dict):  # an expression
                expression = row[0]["expression"]
                for schema, name in re.findall(
                        r'SEARCH\(\'\{([^}]*)\} MetricName="(\w+)"', expression):
                    parts = [p.strip().strip('"') for p in schema.split(",")]
                    if parts[0] == namespace:
                        assert _declared(name, tuple(parts[1:])), (name, parts)
                        seen.add(name)
                continue
            plain = [c for c in row if not isinstance(c, dict)]
            if plain[0] == "...":  # repeats the row above, with a new last value
                plain = previous[:-1] + plain[1:]
            resolved = [p if p != "." else previous[i] for i, p in enumerate(plain)]
            previous = resolved
            if resolved[0] == namespace:
                dimensions = tuple(resolved[2::2])
                assert _declared(resolved[1], dimensions), resolved
                seen.add(resolved[1])
    # rituals per day by outcome, and everything the issue asks to count or time
    assert seen == set(metrics.METRICS)


def test_the_alarm_topic_takes_only_this_accounts_cloudwatch_alarms(resources):
    [policy] = _of_type(resources, "AWS::SNS::TopicPolicy").values()
    [statement] = policy["Properties"]["PolicyDocument"]["Statement"]
    assert statement["Principal"] == {"Service": "cloudwatch.amazonaws.com"}
    assert statement["Action"] == "sns:Publish"
    assert set(statement["Condition"]) == {"ArnLike", "StringEquals"}
    subscription = resources["AlarmEmailSubscription"]
    assert subscription["Condition"] == "HasAlarmEmail"


def test_the_function_gets_no_permission_for_metrics(resources):
    actions = [a for p in resources["SkillFunction"]["Properties"]["Policies"]
               for s in p["Statement"] for a in s["Action"]]
    assert all(a.startswith("dynamodb:") for a in actions)

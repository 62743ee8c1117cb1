"""The whole load run: DynamoDB Local, the skill (in the workers, or the web service under
gunicorn), the households in several processes, the check, the report.

The load is sustained: each of the N households at once is a seat that plays one household's
first evening after another for the timed window (`--seconds`), so N evenings are under way
for the whole window; evenings under way when it ends are played to their close, untimed, and
checked like all others. Throughput is the requests begun within the window over its length;
latency is each such request's own time as the household saw it (the handler call, or the
HTTP round trip), over all of them and over those without an injected store fault (a throttled
call waits for botocore's jittered backoff, up to a second, by design).

The run exits with 1 when the check finds an error, a lost or a duplicated check-in, or
metrics that disagree with the table; the speed targets are reported, not enforced (the
machine is shared).
"""
from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from datetime import UTC, datetime
from pathlib import Path

from benchmarks.stats import percentile
from checkin.store.client import make_dynamodb_client
from devtools.dynamodb_local import DynamoDBLocal, free_port
from devtools.envelopes import DEFAULT_MODEL_PATH
from devtools.table import create_table
from loadtest import check
from loadtest.households import FAULTED, scenario_for

ROOT = Path(__file__).resolve().parent.parent
RESULTS_DIR = ROOT / ".cache" / "load"
SALT = "load-test-salt"
TARGETS = {"households": 200, "requests_per_second": 200.0, "p99_ms": 1000.0}
# About 210 requests a second offered, just above the 200 the target asks for: the latency is
# measured at the target's load, not at the machine's ceiling (`--households 300` offers 250).
HOUSEHOLDS = 250
WARM_UP_HOUSEHOLDS = 80  # about a thousand requests, spread over the workers, untimed
WINDOW_SECONDS = 30.0
PAUSE_SECONDS = 1.2  # mean real time between one household's requests (households.py)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m loadtest", description=__doc__)
    parser.add_argument("--via", choices=("lambda", "http"), default="lambda",
                        help="lambda_handler in the workers, or the web service under gunicorn")
    parser.add_argument("--households", type=int, default=HOUSEHOLDS, help="households at once")
    parser.add_argument("--seconds", type=float, default=WINDOW_SECONDS,
                        help="the timed window (0: each household plays one evening)")
    parser.add_argument("--processes", type=int, default=4, help="worker processes")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1,
                        help="gunicorn workers (--via http)")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker")
    parser.add_argument("--pause", type=float, default=PAUSE_SECONDS,
                        help="mean seconds between one household's requests (0: none)")
    parser.add_argument("--warm-up", type=int, default=WARM_UP_HOUSEHOLDS,
                        help="households played untimed first, to warm DynamoDB Local's JVM")
    parser.add_argument("--out", help="the JSON results (default .cache/load/<via>.json)")
    parser.add_argument("--quiet", action="store_true", help="no table, only the verdict")
    args = parser.parse_args(argv)
    results = run(args.via, args.households, args.processes, args.workers, args.threads,
                  args.warm_up, args.pause, args.seconds)
    out = Path(args.out) if args.out else RESULTS_DIR / f"{args.via}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=1) + "\n")
    if not args.quiet:
        print(table(results))
        print(f"\nwrote {os.path.relpath(out, Path.cwd())}")
    print("load check: " + ("PASSED" if results["passed"] else "FAILED"))
    for problem in results["check"]["problems"][:20] + results["errors"][:20]:
        print(f"  {problem}")
    return 0 if results["passed"] else 1


def run(via: str, households: int, processes: int, workers: int = 5, threads: int = 4,
        warm_up: int = WARM_UP_HOUSEHOLDS, pause: float = PAUSE_SECONDS,
        seconds: float = 0.0) -> dict:
    started = time.monotonic()
    load_before = os.getloadavg()[0]
    # This process talks to DynamoDB Local only, with dummy credentials, never an account's.
    os.environ.update({k: v for k, v in _skill_env("", "").items() if k.startswith("AWS_")})
    os.environ.pop("AWS_PROFILE", None)
    run_id = uuid.uuid4().hex[:8].upper()
    work_dir = Path(tempfile.mkdtemp(prefix="checkin-load-"))
    # In memory: on disk, DynamoDB Local puts every table in one SQLite file and waits for the
    # disk on each write, a limit of the emulator that DynamoDB does not have.
    server = DynamoDBLocal(work_dir / "dynamodb", in_memory=True).start()
    web = None
    try:
        client = make_dynamodb_client(endpoint_url=server.endpoint_url)
        table = f"checkin-load-{run_id.lower()}"
        create_table(client, table, expire=False)  # the evenings are fixed, past dates
        env = _skill_env(server.endpoint_url, table)
        url = ""
        if via == "http":
            web, url = _start_web_service(env, work_dir, workers, threads)
        plan = [(i, scenario_for(i)) for i in range(households)]
        warm = [(households + i, "first_evening") for i in range(warm_up)]
        others = [server.pid] + ([web.pid] if web is not None else [])
        outcome = _run_workers(via, plan, warm, processes, env, url, run_id, work_dir, pause,
                               seconds, others)
        if web is not None:
            _stop(web)
            web = None
        logs = sorted(work_dir.glob("*.log"))
        checked = check.check_table(client, table, SALT,
                                    outcome["households"] + outcome["warm_up"])
        metrics = check.read_metrics(logs)
    finally:
        if web is not None:
            _stop(web)
        server.stop()
    results = _summary(via, plan, processes, workers, threads, seconds, outcome, checked,
                       metrics)
    results["meta"]["pause_seconds"] = pause
    # Other work on the machine: the 1-minute load average when the run began and ended.
    results["meta"]["load_average"] = [round(load_before, 2), round(os.getloadavg()[0], 2)]
    results["meta"]["seconds"] = round(time.monotonic() - started, 1)
    shutil.rmtree(work_dir, ignore_errors=True)
    return results


def _skill_env(endpoint: str, table: str) -> dict[str, str]:
    """The skill's configuration (names from checkin.config), with dummy credentials."""
    from checkin import config

    return {config.TABLE_NAME: table, config.DYNAMODB_ENDPOINT: endpoint,
            config.HOUSEHOLD_SALT: SALT, config.LOG_LEVEL: "INFO", config.SKILL_ID: "",
            config.AWS_REGION: "us-east-1", config.AWS_DEFAULT_REGION: "us-east-1",
            "AWS_ACCESS_KEY_ID": "load", "AWS_SECRET_ACCESS_KEY": "load",
            "AWS_EC2_METADATA_DISABLED": "true", "AWS_CONFIG_FILE": os.devnull,
            "AWS_SHARED_CREDENTIALS_FILE": os.devnull}


def _start_web_service(env: dict[str, str], work_dir: Path, workers: int,
                       threads: int) -> tuple[subprocess.Popen, str]:
    """`make serve`'s server (python -m webservice --workers N) with verification off: the load
    cannot sign requests as Alexa does."""
    port = free_port()
    log = open(work_dir / "web-service.log", "w", encoding="utf-8")  # noqa: SIM115
    process = subprocess.Popen(
        [sys.executable, "-m", "webservice", "--workers", str(workers), "--threads",
         str(threads), "--port", str(port), "--no-verify"],
        cwd=ROOT, env={**os.environ, **env, "PYTHONPATH": f"{ROOT / 'lambda'}:{ROOT}"},
        stdout=log, stderr=open(work_dir / "web-service.err", "w", encoding="utf-8"),  # noqa: SIM115
        start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"{url}/health", timeout=2) as answer:
                if answer.status == 200:
                    return process, url
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            _stop(process)
            raise RuntimeError("the web service did not start: "
                               + (work_dir / "web-service.err").read_text()[-2000:])
        time.sleep(0.2)


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()  # gunicorn's master stops its workers gracefully
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)


def _run_workers(via: str, plan: list[tuple[int, str]], warm_up: list[tuple[int, str]],
                 processes: int, env: dict[str, str], url: str, run_id: str,
                 work_dir: Path, pause: float, seconds: float,
                 servers: list[int | None]) -> dict:
    """Run the workers; also count the CPU the servers (DynamoDB Local, gunicorn) used while
    the timed households played, to say what the load costs apart from the machine's other
    work."""
    from loadtest.worker import work

    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(processes + 1)  # and this process, to read the servers' CPU
    shares = [plan[i::processes] for i in range(processes)]
    # A closed loopback port for the Alexa APIs: the Settings API fails at once, as the
    # tests have it; nothing leaves the machine.
    api_endpoint = f"http://127.0.0.1:{free_port()}"
    jobs = []
    for number, share in enumerate(shares):
        config = {"via": via, "env": env, "url": url, "run_id": run_id, "households": share,
                  "warm_up": warm_up[number::processes], "pause": pause, "seconds": seconds,
                  # a seat's next household: past every index of the plan and the warm-up
                  "stride": len(plan) + len(warm_up),
                  "api_endpoint": api_endpoint, "model_path": str(DEFAULT_MODEL_PATH),
                  "log_path": str(work_dir / (f"worker-{number}.log" if via == "lambda"
                                              else f"driver-{number}.out"))}
        out = work_dir / f"worker-{number}.json"
        process = context.Process(target=work, args=(config, barrier, str(out)))
        process.start()
        jobs.append((process, out))
    barrier.wait(timeout=900)
    servers_cpu = _cpu_seconds(servers)
    results = []
    for process, out in jobs:
        process.join(600)
        if process.exitcode != 0 or not out.exists():
            raise RuntimeError(f"a load worker failed (exit {process.exitcode})")
        results.append(json.loads(out.read_text()))
    servers_cpu = _cpu_seconds(servers) - servers_cpu
    return {"started": min(r["started"] for r in results),
            "ended": max(r["ended"] for r in results),
            "cpu_seconds": servers_cpu + sum(r["cpu_seconds"] for r in results),
            "servers_cpu_seconds": servers_cpu,
            "faults_injected": sum(r["faults_injected"] for r in results),
            "households": [h for r in results for h in r["households"]],
            "warm_up": [h for r in results for h in r["warm_up"]]}


def _cpu_seconds(leaders: list[int | None]) -> float:
    """CPU time used so far by each process group led by one of `leaders` (a server started
    in its own session, with its children: gunicorn's workers)."""
    ticks = os.sysconf("SC_CLK_TCK")
    groups = {pid for pid in leaders if pid}
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # gone meanwhile
            continue
        if int(fields[2]) in groups:  # the process group
            total += int(fields[11]) + int(fields[12])  # utime + stime
    return total / ticks


def _summary(via: str, plan: list, processes: int, workers: int, threads: int, window: float,
             outcome: dict, checked: dict, metrics: dict) -> dict:
    households = outcome["households"]
    started = outcome["started"]
    # The timed window; without one (each household one evening), the whole timed part.
    seconds = window if window > 0 else outcome["ended"] - started
    timed = [(label, ms, faulted) for h in households
             for label, ms, began_at, faulted in h["latencies"] if began_at < started + seconds]
    latencies = [ms for _, ms, _ in timed]
    healthy = [ms for _, ms, faulted in timed if not faulted]
    after_window = sum(len(h["latencies"]) for h in households) - len(timed)
    by_request: dict[str, list[float]] = {}
    for label, ms, _ in timed:
        by_request.setdefault(label, []).append(ms)
    everyone = households + outcome["warm_up"]
    errors = [e for h in everyone for e in h["errors"]]
    completed_metric = metrics["sums"].get("Rituals{Outcome=completed}", 0)
    metric_problems = []
    sent = sum(len(h["latencies"]) for h in everyone)
    if metrics["request_lines"] != sent:
        metric_problems.append(f"{metrics['request_lines']} request lines for {sent} requests")
    if completed_metric != checked["completed_records"]:
        metric_problems.append(f"EMF counted {completed_metric} completed check-ins, the table "
                               f"holds {checked['completed_records']}")
    checked["problems"] += metric_problems
    scenarios: dict[str, int] = {}
    for _, scenario in plan:
        scenarios[scenario] = scenarios.get(scenario, 0) + 1
    throughput = len(latencies) / seconds if seconds > 0 else 0.0
    all_timed = len(timed) + after_window
    figures = {
        "requests": len(latencies),
        "seconds": round(seconds, 2),
        "requests_per_second": round(throughput, 1),
        "latency_ms": {"p50": percentile(latencies, 50), "p90": percentile(latencies, 90),
                       "p99": percentile(latencies, 99), "max": max(latencies, default=0.0)},
        "latency_ms_without_faults": {"requests": len(healthy), "p50": percentile(healthy, 50),
                                      "p99": percentile(healthy, 99)},
        "evenings": len(households),
        "requests_after_window": after_window,
        "errors": len(errors),
        "lost": checked["lost"],
        "duplicated": checked["duplicated"],
        "completed_records": checked["completed_records"],
        "faults_injected": outcome["faults_injected"],
        # CPU of the workers and the servers from the window's start to the last evening's
        # close, per request of that time, and the rate that much CPU per request would allow
        # with every core free of other work.
        "cpu_ms_per_request": round(outcome["cpu_seconds"] * 1000 / max(1, all_timed), 2),
        "servers_cpu_ms_per_request": round(
            outcome["servers_cpu_seconds"] * 1000 / max(1, all_timed), 2),
        "requests_per_second_if_alone": round(
            (os.cpu_count() or 1) * all_timed / max(outcome["cpu_seconds"], 1e-9), 1),
        "failures_told": sum(h["notes_heard"] for h in households),
    }
    targets = {
        "households": {"value": len(plan), "limit": TARGETS["households"],
                       "met": len(plan) >= TARGETS["households"]},
        "requests_per_second": {"value": figures["requests_per_second"],
                                "limit": TARGETS["requests_per_second"],
                                "met": throughput >= TARGETS["requests_per_second"]},
        "p99_ms": {"value": figures["latency_ms"]["p99"], "limit": TARGETS["p99_ms"],
                   "met": figures["latency_ms"]["p99"] < TARGETS["p99_ms"]},
        "no_errors_lost_or_duplicated": {
            "value": figures["errors"] + figures["lost"] + figures["duplicated"], "limit": 0,
            "met": figures["errors"] + figures["lost"] + figures["duplicated"] == 0},
    }
    passed = not errors and not checked["problems"]
    return {
        "meta": {"when": datetime.now(UTC).isoformat(timespec="seconds"), "via": via,
                 "cpus": os.cpu_count(), "python": platform.python_version(),
                 "processes": processes,
                 "server": {"workers": workers, "threads": threads} if via == "http" else None,
                 "households": len(plan), "window_seconds": window, "scenarios": scenarios,
                 "warm_up_households": len(outcome["warm_up"]),
                 "faults": "injected" if via == "lambda" else
                           f"not injected over HTTP ({', '.join(FAULTED)} play plain)"},
        "figures": figures,
        "by_request": {label: {"n": len(v), "p50": percentile(v, 50), "p99": percentile(v, 99)}
                       for label, v in sorted(by_request.items())},
        "targets": targets,
        "check": checked,
        "metrics": metrics,
        "errors": errors[:200],
        "passed": passed,
    }


def table(results: dict) -> str:
    meta, f, t = results["meta"], results["figures"], results["targets"]
    server = meta["server"]
    how = ("lambda_handler in each worker" if meta["via"] == "lambda" else
           f"the web service under gunicorn, {server['workers']} workers x "
           f"{server['threads']} threads")
    ok = {True: "ok", False: "MISSED"}
    lines = [
        f"Connection Check-In load: {meta['when']}, {meta['cpus']} CPUs, Python {meta['python']},"
        f" load average {meta['load_average'][0]} before, {meta['load_average'][1]} after",
        f"  {meta['households']} households at once in {meta['processes']} processes, through"
        f" {how} (after {meta['warm_up_households']} untimed),"
        f" each pausing {meta['pause_seconds']} s between requests on average;"
        f" {f['evenings']} first evenings played",
        "  " + ", ".join(f"{n} {s.replace('_', ' ')}" for s, n in meta["scenarios"].items()),
        f"  faults {meta['faults']}: {f['faults_injected']} attempts failed, "
        f"{f['failures_told']} failures told to the couple",
        "",
        f"requests            {f['requests']:,} in {f['seconds']} s"
        f" (then {f['requests_after_window']:,} closing the evenings under way, untimed)",
        f"throughput          {f['requests_per_second']} requests/s        "
        f"{ok[t['requests_per_second']['met']]} (>= {t['requests_per_second']['limit']:.0f})",
        f"CPU                 {f['cpu_ms_per_request']} ms a request (workers and servers): "
        f"{f['requests_per_second_if_alone']} requests/s with all {meta['cpus']} cores to itself"
        f" ({f['servers_cpu_ms_per_request']} ms of it in the servers)",
        f"latency (ms)        p50 {f['latency_ms']['p50']:.1f}, p90 {f['latency_ms']['p90']:.1f},"
        f" p99 {f['latency_ms']['p99']:.1f}, max {f['latency_ms']['max']:.1f}      "
        f"{ok[t['p99_ms']['met']]} (p99 < {t['p99_ms']['limit']:.0f})",
        f"  without faults    p50 {f['latency_ms_without_faults']['p50']:.1f},"
        f" p99 {f['latency_ms_without_faults']['p99']:.1f}"
        f" ({f['latency_ms_without_faults']['requests']:,} requests with no store fault planned)",
        f"errors              {f['errors']}",
        f"lost, duplicated    {f['lost']}, {f['duplicated']} "
        f"(of {f['completed_records']} completed check-ins in the table, warm-up included)   "
        f"{ok[t['no_errors_lost_or_duplicated']['met']]}",
        f"metrics             {results['metrics']['request_lines']} request lines; "
        f"EMF completed {results['metrics']['sums'].get('Rituals{Outcome=completed}', 0)}",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())

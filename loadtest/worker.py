"""One process of the load: its households, each in a thread, all at once.

Started by run.py with multiprocessing's spawn, so that each worker is a fresh interpreter: it
sets the skill's environment, sends the skill's log lines (stdout in Lambda) to its own file,
imports the handler (`--via lambda`) or opens connections to the web service (`--via http`).
It then plays its warm-up households, untimed (DynamoDB Local's JVM compiles its hot paths
during the first thousand or so calls, and the skill imports what it defers to first use), and
waits for every other worker before the first timed request, so that the load is simultaneous.

Then each of its seats (a thread) plays a household's first evening, and, while the timed window
lasts, another new household's after it, so that the number of households at once stays the
same until the window ends; an evening under way when it ends is played to its close. Every
household, warm-up ones included, is checked against the table.
"""
from __future__ import annotations

import http.client
import json
import os
import sys
import threading
import time
from typing import Any

from loadtest.households import Household


def work(config: dict, barrier: Any, out_path: str) -> None:
    os.environ.update(config["env"])
    sys.stdout = open(config["log_path"], "w", encoding="utf-8")  # noqa: SIM115 (for the run)
    faults = None
    if config["via"] == "lambda":
        import lambda_function
        from loadtest.faults import HouseholdFaults

        handler = lambda_function.lambda_handler
        faults = HouseholdFaults(lambda_function.client)
    else:
        handler = _http_handler(config["url"])
    with open(config["model_path"], encoding="utf-8") as model_file:
        model = json.load(model_file)
    played: list[Household] = []
    lock = threading.Lock()

    def seat(index: int, scenario: str, until: float) -> None:
        """Households index, index + stride, ... one after another, until `until`; the seat
        keeps its scenario, so the mix stays the plan's."""
        while True:
            household = Household(index, scenario, config["run_id"], faults, config["pause"])
            with lock:
                played.append(household)
            household.play(handler, model, config["api_endpoint"])
            index += config["stride"]
            if time.monotonic() >= until:
                return

    def play_all(plan: list, until: float = 0.0) -> list[Household]:
        played.clear()
        threads = [threading.Thread(target=seat, args=(index, scenario, until),
                                    name=f"seat-{index}") for index, scenario in plan]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return list(played)

    warm_up = play_all(config["warm_up"])  # one evening each
    injected_in_warm_up = faults.injected if faults else 0
    barrier.wait(timeout=600)
    started, cpu = time.monotonic(), time.process_time()
    households = play_all(config["households"], started + config["seconds"])
    ended, cpu = time.monotonic(), time.process_time() - cpu
    sys.stdout.flush()
    result = {"started": started, "ended": ended, "cpu_seconds": cpu,
              "faults_injected": (faults.injected if faults else 0) - injected_in_warm_up,
              "households": [h.result() for h in households],
              "warm_up": [h.result() for h in warm_up]}
    with open(out_path, "w", encoding="utf-8") as out:
        json.dump(result, out)


def _http_handler(url: str):
    """A handler that POSTs each envelope to the web service, one kept-alive connection per
    thread, as Alexa would send it (unsigned: the server runs with verification off)."""
    host, port = url.removeprefix("http://").rsplit(":", 1)
    local = threading.local()

    def post(event: dict, context: Any) -> dict:
        body = json.dumps(event).encode("utf-8")
        for attempt in (1, 2):
            connection = getattr(local, "connection", None)
            if connection is None:
                connection = local.connection = http.client.HTTPConnection(host, int(port),
                                                                            timeout=30)
            try:
                connection.request("POST", "/", body,
                                   {"Content-Type": "application/json"})
                response = connection.getresponse()
                data = response.read()
            except (ConnectionError, http.client.HTTPException):
                connection.close()
                local.connection = None
                if attempt == 2:
                    raise
                continue  # the server closed a kept-alive connection: open another, once
            if response.status != 200:
                raise RuntimeError(f"HTTP {response.status}: {data[:200]!r}")
            return json.loads(data)
        raise AssertionError("unreachable")

    return post

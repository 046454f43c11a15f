"""Real parts for the data source tests: a local HTTP server, files in an allowed folder, and a
key result of the member's to feed."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from okrflow.okrs.actions import create_key_result, create_objective
from okrflow.okrs.models import KeyResult
from tests.conftest import World


@dataclass
class Answer:
    body: bytes
    status: int = 200
    content_type: str = "application/json"
    delay: float = 0.0
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class WebServer:
    """A local HTTP server answering GETs from a table of paths; it records the headers seen."""

    port: int = 0
    answers: dict[str, Answer] = field(default_factory=dict)
    seen: list[dict[str, str]] = field(default_factory=list)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def answer(self, path: str, body: bytes | str, **options: Any) -> str:
        self.answers[path] = Answer(body.encode() if isinstance(body, str) else body, **options)
        return self.url(path)


def handler_for(server: WebServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            server.seen.append({**dict(self.headers.items()), "path": self.path})
            answer = server.answers.get(self.path) or Answer(b"not here", 404, "text/plain")
            if answer.delay:
                time.sleep(answer.delay)
            try:
                self.send_response(answer.status)
                self.send_header("Content-Type", answer.content_type)
                self.send_header("Content-Length", str(len(answer.body)))
                for name, value in answer.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(answer.body)
            except (BrokenPipeError, ConnectionResetError):
                pass

        def log_message(self, *args: Any) -> None:
            pass

    return Handler


@pytest.fixture
def web() -> Iterator[WebServer]:
    server = WebServer()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler_for(server))
    httpd.daemon_threads = True
    server.port = httpd.server_address[1]
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield server
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def files(tmp_path: Path, settings: Any) -> Path:
    """An allowed folder for CSV and SQLite files, with short caps so failures come quickly."""
    folder = tmp_path / "sources"
    folder.mkdir()
    settings.DATA_SOURCE_FILE_DIRS = [str(folder)]
    settings.DATA_SOURCE_TIMEOUT_SECONDS = 2
    settings.DATA_SOURCE_MAX_BYTES = 10_000
    return folder


@pytest.fixture
def kr(world: World, files: Path) -> KeyResult:
    """The member's key result "Reach 10,000 followers", from 0, with no value yet."""
    objective = create_objective(
        None, cycle=world.cycle, title="Grow our audience", owner=world.member
    ).value
    return create_key_result(
        None,
        objective,
        title="Reach 10,000 followers",
        owner=world.member,
        start_value=Decimal(0),
        target_value=10000,
    ).value

"""The README's scaled shape, started for real: gunicorn, PostgreSQL, Redis and the production
variables, from the project's installed virtual environment (CI makes a fresh one each run).

A fresh database is migrated, a person is created, signs in over HTTP and opens a page; then
gunicorn is stopped and the database and Redis keys are removed. Runs in both test runs, against
the PostgreSQL server of the run (or OKRFLOW_TEST_POSTGRES, by default 127.0.0.1:5432); it
skips, saying why, only when PostgreSQL or Redis does not answer (in CI's PostgreSQL run that
is a failure).
"""

from __future__ import annotations

import http.client
import importlib.metadata
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.db import connection

REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379
REDIS_DB = 13  # one of Redis' 16 numbered databases, kept for this test
IN_CI = bool(os.environ.get("CI") or os.environ.get("OKRFLOW_REQUIRE_BROWSER"))
PASSWORD = "scaled-shape-password-42"
# What nginx in front of gunicorn adds to every request it passes on (README).
PROXY_HEADERS = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.7"}
# The project's virtual environment: where `pip install ".[scaled]"` put the commands.
BIN = Path(sys.executable).parent
# The README's gunicorn line, on a free port instead of 8000.
WORKERS = 4


def redis_answers() -> bool:
    try:
        with socket.create_connection((REDIS_HOST, REDIS_PORT), timeout=2) as probe:
            probe.sendall(b"PING\r\n")
            return probe.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def redis_store():  # type: ignore[no-untyped-def]
    """This test's Redis database, through the client the shape itself uses."""
    import redis

    return redis.Redis(host=REDIS_HOST, port=REDIS_PORT, db=REDIS_DB)


def need(condition: bool, reason: str, *, required_in_ci: bool) -> None:
    """Skip, saying why, when a server the shape needs does not answer (a failure in CI's
    PostgreSQL run, where both must be there)."""
    if not condition:
        if IN_CI and required_in_ci:
            pytest.fail(reason)
        pytest.skip(reason)


@dataclass
class Server:
    """A PostgreSQL server this test may create and drop a database on."""

    url: str  # postgres://user[:password]@host:port, no database

    def conninfo(self, database: str) -> str:
        return f"{self.url}/{database}"

    def answers(self) -> bool:
        import psycopg

        try:
            with psycopg.connect(self.conninfo("postgres"), connect_timeout=3):
                return True
        except psycopg.Error:
            return False

    def recreate(self, database: str, create: bool = True) -> None:
        """Drop `database` (closing its connections) and, unless told not to, create it empty."""
        import psycopg

        with psycopg.connect(self.conninfo("postgres"), autocommit=True) as server:
            server.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
            if create:
                server.execute(f'CREATE DATABASE "{database}"')


def postgres_server() -> Server:
    """The PostgreSQL server of this run, or the one named by OKRFLOW_TEST_POSTGRES."""
    if connection.vendor == "postgresql":
        settings = connection.settings_dict
        user = settings.get("USER") or "postgres"
        password = f":{settings['PASSWORD']}" if settings.get("PASSWORD") else ""
        host = settings.get("HOST") or "127.0.0.1"
        port = settings.get("PORT") or 5432
        return Server(f"postgres://{user}{password}@{host}:{port}")
    url = os.environ.get("OKRFLOW_TEST_POSTGRES", "postgres://postgres@127.0.0.1:5432")
    return Server(url.rstrip("/"))


@dataclass
class Shape:
    port: int
    workdir: Path
    env: dict[str, str]
    database: str
    server: Server
    gunicorn: subprocess.Popen[str]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def run(command: list[str], env: dict[str, str], cwd: Path) -> str:
    result = subprocess.run(command, env=env, cwd=cwd, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, f"{command}\n{result.stdout}\n{result.stderr}"
    return result.stdout


@pytest.fixture
def scaled_shape(tmp_path: Path) -> Iterator[Shape]:
    server = postgres_server()
    on_postgresql = connection.vendor == "postgresql"
    need(
        server.answers(),
        f"PostgreSQL does not answer at {server.url}",
        required_in_ci=on_postgresql,
    )
    need(
        redis_answers(),
        f"Redis does not answer at {REDIS_HOST}:{REDIS_PORT}",
        required_in_ci=on_postgresql,
    )
    for command in ("okrflow", "gunicorn"):
        assert (BIN / command).exists(), f"{command} is not installed in {BIN}"

    database = f"okrflow_scaled_{os.getpid()}_{secrets.token_hex(3)}"
    server.recreate(database)
    redis_store().flushdb()
    clean_env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("OKRFLOW_", "DJANGO_", "PYTHON", "VIRTUAL_ENV"))
    }
    clean_env["PATH"] = f"{BIN}{os.pathsep}{clean_env.get('PATH', '')}"
    port = free_port()
    # The README's production variables, exactly.
    env = {
        **clean_env,
        "OKRFLOW_DATABASE_URL": server.conninfo(database),
        "OKRFLOW_REDIS_URL": f"redis://{REDIS_HOST}:{REDIS_PORT}/{REDIS_DB}",
        "OKRFLOW_SECRET_KEY": secrets.token_urlsafe(50),
        "OKRFLOW_ALLOWED_HOSTS": "127.0.0.1",
        "OKRFLOW_BASE_URL": f"https://127.0.0.1:{port}",
        "OKRFLOW_BEHIND_TLS_PROXY": "1",
        "OKRFLOW_DATA_DIR": str(tmp_path / "var"),
    }
    gunicorn = None
    try:
        checked = run([str(BIN / "okrflow"), "check", "--deploy"], env, tmp_path)
        assert "no issues" in checked, checked
        run([str(BIN / "okrflow"), "migrate", "--no-input", "-v", "0"], env, tmp_path)
        create = (
            "from okrflow.org.actions import create_person; "
            f"create_person(None, username='scaled.person', full_name='Scaled Person', "
            f"password='{PASSWORD}', language='en')"
        )
        run([str(BIN / "okrflow"), "shell", "-c", create], env, tmp_path)
        gunicorn = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "okrflow.wsgi",
                "--workers",
                str(WORKERS),
                "--bind",
                f"127.0.0.1:{port}",
            ],
            env=env,
            cwd=tmp_path,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        wait_until_serving(port, gunicorn)
        yield Shape(
            port=port,
            workdir=tmp_path,
            env=env,
            database=database,
            server=server,
            gunicorn=gunicorn,
        )
    finally:
        if gunicorn is not None and gunicorn.poll() is None:
            gunicorn.send_signal(signal.SIGTERM)
            try:
                gunicorn.wait(timeout=60)
            except subprocess.TimeoutExpired:
                gunicorn.kill()
                gunicorn.wait()
        server.recreate(database, create=False)
        redis_store().flushdb()


def wait_until_serving(port: int, gunicorn: subprocess.Popen[str]) -> None:
    """Wait until a worker answers HTTP (bounded: a gunicorn that dies or never answers fails)."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if gunicorn.poll() is not None:
            pytest.fail(f"gunicorn stopped: {gunicorn.stderr.read() if gunicorn.stderr else ''}")
        try:
            client = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            client.request("GET", "/sign-in/", headers=PROXY_HEADERS)
            status = client.getresponse().status
            client.close()
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.1)  # between polls of readiness, never instead of one
    pytest.fail("gunicorn did not answer within two minutes")


@dataclass
class Answer:
    status: int
    headers: http.client.HTTPMessage
    body: str


def request(
    shape: Shape,
    method: str,
    path: str,
    cookies: SimpleCookie,
    form: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
) -> Answer:
    """One HTTP request as it arrives from the proxy; keeps the cookies it is given."""
    client = http.client.HTTPConnection("127.0.0.1", shape.port, timeout=60)
    sent = {**PROXY_HEADERS, **(headers or {})}
    if cookies:
        sent["Cookie"] = "; ".join(f"{key}={morsel.value}" for key, morsel in cookies.items())
    body = None
    if form is not None:
        body = urlencode(form)
        sent["Content-Type"] = "application/x-www-form-urlencoded"
        sent["Origin"] = f"https://127.0.0.1:{shape.port}"
    client.request(method, path, body=body, headers=sent)
    response = client.getresponse()
    answer = Answer(response.status, response.headers, response.read().decode())
    client.close()
    for header in answer.headers.get_all("Set-Cookie") or []:
        cookies.load(header)
    return answer


def shape_setting(shape: Shape, expression: str) -> str:
    """Evaluate a settings expression in a process started with the shape's variables."""
    code = f"from django.conf import settings as s; print({expression})"
    output = run([str(BIN / "okrflow"), "shell", "-c", code], shape.env, shape.workdir)
    return output.strip().splitlines()[-1]


def test_the_scaled_shape_starts_and_a_person_signs_in(scaled_shape: Shape) -> None:
    cookies: SimpleCookie = SimpleCookie()
    sign_in_page = request(
        scaled_shape, "GET", "/sign-in/", cookies, headers={"Accept-Language": "en"}
    )
    assert sign_in_page.status == 200, sign_in_page.body
    # Hardened: HSTS, a Content-Security-Policy, cookies only over HTTPS.
    assert "max-age=31536000" in sign_in_page.headers["Strict-Transport-Security"]
    assert "script-src 'self'" in sign_in_page.headers["Content-Security-Policy"]
    assert cookies["csrftoken"]["secure"]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', sign_in_page.body)
    assert token is not None

    signed_in = request(
        scaled_shape,
        "POST",
        "/sign-in/",
        cookies,
        form={
            "csrfmiddlewaretoken": token.group(1),
            "username": "scaled.person",
            "password": PASSWORD,
        },
    )
    assert signed_in.status == 302, signed_in.body
    assert signed_in.headers["Location"] == "/"
    assert cookies["sessionid"]["secure"]

    overview = request(scaled_shape, "GET", "/", cookies)
    assert overview.status == 200
    assert "Scaled Person" in overview.body

    # The session lives in Redis (the shape's cache), not in PostgreSQL.
    keys = [key.decode() for key in redis_store().keys("*django.contrib.sessions.cache*")]
    assert any(cookies["sessionid"].value in key for key in keys)

    # Static files come from the installed package (WhiteNoise), under the same policy.
    stylesheet = request(scaled_shape, "GET", "/static/okrflow/okrflow.css", cookies)
    assert stylesheet.status == 200 and ".htmx-indicator" in stylesheet.body

    # A request that reached gunicorn without TLS is sent to HTTPS.
    plain = request(scaled_shape, "GET", "/", cookies, headers={"X-Forwarded-Proto": "http"})
    assert plain.status == 301
    assert plain.headers["Location"].startswith("https://127.0.0.1")

    # Persistent connections with health checks are on in this shape, with no variable set.
    assert (
        shape_setting(
            scaled_shape,
            "s.DATABASES['default']['CONN_MAX_AGE'], s.DATABASES['default']['CONN_HEALTH_CHECKS']",
        )
        == "600 True"
    )
    # So are prepared statements (server-side binding, prepared from a statement's 5th run).
    options = "s.DATABASES['default']['OPTIONS']"
    assert (
        shape_setting(
            scaled_shape,
            f"{options}['server_side_binding'], {options}['prepare_threshold']",
        )
        == "True 5"
    )

    # Stopped cleanly: gunicorn's master ends its workers and exits with success.
    scaled_shape.gunicorn.send_signal(signal.SIGTERM)
    assert scaled_shape.gunicorn.wait(timeout=60) == 0


def test_the_scaled_extra_brings_everything_the_shape_imports() -> None:
    """`pip install ".[scaled]"` must bring gunicorn and the Redis client, pinned (a missing
    `redis` once failed the shape's first request with ModuleNotFoundError)."""
    required = importlib.metadata.requires("okrflow") or []
    scaled = {
        re.split(r"[=<>!~;\[ ]", line, maxsplit=1)[0].lower(): line
        for line in required
        if 'extra == "scaled"' in line
    }
    for distribution in ("gunicorn", "redis"):
        assert distribution in scaled, required
        assert re.search(r"==\d", scaled[distribution]), scaled[distribution]

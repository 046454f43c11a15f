"""The README's scaled shape, started for real: a clean virtual environment with okrflow[scaled],
gunicorn, PostgreSQL, Redis and the production variables; a person signs in over HTTP.

Runs where PostgreSQL is the test database (CI's second run); in CI it never skips there.
"""

from __future__ import annotations

import http.client
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import time
import venv
from collections.abc import Iterator
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.db import connection

from tests.deployment.databases import database_url, recreate_database

ROOT = Path(__file__).resolve().parents[2]
REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379
REDIS_DB = 13  # one of Redis' 16 numbered databases, kept for this test
IN_CI = bool(os.environ.get("CI") or os.environ.get("OKRFLOW_REQUIRE_BROWSER"))
PASSWORD = "scaled-shape-password-42"
# What nginx in front of gunicorn adds to every request it passes on (README).
PROXY_HEADERS = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.7"}


def redis_answers() -> bool:
    try:
        with socket.create_connection((REDIS_HOST, REDIS_PORT), timeout=2) as probe:
            probe.sendall(b"PING\r\n")
            return probe.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def need(condition: bool, reason: str) -> None:
    """Skip outside CI when something the shape needs is missing; in CI that is a failure."""
    if not condition:
        if IN_CI:
            pytest.fail(reason)
        pytest.skip(reason)


@dataclass
class Shape:
    base: str  # http://127.0.0.1:PORT
    port: int
    host_env: dict[str, str]


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
    if connection.vendor != "postgresql":
        # CI's first run (SQLite) skips; its second run (PostgreSQL) always runs this test.
        pytest.skip("the scaled shape runs against PostgreSQL: set OKRFLOW_DATABASE_URL")
    need(redis_answers(), f"Redis does not answer at {REDIS_HOST}:{REDIS_PORT}")

    # The project as a user gets it: its files, not this checkout's .venv or build leftovers.
    source = tmp_path / "okrflow-src"
    source.mkdir()
    shutil.copy(ROOT / "pyproject.toml", source)
    shutil.copy(ROOT / "README.md", source)
    shutil.copytree(
        ROOT / "okrflow",
        source / "okrflow",
        ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info"),
    )
    environment = tmp_path / "venv"
    venv.create(environment, with_pip=True)
    bin_dir = environment / "bin"
    clean_env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("OKRFLOW_", "DJANGO_", "PYTHON", "VIRTUAL_ENV"))
    }
    clean_env["PATH"] = f"{bin_dir}{os.pathsep}{clean_env.get('PATH', '')}"
    run(
        [str(bin_dir / "python"), "-m", "pip", "install", "--quiet", f"{source}[scaled]"],
        clean_env,
        tmp_path,
    )

    database = f"{connection.settings_dict['NAME']}_scaled"
    recreate_database(database)
    # The README's production variables.
    env = {
        **clean_env,
        "OKRFLOW_DATABASE_URL": database_url(database),
        "OKRFLOW_REDIS_URL": f"redis://{REDIS_HOST}:{REDIS_PORT}/{REDIS_DB}",
        "OKRFLOW_SECRET_KEY": secrets.token_urlsafe(50),
        "OKRFLOW_ALLOWED_HOSTS": "127.0.0.1",
        "OKRFLOW_BEHIND_TLS_PROXY": "1",
        "OKRFLOW_DATA_DIR": str(tmp_path / "var"),
    }
    gunicorn = None
    try:
        run([str(bin_dir / "okrflow"), "migrate", "--no-input", "-v", "0"], env, tmp_path)
        create = (
            "from okrflow.org.actions import create_person; "
            f"create_person(None, username='scaled.person', full_name='Scaled Person', "
            f"password='{PASSWORD}', language='en')"
        )
        run([str(bin_dir / "okrflow"), "shell", "-c", create], env, tmp_path)
        port = free_port()
        gunicorn = subprocess.Popen(
            [str(bin_dir / "gunicorn"), "okrflow.wsgi", "--workers=2", f"--bind=127.0.0.1:{port}"],
            env=env,
            cwd=tmp_path,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        wait_until_serving(port, gunicorn)
        yield Shape(base=f"http://127.0.0.1:{port}", port=port, host_env=env)
    finally:
        if gunicorn is not None:
            gunicorn.send_signal(signal.SIGTERM)
            try:
                gunicorn.wait(timeout=30)
            except subprocess.TimeoutExpired:
                gunicorn.kill()
                gunicorn.wait()
        recreate_database(database, create=False)


def wait_until_serving(port: int, gunicorn: subprocess.Popen[str]) -> None:
    """Poll until gunicorn accepts connections (bounded: it stops by itself if it never does)."""
    for _ in range(300):
        if gunicorn.poll() is not None:
            pytest.fail(f"gunicorn stopped: {gunicorn.stderr.read() if gunicorn.stderr else ''}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    pytest.fail("gunicorn did not start listening")


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
    import redis

    store = redis.Redis(host=REDIS_HOST, port=REDIS_PORT, db=REDIS_DB)
    session_keys = [key.decode() for key in store.keys("*django.contrib.sessions.cache*")]
    assert any(cookies["sessionid"].value in key for key in session_keys)

    # Static files come from the installed package (WhiteNoise), under the same policy.
    stylesheet = request(scaled_shape, "GET", "/static/okrflow/okrflow.css", cookies)
    assert stylesheet.status == 200 and ".htmx-indicator" in stylesheet.body

    # A request that reached gunicorn without TLS is sent to HTTPS.
    plain = request(scaled_shape, "GET", "/", cookies, headers={"X-Forwarded-Proto": "http"})
    assert plain.status == 301
    assert plain.headers["Location"].startswith("https://127.0.0.1")

"""A real OpenID provider in its own process (tests/sso/provider), started once per test worker."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from okrflow.signin.sso.discovery import forget_discovered
from tests.sso.provider.accounts import CLIENT_ID, CLIENT_SECRET

ROOT = Path(__file__).resolve().parents[2]
START_LIMIT_SECONDS = 90


@dataclass
class Provider:
    url: str  # http://127.0.0.1:PORT
    issuer: str  # its OpenID issuer: url + "/o"
    client_id: str = CLIENT_ID
    client_secret: str = CLIENT_SECRET


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def private_key_pem() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


def wait_until_answering(url: str, process: subprocess.Popen[bytes]) -> None:
    """Poll the discovery document until the provider serves it (or has died)."""
    deadline = time.monotonic() + START_LIMIT_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the test provider exited with {process.returncode}")
        try:
            if requests.get(url, timeout=5).status_code == 200:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.1)  # a poll interval, not a wait relied on
    raise AssertionError(f"the test provider did not answer {url} in {START_LIMIT_SECONDS} s")


@pytest.fixture(scope="session")
def provider(live_server, tmp_path_factory) -> Iterator[Provider]:  # type: ignore[no-untyped-def]
    """Start the provider with okrflow's live server registered as its client."""
    folder = tmp_path_factory.mktemp("provider")
    key_file = folder / "key.pem"
    key_file.write_text(private_key_pem())
    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "tests.sso.provider.settings",
        "PROVIDER_DATABASE": str(folder / "provider.sqlite3"),
        "PROVIDER_RSA_KEY_FILE": str(key_file),
        "PYTHONPATH": str(ROOT),
    }
    env.pop("OKRFLOW_DATABASE_URL", None)
    callback = f"{live_server.url}/sign-in/sso/callback/"
    subprocess.run(
        [sys.executable, "-m", "tests.sso.provider.setup_provider", callback],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=300,
    )
    port = free_port()
    log = (folder / "provider.log").open("wb")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "tests.sso.provider.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--threads",
            "4",
            "--timeout",
            "120",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_answering(f"{url}/o/.well-known/openid-configuration", process)
        yield Provider(url=url, issuer=f"{url}/o")
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=30)
        log.close()


@pytest.fixture
def open_live_server(live_server) -> Iterator[object]:  # type: ignore[no-untyped-def]
    """Let requests through if the browser tests' gate (tests/browser) wraps the live server."""
    application = live_server.thread.httpd.get_app()
    gate = application if hasattr(application, "shut_and_drain") else None
    if gate is not None:
        gate.open()
    forget_discovered()
    yield live_server
    forget_discovered()
    if gate is not None:
        gate.shut_and_drain()

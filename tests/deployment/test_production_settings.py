"""The production shape is hardened: `check --deploy` is clean with the README's variables,
the demo secret is refused, and every page carries a Content-Security-Policy it lives with."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from django.test import Client
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]
# The README's production variables (Scaled deployment); the secret is any long random value.
PRODUCTION = {
    "OKRFLOW_DEBUG": "0",
    "OKRFLOW_SECRET_KEY": "k3X9-this-is-a-test-only-secret-of-sufficient-length-q8Zr2Lm5Pw7",
    "OKRFLOW_ALLOWED_HOSTS": "okr.example.com",
    "OKRFLOW_BASE_URL": "https://okr.example.com",
    "OKRFLOW_BEHIND_TLS_PROXY": "1",
    "OKRFLOW_REDIS_URL": "redis://127.0.0.1:6379/0",
}


def okrflow_env(tmp_path: Path, **variables: str) -> dict[str, str]:
    """The environment of a fresh okrflow process: none of this run's OKRFLOW_ and DJANGO_
    settings (the browser tests allow async-unsafe calls) but the database, plus the given ones."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OKRFLOW_", "DJANGO_"))}
    if "OKRFLOW_DATABASE_URL" in os.environ:
        env["OKRFLOW_DATABASE_URL"] = os.environ["OKRFLOW_DATABASE_URL"]
    env["OKRFLOW_DATA_DIR"] = str(tmp_path)
    env.update(variables)
    return env


def run_python(env: dict[str, str], *arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *arguments], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_is_clean_with_the_documented_production_variables(tmp_path: Path) -> None:
    result = run_python(okrflow_env(tmp_path, **PRODUCTION), "-m", "okrflow", "check", "--deploy")
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_plain_http_is_a_choice_that_check_deploy_reports(tmp_path: Path) -> None:
    env = okrflow_env(tmp_path, **PRODUCTION, OKRFLOW_HTTPS="0")
    result = run_python(env, "-m", "okrflow", "check", "--deploy")
    for warning in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert warning in result.stderr


def test_production_settings_are_read_from_the_environment(tmp_path: Path) -> None:
    show = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'okrflow.settings'; "
        "django.setup(); from django.conf import settings as s; "
        "print(s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
        "s.SECURE_HSTS_SECONDS, s.SECURE_PROXY_SSL_HEADER)"
    )
    result = run_python(okrflow_env(tmp_path, **PRODUCTION), "-c", show)
    assert result.stdout.split() == [
        "True", "True", "True", "31536000", "('HTTP_X_FORWARDED_PROTO',", "'https')"
    ]  # fmt: skip
    env = okrflow_env(tmp_path, **PRODUCTION, OKRFLOW_HSTS_SECONDS="600")
    env.pop("OKRFLOW_BEHIND_TLS_PROXY")
    result = run_python(env, "-c", show.replace("s.SECURE_PROXY_SSL_HEADER", "'-'"))
    assert result.stdout.split() == ["True", "True", "True", "600", "-"]
    # Debug (dev.py run) serves plain HTTP.
    result = run_python(okrflow_env(tmp_path, OKRFLOW_DEBUG="1"), "-c", show)
    assert result.stdout.split()[:4] == ["False", "False", "False", "0"]


def test_the_server_refuses_the_demo_secret_when_debug_is_off(tmp_path: Path) -> None:
    result = run_python(okrflow_env(tmp_path, OKRFLOW_DEBUG="0"), "-c", "import okrflow.wsgi")
    assert result.returncode != 0
    assert "OKRFLOW_SECRET_KEY" in result.stderr
    assert "public demo secret key" in result.stderr

    deploy = run_python(okrflow_env(tmp_path), "-m", "okrflow", "check", "--deploy")
    assert deploy.returncode != 0
    assert "okrflow.E001" in deploy.stderr and "OKRFLOW_SECRET_KEY" in deploy.stderr


def test_the_demo_secret_is_fine_for_debug_and_for_commands_that_serve_no_one(
    tmp_path: Path,
) -> None:
    debug = run_python(okrflow_env(tmp_path, OKRFLOW_DEBUG="1"), "-c", "import okrflow.wsgi")
    assert debug.returncode == 0, debug.stderr
    check = run_python(okrflow_env(tmp_path), "-m", "okrflow", "check")  # as CI runs it
    assert check.returncode == 0, check.stderr
    served = run_python(okrflow_env(tmp_path, **PRODUCTION), "-c", "import okrflow.wsgi")
    assert served.returncode == 0, served.stderr


def test_every_page_carries_the_content_security_policy(client: Client, world) -> None:  # type: ignore[no-untyped-def]
    client.force_login(world.lead.user)
    for url in (reverse("login"), reverse("overview"), reverse("objective_create")):
        policy = client.get(url)["Content-Security-Policy"]
        directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
        assert directives["script-src"] == "'self'"
        assert directives["style-src"] == "'self'"
        assert directives["frame-ancestors"] == "'none'"
        assert directives["object-src"] == "'none'"


INLINE_SCRIPT = re.compile(
    r"""\son[a-z]+\s*=|<script(?![^>]*\ssrc=)|hx-on|hx-vals\s*=\s*['"]\s*js:|javascript:""",
    re.IGNORECASE,
)


def test_no_template_has_inline_script_the_policy_would_block() -> None:
    offenders = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in sorted((ROOT / "okrflow").rglob("templates/**/*.html"))
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if INLINE_SCRIPT.search(line)
    ]
    assert offenders == []


def test_a_sqlite_older_than_returning_is_named_by_the_checks() -> None:
    from okrflow.front.checks import sqlite_version_check, sqlite_version_errors

    sqlite = ["django.db.backends.sqlite3"]
    (error,) = sqlite_version_errors(sqlite, (3, 34, 1))
    assert error.id == "okrflow.E002" and "3.35.0" in error.msg and "3.34.1" in error.msg
    assert sqlite_version_errors(sqlite, (3, 35, 0)) == []
    assert sqlite_version_errors(["django.db.backends.postgresql"], (3, 31, 0)) == []
    assert sqlite_version_check(None) == []  # this machine's SQLite writes what okrflow writes


def test_the_server_freezes_what_it_loaded_at_start_out_of_the_garbage_collector(
    tmp_path: Path,
) -> None:
    show = "import gc, okrflow.wsgi; print(gc.get_freeze_count())"
    served = run_python(okrflow_env(tmp_path, **PRODUCTION), "-c", show)
    assert served.returncode == 0, served.stderr
    assert int(served.stdout.split()[-1]) > 10_000  # the apps, models and URL patterns

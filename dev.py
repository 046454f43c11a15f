#!/usr/bin/env python3
"""One entry point for a fresh machine: `python3 dev.py run` or `python3 dev.py test`.

run   install into .venv, migrate, load the demo organisation when the database is empty,
      start the task worker and scheduler, and serve http://127.0.0.1:8000
test  install into .venv and run the whole test suite (pytest arguments pass through)

Only the standard library is used here, so it works before anything is installed.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import signal
import subprocess
import sys
import tempfile
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
STAMP = VENV / ".okrflow-installed"


def run(*command: str | Path, env: dict[str, str] | None = None) -> None:
    """Run a command, stopping with its exit code if it fails."""
    result = subprocess.run([str(part) for part in command], cwd=ROOT, env=env)
    if result.returncode != 0:
        sys.exit(result.returncode)


def install() -> None:
    """Create .venv and install okrflow with its test tools, unless already up to date."""
    if sys.version_info < (3, 11):  # noqa: UP036 - dev.py itself may be run by an older Python
        sys.exit("okrflow needs Python 3.11 or newer.")
    fingerprint = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text() == fingerprint:
        return
    if not (BIN / "python").exists():
        print("Creating the virtual environment in .venv …", flush=True)
        venv.create(VENV, with_pip=True)
    print("Installing okrflow and its dependencies …", flush=True)
    run(BIN / "python", "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    run(BIN / "python", "-m", "pip", "install", "--quiet", "-e", ".[test]")
    STAMP.write_text(fingerprint)


def okrflow(*arguments: str) -> None:
    run(BIN / "okrflow", *arguments)


def command_run(arguments: list[str]) -> None:
    install()
    okrflow("migrate", "--no-input", "--verbosity", "0")
    okrflow("demo", "--if-empty")
    address = arguments[0] if arguments else "127.0.0.1:8000"
    print(f"\nokrflow is running at http://{address}/ — press Ctrl+C to stop.\n", flush=True)
    env = dict(os.environ)
    env.setdefault("OKRFLOW_DEBUG", "1")
    # The worker started here updates a large cycle's stored insights after each change, so
    # that the request which made it answers at once.
    env.setdefault("OKRFLOW_INSIGHTS_REFRESH_QUEUED", "1")
    background = start_background(env)
    # A service manager stops with SIGTERM: treat it as Ctrl+C so the children stop too.
    signal.signal(signal.SIGTERM, stop_on_signal)
    try:
        with contextlib.suppress(KeyboardInterrupt):
            run(BIN / "okrflow", "runserver", "--noreload", address, env=env)
    finally:
        # A second Ctrl+C or SIGTERM while the children stop must not leave them orphaned.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        stop_background(background)


def stop_on_signal(number: int, frame: object) -> None:
    raise KeyboardInterrupt


def start_background(env: dict[str, str]) -> list[subprocess.Popen[bytes]]:
    """Start the task worker and celery beat (the embedded broker needs no server)."""
    data_dir = Path(env.get("OKRFLOW_DATA_DIR", ROOT / "var"))
    data_dir.mkdir(parents=True, exist_ok=True)
    celery = [str(BIN / "celery"), "-A", "okrflow.background"]
    commands = [
        [*celery, "worker", "--loglevel=WARNING", "--concurrency=2", "--without-gossip"],
        [*celery, "beat", "--loglevel=WARNING", f"--schedule={data_dir / 'celerybeat-schedule'}"],
    ]
    return [subprocess.Popen(command, cwd=ROOT, env=env) for command in commands]


def stop_background(processes: list[subprocess.Popen[bytes]]) -> None:
    """Stop the worker and beat started with the server (they finish the task in hand)."""
    for process in processes:
        if process.poll() is None:
            process.terminate()
    for process in processes:
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def command_test(arguments: list[str]) -> None:
    install()
    # Tasks that tests enqueue without a worker to run them go to a folder of this run, not
    # to the developer's var/queue, where `dev.py run`'s worker would later pick them up.
    with tempfile.TemporaryDirectory(prefix="okrflow-test-queue-") as queue:
        env = os.environ | {"OKRFLOW_QUEUE_DIR": os.environ.get("OKRFLOW_QUEUE_DIR", queue)}
        run(BIN / "python", "-m", "pytest", *arguments, env=env)


def main() -> None:
    commands = {"run": command_run, "test": command_test}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        sys.exit(__doc__)
    commands[sys.argv[1]](sys.argv[2:])


if __name__ == "__main__":
    main()

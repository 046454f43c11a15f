#!/usr/bin/env python3
"""Measure how long a large import makes other writers wait.

    .venv/bin/python bench/import_contention.py                       # SQLite, 300 objectives
    .venv/bin/python bench/import_contention.py --objectives 600 --database postgres

One process imports a JSON file of N objectives with K key results each (`okrflow import`, all
or nothing); a second process records a key-result value every 100 ms through the same action
the web uses, on its own connection, from before the import starts until after it ends. The
script prints the import's duration, the writer's longest and median wait, how many of its
writes waited more than a second, and every error ("database is locked"). A fresh database
each run: a temporary SQLite file, or OKRFLOW_BENCH_POSTGRES (default
postgres://postgres@127.0.0.1:5432/okrflow_d). This is a script that prints figures, never a
timed test.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OKRFLOW = str(ROOT / ".venv" / "bin" / "okrflow")
INTERVAL = 0.1


def django_setup() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "okrflow.settings")
    sys.path.insert(0, str(ROOT))
    django.setup()


def prepare(path: Path, objectives: int, key_results: int) -> dict[str, object]:
    """In the configured process: the demo organisation, and an import file for a unit."""
    django_setup()
    from okrflow.cycles.models import Cycle, CycleState
    from okrflow.okrs.models import KeyResult
    from okrflow.org.models import OrgUnit

    cycle = Cycle.objects.filter(state=CycleState.ACTIVE).order_by("start_date").first()
    unit = OrgUnit.objects.order_by("depth", "path").last()
    target = KeyResult.objects.filter(objective__cycle=cycle, is_archived=False).first()
    document = {
        "format": "okrflow-okrs",
        "version": 1,
        "objectives": [
            {
                "ref": f"B{index}",
                "title": f"Bench objective {index}",
                "owner": {"kind": "unit", "name": unit.name},
                **({"parent": f"B{index // 10}"} if index else {}),
                "key_results": [
                    {
                        "title": f"Reach {100 + k} qualified leads ({index}.{k})",
                        "shape": "metric",
                        "start": "0",
                        "target": str(100 + k),
                        "due": cycle.end_date.isoformat(),
                    }
                    for k in range(key_results)
                ],
            }
            for index in range(objectives)
        ],
    }
    path.write_text(json.dumps(document), encoding="utf-8")
    return {"cycle": cycle.name, "kr": target.pk}


def writer(kr_id: int, stop: Path, started: Path) -> dict[str, object]:
    """In its own process and connection: record a value every 100 ms until told to stop."""
    django_setup()
    from django.db import OperationalError, connection

    from okrflow.okrs.actions import record_key_result_value
    from okrflow.okrs.models import KeyResult

    kr = KeyResult.objects.get(pk=kr_id)
    waits: list[float] = []
    errors: list[str] = []
    value = 0
    started.write_text("ready")
    while not stop.exists():
        value += 1
        began = time.perf_counter()
        try:
            record_key_result_value(None, kr, value=str(value % 90 + 1))
        except OperationalError as error:
            errors.append(f"{time.perf_counter() - began:.1f}s: {error}")
            connection.close()
        waits.append(time.perf_counter() - began)
        time.sleep(max(0.0, INTERVAL - (time.perf_counter() - began)))
    return {
        "writes": len(waits),
        "errors": errors,
        "longest_wait_ms": round(max(waits) * 1000),
        "median_wait_ms": round(statistics.median(waits) * 1000, 1),
        "waits_over_1s": sum(1 for w in waits if w > 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--objectives", type=int, default=300)
    parser.add_argument("--key-results", type=int, default=4)
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--role", choices=["main", "prepare", "writer"], default="main")
    parser.add_argument("--file", default="")
    parser.add_argument("--kr", type=int, default=0)
    args = parser.parse_args()
    if args.role == "prepare":
        print(json.dumps(prepare(Path(args.file), args.objectives, args.key_results)))
        return
    if args.role == "writer":
        folder = Path(args.file)
        print(json.dumps(writer(args.kr, folder / "stop", folder / "started")))
        return

    folder = Path(tempfile.mkdtemp(prefix="okrflow-contention-"))
    env = dict(os.environ)
    if args.database == "sqlite":
        env["OKRFLOW_DATABASE_URL"] = f"sqlite:///{folder / 'okrflow.sqlite3'}"
    else:
        env["OKRFLOW_DATABASE_URL"] = os.environ.get(
            "OKRFLOW_BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432/okrflow_d"
        )
    env["OKRFLOW_DEBUG"] = "0"
    env.setdefault("OKRFLOW_SECRET_KEY", "bench-" + "x" * 50)

    def run(*command: str) -> str:
        done = subprocess.run(command, env=env, check=True, capture_output=True, text=True)
        return done.stdout

    run(OKRFLOW, "migrate", "--verbosity", "0")
    run(OKRFLOW, "demo", "--reset")
    file = folder / "import.json"
    me = [sys.executable, __file__, "--objectives", str(args.objectives)]
    facts = json.loads(
        run(*me, "--key-results", str(args.key_results), "--role", "prepare", "--file", str(file))
    )
    writer_process = subprocess.Popen(
        [*me, "--role", "writer", "--file", str(folder), "--kr", str(facts["kr"])],
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    while not (folder / "started").exists():
        time.sleep(0.05)
    time.sleep(1)
    began = time.perf_counter()
    imported = subprocess.run(
        [OKRFLOW, "import", str(file), "--cycle", str(facts["cycle"])],
        env=env,
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - began
    time.sleep(1)
    (folder / "stop").write_text("stop")
    out, _ = writer_process.communicate(timeout=120)
    report = {
        "database": args.database,
        "objectives": args.objectives,
        "key_results": args.objectives * args.key_results,
        "import_seconds": round(seconds, 1),
        "import_ok": imported.returncode == 0,
        "import_tail": (imported.stdout + imported.stderr).strip().splitlines()[-1:],
        "other_writer": json.loads(out),
    }
    print(json.dumps(report, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()

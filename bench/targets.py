"""Issue 14's targets, judged from the rows `bench.py` prints.

`judge(rows)` returns one verdict a target and measurement: what the target asks, what was
measured (with its floor where it has one) and whether it is met. Pure: rows in, verdicts out,
so the rules are tested without a database (tests/test_bench_targets.py).

The targets are the issue's, for the 10,000-person organisation; `bench.py` judges whatever it
measured, and each verdict names its database and number of people.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

INSIGHTS_PAGES = (
    "insights: company",
    "insights: unit",
    "insights: person",
    "insights: F.A.C.T.S.",
    "insights: risks",
    "insights: review",
)
EVERYDAY_PAGES = ("overview", "company tree", "My OKRs", "objective page", "check-in page")
WRITE_PATH = "check-in submission (8 KRs), write path alone"
SCALED_LOAD = "check-in load (submissions over HTTP), insight refresh queued"
FULL_REFRESH = "refresh-insights --full (a fresh process)"
INCREMENTAL_REFRESH = "refresh-insights after 1,000 check-ins (incremental, a fresh process)"
OKRS_JSON = "okrs --json (a fresh process)"
IMPORT = "import of"
IMPORT_SIZE = 150_000  # the key results the import target is set for

INSIGHTS_MS = 150.0
INSIGHTS_TIMES_FLOOR = 20.0
GROWTH = 1.5
EVERYDAY_MS = 80.0
WRITE_QUERIES = 25
WRITE_MS = 40.0
CHECKINS_PER_S = 150.0
P95_MS = 300.0
WORKER_RSS_MB = 150.0
IMPORT_MS = 60_000.0
IMPORT_RSS_MB = 500.0
FULL_REFRESH_MS = 15_000.0
INCREMENTAL_MS = 2_000.0
OKRS_JSON_RSS_MB = 150.0


@dataclass(frozen=True)
class Verdict:
    target: str
    database: str
    people: int
    measured: str
    met: bool

    def as_row(self) -> dict[str, Any]:
        return {
            "what": f"target: {self.target}",
            "persona": "-",
            "database": self.database,
            "people": self.people,
            "measured": self.measured,
            "met": self.met,
        }


def judge(rows: Iterable[dict[str, Any]]) -> list[Verdict]:
    """Every target each row bears on, in the order the rows came."""
    rows = list(rows)
    verdicts: list[Verdict] = []
    for row in rows:
        verdicts.extend(row_verdicts(row))
    verdicts.extend(growth_verdicts(rows))
    return verdicts


def row_verdicts(row: dict[str, Any]) -> Iterator[Verdict]:
    what, persona, ms = row["what"], row["persona"], row["ms"]
    database, people = row["database"], row["people"]

    def verdict(target: str, measured: str, met: bool) -> Verdict:
        return Verdict(target, database, people, measured, met)

    if what in INSIGHTS_PAGES:
        yield verdict(
            f"insights page ≤ {INSIGHTS_MS:.0f} ms",
            f"{what}, {persona}: {ms:.1f} ms",
            ms <= INSIGHTS_MS,
        )
        floor = row.get("floor_ms")
        if floor:
            times = ms / floor
            yield verdict(
                f"insights page ≤ {INSIGHTS_TIMES_FLOOR:.0f}× the floor",
                f"{what}, {persona}: {times:.1f}× (floor {floor:.1f} ms)",
                times <= INSIGHTS_TIMES_FLOOR,
            )
    elif what in EVERYDAY_PAGES:
        yield verdict(
            f"everyday page ≤ {EVERYDAY_MS:.0f} ms",
            f"{what}, {persona}: {ms:.1f} ms",
            ms <= EVERYDAY_MS,
        )
    elif what.startswith(WRITE_PATH):
        queries = row["queries"]
        yield verdict(
            f"check-in submission ≤ {WRITE_QUERIES} queries, ≤ {WRITE_MS:.0f} ms",
            f"{queries} queries, {ms:.1f} ms",
            queries is not None and queries <= WRITE_QUERIES and ms <= WRITE_MS,
        )
    elif what.startswith(SCALED_LOAD):
        rate, p95 = row["checkins_per_s"], row["p95_ms"]
        rss = max(row["worker_rss_mb"] or [0.0])
        yield verdict(
            f"≥ {CHECKINS_PER_S:.0f} check-ins/s, p95 ≤ {P95_MS:.0f} ms",
            f"{rate:.1f}/s, p95 {p95:.1f} ms",
            rate >= CHECKINS_PER_S and p95 <= P95_MS,
        )
        yield verdict(
            "0 errors, every write in the database",
            f"{row['errors']} errors, all written: {'yes' if row['all_written'] else 'no'}",
            row["errors"] == 0 and bool(row["all_written"]),
        )
        yield verdict(
            f"worker RSS after the load ≤ {WORKER_RSS_MB:.0f} MB",
            f"{rss:.1f} MB (largest worker)",
            rss <= WORKER_RSS_MB,
        )
    elif what.startswith(IMPORT) and row.get("key_results", 0) >= IMPORT_SIZE:
        rss = row["peak_rss_mb"]
        yield verdict(
            f"import of {IMPORT_SIZE:,} key results ≤ {IMPORT_MS / 1000:.0f} s, "
            f"≤ {IMPORT_RSS_MB:.0f} MB",
            f"{ms / 1000:.1f} s ({row['cpu_s']} s CPU), {rss} MB",
            ms <= IMPORT_MS and rss <= IMPORT_RSS_MB,
        )
    elif what == FULL_REFRESH:
        yield verdict(
            f"full refresh ≤ {FULL_REFRESH_MS / 1000:.0f} s",
            f"{ms / 1000:.1f} s ({row['cpu_s']} s CPU)",
            ms <= FULL_REFRESH_MS,
        )
    elif what == INCREMENTAL_REFRESH:
        yield verdict(
            f"incremental refresh after 1,000 check-ins ≤ {INCREMENTAL_MS / 1000:.0f} s",
            f"{ms / 1000:.1f} s ({row['cpu_s']} s CPU)",
            ms <= INCREMENTAL_MS,
        )
    elif what == OKRS_JSON:
        rss = row["peak_rss_mb"]
        yield verdict(
            f"okrs --json peak RSS ≤ {OKRS_JSON_RSS_MB:.0f} MB",
            f"{rss} MB (Django alone: {row['floor_rss_mb']} MB)",
            rss <= OKRS_JSON_RSS_MB,
        )


def growth_verdicts(rows: list[dict[str, Any]]) -> Iterator[Verdict]:
    """Each insights page from the smallest to the largest organisation measured (both in the
    run): its time may grow at most ×1.5."""
    by_page: dict[tuple[str, str, str], dict[int, float]] = {}
    for row in rows:
        if row["what"] in INSIGHTS_PAGES:
            key = (row["database"], row["what"], row["persona"])
            by_page.setdefault(key, {})[row["people"]] = row["ms"]
    for (database, what, persona), times in by_page.items():
        if len(times) < 2:
            continue
        small, large = min(times), max(times)
        growth = times[large] / times[small]
        yield Verdict(
            f"insights page grows ≤ ×{GROWTH} from {small:,} to {large:,} people",
            database,
            large,
            f"{what}, {persona}: {times[small]:.1f} → {times[large]:.1f} ms (×{growth:.2f})",
            growth <= GROWTH,
        )

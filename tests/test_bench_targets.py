"""The benchmark's verdicts on issue 14's targets (bench/targets.py): pure rules on its rows."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

import targets


def row(what, ms, *, persona="member", people=10000, database="postgresql", **extra):
    return {
        "what": what,
        "persona": persona,
        "database": database,
        "people": people,
        "ms": ms,
        "floor_ms": extra.pop("floor_ms", None),
        "queries": extra.pop("queries", None),
        **extra,
    }


def verdicts(*rows):
    return {(v.target, v.measured): v.met for v in targets.judge(rows)}


def test_insights_page_is_judged_on_its_time_and_on_its_floor():
    judged = targets.judge([row("insights: unit", 151.0, floor_ms=5.0)])
    assert [(v.target, v.met) for v in judged] == [
        ("insights page ≤ 150 ms", False),
        ("insights page ≤ 20× the floor", False),
    ]
    judged = targets.judge([row("insights: unit", 100.0, floor_ms=5.0)])
    assert [v.met for v in judged] == [True, True]
    assert judged[1].measured == "insights: unit, member: 20.0× (floor 5.0 ms)"


def test_everyday_pages_and_the_write_path():
    assert verdicts(row("company tree", 80.0)) == {
        ("everyday page ≤ 80 ms", "company tree, member: 80.0 ms"): True
    }
    assert list(verdicts(row("objective page", 80.1)).values()) == [False]
    write = "check-in submission (8 KRs), write path alone (no in-request insight refresh)"
    assert list(verdicts(row(write, 18.0, queries=13)).values()) == [True]
    assert list(verdicts(row(write, 18.0, queries=26)).values()) == [False]
    assert list(verdicts(row(write, 41.0, queries=13)).values()) == [False]
    # The submission with the in-request refresh (no broker) is not the target's.
    assert verdicts(row("check-in submission (8 key results)", 500.0, queries=68)) == {}


def test_the_scaled_load():
    load = row(
        "check-in load (submissions over HTTP), insight refresh queued (broker, the scaled shape)",
        200.0,
        checkins_per_s=149.9,
        p95_ms=200.0,
        errors=0,
        all_written=True,
        worker_rss_mb=[140.0, 151.0],
    )
    judged = {v.target: v for v in targets.judge([load])}
    assert not judged["≥ 150 check-ins/s, p95 ≤ 300 ms"].met
    assert judged["0 errors, every write in the database"].met
    assert not judged["worker RSS after the load ≤ 150 MB"].met
    assert judged["worker RSS after the load ≤ 150 MB"].measured == "151.0 MB (largest worker)"
    fast = {**load, "checkins_per_s": 150.0, "errors": 1, "worker_rss_mb": [150.0]}
    judged = {v.target: v.met for v in targets.judge([fast])}
    assert judged["≥ 150 check-ins/s, p95 ≤ 300 ms"]
    assert not judged["0 errors, every write in the database"]
    assert judged["worker RSS after the load ≤ 150 MB"]
    # The write path alone under load is measured but is not the scaled shape's target.
    alone = {**load, "what": "check-in load (submissions over HTTP), write path alone"}
    assert targets.judge([alone]) == []


def test_whole_cycle_jobs_and_the_import():
    full = row(targets.FULL_REFRESH, 15_001.0, persona="-", cpu_s=10.0)
    incremental = row(targets.INCREMENTAL_REFRESH, 1_999.0, persona="-", cpu_s=1.0)
    json_rss = row(targets.OKRS_JSON, 9_000.0, persona="-", peak_rss_mb=150, floor_rss_mb=90)
    small = row("import of 15,000 key results (4,000 objectives)", 9_000.0, key_results=15_000)
    large = row(
        "import of 150,000 key results (40,000 objectives)",
        59_000.0,
        key_results=150_000,
        cpu_s=50.0,
        peak_rss_mb=501,
    )
    judged = [(v.target, v.met) for v in targets.judge([full, incremental, json_rss, small, large])]
    assert judged == [
        ("full refresh ≤ 15 s", False),
        ("incremental refresh after 1,000 check-ins ≤ 2 s", True),
        ("okrs --json peak RSS ≤ 150 MB", True),
        ("import of 150,000 key results ≤ 60 s, ≤ 500 MB", False),
    ]


def test_growth_from_the_smallest_to_the_largest_organisation():
    rows = [
        row("insights: company", 40.0, people=1000),
        row("insights: company", 60.0, people=10000),
        row("insights: risks", 20.0, people=1000, persona="company lead"),
        row("insights: risks", 30.1, people=10000, persona="company lead"),
        row("insights: review", 30.0, people=10000),  # one size only: no growth to judge
    ]
    growth = [v for v in targets.judge(rows) if v.target.startswith("insights page grows")]
    assert [(v.measured, v.met, v.people) for v in growth] == [
        ("insights: company, member: 40.0 → 60.0 ms (×1.50)", True, 10000),
        ("insights: risks, company lead: 20.0 → 30.1 ms (×1.51)", False, 10000),
    ]
    assert growth[0].target == "insights page grows ≤ ×1.5 from 1,000 to 10,000 people"
    # Databases are never compared with each other.
    mixed = [row("insights: company", 10.0, people=1000, database="sqlite"), rows[1]]
    assert not [v for v in targets.judge(mixed) if v.target.startswith("insights page grows")]

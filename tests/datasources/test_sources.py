"""Feed a key result from each kind of source against real local servers and files, and fail in
every way a source can: nothing is recorded, the error is stored, the owner is told once."""

from __future__ import annotations

import io
import json
import sqlite3
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection

from okrflow.cycles.models import CycleState
from okrflow.datasources.actions import save_data_source
from okrflow.datasources.models import DataSource
from okrflow.datasources.running import refresh_source, runnable_sources, try_source
from okrflow.notifications.models import Notification
from okrflow.okrs.models import KeyResult, KeyResultValue
from tests.conftest import World
from tests.datasources.conftest import WebServer

pytestmark = pytest.mark.django_db


def feed(kr: KeyResult, **fields: Any) -> DataSource:
    fields.setdefault("schedule", "hourly")
    return save_data_source(None, kr, **fields).source


def run(source: DataSource) -> Any:
    result = refresh_source(source.pk)
    source.refresh_from_db()
    return result


def values_of(kr: KeyResult) -> list[KeyResultValue]:
    return list(KeyResultValue.objects.filter(key_result=kr))


def sqlite_file(folder: Path, name: str = "sales.sqlite3") -> Path:
    path = folder / name
    with sqlite3.connect(path) as db:
        db.execute("create table signups (day text, count integer)")
        db.executemany("insert into signups values (?, ?)", [("mon", 1200), ("tue", 1300)])
    return path


# --- Each kind feeds the key result -----------------------------------------------------------


def test_a_json_endpoint_feeds_the_key_result_through_the_value_action(
    kr: KeyResult, web: WebServer
) -> None:
    url = web.answer("/stats", json.dumps({"data": {"followers": [{"n": 4321.5}]}}))
    source = feed(
        kr,
        kind="json",
        url=url,
        json_path="$.data.followers[0].n",
        headers="Authorization: Bearer s3cret-token-123",
    )
    result = run(source)
    assert result.ok and result.value == Decimal("4321.5")
    kr.refresh_from_db()
    assert kr.current_value == Decimal("4321.5")
    [entry] = values_of(kr)
    assert entry.source == KeyResultValue.Source.DATA_SOURCE
    assert entry.data_source_id == source.pk
    assert source.last_value == Decimal("4321.5") and source.last_run_at is not None
    assert web.seen[-1]["Authorization"] == "Bearer s3cret-token-123"
    # The token is stored encrypted, never as it was typed.
    assert "s3cret" not in source.secrets_encrypted


def test_the_same_value_read_again_the_same_day_adds_no_row(kr: KeyResult, web: WebServer) -> None:
    source = feed(kr, kind="json", url=web.answer("/n", "17"), json_path="")
    run(source)
    run(source)
    assert [v.value for v in values_of(kr)] == [Decimal(17)]
    web.answer("/n", "18")
    run(source)
    assert [v.value for v in values_of(kr)] == [Decimal(17), Decimal(18)]


def test_a_csv_at_a_url_by_header_name_and_last_row(kr: KeyResult, web: WebServer) -> None:
    csv_text = 'week,signups,note\n1,120,ok\n2,"1,250",late\n'
    url = web.answer("/export?format=csv", csv_text, content_type="text/csv")
    source = feed(kr, kind="csv", url=url, row="last", column="Signups")
    assert run(source).value == Decimal(1250)
    source = feed(kr, kind="csv", url=url, row="1", column="2")
    assert try_source(source).value == Decimal(120)


def test_a_published_spreadsheet_gets_its_sheet_named_in_the_url(
    kr: KeyResult, web: WebServer
) -> None:
    web.answer("/pub?output=csv&gid=7", "a,b\n1,2\n", content_type="text/csv")
    source = feed(kr, kind="csv", url=web.url("/pub?output=csv"), sheet="7", column="b", row="1")
    assert run(source).value == Decimal(2)
    assert web.seen[-1]["path"] == "/pub?output=csv&gid=7"


def test_a_csv_file_in_an_allowed_folder(kr: KeyResult, files: Path, tmp_path: Path) -> None:
    (files / "leads.csv").write_text("month;leads\nApril;40\nMay;55,5\n", encoding="utf-8")
    source = feed(kr, kind="csv", file_path=str(files / "leads.csv"), column="leads")
    assert run(source).value == Decimal("55.5")
    outside = tmp_path / "secret.csv"
    outside.write_text("a\n1\n")
    source = feed(kr, kind="csv", file_path=str(outside), column="a")
    result = run(source)
    assert not result.ok and result.error_code == "refused"
    # A path that climbs out of the folder is the same file outside it.
    source = feed(kr, kind="csv", file_path=str(files / ".." / "secret.csv"), column="a")
    assert run(source).error_code == "refused"


def test_an_sql_query_on_a_sqlite_file_opened_read_only(kr: KeyResult, files: Path) -> None:
    path = sqlite_file(files)
    source = feed(
        kr,
        kind="sql",
        database_url=f"sqlite:///{path}",
        query="select sum(count) from signups",
    )
    assert run(source).value == Decimal(2500)
    assert str(path) not in source.secrets_encrypted
    source = feed(kr, kind="sql", query="delete from signups")
    result = run(source)
    assert not result.ok and result.error_code in ("permission_denied", "not_one_row")
    with sqlite3.connect(path) as db:
        assert db.execute("select count(*) from signups").fetchone() == (2,)


def test_the_cli_runs_the_sources_and_prints_each(kr: KeyResult, web: WebServer) -> None:
    feed(kr, kind="json", url=web.answer("/n", '{"value": 7}'), json_path="value")
    out = io.StringIO()
    call_command("sources", "run", "--json", stdout=out)
    [line] = json.loads(out.getvalue())
    assert line == {
        "key_result": kr.pk,
        "kind": "json",
        "ok": True,
        "value": "7",
        "error": "",
        "recorded": True,
    }
    web.answer("/n", "not json", content_type="text/plain")
    out = io.StringIO()
    call_command("sources", "run", stdout=out)
    assert f"KR {kr.pk}\tjson\tfailed\tThe answer is not valid JSON." in out.getvalue()
    out = io.StringIO()
    call_command("sources", "run", "--due", "--json", stdout=out)
    assert json.loads(out.getvalue()) == []  # just run: its next turn is an hour away


# --- Failures ---------------------------------------------------------------------------------

FAILURES = [
    ("timeout", {"body": "1", "delay": 3.5}, "", "timeout"),
    ("bad json", {"body": "{not json"}, "", "bad_json"),
    ("no value", {"body": '{"other": 1}'}, "value", "no_value"),
    ("not a number", {"body": '{"value": "lots"}'}, "value", "not_a_number"),
    ("permission denied", {"body": "no", "status": 403}, "", "permission_denied"),
    ("http error", {"body": "oops", "status": 500}, "", "http_error"),
    ("too big", {"body": "1" * 20_000}, "", "too_big"),
]


@pytest.mark.parametrize(
    ("answer", "path", "code"),
    [pytest.param(a, p, c, id=name) for name, a, p, c in FAILURES],
)
def test_a_failing_json_source_records_nothing_and_stores_the_error(
    kr: KeyResult, web: WebServer, answer: dict[str, Any], path: str, code: str
) -> None:
    source = feed(kr, kind="json", url=web.answer("/v", **answer), json_path=path)
    result = run(source)
    assert not result.ok and result.error_code == code
    assert values_of(kr) == []
    assert source.last_error_code == code and source.last_error_at is not None
    assert source.failing_since is not None


@pytest.mark.parametrize(
    ("csv_text", "row", "column", "code"),
    [
        ("a,b\n1,2\n", "5", "a", "no_value"),  # no such row
        ("a,b\n1,2\n", "1", "c", "no_value"),  # no such column
        ("a,b\n1,many\n", "1", "b", "not_a_number"),
        (b"\xff\xfe\x00bad", "1", "1", "bad_csv"),
    ],
)
def test_a_failing_csv_source(
    kr: KeyResult, web: WebServer, csv_text: Any, row: str, column: str, code: str
) -> None:
    source = feed(kr, kind="csv", url=web.answer("/c", csv_text), row=row, column=column)
    assert run(source).error_code == code
    assert values_of(kr) == []


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("select count from signups where day = 'sun'", "not_one_row"),
        ("select count from signups", "not_one_row"),
        ("select day from signups where day = 'mon'", "not_a_number"),
        ("select nothing from nowhere", "query_error"),
        ("insert into signups values ('wed', 1)", "permission_denied"),
    ],
)
def test_a_failing_sqlite_query(kr: KeyResult, files: Path, query: str, code: str) -> None:
    path = sqlite_file(files)
    source = feed(kr, kind="sql", database_url=f"sqlite:///{path}", query=query)
    assert run(source).error_code == code
    assert values_of(kr) == []


def test_the_owner_is_told_once_until_the_source_recovers(
    kr: KeyResult, web: WebServer, world: World
) -> None:
    source = feed(kr, kind="json", url=web.answer("/v", "broken"), json_path="")
    run(source)
    run(source)
    # The owner only: nobody else hears of a source's failure (its error may name its place).
    [told] = Notification.objects.filter(kind="source_failed")
    assert told.recipient == world.member and told.key_result_id == kr.pk
    assert told.params["source_kind"] == "json"
    assert told.params["error"].startswith("The answer is not valid JSON.")
    web.answer("/v", "12")
    run(source)
    assert source.failing_since is None and source.last_error_code == ""
    web.answer("/v", "broken again")
    run(source)
    assert Notification.objects.filter(recipient=world.member, kind="source_failed").count() == 2


def test_a_value_that_does_not_fit_the_key_result_is_a_failure_not_a_500(
    kr: KeyResult, web: WebServer
) -> None:
    kr.shape = "milestone"
    kr.save()
    source = feed(kr, kind="json", url=web.answer("/v", "7"), json_path="")
    result = run(source)
    assert not result.ok and result.error_code == "not_recorded"
    assert values_of(kr) == []


def test_closed_cycles_and_push_sources_are_not_run(kr: KeyResult, world: World) -> None:
    feed(kr, kind="json", url="http://127.0.0.1:9/", json_path="")
    assert runnable_sources().count() == 1
    world.cycle.state = CycleState.CLOSED
    world.cycle.save()
    assert runnable_sources().count() == 0


# --- The guard ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "http://169.254.169.254/latest/meta-data/",
        "http://[fe80::1]/x",
        "http://100.100.100.200/latest/meta-data/",
        "http://[fd00:ec2::254]/latest/meta-data/",
        "http://0.0.0.0:80/",
        "http://[::ffff:169.254.169.254]/",
    ],
)
def test_metadata_and_link_local_addresses_are_refused(kr: KeyResult, url: str) -> None:
    source = feed(kr, kind="json", url=url, json_path="")
    result = run(source)
    assert result.error_code == "refused", result.error


def test_a_redirect_to_a_metadata_address_is_refused(kr: KeyResult, web: WebServer) -> None:
    url = web.answer("/go", "", status=302, headers={"Location": "http://169.254.169.254/latest/"})
    source = feed(kr, kind="json", url=url, json_path="")
    assert run(source).error_code == "refused"
    # A redirect to an allowed place is followed, without the source's own headers if the
    # host changes.
    web.answer("/final", "5")
    web.answer("/hop", "", status=302, headers={"Location": web.url("/final")})
    source = feed(kr, kind="json", url=web.url("/hop"), json_path="")
    assert run(source).value == Decimal(5)


def test_loopback_is_refused_when_the_setting_says_so(
    kr: KeyResult, web: WebServer, settings: Any
) -> None:
    source = feed(kr, kind="json", url=web.answer("/v", "1"), json_path="")
    settings.DATA_SOURCE_ALLOW_LOOPBACK = False
    assert run(source).error_code == "refused"


def test_okrflows_own_sqlite_file_is_refused(kr: KeyResult, settings: Any) -> None:
    if connection.vendor != "sqlite":
        pytest.skip("okrflow runs on PostgreSQL here: its own-server test covers this run")
    own = Path(connection.settings_dict["NAME"])
    # Even from an allowed folder: allow the folder the database lives in.
    settings.DATA_SOURCE_FILE_DIRS = [str(own.parent)]
    source = feed(
        kr, kind="sql", database_url=f"sqlite:///{own}", query="select count(*) from auth_user"
    )
    result = run(source)
    assert result.error_code == "refused" and "own database" in result.error_detail


def test_okrflows_own_postgresql_database_is_refused(kr: KeyResult) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("okrflow runs on SQLite here: its own-file test covers this run")
    own = connection.settings_dict
    url = (
        f"postgres://{own['USER']}:{own.get('PASSWORD') or ''}@{own.get('HOST') or 'localhost'}"
        f":{own.get('PORT') or 5432}/{own['NAME']}"
    )
    source = feed(kr, kind="sql", database_url=url, query="select count(*) from auth_user")
    result = run(source)
    assert result.error_code == "refused" and "own database" in result.error_detail
    # The same server by another name of the host is the same database.
    source = feed(
        kr,
        kind="sql",
        database_url=url.replace(own.get("HOST") or "localhost", "localhost", 1),
        query="select 1",
    )
    assert run(source).error_code == "refused"


def test_an_unreachable_database_is_a_clear_error_without_its_password(
    kr: KeyResult, files: Path
) -> None:
    """A wrong password is a clear error; the password itself is never in it."""
    source = feed(
        kr,
        kind="sql",
        database_url="mysql://reader:Pa55word-xyz@127.0.0.1:9/sales",
        query="select 1",
    )
    result = run(source)
    assert not result.ok
    assert "Pa55word" not in result.error and "Pa55word" not in source.last_error_detail


def test_a_refresh_costs_a_fixed_number_of_queries(
    kr: KeyResult, web: WebServer, django_assert_max_num_queries: Any
) -> None:
    source = feed(kr, kind="json", url=web.answer("/n", "5"), json_path="")
    with django_assert_max_num_queries(20):
        assert refresh_source(source.pk).recorded

"""Shared fixtures: a small organisation with the four personas every view test uses."""

from __future__ import annotations

import datetime
import os
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.utils import translation
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from okrflow.cycles.actions import create_cycle
from okrflow.cycles.models import Cycle, CycleState
from okrflow.okrs.actions import create_key_result, create_objective
from okrflow.okrs.models import Objective
from okrflow.org.actions import create_person, create_unit, set_unit_lead
from okrflow.org.models import OrgUnit, Person
from tests.security.counts import (  # noqa: F401 - hooks printing the security suites' counts
    pytest_runtest_logreport,
    pytest_terminal_summary,
)

PASSWORD = "correct-horse-42"

# Property tests must not depend on how busy the machine is: no per-example deadline and no
# "too slow" health check (both fired under load on the 2-core CI machine). In CI the examples
# are derived from each test's name, so a run is repeatable; locally they stay random and keep
# exploring.
hypothesis_settings.register_profile(
    "okrflow",
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=bool(os.environ.get("CI")),
    database=None if os.environ.get("CI") else hypothesis_settings.default.database,
)
hypothesis_settings.load_profile("okrflow")


@dataclass
class World:
    company: OrgUnit
    marketing: OrgUnit
    content_team: OrgUnit
    sales: OrgUnit
    admin: Person
    ceo: Person
    lead: Person  # head of marketing: the unit lead persona
    member: Person  # a marketing specialist: the member persona
    teammate: Person  # another specialist in marketing's content team
    sales_head: Person
    outsider: Person  # in no unit
    cycle: Cycle


@pytest.fixture(autouse=True)
def fast_passwords(settings) -> None:  # type: ignore[no-untyped-def]
    """Hash test passwords cheaply; PBKDF2's deliberate slowness only slows the suite."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def no_pending_insight_updates() -> None:
    """Start every test without audit entries left waiting by an earlier test's transaction."""
    from okrflow.insights.live_updates import forget_pending

    forget_pending()


@pytest.fixture(autouse=True)
def empty_cache() -> None:
    """Start every test with an empty cache: rate counters must not leak from one to the next."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def english() -> None:
    """Run tests in English unless a test switches language itself."""
    translation.activate("en")


@pytest.fixture
def world(db: None) -> World:
    return build_world()


def build_world(language: str = "en") -> World:
    """Create the personas' organisation (everyone reading `language`) and an active Q2 2026 cycle."""
    company = create_unit(None, name="Sao Viet")
    marketing = create_unit(None, name="Marketing", parent=company)
    content_team = create_unit(None, name="Content", parent=marketing)
    sales = create_unit(None, name="Sales", parent=company)

    def person(
        username: str, unit: OrgUnit | None, manager: Person | None, **extra: object
    ) -> Person:
        return create_person(
            None,
            username=username,
            full_name=username.replace(".", " ").title(),
            password=PASSWORD,
            unit=unit,
            manager=manager,
            language=language,
            **extra,  # type: ignore[arg-type]
        )

    admin = person("admin", company, None, is_admin=True)
    ceo = person("ceo", company, None)
    lead = person("head.marketing", marketing, ceo)
    member = person("specialist.marketing", marketing, lead)
    teammate = person("writer.content", content_team, member)
    sales_head = person("head.sales", sales, ceo)
    outsider = person("outsider", None, None)
    set_unit_lead(None, company, ceo)
    set_unit_lead(None, marketing, lead)
    set_unit_lead(None, sales, sales_head)
    cycle = create_cycle(
        None,
        name="Q2 2026",
        start_date=datetime.date(2026, 4, 1),
        end_date=datetime.date(2026, 6, 30),
        state=CycleState.ACTIVE,
    )
    return World(
        company,
        marketing,
        content_team,
        sales,
        admin,
        ceo,
        lead,
        member,
        teammate,
        sales_head,
        outsider,
        cycle,
    )


def make_objective(
    world: World, owner: object, title: str = "Delight loyal customers", **extra: object
) -> Objective:
    """Create an objective with one metric key result, as the system."""
    objective = create_objective(None, cycle=world.cycle, title=title, owner=owner, **extra).value  # type: ignore[arg-type]
    create_key_result(
        None,
        objective,
        title="Raise retention from 80% to 95%",
        shape="percentage",
        start_value=Decimal("80"),
        target_value=Decimal("95"),
        owner=owner if isinstance(owner, Person) else world.lead,
    )
    return objective


DEMO_DAY = datetime.date(2026, 11, 27)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    """pytest-django's test database, with other sessions closed before it is dropped.

    Task workers, live-server threads and the scaled-shape processes the tests start may keep a
    connection open a moment after they stop; PostgreSQL then refuses to drop the database
    ("is being accessed by other users"). Ending those sessions first makes teardown certain.
    """
    yield
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
    connection.close()


@pytest.fixture(scope="module")
def demo_org(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    """Build the demo organisation once per test module, inside a transaction rolled back after.

    Each test still runs in its own savepoint (the `db` fixture), so tests stay independent;
    building the demo (hundreds of actions) once instead of per test keeps the suite fast.
    """
    import time_machine
    from django.conf import settings
    from django.db import transaction

    from okrflow.demo.loader import build_demo

    hashers = settings.PASSWORD_HASHERS
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            noon = datetime.datetime(2026, 11, 27, 12, tzinfo=datetime.UTC)
            with time_machine.travel(noon, tick=False):
                summary = build_demo(DEMO_DAY, say=lambda _text: None)
            yield summary
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            settings.PASSWORD_HASHERS = hashers

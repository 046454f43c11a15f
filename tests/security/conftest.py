"""The planted organisation both generated suites share, built once per module, and their counts.

Building it once per module (inside a transaction rolled back at the end, each test in its own
savepoint, as `demo_org` does) keeps ids stable within a worker, so the pages crawled for forms
once serve every test of the module.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import time_machine

from tests.checkins.conftest import WEDNESDAY
from tests.conftest import build_world
from tests.security.planting import Planted, plant


@pytest.fixture(scope="module")
def planted(django_db_setup: Any, django_db_blocker: Any) -> Iterator[Planted]:
    from django.conf import settings
    from django.db import transaction

    hashers = settings.PASSWORD_HASHERS
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with django_db_blocker.unblock(), time_machine.travel(WEDNESDAY, tick=False):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield plant(build_world())
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            settings.PASSWORD_HASHERS = hashers


@pytest.fixture
def frozen_wednesday() -> Iterator[None]:
    with time_machine.travel(WEDNESDAY, tick=False):
        yield

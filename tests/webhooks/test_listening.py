"""Whether any subscription listens is asked after every write: kept in the cache, and asked
of the database again as soon as a subscription changes (its transaction committed)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from okrflow.webhooks.listening import ANSWER_KEY, any_listening
from okrflow.webhooks.models import Subscription

pytestmark = pytest.mark.django_db


def queries_for_answer() -> tuple[bool, int]:
    with CaptureQueriesContext(connection) as queries:
        answer = any_listening()
    return answer, len(queries)


def test_the_answer_is_kept_until_a_subscription_changes(
    django_capture_on_commit_callbacks: Any,
) -> None:
    assert queries_for_answer() == (False, 1)
    assert queries_for_answer() == (False, 0)  # every later write: no query
    with django_capture_on_commit_callbacks(execute=True):
        subscription = Subscription.objects.create(name="Chat", url="https://example.com/hook")
    assert queries_for_answer() == (True, 1)
    assert queries_for_answer() == (True, 0)
    with django_capture_on_commit_callbacks(execute=True):
        subscription.is_paused = True
        subscription.save()
    assert queries_for_answer() == (False, 1)
    with django_capture_on_commit_callbacks(execute=True):
        subscription.delete()
    assert queries_for_answer() == (False, 1)


def test_an_answer_read_before_a_change_commits_is_not_taken_after_it(
    django_capture_on_commit_callbacks: Any,
) -> None:
    """A reader that asked the database just before the change committed stores an answer of
    the old version: the next question asks the database again."""
    from django.core.cache import cache

    assert any_listening() is False
    stale = cache.get(ANSWER_KEY)
    with django_capture_on_commit_callbacks(execute=True):
        Subscription.objects.create(name="Chat", url="https://example.com/hook")
    cache.set(ANSWER_KEY, stale)  # the slow reader's answer lands after the commit
    assert queries_for_answer() == (True, 1)


def test_a_change_rolled_back_keeps_the_answer(django_capture_on_commit_callbacks: Any) -> None:
    assert any_listening() is False
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        Subscription.objects.create(name="Chat", url="https://example.com/hook")
    assert callbacks  # the new version waits for the commit, which never comes here
    assert queries_for_answer() == (False, 0)

"""Who reports to whom, down the manager chain: the walk that every insights page makes for
its reader finds the same people, however it is planned, and stops past its budget."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from okrflow.org.access import Access
from okrflow.org.models import Person


def person(name: str, manager: Person | None = None) -> Person:
    user = get_user_model().objects.create_user(username=name, password="x")
    return Person.objects.create(user=user, full_name=name, manager=manager)


@pytest.mark.django_db
def test_the_walk_finds_every_level_and_stops_past_its_budget() -> None:
    """Three levels below the top, a loop back to the top, and someone outside the chain."""
    top = person("top")
    heads = [person(f"head{n}", top) for n in range(3)]
    leads = [person(f"lead{n}", heads[n % 3]) for n in range(6)]
    staff = [person(f"staff{n}", leads[n % 6]) for n in range(12)]
    Person.objects.filter(pk=top.pk).update(manager=staff[0])  # a loop ends the walk too
    person("outsider")
    expected = {p.pk: None for p in heads + leads + staff}
    access = Access(top.user)
    assert access.walk_down(None) == expected
    assert access.walk_down(len(expected)) == expected  # the budgeted form of the statement
    assert access.walk_down(len(expected) - 1) is None
    assert Access(leads[1].user).walk_down(5) == {staff[1].pk: None, staff[7].pk: None}
    # Through the loop, whoever manages the top reaches everyone but themselves.
    assert set(Access(staff[0].user).walk_down(None) or {}) == {top.pk, *expected} - {staff[0].pk}

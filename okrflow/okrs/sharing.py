"""Who shares an objective and its key results: co-owners and followers, read in bulk."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q

from okrflow.okrs.models import CoOwner, Follower, KeyResult, Objective
from okrflow.org.models import Person


@dataclass
class Sharing:
    """The co-owners and explicit followers of one objective and of each of its key results."""

    co_owners: list[Person] = field(default_factory=list)
    followers: list[Person] = field(default_factory=list)
    kr_co_owners: dict[int, list[Person]] = field(default_factory=lambda: defaultdict(list))
    kr_followers: dict[int, list[Person]] = field(default_factory=lambda: defaultdict(list))


def sharing_of(objective: Objective, kr_ids: list[int]) -> Sharing:
    """Load the objective's and its key results' co-owners and followers in two queries."""
    found = Sharing()
    where = Q(objective=objective) | Q(key_result_id__in=kr_ids)
    for row in CoOwner.objects.filter(where).select_related("person").order_by("person__full_name"):
        if row.objective_id:
            found.co_owners.append(row.person)
        else:
            found.kr_co_owners[row.key_result_id].append(row.person)
    for row in (
        Follower.objects.filter(where).select_related("person").order_by("person__full_name")
    ):
        if row.objective_id:
            found.followers.append(row.person)
        else:
            found.kr_followers[row.key_result_id].append(row.person)
    return found


def objective_follower_ids(objective: Objective) -> set[int]:
    """Return everyone who gets the objective's notifications: owner, co-owners and followers."""
    found = {objective.owner_person_id} if objective.owner_person_id else set()
    found |= set(CoOwner.objects.filter(objective=objective).values_list("person_id", flat=True))
    found |= set(Follower.objects.filter(objective=objective).values_list("person_id", flat=True))
    return found


def key_result_follower_ids(key_result: KeyResult) -> set[int]:
    """Return everyone who gets the key result's notifications, its objective's followers too."""
    found = {key_result.owner_id}
    found |= set(CoOwner.objects.filter(key_result=key_result).values_list("person_id", flat=True))
    found |= set(Follower.objects.filter(key_result=key_result).values_list("person_id", flat=True))
    return found | objective_follower_ids(key_result.objective)

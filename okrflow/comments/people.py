"""Who can be @mentioned on an objective: active people matching the typed name."""

from __future__ import annotations

from okrflow.front.folding import folded_contains
from okrflow.notifications.actions import may_see
from okrflow.okrs.models import Objective
from okrflow.org.models import Person

LIMIT = 8
# A private objective's candidates are checked one by one; look at a few more than are shown.
PRIVATE_CANDIDATES = 30


def people_to_mention(objective: Objective, query: str) -> list[Person]:
    """Return up to LIMIT active people whose name matches; on a private objective, only those
    who may see it (a mention of anyone else would tell them nothing)."""
    text = " ".join(query.split())[:100]
    people = (
        Person.objects.filter(user__is_active=True)
        .select_related("unit", "user")
        .order_by("full_name", "id")
    )
    if text:
        people = people.filter(folded_contains(["full_name"], text))
    if not objective.is_private:
        return list(people[:LIMIT])
    return [person for person in people[:PRIVATE_CANDIDATES] if may_see(person, objective)][:LIMIT]

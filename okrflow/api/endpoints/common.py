"""What every endpoint shares: the caller's access, scoped lookups, ETags and If-Match."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Schema
from pydantic import Field

from okrflow.api.errors import PreconditionFailed, ProblemError
from okrflow.api.pagination import DEFAULT_LIMIT, MAX_LIMIT
from okrflow.api.schemas import Problem
from okrflow.okrs.models import KeyResult, Objective
from okrflow.org.access import Access, access_for

ERRORS: dict[int, Any] = {
    400: Problem,
    401: Problem,
    403: Problem,
    404: Problem,
    413: Problem,
    422: Problem,
    429: Problem,
}
WRITE_ERRORS: dict[int, Any] = {**ERRORS, 412: Problem}


def answers(ok: Any, status: int = 200, *, write: bool = False) -> dict[int, Any]:
    """Declare an operation's success schema with every problem it may answer."""
    return {status: ok, **(WRITE_ERRORS if write else ERRORS)}


class PageParams(Schema):
    cursor: str | None = Field(default=None, max_length=200)
    limit: int = Field(default=DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)


PageQuery = Query[PageParams]


def member_access(request: HttpRequest) -> Access:
    """Return the caller's access; someone outside the organisation reads nothing."""
    access = access_for(request.user)
    if not access.is_member:
        raise ProblemError(403, "not-a-member", _("You are not part of this organisation."))
    return access


def visible_objectives(request: HttpRequest) -> QuerySet[Objective]:
    member_access(request)
    return Objective.objects.visible_to(request.user)


def visible_objective(request: HttpRequest, objective_id: int) -> Objective:
    """Return an objective the caller may see; one they may not is answered like a missing one."""
    found = visible_objectives(request).filter(pk=objective_id).first()
    if found is None:
        raise Objective.DoesNotExist
    return found


def visible_key_results(request: HttpRequest) -> QuerySet[KeyResult]:
    return KeyResult.objects.filter(objective__in=visible_objectives(request).values("pk"))


def visible_key_result(request: HttpRequest, key_result_id: int) -> KeyResult:
    found = (
        visible_key_results(request)
        .select_related("objective__cycle", "owner")
        .filter(pk=key_result_id)
        .first()
    )
    if found is None:
        raise KeyResult.DoesNotExist
    return found


def entity_tag(kind: str, pk: int, version: int) -> str:
    """Name one version of a resource: the version the actions already check."""
    return f'"{kind}-{pk}-v{version}"'


def check_if_match(request: HttpRequest, current_tag: str) -> None:
    """Refuse (412) an update whose If-Match names none of the resource's current version."""
    header = request.headers.get("If-Match")
    if header is None:
        return
    wanted = [part.strip().removeprefix("W/") for part in header.split(",")]
    if "*" in wanted or current_tag in wanted:
        return
    raise PreconditionFailed


def page(items: Iterable[Any], next_cursor: str | None) -> dict[str, Any]:
    return {"items": list(items), "next_cursor": next_cursor}

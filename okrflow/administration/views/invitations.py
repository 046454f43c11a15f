"""Invitations: who has been asked to set a password, and sending the asks."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import OuterRef, Subquery
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from okrflow.administration.decorators import admin_required
from okrflow.front.params import id_or_404
from okrflow.org.models import Person
from okrflow.signin.actions import (
    invite_everyone_never_signed_in,
    invite_person,
    people_to_invite_all,
)
from okrflow.signin.invitation_links import invitation_lifetime
from okrflow.signin.models import Invitation

PAGE_SIZE = 100


@dataclass
class Row:
    """One person of the list with their invitation state."""

    person: Person
    state: str  # "deactivated", "signed_in", "accepted", "invited", "expired", "never"
    when: datetime.datetime | None
    can_invite: bool


def person_rows(people: list[Person]) -> list[Row]:
    now = timezone.now()
    rows = []
    for person in people:
        user = person.user
        sent_at = person.latest_sent_at  # type: ignore[attr-defined]
        accepted_at = person.latest_accepted_at  # type: ignore[attr-defined]
        if not user.is_active:
            state, when = "deactivated", None
        elif user.last_login:
            state, when = "signed_in", user.last_login
        elif accepted_at:
            state, when = "accepted", accepted_at
        elif sent_at:
            expired = sent_at + invitation_lifetime() < now
            state, when = ("expired" if expired else "invited"), sent_at
        else:
            state, when = "never", None
        can_invite = state in {"never", "invited", "expired", "accepted"} and bool(user.email)
        rows.append(Row(person, state, when, can_invite))
    return rows


@require_GET
@admin_required
def invitations(request: HttpRequest) -> HttpResponse:
    """List everyone with their invitation state, a page at a time."""
    latest = Invitation.objects.filter(person=OuterRef("pk")).order_by("-sent_at", "-id")
    people = (
        Person.objects.select_related("user", "unit")
        .annotate(
            latest_sent_at=Subquery(latest.values("sent_at")[:1]),
            latest_accepted_at=Subquery(latest.values("accepted_at")[:1]),
        )
        .order_by("full_name", "pk")
    )
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "section": "invitations",
        "page": page,
        "rows": person_rows(list(page.object_list)),
        "to_invite_count": people_to_invite_all().count(),
        "days": invitation_lifetime().days,
    }
    return render(request, "administration/invitations.html", context)


@require_POST
@admin_required
def invite_one(request: HttpRequest, person_id: int) -> HttpResponse:
    """Send (or send again) one person's invitation."""
    person = get_object_or_404(Person.objects.select_related("user"), pk=id_or_404(person_id))
    try:
        invitation = invite_person(request.user, person)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except OSError:  # the mail server refused or could not be reached: nothing was recorded
        messages.error(
            request,
            _("The email to %(email)s could not be sent. Nothing was recorded; try again later.")
            % {"email": person.user.email},
        )
    else:
        messages.success(
            request,
            _("Invitation sent to %(name)s (%(email)s).")
            % {"name": person.full_name, "email": invitation.email},
        )
    return redirect("administration:invitations")


@require_http_methods(["GET", "POST"])
@admin_required
def invite_all(request: HttpRequest) -> HttpResponse:
    """Show who would be invited; on confirmation, invite them all."""
    if request.method == "POST":
        outcome = invite_everyone_never_signed_in(request.user)
        if outcome.invited:
            messages.success(
                request,
                ngettext(
                    "Invitation sent to %(count)d person.",
                    "Invitations sent to %(count)d people.",
                    len(outcome.invited),
                )
                % {"count": len(outcome.invited)},
            )
        for person, problem in outcome.failed:
            messages.error(request, f"{person.full_name}: {problem}")
        if not outcome.invited and not outcome.failed:
            messages.info(request, _("Nobody was waiting for an invitation."))
        return redirect("administration:invitations")
    waiting = people_to_invite_all()
    context = {
        "section": "invitations",
        "count": waiting.count(),
        "shown": list(waiting.select_related("unit")[:50]),
        "days": invitation_lifetime().days,
    }
    return render(request, "administration/invitations_confirm.html", context)

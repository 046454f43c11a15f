"""The inbox: a person's own notifications, newest first, marked read one by one or all at once."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from okrflow.notifications.actions import mark_all_notifications_read, mark_notification_read
from okrflow.notifications.context_processors import unread_count
from okrflow.notifications.models import Notification
from okrflow.notifications.texts import sentence_of
from okrflow.okrs.models import Objective
from okrflow.org.access import access_for

PAGE_SIZE = 25
SHOWS = ("all", "unread")


def inbox_of(request: HttpRequest) -> QuerySet[Notification]:
    """Return the signed-in person's notifications they may still read (none for others).

    A notification about an objective made private since it was sent drops out of sight for
    whoever may no longer see that objective.
    """
    person = access_for(request.user).person
    if person is None:
        return Notification.objects.none()
    visible = Objective.objects.visible_to(request.user).values("pk")
    return (
        Notification.objects.filter(recipient=person)
        .filter(Q(objective__isnull=True) | Q(objective__in=visible))
        .select_related("objective", "key_result")
        .order_by("-created_at", "-id")
    )


def entry_of(notification: Notification) -> dict[str, object]:
    return {"notification": notification, "sentence": sentence_of(notification)}


@require_GET
@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    """List the person's notifications: all or only unread, 25 a page."""
    show = request.GET.get("show", "all")
    if show not in SHOWS:
        show = "all"
    found = inbox_of(request)
    if show == "unread":
        found = found.filter(read_at__isnull=True)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/inbox.html",
        {
            "person": access_for(request.user).person,
            "show": show,
            "page": page,
            "entries": [entry_of(n) for n in page.object_list],
        },
    )


@require_POST
@login_required
def read(request: HttpRequest, notification_id: int) -> HttpResponse:
    """Mark one notification read; htmx swaps the entry and the top bar's count."""
    notification = inbox_of(request).filter(pk=notification_id).first()
    if notification is None:
        raise Http404(_("No such notification."))
    notification = mark_notification_read(request.user, notification)
    notification = inbox_of(request).get(pk=notification.pk)
    if request.htmx:  # type: ignore[attr-defined]
        return render(
            request,
            "notifications/_entry_read.html",
            {"entry": entry_of(notification), "unread_notifications": unread_count(request)},
        )
    return redirect(back_to_inbox(request))


@require_GET
@login_required
def open_entry(request: HttpRequest, notification_id: int) -> HttpResponse:
    """Follow a notification's link and mark it read on the way, as a click in the inbox does."""
    notification = inbox_of(request).filter(pk=notification_id).first()
    if notification is None:
        raise Http404(_("No such notification."))
    if notification.read_at is None:
        mark_notification_read(request.user, notification)
    target = notification.url
    if not target or not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect("notifications:inbox")
    return redirect(target)


@require_POST
@login_required
def read_all(request: HttpRequest) -> HttpResponse:
    """Mark every notification of the person read."""
    person = access_for(request.user).person
    if person is None:
        raise Http404(_("Your account is not linked to a person in the organisation."))
    count = mark_all_notifications_read(request.user, person)
    if count:
        messages.success(
            request,
            ngettext(
                "%(count)d notification marked read.", "%(count)d notifications marked read.", count
            )
            % {"count": count},
        )
    return redirect(back_to_inbox(request))


def back_to_inbox(request: HttpRequest) -> str:
    show = request.POST.get("show", "")
    url = reverse("notifications:inbox")
    return f"{url}?show=unread" if show == "unread" else url

"""Administration section: webhooks (outgoing events, Slack and Teams messages)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from okrflow.administration.decorators import admin_required
from okrflow.administration.sections import Section
from okrflow.front.params import id_or_404, parse_small_int
from okrflow.webhooks import actions
from okrflow.webhooks.forms import SubscriptionForm
from okrflow.webhooks.models import Attempt, DeliveryState, Subscription

SECTION = Section(
    key="integrations",
    url_name="administration:integrations",
    label=gettext_lazy("Webhooks"),
    description=gettext_lazy(
        "Send signed events, Slack or Teams messages to other tools when OKRs change."
    ),
    order=90,
)
LOG_PAGE_SIZE = 50
SECRET_SESSION_KEY = "webhook_secret_once"


def add_errors(form: SubscriptionForm, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, problems in error.message_dict.items():
            form.add_error(field if field in form.fields else None, problems)
    else:
        form.add_error(None, error.messages)


@require_http_methods(["GET"])
@admin_required
def subscription_list(request: HttpRequest) -> HttpResponse:
    """List the webhooks with how their deliveries went."""
    subscriptions = Subscription.objects.annotate(
        delivered=Count("deliveries", filter=Q(deliveries__state=DeliveryState.DELIVERED)),
        waiting=Count("deliveries", filter=Q(deliveries__state=DeliveryState.PENDING)),
        failed=Count("deliveries", filter=Q(deliveries__state=DeliveryState.FAILED)),
    ).order_by("name", "id")
    return render(
        request,
        "webhooks/list.html",
        {"section": SECTION.key, "subscriptions": subscriptions},
    )


@require_http_methods(["GET", "POST"])
@admin_required
def subscription_new(request: HttpRequest) -> HttpResponse:
    """Subscribe a URL to events; its secret is shown once on the next page."""
    form = SubscriptionForm(request.POST or None, initial={"language": "vi"})
    if request.method == "POST" and form.is_valid():
        try:
            subscription = actions.create_subscription(request.user, **form.changes())
        except ValidationError as error:
            add_errors(form, error)
        else:
            request.session[SECRET_SESSION_KEY] = [subscription.pk, subscription.secret]
            messages.success(request, _("Webhook created."))
            return redirect("administration:webhook", subscription_id=subscription.pk)
    return render(
        request, "webhooks/form.html", {"section": SECTION.key, "form": form, "subscription": None}
    )


def find_subscription(subscription_id: object) -> Subscription:
    return get_object_or_404(
        Subscription.objects.select_related("unit", "owner"), pk=id_or_404(subscription_id)
    )


def secret_shown_once(request: HttpRequest, subscription: Subscription) -> str:
    """Return the secret if it was just made for this subscription, then forget it."""
    kept = request.session.get(SECRET_SESSION_KEY)
    if isinstance(kept, list) and len(kept) == 2 and kept[0] == subscription.pk:
        del request.session[SECRET_SESSION_KEY]
        return str(kept[1])
    return ""


@require_http_methods(["GET", "POST"])
@admin_required
def subscription_detail(request: HttpRequest, subscription_id: int) -> HttpResponse:
    """Edit a webhook and read its delivery log."""
    subscription = find_subscription(subscription_id)
    initial = {
        "name": subscription.name,
        "url": subscription.url,
        "message_format": subscription.message_format,
        "language": subscription.language,
        "events": subscription.events,
        "unit": subscription.unit,
    }
    form = SubscriptionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_subscription(request.user, subscription, **form.changes())
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Webhook saved."))
            return redirect("administration:webhook", subscription_id=subscription.pk)
    attempts = (
        Attempt.objects.filter(delivery__subscription=subscription)
        .select_related("delivery")
        .order_by("-at", "-id")
    )
    page = Paginator(attempts, LOG_PAGE_SIZE).get_page(
        parse_small_int(request.GET.get("page"), default=1, low=1, high=10_000)
    )
    return render(
        request,
        "webhooks/detail.html",
        {
            "section": SECTION.key,
            "subscription": subscription,
            "form": form,
            "secret": secret_shown_once(request, subscription),
            "log": page,
            "waiting": subscription.deliveries.filter(state=DeliveryState.PENDING).count(),
        },
    )


def change(request: HttpRequest, subscription_id: int, what: str) -> HttpResponse:
    subscription = find_subscription(subscription_id)
    if what == "pause":
        actions.pause_subscription(request.user, subscription)
        messages.success(request, _("Webhook paused: events wait until you resume it."))
    elif what == "resume":
        actions.resume_subscription(request.user, subscription)
        messages.success(request, _("Webhook resumed."))
    elif what == "test":
        actions.send_test_event(request.user, subscription)
        messages.success(request, _("Test event queued: its line appears in the log below."))
    elif what == "secret":
        renewed = actions.replace_secret(request.user, subscription)
        request.session[SECRET_SESSION_KEY] = [renewed.pk, renewed.secret]
        messages.success(request, _("New secret made: the old one no longer verifies."))
    elif what == "delete":
        actions.delete_subscription(request.user, subscription)
        messages.success(request, _("Webhook deleted."))
        return redirect("administration:integrations")
    return redirect("administration:webhook", subscription_id=subscription.pk)


def post_action(what: str):  # type: ignore[no-untyped-def]
    @require_POST
    @admin_required
    def view(request: HttpRequest, subscription_id: int) -> HttpResponse:
        return change(request, subscription_id, what)

    view.__name__ = f"webhook_{what}"
    view.__doc__ = f"{what.capitalize()} a webhook."
    return view


urlpatterns: list[URLPattern] = [
    path("integrations/", subscription_list, name="integrations"),
    path("integrations/new/", subscription_new, name="webhook_new"),
    path("integrations/<int:subscription_id>/", subscription_detail, name="webhook"),
    *[
        path(
            f"integrations/<int:subscription_id>/{what}/",
            post_action(what),
            name=f"webhook_{what}",
        )
        for what in ("pause", "resume", "test", "secret", "delete")
    ],
]

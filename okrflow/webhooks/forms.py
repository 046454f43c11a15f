"""The subscription form: reads the input; the action checks it and reports each problem."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from okrflow.org.models import OrgUnit
from okrflow.webhooks import events
from okrflow.webhooks.models import MessageFormat


def event_choices() -> list[tuple[str, Any]]:
    labels = {
        events.OBJECTIVE_CREATED: _("Objective created"),
        events.OBJECTIVE_CHANGED: _("Objective changed"),
        events.OBJECTIVE_STATUS_CHANGED: _("Objective status changed"),
        events.VALUE_RECORDED: _("Key-result value recorded"),
        events.CHECKIN_SUBMITTED: _("Check-in submitted"),
        events.RISK_RAISED: _("Risk raised"),
        events.RISK_CLEARED: _("Risk cleared"),
        events.PROPOSAL_SENT: _("Objective proposed for agreement"),
        events.PROPOSAL_AGREED: _("Objective agreed"),
        events.PROPOSAL_SENT_BACK: _("Objective sent back"),
        events.CYCLE_CLOSED: _("Cycle closed"),
        events.WEEKLY_DIGEST: _("Weekly check-in digest of a unit"),
    }
    return [(event, labels[event]) for event in events.SUBSCRIBABLE]


class SubscriptionForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100, required=False)
    url = forms.CharField(label=_("URL"), max_length=2000, required=False)
    message_format = forms.ChoiceField(
        label=_("Format"), choices=MessageFormat.choices, required=False
    )
    language = forms.ChoiceField(
        label=_("Language of chat messages"),
        choices=[("vi", _("Vietnamese")), ("en", _("English"))],
        required=False,
    )
    events = forms.MultipleChoiceField(
        label=_("Events"),
        choices=event_choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    unit = forms.ModelChoiceField(
        label=_("Unit of the weekly digest"),
        queryset=OrgUnit.objects.order_by("name"),
        required=False,
    )

    def changes(self) -> dict[str, Any]:
        """Return the cleaned input as the action's keyword arguments."""
        data = self.cleaned_data
        return {
            "name": data.get("name", ""),
            "url": data.get("url", ""),
            "message_format": data.get("message_format") or MessageFormat.JSON,
            "language": data.get("language") or "vi",
            "events": data.get("events") or [],
            "unit": data.get("unit"),
        }

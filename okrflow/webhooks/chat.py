"""Readable Slack and Microsoft Teams messages for webhook events, in the subscription's language."""

from __future__ import annotations

from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from okrflow.webhooks import events


def status_label(status: str | None) -> str:
    labels = {
        "on_track": _("on track"),
        "at_risk": _("at risk"),
        "off_track": _("off track"),
        "done": _("done"),
    }
    return labels.get(status or "", status or "–")


def headline(event: str, data: dict[str, Any], actor: str) -> str:
    """Return the message's first line."""
    objective = (data.get("objective") or {}).get("title", "")
    key_result = (data.get("key_result") or {}).get("title", "")
    values = {"actor": actor or _("someone"), "objective": objective, "key_result": key_result}
    texts = {
        events.OBJECTIVE_CREATED: _("%(actor)s created the objective “%(objective)s”"),
        events.OBJECTIVE_CHANGED: _("%(actor)s changed the objective “%(objective)s”"),
        events.OBJECTIVE_STATUS_CHANGED: _("The objective “%(objective)s” is now %(state)s"),
        events.VALUE_RECORDED: _("%(actor)s recorded %(value)s on “%(key_result)s”"),
        events.CHECKIN_SUBMITTED: _("%(person)s submitted the check-in for the week of %(week)s"),
        events.RISK_RAISED: _("Risk: “%(key_result)s” is %(status)s"),
        events.RISK_CLEARED: _("Risk cleared: “%(key_result)s” is %(status)s again"),
        events.PROPOSAL_SENT: _("%(actor)s proposed the objective “%(objective)s” for agreement"),
        events.PROPOSAL_AGREED: _("%(actor)s agreed the objective “%(objective)s”"),
        events.PROPOSAL_SENT_BACK: _("%(actor)s sent the objective “%(objective)s” back"),
        events.CYCLE_CLOSED: _("The cycle %(cycle)s is closed and graded"),
        events.WEEKLY_DIGEST: _("Check-ins of %(unit)s for the week of %(week)s"),
        events.TEST: _("A test message from okrflow: this webhook works."),
    }
    values |= {
        "state": (data.get("objective") or {}).get("state_label", ""),
        "value": data.get("value", ""),
        "person": (data.get("checkin") or {}).get("person", ""),
        "week": data.get("week") or (data.get("checkin") or {}).get("week", ""),
        "status": status_label(data.get("status_after")),
        "cycle": (data.get("cycle") or {}).get("name", ""),
        "unit": data.get("unit", ""),
    }
    return texts.get(event, event) % values


def detail_lines(event: str, data: dict[str, Any]) -> list[str]:
    """Return the lines under the headline: the comment, the digest's names, the link."""
    lines: list[str] = []
    if data.get("comment"):
        lines.append(_("Comment: %(comment)s") % {"comment": data["comment"]})
    if event == events.WEEKLY_DIGEST:
        checked_in, missing = data.get("checked_in", []), data.get("missing", [])
        lines.append(
            _("Checked in (%(count)s): %(names)s")
            % {"count": len(checked_in), "names": ", ".join(checked_in) or "–"}
        )
        lines.append(
            _("Not yet (%(count)s): %(names)s")
            % {"count": len(missing), "names": ", ".join(missing) or "–"}
        )
    if event == events.CHECKIN_SUBMITTED and (data.get("checkin") or {}).get("obstacles"):
        lines.append(_("Obstacles: %(text)s") % {"text": data["checkin"]["obstacles"]})
    url = data.get("url")
    if url:
        lines.append(url)
    return lines


def message_text(event: str, data: dict[str, Any], actor: str, language: str) -> str:
    """Return the whole message as plain text in `language`."""
    with translation.override(language):
        return "\n".join([headline(event, data, actor), *detail_lines(event, data)])


def slack_body(event: str, data: dict[str, Any], actor: str, language: str) -> dict[str, Any]:
    """A Slack incoming-webhook message (plain text: readable in every client)."""
    return {"text": message_text(event, data, actor, language)}


def teams_body(event: str, data: dict[str, Any], actor: str, language: str) -> dict[str, Any]:
    """A Microsoft Teams message: an Adaptive Card, as Teams' incoming webhooks take it."""
    with translation.override(language):
        title = headline(event, data, actor)
        lines = detail_lines(event, data)
    body: list[dict[str, Any]] = [
        {"type": "TextBlock", "text": title, "weight": "Bolder", "wrap": True}
    ]
    body += [{"type": "TextBlock", "text": line, "wrap": True} for line in lines]
    return {
        "type": "message",
        "attachments": [
            {
                "contentType": "application/vnd.microsoft.card.adaptive",
                "content": {
                    "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
                    "type": "AdaptiveCard",
                    "version": "1.4",
                    "body": body,
                },
            }
        ],
    }

"""Write a notification as a sentence in the active language, from its kind and `params`.

Nothing readable is stored on the notification: the inbox, the email and the command line call
`sentence_of` inside the reader's language, so one notification reads right in Vietnamese and in
English. Titles come from the linked objective or key result when they are still there (a
renamed key result reads by its new name), else from the params saved when it was made.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from okrflow.notifications.kinds import Kind
from okrflow.notifications.models import Notification

EXCERPT_LIMIT = 200


def status_name(status: str | None) -> str:
    names = {
        "on_track": _("on track"),
        "at_risk": _("at risk"),
        "off_track": _("off track"),
        "done": _("done"),
        "no_data": _("no data yet"),
    }
    return names.get(status or "", status or "–")


def source_kind_name(kind: str | None) -> str:
    names = {
        "push": _("push address"),
        "json": _("JSON endpoint"),
        "csv": _("CSV file"),
        "sql": _("SQL query"),
    }
    return names.get(kind or "", kind or _("data source"))


def excerpt(text: Any) -> str:
    text = " ".join(str(text or "").split())
    return text if len(text) <= EXCERPT_LIMIT else text[: EXCERPT_LIMIT - 1] + "…"


def params_of(notification: Notification) -> dict[str, Any]:
    return notification.params if isinstance(notification.params, dict) else {}


def objective_title(notification: Notification) -> str:
    if notification.objective_id and notification.objective is not None:
        return notification.objective.title
    return str(params_of(notification).get("title", ""))


def key_result_title(notification: Notification) -> str:
    if notification.key_result_id and notification.key_result is not None:
        return notification.key_result.title
    params = params_of(notification)
    return str(params.get("key_result", params.get("title", "")))


def with_comment(sentence: str, params: dict[str, Any]) -> str:
    comment = excerpt(params.get("comment"))
    return f"{sentence} “{comment}”" if comment else sentence


def proposal_waiting(n: Notification, p: dict[str, Any]) -> str:
    return _("%(owner)s proposed “%(title)s”: it waits for you to agree or send it back.") % {
        "owner": p.get("owner") or p.get("by") or "okrflow",
        "title": objective_title(n),
    }


def proposal_agreed(n: Notification, p: dict[str, Any]) -> str:
    sentence = _("%(by)s agreed your objective “%(title)s”.") % {
        "by": p.get("by") or "okrflow",
        "title": objective_title(n),
    }
    return with_comment(sentence, p)


def proposal_sent_back(n: Notification, p: dict[str, Any]) -> str:
    sentence = _("%(by)s sent your objective “%(title)s” back:") % {
        "by": p.get("by") or "okrflow",
        "title": objective_title(n),
    }
    return with_comment(sentence, p)


def comment(n: Notification, p: dict[str, Any]) -> str:
    return _("%(author)s commented on “%(on)s”: “%(excerpt)s”") % {
        "author": p.get("author", ""),
        "on": p.get("on", ""),
        "excerpt": excerpt(p.get("excerpt")),
    }


def mention(n: Notification, p: dict[str, Any]) -> str:
    return _("%(author)s mentioned you on “%(on)s”: “%(excerpt)s”") % {
        "author": p.get("author", ""),
        "on": p.get("on", ""),
        "excerpt": excerpt(p.get("excerpt")),
    }


def feedback(n: Notification, p: dict[str, Any]) -> str:
    values = {"author": p.get("author", ""), "excerpt": excerpt(p.get("excerpt"))}
    if p.get("feedback") == "recognition":
        return _("%(author)s recognised your check-in: “%(excerpt)s”") % values
    return _("%(author)s commented on your check-in: “%(excerpt)s”") % values


def risk_raised(n: Notification, p: dict[str, Any]) -> str:
    return _("Your key result “%(title)s” is now %(status)s.") % {
        "title": key_result_title(n),
        "status": status_name(p.get("status")),
    }


def followed_status(n: Notification, p: dict[str, Any]) -> str:
    return _("“%(title)s”, which you follow, went from %(before)s to %(after)s.") % {
        "title": key_result_title(n),
        "before": status_name(p.get("before")),
        "after": status_name(p.get("after")),
    }


def source_failed(n: Notification, p: dict[str, Any]) -> str:
    values = {
        "source": source_kind_name(p.get("source_kind")),
        "title": key_result_title(n),
        "error": excerpt(p.get("error")),
        "since": readable_moment(p.get("since")),
    }
    if values["since"]:
        return (
            _("The %(source)s of your key result “%(title)s” has failed since %(since)s: %(error)s")
            % values
        )
    return _("The %(source)s of your key result “%(title)s” failed: %(error)s") % values


def report_ready(n: Notification, p: dict[str, Any]) -> str:
    return _("Your %(format)s report for %(cycle)s is ready.") % {
        "format": str(p.get("format", "")).upper(),
        "cycle": p.get("cycle", ""),
    }


def readable_day(value: Any) -> str:
    try:
        day = datetime.date.fromisoformat(str(value))
    except ValueError:
        return str(value or "")
    return date_format(day, "SHORT_DATE_FORMAT")


def readable_moment(value: Any) -> str:
    """An ISO date-time from a notification's params, in local time and the reader's format."""
    moment = parse_datetime(str(value or ""))
    if moment is None:
        return ""
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return date_format(moment, "SHORT_DATETIME_FORMAT")


def checkin_reminder(n: Notification, p: dict[str, Any]) -> str:
    values = {"cycle": p.get("cycle", ""), "date": readable_day(p.get("due"))}
    reminder = p.get("reminder")
    if reminder == "overdue":
        return _("Your check-in for %(date)s is overdue (%(cycle)s).") % values
    if reminder == "digest":
        return _("Your team's check-ins for the week of %(date)s are in (%(cycle)s).") % values
    return _("Your weekly check-in is due today (%(cycle)s).") % values


SENTENCES: dict[str, Callable[[Notification, dict[str, Any]], str]] = {
    Kind.PROPOSAL_WAITING: proposal_waiting,
    Kind.PROPOSAL_AGREED: proposal_agreed,
    Kind.PROPOSAL_SENT_BACK: proposal_sent_back,
    Kind.COMMENT: comment,
    Kind.MENTION: mention,
    Kind.FEEDBACK: feedback,
    Kind.RISK_RAISED: risk_raised,
    Kind.FOLLOWED_STATUS: followed_status,
    Kind.SOURCE_FAILED: source_failed,
    Kind.REPORT_READY: report_ready,
    Kind.CHECKIN_REMINDER: checkin_reminder,
}


def sentence_of(notification: Notification) -> str:
    """Return the notification as one readable sentence in the active language."""
    write = SENTENCES.get(notification.kind)
    if write is None:
        return notification.get_kind_display()
    return write(notification, params_of(notification))

"""The quality checker's findings in words: what is wrong and how to fix it, in vi or en.

The pure checker (`okrflow.engine.quality`) returns rule ids and numbers; every id it can return
has a message and a hint here (a test keeps the two lists equal).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from okrflow.engine.quality import Finding


def day(value: Any) -> str:
    return date_format(datetime.date.fromisoformat(str(value)), "SHORT_DATE_FORMAT")


def message_objective_has_number(p: dict[str, Any]) -> tuple[str, str]:
    return (
        _("The objective states a number (%(number)s); an objective should be qualitative.")
        % {"number": p.get("number", "")},
        _(
            "Keep the ambition in words (“Become the first choice for …”) and move the "
            "number into a key result."
        ),
    )


def message_kr_not_measurable(p: dict[str, Any]) -> tuple[str, str]:
    return (
        _("Nothing here can be measured: no number, no deadline, no clear done-state."),
        _("Say how much, by when, or what “done” looks like: “from 40 to 60 by 30/6”."),
    )


def message_kr_is_activity(p: dict[str, Any]) -> tuple[str, str]:
    return (
        _("“%(verb)s …” describes an activity, not the outcome it should bring.")
        % {"verb": str(p.get("verb", "")).capitalize()},
        _(
            "Keep it as an initiative under a key result, or write the result it produces: "
            "how many attend, buy, sign up, or rate it."
        ),
    )


def message_kr_missing_baseline(p: dict[str, Any]) -> tuple[str, str]:
    return (
        _("There is no starting value, so progress cannot be measured from a known point."),
        _("Add where it starts: “from 12% to 20%”, or name the period it is compared with."),
    )


def message_kr_no_deadline(p: dict[str, Any]) -> tuple[str, str]:
    return (
        _("No deadline is written; the end of the cycle is assumed."),
        _("Add one inside the cycle: “by 15/6”, “in May”, “in Q2”."),
    )


def message_kr_deadline_outside_cycle(p: dict[str, Any]) -> tuple[str, str]:
    return (
        _("The deadline %(due)s falls outside the cycle (%(start)s – %(end)s).")
        % {"due": day(p["due"]), "start": day(p["start"]), "end": day(p["end"])},
        _("Move it inside the cycle, or put the key result in the cycle it belongs to."),
    )


def message_kr_target_equals_baseline(p: dict[str, Any]) -> tuple[str, str]:
    return (
        _("The target is the same as the starting value, so there is nothing to achieve."),
        _("Set a target that differs from where you start."),
    )


def message_kr_target_wrong_side(p: dict[str, Any]) -> tuple[str, str]:
    return (
        _("The target (%(target)s) is on the wrong side of the start (%(start)s) for this change.")
        % {"target": p.get("target"), "start": p.get("start")},
        _("Check the numbers, or whether the value should go up or down."),
    )


def message_kr_duplicate(p: dict[str, Any]) -> tuple[str, str]:
    return (
        _("This repeats key result %(number)s of the same objective.")
        % {"number": int(p.get("same_as", 0)) + 1},
        _("Merge the two, or make each measure something different."),
    )


def counts(p: dict[str, Any]) -> dict[str, Any]:
    return {"count": p["count"], "min": p["min"], "max": p["max"], "owner": p.get("owner", "")}


def message_too_few_key_results(p: dict[str, Any]) -> tuple[str, str]:
    text = ngettext(
        "%(count)d key result: an objective should have %(min)d–%(max)d.",
        "%(count)d key results: an objective should have %(min)d–%(max)d.",
        p["count"],
    )
    return text % counts(p), _("Add the results that would prove the objective is reached.")


def message_too_many_key_results(p: dict[str, Any]) -> tuple[str, str]:
    text = ngettext(
        "%(count)d key result: more than the %(min)d–%(max)d that keeps an objective focused.",
        "%(count)d key results: more than the %(min)d–%(max)d that keeps an objective focused.",
        p["count"],
    )
    return text % counts(p), _("Keep the ones that matter most; the rest can be initiatives.")


def message_too_few_objectives(p: dict[str, Any]) -> tuple[str, str]:
    text = ngettext(
        "%(owner)s has %(count)d objective; the method asks for %(min)d–%(max)d.",
        "%(owner)s has %(count)d objectives; the method asks for %(min)d–%(max)d.",
        p["count"],
    )
    return text % counts(p), _(
        "Add the other objectives this owner works on this cycle, if they are not elsewhere."
    )


def message_too_many_objectives(p: dict[str, Any]) -> tuple[str, str]:
    text = ngettext(
        "%(owner)s has %(count)d objective, more than the %(min)d–%(max)d that keeps focus.",
        "%(owner)s has %(count)d objectives, more than the %(min)d–%(max)d that keeps focus.",
        p["count"],
    )
    return text % counts(p), _("Choose the few that matter most this cycle.")


MESSAGES: dict[str, Callable[[dict[str, Any]], tuple[str, str]]] = {
    "objective_has_number": message_objective_has_number,
    "kr_not_measurable": message_kr_not_measurable,
    "kr_is_activity": message_kr_is_activity,
    "kr_missing_baseline": message_kr_missing_baseline,
    "kr_no_deadline": message_kr_no_deadline,
    "kr_deadline_outside_cycle": message_kr_deadline_outside_cycle,
    "kr_target_equals_baseline": message_kr_target_equals_baseline,
    "kr_target_wrong_side": message_kr_target_wrong_side,
    "kr_duplicate": message_kr_duplicate,
    "too_few_key_results": message_too_few_key_results,
    "too_many_key_results": message_too_many_key_results,
    "too_few_objectives": message_too_few_objectives,
    "too_many_objectives": message_too_many_objectives,
}


def describe(finding: Finding) -> tuple[str, str]:
    """Return (message, hint) for a finding in the active language."""
    return MESSAGES[finding.rule](dict(finding.params))

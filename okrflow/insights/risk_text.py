"""Word a risk's evidence and suggested action in the reader's language."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from okrflow.engine.risk import Risk, RiskKind, Severity
from okrflow.front.templatetags.okrflow import percent, short_date
from okrflow.insights.sources import CheckinReader


def kind_label(kind: str) -> str:
    """Name a risk kind as the article does."""
    labels = {
        RiskKind.END_OF_CYCLE: _("End-of-cycle risk"),
        RiskKind.SUDDEN: _("Sudden risk"),
        RiskKind.OFF_COURSE: _("Off-course risk"),
        RiskKind.BELOW_EXPECTATIONS: _("Below-expectations risk"),
    }
    return labels.get(RiskKind(kind), kind)


def kind_explanation(kind: str) -> str:
    """Explain a risk kind in one sentence, from the article."""
    explanations = {
        RiskKind.END_OF_CYCLE: _(
            "Found only near the end of the cycle that the goal cannot be reached."
        ),
        RiskKind.SUDDEN: _("An unforeseen problem or blocker derails the OKR."),
        RiskKind.OFF_COURSE: _("The team works on the OKR in the wrong direction without knowing."),
        RiskKind.BELOW_EXPECTATIONS: _(
            "Watched closely, yet short of the goal for lack of skill or experience."
        ),
    }
    return explanations.get(RiskKind(kind), "")


def severity_label(severity: str) -> str:
    labels = {Severity.HIGH: _("High"), Severity.MEDIUM: _("Medium"), Severity.LOW: _("Low")}
    return labels.get(Severity(severity), severity)


def _day(value: Any) -> str:
    if isinstance(value, str):
        try:
            return short_date(datetime.date.fromisoformat(value))
        except ValueError:
            return value
    return short_date(value)


# Evidence worded from someone's check-in: its confidences and obstacles are private to the
# person, their managers and admins.
CHECKIN_CODES = (
    "confidence_drop",
    "new_blocker",
    "behind_despite_checkins",
    "slow_and_behind",
    "fast_but_behind",
)


def checkin_people(risk: Risk) -> set[int] | None:
    """Return whose check-ins the evidence quotes; None for a risk stored before it was kept."""
    recorded = risk.params.get("checkin_people")
    if recorded is None:
        return None
    return {int(pk) for pk in str(recorded).split(",") if pk.strip().isdigit()}


# What each check-in code's figures quote from the check-in itself.
CHECKIN_PARAMS = {
    "confidence_drop": ("before", "after"),
    "new_blocker": ("obstacle",),
    "behind_despite_checkins": ("obstacle",),
}


def quotes_hidden_checkin(risk: Risk, reader: CheckinReader | None) -> bool:
    """Tell whether the risk's evidence quotes a check-in this reader may not read."""
    return (
        reader is not None
        and risk.code in CHECKIN_CODES
        and not reader.may_read(checkin_people(risk))
    )


def shareable_params(risk: Risk, reader: CheckinReader | None = None) -> dict[str, Any]:
    """Return the evidence figures without what a check-in the reader may not read says."""
    if (
        risk.code == "waits_for_late"
        and reader is not None
        and not reader.may_see_objective(int(risk.params["target_objective_id"]))
    ):
        hidden_goal = ("target", "target_id", "target_kind")
        return {key: value for key, value in risk.params.items() if key not in hidden_goal}
    if not quotes_hidden_checkin(risk, reader):
        return dict(risk.params)
    hidden = CHECKIN_PARAMS.get(risk.code, ())
    return {key: value for key, value in risk.params.items() if key not in hidden}


def evidence(risk: Risk, reader: CheckinReader | None = None) -> str:
    """Say, with the numbers, why the rule fired.

    With a `reader`, a check-in's confidences and obstacles are quoted only when the reader may
    read that check-in; anyone else learns that confidence fell or obstacles were raised.
    """
    p = risk.params
    if quotes_hidden_checkin(risk, reader):
        return _private_checkin_evidence(risk)
    if risk.code == "forecast_below_bar":
        return _(
            "Forecast %(expected)s by %(due)s (80%% band %(low)s–%(high)s) against a bar of "
            "%(bar)s: a %(chance)s chance of reaching it."
        ) % {
            "expected": percent(float(p["expected"])),
            "due": _day(p["due"]),
            "low": percent(float(p["low"])),
            "high": percent(float(p["high"])),
            "bar": percent(float(p["bar"])),
            "chance": percent(float(p["chance"])),
        }
    if risk.code == "part_forecast_below_bar":
        chance = float(p["chance"])
        text = _(
            "The part “%(part)s” is forecast to reach %(expected)s by %(due)s against a bar of "
            "%(bar)s; every part must be met."
        ) % {
            "part": p["part"],
            "expected": percent(float(p["expected"])),
            "due": _day(p["due"]),
            "bar": percent(float(p["bar"])),
        }
        if chance >= 0:
            text += " " + _("A %(chance)s chance of reaching it.") % {"chance": percent(chance)}
        others = int(p["others"])
        if others:
            text += " " + ngettext(
                "%(count)s other part is forecast to miss too.",
                "%(count)s other parts are forecast to miss too.",
                others,
            ) % {"count": others}
        return text
    if risk.code == "milestone_unlikely":
        return _("Not done yet; a %(chance)s chance of being done by %(due)s.") % {
            "chance": percent(float(p["chance"])),
            "due": _day(p["due"]),
        }
    if risk.code == "value_drop":
        return _("Progress fell from %(before)s to %(after)s at the check-in of %(day)s.") % {
            "before": percent(float(p["before"])),
            "after": percent(float(p["after"])),
            "day": _day(p["day"]),
        }
    if risk.code == "confidence_drop":
        return _("Confidence fell from %(before)s to %(after)s at the check-in of %(day)s.") % {
            "before": percent(float(p["before"])),
            "after": percent(float(p["after"])),
            "day": _day(p["day"]),
        }
    if risk.code == "waits_for_late":
        return _waits_for_evidence(risk, reader)
    if risk.code in ("slow_and_behind", "fast_but_behind"):
        return _self_pace_evidence(risk)
    if risk.code == "new_blocker":
        return _("New obstacle with low confidence on %(day)s: “%(obstacle)s”") % {
            "day": _day(p["day"]),
            "obstacle": str(p["obstacle"])[:200],
        }
    return _off_course_or_below_evidence(risk, reader)


def _waits_for_evidence(risk: Risk, reader: CheckinReader | None) -> str:
    """Word a slipping hand-off; a goal the reader may not see stays unnamed."""
    p = risk.params
    target = f"“{p['target']}”"
    if reader is not None and not reader.may_see_objective(int(p["target_objective_id"])):
        target = _("a goal you cannot see")
    return _(
        "Waits for %(target)s, which is %(behind)s points behind and forecast to reach "
        "%(forecast)s by %(day)s, the day it is expected."
    ) % {
        "target": target,
        "behind": round(float(p["behind"]) * 100),
        "forecast": percent(float(p["forecast"])),
        "day": _day(p["expected_by"]),
    }


def _self_pace_evidence(risk: Risk) -> str:
    """Word the owner's own sense of pace against the numbers."""
    p = risk.params
    figures = {
        "day": _day(p["day"]),
        "gap": round(float(p["gap"]) * 100),
        "progress": percent(float(p["progress"])),
        "expected": percent(float(p["expected"])),
    }
    if risk.code == "fast_but_behind":
        return (
            _(
                "The owner rated their pace “fast” at the check-in of %(day)s, yet progress is "
                "%(progress)s against %(expected)s expected: %(gap)s points behind."
            )
            % figures
        )
    if int(p.get("checkins", 1)) >= 2:
        return (
            _(
                "The owner rated their pace “slow” at two check-ins in a row (latest %(day)s), "
                "with progress %(progress)s against %(expected)s expected: %(gap)s points behind."
            )
            % figures
        )
    return (
        _(
            "The owner rated their pace “slow” at the check-in of %(day)s, with progress "
            "%(progress)s against %(expected)s expected: %(gap)s points behind."
        )
        % figures
    )


def _private_checkin_evidence(risk: Risk) -> str:
    """Word check-in evidence without what the check-in says."""
    p = risk.params
    if risk.code in ("slow_and_behind", "fast_but_behind"):
        return _(
            "The owner's own sense of pace at the check-in of %(day)s does not match progress, "
            "%(gap)s points behind pace."
        ) % {"day": _day(p["day"]), "gap": round(float(p["gap"]) * 100)}
    if risk.code == "confidence_drop":
        return _("The owner's confidence fell at the check-in of %(day)s.") % {
            "day": _day(p["day"])
        }
    if risk.code == "new_blocker":
        return _(
            "A new obstacle was raised on %(day)s; only the person, their managers and admins "
            "can read it."
        ) % {"day": _day(p["day"])}
    return _(
        "Checked in regularly, yet behind pace by %(gap)s for %(checkins)s check-ins in a row, "
        "with obstacles raised %(obstacles)s times."
    ) % {"gap": percent(float(p["gap"])), "checkins": p["checkins"], "obstacles": p["obstacles"]}


def _off_course_or_below_evidence(risk: Risk, reader: CheckinReader | None) -> str:
    p = risk.params
    if risk.code == "stale":
        return ngettext(
            "No update for %(days)d day (last on %(last)s).",
            "No update for %(days)d days (last on %(last)s).",
            int(p["days"]),
        ) % {"days": int(p["days"]), "last": _day(p["last"])}
    if risk.code == "never_updated":
        return ngettext(
            "No value recorded in the %(days)d day since the cycle started.",
            "No value recorded in the %(days)d days since the cycle started.",
            int(p["days"]),
        ) % {"days": int(p["days"])}
    if risk.code == "effort_without_movement":
        return _(
            "%(checkins)s check-ins and %(initiatives)s initiatives done in %(weeks)s weeks, "
            "yet progress moved %(moved)s while the pace moved %(pace)s."
        ) % {
            "checkins": p["checkins"],
            "initiatives": p["initiatives"],
            "weeks": p["weeks"],
            "moved": percent(float(p["moved"])),
            "pace": percent(float(p["pace_moved"])),
        }
    if risk.code == "not_aligned":
        return _("Not aligned to any objective above it: nobody can see what it serves.")
    if risk.code == "parent_archived":
        if reader is not None and not reader.may_see_objective(int(p["parent_id"])):
            # A private parent's title is not the reader's to learn.
            return _("Aligned to an objective you cannot see, which is archived.")
        return _("Aligned to “%(parent)s”, which is archived.") % {"parent": p["parent"]}
    if risk.code == "behind_despite_checkins":
        return _(
            "Checked in regularly, yet behind pace by %(gap)s for %(checkins)s check-ins in a "
            "row, with obstacles raised %(obstacles)s times (latest: “%(obstacle)s”)."
        ) % {
            "gap": percent(float(p["gap"])),
            "checkins": p["checkins"],
            "obstacles": p["obstacles"],
            "obstacle": str(p["obstacle"])[:200],
        }
    return risk.code


def suggestion(code: str) -> str:
    """Say what to do about a risk."""
    suggestions = {
        "replan": _(
            "Agree a recovery plan this week: more people or time, a narrower scope, or a "
            "revised target with its reason — now, not at the end of the cycle."
        ),
        "investigate_drop": _("Find out what caused the drop at the next 1:1 and record it."),
        "hold_one_on_one": _("Hold a 1:1 now: ask what changed and what help is needed."),
        "remove_blocker": _("Escalate the obstacle and agree who removes it, by when."),
        "ask_for_checkin": _("Ask the owner for this week's check-in with the current value."),
        "check_direction": _(
            "Check that the work really moves this key result; change the initiatives, not "
            "the effort."
        ),
        "align_objective": _("Align it to a company or department objective, or drop it."),
        "realign": _("Align it to a live objective, or archive it too."),
        "renegotiate_handoff": _(
            "Talk to the owner of the goal waited for now: agree a new hand-off date, a smaller "
            "first delivery, or a way to go on without it."
        ),
        "agree_catch_up": _(
            "Agree at the next 1:1 what would speed the work up: fewer tasks at once, a "
            "helping hand, or a narrower scope — and write it down as an initiative."
        ),
        "support_or_training": _(
            "Offer support: pair the owner with an experienced colleague, coaching or training, "
            "or adjust the scope to their experience."
        ),
    }
    return suggestions.get(code, "")

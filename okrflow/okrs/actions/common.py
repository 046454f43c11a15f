"""Checks the objective and key result actions share."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from okrflow.action_support import deny
from okrflow.cycles.models import Cycle, CycleState
from okrflow.engine.focus import FocusFinding
from okrflow.okrs.models import Objective


def require_open_cycle(cycle: Cycle) -> None:
    """Refuse changes to a closed cycle: its results are final."""
    if cycle.state == CycleState.CLOSED:
        raise ValidationError(
            _("The cycle “%(name)s” is closed; its OKRs can no longer change.")
            % {"name": cycle.name}
        )


def require_edit(actor: Any, objective: Objective) -> None:
    """Refuse unless the actor may edit this objective."""
    from okrflow.org.access import access_for

    if actor is not None and not access_for(actor).can_edit_objective(objective):
        raise deny(_("You cannot change this objective."))


def require_version(current: int, expected: int | None) -> None:
    """Refuse an edit made from a stale copy, so that nobody's change is silently overwritten."""
    if expected is not None and expected != current:
        raise ValidationError(
            _(
                "Someone else changed this while you were editing. Reload to see their change, "
                "then apply yours again."
            )
        )


def describe_focus_finding(finding: FocusFinding) -> str:
    """Turn a focus finding into a sentence in the user's language."""
    values = {"count": finding.count, "min": finding.minimum, "max": finding.maximum}
    if finding.code == "too_many_objectives":
        return (
            ngettext(
                "%(count)d objective: more than the %(min)d–%(max)d that keeps an owner focused.",
                "%(count)d objectives: more than the %(min)d–%(max)d that keeps an owner focused.",
                finding.count,
            )
            % values
        )
    if finding.code == "too_few_objectives":
        return (
            ngettext(
                "%(count)d objective so far: the method asks for %(min)d–%(max)d.",
                "%(count)d objectives so far: the method asks for %(min)d–%(max)d.",
                finding.count,
            )
            % values
        )
    if finding.code == "too_many_key_results":
        return (
            ngettext(
                "%(count)d key result: more than the %(min)d–%(max)d an objective should have.",
                "%(count)d key results: more than the %(min)d–%(max)d an objective should have.",
                finding.count,
            )
            % values
        )
    return (
        ngettext(
            "%(count)d key result so far: an objective should have %(min)d–%(max)d.",
            "%(count)d key results so far: an objective should have %(min)d–%(max)d.",
            finding.count,
        )
        % values
    )


def is_hard_limit(finding: FocusFinding) -> bool:
    """Tell whether an org that enforces focus refuses this finding (only maxima are refused)."""
    return finding.code.startswith("too_many")

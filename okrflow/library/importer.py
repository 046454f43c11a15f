"""Create a previewed file's OKRs, all or nothing, through the objective and KR actions."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from okrflow.insights.live_updates import rolled_back_entries
from okrflow.library.plans import Problem
from okrflow.library.preview import ImportPreview
from okrflow.okrs.actions import align_objective, create_key_result, create_objective
from okrflow.okrs.models import Objective


class ImportFailed(Exception):
    """The import stopped; nothing was saved. `problems` says where and why."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(p.message for p in problems))
        self.problems = problems


@dataclass
class ImportResult:
    objectives: list[Objective]
    key_results: int
    warnings: list[str] = field(default_factory=list)


def error_messages(error: ValidationError | PermissionDenied) -> list[str]:
    if isinstance(error, PermissionDenied):
        return [str(error) or _("You do not have permission to do this.")]
    if hasattr(error, "message_dict"):
        return [m for messages in error.message_dict.values() for m in messages]
    return list(error.messages)


@transaction.atomic
def run_import(actor: Any, preview: ImportPreview) -> ImportResult:
    """Create every objective and key result of a clean preview, or nothing at all."""
    if not preview.can_import:
        raise ImportFailed(preview.errors or [Problem(_("There is nothing to import."))])
    created: list[Objective] = []
    by_ref: dict[str, Objective] = {}
    # The actions warn after every row ("2 key results so far"); only the final count matters.
    owner_warnings: dict[tuple[str, int], list[str]] = {}
    count_warnings: dict[int, list[str]] = {}
    key_results = 0
    line: int | None = None
    where = ""
    try:
        for plan in preview.objectives:
            line, where = plan.line or None, plan.where
            outcome = create_objective(
                actor,
                cycle=preview.cycle,
                title=plan.title,
                owner=plan.owner,
                kind=plan.kind,
                description=plan.description,
                is_private=plan.is_private,
                tags=plan.tags,
                state=plan.state,
            )
            objective = outcome.value
            owner_warnings[(plan.owner_kind or "", plan.owner.pk)] = outcome.warnings
            created.append(objective)
            if plan.ref:
                by_ref[plan.ref] = objective
            for kr in plan.key_results:
                line, where = kr.line or None, kr.where
                kr_outcome = create_key_result(actor, objective, **kr.action_fields())
                count_warnings[objective.pk] = kr_outcome.warnings
                key_results += 1
        for plan, objective in zip(preview.objectives, created, strict=True):
            line, where = plan.line or None, plan.where
            for link in plan.parents:
                align_objective(
                    actor, objective, by_ref[link.ref], primary=link.primary, weight=link.weight
                )
    except (ValidationError, PermissionDenied) as error:
        raise ImportFailed(
            [Problem(message, line, where=where) for message in error_messages(error)]
        ) from error
    warnings = [w for group in (*owner_warnings.values(), *count_warnings.values()) for w in group]
    return ImportResult(created, key_results, list(dict.fromkeys(warnings)))


class _Rehearsed(Exception):
    """Raised at the end of a rehearsal so that its transaction rolls back."""


def rehearse_import(actor: Any, preview: ImportPreview) -> list[Problem]:
    """Run the real import and undo it; return what stopped it (nothing: the import will pass).

    The dry run and the preview page call this, so they meet exactly the checks of the real
    run — every action, every column's range and precision — and can never say "OK" before
    the real import fails.
    """
    if not preview.can_import:
        return []
    try:
        with rolled_back_entries(), transaction.atomic():
            run_import(actor, preview)
            raise _Rehearsed
    except _Rehearsed:
        return []
    except ImportFailed as failure:
        return failure.problems

"""The library's writes: copy a template into a cycle as a draft objective with its KRs."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from okrflow.action_support import Outcome
from okrflow.cycles.models import Cycle
from okrflow.engine.quality_dates import Window
from okrflow.library.catalog import LANGUAGES, LibraryTemplate, render_template
from okrflow.okrs.actions import create_key_result, create_objective
from okrflow.okrs.models import Objective, ObjectiveState


@transaction.atomic
def use_template(
    actor: Any, template: LibraryTemplate, *, cycle: Cycle, owner: Any, lang: str
) -> Outcome[Objective]:
    """Create a draft objective and its key results from a template, for an owner and cycle.

    Permission and validation are the objective and key-result actions' own; the audit log
    records each created row.
    """
    if lang not in LANGUAGES:
        raise ValidationError({"lang": _("Choose Vietnamese or English.")})
    rendered = render_template(template, lang, Window(cycle.start_date, cycle.end_date))
    outcome = create_objective(
        actor,
        cycle=cycle,
        title=rendered.title,
        owner=owner,
        kind=template.kind,
        description=rendered.description,
        tags=list(template.tags),
        state=ObjectiveState.DRAFT,
    )
    count_warnings: list[str] = []
    for kr in rendered.key_results:
        # Each creation reports the count so far; only the final one is worth showing.
        count_warnings = create_key_result(actor, outcome.value, **kr.action_fields()).warnings
    return Outcome(outcome.value, [*outcome.warnings, *count_warnings])

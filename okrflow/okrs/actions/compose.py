"""Create an objective together with its key results and parent, all or nothing."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from okrflow.action_support import Outcome
from okrflow.okrs.actions.key_results import create_key_result
from okrflow.okrs.actions.objectives import align_objective, create_objective
from okrflow.okrs.models import Objective


class ComposeError(Exception):
    """Errors of the objective and of each key result, by the key result's index."""

    def __init__(
        self, objective_error: ValidationError | None, key_result_errors: dict[int, ValidationError]
    ):
        super().__init__("the objective or its key results are not valid")
        self.objective_error = objective_error
        self.key_result_errors = key_result_errors


def create_objective_with_key_results(
    actor: Any,
    *,
    objective: dict[str, Any],
    key_results: list[dict[str, Any]],
    parent: Objective | None = None,
) -> Outcome[Objective]:
    """Create the objective, align it and add every key result; on any error save nothing."""
    with transaction.atomic():
        try:
            outcome = create_objective(actor, **objective)
            if parent is not None:
                align_objective(actor, outcome.value, parent)
        except ValidationError as error:
            raise ComposeError(error, {}) from error
        errors: dict[int, ValidationError] = {}
        # Each new key result re-checks the count; only the last check describes the result.
        count_warnings: list[str] = []
        for index, fields in enumerate(key_results):
            try:
                with transaction.atomic():
                    count_warnings = create_key_result(actor, outcome.value, **fields).warnings
            except ValidationError as error:
                errors[index] = error
        if errors:
            raise ComposeError(None, errors)
    return Outcome(outcome.value, [*outcome.warnings, *count_warnings])

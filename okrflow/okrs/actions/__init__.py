"""Every write to objectives, key results and initiatives goes through these actions."""

from okrflow.okrs.actions.agreement import agree_objective, propose_objective, return_objective
from okrflow.okrs.actions.compose import ComposeError, create_objective_with_key_results
from okrflow.okrs.actions.copying import duplicate_objective, move_key_result
from okrflow.okrs.actions.initiatives import create_initiative, set_initiative_done
from okrflow.okrs.actions.key_results import (
    change_key_result_target,
    create_key_result,
    record_key_result_value,
    update_key_result,
)
from okrflow.okrs.actions.objectives import (
    align_objective,
    archive_objective,
    create_objective,
    unalign_objective,
    update_objective,
)

__all__ = [
    "ComposeError",
    "agree_objective",
    "align_objective",
    "archive_objective",
    "change_key_result_target",
    "create_initiative",
    "create_key_result",
    "create_objective",
    "create_objective_with_key_results",
    "duplicate_objective",
    "move_key_result",
    "propose_objective",
    "record_key_result_value",
    "return_objective",
    "set_initiative_done",
    "unalign_objective",
    "update_key_result",
    "update_objective",
]

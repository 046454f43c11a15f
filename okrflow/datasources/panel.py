"""What a key result's page shows of its data source, by who reads it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from okrflow.datasources.actions import can_manage_source
from okrflow.datasources.models import DataSource
from okrflow.datasources.reading import problem_message
from okrflow.okrs.models import KeyResult


@dataclass
class SourcePanel:
    source: DataSource | None
    can_manage: bool
    # The error's words and detail: only for those who manage the source; others see the status.
    error: str = ""


def source_panel(user: Any, kr: KeyResult) -> SourcePanel | None:
    """The panel for someone who may see the key result; None when there is nothing to show."""
    source = DataSource.objects.filter(key_result=kr).first()
    can_manage = can_manage_source(user, kr)
    if source is None and not can_manage:
        return None
    error = ""
    if source is not None and can_manage and source.last_error_code:
        error = problem_message(source.last_error_code, source.last_error_detail)
    return SourcePanel(source, can_manage, error)

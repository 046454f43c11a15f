"""What other apps let the objective editor choose and the objective page show (issue #16).

`okrs` sits below the apps that attach things to its objectives (the strategy layer names the
core value a company objective serves), so those apps register a `Choice` here from their
`AppConfig.ready()`: the editor offers one field per choice that applies to the objective and
saves it through the app's own action, in the same transaction as the objective's edit (layering
in docs/ARCHITECTURE.md).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Choice:
    """One extra field of the objective editor, filled and saved by a higher app."""

    key: str  # the form field's name, also the key of the action's field errors
    label: Callable[[], str]  # the field's label, in the reader's language
    # The (value, label) options for this objective, "" for none; None: not offered here.
    options: Callable[[Any, Any], list[tuple[str, str]] | None]
    initial: Callable[[Any], str]  # the objective's current value
    save: Callable[[Any, Any, str], None]  # (actor, objective, value); raises ValidationError
    shown: Callable[[Any], str | None]  # the line on the objective page, None for none
    help_text: Callable[[], str] = lambda: ""


_choices: list[Choice] = []


def add_choice(choice: Choice) -> None:
    """Register an extra field of the objective editor (once per key, however often called)."""
    if all(known.key != choice.key for known in _choices):
        _choices.append(choice)


def all_choices() -> list[Choice]:
    return list(_choices)

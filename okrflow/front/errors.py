"""Turn action errors into text a person reads."""

from __future__ import annotations

from django.core.exceptions import ValidationError


def error_text(error: ValidationError) -> str:
    """Join every message of a ValidationError into one sentence list."""
    if hasattr(error, "error_dict"):
        return " ".join(message for messages in error.message_dict.values() for message in messages)
    return " ".join(error.messages)


def apply_errors(
    form: object, error: ValidationError, prefix_map: dict[str, str] | None = None
) -> None:
    """Attach an action's ValidationError to a Django form, field by field where possible."""
    fields = getattr(form, "fields", {})
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            name = (prefix_map or {}).get(field, field)
            for message in messages:
                form.add_error(name if name in fields else None, message)  # type: ignore[attr-defined]
    else:
        for message in error.messages:
            form.add_error(None, message)  # type: ignore[attr-defined]

"""No text reaches the database with a character it cannot store or an export cannot write.

Web input is cleaned as it arrives (`front.middleware.CleanInputMiddleware`), before any form or
action validates it. This receiver is the net under every other way text is saved — imports, the
CLI, the admin, the demo — so SQLite and PostgreSQL end up holding the same text: without it a NUL
was stored by SQLite and refused by PostgreSQL with a server error.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models.signals import pre_save

from okrflow.engine.text import clean_text


def clean_value(value: Any) -> Any:
    """Clean a string, or every string inside a JSON-like value (lists, dicts, their keys)."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, list):
        return [clean_value(item) for item in value]
    if isinstance(value, dict):
        return {clean_value(key): clean_value(item) for key, item in value.items()}
    return value


def clean_instance_text(sender: type[models.Model], instance: models.Model, **_: Any) -> None:
    """Clean every text and JSON field of an okrflow model just before it is saved."""
    if not sender.__module__.startswith("okrflow."):
        return
    for field in sender._meta.concrete_fields:
        if isinstance(field, models.CharField | models.TextField | models.JSONField):
            value = getattr(instance, field.attname)
            cleaned = clean_value(value)
            if cleaned is not value and cleaned != value:
                setattr(instance, field.attname, cleaned)


def connect() -> None:
    pre_save.connect(clean_instance_text, dispatch_uid="okrflow.stored_text")

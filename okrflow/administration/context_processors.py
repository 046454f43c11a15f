"""Template context for the administration tabs."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from okrflow.administration.sections import all_sections


def administration(request: HttpRequest) -> dict[str, Any]:
    return {"administration_sections": all_sections()}

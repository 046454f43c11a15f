"""Sending hostile requests and telling what they changed."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, quote_from_bytes

from django.apps import apps
from django.db import connection
from django.http import HttpResponse
from django.test import Client

from tests.security.hostile_values import HostileValue


def encode(fields: dict[str, HostileValue]) -> str:
    """URL-encode fields byte for byte: raw bytes stay invalid UTF-8, lists repeat the name."""
    pairs = []
    for name, value in fields.items():
        for one in value if isinstance(value, list) else [value]:
            raw = one if isinstance(one, bytes) else one.encode("utf-8", "surrogatepass")
            pairs.append(f"{quote(name, safe='')}={quote_from_bytes(raw, safe='')}")
    return "&".join(pairs)


def send(
    client: Client,
    method: str,
    path: str,
    query: dict[str, HostileValue],
    body: dict[str, HostileValue] | None = None,
    *,
    htmx: bool = False,
) -> HttpResponse:
    encoded = encode(query)
    url = f"{path}?{encoded}" if encoded else path
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    if method == "GET":
        return client.get(url, **headers)  # type: ignore[return-value]
    return client.generic(  # type: ignore[return-value]
        method,
        url,
        data=encode(body or {}).encode("ascii"),
        content_type="application/x-www-form-urlencoded",
        **headers,
    )


def fingerprint_sql() -> str:
    """One query summing up what the app stores: rows per table and versions of versioned rows."""
    parts = []
    for model in apps.get_models():
        if not model.__module__.startswith("okrflow.") and model._meta.db_table != "auth_user":
            continue
        table = connection.ops.quote_name(model._meta.db_table)
        parts.append(f"(SELECT COUNT(*) FROM {table})")
        if "version" in {f.column for f in model._meta.concrete_fields}:
            parts.append(f"(SELECT COALESCE(SUM(version), 0) FROM {table})")
        pk = connection.ops.quote_name(model._meta.pk.column)
        parts.append(f"(SELECT COALESCE(MAX({pk}), 0) FROM {table})")
    return "SELECT " + ", ".join(parts)


def fingerprint(sql: str) -> tuple[Any, ...]:
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return tuple(cursor.fetchone())

"""Set, change and remove a key result's data source; make its push secret; find it by secret."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from okrflow.action_support import deny
from okrflow.audit.log import record_change
from okrflow.datasources.models import DataSource, Schedule, SourceKind
from okrflow.datasources.secrets import (
    UnreadableSecret,
    decrypt_secrets,
    encrypt_secrets,
    parse_headers,
)
from okrflow.datasources.sql import database_kind
from okrflow.engine.source_values import SourceProblem, split_json_path
from okrflow.okrs.actions.common import require_open_cycle
from okrflow.okrs.models import KeyResult
from okrflow.org.access import access_for

SELECTOR_LENGTH = 12
TOKEN_ALPHABET = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
MAX_TOKEN_LENGTH = 100
# The fields a form may set, by kind; anything else is cleared when the kind changes.
FIELDS_OF_KIND = {
    SourceKind.PUSH: (),
    SourceKind.JSON: ("url", "json_path", "schedule"),
    SourceKind.CSV: ("url", "file_path", "sheet", "row", "column", "schedule"),
    SourceKind.SQL: ("query", "schedule"),
}
PLAIN_FIELDS = ("url", "json_path", "file_path", "sheet", "row", "column", "query", "schedule")
LIMITS = {"url": 1000, "json_path": 300, "file_path": 500, "sheet": 100, "row": 20, "column": 100}


def can_manage_source(user: Any, kr: KeyResult) -> bool:
    """The key result's owner, its co-owners, the objective's owner and co-owners, and admins."""
    access = access_for(user)
    if access.is_admin:
        return True
    person = access.person
    if person is None:
        return False
    objective = kr.objective
    return (
        kr.owner_id == person.pk
        or objective.owner_person_id == person.pk
        or access.co_owns_key_result(kr.pk)
        or access.co_owns_objective(objective.pk)
    )


def require_manage(actor: Any, kr: KeyResult) -> None:
    if actor is not None and not can_manage_source(actor, kr):
        raise deny(
            _("Only the key result's owner, its co-owners and admins can change its source.")
        )


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def audit_view(source: DataSource) -> dict[str, Any]:
    """What the audit row keeps of a source: its kind and schedule, never a place or a secret."""
    return {"key_result": source.key_result_id, "kind": source.kind, "schedule": source.schedule}


@dataclass
class SavedSource:
    source: DataSource
    push_token: str = ""  # shown once, when a push source is made


def clean_fields(kind: str, fields: dict[str, Any]) -> dict[str, str]:
    """Check the plain fields of a source of `kind`; collect every error at once."""
    errors: dict[str, list[str]] = {}
    clean: dict[str, str] = {}
    for name in PLAIN_FIELDS:
        value = str(fields.get(name) or "").strip()
        if "\x00" in value:
            errors.setdefault(name, []).append(_("Remove the null character."))
            continue
        if name in LIMITS and len(value) > LIMITS[name]:
            errors.setdefault(name, []).append(
                _("Keep this under %(limit)s characters.") % {"limit": LIMITS[name]}
            )
            continue
        clean[name] = value if name in FIELDS_OF_KIND[SourceKind(kind)] else ""
    if kind != SourceKind.PUSH:
        if clean.get("schedule") not in Schedule.values:
            errors.setdefault("schedule", []).append(_("Choose how often to read the source."))
    else:
        clean["schedule"] = Schedule.DAILY
    if kind == SourceKind.JSON:
        require_http_url(clean.get("url", ""), errors)
        if clean.get("json_path"):
            try:
                split_json_path(clean["json_path"])
            except SourceProblem:
                errors.setdefault("json_path", []).append(
                    _("Write the path as in $.data.total or items[0].value.")
                )
    if kind == SourceKind.CSV:
        if bool(clean.get("url")) == bool(clean.get("file_path")):
            errors.setdefault("url", []).append(_("Give either the CSV file's URL or its path."))
        elif clean.get("url"):
            require_http_url(clean["url"], errors)
        if not clean.get("column"):
            errors.setdefault("column", []).append(_("Name the column (its header or number)."))
        row = (clean.get("row") or "last").casefold()
        if row not in ("last", "cuối") and not (row.isdigit() and int(row) >= 1):
            errors.setdefault("row", []).append(_("Give a row number (1 = first) or “last”."))
    if kind == SourceKind.SQL and not clean.get("query"):
        errors.setdefault("query", []).append(_("Write the query that returns one number."))
    if len(clean.get("query", "")) > 10_000:
        errors.setdefault("query", []).append(_("Keep the query under 10,000 characters."))
    if errors:
        raise ValidationError(errors)
    return clean


def require_http_url(url: str, errors: dict[str, list[str]]) -> None:
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        errors.setdefault("url", []).append(_("This is not a valid URL."))
        return
    if parts.scheme not in ("http", "https") or not parts.hostname:
        errors.setdefault("url", []).append(_("Enter an http:// or https:// URL."))
    elif parts.username or parts.password:
        errors.setdefault("url", []).append(
            _("Put no user name or password in the URL; use a header.")
        )


def clean_secrets(
    kind: str, existing: dict[str, Any], headers_text: str | None, database_url: str | None
) -> dict[str, Any]:
    """New secrets: a field left empty keeps the stored value (it is never shown again)."""
    errors: dict[str, list[str]] = {}
    kept = dict(existing)
    if headers_text is not None and headers_text.strip():
        try:
            kept["headers"] = parse_headers(headers_text)
        except ValueError as error:
            errors["headers"] = [
                _("Write one header per line as Name: value (line “%(line)s”).")
                % {"line": str(error)}
            ]
    if database_url is not None and database_url.strip():
        url = database_url.strip()
        try:
            database_kind(url)
            if len(url) > 1000:
                raise SourceProblem("refused")
            kept["database_url"] = url
        except SourceProblem:
            errors["database_url"] = [
                _("Enter a postgres://, mysql:// or sqlite:/// database URL.")
            ]
    if kind == SourceKind.SQL and not kept.get("database_url") and "database_url" not in errors:
        errors["database_url"] = [_("Enter the URL of the database to query.")]
    if errors:
        raise ValidationError(errors)
    if kind not in (SourceKind.JSON, SourceKind.CSV):
        kept.pop("headers", None)
    if kind != SourceKind.SQL:
        kept.pop("database_url", None)
    return kept


@transaction.atomic
def save_data_source(
    actor: Any,
    key_result: KeyResult,
    *,
    kind: str,
    headers: str | None = None,
    database_url: str | None = None,
    clear_headers: bool = False,
    **fields: Any,
) -> SavedSource:
    """Give a key result a source, or change it (a new kind replaces the old one's settings)."""
    kr = (
        KeyResult.objects.select_for_update(of=("self",))
        .select_related("objective__cycle", "objective__owner_person")
        .get(pk=key_result.pk)
    )
    require_manage(actor, kr)
    require_open_cycle(kr.objective.cycle)
    if kind not in SourceKind.values:
        raise ValidationError({"kind": _("Choose the kind of source.")})
    clean = clean_fields(kind, fields)
    source = DataSource.objects.select_for_update().filter(key_result=kr).first()
    before = audit_view(source) if source else None
    try:
        existing = decrypt_secrets(source.secrets_encrypted) if source else {}
    except UnreadableSecret:
        existing = {}
    if clear_headers:
        existing.pop("headers", None)
    kept = clean_secrets(kind, existing, headers, database_url)
    source = source or DataSource(key_result=kr)
    kind_changed = source.kind != kind
    source.kind = kind
    for name, value in clean.items():
        setattr(source, name, value)
    source.secrets_encrypted = encrypt_secrets(kept)
    token = ""
    if kind == SourceKind.PUSH:
        source.next_run_at = None
        if not source.push_selector:
            token = set_push_secret(source)
    else:
        source.push_selector, source.push_secret_hash = None, ""
        source.next_run_at = timezone.now()  # read at the next sweep
    if kind_changed:
        source.last_error_code = source.last_error_detail = ""
        source.last_error_at = source.failing_since = None
        source.last_value = None
    if source.pk:
        source.version += 1
    source.save()
    record_change(
        actor=actor,
        action="save_data_source",
        instance=source,
        before=before,
        after=audit_view(source),
    )
    return SavedSource(source, token)


def set_push_secret(source: DataSource) -> str:
    selector = secrets.token_urlsafe(9)
    secret = secrets.token_urlsafe(32)
    source.push_selector = selector
    source.push_secret_hash = hash_secret(secret)
    return selector + secret


@transaction.atomic
def new_push_secret(actor: Any, key_result: KeyResult) -> str:
    """Give a push source a new secret URL and return its token; the old one stops working."""
    kr = KeyResult.objects.select_related("objective").get(pk=key_result.pk)
    require_manage(actor, kr)
    source = DataSource.objects.select_for_update().filter(key_result=kr).first()
    if source is None or source.kind != SourceKind.PUSH:
        raise ValidationError(_("This key result has no push source."))
    token = set_push_secret(source)
    source.version += 1
    source.save()
    record_change(
        actor=actor,
        action="new_push_secret",
        instance=source,
        before=audit_view(source),
        after=audit_view(source),
    )
    return token


@transaction.atomic
def remove_data_source(actor: Any, key_result: KeyResult) -> bool:
    """Remove the key result's source (values it recorded stay); tell whether there was one."""
    kr = KeyResult.objects.select_related("objective").get(pk=key_result.pk)
    require_manage(actor, kr)
    source = DataSource.objects.select_for_update().filter(key_result=kr).first()
    if source is None:
        return False
    record_change(
        actor=actor,
        action="remove_data_source",
        instance=source,
        before=audit_view(source),
        after=None,
    )
    source.delete()
    return True


def find_push_source(token: str) -> DataSource | None:
    """Return the push source this token opens, or None (unknown, removed or malformed)."""
    if not (SELECTOR_LENGTH < len(token) <= MAX_TOKEN_LENGTH) or not set(token) <= TOKEN_ALPHABET:
        return None
    selector, secret = token[:SELECTOR_LENGTH], token[SELECTOR_LENGTH:]
    source = (
        DataSource.objects.select_related("key_result")
        .filter(push_selector=selector, kind=SourceKind.PUSH)
        .first()
    )
    if source is None or not hmac.compare_digest(source.push_secret_hash, hash_secret(secret)):
        return None
    return source


def source_secrets_summary(source: DataSource) -> dict[str, Any]:
    """What pages may show of the stored secrets: header names and a masked database URL."""
    from okrflow.datasources.secrets import mask_database_url, mask_headers

    try:
        stored = decrypt_secrets(source.secrets_encrypted)
    except UnreadableSecret:
        return {"unreadable": True, "headers": [], "database_url": ""}
    return {
        "unreadable": False,
        "headers": mask_headers(dict(stored.get("headers") or {})),
        "database_url": mask_database_url(str(stored.get("database_url") or "")),
    }

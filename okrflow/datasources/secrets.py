"""Encrypt a source's secrets (request headers, the database URL) and mask them for display.

The key is OKRFLOW_SOURCES_KEY (a Fernet key: `python -c "from cryptography.fernet import
Fernet; print(Fernet.generate_key().decode())"`), else derived from SECRET_KEY. Changing the
key (or SECRET_KEY without it) makes stored secrets unreadable: such a source fails with a
clear error until its owner types the secret again.
"""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings

MASK = "••••"


def fernet() -> Fernet:
    key = getattr(settings, "DATA_SOURCE_KEY", "")
    if key:
        return Fernet(key.encode())
    digest = hashlib.sha256(b"okrflow data sources\x00" + settings.SECRET_KEY.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def encrypt_secrets(values: dict[str, Any]) -> str:
    """Return the encrypted form of a dict of secrets ("" for none)."""
    cleaned = {key: value for key, value in values.items() if value}
    if not cleaned:
        return ""
    return fernet().encrypt(json.dumps(cleaned, sort_keys=True).encode()).decode()


class UnreadableSecret(Exception):
    """The stored secrets cannot be decrypted with the current key."""


def decrypt_secrets(token: str) -> dict[str, Any]:
    if not token:
        return {}
    try:
        return dict(json.loads(fernet().decrypt(token.encode())))
    except (InvalidToken, ValueError) as error:
        raise UnreadableSecret from error


def mask_database_url(url: str) -> str:
    """Show a database URL with its password hidden: postgres://reader:••••@db:5432/sales."""
    try:
        parts = urlsplit(url)
        if parts.password is None:
            return url
        host = parts.hostname or ""
        if parts.port:
            host = f"{host}:{parts.port}"
        user = parts.username or ""
        return urlunsplit((parts.scheme, f"{user}:{MASK}@{host}", parts.path, "", ""))
    except ValueError:
        return MASK


def mask_headers(headers: dict[str, str]) -> list[str]:
    """Name each header with its value hidden but for the last 2 characters of a long one."""
    shown = []
    for name, value in sorted(headers.items()):
        tail = value[-2:] if len(value) >= 12 else ""
        shown.append(f"{name}: {MASK}{tail}")
    return shown


def parse_headers(text: str) -> dict[str, str]:
    """Read "Name: value" lines; raise ValueError naming the first bad line."""
    headers: dict[str, str] = {}
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        name, separator, value = line.partition(":")
        name, value = name.strip(), value.strip()
        if (
            not separator
            or not name
            or not all(33 <= ord(c) <= 126 and c != ":" for c in name)
            or any(ord(c) < 32 or ord(c) == 127 for c in value)
        ):
            raise ValueError(line.strip()[:60])
        headers[name] = value
    return headers

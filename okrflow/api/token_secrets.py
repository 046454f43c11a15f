"""Personal access token secrets: made, recognised and hashed without Django."""

from __future__ import annotations

import hashlib
import secrets

PREFIX = "okr_"
# 32 random bytes: guessing one is out of reach, so one fast hash (not a password KDF) suffices.
SECRET_BYTES = 32
HINT_LENGTH = len(PREFIX) + 6


def new_secret() -> str:
    """Return a fresh token secret, recognisable by its prefix (for secret scanners and people)."""
    return PREFIX + secrets.token_urlsafe(SECRET_BYTES)


def hash_secret(secret: str) -> str:
    """Return the stored form of a secret: its SHA-256 in hex."""
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def hint_of(secret: str) -> str:
    """Return the first characters, shown in lists so a person can tell their tokens apart."""
    return secret[:HINT_LENGTH]


def looks_like_token(secret: str) -> bool:
    """Tell whether a string has the shape of a token, before any database lookup."""
    return secret.startswith(PREFIX) and 20 <= len(secret) <= 100 and secret.isascii()

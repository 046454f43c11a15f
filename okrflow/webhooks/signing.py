"""Sign a delivery's body: HMAC-SHA256 of `timestamp.body` with the subscription's secret."""

from __future__ import annotations

import hashlib
import hmac
import secrets

SIGNATURE_HEADER = "X-Okrflow-Signature"
TIMESTAMP_HEADER = "X-Okrflow-Timestamp"
DELIVERY_HEADER = "X-Okrflow-Delivery"
EVENT_HEADER = "X-Okrflow-Event"


def new_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """Return the signature header's value: "sha256=" and the hex digest."""
    message = str(timestamp).encode() + b"." + body
    return "sha256=" + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def verify(secret: str, timestamp: str, body: bytes, received: str) -> bool:
    """Check a received signature as a receiver should (constant-time comparison)."""
    try:
        moment = int(timestamp)
    except ValueError:
        return False
    return hmac.compare_digest(signature(secret, moment, body), received)

"""The signature both ways: HMAC-SHA256, keyed with the webhook's secret, of `<timestamp>.<body>`.

The timestamp (Unix seconds, in X-Suban-Timestamp) is signed with the body, so that a captured request
cannot be replayed once it is older than the window; the receiver checks the window and then compares the
signatures in constant time.
"""

from __future__ import annotations

import hashlib
import hmac

from django.utils import timezone

SIGNATURE_HEADER = "X-Suban-Signature"
TIMESTAMP_HEADER = "X-Suban-Timestamp"
DELIVERY_HEADER = "X-Suban-Delivery"
EVENT_HEADER = "X-Suban-Event"
SOURCE_HEADER = "X-Suban-Source"
WINDOW_SECONDS = 300  # a signed request older or newer than five minutes is refused


def signature(secret: str, timestamp: str, body: bytes) -> str:
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def signed_headers(secret: str, body: bytes, *, now: float | None = None) -> dict[str, str]:
    timestamp = str(int(now if now is not None else timezone.now().timestamp()))
    return {TIMESTAMP_HEADER: timestamp, SIGNATURE_HEADER: signature(secret, timestamp, body)}


def check(secret: str, timestamp: str, given: str, body: bytes, *, now: float | None = None) -> str | None:
    """Why the signature is refused, or None when it is good."""
    if not secret:
        return "no secret is set for this platform"
    try:
        sent_at = int(timestamp)
    except (TypeError, ValueError):
        return f"{TIMESTAMP_HEADER} is missing or not a number of seconds"
    current = now if now is not None else timezone.now().timestamp()
    if abs(current - sent_at) > WINDOW_SECONDS:
        return f"{TIMESTAMP_HEADER} is more than {WINDOW_SECONDS} seconds away from our clock"
    if not given or not hmac.compare_digest(given.encode(), signature(secret, timestamp, body).encode()):
        return f"{SIGNATURE_HEADER} does not match the body"
    return None

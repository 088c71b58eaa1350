"""Open311 API keys: create (the key is returned once), revoke, find by key, and each key's rate limit."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.throttling import SimpleRateThrottle

from suban.accounts.models import User
from suban.audit.services import audit_record
from suban.crypto import hash_key, key_prefix
from suban.errors import Conflict, Invalid, full_clean
from suban.open311.models import ApiKey
from suban.org.services import require_perm

KEY_PREFIX = "o311_"
# last_used_at is written at most this often per key, so that a busy client does not write on every call.
TOUCH_INTERVAL = timedelta(minutes=1)
# Callers without a key (the spec's GET methods need none) share a limit per address.
ANONYMOUS_RATE = "120/min"


def normalize_prefix(prefix: str) -> str:
    """Accept the prefix with or without the "o311_" marker, and a whole key too."""
    return key_prefix(prefix, marker=KEY_PREFIX)


def key_create(*, by: User | AnonymousUser | None, name: str, rate_limit: str = "60/min") -> tuple[ApiKey, str]:
    """A new key for a client called `name`. Returns the row and the key, shown this once."""
    require_perm(by, "open311.add_apikey")
    name = name.strip()
    if not name:
        raise Invalid(_("Give the key a name that says which client uses it."), field="name")
    for _attempt in range(3):
        prefix = secrets.token_hex(4)
        key = f"{KEY_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
        row = ApiKey(name=name[:100], prefix=prefix, key_hash=hash_key(key), rate_limit=rate_limit.strip())
        full_clean(row, exclude=["prefix", "key_hash"])
        try:
            with transaction.atomic():
                row.save()
                audit_record(
                    action="open311_key.create", actor=by, target=row, detail={"name": row.name, "rate": row.rate_limit}
                )
            return row, key
        except IntegrityError:
            continue  # the random prefix is taken; draw another
    raise Conflict(_("Could not create a key; try again."))


def key_revoke(*, by: User | AnonymousUser | None, key: ApiKey) -> ApiKey:
    require_perm(by, "open311.change_apikey")
    now = timezone.now()
    with transaction.atomic():
        if ApiKey.objects.filter(pk=key.pk, active=True).update(active=False, revoked_at=now):
            audit_record(action="open311_key.revoke", actor=by, target=key, detail={"name": key.name})
    key.active, key.revoked_at = False, key.revoked_at or now
    return key


def key_for(raw: str) -> ApiKey | None:
    """The active key, or None. Notes when it was last used."""
    raw = raw.strip()
    if not raw.startswith(KEY_PREFIX):
        return None
    found = ApiKey.objects.filter(key_hash=hash_key(raw), active=True).first()
    if found is None:
        return None
    now = timezone.now()
    if found.last_used_at is None or found.last_used_at < now - TOUCH_INTERVAL:
        ApiKey.objects.filter(pk=found.pk).update(last_used_at=now)
        found.last_used_at = now
    return found


class KeyThrottle(SimpleRateThrottle):
    """ninja's cache-based sliding window (as suban.api.throttles), counted per key, or per address for
    callers without one."""

    def __init__(self, key: ApiKey | None) -> None:
        self.scope = "open311"
        self.ident = f"key-{key.pk}" if key is not None else None
        super().__init__(key.rate_limit if key is not None else ANONYMOUS_RATE)

    def get_cache_key(self, request: HttpRequest) -> str | None:
        ident = self.ident or f"ip-{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}


def throttle(request: HttpRequest, key: ApiKey | None) -> float | None:
    """None when the call may go ahead; otherwise the seconds to wait."""
    limiter = KeyThrottle(key)
    if limiter.allow_request(request):
        return None
    return limiter.wait() or 1.0

"""Writes to API tokens: create (the key is returned once), revoke, and note a token's use."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from suban.accounts.models import User
from suban.api.models import ApiToken
from suban.audit.services import audit_record
from suban.crypto import hash_key, key_prefix
from suban.errors import Conflict, Invalid
from suban.org.services import require_perm

KEY_PREFIX = "sbn_"
# last_used_at is written at most this often per token, so that a busy client does not write on every call.
TOUCH_INTERVAL = timedelta(minutes=1)


def normalize_prefix(prefix: str) -> str:
    """An API token's prefix, given with or without its marker ("sbn_"), or a whole key."""
    return key_prefix(prefix, marker=KEY_PREFIX)


def token_create(
    *, by: User | AnonymousUser | None, user: User, name: str, days: int | None = None
) -> tuple[ApiToken, str]:
    """A new token for `user`, valid for `days` (None: until revoked). Returns the token and its key,
    which is shown this once and stored only as a hash."""
    require_perm(by, "api.add_apitoken")
    name = name.strip()
    if not name:
        raise Invalid(_("Give the token a name that says what uses it."), field="name")
    if not user.is_active:
        raise Invalid(_("The account is disabled."), field="user")
    # Admin accounts reach no case; citizens' apps hold a token once the citizen has logged in.
    if user.admin_role or not (user.is_citizen or user.roles):
        raise Invalid(_("API tokens are for citizens and for staff with a work role."), field="user")
    if days is not None and days <= 0:
        raise Invalid(_("Give a positive number of days."), field="days")
    expires_at = timezone.now() + timedelta(days=days) if days is not None else None
    for _attempt in range(3):
        prefix = secrets.token_hex(4)
        key = f"{KEY_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
        try:
            with transaction.atomic():
                token = ApiToken.objects.create(
                    user=user, name=name[:100], prefix=prefix, key_hash=hash_key(key), expires_at=expires_at
                )
                audit_record(
                    action="api_token.create",
                    actor=by,
                    target=token,
                    detail={"user": user.username, "name": token.name, "expires_at": expires_at},
                )
            return token, key
        except IntegrityError:
            continue  # the random prefix is taken; draw another
    raise Conflict(_("Could not create a token; try again."))


def token_revoke(*, by: User | AnonymousUser | None, token: ApiToken) -> ApiToken:
    require_perm(by, "api.revoke_apitoken")
    now = timezone.now()
    with transaction.atomic():
        updated = ApiToken.objects.filter(pk=token.pk, revoked=False).update(revoked=True, revoked_at=now)
        if updated:
            audit_record(action="api_token.revoke", actor=by, target=token, detail={"user": token.user.username})
    token.revoked, token.revoked_at = True, token.revoked_at or now
    return token


def token_for_key(key: str, *, now: datetime | None = None) -> ApiToken | None:
    """The live token with this key, with its account and unit, or None. Notes when it was last used."""
    if not key.startswith(KEY_PREFIX):
        return None
    found = list(
        ApiToken.objects.select_related("user", "user__unit")
        .defer("user__unit__boundary")
        .filter(key_hash=hash_key(key))[:1]
    )
    token = found[0] if found else None
    now = now or timezone.now()
    if token is None or token.revoked or (token.expires_at is not None and token.expires_at <= now):
        return None
    if token.last_used_at is None or token.last_used_at < now - TOUCH_INTERVAL:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.http import HttpRequest
from django.utils import timezone

from suban.audit.models import AuditEntry, AuditHead

GENESIS = "0" * 64
# The purge leaves this entry: the last entry it removed (seq and hash), to which the oldest kept one links.
PURGE_ACTION = "audit.purge"
# `audit_verify --adopt-key` leaves this entry: the entries up to it were chained before AUDIT_HMAC_KEY was set.
KEY_ADOPTED_ACTION = "audit.key_adopted"
# The database refuses to delete younger entries (migration 0004), whatever AUDIT_RETENTION_DAYS says.
MIN_RETENTION = timedelta(days=180)
# The purge stays this far inside the retention period, so that a web server's clock a little ahead of the
# database's does not make the database refuse the purge.
CLOCK_MARGIN = timedelta(hours=1)


def _payload(prev_hash: str, fields: dict[str, Any]) -> bytes:
    payload = json.dumps(fields, sort_keys=True, ensure_ascii=False, default=str, separators=(",", ":"))
    return f"{prev_hash}|{payload}".encode()


def plain_digest(prev_hash: str, fields: dict[str, Any]) -> str:
    return hashlib.sha256(_payload(prev_hash, fields)).hexdigest()


def keyed_digest(key: str, prev_hash: str, fields: dict[str, Any]) -> str:
    """With AUDIT_HMAC_KEY, which is not in the database, whoever holds only the database cannot seal an entry."""
    return hmac.new(key.encode(), _payload(prev_hash, fields), hashlib.sha256).hexdigest()


def seal(prev_hash: str, fields: dict[str, Any]) -> str:
    key = settings.AUDIT_HMAC_KEY
    return keyed_digest(key, prev_hash, fields) if key else plain_digest(prev_hash, fields)


def hashed_fields(entry: AuditEntry) -> dict[str, Any]:
    # The sequence number is not hashed (entries numbered by migration 0004 were sealed without it): the
    # chain fixes every entry's place after its anchor, and audit_verify checks the numbers against it.
    return {
        "at": entry.at.isoformat(),
        "actor_id": entry.actor_id,
        "actor_name": entry.actor_name,
        "action": entry.action,
        "target_type": entry.target_type,
        "target_id": entry.target_id,
        "target_repr": entry.target_repr,
        "detail": entry.detail,
        "ip": entry.ip,
    }


def client_ip(request: HttpRequest | None) -> str | None:
    """The client's address. Behind the reverse proxy (BEHIND_PROXY) it is the last one in X-Forwarded-For,
    the one the proxy itself appended: the entries before it are whatever the client chose to send."""
    if request is None:
        return None
    if settings.BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").rsplit(",", 1)[-1].strip()
        try:
            return str(ipaddress.ip_address(forwarded))
        except ValueError:
            pass
    return request.META.get("REMOTE_ADDR") or None


def audit_record(
    *,
    action: str,
    actor: Any = None,
    actor_name: str = "",
    target: models.Model | None = None,
    detail: dict[str, Any] | None = None,
    request: HttpRequest | None = None,
) -> AuditEntry:
    """Append one entry to the chain. Runs inside the caller's transaction when there is one."""
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    entry = AuditEntry(
        at=timezone.now().replace(microsecond=0),
        actor=actor,
        actor_name=actor_name or (actor.get_username() if actor is not None else "system"),
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_repr=str(target)[:200] if target is not None else "",
        detail=json.loads(json.dumps(detail or {}, ensure_ascii=False, default=str)),
        ip=client_ip(request),
    )
    with transaction.atomic():
        head, _created = AuditHead.objects.select_for_update().get_or_create(pk=1)
        entry.seq = head.seq + 1
        entry.prev_hash = head.last_hash
        entry.hash = seal(entry.prev_hash, hashed_fields(entry))
        entry.save()
        AuditHead.objects.filter(pk=1).update(seq=entry.seq, last_hash=entry.hash)
    return entry


def audit_purge(*, now: datetime | None = None) -> int:
    """Remove the entries past the retention period, oldest first and without leaving a hole, and append a
    checkpoint naming the last one removed, to which the oldest kept entry links. Returns how many went."""
    now = now or timezone.now()
    retention = timedelta(days=settings.AUDIT_RETENTION_DAYS)
    cutoff = now - max(retention, MIN_RETENTION) - CLOCK_MARGIN
    with transaction.atomic():
        AuditHead.objects.select_for_update().filter(pk=1).first()  # no entry is appended meanwhile
        # Entries are numbered in the order they were appended; their times may step back a little (two
        # writers, a clock set back), so the purge stops at the first kept entry, never leaving a hole.
        first_kept = AuditEntry.objects.filter(at__gte=cutoff).order_by("seq").values_list("seq", flat=True).first()
        purged = AuditEntry.objects.all() if first_kept is None else AuditEntry.objects.filter(seq__lt=first_kept)
        last = purged.order_by("-seq").first()
        if last is None:
            return 0
        count, _by_model = purged.delete()
        audit_record(
            action=PURGE_ACTION,
            actor_name="system",
            detail={
                "through_seq": last.seq,
                "through_hash": last.hash,
                "through_at": last.at.isoformat(),
                "count": count,
                "retention_days": settings.AUDIT_RETENTION_DAYS,
            },
        )
    return count

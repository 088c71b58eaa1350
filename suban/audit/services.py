from __future__ import annotations

import hashlib
import json
from typing import Any

from django.db import models, transaction
from django.http import HttpRequest
from django.utils import timezone

from suban.audit.models import AuditEntry, AuditHead

GENESIS = "0" * 64


def _digest(prev_hash: str, fields: dict[str, Any]) -> str:
    payload = json.dumps(fields, sort_keys=True, ensure_ascii=False, default=str, separators=(",", ":"))
    return hashlib.sha256(f"{prev_hash}|{payload}".encode()).hexdigest()


def _hashed_fields(entry: AuditEntry) -> dict[str, Any]:
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
    if request is None:
        return None
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
        entry.prev_hash = head.last_hash
        entry.hash = _digest(entry.prev_hash, _hashed_fields(entry))
        entry.save()
        AuditHead.objects.filter(pk=1).update(last_hash=entry.hash)
    return entry


def audit_verify() -> tuple[int, AuditEntry | None]:
    """Walk the chain in order; return how many entries check out and the first one that does not."""
    expected_prev: str | None = None
    checked = 0
    for entry in AuditEntry.objects.order_by("id").iterator(chunk_size=2000):
        # The oldest kept entry may follow entries purged after the retention period.
        if expected_prev is not None and entry.prev_hash != expected_prev:
            return checked, entry
        if entry.hash != _digest(entry.prev_hash, _hashed_fields(entry)):
            return checked, entry
        expected_prev = entry.hash
        checked += 1
    head = AuditHead.objects.filter(pk=1).first()
    if head is not None and head.last_hash != (expected_prev or GENESIS):
        # The newest entries were removed: the head remembers a hash no entry carries.
        return checked, AuditEntry.objects.order_by("-id").first()
    return checked, None

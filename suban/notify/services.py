"""Writes to the outbox: a message is queued in the caller's transaction and handed to the worker after
commit; an admin sends failed ones again."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractUser, AnonymousUser
from django.db import transaction
from django.utils import timezone

from suban import crypto
from suban.audit.services import audit_record
from suban.notify.models import Channel, Outbox, OutboxStatus
from suban.notify.templates import render

logger = logging.getLogger(__name__)

MOBILE = re.compile(r"^1[3-9]\d{9}$")  # a landline receives no SMS


@dataclass(frozen=True)
class Recipient:
    """Where a message goes: a mobile number and/or an email address, and the account when there is one."""

    phone: str = ""
    email: str = ""
    user: Any = None

    @property
    def key(self) -> str:
        return self.email or self.phone


def is_mobile(phone: str) -> bool:
    return bool(MOBILE.match(phone or ""))


def outbox_add(
    *,
    template: str,
    to: Recipient,
    context: dict[str, Any],
    case: Any = None,
    sensitive: bool = False,
    expires_at: datetime | None = None,
    max_attempts: int | None = None,
) -> Outbox | None:
    """Queue one message in the current transaction; the worker sends it once the transaction commits.
    None when the message is turned off, or the recipient has no address it can go to."""
    row = outbox_row(
        template=template,
        to=to,
        context=context,
        case=case,
        sensitive=sensitive,
        expires_at=expires_at,
        max_attempts=max_attempts,
    )
    if row is None:
        return None
    row.save(force_insert=True)
    transaction.on_commit(partial(enqueue, row.pk), robust=True)
    return row


def outbox_row(
    *,
    template: str,
    to: Recipient,
    context: dict[str, Any],
    case: Any = None,
    sensitive: bool = False,
    expires_at: datetime | None = None,
    max_attempts: int | None = None,
) -> Outbox | None:
    """The outbox row outbox_add would write, not yet saved (for outbox_add_many); None as outbox_add."""
    rendered = render(template, context)
    if rendered is None:
        return None
    if rendered.channel == Channel.EMAIL and to.email:
        channel, address = Channel.EMAIL, to.email
    elif is_mobile(to.phone):
        channel, address = Channel.SMS, to.phone
    else:
        return None
    return Outbox(
        template=template,
        channel=channel,
        recipient=to.user if getattr(to.user, "pk", None) else None,
        to_encrypted=crypto.encrypt(address),
        to_hash=crypto.lookup_hash(address.lower() if channel == Channel.EMAIL else address),
        case=case,
        subject=rendered.subject[:200] if channel == Channel.EMAIL else "",
        body=crypto.encrypt(rendered.text) if sensitive else rendered.text,
        sensitive=sensitive,
        max_attempts=max_attempts or settings.NOTIFY_MAX_ATTEMPTS,
        next_attempt_at=timezone.now(),
        expires_at=expires_at,
    )


def outbox_add_many(rows: list[Outbox]) -> list[Outbox]:
    """Queue rows made by outbox_row in the current transaction, in one INSERT; each goes to the worker once
    the transaction commits."""
    if not rows:
        return []
    Outbox.objects.bulk_create(rows)
    transaction.on_commit(partial(enqueue_many, [row.pk for row in rows]), robust=True)
    return rows


# Rows handed to the worker per task: one queue push for a batch's messages, yet several workers share a
# big batch.
ENQUEUE_CHUNK = 50


def enqueue_many(pks: list[int]) -> None:
    """Hand rows to the worker, a chunk per task; a chunk that cannot be handed over is left to the sweep,
    not the others."""
    from suban.notify.tasks import send_messages

    for start in range(0, len(pks), ENQUEUE_CHUNK):
        chunk = pks[start : start + ENQUEUE_CHUNK]
        try:
            send_messages(chunk)
        except Exception:
            logger.exception("outbox rows %s not queued; the sweep will send them", chunk)


def enqueue(pk: int) -> None:
    """Hand a row to the worker. If the queue is down, the sweep sends it within the minute anyway."""
    from suban.notify.tasks import send_message

    send_message(pk)


def outbox_retry(*, by: AbstractUser | AnonymousUser | None, rows: list[Outbox]) -> int:
    """Send failed messages again, with a fresh count of attempts. A login code whose text is gone (it
    was given up) cannot be sent again: the citizen asks for a new code."""
    now = timezone.now()
    retried = 0
    with transaction.atomic():
        for row in rows:
            if row.sensitive and not row.body:
                continue
            updated = Outbox.objects.filter(pk=row.pk, status=OutboxStatus.FAILED).update(
                status=OutboxStatus.PENDING, attempts=0, next_attempt_at=now, claimed_at=None
            )
            if updated:
                retried += 1
                audit_record(action="outbox.retry", actor=by, target=row)
                transaction.on_commit(partial(enqueue, row.pk), robust=True)
    return retried

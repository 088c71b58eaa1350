"""Sending the outbox. A worker claims a row with a conditional update (waiting → sending), so that two
workers never send one message at once; it sends outside any transaction and records the outcome. A failure
waits longer each time (exponential backoff) until the row's attempts are spent. The sweep finds rows
that are due, or stuck in "sending" because a worker died, by indexed timestamps.

This is at least once, not exactly once: a worker killed after the gateway took a message and before it
recorded that leaves the row in "sending", and the sweep sends it again STUCK_AFTER later (nothing can tell
whether the gateway got it). The gateway drops such a repeat by the message's idempotency key, the same on
every attempt (suban.notify.gateways).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import F, Q
from django.utils import timezone

from suban.notify.gateways import Message, send
from suban.notify.models import LoginCode, Outbox, OutboxStatus

logger = logging.getLogger(__name__)

BACKOFF_BASE = timedelta(seconds=30)
BACKOFF_MAX = timedelta(hours=1)
# A row "sending" for this long belongs to a worker that died (a send takes at most the 10 s timeout); the
# sweep takes it again, and sends it again if the dead worker had sent it already (hence the key).
STUCK_AFTER = timedelta(minutes=5)


def backoff(attempts: int) -> timedelta:
    """The wait after the `attempts`-th failure: 30 s, 1 min, 2 min, 4 min ... at most an hour."""
    return min(BACKOFF_BASE * (2 ** max(attempts - 1, 0)), BACKOFF_MAX)


def _claimable(now: datetime) -> Q:
    waiting = Q(status=OutboxStatus.PENDING, next_attempt_at__lte=now)
    stuck = Q(status=OutboxStatus.SENDING, claimed_at__lte=now - STUCK_AFTER)
    return waiting | stuck


@dataclass(frozen=True)
class Outcome:
    status: str  # sent, retry, failed, skipped (someone else has it, or it is not due)
    retry_in: timedelta | None = None


def deliver(pk: int, *, now: datetime | None = None) -> Outcome:
    """Claim row `pk` if it is due, send it and record how it went."""
    now = now or timezone.now()
    claimed = (
        Outbox.objects.filter(pk=pk)
        .filter(_claimable(now))
        .filter(attempts__lt=F("max_attempts"))
        .update(status=OutboxStatus.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    )
    if not claimed:
        return Outcome("skipped")
    row = Outbox.objects.get(pk=pk)
    if row.expires_at is not None and row.expires_at <= now:
        _finish(row, now, OutboxStatus.FAILED, error="expired before it could be sent")
        return Outcome("failed")
    try:
        send(Message(row.channel, row.to, row.template, row.subject, row.text, row.sensitive, key=row.idempotency_key))
    except Exception as exc:
        error = str(exc)[:1000] or exc.__class__.__name__
        if row.attempts >= row.max_attempts:
            logger.warning("message %s failed for good after %d attempts: %s", pk, row.attempts, error)
            _finish(row, now, OutboxStatus.FAILED, error=error)
            return Outcome("failed")
        wait = backoff(row.attempts)
        logger.info("message %s failed (attempt %d), next try in %s: %s", pk, row.attempts, wait, error)
        _finish(row, now, OutboxStatus.PENDING, error=error, next_attempt_at=now + wait)
        return Outcome("retry", wait)
    _finish(row, now, OutboxStatus.SENT, sent_at=timezone.now())
    return Outcome("sent")


def _finish(
    row: Outbox,
    now: datetime,
    status: str,
    *,
    error: str = "",
    next_attempt_at: datetime | None = None,
    sent_at: datetime | None = None,
) -> None:
    values: dict[str, object] = {"status": status, "next_attempt_at": next_attempt_at, "claimed_at": None}
    if error:
        values["last_error"] = error
    if sent_at is not None:
        values["sent_at"] = sent_at
    if row.sensitive and status in (OutboxStatus.SENT, OutboxStatus.FAILED):
        values["body"] = ""  # a login code is of no use once sent, and of use to no one else
    # Only while the row is still ours: a worker that took "too long" may have lost it to the sweep.
    Outbox.objects.filter(pk=row.pk, status=OutboxStatus.SENDING, claimed_at=now).update(**values)


@dataclass
class SweepRun:
    sent: int = 0
    retry: int = 0
    failed: int = 0
    skipped: int = 0
    gave_up_stuck: int = 0


def sweep(now: datetime | None = None, *, batch: int = 200) -> SweepRun:
    """Send what is due: rows whose time has come, and rows a dead worker left in "sending"."""
    now = now or timezone.now()
    run = SweepRun()
    # A stuck row whose attempts are spent is given up rather than claimed again.
    run.gave_up_stuck = Outbox.objects.filter(
        status=OutboxStatus.SENDING, claimed_at__lte=now - STUCK_AFTER, attempts__gte=F("max_attempts")
    ).update(
        status=OutboxStatus.FAILED,
        claimed_at=None,
        next_attempt_at=None,
        last_error="the worker stopped while sending",
    )
    if run.gave_up_stuck:
        Outbox.objects.filter(sensitive=True, status=OutboxStatus.FAILED).exclude(body="").update(body="")
    due = list(Outbox.objects.filter(_claimable(now)).order_by("next_attempt_at").values_list("pk", flat=True)[:batch])
    for pk in due:
        outcome = deliver(pk, now=now)
        setattr(run, outcome.status, getattr(run, outcome.status) + 1)
    return run


def purge(now: datetime | None = None) -> dict[str, int]:
    """Keep messages only as long as needed (PIPL): sent and failed ones for NOTIFY_KEEP_DAYS, login codes
    for a day (the rate limits look back an hour)."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.NOTIFY_KEEP_DAYS)
    return {
        "messages": Outbox.objects.filter(
            status__in=[OutboxStatus.SENT, OutboxStatus.FAILED], created_at__lt=cutoff
        ).delete()[0],
        "login_codes": LoginCode.objects.filter(created_at__lt=now - timedelta(days=1)).delete()[0],
    }

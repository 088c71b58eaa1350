"""Sending the deliveries, in order per case.

A (webhook, case) pair is a queue ordered by the case's step number. Only its head, the lowest step not yet
delivered or given up, may be sent: the claim (pending → sending, a conditional update as in suban.notify)
carries the condition that no earlier step of the pair is unfinished, so two workers can neither send one
delivery twice nor overtake a step. A failure keeps the head in place and waits (the backoff of
suban.notify); the queue behind it waits too. After its attempts the head is given up ("dead") and the next
step goes. The sweep finds due heads, and heads a dead worker left in "sending", by indexed timestamps.

At least once, as in suban.notify: a head whose worker died after the platform took it is sent again by the
sweep, with the same delivery id (in the signed body and the headers) for the platform to drop it by.
"""

from __future__ import annotations

import logging
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone

from suban.citysync.models import UNFINISHED, Delivery, DeliveryStatus, Webhook
from suban.citysync.signing import DELIVERY_HEADER, EVENT_HEADER, signed_headers
from suban.notify.gateways import idempotency_header
from suban.notify.sending import STUCK_AFTER, backoff

logger = logging.getLogger(__name__)

QUEUE_LIMIT = 200  # steps sent in one go for a pair; the rest on the next turn


class TransportError(Exception):
    pass


def post(url: str, body: bytes, headers: dict[str, str], timeout: float) -> None:
    """POST `body`; anything but a 2xx answer in time fails. Tests replace this with a fake."""
    request = urllib.request.Request(  # noqa: S310 (the URL is the admin's setting, checked to be http(s))
        url, data=body, method="POST", headers=headers
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            status = response.status
    except urllib.error.HTTPError as exc:
        raise TransportError(f"answered {exc.code} {exc.reason}") from None
    except TimeoutError:
        raise TransportError(f"no answer within {timeout:g} s") from None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise TransportError(f"unreachable: {reason}") from None
    if not 200 <= status < 300:
        raise TransportError(f"answered {status}")


def headers_for(webhook: Webhook, row: Delivery, body: bytes) -> dict[str, str]:
    return {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": "Suban-CitySync/1",
        DELIVERY_HEADER: str(row.uid),
        **idempotency_header(str(row.uid)),  # the same id, under the header a generic receiver looks for
        EVENT_HEADER: row.action,
        **signed_headers(webhook.secret, body),
    }


def earlier_unfinished() -> Exists:
    return Exists(
        Delivery.objects.filter(
            webhook_id=OuterRef("webhook_id"),
            case_id=OuterRef("case_id"),
            seq__lt=OuterRef("seq"),
            status__in=UNFINISHED,
        )
    )


def _claimable(now: datetime) -> Q:
    waiting = Q(status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
    stuck = Q(status=DeliveryStatus.SENDING, claimed_at__lte=now - STUCK_AFTER)
    return waiting | stuck


def claim(pk: int, now: datetime) -> bool:
    """Take delivery `pk` if it is due and the head of its queue."""
    return bool(
        Delivery.objects.filter(pk=pk)
        .filter(_claimable(now), attempts__lt=F("max_attempts"))
        .filter(~earlier_unfinished())
        .update(status=DeliveryStatus.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    )


def _finish(row: Delivery, claimed_at: datetime, status: str, **values: object) -> None:
    # Only while the row is still ours: a worker that took "too long" may have lost it to the sweep.
    Delivery.objects.filter(pk=row.pk, status=DeliveryStatus.SENDING, claimed_at=claimed_at).update(
        status=status, claimed_at=None, **values
    )


@dataclass
class Outcome:
    sent: int = 0
    dead: int = 0
    retry: int = 0
    retry_in: timedelta | None = None  # the head failed and waits this long; the queue waits behind it
    errors: list[str] = field(default_factory=list)


def deliver_queue(webhook_id: int, case_id: int) -> Outcome:
    """Send the pair's due steps in order until one fails or the queue is empty. An inactive webhook's
    queue is paused: it waits, untouched, until the webhook is active again."""
    outcome = Outcome()
    webhook = Webhook.objects.filter(pk=webhook_id, active=True).first()
    if webhook is None:
        return outcome
    queue = Delivery.objects.filter(webhook_id=webhook_id, case_id=case_id, status__in=UNFINISHED).order_by("seq")
    for _turn in range(QUEUE_LIMIT):
        head = queue.first()
        if head is None:
            break
        now = timezone.now()
        if head.status == DeliveryStatus.PENDING and head.next_attempt_at and head.next_attempt_at > now:
            outcome.retry_in = head.next_attempt_at - now
            break
        if not claim(head.pk, now):
            break  # another worker has it, or it is stuck with its attempts spent (the sweep gives it up)
        head.refresh_from_db(fields=["attempts", "max_attempts"])
        if not _send(webhook, head, now, outcome):
            break
    return outcome


def _send(webhook: Webhook, row: Delivery, claimed_at: datetime, outcome: Outcome) -> bool:
    """Send the claimed head and record how it went. True when the queue may go on behind it."""
    body = row.body.encode()
    try:
        post(webhook.url, body, headers_for(webhook, row, body), webhook.timeout)
    except Exception as exc:
        error = str(exc)[:1000] or exc.__class__.__name__
        outcome.errors.append(error)
        if row.attempts >= row.max_attempts:
            logger.warning("delivery %s given up after %d attempts: %s", row.uid, row.attempts, error)
            _finish(row, claimed_at, DeliveryStatus.DEAD, last_error=error, next_attempt_at=None)
            outcome.dead += 1
            return True  # given up: the next step of the case may go
        wait = backoff(row.attempts)
        logger.info("delivery %s failed (attempt %d), next try in %s: %s", row.uid, row.attempts, wait, error)
        _finish(row, claimed_at, DeliveryStatus.PENDING, last_error=error, next_attempt_at=claimed_at + wait)
        outcome.retry += 1
        outcome.retry_in = wait
        return False
    _finish(row, claimed_at, DeliveryStatus.SENT, sent_at=timezone.now(), next_attempt_at=None)
    outcome.sent += 1
    return True


@dataclass
class SweepRun:
    queues: int = 0
    sent: int = 0
    retry: int = 0
    dead: int = 0
    gave_up_stuck: int = 0


def due_queues(now: datetime, batch: int) -> list[tuple[int, int]]:
    """The (webhook, case) pairs whose head is due, or stuck with a dead worker."""
    heads = (
        Delivery.objects.filter(_claimable(now), webhook__active=True)
        .filter(~earlier_unfinished())
        .order_by("next_attempt_at")
        .values_list("webhook_id", "case_id")[:batch]
    )
    return list(dict.fromkeys(heads))


def sweep(*, batch: int = 200) -> SweepRun:
    now = timezone.now()
    run = SweepRun()
    # A stuck head whose attempts are spent is given up rather than claimed again, so its queue moves on.
    run.gave_up_stuck = Delivery.objects.filter(
        status=DeliveryStatus.SENDING, claimed_at__lte=now - STUCK_AFTER, attempts__gte=F("max_attempts")
    ).update(
        status=DeliveryStatus.DEAD,
        claimed_at=None,
        next_attempt_at=None,
        last_error="the worker stopped while sending",
    )
    for webhook_id, case_id in due_queues(now, batch):
        outcome = deliver_queue(webhook_id, case_id)
        run.queues += 1
        run.sent += outcome.sent
        run.retry += outcome.retry
        run.dead += outcome.dead
    return run


KEEP_SENT = timedelta(days=90)


def purge() -> int:
    """Delivered rows are kept 90 days (their bodies hold the case's state); given-up ones stay until replayed
    or looked into."""
    cutoff = timezone.now() - KEEP_SENT
    return Delivery.objects.filter(status=DeliveryStatus.SENT, sent_at__lt=cutoff).delete()[0]

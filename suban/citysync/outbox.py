"""Queue a case's steps for the webhooks that want them, in the step's transaction; the worker is handed
each (webhook, case) queue after commit.

Like suban.notify, the sync never undoes a case's step: anything going wrong here is logged and only this
step's deliveries are lost (rolled back to a savepoint).
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable, Sequence
from functools import partial
from typing import Any

from django.db import transaction
from django.utils import timezone

from suban.cases.models import Case, CaseEvent
from suban.citysync.models import Delivery, Webhook
from suban.citysync.payload import body_for, case_state, event_part
from suban.fingerprint_cache import FingerprintCache, rows_fingerprint
from suban.org.models import Unit

logger = logging.getLogger(__name__)


def _load_active() -> list[Webhook]:
    return list(Webhook.objects.filter(active=True).select_related("scope_unit"))


# Every case step asks for the webhooks, and most districts have none or a few that seldom change: a copy per
# process, checked against the tables' fingerprint every CACHE_CHECK_SECONDS (a webhook added, changed or
# switched off, or a unit's path moved, is seen by every process within that time).
_active: FingerprintCache[list[Webhook]] = FingerprintCache(_load_active, lambda: rows_fingerprint(Webhook, Unit))


def active_webhooks() -> list[Webhook]:
    return _active.get()


def wants(webhook: Webhook, case: Case, action: str) -> bool:
    if webhook.actions and action not in webhook.actions:
        return False
    unit = webhook.scope_unit
    if unit is None:
        return True
    return case.unit_path.startswith(unit.path) or case.area_path.startswith(unit.path)


def deliveries_for(events: Sequence[CaseEvent], webhooks: Sequence[Webhook]) -> list[Delivery]:
    """The rows for `events` (in the order given), unsaved."""
    now = timezone.now()
    rows: list[Delivery] = []
    for event in events:
        case = event.case
        chosen = [w for w in webhooks if wants(w, case, event.action)]
        if not chosen:
            continue
        state, step = case_state(case, event), event_part(event)
        for webhook in chosen:
            uid = uuid.uuid4()
            rows.append(
                Delivery(
                    uid=uid,
                    webhook=webhook,
                    event=event,
                    case=case,
                    seq=event.seq,
                    action=event.action,
                    body=body_for(delivery_id=str(uid), webhook_code=webhook.code, case=state, event=step),
                    max_attempts=webhook.max_attempts,
                    next_attempt_at=now,
                )
            )
    return rows


def queue(events: Sequence[CaseEvent], webhooks: Sequence[Webhook] | None = None) -> int:
    """Write the deliveries of `events` in the current transaction; hand their queues to the worker after
    commit. An event already queued for a webhook (both signals sent for it) is not queued twice."""
    rows = deliveries_for(events, active_webhooks() if webhooks is None else webhooks)
    if not rows:
        return 0
    Delivery.objects.bulk_create(rows, ignore_conflicts=True)
    for pair in dict.fromkeys((row.webhook_id, row.case_id) for row in rows):
        transaction.on_commit(partial(enqueue, *pair), robust=True)
    return len(rows)


def enqueue(webhook_id: int, case_id: int) -> None:
    """Hand a queue to the worker. If the queue is down, the sweep sends it within the minute anyway."""
    from suban.citysync.tasks import deliver_queue

    deliver_queue(webhook_id, case_id)


def _queue_safely(events: Iterable[CaseEvent]) -> None:
    listed = list(events)
    try:
        webhooks = active_webhooks()
        if not webhooks:
            return  # the common case: one small query, no savepoint
        with transaction.atomic():
            queue(listed, webhooks)
    except Exception:
        logger.exception("no city platform deliveries for %d events (first: %s)", len(listed), listed[:1])


def on_events_recorded(sender: Any, events: Iterable[CaseEvent], **kwargs: Any) -> None:
    """One query for the webhooks and one INSERT for all the rows, for one step or a batch of intakes."""
    _queue_safely(events)

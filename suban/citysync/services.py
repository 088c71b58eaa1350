"""Writes of the sync's own rows: sending failed deliveries again (the console's and the admin's replay)."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial

from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from suban.accounts.models import User
from suban.accounts.roles import Role
from suban.accounts.scope import scope
from suban.audit.services import audit_record
from suban.citysync.models import Delivery, DeliveryStatus, Webhook
from suban.citysync.outbox import enqueue
from suban.errors import Forbidden, Invalid

# Given up, or waiting for another try after a failure.
FAILED = Q(status=DeliveryStatus.DEAD) | Q(status=DeliveryStatus.PENDING, attempts__gt=0)


def may_watch(user: User | AnonymousUser) -> bool:
    """Dispatchers watch the queue in the console (of the cases in their reach); admins in the admin."""
    return bool(user.is_authenticated and user.unit_id is not None and Role.DISPATCHER in user.roles)


def deliveries_visible_to(user: User | AnonymousUser, qs: QuerySet[Delivery] | None = None) -> QuerySet[Delivery]:
    base = Delivery.objects.all() if qs is None else qs
    return scope(base, user, path_fields=("case__unit_path", "case__area_path"))


# The most deliveries one replay sends again (the console's "send all again" takes the oldest first).
REPLAY_MAX = 1000


def delivery_replay(*, by: User | AnonymousUser, rows: Iterable[Delivery], via_admin: bool = False) -> int:
    """Send failed deliveries again now: a given-up one with a fresh count of attempts, a waiting one without
    waiting out its backoff. Each goes back to its place in its case's queue: a step given up and replayed
    holds back the later steps of its case that are not delivered yet. Delivered rows are left alone."""
    if via_admin:
        if not by.has_perm("citysync.replay_delivery"):
            raise Forbidden(_("You may not send deliveries again."))
    elif not may_watch(by):
        raise Forbidden(_("Only dispatchers may send deliveries again."))
    wanted = [row.pk for row in rows]
    if len(wanted) > REPLAY_MAX:
        raise Invalid(_("Send at most %(max)d deliveries again at once.") % {"max": REPLAY_MAX})
    candidates = Delivery.objects.filter(pk__in=wanted).filter(FAILED)
    if not via_admin:
        candidates = deliveries_visible_to(by, candidates)  # never another district's cases
    now = timezone.now()
    with transaction.atomic():
        picked = list(candidates.select_for_update().values_list("pk", "webhook_id", "case_id"))
        pks = [pk for pk, _w, _c in picked]
        replayed = (
            Delivery.objects.filter(pk__in=pks)
            .filter(FAILED)
            .update(status=DeliveryStatus.PENDING, attempts=0, next_attempt_at=now, claimed_at=None)
        )
        if replayed:
            audit_record(
                action="citysync.replay",
                actor=by,
                detail={"deliveries": len(pks), "first": pks[:20]},
            )
            for pair in dict.fromkeys((w, c) for _pk, w, c in picked):
                transaction.on_commit(partial(enqueue, *pair), robust=True)
    return replayed


def failed_of(webhook: Webhook) -> QuerySet[Delivery]:
    return Delivery.objects.filter(webhook=webhook).filter(FAILED)

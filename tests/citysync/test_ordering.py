"""Order per case under failures, retries with growing waits, giving up, the sweep, replay."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db.models import F

from suban.cases.services import case_accept, case_claim, case_dispatch
from suban.citysync import sending, signing
from suban.citysync.models import Delivery, DeliveryStatus
from suban.citysync.sending import claim, deliver_queue, sweep
from suban.citysync.services import delivery_replay, failed_of
from suban.errors import Forbidden
from suban.notify.sending import STUCK_AFTER, backoff
from tests.citysync.conftest import make_webhook, submit_in_s2

pytestmark = pytest.mark.django_db


def status_by_seq(webhook: Any, case: Any) -> dict[int, str]:
    return dict(Delivery.objects.filter(webhook=webhook, case=case).order_by("seq").values_list("seq", "status"))


def test_a_later_step_waits_while_an_earlier_one_fails_and_all_go_in_order(city, dispatched, transport, frozen):
    number = dispatched.number
    transport.fail_next = 1
    outcome = deliver_queue(city.pk, dispatched.pk)
    assert (outcome.sent, outcome.retry, outcome.retry_in) == (0, 1, backoff(1))
    assert transport.steps() == [(number, 1)]  # steps 2 and 3 were not tried behind the failed step 1
    assert status_by_seq(city, dispatched) == {1: "pending", 2: "pending", 3: "pending"}
    failed = Delivery.objects.get(webhook=city, case=dispatched, seq=1)
    assert failed.last_error == "answered 503 Service Unavailable"
    assert failed.attempts == 1

    # Before its wait is over neither the worker nor the sweep sends anything of this case.
    frozen.advance(seconds=29)
    assert deliver_queue(city.pk, dispatched.pk).sent == 0
    assert sweep().sent == 0
    assert transport.steps() == [(number, 1)]

    frozen.advance(seconds=1)
    run = sweep()
    assert run.sent == 3
    assert transport.steps() == [(number, 1), (number, 1), (number, 2), (number, 3)]
    assert set(status_by_seq(city, dispatched).values()) == {"sent"}


def test_a_later_step_cannot_be_claimed_while_an_earlier_one_is_being_sent(city, dispatched, frozen):
    first, second = Delivery.objects.filter(webhook=city, case=dispatched).order_by("seq")[:2]
    now = frozen()
    assert claim(first.pk, now)  # worker A sends step 1
    assert not claim(second.pk, now)  # worker B may not overtake it
    Delivery.objects.filter(pk=first.pk).update(status=DeliveryStatus.SENT)
    assert claim(second.pk, now)


def test_one_cases_failure_does_not_hold_back_another_case_or_webhook(city, cast, submitted, transport, frozen):
    other = submit_in_s2(cast)
    second = make_webhook("second")
    case_accept(case=submitted, by=cast.dora)  # after `second` exists: it gets this step only
    transport.fail_next = 1
    deliver_queue(city.pk, submitted.pk)  # the city's step 1 of `submitted` fails
    deliver_queue(city.pk, other.pk)
    deliver_queue(second.pk, submitted.pk)
    assert transport.steps() == [(submitted.number, 1), (other.number, 1), (submitted.number, 2)]
    assert status_by_seq(city, submitted) == {1: "pending", 2: "pending"}
    assert status_by_seq(city, other) == {1: "sent"}


def test_failures_wait_longer_each_time_and_the_step_is_given_up_after_its_attempts(
    city, cast, dispatched, transport, frozen
):
    city.max_attempts = 4
    city.save()
    Delivery.objects.filter(webhook=city).update(max_attempts=4)
    case_claim(case=dispatched, by=cast.carol)  # step 4, queued with 4 attempts
    transport.down = True
    waits = []
    for _attempt in range(3):
        outcome = deliver_queue(city.pk, dispatched.pk)
        assert outcome.retry == 1
        waits.append(outcome.retry_in)
        frozen.advance(seconds=outcome.retry_in.total_seconds())
    assert waits == [timedelta(seconds=30), timedelta(seconds=60), timedelta(seconds=120)]
    assert [c.step[1] for c in transport] == [1, 1, 1]

    # The 4th failure gives step 1 up; step 2 goes next at once (and fails: the platform is still down).
    outcome = deliver_queue(city.pk, dispatched.pk)
    assert (outcome.dead, outcome.retry) == (1, 1)
    dead = Delivery.objects.get(webhook=city, case=dispatched, seq=1)
    assert (dead.status, dead.attempts, dead.next_attempt_at) == (DeliveryStatus.DEAD, 4, None)
    assert [c.step[1] for c in transport] == [1, 1, 1, 1, 2]

    transport.down = False
    frozen.advance(seconds=30)
    assert sweep().sent == 3
    assert status_by_seq(city, dispatched) == {1: "dead", 2: "sent", 3: "sent", 4: "sent"}
    assert [c.step[1] for c in transport][-3:] == [2, 3, 4]


def test_a_timeout_counts_as_a_failure(city, submitted, transport, frozen):
    transport.fail_next = 1
    transport.error = "no answer within 10 s"
    deliver_queue(city.pk, submitted.pk)
    row = Delivery.objects.get(webhook=city, case=submitted)
    assert (row.status, row.last_error) == (DeliveryStatus.PENDING, "no answer within 10 s")
    assert transport[0].timeout == city.timeout


def test_the_real_transport_reports_a_refusal_and_an_unreachable_address(city, submitted):
    with pytest.raises(sending.TransportError, match="unreachable"):
        sending.post("http://127.0.0.1:9/hook", b"{}", {}, 2)


def test_a_step_left_sending_by_a_dead_worker_is_taken_again_and_given_up_when_spent(
    city, cast, dispatched, frozen, transport
):
    first = Delivery.objects.get(webhook=city, case=dispatched, seq=1)
    assert claim(first.pk, frozen())  # the worker died while sending
    assert sweep().sent == 0  # too early: it may still be sending
    frozen.advance(seconds=STUCK_AFTER.total_seconds())
    assert sweep().sent == 3
    assert transport.steps()[0] == (dispatched.number, 1)

    case_claim(case=dispatched, by=cast.carol)
    spent = Delivery.objects.get(webhook=city, case=dispatched, seq=4)
    assert claim(spent.pk, frozen())
    Delivery.objects.filter(pk=spent.pk).update(attempts=F("max_attempts"))
    frozen.advance(seconds=STUCK_AFTER.total_seconds())
    run = sweep()
    assert run.gave_up_stuck == 1
    spent.refresh_from_db()
    assert (spent.status, spent.last_error) == (DeliveryStatus.DEAD, "the worker stopped while sending")


def test_a_step_sent_again_after_its_worker_died_carries_the_same_delivery_id(
    city, dispatched, frozen, transport, monkeypatch
):
    finish = sending._finish

    def killed_once(*args: Any, **kwargs: Any) -> None:
        monkeypatch.setattr(sending, "_finish", finish)
        raise SystemExit("killed after the platform took step 1, before it was recorded")

    monkeypatch.setattr(sending, "_finish", killed_once)
    with pytest.raises(SystemExit):
        deliver_queue(city.pk, dispatched.pk)
    frozen.advance(seconds=STUCK_AFTER.total_seconds())
    assert sweep().sent == 3
    assert [c.step[1] for c in transport] == [1, 1, 2, 3]  # at least once: step 1 went twice

    ids = []
    for call in transport:
        delivery_id = call.body["delivery_id"]  # in the signed body, and the same in both headers
        assert call.headers[signing.DELIVERY_HEADER] == delivery_id
        assert call.headers["Idempotency-Key"] == f'"{delivery_id}"'
        ids.append(delivery_id)
    first = str(Delivery.objects.get(webhook=city, case=dispatched, seq=1).uid)
    assert ids[0] == ids[1] == first  # the platform drops the repeat by it
    assert len(set(ids)) == 3


def test_a_replayed_step_goes_again_in_its_place(city, cast, dispatched, transport, frozen):
    city.max_attempts = 1
    city.save()
    Delivery.objects.filter(webhook=city).update(max_attempts=1)
    transport.fail_next = 1
    deliver_queue(city.pk, dispatched.pk)  # step 1 given up at once; 2 and 3 delivered
    assert status_by_seq(city, dispatched) == {1: "dead", 2: "sent", 3: "sent"}
    [dead] = failed_of(city)

    assert delivery_replay(by=cast.dora, rows=[dead]) == 1
    dead.refresh_from_db()
    assert (dead.status, dead.attempts) == (DeliveryStatus.PENDING, 0)
    assert deliver_queue(city.pk, dispatched.pk).sent == 1
    assert status_by_seq(city, dispatched) == {1: "sent", 2: "sent", 3: "sent"}
    assert [c.step[1] for c in transport] == [1, 2, 3, 1]
    # The same delivery id, so the receiver can tell it from a new step.
    assert transport[0].body["delivery_id"] == transport[3].body["delivery_id"]


def test_a_replayed_step_holds_back_the_later_steps_not_yet_delivered(city, cast, dispatched, transport, frozen):
    Delivery.objects.filter(webhook=city, seq=1).update(status=DeliveryStatus.DEAD, attempts=8, last_error="x")
    delivery_replay(by=cast.dora, rows=list(failed_of(city)))
    transport.fail_next = 1
    deliver_queue(city.pk, dispatched.pk)
    assert transport.steps() == [(dispatched.number, 1)]
    assert status_by_seq(city, dispatched) == {1: "pending", 2: "pending", 3: "pending"}


def test_replaying_all_failed_of_a_webhook_stays_within_the_dispatchers_reach(
    city, cast, dispatched, transport, frozen
):
    other = submit_in_s2(cast)
    case_accept(case=other, by=cast.dora)
    case_dispatch(case=other, by=cast.dora)
    transport.down = True
    deliver_queue(city.pk, dispatched.pk)
    deliver_queue(city.pk, other.pk)
    assert failed_of(city).count() == 2  # each case's first step; the rest wait behind them

    from suban.accounts.roles import Role
    from suban.accounts.services import staff_create
    from suban.org.models import UnitKind
    from suban.org.services import unit_create
    from tests.conftest import PASSWORD

    elsewhere = unit_create(by=None, code="D2", name="邻区", kind=UnitKind.DISTRICT, parent=None)
    wendy = staff_create(
        by=None, username="wendy", name="Wendy", unit=elsewhere, roles=[Role.DISPATCHER], password=PASSWORD
    )
    assert delivery_replay(by=wendy, rows=list(failed_of(city))) == 0  # neither case is in her district
    assert delivery_replay(by=cast.dora, rows=list(failed_of(city))) == 2
    assert Delivery.objects.get(webhook=city, case=other, seq=1).attempts == 0
    assert Delivery.objects.get(webhook=city, case=dispatched, seq=2).status == DeliveryStatus.PENDING

    with pytest.raises(Forbidden):
        delivery_replay(by=cast.carol, rows=list(failed_of(city)))
    with pytest.raises(Forbidden):
        delivery_replay(by=cast.sysadmin, rows=list(failed_of(city)))  # not in the console


def test_delivered_rows_are_purged_after_90_days_and_given_up_ones_kept(city, dispatched, transport, frozen):
    from suban.citysync.sending import purge

    transport.fail_next = 1
    city.max_attempts = 1
    city.save()
    Delivery.objects.filter(webhook=city).update(max_attempts=1)
    deliver_queue(city.pk, dispatched.pk)
    frozen.advance(days=89)
    assert purge() == 0
    frozen.advance(days=2)
    assert purge() == 2
    assert status_by_seq(city, dispatched) == {1: "dead"}

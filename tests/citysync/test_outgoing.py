"""Outgoing: a delivery per (webhook, event) written with the step, the body and its signature, the scope of a
webhook, and sending after commit."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import transaction

from suban.cases import signals
from suban.cases.models import CaseEvent, Status
from suban.cases.services import case_accept, case_claim, case_decline, case_note
from suban.citysync import signing
from suban.citysync.models import Delivery, DeliveryStatus
from suban.citysync.outbox import queue
from suban.citysync.sending import deliver_queue
from tests.citysync.conftest import SECRET, make_webhook, submit_in_s2

pytestmark = pytest.mark.django_db


def rows(**filters: Any) -> list[Delivery]:
    return list(Delivery.objects.filter(**filters).order_by("webhook_id", "case_id", "seq"))


def test_every_step_of_a_case_is_queued_for_the_webhook_with_the_step(city, dispatched):
    queued = rows(webhook=city)
    assert [(d.seq, d.action) for d in queued] == [(1, "submit"), (2, "accept"), (3, "dispatch")]
    assert {d.status for d in queued} == {DeliveryStatus.PENDING}
    assert all(d.case_id == dispatched.pk for d in queued)


def test_the_delivery_is_rolled_back_with_the_step(city, submitted, cast):
    before = Delivery.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        case_accept(case=submitted, by=cast.dora)
        assert Delivery.objects.count() == before + 1
        raise RuntimeError("the step fails after its delivery was queued")
    assert Delivery.objects.count() == before


def test_without_webhooks_nothing_is_queued(submitted):
    assert Delivery.objects.count() == 0


def test_the_body_has_the_step_and_the_public_state_and_no_phone(city, submitted, cast, transport):
    case_accept(case=submitted, by=cast.dora, note="已受理，联系人 13800000001，邮箱wang.li@example.com")
    deliver_queue(city.pk, submitted.pk)
    accept = transport[1].body
    assert accept["delivery_id"] == str(Delivery.objects.get(webhook=city, seq=2).uid)
    assert accept["webhook"] == "city"
    assert accept["event"] == {
        "seq": 2,
        "action": "accept",
        "from": Status.NEW,
        "to": Status.ACCEPTED,
        "at": accept["event"]["at"],
        "note": "已受理，联系人 138****0001，邮箱w***@example.com",
        "public": True,
        "actor": {"kind": "staff", "unit": "D"},
    }
    assert accept["event"]["at"].startswith("2026-02-09T01:00:00")
    assert accept["case"]["number"] == submitted.number
    assert accept["case"]["status"] == Status.ACCEPTED
    assert accept["case"]["version"] == 2
    assert transport[0].body["case"]["status"] == Status.NEW  # each delivery is the state as of its step
    for call in transport:
        assert b"13800000001" not in call.raw and b"wang.li@" not in call.raw
        assert "contact" not in call.body["case"]


def test_the_signature_verifies_with_the_secret_and_nothing_else(city, submitted, transport, frozen):
    deliver_queue(city.pk, submitted.pk)
    [call] = transport
    headers = call.headers
    assert headers[signing.DELIVERY_HEADER] == call.body["delivery_id"]
    assert headers[signing.EVENT_HEADER] == "submit"
    stamp = headers[signing.TIMESTAMP_HEADER]
    assert int(stamp) == int(frozen().timestamp())
    assert signing.check(SECRET, stamp, headers[signing.SIGNATURE_HEADER], call.raw) is None
    # What a receiver does by hand (the README's five lines):
    import hashlib
    import hmac

    expected = "sha256=" + hmac.new(SECRET.encode(), stamp.encode() + b"." + call.raw, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(expected, headers[signing.SIGNATURE_HEADER])
    tampered = call.raw.replace(b'"submit"', b'"close"')
    assert signing.check(SECRET, stamp, headers[signing.SIGNATURE_HEADER], tampered) is not None
    assert signing.check("another-secret-0123456789", stamp, headers[signing.SIGNATURE_HEADER], call.raw)
    later = frozen().timestamp() + signing.WINDOW_SECONDS + 1
    assert "seconds away" in (signing.check(SECRET, stamp, headers[signing.SIGNATURE_HEADER], call.raw, now=later))


def test_a_webhook_scoped_to_a_street_gets_only_that_streets_cases(city, cast, frozen, submitted):
    west = make_webhook("west", scope_unit=cast.bob.unit)  # 西街道 (S2)
    east = make_webhook("east", scope_unit=cast.alice.unit)  # 东街道 (S1)
    s2_case = submit_in_s2(cast)
    case_accept(case=submitted, by=cast.dora)
    assert [d.case_id for d in rows(webhook=west)] == [s2_case.pk]
    assert {d.case_id for d in rows(webhook=east)} == {submitted.pk}  # found by its place before it has a unit
    assert {d.case_id for d in rows(webhook=city)} == {s2_case.pk, submitted.pk}


def test_a_webhook_gets_only_the_kinds_of_step_it_asks_for(cast, frozen, submitted):
    closing = make_webhook("closing", actions=["decline", "close", "rate"])
    case_accept(case=submitted, by=cast.dora)
    assert rows(webhook=closing) == []
    other = submit_in_s2(cast)
    case_decline(case=other, by=cast.dora, reason="repeat")
    assert [(d.case_id, d.action) for d in rows(webhook=closing)] == [(other.pk, "decline")]


def test_an_inactive_webhook_gets_no_new_steps_and_its_queue_waits(city, submitted, cast, transport):
    city.active = False
    city.save()
    case_accept(case=submitted, by=cast.dora)
    assert [d.seq for d in rows(webhook=city)] == [1]
    assert deliver_queue(city.pk, submitted.pk).sent == 0
    assert transport == []
    city.active = True
    city.save()
    assert deliver_queue(city.pk, submitted.pk).sent == 1


def test_it_is_sent_after_the_commit_by_the_worker(
    city, dispatched, cast, transport, django_capture_on_commit_callbacks
):
    deliver_queue(city.pk, dispatched.pk)
    transport.clear()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        case_claim(case=dispatched, by=cast.carol)
        case_note(case=dispatched, by=cast.carol, note="已联系路灯所")
    assert transport == []  # nothing leaves before the commit
    for callback in callbacks:
        callback()
    assert transport.steps() == [(dispatched.number, 4), (dispatched.number, 5)]
    assert {d.status for d in rows(webhook=city)} == {DeliveryStatus.SENT}


def test_the_batch_signal_queues_each_step_once(city, submitted):
    batch = getattr(signals, "events_recorded", None)
    if batch is None:
        pytest.skip("the case engine has no events_recorded signal yet")
    event = CaseEvent.objects.get(case=submitted, seq=1)
    batch.send(sender=CaseEvent, events=[event])  # already queued when it was recorded: not twice
    assert len(rows(webhook=city)) == 1


def test_queue_writes_one_row_per_webhook_and_event(city, cast, submitted):
    second = make_webhook("second")
    events = list(CaseEvent.objects.filter(case=submitted).select_related("case"))
    Delivery.objects.all().delete()
    assert queue(events) == 2
    assert {(d.webhook_id, d.seq) for d in rows()} == {(city.pk, 1), (second.pk, 1)}
    bodies = {d.webhook_id: json.loads(d.body)["delivery_id"] for d in rows()}
    assert bodies[city.pk] != bodies[second.pk]  # each delivery its own id


def test_the_readmes_five_lines_verify_a_delivery(city, submitted, transport, frozen):
    import re
    from pathlib import Path
    from types import SimpleNamespace

    readme = Path(__file__).resolve().parents[2] / "suban" / "citysync" / "README.md"
    [snippet] = re.findall(r"```python\n(.*?)```", readme.read_text(), re.S)
    assert len([line for line in snippet.splitlines() if line.strip()]) <= 5
    space: dict[str, Any] = {}
    exec(snippet, space)  # noqa: S102 (our own documentation)
    space["time"] = SimpleNamespace(time=lambda: frozen().timestamp())  # the receiver's clock, at our instant
    deliver_queue(city.pk, submitted.pk)
    [call] = transport
    assert space["verify"](SECRET, call.headers, call.raw)
    assert not space["verify"](SECRET, call.headers, call.raw + b" ")
    assert not space["verify"]("another-secret-0123456789", call.headers, call.raw)

"""The outbox: written with the step that causes it, sent after commit, retried with growing waits, given up
after its attempts, claimed by one worker only, swept when a worker died."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.db import transaction
from huey.contrib.djhuey import HUEY

from suban.cases.services import case_accept
from suban.notify import sending, services, tasks
from suban.notify.gateways import GatewayError
from suban.notify.models import Outbox, OutboxStatus
from suban.notify.sending import backoff, deliver, purge, sweep
from suban.notify.services import Recipient, outbox_add, outbox_add_many, outbox_retry, outbox_row
from suban.notify.tasks import send_message
from tests.notify.helpers import messages

pytestmark = pytest.mark.django_db


@pytest.fixture
def gateway(monkeypatch):
    """The gateway as a list of the messages it was given; set .fail to make it raise."""

    class Gateway(list):
        fail = False

        def __call__(self, message):
            self.append(message)
            if self.fail:
                raise GatewayError("gateway down")

    fake = Gateway()
    monkeypatch.setattr(sending, "send", fake)
    return fake


def queue_one(**kw):
    return outbox_add(
        template="case_accepted", to=Recipient(phone="13800000001"), context={"number": "2026020900001"}, **kw
    )


def test_a_message_is_written_with_the_step_and_rolled_back_with_it(submitted, cast, gateway):
    with pytest.raises(RuntimeError), transaction.atomic():
        case_accept(case=submitted, by=cast.dora)
        assert len(messages("case_accepted")) == 1
        raise RuntimeError("the step fails after the message was queued")
    assert messages() == []
    assert gateway == []


def test_it_waits_for_the_commit_and_is_sent_after_it(submitted, cast, django_capture_on_commit_callbacks, caplog):
    with django_capture_on_commit_callbacks() as callbacks:
        case_accept(case=submitted, by=cast.dora)
    [row] = messages("case_accepted")
    assert row.status == OutboxStatus.PENDING
    assert "138****0001" not in caplog.text
    for callback in callbacks:
        callback()
    row.refresh_from_db()
    assert row.status == OutboxStatus.SENT
    assert row.attempts == 1
    assert row.sent_at is not None
    assert f"SMS to 138****0001 [case_accepted]: 您反映的诉求（编号 {submitted.number}）已受理" in caplog.text


def test_the_address_is_stored_encrypted(frozen, cast):
    row = queue_one()
    stored = Outbox.objects.filter(pk=row.pk).values_list("to_encrypted", flat=True).get()
    assert "13800000001" not in stored
    assert row.to == "13800000001"
    assert row.masked_to == "138****0001"


def test_a_failure_waits_longer_each_time_and_gives_up_after_the_allowed_attempts(frozen, gateway, settings):
    settings.NOTIFY_MAX_ATTEMPTS = 4
    gateway.fail = True
    row = queue_one()
    waits = []
    for _attempt in range(3):
        outcome = deliver(row.pk)
        assert outcome.status == "retry"
        row.refresh_from_db()
        assert row.status == OutboxStatus.PENDING
        assert row.last_error == "gateway down"
        waits.append(row.next_attempt_at - frozen())
        assert deliver(row.pk).status == "skipped"  # not due yet
        frozen.advance(seconds=waits[-1].total_seconds())
    assert waits == [timedelta(seconds=30), timedelta(seconds=60), timedelta(seconds=120)]
    assert deliver(row.pk).status == "failed"
    row.refresh_from_db()
    assert (row.status, row.attempts, row.next_attempt_at) == (OutboxStatus.FAILED, 4, None)
    frozen.advance(hours=2)
    assert sweep().failed == 0
    assert len(gateway) == 4


def test_the_wait_doubles_up_to_an_hour():
    assert [backoff(n).total_seconds() for n in (1, 2, 3, 4, 5)] == [30, 60, 120, 240, 480]
    assert backoff(30) == timedelta(hours=1)


def test_a_message_is_claimed_by_one_worker_only(frozen, gateway, monkeypatch):
    row = queue_one()
    second_worker = []

    def send_while_another_worker_tries(message):
        second_worker.append(deliver(row.pk))
        gateway(message)

    monkeypatch.setattr(sending, "send", send_while_another_worker_tries)
    assert deliver(row.pk).status == "sent"
    assert [o.status for o in second_worker] == ["skipped"]
    assert len(gateway) == 1
    assert deliver(row.pk).status == "skipped"  # and a sent message is never sent again
    assert len(gateway) == 1


def test_the_sweep_sends_what_is_due_and_what_a_dead_worker_left(frozen, gateway):
    due, later, stuck, busy = queue_one(), queue_one(), queue_one(), queue_one()
    Outbox.objects.filter(pk=later.pk).update(next_attempt_at=frozen() + timedelta(minutes=5))
    Outbox.objects.filter(pk=stuck.pk).update(
        status=OutboxStatus.SENDING, claimed_at=frozen() - timedelta(minutes=6), attempts=1
    )
    Outbox.objects.filter(pk=busy.pk).update(
        status=OutboxStatus.SENDING, claimed_at=frozen() - timedelta(minutes=1), attempts=1
    )
    run = sweep()
    assert run.sent == 2
    statuses = dict(Outbox.objects.values_list("pk", "status"))
    assert statuses == {
        due.pk: OutboxStatus.SENT,
        later.pk: OutboxStatus.PENDING,
        stuck.pk: OutboxStatus.SENT,
        busy.pk: OutboxStatus.SENDING,
    }
    assert Outbox.objects.get(pk=stuck.pk).attempts == 2


def test_a_stuck_message_whose_attempts_are_spent_is_given_up(frozen, gateway):
    row = queue_one(max_attempts=2)
    Outbox.objects.filter(pk=row.pk).update(
        status=OutboxStatus.SENDING, claimed_at=frozen() - timedelta(minutes=10), attempts=2
    )
    assert sweep().gave_up_stuck == 1
    row.refresh_from_db()
    assert row.status == OutboxStatus.FAILED
    assert row.last_error == "the worker stopped while sending"
    assert gateway == []


def test_a_message_past_its_time_is_not_sent(frozen, gateway):
    row = queue_one(expires_at=frozen() + timedelta(minutes=5))
    frozen.advance(minutes=6)
    assert deliver(row.pk).status == "failed"
    assert Outbox.objects.get(pk=row.pk).last_error == "expired before it could be sent"
    assert gateway == []


def test_a_login_code_is_stored_encrypted_and_wiped_once_sent(frozen, gateway):
    row = outbox_add(
        template="login_code",
        to=Recipient(phone="13800000009"),
        context={"code": "424242", "minutes": 5},
        sensitive=True,
    )
    assert "424242" not in Outbox.objects.filter(pk=row.pk).values_list("body", flat=True).get()
    assert "424242" in row.text
    deliver(row.pk)
    assert "424242" in gateway[0].text
    assert Outbox.objects.get(pk=row.pk).body == ""


def test_the_task_sends_and_schedules_its_own_retry(frozen, gateway):
    HUEY.flush()
    row = queue_one()
    gateway.fail = True
    send_message(row.pk)  # immediate mode: runs now
    assert Outbox.objects.get(pk=row.pk).attempts == 1
    [retry] = HUEY.scheduled()
    assert retry.name.endswith("send_message")
    assert retry.args == (row.pk,)
    HUEY.flush()


def test_a_batch_of_messages_goes_to_the_worker_in_chunks_and_one_failure_holds_back_none(
    frozen, gateway, monkeypatch, django_capture_on_commit_callbacks
):
    HUEY.flush()
    pushed = []
    monkeypatch.setattr(services, "ENQUEUE_CHUNK", 2)
    real = tasks.send_messages
    monkeypatch.setattr(tasks, "send_messages", lambda pks: pushed.append(list(pks)) or real(pks))
    rows = [
        outbox_row(template="case_accepted", to=Recipient(phone=f"1380000000{k}"), context={"number": f"N{k}"})
        for k in range(5)
    ]
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        outbox_add_many(rows)
    assert [len(chunk) for chunk in pushed] == [2, 2, 1]  # three tasks for five rows, not five
    assert sorted(m.to for m in gateway) == [f"1380000000{k}" for k in range(5)]
    assert set(Outbox.objects.values_list("status", flat=True)) == {OutboxStatus.SENT}

    gateway.clear()
    bad = outbox_row(template="case_accepted", to=Recipient(phone="13800000008"), context={"number": "N8"})
    good = outbox_row(template="case_accepted", to=Recipient(phone="13800000009"), context={"number": "N9"})
    Outbox.objects.bulk_create([bad, good])  # written, not yet handed to the worker
    real_deliver = tasks.deliver

    def deliver_or_break(pk):
        if pk == bad.pk:
            raise RuntimeError("the database went away for this row")
        return real_deliver(pk)

    monkeypatch.setattr(tasks, "deliver", deliver_or_break)
    real.call_local([bad.pk, good.pk])
    assert [m.to for m in gateway] == ["13800000009"]  # the row after the broken one was still sent
    assert Outbox.objects.get(pk=bad.pk).status == OutboxStatus.PENDING  # left to the sweep


def test_the_sweep_runs_every_minute():
    for minute in (0, 17, 59):
        due = {task.name for task in HUEY.read_periodic(datetime(2026, 2, 9, 9, minute))}
        assert "sweep_outbox" in due


def test_an_admin_sends_failed_messages_again(frozen, gateway, cast, django_capture_on_commit_callbacks):
    row = queue_one(max_attempts=1)
    gateway.fail = True
    deliver(row.pk)
    assert Outbox.objects.get(pk=row.pk).status == OutboxStatus.FAILED
    gateway.fail = False
    with django_capture_on_commit_callbacks(execute=True):
        assert outbox_retry(by=cast.sysadmin, rows=[Outbox.objects.get(pk=row.pk)]) == 1
    row.refresh_from_db()
    assert (row.status, row.attempts) == (OutboxStatus.SENT, 1)
    assert row.last_error == "gateway down"  # the history of the failure stays readable


def test_a_given_up_login_code_cannot_be_sent_again(frozen, gateway, cast):
    row = outbox_add(
        template="login_code",
        to=Recipient(phone="13800000009"),
        context={"code": "424242", "minutes": 5},
        sensitive=True,
        max_attempts=1,
    )
    gateway.fail = True
    deliver(row.pk)
    assert outbox_retry(by=cast.sysadmin, rows=[Outbox.objects.get(pk=row.pk)]) == 0


def test_old_messages_are_purged(frozen, gateway, settings):
    settings.NOTIFY_KEEP_DAYS = 30
    old = queue_one()
    deliver(old.pk)
    waiting = queue_one()
    frozen.advance(days=31)
    Outbox.objects.filter(pk__in=[old.pk, waiting.pk]).update(created_at=frozen() - timedelta(days=31))
    assert purge()["messages"] == 1
    assert list(Outbox.objects.values_list("pk", flat=True)) == [waiting.pk]

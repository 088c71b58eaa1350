"""The queue in the console (dispatchers), and the webhook's configuration form of the admin."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from suban.audit.models import AuditEntry
from suban.cases.labels import EVENT_LABELS
from suban.citysync.admin import WebhookForm
from suban.citysync.models import Delivery, DeliveryStatus, Webhook
from suban.citysync.sending import deliver_queue
from suban.citysync.services import delivery_replay
from suban.errors import Forbidden
from tests.citysync.conftest import SECRET

pytestmark = pytest.mark.django_db

QUEUE = "/console/citysync/"


@pytest.fixture
def failing(city, dispatched, transport, frozen) -> Delivery:
    """The city's endpoint answered 503 to the case's first step; the other two wait behind it."""
    transport.fail_next = 1
    deliver_queue(city.pk, dispatched.pk)
    return Delivery.objects.get(webhook=city, case=dispatched, seq=1)


def test_a_dispatcher_sees_the_failed_delivery_with_its_error(login, cast, failing):
    response = login(cast.dora).get(QUEUE)
    assert response.status_code == 200
    page = response.content.decode()
    assert f'data-delivery="{failing.uid}"' in page
    assert "answered 503 Service Unavailable" in page
    assert 'data-testid="replay-one"' in page
    assert 'data-testid="replay-webhook"' in page
    assert 'data-testid="count-failed">1<' in page
    assert 'data-testid="count-pending">3<' in page
    assert 'href="/console/citysync/"' in page  # in the console's navigation


def test_the_replay_button_sends_it_again_at_once(login, cast, failing, transport):
    client = login(cast.dora)
    response = client.post(f"{QUEUE}deliveries/{failing.pk}/replay/", {"next": f"{QUEUE}?pile=failed"})
    assert response.status_code == 302
    assert response["Location"] == f"{QUEUE}?pile=failed"
    # In the test the on-commit hand-over does not run; the worker's next turn sends it without waiting out
    # the backoff.
    assert deliver_queue(failing.webhook_id, failing.case_id).sent == 3
    assert set(Delivery.objects.values_list("status", flat=True)) == {DeliveryStatus.SENT}


def test_replay_all_of_a_webhook(login, cast, failing, city):
    client = login(cast.dora)
    response = client.post(f"{QUEUE}webhooks/{city.pk}/replay/")
    assert response.status_code == 302
    failing.refresh_from_db()
    assert (failing.attempts, failing.status) == (0, DeliveryStatus.PENDING)


@pytest.mark.parametrize("who", ["carol", "sam"])
def test_others_are_refused(login, cast, failing, who):
    client = login(cast[who])
    assert client.get(QUEUE).status_code == 403
    assert client.post(f"{QUEUE}deliveries/{failing.pk}/replay/").status_code == 403
    failing.refresh_from_db()
    assert failing.attempts == 1


def test_the_admin_replays_only_with_its_permission(cast, failing):
    with pytest.raises(Forbidden):
        delivery_replay(by=cast.auditor, rows=[failing], via_admin=True)


def as_admin(user: Any) -> Client:
    client = Client()
    client.force_login(user, backend="suban.accounts.backends.RoleBackend")
    return client


def test_the_system_admin_adds_a_webhook_and_replays_in_the_admin(cast, city_account, failing):
    client = as_admin(cast.sysadmin)
    data = {
        "code": "qingsu",
        "name": "青诉即办",
        "url": "https://qingsu.example/hook",
        "active": "on",
        "actions": ["close", "rate"],
        "new_secret": SECRET,
        "account": city_account.pk,
        "max_attempts": 8,
        "timeout": 10,
    }
    response = client.post("/admin/citysync/webhook/add/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    made = Webhook.objects.get(code="qingsu")
    assert (made.secret, made.actions, made.account_id) == (SECRET, ["close", "rate"], city_account.pk)
    assert AuditEntry.objects.filter(action="admin.add", target_id=str(made.pk)).exists()

    listing = client.get("/admin/citysync/delivery/?status=pending")
    assert listing.status_code == 200
    response = client.post(
        "/admin/citysync/delivery/", {"action": "replay", "_selected_action": [failing.pk]}, follow=True
    )
    assert response.status_code == 200
    failing.refresh_from_db()
    assert failing.attempts == 0
    assert AuditEntry.objects.filter(action="citysync.replay").exists()


def test_the_auditor_reads_but_cannot_change_or_replay(cast, failing, city):
    client = as_admin(cast.auditor)
    assert client.get("/admin/citysync/delivery/").status_code == 200
    assert client.get(f"/admin/citysync/webhook/{city.pk}/change/").status_code == 200
    assert client.post(f"/admin/citysync/webhook/{city.pk}/change/", {"name": "x"}).status_code == 403
    client.post("/admin/citysync/delivery/", {"action": "replay", "_selected_action": [failing.pk]})
    failing.refresh_from_db()
    assert failing.attempts == 1


def form(**data: Any) -> WebhookForm:
    base = {"code": "city", "name": "青诉即办", "url": "https://city.example/hook", "max_attempts": 8, "timeout": 10}
    return WebhookForm(data={**base, **data})


def test_a_new_webhook_needs_a_secret_which_is_stored_encrypted(db, city_account):
    assert "new_secret" in form().errors
    assert "new_secret" in form(new_secret="short").errors
    made = form(new_secret=SECRET, actions=["close", "rate"], account=city_account.pk)
    assert made.is_valid(), made.errors
    webhook = made.save()
    stored = Webhook.objects.filter(pk=webhook.pk).values_list("secret_encrypted", flat=True).get()
    assert SECRET not in stored
    assert Webhook.objects.get(pk=webhook.pk).secret == SECRET
    assert webhook.actions == ["close", "rate"]
    # Edited without a new secret, it keeps the old one.
    edited = WebhookForm(
        data={"code": "city", "name": "改名", "url": "https://city.example/hook", "max_attempts": 8, "timeout": 10},
        instance=webhook,
    )
    assert edited.is_valid(), edited.errors
    edited.save()
    assert Webhook.objects.get(pk=webhook.pk).secret == SECRET


def test_the_form_refuses_a_bad_address_and_an_account_that_cannot_act(db, cast):
    assert "url" in form(new_secret=SECRET, url="ftp://city.example/").errors
    assert "account" in form(new_secret=SECRET, account=cast.cindy.pk).errors
    assert "account" in form(new_secret=SECRET, account=cast.sysadmin.pk).errors
    assert "actions" in form(new_secret=SECRET, actions=["explode"]).errors


def test_replay_all_goes_a_bounded_batch_at_a_time_oldest_first(login, cast, failing, city, monkeypatch):
    from suban.citysync import views

    second = Delivery.objects.get(webhook=city, case=failing.case, seq=2)
    Delivery.objects.filter(pk=second.pk).update(
        status=failing.status, attempts=failing.attempts, next_attempt_at=failing.next_attempt_at
    )
    monkeypatch.setattr(views, "REPLAY_MAX", 1)
    client = login(cast.dora)
    page = client.get(client.post(f"{QUEUE}webhooks/{city.pk}/replay/").url).content.decode()
    failing.refresh_from_db()
    second.refresh_from_db()
    assert (failing.status, failing.attempts) == (DeliveryStatus.PENDING, 0)  # the oldest went first
    assert second.attempts == 1  # the next press takes it
    assert "还有 1 条" in page


def test_one_replay_takes_at_most_the_cap_and_says_so(cast, failing, city, monkeypatch):
    from suban.citysync import services
    from suban.errors import Invalid

    monkeypatch.setattr(services, "REPLAY_MAX", 1)
    rows = list(Delivery.objects.filter(webhook=city, case=failing.case))
    with pytest.raises(Invalid, match="一次最多重发 1 条"):
        services.delivery_replay(by=cast.dora, rows=rows)
    failing.refresh_from_db()
    assert failing.attempts == 1  # nothing was touched


def test_a_secret_too_short_is_told_so_and_not_that_it_is_missing(db):
    errors = form(new_secret="short").errors.as_data()["new_secret"]
    assert [e.code for e in errors] == ["min_length"]


def test_the_event_kinds_are_offered_by_their_names_and_kept_as_codes(cast, city_account):
    client = as_admin(cast.sysadmin)
    page = client.get("/admin/citysync/webhook/add/").content.decode()
    with translation.override("zh-hans"):
        for kind in ("submit", "accept", "merge", "absorb", "whistle"):
            label = re.escape(str(EVENT_LABELS[kind]))
            assert re.search(rf'value="{kind}"[^>]*>\s*{label}\s*</label>', page), kind
    made = form(new_secret=SECRET, actions=["absorb", "whistle"], account=city_account.pk)
    assert made.is_valid(), made.errors
    assert made.save().actions == ["absorb", "whistle"]

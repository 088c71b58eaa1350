"""The admin: the system admin edits message templates (a broken one is refused with a clear error), watches
the outbox with addresses masked and login codes hidden, and sends failed messages again; the auditor
only looks."""

from __future__ import annotations

import pytest
from django.test import Client

from suban.audit.models import AuditEntry
from suban.notify.defaults import DEFAULT_TEMPLATES
from suban.notify.models import MessageTemplate, Outbox, OutboxStatus
from suban.notify.sending import deliver
from suban.notify.services import Recipient, outbox_add

pytestmark = pytest.mark.django_db

CHANGE = "/admin/notify/messagetemplate/{}/change/"
OUTBOX = "/admin/notify/outbox/"


def as_admin(user) -> Client:
    client = Client()
    client.force_login(user, backend="suban.accounts.backends.RoleBackend")
    return client


def form(template: MessageTemplate, **changes) -> dict:
    data = {
        "channel": template.channel,
        "subject": template.subject,
        "body": template.body,
        "active": "on" if template.active else "",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v != ""}


def test_the_migration_seeds_every_message_in_chinese():
    seeded = dict(MessageTemplate.objects.values_list("code", "body"))
    assert set(seeded) == set(DEFAULT_TEMPLATES)
    assert "验证码" in seeded["login_code"]
    assert "已受理" in seeded["case_accepted"]


def test_the_system_admin_edits_a_template(cast):
    template = MessageTemplate.objects.get(code="case_accepted")
    response = as_admin(cast.sysadmin).post(
        CHANGE.format(template.pk), form(template, body="您的诉求 {{ number }} 已受理，谢谢！")
    )
    assert response.status_code == 302
    template.refresh_from_db()
    assert template.body == "您的诉求 {{ number }} 已受理，谢谢！"
    assert AuditEntry.objects.filter(action="admin.change", target_id=str(template.pk)).exists()


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ("您的诉求 {% if number %} 已受理", "The template has an error"),
        ("{{ number|no_such_filter }}", "The template has an error"),
        ('{% include "admin/base.html" %}', "The template cannot be rendered"),
        ("{% load static %}{% static 'x' %}", "The template has an error"),  # no tag libraries
        ("{% debug %}", "is not allowed"),
    ],
)
def test_a_broken_template_is_refused_with_the_reason(cast, body, error):
    template = MessageTemplate.objects.get(code="case_accepted")
    before = template.body
    client = as_admin(cast.sysadmin)
    client.cookies["django_language"] = "en"
    response = client.post(CHANGE.format(template.pk), form(template, body=body))
    assert response.status_code == 200
    assert error in response.content.decode()
    template.refresh_from_db()
    assert template.body == before


def test_the_login_code_cannot_be_turned_off(cast):
    template = MessageTemplate.objects.get(code="login_code")
    response = as_admin(cast.sysadmin).post(CHANGE.format(template.pk), form(template, active=""))
    assert response.status_code == 200
    assert MessageTemplate.objects.get(code="login_code").active


def test_the_auditor_reads_templates_but_cannot_change_them(cast):
    template = MessageTemplate.objects.get(code="case_closed")
    auditor = as_admin(cast.auditor)
    assert auditor.get(CHANGE.format(template.pk)).status_code == 200
    response = auditor.post(CHANGE.format(template.pk), form(template, body="改掉"))
    assert response.status_code == 403
    assert as_admin(cast.secadmin).get(CHANGE.format(template.pk)).status_code == 403


@pytest.fixture
def outbox_rows(frozen):
    accepted = outbox_add(template="case_accepted", to=Recipient(phone="13800000001"), context={"number": "N1"})
    code = outbox_add(
        template="login_code",
        to=Recipient(phone="13800000002"),
        context={"code": "987654", "minutes": 5},
        sensitive=True,
    )
    return accepted, code


def test_the_outbox_shows_addresses_masked_and_codes_hidden(cast, outbox_rows):
    accepted, code = outbox_rows
    client = as_admin(cast.sysadmin)
    listing = client.get(OUTBOX).content.decode()
    assert "138****0001" in listing and "138****0002" in listing
    assert "13800000001" not in listing and "13800000002" not in listing
    detail = client.get(f"{OUTBOX}{code.pk}/change/").content.decode()
    assert "987654" not in detail
    assert "13800000002" not in detail
    assert "N1" in client.get(f"{OUTBOX}{accepted.pk}/change/").content.decode()


def test_the_outbox_is_searched_by_the_whole_phone_number(cast, outbox_rows):
    accepted, _code = outbox_rows
    response = as_admin(cast.sysadmin).get(OUTBOX, {"q": "138 0000 0001"})
    assert list(response.context["cl"].result_list) == [accepted]


def test_the_outbox_is_searched_by_the_key_a_gateway_reported(cast, outbox_rows):
    accepted, code = outbox_rows
    client = as_admin(cast.sysadmin)
    for term in (accepted.idempotency_key, str(accepted.uid)):
        assert list(client.get(OUTBOX, {"q": term}).context["cl"].result_list) == [accepted]
    assert code.idempotency_key in client.get(f"{OUTBOX}{code.pk}/change/").content.decode()


def test_the_system_admin_sends_a_failed_message_again(cast, outbox_rows, monkeypatch):
    accepted, _code = outbox_rows
    Outbox.objects.filter(pk=accepted.pk).update(status=OutboxStatus.FAILED, attempts=5, last_error="down")
    response = as_admin(cast.sysadmin).post(OUTBOX, {"action": "retry", "_selected_action": [accepted.pk]}, follow=True)
    assert "1 " in response.content.decode()
    accepted.refresh_from_db()
    assert (accepted.status, accepted.attempts) == (OutboxStatus.PENDING, 0)
    assert deliver(accepted.pk).status == "sent"
    assert AuditEntry.objects.filter(action="outbox.retry").count() == 1


def test_the_auditor_cannot_send_messages_again(cast, outbox_rows):
    accepted, _code = outbox_rows
    Outbox.objects.filter(pk=accepted.pk).update(status=OutboxStatus.FAILED)
    auditor = as_admin(cast.auditor)
    assert auditor.get(OUTBOX).status_code == 200
    auditor.post(OUTBOX, {"action": "retry", "_selected_action": [accepted.pk]})
    assert Outbox.objects.get(pk=accepted.pk).status == OutboxStatus.FAILED

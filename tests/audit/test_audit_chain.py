import pytest
from django.db import DatabaseError, connection, transaction

from suban.audit.models import AuditEntry
from suban.audit.services import audit_record
from suban.audit.verify import audit_verify
from tests.conftest import PASSWORD


def test_logins_and_failures_are_recorded(client, cast):
    client.post("/login/", {"username": "alice", "password": "Wrong-pass-1"})
    client.post("/login/", {"username": "alice", "password": PASSWORD})
    actions = list(AuditEntry.objects.filter(actor_name="alice").values_list("action", flat=True))
    assert "login.failed" in actions and "login" in actions


def test_the_chain_is_whole_after_normal_work(cast):
    verdict = audit_verify()
    assert verdict.whole and verdict.checked == AuditEntry.objects.count() > 0
    assert list(AuditEntry.objects.order_by("seq").values_list("seq", flat=True)) == list(range(1, verdict.checked + 1))


def test_entries_cannot_be_updated_even_by_sql(cast):
    entry = audit_record(action="test.action")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditentry SET action = 'forged' WHERE id = %s", [entry.pk])
    assert AuditEntry.objects.get(pk=entry.pk).action == "test.action"


def test_admin_changes_are_recorded(login, cast, org):
    client = login(cast.sysadmin)
    client.post(
        f"/admin/org/unit/{org['S1'].pk}/change/",
        {
            "name": "东街道办事处",
            "parent": org["D"].pk,
            "is_active": "on",
            "sort_order": 0,
            "contacts-TOTAL_FORMS": 0,
            "contacts-INITIAL_FORMS": 0,
            "places-TOTAL_FORMS": 0,
            "places-INITIAL_FORMS": 0,
        },
    )
    org["S1"].refresh_from_db()
    assert org["S1"].name == "东街道办事处"
    assert AuditEntry.objects.filter(action="unit.update", actor_name="sysadmin").exists()

import pytest
from django.db import DatabaseError, connection, transaction

from suban.audit.models import AuditEntry
from suban.audit.services import audit_record, audit_verify
from tests.conftest import PASSWORD


def test_logins_and_failures_are_recorded(client, cast):
    client.post("/login/", {"username": "alice", "password": "Wrong-pass-1"})
    client.post("/login/", {"username": "alice", "password": PASSWORD})
    actions = list(AuditEntry.objects.filter(actor_name="alice").values_list("action", flat=True))
    assert "login.failed" in actions and "login" in actions


def test_the_chain_is_whole_after_normal_work(cast):
    checked, broken = audit_verify()
    assert broken is None and checked == AuditEntry.objects.count() > 0


def test_entries_cannot_be_updated_even_by_sql(cast):
    entry = audit_record(action="test.action")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditentry SET action = 'forged' WHERE id = %s", [entry.pk])
    assert AuditEntry.objects.get(pk=entry.pk).action == "test.action"


def test_a_removed_entry_breaks_the_chain(cast):
    middle = audit_record(action="test.middle")
    audit_record(action="test.after")
    AuditEntry.objects.filter(pk=middle.pk).delete()
    _checked, broken = audit_verify()
    assert broken is not None


def test_a_removed_newest_entry_is_noticed(cast):
    last = audit_record(action="test.last")
    AuditEntry.objects.filter(pk=last.pk).delete()
    _checked, broken = audit_verify()
    assert broken is not None


def test_admin_changes_are_recorded(login, cast, org):
    client = login(cast["sysadmin"])
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


def test_the_purge_keeps_six_months_and_the_chain_still_verifies(cast):
    from datetime import timedelta

    from django.utils import timezone

    from suban.audit.tasks import purge_expired

    count = AuditEntry.objects.count()
    assert purge_expired()["audit"] == 0
    assert AuditEntry.objects.count() == count
    # A year later everything written today is past retention and goes; new entries still chain.
    assert purge_expired(now=timezone.now() + timedelta(days=365))["audit"] == count
    audit_record(action="test.after_purge")
    assert audit_verify()[1] is None

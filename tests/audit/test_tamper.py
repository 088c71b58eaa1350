"""Cutting and changing the audit log (issue 15, item 10): the database refuses it; what a database superuser
can still do with the triggers off, audit_verify finds."""

from __future__ import annotations

import uuid

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from suban.audit.models import AuditEntry, AuditHead
from suban.audit.services import GENESIS, hashed_fields, plain_digest
from suban.audit.tasks import purge_expired
from suban.audit.verify import audit_verify
from tests.audit.conftest import rewrite_from, sql, superuser


def only_on_postgres() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set DATABASE_URL=postgres://...)")


# --- Refused by the database, whoever asks -------------------------------------------------------------------


def test_deleting_the_oldest_entries_is_refused(write):
    made = write(40)
    with pytest.raises(DatabaseError, match="kept 180 days"):
        sql("DELETE FROM audit_auditentry WHERE seq <= %s", [made[29].seq])
    assert AuditEntry.objects.count() == 40
    assert audit_verify().whole


def test_deleting_every_entry_is_refused(write):
    write(3)
    with pytest.raises(DatabaseError):
        sql("DELETE FROM audit_auditentry")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.count() == 3


@pytest.mark.postgres
def test_truncating_is_refused(write):
    only_on_postgres()
    write(3)
    for statement in [
        "TRUNCATE audit_auditentry",
        "TRUNCATE audit_audithead",
        "TRUNCATE audit_auditentry, audit_audithead RESTART IDENTITY CASCADE",
    ]:
        with pytest.raises(DatabaseError, match=r"append-only|cannot be removed"):
            sql(statement)
    assert AuditEntry.objects.count() == 3 and AuditHead.objects.get().seq == 3


def test_entries_cannot_be_changed(write):
    entry = write(2)[0]
    with pytest.raises(DatabaseError, match="append-only"):
        sql("UPDATE audit_auditentry SET action = 'forged' WHERE seq = %s", [entry.seq])
    with pytest.raises(DatabaseError):
        sql("UPDATE audit_auditentry SET seq = seq + 100")
    assert AuditEntry.objects.get(pk=entry.pk).action == entry.action


def test_an_entry_is_added_only_at_the_head(write):
    made = write(3)
    row = "INSERT INTO audit_auditentry (seq, at, actor_name, action, target_type, target_id, target_repr, detail, ip, "
    row += "prev_hash, hash) VALUES (%s, %s, 'x', 'forged', '', '', '', '{}', NULL, %s, %s)"
    # In the middle (after entry 1), far past the head, or at the head's number but not after its hash.
    for seq, prev in [(2, made[0].hash), (10, made[2].hash), (4, made[1].hash)]:
        with pytest.raises(DatabaseError, match="appended at the head"):
            sql(row, [seq, made[0].at, prev, uuid.uuid4().hex * 2])
    assert AuditEntry.objects.count() == 3


def test_the_head_only_moves_to_the_entry_appended_after_it(write):
    made = write(5)
    with pytest.raises(DatabaseError, match="moves only"):
        sql("UPDATE audit_audithead SET seq = %s, last_hash = %s", [made[2].seq, made[2].hash])
    with pytest.raises(DatabaseError, match="moves only"):
        sql("UPDATE audit_audithead SET seq = seq + 1, last_hash = %s", ["f" * 64])
    with pytest.raises(DatabaseError, match="cannot be removed"):
        sql("DELETE FROM audit_audithead")
    with pytest.raises(DatabaseError, match="made once"):
        sql("INSERT INTO audit_audithead (id, seq, last_hash) VALUES (2, 0, %s)", [GENESIS])
    head = AuditHead.objects.get()
    assert (head.seq, head.last_hash) == (made[-1].seq, made[-1].hash)


def test_entries_younger_than_180_days_cannot_be_deleted_not_even_by_the_purge(write):
    young = write(3, days_ago=179)
    with pytest.raises(DatabaseError, match="kept 180 days"):
        sql("DELETE FROM audit_auditentry WHERE seq = %s", [young[0].seq])
    # A purge told that it is a year later (a wrong clock, or someone calling it so) removes nothing.
    from datetime import timedelta

    from django.utils import timezone

    with pytest.raises(DatabaseError, match="kept 180 days"), transaction.atomic():
        purge_expired(now=timezone.now() + timedelta(days=365))
    assert AuditEntry.objects.count() == 3
    assert audit_verify().whole


@pytest.mark.postgres
def test_the_applications_own_role_cannot_lift_the_triggers_or_get_around_them(write):
    """The deployment README recommends: migrate as the tables' owner, run the app as a role that owns nothing."""
    only_on_postgres()
    write(3)
    role = f"suban_app_{uuid.uuid4().hex[:8]}"  # made and dropped inside the test's transaction
    sql(f"CREATE ROLE {role} NOLOGIN")
    sql(f"GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON audit_auditentry, audit_audithead TO {role}")
    sql(f"SET LOCAL ROLE {role}")
    try:
        with pytest.raises(DatabaseError, match="must be owner"):
            sql("ALTER TABLE audit_auditentry DISABLE TRIGGER USER")
        with pytest.raises(DatabaseError, match="append-only"):
            sql("TRUNCATE audit_auditentry")
        with pytest.raises(DatabaseError, match="kept 180 days"):
            sql("DELETE FROM audit_auditentry")
        with pytest.raises(CommandError, match="only the owner"):
            call_command("flush", interactive=False, verbosity=0)
    finally:
        sql("RESET ROLE")
    assert AuditEntry.objects.count() == 3


# --- Found by audit_verify: a database superuser switched the triggers off ---------------------------------


def test_the_oldest_entries_cut_are_found(write):
    made = write(40)
    with superuser():
        sql("DELETE FROM audit_auditentry WHERE seq <= %s", [made[29].seq])
    verdict = audit_verify()
    assert verdict.kinds == {"start"}
    assert "entries 1–30 (30) are missing at the start" in verdict.problems[0].message


def test_the_oldest_entries_cut_after_a_purge_are_found(write):
    old = write(5, days_ago=200)
    kept = write(10)
    assert purge_expired()["audit"] == 5
    assert audit_verify().whole
    with superuser():
        sql("DELETE FROM audit_auditentry WHERE seq <= %s", [kept[3].seq])
    verdict = audit_verify()
    assert verdict.kinds == {"start"}
    assert f"the oldest entry should follow entry {old[-1].seq}, the last one purged" in verdict.problems[0].message


def test_cutting_the_start_up_to_and_with_the_checkpoint_is_found(write):
    write(5, days_ago=200)
    write(3)
    purge_expired()
    checkpoint = AuditEntry.objects.get(action="audit.purge")
    write(3)
    with superuser():
        sql("DELETE FROM audit_auditentry WHERE seq <= %s", [checkpoint.seq])
    assert audit_verify().kinds == {"start"}


def test_entries_cut_in_between_are_found(write):
    made = write(10)
    with superuser():
        sql("DELETE FROM audit_auditentry WHERE seq BETWEEN %s AND %s", [made[3].seq, made[5].seq])
    verdict = audit_verify()
    assert verdict.kinds == {"gap"}
    assert "entries 4–6 (3) are missing between entries 3 and 7" in verdict.problems[0].message


def test_an_entry_replaced_by_a_well_sealed_forgery_is_found(write):
    made = write(5)
    forged = made[2]
    forged.action = "test.innocent"
    with superuser():
        sql("DELETE FROM audit_auditentry WHERE seq = %s", [forged.seq])
        forged.pk = None
        forged.hash = plain_digest(forged.prev_hash, hashed_fields(forged))
        forged.save()
    assert audit_verify().kinds == {"link"}


def test_an_altered_entry_is_found(write):
    made = write(5)
    with superuser():
        sql("UPDATE audit_auditentry SET actor_name = 'someone else' WHERE seq = %s", [made[1].seq])
    verdict = audit_verify()
    assert verdict.kinds == {"altered"}
    assert "entry 2 was changed" in verdict.problems[0].message


def test_the_newest_entries_cut_are_found_by_the_head(write):
    made = write(6)
    with superuser():
        sql("DELETE FROM audit_auditentry WHERE seq > %s", [made[3].seq])
    verdict = audit_verify()
    assert verdict.kinds == {"head"}
    assert "entries 5–6 (2) are removed from the end" in verdict.problems[0].message


def test_an_emptied_log_is_found_by_the_head(write):
    write(4)
    with superuser():
        sql("DELETE FROM audit_auditentry")
    assert audit_verify().kinds == {"head"}


def test_a_head_set_back_with_the_end_is_found_by_an_anchor_recorded_outside(write):
    made = write(6)
    anchor = (made[-1].seq, made[-1].hash)  # the hourly "audit chain head" log line
    with superuser():
        sql("DELETE FROM audit_auditentry WHERE seq > %s", [made[3].seq])
        sql("UPDATE audit_audithead SET seq = %s, last_hash = %s", [made[3].seq, made[3].hash])
    assert audit_verify().whole  # the database alone cannot tell: README says so
    verdict = audit_verify(anchors=[anchor])
    assert verdict.kinds == {"anchor"}
    with pytest.raises(CommandError, match="entry 6, recorded outside, is gone"):
        call_command("audit_verify", "--anchor", f"{anchor[0]}:{anchor[1]}")


def test_a_rewritten_chain_is_found_by_an_anchor_recorded_outside(write):
    made = write(4)
    anchor = (made[1].seq, made[1].hash)
    with superuser():
        rewrite_from(made[1], action="test.innocent")
    assert audit_verify().whole
    assert audit_verify(anchors=[anchor]).kinds == {"anchor"}


def test_switched_off_triggers_are_found(write):
    write(2)
    if connection.vendor == "postgresql":
        sql("ALTER TABLE audit_auditentry DISABLE TRIGGER audit_entry_guard")
        gone = "audit_entry_guard (disabled)"
    else:
        sql("DROP TRIGGER audit_entry_keep")
        gone = "audit_entry_keep (missing)"
    verdict = audit_verify()
    assert verdict.kinds == {"guard"}
    assert gone in verdict.problems[0].message


def test_the_command_lists_every_problem_and_fails(write):
    made = write(8)
    with superuser():
        sql("DELETE FROM audit_auditentry WHERE seq IN (%s, %s)", [made[0].seq, made[-1].seq])
    with pytest.raises(CommandError) as failed:
        call_command("audit_verify")
    assert "entry 1 is missing at the start" in str(failed.value)
    assert "entry 8 is removed from the end" in str(failed.value)

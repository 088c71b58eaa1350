"""`manage.py flush` and the transactional tests' teardown (which runs flush) against the log's triggers."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection

from suban.audit.guard import guard_gaps
from suban.audit.models import AuditEntry, AuditHead
from suban.audit.services import audit_record
from suban.audit.verify import audit_verify
from tests.audit.conftest import sql


# serialized_rollback: like the suite's other transactional tests, bring back the rows the migrations load.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_flush_empties_the_log_in_development_and_leaves_it_guarded(write):
    write(3)
    call_command("flush", interactive=False, verbosity=0)  # committed, as at the end of a transactional test
    assert not AuditEntry.objects.exists() and not AuditHead.objects.exists()
    assert guard_gaps(connection) == []
    assert audit_record(action="test.after_flush").seq == 1
    with pytest.raises(DatabaseError):
        sql("DELETE FROM audit_auditentry")
    assert audit_verify().whole


def test_flush_refuses_with_debug_off(write, settings):
    settings.AUDIT_LOG_FLUSHABLE = False
    write(2)
    with pytest.raises(CommandError, match="refused with DEBUG off"):
        call_command("flush", interactive=False, verbosity=0)
    assert AuditEntry.objects.count() == 2


def test_flush_asks_first(write, monkeypatch, capsys):
    write(2)
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    call_command("flush", verbosity=0)
    assert "Flush cancelled." in capsys.readouterr().out
    assert AuditEntry.objects.count() == 2

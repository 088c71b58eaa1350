"""Helpers for the audit tests: entries written now or in the past, raw SQL as an attacker would send it, and a
database superuser's power to switch the log's triggers off (suban.audit.guard.guard_lifted, rolled back with
the test)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection, transaction
from django.utils import timezone

from suban.audit.guard import guard_lifted
from suban.audit.models import AuditEntry, AuditHead
from suban.audit.services import audit_record, hashed_fields, plain_digest


@pytest.fixture
def write(db: Any, monkeypatch: pytest.MonkeyPatch) -> Callable[..., list[AuditEntry]]:
    """write(n) appends n entries now; write(n, days_ago=200) appends them as if written 200 days ago."""

    def write(n: int, *, days_ago: int = 0, action: str = "test.entry") -> list[AuditEntry]:
        if not days_ago:
            return [audit_record(action=f"{action}.{i}") for i in range(n)]
        real_now = timezone.now
        then = real_now() - timedelta(days=days_ago)
        with monkeypatch.context() as patch:
            patch.setattr(timezone, "now", lambda: then)
            return [audit_record(action=f"{action}.{i}") for i in range(n)]

    return write


def sql(statement: str, params: Sequence[Any] = ()) -> int:
    """One statement in its own savepoint (a refused one leaves the test's transaction usable)."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.rowcount


def superuser() -> AbstractContextManager[None]:
    """What a database superuser (or the tables' owner) can do: switch the guarding triggers off."""
    return guard_lifted(connection)


def rewrite_from(entry: AuditEntry, **changes: str) -> None:
    """Rewrite the chain from `entry` on, with plain hashes, and move the head: what someone holding only the
    database can do with the triggers off."""
    prev = entry.prev_hash
    for later in AuditEntry.objects.filter(seq__gte=entry.seq).order_by("seq"):
        if later.seq == entry.seq:
            for name, value in changes.items():
                setattr(later, name, value)
        later.prev_hash = prev
        later.hash = plain_digest(prev, hashed_fields(later))
        later.save()
        prev = later.hash
    AuditHead.objects.filter(pk=1).update(last_hash=prev)

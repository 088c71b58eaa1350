"""The database triggers that guard the audit log (made by migration 0004): are they in place, and lifting
them for one transaction, which only the tables' owner can (PostgreSQL) or anyone who may write the file
(SQLite). Used by `flush` (development and the tests' teardown) and by `audit_verify`."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import transaction
from django.db.backends.base.base import BaseDatabaseWrapper

ENTRY_TABLE = "audit_auditentry"
HEAD_TABLE = "audit_audithead"
TRIGGERS = {
    "postgresql": {
        ENTRY_TABLE: {"audit_entry_guard", "audit_entry_no_truncate"},
        HEAD_TABLE: {"audit_head_guard", "audit_head_no_truncate"},
    },
    "sqlite": {
        ENTRY_TABLE: {"audit_entry_append", "audit_entry_no_update", "audit_entry_keep"},
        HEAD_TABLE: {"audit_head_forward", "audit_head_once", "audit_head_keep"},
    },
}


def guard_gaps(connection: BaseDatabaseWrapper) -> list[str]:
    """The guard triggers that are missing or disabled, by name; empty when all are in place."""
    expected = TRIGGERS.get(connection.vendor)
    if expected is None:
        return []
    gaps: list[str] = []
    with connection.cursor() as cursor:
        for table, names in expected.items():
            if connection.vendor == "postgresql":
                cursor.execute(
                    "SELECT tgname, tgenabled FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal",
                    [table],
                )
                # 'D': disabled (ALTER TABLE … DISABLE TRIGGER); 'R': fires only for replication sessions.
                found = dict(cursor.fetchall())
                gaps += [f"{name} (disabled)" for name in sorted(names) if found.get(name) in {"D", "R"}]
            else:
                cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", [table])
                found = {name: "O" for (name,) in cursor.fetchall()}
            gaps += [f"{name} (missing)" for name in sorted(names) if name not in found]
    return gaps


@contextmanager
def guard_lifted(connection: BaseDatabaseWrapper) -> Iterator[None]:
    """Switch the guard triggers off inside one transaction and on again before it ends (also when it fails:
    SQLite's DDL and PostgreSQL's ALTER TABLE roll back with it). On PostgreSQL only the tables' owner may;
    an application that connects as a role owning nothing cannot (README, "Audit")."""
    tables = list(TRIGGERS.get(connection.vendor, {}))
    with transaction.atomic(using=connection.alias):
        if connection.vendor == "postgresql":
            _execute(connection, [f"ALTER TABLE {table} DISABLE TRIGGER USER" for table in tables])
            yield
            _execute(connection, [f"ALTER TABLE {table} ENABLE TRIGGER USER" for table in tables])
        elif connection.vendor == "sqlite":
            saved: list[tuple[str, str]] = []
            with connection.cursor() as cursor:
                for table in tables:
                    cursor.execute(
                        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", [table]
                    )
                    saved += cursor.fetchall()
            _execute(connection, [f'DROP TRIGGER "{name}"' for name, _sql in saved])
            yield
            _execute(connection, [sql for _name, sql in saved])
        else:
            yield


def _execute(connection: BaseDatabaseWrapper, statements: list[str]) -> None:
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)

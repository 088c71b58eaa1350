"""Make audit entries immutable in the database itself: no UPDATE, whoever asks.

Deletion is not blocked here (the test runner and the retention purge empty tables); a deleted entry
breaks the hash chain or leaves the chain head pointing at a missing hash, which `audit_verify` reports.
"""

from django.db import migrations

SQLITE = [
    """CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON audit_auditentry
       BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END""",
]
SQLITE_REVERSE = ["DROP TRIGGER IF EXISTS audit_entry_no_update"]
POSTGRES = [
    """CREATE OR REPLACE FUNCTION audit_entry_no_update() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'the audit log is append-only'; END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON audit_auditentry
       FOR EACH ROW EXECUTE FUNCTION audit_entry_no_update()""",
]
POSTGRES_REVERSE = [
    "DROP TRIGGER IF EXISTS audit_entry_no_update ON audit_auditentry",
    "DROP FUNCTION IF EXISTS audit_entry_no_update()",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRES}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE}),
        ),
    ]

"""Number the audit entries and let the database refuse every way of cutting the log.

0002 refused only UPDATE: DELETE and TRUNCATE worked, and the oldest entries could go without a trace (the
chain starts wherever the oldest kept entry starts). From here:

- entries carry a gap-free sequence number `seq`; the head row names the newest entry by `seq` and hash;
- an entry is inserted only at the head (its `seq` follows the head's, its `prev_hash` is the head's hash);
- an entry is never updated, and deleted only when it is older than 180 days (the legal minimum, which
  `AUDIT_RETENTION_DAYS` cannot go below): the retention purge, which leaves a checkpoint entry;
- TRUNCATE is refused (PostgreSQL; SQLite has none, and its `DELETE FROM` without WHERE fires the
  row trigger for every row);
- the head only moves forward, one entry at a time, to an entry that exists; it is made once, at the
  start of an empty chain, and never removed.

Existing entries are numbered in the order of their ids. A log whose oldest entries an earlier purge removed
(there can be none yet: the purge kept 180 days and the platform is younger) would be reported by
`audit_verify` as cut at its start, which it was.

The trigger names are listed in suban.audit.guard, which `audit_verify` uses to check they are in place.
"""

from django.db import migrations, models

GENESIS = "0" * 64

OLD_SQLITE = [
    """CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON audit_auditentry
       BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END""",
]
OLD_SQLITE_REVERSE = ["DROP TRIGGER IF EXISTS audit_entry_no_update"]
OLD_POSTGRES = [
    """CREATE OR REPLACE FUNCTION audit_entry_no_update() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'the audit log is append-only'; END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON audit_auditentry
       FOR EACH ROW EXECUTE FUNCTION audit_entry_no_update()""",
]
OLD_POSTGRES_REVERSE = [
    "DROP TRIGGER IF EXISTS audit_entry_no_update ON audit_auditentry",
    "DROP FUNCTION IF EXISTS audit_entry_no_update()",
]

APPEND_ONLY = "the audit log is append-only"
APPEND_AT_HEAD = "audit entries are appended at the head of the chain only"
KEEP = "audit entries are kept 180 days: only the retention purge removes older ones"
HEAD_FORWARD = "the audit chain head moves only to the entry appended after it"
HEAD_ONCE = "the audit chain head is made once, at the start of an empty chain"
HEAD_KEEP = "the audit chain head cannot be removed"

SQLITE = [
    f"""CREATE TRIGGER audit_entry_append BEFORE INSERT ON audit_auditentry
        WHEN NOT EXISTS (SELECT 1 FROM audit_audithead
                         WHERE id = 1 AND seq + 1 = NEW.seq AND last_hash = NEW.prev_hash)
        BEGIN SELECT RAISE(ABORT, '{APPEND_AT_HEAD}'); END""",
    f"""CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON audit_auditentry
        BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY}'); END""",
    # Django stores times as UTC text ('YYYY-MM-DD HH:MM:SS[.ffffff]'), which compares as text with SQLite's.
    f"""CREATE TRIGGER audit_entry_keep BEFORE DELETE ON audit_auditentry
        WHEN OLD."at" >= datetime('now', '-180 days')
        BEGIN SELECT RAISE(ABORT, '{KEEP}'); END""",
    f"""CREATE TRIGGER audit_head_forward BEFORE UPDATE ON audit_audithead
        WHEN NOT (NEW.id = OLD.id AND NEW.seq = OLD.seq + 1
                  AND EXISTS (SELECT 1 FROM audit_auditentry WHERE seq = NEW.seq AND hash = NEW.last_hash))
        BEGIN SELECT RAISE(ABORT, '{HEAD_FORWARD}'); END""",
    f"""CREATE TRIGGER audit_head_once BEFORE INSERT ON audit_audithead
        WHEN NOT (NEW.id = 1 AND NEW.seq = 0 AND NEW.last_hash = '{GENESIS}'
                  AND NOT EXISTS (SELECT 1 FROM audit_audithead) AND NOT EXISTS (SELECT 1 FROM audit_auditentry))
        BEGIN SELECT RAISE(ABORT, '{HEAD_ONCE}'); END""",
    f"""CREATE TRIGGER audit_head_keep BEFORE DELETE ON audit_audithead
        BEGIN SELECT RAISE(ABORT, '{HEAD_KEEP}'); END""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS audit_entry_append",
    "DROP TRIGGER IF EXISTS audit_entry_no_update",
    "DROP TRIGGER IF EXISTS audit_entry_keep",
    "DROP TRIGGER IF EXISTS audit_head_forward",
    "DROP TRIGGER IF EXISTS audit_head_once",
    "DROP TRIGGER IF EXISTS audit_head_keep",
]
POSTGRES = [
    f"""CREATE OR REPLACE FUNCTION audit_entry_guard() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'INSERT' THEN
                IF EXISTS (SELECT 1 FROM audit_audithead
                           WHERE id = 1 AND seq + 1 = NEW.seq AND last_hash = NEW.prev_hash) THEN
                    RETURN NEW;
                END IF;
                RAISE EXCEPTION '{APPEND_AT_HEAD}';
            ELSIF TG_OP = 'DELETE' THEN
                IF OLD."at" < now() - interval '180 days' THEN
                    RETURN OLD;
                END IF;
                RAISE EXCEPTION '{KEEP}';
            END IF;
            RAISE EXCEPTION '{APPEND_ONLY}';
        END $$""",
    """CREATE TRIGGER audit_entry_guard BEFORE INSERT OR UPDATE OR DELETE ON audit_auditentry
       FOR EACH ROW EXECUTE FUNCTION audit_entry_guard()""",
    """CREATE TRIGGER audit_entry_no_truncate BEFORE TRUNCATE ON audit_auditentry
       FOR EACH STATEMENT EXECUTE FUNCTION audit_entry_guard()""",
    f"""CREATE OR REPLACE FUNCTION audit_head_guard() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'UPDATE' THEN
                IF NEW.id = OLD.id AND NEW.seq = OLD.seq + 1 AND EXISTS (
                    SELECT 1 FROM audit_auditentry WHERE seq = NEW.seq AND hash = NEW.last_hash
                ) THEN
                    RETURN NEW;
                END IF;
                RAISE EXCEPTION '{HEAD_FORWARD}';
            ELSIF TG_OP = 'INSERT' THEN
                IF NEW.id = 1 AND NEW.seq = 0 AND NEW.last_hash = '{GENESIS}'
                   AND NOT EXISTS (SELECT 1 FROM audit_audithead)
                   AND NOT EXISTS (SELECT 1 FROM audit_auditentry) THEN
                    RETURN NEW;
                END IF;
                RAISE EXCEPTION '{HEAD_ONCE}';
            END IF;
            RAISE EXCEPTION '{HEAD_KEEP}';
        END $$""",
    """CREATE TRIGGER audit_head_guard BEFORE INSERT OR UPDATE OR DELETE ON audit_audithead
       FOR EACH ROW EXECUTE FUNCTION audit_head_guard()""",
    """CREATE TRIGGER audit_head_no_truncate BEFORE TRUNCATE ON audit_audithead
       FOR EACH STATEMENT EXECUTE FUNCTION audit_head_guard()""",
]
POSTGRES_REVERSE = [
    "DROP TRIGGER IF EXISTS audit_entry_guard ON audit_auditentry",
    "DROP TRIGGER IF EXISTS audit_entry_no_truncate ON audit_auditentry",
    "DROP TRIGGER IF EXISTS audit_head_guard ON audit_audithead",
    "DROP TRIGGER IF EXISTS audit_head_no_truncate ON audit_audithead",
    "DROP FUNCTION IF EXISTS audit_entry_guard()",
    "DROP FUNCTION IF EXISTS audit_head_guard()",
]

# Number the existing entries by id (one pass, through a keyed temporary table), and the head after them.
NUMBER = [
    "CREATE TEMPORARY TABLE audit_numbering (id bigint PRIMARY KEY, seq bigint NOT NULL)",
    "INSERT INTO audit_numbering (id, seq) SELECT id, ROW_NUMBER() OVER (ORDER BY id) FROM audit_auditentry",
    """UPDATE audit_auditentry
       SET seq = (SELECT n.seq FROM audit_numbering n WHERE n.id = audit_auditentry.id)""",
    "DROP TABLE audit_numbering",
    "UPDATE audit_audithead SET seq = (SELECT COALESCE(MAX(seq), 0) FROM audit_auditentry) WHERE id = 1",
    # A log with entries has a head (audit_record makes it with the first entry); make sure of it.
    """INSERT INTO audit_audithead (id, seq, last_hash)
       SELECT 1, e.seq, e.hash FROM audit_auditentry e
       WHERE e.seq = (SELECT MAX(seq) FROM audit_auditentry) AND NOT EXISTS (SELECT 1 FROM audit_audithead)""",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_actor_do_nothing")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": OLD_SQLITE_REVERSE, "postgresql": OLD_POSTGRES_REVERSE}),
            _run({"sqlite": OLD_SQLITE, "postgresql": OLD_POSTGRES}),
        ),
        migrations.AddField(
            model_name="auditentry",
            name="seq",
            field=models.BigIntegerField(null=True, verbose_name="sequence number"),
        ),
        migrations.AddField(
            model_name="audithead",
            name="seq",
            field=models.BigIntegerField(default=0),
        ),
        migrations.RunPython(_run({"sqlite": NUMBER, "postgresql": NUMBER}), migrations.RunPython.noop),
        migrations.AlterField(
            model_name="auditentry",
            name="seq",
            field=models.BigIntegerField(unique=True, verbose_name="sequence number"),
        ),
        migrations.AlterModelOptions(
            name="auditentry",
            options={"ordering": ["-seq"], "verbose_name": "audit entry", "verbose_name_plural": "audit log"},
        ),
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRES}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE}),
        ),
    ]

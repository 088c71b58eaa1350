"""Two indexes of the open cases (a few per cent of all) by state and alert, with their lead unit's and their
place's paths, so that the inbox counts (suban.cases.selectors.inbox_counts) read index entries only, never
the case rows (PostgreSQL's index-only scan), with a million cases and more: case_open_counts for an
overseer's whole reach, case_open_unit for the cases a unit leads."""

from django.db import migrations

OPEN = "NOT (status IN ('closed', 'declined', 'merged'))"


class Migration(migrations.Migration):
    dependencies = [("cases", "0006_supervision_feedback_done")]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX case_open_counts ON cases_case (status, alert, unit_path, area_path) WHERE {OPEN}",
            "DROP INDEX case_open_counts",
        ),
        migrations.RunSQL(
            f"CREATE INDEX case_open_unit ON cases_case (unit_id, status, alert, unit_path, area_path) WHERE {OPEN}",
            "DROP INDEX case_open_unit",
        ),
    ]

"""Two indexes on the cases for the big screen's live panels (suban.assess.screen), so that they read
index entries only, never the case rows, with ten million cases:

- dashboard_case_open: the open cases only (a few per cent of all), with their lead unit's path, alert and
  grid: open / due soon / overdue now, per unit and per grid of the map;
- dashboard_case_created_grid: when and where each request came in: the map's requests per grid over 30 days.
"""

from django.db import migrations

OPEN = "NOT (status IN ('closed', 'declined', 'merged'))"


class Migration(migrations.Migration):
    dependencies = [("cases", "0004_case_newest_index")]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX dashboard_case_open ON cases_case (unit_path, status, alert, grid_id) WHERE {OPEN}",
            "DROP INDEX dashboard_case_open",
        ),
        migrations.RunSQL(
            "CREATE INDEX dashboard_case_created_grid ON cases_case (created_at, grid_id)",
            "DROP INDEX dashboard_case_created_grid",
        ),
    ]

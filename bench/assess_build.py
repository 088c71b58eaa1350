"""Fill the assessment bench database with COUNT synthetic cases, set-based: `python bench/assess_build.py COUNT`.

Run by bench/assess_bench.py with DATABASE_URL pointing at `suban_bench_assess` (PostgreSQL only). The cases
are spread over the demo district's grids and the last 395 days, with the status mix of a working platform
(old cases closed; the last 30 days still moving), and their timeline columns (dispatched, claimed, due,
replied, closed, rating) consistent with the status. Each chunk is one INSERT … SELECT FROM generate_series,
followed by one INSERT … SELECT of the cases' assessment rows: the same values suban.assess.measures.assess
gives a case written without its event log (its own columns stand for the log), handling time approximated as
5/7 of the calendar time. The roll-ups are then rebuilt set-based by suban.assess.services.rebuild_rollups.
Never on real data: the synthetic case numbers start with B.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CHUNK = 1_000_000
PREFIX = "B"


def _setup() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "suban.settings")
    import django

    django.setup()


def _tables(cursor: Any) -> tuple[int, int, int]:
    """Helper tables: the grids with the units a case there may go to, the departments, the matters."""
    from suban.org.directory import directory
    from suban.org.models import GRID_KINDS, Unit, UnitKind

    units = directory()
    cursor.execute("DROP TABLE IF EXISTS bench_grid, bench_dept, bench_matter, bench_lead")
    cursor.execute(
        "CREATE TEMP TABLE bench_grid (i int PRIMARY KEY, grid_id int, grid_path text, area_street_id int,"
        " community_id int, community_path text, street_id int, street_path text)"
    )
    cursor.execute("CREATE TEMP TABLE bench_dept (i int PRIMARY KEY, id int, path text)")
    cursor.execute("CREATE TEMP TABLE bench_matter (i int PRIMARY KEY, id int)")
    cursor.execute(
        "CREATE TEMP TABLE bench_lead (unit_id int PRIMARY KEY, street_id int, community_id int, grid_id int,"
        " department_id int)"
    )
    grids = list(Unit.objects.filter(kind__in=GRID_KINDS, is_active=True).order_by("path"))
    rows = []
    for grid in grids:
        community = units.ancestor_of_kind(grid, UnitKind.COMMUNITY)
        street = units.ancestor_of_kind(grid, UnitKind.STREET)
        if street is None:
            continue
        rows.append(
            (
                len(rows),
                grid.pk,
                grid.path,
                street.pk,
                community.pk if community else None,
                community.path if community else None,
                street.pk,
                street.path,
            )
        )
    cursor.executemany("INSERT INTO bench_grid VALUES (%s, %s, %s, %s, %s, %s, %s, %s)", rows)
    departments = list(Unit.objects.filter(kind=UnitKind.DEPARTMENT, parent__kind=UnitKind.DISTRICT).order_by("path"))
    dept_rows = [(i, d.pk, d.path) for i, d in enumerate(departments)]
    cursor.executemany("INSERT INTO bench_dept VALUES (%s, %s, %s)", dept_rows)
    from suban.catalogue.models import Matter

    matters = list(Matter.objects.filter(level=2, is_active=True).order_by("pk").values_list("pk", flat=True))
    cursor.executemany("INSERT INTO bench_matter VALUES (%s, %s)", list(enumerate(matters)))
    # Every unit a case may be led by, with the topmost unit of each kind on its path (measures.assess).
    leads = []
    for unit in Unit.objects.filter(is_active=True):
        by_kind: dict[str, int] = {}
        for code in unit.path.split("/"):
            found = units.by_code.get(code) if code else None
            if found is not None:
                kind = UnitKind.GRID if found.kind in GRID_KINDS else found.kind
                by_kind.setdefault(kind, found.pk)
        leads.append(
            (
                unit.pk,
                by_kind.get(UnitKind.STREET),
                by_kind.get(UnitKind.COMMUNITY),
                by_kind.get(UnitKind.GRID),
                by_kind.get(UnitKind.DEPARTMENT),
            )
        )
    cursor.executemany("INSERT INTO bench_lead VALUES (%s, %s, %s, %s, %s)", leads)
    cursor.execute("ANALYZE bench_grid; ANALYZE bench_dept; ANALYZE bench_matter; ANALYZE bench_lead")
    return len(rows), len(departments), len(matters)


# The generated values of one case, as SQL over generate_series(%(first)s, %(last)s) g.
CASES_SQL = """
WITH b AS (
  SELECT g,
         floor(random() * %(ngrids)s)::int AS gi,
         floor(random() * %(ndepts)s)::int AS di,
         floor(random() * %(nmatters)s)::int AS mi,
         random() AS r_lead, random() AS r_status, random() AS r_resp, random() AS r_reply,
         random() AS r_sat, random() AS r_misc,
         now() - random() * interval '395 days' AS created
  FROM generate_series(%(first)s, %(last)s) g
), l AS (
  SELECT b.*, gr.grid_id, gr.grid_path, m.id AS matter_id,
         CASE WHEN b.r_lead < 0.3 THEN d.id WHEN b.r_lead < 0.8 AND gr.community_id IS NOT NULL
              THEN gr.community_id ELSE gr.street_id END AS lead_id,
         CASE WHEN b.r_lead < 0.3 THEN d.path WHEN b.r_lead < 0.8 AND gr.community_id IS NOT NULL
              THEN gr.community_path ELSE gr.street_path END AS lead_path,
         CASE WHEN b.r_lead < 0.3 THEN 'department' WHEN b.r_lead < 0.8 AND gr.community_id IS NOT NULL
              THEN 'community' ELSE 'street' END AS lead_level,
         CASE WHEN b.created < now() - interval '30 days' THEN
                CASE WHEN b.r_status < 0.96 THEN 'closed' WHEN b.r_status < 0.99 THEN 'declined' ELSE 'unsatisfied' END
              ELSE
                CASE WHEN b.r_status < 0.55 THEN 'closed' WHEN b.r_status < 0.70 THEN 'in_progress'
                     WHEN b.r_status < 0.78 THEN 'dispatched' WHEN b.r_status < 0.85 THEN 'visiting'
                     WHEN b.r_status < 0.90 THEN 'reviewing' WHEN b.r_status < 0.93 THEN 'new'
                     WHEN b.r_status < 0.95 THEN 'returned' WHEN b.r_status < 0.98 THEN 'declined'
                     ELSE 'unsatisfied' END
         END AS status
  FROM b JOIN bench_grid gr ON gr.i = b.gi JOIN bench_dept d ON d.i = b.di JOIN bench_matter m ON m.i = b.mi
), t AS (
  SELECT l.*,
         l.status NOT IN ('new', 'declined') AS was_dispatched,
         l.status NOT IN ('new', 'declined', 'dispatched') AS was_claimed,
         l.status IN ('reviewing', 'visiting', 'unsatisfied', 'closed') AS was_replied,
         l.created + interval '20 minutes' AS dispatched,
         l.created + interval '20 minutes' + (l.r_resp * l.r_resp) * interval '10 hours' AS claimed,
         l.created + interval '20 minutes' + interval '7 days' AS due,
         l.created + interval '20 minutes' + interval '10 hours' + l.r_reply * interval '9 days' AS replied
  FROM l
), v AS (
  SELECT t.*,
         CASE WHEN t.was_replied THEN LEAST(t.replied, now() - interval '2 hours') END AS replied_at,
         CASE WHEN t.status = 'closed' THEN 'satisfied' END AS s0
  FROM t
)
SELECT
  %(prefix)s || lpad(g::text, 12, '0') AS number,
  'livelihood' AS case_type,
  CASE WHEN r_misc < 0.6 THEN 'help' WHEN r_misc < 0.8 THEN 'complaint' ELSE 'consultation' END AS nature,
  matter_id,
  CASE WHEN r_misc < 0.5 THEN 'hotline' WHEN r_misc < 0.8 THEN 'h5' WHEN r_misc < 0.9 THEN 'grid'
       ELSE 'app' END AS channel,
  '合成诉求 ' || g AS title,
  grid_id,
  grid_path AS area_path,
  status,
  CASE WHEN was_dispatched THEN lead_level ELSE 'district' END AS level,
  CASE WHEN was_dispatched THEN lead_id ELSE %(district_id)s END AS unit_id,
  CASE WHEN was_dispatched THEN lead_path ELSE %(district_path)s END AS unit_path,
  CASE WHEN was_dispatched THEN dispatched END AS dispatched_at,
  CASE WHEN was_dispatched THEN dispatched + interval '4 hours' END AS response_due_at,
  CASE WHEN was_claimed THEN LEAST(claimed, now() - interval '3 hours') END AS claimed_at,
  CASE WHEN was_dispatched THEN due END AS due_at,
  CASE WHEN was_dispatched THEN due - interval '1 day' END AS warn_at,
  CASE WHEN was_dispatched THEN 5 END AS limit_days,
  CASE
    WHEN status IN ('dispatched', 'in_progress', 'returned') THEN
      CASE WHEN due <= now() THEN 'red' WHEN due - interval '1 day' <= now() THEN 'yellow' ELSE '' END
    WHEN was_replied AND replied_at > due THEN 'red'
    ELSE '' END AS alert,
  CASE WHEN status IN ('dispatched', 'in_progress', 'returned') THEN
      CASE WHEN due <= now() THEN NULL WHEN due - interval '1 day' <= now() THEN due ELSE due - interval '1 day' END
  END AS next_check_at,
  replied_at,
  CASE WHEN was_replied THEN '已办理。' ELSE '' END AS reply,
  CASE WHEN status = 'closed' THEN LEAST(replied_at + interval '1 hour' + r_sat * interval '2 days', now())
       WHEN status = 'declined' THEN created + interval '1 hour' END AS closed_at,
  CASE WHEN status = 'unsatisfied' THEN 'unsatisfied'
       WHEN status = 'closed' THEN CASE WHEN r_sat < 0.75 THEN 'satisfied' WHEN r_sat < 0.93 THEN 'basically'
                                        ELSE 'unsatisfied' END
       ELSE '' END AS satisfaction,
  CASE WHEN status = 'unsatisfied' THEN false
       WHEN status = 'closed' THEN r_sat < 0.75 OR (r_sat < 0.93 AND r_misc < 0.8) END AS resolved,
  CASE WHEN status = 'declined' THEN 'repeat' ELSE '' END AS decline_reason,
  CASE WHEN was_dispatched AND r_resp > 0.95 THEN 1 ELSE 0 END AS return_count,
  CASE WHEN was_replied AND replied_at > due THEN 1 ELSE 0 END AS supervision_count,
  CASE WHEN status = 'closed' AND r_sat > 0.97 THEN 1 ELSE 0 END AS reopen_count,
  created AS created_at,
  now() AS updated_at
FROM v
"""

# The columns the generator sets; every other column of cases_case gets its field's default.
GENERATED = [
    *("number", "case_type", "nature", "matter_id", "channel", "title", "grid_id", "area_path", "status", "level"),
    *("unit_id", "unit_path", "dispatched_at", "response_due_at", "claimed_at", "due_at", "warn_at", "limit_days"),
    *("alert", "next_check_at", "replied_at", "reply", "closed_at", "satisfaction", "resolved", "decline_reason"),
    *("return_count", "supervision_count", "reopen_count", "created_at", "updated_at"),
]

# One assessment row per case, as suban.assess.measures.assess computes it for a case without an event log.
ASSESS_SQL = """
INSERT INTO assess_caseassessment (
  case_id, day, unit_id, unit_path, street_id, community_id, grid_id, department_id, area_street_id, matter_id,
  channel, case_type, nature, excluded, exclusion_reason, dispatched, responded, responded_in_time, reply_due,
  replied, replied_in_time, completed, rated, satisfaction, resolved, overdue, returns, escalations, supervisions,
  reopened, handling_seconds, updated_at)
SELECT c.id, (c.created_at AT TIME ZONE %(tz)s)::date, c.unit_id, c.unit_path,
  bl.street_id, bl.community_id, bl.grid_id, bl.department_id,
  COALESCE(ag.area_street_id, bl.street_id, %(district_id)s), c.matter_id, c.channel, c.case_type, c.nature,
  c.status IN ('declined', 'merged'),
  CASE WHEN c.status = 'declined' THEN 'declined:' || COALESCE(NULLIF(c.decline_reason, ''), 'other')
       WHEN c.status = 'merged' THEN 'merged' ELSE '' END,
  c.dispatched_at IS NOT NULL,
  c.dispatched_at IS NOT NULL AND c.claimed_at IS NOT NULL,
  c.dispatched_at IS NOT NULL AND c.claimed_at IS NOT NULL
    AND c.claimed_at - c.dispatched_at <= COALESCE(c.response_due_at - c.dispatched_at, interval '4 hours'),
  c.replied_at IS NOT NULL OR c.alert = 'red',
  c.replied_at IS NOT NULL,
  c.replied_at IS NOT NULL AND c.due_at IS NOT NULL AND c.replied_at <= c.due_at,
  c.status = 'closed',
  c.satisfaction <> '',
  c.satisfaction,
  CASE WHEN c.satisfaction <> '' THEN c.resolved END,
  c.alert = 'red' OR (c.replied_at IS NOT NULL AND NOT (c.due_at IS NOT NULL AND c.replied_at <= c.due_at)),
  c.return_count, c.escalation_count, c.supervision_count, c.reopen_count,
  CASE WHEN c.replied_at IS NOT NULL AND c.dispatched_at IS NOT NULL
       THEN GREATEST(0, extract(epoch FROM c.replied_at - c.dispatched_at) * 5 / 7)::bigint END,
  now()
FROM cases_case c
JOIN bench_lead bl ON bl.unit_id = c.unit_id
LEFT JOIN bench_grid ag ON ag.grid_id = c.grid_id
WHERE c.id > %(after)s AND c.number LIKE %(like)s
"""


def _drop_indexes(cursor: Any, tables: tuple[str, ...]) -> list[str]:
    """Drop the tables' indexes that back no constraint; returns the statements that create them again. The
    statements are kept in the table bench_dropped_index until the indexes exist again, so that a build stopped
    halfway gets them back on the next run (_restore_indexes)."""
    cursor.execute("CREATE TABLE IF NOT EXISTS bench_dropped_index (definition text PRIMARY KEY)")
    cursor.execute(
        "SELECT i.indexname, i.indexdef FROM pg_indexes i"
        " WHERE i.tablename = ANY(%s) AND NOT EXISTS"
        " (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)",
        [list(tables)],
    )
    found = cursor.fetchall()
    for _name, definition in found:
        cursor.execute("INSERT INTO bench_dropped_index VALUES (%s) ON CONFLICT DO NOTHING", [definition])
    for name, _definition in found:
        cursor.execute(f'DROP INDEX IF EXISTS "{name}"')
    cursor.execute("SELECT definition FROM bench_dropped_index ORDER BY definition")
    return [row[0] for row in cursor.fetchall()]


def _restore_indexes(cursor: Any, statements: list[str] | None = None) -> int:
    """Create every index a build dropped (all of them, or those still listed in bench_dropped_index)."""
    if statements is None:
        cursor.execute("SELECT to_regclass('bench_dropped_index')")
        if cursor.fetchone()[0] is None:
            return 0
        cursor.execute("SELECT definition FROM bench_dropped_index ORDER BY definition")
        statements = [row[0] for row in cursor.fetchall()]
    cursor.execute("SET maintenance_work_mem = '1GB'")
    for statement in statements:
        cursor.execute(statement.replace("CREATE INDEX ", "CREATE INDEX IF NOT EXISTS ", 1))
        cursor.execute("DELETE FROM bench_dropped_index WHERE definition = %s", [statement])
    return len(statements)


def build(count: int) -> None:
    _setup()
    from django.conf import settings
    from django.db import connection, transaction

    from suban.assess.services import rebuild_rollups
    from suban.cases.models import Case
    from suban.org.models import Unit, UnitKind

    assert connection.vendor == "postgresql", "the assessment bench runs on PostgreSQL"
    district = Unit.objects.filter(kind=UnitKind.DISTRICT).order_by("pk").first()
    assert district is not None, "load the demo district first (seed_demo)"
    defaults: dict[str, Any] = {}
    for f in Case._meta.concrete_fields:
        if f.column in GENERATED or f.column == "id":
            continue
        defaults[f.column] = f.get_default()
    defaults["version"] = 1
    columns = GENERATED + list(defaults)
    select = "SELECT " + ", ".join([f"x.{c}" for c in GENERATED] + [f"%({'d_' + c})s" for c in defaults])
    qn = connection.ops.quote_name
    insert = f"INSERT INTO cases_case ({', '.join(qn(c) for c in columns)}) {select} FROM ({CASES_SQL}) x"
    with connection.cursor() as cursor:
        restored = _restore_indexes(cursor)  # a build stopped halfway left them dropped
        if restored:
            print(f"   {restored} indexes a stopped build had dropped are built again", flush=True)
        cursor.execute("SELECT count(*) FROM cases_case WHERE number LIKE %s", [PREFIX + "%"])
        have = int(cursor.fetchone()[0])
        ngrids, ndepts, nmatters = _tables(cursor)
        cursor.execute("SELECT setseed(0.42)")
        # A bulk load: no foreign-key triggers per row (the rows point at units, matters and cases that exist by
        # construction), the secondary indexes dropped and built again at the end (one sort each, instead of
        # ten million random insertions into B-trees larger than memory).
        cursor.execute("SET session_replication_role = replica")
        cursor.execute("SET synchronous_commit = off")
        saved = _drop_indexes(cursor, ("cases_case", "assess_caseassessment"))
        began = time.perf_counter()
        first = have + 1
        while first <= count:
            last = min(count, first + CHUNK - 1)
            started = time.perf_counter()
            with transaction.atomic():
                cursor.execute("SELECT COALESCE(max(id), 0) FROM cases_case")
                after = int(cursor.fetchone()[0])
                params = {
                    "first": first,
                    "last": last,
                    "ngrids": ngrids,
                    "ndepts": ndepts,
                    "nmatters": nmatters,
                    "prefix": PREFIX,
                    "district_id": district.pk,
                    "district_path": district.path,
                    **{f"d_{c}": v for c, v in defaults.items()},
                }
                cursor.execute(insert, params)
                cursor.execute(
                    ASSESS_SQL,
                    {"tz": settings.TIME_ZONE, "district_id": district.pk, "after": after, "like": PREFIX + "%"},
                )
            print(f"   cases {last:,} / {count:,} ({time.perf_counter() - started:.0f} s)", flush=True)
            first = last + 1
        print(f"   cases written in {time.perf_counter() - began:.0f} s", flush=True)
        started = time.perf_counter()
        _restore_indexes(cursor, saved)
        cursor.execute("SET session_replication_role = DEFAULT")
        print(f"   {len(saved)} indexes built again in {time.perf_counter() - started:.0f} s", flush=True)
    connection.close()
    with connection.cursor() as cursor:
        started = time.perf_counter()
        cursor.execute("VACUUM ANALYZE cases_case")
        cursor.execute("VACUUM ANALYZE assess_caseassessment")
        print(f"   vacuum analyze {time.perf_counter() - started:.0f} s", flush=True)
    started = time.perf_counter()
    result = rebuild_rollups()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE assess_unitday; ANALYZE assess_matterday")
    print(
        f"   roll-ups rebuilt set-based in {time.perf_counter() - started:.0f} s:"
        f" {result.unit_rows:,} unit-day rows, {result.matter_rows:,} matter-day rows",
        flush=True,
    )


if __name__ == "__main__":
    build(int(sys.argv[1]))

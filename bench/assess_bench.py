"""The assessment and the leaders' dashboard with 10,000,000 cases in PostgreSQL.

The database `suban_bench_assess` is made once (demo district, then bench/assess_build.py: the cases, their
assessment rows and the roll-ups, all set-based) and kept for later runs, like `suban_bench_inbox`. Then:

1. the monthly ranking (streets, communities, departments, grids), in-process through suban.assess.selectors;
2. every /api/dashboard/ query through Django's full request stack as the district's leader, p50 and max;
3. correctness as events arrive: requests taken in, dispatched, claimed, replied, approved and rated through
   the case services on the big database; the receiving unit's roll-up for today must then equal a recount of
   its cases' assessment rows, and each of those rows what suban.assess.measures computes from the case's
   events.

Run: .venv/bin/python bench/assess_bench.py   (BENCH_ASSESS_PG_URL, BENCH_ASSESS_CASES, BENCH_ASSESS_ROUNDS)
"""

from __future__ import annotations

import os
import secrets
import sys
import time
from pathlib import Path

from benchdb import manage
from inbox_list import database_state

ROOT = Path(__file__).resolve().parent.parent
PG_URL = os.environ.get("BENCH_ASSESS_PG_URL", "postgres://postgres@127.0.0.1:5432/suban_bench_assess")
CASES = int(os.environ.get("BENCH_ASSESS_CASES", "10000000"))
ROUNDS = int(os.environ.get("BENCH_ASSESS_ROUNDS", "5"))
TARGET_MS = 1000
ENDPOINTS = (
    "live",
    "intake?days=30",
    "intake?days=90",
    "matters?days=30",
    "rates?kind=street",
    "rates?kind=community",
    "rates?kind=department",
    "grids",
    "map?days=30",
    "hotspots",
    "gridwork?days=30",
)


def prepare(env: dict[str, str]) -> int:
    import subprocess

    have = database_state(PG_URL)
    if have is None:
        return -1
    manage(env, "migrate", "--noinput", "-v", "0")
    if have == 0:
        manage(env, "seed_demo", "--history", "0", "--cases", "0", *_no_model())
    synthetic = _synthetic(env)
    if synthetic < CASES or _unfinished():
        print(f"   generating {CASES - synthetic:,} cases set-based (once; the database is kept) ...", flush=True)
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, str(ROOT / "bench" / "assess_build.py"), str(CASES)], cwd=ROOT, env=env, check=False
        )
        if done.returncode != 0:
            raise SystemExit("assess_build.py failed")
        print(f"   built in {time.perf_counter() - started:.0f} s", flush=True)
    return CASES


def _no_model() -> list[str]:
    from subprocess import run

    helptext = run(
        [sys.executable, "manage.py", "seed_demo", "--help"], cwd=ROOT, capture_output=True, text=True, check=False
    ).stdout
    return ["--no-model"] if "--no-model" in helptext else []


def _unfinished() -> bool:
    """A build stopped halfway: indexes still dropped, or the roll-ups not rebuilt."""
    import psycopg

    with psycopg.connect(PG_URL) as conn:
        dropped = conn.execute("SELECT to_regclass('bench_dropped_index')").fetchone()
        if dropped and dropped[0] is not None:
            left = conn.execute("SELECT count(*) FROM bench_dropped_index").fetchone()
            if left and left[0]:
                return True
        rows = conn.execute("SELECT count(*) FROM (SELECT 1 FROM assess_unitday LIMIT 1) x").fetchone()
        return not rows or rows[0] == 0


def _synthetic(env: dict[str, str]) -> int:
    import psycopg

    with psycopg.connect(PG_URL) as conn:
        row = conn.execute("SELECT count(*) FROM cases_case WHERE number LIKE 'B%'").fetchone()
        return int(row[0]) if row else 0


def _ms(values: list[float]) -> tuple[float, float]:
    values = sorted(values)
    return values[len(values) // 2] * 1000, values[-1] * 1000


def main() -> int:
    env = {
        **os.environ,
        "DATABASE_URL": PG_URL,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(40),
        "FIELD_ENCRYPTION_KEY": "bench-assess-field-key",  # the same on every run: the kept rows stay readable
        "API_READ_RATE": "1000000/min",
        "ALLOWED_HOSTS": "testserver",
        "DJANGO_SETTINGS_MODULE": "suban.settings",
        "DEMO_HISTORY_CASES": "0",
        "DEMO_MODEL": "0",
    }
    env.pop("REDIS_URL", None)
    # BENCH_ASSESS_SKIP_BUILD=1: measure the database as it is (while a build finishes elsewhere, say).
    total = CASES if os.environ.get("BENCH_ASSESS_SKIP_BUILD") else prepare(env)
    if total < 0:
        print(f"assessment: skipped, PostgreSQL not reachable at {PG_URL}")
        return 0
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    from suban.accounts.models import User
    from suban.api.services import token_create
    from suban.assess import selectors
    from suban.assess.periods import Period, span

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM cases_case")
        cases = int(cursor.fetchone()[0])
    leader = User.objects.select_related("unit").get(username="leader")
    failures = 0
    print(f"   {cases:,} cases in PostgreSQL", flush=True)

    # 1. The monthly ranking, as the assessment pages and reports call it.
    from django.utils import timezone

    month = span(Period.MONTH, timezone.localdate())
    last_month = span(Period.MONTH, month.start.replace(day=1) - __import__("datetime").timedelta(days=1))
    for kind in ("street", "community", "department", "grid"):
        for s in (month, last_month):
            timings = []
            for _ in range(ROUNDS + 1):
                started = time.perf_counter()
                rows = selectors.ranking(leader, kind, s)
                timings.append(time.perf_counter() - started)
            p50, worst = _ms(timings[1:])
            ranked = sum(1 for r in rows if r.rank is not None)
            print(f"   monthly ranking {kind:<10} {s.label}: p50 {p50:.1f} ms, max {worst:.1f} ms ({ranked} ranked)")
            failures += worst > TARGET_MS

    # 2. Every dashboard query through the API.
    _token, key = token_create(by=None, user=leader, name="bench", days=1)
    headers = {"Authorization": f"Bearer {key}"}
    client = Client()
    for endpoint in ENDPOINTS:
        path = "/api/dashboard/" + endpoint
        timings = []
        for _ in range(ROUNDS + 1):
            started = time.perf_counter()
            response = client.get(path, headers=headers)
            timings.append(time.perf_counter() - started)
            assert response.status_code == 200, (path, response.content[:300])
        p50, worst = _ms(timings[1:])
        flag = "" if worst <= TARGET_MS else "  (over 1 s)"
        print(f"   dashboard {endpoint:<22} p50 {p50:7.1f} ms, max {worst:7.1f} ms{flag}", flush=True)
        failures += worst > TARGET_MS

    # 3. Assessment stays right as events arrive.
    failures += check_live_updates()
    verdict = "all under 1 s and consistent" if not failures else f"{failures} failures"
    print(f"assessment bench: {cases:,} cases; {verdict}")
    return 1 if failures else 0


def check_live_updates(count: int = 20) -> int:
    """Take `count` new requests through the services on the big database; compare the roll-up with a recount."""
    from collections import Counter

    from django.utils import timezone

    from suban.accounts.models import User
    from suban.assess import measures
    from suban.assess.models import UNIT_COUNTERS, CaseAssessment, UnitDay
    from suban.cases.models import Satisfaction
    from suban.cases.notices import muted
    from suban.cases.services import (
        case_claim,
        case_intake,
        case_rate,
        case_reply,
        case_review_reply,
    )

    dispatcher = User.objects.get(username="dispatcher")
    supervisor = User.objects.get(username="supervisor")
    handler = User.objects.select_related("unit").get(username="community")
    unit = handler.unit
    started = time.perf_counter()
    made = []
    with muted():
        for i in range(count):
            case = case_intake(
                by=dispatcher, dispatch=True, unit=unit, title=f"评测诉求 {i}", text="评测用。", channel="hotline"
            )
            if i % 4:
                case_claim(case=case, by=handler)
            if i % 4 >= 2:
                case_reply(case=case, by=handler, reply="已处理。")
                case_review_reply(case=case, by=dispatcher, approve=True)
            if i % 4 == 3:
                case_rate(case=case, by=supervisor, satisfaction=Satisfaction.SATISFIED, resolved=True)
            made.append(case.pk)
    elapsed = time.perf_counter() - started
    today = timezone.localdate()
    rollup = UnitDay.objects.filter(unit=unit, day=today).values(*UNIT_COUNTERS).first() or {}
    ctx = measures.context()
    recount: Counter[str] = Counter()
    rows = {r.case_id: r for r in CaseAssessment.objects.filter(unit_path__startswith=unit.path, day=today)}
    for row in rows.values():
        values = {f: getattr(row, f) for f in measures.VALUE_FIELDS}
        recount.update(measures.counters(values))
    mismatched = [n for n in UNIT_COUNTERS if int(rollup.get(n) or 0) != recount.get(n, 0)]
    # Each new case's row is exactly what its events give.
    from suban.cases.models import Case, CaseEvent

    wrong_rows = 0
    for case in Case.objects.filter(pk__in=made):
        events = list(CaseEvent.objects.filter(case=case).order_by("seq"))
        expected = measures.assess(case, events, ctx)
        row = rows.get(case.pk)
        if expected is None or row is None or any(getattr(row, f) != expected[f] for f in measures.VALUE_FIELDS):
            wrong_rows += 1
    ok = not mismatched and not wrong_rows
    print(
        f"   live updates: {count} requests through the services in {elapsed:.1f} s; {unit.name} today:"
        f" roll-up received {rollup.get('received', 0)}, replied {rollup.get('replied', 0)},"
        f" completed {rollup.get('completed', 0)};"
        f" recount of {len(rows)} cases {'matches' if ok else 'DIFFERS'}"
        + (f" ({', '.join(mismatched)}; {wrong_rows} rows off)" if not ok else "")
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

"""A unit's inbox through the API with 1,000,000 cases in PostgreSQL: p50/p99 latency of the list pages.

The database `suban_bench_inbox` is made once (demo district + `generate_cases --count 1000000`, a few
minutes) and kept for later runs. Each handler of the demo (community, street, department) and the
district's dispatcher ask for the piles of their inbox the way the console does: first page of 20, ordered
by deadline, one or more statuses, with the count for the pager; and the inbox's tab counts. Timed
in-process through Django's full request stack (middleware, token auth, throttles, scope, serialisation),
so the figure is the server's share of a request.

Run: .venv/bin/python bench/inbox_list.py   (BENCH_INBOX_PG_URL, BENCH_INBOX_CASES, BENCH_INBOX_ROUNDS)
"""

from __future__ import annotations

import os
import secrets
import sys
import time
from pathlib import Path

from benchdb import manage, split_url

ROOT = Path(__file__).resolve().parent.parent
PG_URL = os.environ.get("BENCH_INBOX_PG_URL", "postgres://postgres@127.0.0.1:5432/suban_bench_inbox")
CASES = int(os.environ.get("BENCH_INBOX_CASES", "1000000"))
ROUNDS = int(os.environ.get("BENCH_INBOX_ROUNDS", "60"))
USERS = ("community", "street", "department", "dispatcher")
PAGES = (
    "/api/cases?unit={unit}&status=dispatched&ordering=due_at",
    "/api/cases?unit={unit}&status=in_progress&status=returned&ordering=due_at",
    "/api/cases?unit={unit}&overdue=true&ordering=due_at",
    "/api/cases?unit={unit}&status=dispatched&status=in_progress&ordering=-created_at&offset=100",
    "/api/inbox/counts",
)


def database_state(url: str) -> int | None:
    """Cases in the bench database, 0 when it has no tables, None when PostgreSQL is not reachable."""
    import psycopg

    admin, name = split_url(url)
    try:
        with psycopg.connect(admin, autocommit=True, connect_timeout=3) as conn:
            if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is None:
                conn.execute(f'CREATE DATABASE "{name}"')
                return 0
    except psycopg.Error:
        return None
    with psycopg.connect(url) as conn:
        if conn.execute("SELECT to_regclass('cases_case')").fetchone() == (None,):
            return 0
        row = conn.execute("SELECT count(*) FROM cases_case").fetchone()
        return int(row[0]) if row else 0


def prepare(env: dict[str, str]) -> int:
    have = database_state(PG_URL)
    if have is None:
        return -1
    manage(env, "migrate", "--noinput", "-v", "0")
    if have == 0:
        manage(env, "seed_demo")
    if have < CASES:
        print(f"   generating {CASES - have} cases (once; the database is kept for later runs) ...", flush=True)
        started = time.perf_counter()
        manage(env, "generate_cases", "--count", str(CASES - have), "--batch", "10000")
        manage(env, "dbshell", "--", "-c", "VACUUM ANALYZE cases_case")
        print(f"   generated in {time.perf_counter() - started:.0f} s", flush=True)
    return max(have, CASES)


def main() -> int:
    env = {
        **os.environ,
        "DATABASE_URL": PG_URL,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(40),
        "FIELD_ENCRYPTION_KEY": "bench-inbox-field-key",  # the same on every run: the kept rows stay readable
        "API_READ_RATE": "1000000/min",
        "ALLOWED_HOSTS": "testserver",
        "DJANGO_SETTINGS_MODULE": "suban.settings",
    }
    env.pop("REDIS_URL", None)
    total = prepare(env)
    if total < 0:
        print(f"inbox list: skipped, PostgreSQL not reachable at {PG_URL}")
        return 0
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.test import Client

    from suban.accounts.models import User
    from suban.api.services import token_create

    client = Client()
    timings: dict[str, list[float]] = {}
    for username in USERS:
        user = User.objects.select_related("unit").get(username=username)
        _token, key = token_create(by=None, user=user, name="bench", days=1)
        headers = {"Authorization": f"Bearer {key}"}
        paths = [p.format(unit=user.unit.code) for p in PAGES]
        for path in paths:  # warm the caches and the connection
            response = client.get(path, headers=headers)
            assert response.status_code == 200, (path, response.content[:300])
        for _ in range(ROUNDS):
            for path in paths:
                started = time.perf_counter()
                response = client.get(path, headers=headers)
                elapsed = time.perf_counter() - started
                assert response.status_code == 200
                timings.setdefault(username, []).append(elapsed)
    every = sorted(t for ts in timings.values() for t in ts)

    def pct(values: list[float], q: float) -> float:
        values = sorted(values)
        return values[min(len(values) - 1, int(q * len(values)))] * 1000

    parts = ", ".join(f"{u} p50 {pct(ts, 0.5):.1f} p99 {pct(ts, 0.99):.1f} ms" for u, ts in timings.items())
    print(
        f"inbox list ({total:,} cases in PostgreSQL, {len(every)} requests through the API):"
        f" p50 {pct(every, 0.5):.1f} ms, p99 {pct(every, 0.99):.1f} ms, max {every[-1] * 1000:.1f} ms; {parts}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

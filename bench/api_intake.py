"""Taking in and dispatching cases through the REST API: gunicorn over PostgreSQL, a load generator on loopback.

A fresh database `suban_bench` is migrated and given the demo district; the dispatch centre's API token posts
real 12345 messages (Teddy Cup 2020) at points inside the demo grids, each with `"dispatch": true`, so each
request submits, accepts and dispatches a case by the responsibility list (three events, one transaction).
The figure is the number of cases per second answered 201, checked against the rows in the database.

Run: .venv/bin/python bench/api_intake.py   (BENCH_PG_URL, BENCH_WORKERS, BENCH_CONCURRENCY, BENCH_SECONDS)
"""

from __future__ import annotations

import asyncio
import csv
import json
import os
import random
import secrets
import signal
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from benchdb import manage, split_url

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/suban_bench")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/15")
# One sync worker per core and one more measured best here (2: 111/s, 3: 123–131/s, 4: 117/s, 5: 95/s).
WORKERS = int(os.environ.get("BENCH_WORKERS", str((os.cpu_count() or 1) + 1)))
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "16"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "20"))
WARMUP = 3.0
PORT = 8765
MESSAGES = ROOT.parent / "shared" / "data" / "teddy2020c" / "messages_unlabeled.csv"


def pg_reachable(url: str) -> bool:
    import psycopg

    admin, _name = split_url(url)
    try:
        with psycopg.connect(admin, connect_timeout=3):
            return True
    except psycopg.Error:
        return False


def recreate_database(url: str) -> None:
    import psycopg

    admin, name = split_url(url)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def redis_reachable(url: str) -> bool:
    try:
        import redis

        client = redis.Redis.from_url(url, socket_connect_timeout=2)
        client.flushdb()
        return True
    except Exception:
        return False


def grid_points(env: dict[str, str]) -> list[tuple[float, float]]:
    script = (
        "import json; from shapely.geometry import shape; from suban.org.models import Unit, GRID_KINDS;"
        "print(json.dumps([list(shape(u.boundary).representative_point().coords[0]) for u in "
        "Unit.objects.filter(kind__in=GRID_KINDS, is_active=True).exclude(boundary=None)]))"
    )
    return [tuple(p) for p in json.loads(manage(env, "shell", "-c", script).strip().splitlines()[-1])]


def messages() -> list[tuple[str, str]]:
    with MESSAGES.open(encoding="utf-8-sig", newline="") as f:
        rows = [(r["留言主题"].strip(), r["留言详情"].strip()) for r in csv.DictReader(f)]
    return [(title[:200], text[:2000]) for title, text in rows if title]


def requests_bytes(key: str, points: list[tuple[float, float]], texts: list[tuple[str, str]], n: int) -> list[bytes]:
    rng = random.Random(7)
    out = []
    for _ in range(n):
        title, text = rng.choice(texts)
        lon, lat = rng.choice(points)
        body = json.dumps(
            {
                "title": title,
                "text": text,
                "channel": "hotline",
                "longitude": lon,
                "latitude": lat,
                "contact_phone": f"139{rng.randrange(10**8):08d}",
                "dispatch": True,
            },
            ensure_ascii=False,
        ).encode()
        head = (
            f"POST /api/cases HTTP/1.1\r\nHost: 127.0.0.1:{PORT}\r\nAuthorization: Bearer {key}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\nConnection: close\r\n\r\n"
        ).encode()
        out.append(head + body)
    return out


async def one(payload: bytes) -> int:
    reader, writer = await asyncio.open_connection("127.0.0.1", PORT)
    try:
        writer.write(payload)
        await writer.drain()
        status_line = await reader.readline()
        await reader.read()  # the sync worker closes the connection after the response
        return int(status_line.split()[1])
    finally:
        writer.close()


async def load(payloads: list[bytes], seconds: float) -> tuple[dict[int, int], list[float], float]:
    statuses: dict[int, int] = {}
    latencies: list[float] = []
    index = 0
    started = time.perf_counter()
    measure_from = started + WARMUP
    deadline = measure_from + seconds

    async def client() -> None:
        nonlocal index
        while time.perf_counter() < deadline:
            payload = payloads[index % len(payloads)]
            index += 1
            t0 = time.perf_counter()
            status = await one(payload)
            t1 = time.perf_counter()
            if t0 >= measure_from:
                statuses[status] = statuses.get(status, 0) + 1
                latencies.append(t1 - t0)

    await asyncio.gather(*(client() for _ in range(CONCURRENCY)))
    return statuses, latencies, time.perf_counter() - measure_from


def wait_until_up(proc: subprocess.Popen[bytes]) -> None:
    for _ in range(100):
        if proc.poll() is not None:
            raise SystemExit("gunicorn exited at start")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{PORT}/healthz", timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not answer /healthz")


def main() -> int:
    if not pg_reachable(PG_URL):
        print(f"api intake: skipped, PostgreSQL not reachable at {PG_URL}")
        return 0
    recreate_database(PG_URL)
    env = {
        **os.environ,
        "DATABASE_URL": PG_URL,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(40),
        "FIELD_ENCRYPTION_KEY": secrets.token_urlsafe(40),
        "API_WRITE_RATE": "1000000/min",
        "API_READ_RATE": "1000000/min",
        "DJANGO_SETTINGS_MODULE": "suban.settings",
    }
    use_redis = redis_reachable(REDIS_URL)
    if use_redis:
        env["REDIS_URL"] = REDIS_URL
    else:
        env.pop("REDIS_URL", None)
    manage(env, "collectstatic", "--noinput", "-v", "0")
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "seed_demo")
    key = manage(env, "api_token", "create", "--user", "dispatcher", "--name", "bench").strip().splitlines()[-1]
    payloads = requests_bytes(key, grid_points(env), messages(), 5000)

    gunicorn = subprocess.Popen(
        [
            str(Path(PYTHON).parent / "gunicorn"),
            "suban.wsgi:application",
            f"--workers={WORKERS}",
            f"--bind=127.0.0.1:{PORT}",
            "--log-level=warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        wait_until_up(gunicorn)
        statuses, latencies, elapsed = asyncio.run(load(payloads, SECONDS))
    finally:
        gunicorn.send_signal(signal.SIGTERM)
        gunicorn.wait(timeout=30)

    created = statuses.get(201, 0)
    counted = manage(
        env,
        "shell",
        "-c",
        "from suban.cases.models import Case;"
        "print(Case.objects.filter(status='dispatched', channel='hotline').count())",
    )
    in_db = int(counted.strip().splitlines()[-1])
    latencies.sort()
    p = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000  # noqa: E731
    others = {k: v for k, v in statuses.items() if k != 201}
    print(
        f"api intake (submit+accept+dispatch per request, gunicorn {WORKERS} sync workers, PostgreSQL"
        f"{', Redis cache' if use_redis else ''}, {CONCURRENCY} connections, {elapsed:.0f} s):"
        f" {created / elapsed:.0f} cases/s; latency p50 {p(0.5):.1f} ms p99 {p(0.99):.1f} ms"
        f" mean {statistics.fmean(latencies) * 1000 if latencies else 0:.1f} ms;"
        f" {in_db} dispatched cases in the database (including warm-up); other answers {others or 'none'}"
    )
    return 0 if created and not others else 1


if __name__ == "__main__":
    sys.exit(main())

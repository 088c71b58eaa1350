"""Taking in and dispatching cases through the REST API: gunicorn over PostgreSQL, a load generator on loopback.

A fresh database `suban_bench` is migrated and given the demo district; the dispatch centre's API token posts
real 12345 messages (Teddy Cup 2020) at points inside the demo grids, each with `"dispatch": true`, so each
order is submitted, accepted and dispatched by the responsibility list (three events). Two runs on the same
server: one case per request (POST /api/cases), then BENCH_BATCH orders per request (POST /api/cases/batch).
The figures are cases per second answered 201/200, checked against the rows in the database, with the latency
of a request, and the machine's load average beside them (other work on the machine slows the figures).

Before them, the yardstick (bench/bare_post.py): a bare Django POST (parse, one INSERT, 201; no auth, no case
logic) under the same gunicorn, database, payloads and load generator, so that the figures can be read against
what Django itself reaches on the day's machine (machines of this kind have differed by 5x here).

Run: .venv/bin/python bench/api_intake.py
(BENCH_PG_URL, BENCH_PORT, BENCH_WORKERS, BENCH_CONCURRENCY, BENCH_SECONDS, BENCH_BATCH,
 BENCH_ONLY=reference|single|batch)
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
from collections.abc import Callable
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
BATCH = int(os.environ.get("BENCH_BATCH", "100"))
ONLY = os.environ.get("BENCH_ONLY", "")
PORT = int(os.environ.get("BENCH_PORT", "8765"))
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


Points = list[tuple[float, float]]
Texts = list[tuple[str, str]]


def orders(points: Points, texts: Texts, n: int, seed: int) -> list[dict[str, object]]:
    rng = random.Random(seed)
    out: list[dict[str, object]] = []
    for _ in range(n):
        title, text = rng.choice(texts)
        lon, lat = rng.choice(points)
        out.append(
            {
                "title": title,
                "text": text,
                "channel": "hotline",
                "longitude": lon,
                "latitude": lat,
                "contact_phone": f"139{rng.randrange(10**8):08d}",
                "dispatch": True,
            }
        )
    return out


def request_bytes(key: str, path: str, payload: object) -> bytes:
    body = json.dumps(payload, ensure_ascii=False).encode()
    head = (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{PORT}\r\nAuthorization: Bearer {key}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    ).encode()
    return head + body


def single_requests(key: str, points: Points, texts: Texts, n: int) -> list[bytes]:
    return [request_bytes(key, "/api/cases", o) for o in orders(points, texts, n, seed=7)]


def batch_requests(key: str, points: Points, texts: Texts, n: int) -> list[bytes]:
    every = orders(points, texts, n * BATCH, seed=11)
    return [
        request_bytes(key, "/api/cases/batch", {"orders": every[i : i + BATCH]}) for i in range(0, len(every), BATCH)
    ]


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


def percentiles(latencies: list[float]) -> Callable[[float], float]:
    """q -> the q-quantile of the sorted `latencies`, in ms."""
    return lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000 if latencies else 0.0


Result = tuple[str, int, int, dict[int, int], list[float], float, float, float]


Run = tuple[str, int, int, list[bytes]]  # name, the status that counts, cases per request, the requests


def serve_and_load(app: str, cwd: Path, env: dict[str, str], runs: list[Run]) -> list[Result]:
    """Serve `app` with gunicorn's sync workers and put each run's payloads to it in turn."""
    gunicorn = subprocess.Popen(
        [
            str(Path(PYTHON).parent / "gunicorn"),
            app,
            f"--workers={WORKERS}",
            f"--bind=127.0.0.1:{PORT}",
            "--log-level=warning",
        ],
        cwd=cwd,
        env=env,
    )
    results: list[Result] = []
    try:
        wait_until_up(gunicorn)
        for name, ok, per_request, payloads in runs:
            load_before = os.getloadavg()[0]
            statuses, latencies, elapsed = asyncio.run(load(payloads, SECONDS))
            results.append((name, ok, per_request, statuses, latencies, elapsed, load_before, os.getloadavg()[0]))
    finally:
        gunicorn.send_signal(signal.SIGTERM)
        gunicorn.wait(timeout=30)
    return results


def reference(env: dict[str, str], payloads: list[bytes]) -> list[Result]:
    """The bare Django POST of bench/bare_post.py, on the same database server (its own table) and payloads."""
    bare_env = {**env, "BARE_POST_DATABASE_URL": env["DATABASE_URL"]}
    for command in ("create", "count"):
        subprocess.run([PYTHON, "bare_post.py", command], cwd=ROOT / "bench", env=bare_env, check=True)
    return serve_and_load("bare_post:application", ROOT / "bench", bare_env, [("reference", 201, 1, payloads)])


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
    points, texts = grid_points(env), messages()
    runs = [("single", 201, 1, single_requests(key, points, texts, 5000))]
    runs.append(("batch", 200, BATCH, batch_requests(key, points, texts, 400)))
    runs = [r for r in runs if not ONLY or r[0] == ONLY]

    results = []
    if not ONLY or ONLY == "reference":
        results += reference(env, single_requests(key, points, texts, 5000))
    if runs:
        results += serve_and_load("suban.wsgi:application", ROOT, env, runs)

    counted = manage(
        env,
        "shell",
        "-c",
        "from suban.cases.models import Case;"
        "print(Case.objects.filter(status='dispatched', channel='hotline').count())",
    )
    in_db = int(counted.strip().splitlines()[-1])
    failed = False
    answered = 0
    for name, ok, per_request, statuses, latencies, elapsed, load_before, load_after in results:
        created = statuses.get(ok, 0) * per_request
        answered += created if name != "reference" else 0
        latencies.sort()
        p = percentiles(latencies)
        others = {k: v for k, v in statuses.items() if k != ok}
        if name == "reference":
            what = "a bare Django POST: parse, one INSERT, no auth, no case logic"
        elif per_request == 1:
            what = "submit+accept+dispatch, 1 case per request"
        else:
            what = f"{per_request} cases per request"
        print(
            f"api intake {name} ({what}, gunicorn {WORKERS} sync workers, PostgreSQL"
            f"{', Redis cache' if use_redis else ''}, {CONCURRENCY} connections, {elapsed:.0f} s):"
            f" {created / elapsed:.0f} cases/s; per request p50 {p(0.5):.1f} ms p99 {p(0.99):.1f} ms"
            f" mean {statistics.fmean(latencies) * 1000 if latencies else 0:.1f} ms;"
            f" other answers {others or 'none'}; load average {load_before:.2f} before, {load_after:.2f} after",
            flush=True,
        )
        failed = failed or not created or bool(others)
    rates = {r[0]: r[3].get(r[1], 0) * r[2] / r[5] for r in results}
    if rates.get("reference"):
        ratios = (f"{name} {rate / rates['reference']:.2f}x" for name, rate in rates.items() if name != "reference")
        print("api intake against the bare Django POST: " + ", ".join(ratios))
    cases = [(name, rate) for name, rate in rates.items() if name != "reference"]
    if cases:
        best = max(cases, key=lambda item: item[1])
        print(f"api intake target 300 cases/s: {'met' if best[1] >= 300 else 'NOT met'} ({best[0]} {best[1]:.0f}/s)")
    print(f"api intake: {in_db} dispatched cases in the database (answered {answered} after the warm-ups)")
    return 1 if failed or in_db < answered else 0


if __name__ == "__main__":
    sys.exit(main())

"""The mediation centre at a megacity's size: a year of disputes (50,000 by default) in a scratch database, then
timed the way its pages read them: the centre's figures for the year and the big screen's 30 days, the centre's
intake and a room's queue (first page of 20 with its count), and one dispute's page.

The rows are written in bulk (not through the services: their cost is one dispute's, measured by the tests);
each has two parties, a lead mediator and, once mediated, its end. SQLite in a temporary file by default;
BENCH_MEDIATION_DB=postgres://…/suban_bench_mediation to run it on PostgreSQL (the database is made and dropped).

Run: .venv/bin/python bench/mediation_bench.py   (BENCH_MEDIATION_DISPUTES, BENCH_MEDIATION_ROUNDS)
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
DISPUTES = int(os.environ.get("BENCH_MEDIATION_DISPUTES", "50000"))
ROUNDS = int(os.environ.get("BENCH_MEDIATION_ROUNDS", "30"))
SCRATCH = Path(tempfile.mkdtemp(prefix="suban-bench-mediation-")) / "bench.sqlite3"
os.environ["DATABASE_URL"] = os.environ.get("BENCH_MEDIATION_DB", f"sqlite:///{SCRATCH}")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "suban.settings")
os.environ.setdefault("SECRET_KEY", "bench-mediation-secret-key-not-for-production")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_databases, teardown_databases  # noqa: E402
from django.utils import timezone  # noqa: E402

from suban import crypto  # noqa: E402
from suban.accounts.roles import Role  # noqa: E402
from suban.accounts.services import staff_create  # noqa: E402
from suban.mediation import selectors  # noqa: E402
from suban.mediation.figures import figures  # noqa: E402
from suban.mediation.models import (  # noqa: E402
    Assignment,
    Category,
    Dispute,
    DisputeStatus,
    Mediator,
    Party,
    Room,
    RoomLevel,
)
from suban.org.models import UnitKind  # noqa: E402
from suban.org.services import unit_create  # noqa: E402

STATUSES = [
    (DisputeStatus.REGISTERED, 3),
    (DisputeStatus.ACCEPTED, 2),
    (DisputeStatus.ASSIGNED, 3),
    (DisputeStatus.MEDIATING, 6),
    (DisputeStatus.AGREED, 10),
    (DisputeStatus.FAILED, 4),
    (DisputeStatus.DECLINED, 2),
    (DisputeStatus.FULFILLED, 10),
    (DisputeStatus.UNFULFILLED, 1),
    (DisputeStatus.CLOSED, 59),
]


def build() -> tuple[Mediator, Mediator, str]:
    rnd = random.Random(7)
    district = unit_create(by=None, code="D", name="区", kind=UnitKind.DISTRICT, parent=None)
    streets = [
        unit_create(by=None, code=f"S{i}", name=f"街道{i}", kind=UnitKind.STREET, parent=district) for i in range(20)
    ]
    communities = [
        unit_create(by=None, code=f"{s.code}C{j}", name=f"{s.name}社区{j}", kind=UnitKind.COMMUNITY, parent=s)
        for s in streets
        for j in range(10)
    ]
    centre = Room.objects.create(name="中心", level=RoomLevel.CENTRE, unit=district)
    rooms = [Room.objects.create(name=f"{s.name}调解室", level=RoomLevel.TOWNSHIP, unit=s) for s in streets]
    mediators = {}
    for n, room in enumerate([centre, *rooms]):
        for k in range(5):
            user = staff_create(
                by=None, username=f"m{n}_{k}", name=f"调解员{n}-{k}", unit=room.unit, roles=[Role.MEDIATOR]
            )
            mediators.setdefault(room.pk, []).append(Mediator.objects.create(user=user, room=room, head=k == 0))
    now = timezone.now()
    phone = crypto.encrypt("13800000001")
    phone_hash = crypto.lookup_hash("13800000001")
    statuses = [s for s, w in STATUSES for _ in range(w)]
    disputes, parties, assignments = [], [], []
    for i in range(DISPUTES):
        community = rnd.choice(communities)
        room = rooms[int(community.parent.code[1:])]  # type: ignore[union-attr]
        status = rnd.choice(statuses)
        registered = now - timedelta(days=rnd.uniform(0, 365))
        accepted = (
            None if status in (DisputeStatus.REGISTERED, DisputeStatus.DECLINED) else registered + timedelta(days=1)
        )
        ended = (
            accepted + timedelta(days=rnd.uniform(2, 40))
            if accepted
            and status
            not in (
                DisputeStatus.ACCEPTED,
                DisputeStatus.ASSIGNED,
                DisputeStatus.MEDIATING,
            )
            else None
        )
        ended_as = (
            rnd.choice([DisputeStatus.FULFILLED, DisputeStatus.FAILED, DisputeStatus.DECLINED])
            if status == DisputeStatus.CLOSED
            else ""
        )
        disputes.append(
            Dispute(
                number=f"TJ{registered:%Y%m%d}{i:06d}"[:20],
                category=rnd.choice(Category.values),
                summary="楼上漏水殃及楼下",
                facts="双方就赔偿协商未果。" * 10,
                source="walk_in",
                unit=community,
                unit_path=community.path,
                room=None if status == DisputeStatus.REGISTERED else room,
                status=status,
                registered_at=registered,
                accepted_at=accepted,
                due_at=accepted + timedelta(days=30) if accepted else None,
                ended_at=ended,
                ended_as=ended_as or (status if ended else ""),
                escalating=rnd.random() < 0.03,
            )
        )
    Dispute.objects.bulk_create(disputes, batch_size=2000)
    for d in Dispute.objects.only("pk", "status", "room_id").iterator(chunk_size=5000):
        parties += [
            Party(dispute_id=d.pk, side="applicant", name="张三", phone_encrypted=phone, phone_hash=phone_hash),
            Party(dispute_id=d.pk, side="respondent", name="李四"),
        ]
        if d.room_id is not None and d.status != DisputeStatus.ACCEPTED:
            assignments.append(Assignment(dispute_id=d.pk, mediator=rnd.choice(mediators[d.room_id]), lead=True))
    Party.objects.bulk_create(parties, batch_size=5000)
    Assignment.objects.bulk_create(assignments, batch_size=5000)
    return mediators[centre.pk][0], mediators[rooms[3].pk][1], district.path


def timed(label: str, work, rounds: int = ROUNDS) -> None:
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        work()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    p99 = times[min(len(times) - 1, int(len(times) * 0.99))]
    print(f"   {label}: p50 {statistics.median(times):.1f} ms, p99 {p99:.1f} ms ({rounds} rounds)", flush=True)


def main() -> int:
    names = setup_databases(verbosity=0, interactive=False, keepdb=False)
    try:
        started = time.perf_counter()
        head, mediator, district = build()
        print(
            f"   {DISPUTES} disputes written in {time.perf_counter() - started:.0f} s ({connection.vendor})", flush=True
        )
        today = timezone.localdate()
        year = today - timedelta(days=364)
        timed("the centre's figures, one year", lambda: figures(district, year, today), rounds=max(3, ROUNDS // 10))
        timed("the big screen's figures, 30 days", lambda: figures(district, today - timedelta(days=29), today))
        for who, user in (("the centre", head.user), ("a room's mediator", mediator.user)):
            for queue in ("intake", "room", "all"):

                def page(user=user, queue=queue) -> None:
                    qs = selectors.queue(user, queue)
                    qs.count()
                    list(qs.order_by("-registered_at", "-id")[:20])

                timed(f"{who}'s {queue} queue, first page and count", page)
        number = Dispute.objects.filter(room__isnull=False).values_list("number", flat=True)[DISPUTES // 3]

        def one() -> None:
            dispute = selectors.dispute_for(head.user, number)
            selectors.parties_for(dispute, head.user)
            selectors.events_for(dispute, head.user)

        timed("one dispute's page (reads)", one)
    finally:
        teardown_databases(names, verbosity=0)
    return 0


if __name__ == "__main__":
    sys.exit(main())

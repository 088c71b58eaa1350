"""Fill the database with synthetic cases for benchmarks: `generate_cases --count 1000000`.

Rows are written in bulk, bypassing the services (no events), spread over every grid of the loaded
organisation and over a year, with the status mix of a working platform. Never run it on real data.
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.db.models import DateTimeField
from django.utils import timezone

from suban.cases.models import TERMINAL, Alert, Case, Status
from suban.cases.routing import LEVEL_OF_KIND
from suban.catalogue.models import CaseType
from suban.org.models import GRID_KINDS, Unit, UnitKind

# Cases of the last RECENT_DAYS are still moving; older ones have (almost all) been closed, as on a working
# platform, where the open piles hold a few weeks' worth of requests and the rest is history.
RECENT_DAYS = 30
OLD_MIX = [(Status.CLOSED, 96), (Status.DECLINED, 3), (Status.UNSATISFIED, 1)]
STATUS_MIX = [
    (Status.CLOSED, 70),
    (Status.IN_PROGRESS, 10),
    (Status.DISPATCHED, 6),
    (Status.VISITING, 5),
    (Status.REVIEWING, 3),
    (Status.NEW, 2),
    (Status.RETURNED, 1),
    (Status.DECLINED, 2),
    (Status.UNSATISFIED, 1),
]


@contextmanager
def _keep_created_at() -> Iterator[None]:
    """bulk_create would stamp every row with now (auto_now_add); the history needs its own times."""
    field = Case._meta.get_field("created_at")
    assert isinstance(field, DateTimeField)
    field.auto_now_add = False
    try:
        yield
    finally:
        field.auto_now_add = True


class Command(BaseCommand):
    help = "Insert COUNT synthetic cases for benchmarks (no events, no services). Not for real data."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--count", type=int, required=True)
        parser.add_argument("--batch", type=int, default=5000)
        parser.add_argument("--seed", type=int, default=7)
        parser.add_argument("--prefix", default="9", help="first digit of the synthetic case numbers")

    def handle(self, *args: Any, count: int, batch: int, seed: int, prefix: str, **options: Any) -> None:
        grids = list(Unit.objects.filter(kind__in=GRID_KINDS, is_active=True).select_related("parent"))
        departments = list(Unit.objects.filter(kind=UnitKind.DEPARTMENT))
        if not grids:
            raise CommandError("Load an organisation first (seed_demo).")
        ancestors = {u.pk: u for u in Unit.objects.filter(kind__in=[UnitKind.COMMUNITY, UnitKind.STREET])}
        rng = random.Random(seed)
        statuses = [s for s, _w in STATUS_MIX]
        weights = [w for _s, w in STATUS_MIX]
        old_statuses = [s for s, _w in OLD_MIX]
        old_weights = [w for _s, w in OLD_MIX]
        now = timezone.now()
        start = Case.objects.count()
        began = time.perf_counter()
        made = 0
        while made < count:
            rows = []
            for i in range(min(batch, count - made)):
                n = start + made + i
                grid = rng.choice(grids)
                community = ancestors.get(grid.parent_id) if grid.parent_id else None
                street = ancestors.get(community.parent_id) if community and community.parent_id else None
                roll = rng.random()
                lead = (
                    rng.choice(departments)
                    if roll < 0.3 and departments
                    else (community if roll < 0.8 and community else (street or grid))
                )
                created = now - timedelta(minutes=rng.randrange(0, 365 * 24 * 60))
                if now - created > timedelta(days=RECENT_DAYS):
                    status = rng.choices(old_statuses, old_weights)[0]
                else:
                    status = rng.choices(statuses, weights)[0]
                due = created + timedelta(days=rng.choice([2, 3, 4, 5]))
                rows.append(
                    Case(
                        number=f"{prefix}{n:012d}",
                        case_type=rng.choice(CaseType.values),
                        title=f"合成诉求 {n}",
                        status=status,
                        grid=grid,
                        area_path=grid.path,
                        unit=lead,
                        unit_path=lead.path,
                        level=LEVEL_OF_KIND[lead.kind],
                        dispatched_at=created,
                        due_at=due,
                        warn_at=due - timedelta(days=1),
                        alert=Alert.RED if status not in TERMINAL and due < now else "",
                        created_at=created,
                        version=1,
                    )
                )
            with transaction.atomic(), _keep_created_at():
                Case.objects.bulk_create(rows, batch_size=batch)
            made += len(rows)
            self.stdout.write(f"{made} / {count} ({made / (time.perf_counter() - began):.0f} rows/s)")
        self.stdout.write(f"Inserted {made} cases in {time.perf_counter() - began:.1f} s.")

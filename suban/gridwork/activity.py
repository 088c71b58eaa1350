"""How active the grids are: per grid, its workers' patrols, work-log entries and the reports they filed from
it over a period, and the activity rate (the share of the workers' working days with something on record).

Read by the activity page (suban.gridwork.views.activity) and the leaders' dashboard; within the reader's reach.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from suban.accounts.roles import Role
from suban.accounts.scope import can_reach_unit
from suban.errors import Invalid, NotFound
from suban.gridwork.models import GridReport, Patrol, WorkLogEntry
from suban.org.models import GRID_KINDS, Unit
from suban.workdays.calendar import CalendarUnknown, work_calendar

if TYPE_CHECKING:
    from suban.accounts.models import User

PERIODS = (7, 30, 90)


@dataclass
class Activity:
    """Counts of one grid or one worker over the period."""

    working_days: int
    workers: int = 1
    patrols: int = 0
    logs: int = 0
    reports: int = 0
    active: set[tuple[int, date]] = field(default_factory=set)  # (worker, day) with something on record

    @property
    def active_days(self) -> int:
        return min(len(self.active), self.workers * self.working_days)

    @property
    def activity_rate(self) -> float | None:
        """Share of the workers' working days on which they did something on record."""
        possible = self.workers * self.working_days
        return self.active_days / possible if possible else None

    @property
    def patrols_per_day(self) -> float | None:
        return self.patrols / self.working_days if self.working_days else None

    @property
    def per_worker(self) -> float | None:
        """Reports and work-log entries per grid worker over the period."""
        return (self.reports + self.logs) / self.workers if self.workers else None


@dataclass
class GridActivity(Activity):
    grid: Unit | None = None


@dataclass
class WorkerActivity(Activity):
    worker: Any = None


def period_days(days: int) -> int:
    if days not in PERIODS:
        raise Invalid(_("Choose 7, 30 or 90 days."), field="days")
    return days


def _bounds(days: int) -> tuple[date, date, datetime]:
    end = timezone.localdate()
    start = end - timedelta(days=period_days(days) - 1)
    return start, end, timezone.make_aware(datetime.combine(start, time.min))


def working_days(start: date, end: date) -> int:
    calendar = work_calendar()
    count, day = 0, start
    while day <= end:
        try:
            count += calendar.is_workday(day)
        except CalendarUnknown:  # a year nobody entered: Monday to Friday
            count += day.weekday() < 5
        day += timedelta(days=1)
    return count


def _records(grid_ids: list[int], start: date, since: datetime) -> list[tuple[str, int, int, date]]:
    """(kind, grid, worker, day) of every patrol, log entry and report in the grids since `start`."""
    found: list[tuple[str, int, int, date]] = []
    for grid_id, worker_id, at in Patrol.objects.filter(grid_id__in=grid_ids, started_at__gte=since).values_list(
        "grid_id", "worker_id", "started_at"
    ):
        found.append(("patrol", grid_id, worker_id, timezone.localdate(at)))
    for grid_id, worker_id, day in WorkLogEntry.objects.filter(grid_id__in=grid_ids, date__gte=start).values_list(
        "grid_id", "worker_id", "date"
    ):
        found.append(("log", grid_id, worker_id, day))
    for grid_id, worker_id, at in GridReport.objects.filter(grid_id__in=grid_ids, created_at__gte=since).values_list(
        "grid_id", "worker_id", "created_at"
    ):
        found.append(("report", grid_id, worker_id, timezone.localdate(at)))
    return found


def _count(target: Activity, kind: str, worker_id: int, day: date) -> None:
    if kind == "patrol":
        target.patrols += 1
    elif kind == "log":
        target.logs += 1
    else:
        target.reports += 1
    target.active.add((worker_id, day))


def grid_activity(user: User, unit: Unit, days: int) -> list[GridActivity]:
    """Each grid within `unit` over the last `days` days, least active first (the ones to look at)."""
    if not can_reach_unit(user, unit):
        raise NotFound(_("No such unit."))
    start, end, since = _bounds(days)
    workdays = working_days(start, end)
    grids = Unit.objects.filter(kind__in=GRID_KINDS, is_active=True, path__startswith=unit.path)
    rows = {g.pk: GridActivity(workdays, workers=0, grid=g) for g in grids.select_related("parent").order_by("path")}
    from suban.accounts.models import User

    workers = (
        User.objects.filter(unit_id__in=list(rows), is_active=True, staff_roles__role=Role.GRID_WORKER)
        .values_list("unit_id")
        .annotate(n=Count("pk", distinct=True))
        .order_by()
    )
    for grid_id, n in workers:
        rows[grid_id].workers = n
    for kind, grid_id, worker_id, day in _records(list(rows), start, since):
        _count(rows[grid_id], kind, worker_id, day)
    return sorted(
        rows.values(),
        key=lambda r: (r.activity_rate is None, r.activity_rate or 0, r.grid.path if r.grid else ""),
    )


def worker_activity(user: User, grid: Unit, days: int) -> list[WorkerActivity]:
    """The grid's workers (and anyone else who worked in it) over the last `days` days."""
    from suban.accounts.models import User

    if not can_reach_unit(user, grid):
        raise NotFound(_("No such unit."))
    start, end, since = _bounds(days)
    workdays = working_days(start, end)
    people = {
        u.pk: WorkerActivity(workdays, worker=u)
        for u in User.objects.filter(unit=grid, is_active=True, staff_roles__role=Role.GRID_WORKER).distinct()
    }
    for kind, _grid_id, worker_id, day in _records([grid.pk], start, since):
        if worker_id not in people:
            people[worker_id] = WorkerActivity(workdays, worker=User.objects.get(pk=worker_id))
        _count(people[worker_id], kind, worker_id, day)
    return sorted(people.values(), key=lambda r: (r.activity_rate or 0, r.worker.username))


def patrols_per_day(user: User, unit: Unit, days: int) -> list[dict[str, Any]]:
    """Patrols started per day in the grids within `unit`, oldest first."""
    if not can_reach_unit(user, unit):
        raise NotFound(_("No such unit."))
    start, _end, since = _bounds(days)
    counts: dict[date, int] = defaultdict(int)
    for at in Patrol.objects.filter(grid__path__startswith=unit.path, started_at__gte=since).values_list(
        "started_at", flat=True
    ):
        counts[timezone.localdate(at)] += 1
    return [
        {"day": (start + timedelta(days=k)).isoformat(), "patrols": counts.get(start + timedelta(days=k), 0)}
        for k in range(days)
    ]

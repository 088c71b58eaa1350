"""The mediation centre's figures: taken in, mediated, success rate (agreed / mediated), fulfilment rate
(fulfilled / visited), average days from acceptance to the end; by room level, room, category and lead
mediator. Counts only: anyone with reach over the places reads them, content stays with the centre."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Case, Count, DurationField, ExpressionWrapper, F, Q, QuerySet, Sum, When
from django.utils import timezone

from suban.mediation.models import Assignment, Category, Dispute, DisputeStatus, Mediator, RiskReport, Room, RoomLevel

AGREED = {DisputeStatus.AGREED, DisputeStatus.FULFILLED, DisputeStatus.UNFULFILLED}
VISITED = {DisputeStatus.FULFILLED, DisputeStatus.UNFULFILLED}
OPEN = {DisputeStatus.REGISTERED, DisputeStatus.ACCEPTED, DisputeStatus.ASSIGNED, DisputeStatus.MEDIATING}


@dataclass
class Tally:
    label: str
    taken_in: int = 0
    mediated: int = 0  # ended in an agreement or a failure
    agreed: int = 0
    visited: int = 0
    fulfilled: int = 0
    declined: int = 0
    open: int = 0
    days_total: float = 0.0  # acceptance to the end, over the mediated ones that were accepted
    days_counted: int = 0

    @property
    def success_rate(self) -> float | None:
        return self.agreed / self.mediated if self.mediated else None

    @property
    def fulfilment_rate(self) -> float | None:
        return self.fulfilled / self.visited if self.visited else None

    @property
    def average_days(self) -> float | None:
        return round(self.days_total / self.days_counted, 1) if self.days_counted else None

    def add(self, status: str, count: int, days: timedelta | None, timed: int) -> None:
        """`count` disputes that stand at `status` (a closed one: at how it ended); `days`: the sum of their
        mediations' lengths over the `timed` ones that have both ends."""
        self.taken_in += count
        if status in AGREED or status == DisputeStatus.FAILED:
            self.mediated += count
            if days is not None and timed:
                self.days_total += days.total_seconds() / 86400
                self.days_counted += timed
        if status in AGREED:
            self.agreed += count
        if status in VISITED:
            self.visited += count
            if status == DisputeStatus.FULFILLED:
                self.fulfilled += count
        if status == DisputeStatus.DECLINED:
            self.declined += count
        if status in OPEN:
            self.open += count

    def as_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "taken_in": self.taken_in,
            "mediated": self.mediated,
            "agreed": self.agreed,
            "success_rate": self.success_rate,
            "visited": self.visited,
            "fulfilled": self.fulfilled,
            "fulfilment_rate": self.fulfilment_rate,
            "declined": self.declined,
            "open": self.open,
            "average_days": self.average_days,
        }


@dataclass
class Figures:
    start: date
    end: date
    total: Tally
    by_level: list[Tally]
    by_room: list[Tally]
    by_category: list[Tally]
    by_mediator: list[Tally]
    escalating_open: int
    risks: int

    def as_dict(self) -> dict[str, Any]:
        return {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "total": self.total.as_dict(),
            "by_level": [t.as_dict() for t in self.by_level],
            "by_room": [t.as_dict() for t in self.by_room],
            "by_category": [t.as_dict() for t in self.by_category],
            "by_mediator": [t.as_dict() for t in self.by_mediator],
            "escalating_open": self.escalating_open,
            "risks": self.risks,
        }


def _ranked(tallies: dict[Any, Tally]) -> list[Tally]:
    """Best first: by success rate, then by how many were mediated."""
    return sorted(
        tallies.values(), key=lambda t: (-(t.success_rate if t.success_rate is not None else -1), -t.mediated, t.label)
    )


def figures(unit_path: str, start: date, end: date) -> Figures:
    """The disputes registered in [start, end] at places under `unit_path`, and where each stands now: counted
    in the database, one grouped query per breakdown."""
    tz = timezone.get_current_timezone()
    since = datetime.combine(start, time.min, tzinfo=tz)
    until = datetime.combine(end + timedelta(days=1), time.min, tzinfo=tz)
    disputes = Dispute.objects.filter(
        unit_path__startswith=unit_path, registered_at__gte=since, registered_at__lt=until
    )

    def grouped(qs: QuerySet[Any], key: str, prefix: str = "") -> list[dict[str, Any]]:
        """Counts of `qs` by `key` and where each dispute stands (`prefix`: the path to the dispute)."""
        timed = _timed(prefix)
        return list(
            qs.annotate(standing=_standing(prefix))
            .values(key, "standing")
            .annotate(n=Count("pk"), days=Sum(_length(prefix), filter=timed), timed=Count("pk", filter=timed))
            .order_by()
        )

    total = Tally("")
    categories: dict[str, Tally] = {}
    for row in grouped(disputes, "category"):
        total.add(row["standing"], row["n"], row["days"], row["timed"])
        label = str(Category(row["category"]).label) if row["category"] in Category.values else row["category"]
        categories.setdefault(row["category"], Tally(label)).add(row["standing"], row["n"], row["days"], row["timed"])
    rooms: dict[int, Tally] = {}
    levels: dict[str, Tally] = {}
    names = dict(Room.objects.values_list("pk", "name"))
    kinds = dict(Room.objects.values_list("pk", "level"))
    for row in grouped(disputes.filter(room__isnull=False), "room"):
        room = row["room"]
        args = (row["standing"], row["n"], row["days"], row["timed"])
        rooms.setdefault(room, Tally(names.get(room, ""))).add(*args)
        level = kinds.get(room, "")
        levels.setdefault(level, Tally(str(RoomLevel(level).label) if level else "")).add(*args)
    mediators: dict[int, Tally] = {}
    leads = Assignment.objects.filter(lead=True, dispute__in=disputes)
    people = {m.pk: str(m) for m in Mediator.objects.filter(pk__in=leads.values("mediator")).select_related("user")}
    for row in grouped(leads, "mediator", prefix="dispute__"):
        mediators.setdefault(row["mediator"], Tally(people.get(row["mediator"], ""))).add(
            row["standing"], row["n"], row["days"], row["timed"]
        )
    escalating = disputes.filter(escalating=True, status__in=OPEN).count()
    risks = RiskReport.objects.filter(
        unit_path__startswith=unit_path, reported_at__gte=since, reported_at__lt=until
    ).count()
    return Figures(
        start=start,
        end=end,
        total=total,
        by_level=[levels[k] for k in RoomLevel.values if k in levels],
        by_room=_ranked(rooms),
        by_category=sorted(categories.values(), key=lambda t: -t.taken_in),
        by_mediator=_ranked(mediators),
        escalating_open=escalating,
        risks=risks,
    )


def _standing(prefix: str) -> Case:
    """Where a dispute stands: its status, and a closed one how it ended (fulfilled, failed, declined, …)."""
    closed = Q(**{f"{prefix}status": DisputeStatus.CLOSED})
    return Case(When(closed, then=F(f"{prefix}ended_as")), default=F(f"{prefix}status"))


def _timed(prefix: str) -> Q:
    return Q(**{f"{prefix}accepted_at__isnull": False, f"{prefix}ended_at__isnull": False})


def _length(prefix: str) -> ExpressionWrapper:
    return ExpressionWrapper(F(f"{prefix}ended_at") - F(f"{prefix}accepted_at"), output_field=DurationField())

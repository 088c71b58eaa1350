"""The mediation centre's figures: taken in, mediated, success rate (agreed / mediated), fulfilment rate
(fulfilled / visited), average days from acceptance to the end; by room level, room, category and lead
mediator. Counts only: anyone with reach over the places reads them, content stays with the centre."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from suban.mediation.models import Category, Dispute, DisputeStatus, RiskReport, RoomLevel

AGREED = {DisputeStatus.AGREED, DisputeStatus.FULFILLED, DisputeStatus.UNFULFILLED}
VISITED = {DisputeStatus.FULFILLED, DisputeStatus.UNFULFILLED}


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
    days: list[float] = field(default_factory=list)

    @property
    def success_rate(self) -> float | None:
        return self.agreed / self.mediated if self.mediated else None

    @property
    def fulfilment_rate(self) -> float | None:
        return self.fulfilled / self.visited if self.visited else None

    @property
    def average_days(self) -> float | None:
        return round(sum(self.days) / len(self.days), 1) if self.days else None

    def add(self, dispute: Dispute, status: str) -> None:
        self.taken_in += 1
        if status in AGREED or status == DisputeStatus.FAILED:
            self.mediated += 1
            if dispute.accepted_at is not None and dispute.ended_at is not None:
                self.days.append((dispute.ended_at - dispute.accepted_at).total_seconds() / 86400)
        if status in AGREED:
            self.agreed += 1
        if status in VISITED:
            self.visited += 1
            if status == DisputeStatus.FULFILLED:
                self.fulfilled += 1
        if status == DisputeStatus.DECLINED:
            self.declined += 1
        if status in (
            DisputeStatus.REGISTERED,
            DisputeStatus.ACCEPTED,
            DisputeStatus.ASSIGNED,
            DisputeStatus.MEDIATING,
        ):
            self.open += 1

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
    """The disputes registered in [start, end] at places under `unit_path`, and where each stands now."""
    tz = timezone.get_current_timezone()
    since = datetime.combine(start, time.min, tzinfo=tz)
    until = datetime.combine(end + timedelta(days=1), time.min, tzinfo=tz)
    disputes: QuerySet[Dispute] = (
        Dispute.objects.filter(unit_path__startswith=unit_path, registered_at__gte=since, registered_at__lt=until)
        .select_related("room")
        .prefetch_related("assignments__mediator__user")
        .only(
            "pk",
            "status",
            "category",
            "escalating",
            "accepted_at",
            "ended_at",
            "ended_as",
            "room__name",
            "room__level",
            "room_id",
        )
    )
    total = Tally("")
    levels: dict[str, Tally] = {}
    rooms: dict[int, Tally] = {}
    categories: dict[str, Tally] = {}
    mediators: dict[int, Tally] = {}
    escalating = 0
    for dispute in disputes:
        status = dispute.ended_as if dispute.status == DisputeStatus.CLOSED else dispute.status
        total.add(dispute, status)
        categories.setdefault(dispute.category, Tally(str(Category(dispute.category).label))).add(dispute, status)
        if dispute.room is not None:
            level = dispute.room.level
            levels.setdefault(level, Tally(str(RoomLevel(level).label))).add(dispute, status)
            rooms.setdefault(dispute.room.pk, Tally(dispute.room.name)).add(dispute, status)
        for assignment in dispute.assignments.all():
            if assignment.lead:
                m = assignment.mediator
                mediators.setdefault(m.pk, Tally(str(m))).add(dispute, status)
        if dispute.escalating and status in (
            DisputeStatus.REGISTERED,
            DisputeStatus.ACCEPTED,
            DisputeStatus.ASSIGNED,
            DisputeStatus.MEDIATING,
        ):
            escalating += 1
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
